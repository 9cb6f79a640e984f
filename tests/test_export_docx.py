"""The Word export: GB/T 9704 page, styles and fonts, the three tables with their merged
cells, every paragraph and figure in order, the 落款; the font table and the ``auto``
font choice; file properties; pagination rules in the XML and in a LibreOffice render
(pdftotext); the CLI gate."""

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


GB = ExportOptions(fonts="gb")


class Docx:
    """The parts of an exported .docx, parsed."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as z:
            self.names = set(z.namelist())
            self.document = ET.fromstring(z.read("word/document.xml"))
            self.styles = ET.fromstring(z.read("word/styles.xml"))
            self.settings = ET.fromstring(z.read("word/settings.xml"))
            self.font_table = ET.fromstring(z.read("word/fontTable.xml"))
            self.core = z.read("docProps/core.xml").decode("utf-8")
            self.app = z.read("docProps/app.xml").decode("utf-8")
            self.package_rels = z.read("_rels/.rels").decode("utf-8")
            self.content_types = z.read("[Content_Types].xml").decode("utf-8")
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
    """The title, then every paragraph of the layout (the 落款 included), in order."""
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
    report.signoff.date = report.signoff.date or "2021-01-20"
    path = tmp_path_factory.mktemp("docx") / "seed.docx"
    export_report(report, "docx", path, GB)
    return report, Docx(path)


@pytest.fixture(scope="module")
def report_2021_docx(tmp_path_factory):
    report = filled_2021()
    # a fixed 落款 date: the default (the day of export) would differ across midnight
    report.signoff.date = "2022-01-20"
    path = tmp_path_factory.mktemp("docx") / "r2021.docx"
    export_report(report, "docx", path, GB)
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
    assert kinds[-2:] == ["signoff", "signoff"]


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
    export_report(report, "docx", path, ExportOptions(draft=True, fonts="gb"))
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


# ---- fonts -----------------------------------------------------------------------------------

def _east_asian_faces(root: ET.Element) -> set[str]:
    return {f.get(w("eastAsia")) for f in root.iter(w("rFonts")) if f.get(w("eastAsia"))}


@pytest.mark.parametrize("profile", ["gb", "windows", "auto"])
def test_font_table_declares_every_east_asian_face(profile, tmp_path):
    """Every East Asian face named in the styles or the text has a fontTable entry with
    the GB2312 character set and the substitute Word should take where it is missing."""
    path = tmp_path / "f.docx"
    export_report(filled_2021(), "docx", path, ExportOptions(fonts=profile))
    d = Docx(path)
    entries = {f.get(w("name")): f for f in d.font_table.findall(w("font"))}
    faces = _east_asian_faces(d.styles) | _east_asian_faces(d.document)
    assert faces
    for face in faces:
        entry = entries[face]
        assert wval(entry.find(w("charset"))) == "86", face
        assert wval(entry.find(w("altName"))), face
        assert entry.find(w("family")) is not None and entry.find(w("panose1")) is not None, face
    # the _GB2312 faces fall back to the faces current Windows ships; no Japanese faces left over
    if profile == "gb":
        assert wval(entries["仿宋_GB2312"].find(w("altName"))) == "仿宋"
        assert wval(entries["楷体_GB2312"].find(w("altName"))) == "楷体"
        assert wval(entries["方正小标宋简体"].find(w("altName"))) == "宋体"
    assert not [n for n in entries if "ＭＳ" in n]
    assert wval(entries["Times New Roman"].find(w("family"))) == "roman"


WINDOWS_11 = frozenset({"SimSun", "NSimSun", "SimHei", "FangSong", "KaiTi", "Microsoft YaHei", "Times New Roman"})
GOVERNMENT_PC = WINDOWS_11 | {"仿宋_GB2312", "楷体_GB2312", "方正小标宋简体"}
OFFICE_PC = WINDOWS_11 | {"STZhongsong", "STKaiti"}


@pytest.mark.parametrize(("installed", "expected"), [
    (WINDOWS_11, ("宋体", "黑体", "楷体", "仿宋")),
    (GOVERNMENT_PC, ("方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312")),
    (OFFICE_PC, ("华文中宋", "黑体", "楷体", "仿宋")),
    (frozenset({"仿宋", "楷体_GB2312", "黑体"}), ("宋体", "黑体", "楷体_GB2312", "仿宋")),  # Chinese names too
    (None, ("宋体", "黑体", "楷体", "仿宋")),  # fonts unknown: the faces every Windows PC has
])
def test_auto_fonts_follow_the_installed_faces(installed, expected, monkeypatch, tmp_path):
    from nianbao.export import fonts

    monkeypatch.setattr(fonts, "installed_fonts", lambda: installed)
    p = fonts.font_profile("auto")
    assert (p.title, p.h1, p.h2, p.body) == expected
    assert p.table == p.page_number == "宋体"
    path = tmp_path / "auto.docx"
    export_report(filled_2021(), "docx", path)  # auto is the default
    d = Docx(path)
    got = {st: wval(d.style_rpr(st).find(w("rFonts")), "eastAsia") for st in ("Title", "Heading 1", "Heading 2",
                                                                          "Normal")}
    assert tuple(got.values()) == expected


def test_installed_fonts_from_fontconfig(monkeypatch):
    """On Linux the families come from fc-list (its comma-separated localised names)."""
    from nianbao.export import fonts

    if fonts.sys.platform == "win32":  # pragma: no cover
        pytest.skip("the registry is read on Windows")
    fonts.installed_fonts.cache_clear()
    monkeypatch.setattr(fonts.shutil, "which", lambda name: "/usr/bin/fc-list")

    class Done:
        stdout = "FangSong,仿宋\nNoto Serif CJK SC,Noto Serif CJK SC Regular\n".encode()

    monkeypatch.setattr(fonts.subprocess, "run", lambda *a, **k: Done())
    try:
        got = fonts.installed_fonts()
        assert {"FangSong", "仿宋", "Noto Serif CJK SC"} <= got
        assert fonts.auto_profile(got).body == "仿宋"
    finally:
        fonts.installed_fonts.cache_clear()
    # no fc-list: unknown, not an error
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    try:
        assert fonts.installed_fonts() is None
    finally:
        fonts.installed_fonts.cache_clear()


def test_cli_says_which_fonts(tmp_path, capsys, monkeypatch):
    from nianbao.export import fonts

    monkeypatch.setattr(fonts, "installed_fonts", lambda: GOVERNMENT_PC)
    src = tmp_path / "ok.json"
    save(filled_2021(), src, backup=False)
    assert main(["export", str(src), "--to", "docx", "-o", str(tmp_path / "a.docx")]) == 0
    out = capsys.readouterr().out
    assert "字体：自动" in out and "正文 仿宋_GB2312" in out
    assert main(["export", str(src), "--to", "docx", "-o", str(tmp_path / "b.docx"), "--fonts", "windows"]) == 0
    assert "正文 仿宋" in capsys.readouterr().out


def test_quotes_and_dashes_in_the_east_asian_face(tmp_path):
    """“” ‘’ — … are marked for the East Asian face (``w:hint="eastAsia"``, as Word marks
    them typed in Chinese; Word and WPS would take them from Times New Roman otherwise):
    a run of their own in body text, headings, the title and table cells; a run-in title's
    runs carry the hint with their 楷体.  The render test checks they print full width."""
    report = filled_2021()
    report.narrative.other = "坚持“应公开、尽公开”——本年度未收取信息处理费……"
    report.narrative.problems[0].title = "关于‘三安全一稳定’审查"
    report.narrative.measures[0].title = "落实“谁公开谁审查”。"
    path = tmp_path / "q.docx"
    export_report(report, "docx", path, GB)
    d = Docx(path)
    marked = []
    for r in d.body.iter(w("r")):
        text = para_text(r)
        if not re.search("[“”‘’—…]", text):
            continue
        f = r.find(w("rPr")).find(w("rFonts"))
        assert wval(f, "hint") == "eastAsia", text
        if wval(f, "eastAsia"):  # the run-in title
            assert (wval(f, "eastAsia"), wval(f, "ascii")) == ("楷体_GB2312", "Times New Roman") and text.startswith("（")
        else:
            assert re.fullmatch("[“”‘’—…]+", text), text
            assert wval(f, "ascii") is None  # the paragraph's own fonts
        marked.append(text)
    assert {"“", "”——", "……", "‘", "’"} <= set(marked)
    assert any("谁公开谁审查" in t for t in marked)
    # table cells too (3.危及“三安全一稳定”)
    t3 = d.tables()[1]
    quoted = [r for r in t3.iter(w("r")) if "“" in para_text(r)]
    assert quoted and all(wval(r.find(w("rPr")).find(w("rFonts")), "hint") == "eastAsia" for r in quoted)


def test_file_properties(seed_docx):
    report, d = seed_docx
    assert f"<dc:title>{report.display_title}</dc:title>" in d.core
    assert "<Application>nianbao</Application>" in d.app and "Macintosh" not in d.app
    assert f"<Company>{report.agency.name}</Company>" in d.app
    assert "thumbnail" not in d.package_rels and "thumbnail" not in " ".join(d.names)
    assert "image/jpeg" not in d.content_types


# ---- pagination and the 落款 in the XML -------------------------------------------------------

def _keep_next(p: ET.Element) -> bool:
    ppr = p.find(w("pPr"))
    return ppr is not None and ppr.find(w("keepNext")) is not None


@pytest.mark.parametrize("which", ["seed_docx", "report_2021_docx"])
def test_tables_keep_each_block_on_one_page(request, which):
    """Every row but a block's last keeps with the next (so a block — caption, header and
    rows — is never cut, nor a merged group label); no row splits; only a one-block table
    repeats its header; table text has its own compact exact line spacing."""
    report, d = request.getfixturevalue(which)
    grids = [el for el in build_document(report).elements if isinstance(el, Grid)]
    for grid, tbl in zip(grids, d.tables(), strict=True):
        trs = tbl.findall(w("tr"))
        last = {b.end - 1 for b in grid.blocks}
        for i, tr in enumerate(trs):
            assert tr.find(w("trPr")).find(w("cantSplit")) is not None
            keeps = {_keep_next(p) for p in tr.iter(w("p"))}
            assert keeps == {i not in last}, (grid.name, i)
            assert (tr.find(w("trPr")).find(w("tblHeader")) is not None) == (i < grid.header_rows)
        assert (grid.header_rows > 0) == (len(grid.blocks) == 1)
    sp = d.style_ppr("表格文字").find(w("spacing"))
    assert wval(sp, "lineRule") == "exact" and int(wval(sp, "line")) <= 280
    for h in ("Heading 1", "Heading 2"):
        ppr = d.style_ppr(h)
        assert ppr.find(w("keepNext")) is not None and ppr.find(w("keepLines")) is not None


def test_signoff_set_right(report_2021_docx):
    """The 落款: agency, then the date, right-aligned with GB/T 9704's indents, one line
    of space above, kept together and with the paragraph before."""
    report, d = report_2021_docx
    agency, day = report.signoff_lines()
    ps = d.paragraphs()
    assert [para_text(p) for p in ps[-2:]] == [agency, day]
    a, dt = (len(agency), 6.5)  # 某某市某某区市场监督管理局: 13 characters; 2026年1月20日-like dates: 6 or 6.5
    for p in ps[-2:]:
        ppr = p.find(w("pPr"))
        assert wval(ppr.find(w("jc"))) == "right"
    ind_a = int(wval(ps[-2].find(w("pPr")).find(w("ind")), "rightChars"))
    ind_d = int(wval(ps[-1].find(w("pPr")).find(w("ind")), "rightChars"))
    assert ind_a == 200  # the agency two characters from the margin
    assert abs(ind_d - 100 * (a - dt)) <= 50  # the date starts two characters right of the agency's start
    assert int(wval(ps[-2].find(w("pPr")).find(w("spacing")), "before")) == 579
    assert _keep_next(ps[-2]) and _keep_next(ps[-3])


def test_signoff_date_longer_than_agency(tmp_path):
    report = filled_2021(agency="某某局")
    report.signoff.date = "2026-01-20"
    path = tmp_path / "s.docx"
    export_report(report, "docx", path, GB)
    ps = Docx(path).paragraphs()
    assert [para_text(p) for p in ps[-2:]] == ["某某局", "2026年1月20日"]
    # the date (6.5 characters: its 7 digits at half width) two from the margin, the agency
    # starting two characters left of the date's start
    ind = [int(wval(p.find(w("pPr")).find(w("ind")), "rightChars")) for p in ps[-2:]]
    assert ind == [750, 200]


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


#: the sentence count of 一、总体情况's first paragraph in the pagination variants: they put
#: table 三 (and 表二's blocks) at different heights of a page
VARIANTS = (0, 8, 14)
QUOTED = ("坚持“应公开、尽公开”原则，把“三安全一稳定”审查贯穿政府信息公开工作全过程，"
          "做到“先审查、后公开”“一事一审”——审查意见随件归档……")


def long_report():
    """The long sample, with quotes and dashes in 六 (they must print full width)."""
    r = long_2021()
    r.narrative.other = "\n".join([QUOTED * 2] * 3)
    return r


def variant(k: int):
    from nianbao.model import Part
    from test_export_samples import sentences

    r = filled_2021()
    r.narrative.overview = [Part(title="", text=sentences(0, k)), *r.narrative.overview[1:]]
    return r


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The long report and the pagination variants, converted to PDF in one LibreOffice run."""
    soffice, pdftotext = _tools()
    tmp = tmp_path_factory.mktemp("render")
    reports = {"long": long_report(), **{f"v{k}": variant(k) for k in VARIANTS}}
    for report in reports.values():
        report.signoff.date = "2022-01-20"  # not the day of export: tests compare across midnight
    for name, report in reports.items():
        export_report(report, "docx", tmp / f"{name}.docx", GB)
    env = dict(os.environ, FONTCONFIG_FILE=str(DATA / "fonts.conf"))
    profile = (tmp / "lo-profile").as_uri()
    try:
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp), *(str(tmp / f"{n}.docx") for n in reports)],
                       env=env, check=True, capture_output=True, timeout=240)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:  # pragma: no cover
        pytest.skip(f"LibreOffice could not convert: {e}")
    out = {}
    for name, report in reports.items():
        pdf = tmp / f"{name}.pdf"
        if not pdf.exists():  # pragma: no cover
            pytest.skip("LibreOffice produced no PDF")
        bbox = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], check=True, capture_output=True).stdout
        raw = subprocess.run([pdftotext, "-raw", str(pdf), "-"], check=True, capture_output=True).stdout
        pages = [re.sub(r"\s+", "", p) for p in raw.decode("utf-8").split("\f") if p.strip()]
        out[name] = (report, parse_bbox(bbox.decode("utf-8")), pages)
    return out


