//! Small helpers for reading service configuration from the environment.
//!
//! Each service has its own typed `Settings`; these helpers keep the parsing
//! (and its error messages) the same everywhere.

use std::{net::SocketAddr, path::PathBuf, str::FromStr, time::Duration};

use anyhow::Context;

/// The value of `name`, or `None` when it is unset or empty.
pub fn env_opt(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The value of `name` parsed as `T`, or `default` when unset.
pub fn env_parse<T>(name: &str, default: T) -> anyhow::Result<T>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    match env_opt(name) {
        None => Ok(default),
        Some(raw) => raw
            .parse()
            .map_err(|e| anyhow::anyhow!("{name}={raw:?} is not valid: {e}")),
    }
}

/// A boolean switch from `name`: 1/true/yes/on or 0/false/no/off (any
/// case), `default` when unset.
pub fn env_flag(name: &str, default: bool) -> anyhow::Result<bool> {
    match env_opt(name)
        .map(|v| v.trim().to_ascii_lowercase())
        .as_deref()
    {
        None => Ok(default),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some(other) => anyhow::bail!("{name}={other:?} is not a boolean (use 1 or 0)"),
    }
}

/// A listen address from `name`, defaulting to `127.0.0.1:<port>`.
pub fn listen_addr(name: &str, default_port: u16) -> anyhow::Result<SocketAddr> {
    env_parse(name, SocketAddr::from(([127, 0, 0, 1], default_port)))
}

/// A duration in seconds from `name`.
pub fn env_secs(name: &str, default: Duration) -> anyhow::Result<Duration> {
    let secs: f64 = env_parse(name, default.as_secs_f64())?;
    if !(secs.is_finite() && secs >= 0.0) {
        anyhow::bail!("{name} must be a non-negative number of seconds");
    }
    Ok(Duration::from_secs_f64(secs))
}

/// The directory that embedded backends keep their files in (`./data` unless
/// `SHOPGRAPH_DATA_DIR` says otherwise); created on demand.
pub fn data_dir() -> anyhow::Result<PathBuf> {
    let dir = PathBuf::from(env_opt("SHOPGRAPH_DATA_DIR").unwrap_or_else(|| "data".into()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

/// `DATABASE_URL`, or else the embedded SQLite file of `service`.
pub fn database_url(service: &str) -> anyhow::Result<String> {
    match env_opt("DATABASE_URL") {
        Some(url) => Ok(url),
        None => embedded_database_url(service),
    }
}

/// The embedded SQLite URL for `service`, a file under the data directory.
pub fn embedded_database_url(service: &str) -> anyhow::Result<String> {
    let path = data_dir()?.join(format!("{service}.db"));
    Ok(format!("sqlite://{}?mode=rwc", path.display()))
}
