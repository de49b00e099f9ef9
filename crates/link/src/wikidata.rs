//! Serde types for the JSON that Wikidata's MediaWiki API answers, and a distilled
//! [`Entity`] view of an item with the claims that decide a link.
//!
//! Covered: `action=wbsearchentities` ([`SearchResponse`]), `action=wbgetentities`
//! ([`GetEntitiesResponse`]) and the API error envelope ([`ErrorResponse`], e.g. code
//! `maxlag`). The types follow the default output (`formatversion=1`), tolerate
//! unknown fields, and never panic on odd data: a datavalue of an unknown type or
//! an ill-formed one is kept raw as [`DataValue::Unknown`].

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Wikidata item of disambiguation pages ("Wikimedia disambiguation page").
pub const DISAMBIGUATION_PAGE: &str = "Q4167410";
/// Wikidata item "human", the class of people (P31).
pub const HUMAN: &str = "Q5";
/// Property "instance of".
pub const P_INSTANCE_OF: &str = "P31";
/// Property "country".
pub const P_COUNTRY: &str = "P17";
/// Property "country of citizenship".
pub const P_CITIZENSHIP: &str = "P27";
/// Property "position held".
pub const P_POSITION_HELD: &str = "P39";
/// Property "occupation".
pub const P_OCCUPATION: &str = "P106";
/// Property "date of birth".
pub const P_BIRTH: &str = "P569";
/// Property "date of death".
pub const P_DEATH: &str = "P570";
/// Property "coordinate location".
pub const P_COORDINATES: &str = "P625";
/// Qualifier property "start time".
pub const P_START_TIME: &str = "P580";
/// Qualifier property "end time".
pub const P_END_TIME: &str = "P582";

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// The envelope of an API error answer: `{"error": {...}, "servedby": ...}`.
///
/// MediaWiki answers most errors with HTTP 200 and this body; `maxlag` also sets
/// the `Retry-After` header.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ErrorResponse {
    /// The error, when the answer is one.
    #[serde(default)]
    pub error: Option<ApiError>,
    /// The server that answered, when reported.
    #[serde(default)]
    pub servedby: Option<String>,
}

/// An API error: `code` (e.g. `maxlag`, `toomanyvalues`, `no-such-entity`) and text.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct ApiError {
    /// Machine-readable code.
    pub code: String,
    /// Human-readable explanation.
    #[serde(default)]
    pub info: String,
    /// For `maxlag`: the replication lag in seconds.
    #[serde(default)]
    pub lag: Option<f64>,
}

impl ApiError {
    /// Whether this is the `maxlag` error: the servers are lagged, try again later.
    pub fn is_maxlag(&self) -> bool {
        self.code == "maxlag"
    }
}

impl ErrorResponse {
    /// Reads the error from a response body, if the body is an error answer.
    pub fn from_body(body: &[u8]) -> Option<ApiError> {
        serde_json::from_slice::<ErrorResponse>(body)
            .ok()
            .and_then(|e| e.error)
    }
}

// ---------------------------------------------------------------------------
// wbsearchentities
// ---------------------------------------------------------------------------

/// The answer of `action=wbsearchentities`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct SearchResponse {
    /// Echo of the search.
    #[serde(default)]
    pub searchinfo: Option<SearchInfo>,
    /// The hits, best first; empty when nothing matches.
    #[serde(default)]
    pub search: Vec<SearchHit>,
    /// Offset of the next page of hits, when there are more than `limit`.
    #[serde(rename = "search-continue", default)]
    pub search_continue: Option<u64>,
    /// 1 on success.
    #[serde(default)]
    pub success: Option<i64>,
}

/// `searchinfo`: the search as the server understood it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct SearchInfo {
    /// The searched text.
    #[serde(default)]
    pub search: String,
}

