//! Historical dates as the archive prints them.
//!
//! A [`HistoricalDate`] keeps the text exactly as published next to what could
//! be read from it: a day, a month, a year or a range of those, with a flag for
//! approximate dates ("c. 1950", "1950?"). Parsing never fails: text that is not
//! understood becomes [`DateValue::Unparsed`] and keeps its original.
//!
//! Understood forms (month names in any case, full or abbreviated, with or
//! without a dot; commas, editorial square brackets and a trailing period are
//! ignored):
//!
//! - days: "March 2, 1965", "Mar. 2 1965", "2 March 1965", "the 2nd of March 1965", "1965-03-02";
//! - months: "March 1965", "1965-03";
//! - years: "1965" (three or four digits, 1 to 9999);
//! - ranges: "1893-1976", "1912 – 1994", "1961 to 1965", "between 1961 and 1965",
//!   "March 1965 - May 1966", "June 15-16, 1960", "December 30, 1965 - January 2, 1966";
//! - approximate: "c. 1950", "ca. 1950", "circa 1950", "c.1960", "about 1950", "1950?";
//! - with a context date ([`HistoricalDate::parse_with_context`]): "the 27th [of February]",
//!   "on the 27th", "27 February", "February 27", "March".

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The first year a date may have.
const MIN_YEAR: i32 = 1;
/// The last year a date may have (years are written with four digits).
const MAX_YEAR: i32 = 9999;

/// English month names; a word of three letters or more that starts one of
/// them names that month ("Mar", "Sept", "Febr").
/// The English month names, January first, as the archive writes them in full.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const MONTHS: &str =
    "january february march april may june july august september october november december";

/// A date as published, with its parsed value and precision. Never fails to construct.
///
/// In JSON (and any serde format) it is the plain original string; reading it
/// back parses that string again.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct HistoricalDate {
    /// The text exactly as given.
    pub original: String,
    /// What the text says, or [`DateValue::Unparsed`].
    pub value: DateValue,
    /// Whether the text marks the date as approximate ("c.", "circa", "about", "?").
    /// Always `false` when the value is unparsed.
    pub approximate: bool,
}

/// The value read from a date's text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum DateValue {
    /// A single day.
    Day(NaiveDate),
    /// A month of a year.
    Month {
        /// The year (1 to 9999 when parsed).
        year: i32,
        /// The month, 1 to 12.
        month: u32,
    },
    /// A whole year.
    Year(i32),
    /// From one day, month or year to another, both included.
    Range {
        /// The first endpoint.
        start: Box<DateValue>,
        /// The last endpoint (never before the start when parsed).
        end: Box<DateValue>,
    },
    /// The text could not be read as a date.
    #[default]
    Unparsed,
}

/// How precise a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Precision {
    /// A single day.
    Day,
    /// A month.
    Month,
    /// A year.
    Year,
    /// A range between two dates.
    Range,
    /// Not parsed.
    Unknown,
}

/// The XML Schema datatype of a date's lexical form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum XsdDateType {
    /// `xsd:date` ("1965-03-02").
    Date,
    /// `xsd:gYearMonth` ("1965-03").
    GYearMonth,
    /// `xsd:gYear` ("1965").
    GYear,
}

impl Precision {
    /// The precision's name: "day", "month", "year", "range" or "unknown".
    pub fn as_str(&self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Year => "year",
            Precision::Range => "range",
            Precision::Unknown => "unknown",
        }
    }
}

impl XsdDateType {
    /// The full IRI of the datatype.
    pub fn datatype_iri(&self) -> &'static str {
        match self {
            XsdDateType::Date => "http://www.w3.org/2001/XMLSchema#date",
            XsdDateType::GYearMonth => "http://www.w3.org/2001/XMLSchema#gYearMonth",
            XsdDateType::GYear => "http://www.w3.org/2001/XMLSchema#gYear",
        }
    }
}

impl DateValue {
    /// Whether a date was read.
    pub fn is_parsed(&self) -> bool {
        !matches!(self, DateValue::Unparsed)
    }

    /// How precise the value is.
    pub fn precision(&self) -> Precision {
        match self {
            DateValue::Day(_) => Precision::Day,
            DateValue::Month { .. } => Precision::Month,
            DateValue::Year(_) => Precision::Year,
            DateValue::Range { .. } => Precision::Range,
            DateValue::Unparsed => Precision::Unknown,
        }
    }

    /// The first day covered (a range's from its start), if the value is a valid date.
    pub fn earliest(&self) -> Option<NaiveDate> {
        match self {
            DateValue::Day(date) => Some(*date),
            DateValue::Month { year, month } => NaiveDate::from_ymd_opt(*year, *month, 1),
            DateValue::Year(year) => NaiveDate::from_ymd_opt(*year, 1, 1),
            DateValue::Range { start, .. } => start.earliest(),
            DateValue::Unparsed => None,
        }
    }

    /// The last day covered (a range's from its end), if the value is a valid date.
    pub fn latest(&self) -> Option<NaiveDate> {
        match self {
            DateValue::Day(date) => Some(*date),
            DateValue::Month { year, month } => last_day_of_month(*year, *month),
            DateValue::Year(year) => NaiveDate::from_ymd_opt(*year, 12, 31),
            DateValue::Range { end, .. } => end.latest(),
            DateValue::Unparsed => None,
        }
    }

