"""The Excel export: one sheet per table, official merged headers, figures as numbers,
totals as formulas that recompute (with their values stored), row heights for wrapped
labels, frozen headers per table, the 落款 in the printed footer."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter, range_boundaries

from nianbao.export import export_report
from nianbao.export.xlsx import FIRST_ROW, LINE_HEIGHT, display_width
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
            if report.spec.cell(c.cell_id).computed:
                assert isinstance(cell.value, str) and cell.value.startswith("=IF(COUNT("), c.cell_id
            elif v is None:
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
    assert "<f>" not in sheet  # 表二 has no totals: figures only


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
    assert t3.print_title_rows == f"${FIRST_ROW}:${FIRST_ROW + 2}"
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


# ---- totals ---------------------------------------------------------------------------------

_FORMULA = re.compile(r'=IF\(COUNT\(([A-Z0-9:,]+)\)<(\d+),"",SUM\(\1\)\)')


def evaluate(ws, ref: str):
    """What Excel computes for one cell of ours: a number, None (blank) or ""."""
    v = ws[ref].value
    if not (isinstance(v, str) and v.startswith("=")):
        return v
    m = _FORMULA.fullmatch(v)
    assert m, v
    parts = []
    for rng in m.group(1).split(","):
        c0, r0, c1, r1 = range_boundaries(rng)
        parts += [evaluate(ws, f"{get_column_letter(c)}{r}") for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
    numbers = [p for p in parts if isinstance(p, int | float)]
    assert len(parts) == int(m.group(2))
    return "" if len(numbers) < len(parts) else sum(numbers)


def _positions(grid: Grid) -> dict[str, str]:
    return {c.cell_id: f"{get_column_letter(c.col + 1)}{FIRST_ROW + c.row}" for c in grid.origins()
            if c.role == "value"}


@pytest.mark.parametrize("which", ["seed", "2021", "blanks"])
def test_every_total_is_a_formula_that_recomputes(which, seed_report, tmp_path):
    """Each computed cell of the spec (sum_of) is a formula over its parts; evaluated it
    gives the report's figure; after an edit of a part it gives the new sum; a total
    with a blank part is blank, as in the report."""
    report = {"seed": lambda: seed_report, "2021": filled_2021, "blanks": lambda: _blank_some(filled_2021())}[which]()
    wb = _export(report, tmp_path)
    computed = {c.id for c in report.spec.cells if c.computed}
    seen = set()
    for grid in _grids(report):
        ws = wb[grid.name]
        pos = _positions(grid)
        for cid, ref in pos.items():
            if cid not in computed:
                assert not str(ws[ref].value).startswith("="), cid
                continue
            seen.add(cid)
            got = evaluate(ws, ref)
            want = report.cells.get(cid)
            assert (got if got != "" else None) == want, cid
    assert seen == computed
    # edit a part: the 总计 of its row, the （七）总计 of its column and table 三's grand total follow
    t3 = _grids(report)[1]
    ws = wb[t3.name]
    pos = _positions(t3)
    block = report.spec.table("t3").block("main")
    part = f"t3.main.R1.{block.columns[0].key}"
    row_total = f"t3.main.R1.{block.role_column('total').key}"
    col_total = f"t3.main.{block.role_row('total').key}.{block.columns[0].key}"
    grand = f"t3.main.{block.role_row('total').key}.{block.role_column('total').key}"
    before = {k: evaluate(ws, pos[k]) for k in (row_total, col_total, grand)}
    ws[pos[part]] = (ws[pos[part]].value or 0) + 7
    after = {k: evaluate(ws, pos[k]) for k in (row_total, col_total, grand)}
    for k in after:
        if before[k] != "":
            assert after[k] == before[k] + 7, k
    ws[pos[part]] = None
    assert evaluate(ws, pos[row_total]) == "" and evaluate(ws, pos[grand]) == ""


def test_formulas_carry_their_values(tmp_path):
    """A viewer that does not calculate (openpyxl's data_only, a phone preview) shows the
    stored value of each formula."""
    report = _blank_some(filled_2021())
    path = tmp_path / "t.xlsx"
    export_report(report, "xlsx", path)
    values = openpyxl.load_workbook(path, data_only=True)
    for grid in _grids(report):
        for cid, ref in _positions(grid).items():
            if report.spec.cell(cid).computed:
                v = values[grid.name][ref].value
                assert (None if v == "" else v) == report.cells.get(cid), cid


def test_a_total_the_report_gives_differently_stays_as_given(tmp_path):
    report = filled_2021()
    block = report.spec.table("t3").block("main")
    cid = f"t3.main.N.{block.role_column('total').key}"
    report.set(cid, report.cells[cid] + 1)  # not recomputed: the draft's own (wrong) figure
    wb = _export(report, tmp_path)
    grid = _grids(report)[1]
    assert wb[grid.name][_positions(grid)[cid]].value == report.cells[cid]


def test_libreoffice_recalculates_the_totals(tmp_path):
    """Where LibreOffice Calc is installed: edit a figure, let Calc recalculate on
    load (converting to CSV), read the totals."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed")
    report = filled_2021()
    path = tmp_path / "t.xlsx"
    export_report(report, "xlsx", path)
    grid = _grids(report)[1]
    wb = openpyxl.load_workbook(path)
    ws = wb[grid.name]
    pos = _positions(grid)
    block = report.spec.table("t3").block("main")
    part = f"t3.main.R1.{block.columns[0].key}"
    ws[pos[part]] = ws[pos[part]].value + 100
    wb.save(path)  # openpyxl drops the stored values: Calc must compute them
    profile = (tmp_path / "lo").as_uri()
    # CSV filter options: comma, quote, UTF-8, first line 1, …, the 12th: the sheet to export
    sheet = wb.sheetnames.index(grid.name) + 1
    csv_filter = f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,{sheet}"
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", csv_filter,
                    "--outdir", str(tmp_path), str(path)], capture_output=True, timeout=120, env=dict(os.environ))
    found = sorted(tmp_path.glob("t*.csv"))
    if not found:
        pytest.skip("LibreOffice Calc is not installed (no spreadsheet conversion)")
    csv_path = found[0]
    rows = csv_path.read_text(encoding="utf-8", errors="replace").splitlines()
    cells = [r.split(",") for r in rows]

    def at(cid: str) -> str:
        col, row = range_boundaries(pos[cid])[:2]
        return cells[row - 1][col - 1]

    total_col, total_row = block.role_column("total").key, block.role_row("total").key
    assert int(at(f"t3.main.R1.{total_col}")) == report.cells[f"t3.main.R1.{total_col}"] + 100
    assert int(at(f"t3.main.{total_row}.{total_col}")) == report.cells[f"t3.main.{total_row}.{total_col}"] + 100


