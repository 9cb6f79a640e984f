"""The report as a document: title, headings, paragraphs and table grids.

Built once from the model and the format spec; the text templates (txt, md, html) and
the .docx/.xlsx exporters all render this same structure, so the official labels and
merged header cells are laid out in one place.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from .formats import Block, FormatSpec, Table
from .model import Part, Report
from .numbers import format_number

CellRole = Literal["caption", "corner", "group", "leaf", "rowlabel", "grouplabel", "value"]
#: joins a merged header or row group to the label under it where a layout cannot merge
#: cells (the .md tables: 申请人情况／法人或其他组织／商业企业)
PATH_SEP = "／"


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
class FlatBlock:
    """One block of a table without merged cells: every column header and row label
    spelled out with the groups above or beside it (joined by :data:`PATH_SEP`)."""

    caption: str  # 第二十条第（一）项, or ""
    corner: str  # the header over the row labels ("" for an unlabelled block)
    headers: list[str]  # one per figure column
    rows: list[tuple[str, list[str]]]  # (row label, figures as printed)
    labelled: bool = True


@dataclass
class GridBlock:
    """Where one block of the spec sits in the grid: rows ``start`` to ``end``
    (exclusive); the rows before ``body`` are its caption and column header."""

    key: str
    start: int
    body: int
    end: int


@dataclass
class Grid:
    """A table as positioned cells; covered positions (inside a span) hold ``None``."""

    key: str
    name: str
    width: int
    rows: list[list[GridCell | None]] = field(default_factory=list)
    #: leading rows that repeat at the top of each page: the column header of a one-block
    #: table.  A table of several blocks (表二) repeats nothing: each block brings its own
    #: caption and header, and the first block's would stand over the wrong columns.
    header_rows: int = 0
    blocks: list[GridBlock] = field(default_factory=list)
    #: the table's name and subject, for ``<caption>`` (表三　收到和处理政府信息公开申请情况)
    caption: str = ""
    flat: list[FlatBlock] = field(default_factory=list)

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

    @property
    def label_cols(self) -> int:
        """How many columns the row labels (and group labels) take."""
        cols = [c.col for c in self.origins() if c.role == "value"]
        return min(cols) if cols else 0

    def grid_rows(self) -> list[list[str]]:
        """The table on its full grid, as Excel and WPS copy it: one cell per grid
        position, a merged cell's text in its top-left position and empty cells for the
        rest, so every figure sits under its column header."""
        return [["" if c is None else c.text for c in row] for row in self.rows]

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
    kind: Literal["title", "h1", "h2", "body", "inline", "signoff"]
    text: str
    #: for ``inline``: the run-in title ("（一）提高站位，深化认识。") printed before ``text``
    lead: str = ""
    anchor: str = ""
    #: for ``signoff``: space to the right margin, in characters (GB/T 9704 7.3.5.2)
    indent: float = 0


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

def _flat_block(report: Report, table: Table, block: Block, labels: Labels) -> FlatBlock:
    def path(*parts: str) -> str:
        return PATH_SEP.join(p for p in parts if p)

    headers = [path(*c.groups, labels(f"{table.key}.{block.key}.col.{c.key}", c.label)) for c in block.columns]
    rows = []
    for r in block.rows:
        label = path(*r.groups, labels(f"{table.key}.{block.key}.row.{r.key}", r.label))
        rows.append((label, [format_number(report.cells.get(f"{table.key}.{block.key}.{r.key}.{c.key}"))
                             for c in block.columns]))
    caption = labels(f"{table.key}.{block.key}", block.caption) if block.caption else ""
    return FlatBlock(caption, block.corner, headers, rows, labelled=not block.unlabelled)


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
        top = start = len(grid.rows)
        if b.caption:
            grid.put(GridCell(labels(f"{table.key}.{b.key}", b.caption), "caption", top, 0, colspan=width))
            top += 1
        depth = b.header_depth
        if label_cols:
            grid.put(GridCell(b.corner, "corner", top, 0, rowspan=depth, colspan=label_cols))
        _header(grid, b, top, label_cols, labels, table.key, width)
        top += depth
        if len(blocks) == 1:
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
        grid.blocks.append(GridBlock(b.key, start, top, top + len(b.rows)))
        grid.flat.append(_flat_block(report, table, b, labels))
    return grid


#: the 156 mm text block of GB/T 9704, in twips, and one 五号 (10.5 pt) character
TEXT_TWIPS = 8844
_CHAR = 210
_PAD = 134  # cell margins (2 × 1 mm) and a little slack
_FIGURE = 590  # four digits of 五号 (and two characters of a header per line)
_TOTAL_FIGURE = 680  # five digits, for the last column (总计)


def column_shares(grid: Grid) -> list[int]:
    """Column widths in twips of the 156 mm text block (the .docx uses them as they are,
    the web page as percentages).  Group-label columns are narrow, as in the official
    template: two characters for the outer group (三、本年度办理结果 stands upright), five
    for an inner one (（三）不予公开 breaks after 不予).  A table of many figure columns
    (表三) gives each four digits and the last (总计) five, and the row labels the rest; a
    table of few figure columns (表二) gives the labels 29% and shares out the rest; a
    table without row labels (表四) shares the width evenly."""
    labels = grid.label_cols
    values = grid.width - labels
    if not labels:
        widths = [TEXT_TWIPS // grid.width] * grid.width
    else:
        groups = [(2 if j == 0 else 5) * _CHAR + _PAD for j in range(labels - 1)]
        if values >= 5:
            figures = [_FIGURE] * (values - 1) + [_TOTAL_FIGURE]
            widths = [*groups, TEXT_TWIPS - sum(groups) - sum(figures), *figures]
        else:
            label = TEXT_TWIPS * 2544 // 8844 - sum(groups)
            figure = (TEXT_TWIPS - sum(groups) - label) // values
            widths = [*groups, label, *[figure] * values]
    widths[-1] += TEXT_TWIPS - sum(widths)
    return widths


def header_words(text: str) -> list[str]:
    """A short column header cut where a line may break without splitting a word: the
    official headers of four, six or eight Chinese characters are compounds of
    two-character words (商业|企业, 社会|公益|组织, 未经|复议|直接|起诉); others stay whole."""
    if 4 <= len(text) <= 8 and len(text) % 2 == 0 and all(unicodedata.east_asian_width(ch) == "W" for ch in text) \
            and not any(ch in "（）、：，" for ch in text):
        return [text[i:i + 2] for i in range(0, len(text), 2)]
    return [text]


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


def text_width(text: str) -> float:
    """Printed width in characters: a Chinese character (or full-width sign) is one, a
    Latin letter or digit half."""
    return sum(1 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.5 for ch in text)


def signoff(report: Report, today: date | None = None) -> list[Para]:
    """The 落款 after the last section: the agency, and the date on the line below, both
    set right as GB/T 9704 7.3.5.2 has it for a document without a seal — the agency two
    characters from the right margin, the date starting two characters right of the
    agency's first character (when the date is the longer, the date keeps two characters
    and the agency moves left)."""
    agency, day = report.signoff_lines(today)
    a, d = text_width(agency), text_width(day)
    out = []
    if agency:
        out.append(Para("signoff", agency, anchor="signoff.agency", indent=max(2.0, 4 + d - a)))
    out.append(Para("signoff", day, anchor="signoff.date", indent=max(2.0, a - d) if agency else 2.0))
    return out


def build_document(report: Report, official_labels: bool = False, draft: bool = False,
                   today: date | None = None) -> Doc:
    spec = report.spec
    labels = Labels(report, official_labels)
    n = report.narrative
    title = report.display_title
    if draft:
        title = f"{title}（草稿）"
    els: list[Para | Grid] = []
    els.extend(Para("body", t, anchor="opening") for t in paragraphs(n.opening))

    def heading_text(num: int) -> str:
        return labels(f"heading.{num}", spec.section(num).heading)

    def heading(num: int) -> None:
        els.append(Para("h1", heading_text(num), anchor=f"section.{num}"))

    heading(1)
    els.extend(_parts(n.overview, anchor="overview")[0])
    for t in spec.tables:
        heading(t.section)
        note = n.table_notes.get(str(t.section), "")
        els.extend(Para("body", p, anchor=f"notes.{t.section}") for p in paragraphs(note))
        grid = table_grid(report, t, labels)
        grid.caption = f"{t.name}　{heading_text(t.section).split('、', 1)[-1]}"
        els.append(grid)
    heading(5)
    els.extend(Para("body", p, anchor="rectification") for p in paragraphs(n.rectification))
    # problems and measures are numbered each from （一）: improvements are not more problems
    els.extend(_parts(n.problems, anchor="problems")[0])
    els.extend(_parts(n.measures, anchor="measures")[0])
    heading(6)
    els.extend(Para("body", p, anchor="other") for p in paragraphs(n.other))
    els.extend(signoff(report, today))
    return Doc(title, draft, els, spec)
