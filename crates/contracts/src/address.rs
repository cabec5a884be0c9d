//! `GET /internal/users/{userId}/addresses/{addressId}` on the users
//! service → 200 [`Address`]; 404 `{"code":"UNKNOWN_ADDRESS"}` when the
//! address does not exist or belongs to another user (the two look alike,
//! so address ids cannot be probed across users). Orders' checkout reads
//! the address an order ships to.

use serde::{Deserialize, Serialize};

/// An address-book entry as another service sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub id: String,
    pub user_id: String,
    pub recipient: String,
    pub phone: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    pub is_default: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden::assert_wire;

    #[test]
    fn an_address_says_null_for_what_it_lacks() {
        assert_wire(
            &Address {
                id: "a-1".into(),
                user_id: "u-1".into(),
                recipient: "Li Lei".into(),
                phone: None,
                line1: "1 Main St".into(),
                line2: None,
                city: "Shanghai".into(),
                region: Some("SH".into()),
                postal_code: None,
                country: "CN".into(),
                is_default: true,
            },
            r#"{"id":"a-1","userId":"u-1","recipient":"Li Lei","phone":null,
                "line1":"1 Main St","line2":null,"city":"Shanghai","region":"SH",
                "postalCode":null,"country":"CN","isDefault":true}"#,
        );
    }
}
