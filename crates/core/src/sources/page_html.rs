//! Saved HTML pages of the archive: document pages and person/collection pages.
//!
//! The selectors come from the [`CompiledProfile`]; this module only knows how
//! the parts of a page fit together.

use scraper::{ElementRef, Html};

use super::page_fields::{self, DocumentFields};
use super::text::{non_empty, squash_whitespace};
use super::{CompiledProfile, ParsedPage, PillRole, ReadError};
use crate::dates::HistoricalDate;
use crate::model::{EntityRef, Event, PageKind, PersonCard, PersonPage, Record};

/// Parses one saved HTML page into a document or person-page record.
pub fn parse_html_page(html: &str, profile: &CompiledProfile) -> Result<ParsedPage, ReadError> {
    if !html.to_ascii_lowercase().contains("</html>") {
        return Err(ReadError::TruncatedHtml);
    }
    let page = Html::parse_document(html);
    let url = page
        .select(&profile.canonical_link)
        .next()
        .and_then(|link| link.attr("href"))
        .and_then(non_empty);
    if let Some(root) = page.select(&profile.person_page).next() {
        return parse_person_page(root, profile, url);
    }
    let has_title = page.select(&profile.document_title).next().is_some();
    let has_info = page.select(&profile.information_block).next().is_some();
    let has_date = page.select(&profile.document_date).next().is_some();
    let listing_links = page.select(&profile.listing_link).count();
    if listing_links > 0 && !has_info && !has_date {
        return Err(ReadError::NotAPage(format!(
            "a listing page ({listing_links} document link(s)); harvest follows its links instead"
        )));
    }
    if !has_title && !has_info && !has_date {
        return Err(ReadError::NotAPage(
            "it has no title, date or Document Information blocks (a listing or error page?)"
                .to_owned(),
        ));
    }
    parse_document_page(&page, profile, url, html)
}

/// One metadata block: its label and the value inside it; a block with
/// several labels and no value element (`<h4>Type</h4><p>…</p>…`, the older
/// markup) gives each label the element after it.
fn read_information_block(
    block: ElementRef<'_>,
    profile: &CompiledProfile,
    out: &mut Vec<(String, String)>,
) {
    let labels: Vec<ElementRef<'_>> = block.select(&profile.information_label).collect();
    let value = block
        .select(&profile.information_value)
        .next()
        .and_then(|e| paragraphs(e, profile));
    if labels.len() <= 1 || value.is_some() {
        let label = labels.first().map(|l| text_of(*l)).unwrap_or_default();
        let value = value.or_else(|| {
            labels
                .first()
                .and_then(|l| l.next_siblings().find_map(ElementRef::wrap))
                .and_then(|e| paragraphs(e, profile))
        });
        if let Some(value) = value {
            out.push((label, value));
        }
        return;
    }
    for label in labels {
        let value = label
            .next_siblings()
            .find_map(ElementRef::wrap)
            .filter(|e| !profile.information_label.matches(e))
            .and_then(|e| paragraphs(e, profile));
        if let Some(value) = value {
            out.push((text_of(label), value));
        }
    }
}

fn text_of(element: ElementRef<'_>) -> String {
    squash_whitespace(&element.text().collect::<String>())
}

fn first_text(scope: ElementRef<'_>, selector: &scraper::Selector) -> Option<String> {
    scope
        .select(selector)
        .next()
        .map(text_of)
        .and_then(|t| non_empty(&t))
}

/// Paragraphs of an element: its `<p>` children joined by blank lines, or its text.
fn paragraphs(element: ElementRef<'_>, profile: &CompiledProfile) -> Option<String> {
    let paras: Vec<String> = element
        .select(&profile.paragraph)
        .map(text_of)
        .filter(|p| !p.is_empty())
        .collect();
    if paras.is_empty() {
        non_empty(&text_of(element))
    } else {
        Some(paras.join("\n\n"))
    }
}

