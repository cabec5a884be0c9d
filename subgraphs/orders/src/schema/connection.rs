//! Relay cursors for order listings (`platform::cursor`): the last row's
//! creation time and id.

use platform::cursor;

use crate::store::orders::ListCursor;

pub fn encode(position: &ListCursor) -> String {
    cursor::encode(&[&position.created_at, &position.order_id])
}

pub fn decode(raw: &str) -> async_graphql::Result<ListCursor> {
    let invalid = || super::bad_input("invalid cursor");
    let [at, id] = cursor::decode::<2>(raw).ok_or_else(invalid)?;
    Ok(ListCursor {
        created_at: at.parse().map_err(|_| invalid())?,
        order_id: id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let position = ListCursor {
            created_at: 42,
            order_id: "a-b".into(),
        };
        assert_eq!(decode(&encode(&position)).ok(), Some(position));
        assert!(decode("!!").is_err());
        assert!(decode(&cursor::encode(&[&"nocolon"])).is_err());
        assert!(decode(&cursor::encode(&[&"soon", &"a-b"])).is_err());
    }
}
