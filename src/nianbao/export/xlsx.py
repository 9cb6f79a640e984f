"""The Excel export (.xlsx): tables 二, 三 and 四, one sheet each.

Each sheet holds the table in the official layout, with the merged header cells of the
grid built by :func:`nianbao.layout.build_document` (the same grids as the .docx and the
web page): row 1 is the section heading, the grid starts on row 2.

* Figures are numbers; money keeps its exact decimal value and is shown with all its
  decimals; unanswered cells stay empty (not 0).
* Every computed cell of the spec (a row or column with ``sum_of``: 总计, （七）总计, 表四's
  总计) is a formula over its parts, ``IF(COUNT(parts)<n,"",SUM(parts))``, so that an
  edit in Excel or WPS updates it, and a total of unanswered parts stays blank as in the
  report.  The value is stored with the formula, so a viewer that does not calculate
  (a phone preview, a script) shows the figure too.  A total the report gives
  differently from the sum of its parts (a draft exported with errors) is kept as the
  report's number, not replaced.
* Rows are as high as their wrapped labels need (merged labels included).
* A one-block table freezes its header rows and repeats them on printed pages; 表二,
  whose blocks each have their own caption and header, freezes and repeats nothing
  (the first block's header would stand over the other blocks' columns).
* The 落款 (agency and date) is in the printed page's footer, not in a cell: the sheet
  is for copying figures, and a cell under the table would be copied with them.

openpyxl is imported inside the functions only.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..layout import Doc, Grid, GridCell, Para, build_document
from ..model import Report
from . import ExportOptions, atomic_write_bytes, writer

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "宋体"
FONT_SIZE = 10.5
#: the grid starts on this sheet row (row 1: the section heading)
FIRST_ROW = 2
#: height of one line of 10.5 pt text, and the least row height (points)
LINE_HEIGHT = 14.25
MIN_ROW_HEIGHT = 18.0

Value = int | Decimal


def display_width(text: str) -> int:
    """Width in Excel character units: East Asian wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _headings(doc: Doc) -> dict[str, str]:
    """grid key -> the section heading printed above it."""
    out: dict[str, str] = {}
    heading = ""
    for el in doc.elements:
        if isinstance(el, Para) and el.kind == "h1":
            heading = el.text
        elif isinstance(el, Grid):
            out[el.key] = heading
    return out


def _number_format(v: Value) -> str:
    if isinstance(v, Decimal):
        exp = v.as_tuple().exponent
        places = -exp if isinstance(exp, int) and exp < 0 else 0
        return "0." + "0" * places if places else "0"
    return "0"


def column_widths(grid: Grid) -> list[float]:
    """Sensible widths: from the longest single-column text, capped (long labels wrap)."""
    label_cols = grid.label_cols
    widths: list[float] = []
    for j in range(grid.width):
        texts = [c.text for c in grid.origins() if c.col == j and c.colspan == 1 and c.rowspan <= 2]
        longest = max((display_width(t) for t in texts), default=0)
        cap = 36 if j < label_cols else 14
        widths.append(float(min(max(longest + 2, 8), cap)))
    return widths


def row_heights(grid: Grid, widths: list[float]) -> list[float]:
    """Points per grid row, so that every wrapped label shows whole: a cell needs its
    lines of text in the width of the columns it spans, spread over the rows it spans."""
    heights = [MIN_ROW_HEIGHT] * len(grid.rows)

    def need(c: GridCell) -> float:
        room = max(1.0, sum(widths[c.col:c.col + c.colspan]) - 1)
        return math.ceil(display_width(c.text) / room) * LINE_HEIGHT + 4

    cells = sorted((c for c in grid.origins() if c.text), key=lambda c: c.rowspan)
    for c in cells:
        rows = range(c.row, c.row + c.rowspan)
        short = need(c) - sum(heights[r] for r in rows)
        if short > 0:
            for r in rows:
                heights[r] += short / c.rowspan
    return [round(h, 2) for h in heights]


# ---- totals --------------------------------------------------------------------------------

def _refs(coords: list[tuple[int, int]]) -> str:
    """Sheet references for (row, column) positions: runs along a row or a column as
    ranges (D5:D26), others one by one."""
    from openpyxl.utils import get_column_letter

    def ref(rc: tuple[int, int]) -> str:
        return f"{get_column_letter(rc[1])}{rc[0]}"

    out: list[str] = []
    run: list[tuple[int, int]] = []
    for rc in coords:
        if run and ((rc[0] == run[-1][0] and rc[1] == run[-1][1] + 1 and all(x[0] == rc[0] for x in run))
                    or (rc[1] == run[-1][1] and rc[0] == run[-1][0] + 1 and all(x[1] == rc[1] for x in run))):
            run.append(rc)
            continue
        if run:
            out.append(ref(run[0]) if len(run) == 1 else f"{ref(run[0])}:{ref(run[-1])}")
        run = [rc]
    if run:
        out.append(ref(run[0]) if len(run) == 1 else f"{ref(run[0])}:{ref(run[-1])}")
    return ",".join(out)


def total_formula(report: Report, cid: str, position: dict[str, tuple[int, int]]) -> tuple[str, Value | None] | None:
    """The formula of a computed cell and the value it gives, from the spec's ``sum_of``
    (a total column first: it sums the row's parts), or None for a cell that is not
    computed, whose parts are not all on the sheet, or whose figure in the report is not
    the sum of its parts."""
    spec = report.spec
    if not spec.has_cell(cid):
        return None
    parts = spec.cell(cid).parts
    if not parts:
        return None
    if any(p not in position for p in parts):
        return None
    values = [report.cells.get(p) for p in parts]
    value = None if any(v is None for v in values) else sum(values)  # type: ignore[arg-type]
    if report.cells.get(cid) != value:
        return None
    refs = _refs([position[p] for p in parts])
    return f'=IF(COUNT({refs})<{len(parts)},"",SUM({refs}))', value


