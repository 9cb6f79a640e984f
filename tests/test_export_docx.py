"""The Word export: GB/T 9704 page, styles and fonts, the three tables with their merged
cells, every paragraph and figure in order; a LibreOffice render check; the CLI gate."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from nianbao.cli import main
from nianbao.export import ExportError, ExportOptions, export_report
from nianbao.export.docx import PPR_SEQ, RPR_SEQ, SECTPR_SEQ, STYLE_SEQ, TBLPR_SEQ, TCPR_SEQ
from nianbao.layout import Grid, Para, build_document
from nianbao.store import save
from test_export_samples import filled_2021, long_2021

from factories import t3

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DATA = Path(__file__).parent / "data"


def w(tag: str) -> str:
    return f"{W}{tag}"


def wval(el: ET.Element | None, attr: str = "val") -> str | None:
    return None if el is None else el.get(w(attr))


class Docx:
    """The parts of an exported .docx, parsed."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as z:
            self.names = set(z.namelist())
            self.document = ET.fromstring(z.read("word/document.xml"))
            self.styles = ET.fromstring(z.read("word/styles.xml"))
            self.settings = ET.fromstring(z.read("word/settings.xml"))
            self.footers = {n: ET.fromstring(z.read(n)) for n in self.names if re.match(r"word/footer\d*\.xml$", n)}
            self.rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
        self.body = self.document.find(w("body"))

    def style(self, name: str) -> ET.Element:
        for st in self.styles.findall(w("style")):
            if wval(st.find(w("name"))) in (name, name.lower()):
                return st
        raise KeyError(name)

    def style_rpr(self, name: str) -> ET.Element:
        return self.style(name).find(w("rPr"))

    def style_ppr(self, name: str) -> ET.Element:
        return self.style(name).find(w("pPr"))

    def paragraphs(self) -> list[ET.Element]:
        return self.body.findall(w("p"))

    def tables(self) -> list[ET.Element]:
        return self.body.findall(w("tbl"))


def para_text(p: ET.Element) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")))


def table_cells(tbl: ET.Element) -> list[tuple[int, int, int, int, str]]:
    """(row, col, rowspan, colspan, text) of every cell, from w:gridSpan and w:vMerge."""
    cells: dict[tuple[int, int], list] = {}
    for r, tr in enumerate(tbl.findall(w("tr"))):
        col = 0
        for tc in tr.findall(w("tc")):
            pr = tc.find(w("tcPr"))
            span = int(wval(pr.find(w("gridSpan"))) or 1) if pr is not None else 1
            vm = pr.find(w("vMerge")) if pr is not None else None
            if vm is not None and wval(vm) in (None, "continue"):
                # extends the cell above
                above = next(k for k in sorted(cells, reverse=True) if k[1] == col and k[0] < r)
                cells[above][2] += 1
            else:
                text = "".join(para_text(p) for p in tc.findall(w("p")))
                cells[(r, col)] = [r, col, 1, span, text]
            col += span
    return sorted(tuple(v) for v in cells.values())


def grid_cells(grid: Grid) -> list[tuple[int, int, int, int, str]]:
    return sorted((c.row, c.col, c.rowspan, c.colspan, c.text) for c in grid.origins())


def expected_paragraphs(report, draft: bool = False) -> list[str]:
    doc = build_document(report, draft=draft)
    out = [doc.title]
    for el in doc.elements:
        if isinstance(el, Para):
            out.append(el.lead + el.text if el.kind == "inline" else el.text)
    return out


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory):
    from nianbao.importer import import_text

    report = import_text((DATA / "songxian-chengguanju-2020.txt").read_text(encoding="utf-8")).report
    path = tmp_path_factory.mktemp("docx") / "seed.docx"
    export_report(report, "docx", path)
    return report, Docx(path)


@pytest.fixture(scope="module")
def report_2021_docx(tmp_path_factory):
    report = filled_2021()
    path = tmp_path_factory.mktemp("docx") / "r2021.docx"
    export_report(report, "docx", path)
    return report, Docx(path)


# ---- page, styles, fonts -----------------------------------------------------------------

