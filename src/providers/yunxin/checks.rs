//! The permission checks of a send (contract §4.5 steps 5 to 7): the sender exists, is
//! enabled and may chat; a P2P receiver exists, has not blocked the sender and (with
//! `check_friend`) is a friend; a team exists with the conversation's type, has the sender as a
//! member and does not keep it quiet.

use super::conversation::{ConversationId, ADVANCED_TEAM};
use super::error::YunxinError;
use super::message::{SendBody, TeamOption};
use super::team_store::{Role, ADVANCED, ALL_BANNED, NORMAL_BANNED, SUPER};
use super::tenant::Tenant;

/// The sender exists (102404), is enabled (102422) and its P2P or team chat is not banned
/// (102421).
pub fn check_sender(tenant: &Tenant, sender: &str, to_team: bool) -> Result<(), YunxinError> {
    let found = tenant.accounts.with(sender, |a| {
        let c = &a.configuration;
        let banned = if to_team {
            c.team_chat_banned
        } else {
            c.p2p_chat_banned
        };
        if !c.enabled {
            Err(YunxinError::ACCOUNT_BANNED)
        } else if banned {
            Err(YunxinError::ACCOUNT_CHAT_BANNED)
        } else {
            Ok(())
        }
    });
    found.unwrap_or(Err(YunxinError::ACCOUNT_NOT_EXIST))
}

/// The receiver exists (102404), has not blocked the sender (102426) and, when
/// `check_friend`, counts it a friend (104404).
pub fn check_p2p(
    tenant: &Tenant,
    sender: &str,
    receiver: &str,
    check_friend: bool,
) -> Result<(), YunxinError> {
    let found = tenant.accounts.with(receiver, |r| {
        if r.blocked.contains(sender) {
            Err(YunxinError::IN_BLOCK_LIST)
        } else if check_friend && sender != r.account_id && !r.friends.contains(sender) {
            Err(YunxinError::FRIEND_NOT_EXIST)
        } else {
            Ok(())
        }
    });
    found.unwrap_or(Err(YunxinError::ACCOUNT_NOT_EXIST))
}

/// The team exists (108404) with the conversation's type (108302 for a super team sent to as
/// advanced, 414 the other way round); the sender is a member unless
/// `check_team_member_valid` is false (109404); the team's chat ban (108423, or 108306 for a
/// normal member) and the member's (109424) hold unless ignored; `target_option` is refused as
/// the feature is off (108318).
pub fn check_team(
    tenant: &Tenant,
    team: u64,
    conversation: &ConversationId,
    body: &SendBody,
) -> Result<(), YunxinError> {
    let advanced = conversation.kind == ADVANCED_TEAM;
    let option = if advanced {
        body.team_option.as_ref()
    } else {
        body.superteam_option.as_ref()
    };
    let default = TeamOption::default();
    let option = option.unwrap_or(&default);
    let sender = conversation.sender.as_str();
    let found = tenant.teams.with(team, |t| {
        match (advanced, t.team_type) {
            (true, SUPER) => return Err(YunxinError::NOT_ADVANCED_TEAM),
            (false, ADVANCED) => return Err(YunxinError::PARAMETER),
            _ => {}
        }
        let member = t.members.get(sender);
        if member.is_none() && option.check_team_member_valid != Some(false) {
            return Err(YunxinError::NOT_MEMBER);
        }
        if option.ignore_chat_banned != Some(true) {
            let normal = member.is_none_or(|m| m.role == Role::Normal);
            match t.configuration.chat_banned_mode {
                ALL_BANNED => return Err(YunxinError::TEAM_CHAT_BANNED),
                NORMAL_BANNED if normal => return Err(YunxinError::NORMAL_MEMBERS_BANNED),
                _ => {}
            }
        }
        let quiet = member.is_some_and(|m| m.chat_banned);
        if quiet && option.ignore_member_chat_banned != Some(true) {
            return Err(YunxinError::MEMBER_CHAT_BANNED);
        }
        let targeted = body.target_option.as_ref();
        if targeted.is_some_and(|t| t.receiver_account_ids.is_some()) {
            return Err(YunxinError::TARGETING_DISABLED);
        }
        Ok(())
    });
    found.unwrap_or(Err(YunxinError::TEAM_NOT_EXIST))
}