/// One hit of `wbsearchentities`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct SearchHit {
    /// The entity id, e.g. `Q39364`.
    pub id: String,
    /// The page title (for items, the id).
    #[serde(default)]
    pub title: Option<String>,
    /// The page id.
    #[serde(default)]
    pub pageid: Option<u64>,
    /// The concept URI, `http://www.wikidata.org/entity/Q…`.
    #[serde(default)]
    pub concepturi: Option<String>,
    /// The repository, `wikidata`.
    #[serde(default)]
    pub repository: Option<String>,
    /// The page URL (protocol-relative on the real API).
    #[serde(default)]
    pub url: Option<String>,
    /// Label and description as displayed, with their languages.
    #[serde(default)]
    pub display: Option<SearchDisplay>,
    /// The label in the requested language (or a fallback).
    #[serde(default)]
    pub label: Option<String>,
    /// The description in the requested language (or a fallback).
    #[serde(default)]
    pub description: Option<String>,
    /// What matched the search.
    #[serde(rename = "match", default)]
    pub matched: Option<SearchMatch>,
    /// The aliases that matched (present when the match was an alias).
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// `display` of a search hit.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct SearchDisplay {
    /// The displayed label.
    #[serde(default)]
    pub label: Option<LangValue>,
    /// The displayed description.
    #[serde(default)]
    pub description: Option<LangValue>,
}

/// `match` of a search hit: which term matched.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct SearchMatch {
    /// `label`, `alias`, `entityId`, …
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The language of the matching term.
    #[serde(default)]
    pub language: Option<String>,
    /// The matching term.
    #[serde(default)]
    pub text: String,
}

/// A term in one language: `{"language": "en", "value": "…"}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct LangValue {
    /// Language code.
    #[serde(default)]
    pub language: String,
    /// The text.
    #[serde(default)]
    pub value: String,
}

// ---------------------------------------------------------------------------
// wbgetentities
// ---------------------------------------------------------------------------

/// The answer of `action=wbgetentities`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GetEntitiesResponse {
    /// The entities by requested id (missing ones carry `missing`).
    #[serde(default)]
    pub entities: BTreeMap<String, ApiEntity>,
    /// 1 on success.
    #[serde(default)]
    pub success: Option<i64>,
}

/// One entity as `wbgetentities` returns it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ApiEntity {
    /// `item`, `property`, …
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The entity id (after redirects).
    #[serde(default)]
    pub id: String,
    /// Present (as `""`) when the entity does not exist.
    #[serde(default)]
    pub missing: Option<Value>,
    /// Present when the requested id redirects to another.
    #[serde(default)]
    pub redirects: Option<Redirect>,
    /// Labels by language.
    #[serde(default)]
    pub labels: BTreeMap<String, LangValue>,
    /// Descriptions by language.
    #[serde(default)]
    pub descriptions: BTreeMap<String, LangValue>,
    /// Aliases by language.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<LangValue>>,
    /// Statements by property id.
    #[serde(default)]
    pub claims: BTreeMap<String, Vec<Statement>>,
    /// Site links by site id (only with `props=sitelinks`).
    #[serde(default)]
    pub sitelinks: BTreeMap<String, SiteLink>,
}

/// `redirects` of an entity: the id asked for and the id it resolves to.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Redirect {
    /// The requested id.
    pub from: String,
    /// The target id.
    pub to: String,
}

/// A site link: the page about the entity on one wiki.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct SiteLink {
    /// Site id, e.g. `enwiki`.
    #[serde(default)]
    pub site: String,
    /// Page title on that site.
    #[serde(default)]
    pub title: String,
}

/// A statement: main snak, rank and qualifiers.
#[derive(Debug, Clone, Deserialize)]
pub struct Statement {
    /// The claim itself.
    pub mainsnak: Snak,
    /// Its rank.
    #[serde(default)]
    pub rank: Rank,
    /// Qualifiers by property id (e.g. start and end time of a position).
    #[serde(default)]
    pub qualifiers: BTreeMap<String, Vec<Snak>>,
    /// The statement id.
    #[serde(default)]
    pub id: Option<String>,
}

/// The rank of a statement.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Rank {
    /// Preferred: the best value(s).
    Preferred,
    /// Normal.
    #[default]
    Normal,
    /// Deprecated: known to be wrong; ignored by the views here.
    Deprecated,
    /// A rank this code does not know; treated like normal.
    #[serde(other)]
    Other,
}

impl Rank {
    /// Order for "best first": preferred 0, normal and unknown 1, deprecated 2.
    fn order(self) -> u8 {
        match self {
            Rank::Preferred => 0,
            Rank::Normal | Rank::Other => 1,
            Rank::Deprecated => 2,
        }
    }
}

