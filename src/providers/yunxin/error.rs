//! Yunxin's v2 error envelope and catalogue (contract §3): every failure is HTTP 200 with
//! `{"code": <int>, "msg": <English text>, "data": {}}`, the six-digit v2 codes for resources
//! (1 + resource + error) and the generic 403/404/414.

use super::wire::{answer, Empty};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

/// One error answer: `code` and `msg` (and the HTTP status, 200 but for unknown paths).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YunxinError {
    pub status: StatusCode,
    pub code: i64,
    pub msg: &'static str,
}

impl YunxinError {
    const fn new(code: i64, msg: &'static str) -> Self {
        Self {
            status: StatusCode::OK,
            code,
            msg,
        }
    }

    /// The HTTP answer.
    pub fn respond(&self) -> HttpResponse {
        let mut response = answer(self.status, self.code, self.msg, &Empty {});
        crate::providers::tag(&mut response, Some(self.code), self.msg, self.msg);
        response
    }

    /// 414 `parameter error`: a missing, malformed or out-of-range parameter.
    pub const PARAMETER: Self = Self::new(414, "parameter error");
    /// 403 `authentication failed`: a missing header, a bad CheckSum, a stale CurTime.
    pub const AUTH: Self = Self::new(403, "authentication failed");
    /// 403 `forbidden`: the operator may not do this (not the team's owner or a manager).
    pub const FORBIDDEN: Self = Self::new(403, "forbidden");
    /// 414 `checksum error`: the legacy answer to an authentication failure (a tenant setting).
    pub const AUTH_LEGACY: Self = Self::new(414, "checksum error");
    /// 101303 `appkey not exist`.
    pub const APPKEY_NOT_EXIST: Self = Self::new(101_303, "appkey not exist");
    /// 102404 `account not exist`.
    pub const ACCOUNT_NOT_EXIST: Self = Self::new(102_404, "account not exist");
    /// 102405 `account already exists`.
    pub const ACCOUNT_EXISTS: Self = Self::new(102_405, "account already exists");
    /// 102421 `account chat banned`: the sender's p2p or team chat is banned.
    pub const ACCOUNT_CHAT_BANNED: Self = Self::new(102_421, "account chat banned");
    /// 102422 `account banned`: a disabled account.
    pub const ACCOUNT_BANNED: Self = Self::new(102_422, "account banned");
    /// 102426 `account in block list`: the receiver blocked the sender.
    pub const IN_BLOCK_LIST: Self = Self::new(102_426, "account in block list");
    /// 102434 `limit of accounts exceeded`.
    pub const TOO_MANY_ACCOUNTS: Self = Self::new(102_434, "limit of accounts exceeded");
    /// 104404 `friend not exist`: `check_friend` between two who are not friends.
    pub const FRIEND_NOT_EXIST: Self = Self::new(104_404, "friend not exist");
    /// 104434 `limit of friends exceeded` (the code follows the catalogue's pattern).
    pub const TOO_MANY_FRIENDS: Self = Self::new(104_434, "limit of friends exceeded");
    /// 106434 `limit of block list exceeded` (the code follows the catalogue's pattern).
    pub const TOO_MANY_BLOCKED: Self = Self::new(106_434, "limit of block list exceeded");
    /// 107303 `only sender or manager can revoke message`.
    pub const NOT_REVOKER: Self = Self::new(107_303, "only sender or manager can revoke message");
    /// 107306 `duplicate client message ID`.
    pub const DUPLICATE_CLIENT_ID: Self = Self::new(107_306, "duplicate client message ID");
    /// 107314 `revoke message exceed time limit`.
    pub const REVOKE_TOO_LATE: Self = Self::new(107_314, "revoke message exceed time limit");
    /// 107330 `sender or receiver must sense message`: both no-sense flags.
    pub const NO_SENSE: Self = Self::new(107_330, "sender or receiver must sense message");
    /// 107404 `message not exist`.
    pub const MESSAGE_NOT_EXIST: Self = Self::new(107_404, "message not exist");
    /// 108302 `not advanced team`.
    pub const NOT_ADVANCED_TEAM: Self = Self::new(108_302, "not advanced team");
    /// 108306 `team normal member chat banned`.
    pub const NORMAL_MEMBERS_BANNED: Self = Self::new(108_306, "team normal member chat banned");
    /// 108318 `Targeting messages for group chat is disabled`: a `target_option` on an app
    /// without the feature.
    pub const TARGETING_DISABLED: Self =
        Self::new(108_318, "Targeting messages for group chat is disabled");
    /// 108404 `team not exist`.
    pub const TEAM_NOT_EXIST: Self = Self::new(108_404, "team not exist");
    /// 108423 `all team member chat banned`.
    pub const TEAM_CHAT_BANNED: Self = Self::new(108_423, "all team member chat banned");
    /// 108434 `limit of teams exceeded`.
    pub const TOO_MANY_TEAMS: Self = Self::new(108_434, "limit of teams exceeded");
    /// 109404 `team member not exist`.
    pub const NOT_MEMBER: Self = Self::new(109_404, "team member not exist");
    /// 109434 `limit of team members exceeded` (the code follows the catalogue's pattern).
    pub const TOO_MANY_MEMBERS: Self = Self::new(109_434, "limit of team members exceeded");
    /// 109424 `team member chat banned`.
    pub const MEMBER_CHAT_BANNED: Self = Self::new(109_424, "team member chat banned");
    /// 404 `not found`: a path the API does not have (with HTTP 404).
    pub const NOT_FOUND: Self = Self {
        status: StatusCode::NOT_FOUND,
        code: 404,
        msg: "not found",
    };
    /// 408 with HTTP 408: the request did not arrive within the request timeout.
    pub const TIMEOUT: Self = Self {
        status: StatusCode::REQUEST_TIMEOUT,
        code: 408,
        msg: "request timeout",
    };
}

/// A malformed query parameter is 414.
impl From<crate::core::query::BadParam> for YunxinError {
    fn from(_: crate::core::query::BadParam) -> Self {
        Self::PARAMETER
    }
}
