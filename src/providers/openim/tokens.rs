//! The token store (contract §5): the tokens issued to each (user, platform), normal or
//! kicked. With the real server's multi-login policy 1, a new token for a user and platform
//! kicks the older ones; `force_logout` kicks them all. A JWT the store does not hold is
//! refused (1507), except an admin's, which the release skips the store for.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

/// The most tokens remembered per (user, platform); older ones are forgotten (then 1507).
const PER_LOGIN: usize = 8;

/// What the store knows of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Normal,
    Kicked,
    Unknown,
}

/// The tokens of each (user, platform), oldest first.
type Logins = HashMap<(String, i32), Vec<(String, State)>>;

/// A tenant's issued tokens.
#[derive(Debug, Default)]
pub struct TokenStore {
    logins: Mutex<Logins>,
}

impl TokenStore {
    fn lock(&self) -> MutexGuard<'_, Logins> {
        self.logins.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records `token` for `user` on `platform`, kicking the older ones.
    pub fn issue(&self, user: &str, platform: i32, token: String) {
        let mut logins = self.lock();
        let tokens = logins.entry((user.to_owned(), platform)).or_default();
        for (_, state) in tokens.iter_mut() {
            *state = State::Kicked;
        }
        tokens.push((token, State::Normal));
        if tokens.len() > PER_LOGIN {
            tokens.remove(0);
        }
    }

    /// The state of `token` for `user` on `platform`.
    pub fn state(&self, user: &str, platform: i32, token: &str) -> State {
        let logins = self.lock();
        let found = logins
            .get(&(user.to_owned(), platform))
            .and_then(|tokens| tokens.iter().find(|(t, _)| t == token));
        found.map_or(State::Unknown, |(_, state)| *state)
    }

    /// Kicks every token of `user` on `platform`.
    pub fn kick(&self, user: &str, platform: i32) {
        if let Some(tokens) = self.lock().get_mut(&(user.to_owned(), platform)) {
            for (_, state) in tokens.iter_mut() {
                *state = State::Kicked;
            }
        }
    }
}
