#!/usr/bin/env python3
"""Structure checks for the chronograph workspace (called by scripts/check-structure.sh).

Checks, for the root package (src/) and every crate under crates/*/:

1. module cycles: no import cycle between the top-level modules of a crate
   (src/foo.rs or src/foo/ is module `foo`), nor between the direct submodules
   of any directory module (src/foo/a.rs, src/foo/b/ ...). An edge A -> B is a
   path `crate::B...` (also `$crate::`, `super::...` and `self::...` resolved
   against the file's module, `use` groups at any depth, inline paths) written
   in module A. A path that names an item re-exported by a module's root file
   (`pub use model::Record;` in lib.rs, then `crate::Record`) counts as a
   reference to the module it comes from. Comments (doc comments, so doc-links,
   too), string literals and `#[cfg(test)]` items (and files of
   `#[cfg(test)] mod x;`) are ignored.
2. file length: no .rs file over 1,000 lines in src/, crates/*/src,
   crates/*/tests, tests/, except data tables (under a `data/` directory, or
   named `*_table.rs` / `*tables.rs`) and the allow-list passed with
   --allow-long (kept in check-structure.sh).
3. Result<_, String>: no `Result<..., String>` (at any nesting) in library code,
   crates/*/src except crates/testkit, outside `#[cfg(test)]` items.
4. README.md at most 20 KB (20,480 bytes).

Exit status: 0 when every check passes, 1 otherwise, 2 on bad usage.
Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import bisect
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

LINE_LIMIT = 1000
README_LIMIT = 20 * 1024
CYCLES_SHOWN_PER_GRAPH = 25
CYCLE_SEARCH_BUDGET = 2_000_000  # DFS steps per strongly connected group
SKIP_DIRS = {"target", ".git", "node_modules"}

# --------------------------------------------------------------------------
# Lexing: blank out comments, string and char literals (same length, newlines
# kept, so offsets and line numbers stay valid).

_LEX = re.compile(r"""//|/\*|(?<![\w])[bc]?r(\#*)"|"|'""")


def strip_comments_and_strings(text: str) -> str:
    out = list(text)
    n = len(text)

    def blank(a: int, b: int) -> None:
        for k in range(a, min(b, n)):
            if out[k] != "\n":
                out[k] = " "

    i = 0
    while True:
        m = _LEX.search(text, i)
        if not m:
            break
        s = m.start()
        tok = m.group(0)
        if tok == "//":
            e = text.find("\n", s)
            e = n if e < 0 else e
            blank(s, e)
            i = e
        elif tok == "/*":
            depth, j = 1, s + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth += 1
                    j += 2
                elif text.startswith("*/", j):
                    depth -= 1
                    j += 2
                else:
                    j += 1
            blank(s, j)
            i = j
        elif tok == '"':
            j = s + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            blank(s + 1, j)
            i = j + 1
        elif tok == "'":
            if s + 1 < n and text[s + 1] == "\\":  # '\n', '\'', '\u{..}'
                e = text.find("'", s + 3)
                e = n if e < 0 else e
                blank(s + 1, e)
                i = e + 1
            elif s + 2 < n and text[s + 2] == "'" and text[s + 1] != "\n":
                blank(s + 1, s + 2)
                i = s + 3
            else:  # lifetime or label
                i = s + 1
        else:  # raw string r"..", r#".."#, br"..", cr".."
            close = '"' + m.group(1)
            e = text.find(close, m.end())
            e = n if e < 0 else e
            blank(m.end(), e)
            i = e + len(close)
    return "".join(out)


def match_close(code: str, i: int, open_ch: str, close_ch: str) -> int:
    """Index of the bracket closing the one at code[i] (len(code) if none)."""
    depth = 0
    for j in range(i, len(code)):
        c = code[j]
        if c == open_ch:
            depth += 1
        elif c == close_ch:
            depth -= 1
            if depth == 0:
                return j
    return len(code)


_WS = re.compile(r"\s*")
_CFG_TEST = re.compile(
    r"#\s*\[\s*cfg\s*\(\s*(?:test|all\s*\(\s*test\s*(?:,[^\]]*)?\))\s*\)\s*\]"
)
_INNER_CFG_TEST = re.compile(r"#\s*!\s*\[\s*cfg\s*\(\s*test\s*\)\s*\]")
_PATH_ATTR = re.compile(r'#\s*\[\s*path\s*=\s*"([^"]*)"\s*\]')
_MOD_DECL = re.compile(r"(?:pub\s*(?:\([^)]*\))?\s*)?mod\s+(?:r#)?(\w+)\s*;")


