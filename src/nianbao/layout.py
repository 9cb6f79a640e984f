"""The report as a document: title, headings, paragraphs and table grids.

Built once from the model and the format spec; the text templates (txt, md, html) and
the .docx/.xlsx exporters all render this same structure, so the official labels and
merged header cells are laid out in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .formats import Block, FormatSpec, Table
from .model import Part, Report
from .numbers import format_number

CellRole = Literal["caption", "corner", "group", "leaf", "rowlabel", "grouplabel", "value"]


@dataclass
class GridCell:
    text: str
    role: CellRole
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    cell_id: str = ""  # for value cells

    @property
    def header(self) -> bool:
        return self.role in ("caption", "corner", "group", "leaf")


@dataclass
class Grid:
    """A table as positioned cells; covered positions (inside a span) hold ``None``."""

    key: str
    name: str
    width: int
    rows: list[list[GridCell | None]] = field(default_factory=list)
    header_rows: int = 0  # leading rows that repeat across pages (the first block's header)

    def add_row(self) -> int:
        self.rows.append([None] * self.width)
        return len(self.rows) - 1

    def put(self, cell: GridCell) -> None:
        for r in range(cell.row, cell.row + cell.rowspan):
            while r >= len(self.rows):
                self.add_row()
        self.rows[cell.row][cell.col] = cell

    def origins(self):
        """Every cell once, row by row."""
        for row in self.rows:
            for c in row:
                if c is not None:
                    yield c

    def text_rows(self) -> list[list[str]]:
        """The table as a web page copies to text: a cell spanning several columns is
        one cell; a position covered from a row above is an empty cell.  (Printing the
        column-covered positions too would make a row with a blank last figure
        ambiguous when read back.)"""
        out = []
        for r, row in enumerate(self.rows):
            cells = []
            for c, cell in enumerate(row):
                if cell is not None:
                    cells.append(cell.text)
                elif not self._covered_from_left(r, c):
                    cells.append("")
            out.append(cells)
        return out

    def _covered_from_left(self, r: int, c: int) -> bool:
        """Is position (r, c) inside the column span of a cell starting in the same row?"""
        for cc in range(c - 1, -1, -1):
            cell = self.rows[r][cc]
            if cell is not None:
                return cc + cell.colspan > c
        # nothing starts to the left in this row: look for a spanning cell above
        for rr in range(r - 1, -1, -1):
            for cc in range(c, -1, -1):
                cell = self.rows[rr][cc]
                if cell is not None and rr + cell.rowspan > r and cc + cell.colspan > c:
                    return cc < c and cell.row == rr
        return False


@dataclass
class Para:
    kind: Literal["title", "h1", "h2", "body", "inline"]
    text: str
    #: for ``inline``: the run-in title ("（一）提高站位，深化认识。") printed before ``text``
    lead: str = ""
    anchor: str = ""


@dataclass
class Doc:
    title: str
    draft: bool
    elements: list[Para | Grid]
    spec: FormatSpec


# ---- labels ---------------------------------------------------------------------------

class Labels:
    """Official labels, or the printed variants an imported report keeps."""

    def __init__(self, report: Report, official: bool = False) -> None:
        self.variants = {} if official else report.label_variants

    def __call__(self, key: str, official: str) -> str:
        return self.variants.get(key, official)


# ---- grids ------------------------------------------------------------------------------

def _header(grid: Grid, block: Block, top: int, left: int, labels: Labels, tkey: str, width: int) -> int:
    """Lay out the column header of ``block`` from row ``top``; returns rows used."""
    depth = block.header_depth
    cols = block.columns
    # group cells
    for level in range(depth - 1):
        j = 0
        while j < len(cols):
            path = cols[j].groups
            if len(path) <= level:
                j += 1
                continue
            k = j
            while k < len(cols) and cols[k].groups[:level + 1] == path[:level + 1]:
                k += 1
            grid.put(GridCell(path[level], "group", top + level, left + j, colspan=k - j))
            j = k
    for j, c in enumerate(cols):
        lvl = len(c.groups)
        span = width - (left + j) if j == len(cols) - 1 else 1
        grid.put(GridCell(labels(f"{tkey}.{block.key}.col.{c.key}", c.label), "leaf", top + lvl, left + j,
                          rowspan=depth - lvl, colspan=span))
    return depth


def table_grid(report: Report, table: Table, labels: Labels) -> Grid:
    blocks = table.blocks
    label_cols = 0 if all(b.unlabelled for b in blocks) else max(b.label_depth for b in blocks)
    width = label_cols + max(len(b.columns) for b in blocks)
    grid = Grid(table.key, table.name, width)
    for b in blocks:
        top = len(grid.rows)
        if b.caption:
            grid.put(GridCell(labels(f"{table.key}.{b.key}", b.caption), "caption", top, 0, colspan=width))
            top += 1
        depth = b.header_depth
        if label_cols:
            grid.put(GridCell(b.corner, "corner", top, 0, rowspan=depth, colspan=label_cols))
        _header(grid, b, top, label_cols, labels, table.key, width)
        top += depth
        if b is blocks[0]:
            grid.header_rows = top
        # data rows
        for i, row in enumerate(b.rows):
            r = top + i
            if label_cols:
                # group label cells: only where a run of rows sharing the group starts
                for level, g in enumerate(row.groups):
                    prev = b.rows[i - 1].groups[:level + 1] if i else ()
                    if prev == row.groups[:level + 1]:
                        continue
                    run = 1
                    while i + run < len(b.rows) and b.rows[i + run].groups[:level + 1] == row.groups[:level + 1]:
                        run += 1
                    grid.put(GridCell(g, "grouplabel", r, level, rowspan=run))
                lvl = len(row.groups)
                grid.put(GridCell(labels(f"{table.key}.{b.key}.row.{row.key}", row.label), "rowlabel", r, lvl,
                                  colspan=label_cols - lvl))
            for j, c in enumerate(b.columns):
                cid = f"{table.key}.{b.key}.{row.key}.{c.key}"
                span = width - (label_cols + j) if j == len(b.columns) - 1 else 1
                grid.put(GridCell(format_number(report.cells.get(cid)), "value", r, label_cols + j,
                                  colspan=span, cell_id=cid))
    return grid


# ---- narrative -------------------------------------------------------------------------

_CN = "零一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (for numbering up to 99)."""
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]


