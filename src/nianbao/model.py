"""The report model (pydantic v2).

A report is: the agency, the report year, the format version (derived from the year,
overridable), the table cells (addressed by the ids of :mod:`nianbao.formats`), and the
narrative.  ``None`` in a cell means "not answered yet", which is different from 0.
The model never rejects a half-filled draft: arithmetic and completeness are the job of
:mod:`nianbao.checks`, which returns findings.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from .formats import SECTIONS, FormatSpec, FormatVersion, cell_id, format_for_year, get_spec

H = {s.number: s.heading for s in SECTIONS}

SCHEMA_VERSION = 4


class AgencyKind(StrEnum):
    GOVERNMENT = "人民政府"
    DEPARTMENT = "政府部门"
    TOWNSHIP = "乡镇街道"
    OTHER = "其他"


def _coerce_cell(v: Any) -> int | Decimal | None:
    """Stored cell values: int for counts, Decimal for money, None for unanswered.

    Anything that cannot be read as a number is kept as ``None`` only if it is empty;
    otherwise the value error is raised (the loader reports it in Chinese)."""
    if v is None or isinstance(v, bool):
        if isinstance(v, bool):
            raise ValueError("单元格的值应为数字")
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() and v.as_tuple().exponent >= 0 else v
    if isinstance(v, float):
        v = repr(v)
    if isinstance(v, str):
        s = v.strip()
        if not s:
            return None
        try:
            d = Decimal(s)
        except InvalidOperation:
            raise ValueError(f"单元格的值“{v}”不是数字") from None
        if not d.is_finite():
            raise ValueError(f"单元格的值“{v}”不是数字")
        if "." not in s and "e" not in s.lower():
            return int(d)
        return d
    raise ValueError("单元格的值应为数字")


def _serialize_cell(v: int | Decimal | None) -> int | str | None:
    if isinstance(v, Decimal):
        return format(v, "f")
    return v


CellValue = Annotated[
    int | Decimal | None,
    BeforeValidator(_coerce_cell),
    PlainSerializer(_serialize_cell, return_type=int | str | None),
]


class _Base(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=True)


class Contact(_Base):
    department: str = ""  # 政府信息公开工作机构, e.g. 局办公室
    address: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""

    def is_empty(self) -> bool:
        return not any((self.department, self.address, self.postcode, self.phone, self.email))


class Agency(_Base):
    name: str = ""
    kind: AgencyKind | None = None
    contact: Contact = Field(default_factory=Contact)
    website: str = ""
    #: a local rule: 一、总体情况 at most this many characters (e.g. 1000; None: no limit)
    overview_max_chars: int | None = Field(None, ge=1)

    @property
    def kinds(self) -> frozenset[str]:
        """The kinds this agency counts as: its own, plus 人民政府 for a 乡镇人民政府 (one of the
        各级人民政府 of 条例第五十条第四项, though filed under 乡镇街道)."""
        if self.kind is None:
            return frozenset()
        out = {self.kind.value}
        if self.kind == AgencyKind.TOWNSHIP and "人民政府" in self.name:
            out.add(AgencyKind.GOVERNMENT.value)
        return frozenset(out)


class Part(_Base):
    """A titled sub-part of a narrative section (e.g. （一）加强组织领导…).

    ``title`` is stored without its numbering; the renderer numbers titled parts.
    ``inline``: the title runs into the text in one paragraph."""

    title: str = ""
    text: str = ""
    inline: bool = False
    #: where the text came from: "" typed/imported, "last_year" carried from last year's
    #: report (to be updated), or a phrase-bank variant id
    origin: str = ""
    #: the narrative area the composer wrote this part for (areas.toml key; "" = not composed)
    area: str = ""


class Piece(_Base):
    """A phrase-bank sentence as the composer (or a search) put it into the narrative: the
    variant, the narrative field it went into and its text as filled then.  While the text
    stands unchanged in that field, the variant's conditions are re-evaluated when figures
    change (a sentence that no longer holds is flagged, with its replacement)."""

    variant: str
    field: Literal["opening", "overview", "rectification", "problems", "measures", "other"]
    text: str


class Narrative(_Base):
    opening: str = ""  # 开头语
    overview: list[Part] = Field(default_factory=list)  # 一、总体情况
    rectification: str = ""  # 上年度问题整改情况 (part of 五)
    problems: list[Part] = Field(default_factory=list)  # 五: 存在的主要问题
    measures: list[Part] = Field(default_factory=list)  # 五: 改进情况 / 措施
    other: str = ""  # 六、其他需要报告的事项
    #: text printed around the tables of sections 二–四, keyed by section number
    table_notes: dict[str, str] = Field(default_factory=dict)
    #: the bank sentences in the text (composed or inserted from a search)
    pieces: list[Piece] = Field(default_factory=list)
    #: the user's notes per narrative area (areas.toml key), used to choose the phrasing
    notes: dict[str, str] = Field(default_factory=dict)

    def field_text(self, name: str) -> str:
        """The text of a narrative field as printed (parts joined)."""
        v = getattr(self, name)
        if isinstance(v, list):
            return "\n".join(f"{p.title}\n{p.text}" for p in v)
        return str(v)

    def items(self) -> list[tuple[str, str, int, str]]:
        """Every narrative text as (Chinese place name, text, section number, anchor),
        in document order; the anchor names the field (``overview.1``, ``other`` …)."""
        out: list[tuple[str, str, int, str]] = []
        if self.opening:
            out.append(("开头语", self.opening, 0, "opening"))
        for i, p in enumerate(self.overview, 1):
            out.append((f"{H[1]} 第{i}部分", f"{p.title}\n{p.text}".strip(), 1, f"overview.{i - 1}"))
        for key in ("2", "3", "4"):
            if self.table_notes.get(key):
                out.append((f"第{key}部分说明文字", self.table_notes[key], int(key), f"notes.{key}"))
        if self.rectification:
            out.append(("五、上年度问题整改情况", self.rectification, 5, "rectification"))
        for i, p in enumerate(self.problems, 1):
            out.append((f"五、存在的主要问题 第{i}条", f"{p.title}\n{p.text}".strip(), 5, f"problems.{i - 1}"))
        for i, p in enumerate(self.measures, 1):
            out.append((f"五、改进情况 第{i}条", f"{p.title}\n{p.text}".strip(), 5, f"measures.{i - 1}"))
        if self.other:
            out.append((H[6], self.other, 6, "other"))
        return out

    def texts(self) -> list[tuple[str, str]]:
        """Every narrative text with a short Chinese place name, in document order."""
        return [(place, text) for place, text, _, _ in self.items()]


class Signoff(_Base):
    """落款: the agency and the date printed at the end of the report."""

    #: as printed; empty: the agency's name
    agency: str = ""
    #: ISO date (2026-01-20); empty: the day the report is exported
    date: str = ""


class FeeInfo(_Base):
    """信息处理费 (第四十二条; 国办函〔2020〕109号), reported in 六."""

    charged: bool | None = None
    count: int | None = None  # applications charged
    amount_yuan: CellValue = None


class SessionState(_Base):
    """Where the assistant was in this draft, for resuming it (also after a crash)."""

    #: the step (basic / opening / s1..s6 / check / export)
    step: str = ""
    #: the question shown
    question: str = ""
    #: the table cell touched last (typed into or moved to): the cursor comes back there
    cell: str = ""
    #: the table the user confirmed last (a finding naming cells of several tables goes there)
    last_grid: str = ""


class Previous(_Base):
    """Last year's report as far as it is known (from "从上一年度的报告新建"): shown beside the
    fields as a reference (never as the default) and used by the cross-year checks."""

    year: int | None = None
    #: its printed title
    title: str = ""
    #: its format version
    format: str = ""
    #: its figures, keyed by *this* year's cell ids (crossyear.reference_cells)
    cells: dict[str, CellValue] = Field(default_factory=dict)
    #: the phrase-bank variants it used (demoted in this year's suggestions)
    phrases_used: list[str] = Field(default_factory=list)
    #: the whole report (without the report it was itself carried from)
    report: Report | None = None
    #: its text, when only the text is known (e.g. pasted from a web page)
    text: str = ""

    @property
    def known(self) -> bool:
        """Anything at all is known about last year's report."""
        return bool(self.year is not None or self.title or self.cells or self.phrases_used or self.report is not None
                    or self.text.strip())


