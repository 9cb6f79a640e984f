"""The assistant's questions as data (headless: no textual import).

A :class:`Question` says what to ask (Chinese label and help), of which type, whether it
is asked at all (``condition`` on the report), where the answer goes (``target``: a
report field path, ``answers.<key>`` for gating answers, or the cells of a ``grid``) and
what to propose.  Table questions are generated from the format spec (``formats.py``):
rows, columns, labels and computed cells come from there, so the 2019/2021 differences
(the 采购 block, the （六）其他处理 sub-items, the column sets of 表二) follow automatically.

The TUI renders these questions; this module also holds the answer logic the TUI and the
tests share: parsing and validating typed values, the skip-logic that writes zeros, the
proposals (结转下年度 = 一 + 二 − （七）总计, the opening paragraph, 六), progress and "which
question is this finding about".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from .figures import FIGURES
from .findings import Finding
from .formats import RULES, Block, CellKind, FormatSpec, Table, cell_id, get_spec
from .model import AgencyKind, Part, Report
from .numbers import NumberError, format_number, parse_number
from .text import parse_parts, parts_to_text

QType = Literal["yesno", "choice", "text", "int", "year", "money", "cells", "textarea"]
Value = int | Decimal | None

# --------------------------------------------------------------------------------------
# steps


@dataclass(frozen=True)
class Step:
    key: str  # basic / opening / s1..s6 / check / export
    title: str  # shown in the step list
    section: int  # report section for the preview and findings (0: title and opening; -1: none)


def steps(report: Report) -> list[Step]:
    spec = report.spec
    out = [Step("basic", "基本信息", 0), Step("opening", "开头语", 0)]
    out += [Step(f"s{s.number}", s.short, s.number) for s in spec.sections]
    out += [Step("check", "检查", -1), Step("export", "导出", -1)]
    return out


STEP_KEYS = ("basic", "opening", "s1", "s2", "s3", "s4", "s5", "s6", "check", "export")


def step_of_section(section: int) -> str:
    return "basic" if section <= 0 else f"s{section}"


# --------------------------------------------------------------------------------------
# grids (generated from the spec)


@dataclass(frozen=True)
class GridCol:
    key: str
    label: str  # full label, groups included (for the help line)
    short: str  # header text
    computed: bool = False


@dataclass(frozen=True)
class GridRow:
    key: str
    label: str  # full label
    short: str
    group: str = ""  # sub-group shown as a separator line when it changes
    cells: tuple[str, ...] = ()  # one cell id per grid column
    computed: bool = False


@dataclass(frozen=True)
class GridSpec:
    rows: tuple[GridRow, ...]
    cols: tuple[GridCol, ...]

    def all_ids(self) -> tuple[str, ...]:
        return tuple(c for r in self.rows for c in r.cells)

    def is_computed(self, r: GridRow, j: int) -> bool:
        return r.computed or self.cols[j].computed

    def editable_ids(self) -> tuple[str, ...]:
        return tuple(cid for r in self.rows for j, cid in enumerate(r.cells) if not self.is_computed(r, j))


def _block_grid(table: Table, block_key: str, roles: tuple[str, ...] | None = None) -> GridSpec:
    """A grid of a block's rows (those of ``roles`` only, if given) × its columns."""
    b = table.block(block_key)
    cols = tuple(GridCol(c.key, "·".join((*c.groups, c.label)), c.short or c.label, c.computed) for c in b.columns)
    rows = []
    for r in b.rows:
        if roles is not None and r.role not in roles:
            continue
        # the top group of a sub-table (三、本年度办理结果) is the question itself; show the sub-group
        shown = r.groups[1:] if roles is not None else r.groups
        rows.append(GridRow(r.key, "·".join((*r.groups, r.label)), r.short or r.label, "·".join(shown),
                            tuple(cell_id(table.key, b.key, r.key, c.key) for c in b.columns), r.computed))
    return GridSpec(tuple(rows), cols)


def groups_grid(table: Table, block_key: str) -> GridSpec:
    """A block printed as one row of column groups (table 四: 15 cells), asked as one row per
    group (复议, 直接起诉, 复议后起诉) of the same result columns."""
    b = table.block(block_key)
    groups: list[tuple[tuple[str, ...], list]] = []
    for c in b.columns:
        if not groups or groups[-1][0] != c.groups:
            groups.append((c.groups, []))
        groups[-1][1].append(c)
    first = groups[0][1]
    cols = tuple(GridCol(c.role or c.key, c.label, c.short or c.label, c.computed) for c in first)
    rows = tuple(GridRow(g[-1], "·".join(g), g[-1], "", tuple(cell_id(table.key, b.key, row.key, c.key) for c in cs
                                                              for row in b.rows), False)
                 for g, cs in groups)
    return GridSpec(rows, cols)


