//! The team member routes (contract §5): `POST /team_members` (invitations, from the owner and
//! managers unless `invite_mode` is 1), `PATCH /team_members/actions/batch_mute` (the owner of
//! an advanced team, also managers of a super team) and `GET
//! /teams/{id}/actions/list_members` (paged by account ID).

use super::call::{Answer, Call};
use super::conversation::team_id;
use super::error::YunxinError;
use super::team_store::{Member, Role, Team, ADVANCED};
use super::teams::{
    account_list, admit, change_team, existing, role_of, team_type, FailedAccount, Listed,
};
use actix_web::web;
use serde::{Deserialize, Serialize};

/// `invite_mode` under which every member may invite (otherwise the owner and managers).
const EVERYONE_INVITES: i64 = 1;
/// The most members of one page.
const MAX_PAGE: i64 = 100;

#[derive(Deserialize)]
struct InviteRequest {
    operator_id: Option<String>,
    team_id: Option<u64>,
    team_type: Option<i64>,
    invite_account_ids: Option<Vec<String>>,
}

/// `POST /im/v2/team_members`: invitations from a member.
pub async fn invite(call: &Call, payload: web::Payload) -> Answer {
    let body: InviteRequest = call.json(payload).await?;
    let operator = body.operator_id.ok_or(YunxinError::PARAMETER)?;
    let id = body.team_id.ok_or(YunxinError::PARAMETER)?;
    let kind = team_type(body.team_type)?;
    let invited = account_list(body.invite_account_ids, true)?;
    let tenant = call.keep()?;
    let (invited, mut failed_list) = existing(&tenant, invited);
    let changed = tenant.teams.update(id, |team| {
        if team.team_type != kind {
            return Err(YunxinError::TEAM_NOT_EXIST);
        }
        let everyone_invites = team.configuration.invite_mode == EVERYONE_INVITES;
        if role_of(team, &operator)? == Role::Normal && !everyone_invites {
            return Err(YunxinError::FORBIDDEN);
        }
        team.update_time = call.now_ms;
        Ok(admit(team, invited, &mut failed_list, call.now_ms))
    });
    let success_list = changed.unwrap_or(Err(YunxinError::TEAM_NOT_EXIST))?;
    call.ok(&Listed {
        success_list,
        failed_list,
    })
}

#[derive(Deserialize)]
struct MuteRequest {
    operator_id: Option<String>,
    team_id: Option<u64>,
    team_type: Option<i64>,
    chat_ban_account_ids: Option<Vec<String>>,
    chat_banned: Option<bool>,
}

/// `PATCH /im/v2/team_members/actions/batch_mute`: the owner or a manager bans (or lets
/// speak) members.
pub async fn mute(call: &Call, payload: web::Payload) -> Answer {
    let body: MuteRequest = call.json(payload).await?;
    let operator = body.operator_id.ok_or(YunxinError::PARAMETER)?;
    let id = body.team_id.ok_or(YunxinError::PARAMETER)?;
    let kind = team_type(body.team_type)?;
    let accounts = account_list(body.chat_ban_account_ids, true)?;
    let banned = body.chat_banned.ok_or(YunxinError::PARAMETER)?;
    // In an advanced team only the owner bans members; in a super team managers too.
    change_team(call, id, kind, &operator, kind == ADVANCED, |team| {
        let mut listed = Listed {
            success_list: Vec::new(),
            failed_list: Vec::new(),
        };
        for account in accounts {
            match team.members.get_mut(&account) {
                Some(member) => {
                    member.chat_banned = banned;
                    listed.success_list.push(account);
                }
                None => {
                    (listed.failed_list).push(FailedAccount::new(account, YunxinError::NOT_MEMBER))
                }
            }
        }
        call.ok(&listed)
    })?
}

/// A member as `list_members` shows it.
#[derive(Serialize)]
struct Listing<'a> {
    team_id: u64,
    account_id: &'a str,
    member_role: i64,
    team_nick: &'static str,
    server_extension: &'static str,
    chat_banned: bool,
    join_time: i64,
    update_time: i64,
}

#[derive(Serialize)]
struct MemberPage<'a> {
    items: Vec<Listing<'a>>,
    has_more: bool,
    next_token: String,
}

/// `member_role`: 0 a normal member, 1 the owner, 2 a manager.
fn role_code(role: Role) -> i64 {
    match role {
        Role::Normal => 0,
        Role::Owner => 1,
        Role::Manager => 2,
    }
}

/// Whether `m` is of `member_type` (0 all, 1 owner and managers, 2 normal members) and
/// `chat_banned_type` (0 all, 1 banned, 2 not banned).
fn listed(m: &Member, member_type: i64, chat_banned_type: i64) -> bool {
    let normal = m.role == Role::Normal;
    let by_role = member_type == 0 || (member_type == 1) != normal;
    let by_ban = chat_banned_type == 0 || (chat_banned_type == 1) == m.chat_banned;
    by_role && by_ban
}

/// `GET /im/v2.1/teams/{team_id}/actions/list_members`.
pub fn list(call: &Call, id: &str) -> Answer {
    let q = call.params()?;
    let id = team_id(id)?;
    let kind = team_type(q.integer("team_type")?)?;
    let member_type = q.integer("member_type")?.unwrap_or(0);
    let chat_banned_type = q.integer("chat_banned_type")?.unwrap_or(0);
    let limit = q.integer("limit")?.unwrap_or(MAX_PAGE);
    let in_range = |v: i64| (0..=2).contains(&v);
    if !in_range(member_type) || !in_range(chat_banned_type) || !(1..=MAX_PAGE).contains(&limit) {
        return Err(YunxinError::PARAMETER);
    }
    let descending = q.boolean("descending", false)?;
    let after = q.get("page_token");
    let tenant = call.tenant();
    let page = tenant.teams.with(id, |team| {
        if team.team_type != kind {
            return Err(YunxinError::TEAM_NOT_EXIST);
        }
        let mut ids: Vec<&String> = (team.members.iter())
            .filter(|(_, m)| listed(m, member_type, chat_banned_type))
            .map(|(account, _)| account)
            .collect();
        ids.sort_unstable();
        if descending {
            ids.reverse();
        }
        let start = after.map_or(0, |token| {
            let past = |a: &&&String| {
                if descending {
                    a.as_str() >= token
                } else {
                    a.as_str() <= token
                }
            };
            ids.iter().take_while(past).count()
        });
        let rest = &ids[start.min(ids.len())..];
        let shown = &rest[..rest.len().min(limit as usize)];
        let has_more = rest.len() > shown.len();
        call.ok(&MemberPage {
            items: shown.iter().map(|a| listing(team, a)).collect(),
            has_more,
            next_token: match shown.last() {
                Some(last) if has_more => (*last).clone(),
                _ => String::new(),
            },
        })
    });
    page.unwrap_or(Err(YunxinError::TEAM_NOT_EXIST))
}

fn listing<'a>(team: &Team, account: &'a str) -> Listing<'a> {
    let member = &team.members[account];
    Listing {
        team_id: team.team_id,
        account_id: account,
        member_role: role_code(member.role),
        team_nick: "",
        server_extension: "",
        chat_banned: member.chat_banned,
        join_time: member.join_time,
        update_time: member.join_time,
    }
}