/// A snak: a property and (for `snaktype` `value`) a value.
#[derive(Debug, Clone, Deserialize)]
pub struct Snak {
    /// `value`, `somevalue` (unknown value) or `novalue`.
    #[serde(default)]
    pub snaktype: String,
    /// The property id.
    #[serde(default)]
    pub property: String,
    /// The value, for `snaktype` `value`.
    #[serde(default)]
    pub datavalue: Option<DataValue>,
    /// The property's datatype, e.g. `wikibase-item`, `time`.
    #[serde(default)]
    pub datatype: Option<String>,
}

impl Snak {
    /// The value, if the snak has one (not `somevalue`/`novalue`).
    pub fn value(&self) -> Option<&DataValue> {
        if self.snaktype.is_empty() || self.snaktype == "value" {
            self.datavalue.as_ref()
        } else {
            None
        }
    }
}

/// A parsed datavalue (`{"value": …, "type": …}`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "RawDataValue")]
pub enum DataValue {
    /// `wikibase-entityid`: another entity, by id.
    EntityId(String),
    /// `time`, with the raw time string and calendar model kept.
    Time {
        /// The parsed time.
        time: WikidataTime,
        /// The raw time string, e.g. `+1912-04-15T00:00:00Z`.
        raw: String,
        /// The calendar model IRI (Gregorian `…/Q1985727`, Julian `…/Q1985786`).
        calendarmodel: Option<String>,
    },
    /// `globecoordinate`.
    Coordinates(Coordinates),
    /// `string` (also external ids, URLs, media file names).
    String(String),
    /// `monolingualtext`.
    MonolingualText {
        /// The text.
        text: String,
        /// Its language.
        language: String,
    },
    /// `quantity`: the amount as published (a decimal string with sign) and unit IRI.
    Quantity {
        /// The amount, e.g. `+3255288`.
        amount: String,
        /// The unit IRI, or `1` for none.
        unit: String,
    },
    /// Any other type, or an ill-formed value: kept raw.
    Unknown {
        /// The `type` field.
        kind: String,
        /// The `value` field as received.
        value: Value,
    },
}

/// The wire shape of a datavalue, before parsing.
#[derive(Deserialize)]
struct RawDataValue {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    value: Value,
}

impl From<RawDataValue> for DataValue {
    fn from(raw: RawDataValue) -> Self {
        parse_datavalue(&raw.kind, &raw.value).unwrap_or(DataValue::Unknown {
            kind: raw.kind,
            value: raw.value,
        })
    }
}

fn parse_datavalue(kind: &str, value: &Value) -> Option<DataValue> {
    let str_field = |name: &str| value.get(name).and_then(Value::as_str);
    match kind {
        "wikibase-entityid" => {
            if let Some(id) = str_field("id") {
                return Some(DataValue::EntityId(id.to_owned()));
            }
            // Old serialisations have only entity-type + numeric-id.
            let n = value.get("numeric-id").and_then(Value::as_u64)?;
            let prefix = match str_field("entity-type")? {
                "item" => "Q",
                "property" => "P",
                "lexeme" => "L",
                _ => return None,
            };
            Some(DataValue::EntityId(format!("{prefix}{n}")))
        }
        "time" => {
            let raw = str_field("time")?;
            let precision = u8::try_from(value.get("precision")?.as_u64()?).ok()?;
            Some(DataValue::Time {
                time: WikidataTime::parse(raw, precision)?,
                raw: raw.to_owned(),
                calendarmodel: str_field("calendarmodel").map(str::to_owned),
            })
        }
        "globecoordinate" => Some(DataValue::Coordinates(Coordinates {
            latitude: value.get("latitude")?.as_f64()?,
            longitude: value.get("longitude")?.as_f64()?,
        })),
        "string" => Some(DataValue::String(value.as_str()?.to_owned())),
        "monolingualtext" => Some(DataValue::MonolingualText {
            text: str_field("text")?.to_owned(),
            language: str_field("language")?.to_owned(),
        }),
        "quantity" => Some(DataValue::Quantity {
            amount: str_field("amount")?.to_owned(),
            unit: str_field("unit").unwrap_or("1").to_owned(),
        }),
        _ => None,
    }
}

impl DataValue {
    /// The entity id, for `wikibase-entityid` values.
    pub fn entity_id(&self) -> Option<&str> {
        match self {
            DataValue::EntityId(id) => Some(id),
            _ => None,
        }
    }

    /// The time, for `time` values.
    pub fn time(&self) -> Option<WikidataTime> {
        match self {
            DataValue::Time { time, .. } => Some(*time),
            _ => None,
        }
    }

