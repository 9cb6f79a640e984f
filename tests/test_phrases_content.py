"""The phrase bank's content, on real output.

For a 乡镇人民政府 and a 街道 with no applications, a 部门 with applications, 复议 纠正, a
carried-over case and fee notices not paid, a 县人民政府, an agency of kind 其他 and a
2019-format department: every variant the bank would offer (its conditions and kinds hold),
filled and placed in the narrative, passes the text rules; every area can always be written
without asking anything; no text brings its own heading or numbering; the facts asked per area
are the ones its sentences use; optional moves say when they are suggested (signals).
Sibling units (the 局 of a county, its 乡镇, several 人民政府) composed from the bank with
the same figures and answers share few sentences (内容雷同).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from decimal import Decimal

import pytest

from nianbao.checks import check
from nianbao.compose import compose
from nianbao.model import AgencyKind, Part, Report
from nianbao.phrases import fill, load_bank, values
from nianbao.phrases.bank import Bank, Variant
from nianbao.phrases.rank import eligible
from nianbao.phrases.slots import BOUND, CONDITION_NAMES, MARK_MAX, self_reference
from test_claims import APPS
from test_claims import report as claims_report
from test_phrases_slots import build_2021

from factories import filled_2021

RULES = {"TEXT-TABLE", "STAT-PERIOD", "YEAR-IN-TEXT"}


# ---- the reports ------------------------------------------------------------------------

def township() -> Report:
    """A 乡镇人民政府 (a 人民政府 in law, filed as 乡镇街道) with no application at all."""
    return build_2021(apps=False, kind=AgencyKind.TOWNSHIP, name="田湖镇人民政府")


def street() -> Report:
    """A 街道办事处 (not a 人民政府) with no application."""
    return build_2021(apps=False, kind=AgencyKind.TOWNSHIP, name="城关街道办事处")


def department() -> Report:
    """45 new + 1 carried over; 1 复议 upheld, 1 corrected; 1 fee notice not paid; no fee charged."""
    apps = {"N": (43, 2), "C": (1,), "R1": (18,), "R2": (12,), "R4_1": (6,), "R4_2": (2,), "R5_2": (2,),
            "R6_2": (1,), "F": (3, 2)}
    r = claims_report(apps, {"rv": (1, 1, 0, 0)})
    r.fees.charged = False
    r.recompute()
    return r


def government() -> Report:
    """A 县人民政府 with applications, one 复议 upheld and a 信息处理费 of 380元."""
    return build_2021(apps=True, kind=AgencyKind.GOVERNMENT, name="嵩县人民政府")


def other_kind() -> Report:
    return build_2021(apps=False, kind=AgencyKind.OTHER, name="嵩县档案馆")


def department_2019() -> Report:
    """A 2020 report in the 2019 format (规范性文件 新制作/新公开/对外公开总数量); no fee charged."""
    r = filled_2021(year=2020)
    r.fees.charged = False
    return r


REPORTS: dict[str, Callable[[], Report]] = {
    "乡镇人民政府": township, "街道": street, "部门": department, "人民政府": government, "其他": other_kind,
    "2019格式部门": department_2019,
}


def _answers(bank: Bank, n: int) -> dict[str, object]:
    """An answer for every fact the bank asks: all n (counts), 95% (percentages), a phrase (text)."""
    out: dict[str, object] = {}
    for name, spec in bank.slots.items():
        out[name] = {"int": n, "money": Decimal(n), "percent": Decimal(95)}.get(spec.type, "某某事项")
    return out


ANSWERS = {"未回答": None, "都回答了": 12, "都是0": 0}


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


def _offered(bank: Bank, r: Report, answers: dict[str, object]) -> list[tuple[str, Variant]]:
    """(area key, variant) for every variant the composer could use for ``r``."""
    vals = values(r, answers)
    kinds = r.agency.kinds or None
    return [(a.key, v) for a in bank.areas for m in bank.moves_of_area(a) for v in m.variants
            if eligible(v, vals, kinds, r.format_version, True)]


def _area_of(bank: Bank) -> dict[str, str]:
    return {m.id: a.key for a in bank.areas for m in bank.moves_of_area(a)}


# ---- every offered sentence agrees with the tables ------------------------------------------

@pytest.mark.parametrize("previous", [False, True], ids=["第一份报告", "有上年报告"])
@pytest.mark.parametrize("answered", list(ANSWERS))
@pytest.mark.parametrize("who", list(REPORTS))
def test_every_offered_variant_passes_the_text_rules(bank, who, answered, previous):
    r = REPORTS[who]()
    if previous:
        r.meta.previous = {"year": r.year - 1, "phrases_used": []}
    n = ANSWERS[answered]
    answers = {} if n is None else _answers(bank, n)
    offered = _offered(bank, r, answers)
    assert len(offered) > 200
    vals = values(r, answers)
    sections = {a.key: a.section for a in bank.areas}
    titles = {a.key: a.title for a in bank.areas}
    where: dict[str, str] = {}
    single: list[tuple[str, Variant, str]] = []
    for key, v in offered:
        text = fill(v, r, answers, vals).text
        sec = sections[key]
        if sec == "overview":
            where[f"overview.{len(r.narrative.overview)}"] = v.id
            r.narrative.overview.append(Part(title=titles[key], text=text))
        elif sec in ("problems", "measures"):
            parts = getattr(r.narrative, sec)
            where[f"{sec}.{len(parts)}"] = v.id
            parts.append(Part(text=text))
        else:
            single.append((sec, v, text))
    found = [f"{where.get(f.anchor, f.anchor)}: {f.line()}" for f in check(r, select=RULES)]
    # 整改 and 六 are one text each: one variant at a time
    for sec, v, text in single:
        r.narrative.overview, r.narrative.problems, r.narrative.measures = [], [], []
        r.narrative.rectification = r.narrative.other = ""
        setattr(r.narrative, sec, text)
        found += [f"{v.id}: {f.line()}" for f in check(r, select=RULES | {"T3-FEE"})]
    assert not found, "\n".join(found)


# ---- every area can always be written --------------------------------------------------------

@pytest.mark.parametrize("previous", [False, True], ids=["第一份报告", "有上年报告"])
@pytest.mark.parametrize("who", list(REPORTS))
def test_every_area_has_a_required_sentence_that_needs_no_fact(bank, who, previous):
    r = REPORTS[who]()
    if previous:
        r.meta.previous = {"year": r.year - 1}
    vals = values(r)
    kinds = r.agency.kinds or None
    for a in bank.areas:
        ok = [v.id for m in bank.moves_of_area(a) if m.required for v in m.variants
              if not v.free_slots and eligible(v, vals, kinds, r.format_version, True)]
        assert ok, f"{who}：领域 {a.key} 没有不需要补充事实的必备说法"


@pytest.mark.parametrize("answered", list(ANSWERS))
@pytest.mark.parametrize("who", list(REPORTS))
def test_every_usable_move_has_alternatives(bank, who, answered):
    """Wherever a move can be used, at least two of its variants can: the composer can avoid
    last year's wording (内容雷同) and sister units do not all get the same sentence."""
    r = REPORTS[who]()
    n = ANSWERS[answered]
    answers = {} if n is None else _answers(bank, n)
    count: dict[str, int] = {}
    for _, v in _offered(bank, r, answers):
        count[v.move.id] = count.get(v.move.id, 0) + 1
    thin = {m: k for m, k in count.items() if k < 2}
    assert not thin, thin


