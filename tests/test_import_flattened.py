"""Reports whose tables were flattened by a crawler: every cell of tables 二, 三, 四 right, the
narrative in its six sections, and a check without arithmetic errors.

The expected cells below were written by reading the five texts in tests/data/flattened/
(e.g. ``一、本年新收政府信息公开申请数量 690000069`` is 69, 0, 0, 0, 0, 0, 69), not taken from
the importer's output."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from nianbao.checks import check
from nianbao.formats import get_spec
from nianbao.importer import import_text

FLAT = Path(__file__).parent / "data" / "flattened"
Z7 = (0, 0, 0, 0, 0, 0, 0)
Z15 = (0,) * 15
NONE3 = (None, None, None)


def t3(**rows):
    """Table 三 by row: every row 0 unless given (values NP, BE, RI, SO, LS, OT, TT)."""
    out = {r.key: Z7 for r in get_spec("2021").block("t3", "main").rows}
    out.update(rows)
    return out


# file -> (t2 by row key: a20_1.rules, a20_1.normative, license, penalty, enforcement, fees), t3 rows, t4 row
EXPECTED = {
    "101_pingtan_czj_2021.txt": (
        {"rules": (0, 0, 0), "normative": (3, 0, 3), "license": (0,), "penalty": (0,), "enforcement": (0,),
         "fees": (7816,)},
        t3(), Z15),
    "103_pingtan_zrzy_2024.txt": (
        {"rules": (0, 0, 0), "normative": (2, 4, 33), "license": (308,), "penalty": (33,), "enforcement": (0,),
         "fees": (0,)},
        t3(N=(69, 0, 0, 0, 0, 0, 69), R1=(23, 0, 0, 0, 0, 0, 23), R2=(9, 0, 0, 0, 0, 0, 9),
           R4_1=(37, 0, 0, 0, 0, 0, 37), R7=(69, 0, 0, 0, 0, 0, 69)),
        (1, 0, 0, 1, 2) + (0,) * 10),
    "106_pingtan_gaj_2022.txt": (
        {"rules": (0, 0, 0), "normative": (4, 1, 7), "license": (0,), "penalty": (157,), "enforcement": (0,),
         "fees": (0,)},
        t3(N=(1, 0, 0, 0, 0, 0, 1), C=(1, 0, 0, 0, 0, 0, 1), R2=(1, 0, 0, 0, 0, 0, 1),
           R6_1=(1, 0, 0, 0, 0, 0, 1), R7=(2, 0, 0, 0, 0, 0, 2)),
        Z15),
    "111_pingtan_nyncj_2022.txt": (
        {"rules": (0, 0, 0), "normative": (5, 1, 25), "license": (160,), "penalty": (236,), "enforcement": (0,),
         "fees": (0,)},
        t3(), Z15),
    "116_pingtan_xzspj_2025.txt": (
        # the published table has no 规章 row: its cells stay unanswered
        {"rules": NONE3, "normative": (3, 0, 24), "license": (0,), "penalty": (0,), "enforcement": (0,),
         "fees": (0,)},
        t3(N=(6, 0, 0, 0, 0, 0, 6), R3_8=(3, 0, 0, 0, 0, 0, 3), R4_1=(3, 0, 0, 0, 0, 0, 3), R7=(6, 0, 0, 0, 0, 0, 6)),
        Z15),
}

# file -> (year, agency, title, opening starts, overview titles, other starts, signoff (agency, date))
NARRATIVE = {
    "101_pingtan_czj_2021.txt": (
        2021, "平潭综合实验区财政金融局", "平潭综合实验区财政金融局2021年度政府信息公开工作年度报告", "根据《中华人民共和国政府信息公开条例》",
        ["", "突出抓好财政预决算公开", "", "突出抓好政府采购信息公开", "突出抓好热点难点问题公开"], "",
        ("平潭综合实验区财政全融局", "2022-01-13")),
    "103_pingtan_zrzy_2024.txt": (
        2024, "平潭综合实验区自然资源与生态环境局", "", "根据《中华人民共和国政府信息公开条例》",
        ["", "主动公开情况", "依申请公开情况", "政府信息管理情况"], "2024年，无收取信息处理费情况。",
        ("平潭综合实验区自然资源与生态环境局", "2025-01-27")),
    "106_pingtan_gaj_2022.txt": (
        2022, "平潭综合实验区公安局", "", "根据《中华人民共和国政府信息公开条例》",
        ["", "突出重点，落实公开责任。", "规范管理，完善公开机制。", "拓宽渠道，健全公开矩阵。", "严格审查，强化公开监督。"],
        "2022年，无收取信息处理费情况。", ("", "")),
    "111_pingtan_nyncj_2022.txt": (
        2022, "平潭综合实验区农业农村局", "平潭综合实验区农业农村局2022年政府信息公开工作年度报告", "根据《中华人民共和国政府信息公开条例》",
        ["", "主动公开方面。", "依申请公开方面。", "政府信息管理方面。", "平台建设方面。", "解读回应方面。", "监督保障方面。"],
        "按照《国务院办公厅关于印发<政府信息公开信息处理费管理办法>的通知》", ("", "")),
    "116_pingtan_xzspj_2025.txt": (
        # the text names itself 平潭综合区行政审批局 (sic) in its contact line, the only place it does
        2025, "平潭综合区行政审批局", "", "根据《中华人民共和国政府信息公开条例》《福建省政府信息公开办法》",
        ["", "主动公开情况。", "依申请公开情况。", "政府信息管理情况。", "平台建设情况。", "监督保障情况。"],
        "按照《国务院办公厅关于印发<政府信息公开信息处理费管理办法>的通知》", ("", "")),
}


@pytest.fixture(scope="module")
def imported():
    return {name: import_text((FLAT / name).read_text(encoding="utf-8"), name) for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_cell_of_tables_two_three_four(name, imported):
    t2, rows3, row4 = EXPECTED[name]
    r = imported[name].report
    spec = r.spec
    assert r.format_version == "2021"
    got2 = {}
    for b in spec.table("t2").blocks:
        for row in b.rows:
            got2[row.key] = tuple(r.cells[f"t2.{b.key}.{row.key}.{c.key}"] for c in b.columns)
    assert got2 == t2
    b3 = spec.block("t3", "main")
    got3 = {row.key: tuple(r.cells[f"t3.main.{row.key}.{c.key}"] for c in b3.columns) for row in b3.rows}
    assert got3 == rows3
    assert tuple(r.cells[f"t4.main.all.{c.key}"] for c in spec.block("t4", "main").columns) == row4


@pytest.mark.parametrize("name", sorted(NARRATIVE))
def test_narrative_in_its_six_sections(name, imported):
    year, agency, title, opening, overview, other, signoff = NARRATIVE[name]
    res = imported[name]
    r = res.report
    n = r.narrative
    assert r.year == year and r.agency.name == agency and r.title == title
    assert n.opening.startswith(opening) and "一、总体情况" not in n.opening
    assert [p.title for p in n.overview] == overview
    assert n.overview[0].text.startswith(f"{year}年")
    assert n.problems and (n.problems[0].text or n.problems[0].title)
    assert n.other.startswith(other) if other else n.other == ""
    assert (r.signoff.agency, r.signoff.date) == signoff
    # nothing of a heading or of the tables leaks into the narrative
    texts = "\n".join(t for _, t in n.texts())
    for leak in ("申请人情况", "本年制发件数", "结果维持", "四、政府信息公开行政复议", "附件下载", "当前位置", "0000"):
        assert leak not in texts, leak
    # and no heading was missed: every section that the text has was found
    assert not [x for x in res.notes if x.incomplete]


def test_report_101_has_no_section_six_and_a_misprinted_signoff(imported):
    res = imported["101_pingtan_czj_2021.txt"]
    msgs = [x.message for x in res.notes]
    assert any("原文没有“六、其他需要报告的事项”部分" in m for m in msgs)
    assert any("落款的机关名称“平潭综合实验区财政全融局”" in m for m in msgs)
    # section 二's prose around the table is kept as the section's text
    assert res.report.narrative.table_notes["2"].startswith("(一)主动公开政府信息的数量")


def test_heading_variants_are_reported(imported):
    for name, printed, official in (("116_pingtan_xzspj_2025.txt", "四、政府信息公开行政复议与行政诉讼情况",
                                     "四、政府信息公开行政复议、行政诉讼情况"),
                                    ("111_pingtan_nyncj_2022.txt", "六、需要说明的其他事项与附表", "六、其他需要报告的事项")):
        f = [x for x in imported[name].findings if x.rule == "LABEL-VARIANT"]
        assert [(x.found, x.expected) for x in f] == [(printed, official)]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_has_no_arithmetic_error(name, imported):
    r = imported[name].report
    spec = r.spec
    arithmetic = {"SUM"}
    for t in spec.tables:
        arithmetic.update(t.sum_rules)
        arithmetic.add(t.domain_rule)
        for b in t.blocks:
            arithmetic.update(i.rule for i in b.identities)
    bad = [f.line() for f in check(r) if f.severity == "error" and f.rule in arithmetic]
    assert not bad


def test_summary_says_what_was_cut(imported):
    s = imported["103_pingtan_zrzy_2024.txt"].summary
    assert s == "已读到 200/200 个单元格，表二按勾稽关系拆分了 1 行，表三按勾稽关系拆分了 4 行（5 条导入说明）"
    notes = " ".join(x.message for x in imported["103_pingtan_zrzy_2024.txt"].notes)
    # the one place where plausibility, not an identity, chose the reading is named, with the others
    assert "“2433”连在一起，读作“2、4、33”" in notes and "“2、43、3”" in notes and "“24、3、3”" in notes
    assert "表三的单元格在原文中连在一起" in notes


# ---- the cut search on its own ---------------------------------------------------------------

HEAD = ("某县人民政府办公室2022年政府信息公开工作年度报告 根据《中华人民共和国政府信息公开条例》编制本报告。"
        "一、总体情况2022年，本办认真落实条例。")


def _t3_text(rows: dict[str, str]) -> str:
    b3 = get_spec("2021").block("t3", "main")
    body = "".join(f"{row.label}{rows.get(row.key, '0000000')}" for row in b3.rows)
    return f"{HEAD}三、收到和处理政府信息公开申请情况{b3.corner}{body}四、政府信息公开行政复议、行政诉讼情况"


def test_several_readings_hold_none_is_taken():
    # 110000011 is 11,0,0,0,0,0,11 or 1,10,0,0,0,0,11; nothing else in the table tells them apart
    res = import_text(_t3_text({"N": "110000011", "R1": "110000011", "R7": "110000011"}))
    r = res.report
    for row in ("N", "R1", "R7"):
        assert all(r.cells[f"t3.main.{row}.{c}"] is None for c in ("NP", "BE", "TT")), row
    open_rows = [f for f in res.findings if f.rule == "IMPORT-CUT"]
    assert len(open_rows) == 3
    msg = open_rows[0].message
    assert "“110000011”" in msg and "11、0、0、0、0、0、11" in msg and "1、10、0、0、0、0、11" in msg
    assert "没有导入" in msg and open_rows[0].cells[0].startswith("t3.main.")
    assert "有 3 行读法不唯一" in res.summary


def test_the_identities_pick_the_reading():
    # R1, printed with spaces, is 11,0,0,0,0,0,11; then （七）总计 = the outcomes and 一 + 二 = （七）+ 四 fix N and R7
    res = import_text(_t3_text({"N": "110000011", "R1": "11 0 0 0 0 0 11", "R7": "110000011"}))
    r = res.report
    for row in ("N", "R1", "R7"):
        assert (r.cells[f"t3.main.{row}.NP"], r.cells[f"t3.main.{row}.BE"], r.cells[f"t3.main.{row}.TT"]) == (11, 0, 11)
    assert not [f for f in res.findings if f.rule == "IMPORT-CUT"]
    assert any("只有“11、0、0、0、0、0、11”符合表三各行之间的勾稽关系" in f.message for f in res.findings)


def test_no_reading_holds():
    res = import_text(_t3_text({"N": "123456789"}))  # no cut gives a total equal to its parts
    assert all(res.report.cells[f"t3.main.N.{c}"] is None for c in ("NP", "TT"))
    f = [x for x in res.findings if x.rule == "IMPORT-CUT"]
    assert f and "任何一种拆法都不符合表三的勾稽关系" in f[0].message


def test_space_is_a_sure_boundary():
    # "10 0 1 200 …" of 103: fifteen digits for fifteen cells, the spaces fix the rest
    res = import_text(_t3_text({"N": "5 2 0 0 0 07", "C": "0000000", "R1": "5 2 0 0 0 07"}))
    r = res.report
    assert [r.cells[f"t3.main.N.{c}"] for c in ("NP", "BE", "RI", "SO", "LS", "OT", "TT")] == [5, 2, 0, 0, 0, 0, 7]


@pytest.mark.parametrize("digits", [60, 300, 900])
def test_long_digit_runs_stay_fast(digits):
    run = ("1234567890" * 100)[:digits]
    start = time.perf_counter()
    res = import_text(_t3_text({row: run for row in ("N", "C", "R1", "R2", "R7", "F")}))
    assert time.perf_counter() - start < 5
    assert res.report.cells["t3.main.N.NP"] is None
