//! The vocabulary (nations, places, organisations, archives, name pools, phrases, templates), read once from `data/`.
//!
//! The tables live in plain text files under `crates/corpus/data/` (their
//! header comments say what the columns mean), compiled in with `include_str!`
//! and read on first use; their strings point into the files' text. The order
//! of the rows is the order the generator draws from: editing a file changes
//! the corpora generated from every seed.

use std::sync::LazyLock;

use crate::data::{tsv_rows, Toml};

/// A data file's name and text (`include_str!` from `data/`).
macro_rules! data_file {
    ($name:literal) => {
        ($name, include_str!(concat!("../data/", $name)))
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bloc {
    East,
    West,
    NonAligned,
}

/// A state with an embassy network, a foreign ministry and often a ruling party.
pub(crate) struct Nation {
    pub(crate) country: &'static str,
    pub(crate) adjective: &'static str,
    pub(crate) capital: &'static str,
    pub(crate) ministry: &'static str,
    pub(crate) ministry_variants: &'static str,
    pub(crate) bloc: Bloc,
    /// Whether its embassies also reach the other bloc (European socialist states and the West).
    pub(crate) outward: bool,
}

/// The nations (`data/nations.tsv`).
pub(crate) static NATIONS: LazyLock<Vec<Nation>> = LazyLock::new(|| {
    let (file, text) = data_file!("nations.tsv");
    let columns = [
        "country",
        "adjective",
        "capital",
        "ministry",
        "ministry_variants",
        "bloc",
        "outward",
    ];
    let blocs = [
        ("East", Bloc::East),
        ("West", Bloc::West),
        ("NonAligned", Bloc::NonAligned),
    ];
    tsv_rows(file, text, columns)
        .iter()
        .map(|row| Nation {
            country: row.text(0),
            adjective: row.text(1),
            capital: row.text(2),
            ministry: row.text(3),
            ministry_variants: row.text(4),
            bloc: row.choice(5, &blocs),
            outward: row.flag(6),
        })
        .collect()
});

/// A place, an organisation or a funder: name, variants (`;`), description.
type Named = (&'static str, &'static str, &'static str);

fn named(file: &'static str, text: &'static str) -> Vec<Named> {
    tsv_rows(file, text, ["name", "variants", "description"])
        .iter()
        .map(|row| (row.text(0), row.text(1), row.text(2)))
        .collect()
}

/// Places: name, variants (`;`), description, whether a country (text says "in the X" for some)
/// (`data/places.tsv`).
pub(crate) static PLACES: LazyLock<Vec<(&'static str, &'static str, &'static str, bool)>> =
    LazyLock::new(|| {
        let (file, text) = data_file!("places.tsv");
        tsv_rows(file, text, ["name", "variants", "description", "country"])
            .iter()
            .map(|row| (row.text(0), row.text(1), row.text(2), row.flag(3)))
            .collect()
    });

/// Index of the first city in [`PLACES`] (countries come first).
pub(crate) const FIRST_CITY: usize = 26;

/// Organisations other than ministries and embassies: name, variants (`;`), description
/// (`data/organisations.tsv`).
pub(crate) static ORGANISATIONS: LazyLock<Vec<Named>> = LazyLock::new(|| {
    let (file, text) = data_file!("organisations.tsv");
    named(file, text)
});

/// Funders: name, variants (`;`), description (`data/funders.tsv`).
pub(crate) static FUNDERS: LazyLock<Vec<Named>> = LazyLock::new(|| {
    let (file, text) = data_file!("funders.tsv");
    named(file, text)
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signature {
    Avprf,
    Rgani,
    Rgaspi,
    PrcFma,
    Mol,
    PaAa,
    Amsz,
    Amzv,
    Anic,
    Tsda,
    Nara,
    Tna,
    RokMofa,
    Mna,
    Aqsh,
    Sapmo,
}

/// A holding archive: name, variants, the nation whose papers it holds, language, signature scheme.
pub(crate) struct ArchiveSpec {
    pub(crate) name: &'static str,
    pub(crate) variants: &'static str,
    pub(crate) nation: &'static str,
    pub(crate) language: &'static str,
    pub(crate) signature: Signature,
    pub(crate) weight: u32,
}

/// The holding archives (`data/archives.tsv`).
pub(crate) static ARCHIVES: LazyLock<Vec<ArchiveSpec>> = LazyLock::new(|| {
    let (file, text) = data_file!("archives.tsv");
    let columns = [
        "name",
        "variants",
        "nation",
        "language",
        "signature",
        "weight",
    ];
    let signatures = [
        ("Avprf", Signature::Avprf),
        ("Rgani", Signature::Rgani),
        ("Rgaspi", Signature::Rgaspi),
        ("PrcFma", Signature::PrcFma),
        ("Mol", Signature::Mol),
        ("PaAa", Signature::PaAa),
        ("Amsz", Signature::Amsz),
        ("Amzv", Signature::Amzv),
        ("Anic", Signature::Anic),
        ("Tsda", Signature::Tsda),
        ("Nara", Signature::Nara),
        ("Tna", Signature::Tna),
        ("RokMofa", Signature::RokMofa),
        ("Mna", Signature::Mna),
        ("Aqsh", Signature::Aqsh),
        ("Sapmo", Signature::Sapmo),
    ];
    tsv_rows(file, text, columns)
        .iter()
        .map(|row| ArchiveSpec {
            name: row.text(0),
            variants: row.text(1),
            nation: row.text(2),
            language: row.text(3),
            signature: row.choice(4, &signatures),
            weight: row.number(5),
        })
        .collect()
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Russian,
    Chinese,
    Korean,
    Vietnamese,
    Mongolian,
    /// Given name then family name; `family_first`: a variant in the other order
    /// (Hungarian, Japanese); `comrade`: a "Comrade X" variant; `maternal`: a
    /// second family name (Spanish).
    Western {
        family_first: bool,
        comrade: bool,
        maternal: bool,
    },
}

/// A naming culture: pools of names (`|` between entries, `plain/variant` pairs),
/// the region shown on person cards, nationality adjectives for descriptions.
pub(crate) struct Culture {
    pub(crate) weight: u32,
    pub(crate) style: Style,
    pub(crate) region: &'static str,
    pub(crate) nationality: &'static str,
    /// A second nationality, used for one person in five (South Koreans, West Germans, …).
    pub(crate) other_nationality: &'static str,
    pub(crate) given: &'static str,
    pub(crate) given_female: &'static str,
    pub(crate) family: &'static str,
    /// Patronymics (Russian), given-name syllables (Chinese, Korean), middle names (Vietnamese).
    pub(crate) extra: &'static str,
}

/// `data/names.toml`: the cultures, the translators' names, the famous names.
static NAMES: LazyLock<Toml> = LazyLock::new(|| {
    let (file, text) = data_file!("names.toml");
    let names = Toml::parse(file, text);
    names.table("").only(&["famous"]);
    names
        .table("translators")
        .only(&["given", "family", "languages"]);
    names
});

/// The naming cultures (`[[culture]]` in `data/names.toml`).
pub(crate) static CULTURES: LazyLock<Vec<Culture>> = LazyLock::new(|| {
    const FLAGS: [&str; 3] = ["family_first", "comrade", "maternal"];
    let styles = [
        ("Russian", Style::Russian),
        ("Chinese", Style::Chinese),
        ("Korean", Style::Korean),
        ("Vietnamese", Style::Vietnamese),
        ("Mongolian", Style::Mongolian),
    ];
    NAMES
        .array("culture")
        .map(|table| {
            let keys = [
                "weight",
                "style",
                "region",
                "nationality",
                "other_nationality",
                "given",
                "given_female",
                "family",
                "extra",
            ];
            let style = match table.text("style") {
                "Western" => {
                    table.only(&[&keys[..], &FLAGS[..]].concat());
                    Style::Western {
                        family_first: table.flag("family_first"),
                        comrade: table.flag("comrade"),
                        maternal: table.flag("maternal"),
                    }
                }
                name => {
                    table.only(&keys);
                    match styles.iter().find(|(n, _)| *n == name) {
                        Some((_, style)) => *style,
                        None => panic!("data/names.toml: unknown style {name:?}"),
                    }
                }
            };
            Culture {
                weight: table.number("weight"),
                style,
                region: table.text("region"),
                nationality: table.text("nationality"),
                other_nationality: table.text("other_nationality"),
                given: table.text("given"),
                given_female: table.text("given_female"),
                family: table.text("family"),
                extra: table.text("extra"),
            }
        })
        .collect()
});

/// The translators' given names (`|` between them).
pub(crate) static TRANSLATOR_GIVEN: LazyLock<&'static str> =
    LazyLock::new(|| NAMES.table("translators").text("given"));

/// The translators' family names (`|` between them).
pub(crate) static TRANSLATOR_FAMILY: LazyLock<&'static str> =
    LazyLock::new(|| NAMES.table("translators").text("family"));

/// The languages translated from, assigned to the translators in turn.
pub(crate) static TRANSLATOR_LANGUAGES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| NAMES.table("translators").list("languages"));

/// Famous names the random combinations could recreate; a synthetic person never bears them.
pub(crate) static FAMOUS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| NAMES.table("").list("famous"));

/// `data/vocabulary.toml`: lists of words and phrases.
static VOCABULARY: LazyLock<Toml> = LazyLock::new(|| {
    let (file, text) = data_file!("vocabulary.toml");
    let vocabulary = Toml::parse(file, text);
    vocabulary.table("").only(&[
        "roles",
        "positions",
        "topics",
        "matters",
        "agreements",
        "commodities",
        "levels",
    ]);
    vocabulary
});

pub(crate) static ROLES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| VOCABULARY.table("").list("roles"));

pub(crate) static POSITIONS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| VOCABULARY.table("").list("positions"));

pub(crate) static TOPICS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| VOCABULARY.table("").list("topics"));

/// Lowercase phrases for what is discussed (text, summaries, events).
pub(crate) static MATTERS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| VOCABULARY.table("").list("matters"));

pub(crate) static AGREEMENTS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| VOCABULARY.table("").list("agreements"));

