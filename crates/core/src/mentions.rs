//! Finding the people, places and organisations a text names.
//!
//! A [`Gazetteer`] gathers names and their variants from the authority file and
//! from the person cards of the pages read; [`annotate`] then resolves the names
//! a record already lists and adds the ones its text mentions. Matching is
//! case-sensitive, on whole words, leftmost-longest ("Kim Il Sung" wins over "Kim"),
//! and a variant shared by two different entities is never used to match text.
//!
//! Names in lists whose block does not say what they are (authors, document
//! contributors, "Associated People & Organizations", donors) are typed by
//! evidence in [`Gazetteer::type_name`]: the authority file first (any variant,
//! any inversion of a heading, diacritics and case folded), then the heading's
//! form ([`crate::headings`]); a name with neither stays an agent of unknown
//! kind. [`annotate`] counts each decision in a [`NameTyping`].

use std::collections::{BTreeSet, HashMap};

use aho_corasick::{AhoCorasick, MatchKind};

use crate::headings::{name_key, parse_heading, Heading, HeadingForm};
use crate::ids::slug;
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
    /// An agent of unknown kind: a person or a body, the evidence does not say
    /// which. Never the kind of a gazetteer entry.
    Agent,
}

/// What decided a name's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// The authority file lists the name (or a variant or inversion of it).
    Authority,
    /// A person card of the archive's own pages names it.
    PersonPage,
    /// The heading's form (an inverted personal name, a dotted hierarchy, a
    /// word that names a body).
    HeadingForm,
    /// The list's heading says what its names are ("Associated Places").
    Block,
    /// Nothing: an agent of unknown kind.
    None,
}

/// A name typed by evidence.
#[derive(Debug, Clone)]
pub struct TypedName<'g> {
    /// The kind decided ([`EntityKind::Agent`] when nothing decides).
    pub kind: EntityKind,
    /// What decided it.
    pub evidence: Evidence,
    /// The gazetteer's entry the name resolved to, or else the name read as
    /// a heading (what the kind was decided from).
    pub source: Result<&'g GazetteerEntry, Heading>,
}

/// How many names of untyped lists each kind of evidence typed, for the load summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NameTyping {
    /// Typed from the authority file.
    pub from_authority: usize,
    /// Typed from the person cards of the archive's pages.
    pub from_person_pages: usize,
    /// Typed from the heading's form.
    pub from_heading: usize,
    /// Left as agents of unknown kind.
    pub unknown: usize,
}

impl NameTyping {
    fn count(&mut self, evidence: Evidence) {
        match evidence {
            Evidence::Authority => self.from_authority += 1,
            Evidence::PersonPage => self.from_person_pages += 1,
            Evidence::HeadingForm => self.from_heading += 1,
            Evidence::Block | Evidence::None => self.unknown += 1,
        }
    }

    /// Names counted.
    pub fn total(&self) -> usize {
        self.from_authority + self.from_person_pages + self.from_heading + self.unknown
    }
}

impl std::ops::AddAssign for NameTyping {
    fn add_assign(&mut self, other: Self) {
        self.from_authority += other.from_authority;
        self.from_person_pages += other.from_person_pages;
        self.from_heading += other.from_heading;
        self.unknown += other.unknown;
    }
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

    /// The entry a name refers to, if exactly one: the name as given, or any
    /// form of it as an authority heading (`Mao, Zedong` → Mao Zedong, the
    /// alternate form in parentheses, the nickname), compared with case,
    /// diacritics and hyphens folded.
    pub fn resolve(&self, name: &str) -> Option<&GazetteerEntry> {
        if let Some(entry) = self.resolve_exact(name) {
            return Some(entry);
        }
        if !name.contains([',', '(']) {
            return None;
        }
        parse_heading(name)
            .lookup_forms
            .iter()
            .find_map(|form| self.resolve_exact(form))
    }

    fn resolve_exact(&self, name: &str) -> Option<&GazetteerEntry> {
        self.by_name.get(&name_key(name)).map(|&i| &self.entries[i])
    }

