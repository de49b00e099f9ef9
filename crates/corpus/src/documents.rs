//! Documents: their date, people, sender, title, text, summary, citation and record.

use fastrand::Rng;

use chronograph_core::dates::{HistoricalDate, MONTH_NAMES as MONTHS};
use chronograph_core::model::{Citation, Document, EntityRef};

use crate::dates::{draw_date, uploaded_date, GenDate};
use crate::random::{
    capitalise, chance, exp, normal, pick, pick_str, record_rng, weighted, Stream,
};
use crate::tables::{
    Signature, ARCHIVES, DOCUMENT_DATES, FIRST_CITY, LEVELS, MATTERS, NATIONS, PLACES, TOPICS,
    TRANSLATOR_LANGUAGES,
};
use crate::templates::Templates;
use crate::text::{quick_slug, Fill};
use crate::world::World;
use crate::{FIRST_RECORD_ID, SITE, YEARS};

/// The rights statement of four documents in five.
pub(crate) const RIGHTS: &str = "The History and Public Policy Program welcomes reuse of Digital Archive materials for research and educational purposes. Some documents may be subject to copyright, which is retained by the rights holders in accordance with US and international copyright laws. When possible, rights holders have been contacted for permission to reproduce their materials.\n\nTo enquire about this document's rights status or request permission for commercial use, please contact the History and Public Policy Program.";
/// The short rights statement of the others.
pub(crate) const RIGHTS_SHORT: &str = "The History and Public Policy Program welcomes reuse of Digital Archive materials for research and educational purposes. Some documents may be subject to copyright, which is retained by the rights holders in accordance with US and international copyright laws.";

/// How a funding statement begins (the funders' names follow).
pub(crate) const FUNDING_PREFIX: &str = "This document was made possible with support from";

/// What an event needs of a document: its date and people (drawn first from its stream).
pub(crate) struct DocCore {
    pub(crate) date: GenDate,
    pub(crate) archive: usize,
    pub(crate) people: Vec<usize>,
}

/// A generated document, ready to be written as a record or a page.
pub(crate) struct GenDoc {
    pub(crate) record_id: String,
    pub(crate) node_id: String,
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) date: String,
    pub(crate) funders: Vec<usize>,
    pub(crate) sent_by: Vec<String>,
    pub(crate) received_by: Vec<String>,
    pub(crate) level: Option<&'static str>,
    pub(crate) classification: Option<&'static str>,
    pub(crate) serial_line: Option<String>,
    pub(crate) serial: Option<String>,
    pub(crate) text: String,
    pub(crate) summary: Option<String>,
    pub(crate) citation: Citation,
    pub(crate) archive: usize,
    pub(crate) rights: &'static str,
    pub(crate) languages: Vec<&'static str>,
    pub(crate) uploaded: String,
    pub(crate) people: Vec<usize>,
    pub(crate) places: Vec<usize>,
    pub(crate) organisations: Vec<usize>,
    pub(crate) subjects: Vec<&'static str>,
}

impl GenDoc {
    pub(crate) fn url(&self) -> String {
        format!("{SITE}/document/{}", self.slug)
    }

    pub(crate) fn funding_statement(&self, world: &World) -> Option<String> {
        let names: Vec<&str> = self
            .funders
            .iter()
            .map(|&f| world.organisations[f].name.as_str())
            .collect();
        (!names.is_empty()).then(|| format!("{FUNDING_PREFIX} {}", names.join(" and ")))
    }
}

pub(crate) fn record_id(index: usize) -> String {
    (FIRST_RECORD_ID + index as u64).to_string()
}

/// The text's target length in bytes: log-normal, median about 3.7 KB, a long tail.
pub(crate) fn text_length(rng: &mut Rng) -> usize {
    let length = 3_700.0 * exp(0.85 * normal(rng));
    length.clamp(500.0, 400_000.0) as usize
}

