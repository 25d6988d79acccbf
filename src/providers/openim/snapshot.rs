//! The OpenIM part of a state document: every tenant with its settings, users, groups and
//! members, issued tokens and stored messages (conversations, seqs, revocations, who is in
//! which conversation), and the message id counter. Restored, every read answers as before
//! and tokens issued before still verify.

use super::group_store::{Group, GroupStore};
use super::msg_store::{
    Conversation, Messages, MsgData, MsgStore, OfflinePushInfo, Revoke, Stored,
};
use super::tenant::Tenant;
use super::tokens::{TokenStore, UserTokens};
use super::user_store::{User, UserStore, Users};
use super::{fixtures::Settings, State};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, RwLock};

/// The provider's part.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProviderState {
    message_counter: u64,
    tenants: Vec<TenantState>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantState {
    name: String,
    settings: Settings,
    /// In order of registration.
    users: Vec<User>,
    groups: Vec<Group>,
    tokens: HashMap<String, UserTokens>,
    conversations: Vec<ConversationState>,
    /// Every kept message as (conversation, seq), in order of arrival.
    arrivals: Vec<(String, i64)>,
    /// The conversations each user is in.
    members: HashMap<String, BTreeSet<String>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConversationState {
    id: String,
    max_seq: i64,
    max_seq_time: i64,
    messages: Vec<StoredState>,
}

/// A stored message, every field as kept.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredState {
    send_id: String,
    recv_id: String,
    group_id: String,
    client_msg_id: String,
    server_msg_id: String,
    sender_platform_id: i32,
    sender_nickname: String,
    sender_face_url: String,
    session_type: i32,
    msg_from: i32,
    content_type: i32,
    content: String,
    seq: i64,
    send_time: i64,
    create_time: i64,
    options: Vec<(String, bool)>,
    null_empty_maps: bool,
    offline_push_info: Option<OfflinePushInfo>,
    at_user_id_list: Vec<String>,
    ex: String,
    revoke: Option<Revoke>,
}

impl State {
    /// Every tenant's state.
    pub(super) fn dump(&self) -> ProviderState {
        let mut tenants: Vec<TenantState> = self
            .tenants
            .entries()
            .into_iter()
            .map(|(name, tenant)| dump_tenant(&name, &tenant))
            .collect();
        tenants.sort_by(|a, b| a.name.cmp(&b.name));
        ProviderState {
            message_counter: self.ids.counter.load(Ordering::Relaxed),
            tenants,
        }
    }

    /// Replaces every tenant with those of `state`, checked whole first.
    pub(super) fn load(&self, state: ProviderState) -> Result<(), String> {
        let mut made = Vec::with_capacity(state.tenants.len());
        for t in state.tenants {
            let name = t.name.clone();
            let tenant = load_tenant(&self.core, t).map_err(|e| format!("tenant {name}: {e}"))?;
            made.push((name, tenant));
        }
        self.tenants.reset(None);
        for (name, tenant) in made {
            self.tenants.put(&name, tenant);
        }
        self.ids
            .counter
            .store(state.message_counter, Ordering::Relaxed);
        Ok(())
    }
}

fn dump_tenant(name: &str, t: &Tenant) -> TenantState {
    let users = t.users.inner.read().unwrap_or_else(|p| p.into_inner());
    let groups = t.groups.inner.read().unwrap_or_else(|p| p.into_inner());
    let mut groups: Vec<Group> = groups.values().cloned().collect();
    groups.sort_by(|a, b| a.info.group_id.cmp(&b.info.group_id));
    let tokens = t.tokens.users.lock().unwrap_or_else(|p| p.into_inner());
    let tokens = tokens
        .iter()
        .map(|(user, held)| (user.clone(), held.clone()))
        .collect();
    let messages = t.messages.inner.lock().unwrap_or_else(|p| p.into_inner());
    let mut conversations: Vec<ConversationState> = messages
        .conversations
        .iter()
        .map(|(id, c)| ConversationState {
            id: id.to_string(),
            max_seq: c.max_seq,
            max_seq_time: c.max_seq_time,
            messages: c.messages.iter().map(stored_state).collect(),
        })
        .collect();
    conversations.sort_by(|a, b| a.id.cmp(&b.id));
    TenantState {
        name: name.to_owned(),
        settings: t.settings.clone(),
        users: users
            .order
            .iter()
            .filter_map(|id| users.by_id.get(id).cloned())
            .collect(),
        groups,
        tokens,
        conversations,
        arrivals: messages
            .arrivals
            .iter()
            .map(|(c, s)| (c.to_string(), *s))
            .collect(),
        members: messages
            .members
            .iter()
            .map(|(u, cs)| (u.clone(), cs.iter().map(|c| c.to_string()).collect()))
            .collect(),
    }
}

