//! Yunxin fixtures: the apps (AppKey and AppSecret) the server hosts, the CheckSum window, the
//! code of an authentication failure, the recall window, the meaning of `descending`, the accounts that exist from the
//! start, the bounds of each store and the message copy (消息抄送): its URL (nothing is sent
//! without one), extra attempts, success statuses and timeout, the last three UNVERIFIED; and
//! the third-party callback (第三方回调) of client-sent messages: its URL, timeout, the result
//! used when it fails (the console's 默认回调结果) and the custom codes an answer may give the
//! sender. The built-in file is `fixtures/yunxin/tenants.json`;
//! `--fixtures DIR` replaces it with `DIR/yunxin/tenants.json`. An unknown AppKey whose
//! CheckSum was computed with the default AppSecret is made from `defaults` by its first
//! successful call.

use crate::core::{created, fixtures};
use crate::providers::Fixture;
use serde::{Deserialize, Serialize};
use std::path::Path;

const BUILT_IN: &str = include_str!("../../../fixtures/yunxin/tenants.json");

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    defaults: TenantFixture,
    #[serde(default)]
    tenants: Vec<TenantFixture>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantFixture {
    app_key: Option<String>,
    app_secret: Option<String>,
    curtime_window_s: Option<i64>,
    auth_failure_code: Option<i64>,
    recall_window_ms: Option<i64>,
    descending_is_newest_first: Option<bool>,
    max_accounts: Option<usize>,
    max_teams: Option<usize>,
    max_messages: Option<usize>,
    accounts: Option<Vec<AccountFixture>>,
    message_copy_url: Option<String>,
    message_copy_retries: Option<u32>,
    message_copy_success: Option<Vec<u16>>,
    message_copy_timeout_ms: Option<u64>,
    third_party_callback_url: Option<String>,
    third_party_callback_timeout_ms: Option<u64>,
    third_party_callback_on_failure: Option<OnFailure>,
    third_party_callback_codes: Option<[i64; 2]>,
}

/// An account that exists from the start.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountFixture {
    pub account_id: String,
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub name: String,
}

/// Everything a tenant is made from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub app_secret: String,
    /// How far CurTime may be from the clock, in seconds.
    pub curtime_window_s: i64,
    /// The code of an authentication failure: 403 (v2), or the legacy 414.
    pub auth_failure_code: i64,
    /// How long after sending a two-way recall is allowed.
    pub recall_window_ms: i64,
    /// Whether a history query's `descending=true` lists the newest first (the docs say
    /// both).
    pub descending_is_newest_first: bool,
    pub max_accounts: usize,
    pub max_teams: usize,
    pub max_messages: usize,
    pub accounts: Vec<AccountFixture>,
    /// Where message copies are POSTed; none are sent without it.
    #[serde(default)]
    pub message_copy_url: Option<String>,
    /// Attempts after a first unsuccessful one (UNVERIFIED: the docs give no count).
    #[serde(default)]
    pub message_copy_retries: u32,
    /// The answer statuses that count as received (the docs say 200, once "200 or 500").
    #[serde(default = "copy_success")]
    pub message_copy_success: Vec<u16>,
    /// How long one attempt may take (5 s, as documented).
    #[serde(default = "copy_timeout_ms")]
    pub message_copy_timeout_ms: u64,
    /// Where the third-party callback of a client-sent message is POSTed; none is sent
    /// without it.
    #[serde(default)]
    pub third_party_callback_url: Option<String>,
    /// How long the callback may take (2 s, as documented).
    #[serde(default = "callback_timeout_ms")]
    pub third_party_callback_timeout_ms: u64,
    /// What a failed or timed-out callback means for the message.
    #[serde(default)]
    pub third_party_callback_on_failure: OnFailure,
    /// The lowest and highest `responseCode` a blocking answer may give the sender; another
    /// one gives 403 (UNVERIFIED).
    #[serde(default = "callback_codes")]
    pub third_party_callback_codes: [i64; 2],
}

/// The console's 默认回调结果: the message passes (放行) or is blocked (不放行) when the
/// third-party callback fails (UNVERIFIED default: pass).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnFailure {
    #[default]
    Pass,
    Block,
}

fn callback_timeout_ms() -> u64 {
    2_000
}

fn callback_codes() -> [i64; 2] {
    [20_000, 20_099]
}

fn copy_success() -> Vec<u16> {
    vec![200]
}

fn copy_timeout_ms() -> u64 {
    5_000
}

/// The loaded fixtures: settings per AppKey, and those of apps made on first use.
pub type Fixtures = fixtures::Tenants<Settings>;

impl Fixtures {
    /// The built-in fixtures, or those of `dir` when it has `yunxin/tenants.json`.
    pub fn load(dir: Option<&Path>) -> Result<Self, String> {
        Self::read_with(dir, "yunxin", "Yunxin", BUILT_IN, Self::parse)
    }

    fn parse(text: &str) -> Result<Self, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let defaults = Settings::builtin().merged(&file.defaults);
        check(&defaults, "defaults")?;
        let mut loaded = Self::new(defaults);
        for t in &file.tenants {
            let (key, settings) = loaded.listed(t)?;
            loaded.add(key, settings)?;
        }
        Ok(loaded)
    }

    /// The AppKey and settings of one app of the file, checked as the server checks them at
    /// start.
    fn listed(&self, t: &TenantFixture) -> Result<(String, Settings), String> {
        let key = t
            .app_key
            .clone()
            .ok_or("every tenant needs an \"app_key\"")?;
        if key.is_empty() || key.len() > 64 {
            return Err(format!("tenant {key:?}: an AppKey has 1 to 64 characters"));
        }
        let settings = self.defaults.merged(t);
        check(&settings, &key)?;
        Ok((key, settings))
    }

    /// The AppKey and settings of an app created at run time from `fixture`, one entry of
    /// the file's `tenants`, whose `"name"` may stand for `app_key`.
    pub fn runtime(&self, fixture: Fixture) -> Result<(String, Settings), String> {
        let fixture = created::name_as(fixture, "app_key")?;
        self.listed(&created::parse(fixture)?)
    }
}

