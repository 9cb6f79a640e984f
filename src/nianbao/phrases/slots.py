"""Slots of phrase-bank texts: ``{name}``.

Bound slots are computed from the report (figures from the tables, the agency's
profile, the format); free slots are facts only the user knows and are declared in the
bank's ``[slots]`` tables.  :func:`fill` puts the values in; a slot without a value is
reported in ``Filled.missing`` and marked ``【label】`` in the text (never left as
``{…}``), so the UI can ask for it and the checks flag it if it is exported as is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ..formats import FormatSpec, get_spec
from ..model import AgencyKind, Report
from ..numbers import format_number

if TYPE_CHECKING:
    from .bank import Variant

SlotType = Literal["int", "str", "money", "percent", "date", "year", "bool"]
Value = int | Decimal | str | bool | None

SLOT_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: longest label shown in a 【…】 marker (the core's UNFILLED check catches up to 20)
MARK_MAX = 20


@dataclass(frozen=True)
class SlotSpec:
    name: str
    type: SlotType
    label: str  # Chinese, what the UI asks for
    unit: str = ""
    bound: bool = False  # computed from the report (else: asked from the user)
    #: bound slots only: the format versions the slot exists in (empty = both)
    formats: tuple[str, ...] = ()
    note: str = ""

    def marker(self) -> str:
        return f"【{self.label[:MARK_MAX]}】"


@dataclass(frozen=True)
class Filled:
    text: str
    missing: list[SlotSpec]

    @property
    def complete(self) -> bool:
        return not self.missing


# ---- cell access ---------------------------------------------------------------------

def cell_value(report: Report, cid: str) -> int | Decimal | None:
    """A cell's value; a computed total that was not stored is summed from its parts."""
    v = report.cells.get(cid)
    if v is not None:
        return v
    spec = report.spec
    if not spec.has_cell(cid):
        return None
    c = spec.cell(cid)
    t, b = c.table.key, c.block.key
    if c.column.sum_of:
        parts = [f"{t}.{b}.{c.row.key}.{k}" for k in c.column.sum_of]
    elif c.row.sum_of:
        parts = [f"{t}.{b}.{k}.{c.column.key}" for k in c.row.sum_of]
    else:
        return None
    vals = [cell_value(report, p) for p in parts]
    if any(x is None for x in vals):
        return None
    return sum(vals)  # type: ignore[return-value, arg-type]


def _sum(report: Report, *cids: str) -> int | Decimal | None:
    vals = [cell_value(report, c) for c in cids]
    if any(v is None for v in vals):
        return None
    return sum(vals)  # type: ignore[return-value, arg-type]


def _t3(row: str, col: str = "TT") -> Callable[[Report], Value]:
    return lambda r: cell_value(r, f"t3.main.{row}.{col}")


def _t3_label(row: str, col: str = "TT") -> Callable[[FormatSpec], str]:
    def label(spec: FormatSpec) -> str:
        b = spec.block("t3", "main")
        name = f"{spec.table('t3').name}“{b.row(row).name}”"
        return name if b.column(col).sum_of else f"{name}{b.column(col).label}"
    return label


def _t4(col: str) -> Callable[[Report], Value]:
    return lambda r: cell_value(r, f"t4.main.all.{col}")


def _t4_label(*cols: str) -> Callable[[FormatSpec], str]:
    def label(spec: FormatSpec) -> str:
        b = spec.block("t4", "main")
        first = b.column(cols[0])
        if len(cols) > 1:  # both kinds of 起诉: name the group only
            return f"{spec.table('t4').name}“{first.groups[0]}”{first.label}"
        return f"{spec.table('t4').name}“{'·'.join(first.groups)}”{first.label}"
    return label


def _t2(block: str, row: str, col: str) -> Callable[[Report], Value]:
    return lambda r: cell_value(r, f"t2.{block}.{row}.{col}")


def _t2_label(block: str, row: str, col: str) -> Callable[[FormatSpec], str]:
    def label(spec: FormatSpec) -> str:
        b = spec.block("t2", block)
        return f"{spec.table('t2').name}“{b.row(row).label}”{b.column(col).name}"
    return label


# ---- self-reference ---------------------------------------------------------------------

_SELF_SUFFIXES = (
    ("街道办事处", "我街道"), ("街道", "我街道"), ("办公室", "我办"), ("委员会", "我委"), ("管理委员会", "我委"),
    ("中心", "我中心"), ("局", "我局"), ("委", "我委"), ("办", "我办"), ("厅", "我厅"), ("署", "我署"),
    ("院", "我院"), ("处", "我处"), ("所", "我所"), ("站", "我站"), ("队", "我队"), ("部", "我部"),
    ("馆", "我馆"), ("社", "我社"), ("会", "我会"), ("镇", "我镇"), ("乡", "我乡"),
)
_GOV = "人民政府"


