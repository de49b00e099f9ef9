//! Bulk export of the store in the standard RDF syntaxes, and RDFC-1.0
//! canonical N-Quads with their SHA-256 (via sophia's `c14n`).
//!
//! Every export streams from the store. Turtle, N-Triples and RDF/XML of the
//! whole store write the union graph (the merge of all graphs, each triple
//! once); N-Quads, TriG and JSON-LD keep the named graphs (the derived union
//! graph is left out of them).

use std::io::Write;
use std::sync::mpsc;

use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::StorageError;
use sha2::{Digest, Sha256};
use sophia_api::dataset::MutableDataset;
use sophia_api::term::{BnodeId, IriRef, LanguageTag, SimpleTerm};
use sophia_api::MownStr;
use sophia_inmem::dataset::LightDataset;
use thiserror::Error;

pub use crate::statements::{ExportFormat, StatementWriter};
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

/// Quads per batch handed from the thread reading the store to the writer.
const BATCH: usize = 4096;
/// Batches read ahead of the writer at most.
const BATCHES_IN_FLIGHT: usize = 16;

/// Which graphs an export reads, each through the graph-first index: one
/// graph, the union graph (triple syntaxes), or every graph but the derived
/// ones (union and statistics: a store they are loaded into derives its own).
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
                if !matches!(&name, NamedOrBlankNode::NamedNode(n) if store.is_derived_graph(n)) {
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

/// An Oxigraph quad as sophia terms: subject, predicate, object, and the
/// graph name (`None` for the default graph).
pub fn sophia_terms(quad: &Quad) -> ([SimpleTerm<'static>; 3], Option<SimpleTerm<'static>>) {
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
    ([subject, iri_term(quad.predicate.as_str()), object], graph)
}

/// Adds an Oxigraph quad to a sophia dataset, term by term.
pub fn insert_quad(dataset: &mut LightDataset, quad: &Quad) -> Result<(), ExportError> {
    let ([subject, predicate, object], graph) = sophia_terms(quad);
    dataset
        .insert(subject, predicate, object, graph)
        .map_err(|e| ExportError::Canonical(Box::new(e)))?;
    Ok(())
}

fn iri_term(iri: &str) -> SimpleTerm<'static> {
    SimpleTerm::Iri(IriRef::new_unchecked(MownStr::from(iri.to_owned())))
}

fn bnode_term(id: &str) -> SimpleTerm<'static> {
    SimpleTerm::BlankNode(BnodeId::new_unchecked(MownStr::from(id.to_owned())))
}
