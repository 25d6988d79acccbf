//! Tenants created at run time (`POST /_emulator/tenants`): the settings each was created
//! with, remembered next to the fixtures so that a reset brings it back as it was created,
//! and the create and delete steps every provider shares. Only the admin API takes the lock
//! kept here (create, delete, reset, listing); provider calls never do.

use super::fixtures::Tenants;
use super::journal::Journal;
use super::tenants::TenantMap;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Why a tenant was not created or deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The name or the settings are not what the fixture file would accept (400); says why.
    Invalid(String),
    /// The tenant named exists, and came from `origin` (409).
    Exists(String, Origin),
    /// The provider holds as many tenants as `--max-tenants` allows (507).
    Full,
    /// No tenant of that name exists (404).
    NotFound,
    /// The fixture files list that tenant: it cannot be deleted, only reset (409).
    Fixture,
}

/// Where a tenant came from, as `GET /_emulator/tenants` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Listed in the fixture files.
    Fixtures,
    /// Created through `POST /_emulator/tenants`.
    Admin,
    /// Made from the defaults by a provider call that named it.
    Call,
}

impl Origin {
    /// `fixtures`, `admin` or `call`.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Fixtures => "fixtures",
            Origin::Admin => "admin",
            Origin::Call => "call",
        }
    }
}

/// The settings of the tenants created at run time, by name. Every one of them is also in
/// the provider's [`TenantMap`] (creating needs room there), so `--max-tenants` bounds both.
#[derive(Debug)]
pub struct Created<S> {
    settings: Mutex<ByName<S>>,
}

/// By name: the parsed settings, and the fixture object they were parsed from.
type ByName<S> = HashMap<String, (Arc<S>, Map<String, Value>)>;

impl<S> Default for Created<S> {
    fn default() -> Self {
        Self {
            settings: Mutex::new(HashMap::new()),
        }
    }
}

impl<S> Created<S> {
    fn lock(&self) -> MutexGuard<'_, ByName<S>> {
        self.settings.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<S> Tenants<S> {
    /// Where the tenant `name` came from.
    pub fn origin(&self, name: &str) -> Origin {
        if self.tenants.contains_key(name) {
            Origin::Fixtures
        } else if self.created.lock().contains_key(name) {
            Origin::Admin
        } else {
            Origin::Call
        }
    }

    /// Stores afresh, made by `make`, the fixture tenants and those created at run time (only
    /// `only` when given), replacing their state: a reset brings them back as they were made.
    pub fn store_into<T>(
        &self,
        map: &TenantMap<T>,
        only: Option<&str>,
        make: impl Fn(&str, &S) -> T,
    ) {
        let created = self.created.lock();
        map.restore(&self.tenants, only, &make);
        for (name, (settings, _)) in created.iter() {
            if only.is_none_or(|o| o == name) {
                map.put(name, make(name, settings));
            }
        }
    }

    /// Stores the tenant that `parsed` names (or the reason it could not be parsed), made by
    /// `make` from its settings, and remembers them for resets; returns its name. Refused when
    /// a tenant of that name exists or `map` is full.
    pub fn create<T>(
        &self,
        map: &TenantMap<T>,
        fixture: Map<String, Value>,
        parsed: Result<(String, S), String>,
        make: impl FnOnce(&str, &S) -> T,
    ) -> Result<String, Refusal> {
        let (name, settings) = parsed.map_err(Refusal::Invalid)?;
        let mut created = self.created.lock();
        let exists = |origin| Err(Refusal::Exists(name.clone(), origin));
        if map.get(&name).is_some() {
            return match (
                self.tenants.contains_key(&name),
                created.contains_key(&name),
            ) {
                (true, _) => exists(Origin::Fixtures),
                (_, true) => exists(Origin::Admin),
                _ => exists(Origin::Call),
            };
        }
        let fresh = Arc::new(make(&name, &settings));
        let stored = map.keep(&name, fresh.clone()).map_err(|_| Refusal::Full)?;
        if !Arc::ptr_eq(&stored, &fresh) {
            // A provider call made it from the defaults in the meantime.
            return exists(Origin::Call);
        }
        created.insert(name.clone(), (Arc::new(settings), fixture));
        Ok(name)
    }

    /// The fixture objects of the tenants created at run time, for the state document.
    pub fn created_fixtures(&self) -> Vec<Map<String, Value>> {
        let created = self.created.lock();
        created
            .values()
            .map(|(_, fixture)| fixture.clone())
            .collect()
    }

    /// Remembers `fixtures` (parsed by `parse`) as the tenants created at run time, in place
    /// of those remembered now; their tenants' state comes with the provider's own part of
    /// the state document. Refused whole when one does not parse.
    pub fn recreate(
        &self,
        fixtures: Vec<Map<String, Value>>,
        parse: impl Fn(Map<String, Value>) -> Result<(String, S), String>,
    ) -> Result<(), String> {
        let mut parsed = HashMap::new();
        for fixture in fixtures {
            let (name, settings) = parse(fixture.clone())?;
            parsed.insert(name, (Arc::new(settings), fixture));
        }
        *self.created.lock() = parsed;
        Ok(())
    }

    /// Drops the tenant `name` (created at run time or made by a call) with `provider`'s
    /// partitions of it in `journal`, and forgets its settings. Fixture tenants stay.
    pub fn delete<T>(
        &self,
        map: &TenantMap<T>,
        journal: &Journal,
        provider: &str,
        name: &str,
    ) -> Result<(), Refusal> {
        if self.tenants.contains_key(name) {
            return Err(Refusal::Fixture);
        }
        let mut created = self.created.lock();
        if map.get(name).is_none() {
            return Err(Refusal::NotFound);
        }
        created.remove(name);
        map.reset(Some(name));
        journal.drop_partitions(Some(provider), Some(name));
        Ok(())
    }
}

/// `fixture` with its admin-API `"name"` moved to the fixture file's own `field` (Yunxin's
/// `app_key`); refused when both are given and differ.
pub fn name_as(mut fixture: Map<String, Value>, field: &str) -> Result<Map<String, Value>, String> {
    if let Some(name) = fixture.remove("name") {
        match fixture.get(field) {
            Some(own) if *own != name => {
                return Err(format!("\"name\" {name} and \"{field}\" {own} differ"));
            }
            _ => {
                fixture.insert(field.to_owned(), name);
            }
        }
    }
    Ok(fixture)
}

/// A fixture object parsed as `F`, refusing what the fixture file would refuse.
pub fn parse<F: serde::de::DeserializeOwned>(fixture: Map<String, Value>) -> Result<F, String> {
    serde_json::from_value(Value::Object(fixture)).map_err(|e| e.to_string())
}
