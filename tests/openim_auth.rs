//! Black-box tests of OpenIM's `/auth/*` and token checks (contract §3, §5): admin and user
//! tokens as HS256 JWTs with `UserID`/`PlatformID`/`exp`/`iat`, parse_token, force_logout,
//! multi-login kicking, and each token fault with its own code, on the emulator's clock.
mod common;
use common::openim::*;
use common::*;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use reqwest::Response;
use serde_json::json;
use sha2::{Sha256, Sha512};

/// `T0` in Unix seconds.
const T0_S: i64 = T0 / 1000;

/// A server with its clock pinned at `T0`, and an admin token issued then.
async fn pinned() -> (TestApp, String) {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let token = Im::new(&app).admin_token().await;
    (app, token)
}

/// A call that needs a valid token of anyone: `get_server_time`.
async fn probe(im: &Im<'_>, token: &str) -> Response {
    im.post("/msg/get_server_time", Some(token), &json!({}))
        .await
}

/// Asserts that `token` is accepted.
async fn assert_accepted(im: &Im<'_>, token: &str, case: &str) {
    let answer = read(probe(im, token).await).await;
    assert_eq!(answer.json()["errCode"], 0, "case {case}: {}", answer.text);
}

/// Asserts that `token` is refused with `code` and `msg`, no detail.
async fn assert_token_refused(im: &Im<'_>, token: &str, code: i64, msg: &str, case: &str) {
    assert_refused(case, probe(im, token).await, 200, code, msg, "").await;
}

/// The HS256 signature of a token's first two segments with `secret`, base64url.
fn hs256(signed: &str, secret: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(signed.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

// ------------------------------------------------------------------------------------------
// get_admin_token

#[tokio::test]
async fn get_admin_token_answers_a_go_shaped_hs256_jwt_and_its_lifetime_in_seconds() {
    let app = spawn_app().await;
    app.set_clock(T0).await;
    let im = Im::new(&app);
    let body = json!({"secret": SECRET, "userID": ADMIN});
    let data = ok_data(im.post("/auth/get_admin_token", None, &body).await).await;
    assert_eq!(
        keys(&data),
        sorted(&["token", "expireTimeSeconds"]),
        "{data}"
    );
    assert_eq!(
        data["expireTimeSeconds"], TOKEN_LIFETIME_S,
        "90 days: {data}"
    );
    let token = data["token"].as_str().unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts[0], HS256_HEADER, "the header Go's jwt writes");
    let claims = format!(
        r#"{{"UserID":"imAdmin","PlatformID":10,"exp":{},"iat":{}}}"#,
        T0_S + TOKEN_LIFETIME_S,
        T0_S - 5
    );
    assert_eq!(
        parts[1],
        URL_SAFE_NO_PAD.encode(claims),
        "claims in Go's order"
    );
    let signed = format!("{}.{}", parts[0], parts[1]);
    assert_eq!(parts[2], hs256(&signed, SECRET), "signed with the secret");
}

#[tokio::test]
async fn every_admin_user_id_gets_an_admin_token_on_platform_10() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    for admin in [ADMIN, SECOND_ADMIN] {
        let token = im.admin_token_of(admin).await;
        let (_, claims) = jwt_parts(&token);
        assert_eq!(claims["UserID"], admin, "{claims}");
        assert_eq!(claims["PlatformID"], 10, "{claims}");
        assert_accepted(&im, &token, admin).await;
    }
}

