//! Events: dated sentences naming two to four people, most citing a document that names them.

use std::hash::{Hash, Hasher};

use chronograph_core::dates::HistoricalDate;
use chronograph_core::model::{EntityRef, Event};

use crate::dates::{date_like, draw_date, GenDate};
use crate::documents::record_id;
use crate::random::{chance, pick, record_rng, weighted, Stream};
use crate::tables::EVENT_DATES;
use crate::templates::Templates;
use crate::text::Fill;
use crate::world::World;
use crate::CorpusOptions;

/// A generated event.
pub(crate) struct GenEvent {
    pub(crate) date: GenDate,
    pub(crate) text: String,
    pub(crate) people: Vec<usize>,
    pub(crate) places: Vec<usize>,
    pub(crate) organisations: Vec<usize>,
    pub(crate) documents: Vec<String>,
}

impl GenEvent {
    /// What makes two events one resource when they carry no id: date text and paragraph.
    pub(crate) fn key(&self) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.date.text.hash(&mut h);
        self.text.hash(&mut h);
        h.finish()
    }
}

impl World {
    /// Event `index` (drawn again with `attempt` + 1 when its date and text repeat an earlier one's).
    pub(crate) fn event(
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
            draw_date(rng, &EVENT_DATES)
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

    pub(crate) fn event_record(&self, index: usize, event: &GenEvent) -> Event {
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
