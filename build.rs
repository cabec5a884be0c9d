//! Tells the test targets which real backends CI switched on, as cfgs, so a
//! fault test whose backend is off shows up as ignored (see
//! `crates/backend-switches`).

fn main() {
    backend_switches::emit();
}
