//! The world: the people, places, organisations and archives the documents and events name.

use std::collections::{HashMap, HashSet};

use fastrand::Rng;

use chronograph_core::ids::slug;

use crate::names::{build_names, translator_names, Names, Pools};
use crate::random::{chance, name_key, pick, pick_str, record_rng, weighted, Stream};
use crate::tables::{
    Bloc, Culture, Nation, ARCHIVES, CULTURES, FAMOUS, FIRST_CITY, FUNDERS, NATIONS, ORGANISATIONS,
    PLACES, POSITIONS, ROLES, TRANSLATOR_LANGUAGES,
};
use crate::templates::fixed_words;
use crate::{CorpusOptions, YEARS};

/// A person of the corpus.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) variants: Vec<String>,
    pub(crate) formal: Option<String>,
    pub(crate) life_span: Option<String>,
    pub(crate) region: &'static str,
    pub(crate) description: String,
    /// The years the person may be named in documents and events.
    pub(crate) active: (i32, i32),
}

/// A place, organisation or archive.
#[derive(Debug, Clone)]
pub(crate) struct Entity {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) variants: Vec<String>,
    pub(crate) description: Option<String>,
}

/// Everything the documents and events are made of.
pub(crate) struct World {
    pub(crate) people: Vec<Person>,
    /// People `0..historical` are historical; the rest are translators.
    pub(crate) historical: usize,
    /// Cumulative popularity of the historical people.
    pub(crate) popularity: Vec<f64>,
    pub(crate) places: Vec<Entity>,
    /// Indices of cities and countries in `places`.
    pub(crate) cities: Vec<usize>,
    pub(crate) countries: Vec<usize>,
    pub(crate) organisations: Vec<Entity>,
    /// Per nation: its ministry, and its embassies abroad (organisation indices) by host nation.
    pub(crate) ministries: Vec<usize>,
    pub(crate) embassies: Vec<Vec<(usize, usize)>>,
    /// Organisations that are not ministries or embassies, and the funders.
    pub(crate) others: Vec<usize>,
    pub(crate) funders: Vec<usize>,
    pub(crate) archives: Vec<Entity>,
    /// Per archive: its nation's index.
    pub(crate) archive_nation: Vec<usize>,
    pub(crate) archive_weights: Vec<(usize, u32)>,
    /// Translators by the language they translate from.
    pub(crate) translators: HashMap<&'static str, Vec<usize>>,
}

fn entity(name: &str, variants: &str, description: &str) -> Entity {
    Entity {
        id: slug(name),
        name: name.to_owned(),
        variants: variants
            .split(';')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect(),
        description: (!description.is_empty()).then(|| description.to_owned()),
    }
}

fn nation_index(country: &str) -> usize {
    NATIONS
        .iter()
        .position(|n| n.country == country)
        .unwrap_or(0)
}

/// Whether nation `a` keeps an embassy in nation `b`'s capital.
fn has_embassy(a: &Nation, b: &Nation) -> bool {
    let koreas = |n: &Nation| n.country.ends_with("Korea");
    if std::ptr::eq(a, b) || (koreas(a) && koreas(b)) {
        return false;
    }
    a.bloc == b.bloc
        || a.bloc == Bloc::NonAligned
        || b.bloc == Bloc::NonAligned
        || (a.outward && b.outward)
}

