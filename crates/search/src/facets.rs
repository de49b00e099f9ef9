//! Facet counts of a search: per facet, how many hits have each value, and
//! the ten most frequent values. Each segment's facet values are read once
//! from its fast-field columns and kept packed ([`SegmentFacets`], about
//! 40 MB at a million documents); a search counts its hits' values in a
//! counter per term ordinal (a year's own number for `year`), names the
//! ordinals counted in one ordered pass over the segment's dictionary, and
//! adds the segments' counts by value. (Tantivy's terms aggregation, used
//! before, took about 100 ms for the seven facets of 200,000 hits.)

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use serde::Serialize;

/// The facets, by the name the query language and the JSON use.
pub const FACETS: [&str; 7] = [
    "year",
    "person",
    "place",
    "organisation",
    "collection",
    "archive",
    "language",
];

/// One value of a facet and how many hits have it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FacetValue {
    /// The value (a year, a preferred name, a language).
    pub value: String,
    /// Hits with it.
    pub count: u64,
}

/// A facet's values, most frequent first.
pub type Facet = Vec<FacetValue>;

/// How many values each facet lists.
pub const FACET_SIZE: usize = 10;

/// The fast field of a facet.
fn field_of(facet: &str) -> String {
    if facet == "year" {
        facet.to_owned()
    } else {
        format!("{facet}_facet")
    }
}

/// The facet values of every record of one segment, packed: per facet, each
/// record's values (term ordinals; the year itself for `year`), distinct,
/// one after the other, with the offset where each record's start. Read
/// once from the columns when a search first meets the segment (segments
/// never change); counting a hit is then a walk over a few integers.
pub struct SegmentFacets {
    facets: Vec<PackedFacet>,
}

struct PackedFacet {
    offsets: Vec<u32>,
    values: Vec<u32>,
    /// The text facets' dictionary (term ordinal → value); none for `year`.
    names: Option<StrColumn>,
    /// How many distinct values a counter needs room for.
    room: usize,
}

impl SegmentFacets {
    fn read(segment: &SegmentReader) -> tantivy::Result<Self> {
        let fast_fields = segment.fast_fields();
        let records = segment.max_doc();
        let mut facets = Vec::with_capacity(FACETS.len());
        let mut record_values = Vec::new();
        for facet in FACETS {
            let field = field_of(facet);
            let (column, names): (Option<Column<u64>>, Option<StrColumn>) = if facet == "year" {
                (Some(fast_fields.u64(&field)?), None)
            } else {
                match fast_fields.str(&field)? {
                    Some(names) => (Some(names.ords().clone()), Some(names)),
                    None => (None, None),
                }
            };
            let mut offsets = Vec::with_capacity(records as usize + 1);
            let mut values = Vec::new();
            offsets.push(0);
            for record in 0..records {
                if let Some(column) = &column {
                    record_values.clear();
                    record_values.extend(
                        column
                            .values_for_doc(record)
                            .filter_map(|v| u32::try_from(v).ok()),
                    );
                    // A value twice in one record counts the record once.
                    record_values.sort_unstable();
                    record_values.dedup();
                    values.extend_from_slice(&record_values);
                }
                offsets.push(u32::try_from(values.len()).unwrap_or(u32::MAX));
            }
            let room = match &names {
                Some(names) => names.num_terms(),
                None => values.iter().max().map_or(0, |m| *m as usize + 1),
            };
            facets.push(PackedFacet {
                offsets,
                values,
                names,
                room,
            });
        }
        Ok(Self { facets })
    }
}

/// The packed facets of the segments searched so far, by segment.
#[derive(Default)]
pub struct FacetCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
}

impl FacetCache {
    fn segment(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = segment.segment_id();
        if let Some(found) = self.lock().get(&id) {
            return Ok(found.clone());
        }
        // Read outside the lock: a second search of a new segment reads it
        // too, and one of the two copies is kept.
        let read = Arc::new(SegmentFacets::read(segment)?);
        Ok(self.lock().entry(id).or_insert(read).clone())
    }

    /// Forgets the segments a searcher no longer has (merged away).
    pub fn keep_only(&self, segments: &[SegmentReader]) {
        let live: HashSet<SegmentId> = segments.iter().map(SegmentReader::segment_id).collect();
        self.lock().retain(|id, _| live.contains(id));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentFacets>>> {
        self.segments
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Counts every facet's values among the hits (see the module).
pub struct FacetCollector<'a> {
    /// Where the segments' packed facets are kept between searches.
    pub cache: &'a FacetCache,
}

/// The facet counts of one segment.
pub struct FacetSegmentCollector {
    facets: Arc<SegmentFacets>,
    counts: Vec<Vec<u32>>,
}

/// Per facet, the count of each value.
pub type FacetCounts = Vec<HashMap<String, u64>>;

impl Collector for FacetCollector<'_> {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let facets = self.cache.segment(segment)?;
        let counts = facets.facets.iter().map(|f| vec![0; f.room]).collect();
        Ok(FacetSegmentCollector { facets, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut merged: FacetCounts = vec![HashMap::new(); FACETS.len()];
        for segment in segments {
            for (all, counts) in merged.iter_mut().zip(segment) {
                for (value, n) in counts {
                    *all.entry(value).or_insert(0) += n;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let doc = doc as usize;
        for (facet, counts) in self.facets.facets.iter().zip(&mut self.counts) {
            let (Some(start), Some(end)) = (facet.offsets.get(doc), facet.offsets.get(doc + 1))
            else {
                continue;
            };
            for value in &facet.values[*start as usize..*end as usize] {
                if let Some(n) = counts.get_mut(*value as usize) {
                    *n += 1;
                }
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        self.facets
            .facets
            .iter()
            .zip(self.counts)
            .map(|(facet, counts)| {
                let counted: Vec<u64> = (0u64..)
                    .zip(&counts)
                    .filter(|(_, n)| **n > 0)
                    .map(|(value, _)| value)
                    .collect();
                let mut named = HashMap::with_capacity(counted.len());
                match &facet.names {
                    Some(names) => {
                        let mut next = counted.iter();
                        // A dictionary that cannot be read names nothing: the
                        // facet then lists fewer values, the hits are unchanged.
                        let _ = names.dictionary().sorted_ords_to_term_cb(&counted, |term| {
                            if let Some(ord) = next.next() {
                                named.insert(
                                    String::from_utf8_lossy(term).into_owned(),
                                    u64::from(counts[*ord as usize]),
                                );
                            }
                        });
                    }
                    None => {
                        for value in counted {
                            named.insert(value.to_string(), u64::from(counts[value as usize]));
                        }
                    }
                }
                named
            })
            .collect()
    }
}

/// The facets by name, each its [`FACET_SIZE`] most frequent values, most
/// frequent first (ties in the order of the values).
pub fn top_values(counts: FacetCounts) -> BTreeMap<String, Facet> {
    FACETS
        .iter()
        .zip(counts)
        .map(|(facet, counts)| {
            let mut values: Vec<FacetValue> = counts
                .into_iter()
                .map(|(value, count)| FacetValue { value, count })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            values.truncate(FACET_SIZE);
            ((*facet).to_owned(), values)
        })
        .collect()
}