def test_every_move_has_at_least_four_variants(bank):
    assert not [(m.id, len(m.variants)) for m in bank.moves if len(m.variants) < 4]


# ---- what the data rules out -------------------------------------------------------------------

APPLICATION_MOVES = {"overview.request.process", "overview.request.outcomes", "overview.request.corrected",
                     "overview.request.topics", "problems.application.standard", "measures.application.standard",
                     "other.fee.charged", "other.fee.notice"}
REPLY_WORDS = re.compile(r"答复(?:质量|文书|口径|期限|时限)|会商|不予公开|办结|办理完毕|法定期限内|被纠正")


@pytest.mark.parametrize("who", ["乡镇人民政府", "街道", "其他"])
@pytest.mark.parametrize("answered", list(ANSWERS))
def test_no_application_sentence_without_applications(bank, who, answered):
    r = REPORTS[who]()
    n = ANSWERS[answered]
    answers = {} if n is None else _answers(bank, n)
    offered = _offered(bank, r, answers)
    assert not [v.id for _, v in offered if v.move.id in APPLICATION_MOVES]
    vals = values(r, answers)
    request = [fill(v, r, answers, vals).text for key, v in offered if key == "request"]
    assert request and not [t for t in request if REPLY_WORDS.search(t)]


def test_department_with_corrected_review_gets_reply_problems_and_measures(bank):
    r = department()
    vals = values(r)
    signalled = {m.id for m in bank.moves if m.signals and m.signalled(vals)}
    assert {"problems.application.standard", "measures.application.standard", "overview.request.corrected",
            "overview.request.disputes", "overview.request.outcomes"} <= signalled
    ids = {v.id for _, v in _offered(bank, r, {})}
    assert "overview.request.corrected.a" in ids
    assert {"other.fee.notice.a", "other.fee.none.a"} & ids == {"other.fee.notice.a"}  # notices issued: never “no fee”