impl World {
    pub(crate) fn new(options: &CorpusOptions) -> Self {
        let places: Vec<Entity> = PLACES
            .iter()
            .map(|(name, variants, description, _)| entity(name, variants, description))
            .collect();
        let cities = (0..PLACES.len()).filter(|&i| !PLACES[i].3).collect();
        let countries = (0..PLACES.len()).filter(|&i| PLACES[i].3).collect();
        let mut organisations = Vec::new();
        let mut ministries = Vec::new();
        for nation in NATIONS.iter() {
            ministries.push(organisations.len());
            let description = format!("Foreign ministry of {}", nation.country);
            organisations.push(entity(
                nation.ministry,
                nation.ministry_variants,
                &description,
            ));
        }
        let mut embassies = vec![Vec::new(); NATIONS.len()];
        for (a, from) in NATIONS.iter().enumerate() {
            for (b, to) in NATIONS.iter().enumerate() {
                if has_embassy(from, to) {
                    embassies[a].push((b, organisations.len()));
                    let name = format!("{} Embassy in {}", from.adjective, to.capital);
                    let description = format!("Embassy of {} in {}", from.country, to.country);
                    organisations.push(entity(&name, "", &description));
                }
            }
        }
        let mut others = Vec::new();
        for (name, variants, description) in ORGANISATIONS.iter() {
            others.push(organisations.len());
            organisations.push(entity(name, variants, description));
        }
        let mut funders = Vec::new();
        for (name, variants, description) in FUNDERS.iter() {
            funders.push(organisations.len());
            organisations.push(entity(name, variants, description));
        }
        let archives: Vec<Entity> = ARCHIVES
            .iter()
            .map(|a| {
                entity(
                    a.name,
                    a.variants,
                    &format!("Holding archive ({} records)", a.language),
                )
            })
            .collect();
        let archive_nation = ARCHIVES.iter().map(|a| nation_index(a.nation)).collect();
        let archive_weights = ARCHIVES
            .iter()
            .enumerate()
            .map(|(i, a)| (i, a.weight))
            .collect();

        let mut world = World {
            people: Vec::with_capacity(options.people),
            historical: 0,
            popularity: Vec::new(),
            places,
            cities,
            countries,
            organisations,
            ministries,
            embassies,
            others,
            funders,
            archives,
            archive_nation,
            archive_weights,
            translators: HashMap::new(),
        };
        world.make_people(options);
        world.drop_shared_variants();
        world
    }

    pub(crate) fn make_people(&mut self, options: &CorpusOptions) {
        let translators = (options.people / 25).clamp(1, 60);
        let historical = options.people - translators;
        self.historical = historical;
        let pools: Vec<Pools> = CULTURES.iter().map(Pools::of).collect();
        let culture_weights: Vec<(usize, u32)> = CULTURES
            .iter()
            .enumerate()
            .map(|(i, c)| (i, c.weight))
            .collect();
        // Names already taken (by key), and ids: a new preferred name must be new.
        let mut taken: HashSet<String> = FAMOUS.iter().map(|s| (*s).to_owned()).collect();
        let mut ids: HashSet<String> = HashSet::new();
        for e in self
            .places
            .iter()
            .chain(&self.organisations)
            .chain(&self.archives)
        {
            taken.insert(name_key(&e.name));
            taken.extend(e.variants.iter().map(|v| name_key(v)));
        }
        for index in 0..options.people {
            let mut rng = record_rng(options.seed, Stream::Person, index as u64, 0);
            let translator = index >= historical;
            let culture = weighted(&mut rng, &culture_weights);
            let mut attempt = 0u32;
            let names = loop {
                let names = if translator {
                    translator_names(&mut rng, attempt / 8)
                } else {
                    build_names(&mut rng, &CULTURES[culture], &pools[culture], attempt / 8)
                };
                let key = name_key(&names.name);
                let id = slug(&names.name);
                if !taken.contains(&key) && !ids.contains(&id) {
                    taken.insert(key);
                    taken.extend(names.variants.iter().map(|v| name_key(v)));
                    ids.insert(id);
                    break names;
                }
                attempt += 1;
            };
            let person = if translator {
                let language =
                    TRANSLATOR_LANGUAGES[(index - historical) % TRANSLATOR_LANGUAGES.len()];
                self.translators.entry(language).or_default().push(index);
                Person {
                    id: slug(&names.name),
                    name: names.name,
                    variants: names.variants,
                    formal: None,
                    life_span: None,
                    region: "North America",
                    description: format!("Translator ({language})"),
                    active: (YEARS.0, YEARS.1),
                }
            } else {
                historical_person(&mut rng, &CULTURES[culture], names)
            };
            self.people.push(person);
        }
        let mut total = 0.0;
        self.popularity = (0..historical)
            .map(|i| {
                total += 1.0 / (i as f64 + 8.0);
                total
            })
            .collect();
    }