#[tokio::test]
async fn get_admin_token_refusals_come_in_the_servers_order() {
    let app = spawn_app().await;
    let im = Im::new(&app);
    let not_admin = "userID is error., userID=alice, adminUserID=[imAdmin openIMAdmin]";
    // (case, body, code, errMsg, errDlt)
    let cases = [
        (
            "no userID, wrong secret",
            json!({"secret": "x"}),
            1001,
            "ArgsError",
            "userID is empty",
        ),
        (
            "empty body object",
            json!({}),
            1001,
            "ArgsError",
            "userID is empty",
        ),
        (
            "wrong secret",
            json!({"secret": "x", "userID": ADMIN}),
            1002,
            "NoPermissionError",
            "secret invalid",
        ),
        (
            "no secret",
            json!({"userID": ADMIN}),
            1002,
            "NoPermissionError",
            "secret invalid",
        ),
        (
            "wrong secret, not admin",
            json!({"secret": "x", "userID": "alice"}),
            1002,
            "NoPermissionError",
            "secret invalid",
        ),
        (
            "not an admin",
            json!({"secret": SECRET, "userID": "alice"}),
            1001,
            "ArgsError",
            not_admin,
        ),
    ];
    for (case, body, code, msg, dlt) in cases {
        let resp = im.post("/auth/get_admin_token", None, &body).await;
        assert_refused(case, resp, 200, code, msg, dlt).await;
    }
    let resp = im
        .post("/auth/get_admin_token", None, &json!({"userID": 7}))
        .await;
    let text =
        "json: cannot unmarshal number into Go struct field GetAdminTokenReq.userID of type string";
    assert_decode_refused("a number userID", resp, text).await;
}

// ------------------------------------------------------------------------------------------
// get_user_token, parse_token

#[tokio::test]
async fn get_user_token_issues_a_jwt_for_the_user_and_platform() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let body = json!({"userID": "alice", "platformID": 5});
    let data = ok_data(im.post("/auth/get_user_token", Some(&admin), &body).await).await;
    assert_eq!(data["expireTimeSeconds"], TOKEN_LIFETIME_S, "{data}");
    let token = data["token"].as_str().unwrap();
    let (header, claims) = jwt_parts(token);
    assert_eq!(header, json!({"alg": "HS256", "typ": "JWT"}));
    let expected = json!({"UserID": "alice", "PlatformID": 5, "exp": T0_S + TOKEN_LIFETIME_S, "iat": T0_S - 5});
    assert_eq!(claims, expected);
    assert_accepted(&im, token, "alice's token").await;
}

#[tokio::test]
async fn get_user_token_refusals_come_in_the_servers_order() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let users = json!({"users": [{"userID": "robot", "nickname": "Robot", "appMangerLevel": 3},
        {"userID": "notifier", "nickname": "N", "appMangerLevel": 2}]});
    ok_empty(im.post("/user/user_register", Some(&admin), &users).await).await;
    let alice = im.user_token(&admin, "alice", 1).await;
    // (case, token, body, code, errMsg, errDlt)
    let cases = [
        (
            "a user's token",
            &alice,
            json!({"userID": "bob", "platformID": 1}),
            1002,
            "NoPermissionError",
            "user alice is not admin userID",
        ),
        (
            "a user's token, admin platform",
            &alice,
            json!({"userID": "bob", "platformID": 10}),
            1002,
            "NoPermissionError",
            "user alice is not admin userID",
        ),
        (
            "the admin platform",
            &admin,
            json!({"userID": "bob", "platformID": 10}),
            1002,
            "NoPermissionError",
            "platformID invalid. platformID must not be adminPlatformID",
        ),
        (
            "an admin userID",
            &admin,
            json!({"userID": SECOND_ADMIN, "platformID": 1}),
            1002,
            "NoPermissionError",
            "don't get Admin token",
        ),
        (
            "an unknown user",
            &admin,
            json!({"userID": "ghost", "platformID": 1}),
            1004,
            "RecordNotFoundError",
            "record not found",
        ),
        (
            "no userID",
            &admin,
            json!({"platformID": 1}),
            1004,
            "RecordNotFoundError",
            "record not found",
        ),
        (
            "an app account",
            &admin,
            json!({"userID": "robot", "platformID": 1}),
            1001,
            "ArgsError",
            "app account can`t get token",
        ),
    ];
    for (case, token, body, code, msg, dlt) in cases {
        let resp = im.post("/auth/get_user_token", Some(token), &body).await;
        assert_refused(case, resp, 200, code, msg, dlt).await;
    }
    let notifier = im.user_token(&admin, "notifier", 1).await;
    assert_accepted(&im, &notifier, "appMangerLevel 2 still gets a token").await;
}

