"""The prose against the tables (TEXT-TABLE): each kind of claim with a sentence that holds
and one that does not, on realistic sentences — the contradictions real reports contain,
and the sound sentences an earlier version flagged."""

from __future__ import annotations

from datetime import date

import pytest

from nianbao.checks import check
from nianbao.claims import extract
from nianbao.formats import cell_id
from nianbao.model import AgencyKind, Part, Report, new_report

COLS = ("NP", "BE", "RI", "SO", "LS", "OT")


def report(t3: dict[str, tuple[int, ...]] | None = None, t4: dict[str, tuple[int, int, int, int]] | None = None,
           year: int = 2024, valid: int = 210, issued: int = 6, repealed: int = 2) -> Report:
    """A 2021-format report: table 三 rows given per applicant column (the rest 0), table 四
    per group (upheld, corrected, other, pending), all else 0."""
    r = new_report(year, "某县自然资源局", AgencyKind.DEPARTMENT)
    for c in r.spec.cells:
        if not c.computed:
            r.set(c.id, 0)
    for row, vals in (t3 or {}).items():
        for col, v in zip(COLS, vals, strict=False):
            r.set(cell_id("t3", "main", row, col), v)
    for group, vals in (t4 or {}).items():
        for k, v in zip(("upheld", "corrected", "other", "pending"), vals, strict=True):
            r.set(cell_id("t4", "main", "all", f"{group}_{k}"), v)
    for col, v in (("issued", issued), ("repealed", repealed), ("valid", valid)):
        r.set(cell_id("t2", "a20_1", "normative", col), v)
    r.recompute()
    r.narrative.other = "本年度未收取信息处理费。"
    return r


def text_findings(r: Report, text: str, where: str = "overview") -> list:
    if where == "overview":
        r.narrative.overview = [Part(title="依申请公开情况。", text=text, inline=True)]
    else:
        setattr(r.narrative, where, text)
    return [f for f in check(r) if f.rule == "TEXT-TABLE"]


# 45 new (43 自然人, 2 商业企业) + 1 carried (自然人) = 46; 40 办结, 6 carried forward…
APPS = {"N": (43, 2), "C": (1,), "R1": (18,), "R2": (12,), "R4_1": (6,), "R4_2": (2,), "R5_2": (2,),
        "F": (4, 2)}


def test_fixture_is_consistent():
    r = report(APPS)
    assert not [f for f in check(r) if f.severity == "error" and f.rule not in ("NARRATIVE",)], \
        [f.line() for f in check(r) if f.severity == "error"]


# ---- sound sentences stay quiet ------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "全年共收到政府信息公开申请46件，涉及自然人44件、商业企业2件。",  # 46 = 45 + 1, 44 = 43 + 1
    "全年新收政府信息公开申请45件，其中自然人43件、商业企业2件。",
    "本年度予以公开及部分公开30件。",  # 18 + 12
    "本年度办结40件，6件结转下年度继续办理。",
    "共收到政府信息公开申请46件（含上年结转1件），办结40件，结转下年度6件。",
    "全年新收和上年结转的政府信息公开申请合计46件，其中本年新收45件、上年结转1件。",
    "予以公开18件，占办结总数的45%；部分公开12件，占30%。",
    "因本机关不掌握相关政府信息无法提供6件，没有现成信息需要另行制作2件。",
    "本年度共收到公民、法人和其他组织政府信息公开申请45件。",
    "全年未发生行政复议和行政诉讼案件。",
    "现行有效行政规范性文件210件，本年制发6件。",
])
def test_sound_sentences_are_not_flagged(sentence):
    assert text_findings(report(APPS), sentence) == []


def test_the_sum_of_a_group_is_computed_when_its_total_is_blank():
    """（一）126 + （二）4 = 130, with the 总计 cells of the two rows left blank."""
    r = report({"N": (130,), "R1": (126,), "R2": (4,)})
    for row in ("R1", "R2"):
        r.cells[cell_id("t3", "main", row, "TT")] = None
    assert text_findings(r, "予以公开及部分公开130件。") == []
    f = text_findings(r, "予以公开及部分公开120件。")
    assert f and f[0].severity == "error" and f[0].expected == "130" and f[0].found == "120"
    assert "（一）予以公开" in f[0].message and "（二）部分公开" in f[0].message


