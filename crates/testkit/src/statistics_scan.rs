//! The statistics computed the plainest way: every quad of the union graph
//! read into maps, and each data set counted from them. Independent of the
//! code under test (neither its per-record contributions nor its SPARQL
//! recount): what the statistics graph must equal.

use std::collections::{BTreeSet, HashMap, HashSet};

use chronograph_core::statistics::{StatKey, Tally, LEADING_PAIRS};
use chronograph_core::store::ArchiveStore;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Term};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const CG: &str = "https://w3id.org/chronograph/ontology#";
const SCHEMA: &str = "https://schema.org/";
const SEM: &str = "http://semanticweb.cs.vu.nl/2009/11/sem/";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// The year of a date literal of a type SPARQL's `YEAR()` reads.
fn year(term: &Term) -> Option<i64> {
    let Term::Literal(l) = term else { return None };
    let datatype = l.datatype().as_str().strip_prefix(XSD)?;
    if !["date", "dateTime", "gYear", "gYearMonth"].contains(&datatype) {
        return None;
    }
    let text = l.value();
    let negative = text.starts_with('-');
    let body = text.trim_start_matches('-');
    let end = body
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(body.len());
    let y: i64 = body[..end].parse().ok()?;
    Some(if negative { -y } else { y })
}

/// Every statistic, counted by a plain scan of the store's quads.
pub fn statistics_by_scan(store: &ArchiveStore) -> Tally {
    let union = GraphName::NamedNode(store.union_graph().clone());
    let statistics = GraphName::NamedNode(store.base().statistics_graph());
    let mut tally = Tally::new();
    let mut bump = |key: StatKey| *tally.entry(key).or_insert(0) += 1;
    let mut about: HashMap<NamedNode, HashMap<String, Vec<Term>>> = HashMap::new();
    for quad in store.oxigraph().iter() {
        let quad = quad.expect("a readable store");
        if quad.graph_name == statistics {
            continue;
        }
        if quad.graph_name != union {
            if let GraphName::NamedNode(g) = &quad.graph_name {
                bump(StatKey::GraphTriples(g.clone()));
            }
            continue;
        }
        bump(StatKey::PropertyTriples(quad.predicate.clone()));
        if quad.predicate.as_str() == RDF_TYPE {
            if let Term::NamedNode(class) = &quad.object {
                bump(StatKey::ClassEntities(class.clone()));
            }
        }
        if let NamedOrBlankNode::NamedNode(s) = quad.subject {
            about
                .entry(s)
                .or_default()
                .entry(quad.predicate.as_str().to_owned())
                .or_default()
                .push(quad.object);
        }
    }
    let values = |s: &NamedNode, p: &str| -> Vec<Term> {
        about
            .get(s)
            .and_then(|m| m.get(p))
            .cloned()
            .unwrap_or_default()
    };
    let has_type = |s: &NamedNode, class: &str| {
        values(s, RDF_TYPE)
            .iter()
            .any(|t| matches!(t, Term::NamedNode(n) if n.as_str() == class))
    };
    let person = format!("{CG}Person");
    let people_of = |s: &NamedNode, predicates: &[String]| -> BTreeSet<NamedNode> {
        predicates
            .iter()
            .flat_map(|p| values(s, p))
            .filter_map(|t| match t {
                Term::NamedNode(n) if has_type(&n, &person) => Some(n),
                _ => None,
            })
            .collect()
    };
    let mut cells: Vec<StatKey> = Vec::new();
    for subject in about.keys() {
        let mut pairs: HashSet<(NamedNode, NamedNode)> = HashSet::new();
        let mut add_pairs = |people: &BTreeSet<NamedNode>| {
            for a in people {
                for b in people {
                    if a.as_str() < b.as_str() {
                        pairs.insert((a.clone(), b.clone()));
                    }
                }
            }
        };
        if has_type(subject, &format!("{CG}Document")) {
            let years: BTreeSet<i64> = values(subject, &format!("{CG}earliestDate"))
                .iter()
                .filter_map(year)
                .collect();
            let decades: BTreeSet<i64> = years.iter().map(|y| y.div_euclid(10) * 10).collect();
            cells.extend(years.iter().map(|y| StatKey::DocumentsPerYear(*y)));
            cells.extend(decades.iter().map(|d| StatKey::DocumentsPerDecade(*d)));
            let named = people_of(
                subject,
                &[
                    format!("{SCHEMA}mentions"),
                    format!("{SCHEMA}sender"),
                    format!("{SCHEMA}recipient"),
                ],
            );
            for p in &named {
                cells.push(StatKey::DocumentsPerPerson(p.clone()));
                for y in &years {
                    cells.push(StatKey::DocumentsPerPersonAndYear(p.clone(), *y));
                }
            }
            add_pairs(&people_of(subject, &[format!("{SCHEMA}mentions")]));
            let iris = |p: &str| -> BTreeSet<NamedNode> {
                values(subject, p)
                    .into_iter()
                    .filter_map(|t| match t {
                        Term::NamedNode(n) => Some(n),
                        _ => None,
                    })
                    .collect()
            };
            cells.extend(
                iris(&format!("{DCTERMS}isPartOf"))
                    .into_iter()
                    .map(StatKey::DocumentsPerCollection),
            );
            cells.extend(
                iris(&format!("{SCHEMA}holdingArchive"))
                    .into_iter()
                    .map(StatKey::DocumentsPerArchive),
            );
            cells.extend(
                iris(&format!("{SCHEMA}translator"))
                    .into_iter()
                    .map(StatKey::DocumentsPerTranslator),
            );
            let languages: BTreeSet<String> = values(subject, &format!("{DCTERMS}language"))
                .into_iter()
                .filter_map(|t| match t {
                    Term::Literal(l) => Some(l.value().to_owned()),
                    _ => None,
                })
                .collect();
            cells.extend(languages.into_iter().map(StatKey::DocumentsPerLanguage));
        }
        if has_type(subject, &format!("{SEM}Event")) {
            let years: BTreeSet<i64> = values(subject, &format!("{SEM}hasEarliestBeginTimeStamp"))
                .iter()
                .filter_map(year)
                .collect();
            let decades: BTreeSet<i64> = years.iter().map(|y| y.div_euclid(10) * 10).collect();
            cells.extend(years.iter().map(|y| StatKey::EventsPerYear(*y)));
            cells.extend(decades.iter().map(|d| StatKey::EventsPerDecade(*d)));
            let actors = people_of(subject, &[format!("{SEM}hasActor")]);
            for p in &actors {
                cells.push(StatKey::EventsPerPerson(p.clone()));
                for y in &years {
                    cells.push(StatKey::EventsPerPersonAndYear(p.clone(), *y));
                }
            }
            add_pairs(&actors);
        }
        cells.extend(
            pairs
                .into_iter()
                .map(|(a, b)| StatKey::PeopleNamedTogether(a, b)),
        );
    }
    for cell in cells {
        bump(cell);
    }
    add_pair_rankings(&mut tally);
    tally
}

