//! Black-box tests of Yunxin's send (contract §4): `POST /conversations/{cid}/messages` with
//! every sendable type in P2P, advanced and super team conversations; the echo of §4.4 (IDs,
//! generated client IDs, `receiver_id` a string, `sub_type` only when given, the attachment as
//! the same object, the seed's full example); each check of §4.5 in order (shape 414,
//! no-sense 107330, sender 102404/102422/102421, receiver 102404/102426, team
//! 108404/108302/109404/108423/108306/109424/108318, duplicate client IDs 107306);
//! `history_enabled: false`; the journal; and the batch send `POST /conversations/messages`.
mod common;
use common::yunxin::*;
use common::*;

use serde_json::{json, Value};

/// One valid `message` of each sendable type, with what it is.
fn sendable_messages() -> Vec<(i64, Value)> {
    vec![
        (0, json!({"message_type": 0, "text": "hello"})),
        (
            1,
            json!({"message_type": 1, "attachment": {"name": "p.png", "md5": "9f0e", "url": "http://f/p.png", "ext": "png", "w": 640, "h": 480, "size": 2048}}),
        ),
        (
            2,
            json!({"message_type": 2, "attachment": {"md5": "a1", "url": "http://f/a.aac", "ext": "aac", "size": 100, "dur": 3000}}),
        ),
        (
            3,
            json!({"message_type": 3, "attachment": {"md5": "v1", "url": "http://f/v.mp4", "ext": "mp4", "size": 10, "dur": 5000, "w": 64, "h": 48}}),
        ),
        (
            4,
            json!({"message_type": 4, "attachment": {"title": "West Lake", "lng": 120.1551, "lat": 30.2741}}),
        ),
        (
            6,
            json!({"message_type": 6, "attachment": {"name": "a.pdf", "md5": "f1", "url": "http://f/a.pdf", "ext": "pdf", "size": 1000}}),
        ),
        (10, json!({"message_type": 10, "text": "a tip"})),
        (
            100,
            json!({"message_type": 100, "sub_type": 7, "attachment": {"customKey1": "v", "customKey2": 12345, "nested": {"a": [1, null, true]}}}),
        ),
    ]
}

/// Asserts the echo of `message` sent by `sender` in a conversation of `kind` to `receiver`.
fn assert_echo(data: &Value, message: &Value, sender: &str, kind: i64, receiver: &str) {
    let case = message["message_type"].clone();
    assert_eq!(data["sender_id"], sender, "type {case}: {data}");
    assert_eq!(data["conversation_type"], kind, "type {case}: {data}");
    assert_eq!(
        data["receiver_id"], receiver,
        "type {case}: receiver_id a string: {data}"
    );
    assert_eq!(data["message_type"], message["message_type"], "type {case}");
    assert_eq!(data["create_time"], T0, "type {case}");
    let id = data["message_server_id"].as_u64().expect("an integer ID");
    assert!(id > 0 && id <= MAX_SAFE, "type {case}: {id} below 2^53");
    assert!(data["message_client_id"]
        .as_str()
        .is_some_and(|c| !c.is_empty()));
    for field in ["text", "attachment", "sub_type"] {
        assert_eq!(data.get(field), message.get(field), "type {case}: {field}");
    }
}

#[tokio::test]
async fn every_sendable_type_is_sent_p2p() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    for (_, message) in sendable_messages() {
        let data = ok(yx
            .send(&p2p("alice", "bob"), &message_body(message.clone()))
            .await)
        .await;
        assert_echo(&data, &message, "alice", 1, "bob");
    }
}

#[tokio::test]
async fn every_sendable_type_is_sent_to_advanced_and_super_teams() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let advanced = yx.create_team("alice", ADVANCED, &["bob"]).await;
    let super_team = yx.create_team("alice", SUPER, &["bob"]).await;
    for (_, message) in sendable_messages() {
        let body = message_body(message.clone());
        let data = ok(yx.send(&team_cid("bob", advanced), &body).await).await;
        assert_echo(&data, &message, "bob", 2, &advanced.to_string());
        let data = ok(yx.send(&super_cid("bob", super_team), &body).await).await;
        assert_echo(&data, &message, "bob", 3, &super_team.to_string());
    }
}

