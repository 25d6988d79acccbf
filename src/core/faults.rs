//! Fault rules: calls to provider routes that a developer makes fail on purpose. A rule picks
//! calls by provider, tenant, method and path pattern, and answers them with one of the
//! provider's own errors (by name), adds latency, or closes the connection unanswered; for its
//! next N matching calls, or each with a probability drawn from the seed. With no rule, a call
//! pays one atomic load.

use serde::Serialize;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// The most rules kept at once.
pub const MAX_RULES: usize = 100;

/// What a rule does to the calls it picks.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Action {
    /// Wait this long before answering.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// Answer with the provider's error of this name instead of the route's answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Close the connection without an answer.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub close: bool,
}

/// Which calls a rule picks; a field left out picks every call.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Matcher {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The path, where `*` stands for any run of characters (`/{org}/{app}/messages/*`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// One rule, as made and as it stands.
#[derive(Debug, Serialize)]
pub struct Rule {
    pub id: u64,
    #[serde(flatten)]
    pub matcher: Matcher,
    #[serde(flatten)]
    pub action: Action,
    /// The calls it may still fire on (`None`: every one).
    #[serde(serialize_with = "remaining")]
    left: AtomicU64,
    /// The chance it fires on a matching call, 0 to 1.
    pub probability: f64,
    #[serde(serialize_with = "count")]
    fired: AtomicU64,
}

const UNLIMITED: u64 = u64::MAX;

fn remaining<S: serde::Serializer>(left: &AtomicU64, s: S) -> Result<S::Ok, S::Error> {
    match left.load(Ordering::Relaxed) {
        UNLIMITED => s.serialize_none(),
        n => s.serialize_u64(n),
    }
}

fn count<S: serde::Serializer>(n: &AtomicU64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(n.load(Ordering::Relaxed))
}

impl Rule {
    /// How many times the rule has fired.
    pub fn fired(&self) -> u64 {
        self.fired.load(Ordering::Relaxed)
    }

    fn matches(&self, provider: &str, tenant: Option<&str>, method: &str, path: &str) -> bool {
        let m = &self.matcher;
        m.provider.as_deref().is_none_or(|p| p == provider)
            && m.tenant.as_deref().is_none_or(|t| Some(t) == tenant)
            && m.method
                .as_deref()
                .is_none_or(|v| v.eq_ignore_ascii_case(method))
            && m.path.as_deref().is_none_or(|p| glob(p, path))
    }

    /// Takes one of the calls the rule may still fire on; `false` when none is left.
    fn take(&self) -> bool {
        self.left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| match n {
                UNLIMITED => Some(n),
                0 => None,
                n => Some(n - 1),
            })
            .is_ok()
    }
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters.
pub fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// The rules in force.
#[derive(Debug)]
pub struct Faults {
    rules: RwLock<Vec<Arc<Rule>>>,
    count: AtomicUsize,
    next_id: AtomicU64,
    /// The draws of probabilistic rules, from the seed.
    draws: Mutex<u64>,
}

impl Faults {
    /// No rules; probabilities drawn from `seed` (or the time without one).
    pub fn new(seed: Option<u64>) -> Self {
        let seed = seed.unwrap_or_else(|| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
            now.map_or(1, |d| d.as_nanos() as u64)
        });
        Self {
            rules: RwLock::default(),
            count: AtomicUsize::new(0),
            next_id: AtomicU64::new(1),
            draws: Mutex::new(seed ^ 0x9E37_79B9_7F4A_7C15),
        }
    }

    fn rules(&self) -> std::sync::RwLockReadGuard<'_, Vec<Arc<Rule>>> {
        self.rules.read().unwrap_or_else(|p| p.into_inner())
    }

    fn rules_mut(&self) -> std::sync::RwLockWriteGuard<'_, Vec<Arc<Rule>>> {
        self.rules.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a rule for the next `times` matching calls (every one when `None`), each picked
    /// with `probability`; `None` when [`MAX_RULES`] are in force.
    pub fn add(
        &self,
        matcher: Matcher,
        action: Action,
        times: Option<u64>,
        probability: f64,
    ) -> Option<Arc<Rule>> {
        let mut rules = self.rules_mut();
        if rules.len() >= MAX_RULES {
            return None;
        }
        let rule = Arc::new(Rule {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            matcher,
            action,
            left: AtomicU64::new(times.unwrap_or(UNLIMITED)),
            probability,
            fired: AtomicU64::new(0),
        });
        rules.push(rule.clone());
        self.count.store(rules.len(), Ordering::SeqCst);
        Some(rule)
    }

    /// Every rule, oldest first.
    pub fn list(&self) -> Vec<Arc<Rule>> {
        self.rules().clone()
    }

    /// Removes the rule `id` (every rule when `None`); whether one was removed.
    pub fn remove(&self, id: Option<u64>) -> bool {
        let mut rules = self.rules_mut();
        let before = rules.len();
        rules.retain(|r| id.is_some_and(|id| r.id != id));
        self.count.store(rules.len(), Ordering::SeqCst);
        rules.len() < before
    }

    /// The first rule that fires on this call, if any; `tenant` is asked only when a rule
    /// could match.
    pub fn fire(
        &self,
        provider: &str,
        tenant: impl FnOnce() -> Option<String>,
        method: &str,
        path: &str,
    ) -> Option<Arc<Rule>> {
        if self.count.load(Ordering::Relaxed) == 0 {
            return None;
        }
        let tenant = tenant();
        let rules = self.rules();
        for rule in rules.iter() {
            if !rule.matches(provider, tenant.as_deref(), method, path) {
                continue;
            }
            if rule.probability < 1.0 && self.draw() >= rule.probability {
                continue;
            }
            if rule.take() {
                rule.fired.fetch_add(1, Ordering::Relaxed);
                return Some(rule.clone());
            }
        }
        None
    }

    /// A number in [0, 1) from the seeded sequence (splitmix64).
    fn draw(&self) -> f64 {
        let mut state = self.draws.lock().unwrap_or_else(|p| p.into_inner());
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn a_star_stands_for_any_run_of_characters() {
        assert!(glob("/demo/chat/messages/*", "/demo/chat/messages/users"));
        assert!(glob("*/token", "/demo/chat/token"));
        assert!(glob("/msg/send_msg", "/msg/send_msg"));
        assert!(glob("*", "/anything"));
        assert!(glob("/a/*/c", "/a/b/x/c"));
        assert!(!glob("/a/*/c", "/a/b/x/d"));
        assert!(!glob("/msg/send_msg", "/msg/send_msg/extra"));
        assert!(!glob("/a*a", "/a"));
    }
}
