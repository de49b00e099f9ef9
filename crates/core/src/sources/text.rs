//! Byte and text helpers shared by the readers: decoding, whitespace, hashing.

use sha2::{Digest, Sha256};

use super::ReadError;

/// SHA-256 of bytes as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Decodes a page file: rejects empty, oversized, binary and non-UTF-8 input, strips a BOM.
pub(crate) fn decode_page(bytes: &[u8], max_bytes: usize) -> Result<String, ReadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    if bytes.len() > max_bytes {
        return Err(ReadError::TooLarge {
            size: bytes.len(),
            limit: max_bytes,
        });
    }
    if let Some(kind) = binary_signature(bytes) {
        return Err(ReadError::Binary(kind));
    }
    let text = decode_utf8(bytes)?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text).to_owned())
}

/// Decodes UTF-8, naming the byte offset and line of the first invalid byte.
pub(crate) fn decode_utf8(bytes: &[u8]) -> Result<&str, ReadError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let byte_offset = e.valid_up_to();
        let line = 1 + bytes[..byte_offset].iter().filter(|&&b| b == b'\n').count();
        ReadError::InvalidUtf8 { byte_offset, line }
    })
}

fn binary_signature(bytes: &[u8]) -> Option<String> {
    const SIGNATURES: [(&[u8], &str); 6] = [
        (b"\x89PNG", "PNG image"),
        (b"%PDF", "PDF document"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"\x1f\x8b", "gzip data"),
        (b"GIF8", "GIF image"),
    ];
    if let Some((_, name)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Some((*name).to_owned());
    }
    let head = &bytes[..bytes.len().min(8192)];
    head.iter()
        .position(|&b| b == 0)
        .map(|at| format!("NUL byte at offset {at}"))
}

/// Collapses runs of whitespace (including non-breaking spaces) to one space and trims.
pub(crate) fn squash_whitespace(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `Some(trimmed)` when the text has content, `None` when it is blank.
pub(crate) fn non_empty(text: &str) -> Option<String> {
    let squashed = squash_whitespace(text);
    (!squashed.is_empty()).then_some(squashed)
}

/// Splits a field that may list several names ("A; B").
pub(crate) fn split_names(text: &str) -> Vec<String> {
    text.split(';').filter_map(non_empty).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_line_and_offset() {
        let err = decode_page(b"ab\ncd\n\xffx", 100).unwrap_err();
        assert_eq!(
            err,
            ReadError::InvalidUtf8 {
                byte_offset: 6,
                line: 3
            }
        );
    }

    #[test]
    fn binary_and_empty_are_rejected() {
        assert_eq!(decode_page(b"  \n", 10), Err(ReadError::Empty));
        assert!(matches!(
            decode_page(b"\x89PNG\r\n", 100),
            Err(ReadError::Binary(_))
        ));
        assert!(matches!(
            decode_page(b"abc\0def", 100),
            Err(ReadError::Binary(_))
        ));
        assert!(matches!(
            decode_page(b"abcdef", 3),
            Err(ReadError::TooLarge { .. })
        ));
    }

    #[test]
    fn bom_is_stripped_and_whitespace_squashed() {
        assert_eq!(decode_page("\u{feff}hi".as_bytes(), 100).unwrap(), "hi");
        assert_eq!(squash_whitespace(" a \u{a0}\n b "), "a b");
        assert_eq!(non_empty(" \n "), None);
        assert_eq!(split_names("A; B ;"), vec!["A", "B"]);
    }
}
