//! Finding the people, places and organisations a text names.
//!
//! A [`Gazetteer`] gathers names and their variants from the authority file and
//! from the person cards of the pages read; [`annotate`] then resolves the names
//! a record already lists and adds the ones its text mentions. Matching is
//! case-sensitive, on whole words, leftmost-longest ("Kim Il Sung" wins over "Kim"),
//! and a variant shared by two different entities is never used to match text.

use std::collections::{BTreeSet, HashMap};

use aho_corasick::{AhoCorasick, MatchKind};

use crate::mapping::iri::slug;
use crate::model::{EntityRef, Record};

/// What kind of thing a gazetteer entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    /// A person.
    Person,
    /// A place.
    Place,
    /// An organisation.
    Organisation,
    /// A holding archive.
    Archive,
}

/// One entity the gazetteer knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GazetteerEntry {
    /// Kind.
    pub kind: EntityKind,
    /// Stable key: the authority id, or the slug of the preferred name.
    pub key: String,
    /// Preferred name.
    pub name: String,
    /// Whether the entry comes from an authority file (its key is an authority id).
    pub from_authority: bool,
}

/// Names and variants of known entities, ready to resolve names and scan text.
#[derive(Debug, Default)]
pub struct Gazetteer {
    entries: Vec<GazetteerEntry>,
    by_name: HashMap<String, usize>,
    matcher: Option<AhoCorasick>,
    pattern_entry: Vec<usize>,
    ambiguous: BTreeSet<String>,
}

impl Gazetteer {
    /// Builds a gazetteer from authority records (people, places, organisations,
    /// archives) and the named person cards of person pages.
    pub fn from_records<'a>(records: impl IntoIterator<Item = &'a Record>) -> Self {
        let mut builder = Builder::default();
        let mut cards = Vec::new();
        for record in records {
            match record {
                Record::Person(p) => {
                    builder.add(EntityKind::Person, p.id.as_deref(), &p.name, &p.variants)
                }
                Record::Place(e) => {
                    builder.add(EntityKind::Place, e.id.as_deref(), &e.name, &e.variants)
                }
                Record::Organisation(e) => builder.add(
                    EntityKind::Organisation,
                    e.id.as_deref(),
                    &e.name,
                    &e.variants,
                ),
                Record::Archive(e) => {
                    builder.add(EntityKind::Archive, e.id.as_deref(), &e.name, &e.variants)
                }
                Record::PersonPage(page) => {
                    cards.extend(page.cards.iter().filter_map(|c| c.name.clone()));
                    if page.page_kind == crate::model::PageKind::Person {
                        cards.extend(page.subject.clone());
                    }
                }
                _ => {}
            }
        }
        // Cards come after the authority so that a card name resolves to its authority entry.
        for name in cards {
            if builder.lookup(&name).is_none() {
                builder.add(EntityKind::Person, None, &name, &[]);
            }
        }
        builder.build()
    }

    /// The entry a name (preferred or variant, any case) refers to, if exactly one.
    pub fn resolve(&self, name: &str) -> Option<&GazetteerEntry> {
        self.by_name
            .get(&name.trim().to_lowercase())
            .map(|&i| &self.entries[i])
    }

    /// Every entry the text names, in order of first mention, each once.
    pub fn find_in(&self, text: &str) -> Vec<&GazetteerEntry> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let mut seen = BTreeSet::new();
        let mut found = Vec::new();
        for m in matcher.find_iter(text) {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            if before.is_some_and(char::is_alphanumeric) || after.is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            let entry = self.pattern_entry[m.pattern().as_usize()];
            if seen.insert(entry) {
                found.push(&self.entries[entry]);
            }
        }
        found
    }

    /// Variants left out of text matching because they name two entities.
    pub fn ambiguous_variants(&self) -> &BTreeSet<String> {
        &self.ambiguous
    }

    /// Number of entities known.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no entity is known.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[derive(Default)]
struct Builder {
    entries: Vec<GazetteerEntry>,
    /// Index of each entry by kind and key.
    index: HashMap<(EntityKind, String), usize>,
    names: HashMap<String, BTreeSet<usize>>,
    surface: HashMap<String, BTreeSet<usize>>,
}

impl Builder {
    fn lookup(&self, name: &str) -> Option<usize> {
        let set = self.names.get(&name.trim().to_lowercase())?;
        (set.len() == 1)
            .then(|| set.iter().next().copied())
            .flatten()
    }

    fn add(&mut self, kind: EntityKind, id: Option<&str>, name: &str, variants: &[String]) {
        let key = id.map(str::to_owned).unwrap_or_else(|| slug(name));
        let index = match self.index.get(&(kind, key.clone())) {
            Some(&i) => i,
            None => {
                self.index.insert((kind, key.clone()), self.entries.len());
                self.entries.push(GazetteerEntry {
                    kind,
                    key,
                    name: name.trim().to_owned(),
                    from_authority: id.is_some(),
                });
                self.entries.len() - 1
            }
        };
        for form in std::iter::once(name).chain(variants.iter().map(String::as_str)) {
            let form = form.trim();
            if form.is_empty() {
                continue;
            }
            self.names
                .entry(form.to_lowercase())
                .or_default()
                .insert(index);
            self.surface
                .entry(form.to_owned())
                .or_default()
                .insert(index);
        }
    }

