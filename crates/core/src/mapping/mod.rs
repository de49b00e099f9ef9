//! Mapping: typed records → RDF quads in one named graph, with deterministic IRIs.
//!
//! The mapping writes standard terms where one fits (Dublin Core, schema.org,
//! RiC-O, SEM, PROV-O, SKOS) and `cg:` terms from `ontology/chronograph.ttl`
//! where none does. It never touches the store: it only produces quads.

pub mod iri;
pub mod vocab;

use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};

use crate::dates::HistoricalDate;
use crate::headings::{Heading, HeadingForm};
use crate::ids::slug;
use crate::mentions::{EntityKind, Gazetteer};
use crate::model::{
    Collection, Document, EntityRef, Event, NamedEntity, PageKind, Person, PersonCard, PersonPage,
    Record,
};
use iri::{Base, ResourceKind};
use vocab::{cg, dcterms, prov, rdf, rdfs, rico, schema, sem, skos, xsd};

/// An entity named in a record, as the mapping mints it.
struct Entity {
    iri: NamedNode,
    kind: EntityKind,
    /// Preferred or display name.
    name: String,
    /// The name read as a heading, when no authority entry named it.
    heading: Option<Heading>,
}

/// Maps records to quads under a base IRI, resolving names with a gazetteer.
#[derive(Debug)]
pub struct Mapper<'a> {
    base: &'a Base,
    gazetteer: &'a Gazetteer,
}

/// Quads being written into one named graph.
struct GraphWriter<'o> {
    graph: GraphName,
    out: &'o mut Vec<Quad>,
}

impl GraphWriter<'_> {
    fn add(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.out.push(Quad::new(
            NamedOrBlankNode::NamedNode(s.clone()),
            p.into_owned(),
            o.into(),
            self.graph.clone(),
        ));
    }

    fn text(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, value: &str) {
        self.add(s, p, Literal::new_simple_literal(value));
    }

    fn opt_text(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, value: Option<&str>) {
        if let Some(v) = value {
            self.text(s, p, v);
        }
    }

    fn typed(
        &mut self,
        s: &NamedNode,
        p: NamedNodeRef<'_>,
        value: &str,
        datatype: NamedNodeRef<'_>,
    ) {
        self.add(s, p, Literal::new_typed_literal(value, datatype));
    }

    fn types(&mut self, s: &NamedNode, classes: &[NamedNodeRef<'_>]) {
        for class in classes {
            self.add(s, rdf::type_, class.into_owned());
        }
    }
}

/// Which predicates carry a date's value and bounds.
struct DatePredicates {
    value: NamedNodeRef<'static>,
    earliest: NamedNodeRef<'static>,
    latest: NamedNodeRef<'static>,
}

const DOCUMENT_DATE: DatePredicates = DatePredicates {
    value: dcterms::date,
    earliest: cg::earliestDate,
    latest: cg::latestDate,
};
const EVENT_DATE: DatePredicates = DatePredicates {
    value: sem::hasTimeStamp,
    earliest: sem::hasEarliestBeginTimeStamp,
    latest: sem::hasLatestEndTimeStamp,
};

fn resource_kind(kind: EntityKind) -> ResourceKind {
    match kind {
        EntityKind::Person => ResourceKind::Person,
        EntityKind::Place => ResourceKind::Place,
        EntityKind::Organisation => ResourceKind::Organisation,
        EntityKind::Archive => ResourceKind::Archive,
        EntityKind::Agent => ResourceKind::Agent,
    }
}

impl<'a> Mapper<'a> {
    /// A mapper minting IRIs under `base`.
    pub fn new(base: &'a Base, gazetteer: &'a Gazetteer) -> Self {
        Self { base, gazetteer }
    }

    /// Appends the quads of one record, in `graph`, to `out`.
    pub fn map_record(&self, record: &Record, graph: &NamedNode, out: &mut Vec<Quad>) {
        let mut w = GraphWriter {
            graph: GraphName::NamedNode(graph.clone()),
            out,
        };
        match record {
            Record::Document(d) => self.map_document(d, &mut w),
            Record::PersonPage(p) => self.map_person_page(p, &mut w),
            Record::Person(p) => {
                self.map_person(p, &mut w);
            }
            Record::Event(e) => {
                self.map_event(e, &mut w);
            }
            Record::Place(e) => self.map_named(e, EntityKind::Place, &mut w),
            Record::Organisation(e) => self.map_named(e, EntityKind::Organisation, &mut w),
            Record::Archive(e) => self.map_named(e, EntityKind::Archive, &mut w),
            Record::Collection(c) => self.map_collection(c, &mut w),
        }
    }