def t4_grid(spec: FormatSpec) -> GridSpec:
    t, b = spec.block_with("upheld")
    return groups_grid(t, b.key)


# --------------------------------------------------------------------------------------
# questions


@dataclass(frozen=True)
class Question:
    id: str
    step: str
    label: str  # the question, plain Chinese
    type: QType
    help: str = ""
    unit: str = ""
    #: (value, label) for choice / yesno
    choices: tuple[tuple[str, str], ...] = ()
    #: asked only if this returns True
    condition: Callable[[Report], bool] | None = None
    #: where the answer goes: "agency.name", "year", "answers.s3.any", "narrative.overview", "fees.count" …
    target: str = ""
    grid: GridSpec | None = None
    required: bool = False
    #: a proposal shown in the field (the user confirms it); never last year's statistics
    propose: Callable[[Report], Any] | None = None
    kind: CellKind = "count"
    #: a short name for the answer history and the command palette
    short: str = ""

    def asked(self, report: Report) -> bool:
        return self.condition is None or bool(self.condition(report))

    @property
    def cells(self) -> tuple[str, ...]:
        return self.grid.all_ids() if self.grid else ()

    @property
    def section(self) -> int:
        """The report section the question belongs to (0: 基本信息 and 开头语)."""
        return int(self.step[1:]) if self.step.startswith("s") and self.step[1:].isdigit() else 0

    def answered(self, report: Report) -> bool:
        if self.grid is not None:
            return all(report.cells.get(c) is not None for c in self.grid.editable_ids())
        v = get_value(report, self.target)
        if self.type == "textarea":
            if f"done.{self.id}" in report.meta.answers:
                return True
            # text carried from last year's report counts only once the user confirmed it
            return bool(str(v or "").strip()) and not report.meta.previous.get("report")
        if self.type in ("text",) and not self.required:
            return f"done.{self.id}" in report.meta.answers or bool(v)
        return v is not None and v != ""

    @property
    def name(self) -> str:
        return self.short or self.label


YES, NO = "yes", "no"
YESNO = ((YES, "是"), (NO, "否"))


def answer(report: Report, key: str) -> Any:
    return report.meta.answers.get(key)


def _any_apps(r: Report) -> bool:
    return answer(r, "s3.any") == YES


def _carried_total(r: Report) -> Value:
    return FIGURES["apps_carried"].value(r)


def _outcomes_asked(r: Report) -> bool:
    """Outcome rows are asked when there are applications to account for: new ones, or
    cases carried over from last year (or not yet known)."""
    if answer(r, "s3.any") is None:
        return False
    if _any_apps(r):
        return True
    c = _carried_total(r)
    return c is None or c > 0


def _fees_asked(r: Report) -> bool:
    return r.spec.reports_fees


def _charged(r: Report) -> bool:
    return _fees_asked(r) and r.fees.charged is True


def _litigation(r: Report) -> bool:
    return answer(r, "s4.any") == YES


def _documents(spec: FormatSpec) -> tuple[Table, Block]:
    """Table 二's block of 规章 and 规范性文件 (the block with the 规章 row)."""
    for t in spec.tables:
        for b in t.blocks:
            if any(r.key == RULES.key for r in b.rows):
                return t, b
    raise KeyError(RULES.key)


def _t2_flow_cols(spec: FormatSpec) -> tuple[str, ...]:
    """The document columns that count this year's documents (all but the stock column)."""
    return tuple(c.key for c in _documents(spec)[1].columns if c.role not in ("valid", "stock"))


def opening_proposal(r: Report) -> str:
    spec = r.spec
    parts = "、".join(s.heading.split("、", 1)[1] for s in spec.sections)
    year = r.year or date.today().year - 1
    text = (f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《{spec.title}》（{spec.notice}）要求编制。"
            f"全文包括{parts}。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。")
    if r.agency.website.strip():
        text += f"本报告电子版可在{r.agency.website.strip()}下载。"
    c = r.agency.contact
    bits = [f"{k}：{v.strip()}" for k, v in (("地址", c.address), ("邮编", c.postcode), ("电话", c.phone),
                                             ("电子邮箱", c.email)) if v.strip()]
    if bits:
        who = c.department.strip() or r.agency.name.strip() or "本机关"
        text += f"如对本报告有任何疑问，请与{who}联系（{'；'.join(bits)}）。"
    return text