@pytest.fixture(scope="module")
def long_pdf(rendered):
    return rendered["long"][1]


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
OPENING = "“‘（《「『—…"


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


def test_render_a4_22_lines_28_characters(rendered):
    report, pages, _ = rendered["long"]
    assert len(pages) >= 5
    assert all(abs(p["width"] - 210 * MM) < 1 and abs(p["height"] - 297 * MM) < 1 for p in pages)
    # pages of body text only (no table: table text is 10.5 pt, body lines are about 21 pt high)
    body_pages = [i for i, p in enumerate(pages) if i > 0 and _lines(p) and all(ln["h"] > 18 for ln in _lines(p))]
    assert len(body_pages) >= 3
    # a full page: followed by more body text that does not start with a heading (a page
    # before a heading may end early: the heading keeps with its paragraph)
    headings = {el.text.replace(" ", "") for el in build_document(report).elements
                if isinstance(el, Para) and el.kind in ("h1", "h2")}
    full = [i for i in body_pages if i + 1 in body_pages and _lines(pages[i + 1])[0]["text"] not in headings]
    assert full
    for i in full:
        lines = _lines(pages[i])
        assert len(lines) == 22, (i + 1, [ln["text"] for ln in lines])
        pitch = (lines[-1]["y0"] - lines[0]["y0"]) / 21
        assert abs(pitch - 28.95) < 0.1
    # a line that reaches the right margin holds 28 characters (26 after the 2-character indent);
    # a closing punctuation mark may hang in the margin as the 29th.  Quotes and dashes count
    # full width (they are in the Chinese face)
    # full width; a line is one short where the next begins with a mark that may not end a
    # line or be split (an opening quote, a —— or …… pair)
    text_lines = [ln for i in body_pages for ln in _lines(pages[i])]
    full_lines = [(ln, nxt) for ln, nxt in zip(text_lines, [*text_lines[1:], None], strict=True)
                  if ln["x1"] >= RIGHT - 2]
    assert len(full_lines) > 60
    assert sum(1 for ln, _ in full_lines if "“" in ln["text"] or "—" in ln["text"]) >= 6
    for ln, nxt in full_lines:
        indent = round((ln["x0"] - LEFT) / 16)
        expected = 28 - indent
        n = len(ln["text"])
        hanging = ln["x1"] > RIGHT + 1 and ln["text"][-1] in CLOSING
        kept_apart = nxt is not None and nxt["text"][:1] in OPENING
        assert n == expected + (1 if hanging else 0) or (kept_apart and n == expected - 1), (n, ln, nxt)
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