pub(crate) static COMMODITIES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| VOCABULARY.table("").list("commodities"));

pub(crate) static LEVELS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| VOCABULARY.table("").list("levels"));

/// `data/templates.toml`: the text templates and the title words.
static TEMPLATES: LazyLock<Toml> = LazyLock::new(|| {
    let (file, text) = data_file!("templates.toml");
    let templates = Toml::parse(file, text);
    templates
        .table("")
        .only(&["sentences", "event_sentences", "summaries", "title_words"]);
    templates
});

/// Sentences of the documents' text. A name slot never follows a capitalised
/// word, so the text around a name can never extend it into another name.
pub(crate) static SENTENCES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| TEMPLATES.table("").list("sentences"));

/// Events: one sentence naming two to four people.
pub(crate) static EVENT_SENTENCES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| TEMPLATES.table("").list("event_sentences"));

pub(crate) static SUMMARIES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| TEMPLATES.table("").list("summaries"));

/// Words of titles and page furniture, checked with `fixed_words`.
pub(crate) static TITLE_WORDS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| TEMPLATES.table("").list("title_words"));

/// The printed forms of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateForm {
    /// "July 30, 1953"
    DayLong,
    /// "30 July 1953"
    DayEuro,
    /// "1953-07-30"
    DayIso,
    /// "Sept. 9, 1953"
    DayShort,
    /// "[July 30, 1953]"
    DayBracket,
    /// "March 1962"
    Month,
    /// "1955"
    Year,
    /// "c. 1960", "circa 1960", "ca. 1960", "1960?"
    ApproxYear,
    /// "c. March 1960"
    ApproxMonth,
    /// "June 15-16, 1960"
    RangeDays,
    /// "December 30, 1965 - January 2, 1966"
    RangeCross,
    /// "March 1965 - May 1966"
    RangeMonths,
    /// "1961-1962", "1961 to 1965", "between 1961 and 1965"
    RangeYears,
}

