//! Roles, and the token scopes they grant.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Customer,
    Admin,
}

impl Role {
    /// The value stored in `user.role`.
    pub fn as_db(self) -> &'static str {
        match self {
            Self::Customer => "CUSTOMER",
            Self::Admin => "ADMIN",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "CUSTOMER" => Some(Self::Customer),
            "ADMIN" => Some(Self::Admin),
            _ => None,
        }
    }

    /// The access token's `scope` claim. An admin is a customer too, so an
    /// admin can also shop.
    pub fn scopes(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Admin => "customer admin",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_grant_their_scopes() {
        for role in [Role::Customer, Role::Admin] {
            assert_eq!(Role::from_db(role.as_db()), Some(role));
        }
        assert_eq!(Role::from_db("ROOT"), None);
        assert!(
            Role::Admin
                .scopes()
                .split(' ')
                .any(|s| s == platform::auth::ADMIN_SCOPE)
        );
        assert!(
            !Role::Customer
                .scopes()
                .contains(platform::auth::ADMIN_SCOPE)
        );
    }
}
