//! jieba as a tantivy tokenizer, and the analyzers built on it.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

use crate::store::analysis::{Mode, words};

/// The analyzer name that the schema's full-text fields are indexed with.
pub const INDEX_ANALYZER: &str = "shopgraph_index";

/// Words longer than this (in bytes) are noise, not something one searches.
const MAX_TOKEN_BYTES: usize = 64;

/// jieba segmentation, then lowercasing and English stemming, so that "蓝牙",
/// "Shoes" and "shoe" become the terms "蓝牙", "shoe" and "shoe". Stemming
/// leaves Chinese words alone.
pub fn analyzer(mode: Mode) -> TextAnalyzer {
    TextAnalyzer::builder(JiebaTokenizer::new(mode))
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The terms a query text becomes: the query-mode analysis of `text`.
pub fn query_terms(text: &str) -> Vec<String> {
    let mut analyzer = analyzer(Mode::Query);
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while let Some(token) = stream.next() {
        if !terms.contains(&token.text) {
            terms.push(token.text.clone());
        }
    }
    terms
}

#[derive(Clone)]
pub struct JiebaTokenizer {
    mode: Mode,
}

impl JiebaTokenizer {
    pub fn new(mode: Mode) -> Self {
        Self { mode }
    }
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = JiebaTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> JiebaTokenStream {
        let tokens: Vec<Token> = words(text, self.mode)
            .into_iter()
            .enumerate()
            .map(|(position, word)| Token {
                offset_from: word.start,
                offset_to: word.end,
                position,
                text: word.text.to_owned(),
                position_length: 1,
            })
            .collect();
        JiebaTokenStream {
            tokens: tokens.into_iter(),
            current: Token::default(),
        }
    }
}

pub struct JiebaTokenStream {
    tokens: std::vec::IntoIter<Token>,
    current: Token,
}

impl TokenStream for JiebaTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(token) => {
                self.current = token;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::query_terms;

    #[test]
    fn english_is_stemmed_and_case_folded() {
        assert_eq!(query_terms("Running SHOES"), ["run", "shoe"]);
    }

    #[test]
    fn query_syntax_is_text() {
        assert_eq!(
            query_terms("name:shoe AND (red OR \"blue\")*~2"),
            ["name", "shoe", "and", "red", "or", "blue", "2"]
        );
    }
}