def test_page_size_margins_grid(seed_docx):
    _, d = seed_docx
    sect = d.body.find(w("sectPr"))
    pgsz, pgmar = sect.find(w("pgSz")), sect.find(w("pgMar"))
    assert (wval(pgsz, "w"), wval(pgsz, "h")) == ("11906", "16838")  # A4
    assert {k: wval(pgmar, k) for k in ("top", "bottom", "left", "right", "footer")} == {
        "top": "2098", "bottom": "1984", "left": "1588", "right": "1474", "footer": "1417"}  # 37/35/28/26/25 mm
    grid = sect.find(w("docGrid"))
    assert wval(grid, "type") == "lines" and wval(grid, "linePitch") == "579"
    assert wval(grid, "charSpace") is None
    # child order of sectPr: footer references first, docGrid after pgMar
    tags = [c.tag.rsplit("}", 1)[1] for c in sect]
    assert tags.index("pgMar") < tags.index("docGrid")


def test_doc_defaults_and_no_theme_fonts_or_colours(seed_docx):
    _, d = seed_docx
    rpr = d.styles.find(w("docDefaults")).find(w("rPrDefault")).find(w("rPr"))
    fonts = rpr.find(w("rFonts"))
    assert wval(fonts, "eastAsia") == "仿宋_GB2312" and wval(fonts, "ascii") == "Times New Roman"
    assert wval(rpr.find(w("lang")), "eastAsia") == "zh-CN"
    for f in d.styles.iter(w("rFonts")):
        assert not [a for a in f.attrib if a.endswith("Theme") or a.endswith("theme")], f.attrib
    for st in ("Normal", "Title", "Heading 1", "Heading 2", "Footer", "表格文字"):
        assert d.style_rpr(st).find(w("color")) is None, st
    # the linked character styles carry the same East Asian face
    for st, face in (("Heading 1 Char", "黑体"), ("Heading 2 Char", "楷体_GB2312"), ("Title Char", "方正小标宋简体")):
        assert wval(d.style_rpr(st).find(w("rFonts")), "eastAsia") == face


@pytest.mark.parametrize(("style", "east_asia", "half_points"), [
    ("Normal", "仿宋_GB2312", "32"), ("Title", "方正小标宋简体", "44"), ("Heading 1", "黑体", "32"),
    ("Heading 2", "楷体_GB2312", "32"), ("Footer", "宋体", "28"), ("表格文字", "宋体", "21"),
])
def test_style_fonts_and_sizes(seed_docx, style, east_asia, half_points):
    _, d = seed_docx
    rpr = d.style_rpr(style)
    fonts = rpr.find(w("rFonts"))
    assert wval(fonts, "eastAsia") == east_asia
    if style != "Footer":
        assert wval(fonts, "ascii") == wval(fonts, "hAnsi") == "Times New Roman"
    assert wval(rpr.find(w("sz"))) == half_points and wval(rpr.find(w("szCs"))) == half_points
    assert wval(rpr.find(w("b"))) == "0"  # not bold, the face carries the weight


def test_body_paragraph_metrics(seed_docx):
    _, d = seed_docx
    ppr, rpr = d.style_ppr("Normal"), d.style_rpr("Normal")
    sp = ppr.find(w("spacing"))
    assert (wval(sp, "line"), wval(sp, "lineRule"), wval(sp, "before"), wval(sp, "after")) == ("579", "exact", "0", "0")
    assert wval(ppr.find(w("widowControl"))) == "0"
    assert wval(ppr.find(w("ind")), "firstLineChars") == "200"
    assert wval(rpr.find(w("spacing"))) == "-5"  # −0.25 pt: 28 characters per line
    title = d.style_ppr("Title")
    assert wval(title.find(w("jc"))) == "center" and title.find(w("pBdr")) is None
    for h, level in (("Heading 1", "0"), ("Heading 2", "1")):
        assert wval(d.style_ppr(h).find(w("outlineLvl"))) == level
    table = d.style_ppr("表格文字")
    assert wval(table.find(w("snapToGrid"))) == "0"
    assert wval(table.find(w("spacing")), "lineRule") == "exact"


