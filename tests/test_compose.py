"""The composer: 一、五、六 written from the unit's own facts, never against its tables."""

from __future__ import annotations

import json
import re

import pytest

from nianbao.checks import check
from nianbao.compose import Composer, compose, length, stale
from nianbao.formats import OVERVIEW_THEMES, cell_id
from nianbao.model import AgencyKind, Part, Report
from nianbao.phrases import load_bank
from test_claims import APPS, report

NARRATIVE_RULES = {"TEXT-TABLE", "YEAR-IN-TEXT", "STAT-PERIOD", "UNFILLED", "UNFILLED-SLOT", "DANGLING", "NARRATIVE",
                   "GOV-ASSESS", "PHRASE-STALE", "T3-FEE", "COPY-RATE", "LAST-YEAR-TEXT"}


def answer_all(r: Report) -> Report:
    """Every fact the composer may ask, answered (numbers and names)."""
    bank = load_bank()
    for name, spec in bank.slots.items():
        if spec.type in ("int", "money"):
            r.meta.slots[name] = "12"
        elif spec.type == "percent":
            r.meta.slots[name] = "95"
        else:
            r.meta.slots[name] = {"leadership": "县委县政府", "newmedia_name": "“某某发布”微信公众号",
                                    "column_name": "政策解读专栏"}.get(name, "政务公开")
    r.agency.contact.department = "办公室"
    r.agency.contact.phone = "0379-66000000"
    r.agency.website = "http://www.example.gov.cn"
    return r


def township(apps: bool = False) -> Report:
    r = report(APPS if apps else None)
    r.agency.name, r.agency.kind = "某县某某镇人民政府", AgencyKind.TOWNSHIP
    r.fees.charged = False
    r.narrative.other = ""
    return r


def department() -> Report:
    r = report(APPS, t4={"rv": (1, 1, 0, 0), "ld": (1, 0, 0, 0)})
    r.agency.name, r.agency.kind = "某县自然资源局", AgencyKind.DEPARTMENT
    r.fees.charged = False
    r.narrative.other = ""
    return r


def government() -> Report:
    r = report(APPS)
    r.agency.name, r.agency.kind = "某县人民政府", AgencyKind.GOVERNMENT
    r.fees.charged = False
    r.narrative.other = ""
    return r


def narrative_findings(r: Report) -> list[str]:
    return [f.line() for f in check(r) if f.rule in NARRATIVE_RULES]


def composed_text(r: Report) -> str:
    n = r.narrative
    return "\n".join([*(f"{p.title}\n{p.text}" for p in n.overview), n.rectification,
                      *(p.text for p in n.problems), *(p.text for p in n.measures), n.other])


@pytest.mark.parametrize("build", [township, department, government])
def test_five_areas_numbered_by_the_composer_and_no_heading_inside_a_paragraph(build):
    r = answer_all(build())
    compose(r)
    titled = [p.title for p in r.narrative.overview if p.title]
    assert titled == list(OVERVIEW_THEMES)
    assert r.narrative.overview[0].title == "" and r.narrative.overview[0].area == "lead"
    for p in r.narrative.overview:
        assert not re.search(r"(^|\n)\s*[（(][一二三四五六七八九十]+[）)]", p.text), p.text
        assert "\n" not in p.text
    assert r.narrative.other and r.narrative.problems and r.narrative.measures


@pytest.mark.parametrize("build", [township, department, government])
def test_a_composed_report_checks_clean(build):
    r = answer_all(build())
    compose(r)
    assert narrative_findings(r) == []
    # every sentence the composer wrote is recorded with its bank variant
    bank = load_bank()
    assert r.narrative.pieces and all(p.variant in bank.variant_index for p in r.narrative.pieces)
    assert set(r.meta.phrases_used) >= {p.variant for p in r.narrative.pieces}