def _row_text(grid: Grid, r: int) -> str:
    return "".join(c.text for c in grid.rows[r] if c is not None).replace(" ", "")


@pytest.mark.parametrize("k", VARIANTS)
def test_render_keeps_blocks_and_headings_together(rendered, k):
    """Whatever the text before them, every table block (表二's captioned blocks, all of
    table 三 with its merged 三、本年度办理结果 and （三）… labels, table 四) is on one page,
    and no page ends with a heading: each heading is on the page of what follows it."""
    report, _, pages = rendered[f"v{k}"]
    els = build_document(report).elements
    for i, el in enumerate(els):
        if isinstance(el, Grid):
            for b in el.blocks:
                rows = [_row_text(el, r) for r in range(b.start, b.end)]
                assert any(all(x in p for x in rows) for p in pages), (k, el.name, b.key)
            groups = [c.text for c in el.origins() if c.role == "grouplabel"]
            assert all(sum(g in p for p in pages) == 1 for g in groups), (k, groups)
        elif el.kind in ("h1", "h2") and i + 1 < len(els):
            nxt = els[i + 1]
            start = _row_text(nxt, 0) if isinstance(nxt, Grid) else nxt.lead + nxt.text
            assert any((el.text + start[:6]).replace(" ", "") in p for p in pages), (k, el.text)
    # the table 三 block holds its heading's page when it fits, else starts a page: never split
    t3 = next(el for el in els if isinstance(el, Grid) and len(el.blocks) == 1 and el.label_cols > 1)
    first, last = _row_text(t3, t3.blocks[0].body), _row_text(t3, t3.blocks[0].end - 1)
    assert [i for i, p in enumerate(pages) if first in p] == [i for i, p in enumerate(pages) if last in p]


