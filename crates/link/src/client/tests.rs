use super::*;
use chronograph_testkit::fake_wikidata::{Failure, FakeWikidata};

fn config(fake: &FakeWikidata, cache: Option<&Path>) -> ClientConfig {
    ClientConfig {
        endpoint: fake.endpoint(),
        user_agent: default_user_agent(Some("tests@example.org")),
        backoff_base: Duration::from_millis(20),
        max_wait: Duration::from_secs(5),
        timeout: Duration::from_secs(10),
        cache_dir: cache.map(Path::to_owned),
        ..ClientConfig::default()
    }
}

#[test]
fn user_agent_and_parameters() {
    let fake = FakeWikidata::start();
    let client = WikidataClient::new(config(&fake, None)).unwrap();
    let r = client.search("Kim Il Sung").unwrap();
    assert_eq!(r.search[0].id, "Q39364");
    assert_eq!(r.searchinfo.unwrap().search, "Kim Il Sung");
    let log = fake.log();
    assert_eq!(log.len(), 1);
    let req = &log[0];
    assert!(
        req.user_agent.starts_with("chronograph/"),
        "{}",
        req.user_agent
    );
    assert!(req.user_agent.contains("tests@example.org"));
    assert_eq!(req.param("maxlag"), Some("5"));
    assert_eq!(req.param("format"), Some("json"));
    assert_eq!(req.param("language"), Some("en"));
    assert_eq!(req.param("uselang"), Some("en"));
    assert_eq!(req.param("search"), Some("Kim Il Sung"));
    // Without a contact the agent names only the tool (link refuses the live
    // service without one).
    assert!(!default_user_agent(None).contains("contact"));
    // A header value that cannot be sent is a typed error, not a panic.
    let bad = WikidataClient::new(ClientConfig {
        user_agent: "bad\nagent".to_owned(),
        ..ClientConfig::default()
    });
    assert!(matches!(bad, Err(ClientError::Build(_))));
}

#[test]
fn search_unknown_name_is_empty() {
    let fake = FakeWikidata::start();
    let client = WikidataClient::new(config(&fake, None)).unwrap();
    let r = client.search("Nobody Atall").unwrap();
    assert!(r.search.is_empty());
    assert_eq!(r.success, Some(1));
}

#[test]
fn entities_in_batches_of_at_most_fifty() {
    let fake = FakeWikidata::start();
    let client = WikidataClient::new(config(&fake, None)).unwrap();
    let mut ids: Vec<String> = (1..=120).map(|n| format!("Q{}", 800_000_000 + n)).collect();
    ids.push("Q39364".to_owned());
    ids.push("Q39364".to_owned()); // duplicates are asked once
    ids.push("Q5816".to_owned());
    let all = client.get_entities(&ids).unwrap();
    assert_eq!(all.len(), 122);
    assert!(all["Q800000001"].is_missing());
    assert!(!all["Q39364"].is_missing());
    let log = fake.log();
    assert_eq!(log.len(), 3, "122 ids: 50 + 50 + 22");
    for req in &log {
        assert_eq!(req.param("action"), Some("wbgetentities"));
        let n = req.param("ids").unwrap().split('|').count();
        assert!(n <= MAX_IDS_PER_REQUEST, "{n} ids in one request");
        assert_eq!(req.param("props"), Some(ENTITY_PROPS));
    }
    // The fake refuses more than 50 like the real API does.
    let too_many = ids[..60].join("|");
    let err = client
        .call(&[("action", "wbgetentities"), ("ids", too_many.as_str())])
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Api { code, .. } if code == "toomanyvalues"),
        "{err}"
    );

    let views = client
        .entities(&["Q39364", "Q900000012", "Q800000001"])
        .unwrap();
    assert_eq!(views.len(), 2);
    assert!(views["Q39364"].is_human());
    assert!(!views["Q900000012"].is_human());
    // Languages are filtered by the fake as by the API.
    assert!(views["Q39364"]
        .labels
        .keys()
        .all(|l| client.config().languages.contains(l)));
    assert!(matches!(
        client.get_entities(&["Q1|Q2"]),
        Err(ClientError::InvalidId(_))
    ));
}

