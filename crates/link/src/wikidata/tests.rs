use super::*;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/wikidata")
}

fn entity(id: &str) -> Entity {
    let path = fixtures().join("entities").join(format!("{id}.json"));
    let body = std::fs::read(&path).unwrap();
    let response: GetEntitiesResponse = serde_json::from_slice(&body).unwrap();
    let view = response.distilled();
    view.get(id).cloned().unwrap()
}

#[test]
fn every_fixture_parses() {
    let mut searches = 0;
    for file in std::fs::read_dir(fixtures().join("search")).unwrap() {
        let path = file.unwrap().path();
        let body = std::fs::read(&path).unwrap();
        let r: SearchResponse =
            serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(r.success, Some(1), "{}", path.display());
        assert!(r.searchinfo.is_some(), "{}", path.display());
        for hit in &r.search {
            assert!(hit.id.starts_with('Q'), "{}", path.display());
            assert!(hit.matched.is_some(), "{}", path.display());
            assert_eq!(
                hit.concepturi.as_deref(),
                Some(format!("http://www.wikidata.org/entity/{}", hit.id).as_str())
            );
        }
        searches += 1;
    }
    let mut entities = 0;
    for file in std::fs::read_dir(fixtures().join("entities")).unwrap() {
        let path = file.unwrap().path();
        let body = std::fs::read(&path).unwrap();
        let r: GetEntitiesResponse =
            serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let api = r.entities.get(stem).unwrap();
        assert_eq!(api.id, stem);
        let view = Entity::from_api(api).unwrap();
        assert!(!view.labels.is_empty(), "{stem}");
        // No datavalue in the fixtures falls back to Unknown.
        for statements in api.claims.values() {
            for s in statements {
                if let Some(DataValue::Unknown { kind, .. }) = &s.mainsnak.datavalue {
                    panic!("{stem}: unparsed datavalue of type {kind}");
                }
            }
        }
        entities += 1;
    }
    assert!(searches >= 20, "{searches} search fixtures");
    assert!(entities >= 30, "{entities} entity fixtures");
}

#[test]
fn search_fixture_fields() {
    let body = std::fs::read(fixtures().join("search/kim-il-sung.json")).unwrap();
    let r: SearchResponse = serde_json::from_slice(&body).unwrap();
    assert_eq!(r.searchinfo.unwrap().search, "Kim Il Sung");
    let top = &r.search[0];
    assert_eq!(top.id, "Q39364");
    assert_eq!(top.title.as_deref(), Some("Q39364"));
    assert_eq!(top.url.as_deref(), Some("//www.wikidata.org/wiki/Q39364"));
    assert_eq!(top.label.as_deref(), Some("Kim Il Sung"));
    let m = top.matched.as_ref().unwrap();
    assert_eq!(
        (m.kind.as_str(), m.language.as_deref()),
        ("label", Some("en"))
    );
    let display = top.display.as_ref().unwrap();
    assert_eq!(display.label.as_ref().unwrap().value, "Kim Il Sung");
    assert!(r.search.len() >= 5);

    let body = std::fs::read(fixtures().join("search/mao-tse-tung.json")).unwrap();
    let r: SearchResponse = serde_json::from_slice(&body).unwrap();
    let hit = &r.search[0];
    assert_eq!(hit.id, "Q5816");
    assert_eq!(hit.matched.as_ref().unwrap().kind, "alias");
    assert_eq!(hit.aliases, vec!["Mao Tse-tung".to_owned()]);

    let body = std::fs::read(fixtures().join("search/karoly-prath.json")).unwrap();
    let r: SearchResponse = serde_json::from_slice(&body).unwrap();
    assert!(r.search.is_empty());
}

#[test]
fn distilled_people() {
    let kim = entity("Q39364");
    assert!(kim.is_human() && !kim.is_disambiguation);
    assert_eq!(kim.label("en"), Some("Kim Il Sung"));
    assert_eq!(kim.label("ko"), Some("김일성"));
    assert!(kim.names().any(|n| n == "Kim Il-sung"));
    let birth = kim.birth.unwrap();
    assert_eq!(
        (birth.year, birth.month, birth.day),
        (1912, Some(4), Some(15))
    );
    assert_eq!(birth.precision, TimePrecision::Day);
    assert_eq!(kim.death.unwrap().year, 1994);
    assert_eq!(kim.citizenship, vec!["Q423"]);
    assert!(!kim.positions.is_empty());

    let khrushchev = entity("Q35314");
    assert_eq!(khrushchev.birth.unwrap().year, 1894);
    assert_eq!(khrushchev.death.unwrap().year, 1971);
    assert!(khrushchev.citizenship.contains(&"Q15180".to_owned()));

    let mao = entity("Q5816");
    assert_eq!(
        (mao.birth.unwrap().year, mao.death.unwrap().year),
        (1893, 1976)
    );
    assert_eq!(mao.citizenship, vec!["Q148"]);

    let puzanov = entity("Q900000031");
    let ambassador = puzanov
        .positions_held
        .iter()
        .find(|p| p.start.is_some())
        .unwrap();
    assert_eq!(ambassador.start.unwrap().year, 1957);
    assert_eq!(ambassador.end.unwrap().year, 1962);
}