def test_ooxml_children_in_schema_order(seed_docx):
    _, d = seed_docx
    for root in (d.styles, d.document, *d.footers.values()):
        for tag, seq in (("rPr", RPR_SEQ), ("pPr", PPR_SEQ), ("tblPr", TBLPR_SEQ), ("tcPr", TCPR_SEQ),
                         ("sectPr", SECTPR_SEQ), ("style", STYLE_SEQ)):
            for el in root.iter(w(tag)):
                order = [seq.index(c.tag.rsplit("}", 1)[1]) for c in el if c.tag.startswith(W)]
                assert order == sorted(order), [c.tag for c in el]


def test_page_numbers_odd_right_even_left(seed_docx):
    _, d = seed_docx
    assert d.settings.find(w("evenAndOddHeaders")) is not None
    refs = {wval(r, "type"): r.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            for r in d.body.find(w("sectPr")).findall(w("footerReference"))}
    assert {"default", "even"} <= set(refs)
    by_id = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="(footer\d+\.xml)"', d.rels))
    for kind, jc, side in (("default", "right", "right"), ("even", "left", "left")):
        footer = d.footers["word/" + by_id[refs[kind]]]
        p = footer.find(w("p"))
        ppr = p.find(w("pPr"))
        assert wval(ppr.find(w("jc"))) == jc
        assert wval(ppr.find(w("ind")), side) == "280"  # one 14 pt character
        assert "".join(t.text or "" for t in p.iter(w("instrText"))).strip() == "PAGE"
        assert para_text(p).startswith("— ") and para_text(p).endswith(" —")
        assert [wval(f, "fldCharType") for f in p.iter(w("fldChar"))] == ["begin", "separate", "end"]


def test_no_text_boxes_or_images(report_2021_docx):
    _, d = report_2021_docx
    xml = ET.tostring(d.document, encoding="unicode")
    assert "txbxContent" not in xml and "drawing" not in xml and "pict" not in xml
    assert not [n for n in d.names if n.startswith("word/media/")]


# ---- content ---------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["seed_docx", "report_2021_docx"])
def test_every_paragraph_in_order(request, which):
    report, d = request.getfixturevalue(which)
    assert [para_text(p) for p in d.paragraphs()] == expected_paragraphs(report)
    styles = [wval(p.find(w("pPr")).find(w("pStyle"))) if p.find(w("pPr")) is not None else None
              for p in d.paragraphs()]
    doc = build_document(report)
    kinds = ["title"] + [el.kind for el in doc.elements if isinstance(el, Para)]
    assert [s for s, k in zip(styles, kinds, strict=True) if k == "h1"] == ["Heading1"] * 6
    assert all(s == "Heading2" for s, k in zip(styles, kinds, strict=True) if k == "h2")
    assert styles[0] == "Title"


def test_run_in_heading_is_kai(report_2021_docx):
    report, d = report_2021_docx
    inline = [el for el in build_document(report).elements if isinstance(el, Para) and el.kind == "inline"]
    assert inline
    found = 0
    for p in d.paragraphs():
        runs = p.findall(w("r"))
        if len(runs) == 2 and para_text(runs[0]) in {el.lead for el in inline}:
            assert wval(runs[0].find(w("rPr")).find(w("rFonts")), "eastAsia") == "楷体_GB2312"
            assert runs[1].find(w("rPr")) is None  # the body style's 仿宋
            found += 1
    assert found == len(inline)


def test_title_breaks_before_the_year(seed_docx):
    _, d = seed_docx
    title = d.paragraphs()[0]
    runs = [para_text(r) for r in title.findall(w("r"))]
    assert runs == ["嵩县城市管理局", "2020年政府信息公开工作年度报告"]
    assert title.findall(w("r"))[1].find(w("br")) is not None


