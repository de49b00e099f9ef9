//! Layout of the server-rendered pictures on the HTML pages: a person's timeline
//! and documents per year. Only geometry is computed here; the SVG itself is
//! written by the page templates, so the pictures need no JavaScript.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Width of both pictures, in SVG user units.
const WIDTH: f64 = 760.0;
const MARGIN: f64 = 36.0;
const RADIUS: f64 = 9.0;
const LANE: f64 = 24.0;

/// An event to place on a timeline.
#[derive(Debug, Clone)]
pub struct TimelineEvent {
    /// First day the event's date covers.
    pub start: NaiveDate,
    /// The date as published ("Spring 1960").
    pub date_text: String,
    /// A short label.
    pub label: String,
    /// Where the event's page is.
    pub href: String,
}

/// A tick on an axis.
#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    /// Position.
    pub x: f64,
    /// Text.
    pub label: String,
}

/// One event on the timeline, numbered like the list under the picture.
#[derive(Debug, Clone, Serialize)]
pub struct TimelinePoint {
    /// Centre.
    pub x: f64,
    /// Centre.
    pub y: f64,
    /// Circle radius.
    pub r: f64,
    /// 1-based position in date order.
    pub number: usize,
    /// The date as published.
    pub date_text: String,
    /// A short label (the tooltip).
    pub label: String,
    /// Link to the event.
    pub href: String,
}

/// A timeline picture: a dated axis with the events as numbered circles,
/// stacked in lanes where they would overlap.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    /// Picture width.
    pub width: f64,
    /// Picture height.
    pub height: f64,
    /// Vertical position of the axis.
    pub axis_y: f64,
    /// Left end of the axis.
    pub left: f64,
    /// Right end of the axis.
    pub right: f64,
    /// Year ticks.
    pub ticks: Vec<Tick>,
    /// The events.
    pub points: Vec<TimelinePoint>,
}

fn fractional_year(date: NaiveDate) -> f64 {
    let days = if date.leap_year() { 366.0 } else { 365.0 };
    f64::from(date.year()) + f64::from(date.ordinal0()) / days
}

/// A tick step giving at most about ten ticks over `years`.
fn tick_step(years: i32) -> i32 {
    [1, 2, 5, 10, 20, 25, 50, 100, 200, 500]
        .into_iter()
        .find(|step| years / step <= 10)
        .unwrap_or(1000)
}

/// Lays out the events (in any order) on a timeline; `None` when there are none.
pub fn timeline(events: &[TimelineEvent]) -> Option<Timeline> {
    let mut events: Vec<&TimelineEvent> = events.iter().collect();
    events.sort_by(|a, b| a.start.cmp(&b.start).then(a.label.cmp(&b.label)));
    let first = events.first()?.start.year();
    let last = events.last()?.start.year() + 1;
    let (from, to) = if last - first < 2 {
        (first - 1, last + 1)
    } else {
        (first, last)
    };
    let (left, right) = (MARGIN, WIDTH - MARGIN);
    let scale = (right - left) / f64::from(to - from);
    let x_of = |year: f64| left + (year - f64::from(from)) * scale;
    let mut lanes: Vec<f64> = Vec::new();
    let mut placed = Vec::new();
    for (i, event) in events.iter().enumerate() {
        let x = x_of(fractional_year(event.start));
        let lane = match lanes.iter().position(|&end| end + 2.0 * RADIUS + 3.0 <= x) {
            Some(free) => free,
            None => {
                lanes.push(f64::MIN);
                lanes.len() - 1
            }
        };
        lanes[lane] = x;
        placed.push((lane, x, i, *event));
    }
    let lanes_used = lanes.len().max(1) as f64;
    let axis_y = 20.0 + lanes_used * LANE;
    let points = placed
        .into_iter()
        .map(|(lane, x, i, event)| TimelinePoint {
            x,
            y: axis_y - 14.0 - lane as f64 * LANE,
            r: RADIUS,
            number: i + 1,
            date_text: event.date_text.clone(),
            label: event.label.clone(),
            href: event.href.clone(),
        })
        .collect();
    let step = tick_step(to - from);
    let ticks = (from..=to)
        .filter(|year| year % step == 0)
        .map(|year| Tick {
            x: x_of(f64::from(year)),
            label: year.to_string(),
        })
        .collect();
    Some(Timeline {
        width: WIDTH,
        height: axis_y + 30.0,
        axis_y,
        left,
        right,
        ticks,
        points,
    })
}

