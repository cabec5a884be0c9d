//! AMQP topic-exchange matching, so the in-process broker routes exactly as
//! RabbitMQ's `shopgraph.events` exchange does.

/// Whether routing key `topic` matches binding `pattern`, where `*` stands
/// for exactly one dot-separated word and `#` for zero or more words.
pub fn topic_matches(pattern: &str, topic: &str) -> bool {
    let pattern: Vec<&str> = pattern.split('.').collect();
    let words: Vec<&str> = topic.split('.').collect();
    matches(&pattern, &words)
}

fn matches(pattern: &[&str], words: &[&str]) -> bool {
    match pattern.split_first() {
        None => words.is_empty(),
        Some((&"#", rest)) => (0..=words.len()).any(|skip| matches(rest, &words[skip..])),
        Some((&head, rest)) => match words.split_first() {
            Some((&word, tail)) => (head == "*" || head == word) && matches(rest, tail),
            None => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::topic_matches;

    #[test]
    fn patterns_match_like_a_topic_exchange() {
        assert!(topic_matches("order.paid", "order.paid"));
        assert!(!topic_matches("order.paid", "order.cancelled"));
        assert!(topic_matches("order.*", "order.paid"));
        assert!(!topic_matches("order.*", "order.paid.late"));
        assert!(topic_matches("order.#", "order.paid.late"));
        assert!(topic_matches("order.#", "order"));
        assert!(topic_matches("#", "product.changed"));
        assert!(!topic_matches("*.changed", "product.price.changed"));
        assert!(topic_matches("#.changed", "product.price.changed"));
    }
}