    /// The IRI, kind and name of an entity named in a record: its authority
    /// entry when it has one, else minted from the name read as a heading (a
    /// person under the display name, a body under its heading). The kind is
    /// the block's when the list says (`block`), else what the evidence says
    /// (see [`Gazetteer::type_name`]).
    fn entity(&self, r: &EntityRef, block: Option<EntityKind>) -> Entity {
        if let Some(id) = r.authority_id.as_deref() {
            let kind = self
                .gazetteer
                .resolve(&r.name)
                .filter(|e| e.key == id)
                .map(|e| e.kind)
                .or(block)
                .unwrap_or_else(|| self.gazetteer.type_name(&r.name, None).kind);
            return Entity {
                iri: self.base.resource(resource_kind(kind), id),
                kind,
                name: r.name.clone(),
                heading: None,
            };
        }
        let typed = self.gazetteer.type_name(r.printed(), block);
        let heading = match typed.source {
            Ok(e) => {
                return Entity {
                    iri: self.base.resource(resource_kind(e.kind), &e.key),
                    kind: e.kind,
                    name: e.name.clone(),
                    heading: None,
                }
            }
            Err(heading) => heading,
        };
        let name = match heading.form {
            HeadingForm::Person => heading.display.clone(),
            _ => heading.heading.clone(),
        };
        Entity {
            iri: self.base.resource(resource_kind(typed.kind), &slug(&name)),
            kind: typed.kind,
            name,
            heading: Some(heading),
        }
    }

    /// Writes the type and names of an entity referenced by name (with what its
    /// heading gives: the heading as an alternative label, variants, life
    /// dates, the body above it), and returns its IRI.
    fn entity_node(
        &self,
        r: &EntityRef,
        block: Option<EntityKind>,
        w: &mut GraphWriter<'_>,
    ) -> NamedNode {
        let entity = self.entity(r, block);
        let iri = entity.iri;
        w.types(&iri, entity_classes(entity.kind));
        w.text(&iri, schema::name, &entity.name);
        w.text(&iri, rdfs::label, &entity.name);
        let printed = r.printed();
        if printed != entity.name {
            w.text(&iri, skos::altLabel, printed);
        }
        let Some(heading) = entity.heading else {
            return iri;
        };
        for variant in &heading.variants {
            w.text(&iri, skos::altLabel, variant);
        }
        if let (EntityKind::Person, Some(dates)) = (entity.kind, &heading.life_dates) {
            match dates.strip_suffix('-') {
                // `1931-`: born then, living when the heading was made.
                Some(born) => {
                    w.text(&iri, cg::lifeSpanText, dates);
                    if let Some((lexical, ty)) = HistoricalDate::parse(born).xsd() {
                        w.typed(&iri, schema::birthDate, &lexical, named(ty.datatype_iri()));
                    }
                }
                None => emit_life_span(w, &iri, &HistoricalDate::parse(dates)),
            }
        }
        if let (EntityKind::Organisation, Some(parent)) = (entity.kind, &heading.parent) {
            let parent =
                self.entity_node(&EntityRef::named(parent), Some(EntityKind::Organisation), w);
            w.add(&iri, rico::isOrWasSubdivisionOf, parent.clone());
            w.add(&iri, schema::parentOrganization, parent);
        }
        iri
    }

    /// The IRI of an authority or standalone record (a person, place, body).
    fn record_iri(&self, name: &str, id: Option<&str>, kind: EntityKind) -> NamedNode {
        let r = EntityRef {
            name: name.to_owned(),
            authority_id: id.map(str::to_owned),
            heading: None,
        };
        self.entity(&r, Some(kind)).iri
    }

    fn named_node(&self, name: &str, fallback: EntityKind, w: &mut GraphWriter<'_>) -> NamedNode {
        self.entity_node(&EntityRef::named(name), Some(fallback), w)
    }