/// A `{sig}` of the archive's own scheme.
pub(crate) fn signature(rng: &mut Rng, scheme: Signature, year: i32) -> String {
    let countries = ["Korea", "China", "Vietnam", "Mongolia", "Albania"];
    match scheme {
        Signature::Avprf => format!(
            "AVPRF f. {:04}, op. {}, p. {}, d. {}",
            rng.u32(100..=112),
            rng.u32(1..=60),
            rng.u32(1..=120),
            rng.u32(1..=40)
        ),
        Signature::Rgani => format!(
            "RGANI f. {}, op. {}, d. {}",
            rng.u32(2..=89),
            rng.u32(1..=70),
            rng.u32(1..=900)
        ),
        Signature::Rgaspi => format!(
            "RGASPI f. {}, op. {}, d. {}",
            [17, 82, 495, 558][rng.usize(0..4)],
            rng.u32(1..=170),
            rng.u32(1..=1500)
        ),
        Signature::PrcFma => format!(
            "PRC FMA {}-{:05}-{:02}",
            rng.u32(102..=118),
            rng.u32(1..=3999),
            rng.u32(1..=12)
        ),
        Signature::Mol => format!(
            "MOL, XIX-J-1-j {}, {}. doboz, {}/{}, {:06}/{year}",
            pick(rng, &countries),
            rng.u32(1..=150),
            rng.u32(1..=40),
            (b'a' + rng.u8(0..6)) as char,
            rng.u32(100..=9999)
        ),
        Signature::PaAa => format!(
            "PA AA, MfAA, {} {}/{:02}",
            ["A", "C"][rng.usize(0..2)],
            rng.u32(100..=19999),
            year % 100
        ),
        Signature::Sapmo => format!(
            "SAPMO-BArch, DY 30, IV 2/{}.{:03}/{}",
            rng.u32(1..=20),
            rng.u32(1..=120),
            rng.u32(1..=300)
        ),
        Signature::Amsz => format!(
            "AMSZ, Zespół Depesze, wiązka {}, teczka {}",
            rng.u32(1..=80),
            rng.u32(1..=40)
        ),
        Signature::Amzv => format!(
            "AMZV, TO-T {} {}-{}, kart. {}",
            pick(rng, &countries),
            year,
            (year + 4).min(YEARS.1),
            rng.u32(1..=20)
        ),
        Signature::Anic => format!(
            "ANIC, CC RCP, Foreign Relations Section, file {}/{year}",
            rng.u32(1..=300)
        ),
        Signature::Tsda => format!(
            "TsDA, f. 1-B, op. {}, a.e. {}",
            rng.u32(5..=60),
            rng.u32(100..=4000)
        ),
        Signature::Nara => format!(
            "NARA, RG 59, Central Decimal File {}-{}, Box {}",
            year - year % 5,
            year - year % 5 + 4,
            rng.u32(1..=5000)
        ),
        Signature::Tna => format!("TNA, FO 371/{}", rng.u32(100_000..=190_000)),
        Signature::RokMofa => format!(
            "ROK MOFA Diplomatic Archives, D-{:04}, Frame {}",
            rng.u32(1..=9999),
            rng.u32(1..=500)
        ),
        Signature::Mna => format!(
            "MNA, f. {}, t. {}, kh/n {}",
            rng.u32(1..=9),
            rng.u32(1..=40),
            rng.u32(1..=300)
        ),
        Signature::Aqsh => format!("AQSH, F. 14/AP, M-PKK, V. {year}, D. {}", rng.u32(1..=100)),
    }
}

/// The source citation and its parts, as the page reader splits them.
pub(crate) fn citation(world: &World, rng: &mut Rng, archive: usize, year: i32) -> Citation {
    let spec = &ARCHIVES[archive];
    let sig = signature(rng, spec.signature, year);
    let pages = match rng.u32(0..100) {
        0..=59 => {
            let first = rng.u32(1..=300);
            Some(format!("{first}-{}", first + rng.u32(1..=12)))
        }
        60..=74 => Some(rng.u32(1..=300).to_string()),
        _ => None,
    };
    let mut translators = Vec::new();
    if spec.language != "English" {
        let pool = world
            .translators
            .get(spec.language)
            .filter(|pool| !pool.is_empty())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let all: Vec<usize> = (world.historical..world.people.len()).collect();
        let pool = if pool.is_empty() {
            all.as_slice()
        } else {
            pool
        };
        let first = *pick(rng, pool);
        translators.push(world.people[first].name.clone());
        if chance(rng, 12) {
            let second = *pick(rng, &all);
            if second != first {
                translators.push(world.people[second].name.clone());
            }
        }
    }
    let mut text = sig.clone();
    if let Some(pages) = &pages {
        text.push_str(", ");
        text.push_str(pages);
    }
    text.push('.');
    let mut contributors = Vec::new();
    if !translators.is_empty() {
        let how = match rng.u32(0..10) {
            0 => "Obtained and translated by",
            1 => "Translated for NKIDP by",
            _ => "Translated by",
        };
        if how.starts_with("Obtained") {
            contributors = translators.clone();
        }
        text.push_str(&format!(" {how} {}.", translators.join(" and ")));
    }
    // A signature that opens with the archive's own name (the ROK MOFA's)
    // cites the archive first, as the live site's source lines do.
    let (archive, signature) = match sig.split_once(", ") {
        Some((first, rest)) if first.ends_with(" Archives") => {
            (Some(first.to_owned()), rest.to_owned())
        }
        _ => (None, sig),
    };
    Citation {
        text,
        archive,
        archive_signature: Some(signature),
        pages,
        translators,
        contributors,
        ..Citation::default()
    }
}

