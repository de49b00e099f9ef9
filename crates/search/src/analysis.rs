//! How text becomes index terms, the same for the indexed text and the
//! query: split at anything that is not a letter or a digit, lower-cased,
//! diacritics folded to ASCII, overlong tokens dropped, English stems.

use std::collections::HashMap;

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// The analyzer's name in the index's tokenizer registry.
pub const ARCHIVE_ANALYZER: &str = "archive";

/// The analyzer of the archive's text.
pub fn archive_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(RememberedStems)
        .build()
}

/// The English Snowball stems of tantivy's `Stemmer` (the same `frostem`
/// algorithm), each word's stem remembered by the analyzer that computed it:
/// an archive's words repeat, and stemming every occurrence again was a
/// quarter of the time of building the index.
#[derive(Clone, Copy, Default)]
pub struct RememberedStems;

/// How many words an analyzer remembers the stem of (forgotten all at once
/// beyond that: a bound on memory for texts of endless distinct words).
const REMEMBERED_STEMS: usize = 100_000;

impl TokenFilter for RememberedStems {
    type Tokenizer<T: Tokenizer> = RememberedStemsFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> RememberedStemsFilter<T> {
        RememberedStemsFilter {
            inner,
            stems: HashMap::new(),
        }
    }
}

/// [`RememberedStems`] over a tokenizer.
#[derive(Clone)]
pub struct RememberedStemsFilter<T> {
    inner: T,
    /// Word → its stem (`None`: the word is its own stem).
    stems: HashMap<String, Option<String>>,
}

impl<T: Tokenizer> Tokenizer for RememberedStemsFilter<T> {
    type TokenStream<'a> = RememberedStemsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.stems.len() > REMEMBERED_STEMS {
            self.stems.clear();
        }
        RememberedStemsStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

/// The tokens of [`RememberedStemsFilter`].
pub struct RememberedStemsStream<'a, T> {
    tail: T,
    stems: &'a mut HashMap<String, Option<String>>,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for RememberedStemsStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let stem = match self.stems.get(token.text.as_str()) {
            Some(stem) => stem,
            None => {
                let stem = match self.stemmer.stem(&token.text) {
                    std::borrow::Cow::Borrowed(same) if same == token.text => None,
                    stem => Some(stem.into_owned()),
                };
                self.stems.entry(token.text.clone()).or_insert(stem)
            }
        };
        if let Some(stem) = stem {
            token.text.clear();
            token.text.push_str(stem);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The terms `text` is indexed under, in order.
pub fn terms(text: &str) -> Vec<String> {
    let mut analyzer = archive_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_meet() {
        assert_eq!(terms("Khrushchëv"), terms("Khrushchev"));
        assert_eq!(terms("Kim Il-sung"), terms("Kim Il Sung"));
        assert_eq!(terms("[irrigation]"), terms("irrigation"));
        assert_eq!(terms("plants"), terms("plant"));
        assert_eq!(terms("Revisionism"), ["revision"]);
    }

    /// The remembered stems are tantivy's own `Stemmer`'s, on every
    /// occurrence (first and repeated) of a word.
    #[test]
    fn remembered_stems_are_tantivys_stems() {
        let text = "The delegations discussed the hydroelectric plants; the plants' \
            generators, generating stations and revisionism were discussed again, \
            generously. Irrigation, irrigated, irrigating: Kim Il-sung's agreements \
            agreed, agreeing, agreement. running runs ran runner";
        let repeated = format!("{text} {text} {text}");
        let mut tantivys = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(48))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(tantivy::tokenizer::Stemmer::new(
                tantivy::tokenizer::Language::English,
            ))
            .build();
        let mut expected = Vec::new();
        let mut stream = tantivys.token_stream(&repeated);
        while stream.advance() {
            expected.push(stream.token().text.clone());
        }
        assert_eq!(terms(&repeated), expected);
        assert!(expected.iter().any(|t| t == "plant") && expected.iter().any(|t| t == "irrig"));
    }
}
