//! A tenant's message webhooks, as OpenIM's `config/webhooks.yml` sets them (webhooks contract
//! §2.2), written in JSON with the yml's keys and defaults (every hook disabled): the `url`
//! and, per hook, `enable`, `timeout` (seconds), `failedContinue` (read, never used, as in the
//! real server), `allowedTypes` / `deniedTypes` (content types, single or `"lo-hi"`) and, on
//! the after-send hooks, `attentionIds`. Also the filters `internal/rpc/msg/filter.go`
//! applies with them.

use serde::{Deserialize, Deserializer, Serialize};
use std::time::Duration;

/// The longest a webhook may take: the real client's own `http.Client.Timeout` (15 s), which
/// also applies when a hook's `timeout` is 0.
const CLIENT_TIMEOUT_S: i64 = 15;
/// The largest `timeout` a fixture may give, in seconds.
const MAX_TIMEOUT_S: i64 = 60;

/// The `webhooks` object of a tenant.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct Webhooks {
    /// Where every hook is POSTed, as `{url}/{callbackCommand}`; empty: nowhere.
    pub url: String,
    pub before_send_single_msg: BeforeConfig,
    pub after_send_single_msg: AfterConfig,
    pub before_send_group_msg: BeforeConfig,
    pub after_send_group_msg: AfterConfig,
    pub before_msg_modify: BeforeConfig,
}

/// `config.BeforeConfig`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct BeforeConfig {
    pub enable: bool,
    pub timeout: i64,
    /// Parsed and never read by the real server: every failure fails the send.
    pub failed_continue: bool,
    #[serde(deserialize_with = "type_list")]
    pub allowed_types: Vec<String>,
    #[serde(deserialize_with = "type_list")]
    pub denied_types: Vec<String>,
}

/// `config.AfterConfig`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct AfterConfig {
    pub enable: bool,
    pub timeout: i64,
    pub attention_ids: Vec<String>,
    #[serde(deserialize_with = "type_list")]
    pub allowed_types: Vec<String>,
    #[serde(deserialize_with = "type_list")]
    pub denied_types: Vec<String>,
}

impl Default for BeforeConfig {
    fn default() -> Self {
        Self {
            enable: false,
            timeout: 5,
            failed_continue: true,
            allowed_types: Vec::new(),
            denied_types: Vec::new(),
        }
    }
}

impl Default for AfterConfig {
    fn default() -> Self {
        Self {
            enable: false,
            timeout: 5,
            attention_ids: Vec::new(),
            allowed_types: Vec::new(),
            denied_types: Vec::new(),
        }
    }
}

/// A list of content types: strings as in the yml (`"101"`, `"1000-5000"`), integers taken as
/// their text.
fn type_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let entries = Vec::<serde_json::Value>::deserialize(d)?;
    entries
        .into_iter()
        .map(|entry| match entry {
            serde_json::Value::String(text) => Ok(text),
            serde_json::Value::Number(n) if n.is_i64() => Ok(n.to_string()),
            other => Err(serde::de::Error::custom(format!(
                "allowedTypes and deniedTypes list content types (\"101\" or \"1000-5000\"), not {other}"
            ))),
        })
        .collect()
}

impl Webhooks {
    /// Refuses settings that could not work: a URL that is not `http://`, a timeout out of
    /// 0 to 60 s, a hook enabled without a URL.
    pub fn check(&self) -> Result<(), String> {
        let url = &self.url;
        let http = url
            .strip_prefix("http://")
            .is_some_and(|rest| !rest.is_empty());
        if !url.is_empty() && !http {
            return Err(format!("webhooks.url {url:?} is not an http:// URL"));
        }
        for (name, enable, timeout) in self.hooks() {
            if !(0..=MAX_TIMEOUT_S).contains(&timeout) {
                return Err(format!(
                    "webhooks.{name}.timeout is 0 to {MAX_TIMEOUT_S} seconds"
                ));
            }
            if enable && url.is_empty() {
                return Err(format!(
                    "webhooks.{name} is enabled but webhooks.url is empty"
                ));
            }
        }
        Ok(())
    }

