"""Every rule of the checks, with a passing and a failing case."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nianbao.checks import check, rule_ids
from nianbao.model import AgencyKind, Part, new_report

from factories import filled_2021


def rules(report, rule=None):
    fs = check(report)
    assert not [f for f in fs if f.rule == "INTERNAL"], [f.line() for f in fs]
    return [f for f in fs if rule is None or f.rule == rule]


def test_clean_report_has_no_findings():
    assert rules(filled_2021()) == []


def test_meta():
    r = filled_2021()
    r.agency.name = ""
    r.year = None
    msgs = [f.message for f in rules(r, "META")]
    assert "尚未填写机关名称" in msgs and "尚未填写报告年度" in msgs
    r.year = 2018
    assert "旧格式" in rules(r, "META")[-1].message


def test_format_year():
    r = filled_2021(2022)
    assert not rules(r, "FORMAT-YEAR")
    r.format_override = "2019"
    f = rules(r, "FORMAT-YEAR")
    assert f and f[0].severity == "error" and "2022年度报告应使用" in f[0].message
    r.format_override = "2021"
    assert not rules(r, "FORMAT-YEAR")


def test_title_genre_and_year():
    r = filled_2021(2023, "某县财政局")
    r.title = "某县财政局2023年政府信息公开工作年度报告"
    assert not rules(r, "TITLE")
    r.title = "某县财政局2023年政府信息公开工作报告"
    f = rules(r, "TITLE")
    assert f[0].severity == "error" and "工作报告" in f[0].message
    r.title = "某县财政局2022年政府信息公开工作年度报告"
    f = rules(r, "TITLE")
    assert f[0].expected == "2023年" and f[0].found == "2022年"


@pytest.mark.parametrize(("cid", "value", "rule", "severity"), [
    ("t3.main.R1.NP", -1, "T3-DOMAIN", "error"),
    ("t3.main.R1.NP", Decimal("1.5"), "T3-DOMAIN", "error"),
    ("t4.main.all.rv_upheld", -2, "T4-DOMAIN", "error"),
    ("t2.a20_5.license.decisions", Decimal("3.2"), "T2-DOMAIN", "error"),
    ("t2.a20_8.fees.amount", Decimal("-1"), "T2-DOMAIN", "error"),
    ("t2.a20_8.fees.amount", Decimal("1.123456"), "T2-DOMAIN", "warning"),
])
def test_domain(cid, value, rule, severity):
    r = filled_2021()
    assert not rules(r, rule)
    r.set(cid, value)
    f = rules(r, rule)
    assert f and f[0].severity == severity and cid in f[0].cells


def test_signed_delta_allowed_in_2019():
    r = new_report(2020, "某局")
    r.set("t2.a20_5.license.delta", -8)
    assert not [f for f in rules(r) if f.rule == "T2-DOMAIN"]
    r.set("t2.a20_5.license.prev", -8)
    assert [f for f in rules(r) if f.rule == "T2-DOMAIN"]


def test_blank_cells_are_named_per_row():
    r = filled_2021()
    assert not rules(r, "BLANK")
    r.set("t3.main.R3_2.BE", None)
    r.set("t3.main.R3_2.LS", None)
    f = rules(r, "BLANK")
    assert len(f) == 1 and "商业企业、法律服务机构" in f[0].message and "2.其他法律行政法规禁止公开" in f[0].message
    assert f[0].section == 3 and set(f[0].cells) == {"t3.main.R3_2.BE", "t3.main.R3_2.LS"}


def test_zero_is_not_blank():
    r = filled_2021()
    r.set("t3.main.R3_2.BE", 0)
    assert not rules(r, "BLANK")


def test_t3_col():
    r = filled_2021()
    assert not rules(r, "T3-COL")
    r.set("t3.main.F.NP", 2)  # 5+1 = 6, 七 5 + 四 2 = 7
    r.recompute()
    f = [x for x in rules(r, "T3-COL") if "自然人" in x.where]
    assert f and f[0].expected == "一+二＝6" and f[0].found == "七+四＝7"
    assert "t3.main.F.NP" in f[0].cells


def test_t3_total_row_and_col():
    r = filled_2021()
    r.set("t3.main.R7.NP", 99)  # printed total that is not the sum
    f = rules(r, "T3-TOTAL-ROW")
    assert f and f[0].expected == "5" and f[0].found == "99"
    r = filled_2021()
    r.set("t3.main.N.TT", 3)
    f = rules(r, "T3-TOTAL-COL")
    assert f and f[0].expected == "9" and f[0].found == "3" and "一、本年新收政府信息公开申请数量" in f[0].where


def test_t4_sum():
    r = filled_2021()
    assert not rules(r, "T4-SUM")
    r.set("t4.main.all.ld_total", 5)
    f = rules(r, "T4-SUM")
    assert f and f[0].expected == "2" and f[0].found == "5" and "未经复议直接起诉" in f[0].where


def test_carry_plausibility():
    r = filled_2021()
    assert not rules(r, "T3-CARRY-PLAUSIBILITY")
    r.set("t3.main.F.NP", 9)  # 结转 10 > 新收 9
    r.recompute()
    f = rules(r, "T3-CARRY-PLAUSIBILITY")
    assert f and f[0].severity == "warning" and f[0].found == "10"


def test_t2a_pattern(seed_report):
    r = seed_report
    assert len(rules(r, "T2a-PATTERN")) == 1
    r.set("t2.a20_6.penalty.decisions", 40)
    assert not rules(r, "T2a-PATTERN")


def test_t2_stock():
    r = filled_2021()
    assert not rules(r, "T2b-STOCK")
    r.set("t2.a20_1.normative.valid", 1)  # issued 3 − repealed 1 = 2 > 1
    assert rules(r, "T2b-STOCK")[0].severity == "warning"


def test_t2a_stock(seed_report):
    r = seed_report
    assert not rules(r, "T2a-STOCK")
    r.set("t2.a20_1.normative.published", 5)
    assert rules(r, "T2a-STOCK")


def test_money_unit():
    r = filled_2021()
    assert not rules(r, "MONEY-UNIT")
    r.set("t2.a20_8.fees.amount", 125000)
    assert rules(r, "MONEY-UNIT")
    r.agency.kind = AgencyKind.GOVERNMENT
    assert not rules(r, "MONEY-UNIT")


def test_t3_fee():
    r = filled_2021()
    r.set("t3.main.R6_2.NP", 1)
    r.set("t3.main.N.NP", 6)
    r.recompute()
    assert not rules(r, "T3-FEE")
    r.narrative.other = "本年度未发出收费通知，不涉及信息处理费。"
    assert rules(r, "T3-FEE")


def test_label_variant(seed_report):
    assert len(rules(seed_report, "LABEL-VARIANT")) == 2
    seed_report.label_variants = {}
    assert not rules(seed_report, "LABEL-VARIANT")


def test_narrative_required():
    r = filled_2021()
    r.narrative.other = ""
    r.narrative.problems = []
    r.narrative.measures = []
    f = rules(r, "NARRATIVE")
    assert len(f) == 2 and {x.section for x in f} == {5, 6}


def test_government_assessment():
    r = filled_2021()
    r.agency.kind = AgencyKind.GOVERNMENT
    assert rules(r, "GOV-ASSESS")
    r.narrative.overview.append(Part(title="监督保障。", text="将政务公开纳入绩效考核，全年未发生责任追究情况。"))
    assert not rules(r, "GOV-ASSESS")


def test_government_assessment_applies_to_township_governments_not_subdistricts():
    r = filled_2021(name="某县某镇人民政府")
    r.agency.kind = AgencyKind.TOWNSHIP
    assert rules(r, "GOV-ASSESS")
    r.agency.name = "某区某街道办事处"
    assert not rules(r, "GOV-ASSESS")


def test_unfilled_slots():
    r = filled_2021()
    r.narrative.overview[0].text = "全年主动公开信息{n_published}条。"
    r.narrative.other = "网址为【网站地址】。"
    assert len(rules(r, "UNFILLED")) == 2


@pytest.mark.parametrize(("sentence", "ok"), [
    ("全年共收到政府信息公开申请9件。", True),
    ("全年共收到政府信息公开申请2件。", False),
    ("全年新收政府信息公开申请数量两件。", False),
    ("全年共受理政府信息公开申请10件。", True),  # N + C, as 沭阳 writes it
    ("本年度共办结8件。", True),
    ("本年度共办结7件。", False),
    ("结转下年度继续办理2件。", True),
    ("结转下年度继续办理5件。", False),
    ("本年度未收到政府信息公开申请。", False),
    ("本年度被申请行政复议2件。", True),
    ("本年度被申请行政复议3件。", False),
    ("全年未发生因政府信息公开被申请行政复议的情况。", False),
    ("未发生行政诉讼。", False),
    ("制发行政规范性文件3件。", True),
    ("制发行政规范性文件4件。", False),
    ("本年度未收到行政许可申请。", True),  # not about 信息公开 applications
])
def test_text_vs_table(sentence, ok):
    r = filled_2021()
    r.narrative.overview[1].text = sentence
    found = rules(r, "TEXT-TABLE")
    assert (not found) == ok, [f.line() for f in found]


def test_text_vs_table_zero_statements_hold_when_zero():
    r = filled_2021()
    for row in r.spec.block("t3", "main").rows:
        for c in r.spec.block("t3", "main").columns:
            r.set(f"t3.main.{row.key}.{c.key}", 0)
    for c in r.spec.block("t4", "main").columns:
        r.set(f"t4.main.all.{c.key}", 0)
    r.narrative.overview[1].text = "本年度未收到政府信息公开申请，未发生行政复议和行政诉讼。"
    assert not rules(r, "TEXT-TABLE")


def test_years_in_text():
    r = filled_2021(2023)
    r.narrative.overview[0].text = "2023年，我局认真落实《2022年政务公开工作要点》，自2021年以来持续推进。"
    assert not rules(r, "YEAR-IN-TEXT")
    r.narrative.overview[0].text = "2022年，我局认真贯彻落实各项要求。"
    f = rules(r, "YEAR-IN-TEXT")
    assert f and f[0].found == "2022年" and f[0].severity == "warning"
    r.narrative.overview[0].text = "与2022年相比，申请数量有所增加。"
    assert not rules(r, "YEAR-IN-TEXT")


def test_statistics_period():
    r = filled_2021(2023)
    assert not rules(r, "STAT-PERIOD")
    r.narrative.opening = "本报告所列数据统计期限为2022年1月1日至2022年12月31日。"
    f = rules(r, "STAT-PERIOD")
    assert f and f[0].severity == "error"


def test_rules_never_raise():
    """A report full of odd values still checks (no exception, no INTERNAL finding)."""
    r = new_report(None)
    r.cells = {"t3.main.N.NP": Decimal("-3.5"), "t4.main.all.rv_total": 10**12, "bogus.cell": 1}
    r.narrative.overview = [Part(title="{x}", text="9999年，")]
    fs = check(r)
    assert not [f for f in fs if f.rule == "INTERNAL"]
    assert len(rule_ids()) >= 25


def test_dangling_colon_at_the_end_of_a_section():
    r = filled_2021()
    r.narrative.problems = [Part(text="一是解读形式单一。针对上述问题，我局将重点做好以下工作：")]
    r.narrative.measures = []
    f = rules(r, "DANGLING")
    assert f and f[0].section == 5 and f[0].anchor == "problems.0"
    r.narrative.measures = [Part(title="丰富解读形式。", text="推出图解。", inline=True)]
    assert not rules(r, "DANGLING")