#[tokio::test]
async fn the_echo_has_exactly_the_send_response_fields() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let data = yx.send_text(&p2p("alice", "bob"), "hello").await;
    let expected = [
        "message_server_id",
        "message_client_id",
        "sender_id",
        "conversation_type",
        "receiver_id",
        "create_time",
        "message_type",
        "text",
    ];
    assert_eq!(keys(&data), sorted(&expected), "no sub_type when not given");
}

#[tokio::test]
async fn message_server_ids_are_integers_below_2_53_and_increasing() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let team = yx.create_team("alice", ADVANCED, &["bob"]).await;
    let mut last = 0;
    for i in 0..6 {
        let cid = if i % 2 == 0 {
            p2p("alice", "bob")
        } else {
            team_cid("bob", team)
        };
        let answer = read(yx.send(&cid, &text_body("n")).await).await;
        let id = ok_answer("send", &answer)["message_server_id"]
            .as_u64()
            .unwrap();
        assert!(
            answer
                .text
                .contains(&format!("\"message_server_id\":{id},")),
            "{}",
            answer.text
        );
        assert!(id > last && id <= MAX_SAFE, "{id} after {last}");
        last = id;
    }
    app.advance_clock(1).await;
    assert!(yx.send_id(&p2p("bob", "alice"), "later").await > last);
}

#[tokio::test]
async fn a_missing_client_id_is_generated_as_a_uuid_and_a_given_one_echoed() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let first = yx.send_text(&p2p("alice", "bob"), "a").await["message_client_id"].clone();
    let second = yx.send_text(&p2p("alice", "bob"), "b").await["message_client_id"].clone();
    for id in [&first, &second] {
        let text = id.as_str().expect("a string");
        let groups: Vec<usize> = text.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "a hyphenated UUID: {text}");
        assert!(
            text.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit()),
            "{text}"
        );
    }
    assert_ne!(first, second);
    let body =
        message_body(json!({"message_type": 0, "text": "c", "message_client_id": "my-id-1"}));
    let data = ok(yx.send(&p2p("alice", "bob"), &body).await).await;
    assert_eq!(data["message_client_id"], "my-id-1");
}

#[tokio::test]
async fn the_attachment_is_echoed_as_the_same_object() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let raw = r#"{"message":{"message_type":1,"text":"desc","attachment":{"url":"http://f/p.png","width":83,"height":56,"lat":30.2741,"name":"器年众际根开以"}}}"#;
    let path = messages_path(&p2p("alice", "bob"));
    let answer = read(yx.post_bytes(&path, raw.as_bytes().to_vec()).await).await;
    let data = ok_answer("attachment", &answer);
    let sent: Value = serde_json::from_str(raw).unwrap();
    assert_eq!(data["attachment"], sent["message"]["attachment"]);
    assert!(data["attachment"].is_object(), "not stringified: {data}");
    assert_eq!(data["text"], "desc");
}

#[tokio::test]
async fn thread_config_and_sub_type_are_echoed_when_given() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let root = json!({"sender_id": "bob", "receiver_id": "alice", "create_time": T0,
        "message_server_id": 1, "message_client_id": "c"});
    let body = json!({"message": {"message_type": 0, "text": "re", "sub_type": 3},
        "thread_config": {"thread_root": root, "thread_reply": root}});
    let data = ok(yx.send(&p2p("alice", "bob"), &body).await).await;
    assert_eq!(data["thread_config"], body["thread_config"]);
    assert_eq!(data["sub_type"], 3);
}

#[tokio::test]
async fn the_seeds_full_example_body_is_accepted_with_its_nulls() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("apifoxtest1").await;
    yx.create_account("accid4").await;
    yx.befriend("apifoxtest1", "accid4").await;
    let seed = seed_body();
    let cid = "apifoxtest1|1|accid4";
    let data = ok(yx.send(cid, &seed).await).await;
    assert_eq!(data["text"], "Lorem laboris cillum ut exercitation");
    assert_eq!(data["attachment"], seed["message"]["attachment"]);
    assert_eq!(data["sender_id"], "apifoxtest1");
    assert_eq!(data["receiver_id"], "accid4");
    assert_eq!(data["conversation_type"], 1);
    assert_eq!(data["message_type"], 0);
    assert_eq!(data["sub_type"], 26357002);
    assert_eq!(data["create_time"], T0);
    let history = yx.history_items(cid, "").await;
    assert!(
        history.is_empty(),
        "history_enabled false keeps it out: {history:?}"
    );
}

