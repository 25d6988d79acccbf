//! The emulated providers. Each owns its routes, wire types, validation, auth and error
//! envelope; they meet only here, where the admin API reaches them through [`Provider`].

pub mod anqicms;
pub mod easemob;
pub mod openim;
pub mod yunxin;

/// What the admin API may ask of any provider.
pub trait Provider: Send + Sync {
    /// The provider's name in the journal and the admin API (`easemob`, ...).
    fn name(&self) -> &'static str;
    /// Forgets the state of `tenant` (all tenants when `None`), its journal included; the
    /// next call starts from the fixtures again.
    fn reset(&self, tenant: Option<&str>);
    /// How many tenants currently have state.
    fn tenant_count(&self) -> usize;
    /// What its stores hold, by name (users, files, ...), for health.
    fn usage(&self) -> Vec<(&'static str, u64)>;
    /// Which fixtures were loaded and the tenants they hold, for the start-up log.
    fn fixture_summary(&self) -> String;
    /// Every tenant with state: its name, whether the fixtures made it, the credentials a
    /// client needs, and what its stores hold.
    fn tenants(&self) -> Vec<TenantInfo>;
    /// The complete state of every tenant (users, groups, tokens, sequences, ...), as one
    /// JSON value of the provider's own shape, for `GET /_emulator/state`.
    fn snapshot(&self) -> serde_json::Value;
    /// Replaces every tenant's state with `state`, as [`Provider::snapshot`] gave it.
    fn restore(&self, state: serde_json::Value) -> Result<(), String>;
    /// Creates a tenant from `fixture`, the fields of one entry of the provider's
    /// `tenants.json` (`"name"` may stand for Easemob's `org` and `app`, as `org/app` or
    /// `org#app`, and for Yunxin's `app_key`), the missing ones taken from its `defaults`. From
    /// then on it is a tenant like a fixture's, even under `--strict-tenants`, and a reset
    /// brings it back as created. Returns its name as [`Provider::tenants`] lists it.
    fn create_tenant(&self, fixture: Fixture) -> Result<String, Refusal>;
    /// Deletes the tenant `name`, created at run time or made by a call, with its journal
    /// partitions: calls naming it then find an unknown tenant. Fixture tenants stay.
    fn delete_tenant(&self, name: &str) -> Result<(), Refusal>;
    /// The fixture objects of the tenants created at run time, for the state document.
    fn created_tenants(&self) -> Vec<Fixture>;
    /// Remembers `fixtures` as the tenants created at run time (a state document's), so that
    /// listings and resets treat them so; refused whole when one does not parse.
    fn recreate_tenants(&self, fixtures: Vec<Fixture>) -> Result<(), String>;
    /// The names of the errors a fault rule may answer with (`reach_limit`, `1001`, ...).
    fn fault_errors(&self) -> Vec<String>;
    /// The provider's own error `name` as the answer to `req`; `None` for an unknown name.
    fn fault(&self, name: &str, req: &actix_web::HttpRequest) -> Option<actix_web::HttpResponse>;
}

/// Tags `response` with the provider's own error, for the request log.
pub fn tag(response: &mut actix_web::HttpResponse, code: Option<i64>, name: &str, message: &str) {
    let failure = crate::core::requests::Failure {
        code,
        name: name.to_owned(),
        message: message.to_owned(),
    };
    response.extensions_mut().insert(failure);
}

/// A tenant's fixture object, as `POST /_emulator/tenants` gives it.
pub type Fixture = serde_json::Map<String, serde_json::Value>;

pub use crate::core::created::Refusal;

/// One tenant as `GET /_emulator/tenants` shows it.
#[derive(Debug, serde::Serialize)]
pub struct TenantInfo {
    pub name: String,
    pub fixture: bool,
    /// `fixtures`, `admin` (created through `POST /_emulator/tenants`) or `call` (made from
    /// the defaults by a provider call).
    pub origin: &'static str,
    #[serde(serialize_with = "as_map")]
    pub credentials: Vec<(&'static str, String)>,
    #[serde(serialize_with = "as_map")]
    pub counts: Vec<(&'static str, u64)>,
}

/// The [`TenantInfo`] of every tenant in `tenants`, `describe` giving its credentials and
/// counts; each is marked with where it came from.
pub fn tenant_infos<T, S>(
    tenants: &crate::core::tenants::TenantMap<T>,
    fixtures: &crate::core::fixtures::Tenants<S>,
    describe: impl Fn(&T) -> (Vec<(&'static str, String)>, Vec<(&'static str, u64)>),
) -> Vec<TenantInfo> {
    let entries = tenants.entries().into_iter();
    entries
        .map(|(name, tenant)| {
            let (credentials, counts) = describe(&tenant);
            let origin = fixtures.origin(&name);
            TenantInfo {
                fixture: origin == crate::core::created::Origin::Fixtures,
                origin: origin.as_str(),
                name: name.to_string(),
                credentials,
                counts,
            }
        })
        .collect()
}

fn as_map<S: serde::Serializer, V: serde::Serialize>(
    pairs: &[(&'static str, V)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

/// The start-up log line of a provider's fixtures: where they came from and their tenants.
pub fn fixture_summary<'a>(source: &str, tenants: impl Iterator<Item = &'a String>) -> String {
    let mut names: Vec<&str> = tenants.map(String::as_str).collect();
    names.sort_unstable();
    let names = if names.is_empty() {
        "(none)".to_owned()
    } else {
        names.join(", ")
    };
    format!("{source} fixtures, tenants {names}")
}

/// What `POST /_emulator/{provider}/client-send` gave: a message sent as a client device sends
/// it, through the provider's before-send callback when the tenant configures one.
#[derive(Debug)]
pub enum ClientSend {
    /// The message was delivered: as the provider stores it (after any change the callback
    /// asked for), and the before-send callback's id when one was sent.
    Sent {
        message: serde_json::Value,
        callback: Option<u64>,
    },
    /// The message was refused, with the error the provider's client SDK reports.
    Blocked {
        code: i64,
        name: String,
        message: String,
        callback: Option<u64>,
    },
    /// The request is malformed: 400.
    Invalid(String),
    /// The tenant, or a user or group it names, does not exist: 404.
    NotFound(String),
}
