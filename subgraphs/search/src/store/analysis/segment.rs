use std::sync::OnceLock;

use jieba_rs::{Jieba, TokenizeMode};

/// How finely to cut: `Index` also emits the shorter dictionary words inside
/// a long word (like IK's `ik_max_word`), `Query` cuts once (like
/// `ik_smart`), so a query word matches the documents that contain it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Index,
    Query,
}

/// A word of `text` and where it sits, in bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

/// The words of `text`: Chinese segmented by jieba (with its HMM for words
/// missing from the dictionary), other scripts split at non-word
/// characters. Whitespace and punctuation are dropped.
pub fn words(text: &str, mode: Mode) -> Vec<Word<'_>> {
    let mode = match mode {
        Mode::Index => TokenizeMode::Search,
        Mode::Query => TokenizeMode::Default,
    };
    jieba()
        .tokenize(text, mode, true)
        .into_iter()
        .filter(|t| t.word.chars().any(char::is_alphanumeric))
        .map(|t| Word {
            text: t.word,
            start: t.byte_start,
            end: t.byte_end,
        })
        .collect()
}

/// One dictionary for the process: loading it takes a noticeable fraction
/// of a second.
fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

#[cfg(test)]
mod tests {
    use super::{Mode, words};

    fn texts(text: &str, mode: Mode) -> Vec<&str> {
        words(text, mode).into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn chinese_is_cut_into_words() {
        let query = texts("蓝牙耳机", Mode::Query);
        let index = texts("无线蓝牙耳机", Mode::Index);
        for word in &query {
            assert!(index.contains(word), "{word} not in {index:?}");
        }
        assert!(index.contains(&"耳机"), "{index:?}");
    }

    #[test]
    fn punctuation_and_spaces_are_dropped() {
        assert_eq!(
            texts("Nike, Air!  (跑鞋)", Mode::Query),
            ["Nike", "Air", "跑鞋"]
        );
        assert!(texts("?!*:\"()", Mode::Query).is_empty());
    }
}