#[tokio::test]
async fn parse_token_answers_the_user_platform_and_the_absolute_expiry_without_a_token_header() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let alice = im.user_token(&admin, "alice", 2).await;
    // (case, token, userID, platformID)
    let cases = [
        ("a user token", &alice, "alice", 2),
        ("an admin token", &admin, ADMIN, 10),
    ];
    for (case, token, user, platform) in cases {
        let resp = im
            .post("/auth/parse_token", None, &json!({ "token": token }))
            .await;
        let data = ok_data(resp).await;
        let expected = json!({"userID": user, "platformID": platform, "expireTimeSeconds": T0_S + TOKEN_LIFETIME_S});
        assert_eq!(data, expected, "case {case}");
    }
}

#[tokio::test]
async fn parse_token_refusals() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let first = im.user_token(&admin, "alice", 1).await;
    app.advance_clock(1000).await;
    let _second = im.user_token(&admin, "alice", 1).await;
    let wrong_secret = forge_token("alice", 1, T0_S, "not-the-secret");
    let unissued = forge_token("bob", 1, T0_S, SECRET);
    // (case, body, code, errMsg, errDlt)
    let cases = [
        ("no token", json!({}), 1001, "ArgsError", "userID is empty"),
        (
            "garbage",
            json!({"token": "garbage"}),
            1503,
            "TokenMalformedError",
            "",
        ),
        (
            "a superseded token",
            json!({ "token": first }),
            1506,
            "TokenKickedError",
            "",
        ),
        (
            "a wrong secret",
            json!({ "token": wrong_secret }),
            1505,
            "signature is invalid",
            "",
        ),
        (
            "never issued",
            json!({ "token": unissued }),
            1507,
            "TokenNotExistError",
            "",
        ),
    ];
    for (case, body, code, msg, dlt) in cases {
        let resp = im.post("/auth/parse_token", None, &body).await;
        assert_refused(case, resp, 200, code, msg, dlt).await;
    }
}

// ------------------------------------------------------------------------------------------
// Kicking: multi-login and force_logout

#[tokio::test]
async fn a_second_token_for_the_same_platform_kicks_the_first_and_no_other() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let first = im.user_token(&admin, "alice", 1).await;
    let web = im.user_token(&admin, "alice", 5).await;
    app.advance_clock(1000).await;
    let second = im.user_token(&admin, "alice", 1).await;
    assert_token_refused(&im, &first, 1506, "TokenKickedError", "the first iOS token").await;
    assert_accepted(&im, &second, "the second iOS token").await;
    assert_accepted(&im, &web, "the web token").await;
}

#[tokio::test]
async fn admin_tokens_stay_valid_when_a_newer_one_is_issued_on_the_release() {
    let (app, first) = pinned().await;
    let im = Im::new(&app);
    app.advance_clock(1000).await;
    let second = im.admin_token().await;
    assert_ne!(first, second, "issued a second apart");
    app.advance_clock(10 * 60 * 1000).await;
    assert_accepted(&im, &first, "the first admin token, ten minutes on").await;
    assert_accepted(&im, &second, "the second admin token").await;
}

#[tokio::test]
async fn force_logout_kicks_the_tokens_of_that_user_and_platform_only() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let ios = im.user_token(&admin, "alice", 1).await;
    let web = im.user_token(&admin, "alice", 5).await;
    let bob = im.user_token(&admin, "bob", 1).await;
    let body = json!({"userID": "alice", "platformID": 1});
    ok_empty(im.post("/auth/force_logout", Some(&admin), &body).await).await;
    assert_token_refused(&im, &ios, 1506, "TokenKickedError", "alice on iOS").await;
    assert_accepted(&im, &web, "alice on the web").await;
    assert_accepted(&im, &bob, "bob on iOS").await;
    app.advance_clock(1000).await;
    let again = im.user_token(&admin, "alice", 1).await;
    assert_accepted(&im, &again, "a new login after the logout").await;
}