    fn hooks(&self) -> [(&'static str, bool, i64); 5] {
        let b = |c: &BeforeConfig| (c.enable, c.timeout);
        let a = |c: &AfterConfig| (c.enable, c.timeout);
        let hook = |name, (enable, timeout)| (name, enable, timeout);
        [
            hook("beforeSendSingleMsg", b(&self.before_send_single_msg)),
            hook("afterSendSingleMsg", a(&self.after_send_single_msg)),
            hook("beforeSendGroupMsg", b(&self.before_send_group_msg)),
            hook("afterSendGroupMsg", a(&self.after_send_group_msg)),
            hook("beforeMsgModify", b(&self.before_msg_modify)),
        ]
    }
}

/// How long a hook with `timeout` seconds waits: at most the client's 15 s, which is also
/// what 0 gives.
pub fn wait(timeout: i64) -> Duration {
    let seconds = if timeout > 0 {
        timeout.min(CLIENT_TIMEOUT_S)
    } else {
        CLIENT_TIMEOUT_S
    };
    Duration::from_secs(seconds.unsigned_abs())
}

/// Whether the hook's time limit is the client's own rather than its `timeout`.
pub fn client_limited(timeout: i64) -> bool {
    !(1..CLIENT_TIMEOUT_S).contains(&timeout)
}

impl BeforeConfig {
    /// Whether the hook is called for a message of `content_type` (`filterBeforeMsg`).
    pub fn wants(&self, content_type: i32) -> bool {
        self.enable && types_pass(content_type, &self.allowed_types, &self.denied_types)
    }
}

impl AfterConfig {
    /// Whether the hook is called for a message of `content_type` from `sender` to
    /// `receiver` (`filterAfterMsg`): with `attentionIds`, one of them must be listed.
    pub fn wants(&self, content_type: i32, sender: &str, receiver: &str) -> bool {
        let ids = &self.attention_ids;
        self.enable
            && (ids.is_empty() || ids.iter().any(|id| id == sender || id == receiver))
            && types_pass(content_type, &self.allowed_types, &self.denied_types)
    }
}

/// With `allowed` set, the content type must be in it; it must not be in `denied`.
fn types_pass(content_type: i32, allowed: &[String], denied: &[String]) -> bool {
    if !allowed.is_empty() && !in_interval(content_type, allowed) {
        return false;
    }
    denied.is_empty() || !in_interval(content_type, denied)
}

/// `isInInterval`: whether `content_type` is one of the entries, or within one `"lo-hi"`
/// (inclusive); entries that do not parse are skipped.
fn in_interval(content_type: i32, entries: &[String]) -> bool {
    let content_type = i64::from(content_type);
    entries.iter().any(|entry| {
        if entry.contains('-') {
            let bounds: Vec<&str> = entry.split('-').collect();
            match bounds[..] {
                [lo, hi] => match (lo.parse::<i64>(), hi.parse::<i64>()) {
                    (Ok(lo), Ok(hi)) => (lo..=hi).contains(&content_type),
                    _ => false,
                },
                _ => false,
            }
        } else {
            entry.parse::<i64>() == Ok(content_type)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::in_interval;

    #[test]
    fn intervals_parse_as_go_s_atoi_reads_them() {
        let list = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(in_interval(101, &list(&["101"])));
        assert!(in_interval(101, &list(&["+101"])));
        assert!(in_interval(1400, &list(&["1000-5000"])));
        assert!(in_interval(5000, &list(&["1000-5000"])));
        assert!(!in_interval(
            101,
            &list(&["-101", "100-200-300", "x-200", " 101"])
        ));
        assert!(in_interval(101, &list(&["x", "101-101"])));
    }
}
