//! Tells the test targets which real backends CI switched on, as cfgs
//! (`backend_postgres`, `backend_redis`, `backend_rabbitmq`), so a fault
//! test whose backend is off is compiled as `#[ignore]` and shows up as
//! ignored in `cargo test`'s output instead of returning early as a pass.
//! Cargo rebuilds when a switch changes.

fn main() {
    for (variable, cfg) in [
        ("TEST_DATABASE_URL", "backend_postgres"),
        ("TEST_REDIS_URL", "backend_redis"),
        ("TEST_AMQP_URL", "backend_rabbitmq"),
    ] {
        println!("cargo::rerun-if-env-changed={variable}");
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if std::env::var(variable).is_ok_and(|v| !v.is_empty()) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
