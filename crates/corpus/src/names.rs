//! Names: a person's preferred name and variants, built in the style of their culture.

use std::collections::HashSet;

use fastrand::Rng;

use crate::random::{capitalise, chance, initial, name_key, pairs, pick};
use crate::tables::{Culture, Style, TRANSLATOR_FAMILY, TRANSLATOR_GIVEN};

/// A person's names as built: the preferred form and the variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Names {
    pub(crate) name: String,
    pub(crate) variants: Vec<String>,
    /// The variant a signature or a "From:" line uses ("N.S. Khrushchev"), if any.
    pub(crate) formal: Option<String>,
}

pub(crate) struct Pools {
    pub(crate) given: Vec<(&'static str, &'static str)>,
    pub(crate) given_female: Vec<(&'static str, &'static str)>,
    pub(crate) family: Vec<(&'static str, &'static str)>,
    pub(crate) extra: Vec<(&'static str, &'static str)>,
}

impl Pools {
    pub(crate) fn of(culture: &Culture) -> Self {
        let mut given = pairs(culture.given);
        given.dedup();
        Self {
            given,
            given_female: pairs(culture.given_female),
            family: pairs(culture.family),
            extra: pairs(culture.extra),
        }
    }
}

/// A surname with two letters inside swapped ("Khrushchev" → "Khurshchev"), as typists did.
pub(crate) fn typo(surname: &str) -> Option<String> {
    let chars: Vec<char> = surname.chars().collect();
    if chars.len() < 5 {
        return None;
    }
    let at = 1 + (chars.len() - 3) / 2;
    let (a, b) = (chars[at], chars[at + 1]);
    if a == b || !a.is_ascii_lowercase() || !b.is_ascii_lowercase() {
        return None;
    }
    let mut out = chars.clone();
    out.swap(at, at + 1);
    Some(out.into_iter().collect())
}

/// Another transliteration of a Russian surname ("Malinovsky" → "Malinovskii", "Yegorov" → "Egorov").
pub(crate) fn transliterate_russian(surname: &str) -> Option<String> {
    if let Some(stem) = surname.strip_suffix("sky") {
        return Some(format!("{stem}skii"));
    }
    if let Some(stem) = surname.strip_suffix("ev") {
        if stem.ends_with("ch") || stem.ends_with("sh") || stem.ends_with("zh") {
            return Some(format!("{stem}ov"));
        }
    }
    if let Some(rest) = surname.strip_prefix("Ye") {
        return Some(format!("E{rest}"));
    }
    if surname.contains("ya") {
        return Some(surname.replacen("ya", "ia", 1));
    }
    if let Some(stem) = surname.strip_suffix("iev") {
        return Some(format!("{stem}yev"));
    }
    if let Some(stem) = surname.strip_suffix("ov") {
        return Some(format!("{stem}ow"));
    }
    None
}

pub(crate) fn feminine_russian(surname: &str) -> String {
    if let Some(stem) = surname.strip_suffix("sky") {
        format!("{stem}skaya")
    } else if surname.ends_with("ov") || surname.ends_with("ev") || surname.ends_with("in") {
        format!("{surname}a")
    } else {
        surname.to_owned()
    }
}

