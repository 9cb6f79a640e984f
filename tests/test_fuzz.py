"""Fuzzing (hypothesis, bounded) of the importer, the JSON loader and the numeric parser:
no traceback, ever; every failure a clear Chinese message.  Inputs that once broke
something are kept in tests/data/fuzz-regressions/ and replayed."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.formats import get_spec
from nianbao.importer import import_text
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
