//! Mutation inputs: plain strings here; `domain` validates them.

use async_graphql::InputObject;

use crate::domain::AddressInputRaw;

#[derive(InputObject)]
pub struct SignUpInput {
    pub email: String,
    pub name: String,
    pub password: String,
}

#[derive(InputObject)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
}

#[derive(InputObject)]
pub struct UpdateProfileInput {
    pub name: String,
}

#[derive(InputObject)]
pub struct ChangePasswordInput {
    pub current_password: String,
    pub new_password: String,
}

#[derive(InputObject)]
pub struct AddressInput {
    pub recipient: String,
    pub phone: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 code, e.g. `CN`.
    pub country: String,
    /// Make it the default address (the first address always is).
    #[graphql(default)]
    pub make_default: bool,
}

impl From<&AddressInput> for AddressInputRaw {
    fn from(input: &AddressInput) -> Self {
        Self {
            recipient: input.recipient.clone(),
            phone: input.phone.clone(),
            line1: input.line1.clone(),
            line2: input.line2.clone(),
            city: input.city.clone(),
            region: input.region.clone(),
            postal_code: input.postal_code.clone(),
            country: input.country.clone(),
        }
    }
}

/// The parts of an address to change; absent parts stay as they are, and
/// an empty string clears an optional part.
#[derive(InputObject)]
pub struct UpdateAddressInput {
    pub recipient: Option<String>,
    pub phone: Option<String>,
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
}

impl UpdateAddressInput {
    pub fn apply(self, mut raw: AddressInputRaw) -> AddressInputRaw {
        if let Some(v) = self.recipient {
            raw.recipient = v;
        }
        if let Some(v) = self.line1 {
            raw.line1 = v;
        }
        if let Some(v) = self.city {
            raw.city = v;
        }
        if let Some(v) = self.country {
            raw.country = v;
        }
        for (patch, field) in [
            (self.phone, &mut raw.phone),
            (self.line2, &mut raw.line2),
            (self.region, &mut raw.region),
            (self.postal_code, &mut raw.postal_code),
        ] {
            if patch.is_some() {
                *field = patch;
            }
        }
        raw
    }
}