/// Builds a name of a culture. `level` > 0 asks for a rarer form (after collisions).
pub(crate) fn build_names(rng: &mut Rng, culture: &Culture, pools: &Pools, level: u32) -> Names {
    let mut variants = Vec::new();
    let formal;
    let name;
    let typo_wanted = chance(rng, 7);
    match culture.style {
        Style::Russian => {
            let female = !pools.given_female.is_empty() && chance(rng, 7);
            let (given, given_alt) = *pick(
                rng,
                if female {
                    &pools.given_female
                } else {
                    &pools.given
                },
            );
            let mut surname = pick(rng, &pools.family).0.to_owned();
            if level >= 3 {
                surname = format!("{surname}-{}", pick(rng, &pools.family).0);
            }
            if female {
                surname = feminine_russian(&surname);
            }
            let mut patronymic = pick(rng, &pools.extra).0.to_owned();
            if female {
                patronymic = patronymic.replace("ich", "na");
            }
            let full = format!("{given} {patronymic} {surname}");
            let initials = format!("{}{} {surname}", initial(given), initial(&patronymic));
            name = if level >= 1 {
                full.clone()
            } else {
                format!("{given} {surname}")
            };
            if level == 0 {
                variants.push(full);
            }
            variants.push(initials.clone());
            formal = Some(initials);
            if chance(rng, 55) {
                variants.push(surname.clone());
            }
            if chance(rng, 30) {
                variants.push(format!("Comrade {surname}"));
            }
            if given_alt != given && chance(rng, 60) {
                variants.push(format!("{given_alt} {surname}"));
            }
            if chance(rng, 35) {
                if let Some(other) = transliterate_russian(&surname) {
                    variants.push(format!("{given} {other}"));
                }
            }
            if typo_wanted {
                if let Some(t) = typo(&surname) {
                    variants.push(t);
                }
            }
        }
        Style::Chinese => {
            let (family, family_wg) = *pick(rng, &pools.family);
            let two = level >= 1 || chance(rng, 82);
            let (s1, w1) = *pick(rng, &pools.extra);
            let mut given = capitalise(s1);
            let mut given_wg = capitalise(w1);
            let mut given_wg_caps = given_wg.clone();
            if two {
                let (s2, w2) = *pick(rng, &pools.extra);
                if s2.starts_with(['a', 'e', 'o']) {
                    given.push('\'');
                }
                given.push_str(s2);
                given_wg = format!("{given_wg}-{w2}");
                given_wg_caps = format!("{given_wg_caps}-{}", capitalise(w2));
            }
            if level >= 3 {
                let (s3, w3) = *pick(rng, &pools.extra);
                given.push_str(s3);
                given_wg = format!("{given_wg}-{w3}");
            }
            name = format!("{family} {given}");
            let wade = format!("{family_wg} {given_wg}");
            if wade != name {
                variants.push(wade.clone());
            }
            if two && chance(rng, 20) {
                variants.push(format!("{family_wg} {given_wg_caps}"));
            }
            if chance(rng, 25) {
                variants.push(format!("{given} {family}"));
            }
            if chance(rng, 20) {
                variants.push(format!("Comrade {name}"));
            }
            formal = variants.first().cloned();
        }
        Style::Korean => {
            let (family, family_alt) = *pick(rng, &pools.family);
            let (s1, a1) = *pick(rng, &pools.extra);
            let (s2, a2) = *pick(rng, &pools.extra);
            let spaced = format!("{family} {} {}", capitalise(s1), capitalise(s2));
            let hyphened = format!("{family} {}-{s2}", capitalise(s1));
            let (preferred, other) = if chance(rng, 50) {
                (spaced, hyphened)
            } else {
                (hyphened, spaced)
            };
            name = if level >= 2 {
                format!("{preferred} {}", capitalise(pick(rng, &pools.extra).0))
            } else {
                preferred
            };
            if level < 2 {
                variants.push(other);
            }
            let alternative = format!("{family_alt} {}-{a2}", capitalise(a1));
            if name_key(&alternative) != name_key(&name) {
                variants.push(alternative);
            }
            if chance(rng, 25) {
                variants.push(format!("{}-{s2} {family}", capitalise(s1)));
            }
            if chance(rng, 20) {
                variants.push(format!("Comrade {name}"));
            }
            formal = None;
        }
        Style::Vietnamese => {
            let (family, family_d) = *pick(rng, &pools.family);
            let (middle, middle_d) = *pick(rng, &pools.extra);
            let (given, given_d) = *pick(rng, &pools.given);
            let (second, second_d) = if level >= 1 {
                let (m, d) = *pick(rng, &pools.extra);
                (format!(" {m}"), format!(" {d}"))
            } else {
                (String::new(), String::new())
            };
            name = format!("{family} {middle}{second} {given}");
            let diacritics = format!("{family_d} {middle_d}{second_d} {given_d}");
            if diacritics != name {
                variants.push(diacritics);
            }
            variants.push(format!("{family} {}{second} {given}", initial(middle)));
            if chance(rng, 30) {
                variants.push(format!("Comrade {given}"));
            }
            formal = variants.last().cloned();
        }
        Style::Mongolian => {
            let (patronymic, _) = *pick(rng, &pools.family);
            let (given, _) = *pick(rng, &pools.given);
            let given = if level >= 1 {
                format!("{given}-{}", pick(rng, &pools.given).0)
            } else {
                given.to_owned()
            };
            name = format!("{patronymic} {given}");
            let short: String = patronymic.chars().take(2).collect();
            let initials = format!("{short}. {given}");
            variants.push(initials.clone());
            formal = Some(initials);
            if chance(rng, 50) {
                variants.push(given.clone());
            }
            if chance(rng, 25) {
                variants.push(format!("{given} {patronymic}"));
            }
        }
        Style::Western {
            family_first,
            comrade,
            maternal,
        } => {
            let female = !pools.given_female.is_empty() && chance(rng, 8);
            let (given, given_d) = *pick(
                rng,
                if female {
                    &pools.given_female
                } else {
                    &pools.given
                },
            );
            let (family, family_d) = *pick(rng, &pools.family);
            let middle = match level {
                0 => String::new(),
                1 => format!(" {}", initial(&rng.uppercase().to_string())),
                _ => format!(
                    " {}{}",
                    initial(&rng.uppercase().to_string()),
                    initial(&rng.uppercase().to_string())
                ),
            };
            name = format!("{given}{middle} {family}");
            let accented = format!("{given_d}{middle} {family_d}");
            if accented != name {
                variants.push(accented);
            }
            let formal_form = format!("{} {family}", initial(given));
            variants.push(formal_form.clone());
            formal = Some(formal_form);
            if family_first {
                variants.push(format!("{family_d} {given_d}"));
            }
            if maternal {
                let (second, second_d) = *pick(rng, &pools.family);
                if second != family {
                    variants.push(format!("{given_d}{middle} {family_d} {second_d}"));
                }
            }
            if chance(rng, 45) {
                variants.push(family.to_owned());
            }
            if comrade && chance(rng, 30) {
                variants.push(format!("Comrade {family}"));
            }
            if typo_wanted {
                if let Some(t) = typo(family) {
                    variants.push(format!("{given} {t}"));
                }
            }
        }
    }
    let mut seen = HashSet::new();
    seen.insert(name.to_lowercase());
    variants.retain(|v| seen.insert(v.to_lowercase()));
    Names {
        name,
        variants,
        formal,
    }
}

pub(crate) fn translator_names(rng: &mut Rng, level: u32) -> Names {
    let given = pairs(*TRANSLATOR_GIVEN);
    let family = pairs(*TRANSLATOR_FAMILY);
    let g = pick(rng, &given).0;
    let f = pick(rng, &family).0;
    let name = match level {
        0 => format!("{g} {f}"),
        _ => format!("{g} {}-{f}", pick(rng, &family).0),
    };
    Names {
        name,
        variants: Vec::new(),
        formal: None,
    }
}