impl World {
    /// The date, archive and people of document `index`: the first draws of its stream.
    pub(crate) fn doc_core(&self, seed: u64, index: usize) -> (Rng, DocCore) {
        let mut rng = record_rng(seed, Stream::Document, index as u64, 0);
        let date = draw_date(&mut rng, &DOCUMENT_DATES);
        let archive = weighted(&mut rng, &self.archive_weights);
        let count = weighted(&mut rng, &[(2, 25), (3, 30), (4, 20), (5, 15), (6, 10)]);
        let mut people = Vec::with_capacity(count);
        self.people_for(&mut rng, count, date.year, &mut people);
        (
            rng,
            DocCore {
                date,
                archive,
                people,
            },
        )
    }

    pub(crate) fn document(&self, seed: u64, index: usize, templates: &Templates) -> GenDoc {
        let (mut rng, core) = self.doc_core(seed, index);
        let rng = &mut rng;
        let DocCore {
            date,
            archive,
            people,
        } = core;
        let year = date.year;
        let nation = self.archive_nation[archive];
        // Where the document was written from: an embassy of the archive's nation, or home.
        let embassy = (!self.embassies[nation].is_empty() && chance(rng, 55))
            .then(|| *pick(rng, &self.embassies[nation]));
        let host = embassy.map_or_else(|| rng.usize(0..NATIONS.len()), |(host, _)| host);
        let mut nations = vec![nation];
        if host != nation {
            nations.push(host);
        }
        let city_of = |n: usize| {
            PLACES
                .iter()
                .position(|p| p.0 == NATIONS[n].capital)
                .unwrap_or(FIRST_CITY)
        };
        let mut cities: Vec<usize> = nations.iter().map(|&n| city_of(n)).collect();
        cities.push(*pick(rng, &self.cities));
        let mut orgs = vec![self.ministries[nation]];
        orgs.push(*pick(rng, &self.others));
        if let Some((_, e)) = embassy {
            orgs.push(e);
        }

        // Sender and receivers.
        let sender_person = embassy.is_none() && chance(rng, 75) || chance(rng, 35);
        let mut sent_by = Vec::new();
        let mut received_by = Vec::new();
        let mut named_orgs: Vec<usize> = Vec::new();
        if sender_person {
            let p = &self.people[people[0]];
            let form = match &p.formal {
                Some(formal) if chance(rng, 60) => formal.clone(),
                _ => p.name.clone(),
            };
            sent_by.push(form);
        } else {
            let org = embassy.map_or(self.ministries[nation], |(_, e)| e);
            sent_by.push(self.organisations[org].name.clone());
            named_orgs.push(org);
        }
        if chance(rng, 70) {
            if sender_person && people.len() > 1 && chance(rng, 60) {
                received_by.push(self.person_form(rng, people[1], 25).to_owned());
            }
            if received_by.is_empty() || chance(rng, 20) {
                let org = if embassy.is_some() || chance(rng, 50) {
                    self.ministries[nation]
                } else {
                    *pick(rng, &self.others)
                };
                received_by.push(self.organisations[org].name.clone());
                if !named_orgs.contains(&org) {
                    named_orgs.push(org);
                }
            }
        }

        let mut fill = Fill {
            world: self,
            people: &people,
            variant_percent: 30,
            cities: &cities,
            orgs: &orgs,
            nations: &nations,
            year,
            named_places: Vec::new(),
            named_orgs,
        };
        let two = |rng: &mut Rng, n: usize| {
            let p = if chance(rng, 50) { 0 } else { rng.usize(0..n) };
            let mut q = rng.usize(0..n);
            if n > 1 {
                while q == p {
                    q = rng.usize(0..n);
                }
            }
            (p, q)
        };

        // Title.
        let (p, q) = (0, 1.min(people.len() - 1));
        let title = match (sender_person, embassy) {
            (true, _) => {
                let a = sent_by[0].clone();
                let mut b = String::new();
                fill.name(rng, people[q], &mut b);
                let nat = NATIONS[nation].adjective;
                match rng.u32(0..8) {
                    0 => format!("Memorandum of Conversation between {a} and {b}"),
                    1 => format!("Record of a Conversation between {a} and {b}"),
                    2 => format!(
                        "Journal of {nat} Ambassador {a}, Record of a Conversation with {b}"
                    ),
                    3 => format!("Letter from {a} to {b}"),
                    4 => format!("Note on the Conversation of {a} with {b}"),
                    5 => {
                        let matter = capitalise(pick_str(rng, &MATTERS));
                        format!("Memorandum from {a} to {b}, '{matter}'")
                    }
                    6 => {
                        let mut t = format!("Information about the Talks between {a} and {b} in ");
                        fill.city(rng, &mut t);
                        t
                    }
                    _ => {
                        let mut t = format!("Speech by {a} at a Meeting of the ");
                        fill.org(rng, &mut t);
                        t
                    }
                }
            }
            (false, Some(_)) => {
                let from = &sent_by[0];
                match rng.u32(0..4) {
                    0 => format!(
                        "Cable from the {from}, '{}'",
                        capitalise(pick_str(rng, &MATTERS))
                    ),
                    1 => format!(
                        "Report from the {from}, '{}'",
                        capitalise(pick_str(rng, &MATTERS))
                    ),
                    2 => {
                        let ministry = &self.organisations[self.ministries[nation]].name;
                        format!("Telegram from the {from} to the {ministry}")
                    }
                    _ => format!("Note by the {from} on {}", pick_str(rng, &MATTERS)),
                }
            }
            (false, None) => {
                let from = &sent_by[0];
                if chance(rng, 50) {
                    format!("Information from the {from} on {}", pick_str(rng, &MATTERS))
                } else {
                    format!("Report, {from}, '{}'", capitalise(pick_str(rng, &MATTERS)))
                }
            }
        };

        // Text.
        let target = text_length(rng);
        let mut text = String::with_capacity(target + 1024);
        match rng.u32(0..10) {
            0..=3 => {
                text.push('[');
                fill.city(rng, &mut text);
                let month = MONTHS[rng.usize(0..12)];
                text.push_str(&format!(", {} {month} {year}]\n\n", rng.u32(1..=28)));
            }
            4 => text.push_str(&format!("Copy No. {}\n\n", rng.u32(1..=12))),
            _ => {}
        }
        while text.len() < target {
            let sentences = rng.usize(2..=7);
            for i in 0..sentences {
                if i > 0 {
                    if text.len() >= target {
                        break;
                    }
                    text.push(' ');
                }
                let (p, q) = two(rng, people.len());
                let template = pick(rng, &templates.sentences);
                fill.render(rng, template, p, q, &mut text);
            }
            text.push_str("\n\n");
        }
        if sender_person && chance(rng, 50) {
            text.push_str("[signature] ");
            text.push_str(&sent_by[0]);
        } else if !sender_person && chance(rng, 40) {
            text.push_str("[stamp] ");
            text.push_str(&sent_by[0]);
        } else {
            text.truncate(text.trim_end().len());
        }

        // Summary.
        let summary = chance(rng, 88).then(|| {
            let mut s = String::new();
            fill.variant_percent = 10;
            let template = pick(rng, &templates.summaries);
            fill.render(rng, template, p, q, &mut s);
            fill.variant_percent = 30;
            s
        });

        // Document information.
        let citation = citation(self, rng, archive, year);
        let mut languages = vec![ARCHIVES[archive].language];
        if chance(rng, 8) {
            let other = pick_str(rng, &TRANSLATOR_LANGUAGES);
            if other != languages[0] {
                languages.push(other);
            }
        }
        let level = chance(rng, 55).then(|| pick_str(rng, &LEVELS));
        let classification = chance(rng, 35).then(|| *pick(rng, &LEVELS[..5]));
        let serial_line = chance(rng, 25).then(|| {
            let desk = match NATIONS[host].country {
                "North Korea" | "South Korea" => "[North] Korea Desk",
                "Soviet Union" => "Soviet Union Desk",
                "North Vietnam" => "Vietnam Desk",
                "China" => "China Desk",
                _ => "General Office",
            };
            format!(
                "{desk} Receiving Serial ({:02}) No. {}",
                year % 100,
                rng.u32(1..=2999)
            )
        });
        let serial = serial_line
            .as_deref()
            .and_then(|l| l.find("(").map(|at| l[at..].to_owned()));
        let mut funders = Vec::new();
        if chance(rng, 75) {
            let korean = people.iter().any(|&p| self.people[p].region == "East Asia");
            let first = if korean && chance(rng, 50) {
                self.funders[1]
            } else if chance(rng, 60) {
                self.funders[0]
            } else {
                *pick(rng, &self.funders)
            };
            funders.push(first);
            if chance(rng, 15) {
                let second = *pick(rng, &self.funders);
                if second != first {
                    funders.push(second);
                }
            }
        }
        let mut subjects: Vec<&'static str> = Vec::new();
        for _ in 0..rng.usize(1..=3) {
            let s = pick_str(rng, &TOPICS);
            if !subjects.contains(&s) {
                subjects.push(s);
            }
        }
        let rights = if chance(rng, 80) {
            RIGHTS
        } else {
            RIGHTS_SHORT
        };
        let uploaded = uploaded_date(rng);
        let record_id = record_id(index);
        let mut slug_text = quick_slug(&title);
        if let Some(cut) = slug_text.get(..60).and_then(|s| s.rfind('-')) {
            slug_text.truncate(cut);
        }
        let slug = format!("{slug_text}-{record_id}");
        let Fill {
            named_places,
            named_orgs,
            ..
        } = fill;
        GenDoc {
            node_id: (100_000 + 2 * index as u64 + 1).to_string(),
            record_id,
            slug,
            title,
            date: date.text,
            funders,
            sent_by,
            received_by,
            level,
            classification,
            serial_line,
            serial,
            text,
            summary,
            citation,
            archive,
            rights,
            languages,
            uploaded,
            people,
            places: named_places,
            organisations: named_orgs,
            subjects,
        }
    }

