use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use super::InputError;

/// An opaque Relay cursor: the position of a hit in its result list.
///
/// Search results have no stable key to page after (scores change as the
/// index does), so a cursor is an offset, as in Elasticsearch's `from`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor(usize);

const PREFIX: &str = "search:";

impl Cursor {
    pub fn new(position: usize) -> Self {
        Self(position)
    }

    pub fn position(self) -> usize {
        self.0
    }

    pub fn encode(self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{PREFIX}{}", self.0))
    }

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let invalid = || InputError::new("after", "is not a cursor of this connection");
        let bytes = URL_SAFE_NO_PAD.decode(raw.trim()).map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let position = text
            .strip_prefix(PREFIX)
            .and_then(|n| n.parse().ok())
            .ok_or_else(invalid)?;
        Ok(Self(position))
    }
}

#[cfg(test)]
mod tests {
    use super::Cursor;

    #[test]
    fn a_cursor_round_trips() {
        let cursor = Cursor::new(41);
        assert_eq!(Cursor::parse(&cursor.encode()), Ok(cursor));
    }

    #[test]
    fn garbage_is_not_a_cursor() {
        for raw in ["", "!!!", "c2VhcmNoOi0x", "b3RoZXI6MQ"] {
            assert!(Cursor::parse(raw).is_err(), "{raw}");
        }
    }
}
