//! Orders hits by the requested sort, ties broken by product id so that
//! pages are stable and both backends agree.

use std::cmp::Reverse;

use tantivy::{
    DocId, Score, SegmentReader,
    collector::{ScoreSegmentTweaker, ScoreTweaker},
    columnar::Column,
};

use crate::domain::SortOrder;

/// Greater sorts first: `primary`, then `secondary` (best sellers first
/// among equally relevant products), then the smaller id; `score` rides
/// along to be reported.
#[derive(Clone, Debug, PartialEq, PartialOrd)]
pub struct SortKey {
    primary: f64,
    secondary: i64,
    tiebreak: Reverse<(u64, u64)>,
    pub score: Score,
}

pub struct Sort(pub SortOrder);

impl ScoreTweaker<SortKey> for Sort {
    type Child = SegmentSort;

    fn segment_tweaker(&self, reader: &SegmentReader) -> tantivy::Result<SegmentSort> {
        let fast = reader.fast_fields();
        let primary = match self.0 {
            SortOrder::Relevance => None,
            SortOrder::PriceAsc | SortOrder::PriceDesc => Some(fast.i64("min_price")?),
            SortOrder::Newest => Some(fast.i64("created_at")?),
            SortOrder::Sales => Some(fast.i64("sales_count")?),
        };
        let sales = match self.0 {
            SortOrder::Relevance => Some(fast.i64("sales_count")?),
            _ => None,
        };
        Ok(SegmentSort {
            order: self.0,
            primary,
            sales,
            id_hi: fast.u64("id_hi")?,
            id_lo: fast.u64("id_lo")?,
        })
    }
}

pub struct SegmentSort {
    order: SortOrder,
    primary: Option<Column<i64>>,
    sales: Option<Column<i64>>,
    id_hi: Column<u64>,
    id_lo: Column<u64>,
}

impl ScoreSegmentTweaker<SortKey> for SegmentSort {
    fn score(&mut self, doc: DocId, score: Score) -> SortKey {
        let value = self
            .primary
            .as_ref()
            .map(|column| column.first(doc).unwrap_or_default() as f64);
        let primary = match (self.order, value) {
            (SortOrder::PriceAsc, Some(price)) => -price,
            (_, Some(value)) => value,
            // Scores equal up to float noise (which depends on how the
            // index is split into segments) count as ties.
            (_, None) => (f64::from(score) * 1e4).round(),
        };
        SortKey {
            primary,
            secondary: self
                .sales
                .as_ref()
                .and_then(|column| column.first(doc))
                .unwrap_or_default(),
            tiebreak: Reverse((
                self.id_hi.first(doc).unwrap_or(u64::MAX),
                self.id_lo.first(doc).unwrap_or(u64::MAX),
            )),
            score,
        }
    }
}
