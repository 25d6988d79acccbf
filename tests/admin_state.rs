//! Snapshots: `GET`/`PUT /_emulator/state` and `--state-file`, as a test suite and an
//! operator use them. A state taken from one server and loaded into a fresh one gives the
//! same answer to every read; a refused document changes nothing.

mod common;
use common::anqicms::{self as aq, Site};
use common::openim::{self as oim, Im};
use common::process;
use common::yunxin::{self as yxc, Yx};
use common::*;

use reqwest::StatusCode;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Helpers of this file
// ---------------------------------------------------------------------------------------------

/// `GET /_emulator/state`, which must answer 200.
async fn get_state(app: &TestApp) -> Value {
    let resp = app
        .client
        .get(format!("{}/_emulator/state", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json().await.unwrap()
}

/// `PUT /_emulator/state` with `body` as it is; the status and the JSON answer.
async fn put_state(app: &TestApp, body: String) -> (StatusCode, Value) {
    let resp = app
        .client
        .put(format!("{}/_emulator/state", app.url))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap())
}

/// Loads `state` into `app`, which must accept it.
async fn load_state(app: &TestApp, state: &Value) {
    let (status, body) = put_state(app, state.to_string()).await;
    assert_eq!(status, StatusCode::OK, "the state is loaded: {body}");
}

/// The document without the instant it was written, which differs from one read to the next
/// when the clock runs.
fn without_saved_at(mut state: Value) -> Value {
    state.as_object_mut().unwrap().remove("saved_at");
    state
}

/// Two servers: `first`, pinned at [`T0`], after `prepare` made its state, and `second`, fresh,
/// into which the state of `first` was loaded.
async fn first_then_copy() -> (TestApp, TestApp) {
    let first = spawn_app().await;
    first.set_clock(T0).await;
    (first, spawn_app().await)
}

/// Loads the state of `first` into `second`, and checks that the state then reads the same.
async fn copy_state(first: &TestApp, second: &TestApp) {
    let state = get_state(first).await;
    load_state(second, &state).await;
    assert_eq!(
        without_saved_at(get_state(second).await),
        without_saved_at(state),
        "the loaded state is the state"
    );
}

/// The status and body text of an OpenIM call to `path` in `tenant`.
async fn openim_read(app: &TestApp, tenant: &str, path: &str, token: &str, body: &Value) -> String {
    let im = if tenant == "default" {
        Im::new(app)
    } else {
        Im::tenant(app, tenant)
    };
    let resp = im.post(path, Some(token), body).await;
    format!("{} {}", resp.status(), resp.text().await.unwrap())
}

// ---------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_state_is_one_versioned_document_with_every_part() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let state = get_state(&app).await;
    assert_eq!(state["format"], "im-emulator-state");
    assert_eq!(state["version"], 1);
    assert_eq!(state["emulator"], env!("CARGO_PKG_VERSION"));
    assert_eq!(state["saved_at"], T0);
    assert_eq!(
        state["clock"],
        json!({"pinned": true, "now_ms": T0, "offset_ms": 0})
    );
    assert!(state["ids"]["digest_key"].as_str().unwrap().len() == 64);
    assert_eq!(state["journal"]["seq"], 0);
    assert_eq!(state["journal"]["partitions"], json!([]));
    let providers = state["providers"].as_object().unwrap();
    let mut names: Vec<&str> = providers.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["anqicms", "easemob", "openim", "yunxin"]);
}

#[tokio::test]
async fn the_journal_and_the_clock_read_the_same_after_a_round_trip() {
    let first = spawn_app().await;
    first.set_clock(T0).await;
    let token = first.app_token().await;
    for text in ["one", "two"] {
        let resp = first
            .send_text(&token, "alice", &["bob", "carol"], text)
            .await;
        assert_eq!(resp.status(), StatusCode::OK);
    }
    first.advance_clock(5_000).await;
    let state = get_state(&first).await;

    let second = spawn_app().await;
    load_state(&second, &state).await;
    assert_eq!(second.journal("").await, first.journal("").await);
    assert_eq!(
        second.journal("to=carol").await,
        first.journal("to=carol").await
    );
    let clock: Value = second
        .client
        .get(format!("{}/_emulator/clock", second.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(clock, json!({"now_ms": T0 + 5_000, "frozen": true}));
    assert_eq!(second.health().await["messages"]["stored"], 4);
    assert_eq!(
        without_saved_at(get_state(&second).await)["journal"],
        without_saved_at(state)["journal"]
    );
}

// ---------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_document_of_another_version_is_refused_naming_both_versions() {
    let app = spawn_app().await;
    let mut state = get_state(&app).await;
    state["version"] = json!(2);
    state["emulator"] = json!("9.9.9");
    let (status, body) = put_state(&app, state.to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "version_mismatch");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("state version 2") && message.contains("9.9.9"),
        "{message}"
    );
    assert!(
        message.contains("reads state version 1") && message.contains(env!("CARGO_PKG_VERSION")),
        "{message}"
    );
}