#[tokio::test]
async fn force_logout_refusals_come_in_the_servers_order() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let alice = im.user_token(&admin, "alice", 1).await;
    let not_admin = "user alice is not admin userID";
    // (case, token, body, code, errMsg, errDlt)
    let cases = [
        (
            "no userID",
            &admin,
            json!({"platformID": 1}),
            1001,
            "ArgsError",
            "userID is empty",
        ),
        (
            "platform 0",
            &admin,
            json!({"userID": "bob", "platformID": 0}),
            1001,
            "ArgsError",
            "platformID is invalidate",
        ),
        (
            "platform 11",
            &admin,
            json!({"userID": "bob", "platformID": 11}),
            1001,
            "ArgsError",
            "platformID is invalidate",
        ),
        (
            "a user's token, bad platform",
            &alice,
            json!({"userID": "bob", "platformID": 0}),
            1001,
            "ArgsError",
            "platformID is invalidate",
        ),
        (
            "a user's token",
            &alice,
            json!({"userID": "bob", "platformID": 1}),
            1002,
            "NoPermissionError",
            not_admin,
        ),
    ];
    for (case, token, body, code, msg, dlt) in cases {
        let resp = im.post("/auth/force_logout", Some(token), &body).await;
        assert_refused(case, resp, 200, code, msg, dlt).await;
    }
}

// ------------------------------------------------------------------------------------------
// Token faults

#[tokio::test]
async fn token_faults_are_told_apart_by_code_before_the_body_is_read() {
    let (app, _) = pinned().await;
    let im = Im::new(&app);
    let admin_claims = json!({"UserID": ADMIN, "PlatformID": 10, "exp": T0_S + 60, "iat": T0_S});
    let header = r#"{"alg":"HS256","typ":"JWT"}"#;
    // (case, token, code, errMsg)
    let cases = [
        (
            "one segment",
            "garbage".to_owned(),
            1503,
            "TokenMalformedError",
        ),
        (
            "two segments",
            "abc.def".to_owned(),
            1503,
            "TokenMalformedError",
        ),
        (
            "four segments",
            "a.b.c.d".to_owned(),
            1503,
            "TokenMalformedError",
        ),
        (
            "claims not base64",
            format!("{HS256_HEADER}.@@@.abc"),
            1503,
            "TokenMalformedError",
        ),
        (
            "claims not JSON",
            format!("{HS256_HEADER}.{}.abc", URL_SAFE_NO_PAD.encode("nope")),
            1503,
            "TokenMalformedError",
        ),
        (
            "a Bearer prefix",
            format!("Bearer {}", forge_token(ADMIN, 10, T0_S, SECRET)),
            1503,
            "TokenMalformedError",
        ),
        (
            "another secret",
            sign_jwt(header, &admin_claims.to_string(), "other"),
            1505,
            "signature is invalid",
        ),
        (
            "a user JWT never issued",
            forge_token("alice", 1, T0_S, SECRET),
            1507,
            "TokenNotExistError",
        ),
    ];
    for (case, token, code, msg) in cases {
        let headers = [("operationID", OPERATION_ID), ("token", token.as_str())];
        let resp = im.post_raw("/msg/send_msg", &headers, "not json").await;
        assert_refused(case, resp, 200, code, msg, "").await;
    }
}

#[tokio::test]
async fn an_admin_jwt_signed_with_the_secret_is_accepted_without_being_issued_on_the_release() {
    let (app, _) = pinned().await;
    let im = Im::new(&app);
    let forged = forge_token(SECOND_ADMIN, 10, T0_S, SECRET);
    assert_accepted(&im, &forged, "a self-made admin token").await;
    let other_platform = forge_token(ADMIN, 3, T0_S, SECRET);
    assert_accepted(
        &im,
        &other_platform,
        "an admin token for the Windows platform",
    )
    .await;
}

