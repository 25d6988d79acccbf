//! `POST /api/register` and `POST /api/login` (contract §3): the real server's checks in its
//! order and with its messages, the user object with the token at `data.token`, and the
//! `token` cookie (24 hours, or 30 days for a login with `remember`).

use super::call::{Answer, Call};
use super::error::{too_long, AnqiError, Column};
use super::tenant::password_digest;
use super::token;
use super::user_store::{Lookup, Refused, User};
use crate::core::gojson::{field, GoStruct, GoType::*};
use actix_web::web;
use serde::Deserialize;

/// The cookie's lifetime after register and login, and after a login with `remember`.
const COOKIE_S: i64 = 24 * 3600;
const REMEMBERED_COOKIE_S: i64 = 30 * 24 * 3600;

const NAME_AND_PASSWORD: &str = "请正确填写用户名和密码";
const SHORT_PASSWORD: &str = "请输入6位以上的密码";
const NAME_TAKEN: &str = "该用户名已被注册";
const BAD_PHONE: &str = "手机号不正确";
const PHONE_TAKEN: &str = "该手机号已被注册";
const BAD_EMAIL: &str = "邮箱不正确";
const EMAIL_TAKEN: &str = "该邮箱已被注册";
const EMAIL_OR_PHONE: &str = "邮箱和手机号至少填写一个";
const NO_ACCOUNT: &str = "请输入账号";
const SHORT_LOGIN_PASSWORD: &str = "请输入6位及以上长度的密码";
const LOGIN_FAILED: &str = "登录失败";

static REGISTER: GoStruct = GoStruct::new(
    "ApiRegisterRequest",
    "request.ApiRegisterRequest",
    &[
        field("invite_id", Uint),
        field("user_name", Str),
        field("first_name", Str),
        field("last_name", Str),
        field("password", Str),
        field("real_name", Str),
        field("avatar_url", Str),
        field("email", Str),
        field("phone", Str),
        field("captcha_id", Str),
        field("captcha", Str),
        field("code", Str),
        field("state", Str),
    ],
);

static LOGIN: GoStruct = GoStruct::new(
    "ApiLoginRequest",
    "request.ApiLoginRequest",
    &[
        field("invite_id", Uint),
        field("code", Str),
        field("anonymousCode", Str),
        field("platform", Str),
        field("avatar", Str),
        field("nick_name", Str),
        field("gender", Uint),
        field("province", Str),
        field("city", Str),
        field("county", Str),
        field("encryptedData", Str),
        field("iv", Str),
        field("signature", Str),
        field("rawData", Str),
        field("remember", Bool),
        field("user_name", Str),
        field("email", Str),
        field("phone", Str),
        field("password", Str),
        field("captcha_id", Str),
        field("captcha", Str),
    ],
);

#[derive(Deserialize, Default)]
#[serde(default)]
struct RegisterRequest {
    user_name: String,
    password: String,
    real_name: String,
    avatar_url: String,
    email: String,
    phone: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginRequest {
    platform: String,
    remember: bool,
    user_name: String,
    email: String,
    phone: String,
    password: String,
}

/// Whether `c` is in Go's `\w`.
fn word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The real server's email check, `\w+([-+.]\w+)*@\w+([-.]\w+)*\.\w+([-.]\w+)*`, unanchored.
pub fn email_format(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(at, &b)| {
        b == b'@' && at > 0 && word(bytes[at - 1]) && domain_follows(&bytes[at + 1..])
    })
}

/// Whether `rest` starts with `\w+([-.]\w+)*` holding a `.` followed by a word character.
fn domain_follows(rest: &[u8]) -> bool {
    if !rest.first().copied().is_some_and(word) {
        return false;
    }
    let mut i = 0;
    while i < rest.len() {
        let b = rest[i];
        if word(b) {
            i += 1;
        } else if matches!(b, b'-' | b'.') && rest.get(i + 1).copied().is_some_and(word) {
            if b == b'.' {
                return true;
            }
            i += 1;
        } else {
            break;
        }
    }
    false
}

/// The real server's mobile check, `1[3-9][0-9]{9}`, unanchored.
pub fn phone_format(text: &str) -> bool {
    text.as_bytes().windows(11).any(|w| {
        w[0] == b'1' && (b'3'..=b'9').contains(&w[1]) && w[2..].iter().all(u8::is_ascii_digit)
    })
}

/// What a registration of these (trimmed) fields fails on before any lookup, if anything:
/// the fixtures are held to it too.
pub fn registration_fault(
    name: &str,
    password: &str,
    email: &str,
    phone: &str,
) -> Option<&'static str> {
    if name.is_empty() || password.is_empty() {
        return Some(NAME_AND_PASSWORD);
    }
    if password.len() < 6 {
        return Some(SHORT_PASSWORD);
    }
    if !phone.is_empty() && !phone_format(phone) {
        return Some(BAD_PHONE);
    }
    if !email.is_empty() && !email_format(email) {
        return Some(BAD_EMAIL);
    }
    (email.is_empty() && phone.is_empty()).then_some(EMAIL_OR_PHONE)
}