@dataclass
class TestItems:
    code: str  # stripped code with #[cfg(test)] items blanked
    whole_file: bool  # #![cfg(test)]
    test_mods: list[tuple[str, str | None]]  # (name, #[path]) of `#[cfg(test)] mod x;`


def blank_cfg_test(text: str, code: str) -> TestItems:
    """Blank every item carrying #[cfg(test)] in `code` (already stripped)."""
    n = len(code)
    out = list(code)
    test_mods: list[tuple[str, str | None]] = []
    for m in _INNER_CFG_TEST.finditer(code):
        if code.count("{", 0, m.start()) == code.count("}", 0, m.start()):
            return TestItems("".join(c if c == "\n" else " " for c in code), True, [])
    pos = 0
    while True:
        m = _CFG_TEST.search(code, pos)
        if not m:
            break
        j = m.end()
        while True:  # further attributes on the same item
            j = _WS.match(code, j).end()
            k = _WS.match(code, j + 1).end() if code.startswith("#", j) else j
            if code.startswith("#", j) and code.startswith("[", k):
                j = match_close(code, k, "[", "]") + 1
            else:
                break
        item_start = j
        depth = 0
        end = n
        is_use = re.match(r"(?:pub\s*(?:\([^)]*\))?\s*)?use\b", code[j : j + 40]) is not None
        while j < n:
            c = code[j]
            if c in "([" or (is_use and c == "{"):
                depth += 1
            elif c in ")]" or (is_use and c == "}"):
                depth -= 1
            elif c == ";" and depth == 0:
                end = j + 1
                break
            elif c == "{" and depth == 0:
                end = match_close(code, j, "{", "}") + 1
                break
            j += 1
        md = _MOD_DECL.match(code, item_start)
        if md and md.end() <= end:
            pa = _PATH_ATTR.search(text, m.start(), item_start)
            test_mods.append((md.group(1), pa.group(1) if pa else None))
        for k in range(m.start(), min(end, n)):
            if out[k] != "\n":
                out[k] = " "
        pos = max(end, m.end())
    return TestItems("".join(out), False, test_mods)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def count_lines(text: str) -> int:
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


# --------------------------------------------------------------------------
# Files and crates


def rs_files(d: Path) -> list[Path]:
    found = []
    if not d.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(d):
        dirnames[:] = sorted(x for x in dirnames if x not in SKIP_DIRS and not x.startswith("."))
        for f in sorted(filenames):
            if f.endswith(".rs"):
                found.append(Path(dirpath) / f)
    return found


def crate_dirs(root: Path) -> list[Path]:
    dirs = []
    if (root / "src").is_dir():
        dirs.append(root)
    crates = root / "crates"
    if crates.is_dir():
        for d in sorted(crates.iterdir()):
            if d.is_dir() and (d / "src").is_dir():
                dirs.append(d)
    return dirs


def rel(root: Path, p: Path) -> str:
    return os.path.relpath(p, root)


def crate_label(root: Path, crate: Path) -> str:
    return rel(root, crate)  # "." for the root package


# --------------------------------------------------------------------------
# Check 1: module cycles

_IDENT = re.compile(r"(?:r#)?([A-Za-z_][A-Za-z0-9_]*)")
_PATH_START = re.compile(r"(?<![\w$])(\$crate|crate|super|self)\s*::")
_INLINE_MOD = re.compile(r"(?<![\w])mod\s+(?:r#)?(\w+)\s*\{")
_USE = re.compile(r"(?<![\w])use\s+")


def _skip_ws(code: str, i: int) -> int:
    return _WS.match(code, i).end()


