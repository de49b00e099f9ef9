//! Scoring a Wikidata candidate against one of our people (or places, or
//! organisations): every signal adds a line of evidence a curator can read,
//! and the score in [0, 1] is their weighted sum. A signal that rules the
//! candidate out (not a human, born after the events that name our person,
//! life dates that disagree) caps the score at zero, whatever the name says.

use unicode_normalization::UnicodeNormalization;

/// What we know of the thing to link.
#[derive(Debug, Clone, Default)]
pub struct Subject {
    /// The preferred name.
    pub name: String,
    /// Other names (authority variants, spellings on other pages).
    pub variants: Vec<String>,
    /// Year of birth (or founding), if known.
    pub birth_year: Option<i32>,
    /// Year of death (or dissolution), if known.
    pub death_year: Option<i32>,
    /// Years of the events and documents that mention it.
    pub mention_years: Vec<i32>,
    /// What kind of thing it is.
    pub kind: SubjectKind,
    /// Our description ("Capital of the Soviet Union"), for role hints.
    pub description: Option<String>,
}

/// The kinds of things we link.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SubjectKind {
    /// A person: the candidate must be a human (Q5).
    #[default]
    Person,
    /// A place.
    Place,
    /// An organisation.
    Organisation,
}

/// What Wikidata says of a candidate item, distilled.
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    /// The QID.
    pub qid: String,
    /// Labels in the languages asked for.
    pub labels: Vec<String>,
    /// Aliases in the languages asked for.
    pub aliases: Vec<String>,
    /// The English (or first) description.
    pub description: Option<String>,
    /// Instance of (P31) QIDs.
    pub instance_of: Vec<String>,
    /// Year of birth (P569), with whether Wikidata knows it to the year or better.
    pub birth_year: Option<i32>,
    /// Year of death (P570).
    pub death_year: Option<i32>,
    /// Country of citizenship (P27) QIDs.
    pub citizenship: Vec<String>,
}

/// Human.
pub const HUMAN: &str = "Q5";
/// Wikimedia disambiguation page.
pub const DISAMBIGUATION: &str = "Q4167410";
/// Capital city.
pub const CAPITAL: &str = "Q5119";

/// Words in our descriptions that name a nationality, with the country's QID.
const NATIONALITY_HINTS: &[(&str, &[&str])] = &[
    ("Q423", &["dprk", "north korea", "korean workers"]),
    ("Q884", &["south korea", "republic of korea"]),
    ("Q15180", &["soviet", "ussr", "cpsu"]),
    ("Q148", &["chinese", "prc", "people's republic of china"]),
    ("Q881", &["vietnam"]),
    ("Q30", &["united states", "american"]),
];

/// A small bonus when our description names the candidate's country of citizenship.
const NATIONALITY_BONUS: f64 = 0.05;

/// A scored candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// In [0, 1].
    pub value: f64,
    /// One line per signal, in the order weighed.
    pub evidence: Vec<String>,
    /// Whether a signal rules the candidate out.
    pub ruled_out: bool,
}

/// Weights of the signals for people (they sum to 1).
const NAME_WEIGHT: f64 = 0.45;
const TYPE_WEIGHT: f64 = 0.15;
const DATES_WEIGHT: f64 = 0.30;
const ALIVE_WEIGHT: f64 = 0.10;
/// Weights for places and organisations, which have no life dates: name, type, role.
const OTHER_WEIGHTS: (f64, f64, f64) = (0.6, 0.2, 0.2);

/// Years of slack when comparing life dates (calendars, sources that differ by one).
const YEAR_SLACK: i32 = 1;

