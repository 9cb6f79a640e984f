"""The Markdown and web page exports (jinja2 templates templates/md, templates/html):
the web page's tables (spans, widths, scope, caption), inline styles that survive a
paste into a CMS editor, header words kept whole when Chromium prints the page; the
Markdown's pipe tables, and its import back to the same report."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from nianbao.export import export_report, formats
from nianbao.export.markup import render_markup
from nianbao.layout import PATH_SEP, Grid, Para, build_document, header_words
from nianbao.render import render_doc, template_name
from nianbao.resources import templates_dir
from test_export_samples import filled_2021

DATA = Path(__file__).parent / "data"
HEADER_ROLES = ("caption", "corner", "group", "leaf")


@pytest.fixture(scope="module")
def seed_report():
    from nianbao.importer import import_text

    return import_text((DATA / "songxian-chengguanju-2020.txt").read_text(encoding="utf-8")).report


def with_blanks():
    """The 2021 sample with unanswered cells (also a blank 总计 and a blank first figure)."""
    r = filled_2021()
    for cid in ("t3.main.R3_4.SO", "t3.main.R6_2.LS", "t4.main.all.la_pending", "t2.a20_1.rules.repealed",
                "t3.main.N.NP", "t3.main.R1.OT", "t2.a20_8.fees.amount"):
        r.set(cid, None)
    r.recompute()
    return r


class _Html(HTMLParser):
    """Tables as rows of (tag, text, rowspan, colspan) with each cell's attributes; the
    blocks (h1 h2 h3 p) with their attributes; the tables' captions and colgroups."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[tuple[str, str, int, int]]]] = []
        self.cell_attrs: list[dict[str, str]] = []
        self.table_attrs: list[dict[str, str]] = []
        self.captions: list[str] = []
        self.cols: list[list[str]] = []
        self.blocks: list[tuple[str, str]] = []
        self.block_attrs: list[dict[str, str]] = []
        self.cell: list | None = None
        self.block: list | None = None
        self.caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "table":
            self.tables.append([])
            self.table_attrs.append(a)
            self.cols.append([])
        elif tag == "caption":
            self.caption = []
        elif tag == "col":
            self.cols[-1].append(a.get("style", ""))
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = [tag, "", int(a.get("rowspan", 1)), int(a.get("colspan", 1))]
            self.cell_attrs.append(a)
        elif tag in ("h1", "h2", "h3", "p"):
            self.block = [tag, ""]
            self.block_attrs.append(a)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell:
            self.tables[-1][-1].append(tuple(self.cell))
            self.cell = None
        elif tag == "caption" and self.caption is not None:
            self.captions.append("".join(self.caption))
            self.caption = None
        elif tag in ("h1", "h2", "h3", "p") and self.block:
            self.blocks.append(tuple(self.block))
            self.block = None

    def handle_data(self, data):
        if self.caption is not None:
            self.caption.append(data)
        elif self.cell is not None:
            self.cell[1] += data
        elif self.block is not None:
            self.block[1] += data


def _parse(html: str) -> _Html:
    p = _Html()
    p.feed(html)
    return p


def _grid_rows(grid: Grid) -> list[list[tuple[str, str, int, int]]]:
    return [[("td" if c.role == "value" else "th", c.text, c.rowspan, c.colspan) for c in row if c is not None]
            for row in grid.rows]


def _grids(report) -> list[Grid]:
    return [el for el in build_document(report).elements if isinstance(el, Grid)]


def test_registered():
    fmts = formats()
    assert {"md", "html", "docx", "xlsx", "txt"} <= set(fmts)


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_one_template_per_version(version):
    for fmt in ("md", "html"):
        assert (templates_dir() / template_name(fmt, version)).is_file()


