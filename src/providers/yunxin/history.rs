//! Reading and taking back messages (contract §5): `GET /conversations/{cid}/messages` (a
//! time range, `limit` 1..100, `page_token`, `descending`, `message_type`, no-sense messages
//! only when asked), `GET /conversations/{cid}/messages/{message_server_id}`, and `DELETE`
//! of the latter with `type` 1 (one-way recall), 2 (two-way recall, within the tenant's recall
//! window) or 3 (delete), types 1 and 3 within 30 days; and `DELETE
//! /conversations/{cid}/messages?type=`, which clears a conversation; `POST
//! /conversations/{cid}/batch_messages` reads messages by ID.

use super::call::{Answer, Call, Params};
use super::conversation::{ConversationId, SUPER_TEAM};
use super::error::YunxinError;
use super::msg_store::{Item, Query};
use super::team_store::Role;
use super::tenant::Tenant;
use super::wire::Empty;
use crate::core::journal::MessageId;
use actix_web::web;
use serde::{Deserialize, Serialize};

/// The most messages of one page.
const MAX_LIMIT: i64 = 100;
/// How long after sending a one-way recall or a delete is allowed.
const THIRTY_DAYS_MS: i64 = 30 * 24 * 3600 * 1000;
/// `type` of a one-way recall, a two-way recall and a delete.
const ONE_WAY: i64 = 1;
const TWO_WAY: i64 = 2;
const DELETE: i64 = 3;

#[derive(Serialize)]
struct Page<'a> {
    items: Vec<Item<'a>>,
    has_more: bool,
    next_token: String,
}

/// A required integer parameter; 414 when missing or not one.
fn required(params: &Params, name: &str) -> Result<i64, YunxinError> {
    params.integer(name)?.ok_or(YunxinError::PARAMETER)
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
    let Some(text) = text else {
        return Ok(None);
    };
    let parsed: Result<Vec<i64>, _> = text.split(',').map(|t| t.trim().parse()).collect();
    parsed.map(Some).map_err(|_| YunxinError::PARAMETER)
}

/// `GET /im/v2.1/conversations/{conversation_id}/messages`.
pub fn list(call: &Call, cid: &str) -> Answer {
    let q = call.params()?;
    let conversation = ConversationId::parse(cid)?;
    let begin_time = required(&q, "begin_time")?;
    let end_time = required(&q, "end_time")?;
    let limit = required(&q, "limit")?;
    if begin_time > end_time || !(1..=MAX_LIMIT).contains(&limit) {
        return Err(YunxinError::PARAMETER);
    }
    let after = match q.get("page_token") {
        None => None,
        Some(token) => Some(token.parse::<u64>().map_err(|_| YunxinError::PARAMETER)?),
    };
    let wanted = types(q.get("message_type"))?;
    let tenant = call.tenant();
    let descending = q.boolean("descending", false)?;
    let query = Query {
        begin_time,
        end_time,
        types: wanted.as_deref(),
        include_no_sense: q.boolean("include_no_sense_msg", false)?,
        newest_first: descending == tenant.settings.descending_is_newest_first,
        after,
        limit: limit as usize,
    };
    exists(&tenant, &conversation, q.boolean("check_team_valid", true)?)?;
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
    let q = call.params()?;
    let conversation = ConversationId::parse(cid)?;
    let id = server_id(id)?;
    let tenant = call.tenant();
    exists(&tenant, &conversation, q.boolean("check_team_valid", true)?)?;
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
    let q = call.params()?;
    let conversation = ConversationId::parse(cid)?;
    let id = server_id(id)?;
    let kind = required(&q, "type")?;
    // One-way recall and delete are for P2P and advanced teams only.
    let not_on_super = kind != TWO_WAY && conversation.kind == SUPER_TEAM;
    if !(ONE_WAY..=DELETE).contains(&kind) || not_on_super {
        return Err(YunxinError::PARAMETER);
    }
    let ignore_time = q.boolean("ignore_revoke_time", false)?;
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

/// `DELETE /im/v2/conversations/{conversation_id}/messages?type=`: clears the conversation's
/// roaming messages (1, which the emulator does not keep), its history (2) or both (3).
pub fn clear(call: &Call, cid: &str) -> Answer {
    let q = call.params()?;
    let conversation = ConversationId::parse(cid)?;
    let kind = required(&q, "type")?;
    if !(1..=3).contains(&kind) {
        return Err(YunxinError::PARAMETER);
    }
    exists(&call.tenant(), &conversation, true)?;
    let tenant = call.keep()?;
    if kind != 1 {
        tenant.messages.clear(&conversation.key());
    }
    call.ok(&Empty {})
}

#[derive(Deserialize)]
struct Wanted {
    message_server_id: Option<u64>,
    create_time: Option<i64>,
}

#[derive(Deserialize)]
struct BatchQuery {
    messages: Option<Vec<Wanted>>,
}

#[derive(Serialize)]
struct Missing {
    message_server_id: u64,
    create_time: i64,
    error_code: i64,
    error_msg: &'static str,
}

#[derive(Serialize)]
struct Found<'a> {
    success_list: Vec<Item<'a>>,
    failed_list: Vec<Missing>,
}

/// `POST /im/v2.1/conversations/{conversation_id}/batch_messages`: at most 100 messages by
/// server ID (and send time); those not in history fail with 107404.
pub async fn batch_query(call: &Call, cid: &str, payload: web::Payload) -> Answer {
    let body: BatchQuery = call.json(payload).await?;
    let conversation = ConversationId::parse(cid)?;
    let wanted = body.messages.ok_or(YunxinError::PARAMETER)?;
    if wanted.is_empty() || wanted.len() > MAX_LIMIT as usize {
        return Err(YunxinError::PARAMETER);
    }
    let tenant = call.tenant();
    exists(&tenant, &conversation, true)?;
    let key = conversation.key();
    let mut found = Vec::new();
    let mut failed_list = Vec::new();
    for w in wanted {
        let id = w.message_server_id.ok_or(YunxinError::PARAMETER)?;
        let create_time = w.create_time.ok_or(YunxinError::PARAMETER)?;
        match tenant.messages.get(&key, id, true) {
            Some(message) => found.push(message),
            None => failed_list.push(Missing {
                message_server_id: id,
                create_time,
                error_code: YunxinError::MESSAGE_NOT_EXIST.code,
                error_msg: YunxinError::MESSAGE_NOT_EXIST.msg,
            }),
        }
    }
    let success_list = (found.iter())
        .map(|message| Item {
            message,
            alone: false,
        })
        .collect();
    call.ok(&Found {
        success_list,
        failed_list,
    })
}
