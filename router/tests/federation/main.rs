//! Router end-to-end tests: the test's own federated subgraphs behind the
//! router, everything over HTTP.

mod helpers;
mod subgraphs;

#[test]
fn print_subgraph_sdls() {
    use async_graphql::SDLExportOptions;
    let options = || SDLExportOptions::new().federation();
    println!(
        "### accounts\n{}",
        subgraphs::accounts().sdl_with_options(options())
    );
    println!(
        "### products\n{}",
        subgraphs::products_schema().sdl_with_options(options())
    );
    println!(
        "### reviews\n{}",
        subgraphs::reviews_schema().sdl_with_options(options())
    );
    println!(
        "### inventory\n{}",
        subgraphs::inventory_schema().sdl_with_options(options())
    );
    println!(
        "### search\n{}",
        subgraphs::search_schema().sdl_with_options(options())
    );
}

mod queries;