/// The request example of seed 002 (`发送消息`), nulls included.
fn seed_body() -> Value {
    json!({
        "sender_no_sense": false, "receiver_no_sense": false,
        "extension": "dolore dolor sint qui voluptate",
        "message": {"message_type": 0, "sub_type": 26357002, "text": "Lorem laboris cillum ut exercitation",
            "attachment": {"name": "器年众际根开以", "md5": "esse Excepteur do", "url": "http://zpcuedkr.nc/yjy",
                "ext": "Excepteur consequat", "width": 83, "height": 56, "size": 18}},
        "message_config": {"unread_enabled": false, "mutil_sync_enabled": true, "offline_enabled": true,
            "history_enabled": false, "roaming_enabled": true, "conversation_update_enabled": true},
        "route_config": {"route_enabled": true, "route_environment": "Lorem anim quis"},
        "push_config": {"push_enabled": true, "push_nick_enabled": false, "push_content": "id do in velit",
            "push_payload": null, "push_forcepush_all": true, "push_forcepush_ids": ["22"],
            "push_forcepush_content": "nostrud veniam dolore esse"},
        "antispam_config": {"antispam_enabled": false, "antispam_business_id": "44", "antispam_extension": null,
            "antispam_custom_message_enabled": true, "antispam_custom_message": "laborum non irure et",
            "antispam_cheating": "{\"email\":\"123@126.com\"}"},
        "p2p_option": {"check_friend": true},
        "team_option": {"mark_as_read": true, "ignore_chat_banned": false},
        "superteam_option": {"ignore_chat_banned": false},
        "robot_config": {"robot_account_id": null, "robot_topic": "http://dummyimage.com/400x400",
            "robot_function": "ex nisi pariatur qui do", "robot_custom_content": "quis Lorem"}
    })
}

#[tokio::test]
async fn history_disabled_messages_stay_out_of_history_but_reach_the_journal() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    let mut body = text_body("secret");
    merge(
        &mut body,
        json!({"message_config": {"history_enabled": false}}),
    );
    let id = ok(yx.send(&cid, &body).await).await["message_server_id"]
        .as_u64()
        .unwrap();
    yx.send_text(&cid, "kept").await;
    let texts: Vec<Value> = yx
        .history_items(&cid, "")
        .await
        .iter()
        .map(|m| m["text"].clone())
        .collect();
    assert_eq!(texts, [json!("kept")]);
    assert_error("get one", yx.get_message(&cid, id).await, 107_404).await;
    let journal = app.journal("provider=yunxin&tenant=demo-appkey").await;
    assert_eq!(journal["total"], 2, "{journal}");
}

#[tokio::test]
async fn a_p2p_send_is_journalled_with_the_conversation_and_numeric_type() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let mut body = text_body("hello");
    merge(&mut body, json!({"extension": "{\"k\":1}"}));
    let data = ok(yx.send(&p2p("alice", "bob"), &body).await).await;
    let journal = app.journal("provider=yunxin").await;
    let record = &journal["messages"][0];
    assert_eq!(journal["total"], 1);
    assert_eq!(record["provider"], "yunxin");
    assert_eq!(record["tenant"], APP_KEY);
    assert_eq!(record["id"], data["message_server_id"]);
    assert_eq!(record["conversation"], "alice|1|bob");
    assert_eq!(record["chat_type"], "single");
    assert_eq!(
        (record["from"].clone(), record["to"].clone()),
        (json!("alice"), json!("bob"))
    );
    assert_eq!(record["type"], 0);
    assert_eq!(record["content"], body["message"]);
    assert_eq!(record["ext"], "{\"k\":1}");
    assert_eq!(record["received_at_ms"], T0);
    assert_eq!(record["recalled"], false);
}

