//! The account routes (contract §5): `POST /accounts` (IDs validated and lower-cased, a token
//! made when none is given), `GET /accounts/{id}`, `GET /accounts?account_ids=` (at most 100),
//! `PATCH /accounts/{id}` (token, bans, `enabled`, name card), `PATCH
//! /accounts/{id}/actions/refresh_token` and `PATCH /accounts/{id}/actions/disable`.

use super::account_store::{legal_account_id, Account, Configuration, Refused, UserInformation};
use super::call::{Answer, Call};
use super::error::YunxinError;
use super::tenant::token;
use actix_web::web;
use serde::{Deserialize, Serialize};

/// The longest token.
const MAX_TOKEN: usize = 128;
/// The most accounts one `GET /accounts` may name.
const MAX_QUERIED: usize = 100;

/// Changes to an account's configuration: the fields given.
#[derive(Deserialize, Default)]
struct ConfigurationPatch {
    enabled: Option<bool>,
    p2p_chat_banned: Option<bool>,
    team_chat_banned: Option<bool>,
    chatroom_chat_banned: Option<bool>,
    qchat_chat_banned: Option<bool>,
    push_enabled_when_desktop_online: Option<bool>,
}

impl ConfigurationPatch {
    fn apply(&self, c: &mut Configuration) {
        let set = |field: &mut bool, value: Option<bool>| *field = value.unwrap_or(*field);
        set(&mut c.enabled, self.enabled);
        set(&mut c.p2p_chat_banned, self.p2p_chat_banned);
        set(&mut c.team_chat_banned, self.team_chat_banned);
        set(&mut c.chatroom_chat_banned, self.chatroom_chat_banned);
        set(&mut c.qchat_chat_banned, self.qchat_chat_banned);
        let push = self.push_enabled_when_desktop_online;
        set(&mut c.push_enabled_when_desktop_online, push);
    }
}

/// Changes to an account's name card: the fields given, each within its length.
#[derive(Deserialize, Default)]
struct InformationPatch {
    name: Option<String>,
    avatar: Option<String>,
    sign: Option<String>,
    email: Option<String>,
    birthday: Option<String>,
    mobile: Option<String>,
    gender: Option<i64>,
    extension: Option<String>,
}

impl InformationPatch {
    fn check(&self) -> Result<(), YunxinError> {
        let fits = |text: &Option<String>, max: usize| {
            text.as_ref().is_none_or(|t| t.chars().count() <= max)
        };
        let ok = fits(&self.name, 64)
            && fits(&self.avatar, 1024)
            && fits(&self.sign, 256)
            && fits(&self.email, 64)
            && fits(&self.birthday, 16)
            && fits(&self.mobile, 32)
            && fits(&self.extension, 1024)
            && self.gender.is_none_or(|g| (0..=2).contains(&g));
        ok.then_some(()).ok_or(YunxinError::PARAMETER)
    }

    fn apply(self, u: &mut UserInformation) {
        let set = |field: &mut String, value: Option<String>| {
            if let Some(value) = value {
                *field = value;
            }
        };
        set(&mut u.name, self.name);
        set(&mut u.avatar, self.avatar);
        set(&mut u.sign, self.sign);
        set(&mut u.email, self.email);
        set(&mut u.birthday, self.birthday);
        set(&mut u.mobile, self.mobile);
        set(&mut u.extension, self.extension);
        u.gender = self.gender.unwrap_or(u.gender);
    }
}

#[derive(Deserialize)]
struct CreateRequest {
    account_id: Option<String>,
    token: Option<String>,
    configuration: Option<ConfigurationPatch>,
    user_information: Option<InformationPatch>,
}

#[derive(Deserialize)]
struct UpdateRequest {
    token: Option<String>,
    configuration: Option<ConfigurationPatch>,
    user_information: Option<InformationPatch>,
}

/// An account as the routes show it.
#[derive(Serialize)]
struct View<'a> {
    account_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<&'a str>,
    configuration: &'a Configuration,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_information: Option<&'a UserInformation>,
}

impl<'a> View<'a> {
    fn of(account: &'a Account) -> Self {
        Self {
            account_id: &account.account_id,
            token: None,
            configuration: &account.configuration,
            user_information: None,
        }
    }
}

/// A token given in a request: absent or empty means "make one".
fn given_token(token: Option<String>) -> Result<Option<String>, YunxinError> {
    match token.filter(|t| !t.is_empty()) {
        Some(t) if t.chars().count() > MAX_TOKEN => Err(YunxinError::PARAMETER),
        other => Ok(other),
    }
}

/// The account ID named in a path: 414 when it cannot be one.
fn path_account(id: &str) -> Result<&str, YunxinError> {
    legal_account_id(id)
        .then_some(id)
        .ok_or(YunxinError::PARAMETER)
}

