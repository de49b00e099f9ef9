//! Minting IRIs: deterministic, readable, and the same on every run and machine.

use crate::ids::{short_hash, slug};
use crate::model::Event;
use oxigraph::model::NamedNode;

/// The default base IRI: what `chronograph serve` answers on by default.
pub const DEFAULT_BASE: &str = "http://localhost:7878/";

/// The kinds of resource chronograph mints IRIs for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceKind {
    /// `document/`
    Document,
    /// `person/`
    Person,
    /// `event/`
    Event,
    /// `place/`
    Place,
    /// `organisation/`
    Organisation,
    /// `archive/`
    Archive,
    /// `collection/`
    Collection,
    /// `topic/`
    Topic,
    /// `agent/` (a person or a body, the evidence does not say which)
    Agent,
    /// `graph/` (named graphs)
    Graph,
}

impl ResourceKind {
    /// The path segment for this kind.
    pub fn segment(self) -> &'static str {
        match self {
            Self::Document => "document",
            Self::Person => "person",
            Self::Event => "event",
            Self::Place => "place",
            Self::Organisation => "organisation",
            Self::Archive => "archive",
            Self::Collection => "collection",
            Self::Topic => "topic",
            Self::Agent => "agent",
            Self::Graph => "graph",
        }
    }
}

/// The base under which resources are minted (`--base`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    base: String,
}

/// A base IRI that does not parse or does not end in `/` or `#`.
#[derive(Debug, thiserror::Error)]
#[error("invalid base IRI `{0}`: it must be an absolute IRI ending in `/` or `#`")]
pub struct InvalidBase(pub String);

impl Base {
    /// Checks and wraps a base IRI.
    pub fn new(base: &str) -> Result<Self, InvalidBase> {
        let ok = (base.ends_with('/') || base.ends_with('#')) && NamedNode::new(base).is_ok();
        if ok {
            Ok(Self {
                base: base.to_owned(),
            })
        } else {
            Err(InvalidBase(base.to_owned()))
        }
    }

    /// The base as a string.
    pub fn as_str(&self) -> &str {
        &self.base
    }

    /// The IRI of a resource of a kind with a key (the key is percent-encoded if needed).
    pub fn resource(&self, kind: ResourceKind, key: &str) -> NamedNode {
        NamedNode::new_unchecked(format!(
            "{}{}/{}",
            self.base,
            kind.segment(),
            encode_segment(key)
        ))
    }

    /// A document's IRI.
    pub fn document(&self, id: &str) -> NamedNode {
        self.resource(ResourceKind::Document, id)
    }

    /// An event's IRI: its own id, or a hash of its date text and paragraph, so the
    /// same event on two pages is one resource.
    pub fn event(&self, event: &Event) -> NamedNode {
        let key = match &event.id {
            Some(id) => slug(id),
            None => short_hash(&format!("{}\n{}", event.date.original, event.text)),
        };
        self.resource(ResourceKind::Event, &key)
    }

    /// The union graph: the set-semantics merge of every other graph, which
    /// queries use as their default graph (see `store`).
    pub fn union_graph(&self) -> NamedNode {
        self.resource(ResourceKind::Graph, "union")
    }

    /// The statistics graph: the precomputed counts, as W3C Data Cube
    /// observations, derived from the other graphs like the union graph.
    pub fn statistics_graph(&self) -> NamedNode {
        self.resource(ResourceKind::Graph, "statistics")
    }

    /// A statistics data set, or one of its observations (`key` empty: the
    /// data set itself).
    pub fn statistics_iri(&self, dataset: &str, key: &str) -> NamedNode {
        if key.is_empty() {
            NamedNode::new_unchecked(format!("{}statistics/{dataset}", self.base))
        } else {
            NamedNode::new_unchecked(format!("{}statistics/{dataset}/{key}", self.base))
        }
    }

    /// The metadata graph (provenance of every source graph).
    pub fn metadata_graph(&self) -> NamedNode {
        self.resource(ResourceKind::Graph, "metadata")
    }

    /// The graph of links to Wikidata (replaced by every `chronograph link`).
    pub fn links_graph(&self) -> NamedNode {
        self.resource(ResourceKind::Graph, "links")
    }

    /// The named graph of one source, from its path relative to the load root.
    pub fn source_graph(&self, relative_path: &str) -> NamedNode {
        let key: Vec<String> = relative_path
            .split(['/', '\\'])
            .filter(|s| !s.is_empty() && *s != ".")
            .map(encode_segment)
            .collect();
        NamedNode::new_unchecked(format!("{}graph/source/{}", self.base, key.join("/")))
    }

    /// Whether an IRI was minted under this base.
    pub fn contains(&self, iri: &str) -> bool {
        iri.starts_with(&self.base)
    }
}

/// Percent-encodes what may not stand in an IRI path segment.
fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for c in segment.chars() {
        if c.is_ascii_alphanumeric() || "-._~".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_stable() {
        assert_eq!(slug("Kim Il Sung"), "kim-il-sung");
        assert_eq!(slug("Károly Práth"), "karoly-prath");
        assert_eq!(slug("  A.M. Puzanov "), "a-m-puzanov");
        assert_eq!(slug("毛泽东"), slug("毛泽东"));
        assert!(slug("毛泽东").starts_with('x'));
        assert!(slug(&"a ".repeat(100)).len() <= 80);
        assert!(!slug(&"ab-".repeat(100)).ends_with('-'));
    }

    #[test]
    fn base_must_be_absolute_and_end_with_slash() {
        assert!(Base::new("http://example.org/").is_ok());
        assert!(Base::new("http://example.org").is_err());
        assert!(Base::new("not an iri/").is_err());
        let base = Base::new("http://example.org/").unwrap();
        assert_eq!(
            base.document("134845").as_str(),
            "http://example.org/document/134845"
        );
        assert_eq!(
            base.source_graph("text/a b.txt").as_str(),
            "http://example.org/graph/source/text/a%20b.txt"
        );
    }
}