@pytest.mark.parametrize("which", ["seed_docx", "report_2021_docx"])
def test_three_tables_cell_for_cell(request, which):
    """Every cell of tables 二 三 四 (labels and figures) at its grid position with its
    spans, read from w:gridSpan / w:vMerge."""
    report, d = request.getfixturevalue(which)
    grids = [el for el in build_document(report).elements if isinstance(el, Grid)]
    tables = d.tables()
    assert len(tables) == len(grids) == 3
    for grid, tbl in zip(grids, tables, strict=True):
        assert table_cells(tbl) == grid_cells(grid), grid.name
        # header rows repeat across pages
        trs = tbl.findall(w("tr"))
        marked = [i for i, tr in enumerate(trs) if tr.find(w("trPr")) is not None
                  and tr.find(w("trPr")).find(w("tblHeader")) is not None]
        assert marked == list(range(grid.header_rows))
        # fixed layout, fits the 156 mm text width
        widths = [int(wval(g, "w")) for g in tbl.find(w("tblGrid")).findall(w("gridCol"))]
        assert sum(widths) == 8844
        # every cell paragraph in the table style (10.5 pt 宋体, own line spacing)
        for p in tbl.iter(w("p")):
            assert wval(p.find(w("pPr")).find(w("pStyle"))) is not None
    # every figure is printed
    values = [c for g in grids for c in g.origins() if c.role == "value"]
    assert all(c.text == ("" if report.cells.get(c.cell_id) is None else str(report.cells[c.cell_id]))
               for c in values)


def test_table_three_official_merged_header(seed_docx):
    report, d = seed_docx
    block = report.spec.table("t3").block("main")
    t3 = {text: (rs, cs) for _, _, rs, cs, text in table_cells(d.tables()[1])}
    groups = [g for c in block.columns for g in c.groups]
    outer, inner = groups[0], next(g for g in groups if g != groups[0])
    assert t3[block.corner] == (3, 3)
    assert t3[outer] == (1, 7) and t3[inner] == (1, 5)
    first, last = block.columns[0], block.columns[-1]
    assert t3[first.label] == (2, 1) and t3[last.label] == (2, 1)
    # the row group 三、本年度办理结果 spans all outcome rows
    results = block.rows[2].groups[0]
    assert t3[results] == (sum(1 for r in block.rows if r.groups), 1)
    # xml: the corner cell is a gridSpan 3 / vMerge restart cell
    first_tc = d.tables()[1].find(w("tr")).find(w("tc")).find(w("tcPr"))
    assert wval(first_tc.find(w("gridSpan"))) == "3" and wval(first_tc.find(w("vMerge"))) == "restart"


def test_table_four_merged_header(report_2021_docx):
    report, d = report_2021_docx
    cols = report.spec.table("t4").block("main").columns
    t4 = table_cells(d.tables()[2])
    spans = {(text, r): (rs, cs) for r, _, rs, cs, text in t4}
    assert spans[(cols[0].groups[0], 0)] == (1, 5)
    assert spans[(cols[5].groups[0], 0)] == (1, 10)
    assert spans[(cols[5].groups[1], 1)] == (1, 5) and spans[(cols[10].groups[1], 1)] == (1, 5)
    assert spans[(cols[0].label, 1)] == (2, 1)  # 行政复议's leaf labels span two rows


def test_font_profiles(tmp_path):
    report = filled_2021()
    path = tmp_path / "win.docx"
    export_report(report, "docx", path, ExportOptions(fonts="windows"))
    d = Docx(path)
    fonts = {st: wval(d.style_rpr(st).find(w("rFonts")), "eastAsia")
             for st in ("Normal", "Title", "Heading 1", "Heading 2")}
    assert fonts == {"Normal": "仿宋", "Title": "华文中宋", "Heading 1": "黑体", "Heading 2": "楷体"}
    with pytest.raises(ExportError, match="未知的字体方案"):
        export_report(report, "docx", tmp_path / "x.docx", ExportOptions(fonts="mac"))
    assert not (tmp_path / "x.docx").exists()


def test_draft_title(tmp_path):
    report = filled_2021()
    path = tmp_path / "draft.docx"
    export_report(report, "docx", path, ExportOptions(draft=True))
    title = para_text(Docx(path).paragraphs()[0])
    assert title == report.display_title + "（草稿）"


