"""``nianbao phrases``: text and JSON output, sections by Chinese name, Chinese errors."""

from __future__ import annotations

import json

import pytest

from nianbao.cli import main
from nianbao.phrases.cli import parse_section


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["phrases", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output(capsys):
    code, out, err = _run(capsys, "网站改版", "栏目", "--top", "3")
    assert code == 0 and not err
    lines = out.splitlines()
    assert lines[0].startswith("1. 【") and "网站" in out
    assert sum(1 for line in lines if line[:2] in ("1.", "2.", "3.")) == 3
    assert "--report" in lines[-1]


def test_json_output_with_report_and_section(capsys, tmp_path):
    from nianbao.store import save
    from test_phrases_slots import build_2021

    path = tmp_path / "r.json"
    save(build_2021(), path, backup=False)
    code, out, err = _run(capsys, "信息处理费", "--section", "六", "--report", str(path), "--json", "--top", "2")
    assert code == 0, err
    data = json.loads(out)
    assert len(data) == 2
    assert set(data[0]) == {"section", "move", "id", "text", "score"}
    assert all(d["section"] == "other" for d in data)
    assert data[0]["move"] == "other.fee.charged" and "380元" in data[0]["text"]
    assert data[0]["score"] >= data[1]["score"]


def test_seed_text_report(capsys):
    from conftest import SEED

    code, out, _ = _run(capsys, "统计期限", "--section", "开头语", "--report", str(SEED), "--top", "1")
    assert code == 0
    assert "2020年1月1日" in out and "{" not in out


def test_unknown_section_lists_valid_ones(capsys):
    code, out, err = _run(capsys, "培训", "--section", "七")
    assert code == 2 and not out
    assert "未知的部分“七”" in err and "开头语" in err and "六" in err


def test_missing_report_file(capsys, tmp_path):
    code, _, err = _run(capsys, "培训", "--report", str(tmp_path / "nope.json"))
    assert code == 2 and err.startswith("错误：")


@pytest.mark.parametrize(("text", "keys"), [
    ("开头语", ("opening",)), ("一", ("overview",)), ("一、总体情况", ("overview",)), ("总体情况", ("overview",)),
    ("五", ("rectification", "problems", "measures")), ("五、存在的主要问题及改进情况", ("rectification", "problems", "measures")),
    ("问题", ("problems",)), ("改进", ("measures",)), ("措施", ("measures",)), ("整改", ("rectification",)),
    ("六", ("other",)), ("其他", ("other",)), ("六、其他需要报告的事项", ("other",)), ("measures", ("measures",)),
])
def test_section_names(text, keys):
    assert parse_section(text) == keys


def test_json_empty_result(capsys):
    code, out, _ = _run(capsys, "量子计算机", "--json")
    assert code == 0 and json.loads(out) == []
