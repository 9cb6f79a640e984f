"""The walk-through end to end on a headless session: a 2020 (2019-format) department with
applications, carry-over, review and suits, from nothing to export (the Pilot walk-through
of a township is in test_tui_walkthrough)."""

from __future__ import annotations

import json
from decimal import Decimal

from nianbao import questions as Q
from nianbao.formats import OVERVIEW_THEMES
from nianbao.importer import import_text
from nianbao.session import DraftSession, check_items, counts
from nianbao.store import load

from factories import t3, t4


def _fill(s: DraftSession, values: dict[str, str]) -> None:
    g = s.grid
    assert g is not None, s.qid
    for cid, text in values.items():
        g.focus(cid)
        assert not g.type(text).error, (cid, g.error(cid))
    res = s.complete_grid()
    assert res.ok, res.error


def _answer(s: DraftSession, raw: str, at: tuple[str, str] | None = None) -> None:
    if at is not None:
        assert (s.step, s.qid) == at
    res = s.answer(raw)
    assert res.ok, res.error


def test_department_with_applications_carryover_review_and_suits(tmp_path):
    s = DraftSession.new(tmp_path)
    s.go("basic")
    _answer(s, "某县自然资源局", ("basic", "agency.name"))
    _answer(s, "政府部门", ("basic", "agency.kind"))
    _answer(s, "2020", ("basic", "year"))
    assert s.report.format_version == "2019"
    for qid, v in (("contact.department", ""), ("contact.address", ""), ("contact.postcode", "471400"),
                   ("contact.phone", ""), ("contact.email", "gk@example.gov.cn"), ("website", ""),
                   ("overview_max_chars", ""), ("signoff.agency", ""), ("signoff.date", "2021年1月20日")):
        _answer(s, v, ("basic", qid))
    assert s.report.signoff.date == "2021-01-20"
    _answer(s, s.proposal_text(s.current()), ("opening", "opening"))
    # 一: the facts of each area, then the text the assistant wrote from them
    for key in ("lead", "active", "request", "management", "platform", "supervision"):
        raw = json.dumps({"slots": {"n_published": "２１０"}, "notes": "网站栏目调整"}) if key == "active" else ""
        _answer(s, raw, ("s1", f"facts.{key}"))
    assert s.report.meta.slots["n_published"] == "210" and s.report.narrative.notes["active"] == "网站栏目调整"
    composed = s.proposal_text(s.current())
    assert (s.step, s.qid) == ("s1", "overview") and "210条" in composed
    assert [p.title for p in s.report.narrative.overview if p.title] == list(OVERVIEW_THEMES)
    request = next(p for p in s.report.narrative.overview if p.area == "request")
    assert "件" not in request.text  # table 三 is not filled yet: no figure is stated
    _answer(s, "2020年，本局认真落实政府信息公开工作要求。\n（一）主动公开。全年主动公开各类信息210条。", ("s1", "overview"))
    assert s.report.narrative.overview[1].inline is True
    _answer(s, Q.YES, ("s2", "s2.any"))
    assert (s.step, s.qid) == ("s2", "t2.a20_1")
    _fill(s, {"t2.a20_1.rules.made": "0", "t2.a20_1.rules.published": "0", "t2.a20_1.rules.total": "0",
              "t2.a20_1.normative.made": "2", "t2.a20_1.normative.published": "2", "t2.a20_1.normative.total": "11"})
    _fill(s, {"t2.a20_5.license.prev": "35", "t2.a20_5.license.delta": "-2", "t2.a20_5.license.decisions": "1,204"})
    _fill(s, {"t2.a20_6.penalty.prev": "12", "t2.a20_6.penalty.delta": "0", "t2.a20_6.penalty.decisions": "９"})
    _fill(s, {"t2.a20_8.fees.prev": "3", "t2.a20_8.fees.delta": "0"})
    assert (s.step, s.qid) == ("s2", "t2.a20_9")  # 采购 is asked for a 2019-format year
    _fill(s, {"t2.a20_9.procurement.count": "6", "t2.a20_9.procurement.amount": "1665.6119"})
    cells = s.report.cells
    assert cells["t2.a20_5.license.decisions"] == 1204 and cells["t2.a20_5.license.delta"] == -2
    assert cells["t2.a20_6.penalty.decisions"] == 9
    assert cells["t2.a20_9.procurement.amount"] == Decimal("1665.6119")
    # 三
    _answer(s, Q.YES, ("s3", "s3.any"))
    _fill(s, {"t3.main.N.NP": "12", "t3.main.N.BE": "3", "t3.main.N.LS": "1"})
    assert t3(s.report, "N") == 16
    _fill(s, {"t3.main.C.NP": "2"})
    assert (s.step, s.qid) == ("s3", "t3.outcomes")
    assert "t3.main.R6.NP" in s.grid.spec.all_ids()  # （六）其他处理 is one row in 2019
    _fill(s, {"t3.main.R1.NP": "6", "t3.main.R2.NP": "2", "t3.main.R3_4.BE": "1", "t3.main.R4_1.NP": "3",
              "t3.main.R4_1.BE": "1", "t3.main.R5_2.NP": "1", "t3.main.R6.LS": "1"})
    assert t3(s.report, "R7", "NP") == 12 and t3(s.report, "R7") == 15
    assert (s.step, s.qid) == ("s3", "t3.F")
    g = s.grid
    assert g.text["t3.main.F.NP"] == "2" and "t3.main.F.NP" in g.proposed  # 12 + 2 − 12
    assert s.report.cells["t3.main.F.NP"] is None  # proposed, not yet confirmed
    _fill(s, {})  # confirm the proposal
    assert t3(s.report, "F", "NP") == 2 and t3(s.report, "F", "BE") == 1 and t3(s.report, "F") == 3
    # 四
    _answer(s, Q.YES, ("s4", "s4.any"))
    _fill(s, {"t4.main.all.rv_upheld": "1", "t4.main.all.rv_corrected": "1", "t4.main.all.ld_upheld": "1",
              "t4.main.all.ld_pending": "1", "t4.main.all.la_other": "1"})
    assert t4(s.report, "rv_total") == 2 and t4(s.report, "ld_total") == 2 and t4(s.report, "la_total") == 1
    _answer(s, "", ("s5", "facts.rectification"))
    _answer(s, "", ("s5", "facts.problems"))
    assert s.report.narrative.problems and s.report.narrative.measures  # written by the assistant
    _answer(s, "上年度报告中提出的栏目更新不及时问题已整改。", ("s5", "rectification"))
    _answer(s, "（一）政策解读形式单一。")
    _answer(s, "（一）丰富解读形式。推出图解、视频等解读产品。")
    _answer(s, "", ("s6", "facts.other"))  # 2019 format: no 信息处理费 question
    assert (s.step, s.qid) == ("s6", "other") and s.report.narrative.other
    _answer(s, "无。")
    assert (s.step, s.qid) == ("check", "")
    e, _, todo = counts(check_items(s.report))
    assert e == 0 and todo == 0, [i.text for i in check_items(s.report)]
    s.go("export")
    res = s.export("txt", str(s.export_path("txt")))
    assert res.ok, res.error
    saved = load(s.path)
    assert saved.meta.session.step == "export"
    out = import_text(res.path.read_text(encoding="utf-8"), res.path.name).report.cells
    for cid, v in saved.cells.items():
        assert out.get(cid) == v, cid
    assert out["t3.main.R1.NP"] == 6 and out["t3.main.F.TT"] == 3 and out["t4.main.all.ld_total"] == 2
    assert out["t2.a20_9.procurement.amount"] == Decimal("1665.6119")
