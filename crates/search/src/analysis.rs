//! How text becomes index terms, the same for the indexed text and the
//! query: split at anything that is not a letter or a digit, lower-cased,
//! diacritics folded to ASCII, overlong tokens dropped, English stems.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};

/// The analyzer's name in the index's tokenizer registry.
pub const ARCHIVE_ANALYZER: &str = "archive";

/// The analyzer of the archive's text.
pub fn archive_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
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
}
