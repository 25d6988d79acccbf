//! The team routes (contract §5): `POST /teams` (`team_type` 1 advanced, 2 super), `GET
//! /teams/{id}`, `PATCH /teams/{id}` (name card and configuration, the chat-ban mode
//! included) and `POST /teams/{id}/actions/add_manager`; invitees join at once when
//! `agree_mode` is 1, and wait for an agreement the emulator never sees otherwise.

use super::account_store::legal_account_id;
use super::call::{Answer, Call};
use super::conversation::team_id;
use super::error::YunxinError;
use super::team_store::{
    Member, Role, Team, TeamConfiguration, ADVANCED, ALL_BANNED, NORMAL_BANNED, NOT_BANNED, SUPER,
};
use super::tenant::Tenant;
use super::wire::Empty;
use actix_web::web;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The most accounts one invitation or mute may name.
const MAX_LISTED: usize = 200;
/// The longest team name.
const MAX_NAME: usize = 64;
/// `agree_mode` under which invitees join without agreeing.
const NO_AGREEMENT: i64 = 1;

/// Changes to a team's configuration: the fields given.
#[derive(Deserialize, Default)]
struct ConfigurationPatch {
    join_mode: Option<i64>,
    agree_mode: Option<i64>,
    invite_mode: Option<i64>,
    update_team_info_mode: Option<i64>,
    update_extension_mode: Option<i64>,
    chat_banned_mode: Option<i64>,
}

impl ConfigurationPatch {
    fn check(&self) -> Result<(), YunxinError> {
        let modes = [self.join_mode, self.agree_mode, self.invite_mode];
        let binary = [self.update_team_info_mode, self.update_extension_mode];
        let ok = modes.iter().all(|m| m.is_none_or(|m| (0..=2).contains(&m)))
            && binary
                .iter()
                .all(|m| m.is_none_or(|m| (0..=1).contains(&m)))
            && (self.chat_banned_mode)
                .is_none_or(|m| [NOT_BANNED, NORMAL_BANNED, ALL_BANNED].contains(&m));
        ok.then_some(()).ok_or(YunxinError::PARAMETER)
    }

    fn apply(&self, c: &mut TeamConfiguration) {
        let set = |field: &mut i64, value: Option<i64>| *field = value.unwrap_or(*field);
        set(&mut c.join_mode, self.join_mode);
        set(&mut c.agree_mode, self.agree_mode);
        set(&mut c.invite_mode, self.invite_mode);
        set(&mut c.update_team_info_mode, self.update_team_info_mode);
        set(&mut c.update_extension_mode, self.update_extension_mode);
        set(&mut c.chat_banned_mode, self.chat_banned_mode);
    }
}

/// A team's name card as a create or update gives it.
#[derive(Deserialize, Default)]
struct Card {
    name: Option<String>,
    icon: Option<String>,
    announcement: Option<String>,
    intro: Option<String>,
    members_limit: Option<i64>,
    server_extension: Option<String>,
    customer_extension: Option<String>,
    configuration: Option<ConfigurationPatch>,
}

impl Card {
    fn check(&self) -> Result<(), YunxinError> {
        let fits =
            |t: &Option<String>, max: usize| t.as_ref().is_none_or(|t| t.chars().count() <= max);
        let ok = fits(&self.name, MAX_NAME)
            && self.name.as_ref().is_none_or(|n| !n.is_empty())
            && fits(&self.icon, 1024)
            && fits(&self.announcement, 5000)
            && fits(&self.intro, 1000)
            && fits(&self.server_extension, 1024)
            && fits(&self.customer_extension, 1024)
            && self.members_limit.is_none_or(|l| (1..=10_000).contains(&l));
        self.configuration
            .as_ref()
            .map_or(Ok(()), ConfigurationPatch::check)?;
        ok.then_some(()).ok_or(YunxinError::PARAMETER)
    }

    fn apply(self, team: &mut Team) {
        let set = |field: &mut String, value: Option<String>| {
            if let Some(value) = value {
                *field = value;
            }
        };
        set(&mut team.name, self.name);
        set(&mut team.icon, self.icon);
        set(&mut team.announcement, self.announcement);
        set(&mut team.intro, self.intro);
        set(&mut team.server_extension, self.server_extension);
        set(&mut team.customer_extension, self.customer_extension);
        team.members_limit = self.members_limit.unwrap_or(team.members_limit);
        if let Some(patch) = &self.configuration {
            patch.apply(&mut team.configuration);
        }
    }
}

