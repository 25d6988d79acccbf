//! Serialising hash sets in sorted order, so that a state document written twice from the same
//! state is the same document.

use serde::{Serialize, Serializer};
use std::collections::HashSet;

/// Writes `set` as a JSON array, sorted.
pub fn set<S: Serializer, T: Ord + Serialize>(set: &HashSet<T>, s: S) -> Result<S::Ok, S::Error> {
    let mut items: Vec<&T> = set.iter().collect();
    items.sort_unstable();
    s.collect_seq(items)
}
