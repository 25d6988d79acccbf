//! Easemob's documented routes: one [`RouteDoc`] per method and path under
//! `/{org}/{app}`, with example bodies and the route's own errors, for the OpenAPI document
//! and the 404 suggestions. The tests below hold the table to [`routes::route_of`] and
//! [`account_routes::route_of`]: a route the matcher has and the table lacks fails them.

use crate::core::route_doc::{ApiDoc, RouteDoc};

const MSG: &str = r#"{"from":"alice","to":["bob"],"type":"txt","body":{"msg":"hello"},"ext":{}}"#;
const GROUP_MSG: &str =
    r#"{"from":"alice","to":["1234567890"],"type":"txt","body":{"msg":"hello"},"users":["bob"]}"#;
const NOT_USER: &[(u16, &str, &str)] = &[(404, "service_resource_not_found", "no such user")];
const NO_CHAT: &[(u16, &str, &str)] = &[(404, "resource_not_found", "no such group or room")];
const SEND: &[(u16, &str, &str)] = &[
    (
        400,
        "message_send_error",
        "a bad or too large message, too many recipients",
    ),
    (
        403,
        "message_send_error",
        "a muted sender, a disabled group, over the minute's window",
    ),
    (413, "Request Entity Too Large", "a body over 5 KB"),
];

/// Doc of one route of `/{org}/{app}{rest}`.
const fn at(method: &'static str, path: &'static str, summary: &'static str) -> RouteDoc {
    RouteDoc::new(method, path, summary)
}