    /// The coordinates, for `globecoordinate` values.
    pub fn coordinates(&self) -> Option<Coordinates> {
        match self {
            DataValue::Coordinates(c) => Some(*c),
            _ => None,
        }
    }
}

/// A point on the globe, in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    /// Latitude, degrees north.
    pub latitude: f64,
    /// Longitude, degrees east.
    pub longitude: f64,
}

// ---------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------

/// How precise a Wikidata time is (the `precision` field: 11 day, 10 month, 9 year, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TimePrecision {
    /// Coarser than a millennium (0–5: billion … hundred thousand years).
    Coarser(u8),
    /// 6: millennium.
    Millennium,
    /// 7: century.
    Century,
    /// 8: decade.
    Decade,
    /// 9: year.
    Year,
    /// 10: month.
    Month,
    /// 11: day.
    Day,
    /// 12–14 (hour, minute, second): finer than a day, treated as a day.
    Finer(u8),
}

impl TimePrecision {
    /// From the API's numeric precision.
    pub fn from_code(code: u8) -> Self {
        match code {
            0..=5 => TimePrecision::Coarser(code),
            6 => TimePrecision::Millennium,
            7 => TimePrecision::Century,
            8 => TimePrecision::Decade,
            9 => TimePrecision::Year,
            10 => TimePrecision::Month,
            11 => TimePrecision::Day,
            _ => TimePrecision::Finer(code),
        }
    }

    /// The API's numeric precision.
    pub fn code(self) -> u8 {
        match self {
            TimePrecision::Coarser(c) | TimePrecision::Finer(c) => c,
            TimePrecision::Millennium => 6,
            TimePrecision::Century => 7,
            TimePrecision::Decade => 8,
            TimePrecision::Year => 9,
            TimePrecision::Month => 10,
            TimePrecision::Day => 11,
        }
    }
}

/// A Wikidata time reduced to what its precision says: the year always, the month
/// from precision 10, the day from precision 11. Years may be negative (BCE, in
/// Wikidata's convention: `-0500` is 500 BCE). The calendar model is not applied:
/// the numbers are as published (see [`DataValue::Time`] for the model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WikidataTime {
    /// The year (as published; meaningful to the precision, see [`Self::year_bounds`]).
    pub year: i64,
    /// The month 1–12, when the precision is month or finer and the month is given.
    pub month: Option<u8>,
    /// The day 1–31, when the precision is day or finer and the day is given.
    pub day: Option<u8>,
    /// The precision.
    pub precision: TimePrecision,
}

impl WikidataTime {
    /// Parses a time string such as `+1912-04-15T00:00:00Z` with its numeric
    /// precision. Month and day of `00` (as Wikidata writes them below day
    /// precision) are absent. Returns `None` for a string that is not of this shape.
    pub fn parse(time: &str, precision: u8) -> Option<Self> {
        let (negative, rest) = match time.as_bytes().first()? {
            b'+' => (false, &time[1..]),
            b'-' => (true, &time[1..]),
            b'0'..=b'9' => (false, time),
            _ => return None,
        };
        let date = rest.split('T').next()?;
        let mut parts = date.split('-');
        let year_text = parts.next()?;
        if year_text.is_empty() || !year_text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i64 = year_text.parse().ok()?;
        let year = if negative { -year } else { year };
        let month: u8 = parts.next().map_or(Some(0), |m| m.parse().ok())?;
        let day: u8 = parts.next().map_or(Some(0), |d| d.parse().ok())?;
        if month > 12 || day > 31 {
            return None;
        }
        let precision = TimePrecision::from_code(precision);
        let code = precision.code();
        Some(WikidataTime {
            year,
            month: (code >= 10 && month != 0).then_some(month),
            day: (code >= 11 && month != 0 && day != 0).then_some(day),
            precision,
        })
    }

