"""Tables whose cells run together, as a crawler or a careless copy leaves them.

``一、本年新收政府信息公开申请数量690000069`` is the row 69, 0, 0, 0, 0, 0, 69: the cells of a
published table lost their separators.  Two steps read such text:

* :func:`scan` finds the rows of one table by their labels anywhere in a text (inside long
  lines too) and the run of figures after each label, split at the sure boundaries (a
  space, a TAB, a line break, ``|``, a dash, a sign);
* :func:`resolve_block` cuts each run into the row's cells.  Only the cuts under which the
  spec's identities hold are kept: a row's total (``Column.sum_of``), a column's total
  (``Row.sum_of``), the block's identities (``Block.identities``, the printed 勾稽 note of
  table 三) and, for table 二, the plausibility of the stock (``FormatSpec.stock_within``:
  现行有效 ≥ 制发 − 废止, and 废止 ≤ 现行有效).  The one cut that holds everywhere is taken;
  when several hold, none is: the row stays unanswered and its reading lists the cuts.

Every search is bounded (digits per cell, readings per row, search nodes per row and per
block), so a run of hundreds of digits is answered at once as "cannot be cut".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache

from .formats import VERSIONS, Block, Column, FormatSpec, Table, cell_id, get_spec, map_cell, norm_label
from .numbers import DASHES, clean

Value = int | Decimal | None
Reading_ = tuple[Value, ...]

#: digits of one cell: counts, money (integer part and decimals together)
MAX_DIGITS = 8
MAX_MONEY_DIGITS = 12
#: readings of one row kept before the row counts as "too many ways"
ROW_LIMIT = 48
#: search nodes for one row's cuts, and for one block's rows together
ROW_NODES = 20_000
BLOCK_NODES = 60_000
#: solutions of a block enumerated before it counts as "too many ways"
SOLUTIONS = 64


# ---- label entries -----------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """What a printed label of one table is: a row, a block caption, a column or group
    header, or a row of the other format (``foreign``)."""

    kind: str  # row / caption / header / foreign
    block: str = ""
    row: str = ""
    official: bool = True  # the printed label is the official one of this format
    label: str = ""
    column: str = ""  # header entries: the column it names (if a leaf)
    #: a header of this format that is a row of the other one (（六）其他处理 of 2019 in a
    #: 2021 table): the row of this format its figures map to
    mapped_row: str = ""


def label_entries(spec: FormatSpec, table: Table) -> list[tuple[str, Entry]]:
    """Every label that can be printed in ``table``, with what it stands for, in order of
    precedence (this format's rows first, then its headers, variants, the other format)."""
    out: list[tuple[str, Entry]] = []
    other = [get_spec(v) for v in VERSIONS if v != spec.version]
    foreign_rows: dict[str, str] = {}  # label of the other format's row -> row key it maps to here
    for o in other:
        try:
            ot = o.table(table.key)
        except KeyError:
            continue
        for b in ot.blocks:
            for r in b.rows:
                if not r.label or not b.columns:
                    continue
                target = map_cell(cell_id(table.key, b.key, r.key, b.columns[0].key), o, spec)
                if target is not None:
                    foreign_rows[r.label] = target.split(".")[2]
    for b in table.blocks:
        for r in b.rows:
            if r.label:
                out.append((r.label, Entry("row", b.key, r.key, True, r.label)))
                out.extend((a, Entry("row", b.key, r.key, False, a)) for a in r.aliases)
        if b.caption:
            out.append((b.caption, Entry("caption", b.key)))
        if b.corner:
            out.append((b.corner, Entry("header", b.key)))
        for c in b.columns:
            out.append((c.label, Entry("header", b.key, column=c.key, label=c.label)))
            out.extend((g, Entry("header", b.key)) for g in c.groups)
        for r in b.rows:
            for g in r.groups:
                mapped = foreign_rows.get(g, "")
                out.append((g, Entry("header", b.key, label=g, mapped_row=mapped if mapped != r.key else "")))
    for variant, official in spec.label_variants.items():
        for b in table.blocks:
            for c in b.columns:
                if c.label == official:
                    out.append((variant, Entry("header", b.key, official=False, label=variant, column=c.key)))
    for o in other:
        try:
            ot = o.table(table.key)
        except KeyError:
            continue
        for b in ot.blocks:
            for r in b.rows:
                if not r.label:
                    continue
                if _has_row(table, b.key, r.key):
                    out.append((r.label, Entry("row", b.key, r.key, False, r.label)))
                elif r.label in foreign_rows and _has_row(table, b.key, foreign_rows[r.label]):
                    out.append((r.label, Entry("foreign", b.key, foreign_rows[r.label], False, r.label,
                                               mapped_row=foreign_rows[r.label])))
                else:
                    out.append((r.label, Entry("foreign", b.key, r.key, False, r.label)))
            if b.caption:
                out.append((b.caption, Entry("caption", b.key)))
            for c in b.columns:
                out.append((c.label, Entry("header", b.key)))
    return out


def _has_row(table: Table, block: str, row: str) -> bool:
    try:
        table.block(block).row(row)
    except KeyError:
        return False
    return True


# ---- the text, compacted ------------------------------------------------------------------

@cache
def _norm_char(ch: str) -> str:
    """One character in the form of :func:`nianbao.formats.norm_label` ("" for whitespace)."""
    return norm_label(ch)


_BREAK = frozenset(" \t\n\r\f\v|\u00a0\u3000\u200b\u2002\u2003\u2009")


@dataclass
class Compact:
    """A text without whitespace, in the form of :func:`nianbao.formats.norm_label`, that
    remembers where the whitespace was (sure cell boundaries), where the lines ended, and
    where each character came from."""

    text: str
    breaks: frozenset[int]  # positions in ``text`` that had whitespace before them
    newlines: frozenset[int]
    origin: list[int]  # position in ``text`` -> position in the source


def compact(source: str) -> Compact:
    chars: list[str] = []
    origin: list[int] = []
    breaks: set[int] = set()
    newlines: set[int] = set()
    for i, ch in enumerate(source):
        if ch in _BREAK or ch.isspace():
            breaks.add(len(chars))
            if ch == "\n":
                newlines.add(len(chars))
            continue
        norm = _norm_char(ch)
        if not norm:
            breaks.add(len(chars))
        for c in norm:
            chars.append(c)
            origin.append(i)
    return Compact("".join(chars), frozenset(breaks), frozenset(newlines), origin)


@cache
def _pattern(version: str, table_key: str) -> tuple[re.Pattern[str], dict[str, Entry]]:
    spec = get_spec(version)  # type: ignore[arg-type]
    table = spec.table(table_key)
    entries: dict[str, Entry] = {}
    for label, entry in label_entries(spec, table):
        key = norm_label(label)
        if len(key) >= 2 and key not in entries:
            entries[key] = entry
    alts = sorted(entries, key=len, reverse=True)
    return re.compile("|".join(re.escape(a) for a in alts)), entries


# ---- scanning --------------------------------------------------------------------------------

@dataclass
class RawRow:
    """One printed row: its spec row, the cell texts after its label (``""`` a blank
    cell), and whether those may hold several cells run together."""

    block: str
    row: str
    tokens: list[str] = field(default_factory=list)
    cuttable: bool = False
    label: str = ""  # as printed
    official: bool = True
    #: the row is a row of the other format mapped onto this one (e.g. 2019's （六）其他处理)
    mapped_from: str = ""
    #: the printed label carried a note in brackets (a local template's fill-in hint)
    note: str = ""


@dataclass
class Scan:
    rows: list[RawRow]
    prose: list[str]
    #: a row label glued to its figures, or several rows on one line: the table is flattened
    flat: bool
    #: labels of the other format that have no place in this one, as printed
    foreign: list[str] = field(default_factory=list)
    #: header labels that differ from the official ones: (column key, block key, printed)
    header_variants: list[tuple[str, str, str]] = field(default_factory=list)


_CELL = re.compile(r"[0-9.,+\-—–/－]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def scan(source: str, spec: FormatSpec, table: Table) -> Scan:
    """The rows of ``table`` found in ``source`` by their labels (wherever they are)."""
    c = compact(source)
    rx, entries = _pattern(spec.version, table.key)
    s = c.text
    hits = [(m.start(), m.end(), entries[m.group()]) for m in rx.finditer(s)]
    rows: list[RawRow] = []
    seen: set[tuple[str, str]] = set()
    prose_spans: list[tuple[int, int]] = []
    foreign: list[str] = []
    flat = False
    line_rows: dict[int, int] = {}
    unlabelled = next((b for b in table.blocks if b.unlabelled), None)
    covered_to = 0  # the text up to here is labels and figures, not prose
    for i, (start, end, e) in enumerate(hits):
        if start > covered_to:
            prose_spans.append((covered_to, start))
        nxt = hits[i + 1][0] if i + 1 < len(hits) else len(s)
        note, pos = _note_after(s, end, nxt)
        run_end = pos
        while run_end < nxt and _CELL.match(s[run_end]):
            run_end += 1
        clean_end = run_end == nxt or run_end in c.breaks or (run_end > pos and not _CJK.match(s[run_end]))
        covered_to = max(covered_to, end)
        row_target: tuple[str, str, bool, str] | None = None  # block, row, official, mapped_from
        if e.kind == "row":
            row_target = (e.block, e.row, e.official, "")
        elif e.kind == "foreign" and e.mapped_row:
            row_target = (e.block, e.mapped_row, False, e.label)
        elif e.kind == "header" and e.mapped_row and run_end > pos and clean_end:
            row_target = (e.block, e.mapped_row, False, e.label)
        elif e.kind == "foreign" and run_end > pos and clean_end:
            foreign.append(e.label)
            covered_to = run_end
            continue
        elif unlabelled is not None and e.kind in ("header", "caption") and e.block == unlabelled.key \
                and run_end > pos and clean_end and (unlabelled.key, unlabelled.rows[0].key) not in seen:
            row_target = (unlabelled.key, unlabelled.rows[0].key, True, "")
        if row_target is None:
            continue
        if not clean_end and (run_end > pos or s[pos:nxt]):
            continue  # the label inside a sentence ("行政处罚3起", "行政许可、行政处罚事项")
        key = (row_target[0], row_target[1])
        if key in seen:
            continue
        seen.add(key)
        tokens = _tokens(s, pos, run_end, c.breaks)
        if tokens and pos == end and not note and end not in c.breaks:
            flat = True  # figures glued to the label
        line = _line_of(c.newlines, start)
        if tokens:
            line_rows[line] = line_rows.get(line, 0) + 1
        label = "" if row_target[0] == getattr(unlabelled, "key", None) else s[start:end]
        rows.append(RawRow(row_target[0], row_target[1], tokens, True, label, row_target[2], row_target[3], note))
        covered_to = max(covered_to, run_end)
    if covered_to < len(s):
        prose_spans.append((covered_to, len(s)))
    if any(n >= 2 for n in line_rows.values()):
        flat = True
    prose = []
    for a, b in prose_spans:
        text = _source_text(source, c, a, b)
        if len(_CJK.findall(text)) >= 8:
            prose.append(text)
    return Scan(rows, prose, flat, foreign)


def _note_after(s: str, pos: int, limit: int) -> tuple[str, int]:
    """A fill-in note in brackets right after a label (``规范性文件（指…）``): (note, where the
    figures start)."""
    if pos < limit and s[pos] == "（":
        close = s.find("）", pos, min(limit, pos + 80))
        if close > pos and not re.fullmatch(r"（[0-9一二三四五六七八九十]+）", s[pos:close + 1]):
            return s[pos:close + 1], close + 1
    return "", pos


def _tokens(s: str, a: int, b: int, breaks: frozenset[int]) -> list[str]:
    """The run s[a:b] split at the sure boundaries: whitespace, a dash, a sign."""
    out: list[str] = []
    cur = ""
    for i in range(a, b):
        ch = s[i]
        if i in breaks and cur:
            out.append(cur)
            cur = ""
        if ch in "—–/－" or (ch == "-" and (i + 1 >= b or not s[i + 1].isdigit())):
            if cur:
                out.append(cur)
                cur = ""
            if out and out[-1] in ("—", "–") and ch in ("—", "–") and i not in breaks:
                out[-1] += ch  # —— is one dash
            else:
                out.append(ch)
            continue
        if ch in "+-" and cur:
            out.append(cur)
            cur = ""
        cur += ch
    if cur:
        out.append(cur)
    return [t.strip(",") for t in out if t.strip(",")]


def _line_of(newlines: frozenset[int], pos: int) -> int:
    return sum(1 for n in newlines if n <= pos)


def _source_text(source: str, c: Compact, a: int, b: int) -> str:
    if a >= b or a >= len(c.origin):
        return ""
    return source[c.origin[a]:c.origin[min(b, len(c.origin)) - 1] + 1].strip()


# ---- tokens and cells -----------------------------------------------------------------------

@dataclass(frozen=True)
class Tok:
    kind: str  # blank / dash / fixed / run
    text: str
    value: Value = None
    note: str = ""


_RUN = re.compile(r"^[+\-]?\d+(?:\.\d+)?$")
_UNIT = re.compile(r"^(.*?)(万元|元|件|个|项|条)$")


def parse_cell(tok: str) -> tuple[Value, str]:
    """A printed cell -> (value or None, note).  Never invents a figure."""
    t = clean(tok)
    if not t:
        return None, ""
    if t in DASHES:
        return None, f"“{tok.strip()}”"
    unit = ""
    m = _UNIT.match(t)
    if m:
        t, unit = m.group(1), m.group(2)
    t = t.replace(",", "")
    try:
        d = Decimal(t)
    except InvalidOperation:
        return None, f"“{tok.strip()}”无法识别"
    if not d.is_finite():
        return None, f"“{tok.strip()}”无法识别"
    note = f"单元格写有单位“{unit}”" if unit in ("元", "万元") else ""
    if "." in t or "e" in t.lower():
        return d, note
    return int(d), note


def classify(tok: str, cuttable: bool) -> Tok:
    t = clean(tok)
    if not t:
        return Tok("blank", tok)
    if t in DASHES:
        return Tok("dash", tok, None, f"“{tok.strip()}”")
    if _RUN.match(t):
        digits = t.lstrip("+-")
        glued = len(digits) > 1 and digits[0] == "0" and digits[1].isdigit()
        if cuttable or glued:
            return Tok("run", t)
    v, note = parse_cell(tok)
    return Tok("fixed", tok, v, note)


# ---- cutting one row ------------------------------------------------------------------------

class _Exhausted(Exception):
    pass


class _Budget:
    def __init__(self, nodes: int) -> None:
        self.left = nodes

    def tick(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise _Exhausted


_PIECE = {
    "count": re.compile(rf"(?:0|[1-9]\d{{0,{MAX_DIGITS - 1}}})"),
    "signed": re.compile(rf"[+\-]?(?:0|[1-9]\d{{0,{MAX_DIGITS - 1}}})"),
    "money": re.compile(rf"(?:0|[1-9]\d{{0,{MAX_MONEY_DIGITS - 1}}})(?:\.\d{{1,{MAX_MONEY_DIGITS - 1}}})?"),
}


def _pieces(run: str, start: int, col: Column) -> Iterator[tuple[int, Value]]:
    """The cells of ``col`` that can be read from run[start:]: (end, value)."""
    rx = _PIECE[col.kind]
    top = min(len(run), start + MAX_MONEY_DIGITS + 2)
    for end in range(start + 1, top + 1):
        piece = run[start:end]
        if not rx.fullmatch(piece):
            continue
        if end < len(run) and run[end] == ".":
            continue  # a decimal point stays inside one cell
        if "." in piece:
            yield end, Decimal(piece)
        else:
            yield end, int(piece)


def _cells_range(tok: Tok, rest: int | None = None) -> tuple[int, int]:
    """How few and how many cells a token (or the last ``rest`` characters of a run) give."""
    if tok.kind != "run":
        return 1, 1
    text = tok.text if rest is None else tok.text[len(tok.text) - rest:]
    digits = sum(ch.isdigit() for ch in text)
    if not digits:
        return 0, 0
    return -(-digits // MAX_MONEY_DIGITS), digits


class _Cutter:
    """Depth-first search of the cuts of a row's tokens into cells, pruned by the interior
    totals (table 四's group totals) and, when the row's total is known up front, by it."""

    def __init__(self, toks: list[Tok], cols: tuple[Column, ...], sums: list[tuple[int, list[int]]],
                 ok: Callable[[Reading_], bool], budget: _Budget, limit: int,
                 cap: tuple[int, frozenset[int]] | None = None) -> None:
        self.toks, self.cols, self.sums, self.ok = toks, cols, sums, ok
        self.budget, self.limit, self.cap = budget, limit, cap
        self.out: list[Reading_] = []
        self.cells: list[Value] = []
        n = len(toks)
        self.lo, self.hi = [0] * (n + 1), [0] * (n + 1)
        for i in range(n - 1, -1, -1):
            a, b = _cells_range(toks[i])
            self.lo[i], self.hi[i] = self.lo[i + 1] + a, self.hi[i + 1] + b

    def run(self) -> list[Reading_]:
        if self.lo[0] <= len(self.cols) <= self.hi[0]:
            self._rec(0, 0)
        return self.out

    def _fits(self, ti: int, rest: int, ci: int) -> bool:
        a, b = _cells_range(self.toks[ti], rest) if rest else (0, 0)
        need = len(self.cols) - ci
        return self.lo[ti + 1] + a <= need <= self.hi[ti + 1] + b

    def _holds(self, j: int) -> bool:
        cells = self.cells
        for total, parts in self.sums:
            if total == j and cells[total] is not None:
                vals = [cells[p] for p in parts]
                if all(v is not None for v in vals) and sum(vals) != cells[total]:  # type: ignore[arg-type]
                    return False
        if self.cap is not None and j in self.cap[1]:
            part = sum(cells[p] for p in self.cap[1] if p <= j and cells[p] is not None)  # type: ignore[misc]
            if part > self.cap[0]:
                return False
        return True

    def _rec(self, ti: int, pos: int) -> None:
        self.budget.tick()
        ci = len(self.cells)
        if ci == len(self.cols):
            if ti == len(self.toks):
                reading = tuple(self.cells) + ((self.cap[0],) if self.cap else ())
                if self.ok(reading):
                    self.out.append(reading)
                    if len(self.out) > self.limit:
                        raise _Exhausted
            return
        if ti == len(self.toks):
            return
        tok = self.toks[ti]
        if tok.kind != "run":
            self.cells.append(tok.value)
            if self._holds(ci):
                self._rec(ti + 1, 0)
            self.cells.pop()
            return
        for end, v in _pieces(tok.text, pos, self.cols[ci]):
            if self.cap is not None and ci in self.cap[1] and v is not None and v > self.cap[0]:
                break
            self.cells.append(v)
            rest = len(tok.text) - end
            if self._holds(ci) and self._fits(ti, rest, ci + 1):
                self._rec(ti + 1, 0) if not rest else self._rec(ti, end)
            self.cells.pop()


def row_cuts(toks: list[Tok], cols: tuple[Column, ...], ok: Callable[[Reading_], bool],
             budget: _Budget, limit: int = ROW_LIMIT) -> list[Reading_] | None:
    """Every reading of ``toks`` as the cells ``cols`` under which ``ok`` holds (None: more
    than ``limit`` readings, or the search budget ran out)."""
    k = len(cols)
    index = {c.key: j for j, c in enumerate(cols)}
    sums = [(j, [index[p] for p in c.sum_of if p in index]) for j, c in enumerate(cols) if c.sum_of]
    sums = [(j, parts) for j, parts in sums if parts and all(p < j for p in parts)]
    try:
        last = toks[-1] if toks else None
        if sums and sums[-1][0] == k - 1 and last is not None and last.kind == "run" and cols[-1].kind == "count":
            # the row total is the end of the last run: try each ending, then the parts under it
            parts = frozenset(sums[-1][1])
            out: list[Reading_] = []
            for length in range(1, min(MAX_DIGITS, len(last.text)) + 1):
                piece, head = last.text[-length:], last.text[:-length]
                if not _PIECE["count"].fullmatch(piece) or head.endswith((".", "+", "-")):
                    continue
                sub = [*toks[:-1], Tok("run", head)] if head else toks[:-1]
                cutter = _Cutter(sub, cols[:-1], sums[:-1], ok, budget, limit - len(out), (int(piece), parts))
                out.extend(cutter.run())
            return out
        return _Cutter(toks, cols, sums, ok, budget, limit).run()
    except _Exhausted:
        return None


# ---- a block's rows together ------------------------------------------------------------------

@dataclass
class Reading:
    """How one row's printed cells were read."""

    #: the row's cells (None: left unanswered, see ``why``)
    values: tuple[Value, ...] | None
    #: printed (as printed, one cell per printed cell), cut (a run cut into cells), deduced
    #: (one missing cell recovered from the row's total), short (fewer cells than the row has,
    #: read from the left), undecided (nothing taken)
    how: str
    #: undecided: ambiguous (several readings hold), nohold (none holds), toomany (the search
    #: was cut short)
    why: str = ""
    #: the printed cells, as printed
    run: str = ""
    #: undecided: the readings that hold; cut or deduced: the other readings of the row alone
    #: that the block's identities ruled out
    candidates: list[Reading_] = field(default_factory=list)
    #: readings dropped as implausible (table 二's stock)
    implausible: list[Reading_] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)  # column index -> note on the printed cell
    surplus: list[str] = field(default_factory=list)
    given: int = 0  # how many cells were printed (short rows)
    #: deduced: the column index of the cell recovered from the row's total
    recovered: int = -1


def _row_ok(block: Block) -> Callable[[Reading_], bool]:
    index = {c.key: j for j, c in enumerate(block.columns)}
    sums = [(j, [index[p] for p in c.sum_of if p in index]) for j, c in enumerate(block.columns) if c.sum_of]

    def ok(r: Reading_) -> bool:
        for j, parts in sums:
            vals = [r[p] for p in parts]
            if r[j] is not None and all(v is not None for v in vals) and sum(vals) != r[j]:  # type: ignore[arg-type]
                return False
        return True

    return ok


def plausibility(spec: FormatSpec, table: Table, block: Block) -> list[tuple[str, Callable[[Reading_], bool]]]:
    """Table 二's stock rules as (Chinese reason, test) on one row's reading: 现行有效 ≥ 制发 −
    废止 (``FormatSpec.stock_within``), and no more repealed than still in force."""
    index = {c.key: j for j, c in enumerate(block.columns)}
    out: list[tuple[str, Callable[[Reading_], bool]]] = []
    for rule in spec.stock_within:
        if rule.table != table.key or rule.block != block.key or rule.stock not in index or rule.plus not in index:
            continue
        st, pl = index[rule.stock], index[rule.plus]
        mi = index.get(rule.minus) if rule.minus else None
        cols = block.columns
        minus_label = f"减“{cols[mi].label}”" if mi is not None else ""
        reason = f"“{cols[st].label}”小于“{cols[pl].label}”{minus_label}"

        def within(r: Reading_, st: int = st, pl: int = pl, mi: int | None = mi) -> bool:
            vals = [r[st], r[pl], r[mi] if mi is not None else 0]
            if any(v is None for v in vals):
                return True
            return vals[0] >= vals[1] - vals[2]  # type: ignore[operator]

        out.append((reason, within))
        if mi is not None:
            def kept(r: Reading_, st: int = st, mi: int = mi) -> bool:
                return r[st] is None or r[mi] is None or r[mi] <= r[st]  # type: ignore[operator]

            out.append((f"“{cols[mi].label}”多于“{cols[st].label}”", kept))
    return out


def resolve_block(spec: FormatSpec, table: Table, block: Block, raws: list[RawRow], cut_off: frozenset[str],
                  budget: _Budget | None = None) -> dict[str, Reading]:
    """Read every printed row of ``block``: as printed where it has its cells, else cut by
    the identities (see the module docstring).  ``cut_off``: rows the text stops after."""
    budget = budget or _Budget(BLOCK_NODES)
    cols = block.columns
    k = len(cols)
    ok = _row_ok(block)
    rules = plausibility(spec, table, block)
    has_sums = any(c.sum_of for c in cols)
    out: dict[str, Reading] = {}
    choices: dict[str, list[Reading_]] = {}
    for raw in raws:
        cuttable = raw.cuttable or (has_sums and len(raw.tokens) < k)
        toks = [classify(t, cuttable) for t in raw.tokens]
        while len(toks) > k and toks[-1].kind == "blank":
            toks.pop()
        while len(toks) > k and toks[0].kind == "blank":
            toks.pop(0)
        run = " ".join(t.text for t in toks if t.kind != "blank") or "（空白）"
        if len(toks) >= k:
            surplus = [t.text for t in toks[k:]]
            toks = toks[:k]
            vals = tuple(parse_cell(t.text)[0] if t.kind == "run" else t.value for t in toks)
            notes = {j: t.note for j, t in enumerate(toks) if t.note}
            out[raw.row] = Reading(vals, "printed", run=run, notes=notes, surplus=surplus, given=len(toks))
            continue
        notes = {j: t.note for j, t in enumerate(toks) if t.note and t.kind != "run"}
        if any(t.kind == "run" for t in toks):
            try:
                budget.tick()
                cands = row_cuts(toks, cols, ok, _Budget(min(ROW_NODES, budget.left)))
            except _Exhausted:
                cands = None
            if cands is None:
                out[raw.row] = Reading(None, "undecided", "toomany", run)
                continue
            if cands:
                sure = cands
                dropped: list[Reading_] = []
                for _, test in rules:
                    kept = [c for c in sure if test(c)]
                    if kept:
                        dropped += [c for c in sure if not test(c)]
                        sure = kept
                choices[raw.row] = sure
                out[raw.row] = Reading(sure[0], "cut", run=run, implausible=dropped, notes=notes, given=len(toks))
                continue
            if raw.cuttable:
                loose = row_cuts(toks, cols, lambda r: True, _Budget(ROW_NODES // 4))
                if loose is not None and len(loose) == 1:
                    out[raw.row] = Reading(loose[0], "cut", run=run, notes=notes, given=len(toks))
                else:
                    out[raw.row] = Reading(None, "undecided", "nohold", run, candidates=(loose or [])[:6])
                continue
        # fewer cells than the row has and nothing to cut
        vals = tuple(parse_cell(t.text)[0] if t.kind == "run" else t.value for t in toks)
        deduced = [] if raw.row in cut_off or k - len(toks) != 1 else _missing_one(block, vals, ok)
        if deduced:
            choices[raw.row] = deduced
            out[raw.row] = Reading(deduced[0], "deduced", run=run, notes=notes, given=len(toks),
                                   recovered=_recovered(deduced[0], vals))
        else:
            out[raw.row] = Reading(vals + (None,) * (k - len(vals)), "short", run=run, notes=notes, given=len(toks))
    _decide(block, out, choices, budget)
    return out


def _missing_one(block: Block, vals: tuple[Value, ...], ok: Callable[[Reading_], bool]) -> list[Reading_]:
    """A row printed with one cell too few: every place the missing cell can be, with its
    value recovered from a total it belongs to (a total is the sum of its parts; a part is
    its total less the other parts).  Places that cannot be recovered are not offered."""
    cols = block.columns
    index = {c.key: j for j, c in enumerate(cols)}
    out: list[Reading_] = []
    for p in range(len(cols)):
        cells = [*vals[:p], None, *vals[p:]]
        hole: Value = None
        if cols[p].sum_of:
            parts = [cells[index[x]] for x in cols[p].sum_of if x in index]
            if all(v is not None for v in parts):
                hole = sum(parts)  # type: ignore[arg-type]
        else:
            for j, c in enumerate(cols):
                if c.sum_of and cols[p].key in c.sum_of:
                    others = [cells[index[x]] for x in c.sum_of if x in index and index[x] != p]
                    if cells[j] is not None and all(v is not None for v in others):
                        hole = cells[j] - sum(others)  # type: ignore[operator, arg-type]
        if hole is None or (cols[p].kind == "count" and hole < 0):
            continue
        cells[p] = hole
        reading = tuple(cells)
        if ok(reading) and reading not in out:
            out.append(reading)
    return out


def _recovered(reading: Reading_, printed: tuple[Value, ...]) -> int:
    """Which cell of a deduced reading was not printed (-1: it cannot be told, e.g. a row
    of zeros, where any cell can be the missing one and all read the same)."""
    places = [p for p in range(len(reading)) if reading[:p] + reading[p + 1:] == printed]
    return places[0] if len(places) == 1 else -1


def _constraints(block: Block) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    keys = {r.key for r in block.rows}
    cons = [("sum", (r.key,), tuple(k for k in r.sum_of if k in keys)) for r in block.rows if r.sum_of]
    cons += [("eq", i.lhs, i.rhs) for i in block.identities]
    return cons


def _holds(con: tuple[str, tuple[str, ...], tuple[str, ...]], assign: dict[str, Reading_],
           block: Block) -> bool:
    kind, lhs, rhs = con
    for j, col in enumerate(block.columns):
        left = [assign[r][j] if r in assign else None for r in lhs]
        right = [assign[r][j] if r in assign else None for r in rhs]
        if kind == "sum":
            total = left[0]
            if total is None:
                continue
            known = [v for v in right if v is not None]
            if col.kind != "signed" and sum(known) > total:  # type: ignore[arg-type, operator]
                return False
            if len(known) == len(right) and sum(known) != total:  # type: ignore[arg-type]
                return False
        elif all(v is not None for v in left + right) and sum(left) != sum(right):  # type: ignore[arg-type]
            return False
    return True


def _decide(block: Block, out: dict[str, Reading], choices: dict[str, list[Reading_]], budget: _Budget) -> None:
    """Among the rows read in several ways, keep the readings under which the block's
    identities hold; a row whose reading is then still open is left undecided."""
    open_rows = [k for k, c in choices.items() if len(c) > 1]
    fixed = {k: r.values for k, r in out.items() if r.values is not None and k not in open_rows}
    cons = _constraints(block)
    if not open_rows:
        return
    if not cons:
        for k in open_rows:
            out[k] = Reading(None, "undecided", "ambiguous", out[k].run, candidates=choices[k],
                             implausible=out[k].implausible)
        return
    totals = {r for kind, lhs, _ in cons for r in lhs} | {r for kind, _, rhs in cons if kind == "eq" for r in rhs}
    order = sorted(open_rows, key=lambda k: (k not in totals, [r.key for r in block.rows].index(k)))
    solutions: list[dict[str, Reading_]] = []
    assign: dict[str, Reading_] = dict(fixed)  # type: ignore[arg-type]

    def rec(i: int) -> None:
        budget.tick()
        if i == len(order):
            solutions.append({k: assign[k] for k in order})
            if len(solutions) > SOLUTIONS:
                raise _Exhausted
            return
        key = order[i]
        for reading in choices[key]:
            assign[key] = reading
            if all(_holds(c, assign, block) for c in cons):
                rec(i + 1)
            del assign[key]

    try:
        rec(0)
    except _Exhausted:
        for k in open_rows:
            out[k] = Reading(None, "undecided", "toomany", out[k].run, candidates=choices[k][:6])
        return
    for k in open_rows:
        seen: list[Reading_] = []
        for sol in solutions:
            if sol[k] not in seen:
                seen.append(sol[k])
        prev = out[k]
        if len(seen) == 1:
            others = [c for c in choices[k] if c != seen[0]]
            recovered = prev.recovered
            if prev.how == "deduced":
                printed = tuple(v for j, v in enumerate(prev.values or ()) if j != prev.recovered)
                recovered = _recovered(seen[0], printed)
            out[k] = Reading(seen[0], prev.how, run=prev.run, candidates=others, implausible=prev.implausible,
                             notes=prev.notes, given=prev.given, recovered=recovered)
        elif seen:
            out[k] = Reading(None, "undecided", "ambiguous", prev.run, candidates=seen, implausible=prev.implausible)
        else:
            out[k] = Reading(None, "undecided", "nohold", prev.run, candidates=choices[k][:6])
