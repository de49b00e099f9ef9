//! A deterministic generator of synthetic corpora in the archive's structure,
//! so that benchmarks and tests run on the same data everywhere
//! (`chronograph gen-corpus`).
//!
//! [`write_corpus`] writes, into one folder:
//!
//! - `authority.csv`: the people (names with variants: transliterations,
//!   initials, reversed order, diacritics, typos; life spans; descriptions), plus
//!   the places, organisations and holding archives the documents name;
//! - with [`CorpusFormat::Jsonl`], `documents-0001.jsonl`, … (at most
//!   [`RECORDS_PER_FILE`] documents each) and `events-0001.jsonl`, …;
//! - with [`CorpusFormat::Html`], one document page per document
//!   (`documents/000/200001.html`, at most [`PAGES_PER_FOLDER`] per folder) in
//!   the archive's markup, and one person page per person (`people/{id}.html`)
//!   whose timeline carries the events that name the person;
//! - `.corpus.json`, a hidden note of the options (readers skip hidden files).
//!
//! Both formats hold the same content: a document page reads back to exactly the
//! record of the JSON Lines file, a timeline event to the same date, text and
//! documents. Every record is drawn from its own random stream, seeded from the
//! seed, the kind of record and its number, so the same options give
//! byte-identical files (on any 64-bit platform: draws use no math-library
//! function) whatever the number of cores, documents are generated in
//! chunks on every core and written in order, and an event can look at the
//! document it cites without keeping documents in memory: memory stays constant
//! apart from the people and a few bytes per event (measured: 69 MB peak for a
//! million documents, 200,000 events and 20,000 people). Output is streamed
//! through buffered writers.
//!
//! What the data looks like: dates over 1945–1991 in every form and precision
//! the date parser reads (days, months, years, approximate dates, ranges), text
//! lengths drawn from a log-normal distribution (median about 3.7 KB, a long
//! tail up to some hundred KB), people chosen by a Zipf-like popularity and only
//! while they were active, events naming two to four people and citing the
//! document that mentions them. Names in text and titles use a person's
//! preferred name or one of their variants; every variant names exactly one
//! entity (variants two entities would share are left out of the authority), so
//! the mention finder links every name it meets to the intended person.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::{self, File};
use std::hash::{Hash, Hasher};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use fastrand::Rng;
use thiserror::Error;

use crate::dates::HistoricalDate;
use crate::mapping::iri::slug;
use crate::model::{Citation, Document, EntityRef, Event, Record};

/// At most this many records go into one JSON Lines file (`documents-0001.jsonl`, …):
/// each file is one source graph and one transaction when loaded.
pub const RECORDS_PER_FILE: usize = 100_000;

/// At most this many document pages go into one folder (`documents/000/`, …).
pub const PAGES_PER_FOLDER: usize = 1_000;

/// The most events shown on one person page's timeline (an event naming several
/// people is shown on each of their pages while there is room, and always on at
/// least one page).
pub const TIMELINE_CAP: usize = 250;

/// The record id of the first document (ids are consecutive from here).
pub const FIRST_RECORD_ID: u64 = 200_001;

/// The fewest people a corpus can have (some are translators; events name two or more).
pub const MIN_PEOPLE: usize = 4;

/// The most people a corpus can have.
pub const MAX_PEOPLE: usize = 2_000_000;

/// The first and last year of the documents and events.
pub const YEARS: (i32, i32) = (1945, 1991);

const SITE: &str = "https://digitalarchive.wilsoncenter.org";
const MARKER: &str = ".corpus.json";

/// Which files the corpus is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CorpusFormat {
    /// The archive's HTML pages: document pages and person pages.
    Html,
    /// JSON Lines records: documents and events.
    Jsonl,
}

impl CorpusFormat {
    /// The format's name on the command line: `html` or `jsonl`.
    pub fn as_str(&self) -> &'static str {
        match self {
            CorpusFormat::Html => "html",
            CorpusFormat::Jsonl => "jsonl",
        }
    }
}

impl fmt::Display for CorpusFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusOptions {
    /// Documents (records, or document pages).
    pub documents: usize,
    /// People in the authority file, a few of them translators (at least [`MIN_PEOPLE`]).
    pub people: usize,
    /// Dated events, each naming two to four people.
    pub events: usize,
    /// The seed: the same options give byte-identical files; another seed, other data.
    pub seed: u64,
    /// JSON Lines records or HTML pages.
    pub format: CorpusFormat,
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorpusSummary {
    /// Files written (the authority file, the data files and the hidden options note).
    pub files: usize,
    /// Documents.
    pub documents: usize,
    /// People (each a `cg:Person` once loaded).
    pub people: usize,
    /// Events.
    pub events: usize,
    /// Bytes written, all files together.
    pub bytes: u64,
}

/// Why a corpus could not be written.
#[derive(Debug, Error)]
pub enum CorpusError {
    /// A file or folder could not be created or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The error.
        #[source]
        source: io::Error,
    },
    /// The output folder holds other files than an earlier corpus.
    #[error(
        "{}: the folder is not empty and holds no earlier corpus (no {MARKER}); give an empty or new folder",
        .0.display()
    )]
    NotEmpty(PathBuf),
    /// The options cannot make a corpus.
    #[error("invalid corpus options: {0}")]
    Options(String),
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> CorpusError + '_ {
    move |source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    }
}

// ---------------------------------------------------------------------------
// Vocabulary: nations, places, organisations, archives, name pools.
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bloc {
    East,
    West,
    NonAligned,
}

/// A state with an embassy network, a foreign ministry and often a ruling party.
struct Nation {
    country: &'static str,
    adjective: &'static str,
    capital: &'static str,
    ministry: &'static str,
    ministry_variants: &'static str,
    bloc: Bloc,
    /// Whether its embassies also reach the other bloc (European socialist states and the West).
    outward: bool,
}

const NATIONS: &[Nation] = &[
    Nation {
        country: "Soviet Union",
        adjective: "Soviet",
        capital: "Moscow",
        ministry: "Ministry of Foreign Affairs of the USSR",
        ministry_variants: "Soviet Foreign Ministry;MID USSR",
        bloc: Bloc::East,
        outward: true,
    },
    Nation {
        country: "China",
        adjective: "Chinese",
        capital: "Beijing",
        ministry: "Ministry of Foreign Affairs of the PRC",
        ministry_variants: "Chinese Ministry of Foreign Affairs;PRC Foreign Ministry",
        bloc: Bloc::East,
        outward: false,
    },
    Nation {
        country: "North Korea",
        adjective: "North Korean",
        capital: "Pyongyang",
        ministry: "Ministry of Foreign Affairs of the DPRK",
        ministry_variants: "DPRK Foreign Ministry;North Korean Foreign Ministry",
        bloc: Bloc::East,
        outward: false,
    },
    Nation {
        country: "South Korea",
        adjective: "South Korean",
        capital: "Seoul",
        ministry: "Ministry of Foreign Affairs of the Republic of Korea",
        ministry_variants: "ROK Foreign Ministry;South Korean Foreign Ministry",
        bloc: Bloc::West,
        outward: false,
    },
    Nation {
        country: "North Vietnam",
        adjective: "Vietnamese",
        capital: "Hanoi",
        ministry: "Ministry of Foreign Affairs of the DRV",
        ministry_variants: "DRV Foreign Ministry",
        bloc: Bloc::East,
        outward: false,
    },
    Nation {
        country: "Mongolia",
        adjective: "Mongolian",
        capital: "Ulaanbaatar",
        ministry: "Ministry of Foreign Affairs of the MPR",
        ministry_variants: "Mongolian Foreign Ministry",
        bloc: Bloc::East,
        outward: false,
    },
    Nation {
        country: "German Democratic Republic",
        adjective: "East German",
        capital: "Berlin",
        ministry: "Ministry of Foreign Affairs of the GDR",
        ministry_variants: "GDR Foreign Ministry;MfAA",
        bloc: Bloc::East,
        outward: true,
    },
    Nation {
        country: "Poland",
        adjective: "Polish",
        capital: "Warsaw",
        ministry: "Ministry of Foreign Affairs of Poland",
        ministry_variants: "Polish Foreign Ministry",
        bloc: Bloc::East,
        outward: true,
    },
    Nation {
        country: "Czechoslovakia",
        adjective: "Czechoslovak",
        capital: "Prague",
        ministry: "Ministry of Foreign Affairs of Czechoslovakia",
        ministry_variants: "Czechoslovak Foreign Ministry",
        bloc: Bloc::East,
        outward: true,
    },
    Nation {
        country: "Hungary",
        adjective: "Hungarian",
        capital: "Budapest",
        ministry: "Ministry of Foreign Affairs of Hungary",
        ministry_variants: "Hungarian Foreign Ministry",
        bloc: Bloc::East,
        outward: true,
    },
    Nation {
        country: "Romania",
        adjective: "Romanian",
        capital: "Bucharest",
        ministry: "Ministry of Foreign Affairs of Romania",
        ministry_variants: "Romanian Foreign Ministry",
        bloc: Bloc::East,
        outward: true,
    },
    Nation {
        country: "Bulgaria",
        adjective: "Bulgarian",
        capital: "Sofia",
        ministry: "Ministry of Foreign Affairs of Bulgaria",
        ministry_variants: "Bulgarian Foreign Ministry",
        bloc: Bloc::East,
        outward: true,
    },
    Nation {
        country: "Albania",
        adjective: "Albanian",
        capital: "Tirana",
        ministry: "Ministry of Foreign Affairs of Albania",
        ministry_variants: "Albanian Foreign Ministry",
        bloc: Bloc::East,
        outward: false,
    },
    Nation {
        country: "Yugoslavia",
        adjective: "Yugoslav",
        capital: "Belgrade",
        ministry: "Federal Secretariat for Foreign Affairs of Yugoslavia",
        ministry_variants: "Yugoslav Foreign Ministry",
        bloc: Bloc::NonAligned,
        outward: true,
    },
    Nation {
        country: "Cuba",
        adjective: "Cuban",
        capital: "Havana",
        ministry: "Ministry of Foreign Affairs of Cuba",
        ministry_variants: "MINREX;Cuban Foreign Ministry",
        bloc: Bloc::East,
        outward: false,
    },
    Nation {
        country: "United States",
        adjective: "American",
        capital: "Washington",
        ministry: "US Department of State",
        ministry_variants: "State Department;Department of State",
        bloc: Bloc::West,
        outward: true,
    },
    Nation {
        country: "United Kingdom",
        adjective: "British",
        capital: "London",
        ministry: "Foreign Office",
        ministry_variants: "British Foreign Office;Foreign and Commonwealth Office",
        bloc: Bloc::West,
        outward: true,
    },
    Nation {
        country: "Japan",
        adjective: "Japanese",
        capital: "Tokyo",
        ministry: "Ministry of Foreign Affairs of Japan",
        ministry_variants: "Gaimusho;Japanese Foreign Ministry",
        bloc: Bloc::West,
        outward: true,
    },
    Nation {
        country: "India",
        adjective: "Indian",
        capital: "New Delhi",
        ministry: "Ministry of External Affairs of India",
        ministry_variants: "Indian Ministry of External Affairs",
        bloc: Bloc::NonAligned,
        outward: true,
    },
    Nation {
        country: "Indonesia",
        adjective: "Indonesian",
        capital: "Jakarta",
        ministry: "Ministry of Foreign Affairs of Indonesia",
        ministry_variants: "Indonesian Foreign Ministry",
        bloc: Bloc::NonAligned,
        outward: true,
    },
];

/// Places: name, variants (`;`), description, whether a country (text says "in the X" for some).
const PLACES: &[(&str, &str, &str, bool)] = &[
    (
        "Soviet Union",
        "USSR;U.S.S.R.",
        "Union of Soviet Socialist Republics",
        true,
    ),
    (
        "China",
        "PRC;People's Republic of China",
        "People's Republic of China",
        true,
    ),
    (
        "North Korea",
        "DPRK;Democratic People's Republic of Korea",
        "Democratic People's Republic of Korea",
        true,
    ),
    (
        "South Korea",
        "ROK;Republic of Korea",
        "Republic of Korea",
        true,
    ),
    (
        "North Vietnam",
        "DRV;Democratic Republic of Vietnam",
        "Democratic Republic of Vietnam",
        true,
    ),
    (
        "South Vietnam",
        "RVN;Republic of Vietnam",
        "Republic of Vietnam",
        true,
    ),
    (
        "Mongolia",
        "MPR;Mongolian People's Republic",
        "Mongolian People's Republic",
        true,
    ),
    (
        "German Democratic Republic",
        "GDR;East Germany",
        "East Germany",
        true,
    ),
    (
        "Federal Republic of Germany",
        "FRG;West Germany",
        "West Germany",
        true,
    ),
    (
        "Poland",
        "Polish People's Republic",
        "Polish People's Republic",
        true,
    ),
    (
        "Czechoslovakia",
        "CSSR;ČSSR",
        "Czechoslovak Socialist Republic",
        true,
    ),
    (
        "Hungary",
        "Hungarian People's Republic",
        "Hungarian People's Republic",
        true,
    ),
    ("Romania", "Rumania", "Socialist Republic of Romania", true),
    (
        "Bulgaria",
        "People's Republic of Bulgaria",
        "People's Republic of Bulgaria",
        true,
    ),
    (
        "Albania",
        "People's Republic of Albania",
        "People's Republic of Albania",
        true,
    ),
    (
        "Yugoslavia",
        "SFRY",
        "Socialist Federal Republic of Yugoslavia",
        true,
    ),
    ("Cuba", "Republic of Cuba", "Republic of Cuba", true),
    (
        "United States",
        "USA;United States of America",
        "United States of America",
        true,
    ),
    (
        "United Kingdom",
        "Great Britain;Britain",
        "United Kingdom of Great Britain and Northern Ireland",
        true,
    ),
    ("Japan", "", "Japan", true),
    ("India", "", "Republic of India", true),
    ("Indonesia", "", "Republic of Indonesia", true),
    (
        "Taiwan",
        "Formosa",
        "Island governed by the Republic of China",
        true,
    ),
    (
        "Laos",
        "",
        "Kingdom of Laos, later Lao People's Democratic Republic",
        true,
    ),
    (
        "Cambodia",
        "Kampuchea",
        "Kingdom of Cambodia, later Democratic Kampuchea",
        true,
    ),
    ("France", "", "French Republic", true),
    ("Moscow", "", "Capital of the Soviet Union", false),
    (
        "Beijing",
        "Peking;Peiping",
        "Capital of the People's Republic of China",
        false,
    ),
    (
        "Pyongyang",
        "P'yongyang;Pyeongyang",
        "Capital of the DPRK",
        false,
    ),
    ("Seoul", "", "Capital of the Republic of Korea", false),
    (
        "Hanoi",
        "",
        "Capital of the Democratic Republic of Vietnam",
        false,
    ),
    ("Saigon", "", "Capital of the Republic of Vietnam", false),
    (
        "Ulaanbaatar",
        "Ulan Bator;Ulan-Bator",
        "Capital of the Mongolian People's Republic",
        false,
    ),
    (
        "Berlin",
        "",
        "Capital of the German Democratic Republic (East Berlin)",
        false,
    ),
    ("Warsaw", "Warszawa", "Capital of Poland", false),
    ("Prague", "Praha", "Capital of Czechoslovakia", false),
    ("Budapest", "", "Capital of Hungary", false),
    ("Bucharest", "București", "Capital of Romania", false),
    ("Sofia", "", "Capital of Bulgaria", false),
    ("Tirana", "Tiranë", "Capital of Albania", false),
    ("Belgrade", "Beograd", "Capital of Yugoslavia", false),
    ("Havana", "La Habana", "Capital of Cuba", false),
    (
        "Washington",
        "Washington, D.C.",
        "Capital of the United States",
        false,
    ),
    ("London", "", "Capital of the United Kingdom", false),
    ("Tokyo", "", "Capital of Japan", false),
    ("New Delhi", "", "Capital of India", false),
    ("Jakarta", "Djakarta", "Capital of Indonesia", false),
    (
        "Geneva",
        "Genève",
        "City in Switzerland, seat of international conferences",
        false,
    ),
    (
        "Panmunjom",
        "P'anmunjom;Panmunjeom",
        "Truce village on the Korean demarcation line",
        false,
    ),
    (
        "Kaesong",
        "Kaesŏng",
        "City in the DPRK near the demarcation line",
        false,
    ),
    ("Shenyang", "Mukden", "City in northeast China", false),
    ("Harbin", "", "City in northeast China", false),
    ("Vladivostok", "", "Soviet port on the Pacific", false),
    ("Khabarovsk", "", "City in the Soviet Far East", false),
    (
        "Dalian",
        "Dairen;Lüda",
        "Port city in northeast China",
        false,
    ),
    ("Guangzhou", "Canton", "City in south China", false),
    ("Nanjing", "Nanking", "City in east China", false),
    ("Shanghai", "", "City in east China", false),
    ("Wuhan", "", "City in central China", false),
    (
        "Sinuiju",
        "Sinŭiju",
        "City in the DPRK on the Yalu River",
        false,
    ),
    ("Wonsan", "Wŏnsan", "Port city in the DPRK", false),
    ("Hamhung", "Hamhŭng", "City in the DPRK", false),
    ("Chongjin", "Ch'ongjin", "Port city in the DPRK", false),
    (
        "Busan",
        "Pusan",
        "Port city in the Republic of Korea",
        false,
    ),
    ("Haiphong", "Hai Phong", "Port city in the DRV", false),
    ("Vientiane", "", "Capital of Laos", false),
    ("Phnom Penh", "", "Capital of Cambodia", false),
    (
        "Bandung",
        "Bandoeng",
        "City in Indonesia, host of the 1955 Asian-African Conference",
        false,
    ),
    ("Lhasa", "", "City in Tibet", false),
    ("Urumqi", "Urumchi", "City in Xinjiang", false),
    (
        "Zhenbao Island",
        "Damansky Island",
        "Island on the Ussuri River, site of the 1969 border clashes",
        false,
    ),
    (
        "Yalu River",
        "Amnok River",
        "Border river between China and the DPRK",
        false,
    ),
];

