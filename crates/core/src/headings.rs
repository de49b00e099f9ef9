//! Names as the archive prints them: library authority headings.
//!
//! The live archive lists people and bodies by their authority headings, not by
//! display names: `Satō, Eisaku`; `Gorbachev, Mikhail Sergeevich, 1931-`;
//! `Chiang, Ching-kuo (Jiang Jingguo)`; `Blair, Anthony Charles Lynton ("Tony")`;
//! corporate bodies with a dotted hierarchy (`Japan. Foreign Ministry. Asian
//! Affairs Bureau`) or a word that names a body (`Japan-China Import-Export
//! Association`). [`parse_heading`] reads one such string into its parts and says
//! what its form shows: a person, an organisation, or nothing certain.
//!
//! The form is evidence, not proof: the mention stage asks the authority file
//! first and falls back on the form only for names the authority does not list
//! (see [`crate::mentions::Gazetteer::type_name`]). This module is a leaf: it knows
//! no records, no IRIs and no store.

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// What a heading's form shows about the thing it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeadingForm {
    /// An inverted personal name (`Surname, Forenames[, dates]`).
    Person,
    /// A corporate body: a dotted hierarchy or a word that names a body.
    Organisation,
    /// Nothing in the form decides.
    Unknown,
}

/// One heading read into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// The heading as printed (whitespace squashed).
    pub heading: String,
    /// The name in natural order (`Eisaku Satō`), or the heading itself when
    /// it is not an inverted personal name.
    pub display: String,
    /// Other forms the heading gives: an alternate form in parentheses, the
    /// nickname with the surname (`Tony Blair`).
    pub variants: Vec<String>,
    /// Life dates in the heading (`1879-1953`, `1931-`), as printed.
    pub life_dates: Option<String>,
    /// What the form shows.
    pub form: HeadingForm,
    /// For a subordinate body (`Japan. Foreign Ministry. Asian Affairs
    /// Bureau`), the heading of the body above it (`Japan. Foreign Ministry`);
    /// a first segment alone (`Japan`) is a jurisdiction, not a parent body.
    pub parent: Option<String>,
    /// Forms to look the name up under, most specific first (the heading,
    /// the display name, the other name order, the variants).
    pub lookup_forms: Vec<String>,
}

/// Words that name a corporate body wherever they stand in a heading.
const BODY_WORDS: &[&str] = &[
    "academy",
    "administration",
    "agency",
    "army",
    "assembly",
    "association",
    "bank",
    "board",
    "bureau",
    "cabinet",
    "command",
    "commission",
    "committee",
    "company",
    "congress",
    "consulate",
    "corporation",
    "council",
    "delegation",
    "department",
    "directorate",
    "division",
    "embassy",
    "federation",
    "foundation",
    "front",
    "government",
    "institute",
    "league",
    "legation",
    "library",
    "ministry",
    "mission",
    "navy",
    "office",
    "organization",
    "organisation",
    "parliament",
    "party",
    "politburo",
    "presidium",
    "secretariat",
    "service",
    "society",
    "union",
    "university",
    "archive",
    "archives",
];

/// Surnames written first in the natural order of Chinese, Korean and
/// Vietnamese names: `Mao, Zedong` is Mao Zedong, `Kim, Il-sung` Kim Il-sung
/// (Japanese names keep the Western order in English: `Satō, Eisaku` is Eisaku
/// Satō). Only a heading whose forenames are one or two words without initials
/// is read this way; the authority file decides for every name it lists.
const SURNAME_FIRST: &[&str] = &[
    "bai", "bui", "cai", "cao", "chae", "chang", "chen", "cheng", "chiang", "cho", "choe", "choi",
    "chou", "chu", "chung", "cui", "dai", "dang", "deng", "ding", "do", "dong", "du", "duan",
    "duong", "fang", "feng", "gao", "gu", "guo", "han", "hao", "he", "ho", "hoang", "hong", "hou",
    "hsiao", "hsieh", "hsu", "hu", "hua", "huang", "huynh", "hwang", "jang", "jeon", "jeong",
    "jia", "jiang", "jin", "jo", "kang", "kao", "kim", "kong", "kuo", "kwon", "le", "li", "liang",
    "liao", "lin", "liu", "lu", "luo", "ly", "mao", "meng", "ngo", "nguyen", "pak", "pan", "peng",
    "pham", "phan", "qian", "qiao", "qin", "ri", "shen", "shi", "song", "su", "sun", "tan", "tang",
    "teng", "tian", "tran", "truong", "tung", "vo", "vu", "wan", "wang", "wei", "wu", "xi", "xia",
    "xiao", "xie", "xiong", "xu", "xue", "yan", "yang", "yao", "ye", "yi", "yin", "yu", "yuan",
    "yun", "zeng", "zhang", "zhao", "zheng", "zhong", "zhou", "zhu", "zou",
];

