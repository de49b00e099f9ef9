"""Checks a page's DOM as dumped by headless Chromium (--dump-dom).

    python check_dom.py person DOM.html   # a person page: SVG timeline + name
    python check_dom.py query DOM.html    # /query?sample=documents-per-year
    python check_dom.py home-search DOM.html BASE WORDS  # prints the URL the home page's search form opens
    python check_dom.py search-facet DOM.html BASE       # prints "TOTAL COUNT URL" of the first narrowing facet
    python check_dom.py search-total DOM.html N          # the search page says N hits

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


def search_total(root):
    """The hit count the search page states (in #search-total), or None."""
    for node in root.walk():
        if node.attrs.get("id") == "search-total":
            words = node.all_text().split()
            if words and words[0].isdigit():
                return int(words[0])
    return None


def home_search(root, base, words):
    """The URL the home page's search form opens for `words` (its action and
    the name of its input, as a browser submitting it would)."""
    from urllib.parse import urlencode, urljoin

    for form in root.walk():
        if form.tag == "form" and form.attrs.get("role") == "search":
            inputs = [n for n in form.walk() if n.tag == "input" and n.attrs.get("name")]
            if inputs and form.attrs.get("method", "get").lower() == "get":
                return urljoin(base, form.attrs.get("action", "")) + "?" + urlencode({inputs[0].attrs["name"]: words})
    return None


def search_facet(root, base):
    """The stated total, and the first facet link that narrows it, with its count."""
    import re
    from urllib.parse import urljoin

    total = search_total(root)
    for node in root.walk():
        if node.tag == "a" and "facet" in node.classes() and node.parent is not None:
            # The count is the <li>'s own text after the link: "(3)".
            match = re.search(r"\((\d+)\)", " ".join(node.parent.text))
            if match and total is not None and int(match.group(1)) < total:
                return total, int(match.group(1)), urljoin(base, node.attrs.get("href", ""))
    return total, None, None


def main(argv):
    if len(argv) >= 3 and argv[1] in ("home-search", "search-facet", "search-total"):
        _, root = parse(argv[2])
        if argv[1] == "home-search" and len(argv) == 5:
            url = home_search(root, argv[3], argv[4])
            print(url or "")
            return 0 if url else 1
        if argv[1] == "search-facet" and len(argv) == 4:
            total, count, url = search_facet(root, argv[3])
            if count is None:
                print(f"FAIL dom search: no facet narrows the {total} hits")
                return 1
            print(f"{total} {count} {url}")
            return 0
        if argv[1] == "search-total" and len(argv) == 4:
            total = search_total(root)
            ok = total == int(argv[3])
            print(f"{'ok  ' if ok else 'FAIL'} dom search: the narrowed page says {total} hits, the facet said {argv[3]}")
            return 0 if ok else 1
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
