//! What a tenant keeps about its users beside the users themselves: contacts and block lists,
//! attributes, global mutes. All of it belongs to the user: deleting the user drops it, as the
//! real service deletes a user's relations with the account.

use super::metadata_store::MetadataStore;
use super::mute_store::MuteStore;
use super::relation_store::RelationStore;

/// A tenant's per-user extras.
#[derive(Debug, Default)]
pub struct Social {
    pub relations: RelationStore,
    pub metadata: MetadataStore,
    pub mutes: MuteStore,
}

impl Social {
    /// Drops everything kept about `username` (lower-cased), and its place in other users'
    /// contacts and block lists.
    pub fn forget(&self, username: &str) {
        self.relations.forget(username);
        self.metadata.remove(username);
        self.mutes.remove(username);
    }
}
