"""Conditions and slot filling: figures come from the tables, sentences never
contradict them, government-only moves stay hidden for departments."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from nianbao.checks import check
from nianbao.model import AgencyKind, Contact, Part, new_report
from nianbao.phrases import fill, load_bank, self_reference, suggest, values
from nianbao.phrases.conditions import ConditionError, evaluate, parse


def build_2021(apps: bool = True, kind: AgencyKind = AgencyKind.DEPARTMENT, name: str = "嵩县市场监督管理局"):
    """A complete, consistent 2022 report (format 2021)."""
    r = new_report(2022, name, kind)
    r.agency.website = "http://www.example.gov.cn"
    r.agency.contact = Contact(department="局办公室", address="嵩县人民路1号", postcode="471400", phone="0379-66000000",
                               email="gk@example.gov.cn")
    for c in r.spec.cells:
        if not c.computed:
            r.set(c.id, 0)
    if apps:
        for cid, v in {"t3.main.N.NP": 6, "t3.main.N.BE": 2, "t3.main.C.NP": 1, "t3.main.R1.NP": 4,
                       "t3.main.R2.BE": 2, "t3.main.R4_1.NP": 2, "t3.main.F.NP": 1,
                       "t4.main.all.rv_upheld": 1, "t2.a20_1.normative.issued": 3,
                       "t2.a20_1.normative.valid": 15, "t2.a20_5.license.decisions": 120,
                       "t2.a20_6.penalty.decisions": 37}.items():
            r.set(cid, v)
        r.fees.charged = True
        r.fees.count = 1
        r.fees.amount_yuan = Decimal("380")
    else:
        r.fees.charged = False
    r.recompute()
    return r


# ---- conditions ---------------------------------------------------------------------

def test_condition_parse_and_evaluate():
    c = parse("apps_new > 0")
    assert (c.slot, c.op) == ("apps_new", ">")
    assert evaluate(c, 3) and not evaluate(c, 0)
    assert not evaluate(c, None)  # unanswered => false
    assert not evaluate(parse("apps_new == 0"), None)
    assert evaluate(parse("format == 2021"), "2021") and not evaluate(parse("format == 2021"), "2019")
    assert evaluate(parse("kind == 人民政府"), "人民政府")
    assert evaluate(parse("has_previous == true"), True) and not evaluate(parse("has_previous == true"), False)
    assert evaluate(parse("fee_yuan >= 0.5"), Decimal("0.5"))
    with pytest.raises(ConditionError):
        parse("apps_new > ")
    with pytest.raises(ConditionError):
        parse("kind > 人民政府")


# ---- self reference -------------------------------------------------------------------

@pytest.mark.parametrize(("name", "kind", "ref"), [
    ("嵩县城市管理局", AgencyKind.DEPARTMENT, "我局"),
    ("嵩县人民政府办公室", AgencyKind.DEPARTMENT, "我办"),
    ("洛阳市发展和改革委员会", AgencyKind.DEPARTMENT, "我委"),
    ("嵩县人民政府", AgencyKind.GOVERNMENT, "我县"),
    ("洛阳市人民政府", AgencyKind.GOVERNMENT, "我市"),
    ("田湖镇人民政府", AgencyKind.TOWNSHIP, "我镇"),
    ("城关街道办事处", AgencyKind.TOWNSHIP, "我街道"),
    ("某某", None, "本机关"),
])
def test_self_reference(name, kind, ref):
    assert self_reference(name, kind) == ref


# ---- filling --------------------------------------------------------------------------

def test_fill_from_seed(seed_report):
    bank = load_bank()
    v = bank.variant("opening.period.stat.a")
    f = fill(v, seed_report)
    assert f.text == "本报告中所列数据的统计期限自2020年1月1日起至2020年12月31日止。" and not f.missing
    f = fill(bank.variant("opening.basis.legal.h"), seed_report)
    assert "国办公开办函〔2019〕60号" in f.text and "嵩县城市管理局" in f.text
    assert "《《" not in f.text and "（试行）》" in f.text
    # the seed has no contact details: the slots are reported and marked, never left as {…}
    f = fill(bank.variant("opening.contact.inquiry.a"), seed_report)
    assert [s.name for s in f.missing] == ["contact_department", "contact_address", "postcode", "contact_phone",
                                           "contact_email"]
    assert "{" not in f.text and "【联系电话】" in f.text
    vals = values(seed_report)
    assert vals["self"] == "我局" and vals["apps_new"] == 0 and vals["penalties"] == 96
    assert vals["normative_made"] == 0 and vals["normative_issued"] is None  # 2019 format


def test_fill_from_2021_report():
    r = build_2021()
    bank = load_bank()
    vals = values(r)
    assert (vals["apps_new"], vals["apps_carried"], vals["apps_total"], vals["apps_done"], vals["apps_forward"]) == \
        (8, 1, 9, 8, 1)
    assert (vals["apps_natural"], vals["apps_legal"], vals["reviews"], vals["suits"]) == (6, 2, 1, 0)
    assert vals["fee_yuan"] == Decimal("380") and vals["normative_issued"] == 3 and vals["format"] == "2021"
    f = fill(bank.variant("other.fee.charged.a"), r)
    assert f.text == "2022年，我局依据《政府信息公开信息处理费管理办法》，对1件政府信息公开申请收取信息处理费，共计380元。"
    f = fill(bank.variant("opening.basis.legal.a"), r)
    assert "国办公开办函〔2021〕30号" in f.text and "（试行）" not in f.text
    f = fill(bank.variant("opening.contact.inquiry.a"), r)
    assert not f.missing and "0379-66000000" in f.text and "471400" in f.text
    # free slots: asked, then filled from the answers
    v = bank.variant("other.proposals.npc.a")
    f = fill(v, r)
    assert [s.name for s in f.missing] == ["n_npc", "n_cppcc"] and "【本年承办的人大代表建议件数】" in f.text
    f = fill(v, r, {"n_npc": "12", "n_cppcc": "8"})
    assert not f.missing and "人大代表建议12件、政协委员提案8件" in f.text


def test_missing_marker_is_caught_by_core_unfilled_rule():
    r = build_2021()
    r.agency.contact = Contact()
    bank = load_bank()
    f = fill(bank.variant("opening.contact.inquiry.a"), r)
    r.narrative.opening = f.text
    found = [x for x in check(r) if x.rule == "UNFILLED"]
    assert len(found) == len(f.missing) == 5


def _all_offered(bank, report):
    return suggest(bank, "", report, top=100000)


APPLICATIONS_RECEIVED = re.compile(r"(?:收到|新收|受理|接收)[^。，；]{0,14}申请\d+件")


def test_zero_applications_report_never_says_applications_received():
    bank = load_bank()
    r = build_2021(apps=False)
    offered = _all_offered(bank, r)
    assert offered
    bad = [s.id for s in offered if APPLICATIONS_RECEIVED.search(s.text)]
    assert not bad, bad
    ids = {s.id for s in offered}
    assert "other.fee.none.a" in ids and "other.fee.charged.a" not in ids
    # with applications the sentences appear, with the table's figures
    r2 = build_2021(apps=True)
    texts = [s.text for s in _all_offered(bank, r2) if APPLICATIONS_RECEIVED.search(s.text)]
    assert texts
    assert all(m.group(0).endswith(("8件", "9件")) for t in texts for m in APPLICATIONS_RECEIVED.finditer(t)), texts


@pytest.mark.parametrize("apps", [True, False])
def test_no_offered_sentence_contradicts_the_tables(apps):
    """Every variant offered for a report, placed in its narrative, passes the core's
    text-vs-table rule."""
    bank = load_bank()
    r = build_2021(apps=apps)
    offered = [s for s in _all_offered(bank, r) if s.section in ("overview", "other", "opening")]
    r.narrative.overview = [Part(text=s.text) for s in offered if s.section == "overview"]
    r.narrative.other = "".join(s.text for s in offered if s.section == "other")
    found = [f for f in check(r) if f.rule in ("TEXT-TABLE", "T3-FEE", "STAT-PERIOD", "YEAR-IN-TEXT")
             and f.severity == "error"]
    assert not found, [f.line() for f in found]
    # not even as an uncertain reading
    warnings = [f for f in check(r) if f.rule == "TEXT-TABLE"]
    assert not warnings, [f.line() for f in warnings]


def test_government_only_moves_hidden_for_departments():
    bank = load_bank()
    gov_only = {v.id for v in bank.variants if v.kinds == ("人民政府",)}
    assert "other.proposals.npc.a" in gov_only
    dep = build_2021(kind=AgencyKind.DEPARTMENT)
    assert not gov_only & {s.id for s in _all_offered(bank, dep)}
    gov = build_2021(kind=AgencyKind.GOVERNMENT, name="嵩县人民政府")
    gov.meta.slots = {"n_npc": "12", "n_cppcc": "8"}  # the variant restates both counts: offered once they are known
    assert "other.proposals.npc.a" in {s.id for s in _all_offered(bank, gov)}
    # kind unknown: restricted variants are not offered either
    dep.agency.kind = None
    assert not gov_only & {s.id for s in _all_offered(bank, dep)}


def test_format_specific_variants():
    bank = load_bank()
    r2021 = build_2021()
    ids = {s.id for s in _all_offered(bank, r2021)}
    assert "opening.basis.legal.a" in ids and "opening.basis.legal.f" not in ids
    r2019 = new_report(2020, "嵩县城市管理局", AgencyKind.DEPARTMENT)
    ids = {s.id for s in _all_offered(bank, r2019)}
    assert "opening.basis.legal.f" in ids and "opening.basis.legal.a" not in ids


def test_rectification_needs_previous_report():
    bank = load_bank()
    r = build_2021()
    # without last year's report only the first-report phrasing is offered (上级检查、年度考核), never last year's report
    first = [s for s in _all_offered(bank, r) if s.section == "rectification"]
    assert first and all("has_previous == true" not in bank.variant(s.id).when for s in first)
    assert not [s.text for s in first if "年度报告" in s.text]
    r.meta.previous = {"year": 2021, "phrases_used": []}
    rect = [s for s in _all_offered(bank, r) if s.section == "rectification"]
    assert len(rect) >= 10
    assert any("2021年度报告" in s.text for s in rect)


def test_offers_follow_table_edits_on_the_same_report():
    bank = load_bank()
    r = build_2021(apps=False)
    before = {s.id for s in _all_offered(bank, r)}
    r.set("t3.main.N.NP", 3)
    r.set("t3.main.R1.NP", 3)
    r.recompute()
    after = {s.id for s in _all_offered(bank, r)}
    assert before != after
    texts = [s.text for s in _all_offered(bank, r) if APPLICATIONS_RECEIVED.search(s.text)]
    assert texts and all("3件" in t for t in texts)
    # free-slot answers take part in conditions too (unanswered => hidden)
    assert {s.id for s in suggest(bank, "", r, top=100000, answers={"n_npc": "2"})} == after