def test_fee_sentences_follow_the_figures(bank):
    ids = {v.id for _, v in _offered(bank, government(), {})}
    assert "other.fee.charged.a" in ids and not {i for i in ids if i.startswith(("other.fee.none", "other.fee.notice"))}
    ids = {v.id for _, v in _offered(bank, township(), {})}
    assert "other.fee.none.a" in ids and not {i for i in ids if i.startswith(("other.fee.charged", "other.fee.notice"))}
    ids = {v.id for _, v in _offered(bank, department_2019(), {})}
    assert "other.fee.none.e" in ids and not {i for i in ids if "format == 2021" in bank.variant(i).when}


GOVERNMENT_MOVES = ("overview.supervision.assessment", "overview.supervision.evaluation",
                    "overview.supervision.accountability")


@pytest.mark.parametrize("who", ["人民政府", "乡镇人民政府"])
def test_government_reports_assessment_evaluation_accountability(bank, who):
    """条例第五十条（四）: 考核、评议、追究 for every 人民政府, a 乡镇人民政府 included; with the
    facts answered 0 the zero sentences (未开展社会评议, 未发生责任追究) are there."""
    for answered in ANSWERS:
        n = ANSWERS[answered]
        moves = {v.move.id for _, v in _offered(bank, REPORTS[who](), {} if n is None else _answers(bank, n))}
        assert set(GOVERNMENT_MOVES) <= moves, (who, answered)
    zero = {v.id for _, v in _offered(bank, REPORTS[who](), _answers(bank, 0))}
    assert {"overview.supervision.evaluation.l", "overview.supervision.accountability.b"} <= zero
    nonzero = {v.id for _, v in _offered(bank, REPORTS[who](), _answers(bank, 3))}
    assert not {"overview.supervision.evaluation.l", "overview.supervision.accountability.b"} & nonzero


def test_township_government_gets_no_county_wording(bank):
    r = township()
    vals = values(r)
    texts = [fill(v, r, {}, vals).text for _, v in _offered(bank, r, _answers(bank, 3))]
    county = re.compile(r"所属部门和乡镇|政府公报|政府规章|全县|全区")
    assert not [t for t in texts if county.search(t)]


@pytest.mark.parametrize("who", ["部门", "街道", "其他"])
def test_no_government_moves_for_other_kinds(bank, who):
    moves = {v.move.id for _, v in _offered(bank, REPORTS[who](), _answers(bank, 3))}
    assert not moves & set(GOVERNMENT_MOVES)
    assert "overview.platform.gazette" not in moves


