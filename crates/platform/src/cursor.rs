//! Opaque Relay cursors: a position in a listing as text fields joined by
//! `:`, base64url-encoded so that clients treat it as a token to hand back,
//! not as data to build. Each listing decides its fields (a sort's tag, a
//! sort key, a row id, an offset) and parses them; this is the wire form
//! every listing shares.

use std::fmt::Display;

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};

/// The cursor of `fields`.
pub fn encode(fields: &[&dyn Display]) -> String {
    let text = fields
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(":");
    URL_SAFE_NO_PAD.encode(text)
}

/// The `N` fields of cursor `raw` (surrounding white space ignored), or
/// `None` when it is not one. The last field keeps any `:` in it, so it
/// may hold an id of any shape.
pub fn decode<const N: usize>(raw: &str) -> Option<[String; N]> {
    let bytes = URL_SAFE_NO_PAD.decode(raw.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let fields: Vec<String> = text.splitn(N, ':').map(str::to_owned).collect();
    fields.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip_and_the_last_keeps_its_colons() {
        let raw = encode(&[&"pa", &1999, &"id:with:colons"]);
        assert_eq!(
            decode::<3>(&raw),
            Some(["pa".into(), "1999".into(), "id:with:colons".into()])
        );
        assert_eq!(decode::<3>(&format!(" {raw}\n")), decode::<3>(&raw));
    }

    #[test]
    fn too_few_fields_and_garbage_are_not_cursors() {
        assert_eq!(decode::<2>(&encode(&[&"nocolon"])), None);
        assert_eq!(decode::<1>("!!!"), None);
        assert_eq!(decode::<1>(&URL_SAFE_NO_PAD.encode([0xffu8, 0xfe])), None);
    }
}
