//! The mini site's generated content: the documents, people and listings of
//! its archive and of the sister archive, and the HTML of their pages.

use super::*;

pub(super) const KINDS: [&str; 6] = [
    "Telegram",
    "Memorandum of Conversation",
    "Report",
    "Letter",
    "Cable",
    "Minutes of a Meeting",
];
pub(super) const SENDERS: [&str; 5] = [
    "Soviet Embassy in Pyongyang",
    "Zhou Enlai",
    "Andrei Gromyko",
    "Peng Dehuai",
    "Chinese Embassy in Moscow",
];
pub(super) const RECIPIENTS: [&str; 4] = [
    "Central Committee of the CPSU",
    "Ministry of Foreign Affairs of the PRC",
    "Anastas Mikoyan",
    "Korean Workers' Party Central Committee",
];
pub(super) const TOPICS: [&str; 8] = [
    "the Armistice Negotiations",
    "Economic Aid to the DPRK",
    "the Sino-Soviet Border",
    "the Berlin Question",
    "the Withdrawal of the Chinese People's Volunteers",
    "Nuclear Cooperation",
    "the August Plenum",
    "the Situation in Vietnam",
];
pub(super) const PLACES: [&str; 7] = [
    "Pyongyang",
    "Beijing",
    "Moscow",
    "Panmunjom",
    "Berlin",
    "Hanoi",
    "Vladivostok",
];
pub(super) const SUBJECTS: [&str; 6] = [
    "Korean War",
    "Sino-Soviet Split",
    "Economic Aid",
    "Nuclear Weapons",
    "Border Disputes",
    "Diplomacy",
];
pub(super) const LEVELS: [&str; 3] = ["Urgent", "Secret", "Routine"];
pub(super) const LANGUAGES: [&str; 4] = ["Russian", "Chinese", "Korean", "German"];
pub(super) const ARCHIVES: [&str; 4] = [
    "Archive of Foreign Policy of the Russian Federation (AVPRF)",
    "Archive of the Ministry of Foreign Affairs of the People's Republic of China",
    "Political Archive of the Federal Foreign Office, Berlin",
    "Russian State Archive of Contemporary History (RGANI)",
];
pub(super) const DONORS: [&str; 3] = [
    "Korea Foundation",
    "Leon Levy Foundation",
    "MacArthur Foundation",
];
pub(super) const TRANSLATORS: [&str; 4] =
    ["Gary Goldberg", "Charles Kraus", "James Person", "Lin Wei"];
use chronograph_core::dates::MONTH_NAMES as MONTHS;
pub(super) const RIGHTS: &str =
    "The History and Public Policy Program welcomes reuse of Digital Archive \
materials for research and educational purposes.";