/// `POST /api/register`.
pub async fn register(call: &Call, payload: web::Payload) -> Answer {
    let mut req: RegisterRequest = call.bind(payload, &REGISTER).await?;
    for text in [
        &mut req.user_name,
        &mut req.phone,
        &mut req.email,
        &mut req.password,
    ] {
        *text = text.trim().to_owned();
    }
    check_registration(call, &req)?;
    too_long([
        (Column::Chars("user_name", 64), req.user_name.as_str()),
        (Column::Chars("real_name", 64), &req.real_name),
        (Column::Chars("avatar_url", 255), &req.avatar_url),
        (Column::Chars("email", 100), &req.email),
        (Column::Chars("phone", 20), &req.phone),
    ])?;
    let user = User {
        id: 0,
        created_time: call.now_s(),
        user_name: req.user_name,
        real_name: req.real_name,
        first_name: String::new(),
        last_name: String::new(),
        avatar_url: req.avatar_url,
        email: req.email,
        phone: req.phone,
        invite_code: String::new(),
        last_login: call.now_s(),
        password: password_digest(&call.state.core, &req.password),
    };
    let tenant = call.keep()?;
    let user = (tenant.users.insert(user, tenant.settings.max_users)).map_err(|e| match e {
        Refused::NameTaken => AnqiError::failed(NAME_TAKEN),
        Refused::PhoneTaken => AnqiError::failed(PHONE_TAKEN),
        Refused::EmailTaken => AnqiError::failed(EMAIL_TAKEN),
        Refused::Full => AnqiError::failed("im-emulator: the site holds max_users users"),
    })?;
    signed_in(call, &user, COOKIE_S)
}

/// The checks of a registration, in the real server's order.
fn check_registration(call: &Call, req: &RegisterRequest) -> Result<(), AnqiError> {
    let users = &call.tenant().users;
    let (name, password) = (&req.user_name, &req.password);
    if name.is_empty() || password.is_empty() {
        return Err(AnqiError::failed(NAME_AND_PASSWORD));
    }
    if password.len() < 6 {
        return Err(AnqiError::failed(SHORT_PASSWORD));
    }
    let taken = |how, value: &str| users.find(how, value).is_some();
    let fault = if taken(Lookup::Name, name) {
        Some(NAME_TAKEN)
    } else if !req.phone.is_empty() && !phone_format(&req.phone) {
        Some(BAD_PHONE)
    } else if !req.phone.is_empty() && taken(Lookup::Phone, &req.phone) {
        Some(PHONE_TAKEN)
    } else if !req.email.is_empty() && !email_format(&req.email) {
        Some(BAD_EMAIL)
    } else if !req.email.is_empty() && taken(Lookup::Email, &req.email) {
        Some(EMAIL_TAKEN)
    } else {
        (req.email.is_empty() && req.phone.is_empty()).then_some(EMAIL_OR_PHONE)
    };
    fault.map_or(Ok(()), |msg| Err(AnqiError::failed(msg)))
}

/// `POST /api/login`: by email, phone or user name and password.
pub async fn login(call: &Call, payload: web::Payload) -> Answer {
    let req: LoginRequest = call.bind(payload, &LOGIN).await?;
    if matches!(
        req.platform.as_str(),
        "tt" | "swan" | "alipay" | "qq" | "weapp" | "wechat" | "google"
    ) {
        return Err(AnqiError::failed(LOGIN_FAILED));
    }
    let account = [&req.email, &req.phone, &req.user_name]
        .into_iter()
        .find(|a| !a.is_empty())
        .map_or("", |a| a.trim());
    let password = req.password.trim();
    if account.is_empty() {
        return Err(AnqiError::failed(NO_ACCOUNT));
    }
    if password.len() < 6 {
        return Err(AnqiError::failed(SHORT_LOGIN_PASSWORD));
    }
    let how = if email_format(account) {
        Lookup::Email
    } else if phone_format(account) {
        Lookup::Phone
    } else {
        Lookup::Name
    };
    let tenant = call.tenant();
    let digest = password_digest(&call.state.core, password);
    let user = tenant
        .users
        .find(how, account)
        .filter(|u| u.password == digest);
    let mut user = user.ok_or_else(|| AnqiError::failed(LOGIN_FAILED))?;
    tenant.users.logged_in(user.id, call.now_s());
    user.last_login = call.now_s();
    let cookie_s = if req.remember {
        REMEMBERED_COOKIE_S
    } else {
        COOKIE_S
    };
    signed_in(call, &user, cookie_s)
}

/// The answer to a successful register or login: the user with a 30-day token, which the
/// `token` cookie also carries for `cookie_s` seconds.
fn signed_in(call: &Call, user: &User, cookie_s: i64) -> Answer {
    let key = call.tenant().token_key();
    let token = token::sign(user.id, call.now_s() + token::LOGIN_TTL_S, &key);
    call.set_token_cookie(&token, cookie_s);
    call.ok(Some(user.view(&token)), "", None)
}
