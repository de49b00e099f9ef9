//! `robots.txt` (RFC 9309) through `texting_robots`: which paths the harvester
//! may fetch, the `Crawl-delay`, and the sitemaps the site announces.

use std::time::Duration;

use texting_robots::Robot;

/// The product token the harvester matches `User-agent:` lines with.
pub const ROBOTS_AGENT: &str = "chronograph";

/// What a site's `robots.txt` allows.
#[derive(Debug)]
pub enum RobotsRules {
    /// Rules read from a `robots.txt` file.
    Parsed(Box<Robot>),
    /// No `robots.txt` (a 4xx answer): everything is allowed (RFC 9309 §2.3.1.3).
    AllowAll,
}

impl RobotsRules {
    /// Reads a `robots.txt` body. A file `texting_robots` cannot read allows
    /// everything, as RFC 9309 asks of unparseable lines, and says so in the log.
    pub fn parse(body: &[u8]) -> Self {
        match Robot::new(ROBOTS_AGENT, body) {
            Ok(robot) => Self::Parsed(Box::new(robot)),
            Err(e) => {
                tracing::warn!("robots.txt could not be read ({e}); treating it as allowing all");
                Self::AllowAll
            }
        }
    }

    /// Whether the URL (absolute, or a path) may be fetched.
    pub fn allowed(&self, url: &str) -> bool {
        match self {
            Self::Parsed(robot) => robot.allowed(url),
            Self::AllowAll => true,
        }
    }

    /// The `Crawl-delay` for our agent (or `*`), if any.
    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Self::Parsed(robot) => robot
                .delay
                .filter(|d| d.is_finite() && *d >= 0.0)
                .and_then(|d| Duration::try_from_secs_f32(d).ok()),
            Self::AllowAll => None,
        }
    }

    /// The sitemaps the file lists.
    pub fn sitemaps(&self) -> &[String] {
        match self {
            Self::Parsed(robot) => &robot.sitemaps,
            Self::AllowAll => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disallow_crawl_delay_and_sitemaps_are_read() {
        let rules = RobotsRules::parse(
            b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.5\n\nSitemap: http://x/sitemap.xml\n",
        );
        assert!(!rules.allowed("http://x/private/secret"));
        assert!(rules.allowed("http://x/document/1"));
        assert_eq!(rules.crawl_delay(), Some(Duration::from_millis(500)));
        assert_eq!(rules.sitemaps(), ["http://x/sitemap.xml".to_owned()]);
    }

    #[test]
    fn a_group_for_our_agent_wins_over_the_star_group() {
        let rules = RobotsRules::parse(
            b"User-agent: *\nDisallow: /\n\nUser-agent: chronograph\nDisallow: /search\nCrawl-delay: 3\n",
        );
        assert!(rules.allowed("/document/1"));
        assert!(!rules.allowed("/search?page=2"));
        assert_eq!(rules.crawl_delay(), Some(Duration::from_secs(3)));
        assert!(RobotsRules::AllowAll.allowed("/anything"));
    }
}
