//! OpenIM's documented routes (all `POST`, headers `operationID` and `token`), for the
//! OpenAPI document and the 404 suggestions. The test below holds the table to
//! [`routes::route_of`]: a route the matcher emulates and the table lacks fails it.

use crate::core::route_doc::{ApiDoc, RouteDoc};

const fn post(path: &'static str, summary: &'static str, body: &'static str) -> RouteDoc {
    RouteDoc::new("POST", path, summary).body(body)
}

const NO_RECORD: &[(u16, &str, &str)] = &[(200, "1004", "RecordNotFoundError")];
const ADMIN: &[(u16, &str, &str)] = &[(200, "1002", "NoPermissionError")];

/// Every documented OpenIM route of tenant `default` (another tenant: under `/tenants/{name}`).
pub const ROUTES: &[RouteDoc] = &[
    post("/auth/get_admin_token", "An admin token for the secret (no token header)",
        r#"{"secret":"openIM123","userID":"imAdmin"}"#).errors(ADMIN)
        .answer(r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"token":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...","expireTimeSeconds":7776000}}"#),
    post("/auth/user_token", "A user token for the secret (up to v3.8.0, no token header)",
        r#"{"secret":"openIM123","platformID":1,"userID":"alice"}"#).errors(ADMIN),
    post("/auth/get_user_token", "A user token, with an admin token",
        r#"{"platformID":1,"userID":"alice"}"#).errors(NO_RECORD),
    post("/auth/parse_token", "The user, platform and expiry of a token (no token header)",
        r#"{"token":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."}"#),
    post("/auth/force_logout", "Kick a user's tokens on one platform", r#"{"platformID":1,"userID":"alice"}"#),
    post("/user/user_register", "Register users",
        r#"{"users":[{"userID":"alice","nickname":"Alice","faceURL":""}]}"#)
        .errors(&[(200, "1102", "RegisteredAlreadyError")]),
    post("/user/get_users_info", "Users by ID", r#"{"userIDs":["alice"]}"#),
    post("/user/account_check", "Which user IDs are registered", r#"{"checkUserIDs":["alice","nobody"]}"#),
    post("/group/create_group", "Create a group",
        r#"{"memberUserIDs":["bob"],"adminUserIDs":[],"ownerUserID":"alice","groupInfo":{"groupID":"","groupName":"team","groupType":2}}"#)
        .errors(&[(200, "1201", "GroupIDExisted")]),
    post("/group/invite_user_to_group", "Add members to a group",
        r#"{"groupID":"3141592653","invitedUserIDs":["carol"],"reason":""}"#).errors(NO_RECORD),
    post("/group/get_groups_info", "Groups by ID", r#"{"groupIDs":["3141592653"]}"#),
    post("/msg/send_msg", "Send a message (admin token)",
        r#"{"sendID":"imAdmin","recvID":"alice","groupID":"","senderPlatformID":1,"content":{"content":"hello"},"contentType":101,"sessionType":1}"#)
        .answer(r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"serverMsgID":"78b57ecc3e5725a864eed4252ae71246","clientMsgID":"0dc53523fbd0821aeda2ecf2aba96933","sendTime":1796150000000,"modify":null}}"#)
        .errors(ADMIN),
    post("/msg/batch_send_msg", "Send one message to many users",
        r#"{"sendID":"imAdmin","recvIDs":["alice","bob"],"isSendAll":false,"senderPlatformID":1,"content":{"content":"hello"},"contentType":101,"sessionType":1}"#)
        .errors(ADMIN),
    post("/msg/get_server_time", "The server's time in milliseconds", "{}"),
    post("/msg/newest_seq", "The newest seq of each of a user's conversations", r#"{"userID":"alice"}"#),
    post("/msg/pull_msg_by_seq", "A user's messages by seq range",
        r#"{"userID":"alice","seqRanges":[{"conversationID":"si_alice_imAdmin","begin":1,"end":20,"num":20}],"order":0}"#),
    post("/msg/search_msg", "Search messages by sender, receiver, type and day",
        r#"{"sendID":"","recvID":"","contentType":0,"sendTime":"2024-07-01","sessionType":0,"pagination":{"pageNumber":1,"showNumber":20}}"#),
    post("/msg/revoke_msg", "Revoke a message", r#"{"conversationID":"si_alice_imAdmin","seq":1,"userID":"imAdmin"}"#)
        .errors(&[(200, "1404", "MsgAlreadyRevoke")]),
];

/// OpenIM in the OpenAPI document.
pub const API: ApiDoc = ApiDoc {
    name: "openim",
    description: "OpenIM server REST (v3.8) of tenant default; another tenant is the same \
                  routes under /tenants/{name}. Every route is POST with headers operationID \
                  and token (an admin token from /auth/get_admin_token). Errors: HTTP 200 with \
                  {errCode, errMsg, errDlt}; another method or an unknown path is gin's plain \
                  404.",
    security: Some(r#"{"type":"apiKey","in":"header","name":"token"}"#),
    envelope: r#"{"type":"object","required":["errCode","errMsg","errDlt"],"properties":{"errCode":{"type":"integer"},"errMsg":{"type":"string"},"errDlt":{"type":"string"},"data":{}}}"#,
    error: r#"{"type":"object","required":["errCode","errMsg","errDlt"],"properties":{"errCode":{"type":"integer"},"errMsg":{"type":"string"},"errDlt":{"type":"string"}}}"#,
    error_example,
    common_errors: &[
        (
            200,
            "1001",
            "ArgsError: a missing operationID or a bad body",
        ),
        (200, "1501", "TokenExpiredError"),
        (200, "1503", "TokenMalformedError"),
        (200, "1507", "TokenNotExistError"),
    ],
    routes: &[ROUTES],
};

fn error_example(code: &str, what: &str) -> serde_json::Value {
    let (name, detail) = what.split_once(": ").unwrap_or((what, ""));
    serde_json::json!({"errCode": code.parse::<i64>().unwrap_or(0), "errMsg": name, "errDlt": detail})
}

#[cfg(test)]
mod tests {
    use super::super::routes::{route_of, Route};
    use super::ROUTES;
    use strum::IntoEnumIterator;

    #[test]
    fn every_emulated_openim_route_is_documented_and_back() {
        let reached: Vec<Route> = ROUTES.iter().filter_map(|d| route_of(d.path)).collect();
        assert_eq!(
            reached.len(),
            ROUTES.len(),
            "a documented path matches no route"
        );
        assert!(
            !reached.contains(&Route::NotEmulated),
            "a documented path is not emulated"
        );
        // NotEmulated stands for the real server's other routes, which answer 500.
        for route in Route::iter().filter(|r| *r != Route::NotEmulated) {
            assert!(
                reached.contains(&route),
                "{route:?} is missing from route_docs.rs"
            );
        }
    }
}
