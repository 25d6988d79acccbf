//! `GET /_emulator/openapi.json`: the document is OpenAPI 3.1 in shape, every operation it
//! lists reaches its route on the running server, and every other method on a documented
//! path gets the provider's own refusal. (The other direction, a route the server has and
//! the document lacks, is held by the unit tests beside each route table.)

mod common;

use common::{spawn_app, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashSet};

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// One documented operation.
#[derive(Debug)]
struct Op {
    tag: String,
    method: String,
    path: String,
    body: Option<Value>,
}

/// An answer as the checks read it.
struct Answer {
    status: StatusCode,
    allow: Option<String>,
    html: bool,
    text: String,
    json: Value,
}

impl TestApp {
    async fn openapi(&self) -> Value {
        let response = self
            .client
            .get(format!("{}/_emulator/openapi.json", self.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let kind = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(kind.starts_with("application/json"), "{kind}");
        response.json().await.unwrap()
    }

    /// An OpenIM admin token of tenant `default`.
    async fn openim_admin_token(&self) -> String {
        let body = json!({"secret": "openIM123", "userID": "imAdmin"});
        let answer = self
            .client
            .post(format!("{}/auth/get_admin_token", self.url))
            .header("operationID", "1")
            .json(&body)
            .send()
            .await
            .unwrap();
        let answer: Value = answer.json().await.unwrap();
        answer["data"]["token"].as_str().unwrap().to_owned()
    }

    /// Calls `path` as a client of `tag` would, without credentials except OpenIM's token
    /// (OpenIM checks it before it looks the route up).
    async fn call_as(
        &self,
        tag: &str,
        method: &str,
        path: &str,
        body: Option<&Value>,
        im: &str,
    ) -> Answer {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.client.request(method, format!("{}{path}", self.url));
        if tag == "openim" {
            req = req.header("operationID", "1").header("token", im);
        }
        req = match body {
            Some(body) => req.json(body),
            None if tag == "admin" => req.header("content-type", "application/json"),
            None => req,
        };
        let response = req.send().await.expect("the request is answered");
        let status = response.status();
        let header = |name: &str| {
            let value = response.headers().get(name)?;
            Some(value.to_str().unwrap_or_default().to_owned())
        };
        let allow = header("allow");
        let html = header("content-type").is_some_and(|t| t.starts_with("text/html"));
        // A live event stream never ends: its head is the answer.
        let stream = header("content-type").is_some_and(|t| t == "text/event-stream");
        let text = match stream {
            true => String::new(),
            false => response.text().await.unwrap_or_default(),
        };
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            allow,
            html,
            text,
            json,
        }
    }
}

/// Every operation of the document.
fn operations(doc: &Value) -> Vec<Op> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let body = &op["requestBody"]["content"]["application/json"]["example"];
            ops.push(Op {
                tag: op["tags"][0].as_str().unwrap().to_owned(),
                method: method.to_ascii_uppercase(),
                path: path.clone(),
                body: (!body.is_null()).then(|| body.clone()),
            });
        }
    }
    ops
}

/// `template` with sample values: the default Easemob app, user `alice`, and `1` for ids.
fn sample(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}').unwrap();
        out.push_str(&rest[..open]);
        out.push_str(match &rest[open + 1..close] {
            "org" => "demo",
            "app" => "chat",
            "username" | "friend" | "blocked" | "account_id" => "alice",
            _ => "1",
        });
        rest = &rest[close + 1..];
    }
    out + rest
}

/// Whether the concrete `path` fits `template`, a parameter standing for a segment part.
fn fits(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| match t.find('{') {
            None => t == p,
            Some(open) => {
                let suffix = &t[t.find('}').unwrap() + 1..];
                p.len() > open + suffix.len() && p.starts_with(&t[..open]) && p.ends_with(suffix)
            }
        })
}

/// Whether `answer` is what the provider of `tag` gives a path it does not have.
fn is_unknown_path(tag: &str, a: &Answer) -> bool {
    match tag {
        "admin" => a.status == StatusCode::NOT_FOUND && a.text.contains("no admin route"),
        "easemob" => {
            a.status == StatusCode::NOT_FOUND
                && a.json["error"] == "service_resource_not_found"
                && a.json["exception"]
                    == "org.apache.usergrid.services.exceptions.ServiceResourceNotFoundException"
        }
        "openim" => a.status == StatusCode::NOT_FOUND && a.text == "404 page not found",
        "yunxin" => a.status == StatusCode::NOT_FOUND && a.json["code"] == 404,
        "anqicms" => a.status == StatusCode::NOT_FOUND && a.html,
        other => panic!("an operation of an unknown API {other}"),
    }
}

