"""Named figures: every quantity a report's prose talks about, defined once.

A :class:`Figure` is a named sum of cells of the format spec (selected by row and
column *role*, group or key), or a value the report holds outside the tables (the
信息处理费 of 六).  It knows its Chinese name, its unit, how it is printed and which
cells it is computed from, in either format; it is ``None`` where the format has no
such cells (``normative_valid`` in a 2019 report).

:data:`TERMS` is the one vocabulary that maps the words of the prose to figures: each
:class:`Term` is a cue (a regular expression) with the figures it can mean — one for an
unambiguous word (上年结转 → ``apps_carried``), several for a word the format allows to
be read more than one way (收到 / 受理 → ``apps_new`` or ``apps_total``, i.e. 新收 or
新收 + 上年结转).  The claim extractor (:mod:`nianbao.claims`), the phrase slots and
conditions, the composer and the TUI all use these.

Cell ids and row/column keys may be typed here and in :mod:`nianbao.formats`, nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Literal

from .formats import (
    CANNOT_PROVIDE,
    ENFORCEMENT,
    LEGAL_PERSONS,
    LICENSE,
    LITIGATION,
    NOT_DISCLOSED,
    NOT_PROCESSED,
    OTHER_PROCESSING,
    PENALTY,
    REVIEW,
    Column,
    FormatSpec,
    Row,
    cell_id,
    get_spec,
)
from .model import Report
from .numbers import format_number

Number = int | Decimal
Kind = Literal["count", "money"]

# ---- selecting cells ------------------------------------------------------------------

Pick = Callable[[tuple], tuple]


def role(*roles: str) -> Pick:
    """Rows or columns of one of these roles."""
    return lambda items: tuple(x for x in items if x.role in roles)


def key(*keys: str) -> Pick:
    """Rows or columns with these keys (in the spec's order)."""
    return lambda items: tuple(x for x in items if x.key in keys)


def under(group: str) -> Pick:
    """Rows or columns whose label or one of whose groups is ``group`` (e.g. （四）无法提供)."""
    return lambda items: tuple(x for x in items if group in x.groups or x.label == group)


def both(a: Pick, b: Pick) -> Pick:
    """Items picked by ``a`` that ``b`` picks too."""
    return lambda items: b(a(items))


@dataclass(frozen=True)
class Sel:
    """A set of cells of one block: the rows ``rows`` picks × the columns ``cols`` picks."""

    table: str
    block: str
    rows: Pick
    cols: Pick

    def cells(self, spec: FormatSpec) -> tuple[str, ...] | None:
        try:
            b = spec.block(self.table, self.block)
        except KeyError:
            return None
        rows: tuple[Row, ...] = self.rows(b.rows)
        cols: tuple[Column, ...] = self.cols(b.columns)
        if not rows or not cols:
            return None
        return tuple(cell_id(self.table, self.block, r.key, c.key) for r in rows for c in cols)


def t3(rows: Pick, cols: Pick | None = None) -> Sel:
    return Sel("t3", "main", rows, cols or role("total"))


def t4(cols: Pick) -> Sel:
    return Sel("t4", "main", role("cases"), cols)


def t2(block: str, rows: Pick, cols: Pick) -> Sel:
    return Sel("t2", block, rows, cols)


# ---- values -------------------------------------------------------------------------------

def cell_value(report: Report, cid: str) -> Number | None:
    """A cell's value; a computed total that was not stored is summed from its parts."""
    v = report.cells.get(cid)
    if v is not None:
        return v
    spec = report.spec
    if not spec.has_cell(cid):
        return None
    parts = spec.cell(cid).parts
    if not parts:
        return None
    vals = [cell_value(report, p) for p in parts]
    if any(x is None for x in vals):
        return None
    return sum(vals)  # type: ignore[return-value, arg-type]


def sum_cells(report: Report, ids: tuple[str, ...] | list[str]) -> Number | None:
    """The sum of the cells (``None`` if any of them is not answered)."""
    vals = [cell_value(report, c) for c in ids]
    if any(v is None for v in vals):
        return None
    return sum(vals)  # type: ignore[return-value, arg-type]


# ---- figures ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    key: str
    #: the Chinese name used in findings and questions when no table label fits
    name: str
    unit: str = "件"
    kind: Kind = "count"
    #: the cells it sums (``None``: a value held outside the tables, see ``getter``)
    sel: Sel | tuple[Sel, ...] | None = None
    getter: Callable[[Report], Number | None] | None = field(default=None, compare=False)
    #: ``part``: a part of one of these figures (an applicant type of 新收, an outcome of 办结)
    part_of: tuple[str, ...] = ()
    #: a share of a part is a share of this base (outcomes: of 办结; applicant types: of 新收)
    base: str = ""

    def cells(self, spec: FormatSpec) -> tuple[str, ...] | None:
        """The cells this figure sums in ``spec``'s format (None: not in this format)."""
        if self.sel is None:
            return ()
        sels = self.sel if isinstance(self.sel, tuple) else (self.sel,)
        out: list[str] = []
        for s in sels:
            ids = s.cells(spec)
            if ids is None:
                return None
            out.extend(ids)
        return tuple(out)

    def exists(self, spec: FormatSpec) -> bool:
        return self.cells(spec) is not None

    def value(self, report: Report) -> Number | None:
        if self.getter is not None:
            return self.getter(report)
        ids = self.cells(report.spec)
        if not ids:
            return None
        return sum_cells(report, ids)

    def label(self, spec: FormatSpec) -> str:
        """Where the figure stands in the tables, in Chinese (表三“一、本年新收”…)."""
        ids = self.cells(spec)
        if not ids:
            return self.name
        return describe_cells(spec, ids, self.name)

    def print(self, v: Number | None) -> str:
        return "未填写" if v is None else f"{format_number(v)}{self.unit}"


def describe_cells(spec: FormatSpec, ids: tuple[str, ...], fallback: str = "") -> str:
    """A short Chinese description of a set of cells of one block: 表三“（七）总计”;
    表三“（四）无法提供”各项; 表三“一、本年新收”与“二、上年结转”之和; 表四“行政复议”总计;
    表二“行政规范性文件”现行有效件数."""
    cells = [spec.cell(c) for c in ids]
    t, b = cells[0].table, cells[0].block
    if any(c.block is not b for c in cells):
        return fallback
    row_objs = [b.row(k) for k in dict.fromkeys(c.row.key for c in cells)]
    col_objs = [b.column(k) for k in dict.fromkeys(c.column.key for c in cells)]
    if b.unlabelled:  # table 四: name the column groups
        groups = list(dict.fromkeys("·".join(c.groups) for c in col_objs))
        if len(groups) > 1:
            groups = list(dict.fromkeys(c.groups[0] for c in col_objs))
        leaf = "、".join(dict.fromkeys(c.label for c in col_objs))
        return f"{t.name}“{'、'.join(groups)}”{leaf}"
    joined = False
    if len(row_objs) == 1:
        rname = f"“{row_objs[0].name}”"
    else:
        shared = [g for g in row_objs[0].groups if all(g in r.groups for r in row_objs)]
        inner = shared[-1] if shared and len(shared) > (1 if t.key == "t3" else 0) else ""
        joined = True
        rname = f"“{inner}”各项" if inner else "与".join(f"“{r.name}”" for r in row_objs)
    if len(col_objs) == 1 and col_objs[0].role == "total":
        return f"{t.name}{rname}" + ("之和" if joined else "")
    if len(col_objs) == 1:
        cname = col_objs[0].label
    else:
        shared = [g for g in col_objs[0].groups if all(g in c.groups for c in col_objs)]
        cname = shared[-1] if len(shared) > 1 else "、".join(c.label for c in col_objs)
    return f"{t.name}{rname}的{cname}之和" if joined else f"{t.name}{rname}{cname}"


def _fee_yuan(r: Report) -> Number | None:
    if r.fees.amount_yuan is not None:
        return r.fees.amount_yuan
    return 0 if r.fees.charged is False else None


def _fee_count(r: Report) -> Number | None:
    if r.fees.count is not None:
        return r.fees.count
    return 0 if r.fees.charged is False else None


_NC = role("new", "carried")
_OUTCOME = role("outcome")
_APPLICANT = role("applicant")


def _applicant_figures() -> list[Figure]:
    """新收 / 新收 + 上年结转 per applicant type, and for 法人或其他组织 together."""
    out = []
    spec = get_spec("2021")
    for c in spec.block("t3", "main").columns_with("applicant"):
        out.append(Figure(f"apps_new_{c.key.lower()}", f"本年新收的{c.label}申请", sel=t3(role("new"), key(c.key)),
                          part_of=("apps_new",), base="apps_new"))
        out.append(Figure(f"apps_total_{c.key.lower()}", f"新收与上年结转的{c.label}申请合计",
                          sel=t3(_NC, key(c.key)), part_of=("apps_total",), base="apps_total"))
    return out


def _outcome_row_figures() -> list[Figure]:
    """One figure per outcome row of table 三 (both formats), named after the row."""
    out: dict[str, Figure] = {}
    for v in ("2019", "2021"):
        b = get_spec(v).block("t3", "main")  # type: ignore[arg-type]
        for r in b.rows_with("outcome"):
            k = f"outcome_{r.key.lower()}"
            if k not in out:
                out[k] = Figure(k, row_core(r), sel=t3(key(r.key)), part_of=("apps_done",), base="apps_done")
    return list(out.values())


def row_core(r: Row) -> str:
    """A row label without its numbering and notes: （二）部分公开（区分处理的…） → 部分公开."""
    label = re.sub(r"^(?:[（(][一二三四五六七八九十]+[）)]|\d+\.|[一二三四五六七八九十]+、)", "", r.label)
    return re.sub(r"（[^）]*）$", "", label)


FIGURES_LIST: list[Figure] = [
    # table 三 — applications
    Figure("apps_new", "本年新收的政府信息公开申请", sel=t3(role("new"))),
    Figure("apps_carried", "上年结转的政府信息公开申请", sel=t3(role("carried"))),
    Figure("apps_total", "新收与上年结转的申请合计", sel=t3(_NC)),
    Figure("apps_done", "本年度办理结果总计（办结）", sel=t3(role("total"))),
    Figure("apps_forward", "结转下年度继续办理的申请", sel=t3(role("forward"))),
    Figure("apps_disclosed", "予以公开", sel=t3(key("R1")), part_of=("apps_done",), base="apps_done"),
    Figure("apps_partial", "部分公开", sel=t3(key("R2")), part_of=("apps_done",), base="apps_done"),
    Figure("apps_disclosed_or_partial", "予以公开及部分公开", sel=t3(key("R1", "R2")), part_of=("apps_done",),
           base="apps_done"),
    Figure("apps_withheld", "不予公开", sel=t3(under(NOT_DISCLOSED)), part_of=("apps_done",), base="apps_done"),
    Figure("apps_unavailable", "无法提供", sel=t3(under(CANNOT_PROVIDE)), part_of=("apps_done",), base="apps_done"),
    Figure("apps_not_processed", "不予处理", sel=t3(under(NOT_PROCESSED)), part_of=("apps_done",),
           base="apps_done"),
    Figure("apps_other_processing", "其他处理", sel=t3(under(OTHER_PROCESSING)), part_of=("apps_done",),
           base="apps_done"),
    Figure("apps_fee_lapsed", "逾期未按收费通知要求缴纳费用而不再处理的申请", sel=t3(key("R6_2"))),
    Figure("apps_natural", "本年新收的自然人申请", sel=t3(role("new"), key("NP")), part_of=("apps_new",),
           base="apps_new"),
    Figure("apps_legal", "本年新收的法人或其他组织申请", sel=t3(role("new"), under(LEGAL_PERSONS)),
           part_of=("apps_new",), base="apps_new"),
    Figure("apps_total_legal", "新收与上年结转的法人或其他组织申请合计", sel=t3(_NC, under(LEGAL_PERSONS)),
           part_of=("apps_total",), base="apps_total"),
    *_applicant_figures(),
    *_outcome_row_figures(),
    # table 四 — 行政复议 and 行政诉讼
    Figure("reviews", "行政复议案件", sel=t4(both(under(REVIEW), role("total")))),
    Figure("reviews_upheld", "行政复议结果维持", sel=t4(both(under(REVIEW), role("upheld")))),
    Figure("reviews_corrected", "行政复议结果纠正", sel=t4(both(under(REVIEW), role("corrected")))),
    Figure("reviews_other", "行政复议其他结果", sel=t4(both(under(REVIEW), role("other")))),
    Figure("reviews_pending", "行政复议尚未审结", sel=t4(both(under(REVIEW), role("pending")))),
    Figure("suits", "行政诉讼案件", sel=t4(both(under(LITIGATION), role("total")))),
    Figure("suits_upheld", "行政诉讼结果维持", sel=t4(both(under(LITIGATION), role("upheld")))),
    Figure("suits_corrected", "行政诉讼结果纠正", sel=t4(both(under(LITIGATION), role("corrected")))),
    Figure("suits_other", "行政诉讼其他结果", sel=t4(both(under(LITIGATION), role("other")))),
    Figure("suits_pending", "行政诉讼尚未审结", sel=t4(both(under(LITIGATION), role("pending")))),
    Figure("cases", "行政复议和行政诉讼案件", sel=t4(role("total"))),
    Figure("cases_corrected", "行政复议和行政诉讼结果纠正", sel=t4(role("corrected"))),
    Figure("cases_not_upheld", "行政复议和行政诉讼中未获维持（纠正、其他结果、尚未审结）的",
           sel=t4(role("corrected", "other", "pending"))),
    Figure("reviews_not_upheld", "行政复议中未获维持（纠正、其他结果、尚未审结）的",
           sel=t4(both(under(REVIEW), role("corrected", "other", "pending")))),
    Figure("suits_not_upheld", "行政诉讼中未获维持（纠正、其他结果、尚未审结）的",
           sel=t4(both(under(LITIGATION), role("corrected", "other", "pending")))),
    # table 二 — 主动公开
    Figure("normative_issued", "本年制发的行政规范性文件", sel=t2("a20_1", key("normative"), role("issued"))),
    Figure("normative_repealed", "本年废止的行政规范性文件", sel=t2("a20_1", key("normative"), role("repealed"))),
    Figure("normative_valid", "现行有效的行政规范性文件", sel=t2("a20_1", key("normative"), role("valid"))),
    Figure("normative_made", "本年新制作的规范性文件", sel=t2("a20_1", key("normative"), role("made"))),
    Figure("normative_published", "本年新公开的规范性文件", sel=t2("a20_1", key("normative"), role("published"))),
    Figure("normative_total", "对外公开的规范性文件总数", sel=t2("a20_1", key("normative"), role("stock"))),
    Figure("rules_issued", "本年制发（新制作）的规章", sel=t2("a20_1", key("rules"), role("issued", "made"))),
    Figure("rules_repealed", "本年废止的规章", sel=t2("a20_1", key("rules"), role("repealed"))),
    Figure("rules_valid", "现行有效的规章", sel=t2("a20_1", key("rules"), role("valid", "stock"))),
    Figure("licenses", "行政许可处理决定", sel=t2("a20_5", key("license"), role("decisions"))),
    Figure("penalties", "行政处罚处理决定", sel=t2("a20_6", key("penalty"), role("decisions"))),
    Figure("enforcements", "行政强制处理决定", sel=t2("a20_6", key("enforcement"), role("decisions"))),
    Figure("fee_amount", "行政事业性收费金额", unit="万元", kind="money",
           sel=t2("a20_8", key("fees"), role("amount"))),
    Figure("procurement_count", "政府集中采购项目", unit="个", sel=t2("a20_9", key("procurement"), role("count"))),
    Figure("procurement_amount", "政府集中采购总金额", unit="", kind="money",
           sel=t2("a20_9", key("procurement"), role("amount"))),
    # 六 — 信息处理费 (not a table figure)
    Figure("fee_yuan", "收取的信息处理费", unit="元", kind="money", getter=_fee_yuan),
    Figure("fee_count", "收取信息处理费的申请", getter=_fee_count),
]

FIGURES: dict[str, Figure] = {f.key: f for f in FIGURES_LIST}


def figure(name: str) -> Figure:
    return FIGURES[name]


def values(report: Report) -> dict[str, Number | None]:
    """Every figure of ``report`` (None: not answered, or not in its format)."""
    return {k: f.value(report) for k, f in FIGURES.items()}


def cells_of(name: str, spec: FormatSpec) -> tuple[str, ...]:
    """The cells behind a figure in ``spec``'s format (empty if none)."""
    f = FIGURES.get(name)
    return (f.cells(spec) or ()) if f is not None else ()


# ---- the vocabulary -------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """Words of the prose that name a figure.

    ``readings``: the figures the words can mean, in order of likelihood; a number bound to
    the term agrees with the tables if it equals one of them (收到 may mean 新收 or 新收 +
    上年结转: the format allows both readings).  ``exact``: the words name their figure for
    certain, so a number that matches no reading is an error; otherwise only a warning.
    ``requires``: the clause must also contain this (收到 counts applications only in a
    clause that speaks of 申请)."""

    id: str
    pattern: str
    readings: tuple[str, ...]
    exact: bool = True
    requires: str = ""

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.pattern)

    @property
    def required(self) -> re.Pattern[str] | None:
        return _compiled(self.requires) if self.requires else None


@cache
def _compiled(p: str) -> re.Pattern[str]:
    return re.compile(p)


_GOV_INFO = r"(?:政府信息公开|信息公开|依申请公开)"
_APP = rf"(?:{_GOV_INFO}?(?:的)?申请)"
_NORMATIVE = r"(?:行政)?规范性文件"
_LICENSE, _PENALTY, _ENFORCEMENT = (re.escape(r.label) for r in (LICENSE, PENALTY, ENFORCEMENT))
_YEAR = r"(?:本年度?|全年|年度|今年|\d{4}年度?)"

#: prose cue words of the outcome rows below （三）…（六） (the row labels are too long to be quoted)
_OUTCOME_CUES = {
    "R3_1": "国家秘密", "R3_2": "法律行政法规禁止公开|法律法规禁止公开", "R3_3": "三安全一稳定",
    "R3_4": "第三方合法权益", "R3_5": "内部事务信息", "R3_6": "过程性信息", "R3_7": "行政执法案卷",
    "R3_8": "行政查询事项", "R4_1": "不掌握(?:相关)?(?:政府)?信息", "R4_2": "没有现成信息|需要另行制作",
    "R4_3": "(?:申请)?内容仍不明确", "R5_1": "信访举报投诉|信访、举报、投诉", "R5_2": "重复申请",
    "R5_3": "公开出版物", "R5_4": "大量反复申请", "R5_5": "确认或重新出具", "R6_1": "逾期不补正|无正当理由逾期",
    "R6_2": "(?:未按|逾期未按)收费通知|逾期未(?:缴纳|缴)费",
}


def _outcome_row_terms() -> list[Term]:
    return [Term(f"outcome.{k.lower()}", cue, (f"outcome_{k.lower()}",)) for k, cue in _OUTCOME_CUES.items()]


def _applicant_terms() -> list[Term]:
    out = []
    b = get_spec("2021").block("t3", "main")
    for c in b.columns_with("applicant"):
        if c.key == "OT":
            continue  # its label 其他 is far too common a word
        k = c.key.lower()
        out.append(Term(f"applicant.{k}", re.escape(c.label), (f"apps_new_{k}", f"apps_total_{k}")))
    out.append(Term("applicant.legal", r"法人(?:或|和|及)?(?:其他组织)?", ("apps_legal", "apps_total_legal")))
    return out


#: most specific first: where two terms match overlapping words, the one listed first wins
TERMS: tuple[Term, ...] = (
    # 六 — the application fee (元), never the 行政事业性收费 of 表二 (万元)
    Term("fee_yuan", r"信息处理费", ("fee_yuan",)),
    Term("fee_amount", r"行政事业性收费(?:金额)?", ("fee_amount",)),
    # table 三 — the rows
    Term("apps_total_named", rf"(?:新收|本年新收)(?:的)?(?:和|及|与|加|、)上年(?:度)?结转(?:的)?{_APP}?|"
                             rf"新收(?:的)?{_APP}(?:和|及|与|加)上年(?:度)?结转(?:的)?(?:申请)?",
         ("apps_total",)),
    Term("apps_carried", rf"(?:上年度?|上一年度?|去年|\d{{4}}年度?)(?:度)?结转(?:的|下来的|至本年度?的)?{_APP}?|结转上年度?",
         ("apps_carried",)),
    Term("apps_forward", r"结转(?:至|到|入)?(?:下一?年度?|次年|明年|\d{4}年度?)(?:继续办理)?|转入下一?年度?(?:办理)?|"
                         r"继续办理|尚未办结|正在办理|仍在办理",
         ("apps_forward",)),
    Term("apps_new", rf"{_YEAR}?新收(?:到)?{_APP}?|新(?:增|接收|受理)(?:的)?{_APP}", ("apps_new",)),
    Term("apps_received", rf"(?:收到|接到|接收|受理)(?:各类|各种|的)?{_APP}?|{_APP}(?:共计|共|合计|总计|总数|总量)",
         ("apps_new", "apps_total"), requires="申请"),
    Term("apps_done", r"办结|办理完毕|办理完成|办理完结|办理结果总计", ("apps_done",)),
    Term("apps_replied", r"(?:作出|予以|依法|按时|及时)?答复", ("apps_done",), exact=False),
    Term("apps_handled", rf"(?:共|累计)?办理(?:了)?{_APP}?", ("apps_done", "apps_total", "apps_new"), exact=False,
         requires="申请"),
    # table 三 — the outcomes
    Term("apps_disclosed_or_partial",
         r"(?:予以)?公开(?:及|和|与|或|、)部分公开|(?:全部|部分)公开(?:及|和|与)(?:全部|部分)公开",
         ("apps_disclosed_or_partial",)),
    Term("apps_disclosed", r"予以公开|全部公开|同意公开", ("apps_disclosed",)),
    Term("apps_partial", r"部分公开", ("apps_partial",)),
    Term("apps_withheld", r"不予公开", ("apps_withheld",)),
    Term("apps_unavailable", r"无法提供", ("apps_unavailable",)),
    Term("apps_not_processed", r"不予处理", ("apps_not_processed",)),
    Term("apps_other_processing", r"其他处理", ("apps_other_processing",)),
    *_outcome_row_terms(),
    *_applicant_terms(),
    # table 四
    Term("cases_corrected", r"(?:被|经)?(?:复议机关|法院|人民法院)?(?:纠正|纠错)|败诉", ("cases_corrected",
                                                                                    "reviews_corrected",
                                                                                    "suits_corrected"),
         exact=False),
    Term("cases", r"行政复议(?:和|及|与|、|或)行政诉讼(?:案件)?", ("cases",)),
    Term("reviews", r"(?:行政)?复议(?:案件|申请)?", ("reviews",)),
    Term("suits", r"(?:行政)?诉讼(?:案件)?|(?:被)?(?:提起|起诉)", ("suits",)),
    # table 二
    Term("normative_valid", rf"现行有效(?:的)?{_NORMATIVE}|{_NORMATIVE}(?:现行有效|有效)", ("normative_valid", "normative_total")),
    Term("normative_repealed", rf"废止(?:了)?(?:的)?{_NORMATIVE}|{_NORMATIVE}废止", ("normative_repealed",)),
    Term("normative_issued", rf"(?:制发|印发|出台|制定|新制作|发布)(?:了)?(?:的)?{_NORMATIVE}|{_NORMATIVE}(?:制发|印发|出台)",
         ("normative_issued", "normative_made", "normative_published")),
    Term("rules_issued", r"(?:制发|制定|出台|新制作)(?:了)?(?:的)?规章", ("rules_issued",)),
    Term("licenses", rf"{_LICENSE}(?:处理)?决定|作出(?:的)?(?:行政)?许可(?:决定)?", ("licenses",)),
    Term("licenses_loose", _LICENSE, ("licenses",), exact=False),
    Term("penalties", rf"{_PENALTY}(?:处理)?决定|作出(?:的)?(?:行政)?处罚(?:决定)?", ("penalties",)),
    Term("penalties_loose", _PENALTY, ("penalties",), exact=False),
    Term("enforcements", rf"{_ENFORCEMENT}(?:处理)?决定|(?:采取|实施)(?:的)?{_ENFORCEMENT}(?:措施)?", ("enforcements",)),
)

TERM_INDEX: dict[str, Term] = {t.id: t for t in TERMS}
