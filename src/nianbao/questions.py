"""The assistant's questions as data (headless: no textual import).

A :class:`Question` says what to ask (Chinese ``label`` and ``help``), of which ``type``,
whether it is asked at all (``when``, on the report), where the answer goes (``target``: a
report field path, ``answers.<key>`` for gating answers, or the cells of a ``grid``), how a
typed answer is checked (the type's parser plus ``validate``), what it does beyond storing
itself (``effects``: zero these cells, clear these fields, move the statistics period …,
cells named by spec roles), what to propose, and which phrase-bank section helps to write
it (``phrases``).  Nothing in this module or the TUI branches on a question's id.

Question types are a registry (:data:`QTYPES`): each type parses typed text, says whether a
question is answered and summarises the answer; the TUI keeps one widget per type.  A new
kind of step (the composer's fact questions and composed paragraphs) registers its type.

Table questions are generated from the format spec (``formats.py``): rows, columns, labels
and computed cells come from there, so the 2019/2021 differences follow automatically.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from .figures import FIGURES, Pick, key, role
from .findings import Finding
from .formats import RULES, Block, CellKind, FormatSpec, Table, cell_id, get_spec
from .model import AgencyKind, Part, Report
from .numbers import NumberError, format_number, parse_number
from .text import cn_numeral, parse_parts, parts_to_text, with_period_year

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
#: the steps that are pages rather than questions
PAGES = ("check", "export")


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

    def position(self, cid: str) -> tuple[int, int]:
        """(row, column) of a cell in the grid."""
        return _positions(self)[cid]


@cache
def _positions(g: GridSpec) -> dict[str, tuple[int, int]]:
    return {cid: (i, j) for i, r in enumerate(g.rows) for j, cid in enumerate(r.cells)}


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
# cells named by roles (what an effect writes)


def others(*roles: str) -> Pick:
    """Rows or columns of any role but these."""
    return lambda items: tuple(x for x in items if x.role not in roles)


@dataclass(frozen=True)
class Cells:
    """Cells of the block that has a row or column of one of the roles ``block`` (the first
    role the format has): the rows ``rows`` picks (all) × the columns ``cols`` picks (the
    typed-in columns)."""

    block: tuple[str, ...]
    rows: Pick | None = None
    cols: Pick | None = None

    def find(self, spec: FormatSpec) -> tuple[Table, Block] | None:
        for r in self.block:
            try:
                return spec.block_with(r)
            except KeyError:
                continue
        return None

    def ids(self, spec: FormatSpec) -> list[str]:
        found = self.find(spec)
        if found is None:
            return []
        t, b = found
        rows = self.rows(b.rows) if self.rows else b.rows
        cols = self.cols(b.data_columns) if self.cols else b.data_columns
        return spec.ids(t, b, rows, cols)


#: 表二 第二十条第（一）项: 规章 and 规范性文件 (the block with a stock column)
DOCUMENTS = ("valid", "stock")
DOC_FLOW = Cells(DOCUMENTS, cols=others(*DOCUMENTS))  # this year's documents (not the stock)
RULES_ROW = Cells(DOCUMENTS, rows=key(RULES.key))
NEW_ROW = Cells(("new",), rows=role("new"))
T3_AFTER = Cells(("new",), rows=role("outcome", "forward"))
T4_CASES = Cells(("upheld",))


# --------------------------------------------------------------------------------------
# effects: what an answer does beyond storing itself

ANY = "*"


@dataclass(frozen=True)
class Effect:
    """``do``:

    * ``zero``: set ``cells`` to 0 (the skip-logic of a “否”)
    * ``zero_blank``: set the unanswered ``cells`` to 0 (answered cells keep their value)
    * ``clear``: set the report ``fields`` to None
    * ``period_year``: move the opening's statistics period to the new year
    * ``repropose``: 结转下年度 no longer follows the figures: propose it again
    * ``compose``: the composer writes the area of a facts question (``facts.<area>``)

    It runs when the answer is one of ``on`` (``ANY``: every answer) and ``only`` (if
    given) holds for the report; ``note`` (a string or a function of the report) tells
    the user what was filled in for them."""

    do: Literal["zero", "zero_blank", "clear", "period_year", "repropose", "compose"]
    on: tuple[Any, ...] = (ANY,)
    cells: Cells | None = None
    fields: tuple[str, ...] = ()
    only: Callable[[Report], bool] | None = None
    note: str | Callable[[Report], str] = ""

    def triggered(self, report: Report, value: Any) -> bool:
        return (ANY in self.on or value in self.on) and (self.only is None or bool(self.only(report)))

    def say(self, report: Report) -> str:
        return self.note(report) if callable(self.note) else self.note


# --------------------------------------------------------------------------------------
# questions


@dataclass(frozen=True)
class Question:
    id: str
    step: str
    label: str  # the question, plain Chinese
    type: str  # a key of QTYPES
    help: str = ""
    unit: str = ""
    #: (value, label) for choice / yesno
    choices: tuple[tuple[str, str], ...] = ()
    #: asked only if this returns True
    when: Callable[[Report], bool] | None = None
    #: where the answer goes: "agency.name", "year", "answers.s3.any", "narrative.overview", "fees.count" …
    target: str = ""
    grid: GridSpec | None = None
    required: bool = False
    #: a proposal shown in the field (the user confirms it); never last year's statistics
    propose: Callable[[Report], Any] | None = None
    #: a choice preselected from what is known, with the line that says so: (value, note)
    preselect: Callable[[Report], tuple[str, str] | None] | None = None
    #: extra checks of the typed text: each returns "" or a Chinese message
    validate: tuple[Callable[[str], str], ...] = ()
    #: what the answer does beyond storing itself
    effects: tuple[Effect, ...] = ()
    #: the label adapted to the agency (from the plain label)
    adapt: Callable[[Report, str], str] | None = None
    #: the label once the text is no longer the proposal (or comes from last year's report)
    edited_label: str = ""
    #: the phrase-bank section that helps to write this text ("" : none)
    phrases: str = ""
    #: the narrative places (finding anchors, their first part) this question writes
    anchors: tuple[str, ...] = ()
    #: a short name for the answer history and the command palette
    short: str = ""

    def asked(self, report: Report) -> bool:
        return self.when is None or bool(self.when(report))

    @property
    def cells(self) -> tuple[str, ...]:
        return self.grid.all_ids() if self.grid else ()

    @property
    def section(self) -> int:
        """The report section the question belongs to (0: 基本信息 and 开头语)."""
        return int(self.step[1:]) if self.step.startswith("s") and self.step[1:].isdigit() else 0

    @property
    def parts(self) -> bool:
        """The text is a list of titled parts (（一）…)."""
        return self.target in PARTS_TARGETS

    def answered(self, report: Report) -> bool:
        return QTYPES[self.type].answered(report, self)

    def label_for(self, report: Report) -> str:
        return self.adapt(report, self.label) if self.adapt else self.label

    @property
    def name(self) -> str:
        return self.short or self.label


PARTS_TARGETS = ("narrative.overview", "narrative.problems", "narrative.measures")
YES, NO = "yes", "no"
YESNO = ((YES, "是"), (NO, "否"))


def answer(report: Report, k: str) -> str | None:
    return report.meta.answers.get(k)


def confirmed(report: Report, q: Question) -> bool:
    return q.id in report.meta.done


# --------------------------------------------------------------------------------------
# question types


@dataclass(frozen=True)
class QuestionType:
    """How questions of one type are answered: ``parse`` the typed text into a value (or a
    Chinese message), say whether a question is ``answered``, ``summary`` of the answer for
    the history above the current question."""

    name: str
    parse: Callable[[Report, Question, str], tuple[Any, str]]
    answered: Callable[[Report, Question], bool]
    summary: Callable[[Report, Question], str]


QTYPES: dict[str, QuestionType] = {}


def register_type(t: QuestionType) -> QuestionType:
    QTYPES[t.name] = t
    return t


def _value_answered(r: Report, q: Question) -> bool:
    v = get_value(r, q.target)
    return v is not None and v != ""


def _text_answered(r: Report, q: Question) -> bool:
    if not q.required:
        return confirmed(r, q) or bool(get_value(r, q.target))
    return _value_answered(r, q)


def _textarea_answered(r: Report, q: Question) -> bool:
    if confirmed(r, q):
        return True
    # text carried from last year's report, or written by the composer, counts only once the
    # user confirmed it (they read it first)
    text = str(get_value(r, q.target) or "")
    if not text.strip() or r.meta.previous.report is not None:
        return False
    name = q.target.split(".", 1)[1]
    if any(p.field == name for p in r.narrative.pieces):
        from .compose import untouched

        return not untouched(r, name, text)
    return True


def _cells_answered(r: Report, q: Question) -> bool:
    assert q.grid is not None
    return all(r.cells.get(c) is not None for c in q.grid.editable_ids())


def _plain_summary(r: Report, q: Question) -> str:
    v = get_value(r, q.target)
    if v is None or v == "":
        return "（未填）"
    return f"{format_number(v) if not isinstance(v, str) else v}{q.unit}"


def _choice_summary(r: Report, q: Question) -> str:
    v = get_value(r, q.target)
    if v is None:
        return "未回答"
    if isinstance(v, bool):
        v = YES if v else NO
    return dict(q.choices).get(str(v), str(v))


def _textarea_summary(r: Report, q: Question) -> str:
    s = str(get_value(r, q.target) or "").strip().replace("\n", " ")
    return (s[:24] + "…") if len(s) > 24 else (s or "（空）")


def _cells_summary(r: Report, q: Question) -> str:
    assert q.grid is not None
    g = q.grid
    vals = []
    blank = 0
    for row in g.rows:
        for j, cid in enumerate(row.cells):
            if g.is_computed(row, j):
                continue
            v = r.cells.get(cid)
            if v is None:
                blank += 1
            elif v != 0:
                name = g.cols[j].short if len(g.rows) == 1 else f"{row.short}·{g.cols[j].short}"
                vals.append(f"{name} {format_number(v)}")
    if blank:
        return f"还有{blank}格未填" + (f"（已填：{'、'.join(vals[:4])}）" if vals else "")
    if not vals:
        return "全部为0"
    return "、".join(vals[:6]) + ("…" if len(vals) > 6 else "")


def _parse_text(r: Report, q: Question, text: str) -> tuple[Any, str]:
    t = normalise_digits(text) if q.validate else text.strip()
    if q.required and not t:
        return None, f"{q.name}不能为空，请填写"
    for check in q.validate if t else ():
        err = check(t)
        if err:
            return None, err
    return t, ""


def _number(q: Question, t: str, kind: CellKind, unit: str) -> tuple[Any, str]:
    """A typed number for ``q``: (value, "") or (None, the Chinese message)."""
    if not t:
        return None, f"请填写{q.name}"
    try:
        v = parse_number(t, kind, q.name)
    except NumberError as e:
        return None, str(e)
    err = plausible(v, kind, q.name, unit) if unit else ""
    return (None, err) if err else (v, "")


def _parse_count(r: Report, q: Question, text: str) -> tuple[Any, str]:
    return _number(q, text.strip(), "count", q.unit or "件")


def _parse_year(r: Report, q: Question, text: str) -> tuple[Any, str]:
    v, err = _number(q, normalise_digits(text).removesuffix("年度").removesuffix("年"), "count", "")
    last = date.today().year + 1
    if not err and not 2019 <= v <= last:
        return None, f"{q.name}应在2019年至{last}年之间（2019年以前的年报适用旧格式，本工具不支持）"
    return v, err


def _parse_money(r: Report, q: Question, text: str) -> tuple[Any, str]:
    t = normalise_digits(text)
    if q.unit == "元" and t:
        t = t.removesuffix("元")
        if t.endswith("万"):
            return None, f"{q.name}：请以元为单位填写（如 380）"
    return _number(q, t, "money", q.unit or "万元")


def _parse_choice(r: Report, q: Question, text: str) -> tuple[Any, str]:
    t = text.strip()
    if t not in {v for v, _ in q.choices}:
        return None, "请从列出的选项中选择"
    return t, ""


def _parse_textarea(r: Report, q: Question, text: str) -> tuple[Any, str]:
    if q.required and not text.strip():
        return None, f"{q.name}不能为空（没有可写“无”）"
    return text.strip("\n"), ""


def _parse_cells(r: Report, q: Question, text: str) -> tuple[Any, str]:
    return None, "表格请逐格填写"


_CN_DATE = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$")


def _parse_date(r: Report, q: Question, text: str) -> tuple[Any, str]:
    """A date as 2026年1月20日, 2026-01-20 or 2026.1.20 → ISO; empty: not given."""
    t = normalise_digits(text).replace(" ", "")
    if not t:
        return "", ""
    m = _CN_DATE.match(t)
    if not m:
        return None, f"{q.name}：请写成如“2026年1月20日”的日期"
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat(), ""
    except ValueError:
        return None, f"{q.name}：{t}不是有效的日期"


def _parse_optional_count(r: Report, q: Question, text: str) -> tuple[Any, str]:
    t = normalise_digits(text)
    if not t:
        return None, ""
    return _number(q, t, "count", q.unit or "字")


def _confirmed_summary(r: Report, q: Question) -> str:
    v = get_value(r, q.target)
    if v in (None, ""):
        return "（未填）" if confirmed(r, q) else "未回答"
    if q.type == "date":
        return str(v).replace("-", "/")
    return _plain_summary(r, q)


FACTS = "facts."


def area_fact_names(report: Report, key: str) -> list[str]:
    """The facts asked for an area (the composer's own list, for this agency's kind and format;
    with last year's problems known, what was done about each)."""
    from .compose import area_facts, rectify_facts
    from .phrases.bank import load_bank

    names = [s.name for s in area_facts(load_bank(strict=False), report, key)]
    if key == "rectification":
        names = [k for k, _ in rectify_facts(report)] + names
    return names


def _parse_facts(r: Report, q: Question, text: str) -> tuple[Any, str]:
    """The answers of an area's facts, as the facts widget sends them (JSON: ``slots``,
    ``notes``): every count a whole number (full-width digits and separators accepted), each
    error naming the fact."""
    import json

    from .phrases.bank import load_bank

    try:
        data = json.loads(text) if text.strip() else {}
    except ValueError:
        return None, "回答的格式不对，请重新填写"
    if not isinstance(data, dict):
        return None, "回答的格式不对，请重新填写"
    key = q.target[len(FACTS):]
    bank = load_bank(strict=False)
    slots: dict[str, str] = {}
    for name, raw in (data.get("slots") or {}).items():
        t = normalise_digits(str(raw))
        spec = bank.slots.get(name)
        if t and spec is not None and spec.type in ("int", "money", "percent"):
            kind: CellKind = "count" if spec.type == "int" else "money"
            t = t.removesuffix(spec.unit).removesuffix("%").removesuffix("％") if spec.unit or spec.type == "percent" \
                else t
            try:
                v = parse_number(t, kind, spec.label)
            except NumberError as e:
                return None, str(e)
            err = plausible(v, kind, spec.label, spec.unit if kind == "count" else "")
            if err:
                return None, err
            t = format_number(v).replace(",", "")
        slots[name] = t
    return {"area": key, "slots": slots, "notes": str(data.get("notes", "") or "").strip()}, ""


def _facts_summary(r: Report, q: Question) -> str:
    v = get_value(r, q.target)
    n = len(v["slots"]) if isinstance(v, dict) else 0
    notes = v.get("notes", "") if isinstance(v, dict) else ""
    s = f"已填{n}项" if n else "未填数字"
    return s + (f"；说明：{notes[:16]}…" if len(notes) > 16 else (f"；说明：{notes}" if notes else ""))


for _t in (
    QuestionType("text", _parse_text, _text_answered, _plain_summary),
    QuestionType("int", _parse_count, _value_answered, _plain_summary),
    QuestionType("year", _parse_year, _value_answered, _plain_summary),
    QuestionType("money", _parse_money, _value_answered, _plain_summary),
    QuestionType("yesno", _parse_choice, _value_answered, _choice_summary),
    QuestionType("choice", _parse_choice, _value_answered, _choice_summary),
    QuestionType("textarea", _parse_textarea, _textarea_answered, _textarea_summary),
    QuestionType("cells", _parse_cells, _cells_answered, _cells_summary),
    QuestionType("date", _parse_date, lambda r, q: confirmed(r, q), _confirmed_summary),
    QuestionType("optcount", _parse_optional_count, lambda r, q: confirmed(r, q), _confirmed_summary),
    QuestionType("facts", _parse_facts, lambda r, q: confirmed(r, q), _facts_summary),
):
    register_type(_t)


def parse_answer(report: Report, q: Question, text: str) -> tuple[Any, str]:
    """(value, "") or (None, Chinese message) for a question answered by typing or choosing."""
    return QTYPES[q.type].parse(report, q, text)


def summary(report: Report, q: Question) -> str:
    return QTYPES[q.type].summary(report, q)


# --------------------------------------------------------------------------------------
# plausible numbers

#: the largest plausible count of anything a report counts (applications, decisions, documents)
MAX_COUNT = 1_000_000
#: the largest plausible sum of money, in 万元 (a province's 政府集中采购 stays far below)
MAX_WAN_YUAN = 10**9


def plausible(v: Value, kind: CellKind, name: str, unit: str = "") -> str:
    """"" or the Chinese message for a number beyond any plausible count or amount (twenty
    9s typed by a stuck key are refused, never stored)."""
    if v is None:
        return ""
    if kind == "money":
        limit = Decimal(MAX_WAN_YUAN) * (10000 if unit == "元" else 1)
        if v > limit:
            shown = f"{format_number(int(limit))}{unit or '万元'}"
            return f"{name}：{format_number(v)}超出了合理范围（金额不超过{shown}），请核对是否多输了数字"
        return ""
    if abs(v) > MAX_COUNT:
        return (f"{name}：{format_number(v)}超出了合理范围（件数不超过{format_number(MAX_COUNT)}），"
                "请核对是否多输了数字")
    return ""


# --------------------------------------------------------------------------------------
# the questions of a format

_POSTCODE = re.compile(r"^\d{6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_digits(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def postcode(text: str) -> str:
    return "" if _POSTCODE.match(normalise_digits(text)) else "邮政编码应为6位数字"


def email(text: str) -> str:
    return "" if _EMAIL.match(text.strip()) else "电子邮箱的格式不对（应如 gk@example.gov.cn）"


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


def _nothing_to_handle(r: Report) -> bool:
    """No applications this year and none carried over: no outcome, nothing to carry."""
    return answer(r, "s3.any") == NO and _carried_total(r) == 0


def _fees_asked(r: Report) -> bool:
    return r.spec.reports_fees


def _charged(r: Report) -> bool:
    return _fees_asked(r) and r.fees.charged is True


def _litigation(r: Report) -> bool:
    return answer(r, "s4.any") == YES


def _documents(spec: FormatSpec) -> tuple[Table, Block]:
    """Table 二's block of 规章 and 规范性文件."""
    found = DOC_FLOW.find(spec)
    if found is None:  # pragma: no cover - both formats have it
        raise KeyError(DOCUMENTS)
    return found


def _flow_cols(spec: FormatSpec) -> list[Any]:
    """The document columns that count this year's documents (all but the stock column)."""
    return list(others(*DOCUMENTS)(_documents(spec)[1].data_columns))


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


def _department_label(r: Report, label: str) -> str:
    example = {AgencyKind.TOWNSHIP: "党政办公室", AgencyKind.GOVERNMENT: "政府办公室"}.get(r.agency.kind)  # type: ignore[call-overload]
    return label.replace("局办公室", example) if example else label


def _documents_label(r: Report, label: str) -> str:
    """Without 规章 (a 乡镇 or a department): the question names the other documents only."""
    if not no_rules(r):
        return label
    b = _documents(r.spec)[1]
    return f"本年度是否{'或'.join(c.short for c in _flow_cols(r.spec))}{'、'.join(x.label for x in b.rows if x.key != RULES.key)}？"


def _kind_guess(r: Report) -> tuple[str, str] | None:
    """The likely kind of agency from its name (the user still confirms it)."""
    if r.agency.kind is not None:
        return None
    from .importer import guess_kind

    kind = guess_kind(r.agency.name.strip())
    if kind is None or kind is AgencyKind.OTHER:  # “其他” is no guess: nothing matched
        return None
    return kind.value, f"根据机关名称，已预选“{kind.value}”，请确认或改选。"


def _rules_note(r: Report) -> str:
    rules = _documents(r.spec)[1].row(RULES.key)
    return f"{rules.label}只由省级和设区的市人民政府制定，“{rules.label}”一行已填为0（如不对可在表中修改）"


def _flow_note(r: Report) -> str:
    return f"已把{'、'.join(c.label for c in _flow_cols(r.spec))}填为0"


def _new_note(r: Report) -> str:
    return f"已把“{r.spec.block_with('new')[1].role_row('new').label}”一行填为0"


def _cases_note(r: Report) -> str:
    return f"已把{r.spec.block_with('upheld')[0].name}全部填为0"


def _nothing_note(r: Report) -> str:
    b = r.spec.block_with("new")[1]
    return f"没有申请需要办理，{b.role_row('total').label}和“{b.role_row('forward').label}”已填为0"


REPROPOSE = Effect("repropose")
#: effects that follow from the report whatever was answered (run after every answer)
DERIVED = (Effect("zero_blank", cells=T3_AFTER, only=_nothing_to_handle, note=_nothing_note),)


def year_proposal(r: Report) -> int:
    today = date.today()
    return today.year - 1 if today.month <= 6 else today.year


def _kind_choices() -> tuple[tuple[str, str], ...]:
    return tuple((k.value, k.value) for k in AgencyKind)


_STEP_OF = {"overview": "s1", "rectification": "s5", "problems": "s5", "measures": "s5", "other": "s6"}


def _facts_label(area: Any, n: int) -> str:
    ask = "请填写下面的数字和情况（不知道的可以空着），再用一句话说说今年这方面的特点（可不填）："
    if area.section == "overview":
        return f"总体情况的引言：{ask}" if not area.title else f"总体情况（{cn_numeral(n)}）{area.title}：{ask}"
    if area.section == "rectification":
        return "上年度问题整改情况：上一年度报告列出的问题，今年各做了哪些整改？（不知道的可以空着）"
    if area.section == "problems":
        return "存在的主要问题：用一句话说说今年工作中的薄弱环节（可不填）；助手按表格和回答挑选问题及改进措施："
    return f"其他需要报告的事项：{ask}"


def _facts_questions(*sections: str) -> list[Question]:
    """One question per narrative area of the phrase bank: its facts and a line of notes;
    confirming it writes the area (the composer)."""
    from .phrases.bank import area_list

    out = []
    n = 0
    for a in area_list():
        if a.section not in sections:
            continue
        if a.section == "overview" and a.title:
            n += 1
        out.append(Question(
            f"facts.{a.key}", _STEP_OF[a.section], _facts_label(a, n), "facts", target=f"{FACTS}{a.key}",
            help=a.note or "确认后，助手按表格和回答撰写这一部分；之后还可以修改。", effects=(Effect("compose"),),
            short=(a.title or {"overview": "引言", "rectification": "上年问题整改",
                                                                       "problems": "薄弱环节", "other": "其他事项"}
                                                          .get(a.section, a.key)) + "·情况"))
    return out


@cache
def _questions(version: str) -> tuple[Question, ...]:
    spec = get_spec(version)  # type: ignore[arg-type]
    t2, a1 = _documents(spec)
    t3, b3 = spec.block_with("new")
    t4, _ = spec.block_with("upheld")
    qs: list[Question] = [
        Question("agency.name", "basic", "请填写机关名称（报告标题中的名称，如“某县市场监督管理局”）：", "text",
                 help="机关的全称，将用在报告标题中。", target="agency.name", required=True, short="机关名称",
                 anchors=("agency", "title")),
        Question("agency.kind", "basic", "贵机关属于哪一类？", "choice", choices=_kind_choices(),
                 help="人民政府的年报还需报告考核、社会评议和责任追究情况。", target="agency.kind", short="机关类型",
                 preselect=_kind_guess),
        Question("year", "basic", "这是哪一年度的报告？", "year", help="报告年度决定表格格式：2019、2020年度用试行格式，2021年度起用新格式。",
                 target="year", required=True, propose=year_proposal, short="报告年度", anchors=("year",),
                 effects=(Effect("period_year"),)),
        Question("contact.department", "basic", "负责政府信息公开工作的机构（如“局办公室”，可不填）：", "text",
                 target="agency.contact.department", short="工作机构", adapt=_department_label),
        Question("contact.address", "basic", "联系地址（可不填）：", "text", target="agency.contact.address", short="地址"),
        Question("contact.postcode", "basic", "邮政编码（可不填）：", "text", target="agency.contact.postcode", short="邮编",
                 validate=(postcode,)),
        Question("contact.phone", "basic", "联系电话（可不填）：", "text", target="agency.contact.phone", short="电话"),
        Question("contact.email", "basic", "电子邮箱（可不填）：", "text", target="agency.contact.email", short="电子邮箱",
                 validate=(email,)),
        Question("website", "basic", "政府信息公开网站或专栏的网址（可不填）：", "text", target="agency.website", short="网址"),
        Question("overview_max_chars", "basic", "本地对“总体情况”有字数上限吗？有请填写（如 1000），没有可不填：", "optcount",
                 unit="字", help="有的地方规定总体情况不超过一千字。填了之后，助手撰写时不会超出，检查时也会核对。",
                 target="agency.overview_max_chars", short="总体情况字数上限"),
        Question("signoff.agency", "basic", "报告末尾落款的机关名称（与机关名称相同可不填）：", "text",
                 target="signoff.agency", short="落款机关"),
        Question("signoff.date", "basic", "落款日期（如“2026年1月20日”；可不填，导出时用当天的日期）：", "date",
                 target="signoff.date", short="落款日期", anchors=("signoff",)),
        Question("opening", "opening", "开头语：下面是按惯例拟好的一段，可直接修改。", "textarea",
                 help="开头语一般说明编制依据、全文包括哪几部分、统计期限，以及联系方式。", target="narrative.opening",
                 propose=opening_proposal, short="开头语", edited_label="开头语：可直接修改。", phrases="opening",
                 anchors=("opening",)),
        *_facts_questions("overview"),
        Question("overview", "s1", "总体情况：下面是按您的回答撰写的文字，可直接修改：", "textarea",
                 help="分五个方面写（主动公开、依申请公开、政府信息管理、平台建设、监督保障），每方面用“（一）标题”开头一行。"
                      "光标所在的句子按 F4 换一种说法，F9 按回答重新撰写，Ctrl+Z 撤销。",
                 target="narrative.overview", required=True, short="总体情况", phrases="overview", anchors=("overview",)),
    ]
    flow = _flow_cols(spec)
    qs.append(Question(
        "s2.any", "s2", f"本年度是否{'或'.join(c.short for c in flow)}{'、'.join(r.label for r in a1.rows)}？", "yesno",
        choices=YESNO, help=f"选“否”时，{'、'.join(c.label for c in flow)}填0。", target="answers.s2.any",
        short="是否有新文件", adapt=_documents_label,
        effects=(Effect("zero_blank", cells=RULES_ROW, only=no_rules, note=_rules_note),
                 Effect("zero", on=(NO,), cells=DOC_FLOW, note=_flow_note))))
    for b in t2.blocks:
        grid = _block_grid(t2, b.key)
        names = "、".join(r.label for r in b.rows)
        qs.append(Question(f"t2.{b.key}", "s2", f"{b.caption}（{names}）：请填写下表。", "cells", grid=grid,
                           help="空着的格子在完成本表时按0计。", short=f"{t2.name}{b.caption}"))
    n, c, f = (b3.role_row(x) for x in ("new", "carried", "forward"))
    qs += [
        Question("s3.any", "s3", "本年度是否收到政府信息公开申请？", "yesno", choices=YESNO,
                 help=f"选“否”时，“{n.label}”一行填0；上年结转的申请仍需填写。", target="answers.s3.any",
                 short="是否收到申请", effects=(Effect("zero", on=(NO,), cells=NEW_ROW, note=_new_note),)),
        Question("t3.N", "s3", "请按申请人类型填写本年新收的申请件数：", "cells", grid=_block_grid(t3, b3.key, ("new",)),
                 when=_any_apps, help="总计自动计算。空着的格子在完成本表时按0计。", short=n.short,
                 effects=(REPROPOSE,)),
        Question("t3.C", "s3", "上年结转到本年的申请有多少件（按申请人类型）？", "cells",
                 grid=_block_grid(t3, b3.key, ("carried",)),
                 when=lambda r: answer(r, "s3.any") is not None,
                 help=f"应等于上一年度报告的“{f.label}”。没有请填0。", short=c.short, effects=(REPROPOSE,)),
        Question("t3.outcomes", "s3", "这些申请是怎么办理的？请按办理结果和申请人类型填写件数：", "cells",
                 grid=_block_grid(t3, b3.key, ("outcome", "total")),
                 when=_outcomes_asked, help="只填发生了的格子，空着的在完成本表时按0计；（七）总计自动计算。",
                 short="办理结果", effects=(REPROPOSE,)),
        Question("t3.F", "s3", "结转下年度继续办理的件数（已按“一+二−（七）总计”算好，请确认或修改）：", "cells",
                 grid=_block_grid(t3, b3.key, ("forward",)), when=_outcomes_asked, propose=carry_proposal,
                 help="年底尚未办结、转入下一年度办理的申请。", short=f.short),
        Question("s4.any", "s4", "本年度是否发生因政府信息公开引起的行政复议或行政诉讼？", "yesno", choices=YESNO,
                 help=f"选“否”时，{t4.name}全部填0。", target="answers.s4.any", short="是否有复议诉讼",
                 effects=(Effect("zero", on=(NO,), cells=T4_CASES, note=_cases_note),)),
        Question("t4", "s4", f"请填写{t4.name}：每一行是一类案件，按结果填写件数（总计自动计算）：", "cells",
                 grid=t4_grid(spec), when=_litigation, help="空着的格子在完成本表时按0计。", short=t4.name),
        *_facts_questions("rectification", "problems"),
        Question("rectification", "s5", "上一年度报告中提到的问题，今年整改得怎么样？（可不填）", "textarea",
                 target="narrative.rectification", short="上年问题整改", phrases="rectification",
                 anchors=("rectification",)),
        Question("problems", "s5", "本年度政府信息公开工作存在哪些主要问题？", "textarea",
                 help="可分条写，每条用“（一）标题。”开头一行。", target="narrative.problems", short="存在的问题",
                 phrases="problems", anchors=("problems",)),
        Question("measures", "s5", "针对这些问题，下一步打算怎么改进？", "textarea",
                 help="可分条写，每条用“（一）标题。”开头一行。", target="narrative.measures", short="改进措施",
                 phrases="measures", anchors=("measures",)),
        Question("fees.charged", "s6", "本年度是否收取信息处理费？", "yesno", choices=YESNO, when=_fees_asked,
                 help="依据《政府信息公开信息处理费管理办法》收取的费用。", target="fees.charged", short="是否收费",
                 effects=(Effect("clear", on=(NO,), fields=("fees.count", "fees.amount_yuan")),)),
        Question("fees.count", "s6", "对多少件申请收取了信息处理费？", "int", when=_charged, unit="件",
                 target="fees.count", short="收费件数"),
        Question("fees.amount", "s6", "共收取信息处理费多少元？", "money", when=_charged, unit="元",
                 target="fees.amount_yuan", short="收费金额"),
        *_facts_questions("other"),
        Question("other", "s6", "其他需要报告的事项（没有可写“无”）：", "textarea", target="narrative.other",
                 propose=other_proposal, required=True, short="其他事项", phrases="other", anchors=("other",)),
    ]
    return tuple(qs)


def all_questions(report: Report) -> tuple[Question, ...]:
    return _questions(report.format_version)


def asked(report: Report, step: str | None = None) -> list[Question]:
    return [q for q in all_questions(report) if (step is None or q.step == step) and q.asked(report)]


def by_id(report: Report, qid: str) -> Question | None:
    return _by_id(report.format_version).get(qid)


@cache
def _by_id(version: str) -> dict[str, Question]:
    return {q.id: q for q in _questions(version)}


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
    if target.startswith(FACTS):
        key = target[len(FACTS):]
        return {"area": key, "slots": {k: v for k, v in report.meta.slots.items() if k in area_fact_names(report, key)},
                "notes": report.narrative.notes.get(key, "")}
    if target in PARTS_TARGETS:
        return parts_to_text(getattr(report.narrative, target.split(".")[1]))
    obj: Any = report
    for part in target.split("."):
        obj = getattr(obj, part)
    if isinstance(obj, AgencyKind):
        return obj.value
    return obj


def set_value(report: Report, target: str, value: Any) -> None:
    """Store a value; the model converts it to the field's type (a kind of agency, yes/no)."""
    if target.startswith("answers."):
        answers = dict(report.meta.answers)
        if value is None:
            answers.pop(target[len("answers."):], None)
        else:
            answers[target[len("answers."):]] = str(value)
        report.meta.answers = answers
        return
    if target in PARTS_TARGETS:
        name = target.split(".")[1]
        setattr(report.narrative, name, text_to_parts(str(value or ""), getattr(report.narrative, name)))
        return
    if target.startswith(FACTS):
        key = target[len(FACTS):]
        v = value if isinstance(value, dict) else {}
        given = {k: str(x).strip() for k, x in (v.get("slots") or {}).items()}
        slots = {k: x for k, x in report.meta.slots.items() if k not in given}
        slots.update({k: x for k, x in given.items() if x})
        report.meta.slots = slots
        notes = {**report.narrative.notes, key: str(v.get("notes", "") or "").strip()}
        report.narrative.notes = {k: x for k, x in notes.items() if x}
        return
    path = target.split(".")
    obj: Any = report
    for part in path[:-1]:
        obj = getattr(obj, part)
    setattr(obj, path[-1], value)


def mark_done(report: Report, q: Question) -> None:
    if q.id not in report.meta.done:
        report.meta.done = [*report.meta.done, q.id]


def unmark_done(report: Report, q: Question) -> None:
    if q.id in report.meta.done:
        report.meta.done = [x for x in report.meta.done if x != q.id]


# --------------------------------------------------------------------------------------
# table cells


def cell_name(report: Report, cid: str) -> str:
    spec = report.spec
    return spec.cell(cid).where if spec.has_cell(cid) else cid


def parse_cell(report: Report, cid: str, text: str, pending: dict[str, Value] | None = None) -> tuple[Value, str]:
    """Parse the text typed into a table cell: (value, "") or (None, message).

    ``pending``: values typed in the same grid but not yet stored (used by the bounds).
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
    err = plausible(v, cell.kind, name, cell.column.unit or ("万元" if cell.kind == "money" else "件"))
    if err:
        return None, err
    b = cell.block
    if cell.row.role == "forward" and b.identities:
        vals = {}
        for r in b.rows:
            if r.key == cell.row.key:
                continue
            k = cell_id(cell.table.key, b.key, r.key, cell.column.key)
            vals[r.key] = pending[k] if pending and k in pending else report.cells.get(k)
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


def reference(report: Report, cid: str) -> tuple[str, Value]:
    """Last year's figure shown beside a cell, with its name: "上年" and the same cell; for a
    row the format carries from last year (二、上年结转) the row it is carried from
    (last year's 四、结转下年度继续办理), which is what this year's figure should equal.
    ("", None) when nothing is known."""
    prev = report.meta.previous.cells
    if not prev:
        return "", None
    spec = report.spec
    if spec.has_cell(cid):
        cell = spec.cell(cid)
        for cr in spec.carry:
            if (cr.table, cr.block, cr.to_row) == (cell.table.key, cell.block.key, cell.row.key):
                src = cell.block.row(cr.from_row)
                return f"上年{_row_name(src)}", prev.get(cell_id(cr.table, cr.block, cr.from_row, cell.column.key))
    return "上年", prev.get(cid)


def previous_value(report: Report, cid: str) -> Value:
    return reference(report, cid)[1]


# --------------------------------------------------------------------------------------
# storing answers


def _apply_effect(report: Report, e: Effect, old: Any, new: Any) -> str:
    spec = report.spec
    if e.do in ("zero", "zero_blank") and e.cells is not None:
        filled = False
        for cid in e.cells.ids(spec):
            if e.do == "zero" or report.cells.get(cid) is None:
                if report.cells.get(cid) != 0:
                    filled = True
                report.set(cid, 0)
        return e.say(report) if filled or e.do == "zero" else ""
    if e.do == "clear":
        for target in e.fields:
            set_value(report, target, None)
        return e.say(report)
    if e.do == "period_year":
        if isinstance(old, int) and isinstance(new, int) and old != new and report.narrative.opening:
            moved = with_period_year(report.narrative.opening, old, new)
            if moved != report.narrative.opening:
                report.narrative.opening = moved
                return f"开头语中的统计期限已改为{new}年1月1日至{new}年12月31日"
        return ""
    if e.do == "repropose":
        return "；".join(repropose_carry(report))
    if e.do == "compose" and isinstance(new, dict):
        from .compose import compose_area_into

        return compose_area_into(report, str(new.get("area", "")))
    return ""  # pragma: no cover


def run_effects(report: Report, effects: tuple[Effect, ...], old: Any, new: Any) -> list[str]:
    notes = []
    for e in effects:
        if e.triggered(report, new):
            note = _apply_effect(report, e, old, new)
            if note:
                notes.append(note)
    return notes


def apply_answer(report: Report, q: Question, value: Any) -> list[str]:
    """Store an accepted answer and run its effects; returns Chinese notes telling the
    user what was filled in for them."""
    old = get_value(report, q.target)
    set_value(report, q.target, value)
    mark_done(report, q)
    notes = run_effects(report, q.effects, old, value)
    report.recompute()
    notes += autofill(report)
    if q.type not in ("facts", "textarea"):
        notes += _refresh_text(report)
    return notes


def skip_filled(report: Report) -> set[str]:
    """The cells the answers so far filled in (the zeros of a “否”, 规章 of a 乡镇): the
    cursor starts elsewhere, on a cell still to answer."""
    out: set[str] = set()
    for q in all_questions(report):
        v = get_value(report, q.target) if q.target else None
        if v is None:
            continue
        for e in q.effects:
            if e.do in ("zero", "zero_blank") and e.cells is not None and e.triggered(report, v):
                out |= set(e.cells.ids(report.spec))
    return out


def autofill(report: Report) -> list[str]:
    """The effects that follow from the report itself (:data:`DERIVED`)."""
    notes = run_effects(report, DERIVED, None, None)
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
    mark_done(report, q)
    report.meta.session.last_grid = q.id
    report.recompute()
    notes = autofill(report)
    notes += run_effects(report, q.effects, None, None)
    notes += _refresh_text(report)
    if zeros:
        notes.insert(0, f"空着的{zeros}个格子已按0计")
    return notes


def _refresh_text(report: Report) -> list[str]:
    """The composed text follows the figures while the user has not changed it."""
    from .compose import refresh

    return refresh(report)


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
    for q in all_questions(report):
        if q.grid is not None and set(ids) <= set(q.grid.all_ids()):
            unmark_done(report, q)
    report.recompute()
    return [f"数字改了，“{f.label}”已按新的数字重新算好，请确认"]


def text_to_parts(text: str, old: list[Part] | None = None) -> list[Part]:
    """The edited text of a narrative question back into parts (:func:`nianbao.text.parse_parts`)."""
    return parse_parts(text, old)


def last_year_text(report: Report, q: Question) -> bool:
    """The question's text is still last year's (carried forward, not yet updated)."""
    n = report.narrative
    if q.parts:
        return any(p.origin == "last_year" for p in getattr(n, q.target.split(".")[1]))
    prev = report.meta.previous.report
    if prev is not None and q.type == "textarea" and q.target.startswith("narrative."):
        old = get_value(prev, q.target)
        return bool(old) and old == get_value(report, q.target)
    return False


def shown_label(report: Report, q: Question) -> str:
    """The label shown: adapted to the agency; for a text that is no longer the proposal
    (or is last year's), the ``edited_label``."""
    label = q.label_for(report)
    if q.edited_label and q.type == "textarea":
        text = str(get_value(report, q.target) or "").strip()
        if last_year_text(report, q) or (text and q.propose is not None and text != str(q.propose(report)).strip()):
            return q.edited_label
    return label


# --------------------------------------------------------------------------------------
# findings -> questions


def question_for_cell(report: Report, cid: str) -> Question | None:
    for q in all_questions(report):
        if q.grid is not None and cid in q.grid.all_ids() and q.asked(report):
            return q
    for q in all_questions(report):  # asked or not (e.g. 表三 zeros written by the skip-logic)
        if q.grid is not None and cid in q.grid.all_ids():
            return q
    return None


def question_for_anchor(report: Report, anchor: str) -> Question | None:
    head = anchor.split(".")[0]
    for q in all_questions(report):
        if anchor in q.anchors or head in q.anchors:
            return q
    return None


def question_for_finding(report: Report, f: Finding) -> tuple[str, Question | None, str]:
    """(step key, question or None, cell id or "") that a finding is about.  A finding
    about a sentence (it has an ``anchor``) is about the text, even if it names cells; of
    several tables, the one the user confirmed last is preferred."""
    if f.anchor:
        q = question_for_anchor(report, f.anchor)
        if q is not None:
            return q.step, q, ""
        head, _, rest = f.anchor.partition(".")
        if head == "notes" and rest.isdigit():
            return step_of_section(int(rest)), None, ""
    last = by_id(report, report.meta.session.last_grid)
    if last is not None and last.grid is not None and last.asked(report):
        mine = [c for c in f.cells if c in last.grid.editable_ids()]
        if mine:
            return last.step, last, mine[0]
    for cid in f.cells:
        q = question_for_cell(report, cid)
        if q is not None:
            editable = [c for c in f.cells if q.grid and c in q.grid.editable_ids()]
            return q.step, q, (editable[0] if editable else cid)
    step = step_of_section(f.section)
    qs = asked(report, step)
    return step, (qs[0] if qs else None), ""


def anchor_line(report: Report, anchor: str) -> int:
    """The line of a question's editable text where the paragraph ``anchor`` (e.g.
    ``overview.2``) starts; 0 when unknown."""
    head, _, idx = anchor.partition(".")
    if f"narrative.{head}" not in PARTS_TARGETS or not idx.isdigit():
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


# --------------------------------------------------------------------------------------
# resuming


@dataclass
class Resume:
    step: str = "basic"
    question: str = ""
    #: the table cell the cursor goes back to ("" : the first one still to answer)
    cell: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def resume_point(report: Report) -> Resume:
    """Where a reopened draft continues: the step and question it was on, and in a table the
    cell touched last (not the first empty one: after a crash the user goes on where they
    stopped)."""
    s = report.meta.session
    step = s.step if s.step in STEP_KEYS else "basic"
    q = by_id(report, s.question)
    if q is None or q.step != step or not q.asked(report):
        todo = unanswered(report, step)
        q = todo[0] if todo else None
    cell = s.cell if q is not None and q.grid is not None and s.cell in q.grid.editable_ids() else ""
    return Resume(step, q.id if q is not None else "", cell)
