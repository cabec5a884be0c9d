//! A real backend reached through a [`TcpProxy`] the test can cut: the
//! service under test gets the backend's URL with its host:port replaced
//! by the proxy's, so credentials, database and vhost stay as they were.

use std::net::SocketAddr;

use anyhow::Context;

use crate::events::proxy::TcpProxy;

/// The URL a service connects to, and the proxy that can cut it.
pub struct Proxied {
    pub url: String,
    pub proxy: TcpProxy,
}

/// Starts a proxy to the server `url` names; returns `url` pointed at it.
pub async fn proxied(url: &str) -> anyhow::Result<Proxied> {
    let proxy = TcpProxy::start(server_addr(url)?).await?;
    Ok(Proxied {
        url: through(url, proxy.addr())?,
        proxy,
    })
}

/// `url` with its host:port replaced by `addr`: for another URL to the
/// server an existing proxy already stands in front of.
pub fn through(url: &str, addr: SocketAddr) -> anyhow::Result<String> {
    let parts = Parts::of(url)?;
    let at = if parts.auth.is_empty() {
        String::new()
    } else {
        format!("{}@", parts.auth)
    };
    Ok(format!("{}://{at}{addr}{}", parts.scheme, parts.path))
}

/// The address of the server `url` names (its scheme's port if it names
/// none).
fn server_addr(url: &str) -> anyhow::Result<SocketAddr> {
    let parts = Parts::of(url)?;
    let host = parts.host.replace("localhost", "127.0.0.1");
    let host = match (host.contains(':'), default_port(parts.scheme)) {
        (false, Some(port)) => format!("{host}:{port}"),
        _ => host,
    };
    host.parse()
        .with_context(|| format!("{url} names an IP address and port"))
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "amqp" => Some(5672),
        "redis" => Some(6379),
        "postgres" | "postgresql" => Some(5432),
        _ => None,
    }
}

/// `scheme://auth@host/path`, split; `path` keeps its leading `/`.
struct Parts<'a> {
    scheme: &'a str,
    auth: &'a str,
    host: &'a str,
    path: &'a str,
}

impl<'a> Parts<'a> {
    fn of(url: &'a str) -> anyhow::Result<Self> {
        let (scheme, rest) = url
            .split_once("://")
            .with_context(|| format!("{url} is not a URL"))?;
        let (auth, rest) = rest.rsplit_once('@').unwrap_or(("", rest));
        let (host, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        Ok(Self {
            scheme,
            auth,
            host,
            path,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn through_keeps_credentials_and_path() {
        let addr: SocketAddr = "127.0.0.1:7000".parse().unwrap();
        assert_eq!(
            through("amqp://guest:guest@localhost:5672/%2f", addr).unwrap(),
            "amqp://guest:guest@127.0.0.1:7000/%2f"
        );
        assert_eq!(
            through("http://127.0.0.1:4002", addr).unwrap(),
            "http://127.0.0.1:7000"
        );
    }

    #[test]
    fn the_server_is_the_url_host_or_its_scheme_port() {
        assert_eq!(
            server_addr("postgres://root@127.0.0.1:5433/db").unwrap(),
            "127.0.0.1:5433".parse().unwrap()
        );
        assert_eq!(
            server_addr("amqp://guest:guest@localhost/%2f").unwrap(),
            "127.0.0.1:5672".parse().unwrap()
        );
        assert!(server_addr("redis://cache.internal:6379").is_err());
    }
}