def parse_use_tree(code: str, i: int) -> tuple[list[tuple[list[str], str | None]], int]:
    """Parse `a::b::{c, d::{e as f}, self}` starting at i.

    Returns ([(segments, alias)], end). alias is the name the path is bound to
    in a `use` (last segment or `as` name; None for globs)."""
    segs: list[str] = []
    n = len(code)
    i = _skip_ws(code, i)
    while i < n:
        if code[i] == "{":
            results: list[tuple[list[str], str | None]] = []
            i += 1
            while True:
                i = _skip_ws(code, i)
                if i >= n:
                    return [(segs + s, a) for s, a in results], i
                if code[i] == "}":
                    i += 1
                    break
                sub, j = parse_use_tree(code, i)
                if j == i:  # malformed; give up on the group
                    return [(segs + s, a) for s, a in results], i
                for s, a in sub:
                    if s == ["self"]:
                        results.append(([], segs[-1] if segs else a))
                    else:
                        results.append((s, a))
                i = _skip_ws(code, j)
                if i < n and code[i] == ",":
                    i += 1
            return [(segs + s, a) for s, a in results], i
        if code[i] == "*":
            return [(segs, None)], i + 1
        m = _IDENT.match(code, i)
        if not m:
            break
        segs.append(m.group(1))
        i = m.end()
        j = _skip_ws(code, i)
        if code.startswith("::", j):
            i = _skip_ws(code, j + 2)
            continue
        ma = re.compile(r"\s+as\s+(?:r#)?(\w+)").match(code, i)
        if ma:
            return [(segs, ma.group(1))], ma.end()
        break
    return ([(segs, segs[-1] if segs else None)] if segs else []), i


def resolve_relative(kw: str, segs: list[str], here: tuple[str, ...]) -> tuple[str, ...] | None:
    """Absolute module path of `kw::segs` written in module `here`."""
    base = list(here)
    if kw in ("crate", "$crate"):
        base = []
    elif kw == "super":
        if not base:
            return None
        base.pop()
    rest = list(segs)
    while rest and rest[0] in ("super", "self"):
        if rest.pop(0) == "super":
            if not base:
                return None
            base.pop()
    return tuple(base + [s for s in rest if s != "self"])


@dataclass
class Ref:
    file: str
    line: int
    here: tuple[str, ...]  # module the reference is written in
    path: tuple[str, ...]  # absolute path (crate-relative)


@dataclass
class CrateModel:
    label: str
    modules: dict[tuple[str, ...], set[str]] = field(default_factory=dict)  # module -> child modules
    dir_modules: list[tuple[str, ...]] = field(default_factory=list)  # modules with a directory
    reexports: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = field(default_factory=dict)
    refs: list[Ref] = field(default_factory=list)


def module_path_of(src: Path, f: Path) -> tuple[str, ...]:
    """Module path of a source file: src/lib.rs -> (), src/a/mod.rs and src/a.rs -> ("a",)."""
    parts = list(f.relative_to(src).parts)
    name = parts[-1][:-3]
    if len(parts) == 1 and name in ("lib", "main"):
        return ()
    if name == "mod":
        return tuple(parts[:-1])
    return tuple(parts[:-1] + [name])


@dataclass
class SourceFile:
    path: Path
    text: str
    items: TestItems  # .code: comments, strings and #[cfg(test)] items blanked
    test_only: bool  # #![cfg(test)], or the file of a `#[cfg(test)] mod x;`


def crate_sources(src: Path) -> list[SourceFile]:
    """Every .rs file under a crate's src/, lexed, with test-only files marked."""
    files = []
    test_only: set[Path] = set()
    for f in rs_files(src):
        text = f.read_text(encoding="utf-8", errors="replace")
        items = blank_cfg_test(text, strip_comments_and_strings(text))
        files.append(SourceFile(f, text, items, items.whole_file))
        for name, path_attr in items.test_mods:
            if path_attr is not None:
                test_only.add((f.parent / path_attr).resolve())
                continue
            base = f.parent if f.name in ("lib.rs", "main.rs", "mod.rs") else f.parent / f.stem
            test_only.add((base / f"{name}.rs").resolve())
            test_only.add((base / name).resolve())  # directory: every file under it
    for sf in files:
        r = sf.path.resolve()
        if r in test_only or any(p in test_only for p in r.parents):
            sf.test_only = True
    return files


