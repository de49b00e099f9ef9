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
fn check(text: &str, value: DateValue, earliest: NaiveDate, latest: NaiveDate) -> HistoricalDate {
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
        (month.clone(), day.clone(), year.clone()).prop_map(|(m, d, y)| format!("{m} {d}, {y}")),
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
    let structured =
        (marker, date_piece(), sep, date_piece(), any::<bool>()).prop_map(|(mk, a, sep, b, q)| {
            let second = if sep.is_empty() { String::new() } else { b };
            format!("{mk}{a}{sep}{second}{}", if q { "?" } else { "" })
        });
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
