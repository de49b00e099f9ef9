//! The statistics graph as a whole: every statistic counted again from the
//! data with SPARQL aggregates over the union graph (which read encoded
//! terms, not strings) and written in one transaction: after a bulk load,
//! after an update that rewrites everything (`CLEAR ALL`, `LOAD`), when a
//! store opened for writing finds them pending or missing, and by
//! `chronograph check`. The cells are those of
//! [`crate::statistics::contribution`], counted over the whole store at once.

use oxigraph::model::{GraphNameRef, NamedNode, Term};

use crate::derived::WriteOutcome;
use crate::query::{select_rows, QueryError, Row};
use crate::statistics::cube::{self, dataset_quads, observation_quads};
use crate::statistics::{derive_pair_rankings, StatKey, Tally, DATASETS};
use crate::store::{ArchiveStore, StoreError};

impl ArchiveStore {
    /// Counts every statistic again from the data and replaces the
    /// statistics graph with the counts, in one transaction (which also
    /// clears the pending mark and counts as a write).
    pub fn recount_statistics(&self) -> Result<WriteOutcome, StoreError> {
        let started = std::time::Instant::now();
        let tally = recount(self).map_err(|e| StoreError::Recount(Box::new(e)))?;
        let write_count = self.write_statistics(&tally)?;
        tracing::info!(
            cells = tally.len(),
            seconds = started.elapsed().as_secs_f64(),
            "counted the statistics"
        );
        Ok(WriteOutcome {
            records: Vec::new(),
            write_count,
            every_record: false,
        })
    }

    /// Replaces the statistics graph with `tally`; returns the write count.
    fn write_statistics(&self, tally: &Tally) -> Result<u64, StoreError> {
        let base = self.base().clone();
        let graph = base.statistics_graph();
        let mut t = self.oxigraph().start_transaction()?;
        let write_count = cube::write_count(&t, &base)?;
        t.clear_graph(GraphNameRef::NamedNode(graph.as_ref()))?;
        for quad in dataset_quads(&base) {
            t.insert(&quad);
        }
        for (key, count) in tally {
            for quad in observation_quads(&base, key, *count) {
                t.insert(&quad);
            }
        }
        // The count carries on from the one cleared.
        t.insert(&cube::write_count_quad(&base, write_count + 1));
        t.commit()?;
        Ok(write_count + 1)
    }

    /// Whether the statistics must be counted again: marked pending (a bulk
    /// load or a sweeping update that did not finish), or missing from a
    /// store that holds data (one written by an older chronograph).
    pub fn statistics_need_recount(&self) -> Result<bool, StoreError> {
        let base = self.base();
        if cube::is_pending(self.oxigraph(), base)? {
            return Ok(true);
        }
        let graph = base.statistics_graph();
        let has_statistics = self
            .oxigraph()
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .next()
            .transpose()?
            .is_some();
        let has_data = self
            .oxigraph()
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(self.union_graph().as_ref())),
            )
            .next()
            .transpose()?
            .is_some();
        // Statistics written by an older version lack the data sets added
        // since (their descriptions are written with the first observation).
        let described = |slug: &str| -> Result<bool, StoreError> {
            Ok(self.oxigraph().contains(oxigraph::model::QuadRef::new(
                base.statistics_iri(slug, "").as_ref(),
                crate::mapping::vocab::rdf::type_,
                crate::mapping::vocab::qb::DataSet,
                GraphNameRef::NamedNode(graph.as_ref()),
            ))?)
        };
        let older = has_statistics
            && described(DATASETS[0].slug)?
            && !DATASETS
                .iter()
                .map(|d| described(d.slug))
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .all(|d| d);
        Ok((!has_statistics && has_data) || older)
    }

    /// The statistics as the statistics graph states them.
    pub fn statistics(&self) -> Result<Tally, StoreError> {
        Ok(cube::read_tally(self.oxigraph(), self.base())?)
    }

    /// How many writes the store has taken (see [`cube::write_count`]).
    pub fn write_count(&self) -> Result<u64, StoreError> {
        Ok(cube::write_count(self.oxigraph(), self.base())?)
    }

    /// One count of the statistics graph: the measure of the observation of
    /// `key`, 0 when there is none.
    pub fn statistic(&self, key: &StatKey) -> Result<i64, StoreError> {
        Ok(cube::cell_count(self.oxigraph(), self.base(), key)?)
    }

    /// Compares the statistics graph with a recount from the data; with
    /// `repair`, replaces it with the recount where they differ. Returns how
    /// many cells differed.
    pub fn check_statistics(&self, repair: bool) -> Result<usize, StoreError> {
        let counted = recount(self).map_err(|e| StoreError::Recount(Box::new(e)))?;
        let stated = self.statistics()?;
        let differing = counted
            .iter()
            .filter(|(k, v)| stated.get(*k) != Some(*v))
            .count()
            + stated.keys().filter(|k| !counted.contains_key(*k)).count();
        if repair && differing > 0 {
            self.write_statistics(&counted)?;
        }
        Ok(differing)
    }

    /// Counts the statistics again if they are pending or missing (see
    /// [`Self::statistics_need_recount`]); returns whether it did.
    pub fn recount_statistics_if_needed(&self) -> Result<bool, StoreError> {
        if !self.statistics_need_recount()? {
            return Ok(false);
        }
        tracing::warn!("the statistics are missing or were left pending: counting them again");
        self.recount_statistics()?;
        Ok(true)
    }
}

