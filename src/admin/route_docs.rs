//! The admin API's documented routes, for the OpenAPI document, the admin 404 answer and the
//! router's suggestions. The test below holds the table to [`super::route_of`]: an admin
//! route the matcher has and the table lacks fails it.

use crate::core::route_doc::{ApiDoc, RouteDoc};

const fn at(method: &'static str, path: &'static str, summary: &'static str) -> RouteDoc {
    RouteDoc::new(method, path, summary)
}

const BAD: &[(u16, &str, &str)] = &[(400, "bad_request", "a malformed body or parameter")];

/// Every admin route.
pub const ROUTES: &[RouteDoc] = &[
    at(
        "GET",
        "/_emulator/health",
        "Status, version, uptime, clock, counts and limits",
    ),
    at(
        "GET",
        "/_emulator/messages",
        "Every delivered message, one normalized record per recipient; wait_ms long-polls",
    )
    .query(&[
        "provider",
        "tenant",
        "conversation",
        "chat_type",
        "from",
        "to",
        "type",
        "since_ms",
        "until_ms",
        "limit",
        "wait_ms",
        "min_count",
    ])
    .errors(BAD),
    at(
        "GET",
        "/_emulator/conversations",
        "One tenant's conversations, newest activity first, with their newest message",
    )
    .query(&["provider", "tenant", "q", "limit", "offset"])
    .errors(BAD),
    at(
        "GET",
        "/_emulator/conversations/messages",
        "One conversation's messages by key, a page back from its newest",
    )
    .query(&["provider", "tenant", "key", "before", "limit"])
    .errors(BAD),
    at(
        "GET",
        "/_emulator/tenants",
        "Every tenant with state, its credentials and counts",
    )
    .query(&["provider"])
    .errors(BAD),
    at(
        "POST",
        "/_emulator/tenants",
        "Create a tenant from one fixture entry plus its provider",
    )
    .body(r#"{"provider":"easemob","name":"ci/run-42","client_id":"YXA6ci-id","client_secret":"YXA6ci-secret","users":[{"username":"alice","password":"alice-pw"}]}"#)
    .errors(&[
        (400, "bad_request", "a malformed body, unknown provider or invalid settings"),
        (409, "conflict", "a tenant of that name exists"),
        (507, "insufficient_storage", "the provider holds --max-tenants tenants"),
    ]),
    at(
        "DELETE",
        "/_emulator/tenants",
        "Delete a tenant created at run time or by a call, with its messages",
    )
    .query(&["provider", "name"])
    .errors(&[
        (400, "bad_request", "a missing or unknown parameter"),
        (404, "not_found", "no such tenant"),
        (409, "conflict", "a fixture tenant: reset it instead"),
    ]),
    at(
        "GET",
        "/_emulator/requests",
        "The request log: every provider call with its status, the provider's own error, headers and bodies",
    )
    .query(&[
        "provider",
        "tenant",
        "method",
        "status",
        "failed",
        "path",
        "since_ms",
        "until_ms",
        "after",
        "limit",
        "wait_ms",
        "min_count",
    ])
    .errors(BAD),
    at(
        "GET",
        "/_emulator/callbacks",
        "Every attempt to deliver a provider's callback to the application: request, answer, latency, outcome",
    )
    .query(&[
        "provider", "tenant", "event", "outcome", "after", "limit", "wait_ms", "min_count",
    ])
    .errors(BAD),
    at(
        "POST",
        "/_emulator/callbacks/{callback}/replay",
        "Send a callback's exact request again, as a new callback",
    )
    .answer(r#"{"callback":7}"#)
    .errors(&[(404, "not_found", "no attempt of that callback is kept")]),
    at(
        "GET",
        "/_emulator/events",
        "Server-Sent Events: messages, calls and callback attempts as they happen; Last-Event-ID resumes",
    )
    .query(&[
        "kinds",
        "provider",
        "tenant",
        "conversation",
        "chat_type",
        "from",
        "to",
        "type",
        "method",
        "status",
        "failed",
        "path",
        "event",
        "outcome",
    ])
    .errors(&[
        (400, "bad_request", "a malformed parameter"),
        (503, "too_many_subscribers", "256 subscribers listen already"),
    ]),
    at(
        "GET",
        "/_emulator/state",
        "The whole state of every provider as one versioned JSON document",
    ),
    at(
        "PUT",
        "/_emulator/state",
        "Replace the whole state with a document GET /_emulator/state gave",
    )
    .body(r#"{"format":"im-emulator-state","version":1,"clock":{},"ids":{},"journal":{},"providers":{}}"#)
    .errors(&[
        (400, "bad_request", "a malformed document; nothing changes"),
        (400, "version_mismatch", "a document of another version"),
        (413, "payload_too_large", "over 256 MiB"),
    ]),
    at("GET", "/_emulator/faults", "The fault rules, with how often each fired"),
    at(
        "POST",
        "/_emulator/faults",
        "Add a fault rule: a provider's own error, latency or a closed connection, for matching calls",
    )
    .body(r#"{"provider":"easemob","path":"/*/*/messages/*","error":"reach_limit","times":2}"#)
    .errors(&[
        (400, "bad_request", "a malformed rule, or an error the provider does not have"),
        (409, "too_many_faults", "100 rules are kept already"),
    ]),
    at("DELETE", "/_emulator/faults", "Remove every fault rule"),
    at("DELETE", "/_emulator/faults/{id}", "Remove one fault rule")
        .errors(&[(404, "not_found", "no such rule")]),
    at(
        "POST",
        "/_emulator/reset",
        "Forget everything, one provider, or one tenant",
    )
    .query(&["provider", "tenant"])
    .errors(BAD),
    at("GET", "/_emulator/clock", "The emulator's clock")
        .answer(r#"{"now_ms":1796150000000,"frozen":true}"#),
    at(
        "PUT",
        "/_emulator/clock",
        "Pin the clock (running: let it run on)",
    )
    .body(r#"{"now_ms":1700000000000,"running":false}"#)
    .errors(BAD),
    at("DELETE", "/_emulator/clock", "Back to real time"),
    at("POST", "/_emulator/clock/advance", "Move the clock by ms")
        .body(r#"{"ms":60000}"#)
        .errors(BAD),
    at(
        "POST",
        "/_emulator/anqicms/orders/{id}/messages",
        "The AnqiCMS merchant posts into an order",
    )
    .body(r#"{"sender_type":"admin","sender_name":"shop","message_type":"text","content":"hello"}"#)
    .query(&["tenant"])
    .errors(BAD),
    at(
        "POST",
        "/_emulator/anqicms/orders/{id}/quote",
        "The AnqiCMS merchant quotes an order",
    )
    .body(r#"{"quote_price":100,"quote_content":"our offer"}"#)
    .query(&["tenant"])
    .errors(BAD),
    at(
        "POST",
        "/_emulator/easemob/{org}/{app}/users/{username}/delivered",
        "Mark every message to an Easemob user delivered",
    ),
    at(
        "POST",
        "/_emulator/easemob/client-send",
        "Send a message as an Easemob client device: the pre-send callback may pass, block or change it",
    )
    .query(&["tenant"])
    .errors(&[
        (400, "bad_request", "a malformed message"),
        (404, "not_found", "no such tenant, user or group"),
    ]),
    at(
        "POST",
        "/_emulator/yunxin/client-send",
        "Send a message as a Yunxin client device: the third-party callback may pass, block or change it",
    )
    .query(&["tenant"])
    .errors(&[
        (400, "bad_request", "a malformed message"),
        (404, "not_found", "no such tenant, user or group"),
    ]),
    at(
        "POST",
        "/_emulator/openim/client-send",
        "Not emulated: OpenIM fires its webhooks for /msg/send_msg itself",
    )
    .errors(&[(404, "not_found", "always")]),
    at(
        "POST",
        "/_emulator/anqicms/client-send",
        "Not emulated: AnqiCMS has no callbacks",
    )
    .errors(&[(404, "not_found", "always")]),
    at(
        "GET",
        "/_emulator/openapi.json",
        "This OpenAPI 3.1 document of the admin API and every emulated provider route",
    ),
];

/// The admin API in the OpenAPI document.
pub const API: ApiDoc = ApiDoc {
    name: "admin",
    description: "The emulator's own control plane under /_emulator, in plain JSON; errors \
                  {error, message}. With --admin-token every call needs Authorization: \
                  Bearer TOKEN; writes must be JSON and same-origin. The web inspector reading \
                  it is at /_emulator/ui/.",
    security: Some(r#"{"type":"http","scheme":"bearer","description":"only with --admin-token"}"#),
    envelope: r#"{"type":"object"}"#,
    error: r#"{"type":"object","required":["error","message"],"properties":{"error":{"type":"string"},"message":{"type":"string"}}}"#,
    error_example,
    common_errors: &[(401, "unauthorized", "a missing or wrong admin token")],
    routes: &[ROUTES],
};

fn error_example(code: &str, what: &str) -> serde_json::Value {
    serde_json::json!({"error": code, "message": what})
}

#[cfg(test)]
mod tests {
    use super::super::client_send::Client;
    use super::super::{merchant::Action, route_of, Route};
    use super::ROUTES;
    use strum::IntoEnumIterator;

    /// Every admin route the matcher can give, its fields spelled out.
    fn every_route() -> Vec<Route> {
        let expand = |route| match route {
            Route::Merchant(..) => vec![
                Route::Merchant(1, Action::Message),
                Route::Merchant(1, Action::Quote),
            ],
            Route::Fault(_) => vec![Route::Fault(1)],
            Route::Replay(_) => vec![Route::Replay(1)],
            Route::ClientSend(_) => vec![
                Route::ClientSend(Client::Easemob),
                Route::ClientSend(Client::Yunxin),
                Route::ClientSend(Client::Other),
            ],
            other => vec![other],
        };
        Route::iter().flat_map(expand).collect()
    }

    #[test]
    fn every_admin_route_the_matcher_has_is_documented_and_back() {
        let mut reached = Vec::new();
        for doc in ROUTES {
            let path = doc.sample(|_| "1".into());
            let route = route_of(&path);
            assert!(
                route.is_some(),
                "{} {} matches no admin route",
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
}
