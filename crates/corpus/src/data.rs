//! Readers of the data files' two formats: tab-separated rows and a small subset of TOML.
//!
//! The files are compiled in (`include_str!`) and read once; every value is a
//! slice of the file's text, so the tables hold `&'static str`. A malformed file
//! is a bug of the crate, not of its input: the readers panic, naming the file
//! and line, and `tables::tests` reads every file.

/// A row of a tab-separated file: `N` values, exactly as written.
pub(crate) struct Row<const N: usize> {
    file: &'static str,
    line: usize,
    fields: [&'static str; N],
}

impl<const N: usize> Row<N> {
    /// Value `i`, as written (possibly empty).
    pub(crate) fn text(&self, i: usize) -> &'static str {
        self.fields[i]
    }

    /// Value `i` as a whole number.
    pub(crate) fn number(&self, i: usize) -> u32 {
        number(self.file, self.line, self.fields[i])
    }

    /// Value `i` as `true` or `false`.
    pub(crate) fn flag(&self, i: usize) -> bool {
        flag(self.file, self.line, self.fields[i])
    }

    /// Value `i` as one of the named `choices`.
    pub(crate) fn choice<T: Copy>(&self, i: usize, choices: &[(&str, T)]) -> T {
        let value = self.fields[i];
        match choices.iter().find(|(name, _)| *name == value) {
            Some((_, choice)) => *choice,
            None => {
                let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
                fail(
                    self.file,
                    self.line,
                    &format!("{value:?} is none of {}", names.join(", ")),
                )
            }
        }
    }
}

/// The rows of a tab-separated file. Lines starting with `#` and empty lines are
/// skipped; the first other line must name the `columns`; every other line is a
/// row of exactly that many values, separated by single tabs (no quoting, no
/// trimming). Line ends may be `\n` or `\r\n`.
pub(crate) fn tsv_rows<const N: usize>(
    file: &'static str,
    text: &'static str,
    columns: [&str; N],
) -> Vec<Row<N>> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'));
    match lines.next() {
        Some((_, header)) if header.split('\t').eq(columns) => {}
        Some((line, _)) => fail(
            file,
            line,
            &format!("the header must name the columns {}", columns.join(", ")),
        ),
        None => fail(file, 0, "no header line"),
    }
    lines
        .map(|(line, text)| {
            let values: Vec<&'static str> = text.split('\t').collect();
            let count = values.len();
            match values.try_into() {
                Ok(fields) => Row { file, line, fields },
                Err(_) => fail(file, line, &format!("{count} values, not {N}")),
            }
        })
        .collect()
}

/// A value of the TOML subset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Text(&'static str),
    Number(u32),
    Flag(bool),
    List(Vec<&'static str>),
}

/// A table of a TOML file: the top level, a `[name]` table or one of `[[name]]`.
#[derive(Debug)]
pub(crate) struct Table {
    file: &'static str,
    /// The line of its header (0 for the top level).
    line: usize,
    name: &'static str,
    array: bool,
    entries: Vec<(&'static str, Value)>,
}

impl Table {
    fn value(&self, key: &str) -> &Value {
        match self.entries.iter().find(|(k, _)| *k == key) {
            Some((_, value)) => value,
            None => self.fail(&format!("no {key}")),
        }
    }

    /// A string.
    pub(crate) fn text(&self, key: &str) -> &'static str {
        match self.value(key) {
            Value::Text(text) => text,
            other => self.fail(&format!("{key} is {other:?}, not a string")),
        }
    }

    /// A whole number.
    pub(crate) fn number(&self, key: &str) -> u32 {
        match self.value(key) {
            Value::Number(n) => *n,
            other => self.fail(&format!("{key} is {other:?}, not a number")),
        }
    }

    /// `true` or `false`.
    pub(crate) fn flag(&self, key: &str) -> bool {
        match self.value(key) {
            Value::Flag(flag) => *flag,
            other => self.fail(&format!("{key} is {other:?}, not true or false")),
        }
    }