#[tokio::test]
async fn a_malformed_document_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = app.app_token().await;
    app.send_text(&token, "alice", &["bob"], "kept").await;
    let before = get_state(&app).await;
    let mut bad_record = before.clone();
    bad_record["journal"]["partitions"][0]["records"][0]["chat_type"] = json!("séance");
    let mut unknown_provider = before.clone();
    unknown_provider["providers"]["icq"] = json!({});
    let mut bad_clock = before.clone();
    bad_clock["clock"]["now_ms"] = json!(-5);
    // Parts taken before the last provider refuses its own: all are put back.
    let mut late = before.clone();
    late["journal"]["partitions"] = json!([]);
    late["providers"]["openim"]["tenants"] = json!([]);
    late["providers"]["anqicms"]["tenants"][0]["users"][0]["password"] = json!("xyz");
    let cases = [
        (
            "a provider refusing its part last",
            late.to_string(),
            "anqicms",
        ),
        ("not JSON", "{\"format\":".to_owned(), "not JSON"),
        ("an array", "[]".to_owned(), "JSON object"),
        (
            "another format",
            json!({"format": "x"}).to_string(),
            "format",
        ),
        ("a bad record", bad_record.to_string(), "chat_type"),
        ("an unknown provider", unknown_provider.to_string(), "icq"),
        ("a clock out of range", bad_clock.to_string(), "clock"),
    ];
    for (case, body, words) in cases {
        let (status, answer) = put_state(&app, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{case}: {answer}");
        assert_eq!(answer["error"], "bad_request", "{case}");
        let message = answer["message"].as_str().unwrap();
        assert!(message.contains(words), "{case}: {message}");
    }
    assert_eq!(get_state(&app).await, before);
    assert_eq!(texts(&app.journal("").await), ["kept"]);
}

// ---------------------------------------------------------------------------------------------
// OpenIM
// ---------------------------------------------------------------------------------------------

/// Users, a group, single and group messages, a revocation and a second tenant; the tokens.
async fn openim_history(app: &TestApp) -> (String, String) {
    let im = Im::new(app);
    let admin = im.admin_token().await;
    im.register(&admin, &[("dave", "Dave")]).await;
    im.create_group(&admin, "g1", "alice", &["bob"]).await;
    for words in ["hello", "again"] {
        im.send_ok(&admin, &oim::text("alice", "bob", words)).await;
    }
    im.send_ok(&admin, &oim::group_text("bob", "g1", "to all"))
        .await;
    let revoked = im.revoke(&admin, "si_alice_bob", 1, "alice").await;
    assert_eq!(revoked.status(), StatusCode::OK);
    let alice = im.user_token(&admin, "alice", 1).await;
    let ci = Im::tenant(app, "ci");
    let ci_admin = ci.admin_token().await;
    ci.register(&ci_admin, &[("carol", "Carol")]).await;
    ci.send_ok(&ci_admin, &oim::text("carol", "imAdmin", "other tenant"))
        .await;
    (admin, alice)
}

