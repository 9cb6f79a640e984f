"""PDFs made the way agencies make them, for the PDF import tests.

* ``songxian-2020.pdf`` and ``filled-2021.pdf``: our own .docx export (``nianbao export …
  --to docx``) of the seed and of a filled 2021 report, converted by LibreOffice;
* ``official-2022.pdf``: a .docx written here with python-docx in the official layout the
  way a staffer builds it in Word: the title on two centred lines, indented paragraphs,
  narrow label columns so that the row labels wrap over two or three lines, merged group
  cells, a running header and "— N —" page numbers, table 三 broken over two pages.

The PDFs are committed in tests/data/pdf/ so that the import tests need no LibreOffice.
Run ``python tests/pdfsamples.py`` to make them again (needs soffice and the CJK fonts of
tests/data/fonts.conf).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PDF_DIR = DATA / "pdf"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: Path, outdir: Path) -> Path:
    """Convert with LibreOffice, as an agency's "另存为 PDF" does."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    env = dict(os.environ, FONTCONFIG_FILE=str(DATA / "fonts.conf"))
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(outdir), str(docx)], env=env, check=True, capture_output=True, timeout=180)
    return outdir / (docx.stem + ".pdf")


def seed_report():
    from nianbao.importer import import_text

    return import_text((DATA / "songxian-chengguanju-2020.txt").read_text(encoding="utf-8")).report


def built_report():
    """The report printed in ``official-2022.pdf``: every applicant column used somewhere."""
    sys.path.insert(0, str(HERE))
    from factories import filled_2021

    r = filled_2021(2022, "平潭综合实验区海洋渔业局")
    r.title = ""
    for cid, v in (("t3.main.N.RI", 2), ("t3.main.N.LS", 3), ("t3.main.R1.RI", 2), ("t3.main.R5_2.LS", 3),
                   ("t2.a20_1.normative.valid", 27), ("t2.a20_5.license.decisions", 1208)):
        r.set(cid, v)
    r.recompute()
    r.narrative.overview[1].text = "全年共收到政府信息公开申请14件，上年结转1件，办结13件，结转下年度2件。"
    return r


# ---- the official layout, written with python-docx ----------------------------------------------

