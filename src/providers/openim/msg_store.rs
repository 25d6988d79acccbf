//! A tenant's stored messages (contract §6): one conversation per `si_`/`sg_`/`sn_` ID, seqs
//! from 1 per conversation, revocations, and which conversations each user is in. At most
//! the tenant's `max_messages` are kept, the oldest evicted first (their seqs stay used).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

/// `sdkws.OfflinePushInfo`.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct OfflinePushInfo {
    pub title: String,
    pub desc: String,
    pub ex: String,
    #[serde(rename = "iOSPushSound")]
    pub ios_push_sound: String,
    #[serde(rename = "iOSBadgeCount")]
    pub ios_badge_count: bool,
    #[serde(rename = "signalInfo")]
    pub signal_info: String,
}

/// A stored message (`sdkws.MsgData`).
#[derive(Debug, Clone)]
pub struct MsgData {
    pub send_id: String,
    pub recv_id: String,
    pub group_id: String,
    pub client_msg_id: String,
    pub server_msg_id: String,
    pub sender_platform_id: i32,
    pub sender_nickname: String,
    pub sender_face_url: String,
    pub session_type: i32,
    pub msg_from: i32,
    pub content_type: i32,
    /// The content bytes as stored (Go's marshalling of the request's `content`).
    pub content: String,
    pub seq: i64,
    pub send_time: i64,
    pub create_time: i64,
    pub options: Vec<(&'static str, bool)>,
    /// Whether empty `options` are written `null` (the release, whose protobuf maps have no
    /// `omitempty`) rather than left out (`main`).
    pub null_empty_maps: bool,
    pub offline_push_info: Option<OfflinePushInfo>,
    pub at_user_id_list: Vec<String>,
    pub ex: String,
}

/// Who revoked a message, and when.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revoke {
    pub user_id: String,
    pub role: i32,
    pub nickname: String,
    pub time: i64,
}

/// A message and its revocation, if any.
#[derive(Debug, Clone)]
pub struct Stored {
    pub msg: MsgData,
    pub revoke: Option<Revoke>,
}

/// The content type a revoked message is served with.
pub const REVOKED: i32 = 2101;

/// How many messages of a conversation the real server stores in one document.
const BLOCK: i64 = 100;

impl Stored {
    /// The message as a pull serves it: a revoked one as a 2101 notification of who revoked it.
    pub fn served(&self, null_empty_maps: bool) -> MsgData {
        let mut served = self.msg.clone();
        served.null_empty_maps = null_empty_maps;
        let Some(revoke) = &self.revoke else {
            return served;
        };
        let m = &self.msg;
        let detail = RevokedContent {
            revoker_id: &revoke.user_id,
            revoker_role: revoke.role,
            client_msg_id: &m.client_msg_id,
            revoker_nickname: &revoke.nickname,
            revoke_time: revoke.time,
            source_message_send_time: m.send_time,
            source_message_send_id: &m.send_id,
            source_message_sender_nickname: &m.sender_nickname,
            session_type: m.session_type,
            seq: m.seq,
            ex: &m.ex,
        };
        served.content_type = REVOKED;
        served.content = notification_content(&detail);
        served
    }
}

/// `sdkws.MessageRevokedContent`, in its field order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RevokedContent<'a> {
    #[serde(rename = "revokerID")]
    revoker_id: &'a str,
    revoker_role: i32,
    #[serde(rename = "clientMsgID")]
    client_msg_id: &'a str,
    revoker_nickname: &'a str,
    revoke_time: i64,
    source_message_send_time: i64,
    #[serde(rename = "sourceMessageSendID")]
    source_message_send_id: &'a str,
    source_message_sender_nickname: &'a str,
    session_type: i32,
    seq: i64,
    ex: &'a str,
}

