//! How long a plan's last answer was. The next answer's buffer starts that
//! large: a deep answer written into a small buffer is copied at every
//! doubling (most of the gateway benchmark's 88 KB answer was copied
//! twice), and a buffer grown by doubling holds up to twice what it needs.

use std::sync::atomic::{AtomicUsize, Ordering};

/// What an answer with no history starts with.
const FIRST: usize = 16 * 1024;

/// Slack over the last answer's length, for a slightly longer next one.
const SLACK: usize = 1024;

/// Not part of what a plan means: every two hints are equal, and a copy
/// starts afresh.
#[derive(Debug, Default)]
pub struct AnswerSize(AtomicUsize);

impl AnswerSize {
    /// The capacity to start the next answer with.
    pub fn capacity(&self) -> usize {
        match self.0.load(Ordering::Relaxed) {
            0 => FIRST,
            last => last + SLACK,
        }
    }

    /// Remembers an answer's length. Racing requests may overwrite each
    /// other's: any recent length is a good hint.
    pub fn record(&self, len: usize) {
        self.0.store(len, Ordering::Relaxed);
    }
}

impl Clone for AnswerSize {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl PartialEq for AnswerSize {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
