//! Readers that wait for appends (long-poll). An append only rings a doorbell, one atomic
//! step whatever the number of readers; [`Journal::ring`] wakes the readers, at most once per
//! [`COALESCE`], so that a burst of sends costs the readers one look, not one per message.

use super::Journal;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::futures::Notified;

/// The shortest time between two wake-ups of the readers.
pub const COALESCE: Duration = Duration::from_millis(2);

/// A reader waiting for appends, registered for as long as it lives.
pub struct Watch<'a> {
    journal: &'a Journal,
}

impl Watch<'_> {
    /// Completes at the next wake-up after it is enabled (see [`Notified::enable`]); enable it
    /// before reading so that no append between the read and the wait is missed.
    pub fn appended(&self) -> Notified<'_> {
        self.journal.appended.notified()
    }
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        self.journal.watchers.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Journal {
    /// Registers a reader that waits for appends, for as long as the guard lives; `None`
    /// when as many as the journal allows are waiting already.
    pub fn watch(&self) -> Option<Watch<'_>> {
        // Pairs with the load in `append`: an append that saw no watcher pushed its records
        // before this, so the reader's first read sees them.
        let before = self.watchers.fetch_add(1, Ordering::SeqCst);
        let watch = Watch { journal: self };
        (before < self.max_watchers).then_some(watch)
    }

    /// How many readers are waiting.
    pub fn watchers(&self) -> usize {
        self.watchers.load(Ordering::Relaxed)
    }

    /// Wakes the waiting readers whenever the doorbell rings; runs until the server stops.
    pub async fn ring(&self) {
        loop {
            self.doorbell.notified().await;
            self.appended.notify_waiters();
            tokio::time::sleep(COALESCE).await;
        }
    }
}
