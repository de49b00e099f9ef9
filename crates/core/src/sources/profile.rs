//! The site profile: the CSS selectors and labels the page readers use.
//!
//! The default profile follows the archive's markup (see `docs/page-structure.md`).
//! A sister archive with other markup gets a new profile, not new code.

use std::collections::BTreeMap;

use scraper::Selector;
use serde::{Deserialize, Serialize};

use super::ReadError;

/// Selectors and labels for one site's pages, as written in a profile file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiteProfile {
    /// Profile name, for reports.
    pub name: String,
    /// Document pages: the title (first match wins).
    pub document_title: String,
    /// Document pages: the free-text date.
    pub document_date: String,
    /// Document pages: the funding line.
    pub document_funding: String,
    /// Document pages: one labelled header field (label and value inside).
    pub header_field: String,
    /// Inside a header field: its label.
    pub header_label: String,
    /// Inside a header field: its value.
    pub header_value: String,
    /// Document pages: the serial line.
    pub serial: String,
    /// Document pages: the main text (the active tab).
    pub document_text: String,
    /// Document pages: the summary.
    pub summary: String,
    /// Document pages: one metadata block (label and value inside).
    pub information_block: String,
    /// Inside a metadata block: its label.
    pub information_label: String,
    /// Inside a metadata block: its value.
    pub information_value: String,
    /// Headings that group pills ("Author(s)", "Associated Places"...). A
    /// heading inside a `pill_block` heads the pills of that block; any other
    /// heading heads the pills of the element that follows it.
    pub pill_heading: String,
    /// A block holding one heading and its pills.
    pub pill_block: String,
    /// A pill's name (a person, body, place, subject...). Where a match holds
    /// another match (`.pill .name` and its `span`), the outer one is the name.
    pub pill_name: String,
    /// A subject pill, a subject under any heading or none (older markup).
    pub subject_pill: String,
    /// Document pages: a link to the document's PDF.
    pub pdf_link: String,
    /// Person/collection pages: the page element (its presence makes a page a person page).
    pub person_page: String,
    /// Person/collection pages: the attribute of `person_page` holding "person" or "collection".
    pub person_page_kind_attribute: String,
    /// Person/collection pages: the heading with the page's name.
    pub person_page_title: String,
    /// Person/collection pages: a card (the subject's card has also `subject_card`).
    pub person_card: String,
    /// The subject's own card.
    pub subject_card: String,
    /// Inside a card: the name.
    pub card_name: String,
    /// Inside a card: the life span.
    pub card_life_span: String,
    /// Inside a card: the region.
    pub card_region: String,
    /// Inside a card: the document count.
    pub card_document_count: String,
    /// One timeline event.
    pub timeline_event: String,
    /// Inside an event: its date.
    pub event_date: String,
    /// Inside an event: its text.
    pub event_text: String,
    /// Inside an event: links to the documents that record it.
    pub event_document_link: String,
    /// The canonical link of a page.
    pub canonical_link: String,
    /// Listing pages: a link to a document (a page with these and no document fields is a listing).
    pub listing_link: String,
    /// URLs of document pages: a regular expression over the URL's path and query.
    pub document_url: String,
    /// URLs of person and collection pages.
    pub person_url: String,
    /// URLs of listing pages (search results, with pagination).
    pub listing_url: String,
    /// What the pills under each heading are, by the heading's text (compared
    /// in lower case, with "(s)" dropped and "&" read as "and"). The pills of a
    /// heading this table does not list are kept as a page field and reported,
    /// never guessed into people.
    pub pill_roles: BTreeMap<String, PillRole>,
}

/// What the pills under one heading are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PillRole {
    /// The document's authors (people or bodies, typed by evidence).
    Creators,
    /// The document's main participants (people or bodies, typed by evidence).
    Contributors,
    /// A list of people and bodies together: each name typed by evidence.
    Agents,
    /// People.
    People,
    /// Organisations.
    Organisations,
    /// Places.
    Places,
    /// Subject headings.
    Subjects,
    /// The holding archive.
    Archive,
    /// The languages of the original.
    Languages,
    /// Donors and funders.
    Funders,
}