    fn build(self) -> Gazetteer {
        let mut by_name = HashMap::new();
        for (name, set) in &self.names {
            if set.len() == 1 {
                by_name.extend(set.iter().map(|&i| (name.clone(), i)));
            }
        }
        let mut patterns = Vec::new();
        let mut pattern_entry = Vec::new();
        let mut ambiguous = BTreeSet::new();
        let mut surface: Vec<_> = self.surface.into_iter().collect();
        surface.sort();
        for (form, set) in surface {
            if set.len() == 1 {
                patterns.push(form);
                pattern_entry.extend(set);
            } else {
                ambiguous.insert(form);
            }
        }
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok();
        Gazetteer {
            entries: self.entries,
            by_name,
            matcher,
            pattern_entry,
            ambiguous,
        }
    }
}

/// Resolves the names a record lists against the gazetteer and adds those its
/// text names. Names the gazetteer does not know are kept as they are.
pub fn annotate(record: &mut Record, gazetteer: &Gazetteer) {
    match record {
        Record::Document(doc) => {
            let mut texts = vec![doc.title.as_str()];
            texts.extend(doc.summary.as_deref());
            texts.extend(doc.text.as_deref());
            let found = found_in(gazetteer, &texts);
            merge(&mut doc.people, &found, EntityKind::Person, gazetteer);
            merge(&mut doc.places, &found, EntityKind::Place, gazetteer);
            merge(
                &mut doc.organisations,
                &found,
                EntityKind::Organisation,
                gazetteer,
            );
        }
        Record::Event(event) => annotate_event(event, gazetteer),
        Record::PersonPage(page) => page
            .timeline
            .iter_mut()
            .for_each(|e| annotate_event(e, gazetteer)),
        _ => {}
    }
}

fn annotate_event(event: &mut crate::model::Event, gazetteer: &Gazetteer) {
    let found = found_in(gazetteer, &[event.text.as_str()]);
    merge(&mut event.people, &found, EntityKind::Person, gazetteer);
    merge(&mut event.places, &found, EntityKind::Place, gazetteer);
    merge(
        &mut event.organisations,
        &found,
        EntityKind::Organisation,
        gazetteer,
    );
}

fn found_in<'g>(gazetteer: &'g Gazetteer, texts: &[&str]) -> Vec<&'g GazetteerEntry> {
    let mut found: Vec<&GazetteerEntry> = Vec::new();
    for text in texts {
        for entry in gazetteer.find_in(text) {
            if !found.contains(&entry) {
                found.push(entry);
            }
        }
    }
    found
}

/// Resolves listed references, appends found ones, and removes duplicates (by key).
fn merge(
    refs: &mut Vec<EntityRef>,
    found: &[&GazetteerEntry],
    kind: EntityKind,
    gazetteer: &Gazetteer,
) {
    for r in refs.iter_mut() {
        if let Some(entry) = gazetteer.resolve(&r.name).filter(|e| e.kind == kind) {
            *r = entity_ref(entry);
        }
    }
    refs.extend(
        found
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| entity_ref(e)),
    );
    let mut seen = BTreeSet::new();
    refs.retain(|r| seen.insert(r.authority_id.clone().unwrap_or_else(|| slug(&r.name))));
}

fn entity_ref(entry: &GazetteerEntry) -> EntityRef {
    EntityRef {
        name: entry.name.clone(),
        authority_id: Some(entry.key.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Person;

    fn person(id: &str, name: &str, variants: &[&str]) -> Record {
        Record::Person(Person {
            id: Some(id.into()),
            name: name.into(),
            variants: variants.iter().map(|v| v.to_string()).collect(),
            ..Person::default()
        })
    }

    #[test]
    fn longest_whole_word_matches_win() {
        let records = [
            person("kim-il-sung", "Kim Il Sung", &["Kim", "Premier Kim"]),
            person("puzanov", "Alexander Puzanov", &["Puzanov", "A.M. Puzanov"]),
        ];
        let g = Gazetteer::from_records(&records);
        let names: Vec<_> = g
            .find_in("Kim Il Sung and A.M. Puzanov met; Kimchi is not Kim. Premier Kim's")
            .iter()
            .map(|e| e.key.as_str())
            .collect();
        assert_eq!(names, vec!["kim-il-sung", "puzanov"]);
        assert!(g.find_in("Kimchi").is_empty());
    }

    #[test]
    fn shared_variants_are_not_used_for_matching() {
        let records = [
            person("kim-il-sung", "Kim Il Sung", &["Kim"]),
            person("kim-jong-il", "Kim Jong Il", &["Kim"]),
        ];
        let g = Gazetteer::from_records(&records);
        assert!(g.find_in("Kim agreed").is_empty());
        assert!(g.ambiguous_variants().contains("Kim"));
        assert_eq!(
            g.resolve("kim il sung").map(|e| e.key.as_str()),
            Some("kim-il-sung")
        );
    }
}