fn parse_document_page(
    page: &Html,
    profile: &CompiledProfile,
    url: Option<String>,
    raw: &str,
) -> Result<ParsedPage, ReadError> {
    let root = page.root_element();
    let mut fields = DocumentFields {
        title: first_text(root, &profile.document_title),
        date: first_text(root, &profile.document_date),
        funding_statement: first_text(root, &profile.document_funding),
        url,
        node_id: drupal_node_id(raw),
        ..DocumentFields::default()
    };
    if let Some(donated) = root.select(&profile.document_funding).next() {
        let linked: Vec<String> = donated
            .select(&scraper::Selector::parse("a").map_err(|e| ReadError::NotAPage(e.to_string()))?)
            .map(text_of)
            .filter(|t| !t.is_empty())
            .collect();
        fields.funders.extend(linked);
    }
    for field in root.select(&profile.header_field) {
        let label = first_text(field, &profile.header_label).unwrap_or_default();
        if let Some(value) = first_text(field, &profile.header_value) {
            fields.header.push((label, value));
        }
    }
    fields.serial_line = first_text(root, &profile.serial);
    fields.text = root
        .select(&profile.document_text)
        .next()
        .and_then(|e| paragraphs(e, profile));
    fields.summary = root
        .select(&profile.summary)
        .next()
        .and_then(|e| paragraphs(e, profile));
    for block in root.select(&profile.information_block) {
        read_information_block(block, profile, &mut fields.information);
    }
    fields.pdf_url = root
        .select(&profile.pdf_link)
        .find_map(|a| a.attr("href"))
        .and_then(non_empty);
    collect_pills(root, profile, &mut fields);
    page_fields::build_document(fields)
}

/// Reads the pills of a page under their headings: a heading inside a
/// `pill_block` heads that block's pills, any other heading the pills of the
/// element after it. The heading's text decides what the pills are (the
/// profile's `pill_roles`); pills under an unknown heading are kept as a page
/// field and reported, and subject pills stand for subjects under any heading.
fn collect_pills(root: ElementRef<'_>, profile: &CompiledProfile, fields: &mut DocumentFields) {
    let mut claimed = std::collections::HashSet::new();
    let headings: Vec<ElementRef<'_>> = root.select(&profile.pill_heading).collect();
    // Headings inside a block first, so that a heading before a run of
    // blocks does not take the pills of the blocks' own headings.
    let in_block = |h: &ElementRef<'_>| block_of(*h, profile).is_some();
    let ordered = headings
        .iter()
        .filter(|h| in_block(h))
        .chain(headings.iter().filter(|h| !in_block(h)));
    for heading in ordered {
        let scope = match block_of(*heading, profile) {
            Some(block) => Some(block),
            None => heading.next_siblings().find_map(ElementRef::wrap),
        };
        let Some(scope) = scope else { continue };
        let mut pills = pill_names(scope, profile);
        pills.retain(|p| claimed.insert(p.id()));
        let (subjects, pills): (Vec<_>, Vec<_>) = pills
            .into_iter()
            .partition(|p| profile.subject_pill.matches(p));
        fields
            .subjects
            .extend(subjects.iter().filter_map(|p| non_empty(&text_of(*p))));
        let names: Vec<String> = pills
            .iter()
            .filter_map(|p| non_empty(&text_of(*p)))
            .collect();
        if names.is_empty() {
            continue;
        }
        let heading_text = text_of(*heading);
        match profile.pill_role(&heading_text) {
            Some(role) => assign_pills(role, names, fields),
            None => fields.unknown_lists.push((heading_text, names)),
        }
    }
    for subject in root.select(&profile.subject_pill) {
        if claimed.insert(subject.id()) {
            fields.subjects.extend(non_empty(&text_of(subject)));
        }
    }
    let unheaded: Vec<String> = pill_names(root, profile)
        .into_iter()
        .filter(|p| claimed.insert(p.id()))
        .filter_map(|p| non_empty(&text_of(p)))
        .collect();
    if !unheaded.is_empty() {
        fields
            .unknown_lists
            .push(("(pills under no heading)".to_owned(), unheaded));
    }
}

/// The pill names in (or at) `scope`, outermost matches only: a name element
/// holding another match (`.name` around its `span`) is one name.
fn pill_names<'a>(scope: ElementRef<'a>, profile: &CompiledProfile) -> Vec<ElementRef<'a>> {
    let mut found: Vec<ElementRef<'a>> = Vec::new();
    if profile.pill_name.matches(&scope) {
        return vec![scope];
    }
    for name in scope.select(&profile.pill_name) {
        let nested = name
            .ancestors()
            .filter_map(ElementRef::wrap)
            .take_while(|a| a.id() != scope.id())
            .any(|a| profile.pill_name.matches(&a));
        if !nested {
            found.push(name);
        }
    }
    found
}

/// The pill block a heading stands in, if any.
fn block_of<'a>(heading: ElementRef<'a>, profile: &CompiledProfile) -> Option<ElementRef<'a>> {
    heading
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| profile.pill_block.matches(a))
}