def test_never_overwrites_without_force(tmp_path):
    report = filled_2021()
    path = tmp_path / "r.docx"
    path.write_bytes(b"keep")
    with pytest.raises(ExportError, match="已存在"):
        export_report(report, "docx", path)
    assert path.read_bytes() == b"keep"
    export_report(report, "docx", path, force=True)
    assert zipfile.is_zipfile(path)


# ---- CLI -----------------------------------------------------------------------------------

def test_cli_export_refuses_errors_unless_draft(tmp_path, capsys):
    report = filled_2021()
    report.set("t3.main.N.NP", (t3(report, "N", "NP") or 0) + 5)  # breaks 第一项加第二项 = 第三项加第四项
    report.recompute()
    src = tmp_path / "bad.json"
    save(report, src, backup=False)
    out = tmp_path / "x.docx"
    assert main(["export", str(src), "--to", "docx", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "个错误，未导出" in err and "--draft" in err
    assert re.search(r"错误", err.split("\n", 1)[1])  # the errors are listed
    assert not out.exists()
    assert main(["export", str(src), "--to", "docx", "-o", str(out), "--draft"]) == 0
    assert para_text(Docx(out).paragraphs()[0]).endswith("（草稿）")
    capsys.readouterr()
    # never overwrites without --force
    before = out.read_bytes()
    assert main(["export", str(src), "--to", "docx", "-o", str(out), "--draft"]) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert main(["export", str(src), "--to", "docx", "-o", str(out), "--draft", "--force"]) == 0
    # an unknown font profile is a Chinese error, not a traceback
    assert main(["export", str(src), "--to", "docx", "-o", str(tmp_path / "y.docx"), "--draft",
                 "--fonts", "mac"]) == 2
    assert "未知的字体方案" in capsys.readouterr().err


def test_cli_export_clean_report(tmp_path, capsys):
    src = tmp_path / "ok.json"
    save(filled_2021(), src, backup=False)
    out = tmp_path / "ok.docx"
    assert main(["export", str(src), "--to", "docx", "-o", str(out)]) == 0
    assert "已导出" in capsys.readouterr().out
    assert "（草稿）" not in para_text(Docx(out).paragraphs()[0])


# ---- LibreOffice render check --------------------------------------------------------------

MM = 72 / 25.4


def _tools() -> tuple[str, str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftotext = shutil.which("pdftotext")
    if not soffice or not pdftotext:
        pytest.skip("LibreOffice (soffice) or pdftotext is not installed")
    fc_list = shutil.which("fc-list")
    families = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True).stdout if fc_list else ""
    missing = [f for f in ("Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN", "AR PL UMing CN")
               if f not in families]
    if missing:
        pytest.skip(f"the look-alike fonts of tests/data/fonts.conf are not installed: {', '.join(missing)}")
    return soffice, pdftotext


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory):
    soffice, pdftotext = _tools()
    tmp = tmp_path_factory.mktemp("render")
    docx = tmp / "long.docx"
    export_report(long_2021(), "docx", docx)
    env = dict(os.environ, FONTCONFIG_FILE=str(DATA / "fonts.conf"))
    profile = (tmp / "lo-profile").as_uri()
    try:
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp), str(docx)], env=env, check=True, capture_output=True, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:  # pragma: no cover
        pytest.skip(f"LibreOffice could not convert: {e}")
    pdf = tmp / "long.pdf"
    if not pdf.exists():  # pragma: no cover
        pytest.skip("LibreOffice produced no PDF")
    bbox = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], check=True, capture_output=True).stdout.decode("utf-8")
    return parse_bbox(bbox)