/// Whether `answer` is the provider's refusal of a method its path does not take: a 405 of
/// the admin API and Easemob; gin's, Yunxin's and AnqiCMS's 404, as their servers answer.
fn is_method_refusal(tag: &str, a: &Answer) -> bool {
    match tag {
        "admin" => {
            a.status == StatusCode::METHOD_NOT_ALLOWED && a.json["error"] == "method_not_allowed"
        }
        "easemob" => {
            a.status == StatusCode::METHOD_NOT_ALLOWED && a.json["error"] == "web_application"
        }
        other => is_unknown_path(other, a),
    }
}

#[tokio::test]
async fn the_document_is_openapi_3_1_with_answers_for_every_operation() {
    let app = spawn_app().await;
    let doc = app.openapi().await;

    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1."),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc["info"]["title"], "im-emulator");
    assert!(doc["info"]["version"].is_string());
    let tags: BTreeSet<&str> = doc["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        tags,
        BTreeSet::from(["admin", "anqicms", "easemob", "openim", "yunxin"])
    );
    let mut ids = HashSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(path.starts_with('/'), "{path}");
        for (method, op) in item.as_object().unwrap() {
            let at = format!("{method} {path}");
            assert!(
                METHODS.contains(&method.to_ascii_uppercase().as_str()),
                "{at}"
            );
            assert!(
                ids.insert(op["operationId"].as_str().unwrap().to_owned()),
                "{at}: operationId twice"
            );
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{at}: no summary"
            );
            assert!(
                tags.contains(op["tags"][0].as_str().unwrap()),
                "{at}: an undeclared tag"
            );
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("200"), "{at}: no answer");
            for (status, response) in responses {
                assert!(
                    status.parse::<u16>().is_ok_and(|s| (200..600).contains(&s)),
                    "{at}: {status}"
                );
                assert!(
                    response["description"].is_string(),
                    "{at} {status}: no description"
                );
                let schema = &response["content"]["application/json"]["schema"]["$ref"];
                assert_resolves(&doc, schema.as_str().unwrap(), &at);
            }
            let declared: BTreeSet<&str> = op["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["in"] == "path" && p["required"] == true)
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            let templated: BTreeSet<&str> = path
                .split('{')
                .skip(1)
                .map(|p| p.split('}').next().unwrap())
                .collect();
            assert_eq!(declared, templated, "{at}: path parameters");
            for scheme in op["security"].as_array().into_iter().flatten() {
                for name in scheme.as_object().unwrap().keys() {
                    assert!(
                        doc["components"]["securitySchemes"][name].is_object(),
                        "{at}: {name}"
                    );
                }
            }
        }
    }
}

fn assert_resolves(doc: &Value, reference: &str, at: &str) {
    let name = reference.strip_prefix("#/components/schemas/").unwrap();
    assert!(
        doc["components"]["schemas"][name].is_object(),
        "{at}: {reference} resolves to nothing"
    );
}

#[tokio::test]
async fn the_document_covers_the_admin_api_and_every_provider() {
    let app = spawn_app().await;
    let doc = app.openapi().await;
    let paths = &doc["paths"];

    assert!(paths["/_emulator/openapi.json"]["get"].is_object());
    assert!(paths["/{org}/{app}/messages/users"]["post"]["requestBody"].is_object());
    assert!(paths["/msg/send_msg"]["post"]["requestBody"].is_object());
    assert!(paths["/im/v2/conversations/{conversation_id}/messages"]["post"].is_object());
    assert!(paths["/api/communication/message/send"]["post"].is_object());
    let unauthorized = &paths["/{org}/{app}/users"]["get"]["responses"]["401"];
    let example = &unauthorized["content"]["application/json"]["examples"]["unauthorized"]["value"];
    assert_eq!(
        example["error"], "unauthorized",
        "Easemob errors in Easemob's envelope"
    );
    assert!(example["error_description"].is_string());
    let openim = &paths["/msg/send_msg"]["post"]["responses"]["200"]["content"]["application/json"];
    assert_eq!(
        openim["examples"]["1501"]["value"]["errCode"], 1501,
        "OpenIM errors as errCode"
    );
    let answer = &openim["examples"]["ok"]["value"];
    assert_eq!(answer["errCode"], 0, "the answer beside the errors");
    assert!(answer["data"]["serverMsgID"].is_string());
    let token = &paths["/{org}/{app}/token"]["post"]["responses"]["200"]["content"];
    assert!(token["application/json"]["examples"]["ok"]["value"]["access_token"].is_string());
    assert_eq!(app.openapi().await, doc, "the same document on every call");
}

