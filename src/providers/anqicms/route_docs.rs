//! AnqiCMS's documented routes (site `default`; another site under `/tenants/{name}`), for
//! the OpenAPI document and the 404 suggestions. The test below holds the table to
//! [`routes::route_of`]: a route the matcher has and the table lacks fails it.

use crate::core::route_doc::{ApiDoc, RouteDoc};

const fn at(method: &'static str, path: &'static str, summary: &'static str) -> RouteDoc {
    RouteDoc::new(method, path, summary)
}

const NO_ORDER: &[(u16, &str, &str)] = &[(200, "-1", "订单不存在 (no such order)")];

/// Every documented AnqiCMS route.
pub const ROUTES: &[RouteDoc] = &[
    at("POST", "/api/register", "Register a user")
        .body(r#"{"user_name":"bob","password":"secret123","real_name":"Bob","email":"bob@example.com","phone":""}"#),
    at("POST", "/api/login", "Log in: the user and its token")
        .body(r#"{"user_name":"alice","password":"alice123"}"#)
        .answer(r#"{"code":0,"data":{"id":1,"user_name":"alice","email":"alice@example.com","status":1,"token":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..."},"msg":""}"#)
        .errors(&[(200, "-1", "wrong user name or password")]),
    at("GET", "/api/communication/orders", "The user's orders").query(&["current", "page_size"]),
    at(
        "POST",
        "/api/communication/order/create",
        "Create a communication order",
    )
    .body(r#"{"archive_id":1,"title":"Need a quote","content":"details","phone":"13800000000","event_date":"2026-12-24","images":[]}"#),
    at("GET", "/api/communication/order/detail", "One order")
        .query(&["id"])
        .errors(NO_ORDER),
    at("POST", "/api/communication/order/update", "Update an order")
        .body(r#"{"id":1,"title":"Need a quote","content":"more details","phone":"13800000000"}"#)
        .errors(NO_ORDER),
    at(
        "POST",
        "/api/communication/order/accept",
        "Accept the merchant's quote",
    )
    .body(r#"{"id":1}"#)
    .errors(NO_ORDER),
    at("GET", "/api/communication/messages", "An order's messages")
        .query(&["comm_order_id", "current", "page_size"])
        .errors(NO_ORDER),
    at(
        "POST",
        "/api/communication/message/send",
        "Send a message in an order",
    )
    .body(r#"{"comm_order_id":1,"message_type":"text","content":"hello"}"#)
    .errors(NO_ORDER),
];

/// AnqiCMS in the OpenAPI document.
pub const API: ApiDoc = ApiDoc {
    name: "anqicms",
    description: "AnqiCMS communication orders of site default; another site is the same \
                  routes under /tenants/{name}. Token header (or token cookie) from /api/login. Answers HTTP 200 \
                  {code, msg, data}; errors {code, msg}: -1 with the reason, 1001 without a \
                  login. An unknown path or method is the site's HTML 404 page.",
    security: Some(r#"{"type":"apiKey","in":"header","name":"Token"}"#),
    envelope: r#"{"type":"object","required":["code","msg"],"properties":{"code":{"type":"integer"},"msg":{"type":"string"},"data":{},"total":{"type":"integer"}}}"#,
    error: r#"{"type":"object","required":["code","msg"],"properties":{"code":{"type":"integer"},"msg":{"type":"string"}}}"#,
    error_example,
    common_errors: &[(200, "1001", "a call that needs a login")],
    routes: &[ROUTES],
};

fn error_example(code: &str, what: &str) -> serde_json::Value {
    serde_json::json!({"code": code.parse::<i64>().unwrap_or(0), "msg": what})
}

#[cfg(test)]
mod tests {
    use super::super::routes::{route_of, Route};
    use super::ROUTES;
    use actix_web::http::Method;
    use strum::IntoEnumIterator;

    #[test]
    fn every_anqicms_route_is_documented_and_back() {
        let mut reached = Vec::new();
        for doc in ROUTES {
            let method = Method::from_bytes(doc.method.as_bytes()).unwrap();
            let route = route_of(&method, doc.path);
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