# ---- the web page --------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["seed", "2021"])
def test_html_tables_with_official_spans(which, seed_report):
    report = seed_report if which == "seed" else filled_2021()
    html = render_markup(report, "html")
    parsed = _parse(html)
    grids = _grids(report)
    assert len(parsed.tables) == 3
    for grid, table in zip(grids, parsed.tables, strict=True):
        assert table == _grid_rows(grid), grid.name
    # table 三's corner note: 3 rows × 3 columns; a one-block table's header rows are its
    # <thead>; 表二 has a <tbody> per block (its own caption and header in each)
    corner = parsed.tables[1][0][0]
    assert corner[1] == report.spec.table("t3").block("main").corner and corner[2:] == (3, 3)
    assert html.count("<thead>") == 2
    t2 = html.split("<table", 2)[1]
    assert "<thead>" not in t2 and t2.count("<tbody>") == len(report.spec.table("t2").blocks)


@pytest.mark.parametrize("which", ["seed", "2021"])
def test_html_table_widths_scope_and_caption(which, seed_report):
    """<colgroup> widths (the .docx table's, as percentages), every table 100% wide,
    <caption>, ``scope`` on every header cell and row label."""
    report = seed_report if which == "seed" else filled_2021()
    parsed = _parse(render_markup(report, "html"))
    grids = _grids(report)
    for grid, cols, attrs, caption in zip(grids, parsed.cols, parsed.table_attrs, parsed.captions, strict=True):
        shares = [float(re.fullmatch(r"width:([\d.]+)%", c).group(1)) for c in cols]
        assert len(shares) == grid.width and abs(sum(shares) - 100) < 0.05
        assert "width:100%" in attrs["style"]
        assert caption == grid.caption and caption.startswith(grid.name)
    scopes = {"caption": {"rowgroup"}, "corner": {"col"}, "group": {"colgroup"}, "leaf": {"col", "colgroup"},
              "rowlabel": {"row"}, "grouplabel": {"rowgroup"}}
    cells = [c for g in grids for row in g.rows for c in row if c is not None]
    assert len(cells) == len(parsed.cell_attrs)
    for c, a in zip(cells, parsed.cell_attrs, strict=True):
        if c.role == "value":
            assert "scope" not in a
        else:
            assert a["scope"] in scopes[c.role], (c.role, c.text)
    # a row label is a header cell, left-aligned
    rowlabel = next(a for c, a in zip(cells, parsed.cell_attrs, strict=True) if c.role == "rowlabel")
    assert rowlabel["scope"] == "row" and "text-align:left" in rowlabel["style"]


def test_html_short_headers_break_only_between_words():
    html = render_markup(filled_2021(), "html")
    assert "社会<wbr>公益<wbr>组织" in html and "商业<wbr>企业" in html
    assert ">自然人<" in html and ">总计<" in html  # no break point at all
    assert header_words("申请人情况") == ["申请人情况"]
    assert header_words("未经复议直接起诉") == ["未经", "复议", "直接", "起诉"]
    for tag in re.findall(r"<th [^>]*>[^<]*<wbr>", html):
        assert "word-break:keep-all" in tag


def test_html_styles_are_inline(seed_report):
    """A CMS editor keeps the style attribute of pasted elements and drops the page's
    <style>: the title centred in 小标宋, headings in 黑体 and 楷体, paragraphs indented
    in 仿宋, the 落款 set right — each on the element itself."""
    html = render_markup(seed_report, "html")
    parsed = _parse(html)
    doc = build_document(seed_report)
    expected = [("h1", doc.title)]
    tag = {"h1": "h2", "h2": "h3", "body": "p", "inline": "p", "signoff": "p"}
    kinds = ["title"]
    for el in doc.elements:
        if isinstance(el, Para):
            expected.append((tag[el.kind], el.lead + el.text))
            kinds.append(el.kind)
    assert parsed.blocks == expected
    for kind, a in zip(kinds, parsed.block_attrs, strict=True):
        style = a["style"]
        assert "font-family:" in style and "font-size:" in style and "margin:" in style, (kind, style)
        if kind == "title":
            assert "text-align:center" in style and "方正小标宋简体" in style and "font-size:22pt" in style
        elif kind == "h1":
            assert "黑体" in style and "text-indent:2em" in style
        elif kind == "h2":
            assert "楷体" in style and "text-indent:2em" in style
        elif kind == "signoff":
            assert "text-align:right" in style and "text-indent:0" in style
        else:
            assert "仿宋" in style and "text-indent:2em" in style and "text-align:justify" in style
    # the run-in titles' 楷体 is on their span
    assert re.search(r'<span style="font-family:\'楷体_GB2312\'[^"]*">（一）', html)
    # the page's own <style> is only for the page (no class rules a paste would lose)
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert ".nb-report h" not in style and ".nb-report p" not in style and "@page" in style


