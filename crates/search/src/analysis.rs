//! How text becomes index terms, the same for the indexed text and the
//! query: split at anything that is not a letter or a digit, lower-cased,
//! diacritics folded to ASCII, overlong tokens dropped, English stems.
//! Beside it, the analyzer of adjacent pairs of those terms, which answers
//! two-word phrases without reading positions.

use rustc_hash::{FxHashMap, FxHashSet};

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

/// Words whose pairs are not indexed: Lucene's English stop words. Nearly
/// two pairs in three of English prose hold one of them (`of the`, `the
/// plant`), and a phrase of one is rarely searched; such a phrase is
/// matched by positions instead, with the same result.
const UNPAIRED_WORDS: [&str; 33] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// The terms of [`UNPAIRED_WORDS`] (their stems: a word of the same stem,
/// such as `willing`, is left unpaired too).
fn unpaired_terms() -> &'static FxHashSet<String> {
    static TERMS: std::sync::OnceLock<FxHashSet<String>> = std::sync::OnceLock::new();
    TERMS.get_or_init(|| {
        let mut analyzer = archive_terms().build();
        UNPAIRED_WORDS
            .iter()
            .flat_map(|word| tokens(&mut analyzer, word))
            .collect()
    })
}

/// Joins each token with the next one when it is at the next position (a
/// token dropped in between, such as an overlong one, breaks the pair as it
/// breaks a phrase), unless either is a stop word ([`UNPAIRED_WORDS`]).
/// Terms never hold a space, so the pair `a b` is unambiguous.
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
            let unpaired = unpaired_terms();
            let adjacent = previous
                .filter(|(position, _)| token.position == position + 1)
                .filter(|_| {
                    !unpaired.contains(&self.previous_text) && !unpaired.contains(&token.text)
                });
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
    tokens(&mut archive_analyzer(), text)
}

/// The adjacent pairs `text` is indexed under, in order.
pub fn pairs(text: &str) -> Vec<String> {
    tokens(&mut archive_pairs_analyzer(), text)
}

/// Whether `text` is exactly two terms, the second at the position after
/// the first, that the pairs fields index (a two-word phrase without a stop
/// word, which the pairs analyzer makes one term).
pub fn is_indexed_pair(text: &str) -> bool {
    let mut analyzer = archive_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut read = Vec::new();
    while read.len() <= 2 && stream.advance() {
        let token = stream.token();
        read.push((token.position, token.text.clone()));
    }
    let unpaired = unpaired_terms();
    matches!(&read[..], [(first, a), (second, b)]
        if *second == first + 1 && !unpaired.contains(a) && !unpaired.contains(b))
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
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
        assert!(is_indexed_pair("Il-sung") && is_indexed_pair("\"Geneva conference\""));
        assert!(!is_indexed_pair("dam") && !is_indexed_pair("Kim Il Sung"));
        // No pair holds a stop word (nor a word of a stop word's stem).
        assert!(pairs("The dam of the Yalu was willing to hold").is_empty());
        assert_eq!(
            pairs("Bank of China, China Bank"),
            ["china china", "china bank"]
        );
        assert!(!is_indexed_pair("the dam") && !is_indexed_pair("dam of"));
        // An overlong token is dropped, and the words around it are not
        // adjacent (as in a phrase).
        let long = "x".repeat(60);
        assert_eq!(pairs(&format!("dam {long} canal")), Vec::<String>::new());
        assert!(!is_indexed_pair(&format!("dam {long} canal")));
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
