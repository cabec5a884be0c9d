//! Search requests as tantivy queries, built from terms and never parsed:
//! query text cannot inject query syntax.

use std::ops::Bound;

use tantivy::{
    Term,
    query::{
        AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, Query, RangeQuery,
        TermQuery,
    },
    schema::{Field, IndexRecordOption},
};

use super::{fields::Fields, tokenizer::query_terms};
use crate::domain::{SearchFilter, SearchRequest};

/// The query to run and, when there is query text, the part of it that
/// matches text (for highlighting).
pub struct Built {
    pub query: Box<dyn Query>,
    pub text: Option<Box<dyn Query>>,
}

pub fn build(fields: &Fields, request: &SearchRequest) -> Built {
    let text = request
        .text
        .as_ref()
        .map(|text| text_query(fields, &query_terms(text.as_ref())));
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        text.as_ref()
            .map_or_else(|| Box::new(AllQuery) as Box<dyn Query>, |q| q.box_clone()),
    )];
    // Filters decide membership only: a zero score keeps relevance the
    // text's alone.
    clauses.extend(filters(fields, &request.filter).into_iter().map(|q| {
        (
            Occur::Must,
            Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>,
        )
    }));
    Built {
        query: Box::new(BooleanQuery::new(clauses)),
        text,
    }
}

/// Every term must occur in some field; name matches weigh most. Text
/// without any term (only punctuation) matches nothing.
fn text_query(fields: &Fields, terms: &[String]) -> Box<dyn Query> {
    if terms.is_empty() {
        return Box::new(EmptyQuery);
    }
    let weighted = [
        (fields.name, 3.0),
        (fields.brand_text, 2.0),
        (fields.tags, 1.5),
        (fields.description, 1.0),
    ];
    let clauses = terms
        .iter()
        .map(|term| {
            let any_field = weighted
                .iter()
                .map(|&(field, boost)| {
                    let query = TermQuery::new(
                        Term::from_field_text(field, term),
                        IndexRecordOption::WithFreqs,
                    );
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(query), boost)) as Box<dyn Query>,
                    )
                })
                .collect();
            (
                Occur::Must,
                Box::new(BooleanQuery::new(any_field)) as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

fn filters(fields: &Fields, filter: &SearchFilter) -> Vec<Box<dyn Query>> {
    let mut queries: Vec<Box<dyn Query>> = Vec::new();
    if let Some(category) = &filter.category_id {
        queries.push(exact(fields.category_ids, category));
    }
    if let Some(brand) = &filter.brand {
        queries.push(exact(fields.brand, brand));
    }
    if filter.price.min().is_some() || filter.price.max().is_some() {
        let bound = |value: Option<i64>| {
            value.map_or(Bound::Unbounded, |v| {
                Bound::Included(Term::from_field_i64(fields.min_price, v))
            })
        };
        queries.push(Box::new(RangeQuery::new(
            bound(filter.price.min()),
            bound(filter.price.max()),
        )));
    }
    if let Some(in_stock) = filter.in_stock {
        queries.push(Box::new(TermQuery::new(
            Term::from_field_bool(fields.in_stock, in_stock),
            IndexRecordOption::Basic,
        )));
    }
    queries
}

pub fn exact(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}