def build_crate_model(root: Path, crate: Path) -> CrateModel:
    src = crate / "src"
    model = CrateModel(crate_label(root, crate))
    sources = [sf for sf in crate_sources(src) if sf.path.relative_to(src).parts[0] != "bin"]
    files = [sf.path for sf in sources]

    # Module tree from the files.
    model.modules[()] = set()
    for f in files:
        mp = module_path_of(src, f)
        for k in range(len(mp)):
            model.modules.setdefault(mp[:k], set()).add(mp[k])
            model.modules.setdefault(mp[: k + 1], set())
    for mp in model.modules:
        d = src.joinpath(*mp) if mp else src
        if d.is_dir():
            model.dir_modules.append(mp)
    model.dir_modules.sort()

    for sf in sources:
        if sf.test_only:
            continue
        f, text, code = sf.path, sf.text, sf.items.code
        here = module_path_of(src, f)
        spans = []
        for m in _INLINE_MOD.finditer(code):
            b = code.index("{", m.start())
            spans.append((b, match_close(code, b, "{", "}"), m.group(1)))
        spans.sort()
        newlines = [k for k, c in enumerate(text) if c == "\n"]

        def module_at(off: int) -> tuple[str, ...]:
            return here + tuple(name for s, e, name in spans if s < off < e)

        # `use` declarations at file level: names they bring into the module
        # (so `crate::Record` after `pub use model::Record;` in lib.rs).
        table = model.reexports.setdefault(here, {})
        for m in _USE.finditer(code):
            if code.count("{", 0, m.start()) != code.count("}", 0, m.start()):
                continue  # inside a function, impl or inline module
            if code.startswith("::", _skip_ws(code, m.end())):
                continue  # ::extern_crate
            paths, _ = parse_use_tree(code, m.end())
            for segs, alias in paths:
                if not segs or alias in (None, "_"):
                    continue
                first = segs[0]
                if first in ("crate", "$crate", "super", "self"):
                    target = resolve_relative(first, segs[1:], here)
                elif first in model.modules.get(here, set()):
                    target = here + tuple(s for s in segs if s != "self")
                else:
                    continue  # extern crate or std
                if target is not None and alias not in model.modules.get(here, set()):
                    table[alias] = target

        for m in _PATH_START.finditer(code):
            loc = module_at(m.start())
            paths, _ = parse_use_tree(code, m.end())
            for segs, _alias in paths or [([], None)]:
                p = resolve_relative(m.group(1), segs, loc)
                if p is None:
                    continue
                model.refs.append(Ref(rel(root, f), bisect.bisect_left(newlines, m.start()) + 1, loc, p))
    return model


