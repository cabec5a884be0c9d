//! One tantivy index on disk with its reader and writer. A full reindex
//! builds a new generation beside the current one and swaps it in.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::Mutex,
};

use anyhow::Context;
use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, Term, collector::TopDocs, query::TermQuery,
    schema::IndexRecordOption,
};

use super::{
    fields::Fields,
    tokenizer::{INDEX_ANALYZER, analyzer},
};
use crate::{domain::ProductDocument, store::analysis::Mode};

/// Enough buffer that a full reindex of a large catalog flushes rarely.
const WRITER_MEMORY_BYTES: usize = 50_000_000;

pub struct Generation {
    pub name: String,
    pub dir: PathBuf,
    pub reader: IndexReader,
    pub fields: Fields,
    writer: Mutex<IndexWriter>,
}

impl Generation {
    pub fn create(root: &Path) -> anyhow::Result<Self> {
        let name = format!("gen-{}", uuid::Uuid::now_v7().simple());
        let dir = root.join(&name);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_dir(&dir, schema).context("creating the tantivy index")?;
        Self::start(name, dir, index, fields)
    }

    /// Opens an existing generation; `None` when its schema is not this
    /// version's (the caller then rebuilds).
    pub fn open(root: &Path, name: &str) -> anyhow::Result<Option<Self>> {
        let dir = root.join(name);
        if !dir.is_dir() {
            return Ok(None);
        }
        let index = Index::open_in_dir(&dir).context("opening the tantivy index")?;
        match Fields::of(&index.schema()) {
            Some(fields) => Self::start(name.to_owned(), dir, index, fields).map(Some),
            None => Ok(None),
        }
    }

    fn start(name: String, dir: PathBuf, index: Index, fields: Fields) -> anyhow::Result<Self> {
        index
            .tokenizers()
            .register(INDEX_ANALYZER, analyzer(Mode::Index));
        // Reloaded by hand after each commit, so a write is searchable as
        // soon as it returns.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .context("opening the index reader")?;
        let writer = index
            .writer_with_num_threads(1, WRITER_MEMORY_BYTES)
            .context(
                "opening the index writer (another process holds this index: stop the search \
                 service before reindexing its tantivy index)",
            )?;
        Ok(Self {
            name,
            dir,
            reader,
            fields,
            writer: Mutex::new(writer),
        })
    }

    /// Writes products (newest version of each wins, older than what is
    /// indexed are skipped) and removes `deleted`, then commits and reloads.
    pub fn write(&self, products: &[ProductDocument], deleted: &[String]) -> anyhow::Result<()> {
        let mut writer = self
            .writer
            .lock()
            .map_err(|_| anyhow::anyhow!("the index writer lock is poisoned"))?;
        let mut latest: HashMap<&str, &ProductDocument> = HashMap::new();
        for product in products {
            let newer = latest
                .get(product.id.as_str())
                .is_none_or(|seen| seen.updated_at <= product.updated_at);
            if newer {
                latest.insert(&product.id, product);
            }
        }
        for product in latest.into_values() {
            if self
                .indexed_version(&product.id)?
                .is_some_and(|indexed| indexed > product.updated_at)
            {
                continue;
            }
            writer.delete_term(Term::from_field_text(self.fields.id, &product.id));
            if product.is_searchable() {
                writer.add_document(self.fields.document(product))?;
            }
        }
        for id in deleted {
            writer.delete_term(Term::from_field_text(self.fields.id, id));
        }
        writer.commit().context("committing the index")?;
        self.reader.reload().context("reloading the index")?;
        Ok(())
    }

    /// Writes products and removes `deleted` without committing, for a
    /// rebuild (the caller keeps versions in order).
    pub fn stage(&self, products: &[&ProductDocument], deleted: &[String]) -> anyhow::Result<()> {
        let writer = self
            .writer
            .lock()
            .map_err(|_| anyhow::anyhow!("the index writer lock is poisoned"))?;
        for product in products {
            writer.delete_term(Term::from_field_text(self.fields.id, &product.id));
            if product.is_searchable() {
                writer.add_document(self.fields.document(product))?;
            }
        }
        for id in deleted {
            writer.delete_term(Term::from_field_text(self.fields.id, id));
        }
        Ok(())
    }

    pub fn commit(&self) -> anyhow::Result<()> {
        let mut writer = self
            .writer
            .lock()
            .map_err(|_| anyhow::anyhow!("the index writer lock is poisoned"))?;
        writer.commit().context("committing the index")?;
        self.reader.reload().context("reloading the index")?;
        Ok(())
    }

    /// The `updated_at` of the indexed version of product `id`.
    fn indexed_version(&self, id: &str) -> anyhow::Result<Option<i64>> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let Some((_, address)) = searcher
            .search(&query, &TopDocs::with_limit(1))?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        let column = searcher
            .segment_reader(address.segment_ord)
            .fast_fields()
            .i64("updated_at")?;
        Ok(column.first(address.doc_id))
    }
}