    /// An array of strings.
    pub(crate) fn list(&self, key: &str) -> Vec<&'static str> {
        match self.value(key) {
            Value::List(list) => list.clone(),
            other => self.fail(&format!("{key} is {other:?}, not an array of strings")),
        }
    }

    /// Checks that the table has no other keys than `keys` (a misspelt key is not ignored).
    pub(crate) fn only(&self, keys: &[&str]) {
        if let Some((key, _)) = self.entries.iter().find(|(k, _)| !keys.contains(k)) {
            self.fail(&format!("unknown key {key}"));
        }
    }

    /// Whether the table has `key`.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| *k == key)
    }

    fn fail(&self, message: &str) -> ! {
        let name = match (self.name, self.array) {
            ("", _) => "the top level".to_owned(),
            (name, true) => format!("[[{name}]]"),
            (name, false) => format!("[{name}]"),
        };
        fail(self.file, self.line, &format!("{name}: {message}"))
    }
}

/// A file in a small subset of TOML: `key = value` lines whose value is a string
/// in double quotes without escapes (no `\` or `"` inside), a whole number,
/// `true` or `false`, or an array of such strings, one per line, each followed by
/// a comma, the `]` on a line of its own; `[name]` and `[[name]]` headers; blank
/// lines and comment lines starting with `#` (a comment cannot follow a value).
/// Every file of this subset is TOML and means the same as TOML.
#[derive(Debug)]
pub(crate) struct Toml {
    /// The top level first, then the tables in the file's order.
    tables: Vec<Table>,
}

impl Toml {
    pub(crate) fn parse(file: &'static str, text: &'static str) -> Self {
        let mut tables = vec![Table {
            file,
            line: 0,
            name: "",
            array: false,
            entries: Vec::new(),
        }];
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, line)| (i + 1, line.trim()));
        while let Some((line, text)) = lines.next() {
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            let header = match text.strip_prefix("[[").and_then(|t| t.strip_suffix("]]")) {
                Some(name) => Some((name, true)),
                None => text
                    .strip_prefix('[')
                    .and_then(|t| t.strip_suffix(']'))
                    .map(|name| (name, false)),
            };
            if let Some((name, array)) = header {
                let name = bare_key(file, line, name);
                let clash = tables
                    .iter()
                    .any(|t| t.name == name && (!array || !t.array));
                if clash {
                    fail(file, line, &format!("table {name} defined twice"));
                }
                tables.push(Table {
                    file,
                    line,
                    name,
                    array,
                    entries: Vec::new(),
                });
                continue;
            }
            let Some((key, value)) = text.split_once('=') else {
                fail(file, line, "expected key = value, a [table] or a comment");
            };
            let key = bare_key(file, line, key.trim());
            let value = value.trim();
            let value = if value == "[" {
                let mut items = Vec::new();
                loop {
                    let Some((line, item)) = lines.next() else {
                        fail(file, line, &format!("{key}: the array is not closed"));
                    };
                    if item.is_empty() || item.starts_with('#') {
                        continue;
                    }
                    if item == "]" {
                        break;
                    }
                    match item.strip_suffix(',') {
                        Some(item) => items.push(string(file, line, item)),
                        None => fail(file, line, "an array item must be followed by a comma"),
                    }
                }
                Value::List(items)
            } else if value.starts_with('"') {
                Value::Text(string(file, line, value))
            } else if value == "true" || value == "false" {
                Value::Flag(value == "true")
            } else {
                Value::Number(number(file, line, value))
            };
            let table = tables.last_mut().expect("the top level is always there");
            if table.has(key) {
                fail(file, line, &format!("{key} given twice"));
            }
            table.entries.push((key, value));
        }
        Self { tables }
    }

    /// The top level (`""`) or the `[name]` table.
    pub(crate) fn table(&self, name: &str) -> &Table {
        match self.tables.iter().find(|t| t.name == name && !t.array) {
            Some(table) => table,
            None => fail(self.tables[0].file, 0, &format!("no [{name}] table")),
        }
    }

    /// The `[[name]]` tables, in order.
    pub(crate) fn array<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Table> + 'a {
        self.tables
            .iter()
            .filter(move |t| t.name == name && t.array)
    }
}

