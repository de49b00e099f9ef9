//! N-Triples and N-Quads written straight into a byte buffer: the line
//! syntaxes of bulk export and `map`, where Oxigraph's serializer spends most
//! of its time formatting character by character. The output is the canonical
//! form Oxigraph writes (the same escapes, `xsd:string` left implicit), so
//! either parses back to the same statements.

use std::io::{self, Write};

use oxigraph::model::{GraphNameRef, LiteralRef, NamedOrBlankNodeRef, QuadRef, TermRef, TripleRef};

/// Bytes buffered before a write to the underlying writer.
const BUFFER_BYTES: usize = 1 << 16;

const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";

/// Writes N-Triples or N-Quads lines to a writer.
pub struct LineSerializer<W: Write> {
    out: W,
    buffer: Vec<u8>,
}

impl<W: Write> LineSerializer<W> {
    /// A serializer writing to `out`.
    pub fn new(out: W) -> Self {
        Self {
            out,
            buffer: Vec::with_capacity(BUFFER_BYTES + 4096),
        }
    }

    /// Writes one N-Triples line.
    pub fn serialize_triple(&mut self, triple: TripleRef<'_>) -> io::Result<()> {
        self.statement(
            triple.subject,
            triple.predicate.as_str(),
            triple.object,
            None,
        )
    }

    /// Writes one N-Quads line (no graph label for the default graph).
    pub fn serialize_quad(&mut self, quad: QuadRef<'_>) -> io::Result<()> {
        self.statement(
            quad.subject,
            quad.predicate.as_str(),
            quad.object,
            Some(quad.graph_name),
        )
    }

    /// Writes what is buffered and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(&self.buffer)?;
        self.out.flush()?;
        Ok(self.out)
    }

    fn statement(
        &mut self,
        subject: NamedOrBlankNodeRef<'_>,
        predicate: &str,
        object: TermRef<'_>,
        graph: Option<GraphNameRef<'_>>,
    ) -> io::Result<()> {
        let b = &mut self.buffer;
        subject_term(b, subject);
        b.push(b' ');
        iri(b, predicate);
        b.push(b' ');
        match object {
            TermRef::NamedNode(n) => iri(b, n.as_str()),
            TermRef::BlankNode(n) => blank(b, n.as_str()),
            TermRef::Literal(l) => literal(b, l),
        }
        match graph {
            Some(GraphNameRef::NamedNode(n)) => {
                b.push(b' ');
                iri(b, n.as_str());
            }
            Some(GraphNameRef::BlankNode(n)) => {
                b.push(b' ');
                blank(b, n.as_str());
            }
            Some(GraphNameRef::DefaultGraph) | None => {}
        }
        b.extend_from_slice(b" .\n");
        if self.buffer.len() >= BUFFER_BYTES {
            self.out.write_all(&self.buffer)?;
            self.buffer.clear();
        }
        Ok(())
    }
}

fn subject_term(b: &mut Vec<u8>, subject: NamedOrBlankNodeRef<'_>) {
    match subject {
        NamedOrBlankNodeRef::NamedNode(n) => iri(b, n.as_str()),
        NamedOrBlankNodeRef::BlankNode(n) => blank(b, n.as_str()),
    }
}

/// An IRI (Oxigraph's IRIs are valid: nothing to escape).
fn iri(b: &mut Vec<u8>, iri: &str) {
    b.push(b'<');
    b.extend_from_slice(iri.as_bytes());
    b.push(b'>');
}

fn blank(b: &mut Vec<u8>, id: &str) {
    b.extend_from_slice(b"_:");
    b.extend_from_slice(id.as_bytes());
}

fn literal(b: &mut Vec<u8>, literal: LiteralRef<'_>) {
    quoted(b, literal.value());
    if let Some(language) = literal.language() {
        b.push(b'@');
        b.extend_from_slice(language.as_bytes());
    } else if literal.datatype().as_str() != XSD_STRING {
        b.extend_from_slice(b"^^");
        iri(b, literal.datatype().as_str());
    }
}

