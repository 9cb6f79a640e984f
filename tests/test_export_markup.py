"""The Markdown and web page exports (jinja2 templates templates/md, templates/html)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from nianbao.export import export_report, formats
from nianbao.export.markup import render_markup
from nianbao.layout import Grid, Para, build_document
from nianbao.render import render_doc, template_name
from nianbao.resources import templates_dir
from test_export_samples import filled_2021

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def seed_report():
    from nianbao.importer import import_text

    return import_text((DATA / "songxian-chengguanju-2020.txt").read_text(encoding="utf-8")).report


class _Tables(HTMLParser):
    """Every <table> as rows of (tag, text, rowspan, colspan); headings and paragraphs."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[tuple[str, str, int, int]]]] = []
        self.blocks: list[tuple[str, str]] = []
        self.cell: list | None = None
        self.block: list | None = None
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = [tag, "", int(a.get("rowspan", 1)), int(a.get("colspan", 1))]
        elif tag in ("h1", "h2", "h3", "p"):
            self.block = [tag, ""]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell:
            self.tables[-1][-1].append(tuple(self.cell))
            self.cell = None
        elif tag in ("h1", "h2", "h3", "p") and self.block:
            self.blocks.append(tuple(self.block))
            self.block = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data
        elif self.block is not None:
            self.block[1] += data


def _parse(html: str) -> _Tables:
    p = _Tables()
    p.feed(html)
    return p


def _grid_rows(grid: Grid) -> list[list[tuple[str, str, int, int]]]:
    return [[("th" if c.header else "td", c.text, c.rowspan, c.colspan) for c in row if c is not None]
            for row in grid.rows]


def test_registered():
    fmts = formats()
    assert {"md", "html", "docx", "xlsx", "txt"} <= set(fmts)


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_one_template_per_version(version):
    for fmt in ("md", "html"):
        assert (templates_dir() / template_name(fmt, version)).is_file()


@pytest.mark.parametrize("which", ["seed", "2021"])
def test_html_tables_with_official_spans(which, seed_report):
    report = seed_report if which == "seed" else filled_2021()
    html = render_markup(report, "html")
    parsed = _parse(html)
    grids = [el for el in build_document(report).elements if isinstance(el, Grid)]
    assert len(parsed.tables) == 3
    for grid, table in zip(grids, parsed.tables, strict=True):
        assert table == _grid_rows(grid), grid.name
    # table 三's corner note: 3 rows × 3 columns; header rows in <thead>
    corner = parsed.tables[1][0][0]
    assert corner[1] == report.spec.table("t3").block("main").corner and corner[2:] == (3, 3)
    assert html.count("<thead>") == 3


def test_html_paragraphs_in_order_and_self_contained(seed_report):
    html = render_markup(seed_report, "html")
    parsed = _parse(html)
    doc = build_document(seed_report)
    expected = [("h1", doc.title)]
    tag = {"h1": "h2", "h2": "h3", "body": "p", "inline": "p"}
    for el in doc.elements:
        if isinstance(el, Para):
            expected.append((tag[el.kind], el.lead + el.text))
    assert parsed.blocks == expected
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html and "<style>" in html
    # no external resources
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


def test_markdown(seed_report, tmp_path):
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
        if isinstance(el, Para) and el.kind == "body":
            assert el.text in lines
        if isinstance(el, Para) and el.kind == "inline":
            assert f"<strong>{el.lead}</strong>{el.text}" in lines
    # tables are HTML blocks with the official spans, no blank line inside one
    parsed = _parse(md)
    grids = [el for el in doc.elements if isinstance(el, Grid)]
    assert [t for t in parsed.tables] == [_grid_rows(g) for g in grids]
    for block in re.findall(r"<table.*?</table>", md, re.S):
        assert "\n\n" not in block


def test_markdown_escapes(seed_report):
    report = filled_2021()
    report.narrative.other = "1.本年度无其他事项\n# 不是标题\n*强调* 与 <tag> 与 [链接](x)"
    md = render_markup(report, "md")
    assert "1\\.本年度无其他事项" in md
    assert "\\# 不是标题" in md
    assert "\\*强调\\* 与 &lt;tag&gt; 与 \\[链接\\](x)" in md


def test_draft_title_in_markup():
    report = filled_2021()
    from nianbao.export import ExportOptions

    for fmt in ("md", "html"):
        out = render_markup(report, fmt, ExportOptions(draft=True))
        assert f"{report.display_title}（草稿）" in out


def test_markdown_renders_with_commonmark(seed_report):
    """A CommonMark renderer keeps the tables (with their spans) and the run-in headings."""
    markdown_it = pytest.importorskip("markdown_it")
    md = render_markup(seed_report, "md")
    html = markdown_it.MarkdownIt("commonmark").render(md)
    parsed = _parse(html)
    grids = [el for el in build_document(seed_report).elements if isinstance(el, Grid)]
    assert parsed.tables == [_grid_rows(g) for g in grids]
    doc = build_document(seed_report)
    leads = [el.lead for el in doc.elements if isinstance(el, Para) and el.kind == "inline"]
    assert leads and all(f"<strong>{lead}</strong>" in html for lead in leads)
    assert [t for tag, t in parsed.blocks if tag == "h2"] == [
        el.text for el in doc.elements if isinstance(el, Para) and el.kind == "h1"]
