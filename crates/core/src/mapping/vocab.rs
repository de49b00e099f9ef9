//! The vocabularies the mapping speaks: our ontology (`cg:`) and the standard
//! vocabularies it aligns with. Every term the mapping emits is named here, so
//! the ontology test can check each one is declared or standard.

use oxigraph::model::NamedNodeRef;

/// Prefixes written in Turtle exports and used by the sample queries.
pub const PREFIXES: [(&str, &str); 15] = [
    ("cg", cg::NS),
    ("rico", rico::NS),
    ("sem", sem::NS),
    ("schema", schema::NS),
    ("dcterms", dcterms::NS),
    ("prov", prov::NS),
    ("skos", skos::NS),
    ("owl", owl::NS),
    ("rdf", rdf::NS),
    ("rdfs", rdfs::NS),
    ("xsd", xsd::NS),
    ("crm", "http://www.cidoc-crm.org/cidoc-crm/"),
    ("time", "http://www.w3.org/2006/time#"),
    ("void", "http://rdfs.org/ns/void#"),
    ("qb", qb::NS),
];

/// The namespaces whose terms count as "standard" (not ours to declare).
pub const STANDARD_NAMESPACES: [&str; 13] = [
    rico::NS,
    sem::NS,
    schema::NS,
    dcterms::NS,
    prov::NS,
    skos::NS,
    owl::NS,
    rdf::NS,
    rdfs::NS,
    xsd::NS,
    "http://www.cidoc-crm.org/cidoc-crm/",
    "http://www.w3.org/2006/time#",
    qb::NS,
];