#[tokio::test]
async fn every_documented_operation_reaches_its_route() {
    let app = spawn_app().await;
    let im = app.openim_admin_token().await;
    let ops = operations(&app.openapi().await);
    assert!(ops.len() > 100, "only {} operations", ops.len());

    let mut missed = Vec::new();
    for op in &ops {
        let path = sample(&op.path);
        let answer = app
            .call_as(&op.tag, &op.method, &path, op.body.as_ref(), &im)
            .await;
        if is_unknown_path(&op.tag, &answer) || answer.status == StatusCode::METHOD_NOT_ALLOWED {
            missed.push(format!(
                "{} {path} ({}): {} {}",
                op.method, op.tag, answer.status, answer.text
            ));
        }
    }
    assert!(
        missed.is_empty(),
        "documented but not routed:\n{}",
        missed.join("\n")
    );
}

#[tokio::test]
async fn every_undocumented_method_on_a_documented_path_is_refused() {
    let app = spawn_app().await;
    let im = app.openim_admin_token().await;
    let ops = operations(&app.openapi().await);

    let mut accepted = Vec::new();
    let paths: BTreeSet<(&str, &str)> = ops
        .iter()
        .map(|op| (op.tag.as_str(), op.path.as_str()))
        .collect();
    for (tag, template) in paths {
        let path = sample(template);
        // A method documented for another template that this path also fits is that route's.
        let documented = |method: &str| {
            ops.iter()
                .any(|op| op.tag == tag && op.method == method && fits(&op.path, &path))
        };
        for method in METHODS.into_iter().filter(|m| !documented(m)) {
            let answer = app.call_as(tag, method, &path, None, &im).await;
            if !is_method_refusal(tag, &answer) {
                accepted.push(format!(
                    "{method} {path} ({tag}): {} {}",
                    answer.status, answer.text
                ));
            }
        }
    }
    assert!(
        accepted.is_empty(),
        "undocumented but answered:\n{}",
        accepted.join("\n")
    );
}

#[tokio::test]
async fn the_admin_405_allows_exactly_the_documented_methods() {
    let app = spawn_app().await;
    let ops = operations(&app.openapi().await);
    let admin: BTreeSet<&str> = ops
        .iter()
        .filter(|o| o.tag == "admin")
        .map(|o| o.path.as_str())
        .collect();

    for template in admin {
        let documented: BTreeSet<&str> = ops
            .iter()
            .filter(|o| o.path == template)
            .map(|o| o.method.as_str())
            .collect();
        let refused = METHODS
            .into_iter()
            .find(|m| !documented.contains(m))
            .unwrap();
        let answer = app
            .call_as("admin", refused, &sample(template), None, "")
            .await;
        assert_eq!(
            answer.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{refused} {template}"
        );
        let allow = answer.allow.unwrap_or_default();
        let allowed: BTreeSet<&str> = allow.split(", ").collect();
        assert_eq!(allowed, documented, "Allow of {template}");
    }
}

#[tokio::test]
async fn a_path_no_provider_has_is_answered_with_documented_routes() {
    let app = spawn_app().await;
    let doc = app.openapi().await;

    let answer = app.call_as("none", "GET", "/messages", None, "").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    let closest = answer.json["closest"].as_array().unwrap();
    assert_eq!(closest.len(), 3);
    for route in closest {
        let (method, path) = route.as_str().unwrap().split_once(' ').unwrap();
        let method = method.to_ascii_lowercase();
        assert!(
            doc["paths"][path][&method].is_object(),
            "{route} is not in the document"
        );
        assert!(
            path.contains("messages"),
            "{route} shares no word with /messages"
        );
    }
}

#[tokio::test]
async fn the_admin_404_lists_the_openapi_route() {
    let app = spawn_app().await;

    let answer = app
        .call_as("admin", "GET", "/_emulator/nothing", None, "")
        .await;

    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.json["error"], "not_found");
    let message = answer.json["message"].as_str().unwrap();
    assert!(message.contains("GET /_emulator/openapi.json"), "{message}");
    assert!(message.contains("PUT /_emulator/clock"), "{message}");
}