#[tokio::test]
async fn a_team_send_is_journalled_as_a_group_message_of_its_tenant() {
    let app = pinned().await;
    let yx = Yx::fresh(&app);
    let team = yx.create_team("alice", ADVANCED, &["bob"]).await;
    let (_, custom) = sendable_messages().pop().unwrap();
    ok(yx
        .send(&team_cid("bob", team), &message_body(custom.clone()))
        .await)
    .await;
    let journal = app
        .journal(&format!("provider=yunxin&tenant={}", yx.app_key))
        .await;
    let record = &journal["messages"][0];
    assert_eq!(journal["total"], 1);
    assert_eq!(record["conversation"], format!("bob|2|{team}"));
    assert_eq!(record["chat_type"], "group");
    assert_eq!(record["to"], team.to_string());
    assert_eq!(record["type"], 100);
    assert_eq!(record["content"], custom);
    let demo = app.journal("provider=yunxin&tenant=demo-appkey").await;
    assert_eq!(demo["total"], 0);
}

// ------------------------------------------------------------------------------------------
// §4.5 step 2–4: shape

#[tokio::test]
async fn a_malformed_conversation_id_is_a_parameter_error() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let team = yx.create_team("alice", ADVANCED, &[]).await;
    let cids = [
        "alice|1".to_owned(),
        "alice|1|bob|x".to_owned(),
        "alice".to_owned(),
        "alice|4|bob".to_owned(),
        "alice|0|bob".to_owned(),
        "alice|x|bob".to_owned(),
        "|1|bob".to_owned(),
        "alice|1|".to_owned(),
        "alice|2|abc".to_owned(),
        "alice|2|-5".to_owned(),
        format!("alice|2|{team}x"),
        "alice|3|12345678901234567890".to_owned(),
    ];
    for cid in cids {
        assert_error(&cid, yx.send(&cid, &text_body("hi")).await, 414).await;
    }
}

#[tokio::test]
async fn unsendable_or_missing_message_types_are_parameter_errors() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    let attachment = json!({"k": 1});
    for t in [
        json!(5),
        json!(11),
        json!(12),
        json!(999),
        json!(-1),
        json!("0"),
        json!(null),
    ] {
        let body = message_body(json!({"message_type": t, "text": "x", "attachment": attachment}));
        assert_error(&format!("type {t}"), yx.send(&cid, &body).await, 414).await;
    }
    for body in [
        json!({}),
        json!({"message": "hi"}),
        json!({"message": {"text": "x"}}),
        json!({"message": null}),
    ] {
        assert_error(&body.to_string(), yx.send(&cid, &body).await, 414).await;
    }
}

#[tokio::test]
async fn text_and_tip_need_1_to_5000_characters_of_text() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    for t in [0, 10] {
        let refused = [
            json!({"message_type": t}),
            json!({"message_type": t, "text": ""}),
            json!({"message_type": t, "text": "x".repeat(5001)}),
            json!({"message_type": t, "text": 5}),
        ];
        for message in refused {
            assert_error(
                &format!("type {t}"),
                yx.send(&cid, &message_body(message)).await,
                414,
            )
            .await;
        }
        let longest = "字".repeat(5000);
        let body = message_body(json!({"message_type": t, "text": longest}));
        assert_eq!(ok(yx.send(&cid, &body).await).await["text"], longest);
    }
}

#[tokio::test]
async fn media_and_custom_need_an_attachment_object() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    let wrong = [
        json!(null),
        json!("{\"url\":\"http://f\"}"),
        json!([1]),
        json!(5),
        json!(true),
    ];
    for t in [1, 2, 3, 4, 6, 100] {
        let missing = message_body(json!({"message_type": t, "text": "desc"}));
        assert_error(
            &format!("type {t} without"),
            yx.send(&cid, &missing).await,
            414,
        )
        .await;
        for attachment in &wrong {
            let body = message_body(json!({"message_type": t, "attachment": attachment}));
            let case = format!("type {t} with {attachment}");
            assert_error(&case, yx.send(&cid, &body).await, 414).await;
        }
        let empty = message_body(json!({"message_type": t, "attachment": {}}));
        assert_eq!(
            ok(yx.send(&cid, &empty).await).await["attachment"],
            json!({})
        );
    }
}

