use super::{Mode, words};
use crate::domain::normalize;

/// How much of a name, from a word's start, a suggestion key keeps.
pub const SUGGEST_KEY_CHARS: usize = 32;

/// The keys under which `name` is suggested: the normalised name from the
/// start of each of its words, so that typing "air" or "跑" completes
/// "Nike Air Zoom 跑鞋". A prefix matches when some key starts with it.
pub fn suggest_keys(name: &str) -> Vec<String> {
    let normalized = normalize(name);
    let mut keys: Vec<String> = words(&normalized, Mode::Query)
        .into_iter()
        .map(|w| {
            normalized[w.start..]
                .chars()
                .take(SUGGEST_KEY_CHARS)
                .collect()
        })
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::suggest_keys;

    #[test]
    fn every_word_start_is_a_key() {
        let keys = suggest_keys("Nike Air  Zoom 跑鞋");
        for prefix in ["nike a", "air z", "zoom", "跑"] {
            assert!(
                keys.iter().any(|k| k.starts_with(prefix)),
                "{prefix}: {keys:?}"
            );
        }
        assert!(!keys.iter().any(|k| k.starts_with("ike")));
    }
}
