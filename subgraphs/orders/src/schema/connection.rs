//! Relay cursors for order listings: the last row's creation time and id,
//! base64-encoded so clients treat them as opaque.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::store::orders::ListCursor;

pub fn encode(cursor: &ListCursor) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{}", cursor.created_at, cursor.order_id))
}

pub fn decode(raw: &str) -> async_graphql::Result<ListCursor> {
    let invalid = || super::bad_input("invalid cursor");
    let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (at, id) = text.split_once(':').ok_or_else(invalid)?;
    Ok(ListCursor {
        created_at: at.parse().map_err(|_| invalid())?,
        order_id: id.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let cursor = ListCursor {
            created_at: 42,
            order_id: "a-b".into(),
        };
        assert_eq!(decode(&encode(&cursor)).ok(), Some(cursor));
        assert!(decode("!!").is_err());
        assert!(decode(&URL_SAFE_NO_PAD.encode("nocolon")).is_err());
    }
}