#[tokio::test]
async fn a_media_description_is_at_most_500_characters() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    let body = |n: usize| {
        message_body(json!({"message_type": 1, "text": "d".repeat(n), "attachment": {"url": "u"}}))
    };
    assert_error("501", yx.send(&cid, &body(501)).await, 414).await;
    assert_eq!(
        ok(yx.send(&cid, &body(500)).await).await["text"],
        "d".repeat(500)
    );
}

#[tokio::test]
async fn sub_type_must_be_positive_and_extension_at_most_1024() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    for sub_type in [0, -1] {
        let body = message_body(json!({"message_type": 0, "text": "x", "sub_type": sub_type}));
        assert_error(
            &format!("sub_type {sub_type}"),
            yx.send(&cid, &body).await,
            414,
        )
        .await;
    }
    let mut long = text_body("x");
    merge(&mut long, json!({"extension": "e".repeat(1025)}));
    assert_error("extension 1025", yx.send(&cid, &long).await, 414).await;
    let mut fits = text_body("x");
    merge(&mut fits, json!({"extension": "e".repeat(1024)}));
    ok(yx.send(&cid, &fits).await).await;
}

#[tokio::test]
async fn both_no_sense_flags_are_refused_before_the_accounts_are_looked_at() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let mut body = text_body("x");
    merge(
        &mut body,
        json!({"sender_no_sense": true, "receiver_no_sense": true}),
    );
    assert_error("known", yx.send(&p2p("alice", "bob"), &body).await, 107_330).await;
    assert_error(
        "unknown sender",
        yx.send(&p2p("ghost", "bob"), &body).await,
        107_330,
    )
    .await;
    for (s, r) in [(true, false), (false, true)] {
        let mut one = text_body("x");
        merge(
            &mut one,
            json!({"sender_no_sense": s, "receiver_no_sense": r}),
        );
        ok(yx.send(&p2p("alice", "bob"), &one).await).await;
    }
}

// ------------------------------------------------------------------------------------------
// §4.5 steps 5–6: accounts

#[tokio::test]
async fn the_sender_must_exist_and_be_enabled() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    assert_error(
        "unknown sender",
        yx.send(&p2p("ghost", "bob"), &text_body("x")).await,
        102_404,
    )
    .await;
    let team = yx.create_team("alice", ADVANCED, &["bob"]).await;
    yx.configure_account("bob", json!({"enabled": false})).await;
    assert_error(
        "disabled p2p",
        yx.send(&p2p("bob", "alice"), &text_body("x")).await,
        102_422,
    )
    .await;
    let to_team = yx.send(&team_cid("bob", team), &text_body("x")).await;
    assert_error("disabled team", to_team, 102_422).await;
}

#[tokio::test]
async fn a_p2p_ban_refuses_p2p_sends_only_and_a_team_ban_team_sends_only() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let team = yx.create_team("alice", ADVANCED, &["bob"]).await;
    yx.configure_account("bob", json!({"p2p_chat_banned": true}))
        .await;
    assert_error(
        "p2p banned",
        yx.send(&p2p("bob", "alice"), &text_body("x")).await,
        102_421,
    )
    .await;
    yx.send_text(&team_cid("bob", team), "team ok").await;
    yx.configure_account(
        "bob",
        json!({"p2p_chat_banned": false, "team_chat_banned": true}),
    )
    .await;
    let to_team = yx.send(&team_cid("bob", team), &text_body("x")).await;
    assert_error("team banned", to_team, 102_421).await;
    yx.send_text(&p2p("bob", "alice"), "p2p ok").await;
}

#[tokio::test]
async fn the_receiver_must_exist_and_not_block_the_sender() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    assert_error(
        "unknown receiver",
        yx.send(&p2p("alice", "ghost"), &text_body("x")).await,
        102_404,
    )
    .await;
    yx.block("bob", "alice").await;
    assert_error(
        "blocked",
        yx.send(&p2p("alice", "bob"), &text_body("x")).await,
        102_426,
    )
    .await;
}

#[tokio::test]
async fn account_ids_in_the_conversation_are_case_insensitive() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let data = yx.send_text("ALICE|1|Bob", "hi").await;
    assert_eq!(
        (data["sender_id"].clone(), data["receiver_id"].clone()),
        (json!("alice"), json!("bob"))
    );
}

