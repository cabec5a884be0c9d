//! The demo accounts (README states their credentials).

use std::sync::Arc;

use platform::db::Db;

use crate::{
    domain::{AddressInputRaw, Email, Password, PersonName, Role},
    metrics::Metrics,
    service::{
        Services, accounts, address_book, auth::tokens::TokenIssuer, error::Error,
        login_throttle::LoginThrottle,
    },
    settings::{DEFAULT_ACCESS_TOKEN_TTL, DEFAULT_REFRESH_TOKEN_TTL},
    store::{signing_key, users},
};

pub const DEMO_CUSTOMER_EMAIL: &str = "customer@shopgraph.dev";
pub const DEMO_CUSTOMER_PASSWORD: &str = "customer-pass-1";
pub const DEMO_ADMIN_EMAIL: &str = "admin@shopgraph.dev";
pub const DEMO_ADMIN_PASSWORD: &str = "admin-pass-1";

/// Creates the demo customer (with a default address) and the demo admin,
/// each only if no account has its email: running it again changes nothing.
/// For `shopgraph seed users`, outside a running service.
pub async fn seed_demo(db: &Db) -> anyhow::Result<()> {
    let tokens = TokenIssuer::new(
        Arc::new(signing_key::load_or_create(db).await?),
        DEFAULT_ACCESS_TOKEN_TTL,
        DEFAULT_REFRESH_TOKEN_TTL,
    );
    let services = Services {
        db: db.clone(),
        tokens: Arc::new(tokens),
        metrics: Arc::new(Metrics::new()?),
        // Seeding freezes no one.
        revocations: platform::auth::revocations::connect(None)?,
        // Nor logs anyone in.
        login_throttle: Arc::new(LoginThrottle::new(
            platform::attempts::connect(None)?,
            Default::default(),
        )),
    };
    seed_with(&services).await
}

/// [`seed_demo`] through the services a starting App already has.
pub(crate) async fn seed_with(services: &Services) -> anyhow::Result<()> {
    let customer = ensure(
        services,
        DEMO_CUSTOMER_EMAIL,
        "Demo Customer 演示顾客",
        DEMO_CUSTOMER_PASSWORD,
        Role::Customer,
    )
    .await?;
    if let Some(user_id) = customer {
        let address = AddressInputRaw {
            recipient: "Demo Customer".into(),
            phone: Some("+86 21 5555 0100".into()),
            line1: "100 Century Avenue".into(),
            line2: None,
            city: "上海".into(),
            region: Some("Pudong".into()),
            postal_code: Some("200120".into()),
            country: "CN".into(),
        };
        address_book::add(services, &user_id, address, true)
            .await
            .map_err(into_anyhow)?;
    }
    ensure(
        services,
        DEMO_ADMIN_EMAIL,
        "Demo Admin",
        DEMO_ADMIN_PASSWORD,
        Role::Admin,
    )
    .await?;
    Ok(())
}

/// The new user's id, or `None` when the account already existed.
async fn ensure(
    services: &Services,
    email: &str,
    name: &str,
    password: &str,
    role: Role,
) -> anyhow::Result<Option<String>> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!(e.message))?;
    if users::by_email(&services.db, email.as_ref())
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let name = PersonName::parse(name).map_err(|e| anyhow::anyhow!(e.message))?;
    let password = Password::parse(password, "password").map_err(|e| anyhow::anyhow!(e.message))?;
    match accounts::create_user(services, &email, &name, &password, role).await {
        Ok((user, _)) => {
            tracing::info!(email = email.as_ref(), "created demo account");
            Ok(Some(user.id))
        }
        // Another replica seeded it in between.
        Err(Error::Rejected(errors)) if errors.iter().any(|e| e.code == "EMAIL_TAKEN") => Ok(None),
        Err(e) => Err(into_anyhow(e)),
    }
}

fn into_anyhow(error: Error) -> anyhow::Error {
    match error {
        Error::Internal(e) => e,
        rejected => anyhow::anyhow!("seeding refused: {rejected}"),
    }
}
