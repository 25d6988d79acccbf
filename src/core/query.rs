//! Query strings as the services read them: unknown names ignored, the first value of a name
//! given twice, values trimmed, and integers and booleans parsed on demand, each provider
//! answering a malformed one with its own error (through `From<BadParam>`).

use actix_web::web;

/// A query parameter that is not what its name needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadParam;

/// A request's query parameters.
#[derive(Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// The parameters of `query`; `BadParam` when it cannot be decoded.
    pub fn parse(query: &str) -> Result<Self, BadParam> {
        web::Query::<Vec<(String, String)>>::from_query(query)
            .map(|q| Self(q.into_inner()))
            .map_err(|_| BadParam)
    }

    /// The value of `name`, trimmed; `None` when absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        let found = self.0.iter().find(|(key, _)| key == name);
        found
            .map(|(_, value)| value.trim())
            .filter(|v| !v.is_empty())
    }

    /// The value of `name` exactly as sent (decoded, not trimmed); `None` when absent.
    pub fn raw(&self, name: &str) -> Option<&str> {
        let found = self.0.iter().find(|(key, _)| key == name);
        found.map(|(_, value)| value.as_str())
    }

    /// The integer `name`, if given; `BadParam` when it is not an integer.
    pub fn integer(&self, name: &str) -> Result<Option<i64>, BadParam> {
        match self.get(name) {
            None => Ok(None),
            Some(text) => text.parse().map(Some).map_err(|_| BadParam),
        }
    }

    /// The boolean `name` (`true`/`false` or `1`/`0`), `default` when absent.
    pub fn boolean(&self, name: &str, default: bool) -> Result<bool, BadParam> {
        match self.get(name) {
            None => Ok(default),
            Some(t) if t == "1" || t.eq_ignore_ascii_case("true") => Ok(true),
            Some(t) if t == "0" || t.eq_ignore_ascii_case("false") => Ok(false),
            Some(_) => Err(BadParam),
        }
    }
}
