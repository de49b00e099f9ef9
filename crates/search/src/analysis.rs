//! How text becomes index terms, the same for the indexed text and the
//! query: split at anything that is not a letter or a digit, lower-cased,
//! diacritics folded to ASCII, overlong tokens dropped, English stems.
//! Beside it, the analyzer of adjacent pairs of those terms, which answers
//! two-word phrases without reading positions.

use rustc_hash::FxHashMap;

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    TextAnalyzerBuilder, Token, TokenFilter, TokenStream, Tokenizer,
};

/// The analyzer's name in the index's tokenizer registry.
pub const ARCHIVE_ANALYZER: &str = "archive";

/// The archive's terms, before they are built into an analyzer.
fn archive_terms() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(RememberedStems)
}

/// The analyzer of the archive's text.
pub fn archive_analyzer() -> TextAnalyzer {
    archive_terms().build()
}

/// The pairs analyzer's name in the index's tokenizer registry.
pub const ARCHIVE_PAIRS_ANALYZER: &str = "archive_pairs";

/// The analyzer of adjacent pairs: the terms of [`archive_analyzer`], each
/// one with the next (`hydroelectric plants` is `hydroelectr plant`), where
/// the next is at the next position. A two-word phrase is then one term of
/// this analyzer: it matches where the phrase matches, with no position
/// read.
pub fn archive_pairs_analyzer() -> TextAnalyzer {
    archive_terms().filter(AdjacentPairs).build()
}

/// Joins each token with the next one when it is at the next position (a
/// token dropped in between, such as an overlong one, breaks the pair as it
/// breaks a phrase). Terms never hold a space, so the pair `a b` is
/// unambiguous.
#[derive(Clone, Copy, Default)]
pub struct AdjacentPairs;

impl TokenFilter for AdjacentPairs {
    type Tokenizer<T: Tokenizer> = AdjacentPairsFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> AdjacentPairsFilter<T> {
        AdjacentPairsFilter { inner }
    }
}

/// [`AdjacentPairs`] over a tokenizer.
#[derive(Clone)]
pub struct AdjacentPairsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for AdjacentPairsFilter<T> {
    type TokenStream<'a> = AdjacentPairsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        AdjacentPairsStream {
            tail: self.inner.token_stream(text),
            previous: None,
            previous_text: String::new(),
            pair: Token::default(),
        }
    }
}

/// The tokens of [`AdjacentPairsFilter`].
pub struct AdjacentPairsStream<T> {
    tail: T,
    /// The position and start offset of the last token read, if any.
    previous: Option<(usize, usize)>,
    /// Its text (one buffer, reused for every token).
    previous_text: String,
    pair: Token,
}

impl<T: TokenStream> TokenStream for AdjacentPairsStream<T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let token = self.tail.token();
            let previous = self.previous.replace((token.position, token.offset_from));
            let adjacent = previous.filter(|(position, _)| token.position == position + 1);
            if let Some((position, offset_from)) = adjacent {
                let pair = &mut self.pair;
                pair.text.clear();
                pair.text.push_str(&self.previous_text);
                pair.text.push(' ');
                pair.text.push_str(&token.text);
                pair.position = position;
                pair.offset_from = offset_from;
                pair.offset_to = token.offset_to;
                pair.position_length = 1;
            }
            self.previous_text.clear();
            self.previous_text.push_str(&token.text);
            if adjacent.is_some() {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.pair
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.pair
    }
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
            stems: FxHashMap::default(),
        }
    }
}

/// [`RememberedStems`] over a tokenizer.
#[derive(Clone)]
pub struct RememberedStemsFilter<T> {
    inner: T,
    /// Word → its stem (`None`: the word is its own stem).
    stems: FxHashMap<String, Option<String>>,
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
    stems: &'a mut FxHashMap<String, Option<String>>,
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
    tokens(archive_analyzer(), text)
}

/// The adjacent pairs `text` is indexed under, in order.
pub fn pairs(text: &str) -> Vec<String> {
    tokens(archive_pairs_analyzer(), text)
}

/// Whether `text` is exactly two terms, the second at the position after
/// the first (a two-word phrase, which the pairs analyzer makes one term).
pub fn is_two_adjacent_terms(text: &str) -> bool {
    let mut analyzer = archive_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut positions = Vec::new();
    while positions.len() <= 2 && stream.advance() {
        positions.push(stream.token().position);
    }
    matches!(positions[..], [first, second] if second == first + 1)
}

fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
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

    #[test]
    fn pairs_are_adjacent_terms() {
        assert_eq!(pairs("Hydroelectric plants."), ["hydroelectr plant"]);
        assert_eq!(pairs("Kim Il-sung"), ["kim il", "il sung"]);
        assert!(pairs("dam").is_empty());
        assert!(is_two_adjacent_terms("Il-sung") && is_two_adjacent_terms("\"Geneva conference\""));
        assert!(!is_two_adjacent_terms("dam") && !is_two_adjacent_terms("Kim Il Sung"));
        // An overlong token is dropped, and the words around it are not
        // adjacent (as in a phrase).
        let long = "x".repeat(60);
        assert_eq!(pairs(&format!("dam {long} canal")), Vec::<String>::new());
        assert!(!is_two_adjacent_terms(&format!("dam {long} canal")));
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
