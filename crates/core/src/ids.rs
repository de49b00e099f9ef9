//! Identifiers from text: the slugs and short hashes every stage mints keys with.
//!
//! A leaf module: readers, mentions and mapping all key records with these, so
//! none of them needs another stage to name what it reads.

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

/// A lowercase ASCII slug: diacritics dropped, runs of other characters become `-`.
///
/// "Kim Il Sung" → `kim-il-sung`; "Károly Práth" → `karoly-prath`. At most 80 characters.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd().filter(|c| c.is_ascii() || c.is_alphanumeric()) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-')
            && !out.is_empty()
            && !unicode_normalization::char::is_combining_mark(c)
        {
            out.push('-');
        }
    }
    let mut out: String = out.trim_end_matches('-').chars().take(80).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        // A name with no ASCII letters or digits still needs a stable key.
        return format!("x{}", &short_hash(text)[..12]);
    }
    out
}

/// The first 16 hex digits of SHA-256: short, stable identifiers for content.
pub fn short_hash(text: &str) -> String {
    hex::encode(&Sha256::digest(text.as_bytes())[..8])
}