# ---- sheets --------------------------------------------------------------------------------

def _write_grid(ws: Worksheet, grid: Grid, heading: str, report: Report, cached: dict[str, Value | None]) -> None:
    from openpyxl.styles import Border, Font, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name=FONT_NAME, size=FONT_SIZE)

    if heading:
        ws.cell(row=1, column=1, value=heading).font = Font(name=FONT_NAME, size=12, bold=True)
        if grid.width > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.width)

    # borders and font on every position (covered ones too, so merged cells show borders)
    for r in range(len(grid.rows)):
        for j in range(grid.width):
            cell = ws.cell(row=FIRST_ROW + r, column=j + 1)
            cell.border = border
            cell.font = font

    position = {c.cell_id: (FIRST_ROW + c.row, c.col + 1) for c in grid.origins() if c.role == "value"}
    for c in grid.origins():
        _write_cell(ws, c, report, position, cached)
        if c.rowspan > 1 or c.colspan > 1:
            ws.merge_cells(start_row=FIRST_ROW + c.row, start_column=c.col + 1,
                           end_row=FIRST_ROW + c.row + c.rowspan - 1, end_column=c.col + c.colspan)

    widths = column_widths(grid)
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = w
    for r, h in enumerate(row_heights(grid, widths)):
        ws.row_dimensions[FIRST_ROW + r].height = h
    if grid.header_rows:
        ws.freeze_panes = f"{get_column_letter(grid.label_cols + 1)}{FIRST_ROW + grid.header_rows}"
        ws.print_title_rows = f"{FIRST_ROW}:{FIRST_ROW + grid.header_rows - 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if grid.width > 10 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _write_cell(ws: Worksheet, c: GridCell, report: Report, position: dict[str, tuple[int, int]],
                cached: dict[str, Value | None]) -> None:
    from openpyxl.styles import Alignment

    cell = ws.cell(row=FIRST_ROW + c.row, column=c.col + 1)
    if c.role == "value":
        formula = total_formula(report, c.cell_id, position)
        v = report.cells.get(c.cell_id)
        if formula is not None:
            cell.value, value = formula
            cached[f"{ws.title}!{cell.coordinate}"] = value
        elif v is not None:
            cell.value = v
        if v is not None:
            cell.number_format = _number_format(v)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        return
    cell.value = c.text
    cell.alignment = Alignment(horizontal="left" if c.role == "rowlabel" else "center", vertical="center",
                               wrap_text=True)


def _footer_text(text: str) -> str:
    return text.replace("&", "&&")


def build_workbook(report: Report, doc: Doc, cached: dict[str, Value | None] | None = None) -> Workbook:
    """The workbook; ``cached`` collects the value of every formula cell (``sheet!A1``)."""
    from openpyxl import Workbook

    cached = {} if cached is None else cached
    wb = Workbook()
    wb.remove(wb.active)
    headings = _headings(doc)
    signoff = [el.text for el in doc.elements if isinstance(el, Para) and el.kind == "signoff"]
    for el in doc.elements:
        if not isinstance(el, Grid):
            continue
        ws = wb.create_sheet(el.name)
        ws.oddHeader.center.text = _footer_text(doc.title)
        if signoff:
            ws.oddFooter.right.text = _footer_text("\u3000".join(signoff))
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        _write_grid(ws, el, headings.get(el.key, ""), report, cached)
    wb.properties.title = doc.title
    wb.properties.creator = "nianbao"
    wb.properties.language = "zh-CN"
    return wb


def with_cached_values(data: bytes, sheets: list[str], cached: dict[str, Value | None]) -> bytes:
    """The saved workbook with each formula's value stored next to it (openpyxl writes
    formulas with an empty value): Excel and WPS recalculate on edit, a viewer that does
    not calculate shows the stored figure."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if m and int(m.group(1)) <= len(sheets):
                title = sheets[int(m.group(1)) - 1]

                def fill(mc: re.Match[str], title: str = title) -> str:
                    value = cached.get(f"{title}!{mc.group(1)}")
                    if value is None:
                        return f'<c r="{mc.group(1)}"{mc.group(2)} t="str"><f>{mc.group(3)}</f><v></v></c>'
                    return f'<c r="{mc.group(1)}"{mc.group(2)}><f>{mc.group(3)}</f><v>{_number(value)}</v></c>'

                blob = re.sub(r'<c r="([A-Z]+\d+)"((?: s="\d+")?)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>',
                              fill, blob.decode("utf-8")).encode("utf-8")
            dst.writestr(info, blob)
    return out.getvalue()


def _number(v: Value) -> str:
    return format(v, "f") if isinstance(v, Decimal) else str(v)


def xlsx_bytes(report: Report, doc: Doc) -> bytes:
    cached: dict[str, Value | None] = {}
    wb = build_workbook(report, doc, cached)
    buf = io.BytesIO()
    wb.save(buf)
    return with_cached_values(buf.getvalue(), wb.sheetnames, cached)


@writer("xlsx", "Excel 表格 .xlsx")
def write_xlsx(report: Report, path: Path, opts: ExportOptions) -> None:
    doc = build_document(report, opts.official_labels, opts.draft)
    atomic_write_bytes(path, xlsx_bytes(report, doc))