    fn map_document(&self, d: &Document, w: &mut GraphWriter<'_>) {
        let s = self.base.document(&d.id);
        w.types(&s, &[cg::Document, rico::Record, schema::ArchiveComponent]);
        w.text(&s, dcterms::title, &d.title);
        w.text(&s, rdfs::label, &d.title);
        if let Some(date) = &d.date {
            emit_date(w, &s, date, &DOCUMENT_DATE);
        }
        w.opt_text(&s, cg::fundingStatement, d.funding_statement.as_deref());
        for name in &d.sent_by {
            let agent = self.agent_node(name, w);
            w.add(&s, rico::hasSender, agent.clone());
            w.add(&s, schema::sender, agent);
        }
        for name in &d.received_by {
            let agent = self.agent_node(name, w);
            w.add(&s, rico::hasReceiver, agent.clone());
            w.add(&s, schema::recipient, agent);
        }
        for r in &d.creators {
            let agent = self.entity_node(r, None, w);
            w.add(&s, rico::hasCreator, agent.clone());
            w.add(&s, dcterms::creator, agent);
        }
        for r in &d.contributors {
            let agent = self.entity_node(r, None, w);
            w.add(&s, cg::participant, agent);
        }
        w.opt_text(&s, cg::documentType, d.document_type.as_deref());
        if let Some(pdf) = d.pdf_url.as_deref().and_then(web_iri) {
            w.add(&s, schema::associatedMedia, pdf);
        }
        w.opt_text(&s, cg::level, d.level.as_deref());
        w.opt_text(&s, cg::classification, d.classification.as_deref());
        w.opt_text(&s, cg::serialNumber, d.serial.as_deref());
        w.opt_text(&s, cg::serialLine, d.serial_line.as_deref());
        w.opt_text(&s, schema::text, d.text.as_deref());
        if let Some(summary) = &d.summary {
            w.text(&s, dcterms::abstract_, summary);
            w.text(&s, rico::scopeAndContent, summary);
        }
        if let Some(c) = &d.citation {
            w.text(&s, dcterms::bibliographicCitation, &c.text);
            w.opt_text(&s, cg::archiveSignature, c.archive_signature.as_deref());
            w.opt_text(&s, cg::pages, c.pages.as_deref());
            let credits = [
                (&c.translators, schema::translator),
                (&c.contributors, cg::contributedBy),
                (&c.transcribers, cg::transcribedBy),
                (&c.editors, schema::editor),
            ];
            for (names, predicate) in credits {
                for name in names {
                    let person = self.named_node(name, EntityKind::Person, w);
                    w.add(&s, predicate, person);
                }
            }
        }
        let holding_archive = d
            .original_archive
            .as_ref()
            .or_else(|| d.citation.as_ref().and_then(|c| c.archive.as_ref()));
        if let Some(archive) = holding_archive {
            let node = self.named_node(archive, EntityKind::Archive, w);
            w.add(&s, schema::holdingArchive, node);
        }
        if let Some(rights) = &d.rights {
            w.text(&s, dcterms::rights, rights);
            w.text(&s, rico::conditionsOfUse, rights);
        }
        for language in &d.languages {
            w.text(&s, dcterms::language, language);
        }
        if let Some(uploaded) = &d.uploaded {
            match uploaded.xsd() {
                Some((lexical, ty)) => w.typed(
                    &s,
                    dcterms::dateSubmitted,
                    &lexical,
                    named(ty.datatype_iri()),
                ),
                None => w.text(&s, dcterms::dateSubmitted, &uploaded.original),
            }
        }
        w.opt_text(&s, dcterms::identifier, d.record_id.as_deref());
        w.opt_text(&s, cg::nodeId, d.node_id.as_deref());
        w.opt_text(&s, cg::slug, d.slug.as_deref());
        for name in &d.funders {
            let funder = self.named_node(name, EntityKind::Organisation, w);
            w.add(&s, schema::funder, funder);
        }
        self.map_document_links(d, &s, w);
    }