/// `data/date_forms.tsv`: each form with its weights among documents' and events' dates.
static DATE_FORMS: LazyLock<Vec<(DateForm, u32, u32)>> = LazyLock::new(|| {
    let (file, text) = data_file!("date_forms.tsv");
    let forms = [
        ("DayLong", DateForm::DayLong),
        ("DayEuro", DateForm::DayEuro),
        ("DayIso", DateForm::DayIso),
        ("DayShort", DateForm::DayShort),
        ("DayBracket", DateForm::DayBracket),
        ("Month", DateForm::Month),
        ("Year", DateForm::Year),
        ("ApproxYear", DateForm::ApproxYear),
        ("ApproxMonth", DateForm::ApproxMonth),
        ("RangeDays", DateForm::RangeDays),
        ("RangeCross", DateForm::RangeCross),
        ("RangeMonths", DateForm::RangeMonths),
        ("RangeYears", DateForm::RangeYears),
    ];
    tsv_rows(file, text, ["form", "document_weight", "event_weight"])
        .iter()
        .map(|row| (row.choice(0, &forms), row.number(1), row.number(2)))
        .collect()
});

/// The forms of documents' dates, by weight (forms of weight 0 left out).
pub(crate) static DOCUMENT_DATES: LazyLock<Vec<(DateForm, u32)>> = LazyLock::new(|| {
    DATE_FORMS
        .iter()
        .filter(|(_, weight, _)| *weight > 0)
        .map(|&(form, weight, _)| (form, weight))
        .collect()
});

