//! Yunxin's documented routes under `/im/v2/` (each also under `/im/v2.1/` and
//! `/nimserver`), for the OpenAPI document and the 404 suggestions. The test below holds the
//! table to [`routes::route_of`]: a route the matcher has and the table lacks fails it.

use crate::core::route_doc::{ApiDoc, RouteDoc};

const fn at(method: &'static str, path: &'static str, summary: &'static str) -> RouteDoc {
    RouteDoc::new(method, path, summary)
}

const NO_ACCOUNT: &[(u16, &str, &str)] = &[(200, "102404", "account not exist")];
const NO_TEAM: &[(u16, &str, &str)] = &[(200, "108404", "team not exist")];
const NO_MESSAGE: &[(u16, &str, &str)] = &[(200, "107404", "message not exist")];
const SEND: &str = r#"{"message":{"message_type":0,"text":"hello","message_client_id":"c-1"}}"#;

/// Every documented Yunxin route.
pub const ROUTES: &[RouteDoc] = &[
    at("POST", "/im/v2/accounts", "Create an account and its token")
        .body(r#"{"account_id":"alice","token":"","user_information":{"name":"Alice"}}"#)
        .answer(r#"{"code":200,"msg":"success","data":{"account_id":"alice","token":"851f977347ed6db7aa47e31c02e78edc","configuration":{"enabled":true},"user_information":{"name":"Alice"}}}"#)
        .errors(&[(200, "102405", "account already exists")]),
    at("GET", "/im/v2/accounts", "Accounts by ID").query(&["account_ids"]),
    at("GET", "/im/v2/accounts/{account_id}", "One account").errors(NO_ACCOUNT),
    at("PATCH", "/im/v2/accounts/{account_id}", "Update an account")
        .body(r#"{"user_information":{"name":"Alice B."}}"#).errors(NO_ACCOUNT),
    at("PATCH", "/im/v2/accounts/{account_id}/actions/refresh_token", "A new token").errors(NO_ACCOUNT),
    at("PATCH", "/im/v2/accounts/{account_id}/actions/disable", "Ban or unban an account")
        .body(r#"{"enabled":false}"#).errors(NO_ACCOUNT),
    at("POST", "/im/v2/block_contacts", "Block an account")
        .body(r#"{"account_id":"alice","contact_account_id":"bob"}"#).errors(NO_ACCOUNT),
    at("DELETE", "/im/v2/block_contacts/{account_id}", "Unblock an account").query(&["contact_account_id"]),
    at("POST", "/im/v2/friends", "Befriend two accounts")
        .body(r#"{"account_id":"alice","friend_account_id":"bob"}"#).errors(NO_ACCOUNT),
    at("POST", "/im/v2/teams", "Create a team")
        .body(r#"{"owner_account_id":"alice","team_type":1,"name":"team","invite_account_ids":["bob"]}"#)
        .errors(&[(200, "108434", "limit of teams exceeded")]),
    at("GET", "/im/v2/teams/{team_id}", "One team").query(&["team_type"]).errors(NO_TEAM),
    at("PATCH", "/im/v2/teams/{team_id}", "Update a team")
        .body(r#"{"operator_id":"alice","team_type":1,"name":"new name"}"#).errors(NO_TEAM),
    at("POST", "/im/v2/teams/{team_id}/actions/add_manager", "Add team managers")
        .body(r#"{"operator_id":"alice","team_type":1,"managers":["bob"]}"#).errors(NO_TEAM),
    at("POST", "/im/v2/team_members", "Invite accounts into a team")
        .body(r#"{"team_id":123,"team_type":1,"operator_id":"alice","invite_account_ids":["carol"]}"#).errors(NO_TEAM),
    at("PATCH", "/im/v2/team_members/actions/batch_mute", "Mute team members")
        .body(r#"{"team_id":123,"team_type":1,"operator_id":"alice","chat_ban_account_ids":["bob"],"chat_banned":true}"#)
        .errors(NO_TEAM),
    at("GET", "/im/v2/teams/{team_id}/actions/list_members", "A team's members")
        .query(&["team_type", "limit", "page_token"]).errors(NO_TEAM),
    at("POST", "/im/v2/conversations/{conversation_id}/batch_messages", "Messages by server id")
        .body(r#"{"messages":[{"message_server_id":1,"create_time":1700000000000}]}"#),
    at("POST", "/im/v2/conversations/messages", "Send one message to up to 100 receivers")
        .body(r#"{"sender_id":"alice","receiver_ids":["bob","carol"],"message":{"message_type":0,"text":"hello"}}"#),
    at("POST", "/im/v2/conversations/{conversation_id}/messages", "Send a message in a conversation (alice|1|bob, sender first)")
        .body(SEND).errors(&[(200, "102426", "account in block list")])
        .answer(r#"{"code":200,"msg":"success","data":{"message_server_id":17961500000000,"message_client_id":"c-1","sender_id":"alice","conversation_type":1,"receiver_id":"bob","create_time":1796150000000,"message_type":0,"text":"hello"}}"#),
    at("GET", "/im/v2/conversations/{conversation_id}/messages", "A conversation's history")
        .query(&["begin_time", "end_time", "limit", "page_token", "descending", "message_type"]),
    at("DELETE", "/im/v2/conversations/{conversation_id}/messages", "Clear a conversation's history"),
    at("GET", "/im/v2/conversations/{conversation_id}/messages/{message_server_id}", "One message")
        .query(&["message_time"]).errors(NO_MESSAGE),
    at("DELETE", "/im/v2/conversations/{conversation_id}/messages/{message_server_id}", "Recall or delete a message")
        .errors(&[(200, "107314", "revoke message exceed time limit")]),
];

/// Yunxin in the OpenAPI document.
pub const API: ApiDoc = ApiDoc {
    name: "yunxin",
    description: "NetEase Yunxin IM v2 under /im/v2/ (the same routes under /im/v2.1/, and \
                  either one under /nimserver). Headers AppKey, Nonce, CurTime and CheckSum = \
                  sha1(AppSecret + Nonce + CurTime). Answers {code, msg, data}, errors \
                  {code, msg} with HTTP 200; an unknown path or method is {code: 404}.",
    security: Some(r#"{"type":"apiKey","in":"header","name":"CheckSum"}"#),
    envelope: r#"{"type":"object","required":["code"],"properties":{"code":{"type":"integer"},"msg":{"type":"string"},"data":{}}}"#,
    error: r#"{"type":"object","required":["code","msg"],"properties":{"code":{"type":"integer"},"msg":{"type":"string"}}}"#,
    error_example,
    common_errors: &[
        (200, "403", "authentication failed"),
        (200, "414", "parameter error"),
        (200, "101303", "appkey not exist"),
    ],
    routes: &[ROUTES],
};

fn error_example(code: &str, what: &str) -> serde_json::Value {
    serde_json::json!({"code": code.parse::<i64>().unwrap_or(0), "msg": what})
}

#[cfg(test)]
mod tests {
    use super::super::routes::{resource, route_of, RouteDiscriminants as Route};
    use super::ROUTES;
    use actix_web::http::Method;
    use strum::IntoEnumIterator;

    #[test]
    fn every_yunxin_route_is_documented_and_back() {
        let mut reached = Vec::new();
        for doc in ROUTES {
            let method = Method::from_bytes(doc.method.as_bytes()).unwrap();
            let path = doc.sample(|_| "1".into());
            let route = resource(&path).and_then(|r| route_of(&method, r).map(|r| Route::from(&r)));
            assert!(
                route.is_some(),
                "{} {} matches no route",
                doc.method,
                doc.path
            );
            reached.extend(route);
        }
        for route in Route::iter() {
            assert!(
                reached.contains(&route),
                "{route:?} is missing from route_docs.rs"
            );
        }
    }
}
