//! Typed records of the archive: documents, person/collection pages with their
//! timelines, people, places, organisations, events, collections and archives.
//!
//! Every reader in [`crate::sources`] yields these records, every mapping in
//! [`crate::mapping`] consumes them. They are plain `serde` types, so the same
//! shapes are the JSON Lines schema (see docs/inputs.md). Optional fields that the
//! page leaves empty are `None`, never an empty string.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::dates::HistoricalDate;

/// One record of the archive, tagged by `"type"` in JSON Lines.
// Documents dominate every corpus, so boxing them would add an allocation to
// nearly every record for no saving.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    /// A document page: one translated record.
    Document(Document),
    /// A person or collection page with its cards and its timeline.
    PersonPage(PersonPage),
    /// A standalone person (from an authority file, JSONL or CSV).
    Person(Person),
    /// A standalone dated event.
    Event(Event),
    /// A place.
    Place(NamedEntity),
    /// An organisation (ministry, embassy, party, foundation...).
    Organisation(NamedEntity),
    /// A collection (topic or curated set of documents).
    Collection(Collection),
    /// A holding archive (the "Original Archive" of a document).
    Archive(NamedEntity),
}

impl Record {
    /// A short name of the record's kind, used in reports.
    pub fn kind(&self) -> &'static str {
        match self {
            Record::Document(_) => "document",
            Record::PersonPage(_) => "person_page",
            Record::Person(_) => "person",
            Record::Event(_) => "event",
            Record::Place(_) => "place",
            Record::Organisation(_) => "organisation",
            Record::Collection(_) => "collection",
            Record::Archive(_) => "archive",
        }
    }

    /// The record's identifier, when it carries one (used to detect duplicates).
    pub fn id(&self) -> Option<&str> {
        match self {
            Record::Document(d) => Some(d.id.as_str()),
            Record::PersonPage(p) => Some(p.id.as_str()),
            Record::Person(p) => p.id.as_deref(),
            Record::Event(e) => e.id.as_deref(),
            Record::Place(e) | Record::Organisation(e) | Record::Archive(e) => e.id.as_deref(),
            Record::Collection(c) => Some(c.id.as_str()),
        }
    }
}

/// A document page: every field the archive shows for one record.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Stable identifier: the Record ID when the page has one, otherwise a slug of the title.
    pub id: String,
    /// The archive's "Record ID" (e.g. `134845`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_id: Option<String>,
    /// The page's URL slug (`/document/{slug}`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// The Drupal node id, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_id: Option<String>,
    /// Title as published.
    pub title: String,
    /// Date of the document (original text kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<HistoricalDate>,
    /// The funding line ("This document was made possible with support from ...").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding_statement: Option<String>,
    /// "From" / "Sent by" / author, as printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sent_by: Vec<String>,
    /// "Received by", as printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub received_by: Vec<String>,
    /// Classification or urgency level ("Urgent", "Top Secret").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// "Original Classification" ("Top Secret"), distinct from the urgency level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    /// The receiving serial number ("(65) No. 123").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    /// The whole serial line as printed ("[North] Korea Desk Receiving Serial (65) No. 123").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial_line: Option<String>,
    /// Full translated text, paragraphs separated by a blank line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// One-paragraph summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The "Document Information" source citation, split into its parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
    /// "Original Archive", the holding institution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_archive: Option<String>,
    /// Rights statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<String>,
    /// Language(s) of the original.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// "Original Uploaded Date".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uploaded: Option<HistoricalDate>,
    /// Funders and donors, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub funders: Vec<String>,
    /// The document's authors ("Author(s)" pills): people or bodies, typed by
    /// evidence (the authority file, then the heading's form).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub creators: Vec<EntityRef>,
    /// The main participants ("Document Contributor(s)" pills, e.g. the
    /// chancellor in a record of his conversations), typed as creators are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributors: Vec<EntityRef>,
    /// Names of a list that mixes people and bodies ("Associated People &
    /// Organizations") whose kind is not known yet. The mention stage moves each
    /// name it can type into `people`, `organisations` or `places`; what stays
    /// here is mapped as an agent of unknown kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agents: Vec<EntityRef>,
    /// The kind of document ("Memorandum of Conversation", "Telegram").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<String>,
    /// A PDF of the document, when the page links one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf_url: Option<String>,
    /// People named on the page ("Associated People" pills) and found in the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<EntityRef>,
    /// Places named on the page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<EntityRef>,
    /// Organisations named on the page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<EntityRef>,
    /// Subjects discussed (topic pills).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    /// Collections the document belongs to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collections: Vec<String>,
    /// Labelled fields the reader does not know yet, kept as published (label → value).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other_fields: BTreeMap<String, String>,
    /// Where the page was published, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The "Document Information" source line, split into its parts:
