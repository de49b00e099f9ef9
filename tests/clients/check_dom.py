"""Checks a page's DOM as dumped by headless Chromium (--dump-dom).

    python check_dom.py person DOM.html   # a person page: SVG timeline + name
    python check_dom.py query DOM.html    # /query?sample=documents-per-year

Prints one line per check; exits 1 if any fails. Standard library only.
"""

import sys
from html.parser import HTMLParser


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = {k: (v or "") for k, v in attrs}
        self.parent = parent
        self.children = []
        self.text = []

    def classes(self):
        return self.attrs.get("class", "").split()

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def all_text(self):
        parts = list(self.text)
        for child in self.children:
            parts.append(child.all_text())
        return " ".join(p for p in parts if p)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [], None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        if data.strip():
            self.current.text.append(data.strip())


def parse(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        source = f.read()
    builder = TreeBuilder()
    builder.feed(source)
    builder.close()
    return source, builder.root


def person(source, root):
    checks = []
    timelines = [n for n in root.walk() if n.tag == "svg" and "timeline" in n.classes()]
    checks.append(("an <svg class=\"timeline\">", bool(timelines)))
    marks = [m for t in timelines for m in t.walk() if m.tag in ("circle", "rect")]
    checks.append((f"timeline marks (<circle>/<rect>): {len(marks)}", len(marks) >= 1))
    checks.append(("text \"Kim Il Sung\"", "Kim Il Sung" in root.all_text()))
    return checks


def query(source, root):
    checks = []
    editors = [n for n in root.walk() if n.tag == "textarea" and n.attrs.get("name") == "query"]
    prefilled = any("SELECT" in e.all_text().upper() for e in editors)
    checks.append(("a <textarea name=\"query\"> prefilled with the sample", prefilled))
    tables = [n for n in root.walk() if n.tag == "table" and "results" in n.classes()]
    checks.append(("a <table class=\"results\">", bool(tables)))
    data_rows = [
        row
        for table in tables
        for row in table.walk()
        if row.tag == "tr" and any(cell.tag == "td" for cell in row.children)
    ]
    checks.append((f"data rows (<tr> with <td>): {len(data_rows)}", len(data_rows) >= 1))
    cells = [[c.all_text().strip() for c in row.children if c.tag == "td"] for row in data_rows]
    checks.append(("a data row with \"1960\"", any("1960" in " ".join(row) for row in cells)))
    # documents-per-year on data/sample: 1960 has 3 documents.
    checks.append(("the row 1960 | 3", ["1960", "3"] in cells))
    return checks


def main(argv):
    if len(argv) != 3 or argv[1] not in ("person", "query"):
        print(__doc__, file=sys.stderr)
        return 2
    source, root = parse(argv[2])
    checks = {"person": person, "query": query}[argv[1]](source, root)
    for name, ok in checks:
        print(f"{'ok  ' if ok else 'FAIL'} dom {argv[1]}: {name}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