# ---- contradictions are found --------------------------------------------------------

@pytest.mark.parametrize(("sentence", "expected", "found", "cell"), [
    ("全年共收到政府信息公开申请50件。", "45", "50", cell_id("t3", "main", "N", "TT")),
    ("无法提供5件。", "8", "5", cell_id("t3", "main", "R4_1", "TT")),
    ("上年结转1件，结转下年度3件。", "6", "3", cell_id("t3", "main", "F", "TT")),
    ("本年度办结38件。", "40", "38", cell_id("t3", "main", "R7", "TT")),
    ("其中，自然人申请40件。", "43", "40", cell_id("t3", "main", "N", "NP")),
    ("现行有效行政规范性文件200件。", "210", "200", cell_id("t2", "a20_1", "normative", "valid")),
    ("本年度制发行政规范性文件8件。", "6", "8", cell_id("t2", "a20_1", "normative", "issued")),
])
def test_restated_figures_that_differ_are_errors(sentence, expected, found, cell):
    f = text_findings(report(APPS), sentence)
    assert len(f) == 1, [x.line() for x in f]
    assert f[0].severity == "error" and f[0].expected == expected and f[0].found == found
    assert cell in f[0].cells and f[0].extra["sentence"] == sentence.strip()


def test_unavailable_total_of_three_rows():
    r = report({"N": (97,), "R4_1": (90,), "R4_2": (5,), "R4_3": (2,)})
    assert text_findings(r, "无法提供97件。") == []
    f = text_findings(r, "无法提供88件。")
    assert f and f[0].severity == "error" and f[0].expected == "97" and "（四）无法提供" in f[0].message


def test_all_upheld_with_cases_pending():
    r = report(APPS, t4={"rv": (1, 0, 0, 1), "ld": (1, 0, 0, 0)})
    f = text_findings(r, "行政复议、行政诉讼案件均获维持。")
    assert f and f[0].severity == "error" and "尚未审结" in f[0].message
    r = report(APPS, t4={"rv": (2, 0, 0, 0), "ld": (1, 0, 0, 0)})
    assert text_findings(r, "行政复议、行政诉讼案件均获维持。") == []


def test_no_applications_against_every_row():
    # applications in the outcome rows and 新收 > 0
    f = text_findings(report(APPS), "全年未收到依申请公开事项。")
    assert f and f[0].severity == "error" and "本年新收" in f[0].message
    # nothing new, one carried over and answered: a warning that asks to say so
    r = report({"C": (1,), "R1": (1,)})
    f = text_findings(r, "本年度未收到政府信息公开申请。")
    assert f and f[0].severity == "warning" and "上年结转" in f[0].message
    assert text_findings(r, "本年度未新收政府信息公开申请，上年结转的1件已办结。") == []
    assert text_findings(report(), "本年度未收到政府信息公开申请。") == []


def test_no_cases_and_no_fee():
    r = report(APPS, t4={"rv": (1, 0, 0, 0)})
    f = text_findings(r, "全年未发生因政府信息公开引起的行政复议、行政诉讼。")
    assert f and f[0].severity == "error" and "行政复议" in f[0].message
    assert text_findings(r, "全年未发生行政诉讼。") == []
    r.fees.charged, r.fees.amount_yuan, r.fees.count = True, 380, 1
    f = text_findings(r, "本年度未收取信息处理费。", where="other")
    assert f and f[0].severity == "error" and "380" in f[0].message
    assert text_findings(r, "本年度收取信息处理费380元。", where="other") == []
    f = text_findings(r, "本年度收取信息处理费500元。", where="other")
    assert f and f[0].expected == "380" and f[0].found == "500"


def test_all_done_with_cases_carried_forward():
    f = text_findings(report(APPS), "所有申请均已办结。")
    assert f and f[0].severity == "error" and "结转下年度" in f[0].message
    done = report({"N": (3,), "R1": (3,)})
    assert text_findings(done, "所有申请均已办结。") == []
    assert text_findings(report(APPS), "上年结转的申请均已办结。") == []


