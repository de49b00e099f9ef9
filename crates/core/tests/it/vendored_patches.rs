//! The patched Oxigraph in `vendor/oxigraph` is the one linked (the pinned
//! `=0.5.13` requirement and `[patch.crates-io]` in the workspace manifest):
//! RocksDB records the options a store was opened with in its `OPTIONS-*`
//! file, read here as RocksDB wrote it. Upstream leaves the bottommost level
//! uncompressed (`kDisableCompressionOption`) and one subcompaction; the patch
//! sets LZ4 and one subcompaction per core. (The `spareval` patch is guarded
//! by the `cancellation` tests.)

use chronograph_core::mapping::iri::{Base, DEFAULT_BASE};
use chronograph_core::store::ArchiveStore;

/// The text of the newest `OPTIONS-*` file of a RocksDB folder.
fn rocksdb_options(dir: &std::path::Path) -> String {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("OPTIONS-") && !n.ends_with(".dbtmp"))
        })
        .collect();
    files.sort();
    let newest = files.last().expect("RocksDB writes an OPTIONS file");
    std::fs::read_to_string(newest).unwrap()
}

#[test]
fn every_column_family_compresses_its_bottommost_level_with_lz4() {
    let dir = tempfile::tempdir().unwrap();
    let store = ArchiveStore::open(dir.path(), Base::new(DEFAULT_BASE).unwrap()).unwrap();
    drop(store);
    let options = rocksdb_options(dir.path());
    let column_families = options.matches("[CFOptions ").count();
    assert!(
        column_families >= 10,
        "Oxigraph keeps about eleven column families: {column_families}"
    );
    let compressed = options
        .lines()
        .filter(|l| l.trim() == "bottommost_compression=kLZ4Compression")
        .count();
    assert_eq!(
        compressed, column_families,
        "every column family's bottommost level is LZ4 (vendor/oxigraph/PATCHED.md)"
    );
}

#[test]
fn compactions_use_one_subcompaction_per_core() {
    let dir = tempfile::tempdir().unwrap();
    drop(ArchiveStore::open(dir.path(), Base::new(DEFAULT_BASE).unwrap()).unwrap());
    let options = rocksdb_options(dir.path());
    let cores = std::thread::available_parallelism().unwrap().get();
    let line = options
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("max_subcompactions="))
        .expect("RocksDB records max_subcompactions");
    assert_eq!(line, format!("max_subcompactions={cores}"));
}