fn load_tenant(core: &crate::core::Core, t: TenantState) -> Result<Tenant, String> {
    let mut users = Users::default();
    for user in t.users {
        if users.by_id.contains_key(&user.user_id) {
            return Err(format!("user {} appears twice", user.user_id));
        }
        users.order.push(user.user_id.clone());
        users.by_id.insert(user.user_id.clone(), user);
    }
    let groups: HashMap<String, Group> = t
        .groups
        .into_iter()
        .map(|g| (g.info.group_id.clone(), g))
        .collect();
    let messages = load_messages(t.conversations, t.arrivals, t.members)?;
    let name: Arc<str> = Arc::from(t.name.as_str());
    let mut tenant = Tenant::new(core, &name, &t.settings);
    tenant.users = UserStore {
        inner: RwLock::new(users),
    };
    tenant.groups = GroupStore {
        inner: RwLock::new(groups),
    };
    tenant.tokens = TokenStore {
        users: Mutex::new(t.tokens),
    };
    tenant.messages = MsgStore {
        inner: Mutex::new(messages),
    };
    Ok(tenant)
}

fn load_messages(
    conversations: Vec<ConversationState>,
    arrivals: Vec<(String, i64)>,
    members: HashMap<String, BTreeSet<String>>,
) -> Result<Messages, String> {
    let mut store = Messages::default();
    for c in conversations {
        let id: Arc<str> = Arc::from(c.id.as_str());
        let mut messages = std::collections::VecDeque::with_capacity(c.messages.len());
        for m in c.messages {
            if messages.back().is_some_and(|l: &Stored| l.msg.seq >= m.seq) || m.seq > c.max_seq {
                return Err(format!("conversation {id}: seq {} out of order", m.seq));
            }
            messages.push_back(stored_of(m)?);
        }
        let conversation = Conversation {
            max_seq: c.max_seq,
            max_seq_time: c.max_seq_time,
            messages,
        };
        store.conversations.insert(id, conversation);
    }
    let id_of = |c: &str, store: &Messages| {
        store
            .conversations
            .get_key_value(c)
            .map(|(id, _)| id.clone())
            .ok_or_else(|| format!("unknown conversation {c}"))
    };
    for (c, seq) in arrivals {
        let id = id_of(&c, &store)?;
        store.arrivals.push_back((id, seq));
    }
    for (user, cs) in members {
        let ids = cs
            .iter()
            .map(|c| id_of(c, &store))
            .collect::<Result<_, _>>()?;
        store.members.insert(user, ids);
    }
    Ok(store)
}

fn stored_state(s: &Stored) -> StoredState {
    let m = &s.msg;
    StoredState {
        send_id: m.send_id.clone(),
        recv_id: m.recv_id.clone(),
        group_id: m.group_id.clone(),
        client_msg_id: m.client_msg_id.clone(),
        server_msg_id: m.server_msg_id.clone(),
        sender_platform_id: m.sender_platform_id,
        sender_nickname: m.sender_nickname.clone(),
        sender_face_url: m.sender_face_url.clone(),
        session_type: m.session_type,
        msg_from: m.msg_from,
        content_type: m.content_type,
        content: m.content.clone(),
        seq: m.seq,
        send_time: m.send_time,
        create_time: m.create_time,
        options: m
            .options
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect(),
        null_empty_maps: m.null_empty_maps,
        offline_push_info: m.offline_push_info.clone(),
        at_user_id_list: m.at_user_id_list.clone(),
        ex: m.ex.clone(),
        revoke: s.revoke.clone(),
    }
}

fn stored_of(s: StoredState) -> Result<Stored, String> {
    let options = s
        .options
        .into_iter()
        .map(|(name, on)| option_name(&name).map(|n| (n, on)))
        .collect::<Result<_, _>>()?;
    let msg = MsgData {
        send_id: s.send_id,
        recv_id: s.recv_id,
        group_id: s.group_id,
        client_msg_id: s.client_msg_id,
        server_msg_id: s.server_msg_id,
        sender_platform_id: s.sender_platform_id,
        sender_nickname: s.sender_nickname,
        sender_face_url: s.sender_face_url,
        session_type: s.session_type,
        msg_from: s.msg_from,
        content_type: s.content_type,
        content: s.content,
        seq: s.seq,
        send_time: s.send_time,
        create_time: s.create_time,
        options,
        null_empty_maps: s.null_empty_maps,
        offline_push_info: s.offline_push_info,
        at_user_id_list: s.at_user_id_list,
        ex: s.ex,
    };
    Ok(Stored {
        msg,
        revoke: s.revoke,
    })
}

/// The stored name of a message option.
fn option_name(name: &str) -> Result<&'static str, String> {
    super::revoke::NOTIFICATION_OPTIONS
        .iter()
        .map(|(n, _)| *n)
        .find(|n| *n == name)
        .ok_or_else(|| format!("unknown message option {name:?}"))
}