# ---- layout ----------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["seed", "2021"])
def test_row_heights_fit_wrapped_labels(which, seed_report, tmp_path):
    """Every label shows whole: the rows it spans are together at least as high as its
    lines of text in the width of the columns it spans."""
    report = seed_report if which == "seed" else filled_2021()
    wb = _export(report, tmp_path)
    for grid in _grids(report):
        ws = wb[grid.name]
        widths = [ws.column_dimensions[get_column_letter(j + 1)].width for j in range(grid.width)]
        for c in grid.origins():
            if c.role == "value" or not c.text:
                continue
            room = sum(widths[c.col:c.col + c.colspan]) - 1
            lines = -(-display_width(c.text) // room)
            height = sum(ws.row_dimensions[FIRST_ROW + r].height for r in range(c.row, c.row + c.rowspan))
            assert height >= lines * LINE_HEIGHT, (grid.name, c.text, height, lines)
    # the long 2021 labels of （六） need more than one line
    if which == "2021":
        t3 = _grids(report)[1]
        ws = wb[t3.name]
        r61 = next(c for c in t3.origins() if c.role == "rowlabel" and c.text.startswith("1.申请人"))
        assert ws.row_dimensions[FIRST_ROW + r61.row].height >= 2 * LINE_HEIGHT


def test_table_two_freezes_no_block_header(tmp_path):
    """表二's blocks each have their own header: none is frozen or repeated over the
    others; tables 三 and 四 freeze and repeat theirs."""
    report = filled_2021()
    wb = _export(report, tmp_path)
    t2, t3, t4 = _grids(report)
    assert wb[t2.name].freeze_panes is None and not wb[t2.name].print_title_rows
    assert wb[t3.name].freeze_panes == f"D{FIRST_ROW + t3.header_rows}"
    assert wb[t4.name].freeze_panes == f"A{FIRST_ROW + t4.header_rows}"
    assert wb[t4.name].print_title_rows == f"${FIRST_ROW}:${FIRST_ROW + t4.header_rows - 1}"


def test_signoff_in_the_printed_footer(tmp_path):
    report = filled_2021()
    report.signoff.date = "2026-01-20"
    wb = _export(report, tmp_path)
    for ws in wb.worksheets:
        assert ws.oddFooter.right.text == f"{report.agency.name}\u30002026年1月20日"
        assert ws.oddHeader.center.text == report.display_title
        # not in a cell
        assert not [c for row in ws.iter_rows() for c in row if c.value == report.agency.name]
