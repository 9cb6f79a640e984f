"""The Excel export (.xlsx): tables 二, 三 and 四, one sheet each.

Each sheet holds the table in the official layout, with the merged header cells of the
grid built by :func:`nianbao.layout.build_document` (the same grids as the .docx and the
web page): row 1 is the section heading, the grid starts on row 2.  Figures are written
as numbers, never formulas (openpyxl does not calculate); money keeps its exact decimal
value and is shown with all its decimals; unanswered cells stay empty (not 0).
openpyxl is imported inside the functions only.
"""

from __future__ import annotations

import io
import unicodedata
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


def _number_format(v: int | Decimal) -> str:
    if isinstance(v, Decimal):
        exp = v.as_tuple().exponent
        places = -exp if isinstance(exp, int) and exp < 0 else 0
        return "0." + "0" * places if places else "0"
    return "0"


def _label_cols(grid: Grid) -> int:
    cols = [c.col for c in grid.origins() if c.role == "value"]
    return min(cols) if cols else 0


def column_widths(grid: Grid) -> list[float]:
    """Sensible widths: from the longest single-column text, capped (long labels wrap)."""
    label_cols = _label_cols(grid)
    widths: list[float] = []
    for j in range(grid.width):
        texts = [c.text for c in grid.origins() if c.col == j and c.colspan == 1 and c.rowspan <= 2]
        longest = max((display_width(t) for t in texts), default=0)
        cap = 36 if j < label_cols else 14
        widths.append(float(min(max(longest + 2, 8), cap)))
    return widths


def _write_grid(ws: Worksheet, grid: Grid, heading: str, report: Report) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
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

    for c in grid.origins():
        _write_cell(ws, c, report, Alignment)
        if c.rowspan > 1 or c.colspan > 1:
            ws.merge_cells(start_row=FIRST_ROW + c.row, start_column=c.col + 1,
                           end_row=FIRST_ROW + c.row + c.rowspan - 1, end_column=c.col + c.colspan)

    for j, w in enumerate(column_widths(grid), 1):
        ws.column_dimensions[get_column_letter(j)].width = w
    label_cols = _label_cols(grid)
    ws.freeze_panes = ws.cell(row=FIRST_ROW + grid.header_rows, column=label_cols + 1)
    ws.print_title_rows = f"{FIRST_ROW}:{FIRST_ROW + max(grid.header_rows, 1) - 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if grid.width > 10 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _write_cell(ws: Worksheet, c: GridCell, report: Report, alignment: type) -> None:
    cell = ws.cell(row=FIRST_ROW + c.row, column=c.col + 1)
    if c.role == "value":
        v = report.cells.get(c.cell_id)
        if v is not None:
            cell.value = v
            cell.number_format = _number_format(v)
        cell.alignment = alignment(horizontal="center", vertical="center")
        return
    cell.value = c.text
    cell.alignment = alignment(horizontal="left" if c.role == "rowlabel" else "center", vertical="center",
                               wrap_text=True)


def build_workbook(report: Report, doc: Doc) -> Workbook:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    headings = _headings(doc)
    for el in doc.elements:
        if not isinstance(el, Grid):
            continue
        ws = wb.create_sheet(el.name)
        ws.oddHeader.center.text = doc.title
        _write_grid(ws, el, headings.get(el.key, ""), report)
    wb.properties.title = doc.title
    wb.properties.creator = "nianbao"
    wb.properties.language = "zh-CN"
    return wb


@writer("xlsx", "Excel 表格 .xlsx")
def write_xlsx(report: Report, path: Path, opts: ExportOptions) -> None:
    doc = build_document(report, opts.official_labels, opts.draft)
    buf = io.BytesIO()
    build_workbook(report, doc).save(buf)
    atomic_write_bytes(path, buf.getvalue())