/// The pill headings of the archive's markup, current and older.
fn default_pill_roles() -> BTreeMap<String, PillRole> {
    use PillRole::*;
    [
        ("author", Creators),
        ("authors", Creators),
        ("document contributor", Contributors),
        ("contributor", Contributors),
        ("participants", Contributors),
        ("associated people and organizations", Agents),
        ("associated people and organisations", Agents),
        ("people and organizations", Agents),
        ("associated people", People),
        ("people", People),
        ("associated organizations", Organisations),
        ("associated organisations", Organisations),
        ("organizations", Organisations),
        ("associated places", Places),
        ("places", Places),
        ("subjects discussed", Subjects),
        ("subjects", Subjects),
        ("topics", Subjects),
        ("original archive", Archive),
        ("language", Languages),
        ("languages", Languages),
        ("donor", Funders),
        ("donors", Funders),
        ("funders", Funders),
    ]
    .into_iter()
    .map(|(heading, role)| (heading.to_owned(), role))
    .collect()
}

/// A heading's text as the `pill_roles` table keys it: lower case, "(s)"
/// dropped, "&" as "and", no trailing colon, single spaces.
pub fn pill_heading_key(heading: &str) -> String {
    heading
        .to_lowercase()
        .replace("(s)", "")
        .replace('&', " and ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(':')
        .trim()
        .to_owned()
}

impl Default for SiteProfile {
    fn default() -> Self {
        let s = |v: &str| v.to_owned();
        Self {
            name: s("wilson-center-digital-archive"),
            document_title: s("h1.title, h1"),
            document_date: s(".date"),
            document_funding: s(".donated"),
            header_field: s(".header-field"),
            header_label: s(".label"),
            header_value: s(".value"),
            serial: s(".serial"),
            document_text: s(".tab-pane.active"),
            summary: s(".text-block"),
            information_block: s(".information-block"),
            information_label: s(".sub-title"),
            information_value: s(".text"),
            pill_heading: s("h2.title, h3.title, h4.title, h3.sub-title"),
            pill_block: s(".pill-block"),
            pill_name: s(".pill .name, .pill-subject"),
            subject_pill: s(".pill-subject"),
            pdf_link: s(r#"a.down[href*=".pdf"], a[href$=".pdf"]"#),
            person_page: s(".person-page"),
            person_page_kind_attribute: s("data-kind"),
            person_page_title: s("h1.title, h1"),
            person_card: s(".person-card"),
            subject_card: s(".person-card.subject"),
            card_name: s(".name"),
            card_life_span: s(".life-span"),
            card_region: s(".region"),
            card_document_count: s(".document-count"),
            timeline_event: s(".timeline-event"),
            event_date: s(".date"),
            event_text: s(".text"),
            event_document_link: s("a.document-link"),
            canonical_link: s("link[rel=canonical]"),
            listing_link: s("td.document a"),
            // `/document/{slug}`, `/document/{number}`, `/node/{nid}`; not `/document/{nid}/download`.
            document_url: s(r"^/(document|node)/[^/?#]+/?$"),
            person_url: s(r"^/(people|person|resource|collection|topics)/[^?#]+$"),
            // Pagination only: facet and full-text links (`?f[0]=…`, `?search_api_fulltext=…`)
            // would make a crawler trap of every combination.
            listing_url: s(r"^/search/?(\?page=\d+)?$"),
            pill_roles: default_pill_roles(),
        }
    }
}

/// The kinds of pages a URL can lead to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// A document page.
    Document,
    /// A person or collection page.
    Person,
    /// A listing (search results) page.
    Listing,
}

/// A profile with its selectors parsed once, ready for the readers.
#[derive(Debug)]
pub struct CompiledProfile {
    /// The profile as written.
    pub profile: SiteProfile,
    pub(crate) document_title: Selector,
    pub(crate) document_date: Selector,
    pub(crate) document_funding: Selector,
    pub(crate) header_field: Selector,
    pub(crate) header_label: Selector,
    pub(crate) header_value: Selector,
    pub(crate) serial: Selector,
    pub(crate) document_text: Selector,
    pub(crate) summary: Selector,
    pub(crate) information_block: Selector,
    pub(crate) information_label: Selector,
    pub(crate) information_value: Selector,
    pub(crate) pill_heading: Selector,
    pub(crate) pill_block: Selector,
    pub(crate) pill_name: Selector,
    pub(crate) subject_pill: Selector,
    pub(crate) pdf_link: Selector,
    pub(crate) person_page: Selector,
    pub(crate) person_page_title: Selector,
    pub(crate) person_card: Selector,
    pub(crate) subject_card: Selector,
    pub(crate) card_name: Selector,
    pub(crate) card_life_span: Selector,
    pub(crate) card_region: Selector,
    pub(crate) card_document_count: Selector,
    pub(crate) timeline_event: Selector,
    pub(crate) event_date: Selector,
    pub(crate) event_text: Selector,
    pub(crate) event_document_link: Selector,
    pub(crate) canonical_link: Selector,
    pub(crate) listing_link: Selector,
    pub(crate) paragraph: Selector,
    url_patterns: Vec<(PageKind, regex::Regex)>,
}

impl SiteProfile {
    /// Reads a profile from TOML text. Fields left out keep the built-in
    /// default's value, so a sister archive's profile lists only what differs;
    /// an unknown field is an error (a misspelt selector must not pass silently).
    pub fn from_toml(text: &str, origin: &str) -> Result<Self, ReadError> {
        toml::from_str(text).map_err(|e| ReadError::Profile {
            path: origin.to_owned(),
            message: e.to_string().trim_end().to_owned(),
        })
    }

    /// Reads a profile file (TOML).
    pub fn read_file(path: &std::path::Path) -> Result<Self, ReadError> {
        let text = std::fs::read_to_string(path).map_err(|e| ReadError::Profile {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// The profile as TOML (the format of `profiles/*.toml`).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }
}

impl CompiledProfile {
    /// Parses every selector of the profile; a bad selector names its field.
    pub fn compile(profile: SiteProfile) -> Result<Self, ReadError> {
        let pattern = |field: &'static str, text: &str| {
            regex::Regex::new(text).map_err(|e| ReadError::BadPattern {
                field,
                pattern: text.to_owned(),
                message: e.to_string(),
            })
        };
        let sel = |field: &'static str, text: &str| {
            Selector::parse(text).map_err(|e| ReadError::BadSelector {
                field,
                selector: text.to_owned(),
                message: e.to_string(),
            })
        };
        Ok(Self {
            document_title: sel("document_title", &profile.document_title)?,
            document_date: sel("document_date", &profile.document_date)?,
            document_funding: sel("document_funding", &profile.document_funding)?,
            header_field: sel("header_field", &profile.header_field)?,
            header_label: sel("header_label", &profile.header_label)?,
            header_value: sel("header_value", &profile.header_value)?,
            serial: sel("serial", &profile.serial)?,
            document_text: sel("document_text", &profile.document_text)?,
            summary: sel("summary", &profile.summary)?,
            information_block: sel("information_block", &profile.information_block)?,
            information_label: sel("information_label", &profile.information_label)?,
            information_value: sel("information_value", &profile.information_value)?,
            pill_heading: sel("pill_heading", &profile.pill_heading)?,
            pill_block: sel("pill_block", &profile.pill_block)?,
            pill_name: sel("pill_name", &profile.pill_name)?,
            subject_pill: sel("subject_pill", &profile.subject_pill)?,
            pdf_link: sel("pdf_link", &profile.pdf_link)?,
            person_page: sel("person_page", &profile.person_page)?,
            person_page_title: sel("person_page_title", &profile.person_page_title)?,
            person_card: sel("person_card", &profile.person_card)?,
            subject_card: sel("subject_card", &profile.subject_card)?,
            card_name: sel("card_name", &profile.card_name)?,
            card_life_span: sel("card_life_span", &profile.card_life_span)?,
            card_region: sel("card_region", &profile.card_region)?,
            card_document_count: sel("card_document_count", &profile.card_document_count)?,
            timeline_event: sel("timeline_event", &profile.timeline_event)?,
            event_date: sel("event_date", &profile.event_date)?,
            event_text: sel("event_text", &profile.event_text)?,
            event_document_link: sel("event_document_link", &profile.event_document_link)?,
            canonical_link: sel("canonical_link", &profile.canonical_link)?,
            listing_link: sel("listing_link", &profile.listing_link)?,
            paragraph: sel("paragraph", "p")?,
            url_patterns: vec![
                (
                    PageKind::Document,
                    pattern("document_url", &profile.document_url)?,
                ),
                (
                    PageKind::Person,
                    pattern("person_url", &profile.person_url)?,
                ),
                (
                    PageKind::Listing,
                    pattern("listing_url", &profile.listing_url)?,
                ),
            ],
            profile,
        })
    }

    /// What the pills under a heading are, when the profile says.
    pub fn pill_role(&self, heading: &str) -> Option<PillRole> {
        self.profile
            .pill_roles
            .get(&pill_heading_key(heading))
            .copied()
    }

    /// The kind of page a URL leads to, by the profile's URL patterns (matched
    /// against the path and query); `None` for other pages of the site.
    pub fn page_kind(&self, url: &str) -> Option<PageKind> {
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
        let path = path.split('#').next().unwrap_or(path);
        self.url_patterns
            .iter()
            .find(|(_, re)| re.is_match(path))
            .map(|(kind, _)| *kind)
    }

    /// The built-in profile for the archive's markup.
    pub fn default_profile() -> Self {
        // The default selectors are constants checked by a unit test, so this cannot fail.
        Self::compile(SiteProfile::default()).unwrap_or_else(|e| panic!("default profile: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_default_profile_file_is_the_built_in_default() {
        let shipped = include_str!("../../../../profiles/default.toml");
        let readme = include_str!("../../../../docs/harvesting.md");
        assert!(
            readme.contains(&format!("```toml\n{shipped}```")),
            "docs/harvesting.md's copy of profiles/default.toml is out of date"
        );
        let parsed = SiteProfile::from_toml(shipped, "profiles/default.toml").unwrap();
        assert_eq!(
            parsed,
            SiteProfile::default(),
            "regenerate with SiteProfile::to_toml"
        );
    }

    #[test]
    fn a_profile_lists_only_what_differs_and_unknown_fields_are_errors() {
        let sister = SiteProfile::from_toml(
            "name = \"sister\"\ndocument_title = \"h1.doc-title\"\n",
            "sister.toml",
        )
        .unwrap();
        assert_eq!(sister.document_title, "h1.doc-title");
        assert_eq!(sister.summary, SiteProfile::default().summary);
        let err = SiteProfile::from_toml("document_titel = \"h1\"\n", "typo.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("typo.toml") && err.contains("document_titel") && err.contains("line 1"),
            "{err}"
        );
    }

    #[test]
    fn urls_are_classified_by_the_profile_patterns() {
        let p = CompiledProfile::default_profile();
        let site = "https://digitalarchive.wilsoncenter.org";
        assert_eq!(
            p.page_kind(&format!("{site}/document/journal-soviet-ambassador")),
            Some(PageKind::Document)
        );
        assert_eq!(
            p.page_kind(&format!("{site}/document/134901")),
            Some(PageKind::Document)
        );
        assert_eq!(
            p.page_kind(&format!("{site}/node/99018")),
            Some(PageKind::Document)
        );
        assert_eq!(
            p.page_kind(&format!("{site}/document/99018/download")),
            None
        );
        assert_eq!(
            p.page_kind(&format!("{site}/collection/23/kim-il-sung")),
            Some(PageKind::Person)
        );
        assert_eq!(
            p.page_kind(&format!("{site}/search?page=3")),
            Some(PageKind::Listing)
        );
        assert_eq!(p.page_kind(&format!("{site}/about")), None);
        assert_eq!(
            p.page_kind(&format!("{site}/search?f[0]=topics:86411")),
            None
        );
        let sister = SiteProfile {
            document_url: r"^/records/\d+$".into(),
            ..SiteProfile::default()
        };
        let sister = CompiledProfile::compile(sister).unwrap();
        assert_eq!(
            sister.page_kind("http://127.0.0.1:8080/records/17"),
            Some(PageKind::Document)
        );
        let bad = SiteProfile {
            person_url: "(".into(),
            ..SiteProfile::default()
        };
        let err = CompiledProfile::compile(bad).unwrap_err().to_string();
        assert!(err.contains("person_url"), "{err}");
    }

    #[test]
    fn default_profile_compiles() {
        assert!(CompiledProfile::compile(SiteProfile::default()).is_ok());
    }

    #[test]
    fn bad_selector_names_its_field() {
        let profile = SiteProfile {
            summary: "..[".into(),
            ..SiteProfile::default()
        };
        let err = CompiledProfile::compile(profile).unwrap_err().to_string();
        assert!(err.contains("summary"), "{err}");
    }
}