    /// Types a name by evidence: the gazetteer (authority file, then person
    /// cards), then the heading's form, then the block's kind when the list's
    /// heading gives one; otherwise an agent of unknown kind.
    pub fn type_name(&self, name: &str, block: Option<EntityKind>) -> TypedName<'_> {
        if let Some(entry) = self.resolve(name) {
            let evidence = if entry.from_authority {
                Evidence::Authority
            } else {
                Evidence::PersonPage
            };
            return TypedName {
                kind: entry.kind,
                evidence,
                source: Ok(entry),
            };
        }
        let heading = parse_heading(name);
        let (kind, evidence) = match (heading.form, block) {
            (_, Some(kind)) => (kind, Evidence::Block),
            (HeadingForm::Person, None) => (EntityKind::Person, Evidence::HeadingForm),
            (HeadingForm::Organisation, None) => (EntityKind::Organisation, Evidence::HeadingForm),
            (HeadingForm::Unknown, None) => (EntityKind::Agent, Evidence::None),
        };
        TypedName {
            kind,
            evidence,
            source: Err(heading),
        }
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
        let set = self.names.get(&name_key(name))?;
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
            self.names.entry(name_key(form)).or_default().insert(index);
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

/// Resolves the names a record lists against the gazetteer, types the names
/// of lists that do not say what they are, and adds the names its text
/// mentions. Names the gazetteer does not know are kept as they are. Returns
/// how the untyped lists' names were typed.
pub fn annotate(record: &mut Record, gazetteer: &Gazetteer) -> NameTyping {
    let mut typing = NameTyping::default();
    match record {
        Record::Document(doc) => {
            for r in std::mem::take(&mut doc.agents) {
                let typed = gazetteer.type_name(r.printed(), None);
                typing.count(typed.evidence);
                let resolved = resolved_ref(&r, typed.source.ok());
                match typed.kind {
                    EntityKind::Person => doc.people.push(resolved),
                    EntityKind::Place => doc.places.push(resolved),
                    EntityKind::Organisation | EntityKind::Archive => {
                        doc.organisations.push(resolved)
                    }
                    EntityKind::Agent => doc.agents.push(resolved),
                }
            }
            for r in doc.creators.iter_mut().chain(doc.contributors.iter_mut()) {
                let typed = gazetteer.type_name(r.printed(), None);
                typing.count(typed.evidence);
                *r = resolved_ref(r, typed.source.ok());
            }
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
    typing
}

/// A reference resolved to a gazetteer entry (keeping the printed heading), or
/// the reference unchanged.
fn resolved_ref(r: &EntityRef, entry: Option<&GazetteerEntry>) -> EntityRef {
    match entry {
        Some(entry) => {
            let mut resolved = entity_ref(entry);
            let printed = r.printed();
            if printed != resolved.name {
                resolved.heading = Some(printed.to_owned());
            }
            resolved
        }
        None => r.clone(),
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
        if let Some(entry) = gazetteer.resolve(r.printed()).filter(|e| e.kind == kind) {
            *r = resolved_ref(r, Some(entry));
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
        heading: None,
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
    fn headings_resolve_in_either_order_with_diacritics_folded() {
        let records = [
            person("mao-zedong", "Mao Zedong", &["Mao Tse-tung"]),
            person("sato-eisaku", "Sato Eisaku", &[]),
        ];
        let g = Gazetteer::from_records(&records);
        let key = |name: &str| g.resolve(name).map(|e| e.key.clone());
        assert_eq!(key("Mao, Zedong").as_deref(), Some("mao-zedong"));
        assert_eq!(key("Mao, Zedong, 1893-1976").as_deref(), Some("mao-zedong"));
        assert_eq!(key("Satō, Eisaku").as_deref(), Some("sato-eisaku"));
        assert_eq!(key("mao tse tung").as_deref(), Some("mao-zedong"));
        let typed = g.type_name("Mao, Zedong", None);
        assert_eq!(
            (typed.kind, typed.evidence),
            (EntityKind::Person, Evidence::Authority)
        );
        let typed = g.type_name("Japan. Foreign Ministry", None);
        assert_eq!(
            (typed.kind, typed.evidence),
            (EntityKind::Organisation, Evidence::HeadingForm)
        );
        let typed = g.type_name("Stalin, Joseph, 1879-1953", None);
        assert_eq!(
            (typed.kind, typed.evidence),
            (EntityKind::Person, Evidence::HeadingForm)
        );
        let typed = g.type_name("Primakov", None);
        assert_eq!(
            (typed.kind, typed.evidence),
            (EntityKind::Agent, Evidence::None)
        );
        // A list that says what it holds decides for names with no entry.
        let typed = g.type_name("Soviet Union", Some(EntityKind::Place));
        assert_eq!(
            (typed.kind, typed.evidence),
            (EntityKind::Place, Evidence::Block)
        );
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
