//! Tests of the generator as a whole: dates, citations, names, texts, chunks and tables fit together.

use std::collections::{HashMap, HashSet};

use chrono::Datelike;
use fastrand::Rng;

use chronograph_core::dates::{DateValue, HistoricalDate, Precision as Parsed};
use chronograph_core::ids::slug;
use chronograph_core::sources::page_fields::parse_citation;

use crate::dates::{date_like, days_in_month, draw_year, render_date, Precision};
use crate::documents::{citation, record_id, text_length};
use crate::names::{feminine_russian, transliterate_russian, typo, Pools};
use crate::random::{exp, name_key, weighted};
use crate::tables::{
    DateForm, Style, ARCHIVES, CULTURES, DOCUMENT_DATES, EVENT_DATES, EVENT_SENTENCES, FAMOUS,
    FIRST_CITY, NATIONS, PLACES, SENTENCES, SUMMARIES, TOPICS,
};
use crate::templates::{fixed_words, parse_template, Seg, Templates};
use crate::text::{needs_article, push_number, quick_slug};
use crate::world::World;
use crate::write::{document_chunk, in_parallel, CHUNK};
use crate::{CorpusFormat, CorpusOptions, YEARS};

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
    for forms in [&DOCUMENT_DATES[..], &EVENT_DATES[..]] {
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
    for nation in NATIONS.iter() {
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
    for archive in ARCHIVES.iter() {
        assert!(
            NATIONS.iter().any(|n| n.country == archive.nation),
            "{}",
            archive.nation
        );
    }
    for culture in CULTURES.iter() {
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
        "P", "Q", "REST", "CITY", "COUNTRY", "ORG", "NAT", "MATTER", "AGR", "COMM", "NUM", "BIG",
        "HOURS", "PCT", "MONTH", "YEAR", "DAYMONTH",
    ];
    for template in SENTENCES
        .iter()
        .chain(EVENT_SENTENCES.iter())
        .chain(SUMMARIES.iter())
    {
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
    for template in EVENT_SENTENCES.iter() {
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
                chronograph_core::sources::page_fields::parse_serial(
                    doc.serial_line.as_deref().unwrap()
                )
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
