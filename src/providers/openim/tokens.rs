//! The token store (contract §5): the tokens issued to each user, by platform, normal or
//! kicked, with the real server's multi-login policy 1 (`AllLoginButSameTermKick`). Issuing a
//! token first forgets the user's kicked and no longer valid tokens, then kicks every token of
//! the same platform and all but the newest of each other platform, then records the new one
//! (a token identical to an old one, issued within the same second, is normal again).
//! `force_logout` kicks one platform's tokens. A JWT the store does not hold is refused (1507).
//!
//! Admin tokens: the release skips the store for admins; `main` stores them, and a new admin
//! token turns the older ones temporary, valid five more minutes.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// The admin platform (`constant.AdminPlatformID`).
const ADMIN_PLATFORM: i32 = 10;
/// How long `main` keeps a replaced admin token valid.
const TEMPORARY_MS: i64 = 5 * 60 * 1000;
/// The most replaced admin tokens remembered at once (the oldest go first).
const MAX_TEMPORARY: usize = 64;

/// What the store knows of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Normal,
    Kicked,
    Unknown,
}

#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UserTokens {
    /// Per platform, oldest first.
    platforms: HashMap<i32, Vec<(String, State)>>,
    /// Replaced admin tokens and the instant they stop being valid (`main`).
    temporary: Vec<(String, i64)>,
}

/// A tenant's issued tokens.
#[derive(Debug, Default)]
pub struct TokenStore {
    pub(super) users: Mutex<HashMap<String, UserTokens>>,
}

impl TokenStore {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, UserTokens>> {
        self.users.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records `token` for `user` on `platform` at `now_ms`; `still_valid` tells which held
    /// tokens still verify (the others are forgotten); `temporary_admins` is `main`'s handling of
    /// replaced admin tokens.
    pub fn issue(
        &self,
        user: &str,
        platform: i32,
        token: String,
        now_ms: i64,
        temporary_admins: bool,
        still_valid: impl Fn(&str) -> bool,
    ) {
        let mut users = self.lock();
        let held = users.entry(user.to_owned()).or_default();
        for tokens in held.platforms.values_mut() {
            tokens.retain(|(t, state)| *state == State::Normal && still_valid(t));
        }
        held.temporary.retain(|(_, until)| *until > now_ms);
        if temporary_admins {
            if let Some(admins) = held.platforms.remove(&ADMIN_PLATFORM) {
                let until = now_ms + TEMPORARY_MS;
                held.temporary
                    .extend(admins.into_iter().map(|(t, _)| (t, until)));
                let excess = held.temporary.len().saturating_sub(MAX_TEMPORARY);
                held.temporary.drain(..excess);
            }
        }
        for (plt, tokens) in held.platforms.iter_mut() {
            let keep = if *plt == platform { 0 } else { 1 };
            let kicked = tokens.len().saturating_sub(keep);
            for (_, state) in tokens.iter_mut().take(kicked) {
                *state = State::Kicked;
            }
        }
        let tokens = held.platforms.entry(platform).or_default();
        match tokens.iter_mut().find(|(t, _)| *t == token) {
            Some((_, state)) => *state = State::Normal,
            None => tokens.push((token, State::Normal)),
        }
        held.platforms.retain(|_, tokens| !tokens.is_empty());
    }

    /// The state of `token` for `user` on `platform` at `now_ms`.
    pub fn state(&self, user: &str, platform: i32, token: &str, now_ms: i64) -> State {
        let users = self.lock();
        let Some(held) = users.get(user) else {
            return State::Unknown;
        };
        let found = held
            .platforms
            .get(&platform)
            .and_then(|tokens| tokens.iter().find(|(t, _)| t == token));
        if let Some((_, state)) = found {
            return *state;
        }
        let temporary = held
            .temporary
            .iter()
            .any(|(t, until)| t == token && *until > now_ms);
        if temporary {
            State::Normal
        } else {
            State::Unknown
        }
    }

    /// Kicks every token of `user` on `platform`.
    pub fn kick(&self, user: &str, platform: i32) {
        let mut users = self.lock();
        let tokens = users
            .get_mut(user)
            .and_then(|held| held.platforms.get_mut(&platform));
        for (_, state) in tokens.into_iter().flatten() {
            *state = State::Kicked;
        }
    }
}
