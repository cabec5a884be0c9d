//! Failed logins, counted per account and per client, refuse further
//! attempts for the rest of their window. The check runs before the
//! password hash is computed: argon2 costs tens of milliseconds of CPU per
//! attempt, so an unchecked flood of logins is also a way to exhaust it.

use std::{net::IpAddr, sync::Arc, time::Duration};

use platform::attempts::AttemptCounter;
use sha2::{Digest, Sha256};

use crate::{domain::Email, settings::LoginThrottleSettings};

/// Login refused until `retry_after` has passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Throttled {
    pub retry_after: Duration,
    pub per: Scope,
}

/// Whose failures ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Account,
    Client,
}

pub struct LoginThrottle {
    counter: Arc<dyn AttemptCounter>,
    settings: LoginThrottleSettings,
}

/// One login attempt's keys.
pub struct Attempt {
    account: String,
    client: Option<String>,
}

impl LoginThrottle {
    pub fn new(counter: Arc<dyn AttemptCounter>, settings: LoginThrottleSettings) -> Self {
        Self { counter, settings }
    }

    /// Whether a client at `client` (the peer, or the address the router
    /// forwarded when it is trusted) may try `email` now.
    pub fn attempt(&self, email: &str, client: &platform::server::ClientAddress) -> Attempt {
        // The email as lookups see it, hashed: a fixed-length key that does
        // not put addresses into Redis. An unparsable one is still counted.
        let email = Email::parse(email)
            .map(|e| e.as_ref().to_owned())
            .unwrap_or_else(|_| email.trim().to_lowercase());
        let prefix = &self.settings.key_prefix;
        Attempt {
            account: format!("{prefix}:account:{}", hex::encode(Sha256::digest(email))),
            client: client
                .client(self.settings.trust_forwarded_for)
                .map(|ip: IpAddr| format!("{prefix}:client:{ip}")),
        }
    }

    /// Refuses the attempt when its account or client has no failures
    /// left. A counter that cannot be read lets it through: login stays
    /// open while Redis is down.
    pub async fn check(&self, attempt: &Attempt) -> Result<(), Throttled> {
        let limits = [
            (
                Some(&attempt.account),
                self.settings.max_failures_per_account,
                Scope::Account,
            ),
            (
                attempt.client.as_ref(),
                self.settings.max_failures_per_client,
                Scope::Client,
            ),
        ];
        for (key, max, per) in limits {
            let Some(key) = key else { continue };
            match self.counter.tally(key).await {
                Ok(Some(tally)) if tally.count >= max => {
                    return Err(Throttled {
                        retry_after: tally.resets_in,
                        per,
                    });
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(error.cause_chain = ?error, "login throttle unavailable; not checked");
                }
            }
        }
        Ok(())
    }

    /// Counts a failed attempt against its account and client.
    pub async fn failed(&self, attempt: &Attempt) {
        for key in std::iter::once(&attempt.account).chain(attempt.client.as_ref()) {
            if let Err(error) = self.counter.record(key, self.settings.window).await {
                tracing::warn!(error.cause_chain = ?error, "a failed login was not counted");
            }
        }
    }

    /// A successful login clears its account's failures; the client's stay
    /// (one right password must not reset a spray across many accounts).
    pub async fn succeeded(&self, attempt: &Attempt) {
        if let Err(error) = self.counter.clear(&attempt.account).await {
            tracing::warn!(error.cause_chain = ?error, "login failures not cleared");
        }
    }
}