#[test]
fn distilled_traps() {
    let ship = entity("Q900000012");
    assert!(!ship.is_human());
    assert!(ship.instance_of.contains(&"Q11446".to_owned()));
    let disambiguation = entity("Q900000014");
    assert!(disambiguation.is_disambiguation);
    let namesake = entity("Q900000011");
    assert!(namesake.is_human());
    let b = namesake.birth.unwrap();
    assert_eq!(
        (b.year, b.month, b.precision),
        (1810, None, TimePrecision::Year)
    );
    let young_peng = entity("Q900000021");
    assert_eq!(young_peng.birth.unwrap().year, 1950);
    let pyongyang = entity("Q18808");
    let c = pyongyang.coordinates.unwrap();
    assert!((c.latitude - 39.02).abs() < 0.1 && (c.longitude - 125.74).abs() < 0.1);
    assert_eq!(pyongyang.country, vec!["Q423"]);
}

#[test]
fn time_precision() {
    let t = WikidataTime::parse("+1912-04-15T00:00:00Z", 11).unwrap();
    assert_eq!((t.year, t.month, t.day), (1912, Some(4), Some(15)));
    assert_eq!(t.to_string(), "1912-04-15");
    let t = WikidataTime::parse("+1912-04-15T00:00:00Z", 10).unwrap();
    assert_eq!((t.year, t.month, t.day), (1912, Some(4), None));
    assert_eq!(t.to_string(), "1912-04");
    let t = WikidataTime::parse("+1906-00-00T00:00:00Z", 9).unwrap();
    assert_eq!((t.year, t.month, t.day), (1906, None, None));
    assert_eq!(t.year_bounds(), (1906, 1906));
    assert_eq!(t.to_string(), "1906");
    // Year precision with a normalised 01-01 still means the year only.
    let t = WikidataTime::parse("+1906-01-01T00:00:00Z", 9).unwrap();
    assert_eq!((t.month, t.day), (None, None));
    let t = WikidataTime::parse("+1915-00-00T00:00:00Z", 8).unwrap();
    assert_eq!(t.precision, TimePrecision::Decade);
    assert_eq!(t.year_bounds(), (1910, 1919));
    assert_eq!(t.to_string(), "1910s");
    let t = WikidataTime::parse("+1900-00-00T00:00:00Z", 7).unwrap();
    assert_eq!(t.year_bounds(), (1801, 1900));
    assert_eq!(t.to_string(), "1801..1900");
    let t = WikidataTime::parse("+1801-00-00T00:00:00Z", 7).unwrap();
    assert_eq!(t.year_bounds(), (1801, 1900));
    let t = WikidataTime::parse("+2000-00-00T00:00:00Z", 6).unwrap();
    assert_eq!(t.year_bounds(), (1001, 2000));
    let t = WikidataTime::parse("-0551-00-00T00:00:00Z", 9).unwrap();
    assert_eq!(t.year, -551);
    assert_eq!(t.year_bounds(), (-551, -551));
    let t = WikidataTime::parse("-13798000000-00-00T00:00:00Z", 3).unwrap();
    assert_eq!(t.year, -13_798_000_000);
    assert!(t.year_bounds().0 <= t.year && t.year <= t.year_bounds().1);
    assert_eq!(TimePrecision::from_code(14), TimePrecision::Finer(14));
    assert_eq!(TimePrecision::from_code(11).code(), 11);
    for bad in [
        "",
        "x1912",
        "+",
        "+19a2-01-01T00:00:00Z",
        "+1912-13-01T00:00:00Z",
    ] {
        assert_eq!(WikidataTime::parse(bad, 11), None, "{bad:?}");
    }
}

fn statement(property: &str, rank: &str, value: Value) -> Value {
    serde_json::json!({
        "mainsnak": {"snaktype": "value", "property": property, "datavalue": value,
                     "datatype": "time"},
        "type": "statement", "rank": rank
    })
}

fn time(t: &str, precision: u8) -> Value {
    serde_json::json!({"value": {"time": t, "timezone": 0, "before": 0, "after": 0,
        "precision": precision, "calendarmodel": "http://www.wikidata.org/entity/Q1985727"},
        "type": "time"})
}

fn item(id: &str) -> Value {
    serde_json::json!({"value": {"entity-type": "item", "numeric-id":
        id[1..].parse::<u64>().unwrap(), "id": id}, "type": "wikibase-entityid"})
}

