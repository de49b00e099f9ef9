//! Statements written in an RDF syntax as they come: the writer that both
//! `export` (from the store) and the streaming `map` (from the mapping) use.

use std::io::Write;

use oxigraph::io::{RdfFormat, WriterQuadSerializer};
use oxigraph::model::{IriParseError, QuadRef, TripleRef};

use crate::line_syntax::LineSerializer;
use crate::mapping::prefixed_serializer;

/// The syntaxes `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Turtle.
    Turtle,
    /// N-Triples.
    NTriples,
    /// N-Quads.
    NQuads,
    /// TriG.
    TriG,
    /// JSON-LD.
    JsonLd,
    /// RDF/XML.
    RdfXml,
}

impl ExportFormat {
    /// The Oxigraph format.
    pub fn rdf_format(self) -> RdfFormat {
        match self {
            Self::Turtle => RdfFormat::Turtle,
            Self::NTriples => RdfFormat::NTriples,
            Self::NQuads => RdfFormat::NQuads,
            Self::TriG => RdfFormat::TriG,
            Self::JsonLd => RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
            Self::RdfXml => RdfFormat::RdfXml,
        }
    }

    /// Whether the syntax keeps named graphs.
    pub fn keeps_graphs(self) -> bool {
        matches!(self, Self::NQuads | Self::TriG | Self::JsonLd)
    }
}

/// Writes statements in an export syntax as they come: quads in the syntaxes
/// that keep graphs, triples (the graph left out) in the others. N-Triples and
/// N-Quads go through [`LineSerializer`], the others through Oxigraph's
/// serializers with the project's prefixes.
pub struct StatementWriter<W: Write> {
    inner: Serializer<W>,
    keeps_graphs: bool,
}

enum Serializer<W: Write> {
    Lines(LineSerializer<W>),
    Rdf(Box<WriterQuadSerializer<W>>),
}

impl<W: Write> StatementWriter<W> {
    /// A writer of `format` to `out`.
    pub fn new(format: ExportFormat, out: W) -> Result<Self, IriParseError> {
        let inner = match format {
            ExportFormat::NTriples | ExportFormat::NQuads => {
                Serializer::Lines(LineSerializer::new(out))
            }
            _ => Serializer::Rdf(Box::new(
                prefixed_serializer(format.rdf_format())?.for_writer(out),
            )),
        };
        Ok(Self {
            inner,
            keeps_graphs: format.keeps_graphs(),
        })
    }

    /// Writes a quad, or its triple.
    pub fn write(&mut self, quad: QuadRef<'_>) -> std::io::Result<()> {
        match (&mut self.inner, self.keeps_graphs) {
            (Serializer::Lines(s), true) => s.serialize_quad(quad),
            (Serializer::Lines(s), false) => s.serialize_triple(quad.into()),
            (Serializer::Rdf(s), true) => s.serialize_quad(quad),
            (Serializer::Rdf(s), false) => s.serialize_triple(TripleRef::from(quad)),
        }
    }

    /// Ends the document and returns the writer.
    pub fn finish(self) -> std::io::Result<W> {
        match self.inner {
            Serializer::Lines(s) => s.finish(),
            Serializer::Rdf(s) => s.finish(),
        }
    }
}
