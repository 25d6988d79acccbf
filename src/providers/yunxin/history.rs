//! Reading and taking back messages (contract §5): `GET /conversations/{cid}/messages` (a
//! time range, `limit` 1..100, `page_token`, `descending`, `message_type`, no-sense messages
//! only when asked), `GET /conversations/{cid}/messages/{message_server_id}`, and `DELETE`
//! of the latter with `type` 1 (one-way recall), 2 (two-way recall, within the tenant's recall
//! window) or 3 (delete), types 1 and 3 within 30 days.

use super::call::{Answer, Call};
use super::conversation::{ConversationId, SUPER_TEAM};
use super::error::YunxinError;
use super::msg_store::{Item, Query};
use super::team_store::Role;
use super::tenant::Tenant;
use super::wire::Empty;
use crate::core::journal::MessageId;
use serde::{Deserialize, Serialize};

/// The most messages of one page.
const MAX_LIMIT: i64 = 100;
/// How long after sending a one-way recall or a delete is allowed.
const THIRTY_DAYS_MS: i64 = 30 * 24 * 3600 * 1000;
/// `type` of a one-way recall, a two-way recall and a delete.
const ONE_WAY: i64 = 1;
const TWO_WAY: i64 = 2;
const DELETE: i64 = 3;

#[derive(Deserialize)]
struct ListQuery {
    begin_time: Option<String>,
    end_time: Option<String>,
    limit: Option<String>,
    page_token: Option<String>,
    descending: Option<String>,
    message_type: Option<String>,
    include_no_sense_msg: Option<String>,
    check_team_valid: Option<String>,
}

#[derive(Deserialize)]
struct OneQuery {
    check_team_valid: Option<String>,
}

#[derive(Deserialize)]
struct DeleteQuery {
    #[serde(rename = "type")]
    kind: Option<String>,
    ignore_revoke_time: Option<String>,
}

#[derive(Serialize)]
struct Page<'a> {
    items: Vec<Item<'a>>,
    has_more: bool,
    next_token: String,
}

/// A required integer parameter; 414 when missing or not one.
fn integer(text: Option<&str>) -> Result<i64, YunxinError> {
    text.and_then(|t| t.trim().parse().ok())
        .ok_or(YunxinError::PARAMETER)
}

/// An optional boolean parameter (`true` or `false`); 414 for anything else.
fn boolean(text: Option<&str>, default: bool) -> Result<bool, YunxinError> {
    match text.map(str::trim) {
        None | Some("") => Ok(default),
        Some(t) if t.eq_ignore_ascii_case("true") => Ok(true),
        Some(t) if t.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(YunxinError::PARAMETER),
    }
}

/// The accounts and team a conversation ID names exist: the sender, and the receiver (102404)
/// or, when `check_team`, the team (108404).
fn exists(tenant: &Tenant, c: &ConversationId, check_team: bool) -> Result<(), YunxinError> {
    let account = |id: &str| tenant.accounts.with(id, |_| ()).is_some();
    if !account(&c.sender) {
        return Err(YunxinError::ACCOUNT_NOT_EXIST);
    }
    match c.team {
        None if !account(&c.receiver) => Err(YunxinError::ACCOUNT_NOT_EXIST),
        Some(team) if check_team && tenant.teams.with(team, |_| ()).is_none() => {
            Err(YunxinError::TEAM_NOT_EXIST)
        }
        _ => Ok(()),
    }
}

/// `message_type=0,1`: the types asked for.
fn types(text: Option<&str>) -> Result<Option<Vec<i64>>, YunxinError> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    let parsed: Result<Vec<i64>, _> = text.split(',').map(|t| t.trim().parse()).collect();
    parsed.map(Some).map_err(|_| YunxinError::PARAMETER)
}