    /// The XML Schema lexical form and datatype of a day, month or year
    /// ("1965-03-02", "1965-03", "1965"); `None` for ranges, unparsed values
    /// and years outside 1 to 9999.
    pub fn xsd(&self) -> Option<(String, XsdDateType)> {
        match self {
            DateValue::Day(date) => {
                let year = valid_year(date.year())?;
                let text = format!("{year:04}-{:02}-{:02}", date.month(), date.day());
                Some((text, XsdDateType::Date))
            }
            DateValue::Month { year, month } => {
                let year = valid_year(*year)?;
                let month = (1..=12).contains(month).then_some(*month)?;
                Some((format!("{year:04}-{month:02}"), XsdDateType::GYearMonth))
            }
            DateValue::Year(year) => {
                Some((format!("{:04}", valid_year(*year)?), XsdDateType::GYear))
            }
            DateValue::Range { .. } | DateValue::Unparsed => None,
        }
    }

    /// The first endpoint of a range, or the value itself; `None` when unparsed.
    pub fn start(&self) -> Option<&DateValue> {
        match self {
            DateValue::Range { start, .. } => Some(start),
            DateValue::Unparsed => None,
            _ => Some(self),
        }
    }

    /// The last endpoint of a range, or the value itself; `None` when unparsed.
    pub fn end(&self) -> Option<&DateValue> {
        match self {
            DateValue::Range { end, .. } => Some(end),
            DateValue::Unparsed => None,
            _ => Some(self),
        }
    }

    /// The year of the value (of a range's start).
    pub fn year(&self) -> Option<i32> {
        match self {
            DateValue::Day(date) => Some(date.year()),
            DateValue::Month { year, .. } | DateValue::Year(year) => Some(*year),
            DateValue::Range { start, .. } => start.year(),
            DateValue::Unparsed => None,
        }
    }
}

/// The year, when it can be written with four digits.
fn valid_year(year: i32) -> Option<i32> {
    (MIN_YEAR..=MAX_YEAR).contains(&year).then_some(year)
}

/// The last day of a month, if the month is valid.
fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?;
    if month == 12 {
        return NaiveDate::from_ymd_opt(year, 12, 31);
    }
    NaiveDate::from_ymd_opt(year, month + 1, 1)?.pred_opt()
}

impl HistoricalDate {
    /// Reads a date from its published text; the original is kept as given.
    pub fn parse(text: &str) -> HistoricalDate {
        Self::parse_with_context(text, &DateValue::Unparsed)
    }

    /// Reads a date whose text may leave out the year or month ("the 27th
    /// [of February]", "27 February", "February 27", "March"), taking them
    /// from `context` (a range's start counts). Complete dates ignore the context.
    pub fn parse_with_context(text: &str, context: &DateValue) -> HistoricalDate {
        Self::read(text.to_owned(), Parts::of(context))
    }

    /// Reads `text`, completed by the `context` parts, and keeps it.
    fn read(text: String, context: Parts) -> HistoricalDate {
        let (value, approximate) = read(&text, context);
        let approximate = approximate && value.is_parsed();
        HistoricalDate {
            original: text,
            value,
            approximate,
        }
    }

    /// Whether a date was read from the text.
    pub fn is_parsed(&self) -> bool {
        self.value.is_parsed()
    }

    /// How precise the date is.
    pub fn precision(&self) -> Precision {
        self.value.precision()
    }

    /// The first day covered ("1965" → 1965-01-01; a range → its start's first day).
    pub fn earliest(&self) -> Option<NaiveDate> {
        self.value.earliest()
    }

    /// The last day covered ("February 1965" → 1965-02-28; a range → its end's last day).
    pub fn latest(&self) -> Option<NaiveDate> {
        self.value.latest()
    }

    /// The XML Schema lexical form and datatype; `None` for ranges and unparsed text.
    pub fn xsd(&self) -> Option<(String, XsdDateType)> {
        self.value.xsd()
    }

    /// A range's first endpoint, or the value itself; `None` when unparsed.
    pub fn start(&self) -> Option<&DateValue> {
        self.value.start()
    }

    /// A range's last endpoint, or the value itself; `None` when unparsed.
    pub fn end(&self) -> Option<&DateValue> {
        self.value.end()
    }

    /// The year of the date (of a range's start).
    pub fn year(&self) -> Option<i32> {
        self.value.year()
    }
}

impl Default for HistoricalDate {
    /// An empty, unparsed date (what `parse("")` gives).
    fn default() -> Self {
        Self::parse("")
    }
}

