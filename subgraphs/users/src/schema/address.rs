//! `Address`, an entry of a user's address book.

use async_graphql::{ID, Object};

use crate::store::addresses::AddressRow;

pub struct Address(pub AddressRow);

#[Object]
impl Address {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    async fn recipient(&self) -> &str {
        &self.0.fields.recipient
    }

    async fn phone(&self) -> Option<&str> {
        self.0.fields.phone.as_deref()
    }

    async fn line1(&self) -> &str {
        &self.0.fields.line1
    }

    async fn line2(&self) -> Option<&str> {
        self.0.fields.line2.as_deref()
    }

    async fn city(&self) -> &str {
        &self.0.fields.city
    }

    async fn region(&self) -> Option<&str> {
        self.0.fields.region.as_deref()
    }

    async fn postal_code(&self) -> Option<&str> {
        self.0.fields.postal_code.as_deref()
    }

    /// ISO 3166-1 alpha-2 code, e.g. `CN`.
    async fn country(&self) -> &str {
        &self.0.fields.country
    }

    async fn is_default(&self) -> bool {
        self.0.is_default
    }
}
