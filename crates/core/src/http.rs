//! HTTP politeness shared by the clients that talk to other people's servers
//! (the Wikidata linker and the harvester): the User-Agent, `Retry-After`, and
//! exponential backoff with jitter.

use std::time::Duration;

/// The default User-Agent, as Wikimedia's policy and good crawler manners ask:
/// tool name and version, the project URL (`Cargo.toml`'s `repository`, when
/// set) and a contact, e.g. `chronograph/0.1.0 (https://…; curator@example.org)`.
/// Without a contact it names only the tool (`link` refuses Wikidata's live
/// API without one): `chronograph/0.1.0`.
pub fn default_user_agent(contact: Option<&str>) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let repository = env!("CARGO_PKG_REPOSITORY");
    let contact = contact.map(str::trim).filter(|c| !c.is_empty());
    match (repository.is_empty(), contact) {
        (true, None) => format!("chronograph/{version}"),
        (true, Some(contact)) => format!("chronograph/{version} ({contact})"),
        (false, None) => format!("chronograph/{version} ({repository})"),
        (false, Some(contact)) => format!("chronograph/{version} ({repository}; {contact})"),
    }
}

/// Reads a remote answer's body of at most `max` bytes; `None` when it is
/// longer (by its `Content-Length`, or once `max` bytes were read: the rest
/// is never read into memory).
pub fn read_body_capped(
    response: reqwest::blocking::Response,
    max: u64,
) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    if response.content_length().is_some_and(|n| n > max) {
        return Ok(None);
    }
    let mut body = Vec::new();
    response.take(max + 1).read_to_end(&mut body)?;
    Ok((body.len() as u64 <= max).then_some(body))
}

/// Reads a `Retry-After` value: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
/// A date in the past means "now".
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Exponential backoff with jitter: `base·2^(attempt−1)` times a random factor
/// in [0.5, 1.5), at most `max`. `attempt` counts from 1.
pub fn backoff(base: Duration, attempt: u32, max: Duration) -> Duration {
    let exp = base.saturating_mul(1_u32 << attempt.saturating_sub(1).min(20));
    let factor = 0.5 + fastrand::f64();
    Duration::try_from_secs_f64(exp.as_secs_f64() * factor)
        .unwrap_or(max)
        .min(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let soon = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(30));
        let wait = parse_retry_after(&soon).unwrap();
        assert!(
            wait > Duration::from_secs(25) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert!(parse_retry_after("soon").is_none());
    }

    #[test]
    fn backoff_grows_exponentially_within_its_jitter_bounds() {
        let base = Duration::from_millis(20);
        for attempt in 1..=6 {
            let d = backoff(base, attempt, Duration::from_secs(60));
            let expected = base * (1 << (attempt - 1));
            assert!(
                d >= expected / 2 && d < expected * 3 / 2,
                "{attempt}: {d:?}"
            );
        }
        assert_eq!(
            backoff(base, 30, Duration::from_secs(1)),
            Duration::from_secs(1)
        );
    }

    #[test]
    fn user_agent_names_the_tool_and_the_contact() {
        let anonymous = default_user_agent(None);
        assert!(anonymous.starts_with("chronograph/"), "{anonymous}");
        assert!(!anonymous.contains("contact"), "{anonymous}");
        let ua = default_user_agent(Some("curator@example.org"));
        assert!(
            ua.starts_with("chronograph/") && ua.contains("curator@example.org"),
            "{ua}"
        );
    }
}
