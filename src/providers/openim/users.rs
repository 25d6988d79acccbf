//! `/user/*` (contract §7): registration by an admin, users' public info, and the account
//! check, with the checks of the request (`Check()`) and of the RPC in the real order.

use super::error::OpenImError;
use super::op::Op;
use super::user_store::{legal_user_id, Refused, User};
use crate::core::gojson::{field, GoStruct, GoType::*};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// `sdkws.UserInfo` as a request carries it.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct UserInfo {
    #[serde(rename = "userID")]
    user_id: String,
    nickname: String,
    #[serde(rename = "faceURL")]
    face_url: String,
    ex: String,
    app_manger_level: i32,
    global_recv_msg_opt: i32,
}

static USER_INFO: GoStruct = GoStruct::new(
    "UserInfo",
    "sdkws.UserInfo",
    &[
        field("userID", Str),
        field("nickname", Str),
        field("faceURL", Str),
        field("ex", Str),
        field("createTime", I64),
        field("appMangerLevel", I32),
        field("globalRecvMsgOpt", I32),
    ],
);

#[derive(Deserialize, Default)]
#[serde(default)]
struct RegisterReq {
    users: Option<Vec<Option<UserInfo>>>,
}

static USER_REGISTER: GoStruct = GoStruct::new(
    "UserRegisterReq",
    "user.UserRegisterReq",
    &[field("secret", Str), field("users", List(&USER_INFO))],
);

/// `POST /user/user_register` `{"users":[{userID, nickname, ...}]}` (admin token): all or
/// none; no data in the answer.
pub async fn register(op: Op<'_>, payload: web::Payload) -> Result<HttpResponse, OpenImError> {
    let req: RegisterReq = op.call.bind(payload, &USER_REGISTER).await?;
    let users = check_register(req)?;
    if users.is_empty() {
        return Err(OpenImError::args("users is empty"));
    }
    op.check_admin()?;
    let mut seen = HashSet::new();
    if !users.iter().all(|u| seen.insert(u.user_id.as_str())) {
        return Err(OpenImError::args("userID repeated"));
    }
    if users.iter().any(|u| u.user_id.is_empty()) {
        return Err(OpenImError::args("userID is empty"));
    }
    let now = op.call.now_ms;
    let new: Vec<User> = users.into_iter().map(|u| user_of(u, now)).collect();
    let tenant = op.call.keep().unwrap_or_else(|| op.tenant.clone());
    match tenant.users.insert_all(new, tenant.settings.max_users) {
        Ok(()) => op.call.ok(None::<()>),
        Err(Refused::Exists) => Err(OpenImError::registered_already()),
        Err(Refused::Full) => Err(OpenImError::internal(format!(
            "im-emulator: the tenant holds {} users, its max_users",
            tenant.settings.max_users
        ))),
    }
}

/// `UserRegisterReq.Check()`.
fn check_register(req: RegisterReq) -> Result<Vec<UserInfo>, OpenImError> {
    let users = req
        .users
        .ok_or_else(|| OpenImError::args("users are empty"))?;
    let users: Vec<UserInfo> = users
        .into_iter()
        .map(|u| match u {
            None => Err(OpenImError::args("user is empty")),
            Some(u) if !legal_user_id(&u.user_id) => Err(OpenImError::args("userID is legal")),
            Some(u) => Ok(u),
        })
        .collect::<Result<_, _>>()?;
    if users.iter().any(|u| u.nickname.is_empty()) {
        return Err(OpenImError::args("user name is empty"));
    }
    Ok(users)
}

fn user_of(u: UserInfo, now_ms: i64) -> User {
    User {
        user_id: u.user_id,
        nickname: u.nickname,
        face_url: u.face_url,
        ex: u.ex,
        create_time: now_ms,
        app_manger_level: u.app_manger_level,
        global_recv_msg_opt: u.global_recv_msg_opt,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UsersReq {
    #[serde(rename = "userIDs")]
    user_ids: Option<Vec<String>>,
    #[serde(rename = "checkUserIDs")]
    check_user_ids: Option<Vec<String>>,
}

static GET_USERS: GoStruct = GoStruct::new(
    "GetDesignateUsersReq",
    "user.GetDesignateUsersReq",
    &[field("userIDs", Strings)],
);

#[derive(Serialize)]
struct UsersInfo {
    #[serde(rename = "usersInfo")]
    users_info: Option<Vec<User>>,
}

/// `POST /user/get_users_info` `{"userIDs":[...]}` (any token): unknown IDs are skipped.
pub async fn get_users_info(
    op: Op<'_>,
    payload: web::Payload,
) -> Result<HttpResponse, OpenImError> {
    let req: UsersReq = op.call.bind(payload, &GET_USERS).await?;
    let ids = req
        .user_ids
        .ok_or_else(|| OpenImError::args("UserIDs is empty"))?;
    let mut seen = HashSet::new();
    let ids: Vec<String> = ids
        .into_iter()
        .filter(|id| seen.insert(id.clone()))
        .collect();
    let found = op.tenant.users.find(&ids);
    op.call.ok(Some(UsersInfo {
        users_info: (!found.is_empty()).then_some(found),
    }))
}

static ACCOUNT_CHECK: GoStruct = GoStruct::new(
    "AccountCheckReq",
    "user.AccountCheckReq",
    &[field("checkUserIDs", Strings)],
);

#[derive(Serialize)]
struct AccountStatus {
    #[serde(rename = "userID")]
    user_id: String,
    #[serde(rename = "accountStatus")]
    account_status: i32,
}

#[derive(Serialize)]
struct AccountResults {
    results: Option<Vec<AccountStatus>>,
}

/// `POST /user/account_check` `{"checkUserIDs":[...]}` (admin token): 1 registered, 0 not.
pub async fn account_check(op: Op<'_>, payload: web::Payload) -> Result<HttpResponse, OpenImError> {
    let req: UsersReq = op.call.bind(payload, &ACCOUNT_CHECK).await?;
    let ids = req
        .check_user_ids
        .ok_or_else(|| OpenImError::args("CheckUserIDs is empty"))?;
    let mut seen = HashSet::new();
    if !ids.iter().all(|id| seen.insert(id.as_str())) {
        return Err(OpenImError::args("userID repeated"));
    }
    op.check_admin()?;
    let results: Vec<AccountStatus> = ids
        .into_iter()
        .map(|id| AccountStatus {
            account_status: i32::from(op.tenant.users.exists(&id)),
            user_id: id,
        })
        .collect();
    op.call.ok(Some(AccountResults {
        results: (!results.is_empty()).then_some(results),
    }))
}