def test_township_without_applications_never_presupposes_them():
    r = answer_all(township())
    compose(r)
    request = next(p for p in r.narrative.overview if p.area == "request")
    assert "未收到" in request.text
    for word in ("答复", "不予公开", "会商", "办结"):
        assert word not in request.text, request.text
    text = composed_text(r)
    assert not re.search(r"复议.{0,6}(纠正|纠错|维持)|诉讼.{0,6}(纠正|败诉)", text)
    assert not any(p.variant.startswith("problems.application") for p in r.narrative.pieces)
    assert "信息处理费" in r.narrative.other and not re.search(r"收取信息处理费\d", r.narrative.other)


def test_government_reports_assessment_evaluation_and_accountability():
    r = answer_all(government())
    compose(r)
    supervision = next(p for p in r.narrative.overview if p.area == "supervision").text
    assert "考核" in supervision and "评议" in supervision
    assert "追究" in supervision or "问责" in supervision, supervision
    assert not [f for f in check(r) if f.rule == "GOV-ASSESS"]


def test_department_gets_no_government_only_sentences():
    r = answer_all(department())
    compose(r)
    bank = load_bank()
    for p in r.narrative.pieces:
        kinds = bank.variant(p.variant).kinds
        assert not kinds or "政府部门" in kinds, p.variant


def test_figures_in_the_prose_are_the_tables():
    r = answer_all(department())
    compose(r)
    text = composed_text(r)
    assert "46件" in text or "45件" in text  # 新收 45, or 新收 + 上年结转 46
    assert not [f for f in check(r) if f.rule == "TEXT-TABLE"]


def test_unknown_facts_are_visible_never_invented():
    r = township()
    compose(r)
    text = composed_text(r)
    marks = re.findall(r"〔待补：([^〕]+)〕", text)
    assert marks
    found = [f for f in check(r) if f.rule == "UNFILLED"]
    assert found and all("还有待补的内容" in f.message for f in found)
    # numbers in the prose come from the tables or answers only: none of the bank's facts appear as digits
    assert not re.search(r"\d+条", text)


def test_without_replace_only_what_is_not_written():
    r = answer_all(department())
    r.narrative.overview = [Part(title="主动公开", text="我局全年主动公开信息320条，其中政策文件45件。")]
    r.narrative.other = "无。"
    res = compose(r)
    active = [p for p in r.narrative.overview if p.title == "主动公开"]
    assert len(active) == 1 and active[0].text == "我局全年主动公开信息320条，其中政策文件45件。"
    assert r.narrative.other == "无。" and "一、总体情况·主动公开" in res.kept
    assert [p.title for p in r.narrative.overview if p.title] == list(OVERVIEW_THEMES)
    compose(r, "六", replace=True)
    assert r.narrative.other != "无。"


def test_user_parts_of_no_area_stay_where_they_were():
    r = answer_all(department())
    r.narrative.overview = [Part(title="主动公开", text="我局全年主动公开信息320条。"),
                            Part(title="政务服务", text="我局推进“一网通办”。")]
    compose(r)
    titles = [p.title for p in r.narrative.overview if p.title]
    assert titles.index("政务服务") == titles.index("主动公开") + 1


def test_composing_with_last_years_report_avoids_its_wording():
    last = answer_all(department())
    last.year = 2023
    compose(last)
    this = answer_all(department())
    compose(this, previous=last)
    mine = [s for p in this.narrative.pieces for s in re.split(r"(?<=[。；])", p.text) if len(s) > 8]
    theirs = {s for p in last.narrative.pieces for s in re.split(r"(?<=[。；])", p.text) if len(s) > 8}
    repeated = [s for s in mine if s in theirs]
    assert len(repeated) <= 0.2 * len(mine), repeated
    assert not set(p.variant for p in this.narrative.pieces) >= set(p.variant for p in last.narrative.pieces)


def test_changing_a_figure_after_composing_flags_the_sentence():
    r = answer_all(township())
    compose(r)
    assert stale(r) == []
    # an application arrives after the text was written
    r.set(cell_id("t3", "main", "N", "NP"), 2)
    r.set(cell_id("t3", "main", "R1", "NP"), 2)
    r.recompute()
    found = [f for f in check(r) if f.rule == "PHRASE-STALE"]
    assert found, [f.line() for f in check(r)]
    assert any("未收到" in f.found for f in found)
    assert all(f.expected and "未收到" not in f.expected for f in found if "未收到" in f.found)