    /// The first and last year this time may mean, by its precision: a year
    /// (or finer) is itself; a decade `1910` is 1910–1919; a century or millennium
    /// follows Wikidata's display convention (`1900` at century precision is the
    /// 19th century, 1801–1900); coarser precisions widen by their power of ten.
    pub fn year_bounds(&self) -> (i64, i64) {
        let y = self.year;
        let span = |size: i64| {
            let start = (y - 1).div_euclid(size) * size + 1;
            (start, start + size - 1)
        };
        match self.precision {
            TimePrecision::Year
            | TimePrecision::Month
            | TimePrecision::Day
            | TimePrecision::Finer(_) => (y, y),
            TimePrecision::Decade => {
                let start = y.div_euclid(10) * 10;
                (start, start + 9)
            }
            TimePrecision::Century => span(100),
            TimePrecision::Millennium => span(1000),
            TimePrecision::Coarser(c) => {
                // 5: 10^4 years, 4: 10^5, …, 0: 10^9.
                let size = 10_i64.saturating_pow(u32::from(9 - c.min(5)));
                let start = y.div_euclid(size) * size;
                (start, start.saturating_add(size - 1))
            }
        }
    }
}

impl fmt::Display for WikidataTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.precision, self.month, self.day) {
            (_, Some(m), Some(d)) => write!(f, "{}-{m:02}-{d:02}", self.year),
            (_, Some(m), None) => write!(f, "{}-{m:02}", self.year),
            (TimePrecision::Decade, _, _) => write!(f, "{}s", self.year_bounds().0),
            (TimePrecision::Year | TimePrecision::Month | TimePrecision::Day, _, _)
            | (TimePrecision::Finer(_), _, _) => write!(f, "{}", self.year),
            _ => {
                let (first, last) = self.year_bounds();
                write!(f, "{first}..{last}")
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Statement selection by rank
// ---------------------------------------------------------------------------

impl ApiEntity {
    /// Whether the API reported this entity as missing.
    pub fn is_missing(&self) -> bool {
        self.missing.is_some()
    }

    /// The non-deprecated statements of a property, preferred ones first (stable
    /// order otherwise).
    pub fn statements(&self, property: &str) -> Vec<&Statement> {
        let mut out: Vec<&Statement> = self
            .claims
            .get(property)
            .map(|v| v.iter().filter(|s| s.rank != Rank::Deprecated).collect())
            .unwrap_or_default();
        out.sort_by_key(|s| s.rank.order());
        out
    }

    /// The values of the non-deprecated statements of a property, preferred first.
    pub fn values(&self, property: &str) -> Vec<&DataValue> {
        self.statements(property)
            .into_iter()
            .filter_map(|s| s.mainsnak.value())
            .collect()
    }

    /// The values of the best-ranked statements only ("truthy"): the preferred ones
    /// if any, else the normal ones. `somevalue`/`novalue` statements count for the
    /// rank but give no value.
    pub fn best_values(&self, property: &str) -> Vec<&DataValue> {
        let statements = self.statements(property);
        let Some(best) = statements.first().map(|s| s.rank.order()) else {
            return Vec::new();
        };
        statements
            .into_iter()
            .filter(|s| s.rank.order() == best)
            .filter_map(|s| s.mainsnak.value())
            .collect()
    }

    /// The entity ids of the non-deprecated statements of a property, preferred
    /// first, without duplicates.
    pub fn entity_ids(&self, property: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for id in self
            .values(property)
            .into_iter()
            .filter_map(DataValue::entity_id)
        {
            if !out.iter().any(|o| o == id) {
                out.push(id.to_owned());
            }
        }
        out
    }

    /// The times of the non-deprecated statements of a property, preferred first.
    pub fn times(&self, property: &str) -> Vec<WikidataTime> {
        self.values(property)
            .into_iter()
            .filter_map(DataValue::time)
            .collect()
    }

    /// The single best time of a property: the first preferred value, else the
    /// first normal one.
    pub fn best_time(&self, property: &str) -> Option<WikidataTime> {
        self.best_values(property)
            .into_iter()
            .find_map(DataValue::time)
    }
}

// ---------------------------------------------------------------------------
// Distilled view
// ---------------------------------------------------------------------------

/// A position held (P39) with its start and end time qualifiers, when given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PositionHeld {
    /// The position's item id.
    pub id: String,
    /// Qualifier P580 (start time).
    pub start: Option<WikidataTime>,
    /// Qualifier P582 (end time).
    pub end: Option<WikidataTime>,
}

/// The facts of an item that decide a link, distilled from [`ApiEntity`].
/// Deprecated statements are ignored everywhere; multi-valued lists are
/// preferred-first; `birth`/`death` are the best-ranked single values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// The id, e.g. `Q39364`.
    pub id: String,
    /// Labels by language.
    pub labels: BTreeMap<String, String>,
    /// Aliases by language.
    pub aliases: BTreeMap<String, Vec<String>>,
    /// Descriptions by language.
    pub descriptions: BTreeMap<String, String>,
    /// Instance of (P31) ids.
    pub instance_of: Vec<String>,
    /// Date of birth (P569), best-ranked.
    pub birth: Option<WikidataTime>,
    /// Date of death (P570), best-ranked.
    pub death: Option<WikidataTime>,
    /// Every non-deprecated date of birth, preferred first (disputed dates).
    pub births: Vec<WikidataTime>,
    /// Every non-deprecated date of death, preferred first.
    pub deaths: Vec<WikidataTime>,
    /// Country of citizenship (P27) ids.
    pub citizenship: Vec<String>,
    /// Occupation (P106) ids.
    pub occupation: Vec<String>,
    /// Position held (P39) ids.
    pub positions: Vec<String>,
    /// Position held (P39) with start/end qualifiers.
    pub positions_held: Vec<PositionHeld>,
    /// Country (P17) ids.
    pub country: Vec<String>,
    /// Coordinate location (P625), best-ranked.
    pub coordinates: Option<Coordinates>,
    /// Whether it is a disambiguation page (P31 = Q4167410).
    pub is_disambiguation: bool,
    /// Site links: site id → page title (only when requested).
    pub sitelinks: BTreeMap<String, String>,
}

