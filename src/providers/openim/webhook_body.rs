//! The wire of OpenIM's message webhooks (webhooks contract §2.5, §2.6): the request body,
//! `CommonCallbackReq` plus `recvID` or `groupID`, as `json.NewEncoder().Encode` writes it
//! (compact, keys in Go struct order, HTML-escaped, a trailing newline); and the answer,
//! `json.Unmarshal`ed into `CommonCallbackResp` (or `CallbackMsgModifyCommandResp`) with Go's
//! error texts, whatever the HTTP status.

use super::bind::OFFLINE_PUSH_INFO;
use super::msg_store::{MsgData, OfflinePushInfo};
use crate::core::gojson::{self as json, field, GoField, GoStruct, GoType::*, Read};
use serde::{Deserialize, Serialize};

/// `CommonCallbackReq` and the field its hook adds, in Go's order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    #[serde(rename = "sendID")]
    send_id: &'a str,
    callback_command: &'static str,
    #[serde(rename = "serverMsgID")]
    server_msg_id: &'a str,
    #[serde(rename = "clientMsgID")]
    client_msg_id: &'a str,
    #[serde(rename = "operationID")]
    operation_id: &'a str,
    #[serde(rename = "senderPlatformID")]
    sender_platform_id: i32,
    sender_nickname: &'a str,
    session_type: i32,
    msg_from: i32,
    content_type: i32,
    status: i32,
    send_time: i64,
    create_time: i64,
    content: &'a str,
    seq: u32,
    at_user_list: Option<&'a [String]>,
    #[serde(rename = "faceURL")]
    face_url: &'a str,
    ex: &'a str,
    #[serde(rename = "recvID", skip_serializing_if = "Option::is_none")]
    recv_id: Option<&'a str>,
    #[serde(rename = "groupID", skip_serializing_if = "Option::is_none")]
    group_id: Option<&'a str>,
}

/// What a hook adds to the common fields.
#[derive(Clone, Copy)]
pub enum Extra {
    None,
    RecvId,
    GroupId,
}

/// The body of `command` about `m`, sent with `operation_id`: its `seq` is 0 (numbered
/// later), `status` 0, and a list of no @-users is `null`.
pub fn encode(m: &MsgData, command: &'static str, operation_id: &str, extra: Extra) -> Vec<u8> {
    let at = &m.at_user_id_list;
    let body = Body {
        send_id: &m.send_id,
        callback_command: command,
        server_msg_id: &m.server_msg_id,
        client_msg_id: &m.client_msg_id,
        operation_id,
        sender_platform_id: m.sender_platform_id,
        sender_nickname: &m.sender_nickname,
        session_type: m.session_type,
        msg_from: m.msg_from,
        content_type: m.content_type,
        status: 0,
        send_time: m.send_time,
        create_time: m.create_time,
        content: &m.content,
        seq: 0,
        at_user_list: (!at.is_empty()).then_some(at.as_slice()),
        face_url: &m.sender_face_url,
        ex: &m.ex,
        recv_id: matches!(extra, Extra::RecvId).then_some(m.recv_id.as_str()),
        group_id: matches!(extra, Extra::GroupId).then_some(m.group_id.as_str()),
    };
    let mut bytes = json::go_json(&body);
    bytes.push(b'\n');
    bytes
}

/// The fields of `CommonCallbackResp`.
static COMMON_RESP: [GoField; 5] = [
    field("actionCode", I32),
    field("errCode", I32),
    field("errMsg", Str),
    field("errDlt", Str),
    field("nextCode", I32),
];

static SEND_SINGLE_RESP: GoStruct = GoStruct {
    name: "CallbackBeforeSendSingleMsgResp",
    qualified: "callbackstruct.CallbackBeforeSendSingleMsgResp",
    fields: &[],
    embedded: ("CommonCallbackResp", &COMMON_RESP),
};

static SEND_GROUP_RESP: GoStruct = GoStruct {
    name: "CallbackBeforeSendGroupMsgResp",
    qualified: "callbackstruct.CallbackBeforeSendGroupMsgResp",
    fields: &[],
    embedded: ("CommonCallbackResp", &COMMON_RESP),
};

static MODIFY_RESP: GoStruct = GoStruct {
    name: "CallbackMsgModifyCommandResp",
    qualified: "callbackstruct.CallbackMsgModifyCommandResp",
    fields: &[
        field("content", Str),
        field("recvID", Str),
        field("groupID", Str),
        field("clientMsgID", Str),
        field("serverMsgID", Str),
        field("senderPlatformID", I32),
        field("senderNickname", Str),
        field("senderFaceURL", Str),
        field("sessionType", I32),
        field("msgFrom", I32),
        field("contentType", I32),
        field("status", I32),
        field("options", AnyMap),
        field("offlinePushInfo", Struct(&OFFLINE_PUSH_INFO)),
        field("atUserIDList", Strings),
        field("msgDataList", Str),
        field("attachedInfo", Str),
        field("ex", Str),
    ],
    embedded: ("CommonCallbackResp", &COMMON_RESP),
};

/// Which answer a hook reads.
#[derive(Clone, Copy)]
pub enum Shape {
    SendSingle,
    SendGroup,
    Modify,
}

/// A decoded answer: `CommonCallbackResp` and, from `beforeMsgModify`, the message's new
/// values (absent: unchanged).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Reply {
    pub action_code: i32,
    pub err_code: i32,
    pub err_msg: String,
    pub err_dlt: String,
    pub next_code: i32,
    pub content: Option<String>,
    #[serde(rename = "recvID")]
    pub recv_id: Option<String>,
    #[serde(rename = "groupID")]
    pub group_id: Option<String>,
    #[serde(rename = "clientMsgID")]
    pub client_msg_id: Option<String>,
    #[serde(rename = "serverMsgID")]
    pub server_msg_id: Option<String>,
    #[serde(rename = "senderPlatformID")]
    pub sender_platform_id: Option<i32>,
    pub sender_nickname: Option<String>,
    #[serde(rename = "senderFaceURL")]
    pub sender_face_url: Option<String>,
    pub msg_from: Option<i32>,
    pub content_type: Option<i32>,
    pub offline_push_info: Option<OfflinePushInfo>,
    #[serde(rename = "atUserIDList")]
    pub at_user_id_list: Option<Vec<String>>,
    pub ex: Option<String>,
}

/// `json.Unmarshal` of an answer's body into `shape`: the reply, or Go's error text.
pub fn decode(body: &[u8], shape: Shape) -> Result<Reply, String> {
    let shape = match shape {
        Shape::SendSingle => &SEND_SINGLE_RESP,
        Shape::SendGroup => &SEND_GROUP_RESP,
        Shape::Modify => &MODIFY_RESP,
    };
    let value = json::decode(body, shape, Read::Whole)?;
    serde_json::from_value(value).map_err(|e| e.to_string())
}

impl Reply {
    /// `Parse`: the webhook stops the send when `actionCode` is 0 and `nextCode` is 1.
    pub fn stops(&self) -> bool {
        self.action_code == 0 && self.next_code == 1
    }
}