def self_reference(name: str, kind: AgencyKind | None = None) -> str:
    """How a report refers to its own agency: 我局、我办、我委、我镇、我街道、我县…; 本机关 if unsure."""
    n = re.sub(r"[（(][^）)]*[）)]$", "", name.strip())
    if not n:
        return "本机关"
    if n.endswith(_GOV):
        place = n[: -len(_GOV)]
        if place.endswith("街道"):
            return "我街道"
        if place and place[-1] in "省市县区旗州盟镇乡":
            return "我" + place[-1]
        return "本级政府"
    for suffix, ref in _SELF_SUFFIXES:
        if n.endswith(suffix):
            return ref
    if kind == AgencyKind.TOWNSHIP:
        return "我街道" if "街道" in n else "我镇"
    return "本机关"


# ---- the registry ---------------------------------------------------------------------

@dataclass(frozen=True)
class BoundSlot:
    name: str
    type: SlotType
    label: Callable[[FormatSpec], str] | str
    value: Callable[[Report], Value]
    unit: str = ""
    formats: tuple[str, ...] = ()
    #: the user may override the computed value (stable facts such as 网站名称)
    overridable: bool = False

    def spec(self, fmt: FormatSpec | None = None) -> SlotSpec:
        fmt = fmt or get_spec("2021")
        label = self.label(fmt) if callable(self.label) else self.label
        return SlotSpec(self.name, self.type, label, self.unit, True, self.formats)


def _str(v: str) -> str | None:
    v = (v or "").strip()
    return v or None


def _website_name(r: Report) -> str | None:
    if r.agency.kind == AgencyKind.GOVERNMENT and r.agency.name.strip().endswith(_GOV):
        return f"{r.agency.name.strip()}门户网站"
    return "门户网站"


def _fee_yuan(r: Report) -> Value:
    if r.fees.amount_yuan is not None:
        return r.fees.amount_yuan
    if r.fees.charged is False:
        return 0
    return None


def _fee_count(r: Report) -> Value:
    if r.fees.count is not None:
        return r.fees.count
    if r.fees.charged is False:
        return 0
    return None


def _has_previous(r: Report) -> bool:
    p = r.meta.previous or {}
    return bool(p)


def _prev_year(r: Report) -> Value:
    return r.year - 1 if r.year else None


def _next_year(r: Report) -> Value:
    return r.year + 1 if r.year else None


def _apps_total(r: Report) -> Value:
    return _sum(r, "t3.main.N.TT", "t3.main.C.TT")


def _apps_legal(r: Report) -> Value:
    n, p = cell_value(r, "t3.main.N.TT"), cell_value(r, "t3.main.N.NP")
    return None if n is None or p is None else n - p


def _fmt_only(version: str, fn: Callable[[Report], Value]) -> Callable[[Report], Value]:
    return lambda r: fn(r) if r.format_version == version else None


def _t4_pair(a: str, b: str) -> Callable[[Report], Value]:
    return lambda r: _sum(r, f"t4.main.all.{a}", f"t4.main.all.{b}")


def _notice(r: Report) -> Value:
    return r.spec.notice


def _format_title(r: Report) -> Value:
    return f"《{r.spec.title}》"