    fn map_document_links(&self, d: &Document, s: &NamedNode, w: &mut GraphWriter<'_>) {
        for r in &d.people {
            let person = self.entity_node(r, Some(EntityKind::Person), w);
            w.add(s, schema::mentions, person);
        }
        for r in &d.organisations {
            let org = self.entity_node(r, Some(EntityKind::Organisation), w);
            w.add(s, schema::mentions, org);
        }
        for r in &d.agents {
            let agent = self.entity_node(r, None, w);
            w.add(s, schema::mentions, agent);
        }
        for r in &d.places {
            let place = self.entity_node(r, Some(EntityKind::Place), w);
            w.add(s, dcterms::spatial, place);
        }
        for subject in &d.subjects {
            let topic = self.subject_concept(subject, w);
            w.add(s, dcterms::subject, topic);
        }
        for collection in &d.collections {
            let c = self
                .base
                .resource(ResourceKind::Collection, &slug(collection));
            w.add(s, dcterms::isPartOf, c);
        }
        for (label, value) in &d.other_fields {
            let field = NamedNode::new_unchecked(format!("{}#field-{}", s.as_str(), slug(label)));
            w.types(&field, &[cg::PageField]);
            w.text(&field, cg::fieldLabel, label);
            w.text(&field, rdf::value, value);
            w.add(s, cg::pageField, field);
        }
        if let Some(url) = d.url.as_deref().and_then(|u| NamedNode::new(u).ok()) {
            w.add(s, schema::url, url);
        }
    }

    /// A subject heading as a SKOS concept, narrower than the heading without
    /// its last `--` subdivision (`Japan--Foreign relations--Taiwan` under
    /// `Japan--Foreign relations` under `Japan`).
    fn subject_concept(&self, subject: &str, w: &mut GraphWriter<'_>) -> NamedNode {
        let parts: Vec<&str> = subject
            .split("--")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let mut broader: Option<NamedNode> = None;
        let mut concept = None;
        for depth in 1..=parts.len().max(1) {
            let label = if parts.is_empty() {
                subject.trim().to_owned()
            } else {
                parts[..depth].join("--")
            };
            let topic = self.base.resource(ResourceKind::Topic, &slug(&label));
            w.types(&topic, &[skos::Concept]);
            w.text(&topic, skos::prefLabel, &label);
            w.text(&topic, rdfs::label, &label);
            if let Some(parent) = broader.take() {
                w.add(&topic, skos::broader, parent);
            }
            broader = Some(topic.clone());
            concept = Some(topic);
        }
        concept.unwrap_or_else(|| self.base.resource(ResourceKind::Topic, &slug(subject)))
    }

    /// Senders and receivers are people when the gazetteer knows them, else agents.
    fn agent_node(&self, name: &str, w: &mut GraphWriter<'_>) -> NamedNode {
        match self.gazetteer.resolve(name) {
            Some(_) => self.named_node(name, EntityKind::Organisation, w),
            None => {
                let iri = self.base.resource(ResourceKind::Organisation, &slug(name));
                w.types(&iri, &[cg::Agent, prov::Agent]);
                w.text(&iri, schema::name, name);
                w.text(&iri, rdfs::label, name);
                iri
            }
        }
    }

    fn map_person_page(&self, page: &PersonPage, w: &mut GraphWriter<'_>) {
        let collection = self.base.resource(ResourceKind::Collection, &page.id);
        w.types(
            &collection,
            &[cg::Collection, rico::RecordSet, schema::Collection],
        );
        if let Some(subject) = &page.subject {
            w.text(&collection, schema::name, subject);
            w.text(&collection, rdfs::label, subject);
        }
        if let Some(count) = page.document_count {
            w.typed(
                &collection,
                cg::documentCount,
                &count.to_string(),
                xsd::integer,
            );
        }
        if let Some(url) = page.url.as_deref().and_then(|u| NamedNode::new(u).ok()) {
            w.add(&collection, schema::url, url);
        }
        let subject_person = match (page.page_kind, &page.subject) {
            (PageKind::Person, Some(name)) => {
                let person = self.named_node(name, EntityKind::Person, w);
                w.add(&collection, schema::about, person.clone());
                Some(person)
            }
            _ => None,
        };
        for (position, card) in page.cards.iter().enumerate() {
            let is_subject = page.subject_card == Some(position);
            let person = match (&card.name, is_subject, &subject_person) {
                (_, true, Some(subject)) => subject.clone(),
                (Some(name), _, _) => self.named_node(name, EntityKind::Person, w),
                (None, _, _) => {
                    let key = format!("{}-card-{}", page.id, position + 1);
                    let iri = self.base.resource(ResourceKind::Person, &key);
                    w.types(&iri, entity_classes(EntityKind::Person));
                    iri
                }
            };
            self.map_card(card, position, &person, w);
            if !is_subject {
                w.add(&collection, cg::relatedPerson, person);
            }
        }
        for event in &page.timeline {
            let node = self.map_event(event, w);
            w.add(&node, cg::onTimelineOf, collection.clone());
        }
    }

