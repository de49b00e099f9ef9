//! Authentication of a push: a bearer token, sent with every request, or a
//! user name and password, sent as HTTP Basic or HTTP Digest (RFC 7616) as the
//! server's `WWW-Authenticate` challenge asks.
//!
//! With a password the scheme is not known in advance (Fuseki and GraphDB ask
//! for Basic, Virtuoso's `/sparql-graph-crud-auth` for Digest), and a password
//! is never sent in the clear to a server that asks for Digest. So before the
//! first write of a push, a **probe** goes without credentials: an empty `POST`
//! of N-Triples to the graph about to be written, which adds nothing. Its 401
//! carries the challenge, and the writes then answer it: Basic credentials with
//! every request, or a Digest answer reusing the server's nonce with an
//! incremented count. The probe has no body on purpose: a server refusing a
//! request may close the connection before reading a large body, and the
//! client then sees a broken pipe instead of the challenge. A 401 without a
//! challenge is taken as asking for Basic; a probe accepted without
//! credentials means the endpoint needs none. A write answered 401 with a new
//! challenge (a Digest nonce gone stale) is answered once more; a write lost to
//! a connection failure while Digest is in use probes again before it is
//! retried, for a fresh nonce.

use digest_auth::{AuthContext, HttpMethod, WwwAuthenticateHeader};
use reqwest::blocking::{RequestBuilder, Response};
use reqwest::header::{HeaderValue, AUTHORIZATION, WWW_AUTHENTICATE};

use crate::{Auth, PushError};

/// The scheme a password goes with, once the server has said.
#[derive(Debug, Clone)]
enum Scheme {
    /// Not known yet: probe first.
    Unknown,
    /// The probe was accepted without credentials.
    Open,
    /// HTTP Basic.
    Basic,
    /// HTTP Digest, with the server's last challenge (its nonce and count).
    Digest(Box<WwwAuthenticateHeader>),
}

/// The credentials of a push and what the server asked for.
#[derive(Debug)]
pub(crate) struct Authenticator {
    auth: Option<Auth>,
    scheme: Scheme,
}

impl Authenticator {
    /// Credentials to use, none if `auth` is `None`.
    pub(crate) fn new(auth: Option<Auth>) -> Self {
        Self {
            auth,
            scheme: Scheme::Unknown,
        }
    }

    /// Whether the next request must be the probe (a password, no scheme yet).
    pub(crate) fn must_probe(&self) -> bool {
        matches!(self.auth, Some(Auth::Password { .. })) && matches!(self.scheme, Scheme::Unknown)
    }

    /// Adds the credentials to a write.
    pub(crate) fn authorize(
        &mut self,
        request: RequestBuilder,
        method: &'static str,
        url: &url::Url,
        body: &[u8],
    ) -> Result<RequestBuilder, PushError> {
        let (user, password) = match &self.auth {
            None => return Ok(request),
            Some(Auth::Bearer(token)) => return Ok(request.bearer_auth(token)),
            Some(Auth::Password { user, password }) => (user, password),
        };
        match &mut self.scheme {
            Scheme::Unknown | Scheme::Open => Ok(request),
            Scheme::Basic => Ok(request.basic_auth(user, Some(password))),
            Scheme::Digest(challenge) => {
                // The request-target as sent: path and query.
                let uri = &url[url::Position::BeforePath..url::Position::AfterQuery];
                let context = AuthContext::new_with_method(
                    user.as_str(),
                    password.as_str(),
                    uri,
                    Some(body),
                    HttpMethod::from(method),
                );
                let answer = challenge
                    .respond(&context)
                    .map_err(|source| PushError::Challenge {
                        url: url.to_string(),
                        source,
                    })?
                    .to_header_string();
                let value = HeaderValue::from_str(&answer).map_err(|_| PushError::Challenge {
                    url: url.to_string(),
                    source: digest_auth::Error::InvalidHeaderSyntax(answer),
                })?;
                Ok(request.header(AUTHORIZATION, value))
            }
        }
    }

    /// The probe was accepted: the endpoint needs no credentials.
    pub(crate) fn open(&mut self) {
        self.scheme = Scheme::Open;
    }