def other_proposal(r: Report) -> str:
    if not _fees_asked(r):
        return "无。"
    f = r.fees
    if f.charged is True and f.count and f.amount_yuan is not None:
        return f"本年度依据《政府信息公开信息处理费管理办法》，共对{f.count}件政府信息公开申请收取信息处理费{format_number(f.amount_yuan)}元。"
    if f.charged is False:
        return "本年度未收取信息处理费。无其他需要报告的事项。"
    return ""


def carry_proposal(r: Report) -> dict[str, Value]:
    """结转下年度继续办理 proposed per applicant column from the block's identity
    (一 + 二 − （七）总计)."""
    out: dict[str, Value] = {}
    t, b = r.spec.block_with("forward")
    f = b.role_row("forward")
    for c in b.data_columns:
        vals = {x.key: r.cells.get(cell_id(t.key, b.key, x.key, c.key)) for x in b.rows if x.key != f.key}
        v = b.solve(f.key, vals)  # type: ignore[arg-type]
        if v is not None:
            out[cell_id(t.key, b.key, f.key, c.key)] = max(0, v)
    return out


def no_rules(r: Report) -> bool:
    """乡镇街道 and 政府部门 make no 规章 (only 省级 and 设区的市 governments do)."""
    return r.agency.kind in (AgencyKind.TOWNSHIP, AgencyKind.DEPARTMENT)


def label_for(r: Report, q: Question) -> str:
    """The question's label, adapted to the agency."""
    if q.id == "contact.department":
        example = {AgencyKind.TOWNSHIP: "党政办公室", AgencyKind.GOVERNMENT: "政府办公室"}.get(r.agency.kind)  # type: ignore[call-overload]
        if example:
            return q.label.replace("局办公室", example)
    if q.id == "s2.any" and no_rules(r):
        b = _documents(r.spec)[1]
        flow = [c.short for c in b.columns if c.key in _t2_flow_cols(r.spec)]
        return f"本年度是否{'或'.join(flow)}{'、'.join(x.label for x in b.rows if x.key != RULES.key)}？"
    return q.label


def _kind_choices() -> tuple[tuple[str, str], ...]:
    return tuple((k.value, k.value) for k in AgencyKind)


def year_proposal(r: Report) -> int:
    today = date.today()
    return today.year - 1 if today.month <= 6 else today.year