    fn map_card(
        &self,
        card: &PersonCard,
        position: usize,
        person: &NamedNode,
        w: &mut GraphWriter<'_>,
    ) {
        w.typed(
            person,
            cg::cardPosition,
            &(position + 1).to_string(),
            xsd::integer,
        );
        if let Some(span) = &card.life_span {
            emit_life_span(w, person, span);
        }
        w.opt_text(person, cg::region, card.region.as_deref());
        if let Some(count) = card.document_count {
            w.typed(person, cg::documentCount, &count.to_string(), xsd::integer);
        }
        if let Some(url) = card.url.as_deref().and_then(|u| NamedNode::new(u).ok()) {
            w.add(person, schema::url, url);
        }
    }

    fn map_event(&self, event: &Event, w: &mut GraphWriter<'_>) -> NamedNode {
        let s = self.base.event(event);
        w.types(&s, &[cg::Event, sem::Event]);
        w.text(&s, rdfs::label, &event_label(event));
        w.text(&s, schema::description, &event.text);
        emit_date(w, &s, &event.date, &EVENT_DATE);
        for r in &event.people {
            let person = self.entity_node(r, Some(EntityKind::Person), w);
            w.add(&s, sem::hasActor, person);
        }
        for r in &event.organisations {
            let org = self.entity_node(r, Some(EntityKind::Organisation), w);
            w.add(&s, sem::hasActor, org);
        }
        for r in &event.places {
            let place = self.entity_node(r, Some(EntityKind::Place), w);
            w.add(&s, sem::hasPlace, place);
        }
        for doc in &event.documents {
            w.add(&s, cg::documentedBy, self.base.document(doc));
        }
        s
    }

    fn map_person(&self, p: &Person, w: &mut GraphWriter<'_>) -> NamedNode {
        let iri = self.record_iri(&p.name, p.id.as_deref(), EntityKind::Person);
        w.types(&iri, entity_classes(EntityKind::Person));
        w.text(&iri, schema::name, &p.name);
        w.text(&iri, rdfs::label, &p.name);
        for variant in &p.variants {
            w.text(&iri, skos::altLabel, variant);
        }
        if let Some(span) = &p.life_span {
            emit_life_span(w, &iri, span);
        }
        w.opt_text(&iri, cg::region, p.region.as_deref());
        w.opt_text(&iri, schema::description, p.description.as_deref());
        w.opt_text(&iri, dcterms::identifier, p.id.as_deref());
        iri
    }

    fn map_named(&self, e: &NamedEntity, kind: EntityKind, w: &mut GraphWriter<'_>) {
        let iri = self.record_iri(&e.name, e.id.as_deref(), kind);
        w.types(&iri, entity_classes(kind));
        w.text(&iri, schema::name, &e.name);
        w.text(&iri, rdfs::label, &e.name);
        for variant in &e.variants {
            w.text(&iri, skos::altLabel, variant);
        }
        w.opt_text(&iri, schema::description, e.description.as_deref());
        w.opt_text(&iri, dcterms::identifier, e.id.as_deref());
    }

    fn map_collection(&self, c: &Collection, w: &mut GraphWriter<'_>) {
        let s = self.base.resource(ResourceKind::Collection, &slug(&c.id));
        w.types(&s, &[cg::Collection, rico::RecordSet, schema::Collection]);
        w.text(&s, schema::name, &c.name);
        w.text(&s, rdfs::label, &c.name);
        w.opt_text(&s, schema::description, c.description.as_deref());
        for doc in &c.documents {
            w.add(&s, schema::hasPart, self.base.document(doc));
        }
    }
}

