"""What ``nianbao review`` writes: the terminal summary, the web page (``templates/review/``,
self-contained: inline CSS and SVG, no script, no network), the workbook and the JSON.

The page and the workbook show the same table (:func:`table`): one row per file, the files
that could not be read first, then by number of errors.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from .. import __version__
from ..figures import FIGURES
from ..findings import SEVERITY_ZH, Finding
from ..formats import get_spec
from ..numbers import format_number
from . import GENERATOR, Review
from .charts import Bar, columns, rows, stacked
from .repeats import BOILERPLATE_MIN, BOILERPLATE_SHARE, Repeat
from .scan import OUTCOMES, Indicator, Scanned, indicators

DASH = "—"
#: a share from which the page marks a repeat as serious (assessors deduct above 50%)
SERIOUS = 0.5
#: how many lines each list of the terminal summary shows
TERMINAL_TOP = 10
#: how many units the chart of applications shows by name
CHART_UNITS = 20


# ---- values as printed ----------------------------------------------------------------------

def percent(v: float | None, digits: int = 1) -> str:
    return DASH if v is None else f"{100 * v:.{digits}f}%"


def number(v: int | float | None) -> str:
    if v is None:
        return DASH
    if isinstance(v, float):
        return format_number(Decimal(repr(v)))
    return str(v)


def _year(r: Scanned) -> str:
    return f"{r.year}" if r.year is not None else DASH


def _format(r: Scanned) -> str:
    return f"{r.format}格式" if r.format else ""


def agency_label(r: Scanned) -> str:
    """How a report is named in lists: its agency and year (its file when it names neither)."""
    name = r.agency or Path(r.name).name
    return f"{name}（{r.year}年度）" if r.year is not None else name


def worst_text(r: Scanned) -> str:
    if not r.readable:
        return f"无法读取：{r.error}"
    w = r.worst
    if w is None:
        return "未发现问题"
    prefix = "不完整：" if r.incomplete and w.rule == "INCOMPLETE" else ""
    return f"{prefix}[{SEVERITY_ZH[w.severity]}] {w.message}"


# ---- the table --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str
    header: str
    group: str = ""
    #: the value (a number, a share, text) of a row
    value: Callable[[Scanned], Any] = lambda r: None
    #: how the value is printed
    text: Callable[[Any], str] = lambda v: DASH if v is None else str(v)
    kind: str = "text"  # text / count / rate / money


def shown_indicators(review: Review) -> list[Indicator]:
    """The indicators some report of the folder has in its format (a 2019-only figure of table
    二 is shown only when a 2019-format report is there)."""
    formats = {r.format for r in review.rows if r.readable and r.format} or {"2021"}
    out = []
    for ind in indicators():
        if any(FIGURES[ind.num].exists(get_spec(v)) for v in formats):  # type: ignore[arg-type]
            out.append(ind)
    return out


def repeat_by_report(review: Review) -> tuple[dict[int, Repeat], dict[int, Repeat]]:
    """For each report: its largest repeat from an earlier year of its agency, and its largest
    repeat with another report of its year."""
    prev: dict[int, Repeat] = {}
    peer: dict[int, Repeat] = {}
    for rp in review.repeats:
        if rp.cross_year:
            if rp.b not in prev or rp.share > prev[rp.b].share:
                prev[rp.b] = rp
            continue
        for i in (rp.a, rp.b):
            if i not in peer or rp.share > peer[i].share:
                peer[i] = rp
    return prev, peer


def table(review: Review) -> list[Column]:
    prev, peer = repeat_by_report(review)

    def ind_col(ind: Indicator) -> Column:
        if ind.rate:
            return Column(ind.key, ind.header, ind.table, lambda r, k=ind.key: r.indicators.get(k), percent, "rate")
        kind = "money" if ind.unit == "万元" else "count"
        return Column(ind.key, ind.header, ind.table, lambda r, k=ind.key: r.indicators.get(k), number, kind)

    base = [
        Column("file", "文件", value=lambda r: r.name),
        Column("agency", "机关", value=lambda r: r.agency),
        Column("kind", "类型", value=lambda r: r.kind),
        Column("year", "年度", value=lambda r: r.year, kind="count"),
        Column("format", "格式", value=_format),
        Column("errors", "错误", value=lambda r: r.errors if r.readable else None, kind="count"),
        Column("warnings", "提示", value=lambda r: r.warnings if r.readable else None, kind="count"),
        Column("worst", "最主要的问题", value=worst_text),
    ]
    repeats = [
        Column("repeat_prev", "与上一年度重复", "内容雷同",
               lambda r: prev[r.index].share if r.index in prev else None, percent, "rate"),
        Column("repeat_peer", "与同年度其他报告雷同", "内容雷同",
               lambda r: peer[r.index].share if r.index in peer else None, percent, "rate"),
    ]
    return base + [ind_col(i) for i in shown_indicators(review)] + repeats


def ordered(review: Review) -> list[Scanned]:
    """Rows as the page and the workbook list them: unreadable files, then most errors first."""
    return sorted(review.rows, key=lambda r: (r.readable, -r.errors, -r.warnings, r.index))


# ---- the summary in numbers -----------------------------------------------------------------

@dataclass(frozen=True)
class Counts:
    files: int
    readable: int
    unreadable: int
    clean: int
    with_errors: int
    incomplete: int
    errors: int
    warnings: int
    agencies_with_years: int
    serious_years: int
    peer_pairs: int


def counts(review: Review) -> Counts:
    ok = [r for r in review.rows if r.readable]
    years = [rp for rp in review.repeats if rp.cross_year]
    return Counts(
        files=len(review.rows), readable=len(ok), unreadable=len(review.rows) - len(ok),
        clean=sum(1 for r in ok if not r.errors), with_errors=sum(1 for r in ok if r.errors),
        incomplete=sum(1 for r in ok if r.incomplete), errors=sum(r.errors for r in ok),
        warnings=sum(r.warnings for r in ok),
        agencies_with_years=len({review.rows[rp.b].agency_key for rp in years}),
        serious_years=sum(1 for rp in years if rp.share >= SERIOUS),
        peer_pairs=len(review.repeats) - len(years))


def split_repeats(review: Review) -> tuple[list[Repeat], list[Repeat]]:
    """(one agency across years, reports of one year: other agencies or a second file)."""
    years, peers = [], []
    for rp in review.repeats:
        (years if rp.cross_year else peers).append(rp)
    return years, peers


# ---- terminal ---------------------------------------------------------------------------------

def _cut(s: str, n: int = 60) -> str:
    s = s.replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


def terminal(review: Review, written: list[Path]) -> list[str]:
    c = counts(review)
    out = [f"共 {c.files} 个文件：读取 {c.readable} 份报告，无法读取 {c.unreadable} 个；"
           f"无错误 {c.clean} 份，有错误 {c.with_errors} 份" + (f"（其中不完整 {c.incomplete} 份）" if c.incomplete else "")
           + f"；错误合计 {c.errors} 个，提示合计 {c.warnings} 个。"]
    bad = sorted(review.with_errors, key=lambda r: (-r.errors, r.index))
    if bad:
        out += ["", "错误最多的报告："]
        for r in bad[:TERMINAL_TOP]:
            out.append(f"  {r.name}  {agency_label(r)}  错误 {r.errors} 个：{_cut(worst_text(r))}")
        if len(bad) > TERMINAL_TOP:
            out.append(f"  ……另有 {len(bad) - TERMINAL_TOP} 份有错误的报告")
    if review.unreadable:
        out += ["", "无法读取的文件："]
        for r in review.unreadable[:TERMINAL_TOP]:
            out.append(f"  {r.name}：{r.error}")
        if len(review.unreadable) > TERMINAL_TOP:
            out.append(f"  ……另有 {len(review.unreadable) - TERMINAL_TOP} 个")
    years, peers = split_repeats(review)
    out += ["", "内容雷同（开头语、国办格式的固定文字和多数单位共用的套话不计）："]
    if years:
        out.append(f"  同一机关跨年度：{c.agencies_with_years} 个机关有多个年度的报告，"
                   f"与上一年度重复超过{SERIOUS:.0%}的 {c.serious_years} 份：")
        for rp in years[:TERMINAL_TOP]:
            a, b = review.rows[rp.a], review.rows[rp.b]
            out.append(f"    {b.agency or b.name} {_year(a)}→{_year(b)}年度：重复 {percent(rp.share, 0)}"
                       + (f"，如“{_cut(rp.examples[0], 40)}”" if rp.examples else ""))
        if len(years) > TERMINAL_TOP:
            out.append(f"    ……另有 {len(years) - TERMINAL_TOP} 份")
    else:
        out.append("  同一机关跨年度：文件夹中没有同一机关多个年度的报告。")
    if peers:
        out.append(f"  同一年度的不同报告：{len(peers)} 对共用的文字达到其中一份的{review.min_share:.0%}：")
        for rp in peers[:TERMINAL_TOP]:
            a, b = review.rows[rp.a], review.rows[rp.b]
            out.append(f"    {agency_label(a)} 与 {b.agency or b.name}：{percent(rp.share, 0)}")
        if len(peers) > TERMINAL_TOP:
            out.append(f"    ……另有 {len(peers) - TERMINAL_TOP} 对")
    else:
        out.append(f"  同一年度的不同报告：没有共用文字达到{review.min_share:.0%}的。")
    out.append("")
    if written:
        out.append("已写入：" + "、".join(str(p) for p in written))
    else:
        out.append("完整的表格、图表和每份报告的问题清单：加 -o 汇总.html 或 --xlsx 汇总.xlsx 保存。")
    return out


# ---- JSON ---------------------------------------------------------------------------------------

def _finding(f: Finding) -> dict:
    return {"rule": f.rule, "severity": f.severity, "message": f.message, "where": f.where,
            "expected": f.expected, "found": f.found}


def as_json(review: Review) -> dict:
    reports = []
    for r in review.rows:
        w = r.worst
        reports.append({
            "file": r.file, "readable": r.readable, "error": r.error, "agency": r.agency, "kind": r.kind,
            "year": r.year, "format": r.format, "title": r.title, "errors": r.errors, "warnings": r.warnings,
            "incomplete": r.incomplete, "worst": _finding(w) if w else None, "indicators": r.indicators,
            "findings": [_finding(f) for f in r.findings]})
    repeats = []
    for rp in review.repeats:
        a, b = review.rows[rp.a], review.rows[rp.b]
        repeats.append({
            "a": a.file, "b": b.file, "same_agency": rp.same_agency, "share": round(rp.share, 4),
            "share_a": round(rp.share_a, 4), "share_b": round(rp.share_b, 4), "agency_a": a.agency,
            "agency_b": b.agency, "year_a": a.year, "year_b": b.year, "shared_chars": rp.shared_chars,
            "chars_a": rp.chars_a, "chars_b": rp.chars_b, "examples": rp.examples})
    return {"reports": reports, "repeats": repeats}


# ---- web page -------------------------------------------------------------------------------------

_ERROR_BUCKETS = ((0, 0, "0"), (1, 1, "1"), (2, 2, "2"), (3, 5, "3–5"), (6, 10, "6–10"), (11, 20, "11–20"),
                  (21, 10**9, "21 以上"))


def chart_errors(review: Review) -> str:
    ok = [r for r in review.rows if r.readable]
    bars = [Bar(label, sum(1 for r in ok if lo <= r.errors <= hi), alert=lo > 0) for lo, hi, label in _ERROR_BUCKETS]
    if review.unreadable:
        bars.append(Bar("无法读取", len(review.unreadable), alert=True))
    return columns(bars, "按错误个数统计的报告份数")


def chart_applications(review: Review) -> tuple[str, int]:
    """Applications (本年新收) by unit: the units with most by name, the rest together."""
    have = [r for r in review.rows if r.readable and r.indicators.get("apps_new") is not None]
    have.sort(key=lambda r: (-(r.indicators["apps_new"] or 0), r.index))
    bars = [Bar(agency_label(r), int(r.indicators["apps_new"] or 0), href=f"#r{r.index}") for r in have[:CHART_UNITS]]
    rest = have[CHART_UNITS:]
    if rest:
        bars.append(Bar(f"其余 {len(rest)} 份报告合计", sum(int(r.indicators["apps_new"] or 0) for r in rest), rest=True))
    return rows(bars, "各单位本年新收的政府信息公开申请"), len(have)


def chart_outcomes(review: Review) -> tuple[str, int]:
    parts = []
    for k in OUTCOMES:
        total = sum(int(r.outcomes.get(k) or 0) for r in review.rows if r.readable)
        parts.append((FIGURES[k].name, total))
    total = sum(v for _, v in parts)
    return stacked(parts, "办理结果构成（全部报告合计）"), total


def header_rows(cols: list[Column]) -> tuple[list[dict], list[Column]]:
    """The table's two header rows: a column without a group spans both; a group spans its
    columns, whose own headers are on the second row."""
    head: list[dict] = []
    sub: list[Column] = []
    for col in cols:
        if not col.group:
            head.append({"text": col.header, "colspan": 1, "rowspan": 2, "cls": col.kind})
            continue
        if head and head[-1].get("group") == col.group:
            head[-1]["colspan"] += 1
        else:
            head.append({"text": col.group, "colspan": 1, "rowspan": 1, "cls": "group", "group": col.group})
        sub.append(col)
    return head, sub


def _cell(col: Column, r: Scanned) -> str:
    v = col.value(r)
    if col.key == "file":
        return f'<td class="file"><a href="#r{r.index}">{escape(v)}</a></td>'
    cls = f"{col.kind} c-{col.key}"
    if col.key == "errors" and v:
        cls += " bad"
    elif col.key in ("repeat_prev", "repeat_peer") and v is not None and v >= SERIOUS:
        cls += " bad"
    elif col.key == "worst":
        cls += " worst"
    text = col.text(v) if col.kind != "text" else (v or "")
    return f'<td class="{cls}">{escape(str(text))}</td>'


def _row(cols: list[Column], r: Scanned) -> str:
    """One row of the table (rendered here: the page may have tens of thousands)."""
    cls = "unreadable" if not r.readable else ("errors" if r.errors else "")
    return f'<tr id="row-{r.index}" class="{cls}">{"".join(_cell(c, r) for c in cols)}</tr>'


def _findings(findings: list[Finding]) -> str:
    """A report's findings as list items, errors first."""
    out = []
    for f in sorted(findings, key=lambda f: f.severity != "error"):
        said = f"（应为 {escape(f.expected or DASH)}，实为 {escape(f.found or DASH)}）" if f.expected or f.found else ""
        out.append(f'<li><span class="sev {f.severity}">{SEVERITY_ZH[f.severity]}</span>'
                   f'<span class="rule">{escape(f.rule)}</span>{escape(f.message)}{said}</li>')
    return "\n".join(out)