#[tokio::test]
async fn a_token_expires_at_its_exp_on_the_emulator_clock() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let alice = im.user_token(&admin, "alice", 1).await;
    app.set_clock((T0_S + TOKEN_LIFETIME_S) * 1000 - 1).await;
    assert_accepted(&im, &admin, "the admin token a millisecond before exp").await;
    assert_accepted(&im, &alice, "alice's token a millisecond before exp").await;
    app.advance_clock(1).await;
    assert_token_refused(
        &im,
        &admin,
        1501,
        "TokenExpiredError",
        "the admin token at exp",
    )
    .await;
    assert_token_refused(
        &im,
        &alice,
        1501,
        "TokenExpiredError",
        "alice's token at exp",
    )
    .await;
    let resp = im
        .post("/auth/parse_token", None, &json!({ "token": alice }))
        .await;
    assert_refused(
        "parse_token at exp",
        resp,
        200,
        1501,
        "TokenExpiredError",
        "",
    )
    .await;
}

#[tokio::test]
async fn a_token_of_one_tenant_is_unknown_to_another() {
    let (app, admin) = pinned().await;
    let acme = Im::tenant(&app, "acme");
    let acme_admin = acme.admin_token().await;
    let alice = acme.user_token(&acme_admin, "alice", 1).await;
    assert_accepted(&acme, &alice, "alice in acme").await;
    let default = Im::new(&app);
    assert_token_refused(
        &default,
        &alice,
        1507,
        "TokenNotExistError",
        "alice's acme token at the root",
    )
    .await;
    assert_accepted(&default, &acme_admin, "admin tokens share the secret").await;
    assert_accepted(&acme, &admin, "and the other way").await;
}

// ------------------------------------------------------------------------------------------
// Where the emulator departs from the real server

#[tokio::test]
async fn an_expired_token_with_a_bad_signature_is_expired() {
    let (app, _) = pinned().await;
    let im = Im::new(&app);
    let claims = json!({"UserID": ADMIN, "PlatformID": 10, "exp": T0_S - 1, "iat": T0_S - 100});
    let token = sign_jwt(
        r#"{"alg":"HS256","typ":"JWT"}"#,
        &claims.to_string(),
        "other",
    );
    assert_token_refused(
        &im,
        &token,
        1501,
        "TokenExpiredError",
        "expired and badly signed",
    )
    .await;
}

#[tokio::test]
async fn a_jwt_without_iat_or_exp_is_accepted_like_gos_jwt_does() {
    let (app, _) = pinned().await;
    let im = Im::new(&app);
    let header = r#"{"alg":"HS256","typ":"JWT"}"#;
    let no_iat = json!({"UserID": ADMIN, "PlatformID": 10, "exp": T0_S + 60});
    assert_accepted(
        &im,
        &sign_jwt(header, &no_iat.to_string(), SECRET),
        "no iat",
    )
    .await;
    let no_exp = json!({"UserID": ADMIN, "PlatformID": 10});
    assert_accepted(
        &im,
        &sign_jwt(header, &no_exp.to_string(), SECRET),
        "no exp",
    )
    .await;
}