/// The rankings of the pairs, the plain way: the histogram of their counts,
/// and the pairs counting at least as much as the tenth of them all sorted
/// by count (every pair when there are fewer than ten).
fn add_pair_rankings(tally: &mut Tally) {
    let mut pairs: Vec<(NamedNode, NamedNode, i64)> = tally
        .iter()
        .filter_map(|(key, n)| match key {
            StatKey::PeopleNamedTogether(a, b) => Some((a.clone(), b.clone(), *n)),
            _ => None,
        })
        .collect();
    pairs.sort_by_key(|p| std::cmp::Reverse(p.2));
    let threshold = pairs.get(LEADING_PAIRS as usize - 1).map_or(1, |p| p.2);
    for (a, b, n) in pairs {
        *tally.entry(StatKey::PairsPerCount(n)).or_insert(0) += 1;
        if n >= threshold {
            tally.insert(StatKey::PeopleMostNamedTogether(a, b), n);
        }
    }
}

/// The cells where two tallies differ, as `(cell, left, right)`, for a
/// readable assertion message.
pub fn differences(left: &Tally, right: &Tally) -> Vec<(StatKey, i64, i64)> {
    let keys: BTreeSet<&StatKey> = left.keys().chain(right.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let (l, r) = (
                left.get(k).copied().unwrap_or(0),
                right.get(k).copied().unwrap_or(0),
            );
            (l != r).then(|| (k.clone(), l, r))
        })
        .collect()
}
