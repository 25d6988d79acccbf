//! Binding of the hand-written send handlers (contract §4.1): gin's `BindJSON` into
//! `apistruct.SendMsgReq` or `BatchSendMsgReq`, then the validator's `binding` tags with
//! OpenIM's custom `required_if`. Any failure is HTTP 400 with errCode 1001 and the Go texts,
//! several validation failures joined by newlines in struct order.

use super::error::OpenImError;
use super::msg_store::OfflinePushInfo;
use crate::core::gojson::{self as json, field, GoField, GoStruct, GoType::*, Read};
use serde::Deserialize;
use serde_json::{Map, Value};

/// `sdkws.OfflinePushInfo`, also in a webhook's answer.
pub static OFFLINE_PUSH_INFO: GoStruct = GoStruct::new(
    "OfflinePushInfo",
    "sdkws.OfflinePushInfo",
    &[
        field("title", Str),
        field("desc", Str),
        field("ex", Str),
        field("iOSPushSound", Str),
        field("iOSBadgeCount", Bool),
        field("signalInfo", Str),
    ],
);

/// The fields of the embedded `apistruct.SendMsg`.
static SEND_MSG: [GoField; 13] = [
    field("sendID", Str),
    field("groupID", Str),
    field("senderNickname", Str),
    field("senderFaceURL", Str),
    field("senderPlatformID", I32),
    field("content", AnyMap),
    field("contentType", I32),
    field("sessionType", I32),
    field("isOnlineOnly", Bool),
    field("notOfflinePush", Bool),
    field("sendTime", I64),
    field("offlinePushInfo", Struct(&OFFLINE_PUSH_INFO)),
    field("ex", Str),
];

static SEND_MSG_REQ: GoStruct = GoStruct {
    name: "SendMsgReq",
    qualified: "apistruct.SendMsgReq",
    fields: &[field("recvID", Str)],
    embedded: ("SendMsg", &SEND_MSG),
};

static BATCH_SEND_MSG_REQ: GoStruct = GoStruct {
    name: "BatchSendMsgReq",
    qualified: "apistruct.BatchSendMsgReq",
    fields: &[field("isSendAll", Bool), field("recvIDs", Strings)],
    embedded: ("SendMsg", &SEND_MSG),
};

/// A send request (`SendMsgReq`, or `BatchSendMsgReq` with `recvIDs`).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SendReq {
    #[serde(rename = "recvID")]
    pub recv_id: String,
    #[serde(rename = "sendID")]
    pub send_id: String,
    #[serde(rename = "groupID")]
    pub group_id: String,
    pub sender_nickname: String,
    #[serde(rename = "senderFaceURL")]
    pub sender_face_url: String,
    #[serde(rename = "senderPlatformID")]
    pub sender_platform_id: i32,
    pub content: Option<Map<String, Value>>,
    pub content_type: i32,
    pub session_type: i32,
    pub is_online_only: bool,
    pub not_offline_push: bool,
    pub send_time: i64,
    pub offline_push_info: Option<OfflinePushInfo>,
    pub ex: String,
    pub is_send_all: bool,
    #[serde(rename = "recvIDs")]
    pub recv_ids: Option<Vec<String>>,
}

/// Binds a `send_msg` body.
pub fn send_msg(body: &[u8]) -> Result<SendReq, OpenImError> {
    let req = decode(body, &SEND_MSG_REQ)?;
    let mut failures = Vec::new();
    if matches!(req.session_type, 1 | 4) && req.recv_id.is_empty() {
        failures.push(failure("SendMsgReq.RecvID", "RecvID", "required_if"));
    }
    check_send_msg(&req, "SendMsgReq.SendMsg", &mut failures);
    refuse(failures).map(|()| req)
}

/// Binds a `batch_send_msg` body.
pub fn batch_send_msg(body: &[u8]) -> Result<SendReq, OpenImError> {
    let req = decode(body, &BATCH_SEND_MSG_REQ)?;
    let mut failures = Vec::new();
    check_send_msg(&req, "BatchSendMsgReq.SendMsg", &mut failures);
    if req.recv_ids.is_none() {
        failures.push(failure("BatchSendMsgReq.RecvIDs", "RecvIDs", "required"));
    }
    refuse(failures).map(|()| req)
}

fn decode(body: &[u8], shape: &'static GoStruct) -> Result<SendReq, OpenImError> {
    let value = json::decode(body, shape, Read::FirstValue).map_err(OpenImError::binding)?;
    serde_json::from_value(value).map_err(|e| OpenImError::binding(e.to_string()))
}

/// The tags of the embedded `SendMsg`, in struct order.
fn check_send_msg(req: &SendReq, namespace: &str, failures: &mut Vec<String>) {
    let group_tag = "required_if=SessionType 2|required_if=SessionType 3";
    let checks = [
        ("SendID", "required", req.send_id.is_empty()),
        (
            "GroupID",
            group_tag,
            matches!(req.session_type, 2 | 3) && req.group_id.is_empty(),
        ),
        ("Content", "required", req.content.is_none()),
        ("ContentType", "required", req.content_type == 0),
        ("SessionType", "required", req.session_type == 0),
    ];
    for (name, tag, failed) in checks {
        if failed {
            failures.push(failure(&format!("{namespace}.{name}"), name, tag));
        }
    }
}

fn failure(key: &str, name: &str, tag: &str) -> String {
    format!("Key: '{key}' Error:Field validation for '{name}' failed on the '{tag}' tag")
}

fn refuse(failures: Vec<String>) -> Result<(), OpenImError> {
    if failures.is_empty() {
        Ok(())
    } else {
        Err(OpenImError::binding(failures.join("\n")))
    }
}