// ------------------------------------------------------------------------------------------
// §4.5 step 7: teams

#[tokio::test]
async fn the_team_must_exist_with_the_conversations_type() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let advanced = yx.create_team("alice", ADVANCED, &[]).await;
    let super_team = yx.create_team("alice", SUPER, &[]).await;
    let cases = [
        (team_cid("alice", 999_999), 108_404),
        (super_cid("alice", 999_999), 108_404),
        (team_cid("alice", super_team), 108_302),
        (super_cid("alice", advanced), 414),
    ];
    for (cid, code) in cases {
        assert_error(&cid, yx.send(&cid, &text_body("x")).await, code).await;
    }
}

#[tokio::test]
async fn a_non_member_is_refused_unless_membership_is_not_checked() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let advanced = yx.create_team("alice", ADVANCED, &[]).await;
    let super_team = yx.create_team("alice", SUPER, &[]).await;
    for (cid, option) in [
        (team_cid("bob", advanced), "team_option"),
        (super_cid("bob", super_team), "superteam_option"),
    ] {
        assert_error(&cid, yx.send(&cid, &text_body("x")).await, 109_404).await;
        let mut body = text_body("x");
        merge(
            &mut body,
            json!({ option: {"check_team_member_valid": false} }),
        );
        assert_eq!(ok(yx.send(&cid, &body).await).await["sender_id"], "bob");
    }
}

/// A text body with `option` set to `flags`.
fn with_option(option: &str, flags: Value) -> Value {
    let mut body = text_body("x");
    merge(&mut body, json!({ option: flags }));
    body
}

#[tokio::test]
async fn a_team_banned_for_all_refuses_everyone_unless_ignored() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let team = yx.create_team("alice", ADVANCED, &["bob"]).await;
    yx.set_chat_banned_mode(team, ADVANCED, "alice", 3).await;
    for sender in ["alice", "bob"] {
        let cid = team_cid(sender, team);
        assert_error(sender, yx.send(&cid, &text_body("x")).await, 108_423).await;
        let ignored = with_option("team_option", json!({"ignore_chat_banned": true}));
        ok(yx.send(&cid, &ignored).await).await;
    }
}

#[tokio::test]
async fn a_super_team_reads_superteam_option_not_team_option() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let team = yx.create_team("alice", SUPER, &["bob"]).await;
    yx.set_chat_banned_mode(team, SUPER, "alice", 3).await;
    let cid = super_cid("bob", team);
    let wrong = with_option("team_option", json!({"ignore_chat_banned": true}));
    assert_error("team_option", yx.send(&cid, &wrong).await, 108_423).await;
    let right = with_option("superteam_option", json!({"ignore_chat_banned": true}));
    ok(yx.send(&cid, &right).await).await;
}

#[tokio::test]
async fn a_team_banned_for_normal_members_lets_the_owner_and_managers_speak() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    let team = yx.create_team("alice", ADVANCED, &["bob", "carol"]).await;
    ok(yx.add_managers(team, ADVANCED, "alice", &["carol"]).await).await;
    yx.set_chat_banned_mode(team, ADVANCED, "alice", 1).await;
    let bob = team_cid("bob", team);
    assert_error(
        "normal member",
        yx.send(&bob, &text_body("x")).await,
        108_306,
    )
    .await;
    let ignored = with_option("team_option", json!({"ignore_chat_banned": true}));
    ok(yx.send(&bob, &ignored).await).await;
    yx.send_text(&team_cid("alice", team), "owner").await;
    yx.send_text(&team_cid("carol", team), "manager").await;
}

#[tokio::test]
async fn a_muted_member_is_refused_unless_ignored() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let team = yx.create_team("alice", ADVANCED, &["bob"]).await;
    ok(yx.mute(team, ADVANCED, "alice", &["bob"], true).await).await;
    let cid = team_cid("bob", team);
    assert_error("muted", yx.send(&cid, &text_body("x")).await, 109_424).await;
    let ignored = with_option("team_option", json!({"ignore_member_chat_banned": true}));
    ok(yx.send(&cid, &ignored).await).await;
    yx.send_text(&team_cid("alice", team), "owner unmuted")
        .await;
}