@cache
def _questions(version: str) -> tuple[Question, ...]:
    spec = get_spec(version)  # type: ignore[arg-type]
    t2, a1 = _documents(spec)
    t3, b3 = spec.block_with("new")
    t4, _ = spec.block_with("upheld")
    qs: list[Question] = [
        Question("agency.name", "basic", "请填写机关名称（报告标题中的名称，如“某县市场监督管理局”）：", "text",
                 help="机关的全称，将用在报告标题中。", target="agency.name", required=True, short="机关名称"),
        Question("agency.kind", "basic", "贵机关属于哪一类？", "choice", choices=_kind_choices(),
                 help="人民政府的年报还需报告考核、社会评议和责任追究情况。", target="agency.kind", short="机关类型"),
        Question("year", "basic", "这是哪一年度的报告？", "year", help="报告年度决定表格格式：2019、2020年度用试行格式，2021年度起用新格式。",
                 target="year", required=True, propose=year_proposal, short="报告年度"),
        Question("contact.department", "basic", "负责政府信息公开工作的机构（如“局办公室”，可不填）：", "text",
                 target="agency.contact.department", short="工作机构"),
        Question("contact.address", "basic", "联系地址（可不填）：", "text", target="agency.contact.address", short="地址"),
        Question("contact.postcode", "basic", "邮政编码（可不填）：", "text", target="agency.contact.postcode", short="邮编"),
        Question("contact.phone", "basic", "联系电话（可不填）：", "text", target="agency.contact.phone", short="电话"),
        Question("contact.email", "basic", "电子邮箱（可不填）：", "text", target="agency.contact.email", short="电子邮箱"),
        Question("website", "basic", "政府信息公开网站或专栏的网址（可不填）：", "text", target="agency.website", short="网址"),
        Question("opening", "opening", "开头语：下面是按惯例拟好的一段，可直接修改。", "textarea",
                 help="开头语一般说明编制依据、全文包括哪几部分、统计期限，以及联系方式。", target="narrative.opening",
                 propose=opening_proposal, short="开头语"),
        Question("overview", "s1", "请写一写本年度政府信息公开工作的总体情况：", "textarea",
                 help="可分几个方面写（主动公开、依申请公开、政府信息管理、平台建设、监督保障），每方面用“（一）标题。”开头一行。",
                 target="narrative.overview", required=True, short="总体情况"),
    ]
    flow = [c for c in a1.columns if c.key in _t2_flow_cols(spec)]
    qs.append(Question("s2.any", "s2", f"本年度是否{'或'.join(c.short for c in flow)}"
                                        f"{'、'.join(r.label for r in a1.rows)}？", "yesno", choices=YESNO,
                       help=f"选“否”时，{'、'.join(c.label for c in flow)}填0。",
                       target="answers.s2.any", short="是否有新文件"))
    for b in t2.blocks:
        grid = _block_grid(t2, b.key)
        names = "、".join(r.label for r in b.rows)
        qs.append(Question(f"t2.{b.key}", "s2", f"{b.caption}（{names}）：请填写下表。", "cells", grid=grid,
                           help="空着的格子在完成本表时按0计。", short=f"{t2.name}{b.caption}"))
    n, c, f = (b3.role_row(x) for x in ("new", "carried", "forward"))
    qs += [
        Question("s3.any", "s3", "本年度是否收到政府信息公开申请？", "yesno", choices=YESNO,
                 help=f"选“否”时，“{n.label}”一行填0；上年结转的申请仍需填写。", target="answers.s3.any",
                 short="是否收到申请"),
        Question("t3.N", "s3", "请按申请人类型填写本年新收的申请件数：", "cells", grid=_block_grid(t3, b3.key, ("new",)),
                 condition=_any_apps, help="总计自动计算。空着的格子在完成本表时按0计。", short=n.short),
        Question("t3.C", "s3", "上年结转到本年的申请有多少件（按申请人类型）？", "cells",
                 grid=_block_grid(t3, b3.key, ("carried",)),
                 condition=lambda r: answer(r, "s3.any") is not None,
                 help="应等于上一年度报告的“结转下年度继续办理”。没有请填0。", short=c.short),
        Question("t3.outcomes", "s3", "这些申请是怎么办理的？请按办理结果和申请人类型填写件数：", "cells",
                 grid=_block_grid(t3, b3.key, ("outcome", "total")),
                 condition=_outcomes_asked, help="只填发生了的格子，空着的在完成本表时按0计；（七）总计自动计算。",
                 short="办理结果"),
        Question("t3.F", "s3", "结转下年度继续办理的件数（已按“一+二−（七）总计”算好，请确认或修改）：", "cells",
                 grid=_block_grid(t3, b3.key, ("forward",)), condition=_outcomes_asked, propose=carry_proposal,
                 help="年底尚未办结、转入下一年度办理的申请。", short=f.short),
        Question("s4.any", "s4", "本年度是否发生因政府信息公开引起的行政复议或行政诉讼？", "yesno", choices=YESNO,
                 help="选“否”时，表四全部填0。", target="answers.s4.any", short="是否有复议诉讼"),
        Question("t4", "s4", f"请填写{t4.name}：每一行是一类案件，按结果填写件数（总计自动计算）：", "cells",
                 grid=t4_grid(spec), condition=_litigation, help="空着的格子在完成本表时按0计。", short=t4.name),
        Question("rectification", "s5", "上一年度报告中提到的问题，今年整改得怎么样？（可不填）", "textarea",
                 target="narrative.rectification", short="上年问题整改"),
        Question("problems", "s5", "本年度政府信息公开工作存在哪些主要问题？", "textarea",
                 help="可分条写，每条用“（一）标题。”开头一行。", target="narrative.problems", short="存在的问题"),
        Question("measures", "s5", "针对这些问题，下一步打算怎么改进？", "textarea",
                 help="可分条写，每条用“（一）标题。”开头一行。", target="narrative.measures", short="改进措施"),
        Question("fees.charged", "s6", "本年度是否收取信息处理费？", "yesno", choices=YESNO, condition=_fees_asked,
                 help="依据《政府信息公开信息处理费管理办法》收取的费用。", target="fees.charged", short="是否收费"),
        Question("fees.count", "s6", "对多少件申请收取了信息处理费？", "int", condition=_charged, unit="件",
                 target="fees.count", short="收费件数"),
        Question("fees.amount", "s6", "共收取信息处理费多少元？", "money", condition=_charged, unit="元",
                 target="fees.amount_yuan", short="收费金额"),
        Question("other", "s6", "其他需要报告的事项（没有可写“无”）：", "textarea", target="narrative.other",
                 propose=other_proposal, required=True, short="其他事项"),
    ]
    return tuple(qs)


