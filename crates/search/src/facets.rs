//! Facet counts of a search: per facet, how many hits have each value, and
//! the ten most frequent values.
//!
//! Each segment's facet values are read once from its fast-field columns
//! and kept packed ([`SegmentFacets`]): per record, the slots of its values,
//! one after the other, every facet's values numbered in one range (the
//! slot of a value is its facet's base plus its ordinal in the segment).
//! Counting a hit is then one walk over a few integers, adding one to a
//! small counter array. For each set of segments a searcher sees, the
//! segments' slots are mapped once onto slots of the whole index
//! ([`SearcherFacets`], the ordinal map of Lucene's global ordinals): a
//! search adds each segment's non-zero counters into one array of the
//! index's slots and names only the ten values it lists per facet. (Naming
//! every counted value of every segment and merging them by name, done
//! before, took most of the time of a search of 200,000 hits.)

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

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

/// The facet values of every record of one segment, packed (see the
/// module). Segments never change, so this is read once per segment.
pub struct SegmentFacets {
    /// Where each record's slots start in `slots` (one more than records).
    offsets: Vec<u32>,
    /// Every record's slots, distinct per record.
    slots: Slots,
    /// Per facet, its values in slot order (the facet's first slot follows
    /// the previous facet's last).
    names: Vec<Vec<String>>,
}

/// The packed slots of a segment: two bytes each when the segment has at
/// most 65,536 facet values (a search of many hits waits on reading them,
/// so half the bytes is a shorter wait), four bytes otherwise.
enum Slots {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl Slots {
    fn new(slots: Vec<u32>, room: usize) -> Self {
        if room <= usize::from(u16::MAX) + 1 {
            Slots::Narrow(
                slots
                    .into_iter()
                    .map(|s| u16::try_from(s).unwrap_or(u16::MAX))
                    .collect(),
            )
        } else {
            Slots::Wide(slots)
        }
    }
}

/// Adds one to the counter of each slot of `slots[start..end]`.
#[inline]
fn count_slots<S: Copy + Into<u32>>(slots: &[S], start: u32, end: u32, counts: &mut [u32]) {
    for slot in slots.get(start as usize..end as usize).unwrap_or(&[]) {
        if let Some(n) = counts.get_mut((*slot).into() as usize) {
            *n += 1;
        }
    }
}

/// One facet of one segment: each record's values as ordinals of `names`.
struct FacetColumn {
    offsets: Vec<u32>,
    values: Vec<u32>,
    names: Vec<String>,
}

impl FacetColumn {
    fn new(records: usize) -> Self {
        let mut offsets = Vec::with_capacity(records + 1);
        offsets.push(0);
        Self {
            offsets,
            values: Vec::new(),
            names: Vec::new(),
        }
    }

    /// Ends a record whose values were pushed from `start`: a value twice
    /// in one record counts the record once.
    fn end_record(&mut self, start: usize) {
        self.values[start..].sort_unstable();
        let mut kept = start;
        for i in start..self.values.len() {
            if kept == start || self.values[i] != self.values[kept - 1] {
                self.values[kept] = self.values[i];
                kept += 1;
            }
        }
        self.values.truncate(kept);
        self.offsets
            .push(u32::try_from(self.values.len()).unwrap_or(u32::MAX));
    }

    /// A text facet: values are the term ordinals of the column.
    fn of_terms(column: &tantivy::columnar::StrColumn, records: usize) -> std::io::Result<Self> {
        let mut facet = Self::new(records);
        for record in 0..records as DocId {
            let start = facet.values.len();
            facet.values.extend(
                column
                    .ords()
                    .values_for_doc(record)
                    .filter_map(|v| u32::try_from(v).ok()),
            );
            facet.end_record(start);
        }
        facet.names.reserve(column.num_terms());
        let mut stream = column.dictionary().stream()?;
        while stream.advance() {
            facet
                .names
                .push(String::from_utf8_lossy(stream.key()).into_owned());
        }
        Ok(facet)
    }

    /// The year facet: each distinct year gets an ordinal, ascending.
    fn of_numbers(column: &tantivy::columnar::Column<u64>, records: usize) -> Self {
        let mut numbers: Vec<u64> = (0..records as DocId)
            .flat_map(|record| column.values_for_doc(record))
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        let ordinal: HashMap<u64, u32> = (0u32..)
            .zip(numbers.iter().copied())
            .map(|(o, n)| (n, o))
            .collect();
        let mut facet = Self::new(records);
        for record in 0..records as DocId {
            let start = facet.values.len();
            facet.values.extend(
                column
                    .values_for_doc(record)
                    .filter_map(|n| ordinal.get(&n).copied()),
            );
            facet.end_record(start);
        }
        facet.names = numbers.iter().map(u64::to_string).collect();
        facet
    }
}

impl SegmentFacets {
    /// How many slots a counter of this segment needs.
    fn room(&self) -> usize {
        self.names.iter().map(Vec::len).sum()
    }

