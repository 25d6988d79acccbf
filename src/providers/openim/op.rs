//! Who makes a call: the tenant and the token's user, and the permission checks OpenIM's
//! handlers run with them (`CheckAdmin`, `CheckAccessV3`), with the real server's texts.

use super::call::Call;
use super::error::OpenImError;
use super::jwt::Claims;
use super::tenant::Tenant;
use std::sync::Arc;

/// A call past OpenIM's middleware.
pub struct Op<'a> {
    pub call: &'a Call,
    pub tenant: Arc<Tenant>,
    /// The token's claims (`None` on the paths that need no token).
    pub me: Option<Claims>,
}

impl Op<'_> {
    /// The token's userID (empty without a token).
    pub fn user_id(&self) -> &str {
        self.me.as_ref().map_or("", |c| c.user_id.as_str())
    }

    /// Whether the token's user is an admin (app manager).
    pub fn is_admin(&self) -> bool {
        self.tenant.settings.is_admin(self.user_id())
    }

    /// Requires an admin: 1002 `user <id> is not admin userID`.
    pub fn check_admin(&self) -> Result<(), OpenImError> {
        if self.is_admin() {
            return Ok(());
        }
        Err(OpenImError::no_permission(format!(
            "user {} is not admin userID",
            self.user_id()
        )))
    }

    /// Requires an admin or the user `owner` itself: 1002 `ownerUserID, <owner>=MISSING`.
    pub fn check_access(&self, owner: &str) -> Result<(), OpenImError> {
        if self.is_admin() || self.user_id() == owner {
            return Ok(());
        }
        Err(OpenImError::no_permission(format!(
            "ownerUserID, {owner}=MISSING"
        )))
    }
}
