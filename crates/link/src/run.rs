//! One linking run: read the people (places, organisations) from the store,
//! ask Wikidata for candidates, score them, honour the curator's decisions,
//! write the links graph with its provenance and the review file.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use oxigraph::model::{Literal, NamedNode, Quad, Term};

use crate::client::is_entity_id;
use crate::error::LinkError;
use crate::review::{self, Decision, ReviewRow};
use crate::score::{self, Candidate, Score, Subject, SubjectKind, Thresholds, Verdict};
use chronograph_core::ids::short_hash;
use chronograph_core::mapping::vocab::{cg, owl, prov, rdf, schema, xsd};
use chronograph_core::query;
use chronograph_core::store::{ArchiveStore, SOFTWARE_AGENT};

/// Wikidata's entity namespace.
pub const WIKIDATA_ENTITY: &str = "http://www.wikidata.org/entity/";

/// Where candidates come from: the Wikidata API client (with its cache), or a
/// test double.
pub trait CandidateSource {
    /// QIDs found for a name, best first.
    fn search(&self, name: &str) -> Result<Vec<String>, LinkError>;
    /// The candidates' labels, aliases, types and dates.
    fn entities(&self, qids: &[String]) -> Result<Vec<Candidate>, LinkError>;
}

/// One thing to link.
#[derive(Debug, Clone)]
pub struct Target {
    /// Our IRI.
    pub iri: NamedNode,
    /// What we know.
    pub subject: Subject,
    /// A line of context for the curator (life span, description).
    pub context: String,
}

/// The outcome for one target.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Our IRI.
    pub iri: NamedNode,
    /// Our name.
    pub name: String,
    /// The QID linked, if any.
    pub linked: Option<String>,
    /// How it was decided.
    pub method: &'static str,
    /// Candidates with their scores and verdicts, best first.
    pub candidates: Vec<(Candidate, Score, Verdict)>,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkSummary {
    /// Things considered.
    pub targets: usize,
    /// Linked (by the scorer or a curator).
    pub linked: usize,
    /// Of which by a curator's decision.
    pub by_curator: usize,
    /// With candidates in the review file and no link.
    pub to_review: usize,
    /// Without any candidate worth reviewing.
    pub no_candidate: usize,
}