/// Organisations other than ministries and embassies: name, variants (`;`), description.
const ORGANISATIONS: &[(&str, &str, &str)] = &[
    (
        "Communist Party of the Soviet Union",
        "CPSU;CC CPSU;Soviet Communist Party",
        "Ruling party of the Soviet Union",
    ),
    (
        "Chinese Communist Party",
        "CCP;Communist Party of China;CPC",
        "Ruling party of the People's Republic of China",
    ),
    (
        "Korean Workers' Party",
        "KWP;Workers' Party of Korea;Korean Workers’ Party",
        "Ruling party of the DPRK",
    ),
    (
        "Vietnam Workers' Party",
        "VWP;Lao Dong Party",
        "Ruling party of the DRV",
    ),
    (
        "Mongolian People's Revolutionary Party",
        "MPRP",
        "Ruling party of the MPR",
    ),
    (
        "Socialist Unity Party of Germany",
        "SED",
        "Ruling party of the GDR",
    ),
    (
        "Polish United Workers' Party",
        "PUWP;PZPR",
        "Ruling party of Poland",
    ),
    (
        "Communist Party of Czechoslovakia",
        "KSČ;CPCz",
        "Ruling party of Czechoslovakia",
    ),
    (
        "Hungarian Socialist Workers' Party",
        "HSWP;MSZMP",
        "Ruling party of Hungary",
    ),
    ("Romanian Communist Party", "RCP", "Ruling party of Romania"),
    (
        "Bulgarian Communist Party",
        "BCP",
        "Ruling party of Bulgaria",
    ),
    (
        "Party of Labour of Albania",
        "PLA",
        "Ruling party of Albania",
    ),
    (
        "League of Communists of Yugoslavia",
        "LCY",
        "Ruling party of Yugoslavia",
    ),
    ("Communist Party of Cuba", "PCC", "Ruling party of Cuba"),
    ("Japan Communist Party", "JCP", "Communist party of Japan"),
    (
        "Communist Party of Indonesia",
        "PKI",
        "Communist party of Indonesia",
    ),
    (
        "Committee for State Security",
        "KGB",
        "Soviet security and intelligence service",
    ),
    (
        "Ministry for State Security of the GDR",
        "MfS;Stasi",
        "East German security service",
    ),
    (
        "Central Intelligence Agency",
        "CIA",
        "US intelligence service",
    ),
    (
        "Korean Central Intelligence Agency",
        "KCIA",
        "Intelligence service of the Republic of Korea",
    ),
    (
        "Warsaw Treaty Organization",
        "Warsaw Pact",
        "Military alliance of the socialist states of Europe",
    ),
    (
        "Council for Mutual Economic Assistance",
        "CMEA;Comecon",
        "Economic organisation of the socialist states",
    ),
    ("United Nations", "UN;UNO", "International organisation"),
    (
        "United Nations Command",
        "UNC",
        "Multinational command in the Korean War",
    ),
    (
        "Chinese People's Volunteers",
        "CPV",
        "Chinese forces in the Korean War",
    ),
    ("Korean People's Army", "KPA", "Armed forces of the DPRK"),
    (
        "Military Armistice Commission",
        "MAC",
        "Body supervising the Korean Armistice Agreement",
    ),
    (
        "Neutral Nations Supervisory Commission",
        "NNSC",
        "Commission of neutral states in Korea",
    ),
    (
        "International Department of the CC CPSU",
        "International Department",
        "Department of the CPSU Central Committee",
    ),
    (
        "State Council of the PRC",
        "PRC State Council",
        "Government of the People's Republic of China",
    ),
    (
        "Cabinet of Ministers of the DPRK",
        "DPRK Cabinet",
        "Government of the DPRK",
    ),
    (
        "Presidium of the Supreme Soviet",
        "Supreme Soviet Presidium",
        "Collective head of state of the USSR",
    ),
    (
        "State Planning Committee of the USSR",
        "Gosplan",
        "Soviet planning agency",
    ),
    (
        "Non-Aligned Movement",
        "NAM",
        "Forum of states not aligned with either bloc",
    ),
    (
        "International Atomic Energy Agency",
        "IAEA",
        "International organisation for nuclear energy",
    ),
];