/// A quoted string with the escapes of canonical N-Triples: `\b \t \n \f \r
/// \" \\`, and `\uXXXX` for the other control characters and U+FFFE, U+FFFF.
fn quoted(b: &mut Vec<u8>, value: &str) {
    b.push(b'"');
    let bytes = value.as_bytes();
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let escape: &[u8] = match byte {
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0C => b"\\f",
            b'\r' => b"\\r",
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x00..=0x1F | 0x7F => {
                b.extend_from_slice(&bytes[start..i]);
                b.extend_from_slice(format!("\\u{byte:04X}").as_bytes());
                start = i + 1;
                continue;
            }
            // U+FFFE and U+FFFF: EF BF BE / EF BF BF.
            0xEF if bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) =>
            {
                b.extend_from_slice(&bytes[start..i]);
                let code = if bytes[i + 2] == 0xBE { "FFFE" } else { "FFFF" };
                b.extend_from_slice(b"\\u");
                b.extend_from_slice(code.as_bytes());
                start = i + 3;
                continue;
            }
            _ => continue,
        };
        b.extend_from_slice(&bytes[start..i]);
        b.extend_from_slice(escape);
        start = i + 1;
    }
    b.extend_from_slice(&bytes[start..]);
    b.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfSerializer};
    use oxigraph::model::{BlankNode, Literal, NamedNode, Quad};
    use proptest::prelude::*;

    fn ours(quad: &Quad) -> Vec<u8> {
        let mut s = LineSerializer::new(Vec::new());
        s.serialize_quad(quad.as_ref()).unwrap();
        s.serialize_triple(quad.as_ref().into()).unwrap();
        s.finish().unwrap()
    }

    fn oxigraph(quad: &Quad) -> Vec<u8> {
        let mut out = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(Vec::new());
        out.serialize_quad(quad).unwrap();
        let mut out =
            RdfSerializer::from_format(RdfFormat::NTriples).for_writer(out.finish().unwrap());
        out.serialize_triple(quad.as_ref()).unwrap();
        out.finish().unwrap()
    }

    fn quad(value: &str, language: Option<&str>, datatype: Option<&str>, blank: bool) -> Quad {
        let object = match (language, datatype) {
            (Some(l), _) => Literal::new_language_tagged_literal(value, l).unwrap(),
            (None, Some(d)) => Literal::new_typed_literal(value, NamedNode::new(d).unwrap()),
            (None, None) => Literal::new_simple_literal(value),
        };
        let subject: oxigraph::model::NamedOrBlankNode = if blank {
            BlankNode::new("b0").unwrap().into()
        } else {
            NamedNode::new("http://example.org/s").unwrap().into()
        };
        Quad::new(
            subject,
            NamedNode::new("http://example.org/p").unwrap(),
            object,
            NamedNode::new("http://example.org/g").unwrap(),
        )
    }

    #[test]
    fn writes_what_oxigraph_writes() {
        for (value, language, datatype) in [
            ("plain", None, None),
            ("quote \" backslash \\ newline \n tab \t cr \r", None, None),
            ("bell \u{7} del \u{7F} nul \0 bs \u{8} ff \u{C}", None, None),
            (
                "non-characters \u{FFFE}\u{FFFF} and \u{FFFD} é 中",
                None,
                None,
            ),
            ("1990", None, Some("http://www.w3.org/2001/XMLSchema#gYear")),
            ("explicit string", None, Some(XSD_STRING)),
            ("Guten Tag", Some("de-AT"), None),
        ] {
            for blank in [false, true] {
                let q = quad(value, language, datatype, blank);
                assert_eq!(
                    String::from_utf8(ours(&q)).unwrap(),
                    String::from_utf8(oxigraph(&q)).unwrap()
                );
            }
        }
    }

    proptest! {
        #[test]
        fn any_string_is_written_as_oxigraph_writes_it(value in any::<String>()) {
            let q = quad(&value, None, None, false);
            prop_assert_eq!(ours(&q), oxigraph(&q));
        }
    }
}