/// Reads what to link from the store: people with their names, variants, life
/// span and the years of the events and documents that mention them.
pub fn targets(store: &ArchiveStore) -> Result<Vec<Target>, LinkError> {
    let rows = select(
        store,
        "SELECT ?p ?name ?variant ?birth ?death ?span ?description WHERE {
           ?p a cg:Person ; schema:name ?name .
           OPTIONAL { ?p skos:altLabel ?variant }
           OPTIONAL { ?p schema:birthDate ?birth }
           OPTIONAL { ?p schema:deathDate ?death }
           OPTIONAL { ?p cg:lifeSpanText ?span }
           OPTIONAL { ?p schema:description ?description }
         } ORDER BY ?p",
    )?;
    let mentions = select(
        store,
        "SELECT ?p ?day WHERE {
           { ?e sem:hasActor ?p ; sem:hasEarliestBeginTimeStamp ?day }
           UNION { ?d schema:mentions ?p ; cg:earliestDate ?day }
           ?p a cg:Person }",
    )?;
    let mut years: HashMap<String, Vec<i32>> = HashMap::new();
    for row in &mentions {
        if let (Some(p), Some(year)) = (row.get("p"), row.get("day").and_then(|d| year_of(d))) {
            years.entry(p.clone()).or_default().push(year);
        }
    }
    let mut by_iri: BTreeMap<String, Target> = BTreeMap::new();
    for row in &rows {
        let Some(iri) = row.get("p") else { continue };
        let entry = by_iri.entry(iri.clone()).or_insert_with(|| Target {
            iri: NamedNode::new_unchecked(iri.clone()),
            subject: Subject {
                name: row.get("name").cloned().unwrap_or_default(),
                kind: SubjectKind::Person,
                mention_years: years.get(iri).cloned().unwrap_or_default(),
                ..Subject::default()
            },
            context: String::new(),
        });
        let s = &mut entry.subject;
        if let Some(v) = row.get("variant") {
            if !s.variants.contains(v) && *v != s.name {
                s.variants.push(v.clone());
            }
        }
        if s.birth_year.is_none() {
            s.birth_year = row.get("birth").and_then(|d| year_of(d));
        }
        if s.death_year.is_none() {
            s.death_year = row.get("death").and_then(|d| year_of(d));
        }
        if entry.context.is_empty() {
            let parts: Vec<&str> = [row.get("span"), row.get("description")]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            entry.context = parts.join("; ");
        }
    }
    for row in &rows {
        if let (Some(iri), Some(d)) = (row.get("p"), row.get("description")) {
            if let Some(t) = by_iri.get_mut(iri) {
                t.subject.description.get_or_insert_with(|| d.clone());
            }
        }
    }
    let others = select(
        store,
        "SELECT ?p ?kind ?name ?variant ?description WHERE {
           VALUES (?class ?kind) { (cg:Place \"place\") (cg:Organisation \"organisation\") }
           ?p a ?class ; schema:name ?name .
           OPTIONAL { ?p skos:altLabel ?variant }
           OPTIONAL { ?p schema:description ?description }
         } ORDER BY ?p",
    )?;
    for row in others {
        let Some(iri) = row.get("p") else { continue };
        if by_iri.contains_key(iri) && by_iri[iri].subject.kind == SubjectKind::Person {
            continue;
        }
        let kind = if row.get("kind").map(String::as_str) == Some("place") {
            SubjectKind::Place
        } else {
            SubjectKind::Organisation
        };
        let entry = by_iri.entry(iri.clone()).or_insert_with(|| Target {
            iri: NamedNode::new_unchecked(iri.clone()),
            subject: Subject {
                name: row.get("name").cloned().unwrap_or_default(),
                kind,
                description: row.get("description").cloned(),
                ..Subject::default()
            },
            context: row.get("description").cloned().unwrap_or_default(),
        });
        if let Some(v) = row.get("variant") {
            if !entry.subject.variants.contains(v) && *v != entry.subject.name {
                entry.subject.variants.push(v.clone());
            }
        }
    }
    Ok(by_iri.into_values().collect())
}

fn year_of(lexical: &str) -> Option<i32> {
    let (sign, digits) = match lexical.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, lexical),
    };
    digits.get(..4)?.parse::<i32>().ok().map(|y| sign * y)
}

/// A SELECT's rows with every value as plain text.
fn select(store: &ArchiveStore, text: &str) -> Result<Vec<HashMap<String, String>>, LinkError> {
    let rows = query::select_rows(store, text)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|(variable, term)| (variable, query::term_text(&term)))
                .collect()
        })
        .collect())
}

/// The names worth searching for: the preferred name and the variants of two
/// words or more (a bare "Kim" finds thousands), at most four.
pub fn search_names(subject: &Subject) -> Vec<String> {
    let mut names = vec![subject.name.clone()];
    for v in &subject.variants {
        let normal = score::normalise(v);
        if normal.split(' ').count() >= 2 && !names.iter().any(|n| score::normalise(n) == normal) {
            names.push(v.clone());
        }
    }
    names.truncate(4);
    names
}