/// One generated document, before markup.
pub(super) struct DocumentData {
    pub(super) id: u32,
    pub(super) title: String,
    /// Free-text date in one of four precisions.
    pub(super) date: String,
    pub(super) kind: &'static str,
    pub(super) sender: &'static str,
    pub(super) recipient: &'static str,
    pub(super) topic: &'static str,
    pub(super) level: &'static str,
    pub(super) places: [&'static str; 2],
    pub(super) subjects: [&'static str; 2],
    /// Names from [`PEOPLE`] the text mentions.
    pub(super) mentions: Vec<&'static str>,
    pub(super) paragraphs: Vec<String>,
    pub(super) summary: String,
    pub(super) source: String,
    pub(super) archive: &'static str,
    pub(super) language: &'static str,
    pub(super) uploaded: String,
    /// `None` for every fifth document (no funding line, no Donors block).
    pub(super) donor: Option<&'static str>,
}

impl Layout {
    /// The document at `index` of the generated sequence, with record id `id`.
    /// Dates run from 1945 (index 0) to 1991 (index 33 and later).
    pub(super) fn document(&self, index: u32, id: u32) -> DocumentData {
        let i = index as usize;
        let kind = KINDS[i % KINDS.len()];
        let sender = SENDERS[i % SENDERS.len()];
        let recipient = RECIPIENTS[(i * 3 + 1) % RECIPIENTS.len()];
        let topic = TOPICS[i % TOPICS.len()];
        let year = (1945 + index * 46 / 33).min(1991);
        let month = MONTHS[(i * 5 + i / 4) % 12];
        let day = 1 + (i * 11) % 28;
        let date = match i % 4 {
            0 => format!("{month} {day}, {year}"),
            1 => format!("{month} {year}"),
            2 => format!("{year}"),
            _ => format!("c. {year}"),
        };
        // A non-empty subset of the three people, plus everyone whose timeline links here.
        let mask = i % 7 + 1;
        let mentions: Vec<&'static str> = PEOPLE
            .iter()
            .enumerate()
            .filter(|(bit, (slug, _))| {
                mask & (1 << bit) != 0
                    || self
                        .people
                        .iter()
                        .any(|p| p.slug == *slug && p.timeline.contains(&id))
            })
            .map(|(_, (_, name))| *name)
            .collect();
        let places = [PLACES[i % PLACES.len()], PLACES[(i + 3) % PLACES.len()]];
        let subjects = [
            SUBJECTS[i % SUBJECTS.len()],
            SUBJECTS[(i + 2) % SUBJECTS.len()],
        ];
        let remarks = [
            "raised the question at a meeting in",
            "was informed of the discussion and agreed to a further meeting in",
            "is expected to comment on the matter during the next visit to",
        ];
        let mut paragraphs = vec![format!("[To] {recipient}:")];
        paragraphs.push(format!(
            "(1) On the question of {}, the situation remains as reported earlier.",
            topic
        ));
        for (n, name) in mentions.iter().enumerate() {
            paragraphs.push(format!(
                "({}) {name} {} {}.",
                n + 2,
                remarks[n % remarks.len()],
                places[n % 2]
            ));
        }
        paragraphs.push(format!("{sender}, {date}"));
        let summary = format!(
            "{sender} informs {recipient} about {}, with remarks by {}.",
            topic.trim_start_matches("the "),
            mentions.join(", ")
        );
        DocumentData {
            id,
            title: format!("{kind} from {sender} to {recipient} on {topic}"),
            date,
            kind,
            sender,
            recipient,
            topic,
            level: LEVELS[i % LEVELS.len()],
            places,
            subjects,
            mentions,
            paragraphs,
            summary,
            source: format!(
                "Fond {}, opis {}, delo {}, {}-{}. Translated by {}.",
                100 + i,
                1 + i % 9,
                10 + i,
                20 + i,
                23 + i,
                TRANSLATORS[i % TRANSLATORS.len()]
            ),
            archive: ARCHIVES[i % ARCHIVES.len()],
            language: LANGUAGES[i % LANGUAGES.len()],
            uploaded: format!("20{:02}-{:02}-{:02}", 12 + i % 10, 1 + i % 12, 1 + i % 28),
            donor: (i % 5 != 4).then_some(DONORS[i % DONORS.len()]),
        }
    }
}

/// The sentence a touch adds to a page.
pub(super) fn revision_sentence(revision: u32) -> String {
    if revision > 0 {
        format!(" Catalogue entry revised ({revision}).")
    } else {
        String::new()
    }
}

pub(super) fn paragraphs_html(paragraphs: &[String]) -> String {
    paragraphs
        .iter()
        .map(|p| format!("      <p>{}</p>\n", esc(p)))
        .collect()
}

/// A slug of one of [`PEOPLE`], by name.
pub(super) fn person_slug(name: &str) -> Option<&'static str> {
    PEOPLE.iter().find(|(_, n)| *n == name).map(|(s, _)| *s)
}

/// A document page in the archive's markup (as in
/// `data/sample/documents/134905-peng-dehuai-telegram-armistice.html`).
pub(super) fn archive_document(doc: &DocumentData, canonical: &str, revision: u32) -> String {
    let mut html = String::new();
    let title = esc(&doc.title);
    let _ = write!(
        html,
        r##"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} | Wilson Center Digital Archive</title>
  <link rel="canonical" href="{canonical}">
  <script type="application/json" data-drupal-selector="drupal-settings-json">{{"path":{{"currentPath":"node/{nid}"}}}}</script>
</head>
<body>
<a href="#main-content" class="skip-link">Skip to content</a>
<main id="main-content">
<article class="document">
  <div class="date">{date}</div>
  <h1 class="title">{title}</h1>
"##,
        nid = doc.id - 100_000,
        date = esc(&doc.date),
    );
    if let Some(donor) = doc.donor {
        let _ = writeln!(
            html,
            r##"  <div class="donated">This document was made possible with support from <a href="/funder/{}">{}</a></div>"##,
            slug(donor),
            esc(donor)
        );
    }
    let _ = write!(
        html,
        r##"  <div class="header-fields">
    <div class="header-field"><span class="label">From:</span> <span class="value">{}</span></div>
    <div class="header-field"><span class="label">To:</span> <span class="value">{}</span></div>
    <div class="header-field"><span class="label">Level:</span> <span class="value">{}</span></div>
  </div>
  <ul class="nav nav-tabs"><li class="active"><a href="#translation">English Translation</a></li></ul>
  <div class="tab-content">
    <div class="tab-pane active" id="translation">
{}    </div>
  </div>
  <div class="text-block"><p>{}{}</p></div>

  <h3 class="title">Associated People</h3>
  <div class="pills">
"##,
        esc(doc.sender),
        esc(doc.recipient),
        doc.level,
        paragraphs_html(&doc.paragraphs),
        esc(&doc.summary),
        revision_sentence(revision),
    );
    // The three people link to their pages; other pills are not links, so
    // that every link on the site leads to a page it serves.
    for name in &doc.mentions {
        let href = person_slug(name).map_or_else(String::new, |s| format!("{PERSON_PREFIX}{s}"));
        let _ = writeln!(
            html,
            r##"    <a class="pill" href="{href}"><span class="name"><span>{name}</span></span></a>"##
        );
    }
    html.push_str(
        "  </div>\n  <h3 class=\"title\">Associated Places</h3>\n  <div class=\"pills\">\n",
    );
    for place in doc.places {
        let _ = writeln!(
            html,
            r##"    <span class="pill"><span class="name"><span>{place}</span></span></span>"##
        );
    }
    html.push_str(
        "  </div>\n  <h3 class=\"title\">Subjects Discussed</h3>\n  <div class=\"pills\">\n",
    );
    for subject in doc.subjects {
        let _ = writeln!(html, r##"    <span class="pill-subject">{subject}</span>"##);
    }
    html.push_str(
        "  </div>\n\n  <section class=\"document-information\">\n    <h2 class=\"title\">Document Information</h2>\n",
    );
    let mut blocks = vec![
        ("Source", esc(&doc.source)),
        ("Original Archive", esc(doc.archive)),
        ("Rights", format!("<p>{RIGHTS}</p>")),
        ("Language", doc.language.to_owned()),
        ("Original Uploaded Date", doc.uploaded.clone()),
        ("Record ID", doc.id.to_string()),
    ];
    if let Some(donor) = doc.donor {
        blocks.push(("Donors", esc(donor)));
    }
    for (label, value) in blocks {
        let _ = writeln!(
            html,
            r##"    <div class="information-block"><div class="sub-title">{label}</div><div class="text">{value}</div></div>"##
        );
    }
    html.push_str("  </section>\n</article>\n</main>\n</body>\n</html>\n");
    html
}

/// A person page in the archive's markup (as in `data/sample/people/mao-zedong.html`).
pub(super) fn archive_person(
    layout: &Layout,
    person: &PersonData,
    canonical: &str,
    revision: u32,
) -> String {
    let mut html = String::new();
    let name = person.name;
    let _ = write!(
        html,
        r##"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{name} | Wilson Center Digital Archive</title>
  <link rel="canonical" href="{canonical}"></head>
<body>
<a href="#main-content" class="skip-link">Skip to content</a>
<main id="main-content">
<article class="person-page" data-kind="person">
  <h1 class="title">{name}</h1>
  <div class="person-card subject">
    <div class="name"><span>{name}</span></div>
    <div class="life-span">{}</div>
    <div class="region">{}</div>
    <div class="document-count">({}) documents</div>
  </div>
  <section class="related-people">
    <h3 class="title">Related People</h3>
"##,
        person.life_span,
        person.region,
        layout.mention_count(name),
    );
    for other in layout.people.iter().filter(|p| p.slug != person.slug) {
        let _ = write!(
            html,
            r##"    <a class="person-card" href="{}">
      <div class="name"><span>{}</span></div>
      <div class="life-span">{}</div>
      <div class="region">{}</div>
      <div class="document-count">({}) documents</div>
    </a>
"##,
            layout.person_path(other),
            other.name,
            other.life_span,
            other.region,
            layout.mention_count(other.name),
        );
    }
    html.push_str(
        "  </section>\n  <section class=\"timeline\">\n    <h3 class=\"title\">Timeline</h3>\n",
    );
    for (n, event) in timeline(layout, person).iter().enumerate() {
        let extra = if n == 0 {
            revision_sentence(revision)
        } else {
            String::new()
        };
        let _ = write!(
            html,
            r##"    <div class="timeline-event">
      <div class="date">{}</div>
      <div class="text"><p>{}{extra}</p></div>
      <a class="document-link" href="{}">Record {}</a>
    </div>
"##,
            esc(&event.date),
            esc(&event.text),
            layout.document_path(event.id),
            event.id,
        );
    }
    html.push_str("  </section>\n</article>\n</main>\n</body>\n</html>\n");
    html
}

/// One timeline event of a person page: the document it links, its date, a sentence.
pub(super) struct TimelineEvent {
    pub(super) id: u32,
    pub(super) date: String,
    pub(super) text: String,
}

pub(super) fn timeline(layout: &Layout, person: &PersonData) -> Vec<TimelineEvent> {
    person
        .timeline
        .iter()
        .filter_map(|&id| {
            let index = layout.document_ids.iter().position(|&d| d == id)?;
            let doc = layout.document(u32::try_from(index).ok()?, id);
            Some(TimelineEvent {
                id,
                text: format!(
                    "{} writes to {} about {}; {} is named in the {}.",
                    doc.sender,
                    doc.recipient,
                    doc.topic,
                    person.name,
                    doc.kind.to_lowercase()
                ),
                date: doc.date,
            })
        })
        .collect()
}

impl Layout {
    /// The home page: links to the first listing, the person pages and the private page.
    pub(super) fn home(&self, revision: u32) -> String {
        let mut html = String::from(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Digital Archive</title></head>\n<body>\n<main id=\"main-content\">\n",
        );
        let _ = writeln!(
            html,
            "<p class=\"intro\">Declassified documents of the Cold War.{}</p>",
            revision_sentence(revision)
        );
        let _ = writeln!(
            html,
            "<p><a href=\"{}\">Browse all documents</a></p>\n<ul class=\"people\">",
            self.listing_key(0)
        );
        for person in &self.people {
            let _ = writeln!(
                html,
                "  <li><a href=\"{}\">{}</a></li>",
                self.person_path(person),
                person.name
            );
        }
        let _ = writeln!(
            html,
            "</ul>\n<p class=\"staff\"><a href=\"{PRIVATE_PATH}\">Staff area</a> <a href=\"{RESTRICTED_PATH}\">Restricted</a></p>\n</main>\n</body>\n</html>"
        );
        html
    }

    /// Listing page `number`: its documents in id order, and a pager.
    pub(super) fn listing(&self, number: usize, revision: u32) -> String {
        let mut html = String::from(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Search | Digital Archive</title></head>\n<body>\n<main id=\"main-content\">\n",
        );
        let _ = writeln!(
            html,
            "<p class=\"notice\">Page {} of {}.{}</p>",
            number + 1,
            self.listing_pages(),
            revision_sentence(revision)
        );
        let ids = self
            .document_ids
            .iter()
            .zip(0..)
            .skip(number * self.page_size)
            .take(self.page_size);
        match self.flavour {
            Flavour::Archive => {
                html.push_str("<table class=\"search-results\">\n");
                for (&id, index) in ids {
                    let doc = self.document(index, id);
                    // Not class "date": a `.date` would make the reader take the page for a document.
                    let _ = writeln!(
                        html,
                        "  <tr><td class=\"document\"><a href=\"{}\">{}</a></td><td class=\"doc-date\">{}</td></tr>",
                        self.document_path(id),
                        esc(&doc.title),
                        esc(&doc.date)
                    );
                }
                html.push_str("</table>\n");
            }
            Flavour::Sister => {
                html.push_str("<ol class=\"hits\">\n");
                for (&id, index) in ids {
                    let doc = self.document(index, id);
                    let _ = writeln!(
                        html,
                        "  <li class=\"hit\"><a href=\"{}\">{}</a> <small>{}</small></li>",
                        self.document_path(id),
                        esc(&doc.title),
                        esc(&doc.date)
                    );
                }
                html.push_str("</ol>\n");
            }
        }
        html.push_str("<nav class=\"pager\">\n");
        if number > 0 {
            let _ = writeln!(
                html,
                "  <a class=\"prev\" rel=\"prev\" href=\"{}\">Previous</a>",
                self.listing_key(number - 1)
            );
        }
        for page in 0..self.listing_pages() {
            let current = if page == number {
                " aria-current=\"page\""
            } else {
                ""
            };
            let _ = writeln!(
                html,
                "  <a href=\"{}\"{current}>{}</a>",
                self.listing_key(page),
                page + 1
            );
        }
        if number + 1 < self.listing_pages() {
            let _ = writeln!(
                html,
                "  <a class=\"next\" rel=\"next\" href=\"{}\">Next</a>",
                self.listing_key(number + 1)
            );
        }
        html.push_str("</nav>\n</main>\n</body>\n</html>\n");
        html
    }
}

/// A document page with its title, date and Document Information lost, and
/// tags left open: the reader rejects it.
pub(super) fn broken_page(revision: u32) -> String {
    format!(
        r##"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Digital Archive</title>
<body>
<main id="main-content">
<article class="document">
  <div class="header-fields">
    <div class="header-field"><span class="label">From:<span class="value">Unknown sender
  <div class="tab-pane active"><p>The text of this record was lost in a migration.{}
  <p>Kim Il Sung
</article>
</html>
"##,
        revision_sentence(revision)
    )
}

pub(super) fn private_page(revision: u32) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Staff area</title></head>\n\
         <body>\n<main id=\"main-content\">\n<p class=\"private\">Staff only: unpublished accession records.{}</p>\n</main>\n</body>\n</html>\n",
        revision_sentence(revision)
    )
}