static PERSON: LazyLock<Regex> = LazyLock::new(|| {
    // Surname, forenames, then an optional parenthesis (alternate form or
    // quoted nickname) and optional life dates, in either order.
    Regex::new(concat!(
        r#"^(?P<surname>[^,()"\d]+?),\s*(?P<given>[^,()"\d]+?)"#,
        r#"(?:\s*\((?P<paren>[^()]*)\))?"#,
        r#"(?:,\s*(?P<dates>(?:b\.\s*|d\.\s*|ca\.\s*)?\d{3,4}\??\s*-\s*(?:\d{3,4}\??)?|(?:b\.|d\.)\s*\d{3,4}))?"#,
        r#"(?:\s*\((?P<paren2>[^()]*)\))?\.?$"#,
    ))
    .unwrap_or_else(|e| panic!("person heading regex: {e}"))
});

/// Squashes runs of whitespace into one space and trims.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The key names are compared under: diacritics and case folded, hyphens as
/// spaces, whitespace squashed (`Satō` = `sato`, `Il-sung` = `il sung`).
pub fn name_key(text: &str) -> String {
    let folded: String = text
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            '-' | '‐' | '‑' | '–' | '—' => ' ',
            '’' | 'ʻ' | 'ʼ' | '`' => '\'',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect();
    squash(&folded).trim_end_matches('.').trim().to_owned()
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

fn has_body_word(text: &str) -> bool {
    words(text).any(|w| BODY_WORDS.contains(&w.as_str()))
}

/// A part of a personal name: words that start with a capital (or are
/// particles such as `de`, `von`), no digits.
fn looks_like_name_part(part: &str, max_words: usize) -> bool {
    let tokens: Vec<&str> = part.split_whitespace().collect();
    !tokens.is_empty()
        && tokens.len() <= max_words
        && tokens
            .iter()
            .any(|t| t.chars().next().is_some_and(char::is_uppercase))
        && tokens.iter().all(|t| {
            let first = t.chars().next().unwrap_or(' ');
            first.is_uppercase()
                || matches!(
                    *t,
                    "de" | "da"
                        | "del"
                        | "della"
                        | "der"
                        | "di"
                        | "du"
                        | "la"
                        | "le"
                        | "van"
                        | "von"
                        | "y"
                        | "bin"
                        | "ibn"
                        | "al"
                )
                || first == '\''
        })
}

/// The segments of a dotted hierarchy (`Japan. Foreign Ministry`), when the
/// heading is one: at least two segments, none of them a lone initial.
fn dotted_segments(heading: &str) -> Option<Vec<String>> {
    let segments: Vec<String> = heading
        .trim_end_matches('.')
        .split(". ")
        .map(|s| s.trim().to_owned())
        .collect();
    let real = segments.len() >= 2
        && segments
            .iter()
            .all(|s| s.chars().count() >= 3 && s.chars().next().is_some_and(char::is_uppercase));
    real.then_some(segments)
}

/// Reads one heading. Never fails: a string with no recognisable form is a
/// heading of [`HeadingForm::Unknown`] whose display name is the string itself.
pub fn parse_heading(text: &str) -> Heading {
    let heading = squash(text);
    let mut out = Heading {
        heading: heading.clone(),
        display: heading.clone(),
        variants: Vec::new(),
        life_dates: None,
        form: HeadingForm::Unknown,
        parent: None,
        lookup_forms: vec![heading.clone()],
    };
    if let Some(caps) = heading
        .contains(',')
        .then(|| PERSON.captures(&heading))
        .flatten()
    {
        let surname = caps.name("surname").map_or("", |m| m.as_str()).trim();
        let given = caps.name("given").map_or("", |m| m.as_str()).trim();
        if looks_like_name_part(surname, 4)
            && looks_like_name_part(given, 6)
            && !has_body_word(surname)
            && !has_body_word(given)
        {
            read_person(&mut out, surname, given, &caps);
            return out;
        }
    }
    if let Some(segments) = dotted_segments(&heading) {
        out.form = HeadingForm::Organisation;
        if segments.len() >= 3 {
            out.parent = Some(segments[..segments.len() - 1].join(". "));
        }
        return out;
    }
    if has_body_word(&heading) {
        out.form = HeadingForm::Organisation;
    }
    out
}

fn read_person(out: &mut Heading, surname: &str, given: &str, caps: &regex::Captures<'_>) {
    out.form = HeadingForm::Person;
    let surname_first = SURNAME_FIRST.contains(&name_key(surname).as_str())
        && given.split_whitespace().count() <= 2
        && !given.contains('.');
    let natural = format!("{given} {surname}");
    let eastern = format!("{surname} {given}");
    let (display, other) = if surname_first {
        (eastern, natural)
    } else {
        (natural, eastern)
    };
    out.display = display.clone();
    out.life_dates = caps
        .name("dates")
        .map(|m| m.as_str().replace(' ', ""))
        .filter(|d| !d.is_empty());
    for paren in [caps.name("paren"), caps.name("paren2")]
        .into_iter()
        .flatten()
    {
        let inner = paren.as_str().trim();
        let quoted = inner.trim_matches(['"', '“', '”', '\'']).trim();
        if quoted.is_empty() {
            continue;
        }
        if inner.starts_with(['"', '“']) {
            // A nickname stands for the forenames: `("Tony")` → Tony Blair.
            out.variants.push(format!("{quoted} {surname}"));
        } else {
            out.variants.push(quoted.to_owned());
        }
    }
    let without_dates = format!("{surname}, {given}");
    out.lookup_forms = vec![out.heading.clone(), display, other, without_dates];
    out.lookup_forms.extend(out.variants.iter().cloned());
    let mut seen = std::collections::HashSet::new();
    out.lookup_forms.retain(|f| seen.insert(name_key(f)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverted_personal_names_read_in_natural_order() {
        let h = parse_heading("Satō, Eisaku");
        assert_eq!(h.form, HeadingForm::Person);
        assert_eq!(h.display, "Eisaku Satō");
        let h = parse_heading("Mao, Zedong");
        assert_eq!(
            (h.form, h.display.as_str()),
            (HeadingForm::Person, "Mao Zedong")
        );
        assert!(h.lookup_forms.contains(&"Zedong Mao".to_owned()));
        let h = parse_heading("Stalin, Joseph, 1879-1953");
        assert_eq!(h.display, "Joseph Stalin");
        assert_eq!(h.life_dates.as_deref(), Some("1879-1953"));
        let h = parse_heading("Gorbachev, Mikhail Sergeevich, 1931-");
        assert_eq!(h.display, "Mikhail Sergeevich Gorbachev");
        assert_eq!(h.life_dates.as_deref(), Some("1931-"));
    }

    #[test]
    fn alternate_forms_and_nicknames_become_variants() {
        let h = parse_heading("Chiang, Ching-kuo (Jiang Jingguo)");
        assert_eq!(h.display, "Chiang Ching-kuo");
        assert_eq!(h.variants, vec!["Jiang Jingguo"]);
        let h = parse_heading(r#"Blair, Anthony Charles Lynton ("Tony")"#);
        assert_eq!(h.form, HeadingForm::Person);
        assert_eq!(h.display, "Anthony Charles Lynton Blair");
        assert_eq!(h.variants, vec!["Tony Blair"]);
    }

    #[test]
    fn corporate_bodies_by_hierarchy_or_word() {
        let h = parse_heading("Japan. Foreign Ministry. Asian Affairs Bureau");
        assert_eq!(h.form, HeadingForm::Organisation);
        assert_eq!(h.parent.as_deref(), Some("Japan. Foreign Ministry"));
        let h = parse_heading("Japan. Foreign Ministry");
        assert_eq!((h.form, h.parent), (HeadingForm::Organisation, None));
        let h = parse_heading("Japan-China Import-Export Association");
        assert_eq!(h.form, HeadingForm::Organisation);
        assert_eq!(
            parse_heading("Korean Workers' Party").form,
            HeadingForm::Organisation
        );
        // A body word in an inverted form is still a body.
        assert_eq!(
            parse_heading("Communist Party of the Soviet Union, Central Committee").form,
            HeadingForm::Organisation
        );
    }

    #[test]
    fn names_without_evidence_stay_unknown() {
        for name in ["Primakov", "Mao Zedong", "Japan", "A. M. Puzanov"] {
            let h = parse_heading(name);
            assert_eq!(h.form, HeadingForm::Unknown, "{name}");
            assert_eq!(h.display, name);
        }
    }

    #[test]
    fn keys_fold_case_diacritics_and_hyphens() {
        assert_eq!(name_key("Satō  Eisaku"), name_key("sato eisaku"));
        assert_eq!(name_key("Kim Il-sung"), name_key("Kim Il Sung"));
        assert_eq!(name_key("Khrushchëv"), "khrushchev");
    }
}
