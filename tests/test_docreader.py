"""Import of published reports from .docx and .html, and the export round trips."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from nianbao.docreader import decode_html, docx_text, grid_rows, html_text
from nianbao.export import export_report
from nianbao.inputs import READERS, load_any, supported_suffixes
from nianbao.layout import Para, build_document
from nianbao.store import StoreError
from test_export_samples import filled_2021

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def seed_report():
    from nianbao.importer import import_text

    return import_text((DATA / "songxian-chengguanju-2020.txt").read_text(encoding="utf-8")).report


def _with_blanks():
    """The filled 2021 report with a few unanswered cells, so that the round trip must
    keep None apart from 0."""
    r = filled_2021()
    for cid in ("t3.main.R3_4.SO", "t3.main.R6_2.LS", "t4.main.all.la_pending", "t2.a20_1.rules.repealed"):
        r.set(cid, None)
    r.set("t3.main.R1.RI", 0)
    r.recompute()
    return r


def _paragraphs(report) -> list[str]:
    doc = build_document(report)
    return [doc.title] + [el.lead + el.text if el.kind == "inline" else el.text
                          for el in doc.elements if isinstance(el, Para)]


def test_readers_registered():
    assert {".docx", ".html", ".htm"} <= supported_suffixes()
    assert {".docx", ".html", ".htm"} <= set(READERS)


@pytest.mark.parametrize("fmt", ["docx", "html"])
@pytest.mark.parametrize("which", ["seed", "2021", "2021-blanks"])
def test_round_trip_identical_figures(fmt, which, seed_report, tmp_path):
    report = {"seed": lambda: seed_report, "2021": filled_2021, "2021-blanks": _with_blanks}[which]()
    path = tmp_path / f"report.{fmt}"
    export_report(report, fmt, path)
    back, findings = load_any(path)
    assert back.format_version == report.format_version and back.year == report.year
    assert back.agency.name == report.agency.name
    assert back.display_title == report.display_title
    ids = [c.id for c in report.spec.cells]
    # identical figures, None (blank) kept apart from 0, int/Decimal kinds kept
    assert [(back.cells.get(i), type(back.cells.get(i))) for i in ids] == \
        [(report.cells.get(i), type(report.cells.get(i))) for i in ids]
    assert back.label_variants == report.label_variants
    # every paragraph comes back, in order
    assert _paragraphs(back) == _paragraphs(report)
    if which != "2021-blanks":
        assert not [f for f in findings if f.severity == "error"], [f.message for f in findings]


def _printed_rows(grid) -> list[str]:
    """A grid's rows as the reader writes them: one cell per printed cell, an empty cell
    where a merge from a row above covers the row."""
    owner = {}
    for c in grid.origins():
        for r in range(c.row, c.row + c.rowspan):
            for j in range(c.col, c.col + c.colspan):
                owner[(r, j)] = c
    out = []
    for r in range(len(grid.rows)):
        cells = []
        for j in range(grid.width):
            c = owner[(r, j)]
            if j == c.col:
                cells.append(c.text if c.row == r else "")
        out.append("\t".join(cells))
    return out


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_tables_as_text_one_cell_per_printed_cell(fmt, seed_report, tmp_path):
    """Merged cells appear once; positions covered from above are empty cells."""
    from nianbao.layout import Grid

    path = tmp_path / f"seed.{fmt}"
    export_report(seed_report, fmt, path)
    text = docx_text(path) if fmt == "docx" else html_text(path.read_text(encoding="utf-8"))
    table_lines = [ln for ln in text.splitlines() if "\t" in ln]
    grids = [el for el in build_document(seed_report).elements if isinstance(el, Grid)]
    assert table_lines == [ln for g in grids for ln in _printed_rows(g) if "\t" in ln]
    # e.g. table 三's （七）总计 row: an empty cell under 三、本年度办理结果, the label, 7 figures
    block = seed_report.spec.table("t3").block("main")
    r7 = next(ln for ln in table_lines if ln.split("\t")[1:2] == [block.row("R7").label])
    assert len(r7.split("\t")) == 2 + len(block.columns)


def test_docx_written_by_python_docx_with_merges(tmp_path):
    """A table merged with python-docx's cell.merge (not our exporter) reads correctly."""
    from docx import Document

    d = Document()
    d.add_paragraph("标题")
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 0).merge(t.cell(1, 1)).text = "角"
    t.cell(0, 2).merge(t.cell(0, 3)).text = "组"
    t.cell(1, 2).text, t.cell(1, 3).text = "甲", "乙"
    for j, v in enumerate(("行", "", "1", "2")):
        if v:
            t.cell(2, j).text = v
    t.cell(2, 0).merge(t.cell(2, 1))
    path = tmp_path / "m.docx"
    d.save(path)
    lines = docx_text(path).splitlines()
    assert lines == ["标题", "", "角\t组", "\t甲\t乙", "行\t1\t2"]


