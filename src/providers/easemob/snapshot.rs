//! The Easemob part of `GET`/`PUT /_emulator/state`: every tenant (fixture or made by a call)
//! with its settings and limits, users (passwords, UUIDs, times, activation), files (bytes in
//! base64), groups and rooms, contacts, blocks, attributes, mutes and delivery marks, and the
//! message-id and group-id sequences, so that ids continue without collision. Tokens need no
//! state: they verify from their own bytes, and a deactivated user's stay refused through the
//! user's `activated`. Rate windows start afresh.
//!
//! A restore builds every tenant before it replaces any, so a refused document changes
//! nothing; each store is rebuilt under the tenant's limits, and refused when over them.

use super::chat_store::{Chat, ChatStore, CHAT_TICKS_PER_MS};
use super::file_store::{FileStore, FilesRecord};
use super::fixtures::Settings;
use super::metadata_store::{Attributes, MetadataStore};
use super::msgid::SEQ_PER_MS;
use super::mute_store::{Ends, MuteStore};
use super::offline_store::Deliveries;
use super::relation_store::{ListsRecord, RelationStore};
use super::social::Social;
use super::tenant::{Rates, Tenant};
use super::user_store::{UserRecord, UserStore};
use super::State;
use crate::core::clock::MAX_MS;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use uuid::Uuid;

/// The Easemob part of the state document.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Snapshot {
    /// The tick of the last message id issued.
    message_id_tick: u64,
    /// The tick of the last group or room id issued.
    chat_id_tick: u64,
    /// Every tenant by `org/app`.
    tenants: BTreeMap<String, TenantRecord>,
}

/// One tenant.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantRecord {
    application: Uuid,
    settings: Settings,
    users: Vec<UserRecord>,
    next_user_seq: u64,
    files: FilesRecord,
    groups: Vec<Chat>,
    rooms: Vec<Chat>,
    /// Contacts, blocks and remarks by user.
    relations: BTreeMap<Box<str>, ListsRecord>,
    /// Attributes by user, as `[key, value]` pairs in the order first set.
    metadata: BTreeMap<Box<str>, Attributes>,
    /// When each user's `chat`, `groupchat` and `chatroom` mutes end (ms; `i64::MAX`: never).
    mutes: BTreeMap<Box<str>, Ends>,
    /// The journal number below which each user's messages are delivered.
    deliveries: BTreeMap<Box<str>, u64>,
}

impl State {
    /// The whole Easemob state, as [`crate::providers::Provider::snapshot`] gives it.
    pub(super) fn snapshot_value(&self) -> serde_json::Value {
        let tenants = self.tenants.entries().into_iter();
        let snapshot = Snapshot {
            message_id_tick: self.message_ids.last_tick(),
            chat_id_tick: self.chat_ids.last_tick(),
            tenants: tenants.map(|(k, t)| (k.to_string(), record(&t))).collect(),
        };
        serde_json::to_value(snapshot).unwrap_or_default()
    }

    /// Replaces every tenant with those of `value` (a [`State::snapshot_value`]); fixture
    /// tenants it lacks start from the fixtures. Refused, changing nothing, when the document
    /// is malformed or breaks a limit.
    pub(super) fn restore_value(&self, value: serde_json::Value) -> Result<(), String> {
        if !value.is_object() {
            return Err("the Easemob state is a JSON object".into());
        }
        let snapshot: Snapshot = serde_json::from_value(value).map_err(|e| e.to_string())?;
        self.check_tenant_count(&snapshot)?;
        let mut built = Vec::with_capacity(snapshot.tenants.len());
        let mut uuid_ms = 0;
        let mut chat_tick = snapshot.chat_id_tick;
        for (key, r) in snapshot.tenants {
            uuid_ms = uuid_ms.max(latest_uuid_ms(&r));
            let ids = r.groups.iter().chain(&r.rooms).map(|c| c.id >> 4);
            chat_tick = chat_tick.max(ids.max().unwrap_or(0));
            let tenant = self
                .build(&key, r)
                .map_err(|e| format!("tenant {key}: {e}"))?;
            built.push((key, tenant));
        }
        let late = |ms: u64| ms > MAX_MS as u64;
        if late(snapshot.message_id_tick / SEQ_PER_MS)
            || late(chat_tick / CHAT_TICKS_PER_MS)
            || late(uuid_ms as u64)
        {
            return Err("an id or UUID from after the year 9999".into());
        }
        self.message_ids.set_last_tick(snapshot.message_id_tick);
        self.chat_ids.set_last_tick(chat_tick);
        // Later UUIDs (users, files) come after every restored one, even where the document's
        // identifier sources (restored after the providers) do not say so.
        self.core.ids.uuid_v1(uuid_ms.saturating_add(1));
        self.tokens.clear();
        self.replace(built);
        Ok(())
    }