def test_rectification_for_a_first_report_and_with_last_years(bank):
    r = department()
    first = [v for key, v in _offered(bank, r, {}) if key == "rectification"]
    assert len(first) >= 5 and "rectification.summary.lead.f" in {v.id for v in first}
    vals = values(r)
    assert not [v.id for v in first if "年度报告" in fill(v, r, {}, vals).text]
    r.meta.previous = {"year": r.year - 1}
    vals = values(r)
    later = [fill(v, r, {}, vals).text for key, v in _offered(bank, r, {}) if key == "rectification"]
    assert any(f"{r.year - 1}年度报告" in t for t in later)


# ---- the shape of the texts ----------------------------------------------------------------------

NUMBERING = re.compile(r"（[一二三四五六七八九十]+）|(?:^|[。；：])\s*(?:[一二三四五六七八九十]+、|\d+[.．、](?!\d))")
ENUM = re.compile(r"[一二三四五六七八九十]是")


def test_no_variant_brings_a_heading_or_numbering(bank):
    """The composer prints the areas' titles and numbers the areas and 五's items itself."""
    area_titles = [a.title for a in bank.areas if a.title]
    heading = re.compile("^(?:" + "|".join(map(re.escape, area_titles)) + r")(?:方面|情况|工作)?[。：:]")
    move_titles = {m.title for m in bank.moves if m.title}
    bad = []
    for a in bank.areas:
        for m in bank.moves_of_area(a):
            for v in m.variants:
                t = v.text
                if NUMBERING.search(t) or t.startswith("一是") or heading.match(t):
                    bad.append(v.id)
                if a.section != "overview" and ENUM.search(t):
                    bad.append(v.id)  # 五's items are numbered by the composer; 整改 and 六 are one paragraph
                if any(t.startswith(x) for x in move_titles):
                    bad.append(v.id)
    assert not bad, bad


def test_enumerations_inside_overview_sentences_are_complete(bank):
    for v in bank.variants:
        marks = ENUM.findall(v.text)
        if marks:
            assert marks[0] == "一是" and len(marks) >= 2 and not v.text.startswith("一是"), v.id


def test_counts_of_documents_and_applications_are_in_jian(bank):
    """The format's unit: 件 for documents, applications and cases, never 条."""
    for v in bank.variants:
        assert not re.search(r"(?:规范性文件|申请|复议|诉讼|规章)[^，。；]{0,6}\{\w+\}条", v.text), v.id


# ---- facts, slots and signals --------------------------------------------------------------------

def _free_in(v: Variant, bank: Bank) -> set[str]:
    names = set(v.slot_names) | {c.slot for c in v.conditions}
    return {n for n in names if n in bank.slots}


def test_facts_asked_per_area_are_the_facts_its_sentences_use(bank):
    for a in bank.areas:
        moves = bank.moves_of_area(a)
        used_in_text = {n for m in moves for v in m.variants for n in v.slot_names if n in bank.slots}
        used = {n for m in moves for v in m.variants for n in _free_in(v, bank)}
        assert not [f for f in a.facts if f not in used_in_text], f"{a.key}：问了但没有说法用到"
        assert not sorted(used - set(a.facts)), f"{a.key}：说法用到但没有询问"
        assert len(a.facts) == len(set(a.facts)), a.key


def test_fact_labels_read_well_in_a_marker(bank):
    for name, s in bank.slots.items():
        assert s.label and len(s.label) <= MARK_MAX and not s.label.endswith(("。", "：")), name
        if s.type == "int":
            assert s.unit, name


def test_every_optional_move_and_every_problem_has_signals(bank):
    fallback = {"other.nothing.none"}  # 无其他需要报告的事项: only when nothing else is said
    composed = {m.id for a in bank.areas for m in bank.moves_of_area(a)}
    missing = [m.id for m in bank.moves if m.id in composed and not m.required and not m.signals
               and m.id not in fallback]
    assert not missing, missing
    assert all(m.signals for m in bank.moves_of("problems") if m.pairs_with)


