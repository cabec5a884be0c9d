//! The running search service's `POST /internal/reindex` (see
//! `schema::internal`), for a reindex asked for while that service holds the
//! (tantivy) index.

use std::{net::SocketAddr, time::Duration};

use anyhow::Context;
use platform::internal::INTERNAL_TOKEN_HEADER;

/// `POST /internal/reindex` on the service listening at `listen_addr`;
/// returns how many products are searchable afterwards.
pub async fn reindex(listen_addr: SocketAddr, token: Option<&str>) -> anyhow::Result<u64> {
    let token =
        token.context("INTERNAL_TOKEN is needed to ask the running search service to reindex")?;
    let mut addr = listen_addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/internal/reindex"))
        .header(INTERNAL_TOKEN_HEADER, token)
        .timeout(Duration::from_secs(30 * 60))
        .send()
        .await
        .with_context(|| format!("asking the search service at {addr} to reindex"))?;
    let status = response.status();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    if !status.is_success() {
        anyhow::bail!("the search service answered {status}: {body}");
    }
    body["searchable"]
        .as_u64()
        .context("the search service's answer has no count")
}