/// Refuses settings the real server could not run with.
fn check(settings: &Settings, tenant: &str) -> Result<(), String> {
    if settings.app_secret.is_empty() {
        return Err(format!("tenant {tenant}: the AppSecret is empty"));
    }
    if !matches!(settings.auth_failure_code, 403 | 414) {
        return Err(format!("tenant {tenant}: auth_failure_code is 403 or 414"));
    }
    check_copy(settings).map_err(|e| format!("tenant {tenant}: {e}"))?;
    check_callback(settings).map_err(|e| format!("tenant {tenant}: {e}"))?;
    let mut seen = std::collections::HashSet::new();
    for account in &settings.accounts {
        let id = account.account_id.to_ascii_lowercase();
        if !super::account_store::legal_account_id(&id) {
            return Err(format!(
                "tenant {tenant}: account {:?} is not legal",
                account.account_id
            ));
        }
        if !seen.insert(id) {
            return Err(format!(
                "tenant {tenant}: account {} is listed twice",
                account.account_id
            ));
        }
    }
    Ok(())
}

/// Refuses message copy settings that could never deliver.
fn check_copy(settings: &Settings) -> Result<(), &'static str> {
    let url = settings.message_copy_url.as_deref();
    if url.is_some_and(|u| !(u.starts_with("http://") || u.starts_with("https://"))) {
        return Err("message_copy_url is an http:// URL");
    }
    if settings.message_copy_retries > 10 {
        return Err("message_copy_retries is at most 10");
    }
    let statuses = &settings.message_copy_success;
    if statuses.is_empty() || statuses.iter().any(|s| !(100..=599).contains(s)) {
        return Err("message_copy_success lists HTTP statuses (100 to 599)");
    }
    if !(1..=60_000).contains(&settings.message_copy_timeout_ms) {
        return Err("message_copy_timeout_ms is 1 to 60000");
    }
    Ok(())
}

/// Refuses third-party callback settings that could never work.
fn check_callback(settings: &Settings) -> Result<(), &'static str> {
    let url = settings.third_party_callback_url.as_deref();
    if url.is_some_and(|u| !(u.starts_with("http://") || u.starts_with("https://"))) {
        return Err("third_party_callback_url is an http:// URL");
    }
    if !(1..=60_000).contains(&settings.third_party_callback_timeout_ms) {
        return Err("third_party_callback_timeout_ms is 1 to 60000");
    }
    let [low, high] = settings.third_party_callback_codes;
    if low < 1 || low > high {
        return Err("third_party_callback_codes is [lowest, highest], positive");
    }
    Ok(())
}

impl Settings {
    fn builtin() -> Self {
        Self {
            app_secret: "demo-appsecret".into(),
            curtime_window_s: 300,
            auth_failure_code: 403,
            recall_window_ms: 120_000,
            descending_is_newest_first: true,
            max_accounts: 10_000,
            max_teams: 1_000,
            max_messages: 100_000,
            accounts: Vec::new(),
            message_copy_url: None,
            message_copy_retries: 0,
            message_copy_success: copy_success(),
            message_copy_timeout_ms: copy_timeout_ms(),
            third_party_callback_url: None,
            third_party_callback_timeout_ms: callback_timeout_ms(),
            third_party_callback_on_failure: OnFailure::Pass,
            third_party_callback_codes: callback_codes(),
        }
    }

    fn merged(&self, f: &TenantFixture) -> Self {
        Self {
            app_secret: f
                .app_secret
                .clone()
                .unwrap_or_else(|| self.app_secret.clone()),
            curtime_window_s: f.curtime_window_s.unwrap_or(self.curtime_window_s),
            auth_failure_code: f.auth_failure_code.unwrap_or(self.auth_failure_code),
            recall_window_ms: f.recall_window_ms.unwrap_or(self.recall_window_ms),
            descending_is_newest_first: (f.descending_is_newest_first)
                .unwrap_or(self.descending_is_newest_first),
            max_accounts: f.max_accounts.unwrap_or(self.max_accounts),
            max_teams: f.max_teams.unwrap_or(self.max_teams),
            max_messages: f.max_messages.unwrap_or(self.max_messages),
            accounts: f.accounts.clone().unwrap_or_else(|| self.accounts.clone()),
            message_copy_url: (f.message_copy_url.clone())
                .or_else(|| self.message_copy_url.clone()),
            message_copy_retries: f.message_copy_retries.unwrap_or(self.message_copy_retries),
            message_copy_success: (f.message_copy_success.clone())
                .unwrap_or_else(|| self.message_copy_success.clone()),
            message_copy_timeout_ms: (f.message_copy_timeout_ms)
                .unwrap_or(self.message_copy_timeout_ms),
            third_party_callback_url: (f.third_party_callback_url.clone())
                .or_else(|| self.third_party_callback_url.clone()),
            third_party_callback_timeout_ms: (f.third_party_callback_timeout_ms)
                .unwrap_or(self.third_party_callback_timeout_ms),
            third_party_callback_on_failure: (f.third_party_callback_on_failure)
                .unwrap_or(self.third_party_callback_on_failure),
            third_party_callback_codes: (f.third_party_callback_codes)
                .unwrap_or(self.third_party_callback_codes),
        }
    }
}
