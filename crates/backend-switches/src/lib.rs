//! Tells a crate's test targets which real backends CI switched on, as
//! cfgs (`backend_postgres`, `backend_redis`, `backend_rabbitmq`), so a test
//! that needs a backend that is off is compiled as `#[ignore]` and shows up
//! as ignored in `cargo test`'s output instead of returning early as a
//! pass:
//!
//! ```text
//! #[cfg_attr(not(backend_redis), ignore = "TEST_REDIS_URL is not set")]
//! ```
//!
//! With a switch on the test runs, and fails if the backend is missing.
//! Each crate with such tests calls [`emit`] from its `build.rs` (a
//! build-dependency) rather than carrying a copy of this loop.

/// The switches: the environment variable and the cfg it turns on.
const SWITCHES: [(&str, &str); 3] = [
    ("TEST_DATABASE_URL", "backend_postgres"),
    ("TEST_REDIS_URL", "backend_redis"),
    ("TEST_AMQP_URL", "backend_rabbitmq"),
];

/// Prints the cargo directives of every switch: the cfg is declared (so
/// `check-cfg` knows it), set when its variable is set (blank counts as unset, as for
/// `platform::config::env_opt`, which the tests read it with), and cargo
/// reruns the build script when a variable changes.
pub fn emit() {
    for (variable, cfg) in SWITCHES {
        println!("cargo::rerun-if-env-changed={variable}");
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if std::env::var(variable).is_ok_and(|v| !v.trim().is_empty()) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
