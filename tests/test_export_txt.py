"""The plain-text export: tables on their full grid (pasted into Excel or WPS every figure
and header sits over its column), the 落款 at the end, CRLF and BOM options."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from nianbao.cli import main
from nianbao.export import ExportOptions, export_report
from nianbao.layout import Grid, build_document
from nianbao.store import save
from test_export_samples import filled_2021

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def seed_report():
    from nianbao.importer import import_text

    return import_text((DATA / "songxian-chengguanju-2020.txt").read_text(encoding="utf-8")).report


def _export(report, tmp_path: Path, **opts) -> str:
    path = tmp_path / "r.txt"
    export_report(report, "txt", path, ExportOptions(**opts), force=True)
    return path.read_bytes().decode("utf-8")


def _table_rows(text: str, grid: Grid) -> list[list[str]]:
    """The TAB rows of one table, as a spreadsheet reads the pasted text."""
    lines = text.splitlines()
    first = "\t".join(grid.grid_rows()[0])
    start = lines.index(first)
    return list(csv.reader(io.StringIO("\n".join(lines[start:start + len(grid.rows)])), delimiter="\t"))


@pytest.mark.parametrize("which", ["seed", "2021"])
def test_every_row_on_the_official_grid(which, seed_report, tmp_path):
    """Every row of tables 二 三 四 has one cell per grid column; a merged cell's text is
    in its first column, so 总计, 行政诉讼 and 复议后起诉 sit over their own columns."""
    report = seed_report if which == "seed" else filled_2021()
    text = _export(report, tmp_path)
    grids = [el for el in build_document(report).elements if isinstance(el, Grid)]
    for grid in grids:
        rows = _table_rows(text, grid)
        assert len(rows) == len(grid.rows)
        assert {len(r) for r in rows} == {grid.width}, grid.name
        for c in grid.origins():
            assert rows[c.row][c.col] == c.text, (grid.name, c.text)
            covered = [(r, j) for r in range(c.row, c.row + c.rowspan) for j in range(c.col, c.col + c.colspan)]
            assert all(rows[r][j] == "" for r, j in covered[1:])
    t3, t4 = grids[1], grids[2]
    block3 = report.spec.table("t3").block("main")
    total = block3.role_column("total")
    rows3 = _table_rows(text, t3)
    tt = t3.label_cols + block3.columns.index(total)
    assert rows3[1][tt] == total.label  # 总计 over the 总计 figures
    assert all(rows3[r][tt] == c.text for r in range(t3.header_rows, len(rows3))
               for c in [t3.rows[r][tt]] if c is not None)
    cols4 = report.spec.table("t4").block("main").columns
    rows4 = _table_rows(text, t4)
    for j, col in enumerate(cols4):
        for level, group in enumerate(col.groups):
            first = next(k for k, c in enumerate(cols4) if c.groups[:level + 1] == col.groups[:level + 1])
            assert rows4[level][first] == group  # 行政诉讼 over column 6, 复议后起诉 over column 11
        assert rows4[len(col.groups)][j] == col.label
    assert [len(r) for r in rows3 + rows4] == [t3.width] * len(rows3) + [t4.width] * len(rows4)


def test_signoff_ends_the_text(tmp_path):
    report = filled_2021()
    report.signoff.date = "2026-01-20"
    text = _export(report, tmp_path)
    assert text.endswith(f"\n\n{report.agency.name}\n2026年1月20日\n")
    report.signoff.agency = "某某区市场监管局办公室"
    assert _export(report, tmp_path).endswith("\n\n某某区市场监管局办公室\n2026年1月20日\n")


def test_bom_and_crlf(tmp_path):
    report = filled_2021()
    plain = (tmp_path / "a.txt")
    export_report(report, "txt", plain)
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" not in plain.read_bytes()
    bom = tmp_path / "b.txt"
    export_report(report, "txt", bom, ExportOptions(bom=True, crlf=True))
    data = bom.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == plain.read_bytes().count(b"\n")
    assert data[3:].decode("utf-8").replace("\r\n", "\n") == plain.read_text(encoding="utf-8")
    # the importer reads it back
    from nianbao.inputs import load_any

    back, _ = load_any(bom)
    assert back.cells == report.cells


def test_cli_bom(tmp_path, capsys):
    src = tmp_path / "ok.json"
    save(filled_2021(), src, backup=False)
    out = tmp_path / "r.txt"
    assert main(["export", str(src), "--to", "txt", "-o", str(out), "--bom", "--crlf"]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf\xe6")  # BOM, then the title
    assert "已导出" in capsys.readouterr().out