/// `{archive}, {signature}, {pages}. Contributed by X and translated by Y.`
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// The citation as printed.
    pub text: String,
    /// The holding archive, when the source line names it before the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<String>,
    /// Archive signature ("PRC FMA 109-02833-03").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_signature: Option<String>,
    /// Pages or folios ("38-40").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
    /// Translator(s) named by the citation ("Charles Kraus").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub translators: Vec<String>,
    /// Who contributed or obtained the document ("Contributed by X", "Obtained by X").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributors: Vec<String>,
    /// Who transcribed it ("Contributed, transcribed, and translated by X").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transcribers: Vec<String>,
    /// Who edited it ("translated and edited by X").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub editors: Vec<String>,
}

/// A reference to a person, place or organisation by name, with the authority id
/// once the mention finder resolved it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityRef {
    /// The name (preferred name once resolved against the authority file).
    pub name: String,
    /// The authority id, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority_id: Option<String>,
    /// The name as the page printed it (an authority heading such as
    /// `Mao, Zedong`), when it differs from `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
}

impl EntityRef {
    /// A reference by name only.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            authority_id: None,
            heading: None,
        }
    }

    /// The name as printed: the heading when there is one, else the name.
    pub fn printed(&self) -> &str {
        self.heading.as_deref().unwrap_or(&self.name)
    }
}

/// A person or collection page: the subject card, related people and a timeline.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonPage {
    /// Stable identifier of the page (slug of the subject's name, or of the file).
    pub id: String,
    /// Whether the page is about a person or a collection/topic.
    #[serde(default)]
    pub page_kind: PageKind,
    /// The subject's name, when the page shows it or the user supplied it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The cards in page order. `subject_card` says which is the page's own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cards: Vec<PersonCard>,
    /// Index into `cards` of the page's own card, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_card: Option<usize>,
    /// Number of documents the archive lists for this page ("(372) documents").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_count: Option<u64>,
    /// The timeline of dated events, in page order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<Event>,
    /// Where the page was published, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Whether a person/collection page is about a person or a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    /// A page about one person.
    #[default]
    Person,
    /// A page about a collection or topic.
    Collection,
}

/// A person card: name (absent in the text form), life span, region, document count.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonCard {
    /// The person's name, when shown or supplied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Life span ("1912- 1994"), parsed as a range with the original text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_span: Option<HistoricalDate>,
    /// Region ("East Asia").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Documents listed for the person ("(372) documents").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_count: Option<u64>,
    /// Link to the person's own page, when shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A person as an authority or standalone record.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Authority id, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Preferred name.
    pub name: String,
    /// Other spellings and short forms ("Kim", "Premier Kim", "Kim Il-sung").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
    /// Life span.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_span: Option<HistoricalDate>,
    /// Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Short description ("Premier of North Korea").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A place, organisation or archive: a name, an id and variants.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedEntity {
    /// Authority id, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Preferred name.
    pub name: String,
    /// Other spellings ("Peking" for "Beijing").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
    /// Short description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A dated event of a timeline: a date, a paragraph, and the people it names.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Identifier, when the source gives one (otherwise derived from date and text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When it happened (original text kept).
    pub date: HistoricalDate,
    /// The paragraph, exactly as published (typos included).
    pub text: String,
    /// People the event names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<EntityRef>,
    /// Places the event names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<EntityRef>,
    /// Organisations the event names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organisations: Vec<EntityRef>,
    /// Documents the event is documented by (document ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<String>,
}

/// A collection: a named set of documents.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collection {
    /// Identifier (slug).
    pub id: String,
    /// Title.
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Member document ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<String>,
}
