//! `GET /_emulator/openapi.json`: one OpenAPI 3.1 document of the admin API and every
//! emulated provider route, built once from the route tables ([`APIS`]) and served from
//! memory. It is never built on a provider's request path.

use crate::core::route_doc::{ApiDoc, RouteDoc};
use crate::providers::{anqicms, easemob, openim, yunxin};
use actix_web::{web, HttpResponse};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Every documented API: the admin API, then each provider.
pub const APIS: [&ApiDoc; 5] = [
    &super::route_docs::API,
    &easemob::route_docs::API,
    &openim::route_docs::API,
    &yunxin::route_docs::API,
    &anqicms::route_docs::API,
];

/// Every documented route of every API.
pub fn all_routes() -> impl Iterator<Item = &'static RouteDoc> {
    APIS.into_iter().flat_map(ApiDoc::all_routes)
}

/// The document, built on first use.
pub fn serve() -> HttpResponse {
    static DOCUMENT: OnceLock<web::Bytes> = OnceLock::new();
    let body = DOCUMENT.get_or_init(|| web::Bytes::from(document().to_string()));
    HttpResponse::Ok()
        .content_type("application/json")
        .body(body.clone())
}

/// The OpenAPI document.
pub fn document() -> Value {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    let mut security = Map::new();
    for api in APIS {
        schemas.insert(format!("{}.answer", api.name), parsed(api.envelope));
        schemas.insert(format!("{}.error", api.name), parsed(api.error));
        if let Some(scheme) = api.security {
            security.insert(api.name.into(), parsed(scheme));
        }
        for route in api.all_routes() {
            let item = paths
                .entry(route.path)
                .or_insert_with(|| Value::Object(Map::new()));
            item[route.method.to_ascii_lowercase()] = operation(api, route);
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "im-emulator",
            "version": crate::VERSION,
            "description": "The admin API of im-emulator and every route it emulates of \
                            Easemob, OpenIM, NetEase Yunxin IM v2 and AnqiCMS, each in the \
                            provider's own envelopes.",
        },
        "servers": [{"url": "http://127.0.0.1:4800"}],
        "tags": APIS.iter().map(|a| json!({"name": a.name, "description": a.description}))
            .collect::<Vec<_>>(),
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": security},
    })
}

fn operation(api: &ApiDoc, route: &RouteDoc) -> Value {
    let mut op = json!({
        "tags": [api.name],
        "operationId": operation_id(route),
        "summary": route.summary,
        "parameters": parameters(route),
        "responses": responses(api, route),
    });
    if api.security.is_some() {
        op["security"] = json!([{ api.name: [] }]);
    }
    if let Some(body) = route.body {
        op["requestBody"] = json!({
            "required": true,
            "content": {"application/json": {"schema": {"type": "object"}, "example": parsed(body)}},
        });
    }
    op
}

/// `post_org_app_messages_users` of `POST /{org}/{app}/messages/users`.
fn operation_id(route: &RouteDoc) -> String {
    let mut id = route.method.to_ascii_lowercase();
    for word in route.path.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !word.is_empty() {
            id.push('_');
            id.push_str(word);
        }
    }
    id
}

fn parameters(route: &RouteDoc) -> Vec<Value> {
    let path = route.params().map(
        |name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
    );
    let query = route.query.iter().map(|name| {
        json!({"name": name, "in": "query", "required": false, "schema": {"type": "string"}})
    });
    path.chain(query).collect()
}

/// The success answer and every error, grouped by HTTP status; errors that share a status
/// with the success answer (the providers that answer errors with HTTP 200) are examples
/// of it.
fn responses(api: &ApiDoc, route: &RouteDoc) -> Value {
    let mut by_status: BTreeMap<u16, Vec<(&str, &str)>> = BTreeMap::new();
    for (status, code, what) in route.errors.iter().chain(api.common_errors) {
        by_status.entry(*status).or_default().push((code, what));
    }
    let mut answers = by_status.remove(&200).unwrap_or_default();
    if let Some(answer) = route.answer {
        answers.insert(0, ("ok", answer));
    }
    let mut responses = Map::new();
    let answer = response(api, "answer", "The answer", answers);
    responses.insert("200".into(), answer);
    for (status, errors) in by_status {
        let text = errors.iter().map(|(c, w)| format!("{c}: {w}"));
        let description = text.collect::<Vec<_>>().join("; ");
        let response = response(api, "error", &description, errors);
        responses.insert(status.to_string(), response);
    }
    Value::Object(responses)
}

/// One response of `schema` (`answer` or `error`) with `examples`: the answer as `ok`, the
/// others errors by code.
fn response(api: &ApiDoc, schema: &str, description: &str, examples: Vec<(&str, &str)>) -> Value {
    let reference = format!("#/components/schemas/{}.{schema}", api.name);
    let mut content = json!({"schema": {"$ref": reference}});
    let example = |(code, what): (&str, &str)| match code {
        "ok" => json!({"summary": "the answer", "value": parsed(what)}),
        _ => json!({"summary": what, "value": (api.error_example)(code, what)}),
    };
    if !examples.is_empty() {
        let examples = examples.into_iter().map(|e| (e.0.to_owned(), example(e)));
        content["examples"] = Value::Object(examples.collect());
    }
    json!({"description": description, "content": {"application/json": content}})
}

/// `text` as JSON; a table's example that is not JSON stays a string (a test refuses it).
fn parsed(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_and_schema_in_the_tables_is_json() {
        for api in APIS {
            for text in [api.envelope, api.error].into_iter().chain(api.security) {
                assert!(
                    serde_json::from_str::<Value>(text).is_ok(),
                    "{}: {text}",
                    api.name
                );
            }
            for route in api.all_routes() {
                for text in route.body.into_iter().chain(route.answer) {
                    let parsed = serde_json::from_str::<Value>(text);
                    assert!(parsed.is_ok(), "{} {}: {text}", route.method, route.path);
                }
            }
        }
    }

    #[test]
    fn no_method_and_path_is_documented_twice() {
        let mut seen = std::collections::HashSet::new();
        for route in all_routes() {
            assert!(
                seen.insert((route.method, route.path)),
                "{} {}",
                route.method,
                route.path
            );
        }
    }
}