    /// The record the JSON Lines file holds (and the page reads back to).
    pub(crate) fn document_record(&self, doc: GenDoc) -> Document {
        let refs = |names: Vec<&str>| names.into_iter().map(EntityRef::named).collect();
        Document {
            funding_statement: doc.funding_statement(self),
            url: Some(doc.url()),
            id: doc.record_id.clone(),
            record_id: Some(doc.record_id),
            slug: Some(doc.slug),
            node_id: Some(doc.node_id),
            title: doc.title,
            date: Some(HistoricalDate::from(doc.date.as_str())),
            sent_by: doc.sent_by,
            received_by: doc.received_by,
            level: doc.level.map(str::to_owned),
            classification: doc.classification.map(str::to_owned),
            serial: doc.serial,
            serial_line: doc.serial_line,
            text: Some(doc.text),
            summary: doc.summary,
            citation: Some(doc.citation),
            original_archive: Some(self.archives[doc.archive].name.clone()),
            rights: Some(doc.rights.to_owned()),
            languages: doc.languages.iter().map(|l| (*l).to_owned()).collect(),
            uploaded: Some(HistoricalDate::from(doc.uploaded.as_str())),
            funders: doc
                .funders
                .iter()
                .map(|&f| self.organisations[f].name.clone())
                .collect(),
            people: refs(
                doc.people
                    .iter()
                    .map(|&p| self.people[p].name.as_str())
                    .collect(),
            ),
            places: refs(
                doc.places
                    .iter()
                    .map(|&p| self.places[p].name.as_str())
                    .collect(),
            ),
            organisations: refs(
                doc.organisations
                    .iter()
                    .map(|&o| self.organisations[o].name.as_str())
                    .collect(),
            ),
            subjects: doc.subjects.iter().map(|s| (*s).to_owned()).collect(),
            collections: Vec::new(),
            other_fields: Default::default(),
            creators: Vec::new(),
            contributors: Vec::new(),
            agents: Vec::new(),
            document_type: None,
            pdf_url: None,
        }
    }
}