class Meta(_Base):
    created: str = ""
    updated: str = ""
    #: where the report came from: "" (drafted), or the imported file's name
    source: str = ""
    #: where the assistant was (resume point, last cell touched)
    session: SessionState = Field(default_factory=SessionState)
    #: answers to the assistant's gating questions (question id -> the chosen value, e.g. "yes")
    answers: dict[str, str] = Field(default_factory=dict)
    #: the questions the user confirmed (texts and tables: a value alone does not say so)
    done: list[str] = Field(default_factory=list)
    #: answers to the phrase bank's free slots (slot name -> text), asked once per report
    slots: dict[str, str] = Field(default_factory=dict)
    #: phrase-bank variant ids used in this report
    phrases_used: list[str] = Field(default_factory=list)
    #: last year's report, as far as it is known
    previous: Previous = Field(default_factory=Previous)
    #: notes the importer or a migration left for the user
    notes: list[str] = Field(default_factory=list)
    #: fingerprints of warnings the user dismissed
    dismissed: list[str] = Field(default_factory=list)


class Report(_Base):
    schema_version: int = SCHEMA_VERSION
    title: str = ""  # as printed; empty: generated from agency and year
    agency: Agency = Field(default_factory=Agency)
    year: int | None = None
    format_override: Literal["2019", "2021"] | None = None
    cells: dict[str, CellValue] = Field(default_factory=dict)
    #: printed labels that differ from the official ones (spec key -> printed label),
    #: kept from an imported report so that it renders back as published
    label_variants: dict[str, str] = Field(default_factory=dict)
    narrative: Narrative = Field(default_factory=Narrative)
    fees: FeeInfo = Field(default_factory=FeeInfo)
    signoff: Signoff = Field(default_factory=Signoff)
    meta: Meta = Field(default_factory=Meta)

    # ---- format -------------------------------------------------------------------
    @property
    def format_version(self) -> FormatVersion:
        return self.format_override or format_for_year(self.year)

    @property
    def spec(self) -> FormatSpec:
        return get_spec(self.format_version)

    # ---- cells ---------------------------------------------------------------------
    def get(self, cid: str) -> int | Decimal | None:
        return self.cells.get(cid)

    def set(self, cid: str, value: int | Decimal | None) -> None:
        cells = dict(self.cells)
        cells[cid] = value
        self.cells = cells

    def answered(self) -> tuple[int, int]:
        """(answered, total) data cells of this report's format, computed cells included."""
        spec_cells = self.spec.cells
        done = sum(1 for c in spec_cells if self.cells.get(c.id) is not None)
        return done, len(spec_cells)

    def recompute(self) -> list[str]:
        """Fill every computed total (总计 column, （七）总计 row, table 四 totals) from its
        parts.  A total whose parts are not all answered becomes unanswered.  Returns
        the ids of the cells that changed."""
        spec = self.spec
        cells = dict(self.cells)
        changed: list[str] = []

        def total(ids: list[str]) -> int | Decimal | None:
            vals = [cells.get(i) for i in ids]
            if any(v is None for v in vals):
                return None
            return sum(vals)  # type: ignore[arg-type]

        for t in spec.tables:
            for b in t.blocks:
                # row totals first (they feed nothing else), then column totals per row
                for r in b.rows:
                    if not r.sum_of:
                        continue
                    for c in b.columns:
                        if c.sum_of:
                            continue
                        cid = cell_id(t.key, b.key, r.key, c.key)
                        v = total([cell_id(t.key, b.key, k, c.key) for k in r.sum_of])
                        if cells.get(cid) != v or cid not in cells:
                            cells[cid] = v
                            changed.append(cid)
                for r in b.rows:
                    for c in b.columns:
                        if not c.sum_of:
                            continue
                        cid = cell_id(t.key, b.key, r.key, c.key)
                        v = total([cell_id(t.key, b.key, r.key, k) for k in c.sum_of])
                        if cells.get(cid) != v or cid not in cells:
                            cells[cid] = v
                            changed.append(cid)
        if changed:
            self.cells = cells
        return changed

    def ensure_cells(self) -> None:
        """List every cell of the format (unanswered as null) so the file is readable."""
        cells = {c.id: self.cells.get(c.id) for c in self.spec.cells}
        # keep values of cells that belong to the other format (e.g. after an override)
        for k, v in self.cells.items():
            cells.setdefault(k, v)
        self.cells = cells

    # ---- title ---------------------------------------------------------------------
    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        name = self.agency.name or "（机关名称）"
        year = f"{self.year}年" if self.year else ""
        return f"{name}{year}政府信息公开工作年度报告"

    def signoff_lines(self, today: date | None = None) -> tuple[str, str]:
        """The 落款 as printed: (agency, date in Chinese, e.g. 2026年1月20日).  The date
        defaults to ``today`` (the day of export)."""
        agency = self.signoff.agency.strip() or self.agency.name.strip()
        day = today or date.today()
        if self.signoff.date.strip():
            try:
                day = date.fromisoformat(self.signoff.date.strip())
            except ValueError:
                return agency, self.signoff.date.strip()
        return agency, f"{day.year}年{day.month}月{day.day}日"

    def touch(self) -> None:
        now = datetime.now().astimezone().isoformat(timespec="seconds")
        if not self.meta.created:
            self.meta.created = now
        self.meta.updated = now


Previous.model_rebuild()
Meta.model_rebuild()
Report.model_rebuild()


def new_report(year: int | None = None, agency: str = "", kind: AgencyKind | None = None) -> Report:
    r = Report(year=year, agency=Agency(name=agency, kind=kind))
    r.ensure_cells()
    r.touch()
    return r