/// Lower case, accents removed, hyphens, dots and apostrophes as spaces, so
/// "Kim Il-sung" and "Kim Il Sung" compare equal.
pub fn normalise(name: &str) -> String {
    let folded: String = name
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How well two names agree: 1 for the same name, less for looser matches.
fn name_agreement(ours: &str, theirs: &str) -> (f64, &'static str) {
    let (a, b) = (normalise(ours), normalise(theirs));
    if a.is_empty() || b.is_empty() {
        return (0.0, "no name");
    }
    if a == b {
        return (1.0, "same name");
    }
    if a.replace(' ', "") == b.replace(' ', "") {
        return (0.95, "same name in another romanisation");
    }
    let (ta, tb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    if ta.last() == tb.last() && initials_fit(&ta, &tb) {
        return (0.85, "same surname, initials fit the given names");
    }
    // Family name first (East Asian order) against family name last.
    if ta.len() > 1 && tb.len() > 1 {
        let mut rotated = tb.clone();
        rotated.rotate_right(1);
        if ta == rotated {
            return (0.85, "same name, family name in the other position");
        }
    }
    if ta.last() == tb.last() {
        return (0.4, "same surname only");
    }
    (0.0, "different name")
}

/// "a m puzanov" against "alexander mikhailovich puzanov": each given-name token
/// of the shorter form is an initial (or the whole name) of the other's, in order.
fn initials_fit(a: &[&str], b: &[&str]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let (short, long) = (&short[..short.len() - 1], &long[..long.len() - 1]);
    if short.is_empty() || short.len() > long.len() {
        return false;
    }
    short
        .iter()
        .zip(long)
        .all(|(s, l)| s == l || (s.chars().count() == 1 && l.starts_with(*s)))
}

/// Scores one candidate for one subject.
pub fn score(subject: &Subject, candidate: &Candidate) -> Score {
    let mut evidence = Vec::new();
    let mut ruled_out = false;

    // Names: the best agreement of any of our names with any label or alias.
    let ours: Vec<&String> = std::iter::once(&subject.name)
        .chain(&subject.variants)
        .collect();
    let mut best = (0.0, "different name", String::new(), String::new(), false);
    for o in &ours {
        for (theirs, alias) in candidate
            .labels
            .iter()
            .map(|l| (l, false))
            .chain(candidate.aliases.iter().map(|a| (a, true)))
        {
            let (value, why) = name_agreement(o, theirs);
            // An alias counts a little less than the label.
            let value = if alias { value * 0.95 } else { value };
            if value > best.0 {
                best = (value, why, (*o).clone(), theirs.clone(), alias);
            }
        }
    }
    let name = best.0;
    evidence.push(if name > 0.0 {
        format!(
            "name {:.2}: {} (\"{}\" ~ {} \"{}\")",
            name,
            best.1,
            best.2,
            if best.4 { "alias" } else { "label" },
            best.3
        )
    } else {
        "name 0.00: no label or alias agrees with our names".to_owned()
    });

    // Type.
    let type_score = if candidate.instance_of.iter().any(|c| c == DISAMBIGUATION) {
        evidence.push("type: a disambiguation page, not an item about one thing".into());
        ruled_out = true;
        0.0
    } else {
        match subject.kind {
            SubjectKind::Person if candidate.instance_of.iter().any(|c| c == HUMAN) => {
                evidence.push("type 1.00: instance of human (Q5)".into());
                1.0
            }
            SubjectKind::Person => {
                evidence.push(format!(
                    "type: not a human (instance of {})",
                    list_or_nothing(&candidate.instance_of)
                ));
                ruled_out = true;
                0.0
            }
            _ if candidate.instance_of.iter().any(|c| c == HUMAN) => {
                evidence.push("type: a human, not a place or an organisation".into());
                ruled_out = true;
                0.0
            }
            _ if candidate.instance_of.is_empty() => {
                evidence.push("type 0.50: no instance-of statement".into());
                0.5
            }
            _ => {
                evidence.push(format!(
                    "type 1.00: instance of {}",
                    candidate.instance_of.join(", ")
                ));
                1.0
            }
        }
    };

    if subject.kind != SubjectKind::Person {
        let role = role_hint(subject, candidate, &mut evidence);
        let (wn, wt, wr) = OTHER_WEIGHTS;
        let value = if ruled_out {
            0.0
        } else {
            (wn * name + wt * type_score + wr * role).clamp(0.0, 1.0)
        };
        return Score {
            value,
            evidence,
            ruled_out,
        };
    }

    // Life dates against the person card.
    let dates = match (subject.birth_year, subject.death_year) {
        (None, None) => {
            evidence.push("dates 0.50: we have no life span to compare".into());
            0.5
        }
        (birth, death) => {
            let mut agree = 0;
            let mut compared = 0;
            for (what, ours, theirs) in [
                ("birth", birth, candidate.birth_year),
                ("death", death, candidate.death_year),
            ] {
                let Some(ours) = ours else { continue };
                match theirs {
                    Some(theirs) if (ours - theirs).abs() <= YEAR_SLACK => {
                        compared += 1;
                        agree += 1;
                        evidence.push(format!("{what} {ours} agrees with Wikidata's {theirs}"));
                    }
                    Some(theirs) => {
                        compared += 1;
                        ruled_out = true;
                        evidence.push(format!("{what} {ours} disagrees with Wikidata's {theirs}"));
                    }
                    None => evidence.push(format!(
                        "{what}: Wikidata has no date to compare with {ours}"
                    )),
                }
            }
            let value = if compared == 0 {
                0.5
            } else if agree == compared {
                1.0
            } else {
                0.0
            };
            evidence.push(format!("dates {value:.2}"));
            value
        }
    };

    // Alive when the documents and events that mention our person happened.
    let alive = if subject.kind != SubjectKind::Person || subject.mention_years.is_empty() {
        0.5
    } else {
        let first = subject
            .mention_years
            .iter()
            .min()
            .copied()
            .unwrap_or_default();
        let last = subject
            .mention_years
            .iter()
            .max()
            .copied()
            .unwrap_or_default();
        // Too young to act or be written about: under 12 at the first mention.
        let born_after = candidate.birth_year.filter(|b| b + 12 > first);
        // Documents may mention the dead; events that name someone as actor may not,
        // but our mention years mix both, so only a gap of a generation rules out.
        let dead_long_before = candidate.death_year.filter(|d| d + 30 < first);
        if let Some(b) = born_after {
            ruled_out = true;
            evidence.push(format!(
                "alive 0.00: born {b}, after the mention of {first}"
            ));
            0.0
        } else if let Some(d) = dead_long_before {
            ruled_out = true;
            evidence.push(format!(
                "alive 0.00: died {d}, long before the mention of {first}"
            ));
            0.0
        } else if candidate.birth_year.is_some() || candidate.death_year.is_some() {
            evidence.push(format!(
                "alive 1.00: alive during the mentions of {first}–{last}"
            ));
            1.0
        } else {
            evidence.push("alive 0.50: Wikidata has no life dates".into());
            0.5
        }
    };

    let bonus = nationality_hint(subject, candidate, &mut evidence);
    let value = if ruled_out {
        0.0
    } else {
        (NAME_WEIGHT * name
            + TYPE_WEIGHT * type_score
            + DATES_WEIGHT * dates
            + ALIVE_WEIGHT * alive
            + bonus)
            .clamp(0.0, 1.0)
    };
    Score {
        value,
        evidence,
        ruled_out,
    }
}

/// Nationality hints from our description ("Premier of the DPRK"): a bonus when
/// the candidate is a citizen of the country named, a line of evidence when not.
fn nationality_hint(subject: &Subject, candidate: &Candidate, evidence: &mut Vec<String>) -> f64 {
    let described = subject.description.as_deref().unwrap_or("").to_lowercase();
    let named: Vec<&str> = NATIONALITY_HINTS
        .iter()
        .filter(|(_, words)| words.iter().any(|w| described.contains(w)))
        .map(|(qid, _)| *qid)
        .collect();
    if named.is_empty() || candidate.citizenship.is_empty() {
        return 0.0;
    }
    if let Some(q) = named
        .iter()
        .find(|q| candidate.citizenship.iter().any(|c| c == *q))
    {
        evidence.push(format!("nationality +{NATIONALITY_BONUS:.2}: our description names the country of citizenship {q}"));
        NATIONALITY_BONUS
    } else {
        evidence.push(format!(
            "nationality: our description names {}, Wikidata's citizenship is {}",
            named.join(", "),
            candidate.citizenship.join(", ")
        ));
        0.0
    }
}

/// Role hints from our description: a place described as a capital should be
/// an item that is a capital city (Moscow, not Moscow, Idaho).
fn role_hint(subject: &Subject, candidate: &Candidate, evidence: &mut Vec<String>) -> f64 {
    let described = subject.description.as_deref().unwrap_or("").to_lowercase();
    if subject.kind == SubjectKind::Place && described.contains("capital") {
        if candidate.instance_of.iter().any(|c| c == CAPITAL) {
            evidence.push("role 1.00: described as a capital, and a capital city (Q5119)".into());
            1.0
        } else {
            evidence.push("role 0.00: described as a capital, but not a capital city".into());
            0.0
        }
    } else {
        evidence.push("role 0.50: no role to compare".into());
        0.5
    }
}

fn list_or_nothing(items: &[String]) -> String {
    if items.is_empty() {
        "nothing".into()
    } else {
        items.join(", ")
    }
}

/// Where a candidate lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Linked.
    Accepted,
    /// Written to the review file.
    Review,
    /// Dropped.
    Rejected,
}

/// Thresholds: accepted at or above `accept`, reviewed at or above `review`.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    /// Accept at or above.
    pub accept: f64,
    /// Review at or above.
    pub review: f64,
    /// Two candidates closer than this are ambiguous: neither is accepted.
    pub margin: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            accept: 0.85,
            review: 0.5,
            margin: 0.1,
        }
    }
}

