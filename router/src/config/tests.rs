//! router.yaml and the router's settings: parsing, defaults and the files
//! checked in.

use super::*;

mod parsing {
    use super::*;

    #[test]
    fn router_yaml_rejects_unknown_keys_and_fills_defaults() {
        let config = RouterConfig::parse(
            "introspection: false\nlimits:\n  max_depth: 5\nsubgraphs:\n  timeout_ms: 100\n  overrides:\n    users:\n      timeout_ms: 50\n",
        )
        .expect("valid config");
        assert!(!config.introspection);
        assert_eq!(config.limits.max_depth, 5);
        assert_eq!(config.limits.max_aliases, Limits::default().max_aliases);
        assert_eq!(config.subgraphs.timeout("users"), Duration::from_millis(50));
        assert_eq!(
            config.subgraphs.timeout("orders"),
            Duration::from_millis(100)
        );
        assert!(RouterConfig::parse("limits:\n  max_dept: 5\n").is_err());
    }

    #[test]
    fn websocket_settings_parse_and_default_to_the_documented_values() {
        let defaults = RouterConfig::parse("{}").expect("valid config").websocket;
        assert_eq!(
            (
                defaults.connection_init_timeout_ms,
                defaults.keep_alive_interval_ms,
                defaults.max_subscriptions_per_socket
            ),
            (10_000, 15_000, 100)
        );
        let config = RouterConfig::parse(
            "websocket:\n  connection_init_timeout_ms: 300\n  max_subscriptions_per_socket: 2\n",
        )
        .expect("valid config");
        assert_eq!(config.websocket.connection_init_timeout_ms, 300);
        assert_eq!(config.websocket.max_subscriptions_per_socket, 2);
        assert_eq!(config.websocket.keep_alive_interval_ms, 15_000);
        assert!(RouterConfig::parse("websocket:\n  init_timeout: 5\n").is_err());
    }

    #[test]
    fn a_depth_limit_the_planner_cannot_parse_is_refused() {
        let at_most = crate::plan::MAX_NESTING;
        let config = RouterConfig::parse(&format!("limits:\n  max_depth: {at_most}\n"))
            .expect("the planner's own bound is fine");
        assert_eq!(config.limits.max_nesting(), at_most);
        let error = RouterConfig::parse(&format!("limits:\n  max_depth: {}\n", at_most + 1))
            .expect_err("deeper than the planner parses");
        assert_eq!(
            error.to_string(),
            format!(
                "limits.max_depth {} is deeper than the query planner can parse (at most {at_most})",
                at_most + 1
            )
        );
    }
}

mod checked_in {
    use std::path::Path;

    use super::{RouterConfig, RouterFiles, Settings};

    #[test]
    fn the_checked_in_router_yaml_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../router-config/router.yaml");
        let config = RouterConfig::load(&path).expect("router.yaml is valid");
        assert!(config.introspection);
    }

    #[test]
    fn checked_in_router_configs_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../router-config");
        for name in ["router.yaml", "router.production.yaml"] {
            let config =
                RouterConfig::load(&dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e:#}"));
            assert!(config.rate_limits.enabled, "{name}: rate limits are on");
            // The subgraphs refuse anything deeper (`platform::limits`).
            assert_eq!(
                config.limits.max_depth,
                platform::limits::MAX_QUERY_DEPTH,
                "{name}"
            );
        }
        let production = RouterConfig::load(&dir.join("router.production.yaml")).unwrap();
        assert!(!production.introspection && !production.playground);
    }

    #[test]
    fn files_named_on_the_command_line_are_read_and_watched() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let files = RouterFiles {
            supergraph: Some(root.join("schema/supergraph.graphql")),
            config: Some(root.join("router-config/router.production.yaml")),
        };
        let settings = Settings::from_env(files.clone()).expect("both files load");
        assert!(!settings.config.introspection, "the production router.yaml");
        assert!(settings.supergraph_sdl.contains("join__Graph"));
        assert_eq!(settings.supergraph_path, files.supergraph);
        assert_eq!(settings.config_path, files.config);
        let missing = RouterFiles {
            config: Some(root.join("router-config/missing.yaml")),
            ..files
        };
        assert!(
            Settings::from_env(missing).is_err(),
            "a named file must exist"
        );
    }
}
