//! Filling templates: the names, places and organisations of a document or event, and numbers; slugs.

use fastrand::Rng;

use chronograph_core::dates::MONTH_NAMES as MONTHS;
use chronograph_core::ids::slug;

use crate::random::{chance, pick, pick_str};
use crate::tables::{AGREEMENTS, COMMODITIES, MATTERS, NATIONS, PLACES};
use crate::templates::{Seg, Slot};
use crate::world::World;
use crate::YEARS;

/// What a template's slots are filled from.
pub(crate) struct Fill<'w> {
    pub(crate) world: &'w World,
    /// The people a text may name (a document's people, or an event's in order).
    pub(crate) people: &'w [usize],
    /// Percent of names written as a variant rather than the preferred name.
    pub(crate) variant_percent: u32,
    /// Places, organisations and nations of the document, drawn on first.
    pub(crate) cities: &'w [usize],
    pub(crate) orgs: &'w [usize],
    pub(crate) nations: &'w [usize],
    pub(crate) year: i32,
    /// What the text named: places and organisations (indices), for the pills.
    pub(crate) named_places: Vec<usize>,
    pub(crate) named_orgs: Vec<usize>,
}

impl Fill<'_> {
    pub(crate) fn name(&self, rng: &mut Rng, p: usize, out: &mut String) {
        out.push_str(self.world.person_form(rng, p, self.variant_percent));
    }

    pub(crate) fn city(&mut self, rng: &mut Rng, out: &mut String) {
        let i = if !self.cities.is_empty() && chance(rng, 65) {
            *pick(rng, self.cities)
        } else {
            *pick(rng, &self.world.cities)
        };
        if !self.named_places.contains(&i) {
            self.named_places.push(i);
        }
        out.push_str(World::entity_form(rng, &self.world.places[i], 25));
    }

    pub(crate) fn country(&mut self, rng: &mut Rng, out: &mut String) {
        let i = if !self.nations.is_empty() && chance(rng, 70) {
            let nation = &NATIONS[*pick(rng, self.nations)];
            PLACES
                .iter()
                .position(|p| p.0 == nation.country)
                .unwrap_or(0)
        } else {
            *pick(rng, &self.world.countries)
        };
        if !self.named_places.contains(&i) {
            self.named_places.push(i);
        }
        let form = World::entity_form(rng, &self.world.places[i], 30);
        if needs_article(form) {
            out.push_str("the ");
        }
        out.push_str(form);
    }

    pub(crate) fn org(&mut self, rng: &mut Rng, out: &mut String) {
        let i = if !self.orgs.is_empty() && chance(rng, 70) {
            *pick(rng, self.orgs)
        } else {
            *pick(rng, &self.world.others)
        };
        if !self.named_orgs.contains(&i) {
            self.named_orgs.push(i);
        }
        out.push_str(World::entity_form(rng, &self.world.organisations[i], 30));
    }

    /// Appends a template with its slots filled. `p` and `q` are indices into `people`.
    pub(crate) fn render(
        &mut self,
        rng: &mut Rng,
        template: &[Seg],
        p: usize,
        q: usize,
        out: &mut String,
    ) {
        for seg in template {
            match *seg {
                Seg::Text(t) => out.push_str(t),
                Seg::Slot(slot) => self.slot(rng, slot, p, q, out),
            }
        }
    }

    pub(crate) fn slot(&mut self, rng: &mut Rng, slot: Slot, p: usize, q: usize, out: &mut String) {
        match slot {
            Slot::P => self.name(rng, self.people[p], out),
            Slot::Q => self.name(rng, self.people[q], out),
            Slot::Rest => {
                let rest = &self.people[2.min(self.people.len())..];
                match rest.len() {
                    0 => {}
                    1 => {
                        let semicolon = chance(rng, 50);
                        out.push_str(if semicolon { "; " } else { ", with " });
                        self.name(rng, rest[0], out);
                        out.push_str(if semicolon {
                            " is also present"
                        } else {
                            " also present"
                        });
                    }
                    _ => {
                        out.push_str("; ");
                        for (i, &r) in rest.iter().enumerate() {
                            if i + 1 == rest.len() {
                                out.push_str(" and ");
                            } else if i > 0 {
                                out.push_str(", ");
                            }
                            self.name(rng, r, out);
                        }
                        out.push_str(" also take part");
                    }
                }
            }
            Slot::City => self.city(rng, out),
            Slot::Country => self.country(rng, out),
            Slot::Org => self.org(rng, out),
            Slot::Nat => {
                let nation = if self.nations.is_empty() {
                    pick(rng, &NATIONS)
                } else {
                    &NATIONS[*pick(rng, self.nations)]
                };
                out.push_str(nation.adjective);
            }
            Slot::Matter => out.push_str(pick_str(rng, &MATTERS)),
            Slot::Agreement => out.push_str(pick_str(rng, &AGREEMENTS)),
            Slot::Commodity => out.push_str(pick_str(rng, &COMMODITIES)),
            Slot::Num => {
                push_number(out, rng.u32(2..=400));
            }
            Slot::Big => {
                push_number(out, rng.u32(2..=900));
                out.push_str(",000");
            }
            Slot::Hours => {
                push_number(out, rng.u32(2..=5));
            }
            Slot::Percent => {
                push_number(out, rng.u32(5..=60));
            }
            Slot::Month => out.push_str(MONTHS[rng.usize(0..12)]),
            Slot::Year => {
                let year = (self.year + rng.i32(-2..=1)).clamp(YEARS.0, YEARS.1);
                push_number(out, year.unsigned_abs());
            }
            Slot::DayMonth => {
                push_number(out, rng.u32(1..=28));
                out.push(' ');
                out.push_str(MONTHS[rng.usize(0..12)]);
            }
        }
    }
}

/// Appends a number in decimal (without the formatting machinery: text is mostly slots).
pub(crate) fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| d as char));
}

/// [`slug`], without its Unicode normalisation for ASCII text (where it changes nothing).
pub(crate) fn quick_slug(text: &str) -> String {
    if !text.is_ascii() {
        return slug(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    let mut out: String = trimmed.chars().take(80).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        return slug(text);
    }
    out
}

/// Whether a country's name takes "the" in running text ("the DPRK", "the Soviet Union").
pub(crate) fn needs_article(form: &str) -> bool {
    let abbreviation = form
        .chars()
        .all(|c| c.is_uppercase() || c == '.' || c == 'Č');
    abbreviation
        || [
            "Soviet",
            "United",
            "Democratic",
            "Republic",
            "People's",
            "Federal",
            "German",
            "Socialist",
        ]
        .iter()
        .any(|w| form.starts_with(w))
        || form.ends_with("Republic")
        || form.ends_with("Republic of Korea")
        || form.ends_with("Republic of China")
        || form.ends_with("Republic of Vietnam")
}
