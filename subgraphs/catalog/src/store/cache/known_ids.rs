//! The Bloom filter against cache penetration: every product id that exists
//! is in it, so a lookup of an id it has never seen (a made-up or scanned
//! id) is answered "no such product" without touching the cache or the
//! database. It may answer "maybe" for an id that does not exist (about 1%
//! of them); those go on to the cached-empty-result path as before.
//!
//! Built by the `bloomfilter` crate (ISC, small, kept up to date) with a
//! random hash seed per process, so nobody can craft ids that all collide.
//!
//! Each process holds its own filter, also with Redis switched on and many
//! replicas: it is a few hundred kilobytes and checked on every lookup, so
//! a network round trip per check would cost more than it saves. Ids are
//! never deleted (archived products still exist), so a filter only ever
//! errs towards "maybe", never "no", for ids it was told about. What it was
//! not told about (a product created by another replica, or by
//! `shopgraph seed`) it learns from the database at the next sync
//! (`Catalog::sync_known_ids`, every `Settings::known_ids_sync`).

use std::sync::{Arc, RwLock};

use bloomfilter::Bloom;
use platform::sync::{read, write};

/// The share of unknown ids that still get a "maybe".
pub const FALSE_POSITIVE_RATE: f64 = 0.01;
/// The smallest capacity: 100 000 ids at 1% is about 120 KB.
const MIN_CAPACITY: usize = 100_000;

/// The filter, shared by its clones. A panic while holding its lock cannot
/// leave the bit vector half written in a way that loses ids, so a poisoned
/// lock is used as is (`platform::sync`).
#[derive(Clone)]
pub struct KnownIds(Arc<RwLock<Filter>>);

struct Filter {
    bloom: Bloom<str>,
    /// How many ids it was sized for; past that its error rate climbs, so
    /// the next sync rebuilds it larger.
    capacity: usize,
    inserted: usize,
}

impl Filter {
    /// A filter holding `ids`, sized for twice as many (room to grow).
    fn new(ids: &[&str]) -> anyhow::Result<Self> {
        let capacity = ids.len().saturating_mul(2).max(MIN_CAPACITY);
        let mut bloom = Bloom::new_for_fp_rate(capacity, FALSE_POSITIVE_RATE)
            .map_err(|e| anyhow::anyhow!("sizing the product id filter: {e}"))?;
        for &id in ids {
            bloom.set(id);
        }
        Ok(Self {
            bloom,
            capacity,
            inserted: ids.len(),
        })
    }
}

impl KnownIds {
    pub fn new(ids: &[&str]) -> anyhow::Result<Self> {
        Ok(Self(Arc::new(RwLock::new(Filter::new(ids)?))))
    }

    /// False only when `id` was certainly never inserted.
    pub fn might_exist(&self, id: &str) -> bool {
        read(&self.0).bloom.check(id)
    }

    /// Adds `id`. An id that already tests positive is not counted again
    /// (syncs re-insert recent ids), so the count slightly undercounts.
    pub fn insert(&self, id: &str) {
        let mut filter = write(&self.0);
        if !filter.bloom.check(id) {
            filter.bloom.set(id);
            filter.inserted += 1;
        }
    }

    /// Whether it holds more ids than it was sized for.
    pub fn is_overfull(&self) -> bool {
        let filter = read(&self.0);
        filter.inserted > filter.capacity
    }

    /// Replaces the whole filter with one holding `ids`. Ids inserted
    /// meanwhile and missing from `ids` are the caller's to re-insert.
    pub fn rebuild(&self, ids: &[&str]) -> anyhow::Result<()> {
        let fresh = Filter::new(ids)?;
        *write(&self.0) = fresh;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize, prefix: &str) -> Vec<String> {
        (0..n).map(|i| format!("{prefix}-{i}")).collect()
    }

    #[test]
    fn inserted_ids_are_always_found_and_few_others_are() {
        let known = ids(5_000, "known");
        let refs: Vec<&str> = known.iter().map(String::as_str).collect();
        let filter = KnownIds::new(&refs).expect("a filter");
        assert!(known.iter().all(|id| filter.might_exist(id)));
        let later = uuid::Uuid::new_v4().to_string();
        filter.insert(&later);
        assert!(filter.might_exist(&later));

        let unknown = ids(20_000, "unknown");
        let false_positives = unknown.iter().filter(|id| filter.might_exist(id)).count();
        // 1% is the target at full capacity; far below it here.
        assert!(false_positives < 400, "{false_positives} of 20000");
    }

    #[test]
    fn an_overfull_filter_says_so_and_a_rebuild_keeps_every_id() {
        let filter = KnownIds::new(&[]).expect("a filter");
        // A fifth over capacity, so that the ids it mistook for known ones
        // (not counted) cannot keep it under.
        let many = ids(MIN_CAPACITY * 6 / 5, "p");
        for id in &many {
            filter.insert(id);
        }
        assert!(filter.is_overfull());
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        filter.rebuild(&refs).expect("rebuilt");
        assert!(!filter.is_overfull());
        assert!(many.iter().all(|id| filter.might_exist(id)));
    }
}