def all_questions(report: Report) -> tuple[Question, ...]:
    return _questions(report.format_version)


def asked(report: Report, step: str | None = None) -> list[Question]:
    return [q for q in all_questions(report) if (step is None or q.step == step) and q.asked(report)]


def by_id(report: Report, qid: str) -> Question | None:
    for q in all_questions(report):
        if q.id == qid:
            return q
    return None


def progress(report: Report) -> tuple[int, int]:
    qs = asked(report)
    return sum(1 for q in qs if q.answered(report)), len(qs)


def percent(report: Report) -> int:
    done, total = progress(report)
    return round(100 * done / total) if total else 0


def step_done(report: Report, step: str) -> bool:
    qs = asked(report, step)
    return bool(qs) and all(q.answered(report) for q in qs)


def unanswered(report: Report, step: str) -> list[Question]:
    return [q for q in asked(report, step) if not q.answered(report)]


# --------------------------------------------------------------------------------------
# values


def get_value(report: Report, target: str) -> Any:
    if target.startswith("answers."):
        return report.meta.answers.get(target[len("answers."):])
    if target == "narrative.overview":
        return parts_to_text(report.narrative.overview)
    if target in ("narrative.problems", "narrative.measures"):
        return parts_to_text(getattr(report.narrative, target.split(".")[1]))
    obj: Any = report
    for part in target.split("."):
        obj = getattr(obj, part)
    if isinstance(obj, AgencyKind):
        return obj.value
    return obj


def set_value(report: Report, target: str, value: Any) -> None:
    if target.startswith("answers."):
        answers = dict(report.meta.answers)
        answers[target[len("answers."):]] = value
        report.meta.answers = answers
        return
    if target in ("narrative.overview", "narrative.problems", "narrative.measures"):
        name = target.split(".")[1]
        setattr(report.narrative, name, text_to_parts(str(value or ""), getattr(report.narrative, name)))
        return
    path = target.split(".")
    obj: Any = report
    for part in path[:-1]:
        obj = getattr(obj, part)
    setattr(obj, path[-1], value)


# --------------------------------------------------------------------------------------
# parsing and validating typed answers (messages in Chinese, never raises)