def _parts(parts: list[Part], start: int = 1, anchor: str = "") -> tuple[list[Para], int]:
    out: list[Para] = []
    n = start
    for i, p in enumerate(parts):
        paras = paragraphs(p.text)
        a = f"{anchor}.{i}"
        if p.title.strip():
            lead = f"（{cn_numeral(n)}）{p.title.strip()}"
            n += 1
            if p.inline and paras:
                out.append(Para("inline", paras[0], lead=lead, anchor=a))
                paras = paras[1:]
            else:
                out.append(Para("h2", lead, anchor=a))
        out.extend(Para("body", t, anchor=a) for t in paras)
    return out, n


def build_document(report: Report, official_labels: bool = False, draft: bool = False) -> Doc:
    spec = report.spec
    labels = Labels(report, official_labels)
    n = report.narrative
    title = report.display_title
    if draft:
        title = f"{title}（草稿）"
    els: list[Para | Grid] = []
    els.extend(Para("body", t, anchor="opening") for t in paragraphs(n.opening))

    def heading(num: int) -> None:
        els.append(Para("h1", labels(f"heading.{num}", spec.section(num).heading), anchor=f"section.{num}"))

    heading(1)
    els.extend(_parts(n.overview, anchor="overview")[0])
    for t in spec.tables:
        heading(t.section)
        note = n.table_notes.get(str(t.section), "")
        els.extend(Para("body", p, anchor=f"notes.{t.section}") for p in paragraphs(note))
        els.append(table_grid(report, t, labels))
    heading(5)
    els.extend(Para("body", p, anchor="rectification") for p in paragraphs(n.rectification))
    # problems and measures are numbered each from （一）: improvements are not more problems
    els.extend(_parts(n.problems, anchor="problems")[0])
    els.extend(_parts(n.measures, anchor="measures")[0])
    heading(6)
    els.extend(Para("body", p, anchor="other") for p in paragraphs(n.other))
    return Doc(title, draft, els, spec)