#[tokio::test]
async fn openim_reads_the_same_after_a_round_trip() {
    let (first, second) = first_then_copy().await;
    let (admin, alice) = openim_history(&first).await;
    copy_state(&first, &second).await;
    let reads = [
        (
            "default",
            "/user/get_users_info",
            &admin,
            json!({"userIDs": ["alice", "dave", "imAdmin"]}),
        ),
        (
            "default",
            "/user/account_check",
            &admin,
            json!({"checkUserIDs": ["alice", "ghost"]}),
        ),
        (
            "default",
            "/group/get_groups_info",
            &admin,
            json!({"groupIDs": ["g1"]}),
        ),
        (
            "default",
            "/msg/newest_seq",
            &alice,
            json!({"userID": "alice"}),
        ),
        (
            "default",
            "/msg/pull_msg_by_seq",
            &alice,
            json!({"userID": "alice", "order": 0, "seqRanges": [
                oim::range("si_alice_bob", 1, 10, 10), oim::range("sg_g1", 1, 10, 10)]}),
        ),
        (
            "default",
            "/msg/search_msg",
            &admin,
            json!({"pagination": {"pageNumber": 1, "showNumber": 20}}),
        ),
        (
            "default",
            "/auth/parse_token",
            &admin,
            json!({"token": alice}),
        ),
    ];
    for (tenant, path, token, body) in &reads {
        assert_eq!(
            openim_read(&second, tenant, path, token, body).await,
            openim_read(&first, tenant, path, token, body).await,
            "{path} reads the same"
        );
    }
    let ci_users = json!({"userIDs": ["carol"]});
    let ci_admin = Im::tenant(&first, "ci").admin_token().await;
    assert_eq!(
        openim_read(&second, "ci", "/user/get_users_info", &ci_admin, &ci_users).await,
        openim_read(&first, "ci", "/user/get_users_info", &ci_admin, &ci_users).await,
    );
    assert_eq!(
        second.journal("provider=openim").await,
        first.journal("provider=openim").await
    );
}

