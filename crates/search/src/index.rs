//! The index in the store's folder: building it from the store, keeping a
//! record in step, and searching it with ranked hits, snippets and facets.

use std::path::{Path, PathBuf};

use chronograph_core::derived::WriteOutcome;
use chronograph_core::mapping::vocab::{cg, dcterms, rdf, schema};
use chronograph_core::store::ArchiveStore;
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term};
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, Occur, Query, QueryParser, QueryParserError, RangeQuery, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term as IndexTerm};

use crate::analysis::{
    archive_analyzer, archive_pairs_analyzer, ARCHIVE_ANALYZER, ARCHIVE_PAIRS_ANALYZER,
};
use crate::documents::{read_records, IndexedRecord, RecordReader};
use crate::phrases::{self, PAIRED_FIELDS};
use crate::query_language;
use crate::SearchError;

/// The index's folder inside the store's folder.
pub const INDEX_FOLDER: &str = "search-index";

/// Written beside the index: the schema it was built with.
const VERSION_FILE: &str = "chronograph-search.version";
/// Bumped whenever the schema or the analysis changes: an index of another
/// version is rebuilt, never read with the wrong fields.
const SCHEMA_VERSION: &str = "3";

pub use crate::facets::{Facet, FacetValue, FACETS};

/// The fields of the index.
#[derive(Clone, Copy)]
struct Fields {
    iri: Field,
    kind: Field,
    title: Field,
    date: Field,
    year: Field,
    earliest: Field,
    summary: Field,
    text: Field,
    citation: Field,
    names: Field,
    /// The pairs twins of the fields of [`PAIRED_FIELDS`], in its order.
    pairs: [Field; PAIRED_FIELDS.len()],
    person: Field,
    place: Field,
    organisation: Field,
    collection: Field,
    archive: Field,
    language: Field,
    person_facet: Field,
    place_facet: Field,
    organisation_facet: Field,
    collection_facet: Field,
    archive_facet: Field,
    language_facet: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let analyzed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ARCHIVE_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let analyzed_stored = analyzed.clone() | STORED;
    // Pairs are single terms: frequencies for BM25, no positions.
    let paired = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ARCHIVE_PAIRS_ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let facet = STRING | FAST;
    let fields = Fields {
        iri: builder.add_text_field("iri", STRING | STORED),
        kind: builder.add_text_field("kind", STRING | STORED),
        title: builder.add_text_field("title", analyzed_stored),
        date: builder.add_text_field("date", STORED),
        year: builder.add_u64_field("year", INDEXED | FAST | STORED),
        earliest: builder.add_u64_field("earliest", INDEXED | FAST),
        summary: builder.add_text_field("summary", analyzed.clone()),
        text: builder.add_text_field("text", analyzed.clone()),
        citation: builder.add_text_field("citation", analyzed.clone()),
        names: builder.add_text_field("names", analyzed.clone()),
        pairs: PAIRED_FIELDS.map(|(_, pairs)| builder.add_text_field(pairs, paired.clone())),
        person: builder.add_text_field("person", analyzed.clone()),
        place: builder.add_text_field("place", analyzed.clone()),
        organisation: builder.add_text_field("organisation", analyzed.clone()),
        collection: builder.add_text_field("collection", analyzed.clone()),
        archive: builder.add_text_field("archive", analyzed.clone()),
        language: builder.add_text_field("language", analyzed),
        person_facet: builder.add_text_field("person_facet", facet.clone()),
        place_facet: builder.add_text_field("place_facet", facet.clone()),
        organisation_facet: builder.add_text_field("organisation_facet", facet.clone()),
        collection_facet: builder.add_text_field("collection_facet", facet.clone()),
        archive_facet: builder.add_text_field("archive_facet", facet.clone()),
        language_facet: builder.add_text_field("language_facet", facet),
    };
    (builder.build(), fields)
}

/// The search index of one store.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    folder: PathBuf,
    /// One writer at a time (tantivy's own lock would refuse a second).
    writing: std::sync::Mutex<()>,
    /// The segments' facet values, packed for counting.
    facets: crate::facets::FacetCache,
}

/// Where an index stands against its store's writes.
fn store_write_count(store: &ArchiveStore) -> Result<u64, SearchError> {
    store
        .write_count()
        .map_err(|e| SearchError::Store(Box::new(e)))
}