def test_html_signoff_indents(seed_report):
    html = render_markup(seed_report, "html")
    agency, day = [p for p in build_document(seed_report).elements if isinstance(p, Para) and p.kind == "signoff"]
    m = re.findall(r'<p class="nb-signoff" style="margin:([\d.]+em|0) ([\d.]+)em 0 0;[^"]*">([^<]*)</p>', html)
    assert [(t, float(r)) for _, r, t in m] == [(agency.text, agency.indent), (day.text, day.indent)]
    assert m[0][0] == "1.8em" and m[1][0] == "0"  # a blank line above the agency


def test_html_self_contained(seed_report):
    html = render_markup(seed_report, "html")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert not re.search(r"""(src|href)\s*=|@import|url\(|<script|<link""", html, re.I)


def test_html_escapes_everything(tmp_path):
    report = filled_2021()
    report.narrative.other = '<script>alert("x")</script> & <b>粗体</b>'
    report.agency.name = "某某局<i>"
    report.title = ""
    for html in (render_markup(report, "html"), render_doc(build_document(report), "html")):
        assert "<script>" not in html and "<b>" not in html and "<i>" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;粗体&lt;/b&gt;" in html
    export_report(report, "html", tmp_path / "r.html")
    assert "&lt;script&gt;" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_draft_title_in_markup():
    report = filled_2021()
    from nianbao.export import ExportOptions

    for fmt in ("md", "html"):
        out = render_markup(report, fmt, ExportOptions(draft=True))
        assert f"{report.display_title}（草稿）" in out


# ---- Chromium print check -------------------------------------------------------------------

def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        exe = shutil.which(name)
        if exe:
            return exe
    pytest.skip("Chromium is not installed")


def print_to_pdf(html: str, tmp: Path, name: str) -> Path:
    exe = _chromium()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    page = tmp / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    pdf = tmp / f"{name}.pdf"
    env = dict(os.environ, FONTCONFIG_FILE=str(DATA / "fonts.conf"))
    try:
        subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={tmp / f'profile-{name}'}", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", page.as_uri()],
                       env=env, capture_output=True, timeout=120, check=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:  # pragma: no cover
        pytest.skip(f"Chromium could not print: {e}")
    if not pdf.exists():  # pragma: no cover
        pytest.skip("Chromium produced no PDF")
    return pdf


