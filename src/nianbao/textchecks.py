"""The text rules: the prose against the tables, stale years, the statistics period, 信息处理费.

``TEXT-TABLE`` compares every claim of :mod:`nianbao.claims` with the figures of
:mod:`nianbao.figures`: restated figures, percentages, "未收到申请 / 未发生复议诉讼 /
均已办结 / 均获维持 / 未收取信息处理费" against every row that says otherwise, and a
"其中" breakdown against its own total.  An error when the clause names its figure for
certain and the number differs; a warning when the binding is uncertain.  Each finding
names the sentence, both figures and the cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from .claims import Claim, claims
from .figures import FIGURES, Number, cells_of
from .findings import Finding
from .formats import SECTIONS
from .model import Report
from .numbers import format_number
from .rules import Ctx, rule
from .text import STAT_PERIOD, mask_quoted, sentences, snippet

H = {s.number: s.heading for s in SECTIONS}


def _report_claims(c: Ctx) -> list[tuple[tuple[str, str, int, str], Claim]]:
    return c.memo("claims", lambda: claims(c.report))


def _num(d: Decimal | Number | None) -> str:
    if d is None:
        return "未填写"
    if isinstance(d, Decimal) and d == d.to_integral_value():
        return str(int(d))
    return format_number(d) if not isinstance(d, Decimal) else format(d.normalize(), "f")


def _figure_text(report: Report, name: str, v: Number | None) -> str:
    f = FIGURES[name]
    return f"{f.label(report.spec)}为{_num(v)}{f.unit if f.unit else ''}"


@rule("TEXT-TABLE", doc={"TEXT-TABLE": "文字与表格一致：正文中的件数、金额、百分比，“未收到申请”“未发生复议诉讼”“均已办结”"
                                        "“均获维持”“未收取信息处理费”等说法与表格一致；“其中”各项之和不超过总数"})
def _text_table(c: Ctx) -> Iterator[Finding]:
    r = c.report
    for (place, text, section, anchor), cl in _report_claims(c):
        f = _judge(r, cl)
        if f is None:
            continue
        severity, message, expected, found, names = f
        cells = tuple(dict.fromkeys(x for n in names for x in cells_of(n, r.spec)))
        quote = text[cl.start:cl.end].strip()
        yield Finding("TEXT-TABLE", severity, f"{place}：文字说“{quote}”，{message}", where=place,
                      expected=expected, found=found, cells=cells, section=section, anchor=anchor,
                      extra={"sentence": cl.sentence.strip(), "claim": cl.kind, "readings": list(cl.readings)})


def _judge(r: Report, cl: Claim) -> tuple[str, str, str, str, tuple[str, ...]] | None:
    """(severity, message, expected, found, figures) when the claim contradicts the tables."""
    vals = {n: FIGURES[n].value(r) for n in (*cl.readings, *cl.base)}
    if cl.kind == "value":
        if any(v is None for v in vals.values()):
            return None  # a reading not answered yet: nothing to compare
        if any(Decimal(v) == cl.said for v in vals.values()):  # type: ignore[arg-type]
            return None
        first = cl.readings[0]
        others = "，".join(_figure_text(r, n, vals[n]) for n in cl.readings[1:])
        msg = f"但{_figure_text(r, first, vals[first])}" + (f"（{others}）" if others else "")
        sev = "error" if cl.exact else "warning"
        return sev, msg + ("" if cl.exact else "，请核对"), _num(vals[first]), _num(cl.said), cl.readings
    if cl.kind == "share":
        part = [vals[n] for n in cl.readings]
        bases = [vals[n] for n in cl.base]
        if any(v is None for v in (*part, *bases)):
            return None
        shares = []
        for p in part:
            for b in bases:
                if b:
                    shares.append(Decimal(p) * 100 / Decimal(b))  # type: ignore[arg-type]
        if not shares:
            return None
        said = cl.said or Decimal(0)
        places = max(0, -said.as_tuple().exponent)  # type: ignore[operator]
        tol = Decimal("0.5") * Decimal(10) ** -places + Decimal("0.0001")
        if any(abs(s - said) <= tol for s in shares):
            return None
        best = shares[0].quantize(Decimal("0.01"))
        base = FIGURES[cl.base[0]]
        what = FIGURES[cl.readings[0]]
        msg = (f"但按表格计算，{what.label(r.spec)}（{_num(part[0])}）占{base.label(r.spec)}（{_num(bases[0])}）的"
               f"{_num(best)}%")
        sev = "error" if cl.exact else "warning"
        return sev, msg + ("" if cl.exact else "，请核对"), f"{_num(best)}%", f"{_num(said)}%", (*cl.readings, *cl.base)
    if cl.kind in ("none", "all"):
        known = {n: v for n, v in vals.items() if v is not None}
        bad = {n: v for n, v in known.items() if v}
        if not bad:
            return None
        # "未收到申请" with no new application but some carried over: say so, as a warning
        new_only = cl.what == "未收到申请" and "apps_new" in cl.readings
        sev = "error"
        if new_only and not bad.get("apps_new"):
            sev = "warning"
        msg = "但" + "，".join(_figure_text(r, n, v) for n, v in bad.items())
        if sev == "warning":
            msg += "：如果本年没有新收申请，请写明“未新收”并说明上年结转申请的办理情况"
        return sev, msg, "0", "、".join(_num(v) for v in bad.values()), tuple(bad)
    if cl.kind == "list":
        head = cl.what
        try:
            total = Decimal(head)
        except ArithmeticError:
            return None
        if cl.said is None or cl.said <= total:
            return None
        parts = "＋".join(_num(i.said) for i in cl.items)
        return ("warning", f"但后面列出的各项（{parts}＝{_num(cl.said)}）多于前面说的总数{head}，文字前后矛盾，请核对",
                head, _num(cl.said), ())
    return None


@rule("T3-FEE", doc={"T3-FEE": "表三有“逾期未按收费通知要求缴纳费用”的申请，六中却说未发出收费通知或不涉及信息处理费"})
def _t3_fee(c: Ctx) -> Iterator[Finding]:
    r = c.report
    if not r.spec.reports_fees:
        return
    fig = FIGURES["apps_fee_lapsed"]
    v = fig.value(r)
    if not v:
        return
    text = r.narrative.other
    if re.search(r"未(?:发出|发送|出具)[^。；]{0,6}收费通知|不涉及[^。；]{0,6}信息处理费|未发生[^。；]{0,10}信息处理费", text):
        yield Finding("T3-FEE", "warning",
                      f"{fig.label(r.spec)}为{v}件，说明本年发出过收费通知，但{H[6]}中说未涉及信息处理费",
                      where=H[6], expected="说明收费通知和信息处理费情况", found=text[:40],
                      cells=fig.cells(r.spec) or (), section=6, anchor="other")


# ---- years -------------------------------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年(?!以来|以前|起|底前|版|修订|施行|颁布)")
#: words after last year's number that make it a normal back-reference (决算 concern the year before)
_BACK = re.compile(r"^(?:度)?[^，。；]{0,8}?(?:决算|绩效|结转|考核|评估|评议|年报|年度报告|报告|问题|整改)")
_DATE_LINE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


@rule("STAT-PERIOD", "YEAR-IN-TEXT", doc={
    "STAT-PERIOD": "统计期限应为报告年度的1月1日至12月31日（年度不对为错误；不是整年时请确认，如机关年中设立）",
    "YEAR-IN-TEXT": "正文中残留的往年年份（沿用往年文字未改）；下一年度只在改进计划和落款日期中正常，决算、绩效评价、上年结转等可指上一年度"})
def _years(c: Ctx) -> Iterator[Finding]:
    r = c.report
    y = r.year
    if y is None:
        return
    for place, text, section, anchor in r.narrative.items():
        for m in STAT_PERIOD.finditer(text):
            y1, m1, d1, y2, m2, d2 = m.groups()
            years = {int(y1)} | ({int(y2)} if y2 else set())
            if years != {y}:
                yield Finding("STAT-PERIOD", "error", f"{place}：统计期限应为{y}年1月1日至12月31日",
                              where=place, expected=f"{y}年1月1日至{y}年12月31日", found=m.group(0),
                              section=section, anchor=anchor)
            elif (int(m1), int(d1), int(m2), int(d2)) != (1, 1, 12, 31):
                yield Finding("STAT-PERIOD", "warning",
                              f"{place}：统计期限是{y}年{int(m1)}月{int(d1)}日至{int(m2)}月{int(d2)}日，不是整个年度。"
                              "如本机关年中设立或调整，请在文中说明；否则应为1月1日至12月31日",
                              where=place, expected=f"{y}年1月1日至{y}年12月31日", found=m.group(0),
                              section=section, anchor=anchor)
        masked = mask_quoted(text)
        masked = STAT_PERIOD.sub(lambda m: "□" * len(m.group(0)), masked)
        lines = masked.split("\n")
        offset = 0
        line_starts = []
        for line in lines:
            line_starts.append((offset, line))
            offset += len(line) + 1
        for s in sentences(masked):
            line = next((ln for st, ln in reversed(line_starts) if st <= s.start), "")
            for m in _YEAR.finditer(s.text):
                x = int(m.group(1))
                if x == y or not 2000 <= x <= y + 1:
                    continue
                if _allowed(x, y, section, anchor, s.text, m, line):
                    continue
                start = s.start + m.start()
                yield Finding("YEAR-IN-TEXT", "warning",
                              f"{place}：“{snippet(text, start, start + len(m.group(0)), 12)}”写的是{x}年，"
                              f"本报告是{y}年度，可能是沿用往年文字未改",
                              where=place, expected=f"{y}年", found=f"{x}年", section=section, anchor=anchor)


def _allowed(x: int, y: int, section: int, anchor: str, sentence: str, m: re.Match[str], line: str) -> bool:
    before = sentence[max(0, m.start() - 4):m.start()]
    after = sentence[m.end():m.end() + 12]
    if x == y + 1:
        if section == 5 or _DATE_LINE.match(line):
            return True  # plans for next year in 五; the date of the 落款
        if re.match(r"\s*\d{1,2}\s*月", after):
            return True  # a date of the publication (the report is published early next year)
    if x == y - 1:
        if _BACK.match(after) or anchor == "rectification":
            return True  # 上年度决算, 绩效评价, 上年结转, last year's problems
        if re.search(r"(?:含|上年|上一年)$", before):
            return True
    if re.search(r"(?:比|较|同比|自|从|截至|截止|至|到|与|和|及)$", before) or re.match(
            r"(?:度?(?:以来|起|至|到|相比|同期|底前|年报|年度报告|的年报|政府信息公开工作年度报告)|[-—－~～至到]\d{4})", after):
        return True
    return bool(re.match(r"\d{1,2}月\d{1,2}日", after) and re.search(r"(?:于|经)$", before))