def test_alternatives_cycle_other_ways_of_the_same_move():
    r = answer_all(department())
    compose(r)
    p = r.narrative.pieces[0]
    alts = Composer(r).alternatives(p.variant)
    bank = load_bank()
    assert alts and all(bank.variant(a.variant).move is bank.variant(p.variant).move for a in alts)
    assert p.variant not in {a.variant for a in alts}


def test_overview_length_is_measured_without_whitespace():
    r = report()
    r.narrative.overview = [Part(title="主动公开", text="一二三 四五")]
    assert length(r) == len("主动公开") + 5


def test_cli_compose(tmp_path, capsys):
    from nianbao import store
    from nianbao.cli import main

    r = answer_all(department())
    p = tmp_path / "r.json"
    store.save(r, p)
    assert main(["compose", str(p), "--section", "六"]) == 0
    out = capsys.readouterr().out
    assert "已撰写：六、其他需要报告的事项" in out
    back = store.load(p)
    assert back.narrative.other and not back.narrative.overview
    assert main(["compose", str(p), "-o", str(tmp_path / "o.json")]) == 0
    data = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))
    assert len(data["narrative"]["overview"]) == 6 and data["narrative"]["pieces"]
    assert main(["compose", str(p), "--section", "七"]) == 2
    assert "只能撰写" in capsys.readouterr().err


def test_a_local_length_limit_is_kept_and_checked():
    r = answer_all(government())
    compose(r)
    full = length(r)
    limit = full - 150
    r2 = answer_all(government())
    r2.agency.overview_max_chars = limit
    compose(r2)
    assert length(r2) <= limit and not [f for f in check(r2) if f.rule == "OVERVIEW-LENGTH"]
    r2.narrative.overview.append(Part(title="其他", text="字" * 400))
    f = [x for x in check(r2) if x.rule == "OVERVIEW-LENGTH"]
    assert f and f[0].expected == f"≤{limit}字"


def test_a_chosen_sentence_goes_under_its_area_never_with_a_heading_of_its_own():
    from nianbao.compose import place

    r = answer_all(department())
    bank = load_bank()
    v = next(v for m in bank.moves_of("overview") if m.theme == "主动公开" for v in m.variants
             if not v.kinds and not v.conditions)
    text = place(r, "overview", "（一）主动公开。\n我局全年主动公开信息320条。", v.id, "第二句。")
    assert text == "（一）主动公开。\n我局全年主动公开信息320条。第二句。"
    # an area not written yet: its heading, in the areas' order
    m = next(m for m in bank.moves_of("overview") if m.theme == "依申请公开")
    text = place(r, "overview", "（一）主动公开。\n甲。\n（二）政府信息管理\n乙。", m.variants[0].id, "丙。")
    assert [h for h in text.split("\n") if h.startswith("（")] == ["（一）主动公开。", "（二）依申请公开", "（三）政府信息管理"]
    assert r.narrative.pieces[-1].text == "丙。"


def test_an_item_in_six_replaces_nothing_to_report():
    from nianbao.compose import place

    r = answer_all(department())
    bank = load_bank()
    v = next(v for m in bank.moves_of("other") if ".fee." in m.id for v in m.variants)
    assert place(r, "other", "无其他需要报告的事项。", v.id, "本年度未收取信息处理费。") == "本年度未收取信息处理费。"
    assert place(r, "other", "本年度办理人大代表建议3件。", v.id, "本年度未收取信息处理费。") == \
        "本年度办理人大代表建议3件。本年度未收取信息处理费。"


def test_facts_asked_are_those_of_sentences_for_the_agency():
    from nianbao.compose import area_facts

    bank = load_bank()
    gov = {s.name for s in area_facts(bank, government(), "supervision")}
    dept = {s.name for s in area_facts(bank, department(), "supervision")}
    assert gov and dept and gov != dept
    for key in ("active", "supervision"):
        assert area_facts(bank, department(), key)
        assert all(s.label for s in area_facts(bank, department(), key))


