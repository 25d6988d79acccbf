//! A site's users (contract §3): numbered from 1, found by user name, email or phone (without
//! case, as the real server's MySQL collation finds them), with a
//! password kept only as a keyed digest; at most the tenant's `max_users`. The user object is
//! AnqiCMS's `model.User`, keys in its struct order.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A stored user (in a state document, the password digest in hex).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub id: u64,
    pub created_time: i64,
    pub user_name: String,
    pub real_name: String,
    pub first_name: String,
    pub last_name: String,
    pub avatar_url: String,
    pub email: String,
    pub phone: String,
    pub invite_code: String,
    pub last_login: i64,
    #[serde(with = "super::snapshot::hex32")]
    pub password: [u8; 32],
}

/// A user as the API shows it (`model.User`); `token` is empty but after login and register.
#[derive(Serialize)]
pub struct UserView<'a> {
    id: u64,
    created_time: i64,
    updated_time: i64,
    parent_id: u64,
    user_name: &'a str,
    url_token: &'a str,
    real_name: &'a str,
    first_name: &'a str,
    last_name: &'a str,
    birthday: i64,
    avatar_url: &'a str,
    introduce: &'a str,
    email: &'a str,
    email_verified: bool,
    phone: &'a str,
    group_id: u64,
    google_id: &'a str,
    reset_password: bool,
    status: i64,
    is_retailer: i64,
    balance: i64,
    total_reward: i64,
    invite_code: &'a str,
    last_login: i64,
    expire_time: i64,
    extra: Option<()>,
    token: &'a str,
    group: Option<()>,
    full_avatar_url: &'a str,
    link: &'a str,
}

impl User {
    /// The user as the API shows it, with `token`.
    pub fn view<'a>(&'a self, token: &'a str) -> UserView<'a> {
        UserView {
            id: self.id,
            created_time: self.created_time,
            updated_time: self.last_login.max(self.created_time),
            parent_id: 0,
            user_name: &self.user_name,
            url_token: "",
            real_name: &self.real_name,
            first_name: &self.first_name,
            last_name: &self.last_name,
            birthday: 0,
            avatar_url: &self.avatar_url,
            introduce: "",
            email: &self.email,
            email_verified: false,
            phone: &self.phone,
            group_id: 0,
            google_id: "",
            reset_password: false,
            status: 1,
            is_retailer: 0,
            balance: 0,
            total_reward: 0,
            invite_code: &self.invite_code,
            last_login: self.last_login,
            expire_time: 0,
            extra: None,
            token,
            group: None,
            full_avatar_url: &self.avatar_url,
            link: "",
        }
    }
}

/// Why a registration was refused, in the order the real server checks.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    NameTaken,
    PhoneTaken,
    EmailTaken,
    Full,
}

#[derive(Debug, Default)]
struct Users {
    by_id: HashMap<u64, User>,
    by_name: HashMap<String, u64>,
    by_email: HashMap<String, u64>,
    by_phone: HashMap<String, u64>,
    last_id: u64,
}

/// The users of a tenant.
#[derive(Debug, Default)]
pub struct UserStore {
    inner: RwLock<Users>,
}

impl UserStore {
    fn read(&self) -> RwLockReadGuard<'_, Users> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Users> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores `user` with the next ID (and its invite code) unless its name, phone or email is
    /// taken, checked in that order, or the store holds `max` (0: no bound).
    pub fn insert(&self, mut user: User, max: usize) -> Result<User, Refused> {
        let mut users = self.write();
        let (name, email, phone) = (key(&user.user_name), key(&user.email), key(&user.phone));
        if users.by_name.contains_key(&name) {
            return Err(Refused::NameTaken);
        }
        if !phone.is_empty() && users.by_phone.contains_key(&phone) {
            return Err(Refused::PhoneTaken);
        }
        if !email.is_empty() && users.by_email.contains_key(&email) {
            return Err(Refused::EmailTaken);
        }
        if max > 0 && users.by_id.len() >= max {
            return Err(Refused::Full);
        }
        users.last_id += 1;
        user.id = users.last_id;
        user.invite_code = invite_code(user.id);
        users.by_name.insert(name, user.id);
        if !email.is_empty() {
            users.by_email.insert(email, user.id);
        }
        if !phone.is_empty() {
            users.by_phone.insert(phone, user.id);
        }
        users.by_id.insert(user.id, user.clone());
        Ok(user)
    }

    /// The user `id`.
    pub fn get(&self, id: u64) -> Option<User> {
        self.read().by_id.get(&id).cloned()
    }

    /// What `look` reads from the user `id`.
    pub fn with<R>(&self, id: u64, look: impl FnOnce(&User) -> R) -> Option<R> {
        self.read().by_id.get(&id).map(look)
    }

    /// The user an account names: by email, by phone or by user name, as `how` says.
    pub fn find(&self, how: Lookup, account: &str) -> Option<User> {
        let users = self.read();
        let index = match how {
            Lookup::Email => &users.by_email,
            Lookup::Phone => &users.by_phone,
            Lookup::Name => &users.by_name,
        };
        let id = index.get(&key(account))?;
        users.by_id.get(id).cloned()
    }

    /// Records a login of the user `id` at `now_s`.
    pub fn logged_in(&self, id: u64, now_s: i64) {
        if let Some(user) = self.write().by_id.get_mut(&id) {
            user.last_login = now_s;
        }
    }

    /// How many users it holds.
    pub fn len(&self) -> usize {
        self.read().by_id.len()
    }

    /// Every user, by ID, and the last ID handed out: what a state document keeps.
    pub fn dump(&self) -> (Vec<User>, u64) {
        let users = self.read();
        let mut all: Vec<User> = users.by_id.values().cloned().collect();
        all.sort_by_key(|u| u.id);
        (all, users.last_id)
    }

    /// A store holding `users` as they are, IDs handed out after `last_id`; refuses a user
    /// whose ID, name, email or phone another has.
    pub fn load(users: Vec<User>, last_id: u64) -> Result<Self, String> {
        let mut store = Users {
            last_id,
            ..Users::default()
        };
        for user in users {
            let (id, name) = (user.id, key(&user.user_name));
            let taken =
                |index: &HashMap<String, u64>, k: &str| !k.is_empty() && index.contains_key(k);
            let (email, phone) = (key(&user.email), key(&user.phone));
            if id == 0
                || id > last_id
                || store.by_id.contains_key(&id)
                || taken(&store.by_name, &name)
                || taken(&store.by_email, &email)
                || taken(&store.by_phone, &phone)
            {
                return Err(format!("user {id} ({name}) repeats another's ID, name, email or phone, or is above last_id"));
            }
            store.by_name.insert(name, id);
            if !email.is_empty() {
                store.by_email.insert(email, id);
            }
            if !phone.is_empty() {
                store.by_phone.insert(phone, id);
            }
            store.by_id.insert(id, user);
        }
        Ok(Self {
            inner: RwLock::new(store),
        })
    }
}

/// The index key of a name, email or phone: compared without case, as MySQL's default
/// collation compares the real server's columns.
fn key(text: &str) -> String {
    text.to_lowercase()
}

/// Which index a login account is looked up in.
#[derive(Debug, Clone, Copy)]
pub enum Lookup {
    Email,
    Phone,
    Name,
}

/// The invite code the real server gives a user: its ID's CRC-32 (IEEE) in base 36.
fn invite_code(id: u64) -> String {
    let mut crc = !0u32;
    for byte in id.to_string().bytes() {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    let mut n = u64::from(!crc);
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize]);
        n /= 36;
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}
