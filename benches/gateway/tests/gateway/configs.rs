//! The de-duplication-off configs of the gateway case are the benchmark's
//! configs with that one switch turned, so the on/off rows compare like
//! with like.

use serde_yaml::Value;

use crate::helpers::benches_dir;

fn config(name: &str) -> Value {
    let text = std::fs::read_to_string(benches_dir().join("config").join(name)).expect(name);
    serde_yaml::from_str(&text).expect(name)
}

#[test]
fn our_dedupe_off_config_differs_from_router_yaml_only_in_deduplicate_queries() {
    let mut off = config("router-no-dedupe.yaml");
    assert_eq!(off["deduplicate_queries"], Value::Bool(false));
    off["deduplicate_queries"] = Value::Bool(true);
    assert_eq!(off, config("router.yaml"));
}

#[test]
fn hive_dedupe_off_config_differs_from_hives_only_in_dedupe_enabled() {
    let mut off = config("hive-no-dedupe.router.config.yaml");
    let switch = &mut off["traffic_shaping"]["all"]["dedupe_enabled"];
    assert_eq!(*switch, Value::Bool(false));
    *switch = Value::Bool(true);
    assert_eq!(off, config("hive.router.config.yaml"));
}