#[test]
fn cache_hit_miss_and_offline() {
    let fake = FakeWikidata::start();
    let dir = tempfile::tempdir().unwrap();
    let client = WikidataClient::new(config(&fake, Some(dir.path()))).unwrap();
    client.search("Mao Zedong").unwrap();
    client.get_entities(&["Q5816"]).unwrap();
    assert_eq!(client.stats().requests, 2);
    assert_eq!(client.stats().cache_hits, 0);

    // Same requests again, from a new client on the same cache: no request.
    let again = WikidataClient::new(config(&fake, Some(dir.path()))).unwrap();
    let r = again.search("Mao Zedong").unwrap();
    assert_eq!(r.search[0].id, "Q5816");
    assert_eq!(again.get_entities(&["Q5816"]).unwrap().len(), 1);
    assert_eq!(again.stats().requests, 0);
    assert_eq!(again.stats().cache_hits, 2);
    assert_eq!(fake.log().len(), 2, "the fake saw only the first run");

    // The cache file is the response body, where cache_path says.
    let params = [
        ("action", "wbgetentities"),
        ("ids", "Q5816"),
        ("props", ENTITY_PROPS),
        ("languages", "en|ru|zh|ko|de|fr"),
    ];
    let path = again.cache_path(&params).unwrap();
    let body: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert!(body["entities"]["Q5816"].is_object());
    // No temporary files left behind.
    let leftovers = walk(dir.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "tmp"))
        .count();
    assert_eq!(leftovers, 0);

    // Offline: hits work, a miss is a typed error naming the request.
    let offline = WikidataClient::new(ClientConfig {
        offline: true,
        ..config(&fake, Some(dir.path()))
    })
    .unwrap();
    assert!(offline.search("Mao Zedong").is_ok());
    match offline.search("Zhou Enlai") {
        Err(ClientError::NotInCache { request, path }) => {
            assert!(request.contains("Zhou Enlai"), "{request}");
            assert!(path.is_some());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(offline.stats().requests, 0);
    assert_eq!(fake.log().len(), 2);

    // Key: parameter order and maxlag/format do not matter; values do.
    let a = cache_key(
        "http://x/w/api.php",
        &[("b", "2"), ("a", "1"), ("maxlag", "5")],
    );
    let b = cache_key(
        "http://x/w/api.php",
        &[("a", "1"), ("b", "2"), ("format", "json")],
    );
    let c = cache_key("http://x/w/api.php", &[("a", "1"), ("b", "3")]);
    let d = cache_key("http://y/w/api.php", &[("a", "1"), ("b", "2")]);
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_ne!(a, d);
}

#[test]
fn errors_are_not_cached() {
    let fake = FakeWikidata::start();
    let dir = tempfile::tempdir().unwrap();
    let client = WikidataClient::new(ClientConfig {
        max_retries: 0,
        ..config(&fake, Some(dir.path()))
    })
    .unwrap();
    fake.push_failure(Failure::Maxlag);
    assert!(matches!(
        client.search("Mao Zedong"),
        Err(ClientError::Api { ref code, .. }) if code == "maxlag"
    ));
    assert!(walk(dir.path()).is_empty(), "an error answer is not cached");
    assert!(client.search("Mao Zedong").is_ok());
    assert_eq!(client.stats().requests, 2);
}

#[test]
fn retries_honour_retry_after() {
    let fake = FakeWikidata::start();
    let client = WikidataClient::new(config(&fake, None)).unwrap();
    fake.push_failure(Failure::Maxlag);
    fake.push_failure(Failure::TooManyRequests);
    let started = Instant::now();
    let r = client.search("Kim Il Sung").unwrap();
    assert_eq!(r.search[0].id, "Q39364");
    let log = fake.log();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].status, 200, "maxlag comes with HTTP 200");
    assert_eq!(log[1].status, 429);
    assert_eq!(log[2].status, 200);
    for pair in log.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(gap >= Duration::from_millis(950), "waited only {gap:?}");
    }
    assert!(started.elapsed() >= Duration::from_secs(2));
    let stats = client.stats();
    assert_eq!((stats.requests, stats.retries), (3, 2));
    assert!(stats.waited >= Duration::from_secs(2));
}