    /// Puts `built` in place of every tenant; fixture tenants it lacks start from the fixtures.
    fn replace(&self, built: Vec<(String, Tenant)>) {
        self.tenants.reset(None);
        let restored: Vec<String> = built.iter().map(|(k, _)| k.clone()).collect();
        for (key, tenant) in built {
            self.tenants.put(&key, tenant);
        }
        let fixtures = self.fixtures.tenants.keys();
        for key in fixtures.filter(|k| !restored.contains(k)) {
            self.store_fixtures(Some(key));
        }
    }

    /// Refuses more tenants than the emulator keeps (fixture tenants are always kept).
    fn check_tenant_count(&self, snapshot: &Snapshot) -> Result<(), String> {
        let max = self.core.max_tenants;
        let fixtures = self.fixtures.tenants.keys();
        let absent = fixtures
            .filter(|k| !snapshot.tenants.contains_key(*k))
            .count();
        let total = snapshot.tenants.len() + absent;
        if max > 0 && total > max.max(self.fixtures.tenants.len()) {
            return Err(format!("{total} tenants, over the limit of {max}"));
        }
        Ok(())
    }

    /// The tenant `key` made from `r`, each store checked against the record's limits.
    fn build(&self, key: &str, r: TenantRecord) -> Result<Tenant, String> {
        let (org, app) = key.split_once('/').unwrap_or((key, ""));
        if !super::valid_name(org) || !super::valid_name(app) {
            return Err("not an org/app pair of 1 to 32 letters, digits, '-' or '_'".into());
        }
        let s = &r.settings;
        let l = &s.limits;
        let journal_max = self.core.journal.counts().max;
        Ok(Tenant {
            org: org.into(),
            app: app.into(),
            application: r.application,
            application_text: r.application.hyphenated().to_string().into(),
            users: UserStore::import(r.users, r.next_user_seq, self.max_users(key, s))?,
            files: FileStore::import(r.files, l.max_file_bytes, s.max_stored_file_bytes)
                .map_err(|e| format!("files: {e}"))?,
            social: Social {
                relations: RelationStore::import(
                    r.relations,
                    l.max_contacts_per_user,
                    l.max_blocks_per_user,
                )?,
                metadata: MetadataStore::import(
                    r.metadata,
                    l.max_user_metadata_bytes,
                    l.max_app_metadata_bytes,
                )?,
                mutes: MuteStore::import(r.mutes)?,
            },
            groups: ChatStore::import(r.groups, &l.groups).map_err(|e| format!("group {e}"))?,
            rooms: ChatStore::import(r.rooms, &l.rooms).map_err(|e| format!("room {e}"))?,
            rates: Rates::new(l),
            // After the journal's restore, this takes back the tenant's restored partition.
            journal: self
                .core
                .journal
                .partition(super::PROVIDER, &Arc::from(key)),
            deliveries: Deliveries::import(r.deliveries, journal_max.saturating_add(1))?,
            settings: r.settings,
        })
    }
}

impl State {
    /// The most users tenant `key` holds: its limit, or its fixture users when they are more
    /// (the fixtures store them all).
    fn max_users(&self, key: &str, settings: &Settings) -> u32 {
        let fixture = self
            .fixtures
            .tenants
            .get(key)
            .unwrap_or(&self.fixtures.defaults);
        let made = u32::try_from(fixture.users.len()).unwrap_or(u32::MAX);
        match settings.max_users {
            0 => 0,
            max => max.max(made),
        }
    }
}

/// What a snapshot keeps of `tenant`.
fn record(tenant: &Tenant) -> TenantRecord {
    let (users, next_user_seq) = tenant.users.export();
    let social = &tenant.social;
    TenantRecord {
        application: tenant.application,
        settings: tenant.settings.clone(),
        users,
        next_user_seq,
        files: tenant.files.export(),
        groups: tenant.groups.export(),
        rooms: tenant.rooms.export(),
        relations: social.relations.export(),
        metadata: social.metadata.export(),
        mutes: social.mutes.export(),
        deliveries: tenant.deliveries.export(),
    }
}

/// The latest instant (ms) of the time-based UUIDs of `r`'s users and files.
fn latest_uuid_ms(r: &TenantRecord) -> i64 {
    let users = r.users.iter().map(UserRecord::uuid);
    let files = r.files.uuids().copied();
    users.chain(files).map(uuid_ms).max().unwrap_or(0)
}

/// The instant (Unix ms) a time-based UUID was made at; 0 for other UUIDs.
fn uuid_ms(uuid: Uuid) -> i64 {
    let Some(ts) = uuid.get_timestamp() else {
        return 0;
    };
    let (seconds, nanos) = ts.to_unix();
    let ms = seconds.saturating_mul(1000) + u64::from(nanos / 1_000_000);
    i64::try_from(ms).unwrap_or(i64::MAX)
}