macro_rules! chats {
    ($kind:literal, $id:literal, $what:literal) => {
        [
            at("POST", concat!("/{org}/{app}/", $kind), concat!("Create a ", $what))
                .body(r#"{"groupname":"team","owner":"alice","public":true,"maxusers":200,"members":["bob"]}"#)
                .errors(&[(400, "invalid_parameter", "a bad field"), (403, "exceed_limit", "too many")]),
            at("GET", concat!("/{org}/{app}/", $kind), concat!("List the app's ", $what, "s"))
                .query(&["limit", "cursor"]),
            at("GET", concat!("/{org}/{app}/", $kind, "/{", $id, "}"), concat!("Details of one or several (comma-separated) ", $what, "s"))
                .errors(NO_CHAT),
            at("PUT", concat!("/{org}/{app}/", $kind, "/{", $id, "}"), concat!("Modify a ", $what, ", or transfer it with newowner"))
                .body(r#"{"groupname":"new name","description":"about","maxusers":300}"#)
                .errors(NO_CHAT),
            at("DELETE", concat!("/{org}/{app}/", $kind, "/{", $id, "}"), concat!("Delete a ", $what)).errors(NO_CHAT),
            at("GET", concat!("/{org}/{app}/", $kind, "/{", $id, "}/users"), "Members").query(&["pagenum", "pagesize"]).errors(NO_CHAT),
            at("POST", concat!("/{org}/{app}/", $kind, "/{", $id, "}/users"), "Add up to 60 members")
                .body(r#"{"usernames":["bob","carol"]}"#).errors(NO_CHAT),
            at("POST", concat!("/{org}/{app}/", $kind, "/{", $id, "}/users/{username}"), "Add one member").errors(NO_CHAT),
            at("DELETE", concat!("/{org}/{app}/", $kind, "/{", $id, "}/users/{username}"), "Remove one or up to 60 (comma-separated) members")
                .errors(&[(403, "forbidden_op", "the owner cannot leave")]),
            at("GET", concat!("/{org}/{app}/", $kind, "/{", $id, "}/admin"), "Admins").errors(NO_CHAT),
            at("POST", concat!("/{org}/{app}/", $kind, "/{", $id, "}/admin"), "Make a member an admin")
                .body(r#"{"newadmin":"bob"}"#).errors(NO_CHAT),
            at("DELETE", concat!("/{org}/{app}/", $kind, "/{", $id, "}/admin/{username}"), "Remove an admin").errors(NO_CHAT),
            at("GET", concat!("/{org}/{app}/", $kind, "/{", $id, "}/mute"), "Muted members").errors(NO_CHAT),
            at("POST", concat!("/{org}/{app}/", $kind, "/{", $id, "}/mute"), "Mute members for mute_duration ms (-1: for ever)")
                .body(r#"{"usernames":["bob"],"mute_duration":86400000}"#).errors(NO_CHAT),
            at("DELETE", concat!("/{org}/{app}/", $kind, "/{", $id, "}/mute/{username}"), "Unmute one or several (comma-separated) members").errors(NO_CHAT),
            at("POST", concat!("/{org}/{app}/", $kind, "/{", $id, "}/ban"), "Mute everyone").errors(NO_CHAT),
            at("PUT", concat!("/{org}/{app}/", $kind, "/{", $id, "}/ban"), "Mute everyone").errors(NO_CHAT),
            at("DELETE", concat!("/{org}/{app}/", $kind, "/{", $id, "}/ban"), "Unmute everyone").errors(NO_CHAT),
        ]
    };
}

const GROUPS: [RouteDoc; 18] = chats!("chatgroups", "group_id", "group");
const ROOMS: [RouteDoc; 18] = chats!("chatrooms", "chatroom_id", "chat room");

const CORE: &[RouteDoc] = &[
    at("POST", "/{org}/{app}/token", "An app token (client_credentials) or a user token (password, inherit)")
        .body(r#"{"grant_type":"client_credentials","client_id":"YXA6demo-client-id","client_secret":"YXA6demo-client-secret","ttl":3600}"#)
        .answer(r#"{"access_token":"YWMtrqNYAu21EfGxA5Vu6y8mMgAAAAAAAAAAAAAAAAAAAAHoK8xfC1oR76fBkt6RfqKwAgIAAAGiMuH5gABPGgCEcCxKHuJjId_iDNwXFetoqprV1SLdcpTeMykHAabtYw","expires_in":5184000,"application":"e82bcc5f-0b5a-11ef-a7c1-92de917ea2b0"}"#)
        .errors(&[(400, "invalid_grant", "wrong credentials or a banned user"), (400, "unsupported_grant_type", "another grant_type")]),
    at("POST", "/{org}/{app}/users", "Register one user (object) or up to 60 (array)")
        .body(r#"{"username":"alice","password":"secret","nickname":"Alice"}"#)
        .answer(r#"{"action":"post","application":"e82bcc5f-0b5a-11ef-a7c1-92de917ea2b0","path":"/users","uri":"http://127.0.0.1:4800/demo/chat/users","entities":[{"uuid":"aea35803-edb5-11f1-b103-956eeb2f2632","type":"user","created":1796150000000,"modified":1796150000000,"username":"alice","activated":true}],"timestamp":1796150000000,"duration":0,"organization":"demo","applicationName":"chat"}"#)
        .errors(&[(400, "duplicate_unique_property_exists", "the username is taken")]),
    at("GET", "/{org}/{app}/users", "Users, oldest first, with a cursor while more remain").query(&["limit", "cursor"]),
    at("DELETE", "/{org}/{app}/users", "Delete the oldest N users").query(&["limit", "cursor"]),
    at("GET", "/{org}/{app}/users/{username}", "One user, by name or uuid").errors(NOT_USER),
    at("PUT", "/{org}/{app}/users/{username}", "Set a user's nickname").body(r#"{"nickname":"Alice"}"#).errors(NOT_USER),
    at("DELETE", "/{org}/{app}/users/{username}", "Delete a user with its contacts, blocks, attributes, mutes and owned groups").errors(NOT_USER),
    at("PUT", "/{org}/{app}/users/{username}/password", "Set a user's password")
        .body(r#"{"newpassword":"secret2"}"#).errors(&[(404, "entity_not_found", "no such user")]),
    at("POST", "/{org}/{app}/messages", "Legacy send (target_type, target, msg) of the Java SDK")
        .body(r#"{"target_type":"users","target":["bob"],"msg":{"type":"txt","msg":"hello"},"from":"alice"}"#)
        .errors(&[(400, "illegal_argument", "a bad field")]),
    at("POST", "/{org}/{app}/messages/users", "Send to up to 600 users").body(MSG).errors(SEND)
        .answer(r#"{"path":"/messages/users","uri":"http://127.0.0.1:4800/demo/chat/messages/users","timestamp":1796150000000,"organization":"demo","application":"e82bcc5f-0b5a-11ef-a7c1-92de917ea2b0","action":"post","data":{"bob":"1626011052749622621"},"duration":0,"applicationName":"chat"}"#),
    at("POST", "/{org}/{app}/messages/chatgroups", "Send to up to 3 groups").body(MSG).errors(SEND),
    at("POST", "/{org}/{app}/messages/chatrooms", "Send to up to 10 chat rooms").body(MSG).errors(SEND),
    at("POST", "/{org}/{app}/messages/chatgroups/users", "Send in a group to up to 20 chosen members").body(GROUP_MSG).errors(SEND),
    at("POST", "/{org}/{app}/messages/chatrooms/users", "Send in a chat room to up to 20 chosen members").body(GROUP_MSG).errors(SEND),
    at("POST", "/{org}/{app}/messages/msg_recall", "Recall a message within 2 minutes (any age with force)")
        .body(r#"{"msg_id":"1234567890123456789","to":"bob","chat_type":"chat","from":"alice","force":false}"#)
        .errors(&[(403, "message_recall_error", "past the recall window or no such message")]),
    at("PUT", "/{org}/{app}/messages/rewrite/{msg_id}", "Rewrite a text or custom message")
        .body(r#"{"user":"alice","new_msg":{"type":"txt","msg":"edited"},"new_ext":{"edited":true},"is_combine_ext":true}"#)
        .errors(&[(400, "InvalidMessageIdException", "a bad id"), (404, "MessageUnavailableException", "no such message")]),
    at("POST", "/{org}/{app}/chatfiles", "Upload a file (multipart field file, up to 10 MB)")
        .errors(&[(413, "file exceeding maximum limit", "over 10 MB")]),
    at("GET", "/{org}/{app}/chatfiles/{uuid}", "Download a file, with share-secret when restricted")
        .errors(&[(404, "entity_not_found", "no such file"), (404, "file_expired", "past retention")]),
    at("GET", "/{org}/{app}/users/{username}/offline_msg_count", "Undelivered one-to-one messages of a user"),
    at("GET", "/{org}/{app}/users/{username}/offline_msg_status/{msg_id}", "Whether a message was delivered to a user"),
    at("GET", "/{org}/{app}/chatmessages/{time}", "A signed link to an hour's (yyyyMMddHH) messages")
        .errors(&[(400, "illegal_argument", "a bad hour"), (403, "illegal_argument", "past 3 days"), (404, "storage_object_not_found", "nothing that hour")]),
    at("GET", "/{org}/{app}/chatmessages/{time}.gz", "The hour's messages as gzipped JSON lines (signed, no token)")
        .query(&["Expires", "OSSAccessKeyId", "Signature"]),
    at("GET", "/{org}/{app}/chatgroups/user/{username}", "The groups a user is in").errors(NOT_USER),
    at("GET", "/{org}/{app}/users/{username}/joined_chatgroups", "The groups a user is in, paged").query(&["pagenum", "pagesize"]),
    at("GET", "/{org}/{app}/users/{username}/joined_chatrooms", "The chat rooms a user is in, paged").query(&["pagenum", "pagesize"]),
    at("GET", "/{org}/{app}/chatgroups/{group_id}/user/{username}/is_joined", "Whether a user is in a group").errors(NO_CHAT),
    at("POST", "/{org}/{app}/chatgroups/{group_id}/user/{username}/is_joined", "Whether a user is in a group").errors(NO_CHAT),
    at("POST", "/{org}/{app}/chatgroups/{group_id}/disable", "Ban a group").errors(NO_CHAT),
    at("POST", "/{org}/{app}/chatgroups/{group_id}/enable", "Lift a group's ban").errors(NO_CHAT),
];

const ACCOUNT: &[RouteDoc] = &[
    at(
        "GET",
        "/{org}/{app}/users/{username}/status",
        "Online status (always offline)",
    )
    .errors(NOT_USER),
    at(
        "POST",
        "/{org}/{app}/users/batch/status",
        "Online status of up to 100 users",
    )
    .body(r#"{"usernames":["alice","bob"]}"#),
    at(
        "POST",
        "/{org}/{app}/users/{username}/deactivate",
        "Ban a user",
    )
    .errors(NOT_USER),
    at(
        "POST",
        "/{org}/{app}/users/{username}/activate",
        "Lift a user's ban",
    )
    .errors(NOT_USER),
    at(
        "GET",
        "/{org}/{app}/users/{username}/disconnect",
        "Force a user offline",
    )
    .errors(NOT_USER),
    at(
        "DELETE",
        "/{org}/{app}/users/{username}/disconnect/{resource}",
        "Force one device offline",
    )
    .errors(NOT_USER),
    at(
        "GET",
        "/{org}/{app}/users/{username}/resources",
        "A user's devices (always none)",
    )
    .errors(NOT_USER),
    at(
        "POST",
        "/{org}/{app}/mutes",
        "Mute a user app-wide per chat type, in seconds",
    )
    .body(r#"{"username":"alice","chat":3600,"groupchat":0,"chatroom":0}"#)
    .errors(&[(400, "required_property_not_found", "no such user")]),
    at("GET", "/{org}/{app}/mutes", "App-wide mutes").query(&["pageNum", "pageSize"]),
    at(
        "GET",
        "/{org}/{app}/mutes/{username}",
        "One user's app-wide mutes",
    ),
    at(
        "PUT",
        "/{org}/{app}/metadata/user/{username}",
        "Set user attributes (form-encoded, 2 KB per user)",
    )
    .errors(&[(403, "FORBIDDEN", "over the size")]),
    at(
        "GET",
        "/{org}/{app}/metadata/user/{username}",
        "A user's attributes",
    ),
    at(
        "DELETE",
        "/{org}/{app}/metadata/user/{username}",
        "Remove a user's attributes",
    ),
    at(
        "POST",
        "/{org}/{app}/metadata/user/get",
        "Attributes of up to 100 users",
    )
    .body(r#"{"targets":["alice","bob"],"properties":["avatar"]}"#),
    at(
        "GET",
        "/{org}/{app}/metadata/user/capacity",
        "The app's total attribute bytes",
    ),
    at(
        "GET",
        "/{org}/{app}/users/{username}/contacts/users",
        "A user's contacts",
    ),
    at(
        "POST",
        "/{org}/{app}/users/{username}/contacts/users/{friend}",
        "Add a contact (mutual)",
    )
    .errors(&[(403, "exceed_limit", "over 100 contacts")]),
    at(
        "DELETE",
        "/{org}/{app}/users/{username}/contacts/users/{friend}",
        "Remove a contact",
    ),
    at(
        "POST",
        "/{org}/{app}/users/{username}/contacts/import",
        "Import contacts",
    )
    .body(r#"{"usernames":["bob"]}"#),
    at(
        "GET",
        "/{org}/{app}/user/{username}/contacts",
        "A page of contacts with remarks",
    )
    .query(&["limit", "cursor", "needReturnRemark"]),
    at(
        "PUT",
        "/{org}/{app}/user/{username}/contacts/users/{friend}",
        "Set a contact's remark",
    )
    .body(r#"{"remark":"old friend"}"#),
    at(
        "GET",
        "/{org}/{app}/users/{username}/blocks/users",
        "A user's block list",
    ),
    at(
        "POST",
        "/{org}/{app}/users/{username}/blocks/users",
        "Block users (up to 500)",
    )
    .body(r#"{"usernames":["bob"]}"#)
    .errors(&[(403, "exceed_limit", "over 500 blocks")]),
    at(
        "DELETE",
        "/{org}/{app}/users/{username}/blocks/users/{blocked}",
        "Unblock a user",
    ),
];

/// Every documented Easemob route.
pub const ROUTES: &[&[RouteDoc]] = &[CORE, ACCOUNT, &GROUPS, &ROOMS];

/// Easemob in the OpenAPI document.
pub const API: ApiDoc = ApiDoc {
    name: "easemob",
    description: "Easemob (环信) REST under /{org}/{app} (default demo/chat). Bearer token from \
                  POST /{org}/{app}/token. Errors: the HTTP status with {error, exception, \
                  timestamp, duration, error_description}.",
    security: Some(r#"{"type":"http","scheme":"bearer"}"#),
    envelope: r#"{"type":"object","properties":{"action":{"type":"string"},"application":{"type":"string"},"uri":{"type":"string"},"entities":{"type":"array"},"data":{},"timestamp":{"type":"integer"},"duration":{"type":"integer"},"organization":{"type":"string"},"applicationName":{"type":"string"}}}"#,
    error: r#"{"type":"object","required":["error","error_description"],"properties":{"error":{"type":"string"},"exception":{"type":"string"},"timestamp":{"type":"integer"},"duration":{"type":"integer"},"error_description":{"type":"string"}}}"#,
    error_example,
    common_errors: &[
        (401, "unauthorized", "no, an expired or a foreign token"),
        (
            404,
            "organization_application_not_found",
            "an unknown org/app with --strict-tenants",
        ),
        (429, "reach_limit", "over the route's calls per second"),
    ],
    routes: ROUTES,
};

fn error_example(code: &str, what: &str) -> serde_json::Value {
    serde_json::json!({"error": code, "exception": "", "timestamp": 1_700_000_000_000_i64,
        "duration": 0, "error_description": what})
}

#[cfg(test)]
#[allow(clippy::derivable_impls)]
mod tests {
    use super::super::account_routes::AccountRoute;
    use super::super::chat_store::Kind;
    use super::super::chats::{chat_route, ChatRouteDiscriminants as ChatRoute};
    use super::super::routes::{route_of, Route};
    use super::super::send::Audience;
    use super::super::tenant::Target;
    use super::API;
    use strum::IntoEnumIterator;

    // Placeholders for the variants' fields while iterating them (every_route spells out
    // the real combinations); only these tests need them, so they are not derived.
    impl Default for Target {
        fn default() -> Self {
            Self::Users
        }
    }
    impl Default for Audience {
        fn default() -> Self {
            Self::All
        }
    }
    impl Default for Kind {
        fn default() -> Self {
            Self::Group
        }
    }
    impl Default for AccountRoute {
        fn default() -> Self {
            Self::Status
        }
    }

    /// Every route the matcher can give, its fields spelled out.
    fn every_route() -> Vec<Route> {
        use {Audience::*, Target::*};
        let expand = |route| match route {
            Route::Send(..) => [(Users, All), (ChatGroups, All), (ChatRooms, All)]
                .into_iter()
                .chain([(ChatGroups, Members), (ChatRooms, Members)])
                .map(|(t, a)| Route::Send(t, a))
                .collect(),
            Route::Account(_) => AccountRoute::iter().map(Route::Account).collect(),
            Route::Chats(_) => vec![Route::Chats(Kind::Group), Route::Chats(Kind::Room)],
            Route::Joined(_) => vec![Route::Joined(Kind::Group), Route::Joined(Kind::Room)],
            other => vec![other],
        };
        Route::iter().flat_map(expand).collect()
    }

    #[test]
    fn every_easemob_route_the_matcher_has_is_documented_and_back() {
        let mut reached = Vec::new();
        for doc in API.all_routes() {
            let path = doc.sample(|_| "1".into());
            let rest = path.strip_prefix("/1/1").unwrap_or_default();
            let route = route_of(rest);
            assert!(
                route.is_some(),
                "{} {} matches no route",
                doc.method,
                doc.path
            );
            reached.extend(route);
        }
        for route in every_route() {
            assert!(
                reached.contains(&route),
                "{route:?} is missing from route_docs.rs"
            );
        }
    }

    #[test]
    fn every_group_and_room_route_is_documented_and_back() {
        let mut reached = Vec::new();
        for doc in API.all_routes() {
            let path = doc.sample(|_| "1".into());
            let rest = path.strip_prefix("/1/1").unwrap_or_default();
            let Some(Route::Chats(kind)) = route_of(rest) else {
                continue;
            };
            let segments: Vec<&str> = rest.split('/').skip(2).collect();
            let route = ChatRoute::from(chat_route(&segments, doc.method, kind));
            let refused = [ChatRoute::NotAllowed, ChatRoute::NoSuchPath];
            assert!(
                !refused.contains(&route),
                "{} {}: {route:?}",
                doc.method,
                doc.path
            );
            reached.push(route);
        }
        for route in ChatRoute::iter()
            .filter(|r| !matches!(r, ChatRoute::NotAllowed | ChatRoute::NoSuchPath))
        {
            assert!(
                reached.contains(&route),
                "{route:?} is missing from route_docs.rs"
            );
        }
    }
}