fn assign_pills(role: PillRole, names: Vec<String>, fields: &mut DocumentFields) {
    let refs = || names.iter().cloned().map(EntityRef::named);
    match role {
        PillRole::Creators => fields.creators.extend(refs()),
        PillRole::Contributors => fields.contributors.extend(refs()),
        PillRole::Agents => fields.agents.extend(refs()),
        PillRole::People => fields.people.extend(refs()),
        PillRole::Organisations => fields.organisations.extend(refs()),
        PillRole::Places => fields.places.extend(refs()),
        PillRole::Subjects => fields.subjects.extend(names),
        PillRole::Archive => fields.archives.extend(names),
        PillRole::Languages => fields.languages.extend(names),
        PillRole::Funders => fields.funders.extend(names),
    }
}

/// The Drupal node id from the settings JSON (`"currentPath":"node/99018"`).
fn drupal_node_id(raw: &str) -> Option<String> {
    let at = raw.find("\"currentPath\":\"node/")? + "\"currentPath\":\"node/".len();
    let digits: String = raw[at..].chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

fn parse_person_page(
    root: ElementRef<'_>,
    profile: &CompiledProfile,
    url: Option<String>,
) -> Result<ParsedPage, ReadError> {
    let mut warnings = Vec::new();
    let page_kind = match root.attr(&profile.profile.person_page_kind_attribute) {
        Some(kind) if kind.eq_ignore_ascii_case("collection") => PageKind::Collection,
        _ => PageKind::Person,
    };
    let title = first_text(root, &profile.person_page_title);
    let mut cards = Vec::new();
    let mut subject_card = None;
    for card in root.select(&profile.person_card) {
        if profile.subject_card.matches(&card) {
            subject_card = Some(cards.len());
        }
        cards.push(parse_card(card, profile, &mut warnings));
    }
    let subject = title.or_else(|| subject_card.and_then(|i| cards[i].name.clone()));
    let Some(subject) = subject else {
        return Err(ReadError::MissingField {
            field: "subject name",
            hint: "no page title and no subject card name".to_owned(),
        });
    };
    let document_count = subject_card.and_then(|i| cards[i].document_count);
    let mut timeline = Vec::new();
    for (position, item) in root.select(&profile.timeline_event).enumerate() {
        match parse_timeline_event(item, profile) {
            Ok((event, warning)) => {
                warnings.extend(warning);
                timeline.push(event);
            }
            Err(message) => {
                return Err(ReadError::MissingField {
                    field: "timeline event",
                    hint: format!("event {} {message}", position + 1),
                })
            }
        }
    }
    let record = PersonPage {
        id: crate::ids::slug(&subject),
        page_kind,
        subject: Some(subject),
        cards,
        subject_card,
        document_count,
        timeline,
        url,
    };
    Ok(ParsedPage {
        record: Record::PersonPage(record),
        warnings,
    })
}

fn parse_card(
    card: ElementRef<'_>,
    profile: &CompiledProfile,
    warnings: &mut Vec<String>,
) -> PersonCard {
    let life_span = first_text(card, &profile.card_life_span)
        .filter(|s| s != "-")
        .map(|s| HistoricalDate::parse(&s));
    if let Some(span) = life_span.as_ref().filter(|s| !s.is_parsed()) {
        warnings.push(format!(
            "unparseable life span `{}` kept as text",
            span.original
        ));
    }
    let count_text = first_text(card, &profile.card_document_count);
    PersonCard {
        name: first_text(card, &profile.card_name),
        life_span,
        region: first_text(card, &profile.card_region),
        document_count: count_text
            .as_deref()
            .and_then(page_fields::parse_document_count),
        url: card.attr("href").and_then(non_empty),
    }
}

fn parse_timeline_event(
    item: ElementRef<'_>,
    profile: &CompiledProfile,
) -> Result<(Event, Option<String>), &'static str> {
    let date_text = first_text(item, &profile.event_date).ok_or("has no date")?;
    let text = item
        .select(&profile.event_text)
        .next()
        .and_then(|e| paragraphs(e, profile))
        .ok_or("has no text")?;
    let date = HistoricalDate::parse(&date_text);
    let warning =
        (!date.is_parsed()).then(|| format!("unparseable event date `{date_text}` kept as text"));
    let documents = item
        .select(&profile.event_document_link)
        .filter_map(|a| a.attr("href"))
        .filter_map(|href| {
            href.trim_end_matches('/')
                .rsplit('/')
                .next()
                .and_then(non_empty)
        })
        .collect();
    let event = Event {
        date,
        text,
        documents,
        ..Event::default()
    };
    Ok((event, warning))
}