def _field(paragraph, instr: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _cant_split(row) -> None:
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _fill(table, r: int, c: int, text: str, size: float = 10.5) -> None:
    from docx.shared import Pt

    cell = table.cell(r, c)
    cell.text = ""
    run = cell.paragraphs[0].add_run(text)
    run.font.size = Pt(size)


def official_docx(report, path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from nianbao.numbers import format_number

    spec = report.spec
    doc = Document()
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.left_margin = sec.right_margin = Cm(2.6)
    head = sec.header.paragraphs[0]
    head.text = f"{report.agency.name}{report.year}年政府信息公开工作年度报告"
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    foot = sec.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("— ")
    _field(foot, "PAGE")
    foot.add_run(" —")
    style = doc.styles["Normal"]
    style.font.size = Pt(15)
    style.font.name = "仿宋"

    def para(text: str, centre: bool = False, bold: bool = False) -> None:
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.bold = bold
        if centre:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.font.size = Pt(20)
        else:
            p.paragraph_format.first_line_indent = Pt(30)

    para(report.agency.name, centre=True)
    para(f"{report.year}年政府信息公开工作年度报告", centre=True)
    n = report.narrative
    para(n.opening)
    para(spec.section(1).heading, bold=True)
    for part in n.overview:
        if part.title:
            para(f"（{'一二三四五'[n.overview.index(part) - 1]}）{part.title}")
        para(part.text)

    def value(t: str, b: str, row: str, col: str) -> str:
        return format_number(report.cells.get(f"{t}.{b}.{row}.{col}"))

    # table 二: one table, a caption row per block, four columns
    para(spec.section(2).heading, bold=True)
    t2 = spec.table("t2")
    nrows = sum(2 + len(b.rows) for b in t2.blocks)
    tab = doc.add_table(rows=nrows, cols=4)
    tab.style = "Table Grid"
    r = 0
    for b in t2.blocks:
        tab.cell(r, 0).merge(tab.cell(r, 3))
        _fill(tab, r, 0, b.caption)
        _fill(tab, r + 1, 0, b.corner)
        for j, c in enumerate(b.columns, 1):
            _fill(tab, r + 1, j, c.label)
        if len(b.columns) < 3:
            tab.cell(r + 1, len(b.columns)).merge(tab.cell(r + 1, 3))
        for i, row in enumerate(b.rows, r + 2):
            _fill(tab, i, 0, row.label)
            for j, c in enumerate(b.columns, 1):
                _fill(tab, i, j, value("t2", b.key, row.key, c.key))
            if len(b.columns) < 3:
                tab.cell(i, len(b.columns)).merge(tab.cell(i, 3))
        r += 2 + len(b.rows)

    # table 三: three narrow label columns, so the labels wrap
    para(spec.section(3).heading, bold=True)
    b3 = spec.block("t3", "main")
    rows = b3.rows
    tab = doc.add_table(rows=3 + len(rows), cols=10)
    tab.style = "Table Grid"
    tab.autofit = False
    widths = [Cm(1.1), Cm(1.5), Cm(3.0)] + [Cm(1.15)] * 7
    for row in tab.rows:
        _cant_split(row)
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = w
    tab.cell(0, 0).merge(tab.cell(2, 2))
    _fill(tab, 0, 0, b3.corner, 9)
    applicants = b3.columns[0].groups[0]
    legal = b3.columns[1].groups[1]
    tab.cell(0, 3).merge(tab.cell(0, 9))
    _fill(tab, 0, 3, applicants)
    tab.cell(1, 3).merge(tab.cell(2, 3))
    _fill(tab, 1, 3, b3.columns[0].label)
    tab.cell(1, 4).merge(tab.cell(1, 8))
    _fill(tab, 1, 4, legal)
    for j, c in enumerate(b3.columns[1:6], 4):
        _fill(tab, 2, j, c.label, 9)
    tab.cell(1, 9).merge(tab.cell(2, 9))
    _fill(tab, 1, 9, b3.columns[6].label)
    first = {}
    for i, row in enumerate(rows, 3):
        for j, c in enumerate(b3.columns, 3):
            _fill(tab, i, j, value("t3", "main", row.key, c.key))
        if row.wide:
            tab.cell(i, 0).merge(tab.cell(i, 2))
            _fill(tab, i, 0, row.label)
            continue
        for depth, g in enumerate(row.groups):
            first.setdefault((depth, g), i)
        if len(row.groups) == 1:
            tab.cell(i, 1).merge(tab.cell(i, 2))
            _fill(tab, i, 1, row.label)
        else:
            _fill(tab, i, 2, row.label)
    for (depth, g), i0 in first.items():
        i1 = max(i for i, row in enumerate(rows, 3) if len(row.groups) > depth and row.groups[depth] == g)
        tab.cell(i0, depth).merge(tab.cell(i1, depth))
        _fill(tab, i0, depth, g)

    # table 四: three header rows, fifteen figures
    para(spec.section(4).heading, bold=True)
    b4 = spec.block("t4", "main")
    tab = doc.add_table(rows=4, cols=15)
    tab.style = "Table Grid"
    cols = b4.columns
    tab.cell(0, 0).merge(tab.cell(0, 4))
    _fill(tab, 0, 0, cols[0].groups[0], 9)
    tab.cell(0, 5).merge(tab.cell(0, 14))
    _fill(tab, 0, 5, cols[5].groups[0], 9)
    for j in range(5):
        tab.cell(1, j).merge(tab.cell(2, j))
        _fill(tab, 1, j, cols[j].label, 9)
    tab.cell(1, 5).merge(tab.cell(1, 9))
    _fill(tab, 1, 5, cols[5].groups[1], 9)
    tab.cell(1, 10).merge(tab.cell(1, 14))
    _fill(tab, 1, 10, cols[10].groups[1], 9)
    for j in range(5, 15):
        _fill(tab, 2, j, cols[j].label, 9)
    for j, c in enumerate(cols):
        _fill(tab, 3, j, value("t4", "main", "all", c.key), 9)

    para(spec.section(5).heading, bold=True)
    for part in n.problems:
        para(part.text)
    for i, part in enumerate(n.measures):
        mark = f"（{'一二三四五'[i]}）"
        if part.inline:
            para(f"{mark}{part.title}{part.text}")
        else:
            para(f"{mark}{part.title}")
            para(part.text)
    para(spec.section(6).heading, bold=True)
    para(n.other)
    p = doc.add_paragraph(report.agency.name)
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p = doc.add_paragraph(f"{report.year + 1}年1月20日")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(path)


def make_all(outdir: Path = PDF_DIR) -> list[Path]:
    from nianbao.export import export_report

    sys.path.insert(0, str(HERE))
    from factories import filled_2021

    outdir.mkdir(parents=True, exist_ok=True)
    made = []
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        for name, report in (("songxian-2020", seed_report()), ("filled-2021", filled_2021())):
            docx = t / f"{name}.docx"
            export_report(report, "docx", docx)
            made.append(to_pdf(docx, t))
        docx = t / "official-2022.docx"
        official_docx(built_report(), docx)
        made.append(to_pdf(docx, t))
        out = []
        for pdf in made:
            target = outdir / pdf.name
            shutil.copyfile(pdf, target)
            out.append(target)
    return out


if __name__ == "__main__":
    for p in make_all():
        print(p, p.stat().st_size)