/// One ranked hit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    /// The document's or event's IRI.
    pub iri: String,
    /// BM25 score.
    pub score: f32,
    /// Title or label.
    pub title: String,
    /// Date as stored, if any.
    pub date: Option<String>,
    /// A passage of the summary or text with the matched words between
    /// `<b>` and `</b>` (the rest HTML-escaped).
    pub snippet: String,
}

/// What a search found.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchResults {
    /// Every hit's count, not only this page's.
    pub total: usize,
    /// This page of hits, best first.
    pub hits: Vec<Hit>,
    /// Per facet (`year`, `person`, …), the most frequent values among all hits.
    pub facets: std::collections::BTreeMap<String, Facet>,
}

impl SearchIndex {
    /// The index folder of a store folder.
    pub fn folder_of(store_folder: &Path) -> PathBuf {
        store_folder.join(INDEX_FOLDER)
    }

    /// Opens the index of a store folder; [`SearchError::NeedsReindex`] when
    /// it is missing or of another schema version.
    pub fn open(store_folder: &Path) -> Result<Self, SearchError> {
        let folder = Self::folder_of(store_folder);
        let version = std::fs::read_to_string(folder.join(VERSION_FILE)).ok();
        match version.as_deref().map(str::trim) {
            Some(SCHEMA_VERSION) => {}
            other => {
                return Err(SearchError::NeedsReindex {
                    store: store_folder.display().to_string(),
                    state: match other {
                        None => "missing".into(),
                        Some(v) => format!("of schema version {v}, not {SCHEMA_VERSION}"),
                    },
                })
            }
        }
        let index = Index::open_in_dir(&folder)?;
        Self::with_index(index, folder)
    }