macro_rules! vocabulary {
    ($(#[$doc:meta])* $module:ident, $ns:literal, { $($(#[$tdoc:meta])* $name:ident = $local:literal),* $(,)? }) => {
        $(#[$doc])*
        #[allow(non_upper_case_globals)]
        pub mod $module {
            use super::NamedNodeRef;
            /// The namespace IRI.
            pub const NS: &str = $ns;
            $(
                $(#[$tdoc])*
                pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(concat!($ns, $local));
            )*
        }
    };
}

vocabulary!(
    /// chronograph's own ontology (`ontology/chronograph.ttl`).
    cg, "https://w3id.org/chronograph/ontology#", {
    /// Class of archive documents.
    Document = "Document",
    /// Class of dated events.
    Event = "Event",
    /// Class of people.
    Person = "Person",
    /// Class of places.
    Place = "Place",
    /// Class of organisations.
    Organisation = "Organisation",
    /// Class of agents whose kind is unknown (a sender named only as printed).
    Agent = "Agent",
    /// Class of holding archives.
    Archive = "Archive",
    /// Class of collections (a person's or a topic's page of documents and events).
    Collection = "Collection",
    /// Class of labelled page fields the reader kept without knowing them.
    PageField = "PageField",
    /// Class of loaded sources (a named graph and what it came from).
    Source = "Source",
    /// Class of links to items elsewhere, with their evidence.
    Link = "Link",
    /// The resource a link is about.
    linkSubject = "linkSubject",
    /// The item a link points to.
    linkTarget = "linkTarget",
    /// A link's score.
    linkScore = "linkScore",
    /// One line of a link's evidence.
    linkEvidence = "linkEvidence",
    /// How a link was decided.
    linkMethod = "linkMethod",
    /// Original text of a date.
    dateText = "dateText",
    /// Precision of a date.
    datePrecision = "datePrecision",
    /// First day a date covers.
    earliestDate = "earliestDate",
    /// Last day a date covers.
    latestDate = "latestDate",
    /// Marks an approximate date.
    approximateDate = "approximateDate",
    /// The funding line.
    fundingStatement = "fundingStatement",
    /// Urgency level.
    level = "level",
    /// Security classification.
    classification = "classification",
    /// Receiving serial number.
    serialNumber = "serialNumber",
    /// Whole serial line.
    serialLine = "serialLine",
    /// Archive signature.
    archiveSignature = "archiveSignature",
    /// Pages or folios.
    pages = "pages",
    /// Drupal node id.
    nodeId = "nodeId",
    /// URL slug.
    slug = "slug",
    /// Life span text.
    lifeSpanText = "lifeSpanText",
    /// Region of a person.
    region = "region",
    /// Number of documents the archive lists.
    documentCount = "documentCount",
    /// A person shown as related on a collection page.
    relatedPerson = "relatedPerson",
    /// An event appears on the timeline of a collection page.
    onTimelineOf = "onTimelineOf",
    /// A document that records an event.
    documentedBy = "documentedBy",
    /// A kept page field.
    pageField = "pageField",
    /// The label of a kept page field.
    fieldLabel = "fieldLabel",
    /// The position of a card on its page.
    cardPosition = "cardPosition",
    /// SHA-256 of a source's bytes.
    sha256 = "sha256",
    /// Path of a source as given to `load`.
    sourcePath = "sourcePath",
    /// Number of quads a source produced.
    quadCount = "quadCount",
    /// Records a source produced.
    recordCount = "recordCount",
        /// A main participant of the document ("Document Contributor(s)").
        participant = "participant",
        /// Who contributed or obtained the document for the archive.
        contributedBy = "contributedBy",
        /// Who transcribed the document.
        transcribedBy = "transcribedBy",
        /// The kind of document, as the archive names it.
        documentType = "documentType",
    /// Statistics (Data Cube) dimension: a year.
    refYear = "refYear",
    /// Statistics dimension: a decade, as its first year.
    refDecade = "refDecade",
    /// Statistics dimension: a class.
    refClass = "refClass",
    /// Statistics dimension: a property.
    refProperty = "refProperty",
    /// Statistics dimension: a named graph.
    refGraph = "refGraph",
    /// Statistics dimension: a person.
    refPerson = "refPerson",
    /// Statistics dimension: the second person of a pair.
    refOtherPerson = "refOtherPerson",
    /// Statistics dimension: a collection.
    refCollection = "refCollection",
    /// Statistics dimension: a holding archive.
    refArchive = "refArchive",
    /// Statistics dimension: a translator.
    refTranslator = "refTranslator",
    /// Statistics dimension: a language, as written.
    refLanguage = "refLanguage",
    /// Statistics dimension: a count (of the times a pair is named together).
    refCount = "refCount",
    /// Statistics measure: entities.
    countOfEntities = "countOfEntities",
    /// Statistics measure: triples.
    countOfTriples = "countOfTriples",
    /// Statistics measure: documents.
    countOfDocuments = "countOfDocuments",
    /// Statistics measure: events.
    countOfEvents = "countOfEvents",
    /// Statistics measure: documents and events.
    countOfItems = "countOfItems",
    /// Statistics measure: pairs of people.
    countOfPairs = "countOfPairs",
    /// Writes the store has taken (on the statistics graph).
    writeCount = "writeCount",
    /// Whether the statistics wait for a recount (on the statistics graph).
    statisticsPending = "statisticsPending",
});

vocabulary!(
    /// Records in Contexts ontology (RiC-O 1.1).
    rico, "https://www.ica.org/standards/RiC/ontology#", {
    /// Record.
    Record = "Record",
    /// Record set.
    RecordSet = "RecordSet",
    /// Person.
    Person = "Person",
    /// Sender.
    hasSender = "hasSender",
    /// Receiver.
    hasReceiver = "hasReceiver",
        /// The agent that created a record (its author).
        hasCreator = "hasCreator",
        /// An agent, of whatever kind.
        Agent = "Agent",
        /// A corporate body.
        CorporateBody = "CorporateBody",
        /// A body that is or was a subdivision of another.
        isOrWasSubdivisionOf = "isOrWasSubdivisionOf",
    /// Scope and content (summary).
    scopeAndContent = "scopeAndContent",
    /// Conditions of use (rights).
    conditionsOfUse = "conditionsOfUse",
});

vocabulary!(
    /// Simple Event Model.
    sem, "http://semanticweb.cs.vu.nl/2009/11/sem/", {
    /// Event.
    Event = "Event",
    /// Actor.
    Actor = "Actor",
    /// Time stamp.
    hasTimeStamp = "hasTimeStamp",
    /// Earliest begin.
    hasEarliestBeginTimeStamp = "hasEarliestBeginTimeStamp",
    /// Latest end.
    hasLatestEndTimeStamp = "hasLatestEndTimeStamp",
    /// Actor of an event.
    hasActor = "hasActor",
    /// Place of an event.
    hasPlace = "hasPlace",
});

vocabulary!(
    /// schema.org (https form).
    schema, "https://schema.org/", {
    /// Person.
    Person = "Person",
    /// Place.
    Place = "Place",
    /// Organization.
    Organization = "Organization",
    /// ArchiveComponent.
    ArchiveComponent = "ArchiveComponent",
    /// ArchiveOrganization.
    ArchiveOrganization = "ArchiveOrganization",
    /// Collection.
    Collection = "Collection",
    /// Name.
    name = "name",
    /// Text.
    text = "text",
    /// Description.
    description = "description",
    /// Funder.
    funder = "funder",
    /// Translator.
    translator = "translator",
    /// Mentions.
    mentions = "mentions",
    /// Same as (a link to the same thing elsewhere).
    sameAs = "sameAs",
    /// Sender.
    sender = "sender",
    /// Recipient.
    recipient = "recipient",
        /// The author.
        creator = "creator",
        /// A contributor.
        contributor = "contributor",
        /// An editor.
        editor = "editor",
        /// The body an organisation is part of.
        parentOrganization = "parentOrganization",
        /// A media object of the item (its PDF).
        associatedMedia = "associatedMedia",
    /// Birth date.
    birthDate = "birthDate",
    /// Death date.
    deathDate = "deathDate",
    /// URL.
    url = "url",
    /// About.
    about = "about",
    /// Holding archive.
    holdingArchive = "holdingArchive",
    /// Has part.
    hasPart = "hasPart",
    /// Software version.
    softwareVersion = "softwareVersion",
});

vocabulary!(
    /// DCMI Metadata Terms.
    dcterms, "http://purl.org/dc/terms/", {
    /// Title.
    title = "title",
    /// Date.
    date = "date",
    /// Identifier.
    identifier = "identifier",
    /// Abstract.
    abstract_ = "abstract",
    /// Description.
    description = "description",
    /// Rights.
    rights = "rights",
    /// Language.
    language = "language",
    /// Date submitted.
    dateSubmitted = "dateSubmitted",
    /// Subject.
    subject = "subject",
    /// Spatial coverage.
    spatial = "spatial",
    /// Is part of.
    isPartOf = "isPartOf",
    /// Bibliographic citation.
    bibliographicCitation = "bibliographicCitation",
    /// Created.
    created = "created",
        /// The author.
        creator = "creator",
        /// A contributor.
        contributor = "contributor",
});

vocabulary!(
    /// PROV-O.
    prov, "http://www.w3.org/ns/prov#", {
    /// Entity.
    Entity = "Entity",
    /// Activity.
    Activity = "Activity",
    /// Agent.
    Agent = "Agent",
    /// Bundle (a named set of provenance descriptions).
    Bundle = "Bundle",
    /// Software agent.
    SoftwareAgent = "SoftwareAgent",
    /// Derived from.
    wasDerivedFrom = "wasDerivedFrom",
    /// Primary source.
    hadPrimarySource = "hadPrimarySource",
    /// Generation time.
    generatedAtTime = "generatedAtTime",
    /// Attributed to an agent.
    wasAttributedTo = "wasAttributedTo",
    /// Generated by.
    wasGeneratedBy = "wasGeneratedBy",
    /// Associated with.
    wasAssociatedWith = "wasAssociatedWith",
    /// Used (an activity used an entity).
    used = "used",
    /// Ended at (an activity's end).
    endedAtTime = "endedAtTime",
    /// Informed by (one activity used what another generated).
    wasInformedBy = "wasInformedBy",
});

vocabulary!(
    /// SKOS.
    skos, "http://www.w3.org/2004/02/skos/core#", {
    /// Concept.
    Concept = "Concept",
    /// Preferred label.
    prefLabel = "prefLabel",
    /// Alternative label.
    altLabel = "altLabel",
        /// A broader concept.
        broader = "broader",
});

vocabulary!(
    /// OWL.
    owl, "http://www.w3.org/2002/07/owl#", {
    /// sameAs.
    sameAs = "sameAs",
});

vocabulary!(
    /// RDF.
    rdf, "http://www.w3.org/1999/02/22-rdf-syntax-ns#", {
    /// type.
    type_ = "type",
    /// value.
    value = "value",
});

vocabulary!(
    /// RDF Schema.
    rdfs, "http://www.w3.org/2000/01/rdf-schema#", {
    /// label.
    label = "label",
    /// comment.
    comment = "comment",
});

vocabulary!(
    /// XML Schema datatypes.
    xsd, "http://www.w3.org/2001/XMLSchema#", {
    /// date.
    date = "date",
    /// dateTime.
    dateTime = "dateTime",
    /// gYear.
    gYear = "gYear",
    /// gYearMonth.
    gYearMonth = "gYearMonth",
    /// Decimal.
    decimal = "decimal",
    /// integer.
    integer = "integer",
    /// boolean.
    boolean = "boolean",
});

vocabulary!(
    /// The W3C RDF Data Cube vocabulary (the statistics graph).
    qb, "http://purl.org/linked-data/cube#", {
    /// A data set.
    DataSet = "DataSet",
    /// An observation.
    Observation = "Observation",
    /// A data structure definition.
    DataStructureDefinition = "DataStructureDefinition",
    /// A dimension property.
    DimensionProperty = "DimensionProperty",
    /// A measure property.
    MeasureProperty = "MeasureProperty",
    /// The data set of an observation.
    dataSet = "dataSet",
    /// The structure of a data set.
    structure = "structure",
    /// A component of a structure.
    component = "component",
    /// A component's dimension.
    dimension = "dimension",
    /// A component's measure.
    measure = "measure",
});
