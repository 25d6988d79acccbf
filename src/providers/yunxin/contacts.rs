//! The relations the send checks read (contract §4.5 step 6): block lists (`POST
//! /block_contacts`, `DELETE /block_contacts/{account_id}?contact_account_id=`) and friends
//! (`POST /friends`, added at once on both sides).

use super::account_store::legal_account_id;
use super::call::{Answer, Call};
use super::error::YunxinError;
use super::wire::Empty;
use actix_web::web;
use serde::Deserialize;

#[derive(Deserialize)]
struct BlockRequest {
    account_id: Option<String>,
    contact_account_id: Option<String>,
}

#[derive(Deserialize)]
struct UnblockQuery {
    contact_account_id: Option<String>,
}

#[derive(Deserialize)]
struct FriendRequest {
    account_id: Option<String>,
    friend_account_id: Option<String>,
}

/// Two distinct, legal account IDs, lower-cased; 414 otherwise.
fn pair(a: Option<String>, b: Option<String>) -> Result<(String, String), YunxinError> {
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
        if blocked {
            account.blocked.insert(contact.to_owned());
        } else {
            account.blocked.remove(contact);
        }
    });
    changed.ok_or(YunxinError::ACCOUNT_NOT_EXIST)?;
    call.ok(&Empty {})
}

/// `POST /im/v2/block_contacts`: `account_id` blocks `contact_account_id`.
pub async fn block(call: &Call, payload: web::Payload) -> Answer {
    let body: BlockRequest = call.json(payload).await?;
    let (owner, contact) = pair(body.account_id, body.contact_account_id)?;
    set_block(call, &owner, &contact, true)
}

/// `DELETE /im/v2/block_contacts/{account_id}?contact_account_id=`.
pub fn unblock(call: &Call, id: &str) -> Answer {
    let query: UnblockQuery = call.query()?;
    let (owner, contact) = pair(Some(id.to_owned()), query.contact_account_id)?;
    set_block(call, &owner, &contact, false)
}

/// `POST /im/v2.1/friends`: the two become friends of each other.
pub async fn befriend(call: &Call, payload: web::Payload) -> Answer {
    let body: FriendRequest = call.json(payload).await?;
    let (a, b) = pair(body.account_id, body.friend_account_id)?;
    let tenant = call.keep()?;
    let both = tenant.accounts.update_pair(&a, &b, |account, other| {
        account.friends.insert(other.to_owned());
    });
    if !both {
        return Err(YunxinError::ACCOUNT_NOT_EXIST);
    }
    call.ok(&Empty {})
}
