//! The search box's language, translated to tantivy's query grammar:
//!
//! | you write | it means |
//! |---|---|
//! | `dam irrigation` | both words (in any searchable field) |
//! | `"Geneva conference"` | the phrase |
//! | `dam OR canal` | either |
//! | `-Albania` | not this word |
//! | `hydro*` | a word starting so |
//! | `person:"Kim Il Sung"`, `place:Pyongyang` | among the people / places named |
//! | `organisation:`, `collection:`, `archive:`, `language:`, `title:`, `summary:`, `text:` | that field |
//! | `year:1965`, `year:1960..1965` | that year, those years |

/// The fields a filter may name, as the user writes them.
pub const FILTER_FIELDS: [&str; 10] = [
    "person",
    "place",
    "organisation",
    "collection",
    "archive",
    "language",
    "title",
    "summary",
    "text",
    "year",
];

/// Rewrites a query into tantivy's grammar: `year:A..B` becomes a range,
/// `word*` a prefix, `organization:` is `organisation:`; anything else is
/// passed on (tantivy's grammar already reads words, phrases, `OR`, `-`).
pub fn to_tantivy(query: &str) -> String {
    let mut out = Vec::new();
    for token in split_keeping_phrases(query) {
        out.push(rewrite(&token));
    }
    out.join(" ")
}

fn rewrite(token: &str) -> String {
    let (negation, bare) = match token.strip_prefix('-') {
        Some(rest) if !rest.is_empty() => ("-", rest),
        _ => ("", token),
    };
    let (field, value) = match bare.split_once(':') {
        Some((f, v)) if !f.starts_with('"') => (Some(f.to_ascii_lowercase()), v),
        _ => (None, bare),
    };
    let field = field.map(|f| {
        if f == "organization" {
            "organisation".into()
        } else {
            f
        }
    });
    if field.as_deref() == Some("year") {
        if let Some((from, to)) = value.split_once("..") {
            return format!("{negation}year:[{from} TO {to}]");
        }
    }
    let value = match value.strip_suffix('*') {
        Some(stem) if !stem.is_empty() && !stem.starts_with('"') => format!("\"{stem}\"*"),
        _ => value.to_owned(),
    };
    match field {
        Some(f) => format!("{negation}{f}:{value}"),
        None => format!("{negation}{value}"),
    }
}

/// Splits at whitespace outside double quotes.
fn split_keeping_phrases(query: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in query.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    tokens.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        if quoted {
            current.push('"');
        }
        tokens.push(current);
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_users_syntax_becomes_tantivys() {
        assert_eq!(to_tantivy("dam irrigation"), "dam irrigation");
        assert_eq!(to_tantivy("year:1960..1965 dam"), "year:[1960 TO 1965] dam");
        assert_eq!(to_tantivy("hydro*"), "\"hydro\"*");
        assert_eq!(
            to_tantivy("person:\"Kim Il Sung\" -Albania"),
            "person:\"Kim Il Sung\" -Albania"
        );
        assert_eq!(to_tantivy("Organization:UN"), "organisation:UN");
        assert_eq!(to_tantivy("\"Geneva conference"), "\"Geneva conference\"");
    }
}
