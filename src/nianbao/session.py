"""A drafting session, headless: the walk-through of one report without any screen.

:class:`DraftSession` holds the report, its file and lock, where the user is (step,
question, the cell cursor of a table), and does everything the assistant does with an
answer: parse and validate it, store it, run its effects, save, move on.  The TUI renders a
session and turns keys into calls on it; tests drive it directly, in milliseconds.

:class:`GridState` is the state of a table question: the text shown in each cell, the cursor,
the errors, the totals computed live, typing (the first character replaces the value, as in
a spreadsheet), moving, pasting a block copied from Excel/WPS/a web table.

No textual import here (the headless core); jieba is only imported when a check needs it
and the segmenter is ready.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from . import questions as Q
from .findings import Finding
from .formats import cell_id
from .model import Report, new_report
from .numbers import DASHES, NumberError, format_number, parse_number
from .store import DraftLock, StoreError, load, save
from .workspace import draft_filename, drafts_dir, find_draft, unique_path

#: shown when an edit is refused because the draft is open read-only
READONLY = "只读打开：这份草稿已在另一个窗口中打开，这里不能修改。请到那个窗口中修改，或关闭它后重新打开这份草稿。"

Value = Q.Value


@dataclass
class Result:
    """What came of an action: ``ok``; the Chinese ``error`` (nothing changed); ``notes``
    telling the user what was done for them; ``go``: "home" when the user leaves for the
    draft list."""

    ok: bool = True
    error: str = ""
    notes: list[str] = field(default_factory=list)
    go: str = ""
    path: Path | None = None


@dataclass(frozen=True)
class Fact:
    """One field of a facts question."""

    name: str
    label: str
    unit: str
    type: str
    value: str


def cell_width(text: str) -> int:
    """Terminal cells a text takes (CJK characters are two wide)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# --------------------------------------------------------------------------------------
# the check as the assistant shows it


#: the share repeated from last year (percent) above which the live line says so (COPY-RATE's)
COPY_WARN = 30.0


def segmenter_ready() -> bool:
    try:
        from .phrases import segment
    except ImportError:  # pragma: no cover - the bank is part of the package
        return True
    return segment.is_ready()


def ui_check(report: Report) -> list[Finding]:
    """``check(report)`` without loading the segmenter on the UI thread: the 内容雷同 rule
    (COPY-RATE) needs it, so until the segmenter is ready it is left out here and computed
    in a worker by the 检查 step."""
    from .checks import check

    if report.meta.previous.report is None or segmenter_ready():
        return check(report)
    return check(report, exclude_needs={"segmenter"})


@dataclass(frozen=True)
class CheckItem:
    """One line of the 检查 step: ``kind`` error / todo / blank / warning, its text, and
    what choosing it jumps to (a finding, or a question)."""

    oid: str
    kind: str
    text: str
    detail: str = ""
    finding: Finding | None = None
    step: str = ""
    question: str = ""


def check_items(report: Report, findings: list[Finding] | None = None) -> list[CheckItem]:
    """The 检查 step's list: errors, the questions still unanswered, blank cells outside any
    question still asked, then warnings.  Blank cells are not listed one by one: the
    questions still unanswered are listed instead."""
    findings = ui_check(report) if findings is None else findings
    real = [f for f in findings if f.rule != "BLANK"]
    items: list[CheckItem] = []
    for i, f in enumerate(x for x in real if x.severity == "error"):
        detail = f"（应为 {f.expected or '—'}，实为 {f.found or '—'}）" if f.expected or f.found else ""
        items.append(CheckItem(f"e{i}", "error", f.message, detail, f))
    todo = [(step.title, q) for step in Q.steps(report) for q in Q.unanswered(report, step.key)]
    for i, (title, q) in enumerate(todo):
        items.append(CheckItem(f"q{i}", "todo", f"{title}：{q.name}", step=q.step, question=q.id))
    covered = {c for _, q in todo for c in q.cells}
    for i, f in enumerate(x for x in findings if x.rule == "BLANK" and not set(x.cells) <= covered):
        items.append(CheckItem(f"b{i}", "blank", f.message, finding=f))
    for i, f in enumerate(x for x in real if x.severity == "warning"):
        items.append(CheckItem(f"w{i}", "warning", f.message, finding=f))
    return items


def counts(items: list[CheckItem]) -> tuple[int, int, int]:
    """(errors, warnings, unanswered questions)."""
    return (sum(i.kind == "error" for i in items), sum(i.kind == "warning" for i in items),
            sum(i.kind == "todo" for i in items))


# --------------------------------------------------------------------------------------
# the preview of a table, as text (numbers never run together, headers never cut)


