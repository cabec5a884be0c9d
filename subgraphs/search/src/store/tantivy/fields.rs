//! The tantivy schema of the product index and how a product becomes a
//! tantivy document.

use tantivy::{
    TantivyDocument,
    schema::{
        FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
        TextOptions,
    },
};

use super::tokenizer::INDEX_ANALYZER;
use crate::{domain::ProductDocument, store::analysis::suggest_keys};

/// Every field of the index. Names match the Elasticsearch mapping's, and
/// the aggregation requests use them.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub id: Field,
    pub id_hi: Field,
    pub id_lo: Field,
    pub name: Field,
    pub description: Field,
    pub brand: Field,
    pub brand_text: Field,
    pub tags: Field,
    pub category_ids: Field,
    pub min_price: Field,
    pub max_price: Field,
    pub in_stock: Field,
    pub sales_count: Field,
    pub created_at: Field,
    pub updated_at: Field,
    pub suggest: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Self) {
        let mut builder = Schema::builder();
        let full_text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(INDEX_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Self {
            id: builder.add_text_field("id", STRING | STORED | FAST),
            id_hi: builder.add_u64_field("id_hi", FAST),
            id_lo: builder.add_u64_field("id_lo", FAST),
            name: builder.add_text_field("name", full_text.clone() | STORED),
            description: builder.add_text_field("description", full_text.clone() | STORED),
            brand: builder.add_text_field("brand", STRING | FAST),
            brand_text: builder.add_text_field("brand_text", full_text.clone()),
            tags: builder.add_text_field("tags", full_text),
            category_ids: builder.add_text_field("category_ids", STRING | FAST),
            min_price: builder.add_i64_field("min_price", INDEXED | FAST),
            max_price: builder.add_i64_field("max_price", INDEXED | FAST),
            in_stock: builder.add_bool_field("in_stock", INDEXED | FAST),
            sales_count: builder.add_i64_field("sales_count", FAST),
            created_at: builder.add_i64_field("created_at", FAST),
            updated_at: builder.add_i64_field("updated_at", FAST),
            // Every prefix of every suggestion key, so a completion is one
            // exact term lookup.
            suggest: builder.add_text_field("suggest", STRING),
        };
        (builder.build(), fields)
    }

    /// Binds the fields to an existing index's schema, if it is this one.
    pub fn of(schema: &Schema) -> Option<Self> {
        let (expected, fields) = Self::schema();
        (schema == &expected).then_some(fields)
    }

    pub fn document(&self, product: &ProductDocument) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_text(self.id, &product.id);
        let (hi, lo) = ProductDocument::id_key(&product.id);
        doc.add_u64(self.id_hi, hi);
        doc.add_u64(self.id_lo, lo);
        doc.add_text(self.name, &product.name);
        doc.add_text(self.description, &product.description);
        if let Some(brand) = product.brand.as_deref().filter(|b| !b.is_empty()) {
            doc.add_text(self.brand, brand);
            doc.add_text(self.brand_text, brand);
        }
        for tag in &product.tags {
            doc.add_text(self.tags, tag);
        }
        for category in product.all_category_ids() {
            doc.add_text(self.category_ids, category);
        }
        doc.add_i64(self.min_price, product.min_price);
        doc.add_i64(self.max_price, product.max_price);
        doc.add_bool(self.in_stock, product.in_stock);
        doc.add_i64(self.sales_count, product.sales_count);
        doc.add_i64(self.created_at, product.created_at);
        doc.add_i64(self.updated_at, product.updated_at);
        let mut prefixes: Vec<String> = suggest_keys(&product.name)
            .iter()
            .flat_map(|key| {
                key.char_indices()
                    .map(|(at, c)| key[..at + c.len_utf8()].to_owned())
                    .collect::<Vec<_>>()
            })
            .collect();
        prefixes.sort();
        prefixes.dedup();
        for prefix in prefixes {
            doc.add_text(self.suggest, prefix);
        }
        doc
    }
}
