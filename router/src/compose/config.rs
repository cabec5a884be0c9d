//! `supergraph.yaml` (the format Apollo's `rover supergraph compose` reads): each
//! subgraph's routing URL and where its SDL comes from, a file or `_service { sdl }`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use indexmap::IndexMap;
use serde::Deserialize;

use super::{SubgraphDefinition, compose};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupergraphConfig {
    /// Accepted for compatibility with rover's files; we always compose Federation 2.
    #[serde(default)]
    pub federation_version: Option<String>,
    pub subgraphs: IndexMap<String, SubgraphConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubgraphConfig {
    pub routing_url: String,
    pub schema: SchemaSource,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum SchemaSource {
    /// An SDL file, relative to the config file.
    File { file: PathBuf },
    /// Introspect the running subgraph with `{ _service { sdl } }`.
    Introspect {
        subgraph_url: String,
        #[serde(default)]
        introspection_headers: BTreeMap<String, String>,
    },
    /// The SDL inline.
    Sdl { sdl: String },
}

impl SupergraphConfig {
    pub fn from_yaml(text: &str) -> anyhow::Result<Self> {
        serde_yaml::from_str(text).context("invalid supergraph config")
    }
}

/// Reads the config at `path` and fetches every subgraph's SDL.
pub async fn load_subgraphs(path: impl AsRef<Path>) -> anyhow::Result<Vec<SubgraphDefinition>> {
    let path = path.as_ref();
    let text = tokio::fs::read_to_string(path)
        .await
        .with_context(|| format!("reading {}", path.display()))?;
    let config =
        SupergraphConfig::from_yaml(&text).with_context(|| format!("in {}", path.display()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut subgraphs = Vec::new();
    for (name, subgraph) in &config.subgraphs {
        let sdl = match &subgraph.schema {
            SchemaSource::File { file } => {
                let file = base.join(file);
                tokio::fs::read_to_string(&file).await.with_context(|| {
                    format!(
                        "reading the SDL of subgraph \"{name}\" from {}",
                        file.display()
                    )
                })?
            }
            SchemaSource::Introspect {
                subgraph_url,
                introspection_headers,
            } => introspect(subgraph_url, introspection_headers)
                .await
                .with_context(|| format!("introspecting subgraph \"{name}\" at {subgraph_url}"))?,
            SchemaSource::Sdl { sdl } => sdl.clone(),
        };
        subgraphs.push(SubgraphDefinition::new(
            name.clone(),
            subgraph.routing_url.clone(),
            sdl,
        ));
    }
    Ok(subgraphs)
}

/// Composes the subgraphs listed in the config at `path`; the error lists every
/// composition error, one per line.
pub async fn compose_from_config(path: impl AsRef<Path>) -> anyhow::Result<String> {
    let subgraphs = load_subgraphs(path).await?;
    match compose(&subgraphs) {
        Ok(supergraph) => {
            for hint in supergraph.hints() {
                tracing::warn!(%hint, "composition hint");
            }
            Ok(supergraph.into_sdl())
        }
        Err(errors) => {
            let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
            bail!(
                "composition failed with {} error(s):\n{}",
                errors.len(),
                lines.join("\n")
            )
        }
    }
}

/// Composes the config at `config` and writes the supergraph to `out` unless the file
/// already holds exactly that; returns whether it wrote. `shopgraph compose` uses it to
/// write schema/supergraph.graphql, and a drift test can assert it returns `false`.
pub async fn write_supergraph(
    config: impl AsRef<Path>,
    out: impl AsRef<Path>,
) -> anyhow::Result<bool> {
    let sdl = compose_from_config(config).await?;
    let out = out.as_ref();
    let current = match tokio::fs::read_to_string(out).await {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("reading {}", out.display())),
    };
    if current.as_deref() == Some(sdl.as_str()) {
        return Ok(false);
    }
    tokio::fs::write(out, &sdl)
        .await
        .with_context(|| format!("writing {}", out.display()))?;
    Ok(true)
}

async fn introspect(url: &str, headers: &BTreeMap<String, String>) -> anyhow::Result<String> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()?;
    let mut request = client.post(url).json(
        &serde_json::json!({ "query": "query SubgraphIntrospectQuery { _service { sdl } }" }),
    );
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let response = request.send().await?;
    let status = response.status();
    let body: serde_json::Value = response
        .json()
        .await
        .with_context(|| format!("the response ({status}) is not JSON"))?;
    if let Some(errors) = body.get("errors").filter(|e| !e.is_null()) {
        bail!("the subgraph answered with errors: {errors}");
    }
    match body.pointer("/data/_service/sdl").and_then(|v| v.as_str()) {
        Some(sdl) => Ok(sdl.to_owned()),
        None => bail!("the response ({status}) has no data._service.sdl"),
    }
}
