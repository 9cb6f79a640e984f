"""The official formats as data: cell counts, exact labels, and no label typed twice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nianbao.formats import format_for_year, get_spec, loose_label, norm_label


def _count(spec, table):
    return sum(1 for c in spec.cells if c.table.key == table)


@pytest.mark.parametrize(("version", "t2", "t3", "t4"), [("2019", 22, 161, 15), ("2021", 10, 175, 15)])
def test_cell_counts(version, t2, t3, t4):
    spec = get_spec(version)
    assert (_count(spec, "t2"), _count(spec, "t3"), _count(spec, "t4")) == (t2, t3, t4)


def test_format_for_year():
    assert [format_for_year(y) for y in (2019, 2020, 2021, 2025)] == ["2019", "2019", "2021", "2021"]


def test_exact_labels():
    a, b = get_spec("2019"), get_spec("2021")
    assert [s.heading for s in a.sections] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert [c.label for c in a.block("t2", "a20_1").columns] == ["本年新制作数量", "本年新公开数量", "对外公开总数量"]
    assert [c.label for c in b.block("t2", "a20_1").columns] == ["本年制发件数", "本年废止件数", "现行有效件数"]
    assert b.block("t2", "a20_1").row("normative").label == "行政规范性文件"
    assert b.block("t2", "a20_8").columns[0].label == "本年收费金额（单位：万元）"
    t3b = b.block("t3", "main")
    assert t3b.row("R6_2").label == "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    assert t3b.row("R3_3").label == "3.危及“三安全一稳定”"
    assert t3b.corner == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert a.block("t3", "main").row("R6").label == "（六）其他处理"
    with pytest.raises(KeyError):
        b.block("t2", "a20_9")
    assert [c.label for c in a.block("t4", "main").columns][:5] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def test_computed_cells():
    spec = get_spec("2021")
    computed = {c.id for c in spec.cells if c.computed}
    assert "t3.main.R7.NP" in computed and "t3.main.N.TT" in computed
    assert {"t4.main.all.rv_total", "t4.main.all.ld_total", "t4.main.all.la_total"} <= computed
    assert "t3.main.F.NP" not in computed  # 结转 is proposed and confirmed, not computed


def test_label_normalisation():
    assert norm_label("第二十条第(一)项") == norm_label("第二十条第（一）项")
    assert norm_label("商业 企业") == "商业企业"
    assert loose_label("(二) 部分公开(区分处理的,只计这一情形,不计其他情形)") == loose_label(
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")


SRC = Path(__file__).resolve().parents[1] / "src" / "nianbao"


def test_no_official_label_typed_twice():
    """Every table/row/column label of the spec is typed only in formats.py."""
    labels = set()
    for v in ("2019", "2021"):
        spec = get_spec(v)
        for c in spec.cells:
            for text in (c.row.label, c.column.label, c.block.caption, c.block.corner, *c.row.groups, *c.column.groups):
                if text and len(text) >= 4:
                    labels.add(text)
        labels.update(s.heading for s in spec.sections)
    offenders = []
    for py in SRC.rglob("*.py"):
        if py.name == "formats.py":
            continue
        src = py.read_text(encoding="utf-8")
        for lab in labels:
            if re.search(r"[\"']" + re.escape(lab) + r"[\"']", src):
                offenders.append((py.name, lab))
    assert not offenders, offenders
