//! Two-word phrases answered from the adjacent-pairs fields.
//!
//! A phrase query reads the positions of both words in every record that
//! holds both, and at a million documents those reads were half the time of
//! a search for a common phrase. Each searchable text field therefore has a
//! twin (`text_pairs` beside `text`) that indexes every two adjacent terms
//! as one ([`crate::analysis::archive_pairs_analyzer`]): the phrase
//! `"hydroelectric plant"` is then the single term `hydroelectr plant`,
//! with the same matches and no position read. Phrases of three words or
//! more, prefixes and sloppy phrases stay phrase queries.

use tantivy::query_grammar::{Occur, UserInputAst, UserInputLeaf, UserInputLiteral};

use crate::analysis;

/// The text fields searched when a query names no field, each with its
/// pairs twin.
pub const PAIRED_FIELDS: [(&str, &str); 5] = [
    ("title", "title_pairs"),
    ("summary", "summary_pairs"),
    ("text", "text_pairs"),
    ("citation", "citation_pairs"),
    ("names", "names_pairs"),
];

/// Rewrites every literal of exactly two adjacent terms (`"Geneva
/// conference"`, or a bare `Il-sung`, which the parser would make a phrase)
/// into a search of the pairs twins of its field, or of every paired field
/// when it names none. Returns the query and whether anything was
/// rewritten.
pub fn answer_from_pairs(ast: UserInputAst) -> (UserInputAst, bool) {
    match ast {
        UserInputAst::Clause(items) => {
            let mut rewritten = false;
            let items = items
                .into_iter()
                .map(|(occur, item)| {
                    let (item, changed) = answer_from_pairs(item);
                    rewritten |= changed;
                    (occur, item)
                })
                .collect();
            (UserInputAst::Clause(items), rewritten)
        }
        UserInputAst::Boost(inner, boost) => {
            let (inner, rewritten) = answer_from_pairs(*inner);
            (UserInputAst::Boost(Box::new(inner), boost), rewritten)
        }
        UserInputAst::Leaf(leaf) => match *leaf {
            UserInputLeaf::Literal(literal) => match pair_fields(&literal) {
                Some(fields) => (pairs_search(&literal, &fields), true),
                None => (
                    UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal))),
                    false,
                ),
            },
            other => (UserInputAst::Leaf(Box::new(other)), false),
        },
    }
}

/// The pairs fields a literal is answered from, when it is two adjacent
/// terms in paired fields.
fn pair_fields(literal: &UserInputLiteral) -> Option<Vec<&'static str>> {
    if literal.prefix || literal.slop != 0 {
        return None;
    }
    let fields: Vec<&'static str> = match &literal.field_name {
        None => PAIRED_FIELDS.iter().map(|(_, pairs)| *pairs).collect(),
        Some(name) => vec![PAIRED_FIELDS.iter().find(|(field, _)| field == name)?.1],
    };
    analysis::is_indexed_pair(&literal.phrase).then_some(fields)
}

/// The literal searched in each of `fields` (any of them: the parser's own
/// expansion of a literal over several default fields).
fn pairs_search(literal: &UserInputLiteral, fields: &[&str]) -> UserInputAst {
    let in_field = |field: &str| {
        UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(UserInputLiteral {
            field_name: Some(field.to_owned()),
            ..literal.clone()
        })))
    };
    match fields {
        [one] => in_field(one),
        many => UserInputAst::Clause(
            many.iter()
                .map(|field| (Some(Occur::Should), in_field(field)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(query: &str) -> (String, bool) {
        let ast = tantivy::query_grammar::parse_query(query).unwrap();
        let (ast, changed) = answer_from_pairs(ast);
        (format!("{ast:?}"), changed)
    }

    #[test]
    fn two_word_phrases_become_pair_terms() {
        let (ast, changed) = rewritten("\"hydroelectric plants\" dam");
        assert!(changed);
        for (_, pairs) in PAIRED_FIELDS {
            let searched = format!("?\"{pairs}\":\"hydroelectric plants\"");
            assert!(ast.contains(&searched), "{ast}");
        }
        assert!(ast.ends_with(" *dam)"), "{ast}");
        let (ast, changed) = rewritten("title:\"Geneva conference\"");
        assert!(changed);
        assert_eq!(ast, "\"title_pairs\":\"Geneva conference\"");
    }

    #[test]
    fn other_literals_stay() {
        for query in [
            "dam",
            "\"Kim Il Sung\"",
            "person:\"Kim Jong\"",
            "\"hydro plant\"~2",
            "\"hydroelectric pl\"*",
        ] {
            assert!(!rewritten(query).1, "{query}");
        }
    }
}