def _words(pdf: Path) -> list[tuple[float, float, float, str]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    return [(float(x0), float(y0), float(x1), t) for x0, y0, x1, t in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', out)]


@pytest.mark.parametrize("width", [1200, 800])
def test_chromium_print_keeps_table_three_header_words_whole(width, tmp_path):
    """Printed on a page {width} px wide, every line of table 三's header cells is made of
    whole words: 商业企业 may become 商业/企业, never 商业企/业; 其他 and 总计 never break."""
    report = filled_2021()
    html = render_markup(report, "html").replace("</style>", f"@page {{ size: {width}px 2400px; margin: 0; }}</style>")
    pdf = print_to_pdf(html, tmp_path, f"w{width}")
    words = _words(pdf)
    t3 = _grids(report)[1]
    headers = [c.text for c in t3.origins() if c.role in ("group", "leaf")]
    corner = next(c.text for c in t3.origins() if c.role == "corner")
    first_row = next(c.text for c in t3.origins() if c.role == "rowlabel")
    top = next(y for _, y, _, t in words if t == headers[0])  # 申请人情况 opens the header
    bottom = next(y for _, y, _, t in words if t.startswith(first_row))
    region = [t for _, y, _, t in words if top - 1 <= y < bottom]
    assert region

    def whole(fragment: str) -> bool:
        for h in headers:
            parts = header_words(h)
            cuts = {sum(len(p) for p in parts[:i]) for i in range(len(parts) + 1)}
            for i in cuts:
                if h[i:].startswith(fragment) and i + len(fragment) in cuts:
                    return True
        return fragment in corner  # the 勾稽 note is a sentence: it wraps as text does

    assert all(whole(t) for t in region), [t for t in region if not whole(t)]
    # every header label is printed (whole or as its words)
    joined = "".join(region)
    assert all(h in joined or all(p in region for p in header_words(h)) for h in headers)


@pytest.mark.parametrize("width", [1200, 800])
def test_chromium_tables_are_equally_wide(width, tmp_path):
    """In a {width} px window the three tables are laid out equally wide (the page's
    width measured by Chromium itself, read back from the DOM it dumps)."""
    exe = _chromium()
    probe = ("<script>document.body.setAttribute('data-widths', Array.from(document.querySelectorAll('table'))"
             ".map(t => Math.round(t.getBoundingClientRect().width)).join(','))</script></body>")
    page = tmp_path / "probe.html"
    page.write_text(render_markup(filled_2021(), "html").replace("</body>", probe), encoding="utf-8")
    try:
        dom = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                              "--disable-background-networking", "--disable-component-update", "--disable-sync",
                              f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},2000", "--dump-dom",
                              page.as_uri()], capture_output=True, timeout=120, check=True).stdout.decode("utf-8")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:  # pragma: no cover
        pytest.skip(f"Chromium could not load the page: {e}")
    widths = [int(x) for x in re.search(r'data-widths="([\d,]+)"', dom).group(1).split(",")]
    assert len(widths) == 3 and len(set(widths)) == 1, widths
    assert widths[0] <= width


# ---- Markdown ----------------------------------------------------------------------------------

def test_markdown_headings_paragraphs_and_pipe_tables(seed_report, tmp_path):
    path = tmp_path / "r.md"
    export_report(seed_report, "md", path)
    md = path.read_text(encoding="utf-8")
    doc = build_document(seed_report)
    lines = md.split("\n")
    assert lines[0] == f"# {doc.title}"
    h1 = [el.text for el in doc.elements if isinstance(el, Para) and el.kind == "h1"]
    assert [ln[3:] for ln in lines if ln.startswith("## ")] == h1
    h2 = [el.text for el in doc.elements if isinstance(el, Para) and el.kind == "h2"]
    assert [ln[4:] for ln in lines if ln.startswith("### ")] == h2
    for el in doc.elements:
        if isinstance(el, Para) and el.kind in ("body", "signoff"):
            assert el.text in lines
        if isinstance(el, Para) and el.kind == "inline":
            assert f"<strong>{el.lead}</strong>{el.text}" in lines
    assert lines[-4:] == [doc.elements[-2].text, "", doc.elements[-1].text, ""]  # the 落款 ends it
    # no inline CSS, no HTML table
    assert "style=" not in md and "<table" not in md
    # one pipe table per block: a header row, the delimiter row, one row per spec row
    table_lines = [ln for ln in lines if ln.startswith("|")]
    blocks = [b for g in _grids(seed_report) for b in g.flat]
    assert len(table_lines) == sum(2 + len(b.rows) for b in blocks)
    assert sum(1 for ln in table_lines if re.fullmatch(r"\|( :?---:? \|)+", ln)) == len(blocks)
    for ln in table_lines:
        assert ln.startswith("| ") and ln.endswith(" |")
    # the merges spelled out: 申请人情况／法人或其他组织／商业企业, 三、本年度办理结果／（三）不予公开／1.…
    t3 = seed_report.spec.table("t3").block("main")
    be = t3.columns[1]
    assert PATH_SEP.join((*be.groups, be.label)) in md
    r31 = t3.row("R3_1")
    assert f"| {PATH_SEP.join((*r31.groups, r31.label))} | " in md
    for b in seed_report.spec.table("t2").blocks:
        assert f"**{b.caption}**" in lines