/// The date types `YEAR()` reads (the others have no year here either).
const DATED: &str = "FILTER(DATATYPE(?e) IN (xsd:date, xsd:dateTime, xsd:gYear, xsd:gYearMonth))";

/// One recount query: its text and how a row becomes a cell.
struct Count {
    query: String,
    cell: fn(&Row) -> Option<StatKey>,
}

fn node(row: &Row, name: &str) -> Option<NamedNode> {
    match row.get(name) {
        Some(Term::NamedNode(n)) => Some(n.clone()),
        _ => None,
    }
}

fn number(row: &Row, name: &str) -> Option<i64> {
    match row.get(name) {
        Some(Term::Literal(l)) => l
            .value()
            .parse::<i64>()
            .ok()
            .or_else(|| l.value().parse::<f64>().ok().map(|f| f as i64)),
        _ => None,
    }
}

fn counts() -> Vec<Count> {
    let documents_by = |predicate: &str| {
        format!(
            "SELECT ?k (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a cg:Document ; {predicate} ?k . FILTER(isIRI(?k)) }} GROUP BY ?k"
        )
    };
    let person_documents = "?d a cg:Document . { ?d schema:mentions ?p } UNION { ?d schema:sender ?p } UNION { ?d schema:recipient ?p } ?p a cg:Person .";
    vec![
        Count {
            query: "SELECT ?k (COUNT(*) AS ?n) WHERE { ?s a ?k FILTER(isIRI(?k)) } GROUP BY ?k".into(),
            cell: |r| node(r, "k").map(StatKey::ClassEntities),
        },
        Count {
            query: "SELECT ?k (COUNT(*) AS ?n) WHERE { ?s ?k ?o } GROUP BY ?k".into(),
            cell: |r| node(r, "k").map(StatKey::PropertyTriples),
        },
        Count {
            query: "SELECT ?k (COUNT(*) AS ?n) WHERE { GRAPH ?k { ?s ?p ?o } } GROUP BY ?k".into(),
            cell: |r| node(r, "k").map(StatKey::GraphTriples),
        },
        Count {
            query: format!("SELECT ?y (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a cg:Document ; cg:earliestDate ?e . {DATED} BIND(YEAR(?e) AS ?y) }} GROUP BY ?y"),
            cell: |r| number(r, "y").map(StatKey::DocumentsPerYear),
        },
        Count {
            query: format!("SELECT ?y (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a cg:Document ; cg:earliestDate ?e . {DATED} BIND(FLOOR(YEAR(?e) / 10) * 10 AS ?y) }} GROUP BY ?y"),
            cell: |r| number(r, "y").map(StatKey::DocumentsPerDecade),
        },
        Count {
            query: format!("SELECT ?y (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a sem:Event ; sem:hasEarliestBeginTimeStamp ?e . {DATED} BIND(YEAR(?e) AS ?y) }} GROUP BY ?y"),
            cell: |r| number(r, "y").map(StatKey::EventsPerYear),
        },
        Count {
            query: format!("SELECT ?y (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a sem:Event ; sem:hasEarliestBeginTimeStamp ?e . {DATED} BIND(FLOOR(YEAR(?e) / 10) * 10 AS ?y) }} GROUP BY ?y"),
            cell: |r| number(r, "y").map(StatKey::EventsPerDecade),
        },
        Count {
            query: format!("SELECT ?p (COUNT(DISTINCT ?d) AS ?n) WHERE {{ {person_documents} }} GROUP BY ?p"),
            cell: |r| node(r, "p").map(StatKey::DocumentsPerPerson),
        },
        Count {
            query: "SELECT ?p (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a sem:Event ; sem:hasActor ?p . ?p a cg:Person } GROUP BY ?p".into(),
            cell: |r| node(r, "p").map(StatKey::EventsPerPerson),
        },
        Count {
            query: format!("SELECT ?p ?y (COUNT(DISTINCT ?d) AS ?n) WHERE {{ {person_documents} ?d cg:earliestDate ?e . {DATED} BIND(YEAR(?e) AS ?y) }} GROUP BY ?p ?y"),
            cell: |r| Some(StatKey::DocumentsPerPersonAndYear(node(r, "p")?, number(r, "y")?)),
        },
        Count {
            query: format!("SELECT ?p ?y (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a sem:Event ; sem:hasActor ?p ; sem:hasEarliestBeginTimeStamp ?e . ?p a cg:Person . {DATED} BIND(YEAR(?e) AS ?y) }} GROUP BY ?p ?y"),
            cell: |r| Some(StatKey::EventsPerPersonAndYear(node(r, "p")?, number(r, "y")?)),
        },
        Count {
            query: "SELECT ?a ?b (COUNT(DISTINCT ?i) AS ?n) WHERE { { ?i a cg:Document ; schema:mentions ?a, ?b } UNION { ?i a sem:Event ; sem:hasActor ?a, ?b } ?a a cg:Person . ?b a cg:Person . FILTER(isIRI(?a) && isIRI(?b) && STR(?a) < STR(?b)) } GROUP BY ?a ?b".into(),
            cell: |r| Some(StatKey::PeopleNamedTogether(node(r, "a")?, node(r, "b")?)),
        },
        Count {
            query: documents_by("dcterms:isPartOf"),
            cell: |r| node(r, "k").map(StatKey::DocumentsPerCollection),
        },
        Count {
            query: documents_by("schema:holdingArchive"),
            cell: |r| node(r, "k").map(StatKey::DocumentsPerArchive),
        },
        Count {
            query: documents_by("schema:translator"),
            cell: |r| node(r, "k").map(StatKey::DocumentsPerTranslator),
        },
        Count {
            query: "SELECT ?k (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a cg:Document ; dcterms:language ?l . FILTER(isLiteral(?l)) BIND(STR(?l) AS ?k) } GROUP BY ?k".into(),
            cell: |r| match r.get("k") {
                Some(Term::Literal(l)) => Some(StatKey::DocumentsPerLanguage(l.value().to_owned())),
                _ => None,
            },
        },
    ]
}

/// Every statistic, counted from the store's data.
fn recount(store: &ArchiveStore) -> Result<Tally, QueryError> {
    let derived = [store.union_graph().clone(), store.base().statistics_graph()];
    let mut tally = Tally::new();
    for count in counts() {
        for row in select_rows(store, &count.query)? {
            let Some(key) = (count.cell)(&row) else {
                continue;
            };
            if matches!(&key, StatKey::GraphTriples(g) if derived.contains(g)) {
                continue;
            }
            let n = number(&row, "n").unwrap_or(0);
            if n > 0 {
                *tally.entry(key).or_insert(0) += n;
            }
        }
    }
    derive_pair_rankings(&mut tally);
    Ok(tally)
}