/// The classes an entity of a kind is typed with.
fn entity_classes(kind: EntityKind) -> &'static [NamedNodeRef<'static>] {
    match kind {
        EntityKind::Person => &[cg::Person, rico::Person, schema::Person, sem::Actor],
        EntityKind::Place => &[cg::Place, schema::Place],
        EntityKind::Organisation => &[cg::Organisation, schema::Organization, rico::CorporateBody],
        EntityKind::Archive => &[cg::Archive, schema::ArchiveOrganization],
        EntityKind::Agent => &[cg::Agent, rico::Agent, prov::Agent],
    }
}

/// An `http(s)` link as an IRI; any other scheme (`javascript:`...) is no link.
fn web_iri(url: &str) -> Option<NamedNode> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        .then(|| NamedNode::new(url.trim()).ok())
        .flatten()
}

fn named(iri: &'static str) -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(iri)
}

/// A short label for an event: its date and the opening of its text.
fn event_label(event: &Event) -> String {
    const MAX: usize = 80;
    let mut opening: String = event.text.chars().take(MAX).collect();
    if event.text.chars().count() > MAX {
        opening = format!("{}…", opening.trim_end());
    }
    format!("{}: {}", event.date.original, opening)
}

/// Writes a date: its typed value (xsd:date / gYearMonth / gYear, never faking
/// precision), the original text, the precision and the first and last day it covers.
fn emit_date(w: &mut GraphWriter<'_>, s: &NamedNode, date: &HistoricalDate, p: &DatePredicates) {
    if let Some((lexical, ty)) = date.xsd() {
        w.typed(s, p.value, &lexical, named(ty.datatype_iri()));
    }
    w.text(s, cg::dateText, &date.original);
    w.text(s, cg::datePrecision, date.precision().as_str());
    if let Some(d) = date.earliest() {
        w.typed(s, p.earliest, &d.format("%Y-%m-%d").to_string(), xsd::date);
    }
    if let Some(d) = date.latest() {
        w.typed(s, p.latest, &d.format("%Y-%m-%d").to_string(), xsd::date);
    }
    if date.approximate {
        w.typed(s, cg::approximateDate, "true", xsd::boolean);
    }
}

/// Writes a life span: birth and death at the precision given, and the original text.
fn emit_life_span(w: &mut GraphWriter<'_>, person: &NamedNode, span: &HistoricalDate) {
    w.text(person, cg::lifeSpanText, &span.original);
    if let Some((lexical, ty)) = span.start().and_then(|d| d.xsd()) {
        w.typed(
            person,
            schema::birthDate,
            &lexical,
            named(ty.datatype_iri()),
        );
    }
    let single = matches!(span.value, crate::dates::DateValue::Range { .. });
    if let Some((lexical, ty)) = span.end().filter(|_| single).and_then(|d| d.xsd()) {
        w.typed(
            person,
            schema::deathDate,
            &lexical,
            named(ty.datatype_iri()),
        );
    }
}

/// Whether an IRI is one the mapping may emit as a class or predicate without
/// declaring it: a term of a standard vocabulary.
pub fn is_standard_term(iri: &str) -> bool {
    vocab::STANDARD_NAMESPACES
        .iter()
        .any(|ns| iri.starts_with(ns))
}

/// The prefix → namespace pairs for serializers and queries.
pub fn prefixes() -> &'static [(&'static str, &'static str)] {
    &vocab::PREFIXES
}

/// A serializer for `format` that writes the project's prefixes (in the syntaxes
/// that have prefixes). The namespaces are constants, so an error here is a
/// defect in [`vocab::PREFIXES`].
pub fn prefixed_serializer(
    format: oxigraph::io::RdfFormat,
) -> Result<oxigraph::io::RdfSerializer, oxigraph::model::IriParseError> {
    let mut serializer = oxigraph::io::RdfSerializer::from_format(format);
    for (prefix, ns) in prefixes() {
        serializer = serializer.with_prefix(*prefix, *ns)?;
    }
    Ok(serializer)
}
