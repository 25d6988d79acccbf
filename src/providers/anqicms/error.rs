//! AnqiCMS's failures (contract §2–3): HTTP 200 with `{"code","msg"}` and no `data`; `code` -1
//! with the reason in `msg` (Chinese, the site's language), or 1001 for a call that needs a
//! login (in the request's language, see `locale`).

use super::wire::{answer, Envelope, FAILED, NO_LOGIN};
use actix_web::HttpResponse;
use std::borrow::Cow;

/// One failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnqiError {
    pub code: i64,
    pub msg: Cow<'static, str>,
}

impl AnqiError {
    /// `code` -1 with `msg`.
    pub fn failed(msg: impl Into<Cow<'static, str>>) -> Self {
        Self {
            code: FAILED,
            msg: msg.into(),
        }
    }

    /// 1001: the call needs a login; `msg` in the request's language.
    pub fn no_login(msg: &'static str) -> Self {
        Self {
            code: NO_LOGIN,
            msg: Cow::Borrowed(msg),
        }
    }

    /// The HTTP answer.
    pub fn respond(&self) -> HttpResponse {
        let mut response = answer::<()>(&Envelope {
            code: self.code,
            data: None,
            msg: &self.msg,
            total: None,
        });
        let name = self.code.to_string();
        crate::providers::tag(&mut response, Some(self.code), &name, &self.msg);
        response
    }
}

/// `订单不存在`: no order with that ID.
pub const ORDER_NOT_FOUND: &str = "订单不存在";
/// `权限不足`: another user's order.
pub const NOT_ALLOWED: &str = "权限不足";

/// A column's bound: characters of a `varchar`, or bytes of a `text`.
pub enum Column {
    Chars(&'static str, usize),
    Bytes(&'static str, usize),
}

/// MySQL's refusal (strict mode) of a value too long for its column, which the real server
/// passes on as -1: the first column of `values` that does not fit.
pub fn too_long<'a>(values: impl IntoIterator<Item = (Column, &'a str)>) -> Result<(), AnqiError> {
    for (column, value) in values {
        let (name, fits) = match column {
            Column::Chars(name, max) => (name, value.chars().count() <= max),
            Column::Bytes(name, max) => (name, value.len() <= max),
        };
        if !fits {
            return Err(AnqiError::failed(format!(
                "Error 1406 (22001): Data too long for column '{name}' at row 1"
            )));
        }
    }
    Ok(())
}