    /// Learns the scheme from the probe's 401.
    pub(crate) fn challenged(&mut self, response: &Response) -> Result<(), PushError> {
        self.scheme = match digest_challenge(response)? {
            Some(challenge) => Scheme::Digest(Box::new(challenge)),
            None => Scheme::Basic,
        };
        Ok(())
    }

    /// A write was answered 401: whether a new challenge is worth answering
    /// (a fresh Digest nonce, or a scheme other than the one tried).
    pub(crate) fn challenged_again(&mut self, response: &Response) -> Result<bool, PushError> {
        if !matches!(self.auth, Some(Auth::Password { .. })) {
            return Ok(false);
        }
        let challenge = digest_challenge(response)?;
        let retry = match (&self.scheme, &challenge) {
            (Scheme::Digest(old), Some(new)) => new.stale || new.nonce != old.nonce,
            (Scheme::Digest(_), None) => false,
            (Scheme::Basic, None) => false,
            _ => true,
        };
        if retry {
            self.scheme = match challenge {
                Some(challenge) => Scheme::Digest(Box::new(challenge)),
                None => Scheme::Basic,
            };
        }
        Ok(retry)
    }

    /// A write failed without an answer: with Digest, probe again for a fresh nonce.
    pub(crate) fn connection_failed(&mut self) {
        if matches!(self.scheme, Scheme::Digest(_)) {
            self.scheme = Scheme::Unknown;
        }
    }
}

/// The response's Digest challenge, if it has one (a non-MD5 one preferred).
fn digest_challenge(response: &Response) -> Result<Option<WwwAuthenticateHeader>, PushError> {
    let mut best: Option<WwwAuthenticateHeader> = None;
    for value in response.headers().get_all(WWW_AUTHENTICATE) {
        let Ok(text) = value.to_str() else { continue };
        let text = text.trim();
        if !text
            .get(..6)
            .is_some_and(|s| s.eq_ignore_ascii_case("digest"))
        {
            continue;
        }
        let challenge =
            WwwAuthenticateHeader::parse(&format!("Digest{}", &text[6..])).map_err(|source| {
                PushError::Challenge {
                    url: response.url().to_string(),
                    source,
                }
            })?;
        let md5 = matches!(challenge.algorithm.algo, digest_auth::AlgorithmType::MD5);
        if best.is_none() || !md5 {
            best = Some(challenge);
        }
    }
    Ok(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Virtuoso 7.2 answers on `/sparql-graph-crud-auth`.
    const VIRTUOSO: &str = r#"Digest realm="SPARQL", domain="/sparql-graph-crud-auth", nonce="8aa4a87538aa31c9e3f6c834cd835baf", opaque="5ebe2294ecd0e0f08eab7690d2a6ee69", stale="false", qop="auth", algorithm="MD5""#;

    #[test]
    fn virtuoso_challenge_is_answered_per_rfc_2617() {
        let mut challenge = WwwAuthenticateHeader::parse(VIRTUOSO).unwrap();
        assert!(!challenge.stale);
        let uri = "/sparql-graph-crud-auth?graph=http%3A%2F%2Fa%2Fg";
        let mut context = AuthContext::new_with_method(
            "dba",
            "Pw1234",
            uri,
            Some(&b""[..]),
            HttpMethod::from("PUT"),
        );
        context.set_custom_cnonce("0a4f113b");
        let answer = challenge.respond(&context).unwrap().to_header_string();
        // RFC 2617 3.2.2.1 by hand: MD5(HA1:nonce:nc:cnonce:qop:HA2).
        let md5 = |s: &str| {
            digest_auth::Algorithm::new(digest_auth::AlgorithmType::MD5, false).hash_str(s)
        };
        let ha1 = md5("dba:SPARQL:Pw1234");
        let ha2 = md5(&format!("PUT:{uri}"));
        let expected = md5(&format!(
            "{ha1}:8aa4a87538aa31c9e3f6c834cd835baf:00000001:0a4f113b:auth:{ha2}"
        ));
        assert!(
            answer.contains(&format!("response=\"{expected}\"")),
            "{answer}"
        );
        assert!(answer.contains("nc=00000001"), "{answer}");
        assert!(answer.contains("opaque=\"5ebe2294ecd0e0f08eab7690d2a6ee69\""));
        // The next request reuses the nonce with the next count.
        let again = challenge.respond(&context).unwrap().to_header_string();
        assert!(again.contains("nc=00000002"), "{again}");
    }
}
