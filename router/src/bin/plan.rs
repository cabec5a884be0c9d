//! Dev tool: prints the query plan of an operation over a supergraph, and
//! on stderr how long building the planner and the (cold) plan took.
//!
//! `cargo run -p router --bin plan -- SUPERGRAPH.graphql (QUERY | @FILE) [--operation NAME] [--json]`

use anyhow::{Context, bail};
use router::plan::{HivePlanner, QueryPlanner};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut positional = Vec::new();
    let mut operation = None;
    let mut json = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--operation" => operation = Some(args.next().context("--operation needs a name")?),
            _ => positional.push(arg),
        }
    }
    let [supergraph, query] = positional.as_slice() else {
        bail!("usage: plan SUPERGRAPH.graphql (QUERY | @FILE) [--operation NAME] [--json]");
    };
    let sdl =
        std::fs::read_to_string(supergraph).with_context(|| format!("reading {supergraph}"))?;
    let query = match query.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?,
        None => query.clone(),
    };
    let started = std::time::Instant::now();
    let planner = HivePlanner::new(&sdl)?;
    let built = started.elapsed();
    let plan = planner.plan(&query, operation.as_deref())?;
    eprintln!(
        "planner built in {:.1} ms, cold plan in {:.1} ms",
        built.as_secs_f64() * 1e3,
        (started.elapsed() - built).as_secs_f64() * 1e3
    );
    if json {
        println!("{}", serde_json::to_string_pretty(&plan)?);
    } else {
        print!("{plan}");
    }
    Ok(())
}
