"""The seed (2020, 嵩县城市管理局) imports with every figure right and renders back."""

from __future__ import annotations

import re
from decimal import Decimal

from nianbao.checks import check
from nianbao.formats import norm_label
from nianbao.importer import split_cells
from nianbao.render import render_text

EXPECTED_T2 = {
    "t2.a20_1.rules": (0, 0, 0), "t2.a20_1.normative": (0, 0, 0),
    "t2.a20_5.license": (12, 0, 0), "t2.a20_5.other_services": (0, 0, 0),
    "t2.a20_6.penalty": (95, 1, 96), "t2.a20_6.enforcement": (0, 0, 0),
    "t2.a20_8.fees": (0, 0), "t2.a20_9.procurement": (6, Decimal("1665.6119")),
}


def test_seed_metadata(seed_report):
    r = seed_report
    assert r.title == "嵩县城市管理局2020年政府信息公开工作年度报告"
    assert r.year == 2020 and r.format_version == "2019" and r.format_override is None
    assert r.agency.name == "嵩县城市管理局"
    assert r.agency.kind == "政府部门"


def test_seed_every_figure(seed_report):
    r = seed_report
    spec = r.spec
    for prefix, values in EXPECTED_T2.items():
        t, b, _row = prefix.split(".")
        cols = [c.key for c in spec.block(t, b).columns]
        assert tuple(r.cells[f"{prefix}.{c}"] for c in cols) == values, prefix
    t3 = [c for c in spec.cells if c.table.key == "t3"]
    assert len(t3) == 161 and all(r.cells[c.id] == 0 for c in t3)
    t4 = [c for c in spec.cells if c.table.key == "t4"]
    assert len(t4) == 15 and all(r.cells[c.id] == 0 for c in t4)
    assert r.answered() == (198, 198)


def test_seed_narrative(seed_report):
    n = seed_report.narrative
    assert n.overview[0].title == "" and n.overview[0].text.startswith("2020年，在县委、县政府的正确领导下")
    assert [p.title for p in n.overview[1:]] == ["加强组织领导，明确工作责任。", "强化学习培训，提高公开意识。",
                                                "完善各项制度，确保及时公开。"]
    assert len(n.problems) == 1 and "一是信息更新还不够及时高效" in n.problems[0].text
    assert [p.title for p in n.measures] == ["提高站位,深化认识。", "加强宣传,营造氛围。", "规范程序,严格发布。",
                                             "加大培训,提升质量。"]
    assert all(p.inline for p in n.measures)
    assert n.other == "无"


def test_seed_checks(seed_report):
    findings = check(seed_report)
    assert not [f for f in findings if f.severity == "error"], [f.line() for f in findings]
    pattern = [f for f in findings if f.rule == "T2a-PATTERN"]
    assert len(pattern) == 1 and "行政处罚" in pattern[0].message
    assert pattern[0].found == "95+1=96"
    assert {f.found for f in findings if f.rule == "LABEL-VARIANT"} == {
        "采购总金额（单位：万元，保留4位小数）", "2.其他法律法规禁止公开"}


def _table_rows(text: str) -> list[list[str]]:
    """Every table line (a TAB in it, or a block caption), as its non-empty cells (labels normalised)."""
    rows = []
    for line in text.splitlines():
        if "\t" not in line and not norm_label(line).startswith("第二十条第"):
            continue
        cells = [c for c in split_cells(line) if c.strip()]
        rows.append([norm_label(c) for c in cells])
    return rows


def _is_data(row: list[str]) -> bool:
    return any(re.fullmatch(r"-?[\d.]+", c) for c in row)


def test_seed_renders_back_cell_for_cell(seed_report, seed_text):
    """Every data row (label cells and figures) comes back cell for cell, in order; the
    header rows hold the same labels (the seed puts 总计 of table 三 one row higher)."""
    out = render_text(seed_report)
    want, got = _table_rows(seed_text), _table_rows(out)
    assert [r for r in got if _is_data(r)] == [r for r in want if _is_data(r)]
    assert sorted(c for r in got if not _is_data(r) for c in r) == sorted(c for r in want if not _is_data(r) for c in r)
    assert len(got) == len(want)


def test_seed_renders_the_narrative(seed_report, seed_text):
    out = render_text(seed_report)
    for para in seed_text.splitlines():
        p = para.strip().removeprefix("- ")
        if p and "\t" not in p:
            assert norm_label(p) in norm_label(out), p


def test_measures_are_numbered_from_one_after_titled_problems(seed_report):
    from nianbao.model import Part

    seed_report.narrative.problems = [Part(title="公开内容不够全面。", text="部分栏目更新不及时。")]
    out = render_text(seed_report)
    five = out.split("五、存在的主要问题及改进情况")[1].split("六、")[0]
    assert "（一）公开内容不够全面。" in five and "（一）提高站位,深化认识。" in five and "（二）提高站位" not in five