/// Links one target: candidates, scores, the curator's word.
pub fn link_one(
    target: &Target,
    source: &dyn CandidateSource,
    thresholds: Thresholds,
    decisions: &[ReviewRow],
) -> Result<Outcome, LinkError> {
    let mut qids: Vec<String> = Vec::new();
    for name in search_names(&target.subject) {
        for qid in source.search(&name)? {
            if !qids.contains(&qid) {
                qids.push(qid);
            }
        }
    }
    // A QID the curator chose is fetched too, even when no search finds it.
    for row in decisions {
        if let Decision::Other(qid) = &row.decision {
            if !qids.contains(qid) {
                qids.push(qid.clone());
            }
        }
    }
    let candidates = if qids.is_empty() {
        Vec::new()
    } else {
        source.entities(&qids)?
    };
    let scored: Vec<(String, Score)> = candidates
        .iter()
        .map(|c| (c.qid.clone(), score::score(&target.subject, c)))
        .collect();
    let verdicts: HashMap<String, Verdict> =
        score::decide(&scored, thresholds).into_iter().collect();
    let mut ranked: Vec<(Candidate, Score, Verdict)> = candidates
        .into_iter()
        .zip(scored)
        .map(|(c, (_, s))| {
            let v = verdicts.get(&c.qid).copied().unwrap_or(Verdict::Rejected);
            (c, s, v)
        })
        .collect();
    ranked.sort_by(|a, b| b.1.value.total_cmp(&a.1.value));

    // The curator wins: another QID, an accepted candidate, or rejections.
    let linked;
    let mut method = "scorer";
    if let Some(qid) = decisions.iter().find_map(|r| match &r.decision {
        Decision::Other(q) => Some(q.clone()),
        Decision::Accept => Some(r.candidate_qid.clone()),
        _ => None,
    }) {
        linked = Some(qid);
        method = "curator";
    } else {
        let rejected: Vec<&str> = decisions
            .iter()
            .filter(|r| r.decision == Decision::Reject)
            .map(|r| r.candidate_qid.as_str())
            .collect();
        for (c, _, v) in &mut ranked {
            if rejected.contains(&c.qid.as_str()) {
                *v = Verdict::Rejected;
            }
        }
        linked = ranked
            .iter()
            .find(|(_, _, v)| *v == Verdict::Accepted)
            .map(|(c, _, _)| c.qid.clone());
    }
    Ok(Outcome {
        iri: target.iri.clone(),
        name: target.subject.name.clone(),
        linked,
        method,
        candidates: ranked,
    })
}

/// The quads of the links graph: `owl:sameAs` and `schema:sameAs` for each
/// link, and a `cg:Link` node with the score, the evidence, the method, the
/// time and the tool version, so a query can show why a link exists.
pub fn link_quads(outcomes: &[Outcome], graph: &NamedNode, base: &str, now: &str) -> Vec<Quad> {
    let mut out = Vec::new();
    let agent = NamedNode::new_unchecked(SOFTWARE_AGENT);
    let mut add = |s: &NamedNode, p: oxigraph::model::NamedNodeRef<'_>, o: Term| {
        out.push(Quad::new(s.clone(), p, o, graph.clone()));
    };
    for outcome in outcomes {
        let Some(qid) = &outcome.linked else { continue };
        if !is_entity_id(qid) {
            // Never reached from the API or the review file, which are
            // checked; kept so that no id ever becomes statements unchecked.
            tracing::warn!(%qid, "not a Wikidata id; no link written");
            continue;
        }
        let item = NamedNode::new_unchecked(format!("{WIKIDATA_ENTITY}{qid}"));
        add(&outcome.iri, owl::sameAs, item.clone().into());
        add(&outcome.iri, schema::sameAs, item.clone().into());
        let link = NamedNode::new_unchecked(format!(
            "{base}link/{}",
            short_hash(&format!("{}\n{qid}", outcome.iri.as_str()))
        ));
        add(&link, rdf::type_, cg::Link.into_owned().into());
        add(&link, cg::linkSubject, outcome.iri.clone().into());
        add(&link, cg::linkTarget, item.into());
        add(
            &link,
            cg::linkMethod,
            Literal::new_simple_literal(outcome.method).into(),
        );
        let found = outcome.candidates.iter().find(|(c, _, _)| &c.qid == qid);
        if let Some((_, score, _)) = found {
            add(
                &link,
                cg::linkScore,
                Literal::new_typed_literal(format!("{:.3}", score.value), xsd::decimal).into(),
            );
            for line in &score.evidence {
                add(
                    &link,
                    cg::linkEvidence,
                    Literal::new_simple_literal(line).into(),
                );
            }
        }
        add(
            &link,
            prov::generatedAtTime,
            Literal::new_typed_literal(now, xsd::dateTime).into(),
        );
        add(&link, prov::wasAttributedTo, agent.clone().into());
        add(
            &link,
            schema::softwareVersion,
            Literal::new_simple_literal(env!("CARGO_PKG_VERSION")).into(),
        );
    }
    out
}