def test_markdown_escapes():
    report = filled_2021()
    report.narrative.other = "1.本年度无其他事项\n# 不是标题\n*强调* 与 <tag> 与 [链接](x)"
    md = render_markup(report, "md")
    assert "1\\.本年度无其他事项" in md
    assert "\\# 不是标题" in md
    assert "\\*强调\\* 与 &lt;tag&gt; 与 \\[链接\\](x)" in md


def test_markdown_renders_as_gfm(seed_report):
    """A GFM renderer makes one table per block with the spelled-out headers and rows, and
    keeps the run-in headings."""
    markdown_it = pytest.importorskip("markdown_it")
    md = render_markup(seed_report, "md")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(md)
    parsed = _parse(html)
    blocks = [b for g in _grids(seed_report) for b in g.flat]
    assert len(parsed.tables) == len(blocks)
    for b, table in zip(blocks, parsed.tables, strict=True):
        head = [b.corner] if b.labelled else []
        assert [t for _, t, _, _ in table[0]] == head + b.headers
        body = [[t for _, t, _, _ in row] for row in table[1:]]
        assert body == [([label] if b.labelled else []) + values for label, values in b.rows]
    doc = build_document(seed_report)
    leads = [el.lead for el in doc.elements if isinstance(el, Para) and el.kind == "inline"]
    assert leads and all(f"<strong>{lead}</strong>" in html for lead in leads)
    assert [t for tag, t in parsed.blocks if tag == "h2"] == [
        el.text for el in doc.elements if isinstance(el, Para) and el.kind == "h1"]


@pytest.mark.parametrize("which", ["seed", "2021", "2019-format", "blanks"])
def test_markdown_and_text_import_back_to_the_same_report(which, seed_report, tmp_path):
    """``nianbao import x.md`` and ``x.txt`` give identical figures (None kept apart from
    0), the same narrative and the 落款."""
    from nianbao.inputs import load_any

    from factories import filled_2021 as factory_2021

    report = {"seed": lambda: seed_report, "2021": filled_2021, "2019-format": lambda: factory_2021(2020),
              "blanks": with_blanks}[which]()
    report.signoff.date = "2026-01-20"
    backs = {}
    for fmt in ("md", "txt"):
        path = tmp_path / f"r.{fmt}"
        export_report(report, fmt, path)
        back, findings = load_any(path)
        ids = [c.id for c in report.spec.cells]
        assert back.format_version == report.format_version
        assert [(back.cells.get(i), type(back.cells.get(i))) for i in ids] == \
            [(report.cells.get(i), type(report.cells.get(i))) for i in ids], fmt
        assert back.display_title == report.display_title and back.agency.name == report.agency.name
        assert back.signoff.date == "2026-01-20" and back.signoff_lines() == report.signoff_lines()
        assert back.label_variants == report.label_variants
        assert _paragraphs(back) == _paragraphs(report), fmt
        if which != "blanks":
            assert not [f for f in findings if f.severity == "error"], [f.message for f in findings]
        backs[fmt] = back
    assert backs["md"].cells == backs["txt"].cells


def _paragraphs(report) -> list[str]:
    doc = build_document(report)
    return [doc.title] + [el.lead + el.text for el in doc.elements if isinstance(el, Para)]
