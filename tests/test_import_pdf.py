"""Import of published reports from PDF (the text layer): PDFs made the way agencies make them
(tests/pdfsamples.py) import back to the same figures and narrative; a scan, a damaged file
and a PDF with the wrong name get a clear message; the PDF library loads only for a PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pdfsamples
from nianbao.inputs import READERS, load_any, load_result, supported_suffixes
from nianbao.store import StoreError

from factories import filled_2021

PDF = Path(__file__).parent / "data" / "pdf"


def _same(want, got) -> None:
    ids = [c.id for c in want.spec.cells]
    assert got.format_version == want.format_version and got.year == want.year
    assert [got.cells.get(i) for i in ids] == [want.cells.get(i) for i in ids]
    assert got.narrative.model_dump() == want.narrative.model_dump()


def test_pdf_is_a_supported_input():
    assert ".pdf" in supported_suffixes() and ".pdf" in READERS


@pytest.mark.parametrize(("name", "want"), [
    ("songxian-2020.pdf", pdfsamples.seed_report),
    ("filled-2021.pdf", filled_2021),
])
def test_our_docx_through_libreoffice_reads_back(name, want):
    """Our .docx export, "另存为 PDF" by LibreOffice: the same figures, blanks and text."""
    res = load_result(PDF / name)
    report = want()
    _same(report, res.report)
    assert res.report.display_title == report.display_title
    assert res.summary.startswith("PDF：已读到 ")
    assert not [f for f in res.findings if f.severity == "error"]


def test_official_layout_with_wrapped_labels():
    """Written in Word's way: labels wrapped over three lines in narrow columns, merged group
    cells, table 三 over three pages, a running header and "— N —" page numbers."""
    res = load_result(PDF / "official-2022.pdf")
    want = pdfsamples.built_report()
    got = res.report
    _same(want, got)
    assert got.title == "平潭综合实验区海洋渔业局2022年政府信息公开工作年度报告"  # two centred lines, joined
    assert (got.signoff.agency, got.signoff.date) == ("平潭综合实验区海洋渔业局", "2023-01-20")
    texts = "\n".join(t for _, t in got.narrative.texts())
    assert "—" not in texts and "工作年度报告" not in texts  # page numbers and the running header are gone
    assert res.summary == "PDF：已读到 200/200 个单元格"


def test_scanned_pdf_says_it_has_no_text(tmp_path):
    from PIL import Image

    path = tmp_path / "扫描件.pdf"
    Image.new("RGB", (400, 560), "white").save(path, "PDF")
    with pytest.raises(StoreError, match="没有文字层（可能是扫描件或图片）"):
        load_any(path)


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7\n", b"not a pdf at all", b"%PDF-1.4\n" + b"\x00" * 50])
def test_damaged_pdf(tmp_path, data):
    path = tmp_path / "坏.pdf"
    path.write_bytes(data)
    with pytest.raises(StoreError, match=r"坏\.pdf 无法读取"):
        load_any(path)


def test_truncated_pdf(tmp_path):
    data = (PDF / "filled-2021.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    try:
        report, _ = load_any(path)
    except StoreError as e:
        assert "cut.pdf" in str(e)
    else:  # pdfminer recovers what it can: whatever it read is real
        assert report is not None


def test_a_pdf_by_its_content(tmp_path):
    """A PDF saved under another name (附件.txt, a download without a suffix) is still read as PDF."""
    for name in ("附件.txt", "download"):
        path = tmp_path / name
        shutil.copyfile(PDF / "filled-2021.pdf", path)
        report, _ = load_any(path)
        assert report.cells["t2.a20_5.license.decisions"] == 245


def test_missing_pdf(tmp_path):
    with pytest.raises(StoreError, match="找不到"):
        load_any(tmp_path / "none.pdf")


def test_pdf_library_is_loaded_only_for_a_pdf():
    code = ("import sys\nfrom nianbao import cli\nfrom nianbao.inputs import load_any, supported_suffixes\n"
            "supported_suffixes()\n"
            f"load_any({str(Path(__file__).parent / 'data' / 'songxian-chengguanju-2020.txt')!r})\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pdfplumber', 'pdfminer', 'pypdfium2')))\n"
            f"load_any({str(PDF / 'filled-2021.pdf')!r})\n"
            "print('pdfplumber' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True"], out.stdout + out.stderr


def test_cli_import_pdf(tmp_path, capsys):
    from nianbao.cli import main

    out = tmp_path / "r.json"
    assert main(["import", str(PDF / "songxian-2020.pdf"), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "PDF：已读到 198/198 个单元格" in text and "已保存到" in text
    assert main(["check", str(PDF / "songxian-2020.pdf")]) == 0
    assert "合计：错误 0 个" in capsys.readouterr().out


def test_pdf_made_now_by_libreoffice(tmp_path):
    """The committed PDFs are what LibreOffice makes of our export today (skipped without it)."""
    if pdfsamples.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    from nianbao.export import export_report

    docx = tmp_path / "seed.docx"
    export_report(pdfsamples.seed_report(), "docx", docx)
    try:
        pdf = pdfsamples.to_pdf(docx, tmp_path)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:  # pragma: no cover
        pytest.skip(f"LibreOffice could not convert: {e}")
    _same(pdfsamples.seed_report(), load_any(pdf)[0])


def test_pdf_text_layout():
    from nianbao.pdfreader import pdf_text

    text, warnings = pdf_text(PDF / "official-2022.pdf")
    lines = text.splitlines()
    assert not warnings
    # a wrapped row label is one cell again, its figures after it
    assert "\t\t2.没有现成信息需要另行制作\t0\t0\t0\t0\t0\t0\t0" in lines
    assert any(ln.startswith("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t") for ln in lines)
    assert not [ln for ln in lines if ln.strip().strip("—").strip().isdigit()]  # no page numbers
    assert io.StringIO(text).read().count("一、总体情况") == 1