def test_cycle_drop_and_recompose_one_area():
    from nianbao.compose import drop_piece, next_wording, piece_at, recompose
    from nianbao.text import parts_to_text

    r = answer_all(department())
    compose(r)
    text = parts_to_text(r.narrative.overview)
    first = next(p for p in r.narrative.pieces if p.field == "overview")
    at = text.index(first.text)
    p = piece_at(r, "overview", text, at + 2)
    assert p is first
    seen = {first.variant}
    cur_text, cur = text, first
    for _ in range(3):
        nxt = next_wording(r, cur, cur_text)
        assert nxt is not None
        cur_text, cur = nxt
        assert cur.text in cur_text and cur.variant not in {first.variant} | (seen - {first.variant})
        seen.add(cur.variant)
    assert len(seen) >= 3
    dropped = drop_piece(r, cur, cur_text)
    assert cur.text not in dropped and cur not in r.narrative.pieces
    # recompose one area only: the others stay word for word
    before = {p.area: p.text for p in r.narrative.overview}
    recompose(r, "platform", notes="政务新媒体 公众号")
    after = {p.area: p.text for p in r.narrative.overview}
    assert all(after[k] == v for k, v in before.items() if k != "platform")
    assert [p.title for p in r.narrative.overview if p.title] == list(OVERVIEW_THEMES)
    assert r.narrative.notes["platform"] == "政务新媒体 公众号"


def test_a_fact_answered_zero_gets_the_zero_wording():
    r = department()
    bank = load_bank()
    for name, spec in bank.slots.items():
        r.meta.slots[name] = "0" if spec.type in ("int", "money", "percent") else "政务公开"
    compose(r)
    text = composed_text(r)
    assert len(re.findall(r"(?<![\d.])0(?:次|条|篇|场|人次|个|期|项)", text)) <= 2, re.findall(r".{12}0(?:次|条|篇)", text)


def test_text_still_as_written_follows_the_tables_text_changed_by_the_user_does_not():
    from nianbao.compose import refresh

    r = answer_all(township())
    kept = {cid: r.cells[cid] for cid in r.cells if cid.startswith("t3.")}
    for cid in kept:
        r.cells[cid] = None  # table 三 not filled yet
    compose(r)
    request = next(p for p in r.narrative.overview if p.area == "request")
    assert "未收到" not in request.text
    r.cells.update(kept)
    notes = refresh(r)
    request = next(p for p in r.narrative.overview if p.area == "request")
    assert "未收到" in request.text and any("依申请公开" in n for n in notes)
    # the user's own words are left alone
    request.text = "我镇全年未收到申请，群众咨询均当场答复。"
    r.set(cell_id("t3", "main", "N", "NP"), 1)
    r.recompute()
    refresh(r)
    assert next(p for p in r.narrative.overview if p.area == "request").text == "我镇全年未收到申请，群众咨询均当场答复。"


def test_the_share_repeated_from_last_year_is_shown_live(seed_report, tmp_path):
    """Next year's draft: its 总体情况 is written when first shown (not last year's text), the
    line under it says how much repeats last year; pasting last year's text back raises it."""
    from nianbao.crossyear import carry_forward
    from nianbao.phrases import segment
    from nianbao.session import DraftSession

    segment.ensure()
    segment.wait()
    r, _ = carry_forward(seed_report, 2021)
    s = DraftSession(r, home=tmp_path)
    s.go("s1", "overview")
    q = s.current()
    text = s.proposal_text(q)
    assert "（一）主动公开" in text and r.narrative.overview and seed_report.narrative.overview[0].text[:20] not in text
    fresh = s.copy_share(text)
    old = seed_report.narrative.field_text("overview")
    copied = s.copy_share(old)
    assert fresh is not None and copied is not None and fresh <= 20 < copied
    line = s.text_status(old, share=True)
    assert f"与上一年度重复约{copied:.0f}%" in line and "偏高" in line
    assert "与上一年度" not in s.text_status(text)  # only when asked (on a pause in typing)
    # no previous year known: no share line
    s2 = DraftSession(seed_report.model_copy(deep=True), home=tmp_path)
    s2.go("s1", "overview")
    assert s2.copy_share("任意文字。") is None
