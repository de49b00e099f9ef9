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
mod tests;