/// Funders: name, variants (`;`), description.
const FUNDERS: &[(&str, &str, &str)] = &[
    ("Leon Levy Foundation", "", "Funder of the Digital Archive"),
    ("Korea Foundation", "", "Funder of the Digital Archive"),
    (
        "Henry Luce Foundation",
        "Luce Foundation",
        "Funder of the Digital Archive",
    ),
    (
        "John D. and Catherine T. MacArthur Foundation",
        "MacArthur Foundation",
        "Funder of the Digital Archive",
    ),
    (
        "Carnegie Corporation of New York",
        "Carnegie Corporation",
        "Funder of the Digital Archive",
    ),
    (
        "Smith Richardson Foundation",
        "",
        "Funder of the Digital Archive",
    ),
    ("Youngone Corporation", "", "Funder of the Digital Archive"),
    (
        "Ministry of Unification of the Republic of Korea",
        "ROK Ministry of Unification",
        "Funder of the Digital Archive",
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signature {
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
struct ArchiveSpec {
    name: &'static str,
    variants: &'static str,
    nation: &'static str,
    language: &'static str,
    signature: Signature,
    weight: u32,
}

const ARCHIVES: &[ArchiveSpec] = &[
    ArchiveSpec {
        name: "Archive of Foreign Policy, Russian Federation (AVPRF)",
        variants: "AVPRF;Archive of Foreign Policy of the Russian Federation",
        nation: "Soviet Union",
        language: "Russian",
        signature: Signature::Avprf,
        weight: 16,
    },
    ArchiveSpec {
        name: "Russian State Archive of Contemporary History (RGANI)",
        variants: "RGANI",
        nation: "Soviet Union",
        language: "Russian",
        signature: Signature::Rgani,
        weight: 8,
    },
    ArchiveSpec {
        name: "Russian State Archive of Socio-Political History (RGASPI)",
        variants: "RGASPI",
        nation: "Soviet Union",
        language: "Russian",
        signature: Signature::Rgaspi,
        weight: 5,
    },
    ArchiveSpec {
        name: "Archive of the Ministry of Foreign Affairs of the People's Republic of China",
        variants: "PRC FMA;PRC Foreign Ministry Archive",
        nation: "China",
        language: "Chinese",
        signature: Signature::PrcFma,
        weight: 16,
    },
    ArchiveSpec {
        name: "Hungarian National Archives (MOL)",
        variants: "MOL;Magyar Országos Levéltár",
        nation: "Hungary",
        language: "Hungarian",
        signature: Signature::Mol,
        weight: 7,
    },
    ArchiveSpec {
        name: "Political Archive of the Federal Foreign Office, Berlin (PA AA)",
        variants: "PA AA;Politisches Archiv des Auswärtigen Amts",
        nation: "German Democratic Republic",
        language: "German",
        signature: Signature::PaAa,
        weight: 6,
    },
    ArchiveSpec {
        name: "Foundation Archives of Parties and Mass Organizations of the GDR (SAPMO-BArch)",
        variants: "SAPMO-BArch",
        nation: "German Democratic Republic",
        language: "German",
        signature: Signature::Sapmo,
        weight: 3,
    },
    ArchiveSpec {
        name: "Archive of the Polish Ministry of Foreign Affairs (AMSZ)",
        variants: "AMSZ;Archiwum Ministerstwa Spraw Zagranicznych",
        nation: "Poland",
        language: "Polish",
        signature: Signature::Amsz,
        weight: 5,
    },
    ArchiveSpec {
        name: "Archive of the Ministry of Foreign Affairs of the Czech Republic (AMZV)",
        variants: "AMZV;Archiv Ministerstva zahraničních věcí",
        nation: "Czechoslovakia",
        language: "Czech",
        signature: Signature::Amzv,
        weight: 4,
    },
    ArchiveSpec {
        name: "Romanian National Archives (ANIC)",
        variants: "ANIC;Arhivele Naționale ale României",
        nation: "Romania",
        language: "Romanian",
        signature: Signature::Anic,
        weight: 4,
    },
    ArchiveSpec {
        name: "Central State Archive, Sofia (TsDA)",
        variants: "TsDA;Tsentralen Darzhaven Arhiv",
        nation: "Bulgaria",
        language: "Bulgarian",
        signature: Signature::Tsda,
        weight: 3,
    },
    ArchiveSpec {
        name: "National Archives and Records Administration (NARA)",
        variants: "NARA;US National Archives",
        nation: "United States",
        language: "English",
        signature: Signature::Nara,
        weight: 8,
    },
    ArchiveSpec {
        name: "The National Archives of the United Kingdom (TNA)",
        variants: "TNA;Public Record Office",
        nation: "United Kingdom",
        language: "English",
        signature: Signature::Tna,
        weight: 4,
    },
    ArchiveSpec {
        name: "Diplomatic Archives of the Ministry of Foreign Affairs, Republic of Korea",
        variants: "ROK Diplomatic Archives",
        nation: "South Korea",
        language: "Korean",
        signature: Signature::RokMofa,
        weight: 6,
    },
    ArchiveSpec {
        name: "Mongolian National Archives (MNA)",
        variants: "MNA",
        nation: "Mongolia",
        language: "Mongolian",
        signature: Signature::Mna,
        weight: 2,
    },
    ArchiveSpec {
        name: "Central State Archive of Albania (AQSH)",
        variants: "AQSH;Arkivi Qendror Shtetëror",
        nation: "Albania",
        language: "Albanian",
        signature: Signature::Aqsh,
        weight: 2,
    },
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
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
struct Culture {
    weight: u32,
    style: Style,
    region: &'static str,
    nationality: &'static str,
    /// A second nationality, used for one person in five (South Koreans, West Germans, …).
    other_nationality: &'static str,
    given: &'static str,
    given_female: &'static str,
    family: &'static str,
    /// Patronymics (Russian), given-name syllables (Chinese, Korean), middle names (Vietnamese).
    extra: &'static str,
}

const WESTERN: Style = Style::Western {
    family_first: false,
    comrade: false,
    maternal: false,
};
const SOCIALIST: Style = Style::Western {
    family_first: false,
    comrade: true,
    maternal: false,
};

const CULTURES: &[Culture] = &[
    Culture {
        weight: 24,
        style: Style::Russian,
        region: "Russia",
        nationality: "Soviet",
        other_nationality: "Soviet",
        given: "Aleksandr/Alexander|Aleksei/Alexei|Anatoli/Anatoly|Andrei/Andrey|Arkadi/Arkady|Boris|Dmitri/Dmitry|Fyodor/Fedor|Gennadi/Gennady|Georgi/Georgy|Grigori/Grigory|Ivan|Konstantin|Kliment|Lavrenti/Lavrenty|Leonid|Mikhail|Nikita|Nikolai/Nikolay|Oleg|Pavel|Pyotr/Petr|Semyon/Semen|Sergei/Sergey|Stepan|Timofei/Timofey|Valentin|Vasili/Vasily|Viktor/Victor|Vladimir|Vyacheslav/Viacheslav|Yakov/Iakov|Yevgeny/Evgeny|Yuri/Yury|Ilya/Ilia|Kirill|Mikhail|Roman|Maksim/Maxim|Filipp/Philip",
        given_female: "Yekaterina/Ekaterina|Nadezhda|Valentina|Galina|Tatyana/Tatiana|Yelena/Elena|Nina|Lyudmila/Ludmila|Zoya|Olga",
        family: "Ivanov|Petrov|Sidorov|Smirnov|Kuznetsov|Popov|Vasiliev|Sokolov|Mikhailov|Novikov|Fedorov|Morozov|Volkov|Alekseev|Lebedev|Semenov|Yegorov|Pavlov|Kozlov|Stepanov|Nikolaev|Orlov|Andreev|Makarov|Nikitin|Zakharov|Zaitsev|Solovyov|Borisov|Yakovlev|Grigoriev|Romanov|Vorobyov|Sergeev|Kuzmin|Frolov|Aleksandrov|Dmitriev|Korolev|Gusev|Kiselev|Ilyin|Maksimov|Polyakov|Sorokin|Vinogradov|Kovalev|Belov|Medvedev|Antonov|Tarasov|Zhukov|Baranov|Filippov|Komarov|Davydov|Belyaev|Gerasimov|Bogdanov|Osipov|Sidorenko|Fedorenko|Kovalenko|Bondarenko|Tkachenko|Shevchenko|Kravchenko|Ponomarev|Kudryavtsev|Matveev|Tikhonov|Afanasiev|Danilov|Zhuravlev|Nikolsky|Sobolev|Kuzin|Lazarev|Melnikov|Prokhorov|Sukhanov|Tsvetkov|Shubin|Yershov|Kotov|Chernov|Kulagin|Rybakov|Shilov|Rodionov|Gavrilov|Ignatiev|Yudin|Bykov|Savin|Guryev|Lapin|Degtyar|Krutikov|Samsonov|Gorchakov|Loginov|Kalinin|Sharapov|Anisimov|Chernyshev|Khristoforov|Plekhanov|Kurdyumov|Shabanov|Kosolapov|Makeev|Lomakin|Zverev|Kulikov|Kornilov|Panov|Fomin|Golubev|Dyakov|Tretyakov|Sazonov|Suvorov|Yermakov|Blinov|Voronin|Shchukin|Gogoberidze|Arutyunov|Tevosyan|Avakyan|Gelashvili|Kvaratskhelia|Abramov|Ostrovsky|Zhdanovich|Levchenko|Moskalenko|Rudenko|Kharitonov|Zuev|Mironov",
        extra: "Ivanovich|Petrovich|Sergeyevich|Nikolayevich|Aleksandrovich|Mikhailovich|Vasilyevich|Fyodorovich|Andreyevich|Grigoryevich|Dmitriyevich|Yakovlevich|Pavlovich|Stepanovich|Timofeyevich|Maksimovich|Semyonovich|Konstantinovich|Filippovich|Trofimovich|Romanovich|Antonovich|Borisovich|Georgiyevich|Leonidovich|Viktorovich|Yegorovich|Kirillovich|Matveyevich",
    },
    Culture {
        weight: 16,
        style: Style::Chinese,
        region: "East Asia",
        nationality: "Chinese",
        other_nationality: "Chinese",
        given: "",
        given_female: "",
        family: "Zhou/Chou|Li/Li|Wang/Wang|Zhang/Chang|Liu/Liu|Chen/Ch'en|Yang/Yang|Zhao/Chao|Huang/Huang|Wu/Wu|Xu/Hsu|Sun/Sun|Zhu/Chu|Hu/Hu|Guo/Kuo|He/Ho|Gao/Kao|Lin/Lin|Luo/Lo|Zheng/Cheng|Liang/Liang|Xie/Hsieh|Song/Sung|Tang/T'ang|Han/Han|Feng/Feng|Deng/Teng|Cao/Ts'ao|Peng/P'eng|Zeng/Tseng|Xiao/Hsiao|Tian/T'ien|Dong/Tung|Pan/P'an|Yuan/Yuan|Cai/Ts'ai|Jiang/Chiang|Yu/Yu|Du/Tu|Ye/Yeh|Wei/Wei|Su/Su|Lu/Lu|Ding/Ting|Ren/Jen|Shen/Shen|Yao/Yao|Kang/K'ang|Qiao/Ch'iao|Bo/Po|Ji/Chi|Nie/Nieh|Geng/Keng|Ke/K'o|Tan/T'an|Qian/Ch'ien|Fu/Fu|Lei/Lei|Chai/Ch'ai|Zhai/Chai",
        extra: "en/en|lai/lai|xiao/hsiao|ping/p'ing|shao/shao|qi/ch'i|de/te|huai/huai|guan/kuan|hua/hua|wen/wen|ming/ming|guo/kuo|feng/feng|jian/chien|zhong/chung|xian/hsien|chun/ch'un|hong/hung|yi/i|fu/fu|sheng/sheng|zhi/chih|qing/ch'ing|kang/k'ang|lin/lin|shan/shan|rong/jung|bo/po|tao/t'ao|hai/hai|jun/chun|tian/t'ien|xin/hsin|yong/yung|zheng/cheng|wu/wu|hui/hui|liang/liang|jing/ching|yuan/yuan|da/ta|chang/ch'ang|bin/pin|gang/kang|zhao/chao|xue/hsueh|ren/jen|dong/tung|cheng/ch'eng|tai/t'ai|hu/hu|mao/mao|peng/p'eng|fang/fang|qian/ch'ien|shu/shu|yan/yen|song/sung|ting/t'ing|zhen/chen|lu/lu|xiu/hsiu|chao/ch'ao|mei/mei|nian/nien|qiu/ch'iu|wei/wei|yun/yun",
    },
    Culture {
        weight: 15,
        style: Style::Korean,
        region: "East Asia",
        nationality: "North Korean",
        other_nationality: "South Korean",
        given: "",
        given_female: "",
        family: "Kim/Gim|Pak/Park|Ri/Lee|Choe/Choi|Jong/Chong|Kang/Gang|Han/Han|Ho/Heo|Hong/Hong|Nam/Nam|Yun/Yoon|O/Oh|So/Suh|Son/Sohn|Chang/Jang|Im/Lim|Ryu/Yu|Song/Song|Kwon/Gwon|Mun/Moon|Sin/Shin|Cho/Jo|Paek/Baek|Chon/Jeon|Hyon/Hyun|Yim/Rim|Ko/Go|An/Ahn|No/Roh|Yang/Yang",
        extra: "il/il|sung/song|jong/chong|chol/cheol|yong/yeong|gon/kun|chang/jang|ok/ok|ho/ho|man/man|su/soo|tok/deok|chun/jun|hwan/hwan|nam/nam|sok/seok|hyon/hyeon|gyu/kyu|sik/shik|bong/pong|myong/myeong|hui/hee|un/eun|dae/tae|jung/chung|chan/chan|taek/taek|gun/kun|mu/moo|pyong/byeong|sang/sang|gyong/kyung|won/won|hak/hak|rin/rin|ryong/ryong|gi/ki|hyok/hyeok|chol/chul|kwang/gwang|sun/soon|yon/yeon|hae/hae|dong/dong|min/min|jae/jae|sam/sam|to/do|yol/yeol",
    },
    Culture {
        weight: 5,
        style: Style::Vietnamese,
        region: "Southeast Asia",
        nationality: "North Vietnamese",
        other_nationality: "South Vietnamese",
        given: "Dong/Đồng|Giap/Giáp|Chinh/Chinh|Duan/Duẩn|Tho/Thọ|Trinh/Trinh|Hung/Hùng|Minh/Minh|Thach/Thạch|Linh/Linh|Khai/Khải|Trac/Trác|Phuong/Phương|Tien/Tiến|Binh/Bình|Lam/Lâm|Son/Sơn|Hai/Hải|Nam/Nam|Quy/Quý|Tam/Tâm|Thanh/Thanh|Kiet/Kiệt|Hoan/Hoan|Cuong/Cường|Dung/Dũng|Lien/Liên|Thuy/Thủy|Vinh/Vinh|Hieu/Hiếu|Quang/Quang|Tuan/Tuấn|Anh/Anh|Duc/Đức|Long/Long|Thang/Thắng",
        given_female: "",
        family: "Nguyen/Nguyễn|Tran/Trần|Le/Lê|Pham/Phạm|Hoang/Hoàng|Vo/Võ|Dang/Đặng|Bui/Bùi|Do/Đỗ|Ho/Hồ|Ngo/Ngô|Duong/Dương|Ly/Lý|Phan/Phan|Vu/Vũ|Huynh/Huỳnh|Truong/Trương|Dinh/Đinh|Mai/Mai|Luong/Lương",
        extra: "Van/Văn|Thi/Thị|Duy/Duy|Huu/Hữu|Xuan/Xuân|Quang/Quang|Dinh/Đình|Ba/Bá|Tan/Tấn|Cong/Công|Minh/Minh|Duc/Đức|Ngoc/Ngọc|Manh/Mạnh",
    },
    Culture {
        weight: 6,
        style: SOCIALIST,
        region: "Eastern Europe",
        nationality: "East German",
        other_nationality: "West German",
        given: "Walter|Erich|Otto|Hermann|Werner|Kurt|Horst|Heinz|Paul|Willi|Friedrich|Karl|Hans|Günter/Guenter|Rudolf|Wilhelm|Gerhard|Albert|Fritz|Ernst|Helmut|Klaus|Joachim|Egon|Bruno|Siegfried|Manfred|Dieter|Jürgen/Juergen|Alfred|Georg|Herbert|Lothar|Rolf",
        given_female: "Lotte|Margot|Hilde|Ingeborg|Gisela|Ursula",
        family: "Ullrich|Hentschel|Grote|Pietsch|Stolz|Arndt|Winkler|Florian|Mittelbach|Hagen|Sommer|Neumann|Schmidt|Müller/Mueller|Schulz|Becker|Fischer|Weber|Wagner|Hoffmann|Krüger/Krueger|Richter|Wolf|Schröder/Schroeder|Zimmermann|Braun|Hartmann|Lange|Krause|Lehmann|Köhler/Koehler|Maier|Schäfer/Schaefer|Vogel|Jahn|Kessler|Dietrich|Meissner|Bräutigam/Braeutigam|Fichte|Schwab|Herrmann|Graf|Seidel|Böhme/Boehme|Lorenz|Kühn/Kuehn|Ebert|Mückenberger/Mueckenberger|Hertwig|Strauss|Nolte|Oelssner|Rau|Wandel|Fröhlich/Froehlich|Grüneberg/Grueneberg|Kurella|Schürer/Schuerer",
        extra: "",
    },
    Culture {
        weight: 3,
        style: Style::Western {
            family_first: true,
            comrade: true,
            maternal: false,
        },
        region: "Eastern Europe",
        nationality: "Hungarian",
        other_nationality: "Hungarian",
        given: "Karoly/Károly|Janos/János|Istvan/István|Laszlo/László|Jozsef/József|Ferenc|Gyula|Sandor/Sándor|Imre|Matyas/Mátyás|Bela/Béla|Erno/Ernő|Zoltan/Zoltán|Lajos|Miklos/Miklós|Antal|Gyorgy/György|Jeno/Jenő|Arpad/Árpád|Dezso/Dezső|Tibor|Endre|Geza/Géza|Pal/Pál",
        given_female: "Erzsebet/Erzsébet|Maria/Mária|Katalin|Ilona",
        family: "Prath/Práth|Bodnar/Bodnár|Nagy|Racz/Rácz|Gal/Gál|Kovacs/Kovács|Szabo/Szabó|Toth/Tóth|Horvath/Horváth|Varga|Kiss|Molnar/Molnár|Nemeth/Németh|Farkas|Balogh|Papp|Takacs/Takács|Juhasz/Juhász|Meszaros/Mészáros|Olah/Oláh|Simon|Rigo/Rigó|Peter/Péter|Csatordai|Kallo/Kalló|Szilagyi/Szilágyi|Torok/Török|Bognar/Bognár|Fodor|Kurimszky|Pataki|Lukacs/Lukács|Feher/Fehér|Balazs/Balázs|Sandor/Sándor|Fekete|Vass|Szucs/Szűcs|Hegedus/Hegedűs|Orosz",
        extra: "",
    },
    Culture {
        weight: 3,
        style: SOCIALIST,
        region: "Eastern Europe",
        nationality: "Polish",
        other_nationality: "Polish",
        given: "Wladyslaw/Władysław|Jozef/Józef|Edward|Stanislaw/Stanisław|Jan|Zenon|Adam|Tadeusz|Marian|Henryk|Kazimierz|Jerzy|Zbigniew|Wojciech|Mieczyslaw/Mieczysław|Boleslaw/Bolesław|Ryszard|Andrzej|Piotr|Czeslaw/Czesław|Eugeniusz|Witold|Leszek|Franciszek",
        given_female: "Zofia|Halina|Krystyna|Wanda",
        family: "Kowalczyk|Wojciechowski|Rutkowski|Grabowski|Pietrzak|Jasinski/Jasiński|Kania|Kaczmarek|Kowalski|Nowak|Wisniewski/Wiśniewski|Wojcik/Wójcik|Kaminski/Kamiński|Lewandowski|Zielinski/Zieliński|Szymanski/Szymański|Wozniak/Woźniak|Dabrowski/Dąbrowski|Kozlowski/Kozłowski|Mazur|Krawczyk|Piotrowski|Adamczyk|Dudek|Sikora|Zawadzki|Baran|Sadowski|Ostrowski|Tomaszewski|Pawlowski/Pawłowski|Mazurek|Gorski/Górski|Pawlak|Michalski|Krol/Król|Wieczorek|Jablonski/Jabłoński|Wrobel/Wróbel|Majewski|Olszewski|Stepien/Stępień|Malinowski|Jaworski",
        extra: "",
    },
    Culture {
        weight: 2,
        style: SOCIALIST,
        region: "Eastern Europe",
        nationality: "Czechoslovak",
        other_nationality: "Czechoslovak",
        given: "Antonin/Antonín|Vaclav/Václav|Gustav|Ludvik/Ludvík|Jiri/Jiří|Oldrich/Oldřich|Vasil|Bohuslav|Frantisek/František|Lubomir/Lubomír|Josef|Karel|Miroslav|Vladimir/Vladimír|Jaroslav|Zdenek/Zdeněk|Alois|Milos/Miloš|Ladislav|Bohumil",
        given_female: "Marie|Jarmila|Vera/Věra",
        family: "Novotny/Novotný|Kral/Král|Dolezal/Doležal|Svoboda|Cermak/Čermák|Stepanek/Štěpánek|Urban|Hajek/Hájek|David|Simek/Šimek|Kopecky/Kopecký|Dvorak/Dvořák|Novak/Novák|Cerny/Černý|Prochazka/Procházka|Kucera/Kučera|Vesely/Veselý|Horak/Horák|Marek|Pospisil/Pospíšil|Holub|Zeman|Fiala|Kolar/Kolář|Nemec/Němec|Blaha/Bláha|Jelinek/Jelínek|Benda|Kriz/Kříž|Ruzicka/Růžička|Benes/Beneš|Sedlacek/Sedláček|Stastny/Šťastný",
        extra: "",
    },
    Culture {
        weight: 2,
        style: SOCIALIST,
        region: "Eastern Europe",
        nationality: "Romanian",
        other_nationality: "Romanian",
        given: "Gheorghe|Nicolae|Ion|Emil|Ilie|Corneliu|Stefan/Ștefan|Alexandru|Chivu|Paul|Petre|Constantin|Mihai|Vasile|Dumitru|Manea|Leonte|Iosif",
        given_female: "Elena|Ana|Maria",
        family: "Gheorghiu|Lupu|Moldovan|Stan|Manole|Stoica|Popescu|Ionescu|Niculescu|Dobre|Barbu|Draghici/Drăghici|Apostol|Nistor|Ene|Tudor|Andrei|Bobu|Dinca/Dincă|Munteanu|Radulescu/Rădulescu|Constantinescu|Stanciu|Dumitrescu|Georgescu|Olteanu|Marin|Toma|Florea",
        extra: "",
    },
    Culture {
        weight: 2,
        style: SOCIALIST,
        region: "Eastern Europe",
        nationality: "Bulgarian",
        other_nationality: "Bulgarian",
        given: "Todor|Georgi|Valko/Vulko|Anton|Dimitar/Dimitur|Petar/Petur|Ivan|Stanko|Zhivko/Živko|Pencho|Boyan|Stoyan|Grisha|Mitko|Krastyo|Andrey|Ognyan|Hristo",
        given_female: "Lyudmila|Tsola|Elena",
        family: "Petkov|Ivanov|Yordanov|Vasilev|Dimov|Mladenov|Todorov|Dimitrov|Georgiev|Stoyanov|Hristov|Nikolov|Kolev|Angelov|Velchev|Grozev|Tanchev|Filipov|Balev|Atanasov|Popov|Tsanev|Iliev|Kostov|Marinov",
        extra: "",
    },
    Culture {
        weight: 1,
        style: SOCIALIST,
        region: "Eastern Europe",
        nationality: "Albanian",
        other_nationality: "Albanian",
        given: "Enver|Mehmet|Ramiz|Hysni|Beqir|Adil|Gogo|Spiro|Kadri|Reis|Manush|Pali|Haki|Lefter|Rita",
        given_female: "Nexhmije|Liri",
        family: "Hoxhaj|Leka|Alija|Kola|Prifti|Cela/Çela|Nushi|Marku|Gjoka|Dervishi|Shehu|Hasani|Bregu|Toska|Goga|Peristeri|Ndreu|Xhafa|Dume",
        extra: "",
    },
    Culture {
        weight: 1,
        style: Style::Western {
            family_first: false,
            comrade: false,
            maternal: false,
        },
        region: "Eastern Europe",
        nationality: "Yugoslav",
        other_nationality: "Yugoslav",
        given: "Josip|Edvard|Aleksandar|Milovan|Koca/Koča|Mijalko|Petar|Veljko|Marko|Stane|Lazar|Dragoslav|Milos/Miloš|Budimir|Stevan",
        given_female: "Milka|Vida",
        family: "Horvat|Kovacevic/Kovačević|Babic/Babić|Popovic/Popović|Todorovic/Todorović|Nikolic/Nikolić|Ilic/Ilić|Pavlovic/Pavlović|Novak|Juric/Jurić|Knezevic/Knežević|Radic/Radić|Petrovic/Petrović|Jovanovic/Jovanović|Markovic/Marković|Stojanovic/Stojanović|Lukic/Lukić|Vukovic/Vuković",
        extra: "",
    },
    Culture {
        weight: 2,
        style: Style::Mongolian,
        region: "East Asia",
        nationality: "Mongolian",
        other_nationality: "Mongolian",
        given: "Tsedenbal|Batmunkh|Sambuu|Dugersuren|Gombojav|Lkhamsuren|Ochirbat|Dashdorj|Tsend|Myagmar|Dorj|Sodnom|Purevdorj|Altangerel|Baatar|Ganbold|Tumur|Damdin|Luvsan|Jargal|Erdene|Namsrai|Tserendorj|Bat-Ochir",
        given_female: "",
        family: "Yumjaagiin|Jambyn|Tsendiin|Luvsantserengiin|Sodnomyn|Damdinjavyn|Dugersurengiin|Batmunkhiin|Gombojavyn|Ochirbatyn|Dashiin|Myagmarsurengiin|Lkhagvyn|Tserenbaljiryn|Namsrain|Dorjiin|Baldangiin|Choijilsurengiin|Sambuugiin|Tumenbayaryn",
        extra: "",
    },
    Culture {
        weight: 6,
        style: WESTERN,
        region: "North America",
        nationality: "American",
        other_nationality: "American",
        given: "John|James|William|Robert|Richard|Charles|George|Thomas|Henry|Edward|Dean|Walter|Averell|Llewellyn|Chester|Harold|Philip|Arthur|Francis|Marshall|Winthrop|Lyman|Ellis|Samuel|Joseph|Paul|Raymond|Howard|Donald|Kenneth|Lawrence|Alfred",
        given_female: "Eleanor|Margaret|Clare|Jeane",
        family: "Hamilton|Thompson|Warren|Smith|Johnson|Brown|Davis|Miller|Wilson|Moore|Taylor|Anderson|Jackson|White|Harris|Martin|Clark|Lewis|Walker|Hall|Allen|Young|King|Wright|Green|Baker|Adams|Nelson|Carter|Mitchell|Roberts|Turner|Phillips|Campbell|Parker|Evans|Edwards|Collins|Stewart|Morris|Murphy|Cook|Rogers|Morgan|Cooper|Peterson|Reed|Bailey|Bell|Kelly|Howard|Ward|Cox|Richardson|Wood|Watson|Brooks|Bennett|Gray|Hughes|Price|Sanders|Myers|Long|Ross|Foster|Fleming|Porter|Berger|Fuller|Hayes|Graham|Sullivan|Wallace|Cole|West|Jordan|Reynolds|Hunt|Black|Palmer|Holt",
        extra: "",
    },
    Culture {
        weight: 3,
        style: WESTERN,
        region: "Western Europe",
        nationality: "British",
        other_nationality: "French",
        given: "Anthony|Alec|Selwyn|Patrick|Douglas|Maurice|Humphrey|Harold|Geoffrey|Michael|Roger|Nigel|Oliver|Hugh|Percy|Reginald|Cecil|Denis|Pierre|Jean|Michel|Georges|Maurice|Roland",
        given_female: "Barbara|Joan",
        family: "Ashworth|Hollis|Pemberton|Lloyd|Trevelyan|Butler|Stewart|Gore-Booth|Harcourt|Hayward|Wilson|Fenwick|Ellison|Owen|Pym|Spencer|Russell|Cradock|Fairbanks|Murray|Rousseau|Girard|Dumont|Bertrand|Fournier|Garnier|Chevalier|Lefebvre|Dupont|Moreau|Laurent|Mercier|Blanchard|Fontaine",
        extra: "",
    },
    Culture {
        weight: 2,
        style: Style::Western {
            family_first: false,
            comrade: true,
            maternal: true,
        },
        region: "Latin America",
        nationality: "Cuban",
        other_nationality: "Cuban",
        given: "Fidel|Raul/Raúl|Ernesto|Osvaldo|Carlos|Blas|Armando|Juan|Jose/José|Manuel|Ramiro|Jorge|Pedro|Antonio|Faustino|Severo|Aníbal/Anibal|Sergio",
        given_female: "Vilma|Celia|Haydée/Haydee",
        family: "Castellanos|Morales|Rodriguez/Rodríguez|Reyes|Herrera|Medina|Valdes/Valdés|Garcia/García|Fernandez/Fernández|Lopez/López|Martinez/Martínez|Gonzalez/González|Perez/Pérez|Sanchez/Sánchez|Cabrera|Vega|Ramirez/Ramírez|Rojas|Guerra|Aragones/Aragonés|Del Valle|Fuentes|Ortiz|Diaz/Díaz|Mora|Suarez/Suárez",
        extra: "",
    },
    Culture {
        weight: 2,
        style: Style::Western {
            family_first: true,
            comrade: false,
            maternal: false,
        },
        region: "East Asia",
        nationality: "Japanese",
        other_nationality: "Japanese",
        given: "Hiroshi|Takeshi|Shigeru|Nobusuke|Hayato|Eisaku|Kakuei|Takeo|Masayoshi|Ichiro|Kenji|Yoshio|Kiichi|Aiichiro|Zentaro|Sunao|Kenzo|Toshio|Yasuhiro|Noboru|Shintaro|Akira|Tadashi|Goro",
        given_female: "Fusae|Takako",
        family: "Sato|Suzuki|Takahashi|Tanaka|Watanabe|Ito/Itō|Yamamoto|Nakamura|Kobayashi|Kato/Katō|Yoshida|Yamada|Sasaki|Matsumoto|Inoue|Kimura|Shimizu|Hayashi|Saito/Saitō|Yamaguchi|Miyamoto|Mori|Ikeda|Ota/Ōta|Fujita|Okada|Hasegawa|Ishikawa|Kondo/Kondō|Maeda|Murakami|Okazaki|Ogata|Nishimura|Ono/Ōno",
        extra: "",
    },
];

const ROLES: &[&str] = &[
    "diplomat",
    "party official",
    "military officer",
    "economist",
    "journalist",
    "interpreter",
    "trade official",
    "intelligence officer",
    "scientist",
    "government official",
    "ambassador",
    "foreign minister",
    "deputy foreign minister",
    "general",
    "member of the Politburo",
    "head of the international department",
    "deputy premier",
    "planning official",
];

const POSITIONS: &[&str] = &[
    "Counsellor of the embassy in",
    "First Secretary of the embassy in",
    "Ambassador in",
    "Trade representative in",
    "Military attaché in",
    "Correspondent in",
    "Chargé d'affaires in",
    "Head of the delegation to",
];

const TOPICS: &[&str] = &[
    "Sino-Soviet Split",
    "Korean War",
    "Armistice Negotiations",
    "Korean Reunification",
    "Cuban Missile Crisis",
    "Nuclear Weapons",
    "Vietnam War",
    "Economic Aid",
    "Trade",
    "Cultural Exchange",
    "Prague Spring",
    "Hungarian Revolution, 1956",
    "Sino-Soviet Border Conflict",
    "Détente",
    "Taiwan Strait Crisis",
    "Korean Demilitarized Zone",
    "Juche",
    "De-Stalinization",
    "August Incident (1956)",
    "Great Leap Forward",
    "Cultural Revolution",
    "Non-Aligned Movement",
    "Soviet Foreign Policy",
    "Chinese Foreign Policy",
    "Inter-Korean Relations",
    "Military Assistance",
    "Propaganda",
    "Intelligence",
    "Sino-Indian Border Dispute",
    "Nuclear Energy",
    "Refugees",
    "Agriculture",
    "Students",
];

/// Lowercase phrases for what is discussed (text, summaries, events).
const MATTERS: &[&str] = &[
    "the withdrawal of the Chinese People's Volunteers",
    "economic aid for the next five-year plan",
    "the situation on the Korean peninsula",
    "the border negotiations",
    "deliveries of grain and fertiliser",
    "the dispute between the fraternal parties",
    "the convening of an international conference",
    "the reunification question",
    "military assistance",
    "the training of students abroad",
    "the construction of a hydroelectric plant",
    "the exchange of delegations",
    "nuclear research cooperation",
    "the armistice negotiations",
    "the repatriation of prisoners of war",
    "credits for industrial equipment",
    "the preparations for the party congress",
    "the situation in the south",
    "the fishing agreement",
    "railway transit through Mongolia",
    "the propaganda campaign",
    "the status of Taiwan",
    "the treatment of foreign diplomats",
    "the reactions to the Twentieth Party Congress",
    "the visit of a government delegation",
    "the shortage of foreign currency",
    "the purge of party officials",
    "the agricultural cooperatives",
    "the recognition of the GDR",
    "the admission of the PRC to the United Nations",
    "the Geneva conference on Indochina",
    "the new line of the fraternal party",
    "the supply of oil products",
    "the question of the Soviet specialists",
    "the cultural cooperation plan",
    "the border incidents",
    "the debt repayment schedule",
    "the publication of the joint statement",
];

const AGREEMENTS: &[&str] = &[
    "a protocol on scientific and technical cooperation",
    "an agreement on economic and technical aid",
    "a trade agreement for the coming year",
    "a consular convention",
    "a treaty of friendship, cooperation and mutual assistance",
    "a joint communiqué",
    "an agreement on cultural exchange",
    "a protocol on goods exchange",
    "an agreement on air traffic",
    "a plan of party cooperation",
];

const COMMODITIES: &[&str] = &[
    "grain",
    "wheat",
    "rice",
    "fertiliser",
    "coal",
    "coke",
    "steel",
    "cement",
    "oil",
    "cotton",
    "machine tools",
    "trucks",
    "locomotives",
    "rolled metal",
    "medicines",
    "rubber",
    "timber",
];

const LEVELS: &[&str] = &[
    "Top Secret",
    "Secret",
    "Urgent",
    "Confidential",
    "Strictly Confidential",
    "Extra Urgent",
    "For Official Use Only",
    "Immediate",
];

use crate::dates::MONTH_NAMES as MONTHS;
const MONTHS_SHORT: [&str; 12] = [
    "Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
];

const RIGHTS: &str = "The History and Public Policy Program welcomes reuse of Digital Archive materials for research and educational purposes. Some documents may be subject to copyright, which is retained by the rights holders in accordance with US and international copyright laws. When possible, rights holders have been contacted for permission to reproduce their materials.\n\nTo enquire about this document's rights status or request permission for commercial use, please contact the History and Public Policy Program.";
const RIGHTS_SHORT: &str = "The History and Public Policy Program welcomes reuse of Digital Archive materials for research and educational purposes. Some documents may be subject to copyright, which is retained by the rights holders in accordance with US and international copyright laws.";

const FUNDING_PREFIX: &str = "This document was made possible with support from";

const TRANSLATOR_GIVEN: &str = "Gary|Charles|Sergey|James|Anna|Lin|Kathryn|Bernd|Balazs|Mircea|Jordan|Christian|Eliza|Sarah|Ioana|Vojtech|Nicholas|Daniel|Maria|Michael|Svetlana|Oleg|Yafeng|Jae-hyun|Jong-dae|Seung-young|Yong-ho|Kyung-mi|Shu-hua|Mei-ling|Katalin|Tomasz|Pavel|David|Malcolm|Laura|Ethan|Hannah|Olivia|Benjamin";
const TRANSLATOR_FAMILY: &str = "Goldberg|Kraus|Radchenko|Person|Horvath|Wei|Weathersby|Schaefer|Szalontai|Munteanu|Baev|Ostermann|Gheorghe|Mastny|Selvage|Mertz|Lee|Kim|Park|Chen|Xia|Zhang|Shin|Choi|Song|Yang|Evans|Fischer|Novak|Dvorak|Wilson|Becker|Hoffmann|Pollack|Brooks|Ortega|Sato|Marin|Bekes|Byrne";
const TRANSLATOR_LANGUAGES: &[&str] = &[
    "Russian",
    "Chinese",
    "Korean",
    "Hungarian",
    "German",
    "Polish",
    "Czech",
    "Romanian",
    "Bulgarian",
    "Mongolian",
    "Albanian",
    "Vietnamese",
];

/// Famous names the random combinations could recreate; a synthetic person never bears them.
const FAMOUS: &[&str] = &[
    "zhouenlai",
    "maozedong",
    "dengxiaoping",
    "liushaoqi",
    "zhude",
    "pengdehuai",
    "linbiao",
    "chenyi",
    "chenyun",
    "lipeng",
    "zhaoziyang",
    "huaguofeng",
    "kangsheng",
    "pengzhen",
    "lixiannian",
    "kimilsung",
    "kimjongil",
    "choeyonggon",
    "pakhonyong",
    "pakchunghui",
    "phamvandong",
    "yumjaagiintsedenbal",
    "jambynbatmunkh",
    "imrenagy",
];

// ---------------------------------------------------------------------------
// Random helpers.
// ---------------------------------------------------------------------------

/// The streams records are drawn from (each record has its own generator).
#[derive(Debug, Clone, Copy)]
enum Stream {
    Person = 1,
    Document = 2,
    Event = 3,
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of record `index` of a stream (and a retry `attempt`).
fn record_rng(seed: u64, stream: Stream, index: u64, attempt: u64) -> Rng {
    let a = splitmix(seed ^ splitmix(stream as u64));
    let b = splitmix(a ^ index);
    Rng::with_seed(splitmix(b ^ attempt.wrapping_mul(0xA24B_AED4_963E_E407)))
}

/// Whether an event with probability `percent` happens.
fn chance(rng: &mut Rng, percent: u32) -> bool {
    rng.u32(0..100) < percent
}

/// One of the items, by weight.
fn weighted<T: Copy>(rng: &mut Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut at = rng.u32(0..total.max(1));
    for (item, weight) in items {
        if at < *weight {
            return *item;
        }
        at -= weight;
    }
    items[items.len() - 1].0
}

fn pick_str(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    items[rng.usize(0..items.len())]
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(0..items.len())]
}

// Random draws use only IEEE-754 operations that round the same on every
// platform (+, −, ×, ÷, sqrt), never the math library's ln, exp, cos or powf,
// so that a seed gives the same corpus everywhere.

/// A nearly standard normal deviate: the sum of twelve uniforms, less six (Irwin–Hall).
fn normal(rng: &mut Rng) -> f64 {
    (0..12).map(|_| rng.f64()).sum::<f64>() - 6.0
}

/// e^x for |x| < 700, from +, −, × and ÷ only: x = k·ln 2 + r, e^r by its series.
fn exp(x: f64) -> f64 {
    let k = (x / std::f64::consts::LN_2).round();
    let r = x - k * std::f64::consts::LN_2;
    let (mut term, mut sum) = (1.0, 1.0);
    for n in 1..=20 {
        term = term * r / f64::from(n);
        sum += term;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// `plain/variant` pairs separated by `|` (a plain entry is its own variant).
fn pairs(list: &'static str) -> Vec<(&'static str, &'static str)> {
    list.split('|')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| e.split_once('/').unwrap_or((e, e)))
        .collect()
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The key names are compared by: letters and digits only, lowercase.
fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn initial(name: &str) -> String {
    name.chars()
        .next()
        .map(|c| format!("{c}."))
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------
// Names.
// ---------------------------------------------------------------------------

/// A person's names as built: the preferred form and the variants.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Names {
    name: String,
    variants: Vec<String>,
    /// The variant a signature or a "From:" line uses ("N.S. Khrushchev"), if any.
    formal: Option<String>,
}

struct Pools {
    given: Vec<(&'static str, &'static str)>,
    given_female: Vec<(&'static str, &'static str)>,
    family: Vec<(&'static str, &'static str)>,
    extra: Vec<(&'static str, &'static str)>,
}

impl Pools {
    fn of(culture: &Culture) -> Self {
        let mut given = pairs(culture.given);
        given.dedup();
        Self {
            given,
            given_female: pairs(culture.given_female),
            family: pairs(culture.family),
            extra: pairs(culture.extra),
        }
    }
}

/// A surname with two letters inside swapped ("Khrushchev" → "Khurshchev"), as typists did.
fn typo(surname: &str) -> Option<String> {
    let chars: Vec<char> = surname.chars().collect();
    if chars.len() < 5 {
        return None;
    }
    let at = 1 + (chars.len() - 3) / 2;
    let (a, b) = (chars[at], chars[at + 1]);
    if a == b || !a.is_ascii_lowercase() || !b.is_ascii_lowercase() {
        return None;
    }
    let mut out = chars.clone();
    out.swap(at, at + 1);
    Some(out.into_iter().collect())
}

/// Another transliteration of a Russian surname ("Malinovsky" → "Malinovskii", "Yegorov" → "Egorov").
fn transliterate_russian(surname: &str) -> Option<String> {
    if let Some(stem) = surname.strip_suffix("sky") {
        return Some(format!("{stem}skii"));
    }
    if let Some(stem) = surname.strip_suffix("ev") {
        if stem.ends_with("ch") || stem.ends_with("sh") || stem.ends_with("zh") {
            return Some(format!("{stem}ov"));
        }
    }
    if let Some(rest) = surname.strip_prefix("Ye") {
        return Some(format!("E{rest}"));
    }
    if surname.contains("ya") {
        return Some(surname.replacen("ya", "ia", 1));
    }
    if let Some(stem) = surname.strip_suffix("iev") {
        return Some(format!("{stem}yev"));
    }
    if let Some(stem) = surname.strip_suffix("ov") {
        return Some(format!("{stem}ow"));
    }
    None
}

fn feminine_russian(surname: &str) -> String {
    if let Some(stem) = surname.strip_suffix("sky") {
        format!("{stem}skaya")
    } else if surname.ends_with("ov") || surname.ends_with("ev") || surname.ends_with("in") {
        format!("{surname}a")
    } else {
        surname.to_owned()
    }
}

/// Builds a name of a culture. `level` > 0 asks for a rarer form (after collisions).
fn build_names(rng: &mut Rng, culture: &Culture, pools: &Pools, level: u32) -> Names {
    let mut variants = Vec::new();
    let formal;
    let name;
    let typo_wanted = chance(rng, 7);
    match culture.style {
        Style::Russian => {
            let female = !pools.given_female.is_empty() && chance(rng, 7);
            let (given, given_alt) = *pick(
                rng,
                if female {
                    &pools.given_female
                } else {
                    &pools.given
                },
            );
            let mut surname = pick(rng, &pools.family).0.to_owned();
            if level >= 3 {
                surname = format!("{surname}-{}", pick(rng, &pools.family).0);
            }
            if female {
                surname = feminine_russian(&surname);
            }
            let mut patronymic = pick(rng, &pools.extra).0.to_owned();
            if female {
                patronymic = patronymic.replace("ich", "na");
            }
            let full = format!("{given} {patronymic} {surname}");
            let initials = format!("{}{} {surname}", initial(given), initial(&patronymic));
            name = if level >= 1 {
                full.clone()
            } else {
                format!("{given} {surname}")
            };
            if level == 0 {
                variants.push(full);
            }
            variants.push(initials.clone());
            formal = Some(initials);
            if chance(rng, 55) {
                variants.push(surname.clone());
            }
            if chance(rng, 30) {
                variants.push(format!("Comrade {surname}"));
            }
            if given_alt != given && chance(rng, 60) {
                variants.push(format!("{given_alt} {surname}"));
            }
            if chance(rng, 35) {
                if let Some(other) = transliterate_russian(&surname) {
                    variants.push(format!("{given} {other}"));
                }
            }
            if typo_wanted {
                if let Some(t) = typo(&surname) {
                    variants.push(t);
                }
            }
        }
        Style::Chinese => {
            let (family, family_wg) = *pick(rng, &pools.family);
            let two = level >= 1 || chance(rng, 82);
            let (s1, w1) = *pick(rng, &pools.extra);
            let mut given = capitalise(s1);
            let mut given_wg = capitalise(w1);
            let mut given_wg_caps = given_wg.clone();
            if two {
                let (s2, w2) = *pick(rng, &pools.extra);
                if s2.starts_with(['a', 'e', 'o']) {
                    given.push('\'');
                }
                given.push_str(s2);
                given_wg = format!("{given_wg}-{w2}");
                given_wg_caps = format!("{given_wg_caps}-{}", capitalise(w2));
            }
            if level >= 3 {
                let (s3, w3) = *pick(rng, &pools.extra);
                given.push_str(s3);
                given_wg = format!("{given_wg}-{w3}");
            }
            name = format!("{family} {given}");
            let wade = format!("{family_wg} {given_wg}");
            if wade != name {
                variants.push(wade.clone());
            }
            if two && chance(rng, 20) {
                variants.push(format!("{family_wg} {given_wg_caps}"));
            }
            if chance(rng, 25) {
                variants.push(format!("{given} {family}"));
            }
            if chance(rng, 20) {
                variants.push(format!("Comrade {name}"));
            }
            formal = variants.first().cloned();
        }
        Style::Korean => {
            let (family, family_alt) = *pick(rng, &pools.family);
            let (s1, a1) = *pick(rng, &pools.extra);
            let (s2, a2) = *pick(rng, &pools.extra);
            let spaced = format!("{family} {} {}", capitalise(s1), capitalise(s2));
            let hyphened = format!("{family} {}-{s2}", capitalise(s1));
            let (preferred, other) = if chance(rng, 50) {
                (spaced, hyphened)
            } else {
                (hyphened, spaced)
            };
            name = if level >= 2 {
                format!("{preferred} {}", capitalise(pick(rng, &pools.extra).0))
            } else {
                preferred
            };
            if level < 2 {
                variants.push(other);
            }
            let alternative = format!("{family_alt} {}-{a2}", capitalise(a1));
            if name_key(&alternative) != name_key(&name) {
                variants.push(alternative);
            }
            if chance(rng, 25) {
                variants.push(format!("{}-{s2} {family}", capitalise(s1)));
            }
            if chance(rng, 20) {
                variants.push(format!("Comrade {name}"));
            }
            formal = None;
        }
        Style::Vietnamese => {
            let (family, family_d) = *pick(rng, &pools.family);
            let (middle, middle_d) = *pick(rng, &pools.extra);
            let (given, given_d) = *pick(rng, &pools.given);
            let (second, second_d) = if level >= 1 {
                let (m, d) = *pick(rng, &pools.extra);
                (format!(" {m}"), format!(" {d}"))
            } else {
                (String::new(), String::new())
            };
            name = format!("{family} {middle}{second} {given}");
            let diacritics = format!("{family_d} {middle_d}{second_d} {given_d}");
            if diacritics != name {
                variants.push(diacritics);
            }
            variants.push(format!("{family} {}{second} {given}", initial(middle)));
            if chance(rng, 30) {
                variants.push(format!("Comrade {given}"));
            }
            formal = variants.last().cloned();
        }
        Style::Mongolian => {
            let (patronymic, _) = *pick(rng, &pools.family);
            let (given, _) = *pick(rng, &pools.given);
            let given = if level >= 1 {
                format!("{given}-{}", pick(rng, &pools.given).0)
            } else {
                given.to_owned()
            };
            name = format!("{patronymic} {given}");
            let short: String = patronymic.chars().take(2).collect();
            let initials = format!("{short}. {given}");
            variants.push(initials.clone());
            formal = Some(initials);
            if chance(rng, 50) {
                variants.push(given.clone());
            }
            if chance(rng, 25) {
                variants.push(format!("{given} {patronymic}"));
            }
        }
        Style::Western {
            family_first,
            comrade,
            maternal,
        } => {
            let female = !pools.given_female.is_empty() && chance(rng, 8);
            let (given, given_d) = *pick(
                rng,
                if female {
                    &pools.given_female
                } else {
                    &pools.given
                },
            );
            let (family, family_d) = *pick(rng, &pools.family);
            let middle = match level {
                0 => String::new(),
                1 => format!(" {}", initial(&rng.uppercase().to_string())),
                _ => format!(
                    " {}{}",
                    initial(&rng.uppercase().to_string()),
                    initial(&rng.uppercase().to_string())
                ),
            };
            name = format!("{given}{middle} {family}");
            let accented = format!("{given_d}{middle} {family_d}");
            if accented != name {
                variants.push(accented);
            }
            let formal_form = format!("{} {family}", initial(given));
            variants.push(formal_form.clone());
            formal = Some(formal_form);
            if family_first {
                variants.push(format!("{family_d} {given_d}"));
            }
            if maternal {
                let (second, second_d) = *pick(rng, &pools.family);
                if second != family {
                    variants.push(format!("{given_d}{middle} {family_d} {second_d}"));
                }
            }
            if chance(rng, 45) {
                variants.push(family.to_owned());
            }
            if comrade && chance(rng, 30) {
                variants.push(format!("Comrade {family}"));
            }
            if typo_wanted {
                if let Some(t) = typo(family) {
                    variants.push(format!("{given} {t}"));
                }
            }
        }
    }
    let mut seen = HashSet::new();
    seen.insert(name.to_lowercase());
    variants.retain(|v| seen.insert(v.to_lowercase()));
    Names {
        name,
        variants,
        formal,
    }
}

// ---------------------------------------------------------------------------
// The world: people, places, organisations, archives.
// ---------------------------------------------------------------------------

/// A person of the corpus.
#[derive(Debug, Clone)]
struct Person {
    id: String,
    name: String,
    variants: Vec<String>,
    formal: Option<String>,
    life_span: Option<String>,
    region: &'static str,
    description: String,
    /// The years the person may be named in documents and events.
    active: (i32, i32),
}

/// A place, organisation or archive.
#[derive(Debug, Clone)]
struct Entity {
    id: String,
    name: String,
    variants: Vec<String>,
    description: Option<String>,
}

/// Everything the documents and events are made of.
struct World {
    people: Vec<Person>,
    /// People `0..historical` are historical; the rest are translators.
    historical: usize,
    /// Cumulative popularity of the historical people.
    popularity: Vec<f64>,
    places: Vec<Entity>,
    /// Indices of cities and countries in `places`.
    cities: Vec<usize>,
    countries: Vec<usize>,
    organisations: Vec<Entity>,
    /// Per nation: its ministry, and its embassies abroad (organisation indices) by host nation.
    ministries: Vec<usize>,
    embassies: Vec<Vec<(usize, usize)>>,
    /// Organisations that are not ministries or embassies, and the funders.
    others: Vec<usize>,
    funders: Vec<usize>,
    archives: Vec<Entity>,
    /// Per archive: its nation's index.
    archive_nation: Vec<usize>,
    archive_weights: Vec<(usize, u32)>,
    /// Translators by the language they translate from.
    translators: HashMap<&'static str, Vec<usize>>,
}

fn entity(name: &str, variants: &str, description: &str) -> Entity {
    Entity {
        id: slug(name),
        name: name.to_owned(),
        variants: variants
            .split(';')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect(),
        description: (!description.is_empty()).then(|| description.to_owned()),
    }
}

fn nation_index(country: &str) -> usize {
    NATIONS
        .iter()
        .position(|n| n.country == country)
        .unwrap_or(0)
}

/// Whether nation `a` keeps an embassy in nation `b`'s capital.
fn has_embassy(a: &Nation, b: &Nation) -> bool {
    let koreas = |n: &Nation| n.country.ends_with("Korea");
    if std::ptr::eq(a, b) || (koreas(a) && koreas(b)) {
        return false;
    }
    a.bloc == b.bloc
        || a.bloc == Bloc::NonAligned
        || b.bloc == Bloc::NonAligned
        || (a.outward && b.outward)
}

impl World {
    fn new(options: &CorpusOptions) -> Self {
        let places: Vec<Entity> = PLACES
            .iter()
            .map(|(name, variants, description, _)| entity(name, variants, description))
            .collect();
        let cities = (0..PLACES.len()).filter(|&i| !PLACES[i].3).collect();
        let countries = (0..PLACES.len()).filter(|&i| PLACES[i].3).collect();
        let mut organisations = Vec::new();
        let mut ministries = Vec::new();
        for nation in NATIONS {
            ministries.push(organisations.len());
            let description = format!("Foreign ministry of {}", nation.country);
            organisations.push(entity(
                nation.ministry,
                nation.ministry_variants,
                &description,
            ));
        }
        let mut embassies = vec![Vec::new(); NATIONS.len()];
        for (a, from) in NATIONS.iter().enumerate() {
            for (b, to) in NATIONS.iter().enumerate() {
                if has_embassy(from, to) {
                    embassies[a].push((b, organisations.len()));
                    let name = format!("{} Embassy in {}", from.adjective, to.capital);
                    let description = format!("Embassy of {} in {}", from.country, to.country);
                    organisations.push(entity(&name, "", &description));
                }
            }
        }
        let mut others = Vec::new();
        for (name, variants, description) in ORGANISATIONS {
            others.push(organisations.len());
            organisations.push(entity(name, variants, description));
        }
        let mut funders = Vec::new();
        for (name, variants, description) in FUNDERS {
            funders.push(organisations.len());
            organisations.push(entity(name, variants, description));
        }
        let archives: Vec<Entity> = ARCHIVES
            .iter()
            .map(|a| {
                entity(
                    a.name,
                    a.variants,
                    &format!("Holding archive ({} records)", a.language),
                )
            })
            .collect();
        let archive_nation = ARCHIVES.iter().map(|a| nation_index(a.nation)).collect();
        let archive_weights = ARCHIVES
            .iter()
            .enumerate()
            .map(|(i, a)| (i, a.weight))
            .collect();

        let mut world = World {
            people: Vec::with_capacity(options.people),
            historical: 0,
            popularity: Vec::new(),
            places,
            cities,
            countries,
            organisations,
            ministries,
            embassies,
            others,
            funders,
            archives,
            archive_nation,
            archive_weights,
            translators: HashMap::new(),
        };
        world.make_people(options);
        world.drop_shared_variants();
        world
    }

    fn make_people(&mut self, options: &CorpusOptions) {
        let translators = (options.people / 25).clamp(1, 60);
        let historical = options.people - translators;
        self.historical = historical;
        let pools: Vec<Pools> = CULTURES.iter().map(Pools::of).collect();
        let culture_weights: Vec<(usize, u32)> = CULTURES
            .iter()
            .enumerate()
            .map(|(i, c)| (i, c.weight))
            .collect();
        // Names already taken (by key), and ids: a new preferred name must be new.
        let mut taken: HashSet<String> = FAMOUS.iter().map(|s| (*s).to_owned()).collect();
        let mut ids: HashSet<String> = HashSet::new();
        for e in self
            .places
            .iter()
            .chain(&self.organisations)
            .chain(&self.archives)
        {
            taken.insert(name_key(&e.name));
            taken.extend(e.variants.iter().map(|v| name_key(v)));
        }
        for index in 0..options.people {
            let mut rng = record_rng(options.seed, Stream::Person, index as u64, 0);
            let translator = index >= historical;
            let culture = weighted(&mut rng, &culture_weights);
            let mut attempt = 0u32;
            let names = loop {
                let names = if translator {
                    translator_names(&mut rng, attempt / 8)
                } else {
                    build_names(&mut rng, &CULTURES[culture], &pools[culture], attempt / 8)
                };
                let key = name_key(&names.name);
                let id = slug(&names.name);
                if !taken.contains(&key) && !ids.contains(&id) {
                    taken.insert(key);
                    taken.extend(names.variants.iter().map(|v| name_key(v)));
                    ids.insert(id);
                    break names;
                }
                attempt += 1;
            };
            let person = if translator {
                let language =
                    TRANSLATOR_LANGUAGES[(index - historical) % TRANSLATOR_LANGUAGES.len()];
                self.translators.entry(language).or_default().push(index);
                Person {
                    id: slug(&names.name),
                    name: names.name,
                    variants: names.variants,
                    formal: None,
                    life_span: None,
                    region: "North America",
                    description: format!("Translator ({language})"),
                    active: (YEARS.0, YEARS.1),
                }
            } else {
                historical_person(&mut rng, &CULTURES[culture], names)
            };
            self.people.push(person);
        }
        let mut total = 0.0;
        self.popularity = (0..historical)
            .map(|i| {
                total += 1.0 / (i as f64 + 8.0);
                total
            })
            .collect();
    }

    /// Leaves out every variant that another entity also has (or that is another's name),
    /// so each name in the authority file names one entity.
    fn drop_shared_variants(&mut self) {
        let mut count: HashMap<String, u32> = HashMap::new();
        let forms = |name: &String, variants: &Vec<String>| {
            let mut own: Vec<String> = std::iter::once(name)
                .chain(variants)
                .map(|f| f.to_lowercase())
                .collect();
            own.sort();
            own.dedup();
            own
        };
        for p in &self.people {
            for f in forms(&p.name, &p.variants) {
                *count.entry(f).or_default() += 1;
            }
        }
        for e in self
            .places
            .iter()
            .chain(&self.organisations)
            .chain(&self.archives)
        {
            for f in forms(&e.name, &e.variants) {
                *count.entry(f).or_default() += 1;
            }
        }
        let fixed = fixed_words();
        let unique = |v: &String| {
            count.get(&v.to_lowercase()).copied() == Some(1) && !fixed.contains(v.as_str())
        };
        for p in &mut self.people {
            p.variants.retain(unique);
            if p.formal.as_ref().is_some_and(|f| !unique(f)) {
                p.formal = None;
            }
        }
        for e in self
            .places
            .iter_mut()
            .chain(self.organisations.iter_mut())
            .chain(self.archives.iter_mut())
        {
            e.variants.retain(unique);
        }
    }

    /// A historical person, drawn by popularity among those active in `year`.
    fn popular_person(&self, rng: &mut Rng, year: i32) -> usize {
        let total = self.popularity[self.historical - 1];
        let mut best = 0;
        for _ in 0..12 {
            let at = rng.f64() * total;
            let i = self
                .popularity
                .partition_point(|&c| c <= at)
                .min(self.historical - 1);
            let (from, to) = self.people[i].active;
            if (from..=to).contains(&year) {
                return i;
            }
            best = i;
        }
        best
    }

    /// `count` distinct historical people active in `year` (fewer if there are not so many).
    fn people_for(&self, rng: &mut Rng, count: usize, year: i32, out: &mut Vec<usize>) {
        let count = count.min(self.historical);
        let mut tries = 0;
        while out.len() < count && tries < count * 20 {
            let p = self.popular_person(rng, year);
            if !out.contains(&p) {
                out.push(p);
            }
            tries += 1;
        }
        let mut next = 0;
        while out.len() < count {
            if !out.contains(&next) {
                out.push(next);
            }
            next += 1;
        }
    }

    /// How the text names a person: the preferred name mostly, sometimes a variant.
    fn person_form(&self, rng: &mut Rng, p: usize, percent_variant: u32) -> &str {
        let person = &self.people[p];
        if !person.variants.is_empty() && chance(rng, percent_variant) {
            pick(rng, &person.variants).as_str()
        } else {
            &person.name
        }
    }

    fn entity_form<'a>(rng: &mut Rng, e: &'a Entity, percent_variant: u32) -> &'a str {
        if !e.variants.is_empty() && chance(rng, percent_variant) {
            pick(rng, &e.variants).as_str()
        } else {
            &e.name
        }
    }
}

fn translator_names(rng: &mut Rng, level: u32) -> Names {
    let given = pairs(TRANSLATOR_GIVEN);
    let family = pairs(TRANSLATOR_FAMILY);
    let g = pick(rng, &given).0;
    let f = pick(rng, &family).0;
    let name = match level {
        0 => format!("{g} {f}"),
        _ => format!("{g} {}-{f}", pick(rng, &family).0),
    };
    Names {
        name,
        variants: Vec::new(),
        formal: None,
    }
}

fn historical_person(rng: &mut Rng, culture: &Culture, names: Names) -> Person {
    let birth = 1885 + (rng.f64().sqrt() * 60.0) as i32;
    let mut death = birth + 40 + rng.i32(0..=55);
    if death < 1950 {
        death = 1950 + rng.i32(0..=15);
    }
    let nationality = if chance(rng, 20) {
        culture.other_nationality
    } else {
        culture.nationality
    };
    let life_span = match rng.u32(0..100) {
        _ if death > 2023 => None,
        0..=54 => Some(format!("{birth}-{death}")),
        55..=79 => Some(format!("{birth}- {death}")),
        _ => None,
    };
    let from = (birth + 22).max(YEARS.0);
    let to = death.min(YEARS.1).max(from);
    let role = pick_str(rng, ROLES);
    let description = if chance(rng, 45) {
        let city = PLACES[rng.usize(FIRST_CITY..PLACES.len())].0;
        format!("{nationality} {role}; {} {city}", pick_str(rng, POSITIONS))
    } else {
        format!("{nationality} {role}")
    };
    Person {
        id: slug(&names.name),
        name: names.name,
        variants: names.variants,
        formal: names.formal,
        life_span,
        region: culture.region,
        description,
        active: (from, to),
    }
}

// ---------------------------------------------------------------------------
// Dates.
// ---------------------------------------------------------------------------

/// How precise a generated date is (what the date parser will read from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Precision {
    Day,
    Month,
    Year,
    Range,
}

/// The printed forms of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateForm {
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

const DOCUMENT_DATES: &[(DateForm, u32)] = &[
    (DateForm::DayLong, 44),
    (DateForm::DayEuro, 7),
    (DateForm::DayIso, 4),
    (DateForm::DayShort, 3),
    (DateForm::DayBracket, 2),
    (DateForm::Month, 13),
    (DateForm::Year, 8),
    (DateForm::ApproxYear, 4),
    (DateForm::ApproxMonth, 1),
    (DateForm::RangeDays, 5),
    (DateForm::RangeCross, 1),
    (DateForm::RangeMonths, 3),
    (DateForm::RangeYears, 5),
];

const EVENT_DATES: &[(DateForm, u32)] = &[
    (DateForm::DayLong, 45),
    (DateForm::DayEuro, 8),
    (DateForm::DayShort, 2),
    (DateForm::Month, 22),
    (DateForm::Year, 13),
    (DateForm::ApproxYear, 3),
    (DateForm::ApproxMonth, 1),
    (DateForm::RangeDays, 3),
    (DateForm::RangeMonths, 1),
    (DateForm::RangeYears, 2),
];

/// A date as printed, with the first day it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
struct GenDate {
    text: String,
    year: i32,
    month: u32,
    day: u32,
    precision: Precision,
}

impl GenDate {
    /// Orders dates by their first day (coarser dates first within their year or month).
    fn sort_key(&self) -> u32 {
        let (month, day) = match self.precision {
            Precision::Day => (self.month, self.day),
            Precision::Month => (self.month, 0),
            Precision::Year | Precision::Range => (0, 0),
        };
        (self.year as u32) * 10_000 + month * 100 + day
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .map_or(28, |d| d.day())
}

/// A year of the period, most often around 1960 (where the archive is thickest).
fn draw_year(rng: &mut Rng) -> i32 {
    if chance(rng, 40) {
        return rng.i32(YEARS.0..=YEARS.1);
    }
    for _ in 0..8 {
        let y = (1961.0 + 9.0 * normal(rng)).round() as i32;
        if (YEARS.0..=YEARS.1).contains(&y) {
            return y;
        }
    }
    rng.i32(YEARS.0..=YEARS.1)
}

/// A date in one of the forms, starting on the given day (moved when a range would leave the period).
fn render_date(rng: &mut Rng, form: DateForm, year: i32, month: u32, day: u32) -> GenDate {
    let m = MONTHS[month as usize - 1];
    let (text, precision) = match form {
        DateForm::DayLong => (format!("{m} {day}, {year}"), Precision::Day),
        DateForm::DayEuro => (format!("{day} {m} {year}"), Precision::Day),
        DateForm::DayIso => (format!("{year}-{month:02}-{day:02}"), Precision::Day),
        DateForm::DayShort => {
            let short = MONTHS_SHORT[month as usize - 1];
            (format!("{short} {day}, {year}"), Precision::Day)
        }
        DateForm::DayBracket => (format!("[{m} {day}, {year}]"), Precision::Day),
        DateForm::Month => (format!("{m} {year}"), Precision::Month),
        DateForm::Year => (year.to_string(), Precision::Year),
        DateForm::ApproxYear => {
            let text = match rng.u32(0..4) {
                0 => format!("c. {year}"),
                1 => format!("circa {year}"),
                2 => format!("ca. {year}"),
                _ => format!("{year}?"),
            };
            (text, Precision::Year)
        }
        DateForm::ApproxMonth => (format!("c. {m} {year}"), Precision::Month),
        DateForm::RangeDays => {
            let last = days_in_month(year, month);
            if day >= last {
                return render_date(rng, DateForm::DayLong, year, month, day);
            }
            let end = (day + rng.u32(1..=3)).min(last);
            (format!("{m} {day}-{end}, {year}"), Precision::Range)
        }
        DateForm::RangeCross => {
            let start = NaiveDate::from_ymd_opt(year, month, day);
            let end = start.and_then(|s| s.checked_add_days(chrono::Days::new(rng.u64(3..=9))));
            match end {
                Some(end) if end.year() <= YEARS.1 && end.month() != month => (
                    format!(
                        "{m} {day}, {year} - {} {}, {}",
                        MONTHS[end.month0() as usize],
                        end.day(),
                        end.year()
                    ),
                    Precision::Range,
                ),
                _ => return render_date(rng, DateForm::RangeDays, year, month, day),
            }
        }
        DateForm::RangeMonths => {
            let span = rng.u32(1..=14);
            let end = (year * 12 + month as i32 - 1) + span as i32;
            let (end_year, end_month) = (end / 12, (end % 12) as u32 + 1);
            if end_year > YEARS.1 {
                return render_date(rng, DateForm::Month, year, month, day);
            }
            let text = format!("{m} {year} - {} {end_year}", MONTHS[end_month as usize - 1]);
            (text, Precision::Range)
        }
        DateForm::RangeYears => {
            if year >= YEARS.1 {
                return render_date(rng, DateForm::Year, year, month, day);
            }
            let end = (year + rng.i32(1..=4)).min(YEARS.1);
            let text = match rng.u32(0..4) {
                0 | 1 => format!("{year}-{end}"),
                2 => format!("{year} to {end}"),
                _ => format!("between {year} and {end}"),
            };
            (text, Precision::Range)
        }
    };
    GenDate {
        text,
        year,
        month,
        day,
        precision,
    }
}

fn draw_date(rng: &mut Rng, forms: &[(DateForm, u32)]) -> GenDate {
    let year = draw_year(rng);
    let month = rng.u32(1..=12);
    let day = rng.u32(1..=days_in_month(year, month));
    let form = weighted(rng, forms);
    render_date(rng, form, year, month, day)
}

/// An event's date on a document's: never more precise than the document's.
fn date_like(rng: &mut Rng, of: &GenDate) -> GenDate {
    let forms: &[(DateForm, u32)] = match of.precision {
        Precision::Day => &[
            (DateForm::DayLong, 70),
            (DateForm::DayEuro, 10),
            (DateForm::Month, 12),
            (DateForm::Year, 8),
        ],
        Precision::Month => &[
            (DateForm::Month, 80),
            (DateForm::ApproxMonth, 5),
            (DateForm::Year, 15),
        ],
        Precision::Year | Precision::Range => &[(DateForm::Year, 90), (DateForm::ApproxYear, 10)],
    };
    let form = weighted(rng, forms);
    render_date(rng, form, of.year, of.month, of.day)
}

/// "2014-11-12": when the document was put online.
fn uploaded_date(rng: &mut Rng) -> String {
    let year = rng.i32(2011..=2024);
    let month = rng.u32(1..=12);
    let day = rng.u32(1..=days_in_month(year, month));
    format!("{year}-{month:02}-{day:02}")
}

// ---------------------------------------------------------------------------
// Text: templates with slots.
// ---------------------------------------------------------------------------

/// A slot of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
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
enum Seg {
    Text(&'static str),
    Slot(Slot),
}

fn parse_template(template: &'static str) -> Vec<Seg> {
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

/// Sentences of the documents' text. A name slot never follows a capitalised
/// word, so the text around a name can never extend it into another name.
const SENTENCES: &[&str] = &[
    "{P} said that the situation in {COUNTRY} had become considerably more complicated since the last plenum.",
    "In the course of the conversation {P} raised the question of deliveries of {COMM} for {YEAR}.",
    "{P} expressed gratitude for the assistance of the {ORG} and asked that this be conveyed to {Q}.",
    "I replied that I would report this request to the leadership without delay.",
    "The delegation arrived in {CITY} on {DAYMONTH} and was received the same evening by {P}.",
    "According to {P}, some {NUM} specialists are expected to leave for {CITY} before the end of {MONTH}.",
    "{P} noted that the {NAT} comrades had not yet answered the proposal on {MATTER}.",
    "Then {P} touched on {MATTER} and asked for our opinion.",
    "The conversation lasted {HOURS} hours and took place in a friendly atmosphere.",
    "{P} stressed that {MATTER} could only be settled through consultations between the fraternal parties.",
    "It was agreed that {Q} would prepare a draft of {AGR} by {MONTH}.",
    "{P} complained that the shortage of {COMM} in {COUNTRY} was holding back the fulfilment of the plan.",
    "Asked about {MATTER}, {P} answered evasively and changed the subject.",
    "In the opinion of {P}, the position of the {ORG} on this question remains unchanged.",
    "{P} informed {Q} that {BIG} tons of {COMM} would be shipped through {CITY}.",
    "At the end of the meeting {P} asked that the exact dates be communicated no later than the end of {MONTH}.",
    "The embassy considers it advisable to inform {P} of our views on {MATTER}.",
    "{P} recalled the talks held in {CITY} in {YEAR} and said that their results had not been implemented.",
    "The {NAT} side proposed to hold the next round of negotiations in {CITY}.",
    "{Q} added that the question had been discussed at a meeting of the {ORG}.",
    "Our information indicates that {P} intends to raise {MATTER} at the forthcoming session.",
    "{P} asked me to convey personal greetings to {Q}.",
    "The reception was attended by {NUM} guests, among them {P} and {Q}.",
    "This information was received from a reliable source close to {P}.",
    "{P} declined to comment on reports of unrest in {COUNTRY}.",
    "During the talks the {NAT} delegation repeatedly referred to {MATTER}.",
    "Further details will be reported by telegram.",
    "{P} emphasised that no decision would be taken without consulting {Q}.",
    "The press in {CITY} has not reported on the visit.",
    "According to {P}, {PCT} percent of the {COMM} delivered in {YEAR} was of poor quality.",
    "We consider that {P} was speaking on instructions from {CITY}.",
    "{P} said that a visit to {CITY} was planned at the invitation of {Q}.",
    "The question of {MATTER} was not raised during the visit.",
    "{P} thanked the {NAT} government for its support on {MATTER}.",
    "In reply, I set out the position of the {ORG} on {MATTER}.",
    "A representative of the {ORG} was present at the conversation.",
    "{P} read out a statement on {MATTER} and handed over the text in translation.",
    "It is known that {P} and {Q} have differed on this question since {YEAR}.",
    "The talks will continue in {CITY} after the holidays.",
    "The conversation was conducted through an interpreter.",
    "The matter requires further study before a reply can be given.",
    "The text of the note is attached.",
    "Both sides expressed satisfaction with the development of relations.",
    "No agreement was reached on the remaining points.",
    "The report was prepared on the basis of conversations with officials and our own observations.",
    "Measures are being taken to ensure the timely implementation of the agreed decisions.",
    "In the view of the embassy, the economic difficulties in {COUNTRY} will continue into {YEAR}.",
    "{P} spoke at length about {MATTER}, returning several times to the decisions of the {ORG}.",
    "It should be noted that {Q} took no part in the discussion.",
    "Trade turnover between the two countries reached {BIG} roubles, below the level foreseen in {AGR}.",
    "{P} remarked that the {NAT} friends were too cautious and that time was working against them.",
    "We were told that {NUM} students from {COUNTRY} had been recalled without explanation.",
    "The meeting with {P} took place at the request of the other side.",
    "{P} confirmed that the question would be put before the {ORG} in {MONTH}.",
];

/// Events: one sentence naming two to four people.
const EVENT_SENTENCES: &[&str] = &[
    "{P} meets {Q} in {CITY} to discuss {MATTER}{REST}.",
    "{P} and {Q} sign {AGR} in {CITY}{REST}.",
    "{P} receives {Q} in {CITY}; they discuss {MATTER}{REST}.",
    "In a letter to {Q}, {P} criticises the position of the {ORG} on {MATTER}{REST}.",
    "{P} briefs {Q} on the results of the talks in {CITY}{REST}.",
    "{P} informs {Q} that the {ORG} will postpone {MATTER}{REST}.",
    "{P} and {Q} hold talks in {CITY} on {MATTER}{REST}.",
    "{Q} reports to {P} on {MATTER}{REST}.",
    "{P} accompanies {Q} on a visit to {CITY}{REST}.",
    "{P} tells {Q} that the leadership in {CITY} opposes {MATTER}{REST}.",
    "{P} and {Q} attend a reception in {CITY} marking the signing of {AGR}{REST}.",
    "At a meeting in {CITY}, {P} asks {Q} for support on {MATTER}{REST}.",
    "{P} complains to {Q} about {MATTER}{REST}.",
    "{P} and {Q} exchange letters on {MATTER}{REST}.",
    "{Q} arrives in {CITY} and is received by {P}{REST}.",
    "{P} proposes to {Q} a joint statement on {MATTER}{REST}.",
];

const SUMMARIES: &[&str] = &[
    "{P} and {Q} discuss {MATTER} and {MATTER}.",
    "{P} informs {Q} about {MATTER}; the conversation also touches on {MATTER}.",
    "A report on {MATTER} in {COUNTRY}, citing remarks by {P}.",
    "{P} reports on talks in {CITY} concerning {MATTER}.",
    "A report on {MATTER}, with the views of {P} and {Q} on {MATTER}.",
    "{P} tells {Q} about {MATTER} and asks for help with {MATTER}.",
];

/// Templates, parsed once.
struct Templates {
    sentences: Vec<Vec<Seg>>,
    events: Vec<Vec<Seg>>,
    summaries: Vec<Vec<Seg>>,
}

impl Templates {
    fn new() -> Self {
        let parse = |list: &[&'static str]| list.iter().map(|t| parse_template(t)).collect();
        Self {
            sentences: parse(SENTENCES),
            events: parse(EVENT_SENTENCES),
            summaries: parse(SUMMARIES),
        }
    }
}

/// Capitalised words of the fixed text: no name may equal one of them, or the
/// mention finder would see a person where the template meant a word.
fn fixed_words() -> HashSet<&'static str> {
    let texts = SENTENCES
        .iter()
        .chain(EVENT_SENTENCES)
        .chain(SUMMARIES)
        .chain(MATTERS)
        .chain(AGREEMENTS)
        .chain(TITLE_WORDS)
        .copied()
        .chain(NATIONS.iter().map(|n| n.adjective));
    texts
        .flat_map(|t| t.split(|c: char| !c.is_alphanumeric() && c != '\''))
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .chain(MONTHS)
        .collect()
}

/// Words of titles and page furniture, checked with [`fixed_words`].
const TITLE_WORDS: &[&str] = &[
    "Memorandum of Conversation between",
    "Record of a Conversation between",
    "Journal of Ambassador, Record of a Conversation with",
    "Letter from to",
    "Note on the Conversation of with",
    "Memorandum from to",
    "Information about the Talks between and in",
    "Speech by at a Meeting of the",
    "Cable from the",
    "Report from the",
    "Telegram from the to the",
    "Note by the on",
    "Information from the on",
    "Report, the",
    "Copy No. Top Secret signature stamp",
    "Desk Receiving Serial Korea Soviet Union Vietnam China",
];

/// What a template's slots are filled from.
struct Fill<'w> {
    world: &'w World,
    /// The people a text may name (a document's people, or an event's in order).
    people: &'w [usize],
    /// Percent of names written as a variant rather than the preferred name.
    variant_percent: u32,
    /// Places, organisations and nations of the document, drawn on first.
    cities: &'w [usize],
    orgs: &'w [usize],
    nations: &'w [usize],
    year: i32,
    /// What the text named: places and organisations (indices), for the pills.
    named_places: Vec<usize>,
    named_orgs: Vec<usize>,
}

impl Fill<'_> {
    fn name(&self, rng: &mut Rng, p: usize, out: &mut String) {
        out.push_str(self.world.person_form(rng, p, self.variant_percent));
    }

    fn city(&mut self, rng: &mut Rng, out: &mut String) {
        let i = if !self.cities.is_empty() && chance(rng, 65) {
            *pick(rng, self.cities)
        } else {
            *pick(rng, &self.world.cities)
        };
        if !self.named_places.contains(&i) {
            self.named_places.push(i);
        }
        out.push_str(World::entity_form(rng, &self.world.places[i], 25));
    }

    fn country(&mut self, rng: &mut Rng, out: &mut String) {
        let i = if !self.nations.is_empty() && chance(rng, 70) {
            let nation = &NATIONS[*pick(rng, self.nations)];
            PLACES
                .iter()
                .position(|p| p.0 == nation.country)
                .unwrap_or(0)
        } else {
            *pick(rng, &self.world.countries)
        };
        if !self.named_places.contains(&i) {
            self.named_places.push(i);
        }
        let form = World::entity_form(rng, &self.world.places[i], 30);
        if needs_article(form) {
            out.push_str("the ");
        }
        out.push_str(form);
    }

    fn org(&mut self, rng: &mut Rng, out: &mut String) {
        let i = if !self.orgs.is_empty() && chance(rng, 70) {
            *pick(rng, self.orgs)
        } else {
            *pick(rng, &self.world.others)
        };
        if !self.named_orgs.contains(&i) {
            self.named_orgs.push(i);
        }
        out.push_str(World::entity_form(rng, &self.world.organisations[i], 30));
    }

    /// Appends a template with its slots filled. `p` and `q` are indices into `people`.
    fn render(&mut self, rng: &mut Rng, template: &[Seg], p: usize, q: usize, out: &mut String) {
        for seg in template {
            match *seg {
                Seg::Text(t) => out.push_str(t),
                Seg::Slot(slot) => self.slot(rng, slot, p, q, out),
            }
        }
    }

    fn slot(&mut self, rng: &mut Rng, slot: Slot, p: usize, q: usize, out: &mut String) {
        match slot {
            Slot::P => self.name(rng, self.people[p], out),
            Slot::Q => self.name(rng, self.people[q], out),
            Slot::Rest => {
                let rest = &self.people[2.min(self.people.len())..];
                match rest.len() {
                    0 => {}
                    1 => {
                        let semicolon = chance(rng, 50);
                        out.push_str(if semicolon { "; " } else { ", with " });
                        self.name(rng, rest[0], out);
                        out.push_str(if semicolon {
                            " is also present"
                        } else {
                            " also present"
                        });
                    }
                    _ => {
                        out.push_str("; ");
                        for (i, &r) in rest.iter().enumerate() {
                            if i + 1 == rest.len() {
                                out.push_str(" and ");
                            } else if i > 0 {
                                out.push_str(", ");
                            }
                            self.name(rng, r, out);
                        }
                        out.push_str(" also take part");
                    }
                }
            }
            Slot::City => self.city(rng, out),
            Slot::Country => self.country(rng, out),
            Slot::Org => self.org(rng, out),
            Slot::Nat => {
                let nation = if self.nations.is_empty() {
                    pick(rng, NATIONS)
                } else {
                    &NATIONS[*pick(rng, self.nations)]
                };
                out.push_str(nation.adjective);
            }
            Slot::Matter => out.push_str(pick_str(rng, MATTERS)),
            Slot::Agreement => out.push_str(pick_str(rng, AGREEMENTS)),
            Slot::Commodity => out.push_str(pick_str(rng, COMMODITIES)),
            Slot::Num => {
                push_number(out, rng.u32(2..=400));
            }
            Slot::Big => {
                push_number(out, rng.u32(2..=900));
                out.push_str(",000");
            }
            Slot::Hours => {
                push_number(out, rng.u32(2..=5));
            }
            Slot::Percent => {
                push_number(out, rng.u32(5..=60));
            }
            Slot::Month => out.push_str(MONTHS[rng.usize(0..12)]),
            Slot::Year => {
                let year = (self.year + rng.i32(-2..=1)).clamp(YEARS.0, YEARS.1);
                push_number(out, year.unsigned_abs());
            }
            Slot::DayMonth => {
                push_number(out, rng.u32(1..=28));
                out.push(' ');
                out.push_str(MONTHS[rng.usize(0..12)]);
            }
        }
    }
}

/// Appends a number in decimal (without the formatting machinery: text is mostly slots).
fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| d as char));
}

/// [`slug`], without its Unicode normalisation for ASCII text (where it changes nothing).
fn quick_slug(text: &str) -> String {
    if !text.is_ascii() {
        return slug(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    let mut out: String = trimmed.chars().take(80).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        return slug(text);
    }
    out
}

/// Whether a country's name takes "the" in running text ("the DPRK", "the Soviet Union").
fn needs_article(form: &str) -> bool {
    let abbreviation = form
        .chars()
        .all(|c| c.is_uppercase() || c == '.' || c == 'Č');
    abbreviation
        || [
            "Soviet",
            "United",
            "Democratic",
            "Republic",
            "People's",
            "Federal",
            "German",
            "Socialist",
        ]
        .iter()
        .any(|w| form.starts_with(w))
        || form.ends_with("Republic")
        || form.ends_with("Republic of Korea")
        || form.ends_with("Republic of China")
        || form.ends_with("Republic of Vietnam")
}

// ---------------------------------------------------------------------------
// Documents.
// ---------------------------------------------------------------------------

/// What an event needs of a document: its date and people (drawn first from its stream).
struct DocCore {
    date: GenDate,
    archive: usize,
    people: Vec<usize>,
}

/// A generated document, ready to be written as a record or a page.
struct GenDoc {
    record_id: String,
    node_id: String,
    slug: String,
    title: String,
    date: String,
    funders: Vec<usize>,
    sent_by: Vec<String>,
    received_by: Vec<String>,
    level: Option<&'static str>,
    classification: Option<&'static str>,
    serial_line: Option<String>,
    serial: Option<String>,
    text: String,
    summary: Option<String>,
    citation: Citation,
    archive: usize,
    rights: &'static str,
    languages: Vec<&'static str>,
    uploaded: String,
    people: Vec<usize>,
    places: Vec<usize>,
    organisations: Vec<usize>,
    subjects: Vec<&'static str>,
}

impl GenDoc {
    fn url(&self) -> String {
        format!("{SITE}/document/{}", self.slug)
    }

    fn funding_statement(&self, world: &World) -> Option<String> {
        let names: Vec<&str> = self
            .funders
            .iter()
            .map(|&f| world.organisations[f].name.as_str())
            .collect();
        (!names.is_empty()).then(|| format!("{FUNDING_PREFIX} {}", names.join(" and ")))
    }
}

fn record_id(index: usize) -> String {
    (FIRST_RECORD_ID + index as u64).to_string()
}

/// The text's target length in bytes: log-normal, median about 3.7 KB, a long tail.
fn text_length(rng: &mut Rng) -> usize {
    let length = 3_700.0 * exp(0.85 * normal(rng));
    length.clamp(500.0, 400_000.0) as usize
}

/// A `{sig}` of the archive's own scheme.
fn signature(rng: &mut Rng, scheme: Signature, year: i32) -> String {
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
fn citation(world: &World, rng: &mut Rng, archive: usize, year: i32) -> Citation {
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
    fn doc_core(&self, seed: u64, index: usize) -> (Rng, DocCore) {
        let mut rng = record_rng(seed, Stream::Document, index as u64, 0);
        let date = draw_date(&mut rng, DOCUMENT_DATES);
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

    fn document(&self, seed: u64, index: usize, templates: &Templates) -> GenDoc {
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
                        let matter = capitalise(pick_str(rng, MATTERS));
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
                        capitalise(pick_str(rng, MATTERS))
                    ),
                    1 => format!(
                        "Report from the {from}, '{}'",
                        capitalise(pick_str(rng, MATTERS))
                    ),
                    2 => {
                        let ministry = &self.organisations[self.ministries[nation]].name;
                        format!("Telegram from the {from} to the {ministry}")
                    }
                    _ => format!("Note by the {from} on {}", pick_str(rng, MATTERS)),
                }
            }
            (false, None) => {
                let from = &sent_by[0];
                if chance(rng, 50) {
                    format!("Information from the {from} on {}", pick_str(rng, MATTERS))
                } else {
                    format!("Report, {from}, '{}'", capitalise(pick_str(rng, MATTERS)))
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
            let other = pick_str(rng, TRANSLATOR_LANGUAGES);
            if other != languages[0] {
                languages.push(other);
            }
        }
        let level = chance(rng, 55).then(|| pick_str(rng, LEVELS));
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
            let s = pick_str(rng, TOPICS);
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
    fn document_record(&self, doc: GenDoc) -> Document {
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

/// Index of the first city in [`PLACES`] (countries come first).
const FIRST_CITY: usize = 26;

// ---------------------------------------------------------------------------
// Events.
// ---------------------------------------------------------------------------

/// A generated event.
struct GenEvent {
    date: GenDate,
    text: String,
    people: Vec<usize>,
    places: Vec<usize>,
    organisations: Vec<usize>,
    documents: Vec<String>,
}

impl GenEvent {
    /// What makes two events one resource when they carry no id: date text and paragraph.
    fn key(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.date.text.hash(&mut h);
        self.text.hash(&mut h);
        h.finish()
    }
}

impl World {
    /// Event `index` (drawn again with `attempt` + 1 when its date and text repeat an earlier one's).
    fn event(
        &self,
        options: &CorpusOptions,
        index: usize,
        attempt: u8,
        templates: &Templates,
    ) -> GenEvent {
        let mut rng = record_rng(
            options.seed,
            Stream::Event,
            index as u64,
            u64::from(attempt),
        );
        let rng = &mut rng;
        let wanted = weighted(rng, &[(2, 50), (3, 35), (4, 15)]).min(self.historical);
        let mut people = Vec::with_capacity(4);
        let mut documents = Vec::new();
        let date = if options.documents > 0 && chance(rng, 75) {
            let cited = rng.usize(0..options.documents);
            let (_, core) = self.doc_core(options.seed, cited);
            documents.push(record_id(cited));
            if options.documents > 1 && chance(rng, 8) {
                let other = rng.usize(0..options.documents);
                if other != cited {
                    documents.push(record_id(other));
                }
            }
            let mut from_doc = core.people.clone();
            rng.shuffle(&mut from_doc);
            people.extend(from_doc.into_iter().take(wanted));
            date_like(rng, &core.date)
        } else {
            draw_date(rng, EVENT_DATES)
        };
        let year = date.year;
        self.people_for(rng, wanted, year, &mut people);
        let mut fill = Fill {
            world: self,
            people: &people,
            variant_percent: 25,
            cities: &[],
            orgs: &[],
            nations: &[],
            year,
            named_places: Vec::new(),
            named_orgs: Vec::new(),
        };
        let mut text = String::with_capacity(200);
        let template = pick(rng, &templates.events);
        fill.render(rng, template, 0, 1, &mut text);
        let Fill {
            named_places,
            named_orgs,
            ..
        } = fill;
        GenEvent {
            date,
            text,
            people,
            places: named_places,
            organisations: named_orgs,
            documents,
        }
    }

    fn event_record(&self, index: usize, event: &GenEvent) -> Event {
        Event {
            id: Some(format!("event-{:06}", index + 1)),
            date: HistoricalDate::from(event.date.text.as_str()),
            text: event.text.clone(),
            people: event
                .people
                .iter()
                .map(|&p| EntityRef::named(self.people[p].name.as_str()))
                .collect(),
            places: event
                .places
                .iter()
                .map(|&p| EntityRef::named(self.places[p].name.as_str()))
                .collect(),
            organisations: event
                .organisations
                .iter()
                .map(|&o| EntityRef::named(self.organisations[o].name.as_str()))
                .collect(),
            documents: event.documents.clone(),
        }
    }
}

// ---------------------------------------------------------------------------
// HTML pages.
// ---------------------------------------------------------------------------

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// Appends `<p>…</p>` per paragraph (paragraphs are separated by blank lines).
fn paragraphs_html(text: &str, indent: &str, out: &mut String) {
    for paragraph in text.split("\n\n") {
        out.push_str(indent);
        out.push_str("<p>");
        escape(paragraph, out);
        out.push_str("</p>\n");
    }
}

fn pills(heading: &str, names: &[(&str, &str)], out: &mut String) {
    if names.is_empty() {
        return;
    }
    out.push_str("  <h3 class=\"title\">");
    out.push_str(heading);
    out.push_str("</h3>\n  <div class=\"pills\">\n");
    for (id, name) in names {
        out.push_str("    <a class=\"pill\" href=\"/resource/");
        escape(id, out);
        out.push_str("\"><span class=\"name\"><span>");
        escape(name, out);
        out.push_str("</span></span></a>\n");
    }
    out.push_str("  </div>\n");
}

fn info_block(label: &str, value: &str, out: &mut String) {
    out.push_str("    <div class=\"information-block\"><div class=\"sub-title\">");
    out.push_str(label);
    out.push_str("</div><div class=\"text\">");
    escape(value, out);
    out.push_str("</div></div>\n");
}

fn header_field(label: &str, values: &[String], out: &mut String) {
    if values.is_empty() {
        return;
    }
    out.push_str("    <div class=\"header-field\"><span class=\"label\">");
    out.push_str(label);
    out.push_str(":</span> <span class=\"value\">");
    escape(&values.join("; "), out);
    out.push_str("</span></div>\n");
}

impl World {
    /// The document page, in the archive's markup (docs/page-structure.md).
    fn document_html(&self, doc: &GenDoc, out: &mut String) {
        out.push_str(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>",
        );
        escape(&doc.title, out);
        out.push_str(" | Wilson Center Digital Archive</title>\n  <link rel=\"canonical\" href=\"");
        escape(&doc.url(), out);
        out.push_str("\">\n  <script type=\"application/json\" data-drupal-selector=\"drupal-settings-json\">{\"path\":{\"currentPath\":\"node/");
        out.push_str(&doc.node_id);
        out.push_str("\"}}</script>\n</head>\n<body>\n<a href=\"#main-content\" class=\"skip-link\">Skip to content</a>\n<main id=\"main-content\">\n<article class=\"document\">\n  <div class=\"date\">");
        escape(&doc.date, out);
        out.push_str("</div>\n  <h1 class=\"title\">");
        escape(&doc.title, out);
        out.push_str("</h1>\n");
        if !doc.funders.is_empty() {
            out.push_str("  <div class=\"donated\">");
            out.push_str(FUNDING_PREFIX);
            for (i, &f) in doc.funders.iter().enumerate() {
                out.push_str(if i == 0 { " " } else { " and " });
                let funder = &self.organisations[f];
                out.push_str("<a href=\"/funder/");
                out.push_str(&funder.id);
                out.push_str("\">");
                escape(&funder.name, out);
                out.push_str("</a>");
            }
            out.push_str("</div>\n");
        }
        let level: Vec<String> = doc.level.iter().map(|l| (*l).to_owned()).collect();
        if !doc.sent_by.is_empty()
            || !doc.received_by.is_empty()
            || !level.is_empty()
            || doc.serial_line.is_some()
        {
            out.push_str("  <div class=\"header-fields\">\n");
            header_field("From", &doc.sent_by, out);
            header_field("Received by", &doc.received_by, out);
            header_field("Level", &level, out);
            if let Some(line) = &doc.serial_line {
                out.push_str("    <div class=\"serial\">");
                escape(line, out);
                out.push_str("</div>\n");
            }
            out.push_str("  </div>\n");
        }
        out.push_str("  <ul class=\"nav nav-tabs\"><li class=\"active\"><a href=\"#translation\">English Translation</a></li></ul>\n  <div class=\"tab-content\">\n    <div class=\"tab-pane active\" id=\"translation\">\n");
        paragraphs_html(&doc.text, "      ", out);
        out.push_str("    </div>\n  </div>\n");
        if let Some(summary) = &doc.summary {
            out.push_str("  <div class=\"text-block\"><p>");
            escape(summary, out);
            out.push_str("</p></div>\n");
        }
        out.push('\n');
        let people: Vec<(&str, &str)> = doc
            .people
            .iter()
            .map(|&p| (self.people[p].id.as_str(), self.people[p].name.as_str()))
            .collect();
        pills("Associated People", &people, out);
        let places: Vec<(&str, &str)> = doc
            .places
            .iter()
            .map(|&p| (self.places[p].id.as_str(), self.places[p].name.as_str()))
            .collect();
        pills("Associated Places", &places, out);
        let orgs: Vec<(&str, &str)> = doc
            .organisations
            .iter()
            .map(|&o| {
                (
                    self.organisations[o].id.as_str(),
                    self.organisations[o].name.as_str(),
                )
            })
            .collect();
        pills("Associated Organizations", &orgs, out);
        if !doc.subjects.is_empty() {
            out.push_str(
                "  <h3 class=\"title\">Subjects Discussed</h3>\n  <div class=\"pills\">\n",
            );
            for subject in &doc.subjects {
                out.push_str("    <a class=\"pill-subject\" href=\"/topics/");
                out.push_str(&quick_slug(subject));
                out.push_str("\">");
                escape(subject, out);
                out.push_str("</a>\n");
            }
            out.push_str("  </div>\n");
        }
        out.push_str("\n  <section class=\"document-information\">\n    <h2 class=\"title\">Document Information</h2>\n");
        info_block("Source", &doc.citation.text, out);
        info_block("Original Archive", &self.archives[doc.archive].name, out);
        out.push_str("    <div class=\"information-block\"><div class=\"sub-title\">Rights</div><div class=\"text\">");
        for paragraph in doc.rights.split("\n\n") {
            out.push_str("<p>");
            escape(paragraph, out);
            out.push_str("</p>");
        }
        out.push_str("</div></div>\n");
        info_block("Language", &doc.languages.join(", "), out);
        info_block("Original Uploaded Date", &doc.uploaded, out);
        if let Some(classification) = doc.classification {
            info_block("Original Classification", classification, out);
        }
        info_block("Record ID", &doc.record_id, out);
        if !doc.funders.is_empty() {
            let names: Vec<&str> = doc
                .funders
                .iter()
                .map(|&f| self.organisations[f].name.as_str())
                .collect();
            info_block("Donors", &names.join("; "), out);
        }
        out.push_str("  </section>\n</article>\n</main>\n</body>\n</html>\n");
    }

    fn card(&self, p: usize, counts: &[u32], subject: bool, out: &mut String) {
        let person = &self.people[p];
        if subject {
            out.push_str("  <div class=\"person-card subject\">\n");
        } else {
            out.push_str("    <a class=\"person-card\" href=\"/resource/");
            out.push_str(&person.id);
            out.push_str("\">\n");
        }
        let indent = if subject { "    " } else { "      " };
        out.push_str(indent);
        out.push_str("<div class=\"name\"><span>");
        escape(&person.name, out);
        out.push_str("</span></div>\n");
        out.push_str(indent);
        out.push_str("<div class=\"life-span\">");
        escape(person.life_span.as_deref().unwrap_or("-"), out);
        out.push_str("</div>\n");
        out.push_str(indent);
        out.push_str("<div class=\"region\">");
        escape(person.region, out);
        out.push_str("</div>\n");
        out.push_str(indent);
        out.push_str(&format!(
            "<div class=\"document-count\">({}) documents</div>\n",
            counts[p]
        ));
        out.push_str(if subject { "  </div>\n" } else { "    </a>\n" });
    }

    /// A person page: the subject's card, related people, the timeline (newest first).
    fn person_html(
        &self,
        p: usize,
        counts: &[u32],
        related: &[usize],
        timeline: &[GenEvent],
        out: &mut String,
    ) {
        let person = &self.people[p];
        out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>");
        escape(&person.name, out);
        out.push_str(" | Wilson Center Digital Archive</title>\n  <link rel=\"canonical\" href=\"");
        out.push_str(SITE);
        out.push_str("/resource/");
        out.push_str(&person.id);
        out.push_str("\"></head>\n<body>\n<a href=\"#main-content\" class=\"skip-link\">Skip to content</a>\n<main id=\"main-content\">\n<article class=\"person-page\" data-kind=\"person\">\n  <h1 class=\"title\">");
        escape(&person.name, out);
        out.push_str("</h1>\n");
        self.card(p, counts, true, out);
        if !related.is_empty() {
            out.push_str("  <section class=\"related-people\">\n    <h3 class=\"title\">Related People</h3>\n");
            for &r in related {
                self.card(r, counts, false, out);
            }
            out.push_str("  </section>\n");
        }
        if !timeline.is_empty() {
            out.push_str("  <section class=\"timeline\">\n    <h3 class=\"title\">Timeline</h3>\n");
            for event in timeline {
                out.push_str("    <div class=\"timeline-event\">\n      <div class=\"date\">");
                escape(&event.date.text, out);
                out.push_str("</div>\n      <div class=\"text\"><p>");
                escape(&event.text, out);
                out.push_str("</p></div>\n");
                for doc in &event.documents {
                    out.push_str(&format!(
                        "      <a class=\"document-link\" href=\"/document/{doc}\">Record {doc}</a>\n"
                    ));
                }
                out.push_str("    </div>\n");
            }
            out.push_str("  </section>\n");
        }
        out.push_str("</article>\n</main>\n</body>\n</html>\n");
    }
}

// ---------------------------------------------------------------------------
// Writing.
// ---------------------------------------------------------------------------

/// A writer that counts the bytes through it.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What has been written so far.
#[derive(Default)]
struct Written {
    files: usize,
    bytes: u64,
}

impl Written {
    fn file(&mut self, path: &Path, contents: &[u8]) -> Result<(), CorpusError> {
        fs::write(path, contents).map_err(io_error(path))?;
        self.files += 1;
        self.bytes += contents.len() as u64;
        Ok(())
    }
}

/// JSON Lines files of at most [`RECORDS_PER_FILE`] records: `{stem}-0001.jsonl`, …
struct JsonlSink<'a> {
    dir: &'a Path,
    stem: &'static str,
    current: Option<(PathBuf, Counting<BufWriter<File>>)>,
    records_in_file: usize,
    files: usize,
    line: Vec<u8>,
}

impl<'a> JsonlSink<'a> {
    fn new(dir: &'a Path, stem: &'static str) -> Self {
        Self {
            dir,
            stem,
            current: None,
            records_in_file: 0,
            files: 0,
            line: Vec::with_capacity(64 * 1024),
        }
    }

    fn write<T: serde::Serialize>(
        &mut self,
        record: &T,
        written: &mut Written,
    ) -> Result<(), CorpusError> {
        self.open_if_full(written)?;
        self.line.clear();
        serde_json::to_writer(&mut self.line, record)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
            .map_err(io_error(self.dir))?;
        self.line.push(b'\n');
        if let Some((path, writer)) = &mut self.current {
            writer.write_all(&self.line).map_err(io_error(path))?;
        }
        self.records_in_file += 1;
        Ok(())
    }

    /// Starts the next file when there is none yet or the current one is full.
    fn open_if_full(&mut self, written: &mut Written) -> Result<(), CorpusError> {
        if self.current.is_none() || self.records_in_file >= RECORDS_PER_FILE {
            self.finish(written)?;
            self.files += 1;
            let path = self
                .dir
                .join(format!("{}-{:04}.jsonl", self.stem, self.files));
            let file = File::create(&path).map_err(io_error(&path))?;
            let writer = Counting {
                inner: BufWriter::with_capacity(1 << 20, file),
                bytes: 0,
            };
            self.current = Some((path, writer));
            self.records_in_file = 0;
        }
        Ok(())
    }

    /// Appends `records` whole lines (never more than fit in the current file).
    fn write_lines(
        &mut self,
        lines: &[u8],
        records: usize,
        written: &mut Written,
    ) -> Result<(), CorpusError> {
        if records == 0 {
            return Ok(());
        }
        self.open_if_full(written)?;
        if let Some((path, writer)) = &mut self.current {
            writer.write_all(lines).map_err(io_error(path))?;
        }
        self.records_in_file += records;
        Ok(())
    }

    fn finish(&mut self, written: &mut Written) -> Result<(), CorpusError> {
        if let Some((path, mut writer)) = self.current.take() {
            writer.flush().map_err(io_error(&path))?;
            written.files += 1;
            written.bytes += writer.bytes;
        }
        Ok(())
    }
}

/// Empties the output folder of an earlier corpus, or refuses a folder with other files.
fn prepare_output(out: &Path) -> Result<(), CorpusError> {
    if out.exists() {
        let entries: Vec<fs::DirEntry> = fs::read_dir(out)
            .map_err(io_error(out))?
            .collect::<Result<_, _>>()
            .map_err(io_error(out))?;
        if !entries.is_empty() {
            if !out.join(MARKER).is_file() {
                return Err(CorpusError::NotEmpty(out.to_path_buf()));
            }
            for entry in entries {
                let path = entry.path();
                let name = entry.file_name().to_string_lossy().into_owned();
                let ours = name == MARKER
                    || name == "authority.csv"
                    || name == "documents"
                    || name == "people"
                    || ((name.starts_with("documents-") || name.starts_with("events-"))
                        && name.ends_with(".jsonl"));
                if !ours {
                    continue;
                }
                if path.is_dir() {
                    fs::remove_dir_all(&path).map_err(io_error(&path))?;
                } else {
                    fs::remove_file(&path).map_err(io_error(&path))?;
                }
            }
        }
    }
    fs::create_dir_all(out).map_err(io_error(out))
}

fn write_authority(world: &World, out: &Path, written: &mut Written) -> Result<(), CorpusError> {
    let path = out.join("authority.csv");
    let file = File::create(&path).map_err(io_error(&path))?;
    let counting = Counting {
        inner: BufWriter::new(file),
        bytes: 0,
    };
    let mut csv = csv::Writer::from_writer(counting);
    let csv_error = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    };
    let mut row = |fields: [&str; 6]| {
        csv.write_record(fields)
            .map_err(csv_error)
            .map_err(io_error(&path))
    };
    row(crate::sources::csv_records::AUTHORITY_COLUMNS)?;
    for p in &world.people {
        row([
            &p.id,
            "person",
            &p.name,
            &p.variants.join("|"),
            p.life_span.as_deref().unwrap_or(""),
            &p.description,
        ])?;
    }
    let kinds = [
        ("place", &world.places),
        ("organisation", &world.organisations),
        ("archive", &world.archives),
    ];
    for (kind, entities) in kinds {
        for e in entities {
            row([
                &e.id,
                kind,
                &e.name,
                &e.variants.join("|"),
                "",
                e.description.as_deref().unwrap_or(""),
            ])?;
        }
    }
    let mut counting = csv
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))
        .map_err(io_error(&path))?;
    counting.flush().map_err(io_error(&path))?;
    written.files += 1;
    written.bytes += counting.bytes;
    Ok(())
}

fn check(options: &CorpusOptions) -> Result<(), CorpusError> {
    if options.people < MIN_PEOPLE {
        return Err(CorpusError::Options(format!(
            "--people must be at least {MIN_PEOPLE} (a translator and people for events to name), not {}",
            options.people
        )));
    }
    if options.people > MAX_PEOPLE {
        return Err(CorpusError::Options(format!(
            "--people must be at most {MAX_PEOPLE}, not {}",
            options.people
        )));
    }
    if options.events > u32::MAX as usize || options.documents > u32::MAX as usize {
        return Err(CorpusError::Options(
            "--documents and --events must each be below 2^32".to_owned(),
        ));
    }
    Ok(())
}

/// Documents per chunk of work (a divisor of [`RECORDS_PER_FILE`] and
/// [`PAGES_PER_FOLDER`], so a chunk never straddles two files or folders).
const CHUNK: usize = 500;

/// What a chunk of documents produced.
#[derive(Default)]
struct Chunk {
    /// JSON Lines, one document per line (JSON Lines format).
    lines: Vec<u8>,
    records: usize,
    /// Pages written (HTML format).
    files: usize,
    bytes: u64,
    /// For each document, the people it names and its translators.
    people: Vec<u32>,
}

/// Documents `chunk * CHUNK ..` : serialized (JSON Lines) or written as pages (HTML).
fn document_chunk(
    world: &World,
    options: &CorpusOptions,
    templates: &Templates,
    out: &Path,
    chunk: usize,
) -> Result<Chunk, CorpusError> {
    let first = chunk * CHUNK;
    let last = (first + CHUNK).min(options.documents);
    let mut done = Chunk::default();
    let mut page = String::new();
    for index in first..last {
        let doc = world.document(options.seed, index, templates);
        done.people.extend(doc.people.iter().map(|&p| p as u32));
        for name in &doc.citation.translators {
            if let Some(t) =
                (world.historical..world.people.len()).find(|&t| &world.people[t].name == name)
            {
                done.people.push(t as u32);
            }
        }
        match options.format {
            CorpusFormat::Jsonl => {
                let record = Record::Document(world.document_record(doc));
                serde_json::to_writer(&mut done.lines, &record)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
                    .map_err(io_error(out))?;
                done.lines.push(b'\n');
                done.records += 1;
            }
            CorpusFormat::Html => {
                page.clear();
                world.document_html(&doc, &mut page);
                let path = out
                    .join("documents")
                    .join(format!("{:03}", index / PAGES_PER_FOLDER))
                    .join(format!("{}.html", doc.record_id));
                fs::write(&path, page.as_bytes()).map_err(io_error(&path))?;
                done.files += 1;
                done.bytes += page.len() as u64;
            }
        }
    }
    Ok(done)
}

/// Worker threads for the documents: one per core, at most 8.
fn worker_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
}