def test_signals_can_hold(bank):
    """Every name in a signal is a table figure, a condition name or a fact some area asks."""
    asked = {f for a in bank.areas for f in a.facts}
    for m in bank.moves:
        for sig in m.signals:
            for c in sig:
                assert c.slot in BOUND or c.slot in CONDITION_NAMES or c.slot in asked, (m.id, c.source)


def test_measures_are_signalled_like_their_problems(bank):
    for mm in bank.moves_of("measures"):
        problems = [p for p in bank.moves_of("problems") if mm.id in p.pairs_with]
        if not problems:
            continue
        want = {c.source for p in problems for sig in p.signals for c in sig}
        got = {c.source for sig in mm.signals for c in sig}
        assert got == want, mm.id


def test_signals_read_the_report(bank):
    """A few signals on real reports: 规范性文件 制发 → 解读; 乡镇 → 人员力量; no applications → no
    依申请 problem; low 主动公开 count for the kind → 公开深度."""
    d, t, g = values(department()), values(township()), values(government())
    assert bank.move("problems.interpretation.form").signalled(d)  # 6 documents issued
    assert not bank.move("problems.application.standard").signalled(t)
    assert bank.move("problems.staff.capacity").signalled(t)
    assert bank.move("problems.interaction.response").signalled(g)
    depth = bank.move("problems.content.depth")
    assert depth.signalled({**t, "n_published": 20}) and not depth.signalled({**t, "n_published": 300})
    assert depth.signalled({**g, "n_published": 150}) and not depth.signalled({**g, "n_published": 900})
    assert not depth.signalled(t)  # not answered: no signal


@pytest.mark.parametrize("who", list(REPORTS))
def test_every_report_gets_some_problem_with_its_measures(bank, who):
    """Even with nothing answered, the report (or the agency's kind) suggests at least one problem,
    and each suggested problem has measures that can be used for the report."""
    r = REPORTS[who]()
    vals = values(r)
    problems = [m for m in bank.moves_of("problems") if m.pairs_with and m.signalled(vals)]
    assert problems
    usable = {v.move.id for _, v in _offered(bank, r, {})}
    for p in problems:
        assert p.id in usable and set(p.pairs_with) & usable, p.id


# ---- sibling units do not publish the same text ------------------------------------------------
# 国办公开办函〔2021〕30号 names 内容雷同 as a fault.  The composer chooses, per agency, among the
# variants of a move that fit about equally well; these tests measure what sibling units starting
# from the same figures and answers end up sharing: the share of one unit's sentences (agency
# name, self-reference and figures masked) that another unit also has.

SHARED_MAX = 0.25


def _sibling(kind: AgencyKind, apps: bool, disputes: bool = False) -> Callable[[str], Report]:
    def build(name: str) -> Report:
        r = claims_report(APPS if apps else None, t4={"rv": (1, 1, 0, 0), "ld": (1, 0, 0, 0)} if disputes else None)
        r.agency.name, r.agency.kind = name, kind
        r.fees.charged = False
        r.narrative.other = ""
        return r

    return build


SIBLINGS: dict[str, tuple[Callable[[str], Report], tuple[str, ...]]] = {
    # applications, a 复议 upheld and one corrected, a suit upheld
    "部门": (_sibling(AgencyKind.DEPARTMENT, apps=True, disputes=True),
           ("某县自然资源局", "某县教育局", "某县民政局", "某县财政局", "某县审计局", "某县统计局")),
    # no application at all
    "乡镇": (_sibling(AgencyKind.TOWNSHIP, apps=False),
           ("某县甲镇人民政府", "某县乙镇人民政府", "某县丙镇人民政府", "某县丁乡人民政府")),
    "人民政府": (_sibling(AgencyKind.GOVERNMENT, apps=True),
             ("某县人民政府", "某区人民政府", "某市人民政府", "某旗人民政府")),
}