    fn read(segment: &SegmentReader) -> tantivy::Result<Self> {
        let fast_fields = segment.fast_fields();
        let records = segment.max_doc() as usize;
        let mut columns = Vec::with_capacity(FACETS.len());
        for facet in FACETS {
            let field = field_of(facet);
            columns.push(if facet == "year" {
                FacetColumn::of_numbers(&fast_fields.u64(&field)?, records)
            } else if let Some(column) = fast_fields.str(&field)? {
                FacetColumn::of_terms(&column, records)?
            } else {
                let mut empty = FacetColumn::new(records);
                empty.offsets.resize(records + 1, 0);
                empty
            });
        }
        // Interleave the facets: a record's slots are its values of every
        // facet, each shifted by its facet's base.
        let mut bases = Vec::with_capacity(columns.len());
        let mut base = 0u32;
        for column in &columns {
            bases.push(base);
            base = base.saturating_add(u32::try_from(column.names.len()).unwrap_or(u32::MAX));
        }
        let mut offsets = Vec::with_capacity(records + 1);
        let mut slots = Vec::with_capacity(columns.iter().map(|c| c.values.len()).sum());
        offsets.push(0);
        for record in 0..records {
            for (column, base) in columns.iter().zip(&bases) {
                let (start, end) = (
                    column.offsets[record] as usize,
                    column.offsets[record + 1] as usize,
                );
                slots.extend(column.values[start..end].iter().map(|v| base + v));
            }
            offsets.push(u32::try_from(slots.len()).unwrap_or(u32::MAX));
        }
        let room = columns.iter().map(|c| c.names.len()).sum();
        Ok(Self {
            offsets,
            slots: Slots::new(slots, room),
            names: columns.into_iter().map(|c| c.names).collect(),
        })
    }
}

/// The facets of one searcher's segments: each segment's packed values and
/// the map from its slots to the index's, and the index's values by slot.
pub struct SearcherFacets {
    segments: Vec<Arc<SegmentFacets>>,
    /// Per segment (by ordinal), the index slot of each of its slots.
    to_index: Vec<Vec<u32>>,
    /// Per facet, its first index slot and the value of each of its slots.
    facets: Vec<(usize, Vec<String>)>,
    room: usize,
}

impl SearcherFacets {
    fn of(segments: Vec<Arc<SegmentFacets>>) -> Self {
        let mut facets = Vec::with_capacity(FACETS.len());
        let mut base = 0;
        // Per facet, the index's values: every segment's, sorted, distinct.
        for f in 0..FACETS.len() {
            let mut values: Vec<String> = segments
                .iter()
                .flat_map(|s| s.names[f].iter().cloned())
                .collect();
            values.sort_unstable();
            values.dedup();
            let len = values.len();
            facets.push((base, values));
            base += len;
        }
        let to_index = segments
            .iter()
            .map(|segment| {
                let mut map = Vec::with_capacity(segment.room());
                for (names, (base, values)) in segment.names.iter().zip(&facets) {
                    for name in names {
                        // Every value of a segment is among the index's.
                        let at = values.binary_search(name).unwrap_or_else(|at| at);
                        map.push(u32::try_from(base + at).unwrap_or(u32::MAX));
                    }
                }
                map
            })
            .collect();
        Self {
            segments,
            to_index,
            facets,
            room: base,
        }
    }

    /// Per facet (by name), its [`FACET_SIZE`] most frequent values among
    /// the hits counted, most frequent first (ties in the order of the
    /// values).
    pub fn top_values(&self, counts: &FacetCounts) -> BTreeMap<String, Facet> {
        FACETS
            .iter()
            .zip(&self.facets)
            .map(|(facet, (base, values))| {
                let counted = counts
                    .by_slot
                    .get(*base..base + values.len())
                    .unwrap_or(&[]);
                let mut top: Vec<(u64, &String)> = counted
                    .iter()
                    .zip(values)
                    .filter(|(n, _)| **n > 0)
                    .map(|(n, v)| (*n, v))
                    .collect();
                let order = |a: &(u64, &String), b: &(u64, &String)| {
                    b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1))
                };
                if top.len() > FACET_SIZE {
                    top.select_nth_unstable_by(FACET_SIZE - 1, order);
                    top.truncate(FACET_SIZE);
                }
                top.sort_unstable_by(order);
                let listed = top
                    .into_iter()
                    .map(|(count, value)| FacetValue {
                        value: value.clone(),
                        count,
                    })
                    .collect();
                ((*facet).to_owned(), listed)
            })
            .collect()
    }
}

