//! Tenant-partitioned state: one value per tenant name, created on first use, dropped on reset.

use dashmap::DashMap;
use std::sync::Arc;

/// The per-tenant states of one provider.
#[derive(Debug)]
pub struct TenantMap<T> {
    map: DashMap<Arc<str>, Arc<T>>,
}

impl<T> Default for TenantMap<T> {
    fn default() -> Self {
        Self {
            map: DashMap::new(),
        }
    }
}

impl<T> TenantMap<T> {
    /// The state of `name`, created by `make` when absent. `make` may refuse (return `None`),
    /// as a provider does for a tenant it does not know.
    pub fn get_or_create(
        &self,
        name: &str,
        make: impl FnOnce(&Arc<str>) -> Option<T>,
    ) -> Option<Arc<T>> {
        if let Some(found) = self.map.get(name) {
            return Some(found.value().clone());
        }
        let key: Arc<str> = Arc::from(name);
        let value = Arc::new(make(&key)?);
        Some(self.map.entry(key).or_insert(value).value().clone())
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
}