_TEXT_ANSWERS = {"leadership": "县委、县政府", "provincial_rule": "《某省政府信息公开办法》",
                 "focus_work": "优化营商环境、乡村振兴", "newmedia_name": "“某某发布”微信公众号",
                 "column_name": "“政策解读”", "review_rule": "“三审三校”制度", "group_leader": "主要负责同志",
                 "rule_names": "《信息发布审核办法》", "plan_title": "《某县政务公开工作要点》",
                 "check_source": "年度政务公开考核", "rectify_measure": "重新梳理了主动公开目录",
                 "request_channels": "网上申请平台和信函", "request_topics": "征地补偿、财政资金",
                 "interpretation_forms": "图解、问答", "assess_grade": "良好"}


def _sibling_answers(bank: Bank, which: str) -> dict[str, str]:
    """Every fact the bank asks answered (counts 12, percentages 95), none, or every other one
    (the slots in name order: one half or the other)."""
    names = sorted(bank.slots)
    if which == "未回答":
        keep: list[str] = []
    elif which == "都回答了":
        keep = names
    else:
        keep = names[0 if which == "回答了一半" else 1::2]
    out: dict[str, str] = {}
    for name in keep:
        t = bank.slots[name].type
        out[name] = {"int": "12", "money": "12", "percent": "95"}.get(t) or _TEXT_ANSWERS.get(name, "有关工作")
    return out


def _composed_sentences(r: Report) -> dict[str, str]:
    """masked sentence -> the variant that wrote it"""
    out: dict[str, str] = {}
    me = self_reference(r.agency.name, r.agency.kind)
    for p in r.narrative.pieces:
        text = p.text.replace(r.agency.name, "〇").replace(me, "〇")
        for s in re.split(r"(?<=[。；])", text):
            s = re.sub(r"\d+(?:\.\d+)?", "#", s)
            if len(s) > 8:
                out[s] = p.variant
    return out


def _siblings_composed(bank: Bank, who: str, answered: str) -> list[tuple[str, dict[str, str]]]:
    build, names = SIBLINGS[who]
    answers = _sibling_answers(bank, answered)
    out = []
    for name in names:
        r = build(name)
        r.meta.slots = dict(answers)
        r.agency.contact.department, r.agency.contact.phone = "办公室", "0379-66000000"
        r.agency.website = "http://www.example.gov.cn"
        compose(r)
        out.append((name, _composed_sentences(r)))
    return out


@pytest.mark.parametrize("answered", ["都回答了", "未回答", "回答了一半", "回答了另一半"])
@pytest.mark.parametrize("who", list(SIBLINGS))
def test_sibling_units_share_few_sentences(bank, who, answered):
    units = _siblings_composed(bank, who, answered)
    assert all(len(s) >= 25 for _, s in units), [(n, len(s)) for n, s in units]
    shares = []
    for (na, a), (nb, b) in itertools.combinations(units, 2):
        common = sorted(set(a) & set(b))
        shares.append((len(common) / min(len(a), len(b)), na, nb, [f"{a[s]} / {b[s]}: {s}" for s in common]))
    worst = max(shares)
    assert worst[0] <= SHARED_MAX, f"{worst[1]}和{worst[2]}有{worst[0]:.0%}的句子相同：\n" + "\n".join(worst[3])


def test_the_sibling_measure_sees_identical_text(bank):
    """The measure is not blind: two units of the same name write the same text (share 1), and a
    report's sentences are found whatever the agency calls itself."""
    build, names = SIBLINGS["部门"]
    a = build(names[0])
    b = build(names[0])
    for r in (a, b):
        r.meta.slots = _sibling_answers(bank, "都回答了")
        compose(r)
    sa, sb = _composed_sentences(a), _composed_sentences(b)
    assert sa and sa == sb
    assert not [s for s in sa if "我局" in s or names[0] in s]