impl Entity {
    /// Distils an API entity; `None` for a missing one.
    pub fn from_api(api: &ApiEntity) -> Option<Self> {
        if api.is_missing() || api.id.is_empty() {
            return None;
        }
        let instance_of = api.entity_ids(P_INSTANCE_OF);
        let positions_held = api
            .statements(P_POSITION_HELD)
            .into_iter()
            .filter_map(|s| {
                let id = s.mainsnak.value()?.entity_id()?.to_owned();
                let qualifier = |p: &str| {
                    s.qualifiers
                        .get(p)
                        .and_then(|snaks| snaks.iter().find_map(|q| q.value()?.time()))
                };
                Some(PositionHeld {
                    id,
                    start: qualifier(P_START_TIME),
                    end: qualifier(P_END_TIME),
                })
            })
            .collect();
        Some(Entity {
            id: api.id.clone(),
            labels: api
                .labels
                .iter()
                .map(|(k, v)| (k.clone(), v.value.clone()))
                .collect(),
            aliases: api
                .aliases
                .iter()
                .map(|(k, v)| (k.clone(), v.iter().map(|a| a.value.clone()).collect()))
                .collect(),
            descriptions: api
                .descriptions
                .iter()
                .map(|(k, v)| (k.clone(), v.value.clone()))
                .collect(),
            is_disambiguation: instance_of.iter().any(|c| c == DISAMBIGUATION_PAGE),
            instance_of,
            birth: api.best_time(P_BIRTH),
            death: api.best_time(P_DEATH),
            births: api.times(P_BIRTH),
            deaths: api.times(P_DEATH),
            citizenship: api.entity_ids(P_CITIZENSHIP),
            occupation: api.entity_ids(P_OCCUPATION),
            positions: api.entity_ids(P_POSITION_HELD),
            positions_held,
            country: api.entity_ids(P_COUNTRY),
            coordinates: api
                .best_values(P_COORDINATES)
                .into_iter()
                .find_map(DataValue::coordinates),
            sitelinks: api
                .sitelinks
                .iter()
                .map(|(k, v)| (k.clone(), v.title.clone()))
                .collect(),
        })
    }

    /// Whether it is an instance of human (Q5).
    pub fn is_human(&self) -> bool {
        self.instance_of.iter().any(|c| c == HUMAN)
    }

    /// The label in a language.
    pub fn label(&self, language: &str) -> Option<&str> {
        self.labels.get(language).map(String::as_str)
    }

    /// The description in a language.
    pub fn description(&self, language: &str) -> Option<&str> {
        self.descriptions.get(language).map(String::as_str)
    }

    /// Every label and alias in every language (labels first), for name matching.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.labels
            .values()
            .chain(self.aliases.values().flatten())
            .map(String::as_str)
    }
}

impl GetEntitiesResponse {
    /// The distilled views of the entities that exist, by id (after redirects).
    pub fn distilled(&self) -> BTreeMap<String, Entity> {
        self.entities
            .values()
            .filter_map(Entity::from_api)
            .map(|e| (e.id.clone(), e))
            .collect()
    }
}

#[cfg(test)]
mod tests;
