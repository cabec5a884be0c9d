use async_graphql::{ID, SimpleObject, connection::PageInfo};

use super::{entities::Product, facets::ProductSearchFacets};
use crate::domain::{Cursor, SearchHit, SearchResults};

/// A page of search results (a Relay connection) with the size and facets
/// of the whole result set.
#[derive(SimpleObject)]
pub struct ProductSearchConnection {
    pub edges: Vec<ProductSearchEdge>,
    pub nodes: Vec<Product>,
    pub page_info: PageInfo,
    /// How many products match in all.
    pub total_count: u64,
    pub facets: ProductSearchFacets,
}

#[derive(Clone, Debug, SimpleObject)]
pub struct ProductSearchEdge {
    pub cursor: String,
    pub node: Product,
    /// How well the product matches the query (higher is better); the same
    /// for every product when there is no query.
    pub score: f64,
    pub highlights: ProductHighlights,
}

/// The matched words wrapped in `<em>`, other text HTML-escaped; null when
/// the field did not match.
#[derive(Clone, Debug, SimpleObject)]
pub struct ProductHighlights {
    pub name: Option<String>,
    pub description: Option<String>,
}

impl ProductSearchConnection {
    pub fn new(results: SearchResults, offset: usize) -> Self {
        let edges: Vec<ProductSearchEdge> = results
            .hits
            .into_iter()
            .enumerate()
            .map(|(at, hit)| edge(hit, offset + at))
            .collect();
        let end = offset + edges.len();
        Self {
            nodes: edges.iter().map(|e| e.node.clone()).collect(),
            page_info: PageInfo {
                has_previous_page: offset > 0,
                has_next_page: (end as u64) < results.total,
                start_cursor: edges.first().map(|e| e.cursor.clone()),
                end_cursor: edges.last().map(|e| e.cursor.clone()),
            },
            edges,
            total_count: results.total,
            facets: results.facets.into(),
        }
    }
}

fn edge(hit: SearchHit, position: usize) -> ProductSearchEdge {
    ProductSearchEdge {
        cursor: Cursor::new(position).encode(),
        node: Product { id: ID(hit.id) },
        score: f64::from(hit.score),
        highlights: ProductHighlights {
            name: hit.name_highlight,
            description: hit.description_highlight,
        },
    }
}
