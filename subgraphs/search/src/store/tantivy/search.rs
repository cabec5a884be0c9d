//! Running a search or a completion against one tantivy generation.

use anyhow::Context;
use tantivy::{
    DocAddress, Searcher, TantivyDocument,
    aggregation::{AggregationCollector, AggregationLimitsGuard, agg_req::Aggregations},
    collector::{Count, TopDocs},
    query::Query,
    schema::{Field, Value},
    snippet::SnippetGenerator,
};

use super::{
    fields::Fields,
    query::{self, build},
    sort::{Sort, SortKey},
};
use crate::{
    domain::{
        SearchHit, SearchRequest, SearchResults, SortOrder, SuggestPrefix, Suggestion, normalize,
    },
    store::aggs,
    store::analysis::SUGGEST_KEY_CHARS,
};

const NAME_SNIPPET_CHARS: usize = 200;
const DESCRIPTION_SNIPPET_CHARS: usize = 120;

pub fn search(
    searcher: &Searcher,
    fields: &Fields,
    request: &SearchRequest,
) -> anyhow::Result<SearchResults> {
    let built = build(fields, request);
    let aggregations: Aggregations =
        serde_json::from_value(aggs::request()).context("facet aggregation request")?;
    let facets = AggregationCollector::from_aggs(aggregations, AggregationLimitsGuard::default());
    // TopDocs needs a limit of at least one; a page of zero is cut after.
    let limit = request.page.limit();
    let top = TopDocs::with_limit(limit.max(1))
        .and_offset(request.page.offset())
        .tweak_score(Sort(request.sort));
    let (mut top, total, facets) = searcher
        .search(&built.query, &(top, Count, facets))
        .context("running the search")?;
    top.truncate(limit);

    let highlighters = match &built.text {
        Some(text) => Some((
            snippets(searcher, text.as_ref(), fields.name, NAME_SNIPPET_CHARS)?,
            snippets(
                searcher,
                text.as_ref(),
                fields.description,
                DESCRIPTION_SNIPPET_CHARS,
            )?,
        )),
        None => None,
    };
    let hits = top
        .into_iter()
        .map(|(key, address)| {
            let doc = searcher.doc::<TantivyDocument>(address)?;
            let (name_highlight, description_highlight) = match &highlighters {
                Some((name, description)) => (highlight(name, &doc), highlight(description, &doc)),
                None => (None, None),
            };
            Ok(SearchHit {
                id: text_of(&doc, fields.id).context("a hit without id")?,
                score: key.score,
                name_highlight,
                description_highlight,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let facets = aggs::parse(&serde_json::to_value(facets)?)?;
    Ok(SearchResults {
        hits,
        total: total as u64,
        facets,
    })
}

pub fn suggest(
    searcher: &Searcher,
    fields: &Fields,
    prefix: &SuggestPrefix,
    limit: usize,
) -> anyhow::Result<Vec<Suggestion>> {
    let prefix = prefix.as_ref();
    let key: String = prefix.chars().take(SUGGEST_KEY_CHARS).collect();
    // Extra candidates make up for names listed twice.
    let candidates =
        TopDocs::with_limit(limit.max(1).saturating_mul(4)).tweak_score(Sort(SortOrder::Sales));
    let top: Vec<(SortKey, DocAddress)> = searcher
        .search(&query::exact(fields.suggest, &key), &candidates)
        .context("looking up suggestions")?;
    let mut suggestions: Vec<Suggestion> = Vec::new();
    for (_, address) in top {
        let doc = searcher.doc::<TantivyDocument>(address)?;
        let (Some(id), Some(name)) = (text_of(&doc, fields.id), text_of(&doc, fields.name)) else {
            continue;
        };
        // Keys keep a name's first characters only; a longer prefix is
        // checked against the whole name.
        let fits = key.len() == prefix.len() || normalize(&name).contains(prefix);
        if fits && !suggestions.iter().any(|s| s.text == name) {
            suggestions.push(Suggestion {
                product_id: id,
                text: name,
            });
        }
        if suggestions.len() == limit {
            break;
        }
    }
    Ok(suggestions)
}

fn snippets(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    max_chars: usize,
) -> anyhow::Result<SnippetGenerator> {
    let mut generator =
        SnippetGenerator::create(searcher, query, field).context("preparing highlights")?;
    generator.set_max_num_chars(max_chars);
    Ok(generator)
}

fn highlight(generator: &SnippetGenerator, doc: &TantivyDocument) -> Option<String> {
    let mut snippet = generator.snippet_from_doc(doc);
    if snippet.highlighted().is_empty() {
        return None;
    }
    snippet.set_snippet_prefix_postfix("<em>", "</em>");
    Some(snippet.to_html())
}

fn text_of(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|value| value.as_str())
        .map(str::to_owned)
}
