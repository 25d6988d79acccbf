//! Tenant-partitioned state: one value per tenant name. A provider looks tenants up without
//! creating them; a tenant is stored by the fixtures or by the first request that succeeds
//! with it ([`TenantMap::keep`]), at most `max` of them, and dropped on reset.

use dashmap::DashMap;
use std::collections::HashMap;
use std::sync::Arc;

/// The longest tenant name a client can give.
const MAX_CLIENT_NAME: usize = 64;

/// Whether `name`, given by a client (a path's `/tenants/{name}/`, a Yunxin `AppKey`), can name
/// a tenant: 1 to 64 letters, digits, `-`, `_` or `.`.
pub fn valid_client_name(name: &str) -> bool {
    (1..=MAX_CLIENT_NAME).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// The per-tenant states of one provider.
#[derive(Debug)]
pub struct TenantMap<T> {
    map: DashMap<Arc<str>, Arc<T>>,
    /// The most tenants kept (0: no bound); fixture tenants are always kept.
    max: usize,
}

/// The map holds as many tenants as it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full;

impl<T> TenantMap<T> {
    /// A map keeping at most `max` tenants (0: no bound).
    pub fn new(max: usize) -> Self {
        Self {
            map: DashMap::new(),
            max,
        }
    }

    /// The stored state of `name`.
    pub fn get(&self, name: &str) -> Option<Arc<T>> {
        self.map.get(name).map(|found| found.value().clone())
    }

    /// The stored state of `name` (`false`), or, when `may_make`, a fresh one from `make` that
    /// is not stored yet (`true`).
    pub fn find_or_make(
        &self,
        name: &str,
        may_make: bool,
        make: impl FnOnce() -> T,
    ) -> Option<(Arc<T>, bool)> {
        if let Some(stored) = self.get(name) {
            return Some((stored, false));
        }
        may_make.then(|| (Arc::new(make()), true))
    }

    /// Stores `fresh` as the state of `name` unless one is stored already, and returns the
    /// stored one. Refuses when the map is full.
    pub fn keep(&self, name: &str, fresh: Arc<T>) -> Result<Arc<T>, Full> {
        if let Some(found) = self.get(name) {
            return Ok(found);
        }
        if self.max > 0 && self.map.len() >= self.max {
            return Err(Full);
        }
        Ok(self
            .map
            .entry(Arc::from(name))
            .or_insert(fresh)
            .value()
            .clone())
    }

    /// Stores `value` as the state of `name`, replacing any (fixture tenants).
    pub fn put(&self, name: &str, value: T) {
        self.map.insert(Arc::from(name), Arc::new(value));
    }

    /// Stores afresh, made by `make`, the fixture tenants of `fixtures` (only `only` when
    /// given), replacing their state.
    pub fn restore<S>(
        &self,
        fixtures: &HashMap<String, S>,
        only: Option<&str>,
        make: impl Fn(&str, &S) -> T,
    ) {
        for (name, settings) in fixtures {
            if only.is_none_or(|o| o == name) {
                self.put(name, make(name, settings));
            }
        }
    }

    /// Drops the state of `name` (every tenant when `None`); the next use starts afresh.
    pub fn reset(&self, name: Option<&str>) {
        match name {
            Some(name) => {
                self.map.remove(name);
            }
            None => self.map.clear(),
        }
    }

    /// How many tenants have state.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no tenant has state.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The stored tenants with their names.
    pub fn entries(&self) -> Vec<(Arc<str>, Arc<T>)> {
        let entries = self.map.iter();
        entries
            .map(|e| (e.key().clone(), e.value().clone()))
            .collect()
    }

    /// The stored tenants.
    pub fn all(&self) -> Vec<Arc<T>> {
        self.map.iter().map(|e| e.value().clone()).collect()
    }
}
