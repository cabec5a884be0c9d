//! The users service's internal HTTP API, as checkout calls it: the saved
//! address an order ships to (wire type in `contracts::address`).

use anyhow::Context;
use contracts::address::Address;
use platform::internal::INTERNAL_TOKEN_HEADER;
use reqwest::{StatusCode, Url};

#[derive(Clone)]
pub struct UsersClient {
    base: Url,
    token: String,
    http: reqwest::Client,
}

impl UsersClient {
    pub fn new(base: &str, token: &str) -> anyhow::Result<Self> {
        Ok(Self {
            base: Url::parse(base).with_context(|| format!("USERS_URL {base:?} is not a URL"))?,
            token: token.to_owned(),
            http: platform::internal::http_client("users")?,
        })
    }

    /// `user_id`'s address `address_id`, or `None` when there is no such
    /// address or it belongs to someone else.
    pub async fn address(
        &self,
        user_id: &str,
        address_id: &str,
    ) -> anyhow::Result<Option<Address>> {
        let mut url = self.base.clone();
        // Segments are percent-encoded, so no id can reach another route.
        url.path_segments_mut()
            .map_err(|()| anyhow::anyhow!("USERS_URL cannot be a base URL"))?
            .pop_if_empty()
            .extend(["internal", "users", user_id, "addresses", address_id]);
        let response = self
            .http
            .get(url)
            .header(INTERNAL_TOKEN_HEADER, &self.token)
            .send()
            .await
            .context("asking the users service for an address")?;
        if response.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        Ok(Some(
            response
                .error_for_status()
                .context("the users service refused the address lookup")?
                .json()
                .await
                .context("reading the users service's address")?,
        ))
    }
}