/// A document page in the sister archive's markup.
pub(super) fn sister_document(doc: &DocumentData, canonical: &str, revision: u32) -> String {
    let mut html = String::new();
    let title = esc(&doc.title);
    let _ = write!(
        html,
        r##"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} - Sister Archive</title>
  <link rel="canonical" href="{canonical}">
</head>
<body>
<header class="masthead"><p class="site-name">Sister Archive of the Cold War</p></header>
<div class="record-view">
  <h2 class="record-title">{title}</h2>
  <time class="record-date">{}</time>
"##,
        esc(&doc.date)
    );
    if let Some(donor) = doc.donor {
        let _ = writeln!(
            html,
            r##"  <p class="support">Digitised with support from {}</p>"##,
            esc(donor)
        );
    }
    let _ = write!(
        html,
        r##"  <ul class="parties">
    <li class="party"><b class="party-label">From:</b> <i class="party-name">{}</i></li>
    <li class="party"><b class="party-label">To:</b> <i class="party-name">{}</i></li>
  </ul>
  <div class="body-text">
{}  </div>
  <div class="abstract"><p>{}{}</p></div>
  <h4 class="facet">People</h4>
  <ul class="tags">
"##,
        esc(doc.sender),
        esc(doc.recipient),
        paragraphs_html(&doc.paragraphs),
        esc(&doc.summary),
        revision_sentence(revision),
    );
    for name in &doc.mentions {
        let _ = writeln!(
            html,
            r##"    <li class="tag"><span class="tag-name">{name}</span></li>"##
        );
    }
    html.push_str("  </ul>\n  <h4 class=\"facet\">Places</h4>\n  <ul class=\"tags\">\n");
    for place in doc.places {
        let _ = writeln!(
            html,
            r##"    <li class="tag"><span class="tag-name">{place}</span></li>"##
        );
    }
    html.push_str("  </ul>\n  <p class=\"topics\">");
    for subject in doc.subjects {
        let _ = write!(html, r##"<span class="topic">{subject}</span> "##);
    }
    html.push_str("</p>\n  <dl class=\"meta\">\n");
    let mut pairs = vec![
        ("Source", esc(&doc.source)),
        ("Original Archive", esc(doc.archive)),
        ("Language", doc.language.to_owned()),
        ("Record ID", doc.id.to_string()),
    ];
    if let Some(donor) = doc.donor {
        pairs.push(("Donors", esc(donor)));
    }
    for (label, value) in pairs {
        let _ = writeln!(
            html,
            "    <div class=\"meta-row\"><dt>{label}</dt><dd>{value}</dd></div>"
        );
    }
    html.push_str("  </dl>\n</div>\n</body>\n</html>\n");
    html
}

/// A person page in the sister archive's markup.
pub(super) fn sister_person(
    layout: &Layout,
    person: &PersonData,
    canonical: &str,
    revision: u32,
) -> String {
    let mut html = String::new();
    let name = person.name;
    let _ = write!(
        html,
        r##"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{name} - Sister Archive</title>
  <link rel="canonical" href="{canonical}"></head>
<body>
<header class="masthead"><p class="site-name">Sister Archive of the Cold War</p></header>
<section class="biography" data-type="person">
  <h2 class="bio-name">{name}</h2>
  <div class="bio-card main">
    <span class="bio-card-name">{name}</span>
    <span class="years">{}</span>
    <span class="area">{}</span>
    <span class="count">{} records</span>
  </div>
  <ol class="chronology">
"##,
        person.life_span,
        person.region,
        layout.mention_count(name),
    );
    for (n, event) in timeline(layout, person).iter().enumerate() {
        let extra = if n == 0 {
            revision_sentence(revision)
        } else {
            String::new()
        };
        let _ = writeln!(
            html,
            r##"    <li class="moment"><time class="when">{}</time><div class="what"><p>{}{extra}</p></div> <a class="record-link" href="{}">Record {}</a></li>"##,
            esc(&event.date),
            esc(&event.text),
            layout.document_path(event.id),
            event.id,
        );
    }
    html.push_str("  </ol>\n</section>\n</body>\n</html>\n");
    html
}

/// Lowercase words joined by `-` ("Korea Foundation" → `korea-foundation`).
pub(super) fn slug(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}