#[tokio::test]
async fn an_admin_jwt_signed_hs512_with_the_secret_is_accepted() {
    let (app, _) = pinned().await;
    let im = Im::new(&app);
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS512","typ":"JWT"}"#);
    let claims = json!({"UserID": ADMIN, "PlatformID": 10, "exp": T0_S + 60, "iat": T0_S});
    let signed = format!("{header}.{}", URL_SAFE_NO_PAD.encode(claims.to_string()));
    let mut mac = Hmac::<Sha512>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(signed.as_bytes());
    let token = format!(
        "{signed}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    );
    assert_accepted(&im, &token, "HS512 with the secret").await;
}

#[tokio::test]
async fn an_unknown_alg_is_refused_with_jwt_v4s_text() {
    let (app, _) = pinned().await;
    let im = Im::new(&app);
    let claims = json!({"UserID": ADMIN, "PlatformID": 10, "exp": T0_S + 60, "iat": T0_S});
    let token = sign_jwt(r#"{"alg":"XY99","typ":"JWT"}"#, &claims.to_string(), SECRET);
    assert_token_refused(
        &im,
        &token,
        1505,
        "signing method (alg) is unavailable.",
        "alg XY99",
    )
    .await;
}

#[tokio::test]
async fn a_kicked_token_is_forgotten_when_the_user_logs_in_again_on_that_platform() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let first = im.user_token(&admin, "alice", 1).await;
    app.advance_clock(1000).await;
    let second = im.user_token(&admin, "alice", 1).await;
    assert_token_refused(
        &im,
        &first,
        1506,
        "TokenKickedError",
        "kicked by the second",
    )
    .await;
    app.advance_clock(1000).await;
    let _third = im.user_token(&admin, "alice", 1).await;
    assert_token_refused(
        &im,
        &second,
        1506,
        "TokenKickedError",
        "kicked by the third",
    )
    .await;
    assert_token_refused(
        &im,
        &first,
        1507,
        "TokenNotExistError",
        "deleted by the third",
    )
    .await;
}

#[tokio::test]
async fn a_token_reissued_within_the_same_second_is_the_same_valid_token() {
    let (app, admin) = pinned().await;
    let im = Im::new(&app);
    let first = im.user_token(&admin, "alice", 1).await;
    let second = im.user_token(&admin, "alice", 1).await;
    assert_eq!(first, second, "same claims, same signature");
    assert_accepted(&im, &second, "the reissued token").await;
    let body = json!({"userID": "alice", "platformID": 1});
    ok_empty(im.post("/auth/force_logout", Some(&admin), &body).await).await;
    let third = im.user_token(&admin, "alice", 1).await;
    assert_accepted(&im, &third, "a login after a logout in the same second").await;
}

/// `/auth/user_token` is not a route of v3.8.3 (whose router answers 404); the emulator keeps it
/// as the releases up to v3.8.0 had it, for older clients: no token header, the secret, a
/// registered user.
#[tokio::test]
async fn auth_user_token_answers_as_the_releases_that_had_it() {
    let (app, _) = pinned().await;
    let im = Im::new(&app);
    let headers = [("operationID", OPERATION_ID)];
    let body = json!({"secret": SECRET, "platformID": 1, "userID": "alice"}).to_string();
    let data = ok_data(im.post_raw("/auth/user_token", &headers, body).await).await;
    let token = data["token"].as_str().unwrap().to_owned();
    assert_eq!(data["expireTimeSeconds"], 7_776_000, "{data}");
    assert_accepted(&im, &token, "a token of /auth/user_token").await;
    let cases = [
        (
            json!({"secret": "wrong", "platformID": 1, "userID": "alice"}),
            1002,
            "NoPermissionError",
            "secret invalid",
        ),
        (
            json!({"secret": SECRET, "platformID": 1, "userID": "nobody"}),
            1004,
            "RecordNotFoundError",
            "record not found",
        ),
    ];
    for (body, code, msg, dlt) in cases {
        let resp = im
            .post_raw("/auth/user_token", &headers, body.to_string())
            .await;
        assert_refused(&body.to_string(), resp, 200, code, msg, dlt).await;
    }
}

#[tokio::test]
async fn on_main_admin_tokens_must_be_issued_and_an_old_one_lasts_five_minutes() {
    let app = spawn_openim(&fixtures_with_main_tenant()).await;
    app.set_clock(T0).await;
    let next = Im::tenant(&app, "next");
    let first = next.admin_token().await;
    app.advance_clock(1000).await;
    let second = next.admin_token().await;
    app.advance_clock(4 * 60 * 1000).await;
    assert_accepted(&next, &first, "four minutes after the newer one").await;
    app.advance_clock(2 * 60 * 1000).await;
    assert_token_refused(&next, &first, 1507, "TokenNotExistError", "six minutes on").await;
    assert_accepted(&next, &second, "the newer one").await;
    let forged = forge_token(ADMIN, 10, T0_S, SECRET);
    assert_token_refused(&next, &forged, 1507, "TokenNotExistError", "never issued").await;
}
