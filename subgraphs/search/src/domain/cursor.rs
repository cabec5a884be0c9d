use super::InputError;

/// An opaque Relay cursor (`platform::cursor`): the position of a hit in
/// its result list.
///
/// Search results have no stable key to page after (scores change as the
/// index does), so a cursor is an offset, as in Elasticsearch's `from`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor(usize);

/// The first field, which tells a search cursor from other listings'.
const TAG: &str = "search";

impl Cursor {
    pub fn new(position: usize) -> Self {
        Self(position)
    }

    pub fn position(self) -> usize {
        self.0
    }

    pub fn encode(self) -> String {
        platform::cursor::encode(&[&TAG, &self.0])
    }

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let invalid = || InputError::new("after", "is not a cursor of this connection");
        let [tag, position] = platform::cursor::decode::<2>(raw).ok_or_else(invalid)?;
        if tag != TAG {
            return Err(invalid());
        }
        Ok(Self(position.parse().map_err(|_| invalid())?))
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