/// The forms of events' own dates (not taken from a document), by weight.
pub(crate) static EVENT_DATES: LazyLock<Vec<(DateForm, u32)>> = LazyLock::new(|| {
    DATE_FORMS
        .iter()
        .filter(|(_, _, weight)| *weight > 0)
        .map(|&(form, _, weight)| (form, weight))
        .collect()
});

#[cfg(test)]
mod tests {
    use super::{
        DateForm, Style, AGREEMENTS, ARCHIVES, COMMODITIES, CULTURES, DOCUMENT_DATES, EVENT_DATES,
        EVENT_SENTENCES, FAMOUS, FIRST_CITY, FUNDERS, LEVELS, MATTERS, NATIONS, ORGANISATIONS,
        PLACES, POSITIONS, ROLES, SENTENCES, SUMMARIES, TITLE_WORDS, TOPICS, TRANSLATOR_FAMILY,
        TRANSLATOR_GIVEN, TRANSLATOR_LANGUAGES,
    };

    /// Entries of a `|`-separated pool.
    fn entries(pool: &str) -> usize {
        pool.split('|').filter(|e| !e.trim().is_empty()).count()
    }

    /// The counts are those of the Rust arrays the tables were before they moved
    /// to `data/` (an independent check that no row was dropped or added).
    #[test]
    fn every_data_file_has_the_rows_of_the_tables_it_replaced() {
        let counts = [
            ("NATIONS", NATIONS.len(), 20),
            ("PLACES", PLACES.len(), 72),
            ("ORGANISATIONS", ORGANISATIONS.len(), 35),
            ("FUNDERS", FUNDERS.len(), 8),
            ("ARCHIVES", ARCHIVES.len(), 16),
            ("CULTURES", CULTURES.len(), 17),
            ("ROLES", ROLES.len(), 18),
            ("POSITIONS", POSITIONS.len(), 8),
            ("TOPICS", TOPICS.len(), 33),
            ("MATTERS", MATTERS.len(), 38),
            ("AGREEMENTS", AGREEMENTS.len(), 10),
            ("COMMODITIES", COMMODITIES.len(), 17),
            ("LEVELS", LEVELS.len(), 8),
            ("TRANSLATOR_GIVEN", entries(&TRANSLATOR_GIVEN), 40),
            ("TRANSLATOR_FAMILY", entries(&TRANSLATOR_FAMILY), 40),
            ("TRANSLATOR_LANGUAGES", TRANSLATOR_LANGUAGES.len(), 12),
            ("FAMOUS", FAMOUS.len(), 24),
            ("SENTENCES", SENTENCES.len(), 54),
            ("EVENT_SENTENCES", EVENT_SENTENCES.len(), 16),
            ("SUMMARIES", SUMMARIES.len(), 6),
            ("TITLE_WORDS", TITLE_WORDS.len(), 16),
            ("DOCUMENT_DATES", DOCUMENT_DATES.len(), 13),
            ("EVENT_DATES", EVENT_DATES.len(), 10),
        ];
        for (table, rows, expected) in counts {
            assert_eq!(rows, expected, "{table}");
        }
        assert_eq!(PLACES.iter().filter(|p| p.3).count(), FIRST_CITY);

        // Per culture: its weight, and the entries of its pools (given, given_female, family, extra).
        let cultures: Vec<(u32, [usize; 4])> = CULTURES
            .iter()
            .map(|c| {
                let pools = [c.given, c.given_female, c.family, c.extra];
                (c.weight, pools.map(entries))
            })
            .collect();
        let expected = [
            (24, [40, 10, 142, 29]),
            (16, [0, 0, 60, 69]),
            (15, [0, 0, 30, 49]),
            (5, [36, 0, 20, 14]),
            (6, [34, 6, 59, 0]),
            (3, [24, 4, 40, 0]),
            (3, [24, 4, 44, 0]),
            (2, [20, 3, 33, 0]),
            (2, [18, 3, 29, 0]),
            (2, [18, 3, 25, 0]),
            (1, [15, 2, 19, 0]),
            (1, [15, 2, 18, 0]),
            (2, [24, 0, 20, 0]),
            (6, [32, 4, 82, 0]),
            (3, [24, 2, 34, 0]),
            (2, [18, 3, 26, 0]),
            (2, [24, 2, 35, 0]),
        ];
        assert_eq!(cultures, expected);
        let western = |family_first, comrade, maternal| Style::Western {
            family_first,
            comrade,
            maternal,
        };
        let styles: Vec<Style> = CULTURES.iter().map(|c| c.style).collect();
        let socialist = western(false, true, false);
        let plain = western(false, false, false);
        assert_eq!(
            styles,
            [
                Style::Russian,
                Style::Chinese,
                Style::Korean,
                Style::Vietnamese,
                socialist,
                western(true, true, false),
                socialist,
                socialist,
                socialist,
                socialist,
                socialist,
                plain,
                Style::Mongolian,
                plain,
                plain,
                western(false, true, true),
                western(true, false, false),
            ]
        );

        let weights = |forms: &[(DateForm, u32)]| forms.iter().map(|f| f.1).collect::<Vec<_>>();
        assert_eq!(
            weights(&DOCUMENT_DATES),
            [44, 7, 4, 3, 2, 13, 8, 4, 1, 5, 1, 3, 5]
        );
        assert_eq!(weights(&EVENT_DATES), [45, 8, 2, 22, 13, 3, 1, 3, 1, 2]);
        let archive_weights: Vec<u32> = ARCHIVES.iter().map(|a| a.weight).collect();
        assert_eq!(
            archive_weights,
            [16, 8, 5, 16, 7, 6, 3, 5, 4, 4, 3, 8, 4, 6, 2, 2]
        );
    }

