//! The errors a fault rule may answer a Yunxin call with, by code (`414`, `102404`) or `msg`.

use super::error::YunxinError;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

/// One answer per code, the first of each code taken.
const CATALOGUE: &[YunxinError] = &[
    YunxinError::PARAMETER,
    YunxinError::AUTH,
    YunxinError::FORBIDDEN,
    YunxinError::APPKEY_NOT_EXIST,
    YunxinError::ACCOUNT_NOT_EXIST,
    YunxinError::ACCOUNT_EXISTS,
    YunxinError::ACCOUNT_CHAT_BANNED,
    YunxinError::ACCOUNT_BANNED,
    YunxinError::IN_BLOCK_LIST,
    YunxinError::TOO_MANY_ACCOUNTS,
    YunxinError::MESSAGE_NOT_EXIST,
    YunxinError::TEAM_NOT_EXIST,
    YunxinError::TEAM_CHAT_BANNED,
    YunxinError::NOT_MEMBER,
    // Rate limited and failed: the generic codes of Yunxin's code table.
    YunxinError {
        status: StatusCode::OK,
        code: 416,
        msg: "frequency control",
    },
    YunxinError {
        status: StatusCode::OK,
        code: 500,
        msg: "server error",
    },
];

/// Every name a fault rule may give: the codes.
pub fn names() -> Vec<String> {
    let mut codes: Vec<String> = CATALOGUE.iter().map(|e| e.code.to_string()).collect();
    codes.dedup();
    codes
}

/// The error `name` as Yunxin answers it.
pub fn answer(name: &str) -> Option<HttpResponse> {
    let error = CATALOGUE
        .iter()
        .find(|e| e.code.to_string() == name || e.msg == name)?;
    Some(error.respond())
}
