"""One file of the folder: read, checked, its indicators and its sentence fingerprint.

:func:`scan_file` never raises: a file that cannot be read is a :class:`Scanned` with
``error`` set (the reader's Chinese message).  It runs in worker processes, so what it
returns is small and picklable.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from ..findings import Finding
from ..formats import LITIGATION, REVIEW, VERSIONS, all_specs, get_spec
from ..model import Report
from .repeats import Fingerprint, fingerprint

Value = int | float | None


@dataclass(frozen=True)
class Indicator:
    """A figure a supervisor looks at: a named figure of :mod:`nianbao.figures`, or the
    ratio of two (``num`` / ``den``)."""

    key: str
    header: str
    num: str
    den: str = ""
    unit: str = ""  # "%" for a ratio, 万元 for money
    #: the table it comes from (三 / 四 / 二), for the grouped header
    table: str = ""

    @property
    def rate(self) -> bool:
        return bool(self.den)


def _t2_header(figure: str) -> str:
    """A short header for a figure of table 二, from the spec: row label, then the column's
    short name where the block has several columns, then the unit."""
    from ..figures import FIGURES

    for v in reversed(VERSIONS):  # the current format's wording first
        spec = get_spec(v)
        ids = FIGURES[figure].cells(spec)
        if not ids:
            continue
        c = spec.cell(ids[0])
        head = c.row.label
        if len(c.block.columns) > 1:
            head += f"·{c.column.name}"
        if c.column.unit:
            head += f"（{c.column.unit}）"
        return head
    return FIGURES[figure].name


def _table_name(key: str) -> str:
    """The group a table's indicators stand under: its section's short name (三、依申请公开)."""
    spec = all_specs()[-1]
    return spec.section(spec.table(key).section).short


@cache
def indicators() -> tuple[Indicator, ...]:
    """The indicator columns, in order (the 2019-only figures of table 二 included)."""
    t3, t4, t2 = _table_name("t3"), _table_name("t4"), _table_name("t2")
    out = [
        Indicator("apps_new", "本年新收", "apps_new", table=t3),
        Indicator("apps_done", "办结", "apps_done", table=t3),
        Indicator("apps_forward", "结转下年度", "apps_forward", table=t3),
        Indicator("disclosure_rate", "实质公开率", "apps_disclosed_or_partial", "apps_done", "%", table=t3),
        Indicator("reviews", REVIEW, "reviews", table=t4),
        Indicator("review_correction_rate", "复议纠错率", "reviews_corrected", "reviews", "%", table=t4),
        Indicator("suits", LITIGATION, "suits", table=t4),
        Indicator("suits_corrected", "诉讼纠正（败诉）", "suits_corrected", table=t4),
    ]
    for f in ("normative_issued", "normative_valid", "normative_made", "normative_total", "licenses",
              "penalties", "enforcements", "fee_amount"):
        out.append(Indicator(f, _t2_header(f), f, unit="万元" if f == "fee_amount" else "", table=t2))
    return tuple(out)


def _number(v: int | Decimal | None) -> Value:
    if v is None:
        return None
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


@cache
def _cells(figure: str, version: str) -> tuple[str, ...] | None:
    from ..figures import FIGURES

    return FIGURES[figure].cells(get_spec(version))  # type: ignore[arg-type]


def figure_value(report: Report, figure: str) -> int | Decimal | None:
    """``FIGURES[figure].value(report)``, with the figure's cells looked up once per format."""
    from ..figures import FIGURES, sum_cells

    getter = FIGURES[figure].getter
    if getter is not None:
        return getter(report)
    ids = _cells(figure, report.format_version)
    return sum_cells(report, ids) if ids else None


def indicator_values(report: Report) -> dict[str, Value]:
    """Every indicator of ``report``; None where it is not answered, not in the report's
    format, or a ratio of nothing (办结 0)."""
    out: dict[str, Value] = {}
    for ind in indicators():
        num = figure_value(report, ind.num)
        if not ind.rate:
            out[ind.key] = _number(num)
            continue
        den = figure_value(report, ind.den)
        out[ind.key] = round(float(num) / float(den), 4) if num is not None and den else None
    return out


#: the figures summed over the folder for the outcome chart (办理结果 of table 三), in order
OUTCOMES = ("apps_disclosed", "apps_partial", "apps_withheld", "apps_unavailable", "apps_not_processed",
            "apps_other_processing")


def outcome_values(report: Report) -> dict[str, Value]:
    return {k: _number(figure_value(report, k)) for k in OUTCOMES}