def page(review: Review) -> str:
    from markupsafe import Markup

    from ..render import environment

    cols = table(review)
    head, sub = header_rows(cols)
    prev, peer = repeat_by_report(review)
    years, peers = split_repeats(review)
    apps_chart, apps_n = chart_applications(review)
    outcome_chart, outcome_n = chart_outcomes(review)
    rows = [{"r": r, "html": Markup(_row(cols, r)), "findings": Markup(_findings(r.findings))}
            for r in ordered(review)]
    tpl = environment().get_template("review/summary.html.j2")
    return tpl.render(
        generator=GENERATOR, version=__version__, when=datetime.now().strftime("%Y-%m-%d %H:%M"),
        sources=review.sources, c=counts(review), head=head, sub=sub, rows=rows, all_rows=review.rows,
        years=years, peers=peers, common=review.common, min_share=review.min_share, serious=SERIOUS,
        boilerplate=BOILERPLATE_SHARE, boilerplate_min=BOILERPLATE_MIN, errors_chart=Markup(chart_errors(review)),
        apps_chart=Markup(apps_chart), apps_n=apps_n, outcome_chart=Markup(outcome_chart), outcome_n=outcome_n,
        percent=percent, agency_label=agency_label, prev=prev, peer=peer)


def write_page(review: Review, path: Path) -> None:
    from ..store import atomic_write_text

    atomic_write_text(path, page(review))


