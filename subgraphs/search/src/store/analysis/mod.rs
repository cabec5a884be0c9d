//! Text analysis both backends share: jieba word segmentation and the keys
//! that make names completable from any word's start.

mod segment;
mod suggest;

pub use segment::{Mode, words};
pub use suggest::{SUGGEST_KEY_CHARS, suggest_keys};