    fn with_index(index: Index, folder: PathBuf) -> Result<Self, SearchError> {
        register_analyzers(&index);
        let (_, fields) = schema();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            fields,
            folder,
            writing: std::sync::Mutex::new(()),
            facets: crate::facets::FacetCache::default(),
        })
    }

    /// The store write the index follows: the write count recorded with
    /// its last commit (see [`ArchiveStore::write_count`]).
    pub fn follows_write(&self) -> Option<u64> {
        self.index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| p.trim().parse().ok())
    }

    /// Opens the index of a store folder and checks that it follows the
    /// store's last write: [`SearchError::NeedsReindex`] when it is missing,
    /// of another schema version, or behind (a crash between a write and the
    /// index's update).
    pub fn open_current(store: &ArchiveStore, store_folder: &Path) -> Result<Self, SearchError> {
        let index = Self::open(store_folder)?;
        let store_at = store_write_count(store)?;
        match index.follows_write() {
            Some(at) if at == store_at => Ok(index),
            at => Err(SearchError::NeedsReindex {
                store: store_folder.display().to_string(),
                state: format!(
                    "behind the store (it follows write {}, the store is at write {store_at})",
                    at.map_or("none".to_owned(), |a| a.to_string())
                ),
            }),
        }
    }

    /// Follows a write: the records it touched are indexed again (every
    /// record, for a write that may have touched any), and the index
    /// records that it follows the write (or a later one it already
    /// followed).
    pub fn follow(&self, store: &ArchiveStore, write: &WriteOutcome) -> Result<(), SearchError> {
        let at = self.follows_write().unwrap_or(0).max(write.write_count);
        if write.every_record {
            self.rewrite_to(store, at)
        } else {
            self.update_to(store, &write.records, at)
        }
    }

    /// Replaces every record with what the store holds now, in one commit
    /// that records the store write `write_count` as followed.
    fn rewrite_to(&self, store: &ArchiveStore, write_count: u64) -> Result<(), SearchError> {
        let _one_writer = self
            .writing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut writer: IndexWriter = crate::writer::open_writer(&self.index)?;
        writer.delete_all_documents()?;
        read_records(store, &|record| {
            writer.add_document(document(&self.fields, &record))?;
            Ok(())
        })?;
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&write_count.to_string());
        commit.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Brings the index of a store folder in step after writes made since
    /// the store was at write `since`, which touched `records`: when the
    /// index followed `since`, only those are indexed again; when it was
    /// missing or behind, it is built whole. Returns the index and how many
    /// records were (re)indexed.
    pub fn catch_up(
        store: &ArchiveStore,
        store_folder: &Path,
        since: u64,
        records: &[NamedNode],
    ) -> Result<(Self, usize), SearchError> {
        let index = match Self::open(store_folder) {
            Ok(index) if index.follows_write() == Some(since) => index,
            Ok(_) | Err(SearchError::NeedsReindex { .. }) => {
                return Self::rebuild(store, store_folder)
            }
            Err(e) => return Err(e),
        };
        index.update_to(store, records, store_write_count(store)?)?;
        Ok((index, records.len()))
    }

    /// Builds the index of a store from scratch (the old one, if any, is
    /// replaced only once the new one is complete); returns it and the
    /// number of records indexed.
    pub fn rebuild(
        store: &ArchiveStore,
        store_folder: &Path,
    ) -> Result<(Self, usize), SearchError> {
        Self::build(store_folder, false, |writer, fields| {
            let write_count = store_write_count(store)?;
            let count = read_records(store, &|record| {
                writer.add_document(document(fields, &record))?;
                Ok(())
            })?;
            Ok((write_count, count))
        })
    }

    /// Counts the store's statistics again
    /// ([`ArchiveStore::recount_statistics`]) and builds its index from
    /// scratch from the same read of the records, as [`Self::rebuild`]
    /// does from a read of its own: after a bulk load, which leaves the
    /// statistics to count, this reads the archive once, not twice. The
    /// index follows the recount's write. Returns the index, the number of
    /// records indexed, and the recount's write.
    pub fn rebuild_counting_statistics(
        store: &ArchiveStore,
        store_folder: &Path,
    ) -> Result<(Self, usize, WriteOutcome), SearchError> {
        let (index, (count, recount)) = Self::build(store_folder, true, |writer, fields| {
            let (count, recount) = recount_indexing(store, writer, fields, None)?;
            Ok((recount.write_count, (count, recount)))
        })?;
        Ok((index, count, recount))
    }

    /// Builds a new index in a folder beside the old one: `fill` adds the
    /// records through the writer and says which store write they are as
    /// of; the index is committed as following it and then replaces the
    /// old one. `beside_recount`: `fill` counts the statistics too (see
    /// [`crate::writer::open_writer_beside_recount`]).
    fn build<T>(
        store_folder: &Path,
        beside_recount: bool,
        fill: impl FnOnce(&IndexWriter, &Fields) -> Result<(u64, T), SearchError>,
    ) -> Result<(Self, T), SearchError> {
        let folder = Self::folder_of(store_folder);
        let building = store_folder.join(format!("{INDEX_FOLDER}.building"));
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source| SearchError::Folder { path, source }
        };
        if building.exists() {
            std::fs::remove_dir_all(&building).map_err(io(&building))?;
        }
        std::fs::create_dir_all(&building).map_err(io(&building))?;
        let (schema, fields) = schema();
        let index = Index::create_in_dir(&building, schema)?;
        register_analyzers(&index);
        let mut writer: IndexWriter = if beside_recount {
            crate::writer::open_writer_beside_recount(&index)?
        } else {
            crate::writer::open_writer(&index)?
        };
        let (write_count, filled) = fill(&writer, &fields)?;
        crate::writer::merge_from_now(&writer);
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&write_count.to_string());
        commit.commit()?;
        writer.wait_merging_threads()?;
        std::fs::write(building.join(VERSION_FILE), SCHEMA_VERSION).map_err(io(&building))?;
        if folder.exists() {
            std::fs::remove_dir_all(&folder).map_err(io(&folder))?;
        }
        std::fs::rename(&building, &folder).map_err(io(&folder))?;
        Ok((Self::open(store_folder)?, filled))
    }

    /// The folder the index is in.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Records in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Replaces the records of these IRIs with what the store holds now
    /// (removing those it no longer holds), in one commit that records the
    /// store write `write_count` as followed.
    fn update_to(
        &self,
        store: &ArchiveStore,
        iris: &[NamedNode],
        write_count: u64,
    ) -> Result<(), SearchError> {
        let _one_writer = self
            .writing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut writer: IndexWriter = crate::writer::open_writer(&self.index)?;
        for iri in iris {
            writer.delete_term(IndexTerm::from_field_text(self.fields.iri, iri.as_str()));
            if let Some(record) = crate::documents::read_record(store, iri)? {
                writer.add_document(document(&self.fields, &record))?;
            }
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&write_count.to_string());
        commit.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Keeps a store's index in step after a load that wrote `graphs`, the
    /// store having been at write `since` before it: the documents and
    /// events those graphs state are indexed again; an index missing, of
    /// another schema version, or not following `since` is built whole.
    /// Returns the index and how many records were (re)indexed.
    pub fn after_load(
        store: &ArchiveStore,
        store_folder: &Path,
        since: u64,
        graphs: &[NamedNode],
    ) -> Result<(Self, usize), SearchError> {
        let iris = records_stated_in(store, graphs)?;
        Self::catch_up(store, store_folder, since, &iris)
    }

    /// After a bulk load, which leaves the statistics to count: counts them
    /// again and brings the index in step from the same read of the
    /// records (see [`Self::rebuild_counting_statistics`]). When the index
    /// followed `since`, only the documents and events of `graphs` (those
    /// the load wrote) are indexed again; otherwise it is built whole.
    /// Returns the index, how many records were (re)indexed, and the
    /// recount's write.
    pub fn after_bulk_load(
        store: &ArchiveStore,
        store_folder: &Path,
        since: u64,
        graphs: &[NamedNode],
    ) -> Result<(Self, usize, WriteOutcome), SearchError> {
        let index = match Self::open(store_folder) {
            Ok(index) if index.follows_write() == Some(since) => index,
            Ok(_) | Err(SearchError::NeedsReindex { .. }) => {
                return Self::rebuild_counting_statistics(store, store_folder)
            }
            Err(e) => return Err(e),
        };
        let loaded: std::collections::HashSet<NamedNode> =
            records_stated_in(store, graphs)?.into_iter().collect();
        let _one_writer = index
            .writing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut writer: IndexWriter = crate::writer::open_writer_beside_recount(&index.index)?;
        let (_, recount) = recount_indexing(store, &writer, &index.fields, Some(&loaded))?;
        crate::writer::merge_from_now(&writer);
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&recount.write_count.to_string());
        commit.commit()?;
        index.reader.reload()?;
        drop(_one_writer);
        Ok((index, loaded.len(), recount))
    }

    /// The IRIs of the `n` documents of the earliest dates, earliest first
    /// (undated documents left out): a read of one column, not of every
    /// document.
    pub fn earliest_documents(&self, n: usize) -> Result<Vec<String>, SearchError> {
        let searcher = self.reader.searcher();
        let n = n.min(searcher.num_docs() as usize);
        if n == 0 {
            return Ok(Vec::new());
        }
        let dated_documents = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    IndexTerm::from_field_text(self.fields.kind, "document"),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(RangeQuery::new(
                    std::ops::Bound::Included(IndexTerm::from_field_u64(self.fields.earliest, 0)),
                    std::ops::Bound::Unbounded,
                )),
            ),
        ]);
        let top = searcher.search(
            &dated_documents,
            &TopDocs::with_limit(n).order_by_fast_field::<u64>("earliest", tantivy::Order::Asc),
        )?;
        let mut iris = Vec::new();
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(iri) = doc.get_first(self.fields.iri).and_then(|v| v.as_str()) {
                iris.push(iri.to_owned());
            }
        }
        Ok(iris)
    }

    fn parse(&self, query: &str) -> Result<ParsedQuery, SearchError> {
        let f = &self.fields;
        let mut parser = QueryParser::for_index(
            &self.index,
            vec![f.title, f.summary, f.text, f.citation, f.names],
        );
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 2.0);
        // The title's pairs twin (first of PAIRED_FIELDS) counts twice too.
        parser.set_field_boost(f.pairs[0], 2.0);
        let refused = |e: QueryParserError| SearchError::Query {
            query: query.to_owned(),
            message: e.to_string(),
        };
        let translated = query_language::to_tantivy(query);
        let ast = tantivy::query_grammar::parse_query(&translated)
            .map_err(|_| refused(QueryParserError::SyntaxError(translated.clone())))?;
        let highlighted = parser.parse_query(&translated).map_err(refused)?;
        let (ast, rewritten) = phrases::answer_from_pairs(ast);
        let searched = if rewritten {
            parser
                .build_query_from_user_input_ast(ast)
                .map_err(refused)?
        } else {
            highlighted.box_clone()
        };
        Ok(ParsedQuery {
            searched,
            highlighted,
        })
    }

    /// The first `limit` hits, best first, without facets (for the SPARQL
    /// service); snippets only when asked for (each reads the store).
    pub fn ranked(
        &self,
        store: &ArchiveStore,
        query: &str,
        limit: usize,
        snippets: bool,
    ) -> Result<Vec<Hit>, SearchError> {
        let parsed = self.parse(query)?;
        let searcher = self.reader.searcher();
        // Never more hits than records: a caller's huge limit would size
        // the collector's heap.
        let limit = limit.min(searcher.num_docs() as usize);
        let top = searcher.search(
            &*parsed.searched,
            &TopDocs::with_limit(limit.max(1)).order_by_score(),
        )?;
        self.hits(store, &searcher, &*parsed.highlighted, top, limit, snippets)
    }

    fn hits(
        &self,
        store: &ArchiveStore,
        searcher: &tantivy::Searcher,
        parsed: &dyn Query,
        top: Vec<(f32, tantivy::DocAddress)>,
        limit: usize,
        snippets: bool,
    ) -> Result<Vec<Hit>, SearchError> {
        let mut text_snippets = SnippetGenerator::create(searcher, parsed, self.fields.text)?;
        text_snippets.set_max_num_chars(240);
        let mut summary_snippets = SnippetGenerator::create(searcher, parsed, self.fields.summary)?;
        summary_snippets.set_max_num_chars(240);
        let mut hits = Vec::new();
        for (score, address) in top.into_iter().take(limit) {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            };
            let iri = text(self.fields.iri).unwrap_or_default();
            let snippet = if snippets {
                let (summary, body) = stored_text(store, &iri)?;
                let mut snippet = summary_snippets.snippet(&summary);
                if snippet.highlighted().is_empty() {
                    let from_text = text_snippets.snippet(&body);
                    if !from_text.highlighted().is_empty() || snippet.fragment().is_empty() {
                        snippet = from_text;
                    }
                }
                snippet.to_html()
            } else {
                String::new()
            };
            hits.push(Hit {
                iri,
                score,
                title: text(self.fields.title).unwrap_or_default(),
                date: text(self.fields.date),
                snippet,
            });
        }
        Ok(hits)
    }

    /// Searches: `limit` hits from `offset`, best first, with snippets (read
    /// from `store`) and the facets of every hit.
    pub fn search(
        &self,
        store: &ArchiveStore,
        query: &str,
        limit: usize,
        offset: usize,
    ) -> Result<SearchResults, SearchError> {
        let parsed = self.parse(query)?;
        let searcher = self.reader.searcher();
        // Past the last record there is nothing to page to; a caller's huge
        // offset or limit would otherwise size the collector's heap.
        let records = searcher.num_docs() as usize;
        let (limit, offset) = (limit.min(records), offset.min(records));
        // One pass over the hits: each is scored for the top ones and
        // counted in the facets. (Counting unscored, then finding the top
        // ones by block-max WAND, measured the same for a word and slower
        // for a phrase, whose positions were then read twice.)
        let facets = self.facets.for_searcher(&searcher)?;
        let (counted, top) = searcher.search(
            &*parsed.searched,
            &(
                crate::facets::FacetCollector { facets: &facets },
                TopDocs::with_limit(limit.max(1))
                    .and_offset(offset)
                    .order_by_score(),
            ),
        )?;
        let hits = self.hits(store, &searcher, &*parsed.highlighted, top, limit, true)?;
        Ok(SearchResults {
            total: counted.hits as usize,
            hits,
            facets: facets.top_values(&counted),
        })
    }
}