    #[test]
    fn no_value_has_stray_spaces_and_lists_have_no_empty_entries() {
        let lists: [&[&str]; 13] = [
            &ROLES,
            &POSITIONS,
            &TOPICS,
            &MATTERS,
            &AGREEMENTS,
            &COMMODITIES,
            &LEVELS,
            &TRANSLATOR_LANGUAGES,
            &FAMOUS,
            &SENTENCES,
            &EVENT_SENTENCES,
            &SUMMARIES,
            &TITLE_WORDS,
        ];
        let rows = PLACES
            .iter()
            .flat_map(|p| [p.0, p.1, p.2])
            .chain(
                ORGANISATIONS
                    .iter()
                    .chain(FUNDERS.iter())
                    .flat_map(|o| [o.0, o.1, o.2]),
            )
            .chain(NATIONS.iter().flat_map(|n| {
                [
                    n.country,
                    n.adjective,
                    n.capital,
                    n.ministry,
                    n.ministry_variants,
                ]
            }))
            .chain(
                ARCHIVES
                    .iter()
                    .flat_map(|a| [a.name, a.variants, a.nation, a.language]),
            );
        for value in lists.iter().flat_map(|l| l.iter().copied()).chain(rows) {
            assert_eq!(value.trim(), value);
            assert!(!value.contains(['\t', '\r', '\n']), "{value:?}");
        }
        assert!(lists.iter().all(|l| l.iter().all(|e| !e.is_empty())));
    }
}