def test_percentages():
    r = report(APPS)
    assert text_findings(r, "予以公开18件，占办结总数的45%。") == []
    f = text_findings(r, "予以公开18件，占办结总数的60%。")
    assert f and f[0].expected == "45%" and f[0].found == "60%"
    f = text_findings(r, "本年度办结40件，办结率100%。")  # 6 carried forward: 40 / 46
    assert f and f[0].severity == "warning" and f[0].expected == "86.96%"


def test_a_breakdown_larger_than_its_own_total():
    f = text_findings(report(APPS), "全年共收到政府信息公开申请46件，其中自然人44件、商业企业5件。")
    assert any(x.severity == "warning" and "前后矛盾" in x.message for x in f), [x.line() for x in f]


def test_uncertain_binding_is_a_warning():
    f = text_findings(report(APPS), "全年办理依申请公开事项52件。")  # 办理: 办结, or 新收 (+ 结转)
    assert f and f[0].severity == "warning"
    assert text_findings(report(APPS), "全年办理依申请公开事项46件。") == []


def test_numbers_that_are_not_claims():
    r = report(APPS)
    for s in ("较上年增加5件。", "按照规定在20个工作日内答复。", "对每一件申请逐件登记。", "约50件。",
              "全年主动公开政府信息1200条。", "全年未收到涉及政府信息公开工作的投诉举报。",
              "未经复议直接起诉的案件为0件。"):
        assert text_findings(r, s) == [], s


def test_claims_carry_their_spans():
    r = report(APPS)
    text = "我局全年共收到政府信息公开申请46件。"
    [c] = extract(r, text)
    assert text[c.start:c.end] == "收到政府信息公开申请46件" and c.readings == ("apps_new", "apps_total")


# ---- years and periods ----------------------------------------------------------------

def years(r: Report, text: str, where: str = "overview") -> list:
    text_findings(r, text, where)
    return [f for f in check(r) if f.rule in ("YEAR-IN-TEXT", "STAT-PERIOD")]


def test_back_references_to_last_year_are_normal():
    r = report(APPS, year=2024)
    for s in ("全年公开2023年度部门决算和2024年部门预算。", "按要求公开2023年度绩效评价报告。",
              "含2023年结转1件。", "对2023年度考核中发现的问题进行了整改。"):
        assert years(r, s) == [], s
    f = years(r, "2023年，我局认真贯彻落实各项部署。")
    assert f and f[0].rule == "YEAR-IN-TEXT" and f[0].found == "2023年"


def test_next_year_in_plans_and_in_the_signature_date():
    r = report(APPS, year=2024)
    assert years(r, "无。\n某县自然资源局\n2025年1月20日", where="other") == []
    r.narrative.measures = [Part(text="2025年，我局将进一步加强政策解读。")]
    assert years(r, "无。", where="other") == []
    f = years(r, "2025年，我局全面推进政务公开。")
    assert f and f[0].found == "2025年"


def test_statistics_period_not_the_calendar_year_is_a_warning():
    r = report(APPS, year=2024)
    r.narrative.opening = "本报告中所列数据的统计期限自2024年9月1日起至2024年12月31日止。"
    f = [x for x in check(r) if x.rule == "STAT-PERIOD"]
    assert f and f[0].severity == "warning" and "9月1日" in f[0].message
    r.narrative.opening = "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。"
    f = [x for x in check(r) if x.rule == "STAT-PERIOD"]
    assert f and f[0].severity == "error"
    r.narrative.opening = "本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。"
    assert not [x for x in check(r) if x.rule == "STAT-PERIOD"]


def test_signoff_date_defaults_to_export_day():
    r = report(APPS)
    assert r.signoff_lines(date(2025, 1, 20))[1] == "2025年1月20日"


@pytest.mark.parametrize("sentence", [
    "本年度被申请行政复议2件，其中被复议机关纠正1件。",
    "因本机关不掌握相关政府信息等原因无法提供的8件。",
    "本年度承办人大代表建议3件，均已按期办结。",
])
def test_sentences_a_phrase_writer_found_misread(sentence):
    """Sound sentences of the phrase bank the extractor once misread."""
    r = report(APPS, t4={"rv": (1, 1, 0, 0)})
    assert text_findings(r, sentence) == []
