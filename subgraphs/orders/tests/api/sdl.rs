//! The checked-in SDL matches the code.

#[test]
fn the_checked_in_sdl_matches_the_schema() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema/orders.graphql");
    let sdl = orders::sdl();
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    if checked_in != sdl {
        std::fs::write(path, &sdl).expect("schema/orders.graphql is writable");
        panic!("schema/orders.graphql was out of date and has been rewritten; commit it");
    }
    for expected in [
        "type Order @key(fields: \"id\")",
        "orderStatusChanged(orderId: ID!)",
        "salesCount",
        "@requiresScopes",
        "@authenticated",
    ] {
        assert!(sdl.contains(expected), "the SDL lacks {expected}");
    }
}