/// `POST /im/v2/accounts`.
pub async fn create(call: &Call, payload: web::Payload) -> Answer {
    let body: CreateRequest = call.json(payload).await?;
    let id = body.account_id.ok_or(YunxinError::PARAMETER)?;
    if !legal_account_id(&id) {
        return Err(YunxinError::PARAMETER);
    }
    let token = given_token(body.token)?;
    let information = body.user_information.unwrap_or_default();
    information.check()?;
    let mut account = Account {
        account_id: id.to_ascii_lowercase(),
        token: token.unwrap_or_else(|| super::tenant::token(&call.state.core)),
        configuration: Configuration::default(),
        user_information: UserInformation::default(),
        blocked: Default::default(),
        friends: Default::default(),
        friend_requests: Default::default(),
    };
    if let Some(patch) = body.configuration {
        patch.apply(&mut account.configuration);
    }
    information.apply(&mut account.user_information);
    let tenant = call.keep()?;
    match tenant
        .accounts
        .insert(account, tenant.settings.max_accounts)
    {
        Ok(account) => call.ok(&View {
            token: Some(&account.token),
            user_information: Some(&account.user_information),
            ..View::of(&account)
        }),
        Err(Refused::Exists) => Err(YunxinError::ACCOUNT_EXISTS),
        Err(Refused::Full) => Err(YunxinError::TOO_MANY_ACCOUNTS),
    }
}

/// `GET /im/v2/accounts/{account_id}`.
pub fn get(call: &Call, id: &str) -> Answer {
    let id = path_account(id)?;
    let tenant = call.tenant();
    let found = tenant.accounts.with(id, |a| call.ok(&View::of(a)));
    found.unwrap_or(Err(YunxinError::ACCOUNT_NOT_EXIST))
}

#[derive(Serialize)]
struct Failed<'a> {
    account_id: &'a str,
    error_code: i64,
    error_msg: &'static str,
}

#[derive(Serialize)]
struct Many<'a> {
    success_list: Vec<View<'a>>,
    failed_list: Vec<Failed<'a>>,
}

/// `GET /im/v2/accounts?account_ids=a,b`: at most 100 IDs.
pub fn get_many(call: &Call) -> Answer {
    let query = call.params()?;
    let list = query.get("account_ids").unwrap_or_default();
    let ids: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .collect();
    if ids.is_empty() || ids.len() > MAX_QUERIED {
        return Err(YunxinError::PARAMETER);
    }
    let tenant = call.tenant();
    let found: Vec<Option<Account>> = ids
        .iter()
        .map(|id| tenant.accounts.with(id, Account::clone))
        .collect();
    let mut answer = Many {
        success_list: Vec::new(),
        failed_list: Vec::new(),
    };
    for (id, account) in ids.iter().zip(&found) {
        match account {
            Some(account) => answer.success_list.push(View::of(account)),
            None => answer.failed_list.push(Failed {
                account_id: id,
                error_code: YunxinError::ACCOUNT_NOT_EXIST.code,
                error_msg: YunxinError::ACCOUNT_NOT_EXIST.msg,
            }),
        }
    }
    call.ok(&answer)
}

/// `PATCH /im/v2/accounts/{account_id}`.
pub async fn update(call: &Call, id: &str, payload: web::Payload) -> Answer {
    let body: UpdateRequest = call.json(payload).await?;
    let id = path_account(id)?;
    let token = given_token(body.token)?;
    if let Some(information) = &body.user_information {
        information.check()?;
    }
    let tenant = call.keep()?;
    let changed = tenant.accounts.update(id, |account| {
        if let Some(token) = token {
            account.token = token;
        }
        if let Some(patch) = &body.configuration {
            patch.apply(&mut account.configuration);
        }
        if let Some(patch) = body.user_information {
            patch.apply(&mut account.user_information);
        }
        call.ok(&View {
            token: Some(&account.token),
            ..View::of(account)
        })
    });
    changed.unwrap_or(Err(YunxinError::ACCOUNT_NOT_EXIST))
}

#[derive(Deserialize)]
struct DisableRequest {
    enabled: Option<bool>,
}

/// `PATCH /im/v2/accounts/{account_id}/actions/disable`: `enabled` false disables the account,
/// true enables it again.
pub async fn disable(call: &Call, id: &str, payload: web::Payload) -> Answer {
    let body: DisableRequest = call.json(payload).await?;
    let id = path_account(id)?;
    let enabled = body.enabled.ok_or(YunxinError::PARAMETER)?;
    let tenant = call.keep()?;
    let changed = tenant.accounts.update(id, |account| {
        account.configuration.enabled = enabled;
        call.ok(&View::of(account))
    });
    changed.unwrap_or(Err(YunxinError::ACCOUNT_NOT_EXIST))
}

#[derive(Serialize)]
struct Refreshed<'a> {
    account_id: &'a str,
    token: &'a str,
}

/// `PATCH /im/v2/accounts/{account_id}/actions/refresh_token`: a new token.
pub fn refresh_token(call: &Call, id: &str) -> Answer {
    let id = path_account(id)?;
    let tenant = call.keep()?;
    let fresh = token(&call.state.core);
    let changed = tenant.accounts.update(id, |account| {
        account.token = fresh;
        call.ok(&Refreshed {
            account_id: &account.account_id,
            token: &account.token,
        })
    });
    changed.unwrap_or(Err(YunxinError::ACCOUNT_NOT_EXIST))
}