_POSTCODE = re.compile(r"^\d{6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_answer(report: Report, q: Question, text: str) -> tuple[Any, str]:
    """(value, "") or (None, Chinese message) for a scalar question."""
    t = text.strip()
    if q.type == "text":
        if q.required and not t:
            return None, f"{q.name}不能为空，请填写"
        if q.id == "contact.postcode" and t:
            t = parse_digits(t)
            if not _POSTCODE.match(t):
                return None, "邮政编码应为6位数字"
        if q.id == "contact.email" and t and not _EMAIL.match(t):
            return None, "电子邮箱的格式不对（应如 gk@example.gov.cn）"
        return t, ""
    if q.type in ("int", "year"):
        if not t:
            return None, f"请填写{q.name}"
        if q.type == "year":
            t = parse_digits(t).removesuffix("年度").removesuffix("年")
        try:
            v = parse_number(t, "count", q.name)
        except NumberError as e:
            return None, str(e)
        if q.type == "year" and not 2019 <= v <= date.today().year + 1:  # type: ignore[operator]
            return None, f"{q.name}应在2019年至{date.today().year + 1}年之间（2019年以前的年报适用旧格式，本工具不支持）"
        return v, ""
    if q.type == "money":
        if not t:
            return None, f"请填写{q.name}"
        t2 = parse_digits(t)
        if q.unit == "元":
            t2 = t2.removesuffix("元")
            if t2.endswith("万"):
                return None, f"{q.name}：请以元为单位填写（如 380）"
        try:
            return parse_number(t2, "money", q.name), ""
        except NumberError as e:
            return None, str(e)
    if q.type in ("yesno", "choice"):
        values = {v for v, _ in q.choices}
        if t not in values:
            return None, "请从列出的选项中选择"
        return t, ""
    if q.type == "textarea":
        if q.required and not t:
            return None, f"{q.name}不能为空（没有可写“无”）"
        return text.strip("\n"), ""
    return None, "此问题不能这样回答"


def parse_digits(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", text).strip()


def cell_name(report: Report, cid: str) -> str:
    spec = report.spec
    return spec.cell(cid).where if spec.has_cell(cid) else cid


def parse_cell(report: Report, cid: str, text: str, pending: dict[str, Value] | None = None) -> tuple[Value, str]:
    """Parse the text typed into a table cell: (value, "") or (None, message).

    ``pending``: values typed in the same grid but not yet stored (used by the 结转 bound).
    Empty text is (None, "") — not answered."""
    spec = report.spec
    cell = spec.cell(cid)
    name = cell.where
    try:
        v = parse_number(text, cell.kind, name)
    except NumberError as e:
        return None, str(e)
    if v is None:
        return None, ""
    b = cell.block
    if cell.row.role == "forward" and b.identities:
        vals = {}
        for r in b.rows:
            if r.key == cell.row.key:
                continue
            key = cell_id(cell.table.key, b.key, r.key, cell.column.key)
            vals[r.key] = pending[key] if pending and key in pending else report.cells.get(key)
        bound = b.solve(cell.row.key, vals)  # type: ignore[arg-type]
        if bound is not None and v > bound:
            n, c, r7 = (b.role_row(x) for x in ("new", "carried", "total"))
            if bound < 0:
                both = (vals[n.key] or 0) + (vals[c.key] or 0)
                return None, (f"“{_col_name(cell.column)}”列：{r7.label}（{vals[r7.key]}）大于"
                              f"{_row_name(n)}（{vals[n.key]}）与{_row_name(c)}（{vals[c.key]}）"
                              f"之和{both}件——是办理结果填多了，结转件数无法填写。"
                              "请按 Esc 回到办理结果，核对后再回来确认本表")
            return None, (f"{name}：{v}件不可能——{n.short}（{vals[n.key]}）加{c.short}"
                          f"（{vals[c.key]}）减{r7.label}（{vals[r7.key]}）只剩{bound}件")
    elif cell.row.role == "outcome" and not cell.column.computed:
        err = _outcome_bound(report, cell, v, pending)
        if err:
            return None, err
    return v, ""


def _row_name(row: Any) -> str:
    """A row's short name without its numbering (一、本年新收 -> 本年新收)."""
    return (row.short or row.label).split("、", 1)[-1]


def _col_name(col: Any) -> str:
    return col.short or col.label


def _outcome_bound(report: Report, cell: Any, v: Value, pending: dict[str, Value] | None) -> str:
    """An outcome cell of 表三: the column's outcome total may not exceed 一 + 二 of that column."""
    t, b, col = cell.table, cell.block, cell.column.key
    cells = dict(report.cells)
    if pending:
        cells.update(pending)
    n, c = (b.role_row(x) for x in ("new", "carried"))
    nv, cv = (cells.get(cell_id(t.key, b.key, x.key, col)) for x in (n, c))
    if nv is None and cv is None:
        return ""
    cells[cell.id] = v
    total = sum(int(x) for r in b.rows_with("outcome")
                if (x := cells.get(cell_id(t.key, b.key, r.key, col))) is not None)
    limit = int(nv or 0) + int(cv or 0)
    if total <= limit:
        return ""
    return (f"“{_col_name(cell.column)}”列：办理结果合计{total}件，超过了{_row_name(n)}（{nv or 0}）"
            f"与{_row_name(c)}（{cv or 0}）之和{limit}件，请核对")


def _zero_unanswered(report: Report, cell_ids: list[str]) -> bool:
    """Set the unanswered cells among ``cell_ids`` to 0 (the skip-logic of a "否" answer);
    cells the user already answered keep their value.  True if any cell was filled."""
    filled = False
    for cid in cell_ids:
        if report.cells.get(cid) is None:
            report.set(cid, 0)
            filled = True
    return filled

def _zero_cells(report: Report, ids: list[str]) -> None:
    for cid in ids:
        report.set(cid, 0)


def _rules_row_ids(spec: FormatSpec) -> list[str]:
    t, b = _documents(spec)
    return spec.ids(t, b, [b.row(RULES.key)], b.data_columns)


def _flow_ids(spec: FormatSpec) -> list[str]:
    t, b = _documents(spec)
    return spec.ids(t, b, b.rows, [b.column(k) for k in _t2_flow_cols(spec)])


def _new_row_ids(spec: FormatSpec) -> list[str]:
    t, b = spec.block_with("new")
    return spec.ids(t, b, [b.role_row("new")], b.data_columns)


def _cases_ids(spec: FormatSpec) -> list[str]:
    t, b = spec.block_with("upheld")
    return spec.ids(t, b, b.rows, b.data_columns)


def apply_answer(report: Report, q: Question, value: Any) -> list[str]:
    """Store an accepted scalar answer and apply its skip-logic; returns Chinese notes
    telling the user what was filled in for them."""
    notes: list[str] = []
    if q.target == "agency.kind":
        value = AgencyKind(value) if value else None
    elif q.target == "fees.charged":
        value = value == YES
    set_value(report, q.target, value)
    answers = dict(report.meta.answers)
    answers[f"done.{q.id}"] = True
    report.meta.answers = answers
    spec = report.spec
    if q.id == "s2.any" and no_rules(report):
        rules = _documents(spec)[1].row(RULES.key)
        if _zero_unanswered(report, _rules_row_ids(spec)):
            notes.append(f"{rules.label}只由省级和设区的市人民政府制定，“{rules.label}”一行已填为0（如不对可在表中修改）")
    if q.id == "s2.any" and value == NO:
        _zero_cells(report, _flow_ids(spec))
        b = _documents(spec)[1]
        notes.append(f"已把{'、'.join(b.column(k).label for k in _t2_flow_cols(spec))}填为0")
    if q.id == "s3.any" and value == NO:
        _zero_cells(report, _new_row_ids(spec))
        notes.append(f"已把“{spec.block_with('new')[1].role_row('new').label}”一行填为0")
    if q.id == "s4.any" and value == NO:
        _zero_cells(report, _cases_ids(spec))
        notes.append(f"已把{spec.block_with('upheld')[0].name}全部填为0")
    if q.id == "fees.charged" and value is False:
        report.fees.count = None
        report.fees.amount_yuan = None
    report.recompute()
    notes += autofill(report)
    return notes


def skip_filled(report: Report) -> set[str]:
    """The cells the answers so far filled in (zeros of a “否”, 规章 of a 乡镇): the cursor
    starts elsewhere, on a cell still to answer."""
    spec = report.spec
    out: set[str] = set()
    if answer(report, "s2.any") == NO:
        out |= set(_flow_ids(spec))
    if no_rules(report) and answer(report, "s2.any") is not None:
        out |= set(_rules_row_ids(spec))
    if answer(report, "s3.any") == NO:
        out |= set(_new_row_ids(spec))
    return out


def autofill(report: Report) -> list[str]:
    """Zeros that follow from the answers: no applications and nothing carried over →
    the outcome rows and 结转下年度 are 0 (only cells still unanswered)."""
    notes: list[str] = []
    if answer(report, "s3.any") == NO and _carried_total(report) == 0:
        spec = report.spec
        t, b = spec.block_with("new")
        if _zero_unanswered(report, spec.ids(t, b, b.rows_with("outcome", "forward"), b.data_columns)):
            notes.append(f"没有申请需要办理，{b.role_row('total').label}和“{b.role_row('forward').label}”已填为0")
    report.recompute()
    return notes


def set_cell(report: Report, cid: str, value: Value) -> None:
    report.set(cid, value)
    report.recompute()


def complete_grid(report: Report, q: Question, values: dict[str, Value]) -> list[str]:
    """Store a grid's typed values; cells left empty become 0 (the user finished the table)."""
    assert q.grid is not None
    zeros = 0
    for cid in q.grid.editable_ids():
        v = values.get(cid, report.cells.get(cid))
        if v is None:
            v = 0
            zeros += 1
        report.set(cid, v)
    answers = dict(report.meta.answers)
    answers[f"done.{q.id}"] = True
    answers["_last_grid"] = q.id
    report.meta.answers = answers
    report.recompute()
    notes = autofill(report)
    if q.id in ("t3.N", "t3.C", "t3.outcomes"):
        notes += repropose_carry(report)
    if zeros:
        notes.insert(0, f"空着的{zeros}个格子已按0计")
    return notes


def repropose_carry(report: Report) -> list[str]:
    """结转下年度 was confirmed, but 一, 二 or the outcomes changed since: its figures no
    longer follow, so they are cleared and proposed again (the user confirms them)."""
    spec = report.spec
    t, b = spec.block_with("forward")
    f = b.role_row("forward")
    ids = spec.ids(t, b, [f], b.data_columns)
    if any(report.cells.get(cid) is None for cid in ids):
        return []
    proposal = carry_proposal(report)
    if all(proposal.get(cid, report.cells.get(cid)) == report.cells.get(cid) for cid in ids):
        return []
    for cid in ids:
        report.set(cid, None)
    answers = dict(report.meta.answers)
    for q in all_questions(report):
        if q.grid is not None and set(ids) <= set(q.grid.all_ids()):
            answers.pop(f"done.{q.id}", None)
    report.meta.answers = answers
    report.recompute()
    return [f"数字改了，“{f.label}”已按新的数字重新算好，请确认"]


def text_to_parts(text: str, old: list[Part] | None = None) -> list[Part]:
    """The edited text of a narrative question back into parts (:func:`nianbao.text.parse_parts`)."""
    return parse_parts(text, old)


# --------------------------------------------------------------------------------------
# findings -> questions

_ANCHORS = {"agency.name": "agency.name", "title": "agency.name", "year": "year", "opening": "opening",
            "overview": "overview", "rectification": "rectification", "problems": "problems",
            "measures": "measures", "other": "other"}


def question_for_cell(report: Report, cid: str) -> Question | None:
    for q in all_questions(report):
        if q.grid is not None and cid in q.grid.all_ids() and q.asked(report):
            return q
    for q in all_questions(report):  # asked or not (e.g. 表三 zeros written by the skip-logic)
        if q.grid is not None and cid in q.grid.all_ids():
            return q
    return None


def question_for_finding(report: Report, f: Finding) -> tuple[str, Question | None, str]:
    """(step key, question or None, cell id or "") that a finding is about.  A finding
    about a sentence (it has an ``anchor``) is about the text, even if it names cells; of
    several tables, the one the user confirmed last is preferred."""
    if f.anchor:
        head = f.anchor.split(".")[0]
        qid = _ANCHORS.get(f.anchor) or _ANCHORS.get(head)
        q = by_id(report, qid) if qid else None
        if q is not None:
            return q.step, q, ""
        if head == "notes":
            return step_of_section(int(f.anchor.split(".")[1])), None, ""
    last = by_id(report, str(report.meta.answers.get("_last_grid", "")))
    if last is not None and last.grid is not None and last.asked(report):
        mine = [c for c in f.cells if c in last.grid.editable_ids()]
        if mine:
            return last.step, last, mine[0]
    for cid in f.cells:
        q = question_for_cell(report, cid)
        if q is not None:
            editable = [c for c in f.cells if q.grid and c in q.grid.editable_ids()]
            return q.step, q, (editable[0] if editable else cid)
    if f.anchor:
        head = f.anchor.split(".")[0]
        qid = _ANCHORS.get(f.anchor) or _ANCHORS.get(head)
        if qid:
            q = by_id(report, qid)
            if q is not None:
                return q.step, q, ""
        if head == "notes":
            return step_of_section(int(f.anchor.split(".")[1])), None, ""
    step = step_of_section(f.section)
    qs = asked(report, step)
    return step, (qs[0] if qs else None), ""


def anchor_line(report: Report, anchor: str) -> int:
    """The line of a question's editable text where the paragraph ``anchor`` (e.g.
    ``overview.2``) starts; 0 when unknown."""
    head, _, idx = anchor.partition(".")
    if head not in ("overview", "problems", "measures") or not idx.isdigit():
        return 0
    parts = getattr(report.narrative, head)
    return len(parts_to_text(parts[: int(idx)]).split("\n")) if int(idx) > 0 else 0


def sentence_span(text: str, f: Finding) -> tuple[int, int] | None:
    """Where in ``text`` the sentence a finding is about is: (start, end) offsets, or None."""
    wanted = [str((f.extra or {}).get("sentence", "")).strip()]
    quoted = re.findall(r"“([^”]{2,})”", f.message)
    for source in (*quoted, str(f.found or "")):
        wanted += [piece.strip() for piece in source.split("…")]
    for w in wanted:
        if len(w) < 4:
            continue
        i = text.find(w)
        if i < 0 and " " in w:  # snippets show line breaks as spaces
            i = text.replace("\n", " ").find(w)
        if i >= 0:
            # widen to the whole sentence
            start = max(text.rfind(ch, 0, i) for ch in "。；;！？\n") + 1
            ends = [e for e in (text.find(ch, i + len(w) - 1) for ch in "。；;！？\n") if e >= 0]
            end = (min(ends) + 1) if ends else len(text)
            if text[end - 1:end] == "\n":
                end -= 1
            return start, end
    return None


@dataclass
class Resume:
    step: str = "basic"
    question: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def resume_point(report: Report) -> Resume:
    step = report.meta.section if report.meta.section in STEP_KEYS else "basic"
    qid = str(report.meta.answers.get("_at", ""))
    q = by_id(report, qid)
    if q is None or q.step != step or not q.asked(report):
        todo = unanswered(report, step)
        qid = todo[0].id if todo else ""
    return Resume(step, qid)


def previous_value(report: Report, cid: str) -> Value | str:
    prev = report.meta.previous.get("cells") if report.meta.previous else None
    if not isinstance(prev, dict):
        return None
    return prev.get(cid)
