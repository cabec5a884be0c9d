//! What the search service consumes: the catalog's `product.changed`. It
//! publishes nothing (it owns no state others follow). What a change does
//! to the index is the service's (`service::indexing`); this module knows
//! the topic, the queue and the payload.

pub mod product_changed;