#[test]
fn rank_handling() {
    let body = serde_json::json!({"entities": {"Q1": {
        "type": "item", "id": "Q1",
        "labels": {"en": {"language": "en", "value": "Someone"}},
        "claims": {
            "P569": [
                statement("P569", "normal", time("+1900-05-01T00:00:00Z", 11)),
                statement("P569", "preferred", time("+1901-00-00T00:00:00Z", 9)),
                statement("P569", "deprecated", time("+1800-01-01T00:00:00Z", 11)),
            ],
            "P570": [
                statement("P570", "deprecated", time("+1999-01-01T00:00:00Z", 11)),
                statement("P570", "normal", time("+1970-02-03T00:00:00Z", 11)),
            ],
            "P27": [
                statement("P27", "normal", item("Q15180")),
                statement("P27", "deprecated", item("Q30")),
                statement("P27", "preferred", item("Q159")),
                {"mainsnak": {"snaktype": "somevalue", "property": "P27"}, "rank": "normal"},
            ],
            "P31": [statement("P31", "normal", item("Q5"))]
        },
        "unknown-new-field": {"tolerated": true}
    }}, "success": 1});
    let r: GetEntitiesResponse = serde_json::from_value(body).unwrap();
    let e = Entity::from_api(&r.entities["Q1"]).unwrap();
    let b = e.birth.unwrap();
    assert_eq!(
        (b.year, b.month, b.precision),
        (1901, None, TimePrecision::Year)
    );
    assert_eq!(e.births.len(), 2, "deprecated birth dropped");
    assert_eq!(e.births[1].year, 1900);
    assert_eq!(e.death.unwrap().year, 1970, "deprecated death ignored");
    assert_eq!(
        e.citizenship,
        vec!["Q159", "Q15180"],
        "preferred first, no deprecated"
    );
    assert!(e.is_human());
    let api = &r.entities["Q1"];
    let best: Vec<_> = api
        .best_values("P27")
        .into_iter()
        .filter_map(DataValue::entity_id)
        .collect();
    assert_eq!(best, vec!["Q159"]);
}

#[test]
fn datavalue_variants() {
    let parse = |v: Value| serde_json::from_value::<DataValue>(v).unwrap();
    assert_eq!(parse(item("Q42")).entity_id(), Some("Q42"));
    // Old form without "id".
    assert_eq!(
        parse(
            serde_json::json!({"value": {"entity-type": "item", "numeric-id": 42},
            "type": "wikibase-entityid"})
        )
        .entity_id(),
        Some("Q42")
    );
    let c = parse(
        serde_json::json!({"value": {"latitude": 39.019444, "longitude": 125.738056,
        "altitude": null, "precision": 0.0002777, "globe": "http://www.wikidata.org/entity/Q2"},
        "type": "globecoordinate"}),
    )
    .coordinates()
    .unwrap();
    assert!((c.latitude - 39.019444).abs() < 1e-9);
    assert_eq!(
        parse(serde_json::json!({"value": "Kim", "type": "string"})),
        DataValue::String("Kim".into())
    );
    assert_eq!(
        parse(
            serde_json::json!({"value": {"text": "김일성", "language": "ko"},
            "type": "monolingualtext"})
        ),
        DataValue::MonolingualText {
            text: "김일성".into(),
            language: "ko".into()
        }
    );
    assert_eq!(
        parse(
            serde_json::json!({"value": {"amount": "+3255288", "unit": "1"},
            "type": "quantity"})
        ),
        DataValue::Quantity {
            amount: "+3255288".into(),
            unit: "1".into()
        }
    );
    let t = parse(time("-0100-00-00T00:00:00Z", 9));
    assert_eq!(t.time().unwrap().year, -100);
    match parse(serde_json::json!({"value": {"x": 1}, "type": "musical-notation-2"})) {
        DataValue::Unknown { kind, value } => {
            assert_eq!(kind, "musical-notation-2");
            assert_eq!(value["x"], 1);
        }
        other => panic!("{other:?}"),
    }
    // Ill-formed values of a known type are kept raw too.
    assert!(matches!(
        parse(serde_json::json!({"value": {"time": "garbage", "precision": 11}, "type": "time"})),
        DataValue::Unknown { .. }
    ));
}

#[test]
fn api_errors() {
    let body = br#"{"error":{"code":"maxlag","info":"Waiting for 10.64.16.27: 7 seconds lagged.","host":"10.64.16.27","lag":7,"type":"db","*":"See https://www.wikidata.org/w/api.php for API usage."},"servedby":"mw1380"}"#;
    let e = ErrorResponse::from_body(body).unwrap();
    assert!(e.is_maxlag());
    assert_eq!(e.lag, Some(7.0));
    assert!(ErrorResponse::from_body(br#"{"entities":{},"success":1}"#).is_none());
    assert!(ErrorResponse::from_body(b"not json").is_none());
    let missing: GetEntitiesResponse = serde_json::from_str(
        r#"{"entities":{"Q999999999":{"id":"Q999999999","missing":""}},"success":1}"#,
    )
    .unwrap();
    assert!(missing.entities["Q999999999"].is_missing());
    assert!(missing.distilled().is_empty());
}