def test_docx_title_on_two_centred_paragraphs(tmp_path):
    """Published Word files often print the title as two centred paragraphs."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = Document()
    for line in ("某某县人民政府办公室", "2021年政府信息公开工作年度报告"):
        d.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("（2022年1月20日）").alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("正文。")
    d.save(tmp_path / "t.docx")
    assert docx_text(tmp_path / "t.docx").splitlines() == [
        "某某县人民政府办公室2021年政府信息公开工作年度报告", "（2022年1月20日）", "正文。"]


def test_grid_rows_html_algorithm():
    rows = [
        [("A", 2, 2), ("B", 1, 2)],
        [("c", 1, 1), ("d", 3, 1)],
        [("e", 1, 1), ("f", 1, 1), ("g", 1, 1)],
        [("h", 1, 3)],
    ]
    assert grid_rows(rows) == [
        ["A", "B"],
        ["", "c", "d"],
        ["e", "f", "g", ""],
        ["h", ""],
    ]
    assert grid_rows(rows, expand_colspan=True) == [
        ["A", "", "B", ""],
        ["", "", "c", "d"],
        ["e", "f", "g", ""],
        ["h", "", "", ""],
    ]


def test_html_text_blocks_breaks_scripts():
    html = """<html><head><title>站点名称</title><style>p{color:red}</style></head>
    <body><script>var a = "三、收到";</script>
    <div>第一行<br>第二行<br/>第三行</div><p>段落
      继续&nbsp;同一段</p>
    <table><tr><td rowspan="2">左</td><td>右<br>上</td></tr><tr><td>下</td></tr></table>
    <p>尾&lt;注&gt;</p></body></html>"""
    assert html_text(html).splitlines() == [
        "第一行", "第二行", "第三行", "段落 继续 同一段", "", "左\t右 上", "\t下", "", "尾<注>"]


def test_decode_html_charsets():
    text = "<meta charset=\"gb2312\"><p>政府信息公开</p>"
    assert decode_html(text.encode("gb18030")) == text
    assert decode_html(("\ufeff" + text).encode("utf-8")) == text
    assert decode_html("<p>政府信息公开</p>".encode()) == "<p>政府信息公开</p>"
    assert decode_html("<p>政府信息公开</p>".encode("gbk")) == "<p>政府信息公开</p>"  # no declaration


def test_gbk_published_page(seed_report, tmp_path):
    """A published page in GBK with a charset declaration imports like the UTF-8 one."""
    from nianbao.export.markup import render_markup

    html = render_markup(seed_report, "html").replace('<meta charset="utf-8">', '<meta charset="gbk">')
    path = tmp_path / "gbk.htm"
    path.write_bytes(html.encode("gbk"))
    back, _ = load_any(path)
    assert back.cells == seed_report.cells


@pytest.mark.parametrize(("name", "content", "message"), [
    ("broken.docx", b"this is not a zip file", "已损坏"),
    ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "另存为 .docx"),
    ("empty.html", b"  \n", "空文件"),
    ("other.html", "<p>今天天气很好。</p>".encode(), "不是政府信息公开工作年度报告"),
])
def test_unreadable_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(StoreError, match=message):
        load_any(path)


def test_docx_without_document_part(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/other.xml", "<x/>")
    (tmp_path / "x.docx").write_bytes(buf.getvalue())
    with pytest.raises(StoreError, match="已损坏"):
        load_any(tmp_path / "x.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document")
    (tmp_path / "y.docx").write_bytes(buf.getvalue())
    with pytest.raises(StoreError, match="内容已损坏"):
        load_any(tmp_path / "y.docx")


def test_missing_file(tmp_path):
    with pytest.raises(StoreError, match="找不到"):
        load_any(tmp_path / "nothing.docx")
    with pytest.raises(StoreError, match="找不到"):
        load_any(tmp_path / "nothing.html")


def test_cli_import_docx(seed_report, tmp_path, capsys):
    from nianbao.cli import main

    src = tmp_path / "seed.docx"
    export_report(seed_report, "docx", src)
    out = tmp_path / "seed.json"
    assert main(["import", str(src), "-o", str(out)]) == 0
    assert "Word 文档：已读到 198/198 个单元格" in capsys.readouterr().out
    back, _ = load_any(out)
    assert back.cells == seed_report.cells


def test_docx_legacy_hmerge(tmp_path):
    """Old Word files merge horizontally with w:hMerge instead of w:gridSpan."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def tc(text: str) -> str:
        return f"<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    row1 = ('<w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>组</w:t></w:r></w:p></w:tc>'
            '<w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc>' + tc("丙"))
    row2 = tc("甲") + tc("乙") + tc("丁")
    xml = (f'<w:document {w}><w:body><w:tbl><w:tr>{row1}</w:tr><w:tr>{row2}</w:tr></w:tbl>'
           "<w:p><w:r><w:t>尾</w:t></w:r></w:p></w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", xml)
    (tmp_path / "h.docx").write_bytes(buf.getvalue())
    assert docx_text(tmp_path / "h.docx").splitlines() == ["", "组\t丙", "甲\t乙\t丁", "", "尾"]


def test_docx_resaved_by_libreoffice(tmp_path):
    """A report opened and saved again in an office suite (here LibreOffice, which writes
    its own table markup) still imports to identical figures."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed")
    report = _with_blanks()
    src = tmp_path / "in" / "report.docx"
    export_report(report, "docx", src)
    out = tmp_path / "out"
    try:
        subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                        "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)],
                       check=True, capture_output=True, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:  # pragma: no cover
        pytest.skip(f"LibreOffice could not convert: {e}")
    back, _ = load_any(out / "report.docx")
    ids = [c.id for c in report.spec.cells]
    assert [back.cells.get(i) for i in ids] == [report.cells.get(i) for i in ids]
    assert _paragraphs(back) == _paragraphs(report)
