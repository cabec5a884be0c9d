//! Locks that outlive a panic of their holder, for the in-process state
//! (caches, counters, queues, filters) behind a std `Mutex` or `RwLock`.
//!
//! std poisons a lock whose holder panicked. Each user's critical sections
//! are short and leave its data consistent at every step (one map operation,
//! one push or pop, one swap), so what a poisoned lock holds is still good;
//! refusing it would turn one panicked request into a service that fails
//! every request after it. Data that a panic could leave half changed does
//! not belong behind these.

use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Locks `mutex`, poisoned or not.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Read-locks `lock`, poisoned or not.
pub fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

/// Write-locks `lock`, poisoned or not.
pub fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::{
        panic,
        sync::{Mutex, RwLock},
    };

    use super::{lock, read, write};

    #[test]
    fn a_lock_poisoned_by_a_panicking_holder_still_hands_out_its_data() {
        let mutex = Mutex::new(1);
        let rw = RwLock::new(1);
        let _ = panic::catch_unwind(|| {
            let _held = mutex.lock().unwrap();
            panic!("holder panics");
        });
        let _ = panic::catch_unwind(|| {
            let _held = rw.write().unwrap();
            panic!("holder panics");
        });
        assert!(mutex.is_poisoned() && rw.is_poisoned());

        *lock(&mutex) += 1;
        assert_eq!(*lock(&mutex), 2);
        *write(&rw) += 1;
        assert_eq!(*read(&rw), 2);
    }
}
