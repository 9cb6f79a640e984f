"""内容雷同 (COPY-RATE), UNFILLED-SLOT, and the bank's sentences against the tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nianbao.checks import check
from nianbao.model import Part
from nianbao.phrases import check_phrases, check_similarity, load_bank, similarity

NEW_PART_1 = ("我局调整充实了政务公开工作领导小组，由主要负责同志牵头，办公室具体承办，各股室明确一名信息员，"
              "形成上下联动的工作格局。")
NEW_PART_3 = ("全年通过门户网站发布城市管理领域各类信息，重点公开了市容环境整治、占道经营管理和燃气安全检查等内容，"
              "方便群众及时了解。")


def test_identical_narrative_is_100_percent(seed_report):
    s = similarity(seed_report, seed_report)
    assert s.percent == 100.0 and s.repeated_chars == s.total_chars > 800


def test_year_changed_copy_is_still_a_copy(seed_report):
    copy = seed_report.model_copy(deep=True)
    for p in (*copy.narrative.overview, *copy.narrative.problems):
        p.text = p.text.replace("2020", "2021")
    assert similarity(copy, seed_report).percent == 100.0


def test_rewritten_version_known_share(seed_report):
    new = seed_report.model_copy(deep=True)
    new.narrative.overview[1] = Part(title="加强组织领导。", text=NEW_PART_1)
    new.narrative.overview[3] = Part(title="规范信息发布。", text=NEW_PART_3)
    s = similarity(new, seed_report)
    rewritten = sum(len(t) for t in ("加强组织领导。", NEW_PART_1, "规范信息发布。", NEW_PART_3))
    # everything else is repeated word for word
    assert s.total_chars - s.repeated_chars == rewritten
    assert 80 < s.percent < 88
    assert s.by_place["一、总体情况 第2部分"][0] == 0.0 and s.by_place["一、总体情况 第1部分"][0] == 100.0


def test_unrelated_text_is_zero(seed_report):
    bank = load_bank()
    other = "".join(v.text for v in bank.variants if v.move.section == "opening")
    assert similarity(seed_report, other).percent < 5


def test_check_similarity_warns_above_threshold(seed_report):
    new = seed_report.model_copy(deep=True)
    found = check_similarity(new, seed_report)
    assert len(found) == 1
    f = found[0]
    assert f.rule == "COPY-RATE" and f.severity == "warning" and f.found == "100%"
    assert "100%" in f.message and "一、总体情况 第2部分" in f.message and f.section == 1
    assert check_similarity(new, seed_report, threshold=100) == []
    # rewrite most of it: below the threshold, no finding
    new.narrative.overview = [Part(title="加强组织领导。", text=NEW_PART_1), Part(title="规范信息发布。", text=NEW_PART_3)]
    new.narrative.problems = [Part(text="政策解读形式较为单一，图解和视频解读运用不多。")]
    new.narrative.measures = [Part(text="下一步，我局将丰富解读形式，推出更多图解和短视频解读产品。")]
    assert check_similarity(new, seed_report) == []


def test_check_similarity_uses_last_years_report_from_meta(seed_report):
    this = seed_report.model_copy(deep=True)
    assert check_similarity(this) == []  # nothing known about last year
    this.meta.previous = {"year": 2019, "report": seed_report.model_dump(mode="json")}
    found = check_similarity(this)
    assert [f.rule for f in found] == ["COPY-RATE"]
    this.meta.previous = {"text": "完全不同的一段文字，讲的是另外一件事情，与本报告没有关系。"}
    assert check_similarity(this) == []


# ---- unfilled slots -------------------------------------------------------------------

def test_unfilled_slot_only_what_core_misses(seed_report):
    r = seed_report
    r.narrative.other = "本年度收取信息处理费{fee_yuan}元。【请在这里写明本年度收取信息处理费的具体情况和依据】"
    core = [f for f in check(r) if f.rule == "UNFILLED"]
    ours = [f for f in check_phrases(r) if f.rule == "UNFILLED-SLOT"]
    assert [f.found for f in core] and "{fee_yuan}" in core[0].message
    assert len(ours) == 1 and "【请在这里写明" in ours[0].message and ours[0].section == 6
    r.narrative.other = "本年度收取信息处理费｛fee_yuan｝元。"
    assert [f.rule for f in check_phrases(r)] == ["UNFILLED-SLOT"]
    r.narrative.other = "无。"
    assert check_phrases(r) == []


# ---- the bank's sentences against the tables: one vocabulary, one rule (TEXT-TABLE) ------

@pytest.fixture()
def report_2021():
    from test_phrases_slots import build_2021

    return build_2021()


@pytest.mark.parametrize(("text", "figure", "expected"), [
    ("本年度收取信息处理费500元。", "fee_yuan", "380"),
    ("收取信息处理费共计0.05万元。", "fee_yuan", "380"),
    ("其中自然人提出申请9件。", "apps_new_np", "6"),  # 6 new, or 7 with the one carried over
    ("予以公开5件，部分公开2件。", "apps_disclosed", "4"),
    ("全年作出行政许可决定100件。", "licenses", "120"),
    ("现行有效的行政规范性文件12件。", "normative_valid", "15"),
])
def test_figures_next_to_bank_words_are_checked(report_2021, text, figure, expected):
    r = report_2021
    r.narrative.overview = [Part(text=text)]
    found = [f for f in check(r) if f.rule == "TEXT-TABLE"]
    assert len(found) == 1, [f.line() for f in found]
    f = found[0]
    assert f.extra["readings"][0] == figure and f.expected == expected and f.severity == "error"
    assert f.anchor == "overview.0"
    assert bool(f.cells) == (figure != "fee_yuan")  # 信息处理费 is not a table cell


@pytest.mark.parametrize("text", [
    "本年度收取信息处理费380元。",
    "其中自然人提出申请6件，法人或其他组织提出申请2件。",
    "同比增长5件。",
    "2022年12月31日前完成。",
    "全年共办结政府信息公开申请8件。",
])
def test_no_false_alarm(report_2021, text):
    r = report_2021
    r.narrative.overview = [Part(text=text)]
    assert [f.line() for f in check(r) if f.rule == "TEXT-TABLE"] == []


def test_edited_bank_sentence(report_2021):
    r = report_2021
    # a bank sentence whose figure was typed over
    r.narrative.other = "2022年，我局依据《政府信息公开信息处理费管理办法》，对1件政府信息公开申请收取信息处理费，共计480元。"
    found = [f for f in check(r) if f.rule == "TEXT-TABLE"]
    assert [(f.expected, f.found) for f in found] == [("380", "480")]
    assert found[0].section == 6 and found[0].anchor == "other"


def test_one_finding_per_claim(report_2021):
    r = report_2021
    r.narrative.overview = [Part(text="全年共办结政府信息公开申请5件。")]
    assert len([f for f in check(r) if f.rule == "TEXT-TABLE"]) == 1


def test_checks_never_raise(report_2021):
    r = report_2021
    r.fees.amount_yuan = Decimal("1")
    r.narrative.overview = [Part(text="信息处理费" * 50 + "1元")]
    assert isinstance(check_phrases(r), list)
    assert not [f for f in check(r) if f.rule == "INTERNAL"]