#[derive(Deserialize)]
struct CreateRequest {
    owner_account_id: Option<String>,
    team_type: Option<i64>,
    invite_account_ids: Option<Vec<String>>,
    #[serde(flatten)]
    card: Card,
}

#[derive(Serialize)]
struct TeamInfo<'a> {
    team_info: &'a Team,
}

#[derive(Serialize)]
pub(super) struct FailedAccount {
    account_id: String,
    error_code: i64,
    error_msg: &'static str,
}

impl FailedAccount {
    pub(super) fn new(account_id: String, error: YunxinError) -> Self {
        Self {
            account_id,
            error_code: error.code,
            error_msg: error.msg,
        }
    }
}

#[derive(Serialize)]
struct Created<'a> {
    team_info: &'a Team,
    failed_list: Vec<FailedAccount>,
}

#[derive(Serialize)]
pub(super) struct Listed {
    pub success_list: Vec<String>,
    pub failed_list: Vec<FailedAccount>,
}

/// A list of at most [`MAX_LISTED`] legal account IDs, lower-cased, duplicates dropped.
pub(super) fn account_list(
    ids: Option<Vec<String>>,
    required: bool,
) -> Result<Vec<String>, YunxinError> {
    let ids = ids.unwrap_or_default();
    if ids.len() > MAX_LISTED || (required && ids.is_empty()) {
        return Err(YunxinError::PARAMETER);
    }
    let mut out: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        let id = id.to_ascii_lowercase();
        if !legal_account_id(&id) {
            return Err(YunxinError::PARAMETER);
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// `team_type`: 1 (advanced) or 2 (super); 414 otherwise.
pub(super) fn team_type(given: Option<i64>) -> Result<i64, YunxinError> {
    given
        .filter(|t| [ADVANCED, SUPER].contains(t))
        .ok_or(YunxinError::PARAMETER)
}

/// Splits `invited` into those who exist and the failures of those who do not.
pub(super) fn existing(tenant: &Tenant, invited: Vec<String>) -> (Vec<String>, Vec<FailedAccount>) {
    let mut found = Vec::new();
    let mut failed = Vec::new();
    for id in invited {
        if tenant.accounts.with(&id, |_| ()).is_some() {
            found.push(id);
        } else {
            failed.push(FailedAccount::new(id, YunxinError::ACCOUNT_NOT_EXIST));
        }
    }
    (found, failed)
}

/// `POST /im/v2.1/teams` (and `/im/v2/teams`).
pub async fn create(call: &Call, payload: web::Payload) -> Answer {
    let body: CreateRequest = call.json(payload).await?;
    let owner = body.owner_account_id.ok_or(YunxinError::PARAMETER)?;
    let owner = owner.to_ascii_lowercase();
    let kind = team_type(body.team_type)?;
    let invited = account_list(body.invite_account_ids, false)?;
    body.card.check()?;
    if body.card.name.is_none() || !legal_account_id(&owner) {
        return Err(YunxinError::PARAMETER);
    }
    let tenant = call.keep()?;
    if tenant.accounts.with(&owner, |_| ()).is_none() {
        return Err(YunxinError::ACCOUNT_NOT_EXIST);
    }
    let (invited, failed_list) = existing(&tenant, invited);
    let mut team = Team {
        team_id: call.state.team_id(),
        team_type: kind,
        owner_account_id: owner.clone(),
        member_count: 0,
        name: String::new(),
        icon: String::new(),
        announcement: String::new(),
        intro: String::new(),
        members_limit: if kind == ADVANCED { 200 } else { 2000 },
        server_extension: String::new(),
        customer_extension: String::new(),
        create_time: call.now_ms,
        update_time: call.now_ms,
        configuration: TeamConfiguration::default(),
        members: HashMap::new(),
    };
    body.card.apply(&mut team);
    team.members.insert(owner, member(Role::Owner, call.now_ms));
    let mut failed_list = failed_list;
    admit(&mut team, invited, &mut failed_list, call.now_ms);
    team.member_count = team.members.len();
    let answer = call.ok(&Created {
        team_info: &team,
        failed_list,
    });
    (tenant.teams.insert(team, tenant.settings.max_teams))
        .map_err(|()| YunxinError::TOO_MANY_TEAMS)?;
    answer
}

/// Lets `invited` into `team` when its `agree_mode` needs no agreement (the others wait for
/// one), within `members_limit`: those past it fail with 109434. Returns the invitations made.
pub(super) fn admit(
    team: &mut Team,
    invited: Vec<String>,
    failed: &mut Vec<FailedAccount>,
    now_ms: i64,
) -> Vec<String> {
    if team.configuration.agree_mode != NO_AGREEMENT {
        return invited;
    }
    let limit = usize::try_from(team.members_limit).unwrap_or(0);
    let mut admitted = Vec::with_capacity(invited.len());
    for id in invited {
        if team.members.contains_key(&id) {
            admitted.push(id);
        } else if team.members.len() < limit {
            team.members
                .insert(id.clone(), member(Role::Normal, now_ms));
            admitted.push(id);
        } else {
            failed.push(FailedAccount::new(id, YunxinError::TOO_MANY_MEMBERS));
        }
    }
    admitted
}

fn member(role: Role, join_time: i64) -> Member {
    Member {
        role,
        join_time,
        chat_banned: false,
    }
}

/// The team `id` of type `kind` (when given) through `look`; 108404 when there is none.
fn with_team<R>(
    tenant: &Tenant,
    id: u64,
    kind: Option<i64>,
    look: impl FnOnce(&Team) -> R,
) -> Result<R, YunxinError> {
    let found = tenant.teams.with(id, |team| {
        kind.is_none_or(|k| k == team.team_type).then(|| look(team))
    });
    found.flatten().ok_or(YunxinError::TEAM_NOT_EXIST)
}

/// `GET /im/v2.1/teams/{team_id}?team_type=`.
pub fn get(call: &Call, id: &str) -> Answer {
    let query = call.params()?;
    let id = team_id(id)?;
    let kind = match query.get("team_type") {
        None => None,
        Some(t) => Some(team_type(t.parse().ok())?),
    };
    let tenant = call.tenant();
    with_team(&tenant, id, kind, |team| {
        call.ok(&TeamInfo { team_info: team })
    })?
}

#[derive(Deserialize)]
struct UpdateRequest {
    operator_id: Option<String>,
    team_type: Option<i64>,
    #[serde(flatten)]
    card: Card,
}

/// The role of `operator` in `team`: 109404 when not a member.
pub(super) fn role_of(team: &Team, operator: &str) -> Result<Role, YunxinError> {
    let member = team.members.get(&operator.to_ascii_lowercase());
    member.map(|m| m.role).ok_or(YunxinError::NOT_MEMBER)
}

/// Changes the team `id` of type `kind` for `operator`, who must be its owner or (unless
/// `owner_only`) a manager.
pub(super) fn change_team<R>(
    call: &Call,
    id: u64,
    kind: i64,
    operator: &str,
    owner_only: bool,
    change: impl FnOnce(&mut Team) -> R,
) -> Result<R, YunxinError> {
    let tenant = call.keep()?;
    let changed = tenant.teams.update(id, |team| {
        if team.team_type != kind {
            return Err(YunxinError::TEAM_NOT_EXIST);
        }
        match role_of(team, operator)? {
            Role::Owner => {}
            Role::Manager if !owner_only => {}
            _ => return Err(YunxinError::FORBIDDEN),
        }
        team.update_time = call.now_ms;
        Ok(change(team))
    });
    changed.unwrap_or(Err(YunxinError::TEAM_NOT_EXIST))
}

/// `PATCH /im/v2.1/teams/{team_id}`: the name card and configuration.
pub async fn update(call: &Call, id: &str, payload: web::Payload) -> Answer {
    let body: UpdateRequest = call.json(payload).await?;
    let id = team_id(id)?;
    let operator = body.operator_id.ok_or(YunxinError::PARAMETER)?;
    let kind = team_type(body.team_type)?;
    body.card.check()?;
    change_team(call, id, kind, &operator, false, |team| {
        body.card.apply(team);
        call.ok(&TeamInfo { team_info: team })
    })?
}

#[derive(Deserialize)]
struct ManagersRequest {
    operator_id: Option<String>,
    team_type: Option<i64>,
    managers: Option<Vec<String>>,
}

/// `POST /im/v2/teams/{team_id}/actions/add_manager`: the owner makes members managers.
pub async fn add_managers(call: &Call, id: &str, payload: web::Payload) -> Answer {
    let body: ManagersRequest = call.json(payload).await?;
    let id = team_id(id)?;
    let operator = body.operator_id.ok_or(YunxinError::PARAMETER)?;
    let kind = team_type(body.team_type)?;
    let managers = account_list(body.managers, true)?;
    change_team(call, id, kind, &operator, true, |team| {
        if managers.iter().any(|m| !team.members.contains_key(m)) {
            return Err(YunxinError::NOT_MEMBER);
        }
        for m in &managers {
            if let Some(member) = team.members.get_mut(m).filter(|m| m.role == Role::Normal) {
                member.role = Role::Manager;
            }
        }
        call.ok(&Empty {})
    })?
}