/// Decides the candidates of one subject, best first. At most one is accepted,
/// and none when a rival comes within the margin (both go to review).
pub fn decide(scores: &[(String, Score)], t: Thresholds) -> Vec<(String, Verdict)> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].1.value.total_cmp(&scores[a].1.value));
    let best = order.first().map(|&i| scores[i].1.value).unwrap_or(0.0);
    let runner_up = order.get(1).map(|&i| scores[i].1.value).unwrap_or(0.0);
    let ambiguous = runner_up >= t.review && best - runner_up < t.margin;
    order
        .iter()
        .enumerate()
        .map(|(rank, &i)| {
            let value = scores[i].1.value;
            let verdict = if value >= t.accept && rank == 0 && !ambiguous {
                Verdict::Accepted
            } else if value >= t.review {
                Verdict::Review
            } else {
                Verdict::Rejected
            };
            (scores[i].0.clone(), verdict)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kim() -> Subject {
        Subject {
            name: "Kim Il Sung".into(),
            variants: vec!["Kim Il-sung".into()],
            birth_year: Some(1912),
            death_year: Some(1994),
            mention_years: vec![1953, 1960, 1979],
            kind: SubjectKind::Person,
            description: None,
        }
    }

    fn human(qid: &str, label: &str, birth: Option<i32>, death: Option<i32>) -> Candidate {
        Candidate {
            qid: qid.into(),
            labels: vec![label.into()],
            instance_of: vec![HUMAN.into()],
            birth_year: birth,
            death_year: death,
            ..Candidate::default()
        }
    }

    #[test]
    fn names_agree_across_romanisation_initials_and_order() {
        assert_eq!(normalise("Kim Il-sung"), "kim il sung");
        assert_eq!(normalise("Zhōu Ēnlái"), "zhou enlai");
        assert_eq!(name_agreement("Kim Il Sung", "Kim Il-sung").0, 1.0);
        assert_eq!(name_agreement("Kim Ilsung", "Kim Il-sung").0, 0.95);
        assert_eq!(
            name_agreement("A.M. Puzanov", "Alexander Mikhailovich Puzanov").0,
            0.85
        );
        assert_eq!(
            name_agreement("B.M. Puzanov", "Alexander Mikhailovich Puzanov").0,
            0.4
        );
        assert_eq!(name_agreement("Mao Zedong", "Zedong Mao").0, 0.85);
        assert_eq!(name_agreement("Mao Zedong", "Zhou Enlai").0, 0.0);
    }

    #[test]
    fn the_right_person_is_accepted_and_traps_are_not() {
        let right = score(
            &kim(),
            &human("Q39364", "Kim Il-sung", Some(1912), Some(1994)),
        );
        assert!(right.value >= 0.95, "{right:?}");
        let namesake = score(&kim(), &human("Q1", "Kim Il-sung", Some(1810), Some(1870)));
        assert!(namesake.ruled_out && namesake.value == 0.0, "{namesake:?}");
        let ship = Candidate {
            instance_of: vec!["Q11446".into()],
            ..human("Q2", "Kim Il Sung", None, None)
        };
        assert!(score(&kim(), &ship).ruled_out);
        let disambiguation = Candidate {
            instance_of: vec![DISAMBIGUATION.into()],
            ..human("Q3", "Kim Il Sung", None, None)
        };
        assert!(score(&kim(), &disambiguation).ruled_out);
        let young = score(
            &Subject {
                birth_year: None,
                death_year: None,
                ..kim()
            },
            &human("Q4", "Kim Il Sung", Some(1950), None),
        );
        assert!(young.ruled_out, "born after the 1953 mention: {young:?}");
    }

    #[test]
    fn a_named_nationality_adds_a_little() {
        let described = Subject {
            description: Some("Premier of the DPRK".into()),
            ..kim()
        };
        let citizen = Candidate {
            citizenship: vec!["Q423".into()],
            ..human("Q39364", "Kim Il-sung", Some(1912), Some(1994))
        };
        let plain = score(&described, &human("Q39364", "Kim Il-sung", None, None));
        let with = score(
            &described,
            &Candidate {
                birth_year: None,
                death_year: None,
                ..citizen
            },
        );
        assert!(
            (with.value - plain.value - NATIONALITY_BONUS).abs() < 1e-9,
            "{with:?}"
        );
        assert!(with.evidence.iter().any(|e| e.contains("Q423")));
    }

    #[test]
    fn a_capital_is_the_capital_not_its_namesake() {
        let moscow = Subject {
            name: "Moscow".into(),
            kind: SubjectKind::Place,
            description: Some("Capital of the Soviet Union".into()),
            ..Subject::default()
        };
        let city = |qid: &str, classes: &[&str]| Candidate {
            qid: qid.into(),
            labels: vec!["Moscow".into()],
            instance_of: classes.iter().map(|c| (*c).to_owned()).collect(),
            ..Candidate::default()
        };
        let capital = score(&moscow, &city("Q649", &[CAPITAL, "Q515"]));
        let idaho = score(&moscow, &city("Q2", &["Q515"]));
        assert!(
            capital.value >= 0.95 && idaho.value < capital.value - 0.1,
            "{capital:?} {idaho:?}"
        );
        let verdicts = decide(
            &[("Q2".into(), idaho), ("Q649".into(), capital)],
            Thresholds::default(),
        );
        assert_eq!(verdicts[0], ("Q649".to_owned(), Verdict::Accepted));
        assert!(score(&moscow, &city("Q3", &[HUMAN])).ruled_out);
    }

    #[test]
    fn without_dates_two_namesakes_are_ambiguous() {
        let undated = Subject {
            birth_year: None,
            death_year: None,
            mention_years: vec![],
            ..kim()
        };
        let a = score(&undated, &human("Q10", "Kim Il Sung", None, None));
        let b = score(&undated, &human("Q11", "Kim Il Sung", None, None));
        let verdicts = decide(
            &[("Q10".into(), a), ("Q11".into(), b)],
            Thresholds::default(),
        );
        assert!(
            verdicts.iter().all(|(_, v)| *v == Verdict::Review),
            "{verdicts:?}"
        );
        let right = score(
            &kim(),
            &human("Q39364", "Kim Il-sung", Some(1912), Some(1994)),
        );
        let weak = score(&kim(), &human("Q12", "Kim Jong-il", None, None));
        let verdicts = decide(
            &[("Q12".into(), weak), ("Q39364".into(), right)],
            Thresholds::default(),
        );
        assert_eq!(verdicts[0], ("Q39364".to_owned(), Verdict::Accepted));
        assert_eq!(verdicts[1].1, Verdict::Rejected);
    }
}
