//! How a flow that waits on the network (the office hub) or shares the store with a background
//! task reaches it: briefly, through a lock, never held across a wait.

use std::sync::Mutex;

use super::Store;

/// Briefly lends the store to `f`. The kiosk's `Mutex<Store>` (shared with the hub's background
/// replay) and a `Mutex<&mut Store>` around a store the caller owns (the CLI, tests) both lend.
pub trait StoreAccess: Send + Sync {
    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R;
}

impl StoreAccess for Mutex<Store> {
    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        // Every write is a transaction: a panic elsewhere cannot have left SQLite half-written.
        f(&mut self.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl StoreAccess for Mutex<&mut Store> {
    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        f(&mut self.lock().unwrap_or_else(|p| p.into_inner()))
    }
}