#[tokio::test]
async fn a_targeted_team_message_is_refused_as_the_feature_is_off() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let team = yx.create_team("alice", ADVANCED, &["bob"]).await;
    let targeted = with_option(
        "target_option",
        json!({"receiver_account_ids": ["bob"], "inclusive": true}),
    );
    assert_error(
        "targeted",
        yx.send(&team_cid("alice", team), &targeted).await,
        108_318,
    )
    .await;
}

// ------------------------------------------------------------------------------------------
// §4.5 step 8: client IDs

#[tokio::test]
async fn a_client_id_is_unique_per_conversation() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    let team = yx.create_team("alice", ADVANCED, &[]).await;
    let body = message_body(json!({"message_type": 0, "text": "x", "message_client_id": "dup-1"}));
    ok(yx.send(&p2p("alice", "bob"), &body).await).await;
    assert_error(
        "same conversation",
        yx.send(&p2p("alice", "bob"), &body).await,
        107_306,
    )
    .await;
    ok(yx.send(&p2p("alice", "carol"), &body).await).await;
    ok(yx.send(&team_cid("alice", team), &body).await).await;
    assert_error(
        "same team",
        yx.send(&team_cid("alice", team), &body).await,
        107_306,
    )
    .await;
    let history = yx.history_items(&p2p("alice", "bob"), "").await;
    assert_eq!(history.len(), 1, "the refused one is not kept");
}

// ------------------------------------------------------------------------------------------
// Batch send

/// A batch send body from `sender` to `receivers`.
fn batch(sender: &str, receivers: &[String]) -> Value {
    json!({"sender_id": sender, "receiver_ids": receivers, "message": {"message_type": 0, "text": "all"}})
}

fn names(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn batch_send_lists_successes_and_failures() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    yx.block("carol", "alice").await;
    let body = batch("alice", &names(&["bob", "ghost", "carol"]));
    let data = ok(yx.post("/conversations/messages", &body).await).await;
    let sent = data["success_list"].as_array().unwrap();
    assert_eq!(sent.len(), 1, "{data}");
    assert_echo(&sent[0], &body["message"], "alice", 1, "bob");
    let failed = json!([
        {"receiver_id": "ghost", "account_id": "ghost", "error_code": 102404, "error_msg": "account not exist"},
        {"receiver_id": "carol", "account_id": "carol", "error_code": 102426, "error_msg": "account in block list"},
    ]);
    assert_eq!(data["failed_list"], failed);
    let history = yx.history_items(&p2p("bob", "alice"), "").await;
    assert_eq!(
        history[0]["message_server_id"],
        sent[0]["message_server_id"]
    );
    let journal = app
        .journal("provider=yunxin&conversation=alice%7C1%7Cbob")
        .await;
    assert_eq!(journal["total"], 1);
}

#[tokio::test]
async fn batch_send_gives_each_receiver_its_own_ids() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    yx.create_account("carol").await;
    let mut body = batch("alice", &names(&["bob", "carol"]));
    body["message"]["message_client_id"] = json!("same");
    let data = ok(yx.post("/conversations/messages", &body).await).await;
    let sent = data["success_list"].as_array().unwrap();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1]["receiver_id"], "carol");
    let (a, b) = (
        sent[0]["message_server_id"].as_u64(),
        sent[1]["message_server_id"].as_u64(),
    );
    assert!(a.unwrap() < b.unwrap());
    assert_eq!(data["failed_list"], json!([]));
}

#[tokio::test]
async fn batch_send_takes_1_to_100_receivers_and_a_known_sender() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let many = |n: usize| (0..n).map(|i| format!("u{i}")).collect::<Vec<_>>();
    let hundred = ok(yx
        .post("/conversations/messages", &batch("alice", &many(100)))
        .await)
    .await;
    assert_eq!(hundred["failed_list"].as_array().unwrap().len(), 100);
    let cases = [
        ("101", batch("alice", &many(101)), 414),
        ("empty", batch("alice", &[]), 414),
        (
            "no receivers",
            json!({"sender_id": "alice", "message": {"message_type": 0, "text": "x"}}),
            414,
        ),
        (
            "no sender",
            json!({"receiver_ids": ["bob"], "message": {"message_type": 0, "text": "x"}}),
            414,
        ),
        ("bad receiver", batch("alice", &names(&["a b"])), 414),
        (
            "no message",
            json!({"sender_id": "alice", "receiver_ids": ["bob"]}),
            414,
        ),
        ("unknown sender", batch("ghost", &names(&["bob"])), 102_404),
    ];
    for (case, body, code) in cases {
        assert_error(case, yx.post("/conversations/messages", &body).await, code).await;
    }
}