/// One bar of a per-year chart.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
    /// The year.
    pub year: i32,
    /// How many.
    pub count: usize,
}

/// A bar chart of counts per year, every year of the range shown (empty years too).
#[derive(Debug, Clone, Serialize)]
pub struct BarChart {
    /// Picture width.
    pub width: f64,
    /// Picture height.
    pub height: f64,
    /// Vertical position of the baseline.
    pub baseline: f64,
    /// The bars.
    pub bars: Vec<Bar>,
    /// Year labels under the baseline.
    pub ticks: Vec<Tick>,
    /// The largest count.
    pub max: usize,
}

/// Lays out counts per year; `None` when there are none.
pub fn per_year(counts: &BTreeMap<i32, usize>) -> Option<BarChart> {
    let (&first, _) = counts.first_key_value()?;
    let (&last, _) = counts.last_key_value()?;
    let max = counts.values().copied().max().unwrap_or(0).max(1);
    let years = (last - first + 1) as f64;
    let (left, right) = (MARGIN, WIDTH - MARGIN);
    let slot = (right - left) / years;
    let (top, baseline) = (16.0, 116.0);
    let bars = (first..=last)
        .enumerate()
        .map(|(i, year)| {
            let count = counts.get(&year).copied().unwrap_or(0);
            let height = (baseline - top) * count as f64 / max as f64;
            Bar {
                x: left + i as f64 * slot + slot * 0.1,
                y: baseline - height,
                width: slot * 0.8,
                height,
                year,
                count,
            }
        })
        .collect();
    let step = tick_step(last - first + 1);
    let ticks = (first..=last)
        .enumerate()
        .filter(|(_, year)| year % step == 0 || first == last)
        .map(|(i, year)| Tick {
            x: left + (i as f64 + 0.5) * slot,
            label: year.to_string(),
        })
        .collect();
    Some(BarChart {
        width: WIDTH,
        height: baseline + 24.0,
        baseline,
        bars,
        ticks,
        max,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(date: &str, label: &str) -> TimelineEvent {
        TimelineEvent {
            start: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            date_text: date.to_owned(),
            label: label.to_owned(),
            href: format!("/event/{label}"),
        }
    }

    #[test]
    fn events_are_numbered_in_date_order_and_inside_the_axis() {
        let events = [
            event("1961-07-06", "treaty"),
            event("1953-03-05", "stalin"),
            event("1960-06-15", "meeting"),
        ];
        let t = timeline(&events).unwrap();
        let labels: Vec<&str> = t.points.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["stalin", "meeting", "treaty"]);
        assert_eq!(
            t.points.iter().map(|p| p.number).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        assert!(t
            .points
            .iter()
            .all(|p| p.x >= t.left && p.x <= t.right && p.y < t.axis_y));
        assert!(t.points[0].x < t.points[1].x && t.points[1].x < t.points[2].x);
        assert!(t.ticks.iter().any(|tick| tick.label == "1960"));
    }

    #[test]
    fn close_events_stack_in_lanes() {
        let events = [event("1960-06-15", "a"), event("1960-06-16", "b")];
        let t = timeline(&events).unwrap();
        assert_ne!(t.points[0].y, t.points[1].y);
        let apart = [event("1950-01-01", "a"), event("1960-01-01", "b")];
        let t = timeline(&apart).unwrap();
        assert_eq!(t.points[0].y, t.points[1].y);
    }

    #[test]
    fn no_events_no_picture() {
        assert!(timeline(&[]).is_none());
        assert!(per_year(&BTreeMap::new()).is_none());
    }

    #[test]
    fn per_year_shows_every_year_and_scales_to_the_largest() {
        let counts = BTreeMap::from([(1953, 1), (1956, 4)]);
        let chart = per_year(&counts).unwrap();
        let years: Vec<i32> = chart.bars.iter().map(|b| b.year).collect();
        assert_eq!(years, [1953, 1954, 1955, 1956]);
        assert_eq!(chart.bars[1].height, 0.0);
        assert!((chart.bars[3].height - 4.0 * chart.bars[0].height).abs() < 1e-9);
        assert_eq!(chart.max, 4);
    }
}