def resolve_reexports(model: CrateModel, path: tuple[str, ...], graph: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """Follow `use` re-exports for the graph of module `graph`'s children.

    A path that ends on an item of `graph` or of one of its ancestors (not a
    child module) but which that module imported with `use` is replaced by the
    path it was imported from, so `super::CompiledProfile` written in
    sources/page_html.rs, where sources/mod.rs has
    `pub use profile::CompiledProfile;`, counts as a reference to `profile`."""
    via = False
    for _ in range(16):
        changed = False
        for k in range(min(len(path), len(graph) + 1)):
            prefix = path[:k]
            if prefix != graph[:k] or prefix not in model.modules:
                break
            name = path[k]
            if name in model.modules[prefix]:
                continue
            target = model.reexports.get(prefix, {}).get(name)
            if target is not None and target != path[: k + 1]:
                path = target + path[k + 1 :]
                changed = via = True
            break
        if not changed:
            break
    return path, via


def strongly_connected(nodes: list[str], adj: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(adj.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    sys.setrecursionlimit(max(10000, sys.getrecursionlimit()))
    for v in nodes:
        if v not in index:
            visit(v)
    return out


def elementary_cycles(comp: list[str], adj: dict[str, set[str]], limit: int) -> tuple[list[list[str]], bool]:
    """Shortest elementary cycles first (each starting at its smallest node).

    Stops after the length at which `limit` cycles were reached; returns
    (cycles, complete)."""
    members = set(comp)
    found: list[list[str]] = []
    steps = 0
    for length in range(2, len(comp) + 1):
        for s in comp:
            path = [s]
            onpath = {s}

            def dfs(v: str) -> None:
                nonlocal steps
                steps += 1
                if steps > CYCLE_SEARCH_BUDGET:
                    return
                for w in sorted(adj.get(v, ())):
                    if w not in members or w < s:
                        continue
                    if len(path) == length:
                        if w == s:
                            found.append(path + [s])
                        continue
                    if w in onpath:
                        continue
                    path.append(w)
                    onpath.add(w)
                    dfs(w)
                    path.pop()
                    onpath.discard(w)

            dfs(s)
        if steps > CYCLE_SEARCH_BUDGET:
            return found, False
        if len(found) >= limit and length < len(comp):
            return found, False
    return found, True


def check_cycles(root: Path) -> tuple[bool, str, list[str]]:
    lines: list[str] = []
    n_cycles = 0
    all_found = True
    graphs_with_cycles = 0
    for crate in crate_dirs(root):
        model = build_crate_model(root, crate)
        for P in model.dir_modules:
            nodes = sorted(model.modules.get(P, ()))
            if len(nodes) < 2:
                continue
            depth = len(P)
            adj: dict[str, set[str]] = {}
            evidence: dict[tuple[str, str], list[tuple[Ref, tuple[str, ...], bool]]] = {}
            for r in model.refs:
                if len(r.here) <= depth or r.here[:depth] != P:
                    continue
                a = r.here[depth]
                if a not in model.modules[P]:
                    continue
                path, via = resolve_reexports(model, r.path, P)
                if len(path) <= depth or path[:depth] != P:
                    continue
                b = path[depth]
                if b == a or b not in model.modules[P]:
                    continue
                adj.setdefault(a, set()).add(b)
                evidence.setdefault((a, b), []).append((r, path, via))
            prefix = "".join(p + "::" for p in P)
            for comp in strongly_connected(nodes, adj):
                if len(comp) < 2:
                    continue
                graphs_with_cycles += 1
                cycles, complete = elementary_cycles(comp, adj, CYCLES_SHOWN_PER_GRAPH)
                cycles.sort(key=lambda c: (len(c), c))
                shown = cycles[:CYCLES_SHOWN_PER_GRAPH]
                n_cycles += len(cycles)
                all_found &= complete
                on_cycles: set[tuple[str, str]] = set()
                for c in shown:
                    lines.append(f"{model.label}: " + " -> ".join(prefix + x for x in c))
                    on_cycles.update(zip(c, c[1:]))
                if len(cycles) > len(shown) or not complete:
                    more = f"{len(cycles) - len(shown)}" + ("+" if not complete else "")
                    lines.append(
                        f"{model.label}: ... {more} more cycles among "
                        f"{{{', '.join(prefix + x for x in comp)}}}"
                    )
                lines.append("  references behind these edges (first one, total count):")
                for a, b in sorted(on_cycles):
                    ev = evidence[(a, b)]
                    r, path, via = ev[0]
                    shown_path = "crate::" + "::".join(path)
                    note = " (via re-export)" if via else ""
                    lines.append(
                        f"    {prefix}{a} -> {prefix}{b}: {r.file}:{r.line} {shown_path}{note}"
                        + (f"  [{len(ev)} refs]" if len(ev) > 1 else "")
                    )
    if graphs_with_cycles == 0:
        return True, "module cycles: none", lines
    return (
        False,
        f"module cycles: FAIL, {graphs_with_cycles} cyclic module group(s), "
        f"{n_cycles}{'' if all_found else '+'} cycle(s)",
        lines,
    )


# --------------------------------------------------------------------------
# Check 2: file length


def is_data_table(inside: Path) -> bool:
    """`inside`: the file's path below the scanned src/ or tests/ directory."""
    parts = inside.parts
    name = parts[-1]
    return "data" in parts[:-1] or name.endswith("_table.rs") or name.endswith("tables.rs")


def check_lengths(root: Path, allow: set[str]) -> tuple[bool, str, list[str]]:
    dirs = [root / "src", root / "tests"]
    crates = root / "crates"
    if crates.is_dir():
        for d in sorted(crates.iterdir()):
            if d.is_dir():
                dirs += [d / "src", d / "tests"]
    lines = []
    bad = 0
    allowed_long = 0
    for d in dirs:
        for f in rs_files(d):
            r = rel(root, f)
            text = f.read_text(encoding="utf-8", errors="replace")
            n = count_lines(text)
            if n <= LINE_LIMIT:
                continue
            if is_data_table(f.relative_to(d)) or r in allow:
                allowed_long += 1
                continue
            bad += 1
            lines.append(f"{r}: {n} lines (limit {LINE_LIMIT})")
    for a in sorted(allow):
        if not (root / a).is_file():
            lines.append(f"note: allow-listed file {a} does not exist")
    extra = f" ({allowed_long} allowed data table / allow-listed)" if allowed_long else ""
    if bad:
        return False, f"file length: FAIL, {bad} file(s) over {LINE_LIMIT} lines{extra}", lines
    return True, f"file length: none over {LINE_LIMIT} lines{extra}", lines


# --------------------------------------------------------------------------
# Check 3: Result<_, String> in library code

_RESULT = re.compile(r"(?<![\w])Result\s*(?:::\s*)?<")
_STRING_TY = re.compile(r"(?:(?:::)?(?:std|alloc)::string::)?String")


def generic_args(code: str, i: int) -> list[str] | None:
    """Top-level arguments of the generic list whose '<' is at code[i]."""
    args, cur = [], []
    depth = 0  # (), [], {}
    angle = 0
    j = i + 1
    n = len(code)
    while j < n and j - i < 4000:
        c = code[j]
        if c == "-" and code.startswith("->", j) or c == "=" and code.startswith("=>", j):
            cur.append(code[j : j + 2])
            j += 2
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth < 0:
                return None
        elif c == "<":
            angle += 1
        elif c == ">":
            if angle == 0 and depth == 0:
                args.append("".join(cur))
                return [a.strip() for a in args if a.strip()]
            angle -= 1
        elif c == "," and angle == 0 and depth == 0:
            args.append("".join(cur))
            cur = []
            j += 1
            continue
        elif c == ";":
            return None
        cur.append(c)
        j += 1
    return None


def is_string_type(arg: str) -> bool:
    a = re.sub(r"\s+", "", arg)
    m = re.fullmatch(r"(?:\w+=)?(.*)", a)  # `E = String` default in a type alias
    return bool(m and _STRING_TY.fullmatch(m.group(1)))


def check_result_string(root: Path) -> tuple[bool, str, list[str]]:
    lines = []
    crates = root / "crates"
    dirs = []
    if crates.is_dir():
        dirs = [d / "src" for d in sorted(crates.iterdir()) if d.is_dir() and d.name != "testkit"]
    for d in dirs:
        for sf in crate_sources(d):
            if sf.test_only:
                continue
            f, text, code = sf.path, sf.text, sf.items.code
            src_lines = text.split("\n")
            for m in _RESULT.finditer(code):
                args = generic_args(code, m.end() - 1)
                if args and len(args) >= 2 and is_string_type(args[1]):
                    ln = line_of(text, m.start())
                    lines.append(f"{rel(root, f)}:{ln}: {src_lines[ln - 1].strip()}")
    if lines:
        return False, f"Result<_, String> in library code: FAIL, {len(lines)} occurrence(s)", lines
    return True, "Result<_, String> in library code: none", lines


# --------------------------------------------------------------------------
# Check 4: README size


def check_readme(root: Path) -> tuple[bool, str, list[str]]:
    p = root / "README.md"
    if not p.is_file():
        return True, "README.md size: no README.md", []
    size = p.stat().st_size
    msg = f"README.md: {size} bytes (limit {README_LIMIT})"
    if size > README_LIMIT:
        return False, f"README.md size: FAIL, {size} bytes (limit {README_LIMIT})", [msg]
    return True, f"README.md size: {size} bytes, within {README_LIMIT}", []


# --------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True, help="repository root")
    ap.add_argument("--allow-long", action="append", default=[], metavar="PATH",
                    help="file (relative to the root) allowed over the line limit")
    args = ap.parse_args(argv)
    root = Path(args.root).resolve()
    if not root.is_dir():
        print(f"check-structure: no such directory: {root}", file=sys.stderr)
        return 2
    allow = {os.path.normpath(a) for a in args.allow_long if a.strip()}

    checks = [
        ("module cycles", lambda: check_cycles(root)),
        ("file length", lambda: check_lengths(root, allow)),
        ("Result<_, String> in library code", lambda: check_result_string(root)),
        ("README.md size", lambda: check_readme(root)),
    ]
    summaries = []
    ok_all = True
    for title, fn in checks:
        ok, summary, details = fn()
        ok_all &= ok
        summaries.append(summary)
        if details:
            print(f"== {title}")
            for d in details:
                print(d)
            print()
    print("== summary")
    for s in summaries:
        print(s)
    print("structure check: " + ("ok" if ok_all else "FAILED"))
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