/// Counts the store's statistics again ([`ArchiveStore::recount_statistics_reading`])
/// and, from the same read, indexes the documents and events through
/// `writer`: every one into a new index (`only` is `None`), or those of
/// `only`, each replacing its older entry. Returns how many records were
/// indexed and the recount's write.
fn recount_indexing(
    store: &ArchiveStore,
    writer: &IndexWriter,
    fields: &Fields,
    only: Option<&std::collections::HashSet<NamedNode>>,
) -> Result<(usize, WriteOutcome), SearchError> {
    let reader = RecordReader::new(store);
    let count = std::sync::atomic::AtomicUsize::new(0);
    let recount = store
        .recount_statistics_reading(&[cg::Document, cg::Event], &|iri, statements| {
            if let Some(only) = only {
                if !only.contains(iri) {
                    return Ok(());
                }
                writer.delete_term(IndexTerm::from_field_text(fields.iri, iri.as_str()));
            }
            if let Some(record) = reader.stated_record(iri, statements)? {
                writer.add_document(document(fields, &record))?;
                count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(())
        })
        .map_err(|e| SearchError::Store(Box::new(e)))?;
    Ok((count.into_inner(), recount))
}

/// The documents and events the named graphs state, each once.
fn records_stated_in(
    store: &ArchiveStore,
    graphs: &[NamedNode],
) -> Result<Vec<NamedNode>, SearchError> {
    let mut iris = std::collections::BTreeSet::new();
    for graph in graphs {
        for class in [cg::Document, cg::Event] {
            for quad in store.oxigraph().quads_for_pattern(
                None,
                Some(rdf::type_),
                Some(class.into()),
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            ) {
                if let oxigraph::model::NamedOrBlankNode::NamedNode(s) = quad?.subject {
                    iris.insert(s);
                }
            }
        }
    }
    Ok(iris.into_iter().collect())
}

/// Registers the analyzers the schema's fields name.
fn register_analyzers(index: &Index) {
    let analyzers = index.tokenizers();
    analyzers.register(ARCHIVE_ANALYZER, archive_analyzer());
    analyzers.register(ARCHIVE_PAIRS_ANALYZER, archive_pairs_analyzer());
}

/// A search query, parsed.
struct ParsedQuery {
    /// What is searched: two-word phrases as terms of the pairs fields.
    searched: Box<dyn Query>,
    /// The query as written (phrases as phrases), whose terms the snippets
    /// highlight.
    highlighted: Box<dyn Query>,
}

/// The summary and text of a record, read from the store for its snippet.
fn stored_text(store: &ArchiveStore, iri: &str) -> Result<(String, String), SearchError> {
    let Ok(subject) = NamedNodeRef::new(iri) else {
        return Ok(Default::default());
    };
    let union = GraphNameRef::NamedNode(store.union_graph().as_ref());
    let read = |p: NamedNodeRef<'_>| -> Result<String, SearchError> {
        let mut out = Vec::new();
        for quad in store.oxigraph().quads_for_pattern(
            Some(NamedOrBlankNodeRef::NamedNode(subject)),
            Some(p),
            None,
            Some(union),
        ) {
            if let Term::Literal(l) = quad?.object {
                out.push(l.value().to_owned());
            }
        }
        Ok(out.join("\n"))
    };
    Ok((read(dcterms::abstract_)?, read(schema::text)?))
}