/// `GET /im/v2.1/conversations/{conversation_id}/messages`.
pub fn list(call: &Call, cid: &str) -> Answer {
    let q: ListQuery = call.query()?;
    let conversation = ConversationId::parse(cid)?;
    let begin_time = integer(q.begin_time.as_deref())?;
    let end_time = integer(q.end_time.as_deref())?;
    let limit = integer(q.limit.as_deref())?;
    if begin_time > end_time || !(1..=MAX_LIMIT).contains(&limit) {
        return Err(YunxinError::PARAMETER);
    }
    let after = match q
        .page_token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        None => None,
        Some(token) => Some(token.parse::<u64>().map_err(|_| YunxinError::PARAMETER)?),
    };
    let wanted = types(q.message_type.as_deref())?;
    let query = Query {
        begin_time,
        end_time,
        types: wanted.as_deref(),
        include_no_sense: boolean(q.include_no_sense_msg.as_deref(), false)?,
        newest_first: boolean(q.descending.as_deref(), false)?,
        after,
        limit: limit as usize,
    };
    let tenant = call.tenant();
    exists(
        &tenant,
        &conversation,
        boolean(q.check_team_valid.as_deref(), true)?,
    )?;
    let page = tenant.messages.page(&conversation.key(), &query);
    let next_token = match page.items.last() {
        Some(last) if page.has_more => last.server_id.to_string(),
        _ => String::new(),
    };
    call.ok(&Page {
        items: (page.items.iter())
            .map(|message| Item {
                message,
                alone: false,
            })
            .collect(),
        has_more: page.has_more,
        next_token,
    })
}

/// A message ID in a path: 414 when it is not a number.
fn server_id(text: &str) -> Result<u64, YunxinError> {
    text.parse().map_err(|_| YunxinError::PARAMETER)
}

/// `GET /im/v2.1/conversations/{conversation_id}/messages/{message_server_id}`.
pub fn get(call: &Call, cid: &str, id: &str) -> Answer {
    let q: OneQuery = call.query()?;
    let conversation = ConversationId::parse(cid)?;
    let id = server_id(id)?;
    let tenant = call.tenant();
    exists(
        &tenant,
        &conversation,
        boolean(q.check_team_valid.as_deref(), true)?,
    )?;
    let found = tenant.messages.get(&conversation.key(), id, true);
    let message = found.ok_or(YunxinError::MESSAGE_NOT_EXIST)?;
    call.ok(&Item {
        message: &message,
        alone: true,
    })
}

/// `DELETE /im/v2/conversations/{conversation_id}/messages/{message_server_id}?type=`: the
/// conversation's sender takes back its own message, or a team's owner or manager any.
pub fn delete(call: &Call, cid: &str, id: &str) -> Answer {
    let q: DeleteQuery = call.query()?;
    let conversation = ConversationId::parse(cid)?;
    let id = server_id(id)?;
    let kind = integer(q.kind.as_deref())?;
    let one_way_to_super = kind == ONE_WAY && conversation.kind == SUPER_TEAM;
    if !(ONE_WAY..=DELETE).contains(&kind) || one_way_to_super {
        return Err(YunxinError::PARAMETER);
    }
    let ignore_time = boolean(q.ignore_revoke_time.as_deref(), false)?;
    let tenant = call.tenant();
    exists(&tenant, &conversation, true)?;
    let key = conversation.key();
    let found = tenant.messages.get(&key, id, false);
    let message = found.ok_or(YunxinError::MESSAGE_NOT_EXIST)?;
    let operator = conversation.sender.as_str();
    let manages = conversation.team.is_some_and(|team| {
        let role = tenant
            .teams
            .with(team, |t| t.members.get(operator).map(|m| m.role));
        matches!(role.flatten(), Some(Role::Owner | Role::Manager))
    });
    if message.sender != operator && !manages {
        return Err(YunxinError::NOT_REVOKER);
    }
    let window = if kind == TWO_WAY {
        tenant.settings.recall_window_ms
    } else {
        THIRTY_DAYS_MS
    };
    let late = call.now_ms - message.create_time > window;
    if late && !(kind == TWO_WAY && ignore_time) {
        return Err(YunxinError::REVOKE_TOO_LATE);
    }
    let tenant = call.keep()?;
    tenant.messages.remove(&key, id);
    if kind != DELETE {
        let wanted = MessageId::Number(id);
        (tenant.journal).update_recent(|_| true, |r| r.id == wanted, |r| r.recalled = true);
    }
    call.ok(&Empty {})
}
