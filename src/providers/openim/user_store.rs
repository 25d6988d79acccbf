//! A tenant's OpenIM users (`sdkws.UserInfo`), by userID and in order of registration, at
//! most the tenant's `max_users` of them.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A user as `/user/get_users_info` answers it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct User {
    #[serde(rename = "userID")]
    pub user_id: String,
    pub nickname: String,
    #[serde(rename = "faceURL")]
    pub face_url: String,
    pub ex: String,
    pub create_time: i64,
    pub app_manger_level: i32,
    pub global_recv_msg_opt: i32,
}

/// Whether `id` is a legal userID: letters, decimal digits and `_` (Go's `unicode.IsLetter`
/// and `IsDigit`; an empty one passes here, the register call refuses it later, as the real
/// server does).
pub fn legal_user_id(id: &str) -> bool {
    id.chars()
        .all(|c| c == '_' || is_letter(c) || is_decimal_digit(c))
}

/// Go's `unicode.IsLetter` (category L): alphabetic, but not a letter-like number or a mark.
fn is_letter(c: char) -> bool {
    c.is_alphabetic() && !c.is_numeric() && !is_mark(c)
}

/// Go's `unicode.IsDigit` (category Nd): numeric, but not one of the other numbers
/// (superscripts, fractions, circled, roman numerals and the like).
fn is_decimal_digit(c: char) -> bool {
    c.is_ascii_digit() || (c.is_numeric() && !c.is_alphabetic() && !is_other_number(c))
}

/// The blocks of numbers that are not decimal digits (categories No and Nl).
fn is_other_number(c: char) -> bool {
    matches!(u32::from(c),
        0x00B2..=0x00B3 | 0x00B9 | 0x00BC..=0x00BE | 0x09F4..=0x09F9 | 0x0BF0..=0x0BF2
        | 0x0F2A..=0x0F33 | 0x1369..=0x137C | 0x16EE..=0x16F0 | 0x17F0..=0x17F9
        | 0x2070..=0x209F | 0x2150..=0x218F | 0x2460..=0x24FF | 0x2776..=0x2793
        | 0x2CFD | 0x3007 | 0x3021..=0x3029 | 0x3038..=0x303A | 0x3192..=0x3195
        | 0x3220..=0x3229 | 0x3248..=0x324F | 0x3251..=0x325F | 0x3280..=0x3289
        | 0x32B1..=0x32BF | 0x10107..=0x10133 | 0x1D360..=0x1D378 | 0x1F100..=0x1F10C)
}

/// Combining marks that Rust counts as alphabetic (Other_Alphabetic) and Go does not count as
/// letters: the combining blocks and the Indic vowel signs.
fn is_mark(c: char) -> bool {
    matches!(u32::from(c),
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0962..=0x0963 | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The users of a tenant.
#[derive(Debug, Default)]
pub struct UserStore {
    pub(super) inner: RwLock<Users>,
}

#[derive(Debug, Default)]
pub(super) struct Users {
    pub(super) by_id: HashMap<String, User>,
    pub(super) order: Vec<String>,
}

/// Why users could not be stored.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    Exists,
    Full,
}

impl UserStore {
    fn read(&self) -> RwLockReadGuard<'_, Users> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Users> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores `users`, all or none: none may exist already, and the store keeps at most
    /// `max` (0: no bound).
    pub fn insert_all(&self, users: Vec<User>, max: usize) -> Result<(), Refused> {
        let mut store = self.write();
        if users.iter().any(|u| store.by_id.contains_key(&u.user_id)) {
            return Err(Refused::Exists);
        }
        if max > 0 && store.by_id.len() + users.len() > max {
            return Err(Refused::Full);
        }
        for user in users {
            store.order.push(user.user_id.clone());
            store.by_id.insert(user.user_id.clone(), user);
        }
        Ok(())
    }

    /// The user `id`.
    pub fn get(&self, id: &str) -> Option<User> {
        self.read().by_id.get(id).cloned()
    }

    /// The `globalRecvMsgOpt` of the user `id`, if it exists.
    pub fn recv_opt(&self, id: &str) -> Option<i32> {
        self.read().by_id.get(id).map(|u| u.global_recv_msg_opt)
    }

    /// Whether the user `id` exists.
    pub fn exists(&self, id: &str) -> bool {
        self.read().by_id.contains_key(id)
    }

    /// The users of `ids` that exist, in the order of `ids`.
    pub fn find(&self, ids: &[String]) -> Vec<User> {
        let store = self.read();
        ids.iter()
            .filter_map(|id| store.by_id.get(id).cloned())
            .collect()
    }

    /// Every userID, in order of registration.
    pub fn all_ids(&self) -> Vec<String> {
        self.read().order.clone()
    }

    /// How many users it holds.
    pub fn len(&self) -> usize {
        self.read().by_id.len()
    }
}