_B: list[BoundSlot] = [
    BoundSlot("year", "year", "报告年度", lambda r: r.year),
    BoundSlot("prev_year", "year", "上一年度", _prev_year),
    BoundSlot("next_year", "year", "下一年度", _next_year),
    BoundSlot("agency", "str", "机关名称", lambda r: _str(r.agency.name)),
    BoundSlot("self", "str", "本机关的自称（如我局）", lambda r: self_reference(r.agency.name, r.agency.kind),
              overridable=True),
    BoundSlot("website", "str", "政府信息公开网址", lambda r: _str(r.agency.website)),
    BoundSlot("website_name", "str", "网站名称（如某某人民政府门户网站）", _website_name, overridable=True),
    BoundSlot("contact_phone", "str", "联系电话", lambda r: _str(r.agency.contact.phone)),
    BoundSlot("contact_address", "str", "联系地址", lambda r: _str(r.agency.contact.address)),
    BoundSlot("contact_department", "str", "政府信息公开工作机构", lambda r: _str(r.agency.contact.department)),
    BoundSlot("contact_email", "str", "电子邮箱", lambda r: _str(r.agency.contact.email)),
    BoundSlot("postcode", "str", "邮政编码", lambda r: _str(r.agency.contact.postcode)),
    BoundSlot("notice", "str", "年报格式的发文字号", _notice),
    BoundSlot("format_title", "str", "年报格式的名称", _format_title),
    # table 三
    BoundSlot("apps_new", "int", _t3_label("N"), _t3("N"), "件"),
    BoundSlot("apps_carried", "int", _t3_label("C"), _t3("C"), "件"),
    BoundSlot("apps_total", "int", "新收与上年结转的申请合计", _apps_total, "件"),
    BoundSlot("apps_done", "int", _t3_label("R7"), _t3("R7"), "件"),
    BoundSlot("apps_forward", "int", _t3_label("F"), _t3("F"), "件"),
    BoundSlot("apps_disclosed", "int", _t3_label("R1"), _t3("R1"), "件"),
    BoundSlot("apps_partial", "int", _t3_label("R2"), _t3("R2"), "件"),
    BoundSlot("apps_natural", "int", _t3_label("N", "NP"), _t3("N", "NP"), "件"),
    BoundSlot("apps_legal", "int", "新收申请中法人或其他组织的件数", _apps_legal, "件"),
    BoundSlot("apps_fee_lapsed", "int", _t3_label("R6_2"), _fmt_only("2021", _t3("R6_2")), "件", ("2021",)),
    # table 四
    BoundSlot("reviews", "int", _t4_label("rv_total"), _t4("rv_total"), "件"),
    BoundSlot("reviews_corrected", "int", _t4_label("rv_corrected"), _t4("rv_corrected"), "件"),
    BoundSlot("suits", "int", _t4_label("ld_total", "la_total"), _t4_pair("ld_total", "la_total"), "件"),
    BoundSlot("suits_corrected", "int", _t4_label("ld_corrected", "la_corrected"),
              _t4_pair("ld_corrected", "la_corrected"), "件"),
    # table 二
    BoundSlot("normative_issued", "int", _t2_label("a20_1", "normative", "issued"),
              _fmt_only("2021", _t2("a20_1", "normative", "issued")), "件", ("2021",)),
    BoundSlot("normative_repealed", "int", _t2_label("a20_1", "normative", "repealed"),
              _fmt_only("2021", _t2("a20_1", "normative", "repealed")), "件", ("2021",)),
    BoundSlot("normative_valid", "int", _t2_label("a20_1", "normative", "valid"),
              _fmt_only("2021", _t2("a20_1", "normative", "valid")), "件", ("2021",)),
    BoundSlot("normative_made", "int", lambda s: _t2_label("a20_1", "normative", "made")(get_spec("2019")),
              _fmt_only("2019", _t2("a20_1", "normative", "made")), "件", ("2019",)),
    BoundSlot("normative_published", "int", lambda s: _t2_label("a20_1", "normative", "published")(get_spec("2019")),
              _fmt_only("2019", _t2("a20_1", "normative", "published")), "件", ("2019",)),
    BoundSlot("normative_total", "int", lambda s: _t2_label("a20_1", "normative", "total")(get_spec("2019")),
              _fmt_only("2019", _t2("a20_1", "normative", "total")), "件", ("2019",)),
    BoundSlot("rules_issued", "int", "本年制发（新制作）规章件数",
              lambda r: cell_value(r, "t2.a20_1.rules." + ("issued" if r.format_version == "2021" else "made")), "件"),
    BoundSlot("licenses", "int", _t2_label("a20_5", "license", "decisions"), _t2("a20_5", "license", "decisions"),
              "件"),
    BoundSlot("penalties", "int", _t2_label("a20_6", "penalty", "decisions"), _t2("a20_6", "penalty", "decisions"),
              "件"),
    BoundSlot("enforcements", "int", _t2_label("a20_6", "enforcement", "decisions"),
              _t2("a20_6", "enforcement", "decisions"), "件"),
    BoundSlot("fee_amount", "money", _t2_label("a20_8", "fees", "amount"),
              _fmt_only("2021", _t2("a20_8", "fees", "amount")), "万元", ("2021",)),
    BoundSlot("fee_yuan", "money", "本年收取的信息处理费（元）", _fee_yuan, "元"),
    BoundSlot("fee_count", "int", "收取信息处理费的申请件数", _fee_count, "件"),
]

BOUND: dict[str, BoundSlot] = {b.name: b for b in _B}

#: names usable in conditions besides the slots (not for text)
CONDITION_NAMES: dict[str, str] = {
    "format": "年报格式（2019 或 2021）",
    "kind": "机关类型（人民政府、政府部门、乡镇街道、其他）",
    "has_previous": "是否有上一年度的报告（true / false）",
}


