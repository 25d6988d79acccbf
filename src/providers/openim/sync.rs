//! The sync routes (contract §7, the real server's `sync_msg.go`): the server's time, each
//! conversation's newest seq, and pulling by seq ranges (capital `Msgs`, base64 content,
//! notification conversations apart).

use super::error::OpenImError;
use super::fixtures::Version;
use super::msg_store::MsgData;
use super::op::Op;
use crate::core::gojson::{field, GoStruct, GoType::*};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

static EMPTY: GoStruct = GoStruct::new("GetServerTimeReq", "msg.GetServerTimeReq", &[]);

#[derive(Deserialize, Default)]
struct Nothing {}

#[derive(Serialize)]
struct ServerTime {
    #[serde(rename = "serverTime")]
    server_time: i64,
}

/// `POST /msg/get_server_time` `{}` (any token; an empty body does not decode).
pub async fn get_server_time(
    op: Op<'_>,
    payload: web::Payload,
) -> Result<HttpResponse, OpenImError> {
    let _: Nothing = op.call.bind(payload, &EMPTY).await?;
    op.call.ok(Some(ServerTime {
        server_time: op.call.now_ms,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UserReq {
    #[serde(rename = "userID")]
    user_id: String,
}

static NEWEST_SEQ: GoStruct = GoStruct::new(
    "GetMaxSeqReq",
    "sdkws.GetMaxSeqReq",
    &[field("userID", Str)],
);

/// A protobuf map field: on the release (no `omitempty`, and through gRPC) an empty one is
/// `null`; on `main` it is left out.
struct PbMap<T>(BTreeMap<String, T>, bool);

impl<T: Serialize> Serialize for PbMap<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_empty() {
            s.serialize_none()
        } else {
            self.0.serialize(s)
        }
    }
}

impl<T> PbMap<T> {
    fn skipped(&self) -> bool {
        self.0.is_empty() && !self.1
    }
}

#[derive(Serialize)]
struct MaxSeqs {
    #[serde(rename = "maxSeqs", skip_serializing_if = "PbMap::skipped")]
    max_seqs: PbMap<i64>,
    #[serde(rename = "minSeqs", skip_serializing_if = "PbMap::skipped")]
    min_seqs: PbMap<i64>,
}

/// Whether the tenant writes empty protobuf maps as `null` (the release).
fn null_maps(op: &Op<'_>) -> bool {
    op.tenant.settings.version == Version::Release
}

/// `POST /msg/newest_seq` `{"userID"}` (the user or an admin): the max seq of each of the
/// user's conversations.
pub async fn newest_seq(op: Op<'_>, payload: web::Payload) -> Result<HttpResponse, OpenImError> {
    let req: UserReq = op.call.bind(payload, &NEWEST_SEQ).await?;
    op.check_access(&req.user_id)?;
    let seqs = op
        .tenant
        .messages
        .seqs_of(&req.user_id)
        .into_iter()
        .filter(|(_, seq, _)| *seq > 0)
        .map(|(id, seq, _)| (id.to_string(), seq))
        .collect();
    let null = null_maps(&op);
    op.call.ok(Some(MaxSeqs {
        max_seqs: PbMap(seqs, null),
        min_seqs: PbMap(BTreeMap::new(), null),
    }))
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct SeqRange {
    #[serde(rename = "conversationID")]
    conversation_id: String,
    begin: i64,
    end: i64,
    num: i64,
}

static SEQ_RANGE: GoStruct = GoStruct::new(
    "SeqRange",
    "sdkws.SeqRange",
    &[
        field("conversationID", Str),
        field("begin", I64),
        field("end", I64),
        field("num", I64),
    ],
);

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PullReq {
    #[serde(rename = "userID")]
    user_id: String,
    seq_ranges: Vec<Option<SeqRange>>,
    order: i32,
}

static PULL: GoStruct = GoStruct::new(
    "PullMessageBySeqsReq",
    "sdkws.PullMessageBySeqsReq",
    &[
        field("userID", Str),
        field("seqRanges", List(&SEQ_RANGE)),
        field("order", I32),
    ],
);

#[derive(Serialize)]
struct PullMsgs {
    #[serde(rename = "Msgs")]
    msgs: Vec<MsgData>,
    #[serde(rename = "isEnd")]
    is_end: bool,
    #[serde(rename = "endSeq")]
    end_seq: i64,
}

#[derive(Serialize)]
struct Pulled {
    #[serde(skip_serializing_if = "PbMap::skipped")]
    msgs: PbMap<PullMsgs>,
    #[serde(rename = "notificationMsgs", skip_serializing_if = "PbMap::skipped")]
    notification_msgs: PbMap<PullMsgs>,
}

/// `POST /msg/pull_msg_by_seq`: per range, the messages of a conversation the user is in, at
/// most `num` (the newest of the range); other ranges are skipped. Notification
/// conversations (`n_`) come back in `notificationMsgs`. The release checks no access; `main`
/// takes the user or an admin.
pub async fn pull_msg_by_seq(
    op: Op<'_>,
    payload: web::Payload,
) -> Result<HttpResponse, OpenImError> {
    let req: PullReq = op.call.bind(payload, &PULL).await?;
    if op.tenant.settings.version == Version::Main {
        op.check_access(&req.user_id)?;
    }
    let null = null_maps(&op);
    let (mut msgs, mut notification_msgs) = (BTreeMap::new(), BTreeMap::new());
    let seqs: BTreeMap<String, i64> = (op.tenant.messages.seqs_of(&req.user_id).into_iter())
        .map(|(id, seq, _)| (id.to_string(), seq))
        .collect();
    for range in req.seq_ranges.into_iter().flatten() {
        let Some(&max_seq) = seqs.get(&range.conversation_id) else {
            continue;
        };
        let notification = range.conversation_id.starts_with("n_");
        let Some(pulled) = pull_range(&op, &range, max_seq, req.order, notification, null) else {
            continue;
        };
        let into = if notification {
            &mut notification_msgs
        } else {
            &mut msgs
        };
        into.insert(range.conversation_id, pulled);
    }
    op.call.ok(Some(Pulled {
        msgs: PbMap(msgs, null),
        notification_msgs: PbMap(notification_msgs, null),
    }))
}

/// One range: clamped to the conversation's seqs (from 1: its min seq is 0), the newest `num`
/// of a chat conversation (a notification conversation's whole range); `None` when empty.
fn pull_range(
    op: &Op<'_>,
    range: &SeqRange,
    max_seq: i64,
    order: i32,
    notification: bool,
    null: bool,
) -> Option<PullMsgs> {
    let (mut begin, end) = (range.begin.max(1), range.end.min(max_seq));
    if end < begin {
        return None;
    }
    if !notification && end - begin + 1 > range.num {
        begin = end - range.num + 1;
    }
    let found = op
        .tenant
        .messages
        .range(&range.conversation_id, begin, end, null);
    let is_end = match order {
        1 => range.begin <= 0,
        _ => max_seq <= range.end,
    };
    (!found.is_empty()).then_some(PullMsgs {
        msgs: found,
        is_end,
        end_seq: 0,
    })
}