    /// Leaves out every variant that another entity also has (or that is another's name),
    /// so each name in the authority file names one entity.
    pub(crate) fn drop_shared_variants(&mut self) {
        let mut count: HashMap<String, u32> = HashMap::new();
        let forms = |name: &String, variants: &Vec<String>| {
            let mut own: Vec<String> = std::iter::once(name)
                .chain(variants)
                .map(|f| f.to_lowercase())
                .collect();
            own.sort();
            own.dedup();
            own
        };
        for p in &self.people {
            for f in forms(&p.name, &p.variants) {
                *count.entry(f).or_default() += 1;
            }
        }
        for e in self
            .places
            .iter()
            .chain(&self.organisations)
            .chain(&self.archives)
        {
            for f in forms(&e.name, &e.variants) {
                *count.entry(f).or_default() += 1;
            }
        }
        let fixed = fixed_words();
        let unique = |v: &String| {
            count.get(&v.to_lowercase()).copied() == Some(1) && !fixed.contains(v.as_str())
        };
        for p in &mut self.people {
            p.variants.retain(unique);
            if p.formal.as_ref().is_some_and(|f| !unique(f)) {
                p.formal = None;
            }
        }
        for e in self
            .places
            .iter_mut()
            .chain(self.organisations.iter_mut())
            .chain(self.archives.iter_mut())
        {
            e.variants.retain(unique);
        }
    }

    /// A historical person, drawn by popularity among those active in `year`.
    pub(crate) fn popular_person(&self, rng: &mut Rng, year: i32) -> usize {
        let total = self.popularity[self.historical - 1];
        let mut best = 0;
        for _ in 0..12 {
            let at = rng.f64() * total;
            let i = self
                .popularity
                .partition_point(|&c| c <= at)
                .min(self.historical - 1);
            let (from, to) = self.people[i].active;
            if (from..=to).contains(&year) {
                return i;
            }
            best = i;
        }
        best
    }

    /// `count` distinct historical people active in `year` (fewer if there are not so many).
    pub(crate) fn people_for(&self, rng: &mut Rng, count: usize, year: i32, out: &mut Vec<usize>) {
        let count = count.min(self.historical);
        let mut tries = 0;
        while out.len() < count && tries < count * 20 {
            let p = self.popular_person(rng, year);
            if !out.contains(&p) {
                out.push(p);
            }
            tries += 1;
        }
        let mut next = 0;
        while out.len() < count {
            if !out.contains(&next) {
                out.push(next);
            }
            next += 1;
        }
    }

    /// How the text names a person: the preferred name mostly, sometimes a variant.
    pub(crate) fn person_form(&self, rng: &mut Rng, p: usize, percent_variant: u32) -> &str {
        let person = &self.people[p];
        if !person.variants.is_empty() && chance(rng, percent_variant) {
            pick(rng, &person.variants).as_str()
        } else {
            &person.name
        }
    }

    pub(crate) fn entity_form<'a>(rng: &mut Rng, e: &'a Entity, percent_variant: u32) -> &'a str {
        if !e.variants.is_empty() && chance(rng, percent_variant) {
            pick(rng, &e.variants).as_str()
        } else {
            &e.name
        }
    }
}

fn historical_person(rng: &mut Rng, culture: &Culture, names: Names) -> Person {
    let birth = 1885 + (rng.f64().sqrt() * 60.0) as i32;
    let mut death = birth + 40 + rng.i32(0..=55);
    if death < 1950 {
        death = 1950 + rng.i32(0..=15);
    }
    let nationality = if chance(rng, 20) {
        culture.other_nationality
    } else {
        culture.nationality
    };
    let life_span = match rng.u32(0..100) {
        _ if death > 2023 => None,
        0..=54 => Some(format!("{birth}-{death}")),
        55..=79 => Some(format!("{birth}- {death}")),
        _ => None,
    };
    let from = (birth + 22).max(YEARS.0);
    let to = death.min(YEARS.1).max(from);
    let role = pick_str(rng, &ROLES);
    let description = if chance(rng, 45) {
        let city = PLACES[rng.usize(FIRST_CITY..PLACES.len())].0;
        format!("{nationality} {role}; {} {city}", pick_str(rng, &POSITIONS))
    } else {
        format!("{nationality} {role}")
    };
    Person {
        id: slug(&names.name),
        name: names.name,
        variants: names.variants,
        formal: names.formal,
        life_span,
        region: culture.region,
        description,
        active: (from, to),
    }
}
