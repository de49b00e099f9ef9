//! Dates: drawn over the period and printed in every form and precision the date parser reads.

use chrono::{Datelike, NaiveDate};
use fastrand::Rng;

use chronograph_core::dates::MONTH_NAMES as MONTHS;

use crate::random::{chance, normal, weighted};
use crate::tables::DateForm;
use crate::YEARS;

/// The months as abbreviated in dates ("Sept. 9, 1953").
pub(crate) const MONTHS_SHORT: [&str; 12] = [
    "Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
];

/// How precise a generated date is (what the date parser will read from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Precision {
    Day,
    Month,
    Year,
    Range,
}

/// A date as printed, with the first day it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GenDate {
    pub(crate) text: String,
    pub(crate) year: i32,
    pub(crate) month: u32,
    pub(crate) day: u32,
    pub(crate) precision: Precision,
}

impl GenDate {
    /// Orders dates by their first day (coarser dates first within their year or month).
    pub(crate) fn sort_key(&self) -> u32 {
        let (month, day) = match self.precision {
            Precision::Day => (self.month, self.day),
            Precision::Month => (self.month, 0),
            Precision::Year | Precision::Range => (0, 0),
        };
        (self.year as u32) * 10_000 + month * 100 + day
    }
}

pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
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
pub(crate) fn draw_year(rng: &mut Rng) -> i32 {
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
pub(crate) fn render_date(
    rng: &mut Rng,
    form: DateForm,
    year: i32,
    month: u32,
    day: u32,
) -> GenDate {
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

pub(crate) fn draw_date(rng: &mut Rng, forms: &[(DateForm, u32)]) -> GenDate {
    let year = draw_year(rng);
    let month = rng.u32(1..=12);
    let day = rng.u32(1..=days_in_month(year, month));
    let form = weighted(rng, forms);
    render_date(rng, form, year, month, day)
}

/// An event's date on a document's: never more precise than the document's.
pub(crate) fn date_like(rng: &mut Rng, of: &GenDate) -> GenDate {
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
pub(crate) fn uploaded_date(rng: &mut Rng) -> String {
    let year = rng.i32(2011..=2024);
    let month = rng.u32(1..=12);
    let day = rng.u32(1..=days_in_month(year, month));
    format!("{year}-{month:02}-{day:02}")
}