#: the table cells a numeric bound slot is computed from (for "jump to cell")
_CELLS: dict[str, tuple[str, ...]] = {
    "apps_new": ("t3.main.N.TT",), "apps_carried": ("t3.main.C.TT",), "apps_total": ("t3.main.N.TT", "t3.main.C.TT"),
    "apps_done": ("t3.main.R7.TT",), "apps_forward": ("t3.main.F.TT",), "apps_disclosed": ("t3.main.R1.TT",),
    "apps_partial": ("t3.main.R2.TT",), "apps_natural": ("t3.main.N.NP",), "apps_legal": ("t3.main.N.TT", "t3.main.N.NP"),
    "apps_fee_lapsed": ("t3.main.R6_2.TT",), "reviews": ("t4.main.all.rv_total",),
    "reviews_corrected": ("t4.main.all.rv_corrected",), "suits": ("t4.main.all.ld_total", "t4.main.all.la_total"),
    "suits_corrected": ("t4.main.all.ld_corrected", "t4.main.all.la_corrected"),
    "normative_issued": ("t2.a20_1.normative.issued",), "normative_repealed": ("t2.a20_1.normative.repealed",),
    "normative_valid": ("t2.a20_1.normative.valid",), "normative_made": ("t2.a20_1.normative.made",),
    "normative_published": ("t2.a20_1.normative.published",), "normative_total": ("t2.a20_1.normative.total",),
    "licenses": ("t2.a20_5.license.decisions",), "penalties": ("t2.a20_6.penalty.decisions",),
    "enforcements": ("t2.a20_6.enforcement.decisions",), "fee_amount": ("t2.a20_8.fees.amount",),
}


def slot_cells(name: str, report: Report | None = None) -> tuple[str, ...]:
    """Cell ids behind a bound slot (those of ``report``'s format only)."""
    if name == "rules_issued":
        col = "issued" if report is None or report.format_version == "2021" else "made"
        return (f"t2.a20_1.rules.{col}",)
    cells = _CELLS.get(name, ())
    if report is not None:
        cells = tuple(c for c in cells if report.spec.has_cell(c))
    return cells


def bound_names() -> set[str]:
    return set(BOUND)


def bound_spec(name: str, report: Report | None = None) -> SlotSpec:
    return BOUND[name].spec(report.spec if report is not None else None)


def values(report: Report | None, answers: dict[str, Any] | None = None) -> dict[str, Value]:
    """Every bound value of ``report`` (None = unknown), plus the condition names and
    the free-slot answers.  Numeric bound slots are never taken from ``answers``."""
    out: dict[str, Value] = {}
    ans = dict(report.meta.answers) if report is not None else {}
    ans.update(answers or {})
    if report is not None:
        for b in _B:
            try:
                out[b.name] = b.value(report)
            except (KeyError, ValueError, TypeError):
                out[b.name] = None
            if b.overridable and isinstance(ans.get(b.name), str) and ans[b.name].strip():
                out[b.name] = ans[b.name].strip()
        out["format"] = report.format_version
        out["kind"] = report.agency.kind.value if report.agency.kind else None
        out["has_previous"] = _has_previous(report)
    else:
        # no report (e.g. browsing the bank): the generic self-reference reads naturally
        out["self"] = ans["self"].strip() if isinstance(ans.get("self"), str) and ans["self"].strip() else "本机关"
    for k, v in ans.items():
        if k not in BOUND and k not in CONDITION_NAMES and isinstance(v, str | int | Decimal) and k not in out:
            out[k] = v
    return out


def format_value(v: Value, spec: SlotSpec) -> str:
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, int | Decimal):
        s = format_number(v)
        if spec.type == "percent":
            s += "%"
        return s
    s = str(v).strip()
    if spec.type == "percent" and s and not s.endswith(("%", "％")):
        s += "%"
    return s


def _tidy(text: str) -> str:
    return text.replace("《《", "《").replace("》》", "》")


def fill(variant: Variant, report: Report | None, answers: dict[str, Any] | None = None,
         vals: dict[str, Value] | None = None) -> Filled:
    """The variant's text with every slot filled from ``report`` and ``answers``.

    Slots without a value are listed in ``missing`` (each once) and shown as ``【label】``.
    ``vals`` may pass precomputed :func:`values` (for speed)."""
    if vals is None:
        vals = values(report, answers)
    elif answers:
        vals = {**vals, **{k: v for k, v in answers.items() if k not in BOUND or BOUND[k].overridable}}
    specs = variant.slot_specs
    missing: list[SlotSpec] = []
    fmt = report.spec if report is not None else None

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        spec = specs.get(name)
        if spec is None:
            spec = BOUND[name].spec(fmt) if name in BOUND else SlotSpec(name, "str", name)
        elif spec.bound and fmt is not None:
            spec = BOUND[name].spec(fmt)
        v = vals.get(name)
        if v is None or (isinstance(v, str) and not v.strip()):
            if spec not in missing:
                missing.append(spec)
            return spec.marker()
        return format_value(v, spec)

    return Filled(_tidy(SLOT_RE.sub(sub, variant.text)), missing)


def slot_names(text: str) -> list[str]:
    return SLOT_RE.findall(text)
