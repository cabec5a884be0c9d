//! Bounds on the shape of one GraphQL operation that the router and every
//! subgraph agree on, so that an operation the router admits is never
//! refused by a subgraph (which would show the client a null and a
//! subgraph's error instead of one clear refusal at the edge).

/// The deepest field nesting an operation may have, counted as
/// async-graphql's `limit_depth` counts it: a leaf field is one level,
/// fragments add none. The router refuses deeper client operations (its
/// `limits.max_depth` defaults to this) and every subgraph refuses deeper
/// ones. What the router sends a subgraph is never deeper than the client
/// operation it serves: a root fetch selects part of it, and an entity fetch
/// puts `_entities` (one level) in place of the one or more levels above
/// the entity. (Our keys and `@requires` selections are flat; a nested one
/// would add its own depth.)
pub const MAX_QUERY_DEPTH: usize = 20;

/// The deepest nesting of selection sets, fields' and fragments' alike, of
/// a client operation: room for every level to sit in one fragment. The
/// router's parser stops there.
pub const MAX_SELECTION_NESTING: usize = 2 * MAX_QUERY_DEPTH;

/// What a subgraph admits (async-graphql's `limit_recursive_depth`): an
/// entity fetch wraps what it selects in two more selection sets,
/// `_entities { ... on T { … } }`.
pub const SUBGRAPH_SELECTION_NESTING: usize = MAX_SELECTION_NESTING + 2;
