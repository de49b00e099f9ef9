//! Text templates: sentences with slots, parsed once, and the capitalised words of the fixed text.

use std::collections::HashSet;

use chronograph_core::dates::MONTH_NAMES as MONTHS;

use crate::tables::{
    AGREEMENTS, EVENT_SENTENCES, MATTERS, NATIONS, SENTENCES, SUMMARIES, TITLE_WORDS,
};

/// A slot of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// A person of the document (or the event's first person).
    P,
    /// Another person of the document (the event's second).
    Q,
    /// The event's other people ("; X and Y are also present"), or nothing.
    Rest,
    /// A city.
    City,
    /// A country ("the DPRK", "Hungary").
    Country,
    /// An organisation.
    Org,
    /// A nation's adjective ("Soviet").
    Nat,
    Matter,
    Agreement,
    Commodity,
    Num,
    Big,
    Hours,
    Percent,
    Month,
    Year,
    DayMonth,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seg {
    Text(&'static str),
    Slot(Slot),
}

pub(crate) fn parse_template(template: &'static str) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(Seg::Text(&rest[..open]));
        }
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let slot = match &rest[open + 1..close] {
            "P" => Slot::P,
            "Q" => Slot::Q,
            "REST" => Slot::Rest,
            "CITY" => Slot::City,
            "COUNTRY" => Slot::Country,
            "ORG" => Slot::Org,
            "NAT" => Slot::Nat,
            "MATTER" => Slot::Matter,
            "AGR" => Slot::Agreement,
            "COMM" => Slot::Commodity,
            "NUM" => Slot::Num,
            "BIG" => Slot::Big,
            "HOURS" => Slot::Hours,
            "PCT" => Slot::Percent,
            "MONTH" => Slot::Month,
            "YEAR" => Slot::Year,
            _ => Slot::DayMonth,
        };
        out.push(Seg::Slot(slot));
        rest = rest.get(close + 1..).unwrap_or("");
    }
    if !rest.is_empty() {
        out.push(Seg::Text(rest));
    }
    out
}

/// Templates, parsed once.
pub(crate) struct Templates {
    pub(crate) sentences: Vec<Vec<Seg>>,
    pub(crate) events: Vec<Vec<Seg>>,
    pub(crate) summaries: Vec<Vec<Seg>>,
}

impl Templates {
    pub(crate) fn new() -> Self {
        let parse = |list: &[&'static str]| list.iter().map(|t| parse_template(t)).collect();
        Self {
            sentences: parse(&SENTENCES),
            events: parse(&EVENT_SENTENCES),
            summaries: parse(&SUMMARIES),
        }
    }
}

/// Capitalised words of the fixed text: no name may equal one of them, or the
/// mention finder would see a person where the template meant a word.
pub(crate) fn fixed_words() -> HashSet<&'static str> {
    let texts = SENTENCES
        .iter()
        .chain(EVENT_SENTENCES.iter())
        .chain(SUMMARIES.iter())
        .chain(MATTERS.iter())
        .chain(AGREEMENTS.iter())
        .chain(TITLE_WORDS.iter())
        .copied()
        .chain(NATIONS.iter().map(|n| n.adjective));
    texts
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric() && c != '\''))
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .chain(MONTHS)
        .collect()
}