def test_render_signoff_at_the_right(rendered):
    report, pages, _ = rendered["long"]
    agency, day = (p for p in build_document(report).elements if isinstance(p, Para) and p.kind == "signoff")
    lines = _lines(pages[-1])
    assert [ln["text"] for ln in lines[-2:]] == [agency.text, day.text.replace(" ", "")]
    for ln, para in zip(lines[-2:], (agency, day), strict=True):
        assert abs(ln["x1"] - (RIGHT - para.indent * 16)) < 3, (ln, para.indent)
    assert lines[-2]["y0"] - lines[-3]["y0"] > 2 * 28.95 - 1  # a blank line above the agency


def test_title_lines_keep_words_whole():
    from nianbao.export.docx import TITLE_CHARS_PER_LINE, title_lines

    assert TITLE_CHARS_PER_LINE == 20  # 156 mm of 22 pt characters
    assert title_lines("某县财政局2021年政府信息公开工作年度报告") == ["某县财政局", "2021年政府信息公开工作年度报告"]
    assert title_lines("2019年上海市人民政府办公厅政府信息公开工作年度报告") == [
        "2019年上海市人民政府办公厅", "政府信息公开工作年度报告"]
    assert title_lines("某某县人民政府2021年政府信息公开工作年度报告（草稿）") == [
        "某某县人民政府", "2021年政府信息公开工作年度报告", "（草稿）"]
    assert title_lines("某县2021年政府信息公开工作年度报告") == ["某县2021年政府信息公开工作年度报告"]