def parse_bbox(html: str) -> list[dict]:
    pages = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        words = [dict(x0=float(a), y0=float(b), x1=float(c), y1=float(d_), text=t)
                 for a, b, c, d_, t in re.findall(
                     r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', m.group(3))]
        pages.append(dict(width=float(m.group(1)), height=float(m.group(2)), words=words))
    return pages


BLOCK_BOTTOM = (297 - 35) * MM  # the text block ends 35 mm above the page's bottom edge
LEFT, RIGHT = 28 * MM, (210 - 26) * MM
CLOSING = "，。、；：？！）》」』”’"


def _lines(page: dict) -> list[dict]:
    """Body lines (page number excluded), words on the same baseline joined."""
    rows: dict[float, list[dict]] = {}
    for wd in page["words"]:
        if wd["y1"] > BLOCK_BOTTOM + 1:
            continue
        key = next((k for k in rows if abs(k - wd["y0"]) < 2), wd["y0"])
        rows.setdefault(key, []).append(wd)
    out = []
    for y in sorted(rows):
        ws = sorted(rows[y], key=lambda x: x["x0"])
        out.append(dict(y0=y, x0=ws[0]["x0"], x1=ws[-1]["x1"], h=max(x["y1"] - x["y0"] for x in ws),
                        text="".join(x["text"] for x in ws)))
    return out


def test_render_a4_22_lines_28_characters(long_pdf):
    pages = long_pdf
    assert len(pages) >= 5
    assert all(abs(p["width"] - 210 * MM) < 1 and abs(p["height"] - 297 * MM) < 1 for p in pages)
    # pages of body text only (no table: table text is 10.5 pt, body lines are about 21 pt high)
    body_pages = [i for i, p in enumerate(pages) if i > 0 and _lines(p) and all(ln["h"] > 18 for ln in _lines(p))]
    assert len(body_pages) >= 3
    full = [i for i in body_pages if i + 1 in body_pages]  # followed by more body text: a full page
    assert full
    for i in full:
        lines = _lines(pages[i])
        assert len(lines) == 22, (i + 1, [ln["text"] for ln in lines])
        pitch = (lines[-1]["y0"] - lines[0]["y0"]) / 21
        assert abs(pitch - 28.95) < 0.1
    # a line that reaches the right margin holds 28 characters (26 after the 2-character indent);
    # a closing punctuation mark may hang in the margin as the 29th
    full_lines = [ln for i in body_pages for ln in _lines(pages[i]) if ln["x1"] >= RIGHT - 2]
    assert len(full_lines) > 60
    for ln in full_lines:
        indent = round((ln["x0"] - LEFT) / 16)
        expected = 28 - indent
        n = len(ln["text"])
        hanging = ln["x1"] > RIGHT + 1 and ln["text"][-1] in CLOSING
        assert n == expected + (1 if hanging else 0), (n, ln)
        assert indent in (0, 2)


def test_render_page_numbers_odd_right_even_left(long_pdf):
    for number, page in enumerate(long_pdf, 1):
        footer = [wd for wd in page["words"] if wd["y0"] > BLOCK_BOTTOM]
        assert "".join(wd["text"] for wd in sorted(footer, key=lambda x: x["x0"])) == f"—{number}—"
        x0 = min(wd["x0"] for wd in footer)
        x1 = max(wd["x1"] for wd in footer)
        if number % 2:
            assert abs(x1 - (RIGHT - 14)) < 2, (number, x1)  # one 14 pt character in from the right edge
        else:
            assert abs(x0 - (LEFT + 14)) < 2, (number, x0)
        centre = (footer[0]["y0"] + footer[0]["y1"]) / 2
        assert 5 * MM < centre - BLOCK_BOTTOM < 10 * MM  # just below the text block


def test_title_lines_keep_words_whole():
    from nianbao.export.docx import TITLE_CHARS_PER_LINE, title_lines

    assert TITLE_CHARS_PER_LINE == 20  # 156 mm of 22 pt characters
    assert title_lines("某县财政局2021年政府信息公开工作年度报告") == ["某县财政局", "2021年政府信息公开工作年度报告"]
    assert title_lines("2019年上海市人民政府办公厅政府信息公开工作年度报告") == [
        "2019年上海市人民政府办公厅", "政府信息公开工作年度报告"]
    assert title_lines("某某县人民政府2021年政府信息公开工作年度报告（草稿）") == [
        "某某县人民政府", "2021年政府信息公开工作年度报告", "（草稿）"]
    assert title_lines("某县2021年政府信息公开工作年度报告") == ["某县2021年政府信息公开工作年度报告"]