fn bare_key(file: &'static str, line: usize, key: &'static str) -> &'static str {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !bare {
        fail(file, line, &format!("{key:?} is not a bare key"));
    }
    key
}

/// The text inside `"…"` (no escapes: a `\` or an inner `"` is refused).
fn string(file: &'static str, line: usize, quoted: &'static str) -> &'static str {
    match quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"')) {
        Some(text) if !text.contains(['"', '\\']) => text,
        _ => fail(
            file,
            line,
            &format!("{quoted}: expected a string in double quotes, without escapes"),
        ),
    }
}

fn number(file: &'static str, line: usize, text: &str) -> u32 {
    text.parse()
        .unwrap_or_else(|_| fail(file, line, &format!("{text:?} is not a whole number")))
}

fn flag(file: &'static str, line: usize, text: &str) -> bool {
    match text {
        "true" => true,
        "false" => false,
        _ => fail(file, line, &format!("{text:?} is neither true nor false")),
    }
}

fn fail(file: &str, line: usize, message: &str) -> ! {
    panic!("data/{file}:{line}: {message}")
}

#[cfg(test)]
mod tests {
    use super::{tsv_rows, Toml, Value};

    #[test]
    fn tab_separated_rows_are_read_exactly() {
        let rows = tsv_rows(
            "t.tsv",
            "# comment\r\nname\tcount\tflag\r\n\r\n a b \t7\ttrue\r\n\t0\tfalse\n",
            ["name", "count", "flag"],
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].text(0), rows[0].number(1), rows[0].flag(2)),
            (" a b ", 7, true)
        );
        assert_eq!((rows[1].text(0), rows[1].number(1)), ("", 0));
        assert_eq!(rows[1].choice(2, &[("true", 1), ("false", 2)]), 2);
    }

    #[test]
    #[should_panic(expected = "data/t.tsv:3: 1 values, not 2")]
    fn a_short_row_is_refused() {
        tsv_rows("t.tsv", "a\tb\n1\t2\n3\n", ["a", "b"]);
    }

    #[test]
    #[should_panic(expected = "data/t.tsv:1: the header must name the columns a, b")]
    fn a_wrong_header_is_refused() {
        tsv_rows("t.tsv", "a\tc\n", ["a", "b"]);
    }

    #[test]
    fn the_toml_subset_reads_strings_numbers_flags_and_arrays() {
        let toml = Toml::parse(
            "t.toml",
            "# c\nlist = [\n    \"a b\",\n\n    \"c'd\",\n]\n[one]\nx = \"\"\n\n[[many]]\nn = 3\nf = true\n[[many]]\nn = 4\nf = false\n",
        );
        assert_eq!(toml.table("").list("list"), ["a b", "c'd"]);
        assert_eq!(toml.table("one").text("x"), "");
        let many: Vec<(u32, bool)> = toml
            .array("many")
            .map(|t| (t.number("n"), t.flag("f")))
            .collect();
        assert_eq!(many, [(3, true), (4, false)]);
        assert_eq!(
            toml.table("").value("list"),
            &Value::List(vec!["a b", "c'd"])
        );
    }

    #[test]
    #[should_panic(expected = "data/t.toml:1: \"a\\\"b\": expected a string")]
    fn escapes_are_refused() {
        Toml::parse("t.toml", "x = \"a\\\"b\"\n");
    }

    #[test]
    #[should_panic(expected = "data/t.toml:1: [[many]]: unknown key y")]
    fn unknown_keys_are_refused() {
        Toml::parse("t.toml", "[[many]]\ny = 1\n")
            .array("many")
            .for_each(|t| t.only(&["x"]));
    }
}
