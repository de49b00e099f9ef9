//! The review file: a tab-separated table that opens in a spreadsheet, one row
//! per doubtful candidate. The curator writes `accept`, `reject` or another QID
//! in the `decision` column; every later run honours it, keeps the row as it
//! is, and never overwrites it.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{LinkError, ReviewError};

/// A curator's decision on one candidate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Decision {
    /// Not decided yet (an empty cell).
    #[default]
    Undecided,
    /// Link to this candidate.
    Accept,
    /// Never link to this candidate.
    Reject,
    /// Link to another item instead.
    Other(String),
}

impl Decision {
    /// A decision cell; `None` when it holds something else.
    fn parse(cell: &str) -> Option<Self> {
        let cell = cell.trim();
        let upper = cell.to_ascii_uppercase();
        match cell.to_ascii_lowercase().as_str() {
            "" => Some(Self::Undecided),
            "accept" | "yes" | "y" => Some(Self::Accept),
            "reject" | "no" | "n" => Some(Self::Reject),
            _ if is_qid(&upper) => Some(Self::Other(upper)),
            _ => None,
        }
    }

    fn as_cell(&self) -> String {
        match self {
            Self::Undecided => String::new(),
            Self::Accept => "accept".into(),
            Self::Reject => "reject".into(),
            Self::Other(qid) => qid.clone(),
        }
    }
}

/// Whether text is a Wikidata item id (Q followed by digits).
pub fn is_qid(text: &str) -> bool {
    text.len() > 1 && text.starts_with('Q') && text[1..].bytes().all(|b| b.is_ascii_digit())
}

/// One row of the review file.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    /// Our IRI.
    pub iri: String,
    /// Our name.
    pub name: String,
    /// Life span and description, to help the curator.
    pub context: String,
    /// The candidate.
    pub candidate_qid: String,
    /// Its label.
    pub label: String,
    /// Its description.
    pub description: String,
    /// The scorer's score.
    pub score: String,
    /// The scorer's evidence, `|`-separated.
    pub evidence: String,
    /// The curator's decision.
    pub decision: Decision,
}

#[derive(Serialize, Deserialize)]
struct Line {
    iri: String,
    name: String,
    context: String,
    candidate_qid: String,
    label: String,
    description: String,
    score: String,
    evidence: String,
    decision: String,
}

/// Reads the review file; a missing file is an empty review.
pub fn read(path: &Path) -> Result<Vec<ReviewRow>, LinkError> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let fail = |source: ReviewError| LinkError::Review {
        path: path.to_owned(),
        source,
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .from_path(path)
        .map_err(|e| fail(e.into()))?;
    let mut rows = Vec::new();
    for (i, line) in reader.deserialize::<Line>().enumerate() {
        let line = line.map_err(|e| fail(e.into()))?;
        let decision = Decision::parse(&line.decision).ok_or_else(|| {
            fail(ReviewError::Decision {
                line: i + 2,
                cell: line.decision.trim().to_owned(),
            })
        })?;
        rows.push(ReviewRow {
            iri: line.iri,
            name: restore(line.name),
            context: restore(line.context),
            candidate_qid: line.candidate_qid,
            label: restore(line.label),
            description: restore(line.description),
            score: line.score,
            evidence: restore(line.evidence),
            decision,
        });
    }
    Ok(rows)
}

/// The first characters that make a spreadsheet read a cell as a formula
/// (OWASP's CSV injection list): `=`, `+`, `-`, `@`, a tab, a carriage return.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell from harvested data or an API answer, safe to open in a
/// spreadsheet: one that would start a formula is written after a `'`, which
/// spreadsheets show as text and [`restore`] removes.
fn neutralise(cell: &str) -> String {
    if cell.starts_with(FORMULA_STARTS) || cell.starts_with('\'') {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// The text [`neutralise`] wrote a cell for.
fn restore(cell: String) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) || rest.starts_with('\'') => rest.to_owned(),
        _ => cell,
    }
}

/// Writes the review file, whole or not at all. Cells that come from the
/// data or the API are [`neutralise`]d for spreadsheets.
pub fn write(path: &Path, rows: &[ReviewRow]) -> Result<(), LinkError> {
    chronograph_core::files::write_atomically(path, |out| {
        let mut writer = csv::WriterBuilder::new().delimiter(b'\t').from_writer(out);
        for row in rows {
            writer.serialize(Line {
                iri: row.iri.clone(),
                name: neutralise(&row.name),
                context: neutralise(&row.context),
                candidate_qid: row.candidate_qid.clone(),
                label: neutralise(&row.label),
                description: neutralise(&row.description),
                score: row.score.clone(),
                evidence: neutralise(&row.evidence),
                decision: row.decision.as_cell(),
            })?;
        }
        if rows.is_empty() {
            writer.write_record([
                "iri",
                "name",
                "context",
                "candidate_qid",
                "label",
                "description",
                "score",
                "evidence",
                "decision",
            ])?;
        }
        writer.flush()
    })
    .map_err(|e| LinkError::Review {
        path: path.to_owned(),
        source: ReviewError::Io(e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_round_trip_and_bad_ones_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("review.tsv");
        assert!(read(&path).unwrap().is_empty());
        let row = ReviewRow {
            iri: "http://localhost:7878/person/x".into(),
            name: "X".into(),
            context: "1900-1950".into(),
            candidate_qid: "Q1".into(),
            label: "X".into(),
            description: "a person".into(),
            score: "0.700".into(),
            evidence: "name 1.00 | dates 0.50".into(),
            decision: Decision::Other("Q42".into()),
        };
        write(&path, std::slice::from_ref(&row)).unwrap();
        assert_eq!(read(&path).unwrap(), vec![row]);
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("\tQ42\n", "\tmaybe\n");
        std::fs::write(&path, text).unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("maybe"), "{err}");
        assert_eq!(Decision::parse(" Accept ").unwrap(), Decision::Accept);
        assert_eq!(Decision::parse("q5").unwrap(), Decision::Other("Q5".into()));
    }

    /// A name or description from the data that a spreadsheet would run as
    /// a formula is written as text, and reads back as it was.
    #[test]
    fn formula_cells_are_neutralised_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("review.tsv");
        let row = ReviewRow {
            iri: "http://localhost:7878/person/x".into(),
            name: "=HYPERLINK(\"http://evil.example\",\"X\")".into(),
            context: "+1-2".into(),
            candidate_qid: "Q1".into(),
            label: "@SUM(A1)".into(),
            description: "-2+3".into(),
            score: "0.700".into(),
            evidence: "'quoted".into(),
            decision: Decision::Undecided,
        };
        write(&path, std::slice::from_ref(&row)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        // Read by an independent TSV reading: no cell starts a formula.
        for line in text.lines().skip(1) {
            for cell in line.split('\t') {
                let cell = cell.trim_start_matches('"');
                assert!(!cell.starts_with(FORMULA_STARTS), "{cell:?} in {line:?}");
            }
        }
        assert_eq!(read(&path).unwrap(), vec![row]);
    }
}
