//! `/_emulator/anqicms/orders/{id}/messages` and `/quote`: the merchant's side of an AnqiCMS
//! communication order, which the real site keeps in its admin panel with no public API. A
//! test plays the merchant: `POST .../messages {"sender_type": "admin"|"system",
//! "sender_name"?, "message_type", "content"}` posts into the order, `POST .../quote
//! {"quote_price", "quote_content"}` quotes it (status 2). `?tenant=NAME` picks a site other
//! than `default`.

use super::{bad_request, problem};
use crate::core::query::Params;
use crate::providers::anqicms::{self, Failure, Post};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{Map, Value};

/// What a merchant route acts on.
#[derive(Clone, Copy)]
#[cfg_attr(test, derive(Debug, PartialEq, Default))]
pub enum Action {
    #[cfg_attr(test, default)]
    Message,
    Quote,
}

/// The order and the action of a path under `/anqicms/orders/`.
pub fn route_of(rest: &str) -> Option<(u64, Action)> {
    let rest = rest.strip_prefix("/anqicms/orders/")?;
    let (id, action) = rest.split_once('/')?;
    let action = match action {
        "messages" => Action::Message,
        "quote" => Action::Quote,
        _ => return None,
    };
    Some((id.parse().ok()?, action))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageBody {
    sender_type: String,
    #[serde(default)]
    sender_name: Option<String>,
    message_type: String,
    content: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuoteBody {
    quote_price: Value,
    #[serde(default)]
    quote_content: String,
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    let object: Map<String, Value> =
        serde_json::from_slice(body).map_err(|e| format!("bad merchant request: {e}"))?;
    serde_json::from_value(Value::Object(object)).map_err(|e| format!("bad merchant request: {e}"))
}

/// Answers a merchant call on the order `id`.
pub fn act(req: &HttpRequest, id: u64, action: Action, body: &[u8]) -> HttpResponse {
    let Some(state) = req.app_data::<web::Data<anqicms::State>>() else {
        return bad_request("AnqiCMS is not mounted".into());
    };
    let params = Params::parse(req.query_string()).unwrap_or_default();
    let tenant = params.get("tenant").unwrap_or(anqicms::DEFAULT_TENANT);
    let result = match action {
        Action::Message => parse::<MessageBody>(body).map(|b| {
            let post = Post {
                sender_type: &b.sender_type,
                sender_name: b.sender_name.as_deref(),
                message_type: &b.message_type,
                content: &b.content,
            };
            state.merchant_message(tenant, id, &post).map(|m| json(&m))
        }),
        Action::Quote => parse::<QuoteBody>(body).map(|b| {
            let price = match &b.quote_price {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => {
                    return Err(Failure::Invalid(
                        "quote_price is a string or a number".into(),
                    ))
                }
            };
            state
                .merchant_quote(tenant, id, &price, &b.quote_content)
                .map(|o| json(&o))
        }),
    };
    match result {
        Err(message) => bad_request(message),
        Ok(Ok(response)) => response,
        Ok(Err(Failure::NotFound(message))) => problem(StatusCode::NOT_FOUND, "not_found", message),
        Ok(Err(Failure::Invalid(message))) => bad_request(message.into_owned()),
    }
}

fn json<T: serde::Serialize>(value: &T) -> HttpResponse {
    HttpResponse::Ok().json(value)
}
