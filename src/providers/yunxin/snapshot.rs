//! The Yunxin part of a state document: every app with its settings, accounts (tokens,
//! configuration, name cards, block and friend lists), teams and their members, and messages
//! (by conversation, with the client IDs seen), and the server message and team ID sequences.
//! Restored, every read answers as before and new IDs continue the sequences.

use super::account_store::{Account, AccountStore};
use super::fixtures::Settings;
use super::msg_store::{Messages, MsgStore};
use super::team_store::{Member, Team, TeamStore};
use super::tenant::Tenant;
use super::State;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, RwLock};

/// The provider's part.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProviderState {
    /// The last server message ID tick handed out.
    message_ids_last: u64,
    /// The next team ID.
    next_team_id: u64,
    tenants: Vec<TenantState>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantState {
    app_key: String,
    settings: Settings,
    accounts: Vec<Account>,
    teams: Vec<TeamState>,
    messages: Messages,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamState {
    team: Team,
    members: BTreeMap<String, Member>,
}

impl State {
    /// Every app's state.
    pub(super) fn dump(&self) -> ProviderState {
        let mut tenants: Vec<TenantState> =
            self.tenants.all().iter().map(|t| dump_tenant(t)).collect();
        tenants.sort_by(|a, b| a.app_key.cmp(&b.app_key));
        ProviderState {
            message_ids_last: self.message_ids.last(),
            next_team_id: self.team_ids.load(Ordering::Relaxed),
            tenants,
        }
    }

    /// Replaces every app with those of `state`, checked whole first.
    pub(super) fn load(&self, state: ProviderState) -> Result<(), String> {
        let mut made = Vec::with_capacity(state.tenants.len());
        for t in state.tenants {
            let key = t.app_key.clone();
            made.push((
                key.clone(),
                load_tenant(&self.core, t).map_err(|e| format!("app {key}: {e}"))?,
            ));
        }
        self.tenants.reset(None);
        for (key, tenant) in made {
            self.tenants.put(&key, tenant);
        }
        self.message_ids.set_last(state.message_ids_last);
        self.team_ids.store(state.next_team_id, Ordering::Relaxed);
        Ok(())
    }
}

fn dump_tenant(t: &Tenant) -> TenantState {
    let accounts = t.accounts.inner.read().unwrap_or_else(|p| p.into_inner());
    let mut accounts: Vec<Account> = accounts.values().cloned().collect();
    accounts.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    let teams = t.teams.inner.read().unwrap_or_else(|p| p.into_inner());
    let mut teams: Vec<TeamState> = teams
        .values()
        .map(|team| TeamState {
            team: team.clone(),
            members: team
                .members
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        })
        .collect();
    teams.sort_by_key(|t| t.team.team_id);
    let messages = t.messages.inner.lock().unwrap_or_else(|p| p.into_inner());
    TenantState {
        app_key: t.app_key.to_string(),
        settings: t.settings.clone(),
        accounts,
        teams,
        messages: messages.clone(),
    }
}

fn load_tenant(core: &crate::core::Core, t: TenantState) -> Result<Tenant, String> {
    let mut accounts = HashMap::with_capacity(t.accounts.len());
    for account in t.accounts {
        if accounts.contains_key(&account.account_id) {
            return Err(format!("account {} appears twice", account.account_id));
        }
        accounts.insert(account.account_id.clone(), account);
    }
    let mut teams = HashMap::with_capacity(t.teams.len());
    for TeamState { mut team, members } in t.teams {
        team.members = members.into_iter().collect();
        team.member_count = team.members.len();
        teams.insert(team.team_id, team);
    }
    let key: Arc<str> = Arc::from(t.app_key.as_str());
    let mut tenant = Tenant::new(core, &key, &t.settings);
    tenant.accounts = AccountStore {
        inner: RwLock::new(accounts),
    };
    tenant.teams = TeamStore {
        inner: RwLock::new(teams),
    };
    tenant.messages = MsgStore {
        inner: Mutex::new(t.messages),
    };
    Ok(tenant)
}

/// An attachment kept as its JSON text: a string in a state document, so that it reads back
/// byte for byte.
pub(super) mod raw_text {
    use serde::{Deserialize, Deserializer, Serializer};
    use serde_json::value::RawValue;
    use std::sync::Arc;

    pub fn serialize<S: Serializer>(raw: &Option<Arc<RawValue>>, s: S) -> Result<S::Ok, S::Error> {
        match raw {
            Some(raw) => s.serialize_some(raw.get()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Arc<RawValue>>, D::Error> {
        let Some(text) = Option::<String>::deserialize(d)? else {
            return Ok(None);
        };
        let raw = RawValue::from_string(text).map_err(serde::de::Error::custom)?;
        Ok(Some(Arc::from(raw)))
    }
}