/// A notification's content: `{"detail": <the tips as JSON text>}` (`sdkws.NotificationElem`).
pub fn notification_content<T: Serialize>(tips: &T) -> String {
    let detail = String::from_utf8_lossy(&super::wire::go_json(tips)).into_owned();
    let elem = serde_json::json!({ "detail": detail });
    String::from_utf8_lossy(&super::wire::go_json(&elem)).into_owned()
}

impl Serialize for MsgData {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("sendID", &self.send_id)?;
        map.serialize_entry("recvID", &self.recv_id)?;
        map.serialize_entry("groupID", &self.group_id)?;
        map.serialize_entry("clientMsgID", &self.client_msg_id)?;
        map.serialize_entry("serverMsgID", &self.server_msg_id)?;
        map.serialize_entry("senderPlatformID", &self.sender_platform_id)?;
        map.serialize_entry("senderNickname", &self.sender_nickname)?;
        map.serialize_entry("senderFaceURL", &self.sender_face_url)?;
        map.serialize_entry("sessionType", &self.session_type)?;
        map.serialize_entry("msgFrom", &self.msg_from)?;
        map.serialize_entry("contentType", &self.content_type)?;
        map.serialize_entry("content", &STANDARD.encode(&self.content))?;
        map.serialize_entry("seq", &self.seq)?;
        map.serialize_entry("sendTime", &self.send_time)?;
        map.serialize_entry("createTime", &self.create_time)?;
        map.serialize_entry("status", &0)?;
        map.serialize_entry("isRead", &false)?;
        if !self.options.is_empty() {
            let options: BTreeMap<&str, bool> = self.options.iter().copied().collect();
            map.serialize_entry("options", &options)?;
        } else if self.null_empty_maps {
            map.serialize_entry("options", &None::<()>)?;
        }
        map.serialize_entry("offlinePushInfo", &self.offline_push_info)?;
        let at = (!self.at_user_id_list.is_empty()).then_some(&self.at_user_id_list);
        map.serialize_entry("atUserIDList", &at)?;
        map.serialize_entry("attachedInfo", "")?;
        map.serialize_entry("ex", &self.ex)?;
        map.end()
    }
}

#[derive(Debug, Default)]
pub(super) struct Conversation {
    pub(super) max_seq: i64,
    pub(super) max_seq_time: i64,
    /// The kept messages, in seq order.
    pub(super) messages: VecDeque<Stored>,
}

#[derive(Debug, Default)]
pub(super) struct Messages {
    pub(super) conversations: HashMap<Arc<str>, Conversation>,
    /// Every kept message by conversation, in order of arrival: who is evicted next.
    pub(super) arrivals: VecDeque<(Arc<str>, i64)>,
    /// The conversations each user is in.
    pub(super) members: HashMap<String, BTreeSet<Arc<str>>>,
}

/// A tenant's messages.
#[derive(Debug, Default)]
pub struct MsgStore {
    pub(super) inner: Mutex<Messages>,
}

impl MsgStore {
    fn lock(&self) -> MutexGuard<'_, Messages> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores `msg` in `conversation`, numbered with the next seq, for `members`; evicts the
    /// oldest message past `max` (0: no bound). Returns the seq.
    pub fn append(
        &self,
        conversation: &str,
        mut msg: MsgData,
        members: &[String],
        max: usize,
    ) -> i64 {
        let mut store = self.lock();
        let id: Arc<str> = match store.conversations.get_key_value(conversation) {
            Some((id, _)) => id.clone(),
            None => Arc::from(conversation),
        };
        for member in members {
            store
                .members
                .entry(member.clone())
                .or_default()
                .insert(id.clone());
        }
        let entry = store.conversations.entry(id.clone()).or_default();
        entry.max_seq += 1;
        entry.max_seq_time = msg.send_time;
        msg.seq = entry.max_seq;
        entry.messages.push_back(Stored { msg, revoke: None });
        let seq = entry.max_seq;
        store.arrivals.push_back((id, seq));
        while max > 0 && store.arrivals.len() > max {
            store.evict_oldest();
        }
        seq
    }

