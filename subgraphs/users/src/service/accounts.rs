//! Accounts: sign-up, login, profile and password changes.

use platform::server::ClientAddress;

use super::{
    Services,
    sessions::{self, Session, account_frozen},
};
use crate::{
    domain::{Email, Invalid, Password, PersonName, Role},
    service::{
        auth::password,
        error::{Error, Result},
    },
    store::{
        refresh_tokens,
        users::{self, EMAIL_KEY, NewUser, UserRow},
    },
};

fn email_taken() -> Error {
    Error::rejected(
        "EMAIL_TAKEN",
        Some("email"),
        "an account with this email exists",
    )
}

/// Every problem with a sign-up form at once, or the parsed values.
fn parse_sign_up(email: &str, name: &str, password: &str) -> Result<(Email, PersonName, Password)> {
    let (email, name, password) = (
        Email::parse(email),
        PersonName::parse(name),
        Password::parse(password, "password"),
    );
    match (email, name, password) {
        (Ok(email), Ok(name), Ok(password)) => Ok((email, name, password)),
        (email, name, password) => {
            let errors: Vec<Invalid> = [email.err(), name.err(), password.err()]
                .into_iter()
                .flatten()
                .collect();
            Err(errors.into())
        }
    }
}

/// Creates an account (no session); used by sign-up and by the demo seed.
pub async fn create_user(
    services: &Services,
    email: &Email,
    name: &PersonName,
    password: &Password,
    role: Role,
) -> Result<(UserRow, String)> {
    let password_hash = password::hash(password.as_ref().to_owned()).await?;
    let mut tx = services.db.begin_write().await?;
    let new = NewUser {
        email: email.as_ref(),
        name: name.as_ref(),
        password_hash: &password_hash,
        role,
    };
    let user = match users::insert(&mut tx, &new).await {
        Ok(user) => user,
        Err(e) if platform::db::is_unique_violation(&e, EMAIL_KEY) => return Err(email_taken()),
        Err(e) => return Err(e.into()),
    };
    let refresh = sessions::start_family(services, &mut tx, &user.id).await?;
    tx.commit().await?;
    Ok((user, refresh))
}

pub async fn sign_up(
    services: &Services,
    email: &str,
    name: &str,
    password: &str,
) -> Result<Session> {
    let (email, name, password) = parse_sign_up(email, name, password)?;
    // Checked first to spare the hashing; the unique constraint still
    // decides when two sign-ups race.
    if users::by_email(&services.db, email.as_ref())
        .await?
        .is_some()
    {
        return Err(email_taken());
    }
    let (user, refresh) = create_user(services, &email, &name, &password, Role::Customer).await?;
    sessions::session(services, user, refresh)
}

/// A wrong password, an unknown email and a malformed email all get this,
/// so the answer does not tell which accounts exist.
fn invalid_credentials() -> Error {
    Error::rejected(
        "INVALID_CREDENTIALS",
        None,
        "the email or password is wrong",
    )
}

/// Logs in, unless `client` or the account has run out of failed attempts
/// (checked before the password hash is computed).
pub async fn login(
    services: &Services,
    email: &str,
    password: &str,
    client: &ClientAddress,
) -> Result<Session> {
    let throttle = &services.login_throttle;
    let attempt = throttle.attempt(email, client);
    throttle.check(&attempt).await.map_err(Error::Throttled)?;
    let user = match Email::parse(email) {
        Ok(email) => users::by_email(&services.db, email.as_ref()).await?,
        Err(_) => None,
    };
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    // An unknown email is verified against a decoy hash, so that it takes
    // as long as a wrong password.
    let verified = password::verify(password.to_owned(), stored).await?;
    let user = match user {
        Some(user) if verified => user,
        _ => {
            throttle.failed(&attempt).await;
            return Err(invalid_credentials());
        }
    };
    throttle.succeeded(&attempt).await;
    if user.is_frozen() {
        return Err(account_frozen());
    }
    let mut tx = services.db.begin_write().await?;
    let refresh = sessions::start_family(services, &mut tx, &user.id).await?;
    tx.commit().await?;
    sessions::session(services, user, refresh)
}

pub async fn update_profile(services: &Services, user: &UserRow, name: &str) -> Result<UserRow> {
    let name = PersonName::parse(name)?;
    if !users::update_name(&services.db, &user.id, name.as_ref()).await? {
        return Err(Error::not_found("id", "user"));
    }
    Ok(UserRow {
        name: name.as_ref().to_owned(),
        ..user.clone()
    })
}

/// Changes the password after checking the current one, signs out every
/// other session (all refresh-token families) and starts a fresh one.
pub async fn change_password(
    services: &Services,
    user: &UserRow,
    current: &str,
    new: &str,
) -> Result<Session> {
    let new = Password::parse(new, "newPassword")?;
    if !password::verify(current.to_owned(), Some(user.password_hash.clone())).await? {
        return Err(Error::rejected(
            "INVALID_CREDENTIALS",
            Some("currentPassword"),
            "the current password is wrong",
        ));
    }
    let password_hash = password::hash(new.as_ref().to_owned()).await?;
    let mut tx = services.db.begin_write().await?;
    users::update_password_hash(&mut tx, &user.id, &password_hash).await?;
    refresh_tokens::revoke_user(&mut tx, &user.id).await?;
    let refresh = sessions::start_family(services, &mut tx, &user.id).await?;
    tx.commit().await?;
    let user = UserRow {
        password_hash,
        ..user.clone()
    };
    sessions::session(services, user, refresh)
}