impl fmt::Display for HistoricalDate {
    /// Writes the original text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

impl From<String> for HistoricalDate {
    fn from(text: String) -> Self {
        Self::read(text, Parts::default())
    }
}

impl From<&str> for HistoricalDate {
    fn from(text: &str) -> Self {
        Self::parse(text)
    }
}

impl From<HistoricalDate> for String {
    fn from(date: HistoricalDate) -> Self {
        date.original
    }
}

/// One meaningful piece of a date's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    /// A run of at most four ASCII digits, maybe with an ordinal suffix ("27th").
    Num {
        value: u32,
        digits: usize,
        ordinal: bool,
    },
    /// An ISO 8601 date or month ("1965-03-02", "1965-03").
    Iso {
        year: u32,
        month: u32,
        day: Option<u32>,
    },
    /// A month name.
    Month(u32),
    /// A range separator: a dash, "to", "until", "till", "through".
    Sep,
    /// "and" (a separator after "between").
    And,
    /// "between".
    Between,
    /// An approximation marker: "c.", "ca.", "circa", "about", "?".
    Approx,
    /// Anything else: the text is not a date.
    Other,
}

impl Tok {
    /// Whether the token separates the two ends of a range.
    fn separates(self, between: bool) -> bool {
        self == Tok::Sep || (between && self == Tok::And)
    }

    /// The number as a day of month ("2", "02", "27th").
    fn as_day(self) -> Option<u32> {
        match self {
            Tok::Num { value, digits, .. } if digits <= 2 => Some(value),
            _ => None,
        }
    }

    /// The number as a year (three or four digits, no ordinal suffix).
    fn as_year(self) -> Option<u32> {
        match self {
            Tok::Num {
                value,
                digits: 3..=4,
                ordinal: false,
            } => Some(value),
            _ => None,
        }
    }
}

/// Splits text into tokens; fillers ("the", "of", "on", "in", "from"),
/// commas, dots, square brackets and whitespace are dropped.
fn tokenize(text: &str) -> Vec<Tok> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut at = 0;
    while let Some(&c) = chars.get(at) {
        let (token, next) = if c.is_ascii_digit() {
            number_token(&chars, at)
        } else if c.is_alphabetic() {
            word_token(&chars, at)
        } else {
            (punctuation_token(c), at + 1)
        };
        tokens.extend(token);
        at = next.max(at + 1);
    }
    tokens
}

/// The end of the run of characters from `start` that satisfy `pred`.
fn run_end(chars: &[char], start: usize, pred: impl Fn(char) -> bool) -> usize {
    let mut end = start;
    while chars.get(end).is_some_and(|&c| pred(c)) {
        end += 1;
    }
    end
}

/// The value of at most four ASCII digits.
fn digits_value(digits: &[char]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 4 {
        return None;
    }
    digits
        .iter()
        .try_fold(0u32, |acc, c| Some(acc * 10 + c.to_digit(10)?))
}

/// A number, an ordinal ("27th") or an ISO date starting at `start`.
fn number_token(chars: &[char], start: usize) -> (Option<Tok>, usize) {
    let end = run_end(chars, start, |c| c.is_ascii_digit());
    if let Some(iso) = iso_token(chars, start, end) {
        return iso;
    }
    let suffix_end = run_end(chars, end, char::is_alphabetic);
    let suffix: String = chars
        .get(end..suffix_end)
        .unwrap_or_default()
        .iter()
        .collect();
    let ordinal = match suffix.to_lowercase().as_str() {
        "" => false,
        "st" | "nd" | "rd" | "th" => true,
        _ => return (Some(Tok::Other), suffix_end),
    };
    let digits = chars.get(start..end).unwrap_or_default();
    let token = digits_value(digits).map_or(Tok::Other, |value| Tok::Num {
        value,
        digits: digits.len(),
        ordinal,
    });
    (Some(token), suffix_end)
}

/// "YYYY-MM" or "YYYY-MM-DD" when the four digits `start..end` begin one.
fn iso_token(chars: &[char], start: usize, end: usize) -> Option<(Option<Tok>, usize)> {
    if end - start != 4 {
        return None;
    }
    let year = digits_value(chars.get(start..end)?)?;
    let (month, after_month) = dash_two_digits(chars, end)?;
    let (day, next) = match dash_two_digits(chars, after_month) {
        Some((day, after_day)) => (Some(day), after_day),
        None => (None, after_month),
    };
    Some((Some(Tok::Iso { year, month, day }), next))
}

/// A hyphen and exactly two digits at `at`: their value and where they end.
fn dash_two_digits(chars: &[char], at: usize) -> Option<(u32, usize)> {
    if chars.get(at) != Some(&'-') {
        return None;
    }
    let end = run_end(chars, at + 1, |c| c.is_ascii_digit());
    if end - (at + 1) != 2 {
        return None;
    }
    Some((digits_value(chars.get(at + 1..end)?)?, end))
}

/// A word starting at `start`, classified.
fn word_token(chars: &[char], start: usize) -> (Option<Tok>, usize) {
    let end = run_end(chars, start, char::is_alphabetic);
    let word: String = chars.get(start..end).unwrap_or_default().iter().collect();
    (classify_word(&word.to_lowercase()), end)
}

