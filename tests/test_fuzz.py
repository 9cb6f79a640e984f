"""Fuzzing (hypothesis, bounded) of the importer (text, flattened tables, PDF bytes), the JSON
loader and the numeric parser: no traceback and no hang, ever; every failure a clear Chinese
message.  Inputs that once broke something are kept in tests/data/fuzz-regressions/ and
replayed."""

from __future__ import annotations

import json
import re
import tempfile
import time
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.formats import get_spec
from nianbao.importer import import_text
from nianbao.inputs import load_any
from nianbao.model import Report
from nianbao.numbers import NumberError, parse_number
from nianbao.store import StoreError, dumps, loads

from factories import filled_2021

CJK = re.compile(r"[\u4e00-\u9fff]")
REGRESSIONS = Path(__file__).parent / "data" / "fuzz-regressions"
FUZZ = settings(max_examples=3000, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_labels = sorted({x for v in ("2019", "2021") for c in get_spec(v).cells
                  for x in (c.row.label, c.column.label, c.block.caption, *c.row.groups) if x}
                 | {s.heading for s in get_spec("2021").sections})
fragment = st.one_of(
    st.sampled_from(_labels),
    st.sampled_from(["\t", " | ", "|", "\n", "\n\n", "  ", "—", "/", "-", "0", "12", "1,234", "３", "-5", "1.5",
                     "万元", "元", "(", "）", "2020年", "2021年", "政府信息公开工作年度报告", "（一）", "一是", "。"]),
    st.integers(-10, 10**6).map(str),
    st.text(max_size=8),
)
texts = st.lists(fragment, max_size=120).map("".join)


def _check_import(text: str) -> None:
    result = import_text(text)
    assert isinstance(result.report, Report)
    for v in result.report.cells.values():
        assert v is None or isinstance(v, int | Decimal)
    for n in result.notes:
        assert CJK.search(n.message)
    dumps(result.report)  # whatever was imported can be saved


@FUZZ
@given(texts)
def test_fuzz_importer(text):
    _check_import(text)


# ---- flattened tables: labels glued to digit runs, on one line -----------------------------

_headings = [s.heading for s in get_spec("2021").sections]
flat_fragment = st.one_of(
    st.sampled_from(_labels),
    st.sampled_from(_headings),
    st.text(alphabet="0123456789", min_size=1, max_size=40),
    st.text(alphabet="0123456789 ", min_size=1, max_size=12),
    st.sampled_from(["—", "/", "-", ".", "。", "（一）", "(二)", "2022年", "2023年1月20日", "附件下载", "当前位置：",
                     "信息名称: |", "平潭综合实验区某局", "政府信息公开工作年度报告", " "]),
)
flat_texts = st.lists(flat_fragment, max_size=80).map("".join)
FLAT = settings(max_examples=400, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FLAT
@given(flat_texts)
def test_fuzz_flattened(text):
    start = time.perf_counter()
    _check_import(text)
    assert time.perf_counter() - start < 5


def test_very_long_line_with_long_digit_runs():
    """A crawler's whole page on one line, every label followed by hundreds of digits."""
    spec = get_spec("2021")
    digits = ("9876543210" * 60)[:600]
    rows = "".join(f"{c.row.label}{digits}" for c in spec.cells if c.column.key == c.block.columns[0].key)
    prose = "我局认真落实条例，" * 2000
    text = (f"某局2022年政府信息公开工作年度报告 {prose}" + "".join(f"{h}{prose[:400]}" for h in _headings[:2])
            + rows + "".join(f"{h}{prose[:300]}{rows}" for h in _headings[2:]))
    assert len(text) > 100_000
    start = time.perf_counter()
    _check_import(text)
    assert time.perf_counter() - start < 20


# ---- PDF bytes ------------------------------------------------------------------------------

def _tiny_pdf(text: bytes = b"(2022) Tj") -> bytes:
    """A one-page PDF with a line of text, written by hand (so that mutations stay small)."""
    stream = b"BT /F1 12 Tf 72 720 Td " + text + b" ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


_PDF = _tiny_pdf()
_REAL_PDF = (Path(__file__).parent / "data" / "pdf" / "filled-2021.pdf").read_bytes()
PDFS = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _check_pdf(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.pdf"
        path.write_bytes(data)
        _check_pdf_file(path)


def _check_pdf_file(path: Path) -> None:
    start = time.perf_counter()
    try:
        report, findings = load_any(path)
    except StoreError as e:
        assert CJK.search(str(e))
    else:
        assert isinstance(report, Report)
        for f in findings:
            assert CJK.search(f.message)
    assert time.perf_counter() - start < 20


def test_tiny_pdf_reads():
    """The fuzzer's seed PDF is a real PDF with a text layer (not a scan)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.pdf"
        path.write_bytes(_PDF)
        with pytest.raises(StoreError, match="看起来不是政府信息公开工作年度报告"):
            load_any(path)


@PDFS
@given(st.data())
def test_fuzz_pdf_bytes(data):
    kind = data.draw(st.sampled_from(["flip", "cut", "insert", "text", "real-cut", "deflate"]))
    raw = bytearray(_PDF)
    if kind == "flip":
        for _ in range(data.draw(st.integers(1, 8))):
            i = data.draw(st.integers(0, len(raw) - 1))
            raw[i] = data.draw(st.integers(0, 255))
    elif kind == "cut":
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    elif kind == "insert":
        i = data.draw(st.integers(0, len(raw)))
        raw[i:i] = data.draw(st.binary(max_size=40))
    elif kind == "text":
        raw = bytearray(_tiny_pdf(b"(" + data.draw(st.binary(max_size=60)).replace(b")", b"") + b") Tj"))
    elif kind == "real-cut":
        raw = bytearray(_REAL_PDF[: data.draw(st.integers(0, len(_REAL_PDF)))])
    else:  # a compressed stream that does not inflate
        raw = bytearray(_PDF.replace(b"<< /Length", b"<< /Filter /FlateDecode /Length")
                        + zlib.compress(data.draw(st.binary(max_size=30))))
    _check_pdf(bytes(raw))


_good = json.loads(dumps(filled_2021()))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def _check_load(text: str) -> None:
    try:
        r = loads(text, "草稿")
    except StoreError as e:
        assert CJK.search(str(e))
    else:
        assert isinstance(r, Report)


@FUZZ
@given(st.data())
def test_fuzz_json_loader(data):
    kind = data.draw(st.sampled_from(["mutate", "truncate", "random"]))
    if kind == "random":
        text = json.dumps(data.draw(json_values))
    else:
        doc = json.loads(json.dumps(_good))
        if kind == "mutate":
            path = data.draw(st.sampled_from(["cells", "agency", "narrative", "year", "meta", "schema_version",
                                              "format_override", "fees", "label_variants"]))
            doc[path] = data.draw(json_values)
            if path == "cells" and data.draw(st.booleans()):
                doc["cells"] = {k: data.draw(json_values) for k in list(_good["cells"])[:3]}
        text = json.dumps(doc, ensure_ascii=False)
        if kind == "truncate":
            text = text[: data.draw(st.integers(0, len(text)))]
    _check_load(text)


@FUZZ
@given(st.text(max_size=16), st.sampled_from(["count", "signed", "money"]))
def test_fuzz_number_parser(text, kind):
    try:
        v = parse_number(text, kind, field="自然人")
    except NumberError as e:
        assert str(e).startswith("自然人：") and CJK.search(str(e)[4:])
    else:
        assert v is None or isinstance(v, int | Decimal)
        if kind == "count" and v is not None:
            assert isinstance(v, int) and v >= 0


@pytest.mark.parametrize("path", sorted(p for p in REGRESSIONS.glob("*") if p.suffix != ".md"), ids=lambda p: p.name)
def test_fuzz_regressions(path):
    raw = path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    if path.suffix == ".json":
        _check_load(text)
    else:
        _check_import(text)


_BANK_FILE = (Path(__file__).resolve().parents[1] / "phrasebank" / "other.toml")
if not _BANK_FILE.exists():  # installed package: the bank travels inside it
    from nianbao.resources import phrasebank_dir

    _BANK_FILE = phrasebank_dir() / "other.toml"
_BANK_TEXT = _BANK_FILE.read_text(encoding="utf-8")
_BANK_LINES = _BANK_TEXT.splitlines()
bank_fragment = st.sampled_from(['"', "'", "[", "]", "{", "}", "{year}", "{nope}", "=", "\n", "[[moves]]",
                                 "[[moves.variants]]", 'when = ["apps_new >"]', 'kinds = ["省政府"]', "id = 1",
                                 'section = "zz"', "text = \"\"", "[slots.x]", 'type = "int"', "\x00", "é"])


@settings(max_examples=1000, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_fuzz_phrase_bank_loader(data):
    """The phrase-bank loader (a fourth parser): a damaged file gives BankError in Chinese."""
    from nianbao.phrases.bank import BankError, load_text

    lines = list(_BANK_LINES)
    for _ in range(data.draw(st.integers(1, 6))):
        op = data.draw(st.sampled_from(["drop", "dup", "insert", "cut"]))
        i = data.draw(st.integers(0, max(0, len(lines) - 1)))
        if op == "drop" and lines:
            lines.pop(i)
        elif op == "dup" and lines:
            lines.insert(i, lines[data.draw(st.integers(0, len(lines) - 1))])
        elif op == "insert":
            lines.insert(i, data.draw(st.lists(bank_fragment, max_size=6).map("".join)))
        elif op == "cut" and lines:
            lines[i] = lines[i][: data.draw(st.integers(0, len(lines[i])))]
    try:
        load_text("other.toml", "\n".join(lines))
    except BankError as e:
        assert CJK.search(str(e)) and e.problems