def wrap_cells(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal cells."""
    lines, cur = [], ""
    for ch in text:
        if cur and cell_width(cur + ch) > width:
            lines.append(cur)
            cur = ""
        cur += ch
    return [*lines, cur] if cur else [""]


def fit_cells(text: str, width: int) -> str:
    """A label cut to ``width`` cells (with …), padded; numbers are never passed here."""
    if cell_width(text) <= width:
        return text + " " * (width - cell_width(text))
    out = ""
    for ch in text:
        if cell_width(out + ch) > width - 1:
            break
        out += ch
    return out + "…" + " " * (width - 1 - cell_width(out))


def table_preview(report: Report, section: int, width: int = 38) -> list[str]:
    """Table 二/三/四 of ``section`` as lines of text for the preview pane: every column at
    least as wide as its longest number, one space between columns, the column headers
    wrapped over several lines (never cut), the row labels cut to what is left."""
    spec = report.spec
    table = next((t for t in spec.tables if t.section == section), None)
    if table is None:
        return []
    lines: list[str] = []
    if table is spec.block_with("upheld")[0]:
        g = Q.t4_grid(spec)
        grids = [("", [(r.short, [report.cells.get(c) for c in r.cells]) for r in g.rows],
                  [c.label for c in g.cols])]
    else:
        grids = []
        for b in table.blocks:
            rows = []
            group = ""
            for r in b.rows:
                sub = "·".join(r.groups[1:])
                if sub and sub != group:
                    group = sub
                    rows.append((sub, None))
                rows.append((r.short or r.label,
                             [report.cells.get(cell_id(table.key, b.key, r.key, c.key)) for c in b.columns]))
            grids.append((b.caption, rows, [c.short or c.label for c in b.columns]))
    for caption, rows, heads in grids:
        if caption:
            lines.append(caption)
        lines += _grid_lines(rows, heads, width)
    return lines


_MARKS = "甲乙丙丁戊己庚辛壬癸"


def _grid_lines(rows: list[tuple[str, list[Value] | None]], heads: list[str], width: int) -> list[str]:
    """The rows of one block under its column headers.  The headers are wrapped (two
    characters a line) over the columns; where that leaves too little room for the row
    labels (表三's seven columns in the preview), each column is headed by one character
    and a legend line names the columns in full."""
    shown = [["·" if v is None else format_number(v) for v in vals] for _, vals in rows if vals is not None]
    digits = [max([cell_width(v[j]) for v in shown] + [1]) for j in range(len(heads))]
    widths = [max(4, d) for d in digits]
    head_lines = [wrap_cells(h, w) for h, w in zip(heads, widths, strict=True)]
    legend: list[str] = []
    if width - sum(w + 1 for w in widths) < 10:
        firsts = [h[:1] for h in heads]
        marks = firsts if len(set(firsts)) == len(firsts) else list(_MARKS[: len(heads)])
        widths = [max(2, d) for d in digits]
        head_lines = [[m] for m in marks]
        for item in (f"{m}：{h}" for m, h in zip(marks, heads, strict=True)):
            if legend and cell_width(legend[-1] + "　" + item) <= width:
                legend[-1] += "　" + item
            else:
                legend.append(item)
    label_w = max(6, width - sum(w + 1 for w in widths))
    out = list(legend)
    for k in range(max(len(h) for h in head_lines)):
        cols = [(h[k] if k < len(h) else "") for h in head_lines]
        out.append(" " * label_w + "".join(" " + " " * (w - cell_width(c)) + c for c, w in zip(cols, widths, strict=True)))
    for label, vals in rows:
        if vals is None:
            out.append(fit_cells(label, width).rstrip())
            continue
        cells = ["·" if v is None else format_number(v) for v in vals]
        out.append(fit_cells(label, label_w) + "".join(" " + " " * (w - cell_width(c)) + c
                                                  for c, w in zip(cells, widths, strict=True)))
    return [x.rstrip() for x in out]


# --------------------------------------------------------------------------------------
# a pasted block


def split_block(text: str) -> list[list[str]]:
    """A block copied from a spreadsheet or a web table: lines of TAB-separated cells
    (without a TAB: cells separated by spaces).  Trailing empty lines are dropped."""
    lines = re.split(r"\r\n|\r|\n", text)
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    if any("\t" in line for line in lines):
        rows = [[c.strip() for c in line.split("\t")] for line in lines]
    else:
        rows = [line.split() for line in lines]
    if len({len(r) for r in rows}) > 1:
        # a web table often ends some rows with a TAB: trailing empty cells do not count
        trimmed = [list(r) for r in rows]
        for r in trimmed:
            while len(r) > 1 and not r[-1]:
                r.pop()
        if len({len(r) for r in trimmed}) == 1:
            rows = trimmed
    return rows


# --------------------------------------------------------------------------------------
# a table question


@dataclass
class Edit:
    """What a keystroke in a table did: the cell, its error ("" : valid), whether the value
    was stored (the totals then follow: :meth:`GridState.changed_totals`)."""

    cid: str
    error: str = ""
    stored: bool = False
    #: other cells whose error this change fixed
    cleared: list[str] = field(default_factory=list)


class GridState:
    """The state of a table question: what each cell shows, the cursor, the errors.

    Every valid change is stored in the report at once (and saved: a kill loses nothing on
    screen); an invalid one is shown in red and never stored.  A proposal (结转下年度) is
    shown, and stored only when the table is finished."""

    def __init__(self, session: DraftSession, question: Q.Question, cell: str = "") -> None:
        assert question.grid is not None
        self.session = session
        self.question = question
        self.spec: Q.GridSpec = question.grid
        r = session.report
        self.proposal: dict[str, Value] = question.propose(r) if question.propose else {}
        self.ids = self.spec.editable_ids()
        self.text: dict[str, str] = {}
        self.values: dict[str, Value] = {}
        self.proposed: set[str] = set()
        for cid in self.ids:
            v = r.cells.get(cid)
            if v is None and cid in self.proposal:
                v = self.proposal[cid]
                self.proposed.add(cid)
            self.text[cid] = format_number(v)
            self.values[cid] = v
        self.errors: dict[str, str] = {}
        self.cursor = cell if cell in self.ids else self.first_cell()
        #: the next typed character replaces the cell's text (on arriving, after a refused Enter)
        self.fresh = True
        self._totals = self.totals()
        self._stale = False  # the totals are computed when next shown (after the keystroke's repaint)
        self._unstored: dict[str, Value] = {}
        session.report.meta.session.cell = self.cursor

    @property
    def report(self) -> Report:
        return self.session.report

    # ---- reading ---------------------------------------------------------------------------
    def first_cell(self) -> str:
        """The cell to start at: the first one still empty, not one the answers filled in."""
        filled = Q.skip_filled(self.report)
        for cid in self.ids:
            if not self.text[cid] and cid not in filled:
                return cid
        for cid in self.ids:
            if cid not in filled:
                return cid
        return self.ids[0] if self.ids else ""

    def totals(self, values: dict[str, Value] | None = None) -> dict[str, Value]:
        """The computed cells of this grid, live (from ``values``: the cells shown): blanks
        count as 0, as they will when the table is finished."""
        computed = [cid for r in self.spec.rows for j, cid in enumerate(r.cells) if self.spec.is_computed(r, j)]
        if not computed:
            return {}
        pend = {k: (0 if v is None else v) for k, v in (self.values if values is None else values).items()}
        tmp = self.report.model_copy(update={"cells": {**self.report.cells, **pend}})
        tmp.recompute()
        return {cid: tmp.cells.get(cid) for cid in computed}

    def shown(self, cid: str, live: bool = True) -> str:
        """The text of any cell of the grid (a computed one: its live total; ``live=False``:
        the total as last brought up to date, for painting a keystroke without the sums)."""
        if cid in self.text:
            return self.text[cid]
        if self._stale and live:
            self.changed_totals()
        v = self._totals.get(cid)
        return format_number(v) if v is not None else "·"

    def label(self, cid: str) -> str:
        i, j = self.spec.position(cid)
        return f"{self.spec.rows[i].label} · {self.spec.cols[j].label}"

    def help_line(self, cid: str = "") -> str:
        """The line under the grid: the cell's full name, its whole value, and last year's."""
        cid = cid or self.cursor
        name, prev = Q.reference(self.report, cid)
        line = self.label(cid)
        text = self.text.get(cid, "")
        if cell_width(text) > 7:
            line += f"    当前：{text}"
        if prev is not None:
            line += f"    {name}：{format_number(prev) if not isinstance(prev, str) else prev}"
        return line

    def widths(self, base: int) -> list[int]:
        """Each column's width: ``base``, or wider so that its longest value shows whole."""
        out = []
        for j in range(len(self.spec.cols)):
            longest = max((cell_width(self.shown(r.cells[j])) for r in self.spec.rows if j < len(r.cells)), default=0)
            out.append(max(base, longest + 2))
        return out

    # ---- moving ----------------------------------------------------------------------------
    def focus(self, cid: str) -> None:
        """Put the cursor on ``cid`` (an editable cell); leaving a cell shows its value as stored."""
        if cid not in self.text:
            return
        if cid != self.cursor:
            self.leave()
        self.cursor = cid
        self.fresh = True
        self.report.meta.session.cell = cid

    def leave(self) -> None:
        """The cursor leaves its cell: a valid value is shown as stored (full-width digits,
        separators normalised)."""
        cid = self.cursor
        v, err = self._parse(cid, self.text.get(cid, ""))
        if not err and v is not None:
            self.text[cid] = format_number(v)

    def neighbour(self, rows: int = 0, cols: int = 0) -> str:
        """The cell ↑ ↓ (within the column, over computed rows) or ← → (along the cells in
        order) of the cursor; the cursor's own cell at an edge."""
        if not self.cursor:
            return ""
        if rows:
            i, j = self.spec.position(self.cursor)
            k = i + rows
            while 0 <= k < len(self.spec.rows):
                row = self.spec.rows[k]
                if j < len(row.cells) and not self.spec.is_computed(row, j):
                    return row.cells[j]
                k += rows
        elif cols:
            i = self.ids.index(self.cursor) + cols
            if 0 <= i < len(self.ids):
                return self.ids[i]
        return self.cursor

    def move(self, rows: int = 0, cols: int = 0) -> str:
        self.focus(self.neighbour(rows, cols))
        return self.cursor

    def at_end(self) -> bool:
        return self.cursor == (self.ids[-1] if self.ids else "")

    # ---- typing ----------------------------------------------------------------------------
    def type(self, chars: str) -> Edit:
        """Type at the cursor: the first character after arriving replaces the value."""
        cid = self.cursor
        if self.session.readonly:
            return Edit(cid, READONLY)
        base = "" if self.fresh else self.text[cid]
        self.fresh = False
        return self.edit(cid, base + chars)

    def backspace(self) -> Edit:
        cid = self.cursor
        if self.session.readonly:
            return Edit(cid, READONLY)
        text = "" if self.fresh else self.text[cid][:-1]
        self.fresh = False
        return self.edit(cid, text)

    def clear(self) -> Edit:
        if self.session.readonly:
            return Edit(self.cursor, READONLY)
        self.fresh = False
        return self.edit(self.cursor, "")

    def _parse(self, cid: str, text: str) -> tuple[Value, str]:
        return Q.parse_cell(self.report, cid, text, self.values)

    def edit(self, cid: str, text: str) -> Edit:
        """Set a cell's text: checked at once; a valid value is stored (and saved)."""
        self.text[cid] = text
        self.proposed.discard(cid)
        self.report.meta.session.cell = cid
        v, err = self._parse(cid, text)
        out = Edit(cid, err)
        if err:
            self.errors[cid] = err
            if self.session.saved_cell != cid:  # not stored, but the cell touched last is
                self.session.changed()
        else:
            self.errors.pop(cid, None)
            self.values[cid] = v
            if self._keep(cid, v):
                out.stored = True
                self.session.changed()
            # a change may fix another cell's bound (an outcome over 一 + 二)
            for other in [c for c in self.errors if c != cid]:
                ov, oerr = self._parse(other, self.text[other])
                if not oerr:
                    self.errors.pop(other)
                    out.cleared.append(other)
                    self.values[other] = ov
                    if self._keep(other, ov):
                        self.session.changed()
        self._stale = True
        return out

    def _keep(self, cid: str, v: Value) -> bool:
        """A valid value typed: it goes into the report with the next save (the keystroke is
        painted first); True if it differs from what the report holds."""
        current = self._unstored[cid] if cid in self._unstored else self.report.cells.get(cid)
        if current == v and cid in self.report.cells:
            return False
        self._unstored[cid] = v
        return True

    def store(self) -> None:
        """Put the values typed since the last save into the report (totals recomputed)."""
        if not self._unstored:
            return
        cells = dict(self.report.cells)
        cells.update(self._unstored)
        self._unstored.clear()
        self.report.cells = cells
        self.report.recompute()

    def changed_totals(self) -> dict[str, Value]:
        """Bring the live totals up to date; returns those that changed."""
        totals = self.totals()
        changed = {k: v for k, v in totals.items() if self._totals.get(k) != v}
        self._totals = totals
        self._stale = False
        return changed

    def enter(self) -> Edit:
        """Enter: a valid value is shown as stored and the cursor goes to the next cell; an
        invalid one stays (with its message) and the next typed character replaces it."""
        cid = self.cursor
        v, err = self._parse(cid, self.text.get(cid, ""))
        if err:
            self.errors[cid] = err
            self.fresh = True
            return Edit(cid, err)
        if v is not None:
            self.text[cid] = format_number(v)
        if not self.at_end():
            self.move(cols=1)
        return Edit(cid)

    def error(self, cid: str = "") -> str:
        return self.errors.get(cid or self.cursor, "")

    # ---- pasting ---------------------------------------------------------------------------
    def paste(self, text: str) -> Result:
        """Paste a block (TAB/newline-separated, from Excel, WPS or a web table) from the
        cursor, right then down.  Every cell is checked first; a block that does not fit
        (too wide, too tall, ragged, a bad value, a total that does not add up) is refused
        with the reason and changes nothing.  A value pasted onto a computed total must
        equal the total of the pasted parts."""
        if self.session.readonly:
            return Result(False, READONLY)
        self.store()
        rows = split_block(text)
        if not rows or not any(c for r in rows for c in r):
            return Result(False, "粘贴的内容是空的")
        if len(rows) == 1 and len(rows[0]) == 1:
            e = self.edit(self.cursor, rows[0][0])
            self.fresh = True
            return Result(not e.error, e.error)
        lengths = [len(r) for r in rows]
        if len(set(lengths)) > 1:
            i = next(k for k, n in enumerate(lengths) if n != lengths[0])
            return Result(False, f"粘贴的内容各行的格数不一样（第1行{lengths[0]}格，第{i + 1}行{lengths[i]}格），"
                                 "对不齐表格，未作任何改动。请在表格软件中选中一个整齐的矩形区域再复制")
        g = self.spec
        i0, j0 = g.position(self.cursor)
        h, w = len(rows), lengths[0]
        if j0 + w > len(g.cols):
            return Result(False, f"粘贴的内容有{w}列，从“{g.cols[j0].short}”列往右只有{len(g.cols) - j0}列，"
                                 "未作任何改动。请把光标放在要填的第一格，或少复制几列")
        if i0 + h > len(g.rows):
            return Result(False, f"粘贴的内容有{h}行，从“{g.rows[i0].short}”往下只有{len(g.rows) - i0}行，"
                                 "未作任何改动。请把光标放在要填的第一格，或少复制几行")
        new: dict[str, Value] = {}
        totals: list[tuple[str, str, int, int]] = []
        for di, vals in enumerate(rows):
            row = g.rows[i0 + di]
            for dj, raw in enumerate(vals):
                j = j0 + dj
                cid = row.cells[j]
                txt = "" if raw.strip() in DASHES else raw.strip()
                if g.is_computed(row, j):
                    totals.append((cid, txt, di, dj))
                    continue
                v, err = self._pasted(cid, txt, di, dj)
                if err:
                    return Result(False, err)
                new[cid] = v
        pending = {**self.values, **new}
        for cid, v in new.items():
            _, err = Q.parse_cell(self.report, cid, format_number(v), pending)
            if err:
                return Result(False, f"{err}。粘贴未作任何改动")
        sums = self.totals(pending) if totals else {}
        for cid, txt, di, dj in totals:
            if not txt:
                continue
            v, err = self._pasted(cid, txt, di, dj)
            if err:
                return Result(False, err)
            if v != sums.get(cid):
                return Result(False, f"粘贴的第{di + 1}行第{dj + 1}格是{self.report.spec.cell(cid).where}（自动计算），"
                                     f"粘贴的是{txt}，而这一行粘贴的各格相加是{format_number(sums.get(cid))}，请核对。"
                                     "未作任何改动")
        for cid, v in new.items():
            self.text[cid] = format_number(v)
            self.values[cid] = v
            self.proposed.discard(cid)
            self.errors.pop(cid, None)
            self.report.set(cid, v)
        self.report.recompute()
        self._totals = self.totals()
        self._stale = False
        self.report.meta.session.cell = self.cursor
        self.fresh = True
        self.session.changed()
        filled = len(new) + sum(1 for t in totals if t[1])
        return Result(True, notes=[f"已粘贴{h}行×{w}列，共{filled}格"])

    def _pasted(self, cid: str, txt: str, di: int, dj: int) -> tuple[Value, str]:
        """A pasted cell's value, or the message naming its place in the block."""
        cell = self.report.spec.cell(cid)
        try:
            return parse_number(txt, cell.kind, cell.where), ""
        except NumberError as e:
            return None, f"粘贴的第{di + 1}行第{dj + 1}格：{e}。未作任何改动"

    # ---- finishing ---------------------------------------------------------------------------
    def check_all(self) -> tuple[dict[str, Value], str]:
        """Every cell's value, or the first cell that is not valid (the cursor goes there)."""
        values: dict[str, Value] = {}
        for cid in self.ids:
            v, err = self._parse(cid, self.text[cid])
            if err:
                self.errors[cid] = err
                self.focus(cid)
                return {}, err
            values[cid] = v
        return values, ""


# --------------------------------------------------------------------------------------
# the session


@dataclass
class Started:
    """A draft started from last year's report: the session, or the draft for the same
    agency and year that already exists (the user chooses to open it), or an error."""

    session: DraftSession | None = None
    existing: Path | None = None
    error: str = ""


#: the text questions the composer writes (their phrase area -> the section to compose)
_COMPOSED = {"overview": "一", "rectification": "五", "problems": "五", "measures": "五"}

class DraftSession:
    """One report being drafted: everything but the screen."""

    def __init__(self, report: Report, path: Path | None = None, home: Path | None = None,
                 lock: DraftLock | None = None, readonly: str = "", notes: list[str] | None = None) -> None:
        self.report = report
        self.path = Path(path) if path is not None else None
        #: the workspace (drafts/ and exports/ in it); None: a session only in memory
        #: unless it has a ``path`` (tests, scripts)
        self.home = Path(home) if home is not None else (self.path.parents[1] if self.path else None)
        #: the lock on ``path`` while this session edits it (one writer per draft)
        self.lock = lock
        #: why the draft is open read-only ("" when it is editable): nothing is saved
        self.readonly = readonly
        self.step = "basic"
        self.qid = ""
        self.notes: list[str] = list(notes or [])
        #: the question was reached from 检查: finishing it goes back there
        self.return_to_check = False
        self.grid: GridState | None = None
        self.saved_at = ""
        self.save_error = ""
        self.dirty = False
        #: the cell touched last as saved (a resume comes back there)
        self.saved_cell = report.meta.session.cell
        #: set by a screen that saves after it has painted (a keystroke is shown first);
        #: None: every change is saved at once
        self.defer_save: Callable[[], None] | None = None

    # ---- opening ----------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path | str, home: Path | None = None, notes: list[str] | None = None) -> DraftSession:
        """Read a draft (``StoreError`` with a Chinese message if it cannot be read); the
        lock is not taken yet (:meth:`take_lock`)."""
        path = Path(path)
        report = load(path)
        report.ensure_cells()
        return cls(report, path, home, notes=notes)

    @classmethod
    def new(cls, home: Path) -> DraftSession:
        report = new_report()
        report.meta.session.step = "basic"
        return cls(report, None, home)

    @classmethod
    def from_last(cls, home: Path, prev_path: Path | str, duplicate: bool = False) -> Started:
        """This year's draft from last year's report (a draft, a .txt, .docx or .html).  If a
        draft for the same agency and year exists, it is returned as ``existing`` instead
        (unless ``duplicate``): starting twice never silently makes a second file."""
        from .crossyear import carry_forward
        from .inputs import load_any

        try:
            prev, _ = load_any(Path(prev_path))
        except StoreError as e:
            return Started(error=str(e))
        year = (prev.year + 1) if prev.year else Q.year_proposal(prev)
        report, notes = carry_forward(prev, year)
        report.meta.session.step = "basic"
        if report.agency.name and not duplicate:
            existing = find_draft(home, report.agency.name, year)
            if existing is not None:
                return Started(existing=existing)
        target = unique_path(drafts_dir(home), draft_filename(report)) if report.agency.name else None
        return Started(cls(report, target, home, notes=[*notes, f"报告年度设为{year}年，如不对请在“报告年度”一问修改"]))

    # ---- the lock ---------------------------------------------------------------------------
    def take_lock(self) -> bool:
        """Lock the draft's file for this session; False if another window holds it
        (``lock_holder`` says who)."""
        if self.path is None or self.readonly:
            return False
        if self.lock is not None and self.lock.acquired:
            return True
        lock = DraftLock(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            got = lock.acquire()
        except OSError:  # a folder we cannot write: saving will say so
            return False
        if got:
            self.lock = lock
            return True
        self._busy = lock
        return False

    @property
    def lock_holder(self) -> str:
        busy = getattr(self, "_busy", None)
        return busy.describe() if busy is not None else ""

    def release_lock(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    # ---- saving -----------------------------------------------------------------------------
    def save(self) -> bool:
        """Save atomically (after every accepted answer); never when read-only, nor before
        the agency is named."""
        if self.readonly:
            return False
        if self.grid is not None:
            self.grid.store()
        if self.path is None:
            if not self.report.agency.name.strip() or self.home is None:
                return False
            self.path = unique_path(drafts_dir(self.home), draft_filename(self.report))
        if self.lock is None:
            self.take_lock()  # a draft this session creates is locked from its first save
        try:
            save(self.report, self.path)
        except OSError as e:
            self.save_error = f"保存失败：{e.strerror or e}（{self.path}）"
            return False
        self.save_error = ""
        self.dirty = False
        self.saved_cell = self.report.meta.session.cell
        self.saved_at = datetime.now().strftime("%H:%M:%S")
        return True

    def changed(self) -> None:
        """The report changed (a table cell): save now, or after the screen has painted."""
        self.dirty = True
        if self.defer_save is None:
            if self.grid is not None:
                self.grid.store()
            self.save()
        else:
            self.defer_save()

    def flush(self) -> None:
        if self.dirty:
            self.save()

    def _rename(self) -> None:
        """Keep the file name in step with the agency name and year while it is the automatic one."""
        if self.path is None or self.readonly:
            return
        want = draft_filename(self.report)
        if self.path.name == want:
            return
        target = unique_path(self.path.parent, want)
        try:
            os.replace(self.path, target)
            bak = self.path.with_name(self.path.name + ".bak")
            if bak.exists():
                os.replace(bak, target.with_name(target.name + ".bak"))
        except OSError:
            return
        self.path = target
        if self.lock is not None:  # the lock follows the file's name
            self.release_lock()
            self.take_lock()

    # ---- where the user is ----------------------------------------------------------------
    def current(self) -> Q.Question | None:
        return Q.by_id(self.report, self.qid) if self.qid else None

    def asked(self, step: str | None = None) -> list[Q.Question]:
        return Q.asked(self.report, step or self.step)

    def step_keys(self) -> list[str]:
        return [s.key for s in Q.steps(self.report)]

    def resume(self) -> None:
        """Go where the draft was left: the step, the question, and in a table the cell
        touched last.  Opening a draft does not write it."""
        res = Q.resume_point(self.report)
        on_disk = self.path is not None and self.path.exists()
        if on_disk and self.path is not None:
            self.saved_at = datetime.fromtimestamp(self.path.stat().st_mtime).strftime("%H:%M:%S")
        self.go(res.step, res.question or None, res.cell, save=not on_disk)

    def go(self, step: str, qid: str | None = None, cell: str = "", keep_notes: bool = False,
           from_check: bool = False, save: bool = True) -> None:
        """Show ``step`` at question ``qid`` (None: the first unanswered one, or the step
        summary).  ``from_check``: reached from 检查, where finishing the question goes back."""
        self.return_to_check = from_check
        if self.grid is not None:
            self.grid.store()  # the table being left
        if step not in Q.STEP_KEYS:
            step = "basic"
        if step != self.step and not keep_notes:
            self.notes = []
        self.step = step
        if qid is None and step not in Q.PAGES:
            todo = Q.unanswered(self.report, step)
            qid = todo[0].id if todo else ""
        self.qid = qid or ""
        s = self.report.meta.session
        s.step, s.question = step, self.qid
        q = self.current()
        self.grid = GridState(self, q, cell) if q is not None and q.grid is not None else None
        if save:
            self.save()

    def advance(self, q: Q.Question) -> None:
        """After an answer: back to 检查 if it came from there; else the next question still
        unanswered in this step; else the next step."""
        if self.return_to_check:
            self.notes.append("已改好，回到“检查”。")
            self.go("check", keep_notes=True)
            return
        qs = self.asked()
        ids = [x.id for x in qs]
        start = ids.index(q.id) + 1 if q.id in ids else 0
        nxt = next((x for x in qs[start:] if not x.answered(self.report)), None)
        if nxt is None:
            nxt = next((x for x in qs if not x.answered(self.report)), None)
        if nxt is not None:
            self.go(self.step, nxt.id, keep_notes=True)
            return
        steps = Q.steps(self.report)
        keys = [s.key for s in steps]
        i = keys.index(self.step)
        if i + 1 < len(keys):
            self.notes.append(f"“{steps[i].title}”已完成，进入“{steps[i + 1].title}”。（Esc 可返回上一问）")
            self.go(keys[i + 1], keep_notes=True)
        else:
            self.go(self.step, "", keep_notes=True)

    def back(self) -> Result:
        """Esc: the previous question (of this step, else the last one of the step before);
        at the very first question, back to the draft list (everything is saved)."""
        if self.step in Q.PAGES:
            self.prev_step()
            return Result()
        qs = self.asked()
        ids = [q.id for q in qs]
        if self.qid in ids and ids.index(self.qid) > 0:
            self.go(self.step, ids[ids.index(self.qid) - 1])
            return Result()
        if not self.qid and qs:
            self.go(self.step, ids[-1])
            return Result()
        keys = self.step_keys()
        i = keys.index(self.step)
        while i > 0:
            i -= 1
            prev = Q.asked(self.report, keys[i])
            if prev:
                self.go(keys[i], prev[-1].id)
                return Result()
        self.flush()
        return Result(go="home")

    def next_step(self) -> None:
        keys = self.step_keys()
        i = keys.index(self.step)
        if i + 1 < len(keys):
            self.go(keys[i + 1])

    def prev_step(self) -> None:
        keys = self.step_keys()
        i = keys.index(self.step)
        if i > 0:
            self.go(keys[i - 1])

    def jump_to_finding(self, f: Finding) -> tuple[Q.Question | None, str]:
        """Go to what a finding is about; returns (question, cell)."""
        step, q, cid = Q.question_for_finding(self.report, f)
        self.go(step, q.id if q else None, cid, from_check=True)
        return q, cid

    # ---- answering --------------------------------------------------------------------------
    def answer(self, raw: Any = "") -> Result:
        """Answer the current question (typed text, a chosen value, the text of a text area;
        a table: finish it).  Stored, its effects run, saved, then on to the next question."""
        q = self.current()
        if q is None:
            return Result(False)
        if self.readonly:
            return Result(False, READONLY)
        if q.grid is not None:
            return self.complete_grid()
        value, err = Q.parse_answer(self.report, q, str(raw))
        if err:
            return Result(False, err)
        old_version = self.report.format_version
        notes = Q.apply_answer(self.report, q, value)
        self._rename()
        self.save()
        if self.report.format_version != old_version:
            notes.append(f"报告年度改为{self.report.year}年，表格改用{self.report.spec.title}")
        self.notes = notes
        self.advance(q)
        return Result(True, notes=list(notes))

    def complete_grid(self) -> Result:
        """Finish the current table: every cell valid (empty cells count as 0)."""
        q, g = self.current(), self.grid
        if q is None or g is None:
            return Result(False)
        if self.readonly:
            return Result(False, READONLY)
        g.store()
        values, err = g.check_all()
        if err:
            return Result(False, err)
        self.notes = Q.complete_grid(self.report, q, values)
        self.save()
        notes = list(self.notes)
        self.advance(q)
        return Result(True, notes=notes)

    def set_text(self, text: str) -> bool:
        """Keep the text being typed in a text area (not yet confirmed): stored and saved."""
        q = self.current()
        if q is None or q.type != "textarea" or self.readonly:
            return False
        if text.strip() == str(Q.get_value(self.report, q.target) or "").strip():
            return False
        Q.set_value(self.report, q.target, text)
        self.save()
        return True

    def slot(self, name: str, value: str) -> None:
        """An answer to a free slot of the phrase bank: kept, so it is asked once per report."""
        self.report.meta.slots = {**self.report.meta.slots, name: value.strip()}
        self.changed()

    def facts(self, q: Q.Question) -> list[Fact]:
        """The fields of a facts question: each fact of the area (label, unit, what is known)."""
        from .compose import rectify_facts
        from .phrases.bank import load_bank

        key = q.target[len(Q.FACTS):]
        bank = load_bank(strict=False)
        labels = dict(rectify_facts(self.report)) if key == "rectification" else {}
        out = []
        for name in Q.area_fact_names(self.report, key):
            spec = bank.slots.get(name)
            label = labels.get(name) or (spec.label if spec else name)
            out.append(Fact(name, label, spec.unit if spec else "", spec.type if spec else "str",
                            self.report.meta.slots.get(name, "")))
        return out

    def facts_notes(self, q: Q.Question) -> str:
        return self.report.narrative.notes.get(q.target[len(Q.FACTS):], "")

    # ---- the composed text ----------------------------------------------------------------------
    def _field(self) -> str:
        q = self.current()
        return q.target.split(".", 1)[1] if q is not None and q.target.startswith("narrative.") else ""

    def reword(self, text: str, pos: int) -> tuple[str, int] | str:
        """F4: the sentence the assistant wrote at offset ``pos`` of ``text`` said another way
        (the move's next wording that fits the report).  (new text, where the sentence starts)
        or a Chinese message."""
        from . import compose

        field_name = self._field()
        if not field_name or self.readonly:
            return READONLY if self.readonly else "这里没有助手写的句子"
        self.set_text(text)
        p = compose.piece_at(self.report, field_name, text, pos)
        if p is None:
            return "光标所在的句子不是助手按表述库写的（或已改动过），可以直接修改；按 F9 可按回答重新撰写"
        nxt = compose.next_wording(self.report, p, text)
        if nxt is None:
            return "这句话没有其他合适的说法了"
        new_text, piece = nxt
        self.set_text(new_text)
        return new_text, new_text.find(piece.text)

    def recompose_at(self, text: str, pos: int) -> tuple[str, str] | str:
        """F9: write again, from the answers, the area the cursor is in (一: the part under
        the cursor's heading; 五 and 六: the section).  (new text, note) or a Chinese message."""
        from . import compose
        from .phrases.bank import load_bank
        from .text import split_heading

        field_name = self._field()
        if not field_name or field_name == "opening" or self.readonly:
            return READONLY if self.readonly else "这一问不由助手撰写"
        self.set_text(text)
        bank = load_bank(strict=False)
        if field_name == "overview":
            # the area of the heading at or above the cursor (none: the lead paragraph)
            key = next((a.key for a in bank.areas if a.section == "overview" and not a.title), "")
            for line in reversed(text[:pos].split("\n")[: text[:pos].count("\n") + 1]):
                head = split_heading(line)
                if head is not None:
                    title = head[0].rstrip("。")
                    key = next((a.key for a in bank.areas if a.section == "overview" and a.title
                                and a.title in title), "")
                    break
            if not key:
                return "光标所在的部分不是总体情况的五个方面之一（是您自己加的部分），请直接修改"
        else:
            key = {"rectification": "rectification", "problems": "problems", "measures": "problems",
                   "other": "other"}[field_name]
        res = compose.recompose(self.report, key, bank=bank)
        self.save()
        q = self.current()
        new_text = str(Q.get_value(self.report, q.target) or "") if q is not None else text
        return new_text, "；".join(res.lines()) or "已重新撰写"

    def place_phrase(self, text: str, variant_id: str, sentence: str) -> str:
        """A bank sentence found by a search, put where it belongs in ``text`` (see
        :func:`nianbao.compose.place`)."""
        from .compose import place

        field_name = self._field()
        self.set_text(text)
        new_text = place(self.report, field_name, text, variant_id, sentence)
        self.set_text(new_text)
        return new_text

    def text_status(self, text: str, share: bool = False) -> str:
        """The line under a text: its length (and the local limit) for 一; with ``share``,
        how much of the narrative (this text as it stands) repeats last year's report."""
        field_name = self._field()
        bits = []
        if field_name == "overview":
            import re as _re

            n = len(_re.sub(r"\s", "", text))
            limit = self.report.agency.overview_max_chars
            s = f"总体情况共{n}字"
            if limit:
                s += f"（本地上限{limit}字{'，已超出' + str(n - limit) + '字' if n > limit else ''}）"
            bits.append(s)
        if share and field_name and field_name != "opening":
            pct = self.copy_share(text)
            if pct is not None:
                bits.append(f"与上一年度重复约{pct:.0f}%" + ("（偏高，请结合今年的工作改写）" if pct > COPY_WARN else ""))
        return "，".join(bits)

    def copy_share(self, text: str | None = None) -> float | None:
        """The 内容雷同 share (percent of the narrative's characters, 开头语 left out) repeated
        from last year's report, with the current question's text as ``text``; None when last
        year is not known or the segmenter is not ready yet (it is never loaded here)."""
        from .phrases.checks import previous_texts

        theirs = previous_texts(self.report)
        if theirs is None or not segmenter_ready():
            return None
        from .phrases.similarity import similarity

        q = self.current()
        r = self.report
        if text is not None and q is not None and q.target.startswith("narrative."):
            r = self.report.model_copy(update={"narrative": self.report.narrative.model_copy(deep=True)})
            Q.set_value(r, q.target, text)
        mine = [(p, t) for p, t in r.narrative.texts() if p != "开头语"]
        if not any(t.strip() for _, t in mine):
            return None
        return similarity(mine, theirs).percent

    def phrase_used(self, vid: str) -> None:
        if vid and vid not in self.report.meta.phrases_used:
            self.report.meta.phrases_used = [*self.report.meta.phrases_used, vid]

    # ---- what the screen shows --------------------------------------------------------------
    def history(self) -> list[tuple[Q.Question, bool, str]]:
        """The questions of this step before the current one: (question, answered, summary)."""
        out = []
        for q in self.asked():
            if q.id == self.qid:
                break
            out.append((q, q.answered(self.report), Q.summary(self.report, q)))
        return out

    def answered_after(self) -> list[tuple[Q.Question, bool, str]]:
        qs = self.asked()
        ids = [q.id for q in qs]
        if self.qid not in ids:
            return []
        return [(q, True, Q.summary(self.report, q)) for q in qs[ids.index(self.qid) + 1:] if q.answered(self.report)]

    def proposal_text(self, q: Q.Question) -> str:
        """The text a text area starts with: the stored text, else the proposal."""
        text = str(Q.get_value(self.report, q.target) or "")
        if not text.strip() and q.propose is not None:
            text = str(q.propose(self.report))
        elif not text.strip() and not self.readonly and q.propose is None and q.phrases in _COMPOSED:
            # nothing written yet (its facts were skipped, or a report made before the
            # composer): the assistant writes it now from the tables and what is known
            from .compose import compose

            compose(self.report, _COMPOSED[q.phrases])
            text = str(Q.get_value(self.report, q.target) or "")
            if text.strip():
                self.save()
        return text

    def field_text(self, q: Q.Question) -> str:
        """The text a one-line field starts with: the stored value, else the proposal."""
        current = Q.get_value(self.report, q.target)
        if (current is None or current == "") and q.propose is not None:
            current = q.propose(self.report)
        return "" if current is None else (format_number(current) if not isinstance(current, str) else current)

    def choice(self, q: Q.Question) -> tuple[str | None, str]:
        """The option highlighted first and the line saying why it is preselected."""
        current = Q.get_value(self.report, q.target)
        if isinstance(current, bool):
            current = Q.YES if current else Q.NO
        if current is None and q.preselect is not None:
            pre = q.preselect(self.report)
            if pre is not None:
                return pre
        return (str(current) if current is not None else None), ""

    # ---- export -----------------------------------------------------------------------------
    def export(self, fmt: str, path_text: str, draft: bool = False) -> Result:
        """Export to ``path_text`` (relative: into the workspace's exports folder).  Refused
        while errors remain unless ``draft``; an existing file is never overwritten (a free
        name is proposed in ``path``)."""
        from .export import ExportError, ExportOptions, export_report

        if self.grid is not None:
            self.grid.store()
        errors = [f for f in ui_check(self.report) if f.severity == "error"]
        if errors and not draft:
            return Result(False, f"还有{len(errors)}个错误，不能导出正式稿。请到“检查”一步（Ctrl+G）改正，"
                                 "或勾选“导出草稿”。")
        raw = path_text.strip().strip('"').strip("'")
        if not raw:
            return Result(False, "请填写保存的文件名")
        path = Path(raw).expanduser()
        if not path.suffix:
            path = path.with_suffix(f".{fmt}")
        if not path.is_absolute():
            path = exports_dir(self.home or Path.cwd()) / path
        if path.exists():
            alt = unique_path(path.parent, path.name)
            return Result(False, f"{path} 已存在，不会覆盖。已改为 {alt.name}，再按一次“导出”即可。", path=alt)
        try:
            export_report(self.report, fmt, path, ExportOptions(draft=draft and bool(errors)))
        except (ExportError, OSError) as e:
            return Result(False, f"导出失败：{e}")
        return Result(True, path=path.resolve(), notes=[f"已导出：{path.resolve()}"])

    def export_path(self, fmt: str) -> Path:
        stem = self.path.stem if self.path is not None else Path(draft_filename(self.report)).stem
        return unique_path(exports_dir(self.home or Path.cwd()), f"{stem}.{fmt}")


def exports_dir(home: Path) -> Path:
    return Path(home) / "exports"