/// What a lowercase word means in a date; `None` for fillers.
fn classify_word(word: &str) -> Option<Tok> {
    let token = match word {
        "c" | "ca" | "circa" | "about" | "approx" | "approximately" | "around" | "abt" => {
            Tok::Approx
        }
        "the" | "of" | "on" | "in" | "from" => return None,
        "to" | "until" | "till" | "through" | "thru" => Tok::Sep,
        "and" => Tok::And,
        "between" => Tok::Between,
        _ => month_number(word).map_or(Tok::Other, Tok::Month),
    };
    Some(token)
}

/// The month (1 to 12) a lowercase word names, full or abbreviated to three letters or more.
fn month_number(word: &str) -> Option<u32> {
    if word.chars().count() < 3 {
        return None;
    }
    (1u32..)
        .zip(MONTHS.split_whitespace())
        .find(|(_, name)| name.starts_with(word))
        .map(|(number, _)| number)
}

/// A punctuation character as a token; `None` for what is ignored.
fn punctuation_token(c: char) -> Option<Tok> {
    match c {
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' => Some(Tok::Sep),
        '?' => Some(Tok::Approx),
        '.' | ',' | '[' | ']' => None,
        c if c.is_whitespace() => None,
        _ => Some(Tok::Other),
    }
}

/// The parts of a date that a text (or a context) gives, unchecked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Parts {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
}

impl Parts {
    /// The parts of a value (a range's start) to complete partial dates with.
    fn of(value: &DateValue) -> Parts {
        match value {
            DateValue::Day(date) => {
                Parts::new(Some(date.year()), Some(date.month()), Some(date.day()))
            }
            DateValue::Month { year, month } => Parts::new(Some(*year), Some(*month), None),
            DateValue::Year(year) => Parts::new(Some(*year), None, None),
            DateValue::Range { start, .. } => Parts::of(start),
            DateValue::Unparsed => Parts::default(),
        }
    }

    /// Parts from optional year, month and day.
    fn new(year: Option<i32>, month: Option<u32>, day: Option<u32>) -> Parts {
        Parts { year, month, day }
    }

    /// Takes a missing year from `other`, and a missing month when there is a day.
    fn fill(self, other: Parts) -> Parts {
        let month = match (self.month, self.day) {
            (None, Some(_)) => other.month,
            (month, _) => month,
        };
        Parts::new(self.year.or(other.year), month, self.day)
    }

    /// The same parts a year earlier.
    fn year_before(self) -> Parts {
        let year = self.year.and_then(|y| y.checked_sub(1));
        Parts { year, ..self }
    }

    /// The date these parts make, if they are complete and valid.
    fn resolve(self) -> Option<DateValue> {
        let year = valid_year(self.year?)?;
        match (self.month, self.day) {
            (None, None) => Some(DateValue::Year(year)),
            (Some(month), None) => (1..=12)
                .contains(&month)
                .then_some(DateValue::Month { year, month }),
            (Some(month), Some(day)) => {
                NaiveDate::from_ymd_opt(year, month, day).map(DateValue::Day)
            }
            (None, Some(_)) => None,
        }
    }
}

/// Reads a text: its value and whether it is marked approximate.
fn read(text: &str, context: Parts) -> (DateValue, bool) {
    let tokens = tokenize(text);
    let approximate = tokens.contains(&Tok::Approx);
    let between = tokens.contains(&Tok::Between);
    let tokens: Vec<Tok> = tokens
        .into_iter()
        .filter(|t| !matches!(t, Tok::Approx | Tok::Between))
        .collect();
    let single = if between { None } else { match_parts(&tokens) };
    let value = single
        .and_then(|parts| parts.fill(context).resolve())
        .or_else(|| read_range(&tokens, between, context))
        .unwrap_or_default();
    (value, approximate)
}

/// The parts a single (non-range) date's tokens give.
fn match_parts(tokens: &[Tok]) -> Option<Parts> {
    let parts = match *tokens {
        [Tok::Iso { year, month, day }] => Parts::new(to_year(year), Some(month), day),
        [Tok::Month(month)] => Parts::new(None, Some(month), None),
        [y] => match (y.as_year(), y.as_day()) {
            (Some(year), _) => Parts::new(to_year(year), None, None),
            (None, day) => Parts::new(None, None, Some(day?)),
        },
        [Tok::Month(month), y] if y.as_year().is_some() => {
            Parts::new(to_year(y.as_year()?), Some(month), None)
        }
        [Tok::Month(month), d, y] | [d, Tok::Month(month), y] => {
            Parts::new(to_year(y.as_year()?), Some(month), Some(d.as_day()?))
        }
        [Tok::Month(month), d] | [d, Tok::Month(month)] => {
            Parts::new(None, Some(month), Some(d.as_day()?))
        }
        [d, y] => Parts::new(to_year(y.as_year()?), None, Some(d.as_day()?)),
        _ => return None,
    };
    Some(parts)
}

/// A parsed year number as `i32`.
fn to_year(year: u32) -> Option<i32> {
    i32::try_from(year).ok()
}

/// A range split at the first separator where both sides read as dates.
fn read_range(tokens: &[Tok], between: bool, context: Parts) -> Option<DateValue> {
    tokens
        .iter()
        .enumerate()
        .filter(|(_, token)| token.separates(between))
        .find_map(|(at, _)| range_at(tokens, at, context))
}

