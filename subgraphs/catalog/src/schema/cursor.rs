//! Opaque Relay cursors for product listings: the sort they belong to, the
//! sort key and the id of a row, base64-encoded.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use platform::gql::ErrorCode;

use crate::store::{ProductSort, SortCursor};

pub fn encode(sort: ProductSort, cursor: &SortCursor) -> String {
    URL_SAFE_NO_PAD.encode(format!(
        "{}|{}|{}",
        sort.tag(),
        cursor.key,
        cursor.product_id
    ))
}

/// Decodes `raw`, which must come from a listing with the same sort.
pub fn decode(sort: ProductSort, raw: &str) -> async_graphql::Result<SortCursor> {
    let invalid = || ErrorCode::BadUserInput.error("invalid cursor for this sort");
    let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let mut parts = text.splitn(3, '|');
    let (Some(tag), Some(key), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(invalid());
    };
    if tag != sort.tag() || id.is_empty() {
        return Err(invalid());
    }
    Ok(SortCursor {
        key: key.parse().map_err(|_| invalid())?,
        product_id: id.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_other_sorts_and_garbage() {
        let cursor = SortCursor {
            key: 1999,
            product_id: "abc".into(),
        };
        let raw = encode(ProductSort::PriceAsc, &cursor);
        assert_eq!(decode(ProductSort::PriceAsc, &raw).ok(), Some(cursor));
        assert!(decode(ProductSort::Newest, &raw).is_err());
        assert!(decode(ProductSort::Newest, "%%%").is_err());
        assert!(decode(ProductSort::Newest, &URL_SAFE_NO_PAD.encode("n|x|id")).is_err());
    }
}