fn document(f: &Fields, r: &IndexedRecord) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.iri, &r.iri);
    doc.add_text(f.kind, &r.kind);
    doc.add_text(f.title, &r.title);
    if let Some(date) = &r.date {
        doc.add_text(f.date, date);
    }
    if let Some(year) = r.year {
        doc.add_u64(f.year, year);
    }
    if let Some(day) = r.earliest {
        doc.add_u64(f.earliest, day);
    }
    doc.add_text(f.summary, &r.summary);
    doc.add_text(f.text, &r.text);
    doc.add_text(f.citation, &r.citation);
    doc.add_text(f.names, &r.names);
    for (field, text) in
        f.pairs
            .into_iter()
            .zip([&r.title, &r.summary, &r.text, &r.citation, &r.names])
    {
        doc.add_text(field, text);
    }
    for (values, text, facet) in [
        (&r.people, f.person, f.person_facet),
        (&r.places, f.place, f.place_facet),
        (&r.organisations, f.organisation, f.organisation_facet),
        (&r.collections, f.collection, f.collection_facet),
        (&r.archives, f.archive, f.archive_facet),
        (&r.languages, f.language, f.language_facet),
    ] {
        for value in values {
            doc.add_text(text, value);
            doc.add_text(facet, value);
        }
    }
    doc
}