#[test]
fn backoff_without_retry_after_and_giving_up() {
    let fake = FakeWikidata::start();
    let client = WikidataClient::new(ClientConfig {
        max_retries: 2,
        ..config(&fake, None)
    })
    .unwrap();
    fake.push_failure(Failure::Unavailable { retry_after: None });
    let started = Instant::now();
    assert!(client.search("Kim Il Sung").is_ok());
    // One backoff of 20 ms ×[0.5, 1.5).
    assert!(started.elapsed() < Duration::from_millis(900));
    assert_eq!(client.stats().retries, 1);

    for _ in 0..3 {
        fake.push_failure(Failure::Unavailable { retry_after: None });
    }
    match client.search("Mao Zedong") {
        Err(ClientError::Http {
            status: 503,
            request,
        }) => {
            assert!(request.contains("Mao Zedong"))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(client.stats().requests, 2 + 3);

    // Jitter stays within its bounds and grows exponentially.
    for attempt in 1..=4 {
        let d = client.backoff(attempt);
        let base = Duration::from_millis(20) * (1 << (attempt - 1));
        assert!(d >= base / 2 && d < base * 3 / 2, "{attempt}: {d:?}");
    }

    // A 404 is final: not retried.
    let wrong = WikidataClient::new(ClientConfig {
        endpoint: fake.endpoint().replace("api.php", "nothing.php"),
        ..config(&fake, None)
    })
    .unwrap();
    assert!(matches!(
        wrong.search("Kim Il Sung"),
        Err(ClientError::Http { status: 404, .. })
    ));
    assert_eq!(wrong.stats().requests, 1);
}

#[test]
fn waits_are_capped() {
    let fake = FakeWikidata::start();
    let client = WikidataClient::new(ClientConfig {
        max_wait: Duration::from_millis(100),
        ..config(&fake, None)
    })
    .unwrap();
    fake.push_failure(Failure::Unavailable {
        retry_after: Some(3600),
    });
    let started = Instant::now();
    assert!(client.search("Kim Il Sung").is_ok());
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn budget() {
    let fake = FakeWikidata::start();
    let dir = tempfile::tempdir().unwrap();
    let client = WikidataClient::new(ClientConfig {
        budget: Some(2),
        ..config(&fake, Some(dir.path()))
    })
    .unwrap();
    client.search("Kim Il Sung").unwrap();
    client.search("Mao Zedong").unwrap();
    // Cache hits cost nothing.
    client.search("Kim Il Sung").unwrap();
    match client.search("Zhou Enlai") {
        Err(ClientError::BudgetExhausted { budget: 2, request }) => {
            assert!(request.contains("Zhou Enlai"))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(client.stats().requests, 2);
    assert_eq!(fake.log().len(), 2);

    // Retries count against the budget too.
    let client = WikidataClient::new(ClientConfig {
        budget: Some(1),
        ..config(&fake, None)
    })
    .unwrap();
    fake.push_failure(Failure::Unavailable {
        retry_after: Some(0),
    });
    assert!(matches!(
        client.search("Kim Il Sung"),
        Err(ClientError::BudgetExhausted { .. })
    ));
}

#[test]
fn concurrency_is_capped() {
    let fake = FakeWikidata::start();
    fake.set_delay(Duration::from_millis(150));
    let client = WikidataClient::new(config(&fake, None)).unwrap();
    // Five threads share the client; at most two requests are in flight.
    std::thread::scope(|scope| {
        for i in 0..5 {
            let client = &client;
            scope.spawn(move || client.search(&format!("Thread {i}")).unwrap());
        }
    });
    assert_eq!(fake.requests(), 5);
    assert_eq!(fake.max_in_flight(), 2);

    fake.reset();
    let names: Vec<String> = (0..6).map(|i| format!("Name {i}")).collect();
    let results = client.search_many(&names);
    assert_eq!(results.len(), 6);
    for (name, r) in names.iter().zip(&results) {
        let r = r.as_ref().unwrap();
        assert_eq!(r.searchinfo.as_ref().unwrap().search, *name);
    }
    assert_eq!(fake.max_in_flight(), 2);
}

#[test]
fn transport_errors_are_typed() {
    // A port with nothing listening: connection refused, retried, then a typed error.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let client = WikidataClient::new(ClientConfig {
        endpoint: format!("http://127.0.0.1:{port}/w/api.php"),
        max_retries: 1,
        backoff_base: Duration::from_millis(1),
        ..ClientConfig::default()
    })
    .unwrap();
    assert!(matches!(
        client.search("Kim"),
        Err(ClientError::Transport { .. })
    ));
    assert_eq!(client.stats().requests, 2);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// A `200 {}` (a proxy's idea of an answer) is retried, never read as "no
/// hits", and never cached; the real answer that follows is.
#[test]
fn an_empty_object_is_not_an_answer() {
    let fake = FakeWikidata::start();
    let dir = tempfile::tempdir().unwrap();
    let client = WikidataClient::new(ClientConfig {
        max_retries: 0,
        ..config(&fake, Some(dir.path()))
    })
    .unwrap();
    fake.push_failure(Failure::EmptyObject);
    let refused = client.search("Mao Zedong");
    assert!(
        matches!(refused, Err(ClientError::Malformed { .. })),
        "{refused:?}"
    );
    assert!(walk(dir.path()).is_empty(), "`{{}}` was cached");
    let retried = WikidataClient::new(ClientConfig {
        max_retries: 2,
        ..config(&fake, Some(dir.path()))
    })
    .unwrap();
    fake.push_failure(Failure::EmptyObject);
    let hits = retried.search("Mao Zedong").unwrap();
    assert!(!hits.search.is_empty(), "{hits:?}");
    assert_eq!(walk(dir.path()).len(), 1);
}

/// An id in an API answer becomes an IRI only if it is `Q` and digits.
#[test]
fn a_search_hit_with_an_injected_id_is_dropped() {
    let fake = FakeWikidata::start();
    let client = WikidataClient::new(config(&fake, None)).unwrap();
    fake.push_failure(Failure::InjectedId);
    let hits = client.search("Mao Zedong").unwrap();
    assert!(
        hits.search.iter().all(|h| is_entity_id(&h.id)),
        "{:?}",
        hits.search
    );
    assert!(hits.search.is_empty());
}

/// An answer past the size cap is an error, read no further than the cap.
#[test]
fn an_answer_past_the_cap_is_refused() {
    let fake = FakeWikidata::start();
    let client = WikidataClient::new(ClientConfig {
        max_answer_bytes: 64,
        max_retries: 0,
        ..config(&fake, None)
    })
    .unwrap();
    let refused = client.search("Kim Il Sung");
    assert!(
        matches!(&refused, Err(ClientError::Malformed { reason, .. }) if reason.contains("larger than 64 bytes")),
        "{refused:?}"
    );
    let unbounded = WikidataClient::new(config(&fake, None)).unwrap();
    assert_eq!(
        unbounded.search("Kim Il Sung").unwrap().search[0].id,
        "Q39364"
    );
}