/// Runs `work` on chunks `0..chunks` on `threads` threads and hands the results
/// to `consume` in chunk order, with a bounded number of chunks in flight.
fn in_parallel<W, C>(
    chunks: usize,
    threads: usize,
    work: W,
    mut consume: C,
) -> Result<(), CorpusError>
where
    W: Fn(usize) -> Result<Chunk, CorpusError> + Sync,
    C: FnMut(Chunk) -> Result<(), CorpusError>,
{
    let threads = threads.clamp(1, chunks.max(1));
    std::thread::scope(|scope| {
        let receivers: Vec<_> = (0..threads)
            .map(|worker| {
                let (send, receive) = std::sync::mpsc::sync_channel(2);
                let work = &work;
                scope.spawn(move || {
                    for chunk in (worker..chunks).step_by(threads) {
                        let result = work(chunk);
                        let failed = result.is_err();
                        if send.send(result).is_err() || failed {
                            break;
                        }
                    }
                });
                receive
            })
            .collect();
        for chunk in 0..chunks {
            match receivers[chunk % threads].recv() {
                Ok(result) => consume(result?)?,
                // The worker panicked; leaving the scope re-raises its panic.
                Err(_) => return Ok(()),
            }
        }
        Ok(())
    })
}

/// Writes a corpus into `out` (created if missing; an earlier corpus there is
/// replaced, a folder with other files is refused) and says what was written.
///
/// The same options give byte-identical files. See the module documentation for
/// the files and what they hold.
pub fn write_corpus(options: &CorpusOptions, out: &Path) -> Result<CorpusSummary, CorpusError> {
    check(options)?;
    prepare_output(out)?;
    let world = World::new(options);
    let templates = Templates::new();
    let mut written = Written::default();
    write_authority(&world, out, &mut written)?;

    // Documents, generated in chunks on every core and written in order; counted
    // per person (the documents that name them or that they translated).
    let mut counts = vec![0u32; world.people.len()];
    if options.format == CorpusFormat::Html {
        for folder in 0..options.documents.div_ceil(PAGES_PER_FOLDER) {
            let path = out.join("documents").join(format!("{folder:03}"));
            fs::create_dir_all(&path).map_err(io_error(&path))?;
        }
    }
    let mut jsonl = JsonlSink::new(out, "documents");
    let work = |chunk: usize| document_chunk(&world, options, &templates, out, chunk);
    let chunks = options.documents.div_ceil(CHUNK);
    in_parallel(chunks, worker_threads(), work, |done: Chunk| {
        for p in done.people {
            counts[p as usize] += 1;
        }
        match options.format {
            CorpusFormat::Jsonl => jsonl.write_lines(&done.lines, done.records, &mut written),
            CorpusFormat::Html => {
                written.files += done.files;
                written.bytes += done.bytes;
                Ok(())
            }
        }
    })?;
    jsonl.finish(&mut written)?;

    // Events: each unique by date and text (so that pages, which give no ids, keep them apart).
    let mut seen: HashSet<u64> = HashSet::with_capacity(options.events);
    // Per event, the attempt that made it unique (pages draw events again from it).
    let mut attempts: Vec<u8> = Vec::new();
    let mut timelines: Vec<Vec<u32>> = match options.format {
        CorpusFormat::Html => vec![Vec::new(); world.people.len()],
        CorpusFormat::Jsonl => Vec::new(),
    };
    let mut jsonl = JsonlSink::new(out, "events");
    for index in 0..options.events {
        let mut attempt = 0u8;
        let event = loop {
            let event = world.event(options, index, attempt, &templates);
            if seen.insert(event.key()) || attempt == u8::MAX {
                break event;
            }
            attempt += 1;
        };
        match options.format {
            CorpusFormat::Jsonl => jsonl.write(
                &Record::Event(world.event_record(index, &event)),
                &mut written,
            )?,
            CorpusFormat::Html => {
                attempts.push(attempt);
                let mut shown = false;
                for &p in &event.people {
                    if timelines[p].len() < TIMELINE_CAP {
                        timelines[p].push(index as u32);
                        shown = true;
                    }
                }
                if !shown {
                    let least = event
                        .people
                        .iter()
                        .copied()
                        .min_by_key(|&p| (timelines[p].len(), p))
                        .unwrap_or(0);
                    timelines[least].push(index as u32);
                }
            }
        }
    }
    jsonl.finish(&mut written)?;

    // Person pages.
    if options.format == CorpusFormat::Html {
        let folder = out.join("people");
        fs::create_dir_all(&folder).map_err(io_error(&folder))?;
        let mut page = String::new();
        for (p, events) in timelines.iter().enumerate() {
            let mut timeline: Vec<(u32, u32, GenEvent)> = events
                .iter()
                .map(|&i| {
                    let event = world.event(options, i as usize, attempts[i as usize], &templates);
                    (event.date.sort_key(), i, event)
                })
                .collect();
            timeline.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut together: HashMap<usize, u32> = HashMap::new();
            for (_, _, event) in &timeline {
                for &other in event.people.iter().filter(|&&o| o != p) {
                    *together.entry(other).or_default() += 1;
                }
            }
            let mut related: Vec<(usize, u32)> = together.into_iter().collect();
            related.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let related: Vec<usize> = related.into_iter().take(6).map(|(o, _)| o).collect();
            let timeline: Vec<GenEvent> = timeline.into_iter().map(|(_, _, e)| e).collect();
            page.clear();
            world.person_html(p, &counts, &related, &timeline, &mut page);
            let path = folder.join(format!("{}.html", world.people[p].id));
            written.file(&path, page.as_bytes())?;
        }
    }

    let note = serde_json::json!({
        "generator": "chronograph gen-corpus",
        "version": env!("CARGO_PKG_VERSION"),
        "format": options.format.as_str(),
        "seed": options.seed,
        "documents": options.documents,
        "people": options.people,
        "events": options.events,
    });
    let mut note = serde_json::to_vec_pretty(&note)
        .map_err(|e| io::Error::other(e.to_string()))
        .map_err(io_error(out))?;
    note.push(b'\n');
    written.file(&out.join(MARKER), &note)?;

    Ok(CorpusSummary {
        files: written.files,
        documents: options.documents,
        people: world.people.len(),
        events: options.events,
        bytes: written.bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::{DateValue, Precision as Parsed};
    use crate::sources::page_fields::parse_citation;

    fn options(people: usize) -> CorpusOptions {
        CorpusOptions {
            documents: 100,
            people,
            events: 50,
            seed: 11,
            format: CorpusFormat::Jsonl,
        }
    }

    #[test]
    fn every_date_form_parses_at_its_precision_within_the_period() {
        let mut rng = Rng::with_seed(3);
        let mut forms_seen = HashSet::new();
        for forms in [DOCUMENT_DATES, EVENT_DATES] {
            for _ in 0..5_000 {
                let year = draw_year(&mut rng);
                let month = rng.u32(1..=12);
                let day = rng.u32(1..=days_in_month(year, month));
                let form = weighted(&mut rng, forms);
                let date = render_date(&mut rng, form, year, month, day);
                let parsed = HistoricalDate::parse(&date.text);
                let expected = match date.precision {
                    Precision::Day => Parsed::Day,
                    Precision::Month => Parsed::Month,
                    Precision::Year => Parsed::Year,
                    Precision::Range => Parsed::Range,
                };
                assert_eq!(parsed.precision(), expected, "{:?}", date.text);
                let approximate = matches!(form, DateForm::ApproxYear | DateForm::ApproxMonth);
                assert_eq!(parsed.approximate, approximate, "{:?}", date.text);
                let earliest = parsed.earliest().unwrap();
                let latest = parsed.latest().unwrap();
                assert!(
                    earliest.year() >= YEARS.0 && latest.year() <= YEARS.1,
                    "{:?}",
                    date.text
                );
                assert_eq!(
                    (earliest.year(), earliest.month(), earliest.day()),
                    match date.precision {
                        Precision::Day => (year, month, day),
                        Precision::Month => (year, month, 1),
                        _ => (earliest.year(), earliest.month(), earliest.day()),
                    }
                );
                assert_eq!(earliest.year(), year, "{:?}", date.text);
                forms_seen.insert(format!("{form:?}"));
            }
        }
        assert_eq!(forms_seen.len(), 13, "{forms_seen:?}");
        // An event dated from a document is never more precise than the document.
        let doc = render_date(&mut rng, DateForm::Month, 1960, 3, 17);
        for _ in 0..200 {
            let event = date_like(&mut rng, &doc);
            assert!(event.precision >= Precision::Month, "{event:?}");
            assert_eq!(HistoricalDate::parse(&event.text).year(), Some(1960));
        }
    }

    #[test]
    fn citations_split_as_the_page_reader_splits_them() {
        let world = World::new(&options(300));
        let mut rng = Rng::with_seed(5);
        for i in 0..4_000 {
            let archive = i % ARCHIVES.len();
            let year = rng.i32(YEARS.0..=YEARS.1);
            let c = citation(&world, &mut rng, archive, year);
            assert_eq!(parse_citation(&c.text), c, "{}", c.text);
        }
    }

    #[test]
    fn names_are_unique_and_every_variant_names_one_person() {
        let world = World::new(&options(3_000));
        assert_eq!(world.people.len(), 3_000);
        assert_eq!(world.historical, 3_000 - 60);
        let fixed = fixed_words();
        let mut forms: HashMap<String, usize> = HashMap::new();
        let mut ids = HashSet::new();
        let entities = world
            .places
            .iter()
            .chain(&world.organisations)
            .chain(&world.archives);
        for e in entities {
            assert!(ids.insert(("entity", e.id.clone())), "{}", e.id);
            for form in std::iter::once(&e.name).chain(&e.variants) {
                *forms.entry(form.to_lowercase()).or_default() += 1;
            }
        }
        for (i, p) in world.people.iter().enumerate() {
            assert_eq!(p.id, slug(&p.name));
            assert!(ids.insert(("person", p.id.clone())), "{}", p.id);
            assert!(!FAMOUS.contains(&name_key(&p.name).as_str()), "{}", p.name);
            for form in std::iter::once(&p.name).chain(&p.variants) {
                assert!(!form.contains(['|', ';']), "{form}");
                assert!(!fixed.contains(form.as_str()), "{form}");
                assert_eq!(form.trim(), form);
                *forms.entry(form.to_lowercase()).or_default() += 1;
            }
            assert!(p.active.0 <= p.active.1, "{p:?}");
            if i >= world.historical {
                assert!(
                    !p.name.contains('.') && !p.name.contains(" and "),
                    "{}",
                    p.name
                );
            }
        }
        let shared: Vec<_> = forms.iter().filter(|(_, &n)| n > 1).collect();
        assert!(shared.is_empty(), "{shared:?}");
        let with_variants = world
            .people
            .iter()
            .filter(|p| !p.variants.is_empty())
            .count();
        assert!(with_variants > 2_500, "{with_variants}");
        let regions: HashSet<_> = world.people.iter().map(|p| p.region).collect();
        assert!(regions.len() >= 7, "{regions:?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_world_and_another_seed_another() {
        let a = World::new(&options(500));
        let b = World::new(&options(500));
        let names = |w: &World| w.people.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b));
        let c = World::new(&CorpusOptions {
            seed: 12,
            ..options(500)
        });
        assert_ne!(names(&a), names(&c));
    }

    #[test]
    fn text_lengths_are_log_normal_around_four_kilobytes() {
        let mut rng = Rng::with_seed(9);
        let mut lengths: Vec<usize> = (0..20_000).map(|_| text_length(&mut rng)).collect();
        lengths.sort_unstable();
        let median = lengths[lengths.len() / 2];
        let p95 = lengths[lengths.len() * 95 / 100];
        assert!((3_400..=4_000).contains(&median), "median {median}");
        assert!((12_000..=18_000).contains(&p95), "p95 {p95}");
        assert!(lengths[lengths.len() - 1] > 40_000);
    }

    #[test]
    fn quick_slugs_and_numbers_match_the_slow_ones() {
        let world = World::new(&options(400));
        let templates = Templates::new();
        let mut texts: Vec<String> = world.people.iter().map(|p| p.name.clone()).collect();
        texts.extend(world.people.iter().flat_map(|p| p.variants.clone()));
        texts.extend((0..300).map(|i| world.document(1, i, &templates).title));
        texts.extend(TOPICS.iter().map(|t| (*t).to_owned()));
        texts.extend(["", "--", "a--b-", &"x y ".repeat(40)].map(str::to_owned));
        for text in &texts {
            assert_eq!(quick_slug(text), slug(text), "{text:?}");
        }
        for n in [0, 7, 10, 99, 1945, 400_000, u32::MAX] {
            let mut s = String::new();
            push_number(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn chunks_come_out_the_same_on_one_thread_or_several() {
        let opts = CorpusOptions {
            documents: 3 * CHUNK + 7,
            ..options(50)
        };
        let world = World::new(&opts);
        let templates = Templates::new();
        let dir = std::env::temp_dir();
        let work = |chunk| document_chunk(&world, &opts, &templates, &dir, chunk);
        let run = |threads| {
            let mut bytes = Vec::new();
            let mut people = Vec::new();
            in_parallel(4, threads, work, |done| {
                bytes.extend(done.lines);
                people.extend(done.people);
                Ok(())
            })
            .unwrap();
            (bytes, people)
        };
        let one = run(1);
        assert_eq!(
            one.0.iter().filter(|&&b| b == b'\n').count(),
            opts.documents
        );
        assert_eq!(one, run(3));
    }

    #[test]
    fn the_portable_exp_is_exp() {
        for i in -600..=600 {
            let x = f64::from(i) / 100.0;
            let (ours, libm) = (exp(x), x.exp());
            assert!((ours - libm).abs() <= libm * 1e-14, "{x}: {ours} vs {libm}");
        }
    }

    #[test]
    fn tables_fit_together() {
        assert!(PLACES[..FIRST_CITY].iter().all(|p| p.3));
        assert!(PLACES[FIRST_CITY..].iter().all(|p| !p.3));
        for nation in NATIONS {
            assert!(
                PLACES.iter().any(|p| p.0 == nation.country),
                "{}",
                nation.country
            );
            assert!(
                PLACES.iter().any(|p| p.0 == nation.capital),
                "{}",
                nation.capital
            );
        }
        for archive in ARCHIVES {
            assert!(
                NATIONS.iter().any(|n| n.country == archive.nation),
                "{}",
                archive.nation
            );
        }
        for culture in CULTURES {
            let pools = Pools::of(culture);
            assert!(!pools.family.is_empty());
            match culture.style {
                Style::Chinese | Style::Korean => assert!(pools.extra.len() > 40),
                _ => assert!(!pools.given.is_empty()),
            }
        }
        assert!(needs_article("DPRK") && needs_article("Soviet Union") && needs_article("ČSSR"));
        assert!(needs_article("Democratic People's Republic of Korea"));
        assert!(!needs_article("Hungary") && !needs_article("Great Britain"));
        assert_eq!(typo("Khrushchev").as_deref(), Some("Khruhschev"));
        assert_eq!(
            transliterate_russian("Malinovsky").as_deref(),
            Some("Malinovskii")
        );
        assert_eq!(transliterate_russian("Yegorov").as_deref(), Some("Egorov"));
        assert_eq!(feminine_russian("Petrov"), "Petrova");
    }

    #[test]
    fn templates_have_known_slots_only() {
        const KNOWN: &[&str] = &[
            "P", "Q", "REST", "CITY", "COUNTRY", "ORG", "NAT", "MATTER", "AGR", "COMM", "NUM",
            "BIG", "HOURS", "PCT", "MONTH", "YEAR", "DAYMONTH",
        ];
        for template in SENTENCES.iter().chain(EVENT_SENTENCES).chain(SUMMARIES) {
            for rest in template.split('{').skip(1) {
                let name = rest.split('}').next().unwrap_or_default();
                assert!(KNOWN.contains(&name), "{template}: {{{name}}}");
            }
            let slots = parse_template(template)
                .iter()
                .filter(|s| matches!(s, Seg::Slot(_)))
                .count();
            assert_eq!(slots, template.matches('{').count(), "{template}");
        }
        for template in EVENT_SENTENCES {
            assert!(
                template.contains("{P}") && template.contains("{Q}") && template.contains("{REST}")
            );
        }
    }

    #[test]
    fn documents_hold_their_people_and_a_parsed_date() {
        let opts = options(40);
        let world = World::new(&opts);
        let templates = Templates::new();
        for index in 0..60 {
            let doc = world.document(opts.seed, index, &templates);
            assert!(doc.people.len() >= 2);
            assert!(HistoricalDate::parse(&doc.date).is_parsed());
            assert!(!doc.text.contains("  ") && !doc.text.contains("\n\n\n"));
            assert_eq!(doc.text.trim(), doc.text);
            assert!(doc
                .text
                .split("\n\n")
                .all(|p| !p.contains('\n') && !p.is_empty()));
            if let Some(serial) = &doc.serial {
                assert_eq!(
                    crate::sources::page_fields::parse_serial(doc.serial_line.as_deref().unwrap())
                        .as_ref(),
                    Some(serial)
                );
            }
            let record = world.document_record(doc);
            assert_eq!(record.id, record_id(index));
            assert!(record
                .date
                .as_ref()
                .is_some_and(|d| d.value != DateValue::Unparsed));
        }
    }
}
