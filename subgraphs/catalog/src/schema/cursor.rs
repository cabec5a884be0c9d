//! Relay cursors for product listings (`platform::cursor`): the sort they
//! belong to, the sort key and the id of a row.

use platform::{cursor, gql::ErrorCode};

use crate::store::{ProductSort, SortCursor};

pub fn encode(sort: ProductSort, position: &SortCursor) -> String {
    cursor::encode(&[&sort.tag(), &position.key, &position.product_id])
}

/// Decodes `raw`, which must come from a listing with the same sort.
pub fn decode(sort: ProductSort, raw: &str) -> async_graphql::Result<SortCursor> {
    let invalid = || ErrorCode::BadUserInput.error("invalid cursor for this sort");
    let [tag, key, id] = cursor::decode::<3>(raw).ok_or_else(invalid)?;
    if tag != sort.tag() || id.is_empty() {
        return Err(invalid());
    }
    Ok(SortCursor {
        key: key.parse().map_err(|_| invalid())?,
        product_id: id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_other_sorts_and_garbage() {
        let position = SortCursor {
            key: 1999,
            product_id: "abc".into(),
        };
        let raw = encode(ProductSort::PriceAsc, &position);
        assert_eq!(decode(ProductSort::PriceAsc, &raw).ok(), Some(position));
        assert!(decode(ProductSort::Newest, &raw).is_err());
        assert!(decode(ProductSort::Newest, "%%%").is_err());
        assert!(decode(ProductSort::Newest, &cursor::encode(&[&"n", &"x", &"id"])).is_err());
        assert!(decode(ProductSort::Newest, &cursor::encode(&[&"n", &1, &""])).is_err());
    }
}