/// The review rows of a run: every candidate worth a look for targets without
/// a link, plus the curator's earlier rows, kept as they were.
pub fn review_rows(
    outcomes: &[Outcome],
    targets: &[Target],
    earlier: &[ReviewRow],
) -> Vec<ReviewRow> {
    let context: HashMap<&str, &str> = targets
        .iter()
        .map(|t| (t.iri.as_str(), t.context.as_str()))
        .collect();
    let mut rows: Vec<ReviewRow> = earlier
        .iter()
        .filter(|r| r.decision != Decision::Undecided)
        .cloned()
        .collect();
    for outcome in outcomes {
        if outcome.linked.is_some() {
            continue;
        }
        for (c, s, v) in &outcome.candidates {
            if *v != Verdict::Review {
                continue;
            }
            if rows
                .iter()
                .any(|r| r.iri == outcome.iri.as_str() && r.candidate_qid == c.qid)
            {
                continue;
            }
            rows.push(ReviewRow {
                iri: outcome.iri.as_str().to_owned(),
                name: outcome.name.clone(),
                context: context
                    .get(outcome.iri.as_str())
                    .copied()
                    .unwrap_or("")
                    .to_owned(),
                candidate_qid: c.qid.clone(),
                label: c.labels.first().cloned().unwrap_or_default(),
                description: c.description.clone().unwrap_or_default(),
                score: format!("{:.3}", s.value),
                evidence: s.evidence.join(" | "),
                decision: Decision::Undecided,
            });
        }
    }
    rows
}

/// Runs the whole linking: targets, candidates, links graph, review file.
pub fn run(
    store: &ArchiveStore,
    source: &dyn CandidateSource,
    thresholds: Thresholds,
    review_file: &Path,
    progress: &indicatif::ProgressBar,
) -> Result<(LinkSummary, Vec<Outcome>), LinkError> {
    let targets = targets(store)?;
    let earlier = review::read(review_file)?;
    progress.set_length(targets.len() as u64);
    let mut outcomes = Vec::new();
    for target in &targets {
        progress.set_message(target.subject.name.clone());
        let decisions: Vec<ReviewRow> = earlier
            .iter()
            .filter(|r| r.iri == target.iri.as_str() && r.decision != Decision::Undecided)
            .cloned()
            .collect();
        outcomes.push(link_one(target, source, thresholds, &decisions)?);
        progress.inc(1);
    }
    let graph = store.base().links_graph();
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let quads = link_quads(&outcomes, &graph, store.base().as_str(), &now);
    store.replace_named_graph(&graph, &quads)?;
    let rows = review_rows(&outcomes, &targets, &earlier);
    review::write(review_file, &rows)?;
    let mut summary = LinkSummary {
        targets: targets.len(),
        ..LinkSummary::default()
    };
    for o in &outcomes {
        if o.linked.is_some() {
            summary.linked += 1;
            if o.method == "curator" {
                summary.by_curator += 1;
            }
        } else if o.candidates.iter().any(|(_, _, v)| *v == Verdict::Review) {
            summary.to_review += 1;
        } else {
            summary.no_candidate += 1;
        }
    }
    Ok((summary, outcomes))
}
