use async_graphql::{Context, ErrorExtensions, ID, Object, SimpleObject};
use platform::gql::{ErrorCode, internal};

use super::{
    connection::ProductSearchConnection,
    entities::Product,
    inputs::{ProductSearchFilter, ProductSearchSort},
};
use crate::{
    domain::{
        InputError, MAX_SUGGESTIONS, Page, SearchFilter, SearchRequest, SearchText, SuggestPrefix,
    },
    service::ProductSearch,
};

const DEFAULT_PAGE_SIZE: i32 = 20;
const DEFAULT_SUGGESTIONS: i32 = 10;

#[derive(Default)]
pub struct Query;

/// A completion for the search box.
#[derive(Clone, Debug, SimpleObject)]
pub struct ProductSuggestion {
    /// The product's name.
    pub text: String,
    pub product: Product,
}

#[Object]
impl Query {
    /// Full-text product search (Chinese and English) with filters, facets
    /// and sorting. Without a query (or an empty one) it browses the
    /// products that pass the filters. Query text is only ever words to
    /// find, never query syntax.
    async fn search_products(
        &self,
        ctx: &Context<'_>,
        query: Option<String>,
        filter: Option<ProductSearchFilter>,
        #[graphql(desc = "Default RELEVANCE.")] sort: Option<ProductSearchSort>,
        #[graphql(desc = "Default 20, at most 100.")] first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ProductSearchConnection> {
        let request = SearchRequest {
            text: SearchText::parse(query.as_deref()).map_err(bad_input)?,
            filter: SearchFilter::try_from(filter.unwrap_or_default()).map_err(bad_input)?,
            sort: sort.unwrap_or_default().into(),
            page: Page::parse(first.unwrap_or(DEFAULT_PAGE_SIZE), after.as_deref())
                .map_err(bad_input)?,
        };
        let results = search(ctx)?.search(&request).await.map_err(internal)?;
        Ok(ProductSearchConnection::new(results, request.page.offset()))
    }

    /// Product names that continue `prefix` (from the start of any word of
    /// the name, Chinese or English), best sellers first.
    async fn suggest_products(
        &self,
        ctx: &Context<'_>,
        prefix: String,
        #[graphql(desc = "Default 10, at most 20.")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<ProductSuggestion>> {
        let limit = usize::try_from(first.unwrap_or(DEFAULT_SUGGESTIONS))
            .ok()
            .filter(|n| *n <= MAX_SUGGESTIONS)
            .ok_or_else(|| {
                bad_input(InputError::new(
                    "first",
                    format!("must be between 0 and {MAX_SUGGESTIONS}"),
                ))
            })?;
        let Some(prefix) = SuggestPrefix::parse(&prefix).map_err(bad_input)? else {
            return Ok(Vec::new());
        };
        let suggestions = search(ctx)?
            .suggest(&prefix, limit)
            .await
            .map_err(internal)?;
        Ok(suggestions
            .into_iter()
            .map(|s| ProductSuggestion {
                text: s.text,
                product: Product {
                    id: ID(s.product_id),
                },
            })
            .collect())
    }
}

fn search<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a ProductSearch> {
    ctx.data::<ProductSearch>()
}

/// `BAD_USER_INPUT`, naming the argument at fault in `extensions.field`.
fn bad_input(error: InputError) -> async_graphql::Error {
    ErrorCode::BadUserInput
        .error(error.to_string())
        .extend_with(|_, ext| ext.set("field", error.field))
}