#[tokio::test]
async fn openim_ids_and_seqs_continue_after_a_round_trip() {
    let (first, second) = first_then_copy().await;
    let (admin, _) = openim_history(&first).await;
    copy_state(&first, &second).await;
    let next = oim::text("bob", "alice", "after");
    let on_first = Im::new(&first).send_ok(&admin, &next).await;
    let on_second = Im::new(&second).send_ok(&admin, &next).await;
    assert_eq!(
        on_second, on_first,
        "the next message has the same ids as it would have had"
    );
    let seen: Vec<Value> = first.journal("provider=openim").await["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].clone())
        .collect();
    let new_id = &on_second["serverMsgID"];
    assert_eq!(
        seen.iter().filter(|id| *id == new_id).count(),
        1,
        "{new_id} is new"
    );
    let pulled = Im::new(&second)
        .pull_all(&admin, "bob", "si_alice_bob")
        .await;
    let seqs: Vec<i64> = pulled.iter().map(|m| m["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, [1, 2, 3], "the conversation's seqs go on");
}

// ---------------------------------------------------------------------------------------------
// Yunxin
// ---------------------------------------------------------------------------------------------

/// Accounts with tokens, bans, a block list and friends, a team with a muted member, P2P and
/// team messages, and an app made on first use. The team's ID and the fresh app's key.
async fn yunxin_history(app: &TestApp) -> (u64, String) {
    let yx = Yx::new(app);
    yx.create_account("carol").await;
    yx.configure_account("carol", json!({"p2p_chat_banned": true}))
        .await;
    yx.block("bob", "carol").await;
    yx.befriend("alice", "carol").await;
    let team = yx
        .create_team("alice", yxc::ADVANCED, &["bob", "carol"])
        .await;
    let muted = yx
        .mute(team, yxc::ADVANCED, "alice", &["carol"], true)
        .await;
    assert_eq!(muted.status(), StatusCode::OK);
    yx.send_text(&yxc::p2p("bob", "alice"), "hello").await;
    yx.send_text(&yxc::p2p("alice", "bob"), "hi").await;
    yx.send_text(&yxc::team_cid("bob", team), "to the team")
        .await;
    let fresh = Yx::fresh(app);
    fresh.create_account("dave").await;
    (team, fresh.app_key.clone())
}

/// The status and body of a signed Yunxin GET of `path` in the app `app_key`.
async fn yunxin_read(app: &TestApp, app_key: &str, path: &str) -> String {
    let resp = Yx::with_key(app, app_key, yxc::APP_SECRET).get(path).await;
    format!("{} {}", resp.status(), resp.text().await.unwrap())
}

#[tokio::test]
async fn yunxin_reads_the_same_after_a_round_trip() {
    let (first, second) = first_then_copy().await;
    let (team, fresh_key) = yunxin_history(&first).await;
    copy_state(&first, &second).await;
    let far = yxc::FAR;
    let history = |cid: String| {
        format!(
            "/conversations/{}/messages?begin_time=0&end_time={far}&limit=100",
            cid.replace('|', "%7C")
        )
    };
    let reads = [
        "/accounts?account_ids=alice,bob,carol".to_owned(),
        format!("/teams/{team}?team_type=1"),
        format!("/teams/{team}/actions/list_members?team_type=1&limit=100"),
        history(yxc::p2p("alice", "bob")),
        history(yxc::team_cid("bob", team)),
    ];
    for path in &reads {
        let read = yunxin_read(&first, yxc::APP_KEY, path).await;
        assert!(read.starts_with("200 "), "{path}: {read}");
        assert_eq!(
            yunxin_read(&second, yxc::APP_KEY, path).await,
            read,
            "{path} reads the same"
        );
    }
    let dave = "/accounts?account_ids=dave";
    assert_eq!(
        yunxin_read(&second, &fresh_key, dave).await,
        yunxin_read(&first, &fresh_key, dave).await
    );
    assert_eq!(
        second.journal("provider=yunxin").await,
        first.journal("provider=yunxin").await
    );
    // A banned account is still banned.
    let banned = Yx::new(&second)
        .send(&yxc::p2p("carol", "alice"), &yxc::text_body("no"))
        .await;
    let banned = format!("{} {}", banned.status(), banned.text().await.unwrap());
    let refused = Yx::new(&first)
        .send(&yxc::p2p("carol", "alice"), &yxc::text_body("no"))
        .await;
    assert_eq!(
        banned,
        format!("{} {}", refused.status(), refused.text().await.unwrap())
    );
}

#[tokio::test]
async fn yunxin_message_and_team_ids_continue_after_a_round_trip() {
    let (first, second) = first_then_copy().await;
    let (team, _) = yunxin_history(&first).await;
    let before: Vec<Value> = first.journal("provider=yunxin").await["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].clone())
        .collect();
    copy_state(&first, &second).await;
    let cid = yxc::p2p("alice", "bob");
    let next_first = Yx::new(&first).send_id(&cid, "after").await;
    let next_second = Yx::new(&second).send_id(&cid, "after").await;
    assert_eq!(
        next_second, next_first,
        "the next server ID is the one it would have been"
    );
    assert!(
        !before.contains(&json!(next_second)),
        "{next_second} is new"
    );
    let team_first = Yx::new(&first).create_team("bob", yxc::ADVANCED, &[]).await;
    let team_second = Yx::new(&second)
        .create_team("bob", yxc::ADVANCED, &[])
        .await;
    assert_eq!(team_second, team_first);
    assert_eq!(team_second, team + 1, "team IDs go on");
}

// ---------------------------------------------------------------------------------------------
// AnqiCMS
// ---------------------------------------------------------------------------------------------

/// A registered user, orders with user and merchant messages, a quote accepted, and another
/// site. The new user's token and the orders' IDs.
async fn anqicms_history(app: &TestApp) -> (String, u64, u64) {
    let site = Site::new(app);
    site.register_ok("erin", "erin1234", "erin@example.com")
        .await;
    let erin = site.token("erin", "erin1234").await;
    let first = site.create_order(&erin, "A website").await;
    site.say(&erin, first, "hello").await;
    aq::merchant_says(app, first, "admin", "text", "welcome").await;
    aq::merchant_quotes(app, first, json!(1200)).await;
    let second = site.create_order(&erin, "A logo").await;
    site.say(&erin, second, "a small one").await;
    let other = Site::tenant(app, "shop-2");
    other
        .register_ok("erin", "other-pass", "erin@example.com")
        .await;
    (erin, first, second)
}

/// The status and body of an AnqiCMS GET of `path` with `token` on `site` of `app`.
async fn anqicms_read(app: &TestApp, tenant: Option<&str>, path: &str, token: &str) -> String {
    let site = match tenant {
        Some(name) => Site::tenant(app, name),
        None => Site::new(app),
    };
    let reply = site.get(path, Some(token)).await;
    format!("{} {}", reply.status, reply.text())
}

#[tokio::test]
async fn anqicms_reads_the_same_after_a_round_trip() {
    let (first, second) = first_then_copy().await;
    let (erin, order, other) = anqicms_history(&first).await;
    copy_state(&first, &second).await;
    let reads = [
        "/communication/orders?current=1&page_size=20".to_owned(),
        format!("/communication/order/detail?id={order}"),
        format!("/communication/order/detail?id={other}"),
        format!("/communication/messages?comm_order_id={order}&page_size=-1"),
        format!("/communication/messages?comm_order_id={other}&page_size=-1"),
    ];
    for path in &reads {
        let read = anqicms_read(&first, None, path, &erin).await;
        assert!(read.contains("\"code\":0"), "{path}: {read}");
        assert_eq!(
            anqicms_read(&second, None, path, &erin).await,
            read,
            "{path} reads the same"
        );
    }
    // Passwords still check, on each site.
    let login = json!({"user_name": "erin", "password": "erin1234"});
    let (on_first, on_second) = (
        Site::new(&first).login(&login).await,
        Site::new(&second).login(&login).await,
    );
    assert_eq!(on_second.text(), on_first.text());
    let other_login = json!({"user_name": "erin", "password": "other-pass"});
    let on_second = Site::tenant(&second, "shop-2").login(&other_login).await;
    assert!(
        on_second.text().contains("\"code\":0"),
        "{}",
        on_second.text()
    );
    assert_eq!(
        second.journal("provider=anqicms").await,
        first.journal("provider=anqicms").await
    );
}

#[tokio::test]
async fn anqicms_ids_continue_after_a_round_trip() {
    let (first, second) = first_then_copy().await;
    let (erin, order, other) = anqicms_history(&first).await;
    copy_state(&first, &second).await;
    let next_first = Site::new(&first).create_order(&erin, "A third").await;
    let next_second = Site::new(&second).create_order(&erin, "A third").await;
    assert_eq!((next_first, next_second), (other + 1, other + 1));
    Site::new(&second).say(&erin, order, "after").await;
    Site::new(&first).say(&erin, order, "after").await;
    let path = format!("/communication/messages?comm_order_id={order}&page_size=-1");
    assert_eq!(
        anqicms_read(&second, None, &path, &erin).await,
        anqicms_read(&first, None, &path, &erin).await,
        "the next message has the next ID"
    );
    let user = Site::new(&second)
        .register_ok("fay", "fay12345", "fay@example.com")
        .await;
    let same = Site::new(&first)
        .register_ok("fay", "fay12345", "fay@example.com")
        .await;
    assert_eq!(user["id"], same["id"], "user IDs go on");
}

// ---------------------------------------------------------------------------------------------
// --state-file across a restart
// ---------------------------------------------------------------------------------------------

/// What [`history`] made that later reads need.
struct Made {
    openim_admin: String,
    openim_alice: String,
    team: u64,
    fresh_app_key: String,
    erin: String,
    orders: (u64, u64),
}

/// A history in every provider.
async fn history(app: &TestApp) -> Made {
    let token = app.app_token().await;
    let sent = app.send_text(&token, "alice", &["bob"], "easemob").await;
    assert_eq!(sent.status(), StatusCode::OK);
    let (openim_admin, openim_alice) = openim_history(app).await;
    let (team, fresh_app_key) = yunxin_history(app).await;
    let (erin, first, second) = anqicms_history(app).await;
    Made {
        openim_admin,
        openim_alice,
        team,
        fresh_app_key,
        erin,
        orders: (first, second),
    }
}

/// The answers of reads in every provider, the journal and the clock.
async fn reads(app: &TestApp, made: &Made) -> Vec<String> {
    let mut out = vec![
        app.journal("").await.to_string(),
        get_state(app).await["clock"].to_string(),
    ];
    let pull = json!({"userID": "alice", "order": 0, "seqRanges": [
        oim::range("si_alice_bob", 1, 10, 10), oim::range("sg_g1", 1, 10, 10)]});
    let users = json!({"userIDs": ["alice", "dave"]});
    out.push(
        openim_read(
            app,
            "default",
            "/user/get_users_info",
            &made.openim_admin,
            &users,
        )
        .await,
    );
    out.push(
        openim_read(
            app,
            "default",
            "/msg/pull_msg_by_seq",
            &made.openim_alice,
            &pull,
        )
        .await,
    );
    for path in [
        "/accounts?account_ids=alice,bob,carol".to_owned(),
        format!(
            "/teams/{}/actions/list_members?team_type=1&limit=100",
            made.team
        ),
        format!(
            "/conversations/{}/messages?begin_time=0&end_time={}&limit=100",
            yxc::p2p("alice", "bob").replace('|', "%7C"),
            yxc::FAR
        ),
    ] {
        out.push(yunxin_read(app, yxc::APP_KEY, &path).await);
    }
    out.push(yunxin_read(app, &made.fresh_app_key, "/accounts?account_ids=dave").await);
    for order in [made.orders.0, made.orders.1] {
        let path = format!("/communication/messages?comm_order_id={order}&page_size=-1");
        out.push(anqicms_read(app, None, &path, &made.erin).await);
    }
    out.push(
        anqicms_read(
            app,
            None,
            "/communication/orders?current=1&page_size=20",
            &made.erin,
        )
        .await,
    );
    out
}

/// A fresh folder for a state file.
fn state_dir() -> std::path::PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("im-emulator-state-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The names of the files in `dir`, sorted.
fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort_unstable();
    names
}

/// Starts the binary with `args`; a client for it.
fn serve_binary(args: &[&str]) -> (process::Server, TestApp) {
    let mut all = vec![];
    all.extend_from_slice(args);
    let server = process::serve(&all);
    let app = TestApp {
        url: server.url.clone(),
        client: reqwest::Client::new(),
    };
    (server, app)
}

/// Stops `server` with SIGTERM and waits (bounded) for its clean exit.
fn terminate(mut server: process::Server) {
    let status = std::process::Command::new("kill")
        .args(["-TERM", &server.guard.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = server.guard.wait_exit(process::PATIENCE).expect("it stops");
    assert!(
        exit.success(),
        "a clean exit: {exit:?}; log: {:?}",
        server.log()
    );
}

#[tokio::test]
async fn a_restarted_server_with_the_same_state_file_loses_nothing() {
    let dir = state_dir();
    let file = dir.join("state.json");
    let file_arg = file.to_str().unwrap();
    let args = ["--state-file", file_arg, "--state-interval", "0", "--seed"];
    let (server, app) = serve_binary(&[&args[..], &["42"]].concat());
    app.set_clock(T0).await;
    let made = history(&app).await;
    let before = reads(&app, &made).await;
    terminate(server);
    assert_eq!(
        files_in(&dir),
        ["state.json"],
        "the file alone, no temporary file"
    );

    // Another seed: what was signed or digested before must still check.
    let (server, app) = serve_binary(&[&args[..], &["7"]].concat());
    assert_eq!(reads(&app, &made).await, before);
    let login = json!({"user_name": "erin", "password": "erin1234"});
    assert!(Site::new(&app)
        .login(&login)
        .await
        .text()
        .contains("\"code\":0"));
    // New ids go on from the restored ones.
    let next = Site::new(&app).create_order(&made.erin, "after").await;
    assert_eq!(next, made.orders.1 + 1);
    let team = Yx::new(&app).create_team("bob", yxc::ADVANCED, &[]).await;
    assert_eq!(team, made.team + 1);
    terminate(server);
    let saved: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(saved["format"], "im-emulator-state");
    assert_eq!(
        saved["providers"]["anqicms"]["tenants"][0]["orders"]
            .as_array()
            .unwrap()
            .len(),
        3,
        "the second run's order was written at its shutdown too"
    );
}

#[test]
fn a_state_file_of_another_version_stops_the_start_naming_the_file_and_both_versions() {
    let dir = state_dir();
    let file = dir.join("old.json");
    let document = json!({"format": "im-emulator-state", "version": 7, "emulator": "0.0.9"});
    std::fs::write(&file, document.to_string()).unwrap();
    let path = file.to_str().unwrap();
    let (status, _, stderr) = process::run(process::command(&[
        "--bind",
        "127.0.0.1:0",
        "--state-file",
        path,
    ]));
    assert!(!status.success(), "the start is refused");
    for words in [
        path,
        "state version 7",
        "0.0.9",
        "reads state version 1",
        env!("CARGO_PKG_VERSION"),
    ] {
        assert!(stderr.contains(words), "{words:?} in {stderr}");
    }
    assert_eq!(
        std::fs::read(&file).unwrap(),
        document.to_string().into_bytes(),
        "the file is kept"
    );
}

#[test]
fn a_malformed_state_file_stops_the_start_naming_the_file() {
    let dir = state_dir();
    let file = dir.join("broken.json");
    std::fs::write(&file, "{\"format\": \"im-emulator-state\", ").unwrap();
    let path = file.to_str().unwrap();
    let (status, _, stderr) = process::run(process::command(&[
        "--bind",
        "127.0.0.1:0",
        "--state-file",
        path,
    ]));
    assert!(!status.success(), "the start is refused");
    assert!(
        stderr.contains(path) && stderr.contains("not JSON"),
        "{stderr}"
    );
}

#[test]
fn a_state_file_in_a_folder_that_does_not_exist_stops_the_start() {
    let file = state_dir().join("missing").join("state.json");
    let path = file.to_str().unwrap();
    let (status, _, stderr) = process::run(process::command(&[
        "--bind",
        "127.0.0.1:0",
        "--state-file",
        path,
    ]));
    assert!(!status.success(), "the start is refused");
    assert!(
        stderr.contains(path) && stderr.contains("does not exist"),
        "{stderr}"
    );
}

#[tokio::test]
async fn the_state_file_is_written_every_interval_while_serving() {
    let dir = state_dir();
    let file = dir.join("state.json");
    let mut cmd = process::command(&["--bind", "127.0.0.1:0", "--seed", "42"]);
    cmd.env("IM_EMULATOR_STATE_FILE", &file)
        .env("IM_EMULATOR_STATE_INTERVAL", "0.1");
    let server = process::start(cmd);
    let app = TestApp {
        url: server.url.clone(),
        client: reqwest::Client::new(),
    };
    let token = app.app_token().await;
    app.send_text(&token, "alice", &["bob"], "saved while running")
        .await;
    // Wait (bounded) for a write that holds the message, while the server keeps running.
    let deadline = std::time::Instant::now() + process::PATIENCE;
    let saved = loop {
        let read = std::fs::read(&file).ok();
        let doc: Option<Value> = read.and_then(|b| serde_json::from_slice(&b).ok());
        if let Some(doc) = doc.filter(|d| d["journal"]["seq"] == 1) {
            break doc;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no write within {:?}",
            process::PATIENCE
        );
        tokio::time::sleep(process::POLL).await;
    };
    let record = &saved["journal"]["partitions"][0]["records"][0];
    assert_eq!(record["content"], "{\"msg\":\"saved while running\"}");
    assert_eq!(files_in(&dir), ["state.json"], "no temporary file is left");
    terminate(server);
}

#[tokio::test]
async fn the_journal_keeps_its_eviction_count_and_numbering_across_a_round_trip() {
    let bounded = || im_emulator::config::Config {
        max_messages: 3,
        ..Default::default()
    };
    let first = spawn_with(bounded()).await;
    first.set_clock(T0).await;
    let admin = Im::new(&first).admin_token().await;
    for words in ["1", "2", "3", "4", "5", "6"] {
        Im::new(&first)
            .send_ok(&admin, &oim::text("alice", "bob", words))
            .await;
    }
    let counts = first.health().await["messages"].clone();
    assert!(counts["evicted"].as_u64().unwrap() >= 3, "{counts}");
    let second = spawn_with(bounded()).await;
    copy_state(&first, &second).await;
    assert_eq!(second.health().await["messages"], counts);
    assert_eq!(second.journal("").await, first.journal("").await);
    // Both number the next record alike, and evict alike.
    for app in [&first, &second] {
        Im::new(app)
            .send_ok(&admin, &oim::text("alice", "bob", "7"))
            .await;
    }
    assert_eq!(
        second.health().await["messages"],
        first.health().await["messages"]
    );
    assert_eq!(second.journal("").await, first.journal("").await);
    assert_eq!(
        get_state(&second).await["journal"],
        get_state(&first).await["journal"]
    );
}

#[tokio::test]
async fn tenants_created_at_run_time_stay_created_after_a_round_trip() {
    let (first, second) = first_then_copy().await;
    let tenant = json!({"provider": "openim", "name": "suite-1", "secret": "suite-secret"});
    let resp = first
        .client
        .post(format!("{}/_emulator/tenants", first.url))
        .json(&tenant)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let state = get_state(&first).await;
    assert_eq!(
        state["created"]["openim"][0]["name"], "suite-1",
        "{}",
        state["created"]
    );
    copy_state(&first, &second).await;
    let listed: Value = second
        .client
        .get(format!("{}/_emulator/tenants?provider=openim", second.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let suite = listed["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "suite-1")
        .expect("the created tenant is listed")
        .clone();
    assert_eq!(suite["origin"], "admin");
    let reset = second
        .client
        .post(format!(
            "{}/_emulator/reset?provider=openim&tenant=suite-1",
            second.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), StatusCode::OK);
    let im = Im::tenant(&second, "suite-1");
    let body = json!({"secret": "suite-secret", "userID": oim::ADMIN});
    let token = oim::ok_data(im.post("/auth/get_admin_token", None, &body).await).await;
    assert!(
        token["token"].is_string(),
        "a reset brings it back as created"
    );
}
