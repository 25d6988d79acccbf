//! Conversation IDs (contract §4.1): `sender_id|conversation_type|receiver_id`, percent-decoded
//! before they reach here; type 1 is P2P (the receiver an account), 2 an advanced team and 3 a
//! super team (the receiver a numeric team ID). The sender is the first segment.

use super::error::YunxinError;

/// `conversation_type` of a P2P conversation, an advanced team's and a super team's.
pub const P2P: i64 = 1;
pub const ADVANCED_TEAM: i64 = 2;
pub const SUPER_TEAM: i64 = 3;

/// A parsed conversation ID.
#[derive(Debug, Clone)]
pub struct ConversationId {
    pub sender: String,
    pub kind: i64,
    /// The receiving account (lower-cased), or the team ID in decimal.
    pub receiver: String,
    pub team: Option<u64>,
}

impl ConversationId {
    /// Parses `text`; 414 for anything but three non-empty segments with a known type and, for
    /// teams, a numeric ID.
    pub fn parse(text: &str) -> Result<Self, YunxinError> {
        let parts: Vec<&str> = text.split('|').collect();
        let [sender, kind, receiver] = parts[..] else {
            return Err(YunxinError::PARAMETER);
        };
        if sender.is_empty() || receiver.is_empty() {
            return Err(YunxinError::PARAMETER);
        }
        let kind: i64 = kind.parse().map_err(|_| YunxinError::PARAMETER)?;
        let team = match kind {
            P2P => None,
            ADVANCED_TEAM | SUPER_TEAM => Some(team_id(receiver)?),
            _ => return Err(YunxinError::PARAMETER),
        };
        Ok(Self {
            sender: sender.to_ascii_lowercase(),
            kind,
            receiver: match team {
                Some(team) => team.to_string(),
                None => receiver.to_ascii_lowercase(),
            },
            team,
        })
    }

    /// The key of the conversation's messages: both directions of a P2P pair share one.
    pub fn key(&self) -> String {
        match self.team {
            Some(team) => format!("team:{team}"),
            None => p2p_key(&self.sender, &self.receiver),
        }
    }
}

/// The message key of the P2P conversation of `a` and `b`.
pub fn p2p_key(a: &str, b: &str) -> String {
    let (first, second) = if a <= b { (a, b) } else { (b, a) };
    format!("p2p:{first}|{second}")
}

/// A team ID: 1 to 19 digits.
pub fn team_id(text: &str) -> Result<u64, YunxinError> {
    let digits = (1..=19).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    if !digits {
        return Err(YunxinError::PARAMETER);
    }
    text.parse().map_err(|_| YunxinError::PARAMETER)
}
