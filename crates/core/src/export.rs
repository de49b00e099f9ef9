//! Bulk export of the store in the standard RDF syntaxes, and RDFC-1.0
//! canonical N-Quads with their SHA-256 (via sophia's `c14n`).
//!
//! Every export streams from the store. Turtle, N-Triples and RDF/XML of the
//! whole store write the union graph (the merge of all graphs, each triple
//! once); N-Quads, TriG and JSON-LD keep the named graphs (the derived union
//! graph is left out of them).

use std::io::Write;
use std::sync::mpsc;

use oxigraph::io::{RdfFormat, WriterQuadSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, QuadRef, Term, TripleRef};
use oxigraph::store::StorageError;
use sha2::{Digest, Sha256};
use sophia_api::dataset::MutableDataset;
use sophia_api::term::{BnodeId, IriRef, LanguageTag, SimpleTerm};
use sophia_api::MownStr;
use sophia_inmem::dataset::LightDataset;
use thiserror::Error;

use crate::line_syntax::LineSerializer;
use crate::mapping::prefixed_serializer;
use crate::store::{ArchiveStore, StoreError};

/// What can go wrong with an export.
#[derive(Debug, Error)]
pub enum ExportError {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing failed.
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    /// A prefix of the project's table is not a valid IRI (a bug).
    #[error("cannot set up the serializer")]
    Serializer(#[from] oxigraph::model::IriParseError),
    /// RDFC-1.0 canonicalisation failed (sophia's error, kept as the cause).
    #[error("cannot canonicalise the statements (RDFC-1.0)")]
    Canonical(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<oxigraph::store::StorageError> for ExportError {
    fn from(e: oxigraph::store::StorageError) -> Self {
        Self::Store(StoreError::Storage(e))
    }
}

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
    pub fn new(format: ExportFormat, out: W) -> Result<Self, ExportError> {
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

/// Quads per batch handed from the thread reading the store to the writer.
const BATCH: usize = 4096;
/// Batches read ahead of the writer at most.
const BATCHES_IN_FLIGHT: usize = 16;

/// Which graphs an export reads, each through the graph-first index: one
/// graph, the union graph (triple syntaxes), or every graph but the union graph.
fn graphs_to_read(
    store: &ArchiveStore,
    format: ExportFormat,
    graph: Option<&NamedNode>,
) -> Result<Vec<GraphName>, ExportError> {
    let union = store.union_graph();
    Ok(match (graph, format.keeps_graphs()) {
        (Some(graph), _) => vec![GraphName::NamedNode(graph.clone())],
        (None, false) => vec![GraphName::NamedNode(union.clone())],
        (None, true) => {
            let mut graphs = vec![GraphName::DefaultGraph];
            for name in store.oxigraph().named_graphs() {
                let name = name?;
                if !matches!(&name, NamedOrBlankNode::NamedNode(n) if n == union) {
                    graphs.push(name.into());
                }
            }
            graphs
        }
    })
}

/// Writes the store (or one graph of it) and returns the number of statements written.
pub fn export(
    store: &ArchiveStore,
    format: ExportFormat,
    graph: Option<&NamedNode>,
    out: &mut impl Write,
    progress: &indicatif::ProgressBar,
) -> Result<usize, ExportError> {
    let ox = store.oxigraph();
    let mut writer = StatementWriter::new(format, &mut *out)?;
    let graphs = graphs_to_read(store, format, graph)?;
    // Two threads: one reads the store (seeks, and a string lookup per term:
    // most of the time), the other serializes, so both cores work.
    let (batches, received) =
        mpsc::sync_channel::<Result<Vec<Quad>, StorageError>>(BATCHES_IN_FLIGHT);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            for graph in &graphs {
                for quad in ox.quads_for_pattern(None, None, None, Some(graph.as_ref())) {
                    match quad {
                        Ok(quad) => batch.push(quad),
                        Err(e) => {
                            // The writer stops at the error; nothing follows it.
                            let _ = batches.send(Err(e));
                            return;
                        }
                    }
                    if batch.len() == BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                        if batches.send(Ok(full)).is_err() {
                            return; // the writer gave up
                        }
                    }
                }
            }
            if !batch.is_empty() {
                let _ = batches.send(Ok(batch));
            }
        });
        // Returning drops `received`, which stops the reader at its next batch.
        let mut count = 0;
        for batch in received {
            let batch = batch?;
            for quad in &batch {
                writer.write(quad.as_ref())?;
            }
            count += batch.len();
            progress.inc(batch.len() as u64);
        }
        writer.finish()?;
        Ok(count)
    })
}

/// Writes RDFC-1.0 canonical N-Quads of the store (or one graph) and returns their SHA-256.
///
/// The statements are those of an N-Quads [`export`] (every graph but the
/// derived union graph), handed to sophia's RDFC-1.0 implementation as terms.
pub fn export_canonical(
    store: &ArchiveStore,
    graph: Option<&NamedNode>,
    out: &mut impl Write,
) -> Result<String, ExportError> {
    let mut dataset = LightDataset::new();
    for graph in graphs_to_read(store, ExportFormat::NQuads, graph)? {
        for quad in store
            .oxigraph()
            .quads_for_pattern(None, None, None, Some(graph.as_ref()))
        {
            insert_quad(&mut dataset, &quad?)?;
        }
    }
    let mut canonical = Vec::new();
    sophia_c14n::rdfc10::normalize(&dataset, &mut canonical)
        .map_err(|e| ExportError::Canonical(Box::new(e)))?;
    out.write_all(&canonical)?;
    Ok(hex::encode(Sha256::digest(&canonical)))
}

/// Adds an Oxigraph quad to a sophia dataset, term by term.
pub fn insert_quad(dataset: &mut LightDataset, quad: &Quad) -> Result<(), ExportError> {
    let subject = match &quad.subject {
        NamedOrBlankNode::NamedNode(n) => iri_term(n.as_str()),
        NamedOrBlankNode::BlankNode(b) => bnode_term(b.as_str()),
    };
    let object = match &quad.object {
        Term::NamedNode(n) => iri_term(n.as_str()),
        Term::BlankNode(b) => bnode_term(b.as_str()),
        Term::Literal(l) => match l.language() {
            Some(language) => SimpleTerm::LiteralLanguage(
                MownStr::from(l.value().to_owned()),
                LanguageTag::new_unchecked(MownStr::from(language.to_owned())),
                None,
            ),
            None => SimpleTerm::LiteralDatatype(
                MownStr::from(l.value().to_owned()),
                IriRef::new_unchecked(MownStr::from(l.datatype().as_str().to_owned())),
            ),
        },
        #[allow(unreachable_patterns)]
        other => unreachable!("RDF 1.1 data has no triple terms: {other}"),
    };
    let graph = match &quad.graph_name {
        GraphName::NamedNode(n) => Some(iri_term(n.as_str())),
        GraphName::BlankNode(b) => Some(bnode_term(b.as_str())),
        GraphName::DefaultGraph => None,
    };
    dataset
        .insert(subject, iri_term(quad.predicate.as_str()), object, graph)
        .map_err(|e| ExportError::Canonical(Box::new(e)))?;
    Ok(())
}

fn iri_term(iri: &str) -> SimpleTerm<'static> {
    SimpleTerm::Iri(IriRef::new_unchecked(MownStr::from(iri.to_owned())))
}

fn bnode_term(id: &str) -> SimpleTerm<'static> {
    SimpleTerm::BlankNode(BnodeId::new_unchecked(MownStr::from(id.to_owned())))
}
