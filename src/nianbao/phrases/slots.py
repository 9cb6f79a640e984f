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

from ..figures import FIGURES_LIST, Figure, cells_of
from ..formats import VERSIONS, FormatSpec, get_spec
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
    #: the format versions the slot exists in (empty = every format)
    formats: tuple[str, ...] = ()
    #: the user may override the computed value (stable facts such as 网站名称)
    overridable: bool = False

    def spec(self, fmt: FormatSpec | None = None) -> SlotSpec:
        fmt = fmt or get_spec(VERSIONS[-1])
        label = self.label(fmt) if callable(self.label) else self.label
        return SlotSpec(self.name, self.type, label, self.unit, True)


def _str(v: str) -> str | None:
    v = (v or "").strip()
    return v or None


def _website_name(r: Report) -> str | None:
    if r.agency.kind == AgencyKind.GOVERNMENT and r.agency.name.strip().endswith(_GOV):
        return f"{r.agency.name.strip()}门户网站"
    return "门户网站"


def _has_previous(r: Report) -> bool:
    return r.meta.previous.known


def _prev_year(r: Report) -> Value:
    return r.year - 1 if r.year else None


def _next_year(r: Report) -> Value:
    return r.year + 1 if r.year else None


def _formats_of(f: Figure) -> tuple[str, ...]:
    """The formats a figure exists in, when it does not exist in all of them."""
    have = tuple(v for v in VERSIONS if f.exists(get_spec(v)))
    return () if len(have) == len(VERSIONS) else have


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
    # every named figure (tables 二–四, the 信息处理费): defined once in nianbao.figures
    *(BoundSlot(f.key, "money" if f.kind == "money" else "int", f.label, f.value, f.unit, _formats_of(f))
      for f in FIGURES_LIST),
]

BOUND: dict[str, BoundSlot] = {b.name: b for b in _B}

#: names usable in conditions besides the slots (not for text)
CONDITION_NAMES: dict[str, str] = {
    "format": "年报格式（2019 或 2021）",
    "kind": "机关类型（人民政府、政府部门、乡镇街道、其他）",
    "has_previous": "是否有上一年度的报告（true / false）",
}


def slot_cells(name: str, report: Report | None = None) -> tuple[str, ...]:
    """Cell ids behind a bound slot (in ``report``'s format, or the current format)."""
    spec = report.spec if report is not None else get_spec(VERSIONS[-1])
    return cells_of(name, spec)


def bound_names() -> set[str]:
    return set(BOUND)


def bound_spec(name: str, report: Report | None = None) -> SlotSpec:
    return BOUND[name].spec(report.spec if report is not None else None)


def values(report: Report | None, answers: dict[str, Any] | None = None) -> dict[str, Value]:
    """Every bound value of ``report`` (None = unknown), plus the condition names and
    the free-slot answers.  Numeric bound slots are never taken from ``answers``."""
    out: dict[str, Value] = {}
    ans: dict[str, Any] = dict(report.meta.slots) if report is not None else {}
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


def pending(spec: SlotSpec) -> str:
    """How the composer shows a fact it does not know: 〔待补：本年主动公开政府信息条数〕."""
    return f"〔待补：{spec.label}〕"


def fill(variant: Variant, report: Report | None, answers: dict[str, Any] | None = None,
         vals: dict[str, Value] | None = None, marker: Callable[[SlotSpec], str] | None = None) -> Filled:
    """The variant's text with every slot filled from ``report`` and ``answers``.

    Slots without a value are listed in ``missing`` (each once) and shown as ``【label】``
    (or as ``marker`` makes them, e.g. :func:`pending`).  ``vals`` may pass precomputed
    :func:`values` (for speed)."""
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
            return marker(spec) if marker is not None else spec.marker()
        return format_value(v, spec)

    return Filled(_tidy(SLOT_RE.sub(sub, variant.text)), missing)


def slot_names(text: str) -> list[str]:
    return SLOT_RE.findall(text)
