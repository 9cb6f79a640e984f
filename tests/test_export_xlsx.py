"""The Excel export: one sheet per table, official merged headers, figures as numbers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from nianbao.export import export_report
from nianbao.export.xlsx import FIRST_ROW, display_width
from nianbao.layout import Grid, Para, build_document
from test_export_samples import filled_2021

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def seed_report():
    from nianbao.importer import import_text

    return import_text((DATA / "songxian-chengguanju-2020.txt").read_text(encoding="utf-8")).report


def _grids(report) -> list[Grid]:
    return [el for el in build_document(report).elements if isinstance(el, Grid)]


def _export(report, tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "tables.xlsx"
    export_report(report, "xlsx", path)
    return openpyxl.load_workbook(path)


def _blank_some(report):
    """A report with some unanswered cells (None must stay blank, not become 0)."""
    report.set("t3.main.R3_4.SO", None)
    report.set("t4.main.all.la_pending", None)
    report.set("t2.a20_8.fees.amount", None)
    report.recompute()
    return report


@pytest.mark.parametrize("which", ["seed", "2021"])
def test_sheets_merges_and_figures(which, seed_report, tmp_path):
    report = seed_report if which == "seed" else _blank_some(filled_2021())
    wb = _export(report, tmp_path)
    grids = _grids(report)
    assert wb.sheetnames == [g.name for g in grids]
    headings = [el.text for el in build_document(report).elements if isinstance(el, Para) and el.kind == "h1"]
    for grid in grids:
        ws = wb[grid.name]
        assert ws["A1"].value in headings
        merged = {str(m) for m in ws.merged_cells.ranges}
        expected = {f"A1:{get_column_letter(grid.width)}1"}
        for c in grid.origins():
            if c.rowspan > 1 or c.colspan > 1:
                expected.add(f"{get_column_letter(c.col + 1)}{FIRST_ROW + c.row}:"
                             f"{get_column_letter(c.col + c.colspan)}{FIRST_ROW + c.row + c.rowspan - 1}")
        assert merged == expected, grid.name
        for c in grid.origins():
            cell = ws.cell(row=FIRST_ROW + c.row, column=c.col + 1)
            if c.role != "value":
                assert cell.value == c.text
                continue
            v = report.cells.get(c.cell_id)
            if v is None:
                assert cell.value is None, c.cell_id  # blank, not 0
            elif isinstance(v, Decimal):
                assert isinstance(cell.value, float) and Decimal(str(cell.value)) == v
                assert cell.number_format == "0." + "0" * -v.as_tuple().exponent
            else:
                assert cell.value == v and isinstance(cell.value, int), c.cell_id
    # every figure of the report is on a sheet
    ids = {c.cell_id for g in grids for c in g.origins() if c.role == "value"}
    assert ids == {c.id for c in report.spec.cells}


def test_money_is_exact_in_the_file(seed_report, tmp_path):
    import zipfile

    export_report(seed_report, "xlsx", tmp_path / "t.xlsx")
    with zipfile.ZipFile(tmp_path / "t.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<v>1665.6119</v>" in sheet
    assert "<f>" not in sheet  # values, never formulas


def test_widths_wrap_and_layout(seed_report, tmp_path):
    wb = _export(seed_report, tmp_path)
    t3 = wb[_grids(seed_report)[1].name]
    widths = [t3.column_dimensions[get_column_letter(j)].width for j in range(1, 11)]
    assert max(widths[:3]) >= 30  # the long row labels column is wide
    assert all(8 <= x <= 14 for x in widths[3:])  # figure columns are narrow
    longest = max((c for c in _grids(seed_report)[1].origins() if c.role == "rowlabel"), key=lambda c: len(c.text))
    label = t3.cell(row=FIRST_ROW + longest.row, column=longest.col + 1)
    assert label.value == longest.text and label.alignment.wrap_text
    assert t3.freeze_panes == f"D{FIRST_ROW + 3}"
    assert wb[_grids(seed_report)[2].name].page_setup.orientation == "landscape"
    assert display_width("信息内容") == 8 and display_width("12") == 2


def test_2021_tables_have_2021_rows(tmp_path):
    report = filled_2021()
    wb = _export(report, tmp_path)
    t2 = wb[_grids(report)[0].name]
    labels = {c.value for row in t2.iter_rows() for c in row if isinstance(c.value, str)}
    spec = report.spec
    assert {b.caption for b in spec.table("t2").blocks} <= labels
    assert len(spec.table("t2").blocks) == 4
    t3 = wb[_grids(report)[1].name]
    t3_labels = {c.value for row in t3.iter_rows() for c in row if isinstance(c.value, str)}
    assert {r.label for r in spec.table("t3").block("main").rows} <= t3_labels
