//! The HTML pages of resources: people (timeline, documents, collections),
//! documents, events and anything else minted under the base.

use super::*;

/// Renders the HTML page of a described resource, by its type.
pub fn resource_page(state: &AppState, described: &Described<'_>) -> Response {
    let result = if described.has_type(cg::Person) {
        person_page(state, described)
    } else if described.has_type(cg::Document) {
        document_page(state, described)
    } else if described.has_type(cg::Event) {
        event_page(state, described)
    } else {
        other_page(state, described)
    };
    result.unwrap_or_else(IntoResponse::into_response)
}

#[derive(Serialize)]
struct EventItem {
    href: String,
    date_text: String,
    text: String,
}

#[derive(Serialize)]
struct DocumentItem {
    href: String,
    title: String,
    date_text: String,
    roles: Vec<String>,
}

fn person_page(state: &AppState, d: &Described<'_>) -> Result<Response, HttpError> {
    let store = PageReader {
        store: &state.store,
        token: d.token,
    };
    let events = select(store, PageQuery::PersonEvents, Some(d.iri))?;
    let mut seen = std::collections::HashSet::new();
    let mut event_items = Vec::new();
    let mut timeline_events = Vec::new();
    for e in &events {
        let Some(href) = get(e, "e") else { continue };
        if !seen.insert(href.clone()) {
            continue;
        }
        let date_text = get(e, "dateText").unwrap_or_default();
        let text = get(e, "text").unwrap_or_default();
        if let Some(start) = date_of(e, "start") {
            timeline_events.push(TimelineEvent {
                start,
                date_text: date_text.clone(),
                label: get(e, "label").unwrap_or_else(|| text.clone()),
                href: href.clone(),
            });
        }
        event_items.push(EventItem {
            href,
            date_text,
            text,
        });
    }
    // The list under the picture follows the picture's numbering (date order;
    // undated events last).
    let timeline = charts::timeline(&timeline_events);
    if let Some(t) = &timeline {
        let order: HashMap<&str, usize> = t
            .points
            .iter()
            .map(|p| (p.href.as_str(), p.number))
            .collect();
        event_items.sort_by_key(|e| order.get(e.href.as_str()).copied().unwrap_or(usize::MAX));
    }

    let documents = select(store, PageQuery::PersonDocuments, Some(d.iri))?;
    let mut document_items: Vec<DocumentItem> = Vec::new();
    // The chart counts every document naming the person, from the statistics.
    let per_year: BTreeMap<i32, usize> =
        crate::read_statistics::person_documents_per_year(&state.store, d.iri)
            .map_err(HttpError::internal)?;
    for row in &documents {
        let Some(href) = get(row, "d") else { continue };
        let role = get(row, "role").unwrap_or_default();
        if let Some(existing) = document_items.iter_mut().find(|x| x.href == href) {
            if !existing.roles.contains(&role) {
                existing.roles.push(role);
            }
            continue;
        }
        document_items.push(DocumentItem {
            title: get(row, "title").unwrap_or_else(|| compact_iri(&href)),
            href,
            date_text: get(row, "dateText").unwrap_or_default(),
            roles: vec![role],
        });
    }

    let collections = links(store, PageQuery::PersonCollections, Some(d.iri))?;
    let related = links(store, PageQuery::PersonRelated, Some(d.iri))?;

    let mut links_out = Vec::new();
    // Only http(s) links leave the site: a harvested page's `url` of
    // `javascript:…` is no link at all.
    for url in d.texts(schema::url).into_iter().filter(|u| is_web_link(u)) {
        links_out.push(Link {
            label: "the archive's page".into(),
            href: url,
            note: None,
        });
    }
    let mut same: Vec<String> = d.texts(owl::sameAs);
    same.extend(d.texts(schema::sameAs));
    same.retain(|iri| is_web_link(iri));
    same.sort();
    same.dedup();
    for iri in same {
        let link = match iri.strip_prefix("http://www.wikidata.org/entity/") {
            Some(q) => Link {
                label: format!("Wikidata {q}"),
                href: format!("https://www.wikidata.org/wiki/{q}"),
                note: None,
            },
            None => Link {
                label: iri.clone(),
                href: iri,
                note: None,
            },
        };
        links_out.push(link);
    }

    let ctx = context! {
        title => d.title(),
        iri => d.iri.as_str(),
        life_span => d.first_text(cg::lifeSpanText),
        birth => d.first_text(schema::birthDate),
        death => d.first_text(schema::deathDate),
        regions => d.texts(cg::region),
        document_count => d.texts(cg::documentCount).into_iter().max_by_key(|c| c.parse::<u64>().unwrap_or(0)),
        descriptions => d.texts(schema::description),
        links_out,
        timeline,
        events => event_items,
        per_year => charts::per_year(&per_year),
        documents => document_items,
        collections,
        related,
        rows => d.field_rows(store.store),
        all => d.statement_rows(),
    };
    Ok(state.pages.render("person.html", ctx))
}

/// What links to a resource (documents naming a place, say), at most 500.
fn incoming(store: PageReader<'_>, iri: &NamedNode) -> Result<Vec<Link>, HttpError> {
    links(store, PageQuery::Incoming, Some(iri))
}

fn document_page(state: &AppState, d: &Described<'_>) -> Result<Response, HttpError> {
    let reader = PageReader {
        store: &state.store,
        token: d.token,
    };
    let iri = d.iri.as_str();
    let mentioned = links(reader, PageQuery::DocumentMentioned, Some(d.iri))?;
    let related = links(reader, PageQuery::DocumentEvents, Some(d.iri))?;
    let ctx = context! {
        title => d.title(),
        iri,
        types => d.type_names(),
        date => d.first_text(cg::dateText),
        lead => d.first_text(dcterms::abstract_),
        mentioned,
        related_heading => "Events this document records",
        related,
        rows => d.field_rows(&state.store),
        all => d.statement_rows(),
    };
    Ok(state.pages.render("resource.html", ctx))
}

fn event_page(state: &AppState, d: &Described<'_>) -> Result<Response, HttpError> {
    let reader = PageReader {
        store: &state.store,
        token: d.token,
    };
    let iri = d.iri.as_str();
    let mentioned = links(reader, PageQuery::EventMentioned, Some(d.iri))?;
    let related = links(reader, PageQuery::EventRelated, Some(d.iri))?;
    let title = d
        .first_text(cg::dateText)
        .map(|date| format!("Event of {date}"))
        .unwrap_or_else(|| d.title());
    let ctx = context! {
        title,
        iri,
        types => d.type_names(),
        date => d.first_text(cg::datePrecision).map(|p| format!("precision: {p}")),
        lead => d.first_text(schema::description),
        mentioned,
        related_heading => "Documents and timelines",
        related,
        rows => d.field_rows(&state.store),
        all => d.statement_rows(),
    };
    Ok(state.pages.render("resource.html", ctx))
}

fn other_page(state: &AppState, d: &Described<'_>) -> Result<Response, HttpError> {
    let reader = PageReader {
        store: &state.store,
        token: d.token,
    };
    let ctx = context! {
        title => d.title(),
        iri => d.iri.as_str(),
        types => d.type_names(),
        lead => d.first_text(schema::description),
        rows => d.field_rows(&state.store),
        incoming => incoming(reader, d.iri)?,
        all => d.statement_rows(),
    };
    Ok(state.pages.render("resource.html", ctx))
}
