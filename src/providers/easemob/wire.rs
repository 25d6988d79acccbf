//! Easemob's success envelopes (contract §1), with the field order of the wire: the message
//! service's `{path, uri, timestamp, organization, application, action, data, duration,
//! applicationName}` and Usergrid's `{action, application, params?, path, uri, entities,
//! timestamp, data?, duration, organization, applicationName, count?, cursor?}`.

use super::call::Call;
use super::tenant::Tenant;
use actix_web::HttpResponse;
use serde::Serialize;
use std::collections::BTreeMap;

/// The fields every envelope shares.
pub struct Meta<'a> {
    pub action: &'static str,
    pub tenant: &'a Tenant,
    pub path: &'a str,
    pub uri: String,
    pub timestamp: i64,
    pub duration: u64,
}

impl<'a> Meta<'a> {
    /// The envelope fields of `call` on `tenant`, for the collection at `path`.
    pub fn new(call: &Call, tenant: &'a Tenant, action: &'static str, path: &'a str) -> Self {
        let mut uri = call.app_uri();
        uri.push_str(path);
        Self {
            action,
            tenant,
            path,
            uri,
            timestamp: call.now_ms,
            duration: call.duration(),
        }
    }

    /// The same fields, with `uri` naming one entity of the collection: `.../users/{name}`.
    pub fn naming(mut self, name: &str) -> Self {
        self.uri.push('/');
        self.uri.push_str(name);
        self
    }

    /// A message-service answer carrying `data`.
    pub fn message<D: Serialize>(&self, data: D) -> HttpResponse {
        HttpResponse::Ok().json(MessageReply {
            path: self.path,
            uri: &self.uri,
            timestamp: self.timestamp,
            organization: &self.tenant.org,
            application: &self.tenant.application_text,
            action: self.action,
            data,
            duration: self.duration,
            application_name: &self.tenant.app,
        })
    }

    /// A Usergrid answer carrying `entities` and the optional parts in `extra`.
    pub fn entities<E: Serialize, D: Serialize>(
        &self,
        entities: E,
        extra: Extra<D>,
    ) -> HttpResponse {
        let (early, data) = match extra.data_first {
            true => (extra.data, None),
            false => (None, extra.data),
        };
        HttpResponse::Ok().json(EntitiesReply {
            action: self.action,
            application: &self.tenant.application_text,
            params: extra.params,
            path: self.path,
            uri: &self.uri,
            entities,
            early,
            timestamp: self.timestamp,
            data,
            duration: self.duration,
            organization: &self.tenant.org,
            application_name: &self.tenant.app,
            count: extra.count,
            cursor: extra.cursor,
        })
    }
}

/// The optional parts of a Usergrid answer.
pub struct Extra<D> {
    pub params: Option<BTreeMap<String, Vec<String>>>,
    pub data: Option<D>,
    pub count: Option<usize>,
    pub cursor: Option<String>,
    /// `data` before `timestamp`, as the group, room, contact and status answers of the docs
    /// have it (the batch register has it after).
    pub data_first: bool,
}

impl<D> Default for Extra<D> {
    fn default() -> Self {
        Self {
            params: None,
            data: None,
            count: None,
            cursor: None,
            data_first: false,
        }
    }
}

#[derive(Serialize)]
struct MessageReply<'a, D> {
    path: &'a str,
    uri: &'a str,
    timestamp: i64,
    organization: &'a str,
    application: &'a str,
    action: &'a str,
    data: D,
    duration: u64,
    #[serde(rename = "applicationName")]
    application_name: &'a str,
}

#[derive(Serialize)]
struct EntitiesReply<'a, E, D> {
    action: &'a str,
    application: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    params: Option<BTreeMap<String, Vec<String>>>,
    path: &'a str,
    uri: &'a str,
    entities: E,
    #[serde(rename = "data", skip_serializing_if = "Option::is_none")]
    early: Option<D>,
    timestamp: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<D>,
    duration: u64,
    organization: &'a str,
    #[serde(rename = "applicationName")]
    application_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

/// The query string as Usergrid echoes it in `params`: every parameter as an array of strings.
pub fn query_params(call: &Call) -> BTreeMap<String, Vec<String>> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(call.req.query_string()).unwrap_or_default();
    let mut params: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, value) in pairs {
        params.entry(key).or_default().push(value);
    }
    params
}
