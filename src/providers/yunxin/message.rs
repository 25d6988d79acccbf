//! The message a send carries (contract §4.2, §4.5 steps 3 and 4): its type and the
//! `text`/`attachment` rules of each, `sub_type`, the client ID, the six `message_config`
//! flags (all true by default; `mutil_sync_enabled` spelled as the API spells it), the options
//! the checks read, and the two no-sense flags, which may not both be set.

use super::error::YunxinError;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::sync::Arc;

/// The types a send may carry: text, image, audio, video, location, file, tip, custom.
const SENDABLE: [i64; 8] = [0, 1, 2, 3, 4, 6, 10, 100];
/// Text and tip: `text` is the message.
const TEXT_TYPES: [i64; 2] = [0, 10];
/// The longest text of a text or tip message, and the longest description of another.
const MAX_TEXT: usize = 5000;
const MAX_DESCRIPTION: usize = 500;
/// The longest `extension` and client message ID.
const MAX_EXTENSION: usize = 1024;
const MAX_CLIENT_ID: usize = 128;
/// The most bytes of an attachment (a bound of the emulator's: the service documents none).
pub const MAX_ATTACHMENT: usize = 16 * 1024;

/// `message` as sent.
#[derive(Deserialize)]
pub struct MessageBody {
    message_type: Option<i64>,
    sub_type: Option<i64>,
    text: Option<String>,
    attachment: Option<Box<RawValue>>,
    message_client_id: Option<String>,
}

/// The flags of `message_config`, each a boolean when given; only `history_enabled` changes
/// what the emulator keeps.
#[derive(Deserialize, Default)]
pub struct MessageConfig {
    #[serde(rename = "unread_enabled")]
    _unread: Option<bool>,
    #[serde(rename = "mutil_sync_enabled")]
    _multi_sync: Option<bool>,
    #[serde(rename = "offline_enabled")]
    _offline: Option<bool>,
    history_enabled: Option<bool>,
    #[serde(rename = "roaming_enabled")]
    _roaming: Option<bool>,
    #[serde(rename = "conversation_update_enabled")]
    _conversation_update: Option<bool>,
}

/// `p2p_option`.
#[derive(Deserialize, Default)]
pub struct P2pOption {
    pub check_friend: Option<bool>,
}

/// `team_option` and `superteam_option`.
#[derive(Deserialize, Default)]
pub struct TeamOption {
    pub ignore_chat_banned: Option<bool>,
    pub ignore_member_chat_banned: Option<bool>,
    pub check_team_member_valid: Option<bool>,
}

/// `target_option`: a team message only some members see.
#[derive(Deserialize, Default)]
pub struct TargetOption {
    pub receiver_account_ids: Option<Vec<String>>,
}

/// `route_config`: `route_enabled` false sends no message copy for this message; the
/// environment is read and not used (the emulator has one copy URL per app).
#[derive(Deserialize, Default)]
pub struct RouteConfig {
    pub route_enabled: Option<bool>,
    #[serde(rename = "route_environment")]
    _environment: Option<String>,
}

/// The body of a send and of a batch send (`sender_id` and `receiver_ids` are the batch's).
#[derive(Deserialize)]
pub struct SendBody {
    pub message: Option<Box<RawValue>>,
    pub message_config: Option<MessageConfig>,
    pub p2p_option: Option<P2pOption>,
    pub team_option: Option<TeamOption>,
    pub superteam_option: Option<TeamOption>,
    pub target_option: Option<TargetOption>,
    pub sender_no_sense: Option<bool>,
    pub receiver_no_sense: Option<bool>,
    pub extension: Option<String>,
    pub thread_config: Option<Box<RawValue>>,
    pub sender_id: Option<String>,
    pub receiver_ids: Option<Vec<String>>,
    pub route_config: Option<RouteConfig>,
}

impl SendBody {
    /// Whether the message is copied to the app's message copy URL (`route_enabled`).
    pub fn routed(&self) -> bool {
        (self.route_config.as_ref()).and_then(|r| r.route_enabled) != Some(false)
    }
}

/// A message that passed the checks, ready to store.
pub struct Checked<'a> {
    /// `message` exactly as sent.
    pub raw: &'a RawValue,
    pub message_type: i64,
    pub sub_type: Option<i64>,
    pub text: Option<String>,
    pub attachment: Option<Arc<RawValue>>,
    pub client_id: Option<String>,
    pub in_history: bool,
    pub no_sense: bool,
    pub check_friend: bool,
}

impl SendBody {
    /// The message, checked in the contract's order: its shape (414), then the no-sense flags
    /// (107330).
    pub fn check(&self) -> Result<Checked<'_>, YunxinError> {
        let raw = self.message.as_deref().ok_or(YunxinError::PARAMETER)?;
        let body: MessageBody =
            serde_json::from_str(raw.get()).map_err(|_| YunxinError::PARAMETER)?;
        let message_type = body.message_type.filter(|t| SENDABLE.contains(t));
        let message_type = message_type.ok_or(YunxinError::PARAMETER)?;
        let text_len = body.text.as_ref().map(|t| t.chars().count());
        // An attachment, when there is one, is a JSON object (the SDKs read it as a map).
        let attachment = body.attachment.as_deref();
        let object = |a: &RawValue| a.get().starts_with('{') && a.get().len() <= MAX_ATTACHMENT;
        let shaped = attachment.is_none_or(object)
            && if TEXT_TYPES.contains(&message_type) {
                text_len.is_some_and(|n| (1..=MAX_TEXT).contains(&n))
            } else {
                text_len.is_none_or(|n| n <= MAX_DESCRIPTION) && attachment.is_some()
            };
        let client_id = body.message_client_id.filter(|c| !c.is_empty());
        let valid = shaped
            && body
                .sub_type
                .is_none_or(|s| (1..=i64::from(i32::MAX)).contains(&s))
            && client_id
                .as_ref()
                .is_none_or(|c| c.chars().count() <= MAX_CLIENT_ID)
            && (self.extension.as_ref()).is_none_or(|e| e.chars().count() <= MAX_EXTENSION);
        if !valid {
            return Err(YunxinError::PARAMETER);
        }
        let (sender_no_sense, receiver_no_sense) = (
            self.sender_no_sense.unwrap_or(false),
            self.receiver_no_sense.unwrap_or(false),
        );
        if sender_no_sense && receiver_no_sense {
            return Err(YunxinError::NO_SENSE);
        }
        let config = self.message_config.as_ref();
        Ok(Checked {
            raw,
            message_type,
            sub_type: body.sub_type,
            text: body.text,
            attachment: body.attachment.map(Arc::from),
            client_id,
            in_history: config.and_then(|c| c.history_enabled).unwrap_or(true),
            no_sense: sender_no_sense || receiver_no_sense,
            check_friend: (self.p2p_option.as_ref()).and_then(|o| o.check_friend) == Some(true),
        })
    }
}