# ---- workbook -----------------------------------------------------------------------------------

def _xl(col: Column, r: Scanned) -> Any:
    v = col.value(r)
    if col.kind == "text":
        return _xl_text(v or "")
    return v


def _xl_text(v: Any) -> Any:
    """A value for a cell: text without the control characters a worksheet cannot hold
    (imported text may carry them)."""
    if isinstance(v, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", v)
    return v


def workbook(review: Review) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE7F3")
    red = Font(color="C62828", bold=True)

    def sheet(title: str, headers: list[str], widths: list[int]):
        ws = wb.create_sheet(title)
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"
        cells = []
        for h in headers:
            c = WriteOnlyCell(ws, value=h)
            c.font, c.fill = bold, head_fill
            c.alignment = Alignment(wrap_text=True, vertical="center")
            cells.append(c)
        ws.append(cells)
        return ws

    cols = table(review)
    widths = {"file": 36, "agency": 26, "worst": 60, "kind": 10, "format": 10}
    ws = sheet("汇总", [f"{c.group}·{c.header}" if c.group else c.header for c in cols],
               [widths.get(c.key, 11) for c in cols])
    styled = {i for i, c in enumerate(cols) if c.kind == "rate" or c.key == "errors"}
    for r in ordered(review):
        line: list[Any] = []
        for i, col in enumerate(cols):
            v = _xl(col, r)
            if i in styled and v:  # only these cells carry a style (a workbook of 10,000 rows)
                cell = WriteOnlyCell(ws, value=v)
                if col.kind == "rate":
                    cell.number_format = "0.0%"
                else:
                    cell.font = red
                v = cell
            line.append(v)
        ws.append(line)

    years, peers = split_repeats(review)
    ws = sheet("内容雷同", ["类别", "报告甲", "机关甲", "年度甲", "报告乙", "机关乙", "年度乙", "重复比例",
                          "甲在乙中的比例", "乙在甲中的比例", "重复字数", "例句"],
               [16, 30, 22, 8, 30, 22, 8, 10, 10, 10, 10, 80])
    for kind, items in (("同一机关跨年度", years), ("同一年度", peers)):
        for rp in items:
            a, b = review.rows[rp.a], review.rows[rp.b]
            share = WriteOnlyCell(ws, value=round(rp.share, 4))
            share.number_format = "0.0%"
            sa, sb = WriteOnlyCell(ws, value=round(rp.share_a, 4)), WriteOnlyCell(ws, value=round(rp.share_b, 4))
            sa.number_format = sb.number_format = "0.0%"
            label = kind if kind != "同一年度" or not rp.same_agency else "同一机关同一年度"
            ws.append([_xl_text(x) for x in (label, a.name, a.agency, a.year, b.name, b.agency, b.year)] +
                      [share, sa, sb, rp.shared_chars, _xl_text("\n".join(rp.examples))])

    ws = sheet("问题清单", ["文件", "类别", "编号", "说明"], [40, 8, 18, 100])
    for r in ordered(review):
        if not r.readable:
            ws.append([_xl_text(r.name), "无法读取", "", _xl_text(r.error)])
        for f in r.findings:  # four cells a finding: a province's folder may hold a quarter of a million
            ws.append([_xl_text(r.name), SEVERITY_ZH[f.severity], f.rule, _xl_text(f.line().split(" ", 2)[-1])])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_workbook(review: Review, path: Path) -> None:
    from ..store import atomic_write_bytes

    atomic_write_bytes(path, workbook(review))
