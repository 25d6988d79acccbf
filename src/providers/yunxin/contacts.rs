//! The relations the send checks read (contract §4.5 step 6): block lists (`POST
//! /block_contacts`, `DELETE /block_contacts/{account_id}?contact_account_id=`) and friends
//! (`POST /friends`: `type` 1 adds at once on both sides, 2 asks and 3 agrees to a request, 4
//! refuses one). Each account has at most 3,000 friends and 3,000 blocked accounts.

use super::account_store::{legal_account_id, Account};
use super::call::{Answer, Call};
use super::error::YunxinError;
use super::wire::Empty;
use actix_web::web;
use serde::{Deserialize, Serialize};

/// The most friends, and blocked accounts, of one account.
const MAX_RELATIONS: usize = 3000;
/// `type` of a friend request: add at once, ask, agree, refuse.
const ADD: i64 = 1;
const ASK: i64 = 2;
const AGREE: i64 = 3;
const REFUSE: i64 = 4;

#[derive(Deserialize)]
struct BlockRequest {
    account_id: Option<String>,
    contact_account_id: Option<String>,
}

#[derive(Deserialize)]
struct FriendRequest {
    account_id: Option<String>,
    friend_account_id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<i64>,
    alias: Option<String>,
    extension: Option<String>,
    customer_extension: Option<String>,
}

/// The answer to a friend request.
#[derive(Serialize)]
struct Friend<'a> {
    friend_account_id: &'a str,
    alias: &'a str,
    extension: &'a str,
    customer_extension: &'a str,
}

/// Two distinct, legal account IDs, lower-cased; 414 otherwise.
fn pair(a: Option<&str>, b: Option<&str>) -> Result<(String, String), YunxinError> {
    let (Some(a), Some(b)) = (a, b) else {
        return Err(YunxinError::PARAMETER);
    };
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    if !legal_account_id(&a) || !legal_account_id(&b) || a == b {
        return Err(YunxinError::PARAMETER);
    }
    Ok((a, b))
}

/// Sets whether `owner` blocks `contact`; both must exist.
fn set_block(call: &Call, owner: &str, contact: &str, blocked: bool) -> Answer {
    let tenant = call.keep()?;
    if tenant.accounts.with(contact, |_| ()).is_none() {
        return Err(YunxinError::ACCOUNT_NOT_EXIST);
    }
    let changed = tenant.accounts.update(owner, |account| {
        if !blocked {
            account.blocked.remove(contact);
        } else if account.blocked.len() >= MAX_RELATIONS {
            return Err(YunxinError::TOO_MANY_BLOCKED);
        } else {
            account.blocked.insert(contact.to_owned());
        }
        Ok(())
    });
    changed.ok_or(YunxinError::ACCOUNT_NOT_EXIST)??;
    call.ok(&Empty {})
}

/// `POST /im/v2/block_contacts`: `account_id` blocks `contact_account_id`.
pub async fn block(call: &Call, payload: web::Payload) -> Answer {
    let body: BlockRequest = call.json(payload).await?;
    let (owner, contact) = pair(
        body.account_id.as_deref(),
        body.contact_account_id.as_deref(),
    )?;
    set_block(call, &owner, &contact, true)
}

/// `DELETE /im/v2/block_contacts/{account_id}?contact_account_id=`.
pub fn unblock(call: &Call, id: &str) -> Answer {
    let query = call.params()?;
    let (owner, contact) = pair(Some(id), query.get("contact_account_id"))?;
    set_block(call, &owner, &contact, false)
}

/// Makes `account` a friend of `other`, within the bound.
fn befriend_one(account: &mut Account, other: &str) -> Result<(), YunxinError> {
    account.friend_requests.remove(other);
    if !account.friends.contains(other) && account.friends.len() >= MAX_RELATIONS {
        return Err(YunxinError::TOO_MANY_FRIENDS);
    }
    account.friends.insert(other.to_owned());
    Ok(())
}

/// `POST /im/v2.1/friends`: `account_id` adds `friend_account_id` (`type` 1, the default), asks
/// to (2), agrees to its request (3) or refuses it (4). Java sends `type` in the query, Go in
/// the body.
pub async fn befriend(call: &Call, payload: web::Payload) -> Answer {
    let query = call.params()?;
    let body: FriendRequest = call.json(payload).await?;
    let (me, friend) = pair(
        body.account_id.as_deref(),
        body.friend_account_id.as_deref(),
    )?;
    let kind = body.kind.or(query.integer("type")?).unwrap_or(ADD);
    if !(ADD..=REFUSE).contains(&kind) {
        return Err(YunxinError::PARAMETER);
    }
    let tenant = call.keep()?;
    let accounts = &tenant.accounts;
    let done = match kind {
        ADD | AGREE => accounts.update_pair(&me, &friend, befriend_one),
        ASK => accounts.update_pair(&me, &friend, |account, other| {
            // The request waits with the one asked.
            if account.account_id == friend && account.friend_requests.len() < MAX_RELATIONS {
                account.friend_requests.insert(other.to_owned());
            }
            Ok(())
        }),
        _ => accounts.update_pair(&me, &friend, |account, other| {
            account.friend_requests.remove(other);
            Ok(())
        }),
    };
    done.ok_or(YunxinError::ACCOUNT_NOT_EXIST)??;
    call.ok(&Friend {
        friend_account_id: &friend,
        alias: body.alias.as_deref().unwrap_or_default(),
        extension: body.extension.as_deref().unwrap_or_default(),
        customer_extension: body.customer_extension.as_deref().unwrap_or_default(),
    })
}