# ---- agency identity ------------------------------------------------------------------------

_GENRE = re.compile(r"(?:政府信息公开|信息公开)?(?:工作)?年度报告.*$|(?:政府信息公开|信息公开)工作.*$")
_YEAR = re.compile(r"(?:\d{4}|[零〇一二三四五六七八九]{4})\s*年度?")
_DROP = re.compile(r"[\W_]+")


def agency_key(report: Report) -> str | None:
    """Who the report is of, for grouping years: the normalised agency name, else the title
    without its year and genre (None: neither says)."""
    name = report.agency.name.strip()
    if not name and report.title.strip():
        name = _YEAR.sub("", _GENRE.sub("", unicodedata.normalize("NFKC", report.title)))
    key = _DROP.sub("", unicodedata.normalize("NFKC", name))
    return key or None


def agency_display(report: Report) -> str:
    if report.agency.name.strip():
        return report.agency.name.strip()
    if report.title.strip():
        name = _YEAR.sub("", _GENRE.sub("", unicodedata.normalize("NFKC", report.title.strip()))).strip()
        if name:
            return name
    return ""


# ---- the arithmetic rules come first among errors -------------------------------------------

def _arithmetic_rules() -> frozenset[str]:
    out: set[str] = set()
    for s in all_specs():
        for t in s.tables:
            out.update((*t.sum_rules, t.domain_rule))
            for b in t.blocks:
                out.update(i.rule for i in b.identities)
    return frozenset(out)


ARITHMETIC = _arithmetic_rules()


def worst(findings: list[Finding]) -> Finding | None:
    """The finding that matters most: errors first, the table arithmetic before the rest."""
    if not findings:
        return None
    order = {id(f): i for i, f in enumerate(findings)}
    return min(findings, key=lambda f: (f.severity != "error", f.rule not in ARITHMETIC, order[id(f)]))


# ---- one file -------------------------------------------------------------------------------

@dataclass
class Scanned:
    index: int
    #: the path as found (for scripts)
    file: str
    #: the path as listed: relative to the folder reviewed
    name: str = ""
    error: str = ""  # why the file could not be read ("" when it was)
    agency: str = ""
    agency_key: str | None = None
    kind: str = ""
    year: int | None = None
    format: str = ""
    title: str = ""
    findings: list[Finding] = field(default_factory=list)
    indicators: dict[str, Value] = field(default_factory=dict)
    outcomes: dict[str, Value] = field(default_factory=dict)
    fp: Fingerprint = field(default_factory=Fingerprint)
    errors: int = 0
    warnings: int = 0
    #: the importer found the text incomplete (a section, table or rows missing)
    incomplete: bool = False

    def __post_init__(self) -> None:
        self.name = self.name or self.file
        self.errors = sum(1 for f in self.findings if f.severity == "error")
        self.warnings = len(self.findings) - self.errors
        self.incomplete = any(f.rule == "INCOMPLETE" for f in self.findings)

    @property
    def readable(self) -> bool:
        return not self.error

    @property
    def worst(self) -> Finding | None:
        return worst(self.findings)


def scan_file(index: int, path: Path, label: str) -> Scanned:
    """Read and check one file (never raises); ``label`` is its name in the lists."""
    from ..checks import check
    from ..inputs import load_any
    from ..store import StoreError

    try:
        report, found = load_any(path)
    except StoreError as e:
        return Scanned(index, str(path), label, error=str(e))
    except Exception as e:  # a reader's own bug: the row says so, the review goes on
        return Scanned(index, str(path), label, error=f"读取时出错（{type(e).__name__}: {e}），请反馈此问题")
    try:
        findings = [*found, *check(report, exclude_needs={"segmenter"})]
        return Scanned(
            index, str(path), label, agency=agency_display(report), agency_key=agency_key(report),
            kind=report.agency.kind.value if report.agency.kind else "", year=report.year,
            format=report.format_version, title=report.display_title, findings=findings,
            indicators=indicator_values(report), outcomes=outcome_values(report), fp=fingerprint(report))
    except Exception as e:  # pragma: no cover - check() itself never raises
        return Scanned(index, str(path), label, error=f"检查时出错（{type(e).__name__}: {e}），请反馈此问题")


def scan_many(batch: list[tuple[int, str, str]]) -> list[Scanned]:
    """A batch of (index, path, label) for a worker process."""
    return [scan_file(i, Path(p), label) for i, p, label in batch]