#[tokio::test]
async fn a_client_id_is_at_most_128_characters_and_an_empty_one_is_generated() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    let with_id =
        |id: String| message_body(json!({"message_type": 0, "text": "x", "message_client_id": id}));
    assert_error("129", yx.send(&cid, &with_id("c".repeat(129))).await, 414).await;
    let longest = "c".repeat(128);
    assert_eq!(
        ok(yx.send(&cid, &with_id(longest.clone())).await).await["message_client_id"],
        longest
    );
    let generated = ok(yx.send(&cid, &with_id(String::new())).await).await;
    assert_eq!(
        generated["message_client_id"].as_str().map(str::len),
        Some(36),
        "{generated}"
    );
}

#[tokio::test]
async fn message_server_ids_keep_increasing_when_the_clock_is_set_back() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    app.set_clock(T0 + 60_000).await;
    let later = yx.send_id(&p2p("alice", "bob"), "later").await;
    app.set_clock(T0).await;
    let data = yx.send_text(&p2p("alice", "bob"), "earlier").await;
    assert!(
        data["message_server_id"].as_u64().unwrap() > later,
        "{data}"
    );
    assert_eq!(data["create_time"], T0);
}

#[tokio::test]
async fn an_attachment_on_a_text_or_tip_must_be_an_object_too() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    for t in [0, 10] {
        for attachment in [json!("a string"), json!([1]), json!(3)] {
            let body =
                message_body(json!({"message_type": t, "text": "x", "attachment": attachment}));
            assert_error(
                &format!("type {t} with {attachment}"),
                yx.send(&cid, &body).await,
                414,
            )
            .await;
        }
        let body = message_body(json!({"message_type": t, "text": "x", "attachment": {"k": 1}}));
        assert_eq!(
            ok(yx.send(&cid, &body).await).await["attachment"],
            json!({"k": 1})
        );
    }
}

#[tokio::test]
async fn an_attachment_is_at_most_16_kib() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    let sized = |len: usize| {
        let pad = "p".repeat(len - r#"{"p":""}"#.len());
        message_body(json!({"message_type": 100, "attachment": {"p": pad}}))
    };
    let fits = ok(yx.send(&cid, &sized(16 * 1024)).await).await;
    assert_eq!(fits["attachment"].to_string().len(), 16 * 1024);
    assert_error(
        "16 KiB + 1",
        yx.send(&cid, &sized(16 * 1024 + 1)).await,
        414,
    )
    .await;
}

#[tokio::test]
async fn sub_type_is_at_most_a_java_int() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let cid = p2p("alice", "bob");
    let body = |s: i64| message_body(json!({"message_type": 100, "sub_type": s, "attachment": {}}));
    let max = i64::from(i32::MAX);
    assert_eq!(ok(yx.send(&cid, &body(max)).await).await["sub_type"], max);
    assert_error("2^31", yx.send(&cid, &body(max + 1)).await, 414).await;
}

#[tokio::test]
async fn a_team_id_with_leading_zeros_names_the_same_team() {
    let app = pinned().await;
    let yx = Yx::new(&app);
    let team = yx.create_team("alice", ADVANCED, &[]).await;
    let data = yx.send_text(&format!("alice|2|000{team}"), "zeros").await;
    assert_eq!(data["receiver_id"], team.to_string());
    let items = yx.history_items(&team_cid("alice", team), "").await;
    assert_eq!(items[0]["team_id"], team);
    let journal = app.journal("provider=yunxin").await;
    assert_eq!(
        journal["messages"][0]["conversation"],
        format!("alice|2|{team}")
    );
}