/// The range made by splitting `tokens` at `at`; each side completes the other
/// ("June 15-16, 1960"), then the context completes both.
fn range_at(tokens: &[Tok], at: usize, context: Parts) -> Option<DateValue> {
    let left = match_parts(tokens.get(..at)?)?;
    let right = match_parts(tokens.get(at + 1..)?)?;
    let end = right.fill(left).fill(context).resolve()?;
    let start = left.fill(right).fill(context);
    let start = match start.resolve()? {
        value if in_order(&value, &end) => value,
        // "December 30 - January 2, 1966": the start is in the year before.
        _ if left.year.is_none() => start.year_before().resolve()?,
        _ => return None,
    };
    in_order(&start, &end).then(|| DateValue::Range {
        start: Box::new(start),
        end: Box::new(end),
    })
}

/// Whether `end` does not end before `start` begins.
fn in_order(start: &DateValue, end: &DateValue) -> bool {
    matches!((start.earliest(), end.latest()), (Some(a), Some(b)) if a <= b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn day(year: i32, month: u32, d: u32) -> DateValue {
        DateValue::Day(ymd(year, month, d))
    }

    fn month(year: i32, month: u32) -> DateValue {
        DateValue::Month { year, month }
    }

    fn range(start: DateValue, end: DateValue) -> DateValue {
        DateValue::Range {
            start: Box::new(start),
            end: Box::new(end),
        }
    }

    fn xsd(text: &str) -> Option<(String, XsdDateType)> {
        HistoricalDate::parse(text).xsd()
    }

    fn lexical(value: &str, kind: XsdDateType) -> Option<(String, XsdDateType)> {
        Some((value.to_owned(), kind))
    }

    /// Asserts the value, precision, bounds and that the original is kept.
    fn check(
        text: &str,
        value: DateValue,
        earliest: NaiveDate,
        latest: NaiveDate,
    ) -> HistoricalDate {
        let date = HistoricalDate::parse(text);
        assert_eq!(date.original, text);
        assert_eq!(date.value, value, "{text:?}");
        assert_eq!(date.precision(), value.precision());
        assert!(date.is_parsed());
        assert_eq!(date.earliest(), Some(earliest), "{text:?}");
        assert_eq!(date.latest(), Some(latest), "{text:?}");
        date
    }

    fn check_day(text: &str, y: i32, m: u32, d: u32) {
        let date = check(text, day(y, m, d), ymd(y, m, d), ymd(y, m, d));
        assert_eq!(date.precision(), Precision::Day);
        let expected = format!("{y:04}-{m:02}-{d:02}");
        assert_eq!(
            date.xsd(),
            lexical(&expected, XsdDateType::Date),
            "{text:?}"
        );
        assert!(!date.approximate);
    }

    fn check_unparsed(text: &str) {
        let date = HistoricalDate::parse(text);
        assert_eq!(date.original, text);
        assert_eq!(date.value, DateValue::Unparsed, "{text:?}");
        assert_eq!(date.precision(), Precision::Unknown);
        assert!(!date.is_parsed() && !date.approximate);
        assert_eq!(
            (date.earliest(), date.latest(), date.xsd()),
            (None, None, None)
        );
        assert_eq!((date.start(), date.end(), date.year()), (None, None, None));
    }

    #[test]
    fn days_in_every_form() {
        for text in [
            "March 2, 1965",
            "March 2 1965",
            "Mar. 2, 1965",
            "Mar 2, 1965",
            "MARCH 2, 1965",
            "march 2nd, 1965",
            "2 March 1965",
            "02 March 1965",
            "2 Mar. 1965",
            "the 2nd of March 1965",
            "1965-03-02",
            "  March 2, 1965.  ",
            "[March] 2, 1965",
        ] {
            check_day(text, 1965, 3, 2);
        }
        check_day("April 14, 1969", 1969, 4, 14);
        check_day("Sept. 9, 1948", 1948, 9, 9);
        check_day("Sep 9, 1948", 1948, 9, 9);
        check_day("February 29, 1964", 1964, 2, 29);
        check_day("December 31, 9999", 9999, 12, 31);
    }

    #[test]
    fn months() {
        for text in [
            "March 1965",
            "1965-03",
            "Mar. 1965",
            "march of 1965",
            "[March 1965]",
        ] {
            let date = check(text, month(1965, 3), ymd(1965, 3, 1), ymd(1965, 3, 31));
            assert_eq!(date.precision(), Precision::Month);
            assert_eq!(date.xsd(), lexical("1965-03", XsdDateType::GYearMonth));
        }
        check(
            "February 1965",
            month(1965, 2),
            ymd(1965, 2, 1),
            ymd(1965, 2, 28),
        );
        check(
            "Feb. 1964",
            month(1964, 2),
            ymd(1964, 2, 1),
            ymd(1964, 2, 29),
        );
        check(
            "1965-12",
            month(1965, 12),
            ymd(1965, 12, 1),
            ymd(1965, 12, 31),
        );
    }

    #[test]
    fn years() {
        for (text, y) in [
            ("1965", 1965),
            ("1955", 1955),
            (" 1955 ", 1955),
            ("850", 850),
        ] {
            let date = check(text, DateValue::Year(y), ymd(y, 1, 1), ymd(y, 12, 31));
            assert_eq!(date.precision(), Precision::Year);
            assert_eq!(date.year(), Some(y));
        }
        assert_eq!(xsd("1965"), lexical("1965", XsdDateType::GYear));
        assert_eq!(xsd("850"), lexical("0850", XsdDateType::GYear));
        assert_eq!(xsd("0001"), lexical("0001", XsdDateType::GYear));
    }

    #[test]
    fn year_ranges() {
        for text in [
            "1912-1994",
            "1912- 1994",
            "1912 - 1994",
            "1912–1994",
            "1912 — 1994",
        ] {
            let date = check(
                text,
                range(DateValue::Year(1912), DateValue::Year(1994)),
                ymd(1912, 1, 1),
                ymd(1994, 12, 31),
            );
            assert_eq!(date.precision(), Precision::Range);
            assert_eq!(date.xsd(), None);
            assert_eq!(date.year(), Some(1912));
            assert_eq!(date.start(), Some(&DateValue::Year(1912)));
            assert_eq!(date.end(), Some(&DateValue::Year(1994)));
        }
        check(
            "1893-1976",
            range(DateValue::Year(1893), DateValue::Year(1976)),
            ymd(1893, 1, 1),
            ymd(1976, 12, 31),
        );
        for text in [
            "1961 to 1965",
            "between 1961 and 1965",
            "from 1961 to 1965",
            "1961 until 1965",
        ] {
            let value = range(DateValue::Year(1961), DateValue::Year(1965));
            check(text, value, ymd(1961, 1, 1), ymd(1965, 12, 31));
        }
    }

    #[test]
    fn month_and_day_ranges() {
        check(
            "March 1965 - May 1966",
            range(month(1965, 3), month(1966, 5)),
            ymd(1965, 3, 1),
            ymd(1966, 5, 31),
        );
        check(
            "1965-03 - 1966-05",
            range(month(1965, 3), month(1966, 5)),
            ymd(1965, 3, 1),
            ymd(1966, 5, 31),
        );
        check(
            "March - May 1966",
            range(month(1966, 3), month(1966, 5)),
            ymd(1966, 3, 1),
            ymd(1966, 5, 31),
        );
        let june = range(day(1960, 6, 15), day(1960, 6, 16));
        for text in [
            "June 15-16, 1960",
            "15-16 June 1960",
            "June 15 - June 16, 1960",
            "1960-06-15 - 1960-06-16",
        ] {
            check(text, june.clone(), ymd(1960, 6, 15), ymd(1960, 6, 16));
        }
        check(
            "December 30 - January 2, 1966",
            range(day(1965, 12, 30), day(1966, 1, 2)),
            ymd(1965, 12, 30),
            ymd(1966, 1, 2),
        );
        check(
            "1960 - March 1965",
            range(DateValue::Year(1960), month(1965, 3)),
            ymd(1960, 1, 1),
            ymd(1965, 3, 31),
        );
        check(
            "1965-1965",
            range(DateValue::Year(1965), DateValue::Year(1965)),
            ymd(1965, 1, 1),
            ymd(1965, 12, 31),
        );
    }

    #[test]
    fn approximate_dates() {
        for text in [
            "c. 1950",
            "ca. 1950",
            "circa 1950",
            "c.1960",
            "about 1950",
            "1950?",
            "C. 1950",
            "[c. 1950]",
        ] {
            let date = HistoricalDate::parse(text);
            assert!(date.approximate, "{text:?}");
            assert_eq!(date.precision(), Precision::Year, "{text:?}");
            assert_eq!(date.original, text);
        }
        assert_eq!(HistoricalDate::parse("c.1960").value, DateValue::Year(1960));
        let march = HistoricalDate::parse("c. March 1965");
        assert!(march.approximate);
        assert_eq!(march.value, month(1965, 3));
        let span = HistoricalDate::parse("c. 1912 - 1994");
        assert!(span.approximate);
        assert_eq!(span.precision(), Precision::Range);
        assert!(!HistoricalDate::parse("1950").approximate);
    }

    #[test]
    fn context_fills_year_and_month() {
        let context = day(1965, 3, 2);
        let parse = |text: &str| HistoricalDate::parse_with_context(text, &context);
        assert_eq!(parse("the 27th [of February]").value, day(1965, 2, 27));
        assert_eq!(
            parse("the 27th [of February]").original,
            "the 27th [of February]"
        );
        assert_eq!(parse("on the 27th").value, day(1965, 3, 27));
        assert_eq!(parse("27 February").value, day(1965, 2, 27));
        assert_eq!(parse("February 27").value, day(1965, 2, 27));
        assert_eq!(parse("1 March").value, day(1965, 3, 1));
        assert_eq!(parse("February").value, month(1965, 2));
        assert_eq!(
            parse("June 15-16").value,
            range(day(1965, 6, 15), day(1965, 6, 16))
        );
        assert_eq!(parse("April 14, 1969").value, day(1969, 4, 14));
        assert_eq!(parse("the 31st of February").value, DateValue::Unparsed);
        let year_only = DateValue::Year(1965);
        assert_eq!(
            HistoricalDate::parse_with_context("27 February", &year_only).value,
            day(1965, 2, 27)
        );
        assert!(!HistoricalDate::parse_with_context("the 27th", &year_only).is_parsed());
        let span = range(day(1965, 3, 2), day(1966, 1, 1));
        assert_eq!(
            HistoricalDate::parse_with_context("the 27th", &span).value,
            day(1965, 3, 27)
        );
    }

    #[test]
    fn partial_dates_need_context() {
        for text in [
            "the 27th [of February]",
            "on the 27th",
            "27 February",
            "February 27",
            "1 March",
            "March",
        ] {
            check_unparsed(text);
        }
    }

    #[test]
    fn unparsed_text() {
        for text in [
            "",
            "   ",
            "-",
            "–",
            "?",
            "c.",
            "n.d.",
            "Spring of the Year of the Horse",
            "February 30, 1965",
            "April 31 1965",
            "February 29, 1965",
            "1965-13",
            "1965-02-30",
            "0",
            "0000",
            "10000",
            "March 0",
            "0 March 1965",
            "27",
            "65",
            "1965-",
            "-1965",
            "1965 - ",
            "1994-1912",
            "May 1966 - March 1965",
            "1961 and 1965",
            "between 1961",
            "1960s",
            "1965a",
            "1912--1994",
            "1965/66",
            "mid-1965",
        ] {
            check_unparsed(text);
        }
    }

    #[test]
    fn value_accessors_on_hand_made_values() {
        let bad = [
            month(1965, 13),
            month(1965, 0),
            month(i32::MAX, u32::MAX),
            DateValue::Year(i32::MIN),
        ];
        for value in bad {
            assert_eq!(value.xsd(), None, "{value:?}");
            assert_eq!(value.latest(), None, "{value:?}");
        }
        assert_eq!(DateValue::Year(10000).xsd(), None);
        assert_eq!(DateValue::Year(0).xsd(), None);
        assert_eq!(month(9999, 12).latest(), Some(ymd(9999, 12, 31)));
        let nested = range(
            range(DateValue::Year(1950), DateValue::Year(1951)),
            DateValue::Year(1960),
        );
        assert_eq!(nested.earliest(), Some(ymd(1950, 1, 1)));
        assert_eq!(nested.year(), Some(1950));
        assert_eq!(day(1965, 3, 2).start(), Some(&day(1965, 3, 2)));
        assert_eq!(day(1965, 3, 2).end(), Some(&day(1965, 3, 2)));
    }

    #[test]
    fn names_and_display() {
        let names: Vec<&str> = [
            Precision::Day,
            Precision::Month,
            Precision::Year,
            Precision::Range,
            Precision::Unknown,
        ]
        .iter()
        .map(Precision::as_str)
        .collect();
        assert_eq!(names, ["day", "month", "year", "range", "unknown"]);
        assert_eq!(
            XsdDateType::Date.datatype_iri(),
            "http://www.w3.org/2001/XMLSchema#date"
        );
        assert_eq!(
            XsdDateType::GYearMonth.datatype_iri(),
            "http://www.w3.org/2001/XMLSchema#gYearMonth"
        );
        assert_eq!(
            XsdDateType::GYear.datatype_iri(),
            "http://www.w3.org/2001/XMLSchema#gYear"
        );
        let date = HistoricalDate::parse(" 1912- 1994 ");
        assert_eq!(date.to_string(), " 1912- 1994 ");
        assert_eq!(String::from(date.clone()), " 1912- 1994 ");
        assert_eq!(HistoricalDate::from(" 1912- 1994 ".to_owned()), date);
        assert_eq!(HistoricalDate::from(" 1912- 1994 "), date);
        assert_eq!(HistoricalDate::default(), HistoricalDate::parse(""));
    }

    #[test]
    fn serde_is_the_original_string() {
        let date = HistoricalDate::parse("c. March 2, 1965");
        let json = serde_json::to_string(&date).unwrap();
        assert_eq!(json, r#""c. March 2, 1965""#);
        let back: HistoricalDate = serde_json::from_str(&json).unwrap();
        assert_eq!(back, date);
        assert!(back.approximate);
        let none: Option<HistoricalDate> = serde_json::from_str("null").unwrap();
        assert_eq!(none, None);
        assert!(serde_json::from_str::<HistoricalDate>("1965").is_err());
    }

    fn valid_date() -> impl Strategy<Value = NaiveDate> {
        (1000i32..=2999, 1u32..=12, 1u32..=31)
            .prop_filter_map("valid day", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
    }

    /// One date-like piece: days, months and years in the understood forms,
    /// with numbers that are often out of range.
    fn date_piece() -> impl Strategy<Value = String> {
        let month = prop::sample::select(vec!["March", "mar.", "Sept.", "FEB", "December", "May"]);
        let (day, year) = (0u32..=32, prop_oneof![1900i32..=1999, 0i32..=10001]);
        prop_oneof![
            (month.clone(), day.clone(), year.clone())
                .prop_map(|(m, d, y)| format!("{m} {d}, {y}")),
            (day.clone(), month.clone(), year.clone()).prop_map(|(d, m, y)| format!("{d} {m} {y}")),
            (month.clone(), year.clone()).prop_map(|(m, y)| format!("{m} {y}")),
            (year.clone(), 0u32..=13, day.clone())
                .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
            year.prop_map(|y| y.to_string()),
            day.prop_map(|d| format!("the {d}th")),
            month.prop_map(str::to_owned),
        ]
    }

    /// Date-like text: an optional marker, a piece, maybe a separator and a second
    /// piece; or random text over the characters dates use.
    fn date_like_text() -> impl Strategy<Value = String> {
        let marker = prop::sample::select(vec!["", "c. ", "circa ", "between ", "[", "about "]);
        let sep = prop::sample::select(vec!["", "-", " - ", "–", " to ", " and ", "- "]);
        let structured = (marker, date_piece(), sep, date_piece(), any::<bool>()).prop_map(
            |(mk, a, sep, b, q)| {
                let second = if sep.is_empty() { String::new() } else { b };
                format!("{mk}{a}{sep}{second}{}", if q { "?" } else { "" })
            },
        );
        let noise = r"([0-9]{1,5}|[A-Za-z]{1,9}\.?|[-–?,\[\] ]|to |and |between |th ){0,8}";
        prop_oneof![structured, proptest::string::string_regex(noise).unwrap()]
    }

    proptest! {
        #[test]
        fn never_panics_and_keeps_original(text in any::<String>()) {
            let date = HistoricalDate::parse(&text);
            prop_assert_eq!(&date.original, &text);
            let with_context = HistoricalDate::parse_with_context(&text, &day(1965, 3, 2));
            prop_assert_eq!(&with_context.original, &text);
        }

        #[test]
        fn date_like_text_is_consistent(text in date_like_text()) {
            let date = HistoricalDate::parse_with_context(&text, &day(1965, 3, 2));
            prop_assert_eq!(&date.original, &text);
            prop_assert_eq!(date.is_parsed(), date.precision() != Precision::Unknown);
            prop_assert_eq!(date.is_parsed(), date.earliest().is_some());
            prop_assert_eq!(date.is_parsed(), date.latest().is_some());
            if let (Some(earliest), Some(latest)) = (date.earliest(), date.latest()) {
                prop_assert!(earliest <= latest, "{:?}", date);
            }
            let is_single = matches!(date.precision(), Precision::Day | Precision::Month | Precision::Year);
            prop_assert_eq!(date.xsd().is_some(), is_single);
        }

        #[test]
        fn formatted_days_parse_back(date in valid_date()) {
            let name = MONTH_NAMES[date.month0() as usize];
            let (y, m, d) = (date.year(), date.month(), date.day());
            for text in [
                format!("{name} {d}, {y}"),
                format!("{d} {name} {y}"),
                format!("{y:04}-{m:02}-{d:02}"),
                format!("{}. {d}, {y}", &name[..3]),
            ] {
                let parsed = HistoricalDate::parse(&text);
                prop_assert_eq!(&parsed.value, &DateValue::Day(date), "{}", text);
                prop_assert_eq!(parsed.xsd(), Some((format!("{y:04}-{m:02}-{d:02}"), XsdDateType::Date)));
            }
        }

        #[test]
        fn earliest_never_after_latest(a in valid_date(), b in valid_date(), sep in prop::sample::select(vec!["-", " - ", "–", " to "])) {
            let text = format!("{} {}, {}{sep}{}", MONTH_NAMES[a.month0() as usize], a.day(), a.year(), b.format("%Y-%m-%d"));
            let date = HistoricalDate::parse(&text);
            prop_assert_eq!(date.is_parsed(), a <= b, "{}", text);
            if let (Some(earliest), Some(latest)) = (date.earliest(), date.latest()) {
                prop_assert!(earliest <= latest);
                prop_assert_eq!((earliest, latest), (a, b));
            }
        }

        #[test]
        fn year_ranges_parse(a in 100i32..=9999, b in 100i32..=9999) {
            let (a, b) = (a.min(b), a.max(b));
            for text in [format!("{a}-{b}"), format!("{a}- {b}"), format!("{a} – {b}")] {
                let date = HistoricalDate::parse(&text);
                let expected = range(DateValue::Year(a), DateValue::Year(b));
                prop_assert_eq!(&date.value, &expected, "{}", text);
                prop_assert_eq!(date.precision(), Precision::Range);
            }
        }

        #[test]
        fn serde_round_trip(text in any::<String>()) {
            let date = HistoricalDate::parse(&text);
            let json = serde_json::to_string(&date).unwrap();
            prop_assert_eq!(&json, &serde_json::to_string(&text).unwrap());
            let back: HistoricalDate = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back, date);
        }

        #[test]
        fn serde_round_trip_of_dates(text in date_like_text()) {
            let date = HistoricalDate::parse(&text);
            let back: HistoricalDate = serde_json::from_str(&serde_json::to_string(&date).unwrap()).unwrap();
            prop_assert_eq!(back, date);
        }
    }
}