/// The packed facets of the segments searched so far, by segment, and the
/// facets of the last set of segments a searcher had.
#[derive(Default)]
pub struct FacetCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
    searcher: Mutex<Option<(Vec<SegmentId>, Arc<SearcherFacets>)>>,
}

impl FacetCache {
    fn segment(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = segment.segment_id();
        if let Some(found) = lock(&self.segments).get(&id) {
            return Ok(found.clone());
        }
        // Read outside the lock: a second search of a new segment reads it
        // too, and one of the two copies is kept.
        let read = Arc::new(SegmentFacets::read(segment)?);
        Ok(lock(&self.segments).entry(id).or_insert(read).clone())
    }

    /// The facets of a searcher's segments; segments no longer searched
    /// (merged away) are forgotten.
    pub fn for_searcher(
        &self,
        searcher: &tantivy::Searcher,
    ) -> tantivy::Result<Arc<SearcherFacets>> {
        let readers = searcher.segment_readers();
        let ids: Vec<SegmentId> = readers.iter().map(SegmentReader::segment_id).collect();
        if let Some((seen, facets)) = &*lock(&self.searcher) {
            if *seen == ids {
                return Ok(facets.clone());
            }
        }
        let segments = readers
            .iter()
            .map(|r| self.segment(r))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let live: HashSet<&SegmentId> = ids.iter().collect();
        lock(&self.segments).retain(|id, _| live.contains(id));
        let facets = Arc::new(SearcherFacets::of(segments));
        *lock(&self.searcher) = Some((ids, facets.clone()));
        Ok(facets)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Counts the hits and every facet's values among them (see the module).
pub struct FacetCollector<'a> {
    /// The facets of the searcher searched with.
    pub facets: &'a SearcherFacets,
}

/// The facet counts of one segment.
pub struct FacetSegmentCollector {
    segment: SegmentOrdinal,
    facets: Arc<SegmentFacets>,
    hits: u64,
    counts: Vec<u32>,
}

/// What a [`FacetCollector`] counted.
pub struct FacetCounts {
    /// The hits.
    pub hits: u64,
    /// Hits per index slot (see [`SearcherFacets::top_values`]).
    by_slot: Vec<u64>,
}

impl Collector for FacetCollector<'_> {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        segment_local_id: SegmentOrdinal,
        _segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let facets = self
            .facets
            .segments
            .get(segment_local_id as usize)
            .cloned()
            .ok_or_else(|| {
                tantivy::TantivyError::InternalError(format!(
                    "no facets of segment {segment_local_id}"
                ))
            })?;
        let counts = vec![0; facets.room()];
        Ok(FacetSegmentCollector {
            segment: segment_local_id,
            facets,
            hits: 0,
            counts,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        segments: Vec<(SegmentOrdinal, u64, Vec<u32>)>,
    ) -> tantivy::Result<FacetCounts> {
        let mut merged = FacetCounts {
            hits: 0,
            by_slot: vec![0; self.facets.room],
        };
        for (segment, hits, counts) in segments {
            merged.hits += hits;
            let Some(to_index) = self.facets.to_index.get(segment as usize) else {
                continue;
            };
            for (n, slot) in counts.iter().zip(to_index) {
                if *n > 0 {
                    if let Some(total) = merged.by_slot.get_mut(*slot as usize) {
                        *total += u64::from(*n);
                    }
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = (SegmentOrdinal, u64, Vec<u32>);

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.hits += 1;
        let facets = &*self.facets;
        let doc = doc as usize;
        let (Some(&start), Some(&end)) = (facets.offsets.get(doc), facets.offsets.get(doc + 1))
        else {
            return;
        };
        match &facets.slots {
            Slots::Narrow(slots) => count_slots(slots, start, end, &mut self.counts),
            Slots::Wide(slots) => count_slots(slots, start, end, &mut self.counts),
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.segment, self.hits, self.counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Narrow and wide slots count the same; a segment of more values than
    /// two bytes number keeps four.
    #[test]
    fn narrow_and_wide_slots_count_alike() {
        let slots = vec![0u32, 3, 65_535, 3, 7];
        let narrow = Slots::new(slots.clone(), 65_536);
        let wide = Slots::new(slots.clone(), 65_537);
        assert!(matches!(narrow, Slots::Narrow(_)) && matches!(wide, Slots::Wide(_)));
        let mut by_narrow = vec![0u32; 65_536];
        let mut by_wide = vec![0u32; 65_536];
        if let (Slots::Narrow(n), Slots::Wide(w)) = (&narrow, &wide) {
            count_slots(n, 1, 5, &mut by_narrow);
            count_slots(w, 1, 5, &mut by_wide);
        }
        assert_eq!(by_narrow, by_wide);
        assert_eq!((by_narrow[3], by_narrow[65_535], by_narrow[0]), (2, 1, 0));
    }
}