    /// The message `seq` of `conversation`.
    pub fn get(&self, conversation: &str, seq: i64) -> Option<Stored> {
        let store = self.lock();
        let c = store.conversations.get(conversation)?;
        let at = c.messages.binary_search_by_key(&seq, |m| m.msg.seq).ok()?;
        c.messages.get(at).cloned()
    }

    /// The messages of `conversation` with seqs from `begin` to `end`, as served.
    pub fn range(&self, conversation: &str, begin: i64, end: i64, null_maps: bool) -> Vec<MsgData> {
        let store = self.lock();
        let Some(c) = store.conversations.get(conversation) else {
            return Vec::new();
        };
        let start = c.messages.partition_point(|m| m.msg.seq < begin);
        c.messages
            .range(start..)
            .take_while(|m| m.msg.seq <= end)
            .map(|m| m.served(null_maps))
            .collect()
    }

    /// Marks the message `seq` of `conversation` revoked; `false` when it is not kept.
    pub fn revoke(&self, conversation: &str, seq: i64, revoke: Revoke) -> bool {
        let mut store = self.lock();
        let Some(c) = store.conversations.get_mut(conversation) else {
            return false;
        };
        match c.messages.binary_search_by_key(&seq, |m| m.msg.seq) {
            Ok(at) => {
                c.messages[at].revoke = Some(revoke);
                true
            }
            Err(_) => false,
        }
    }

    /// The conversations of `user` and their max seq and its time.
    pub fn seqs_of(&self, user: &str) -> Vec<(Arc<str>, i64, i64)> {
        let store = self.lock();
        let Some(ids) = store.members.get(user) else {
            return Vec::new();
        };
        ids.iter()
            .filter_map(|id| {
                let c = store.conversations.get(id)?;
                Some((id.clone(), c.max_seq, c.max_seq_time))
            })
            .collect()
    }

    /// Every kept message of `si_` and `sg_` conversations that `pick` chooses, in the real
    /// server's order: by storage block (a conversation's messages are stored a hundred to a
    /// document, documents in the order they were made), then by seq.
    pub fn search(&self, mut pick: impl FnMut(&Stored) -> bool) -> Vec<Stored> {
        let store = self.lock();
        let mut blocks: HashMap<(&str, i64), usize> = HashMap::new();
        let mut found: Vec<(usize, i64, &Stored)> = Vec::new();
        for (id, seq) in &store.arrivals {
            if !(id.starts_with("si_") || id.starts_with("sg_")) {
                continue;
            }
            let next = blocks.len();
            let block = *blocks.entry((id, (seq - 1) / BLOCK)).or_insert(next);
            let Some(c) = store.conversations.get(id) else {
                continue;
            };
            let Ok(at) = c.messages.binary_search_by_key(seq, |m| m.msg.seq) else {
                continue;
            };
            if pick(&c.messages[at]) {
                found.push((block, *seq, &c.messages[at]));
            }
        }
        found.sort_by_key(|(block, seq, _)| (*block, *seq));
        found.into_iter().map(|(_, _, m)| m.clone()).collect()
    }

    /// How many messages it keeps.
    pub fn len(&self) -> usize {
        self.lock().arrivals.len()
    }
}

impl Messages {
    /// Evicts the oldest message; a conversation left empty is forgotten once there are more
    /// conversations than messages, so that they stay bounded too.
    fn evict_oldest(&mut self) {
        let Some((id, seq)) = self.arrivals.pop_front() else {
            return;
        };
        let Some(c) = self.conversations.get_mut(&id) else {
            return;
        };
        if c.messages.front().is_some_and(|m| m.msg.seq == seq) {
            c.messages.pop_front();
        }
        if c.messages.is_empty() && self.conversations.len() > self.arrivals.len() {
            self.conversations.remove(&id);
            for conversations in self.members.values_mut() {
                conversations.remove(&id);
            }
            self.members.retain(|_, c| !c.is_empty());
        }
    }
}
