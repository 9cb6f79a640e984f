"""The checks (勾稽关系 and more) as pure functions returning findings.

Every rule of report-format.md §9 that can be checked within one report, plus the
format/year, title, blank-cell, label and text-vs-table rules.  A rule never raises: an
unexpected exception inside a rule becomes a finding of its own (rule ``INTERNAL``).
Cross-year rules are in :func:`check_cross_year`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal

from .findings import Finding
from .formats import SECTIONS, Block, Cell, FormatSpec, Table, format_for_year, get_spec, norm_label
from .model import AgencyKind, Report
from .numbers import cn_to_int, format_number

Rule = Callable[[Report], Iterator[Finding]]
H = {s.number: s.heading for s in SECTIONS}
RULES: list[tuple[str, Rule]] = []


def rule(rule_id: str) -> Callable[[Rule], Rule]:
    def deco(fn: Rule) -> Rule:
        RULES.append((rule_id, fn))
        return fn
    return deco


def check(report: Report, only: set[str] | None = None, previous: Report | None = None) -> list[Finding]:
    """Run every rule on ``report``; never raises.

    Cross-year rules run against ``previous`` or, if not given, against the report it
    was carried forward from (kept in ``meta.previous``)."""
    out: list[Finding] = []
    if only is None or "CROSS-YEAR" in only:
        try:
            from .crossyear import check_cross_year, previous_report

            prev = previous or previous_report(report)
            if prev is not None:
                out.extend(check_cross_year(report, prev))
        except Exception as e:
            out.append(Finding("INTERNAL", "warning", f"跨年度检查未能完成（{type(e).__name__}），请反馈此问题"))
    if only is None or only & {"PHRASES", "COPY-RATE"}:
        out.extend(_phrase_checks(report, previous, only))
    for rule_id, fn in RULES:
        if only is not None and rule_id not in only:
            continue
        try:
            out.extend(fn(report))
        except Exception as e:
            out.append(Finding("INTERNAL", "warning", f"检查规则 {rule_id} 未能完成（{type(e).__name__}），请反馈此问题",
                               where=rule_id))
    return out


def _phrase_checks(report: Report, previous: Report | None, only: set[str] | None) -> list[Finding]:
    """The checks that come with the phrase bank (nianbao.phrases.checks): slots left in
    the text, figures the TEXT-TABLE patterns missed, and 内容雷同 against last year's
    report (this one loads the segmenter, so it runs only when last year is known)."""
    try:
        from .phrases import checks as pc
    except ImportError:  # the phrase bank is optional for the core
        return []
    out: list[Finding] = []
    if only is None or "PHRASES" in only:
        out.extend(pc.check_phrases(report))
    if (only is None or "COPY-RATE" in only) and (previous is not None or report.meta.previous.get("report")):
        out.extend(pc.check_similarity(report, previous))
    return out


def _fmt(v: int | Decimal | None) -> str:
    return format_number(v) if v is not None else "未填写"


def _cells_of(spec: FormatSpec, table: Table, block: Block):
    return [c for c in spec.cells if c.table is table and c.block is block]


# ---- basic information --------------------------------------------------------------

@rule("META")
def _meta(r: Report) -> Iterator[Finding]:
    if not r.agency.name.strip():
        yield Finding("META", "error", "尚未填写机关名称", where="基本信息", section=0, anchor="agency.name")
    if r.year is None:
        yield Finding("META", "error", "尚未填写报告年度", where="基本信息", section=0, anchor="year")
    elif r.year < 2019:
        yield Finding("META", "error", f"{r.year}年度的年报适用2008年条例下的旧格式，本工具只支持2019年度及以后的报告",
                      where="基本信息", section=0, anchor="year")


@rule("FORMAT-YEAR")
def _format_year(r: Report) -> Iterator[Finding]:
    if r.year is None or r.format_override is None:
        return
    due = format_for_year(r.year)
    if r.format_override != due:
        have, want = get_spec(r.format_override), get_spec(due)
        yield Finding(
            "FORMAT-YEAR", "error",
            f"{r.year}年度报告应使用《{want.title}》（{want.notice}），但表格是《{have.title}》的栏目",
            where="表二至表四", expected=f"{due}格式", found=f"{r.format_override}格式", section=2)


_GENRE = "政府信息公开工作年度报告"


@rule("TITLE")
def _title(r: Report) -> Iterator[Finding]:
    title = norm_label(r.title)
    if not title:
        return
    if _GENRE not in title:
        if "工作报告" in title and "年度报告" not in title:
            yield Finding("TITLE", "error", "标题的文种应为“政府信息公开工作年度报告”，不能写成“工作报告”",
                          where="标题", expected=_GENRE, found=r.title, section=0, anchor="title")
        else:
            yield Finding("TITLE", "warning", "标题中没有“政府信息公开工作年度报告”字样",
                          where="标题", expected=_GENRE, found=r.title, section=0, anchor="title")
    years = {int(y) for y in re.findall(r"(\d{4})年", title)}
    if r.year is not None and years and r.year not in years:
        yield Finding("TITLE", "error", "标题中的年份与报告年度不一致", where="标题",
                      expected=f"{r.year}年", found="、".join(f"{y}年" for y in sorted(years)), section=0,
                      anchor="title")


# ---- cells ----------------------------------------------------------------------------

@rule("DOMAIN")
def _domain(r: Report) -> Iterator[Finding]:
    for c in r.spec.cells:
        v = r.cells.get(c.id)
        if v is None:
            continue
        sec = c.table.section
        if c.kind == "money":
            if v < 0:
                yield Finding("T2-DOMAIN", "error", f"{c.where}：金额不能为负数", where=c.where,
                              expected="≥0", found=_fmt(v), cells=(c.id,), section=sec)
            elif isinstance(v, Decimal) and -v.as_tuple().exponent > 4:
                yield Finding("T2-DOMAIN", "warning", f"{c.where}：金额以万元为单位，一般保留至多4位小数",
                              where=c.where, expected="至多4位小数", found=_fmt(v), cells=(c.id,), section=sec)
            continue
        rid = {"t2": "T2-DOMAIN", "t3": "T3-DOMAIN", "t4": "T4-DOMAIN"}[c.table.key]
        if isinstance(v, Decimal):
            yield Finding(rid, "error", f"{c.where}：件数应为整数，不能有小数", where=c.where,
                          expected="整数", found=_fmt(v), cells=(c.id,), section=sec)
        elif c.kind == "count" and v < 0:
            yield Finding(rid, "error", f"{c.where}：件数不能为负数", where=c.where,
                          expected="≥0", found=_fmt(v), cells=(c.id,), section=sec)


@rule("BLANK")
def _blank(r: Report) -> Iterator[Finding]:
    spec = r.spec
    for t in spec.tables:
        for b in t.blocks:
            for row in b.rows:
                missing = [c for c in b.columns if r.cells.get(f"{t.key}.{b.key}.{row.key}.{c.key}") is None]
                if not missing:
                    continue
                place = " ".join(x for x in (t.name, b.caption, f"“{row.label}”行" if row.label else "") if x)
                names = "、".join(c.label for c in missing)
                ids = tuple(f"{t.key}.{b.key}.{row.key}.{c.key}" for c in missing)
                yield Finding("BLANK", "error", f"{place}：{names} 未填写（没有发生请填0，不要留空）",
                              where=place, expected="数字（没有请填0）", found="空白", cells=ids, section=t.section)


_SUM_RULE = {("t3", "row"): "T3-TOTAL-ROW", ("t3", "col"): "T3-TOTAL-COL", ("t4", "col"): "T4-SUM",
             ("t4", "row"): "T4-SUM", ("t2", "row"): "T2-SUM", ("t2", "col"): "T2-SUM"}


@rule("SUM")
def _sums(r: Report) -> Iterator[Finding]:
    """Every computed total of the spec equals the sum of its parts."""
    spec = r.spec
    for t in spec.tables:
        for b in t.blocks:
            for row in b.rows:
                for col in b.columns:
                    cid = f"{t.key}.{b.key}.{row.key}.{col.key}"
                    if row.sum_of and not col.sum_of:
                        parts = [f"{t.key}.{b.key}.{k}.{col.key}" for k in row.sum_of]
                        kind, names = "row", "、".join(b.row(k).label for k in row.sum_of)
                    elif col.sum_of:
                        parts = [f"{t.key}.{b.key}.{row.key}.{k}" for k in col.sum_of]
                        kind, names = "col", "、".join(b.column(k).label for k in col.sum_of)
                    else:
                        continue
                    total = r.cells.get(cid)
                    vals = [r.cells.get(p) for p in parts]
                    if total is None or any(v is None for v in vals):
                        continue
                    s = sum(vals)  # type: ignore[arg-type]
                    if s != total:
                        c = spec.cell(cid)
                        label = "总计" if kind == "col" else f"“{row.label}”"
                        yield Finding(_SUM_RULE[(t.key, kind)], "error",
                                      f"{c.where}：{label}应等于{names}之和",
                                      where=c.where, expected=_fmt(s), found=_fmt(total),
                                      cells=(cid, *parts), section=t.section)


@rule("T3-COL")
def _t3_col(r: Report) -> Iterator[Finding]:
    spec = r.spec
    b = spec.block("t3", "main")
    n, cc, r7, f = (b.row(k) for k in ("N", "C", "R7", "F"))
    for col in b.columns:
        ids = [f"t3.main.{k}.{col.key}" for k in ("N", "C", "R7", "F")]
        vals = [r.cells.get(i) for i in ids]
        if any(v is None for v in vals):
            continue
        left, right = vals[0] + vals[1], vals[2] + vals[3]
        if left != right:
            yield Finding(
                "T3-COL", "error",
                f"表三 “{col.label}”列：{n.short}（{_fmt(vals[0])}）加{cc.short}（{_fmt(vals[1])}）之和{_fmt(left)}，"
                f"不等于{r7.label}（{_fmt(vals[2])}）加{f.short}（{_fmt(vals[3])}）之和{_fmt(right)}",
                where=f"表三 “{col.label}”列", expected=f"一+二＝{_fmt(left)}", found=f"七+四＝{_fmt(right)}",
                cells=tuple(ids), section=3)


@rule("T3-CARRY-PLAUSIBILITY")
def _t3_plausible(r: Report) -> Iterator[Finding]:
    b = r.spec.block("t3", "main")
    n, c, r7, f = (r.t3(k) for k in ("N", "C", "R7", "F"))
    if None in (n, c, r7, f):
        return
    if r7 < c:  # type: ignore[operator]
        yield Finding("T3-CARRY-PLAUSIBILITY", "warning",
                      f"表三：{b.row('R7').label}（{r7}）小于{b.row('C').short}（{c}）。上年结转的申请一般应在本年办结，请核对",
                      where="表三 “总计”列", expected=f"≥{c}", found=str(r7),
                      cells=("t3.main.R7.TT", "t3.main.C.TT"), section=3)
    if f > n:  # type: ignore[operator]
        yield Finding("T3-CARRY-PLAUSIBILITY", "warning",
                      f"表三：{b.row('F').short}（{f}）大于{b.row('N').short}（{n}）。结转的一般是年底新收的申请，请核对",
                      where="表三 “总计”列", expected=f"≤{n}", found=str(f),
                      cells=("t3.main.F.TT", "t3.main.N.TT"), section=3)


def _t2_rows(r: Report, block_key: str) -> Iterator[tuple[Block, str, Callable[[str], int | Decimal | None]]]:
    try:
        b = r.spec.block("t2", block_key)
    except KeyError:
        return
    for row in b.rows:
        yield b, row.key, (lambda col, _row=row.key: r.cells.get(f"t2.{block_key}.{_row}.{col}"))


@rule("T2a-PATTERN")
def _t2a_pattern(r: Report) -> Iterator[Finding]:
    if r.format_version != "2019":
        return
    for bk in ("a20_5", "a20_6"):
        for b, rk, v in _t2_rows(r, bk):
            prev, delta, dec = v("prev"), v("delta"), v("decisions")
            if None in (prev, delta, dec):
                continue
            if prev + delta == dec and dec != 0:  # type: ignore[operator]
                row = b.row(rk)
                cols = [b.column(k).label for k in ("prev", "delta", "decisions")]
                yield Finding(
                    "T2a-PATTERN", "warning",
                    f"表二 {b.caption} “{row.label}”行：{cols[2]}（{dec}）恰好等于{cols[0]}（{prev}）加{cols[1]}（{delta}）。"
                    f"{cols[2]}应填本年作出的处理决定（办件量），不是项目数之和，请核对是否填错栏目",
                    where=f"表二 {b.caption} “{row.label}”行", expected="本年处理决定数（办件量）",
                    found=f"{prev}+{delta}={dec}",
                    cells=tuple(f"t2.{bk}.{rk}.{k}" for k in ("prev", "delta", "decisions")), section=2)


@rule("T2-STOCK")
def _t2_stock(r: Report) -> Iterator[Finding]:
    for b, rk, v in _t2_rows(r, "a20_1"):
        row = b.row(rk)
        place = f"表二 {b.caption} “{row.label}”行"
        if r.format_version == "2019":
            pub, total = v("published"), v("total")
            if pub is not None and total is not None and total < pub:
                yield Finding("T2a-STOCK", "warning",
                              f"{place}：{b.column('total').label}（{total}）小于{b.column('published').label}（{pub}）",
                              where=place, expected=f"≥{pub}", found=str(total),
                              cells=(f"t2.a20_1.{rk}.total", f"t2.a20_1.{rk}.published"), section=2)
        else:
            iss, rep, val = v("issued"), v("repealed"), v("valid")
            if None not in (iss, rep, val) and val < iss - rep:  # type: ignore[operator]
                yield Finding("T2b-STOCK", "warning",
                              f"{place}：{b.column('valid').label}（{val}）小于{b.column('issued').label}减"
                              f"{b.column('repealed').label}（{iss - rep}），请核对",  # type: ignore[operator]
                              where=place, expected=f"≥{iss - rep}", found=str(val),  # type: ignore[operator]
                              cells=(f"t2.a20_1.{rk}.valid",), section=2)


@rule("MONEY-UNIT")
def _money_unit(r: Report) -> Iterator[Finding]:
    if r.format_version != "2021" or r.agency.kind == AgencyKind.GOVERNMENT:
        return
    cid = "t2.a20_8.fees.amount"
    v = r.cells.get(cid)
    if v is not None and v >= 10000:
        c = r.spec.cell(cid)
        yield Finding("MONEY-UNIT", "warning", f"{c.where}：{_fmt(v)}万元即{_fmt(v)}0000元，请确认没有把“元”当成“万元”填写",
                      where=c.where, expected="以万元为单位", found=_fmt(v), cells=(cid,), section=2)


@rule("T3-FEE")
def _t3_fee(r: Report) -> Iterator[Finding]:
    if r.format_version != "2021":
        return
    v = r.t3("R6_2")
    if not v:
        return
    text = r.narrative.other
    if re.search(r"未(?:发出|发送|出具)[^。；]{0,6}收费通知|不涉及[^。；]{0,6}信息处理费|未发生[^。；]{0,10}信息处理费", text):
        row = r.spec.block("t3", "main").row("R6_2")
        yield Finding("T3-FEE", "warning",
                      f"表三 “{row.label}”为{v}件，说明本年发出过收费通知，但{H[6]}中说未涉及信息处理费",
                      where=H[6], expected="说明收费通知和信息处理费情况", found=text[:40],
                      cells=("t3.main.R6_2.TT",), section=6, anchor="other")


@rule("LABEL-VARIANT")
def _labels(r: Report) -> Iterator[Finding]:
    for key, printed in r.label_variants.items():
        official = _official_label(r.spec, key)
        if official is None or norm_label(printed) == norm_label(official):
            continue
        yield Finding("LABEL-VARIANT", "warning",
                      f"表格栏目“{printed}”与国办统一格式不一致，应为“{official}”",
                      where=_label_where(r.spec, key), expected=official, found=printed,
                      section=_label_section(key))


def _official_label(spec: FormatSpec, key: str) -> str | None:
    """Label of a spec key: ``t2.a20_9`` (caption), ``t2.a20_9.row.procurement``,
    ``t2.a20_9.col.amount``, ``heading.5``."""
    parts = key.split(".")
    try:
        if parts[0] == "heading":
            return spec.section(int(parts[1])).heading
        b = spec.block(parts[0], parts[1])
        if len(parts) == 2:
            return b.caption
        if parts[2] == "row":
            return b.row(parts[3]).label
        if parts[2] == "col":
            return b.column(parts[3]).label
    except (KeyError, IndexError, ValueError):
        return None
    return None


def _label_where(spec: FormatSpec, key: str) -> str:
    parts = key.split(".")
    if parts[0] == "heading":
        return "章节标题"
    try:
        t = spec.table(parts[0])
        b = t.block(parts[1])
    except KeyError:
        return key
    return " ".join(x for x in (t.name, b.caption) if x)


def _label_section(key: str) -> int:
    head = key.split(".")[0]
    if head == "heading":
        try:
            return int(key.split(".")[1])
        except (IndexError, ValueError):
            return 0
    return {"t2": 2, "t3": 3, "t4": 4}.get(head, 0)


# ---- narrative ------------------------------------------------------------------------

@rule("NARRATIVE")
def _narrative(r: Report) -> Iterator[Finding]:
    n = r.narrative
    if not any(p.text.strip() or p.title.strip() for p in n.overview):
        yield Finding("NARRATIVE", "error", f"{H[1]} 尚未填写", where=H[1], section=1, anchor="overview")
    if not any(p.text.strip() or p.title.strip() for p in (*n.problems, *n.measures)) and not n.rectification.strip():
        yield Finding("NARRATIVE", "error", f"{H[5]} 尚未填写", where=H[5],
                      section=5, anchor="problems")
    if not n.other.strip():
        yield Finding("NARRATIVE", "error", f"{H[6]} 尚未填写（没有可写“无”）",
                      where=H[6], section=6, anchor="other")


@rule("GOV-ASSESS")
def _gov_assess(r: Report) -> Iterator[Finding]:
    # 各级人民政府 (条例第五十条第四项): county and above, and 乡镇人民政府 too
    if AgencyKind.GOVERNMENT.value not in r.agency.kinds:
        return
    text = "".join(t for _, t in r.narrative.texts())
    if not re.search(r"考核|社会评议|责任追究", text):
        yield Finding("GOV-ASSESS", "warning",
                      f"各级人民政府（含乡镇人民政府）的年报应在{H[1]}（监督保障）中报告工作考核、社会评议和责任追究结果情况"
                      "（《条例》第五十条第四项）",
                      where=H[1], section=1, anchor="overview")


_SLOT = re.compile(r"\{[^{}]{0,40}\}|×{2,}|X{2,}|（\s*）|【[^】]{0,20}】|\[\s*\]")


@rule("UNFILLED")
def _unfilled(r: Report) -> Iterator[Finding]:
    for place, text, section, anchor in _texts(r):
        for m in _SLOT.finditer(text):
            yield Finding("UNFILLED", "error", f"{place}：有未填写的空位“{m.group(0)}”", where=place,
                          found=_snippet(text, m.start(), m.end()), section=section, anchor=anchor)


@rule("DANGLING")
def _dangling(r: Report) -> Iterator[Finding]:
    """A section whose text ends with a colon announces something that never comes
    (e.g. "……将重点做好以下工作：" with nothing after it)."""
    last: dict[int, tuple[str, str, int, str]] = {}
    for item in _texts(r):
        last[item[2]] = item
    for place, text, section, anchor in last.values():
        t = text.rstrip()
        if t.endswith(("：", ":")):
            tail = t.splitlines()[-1]
            yield Finding("DANGLING", "warning", f"{place}：最后一句以冒号结尾，后面没有内容：“{tail[-30:]}”",
                          where=place, found=tail[-30:], section=section, anchor=anchor)


def _texts(r: Report) -> list[tuple[str, str, int, str]]:
    """(place, text, section, anchor) for every narrative text."""
    return r.narrative.items()


def _snippet(text: str, start: int, end: int, width: int = 18) -> str:
    a = max(0, start - width)
    b = min(len(text), end + width)
    s = text[a:b].replace("\n", " ")
    return ("…" if a else "") + s + ("…" if b < len(text) else "")


# text vs table --------------------------------------------------------------------------

_NUM = r"(\d[\d,，]*|[零〇一二两三四五六七八九十百千]+)"
_CLAUSE = r"[^，。；,;！？\n]"


def _num(s: str) -> int | None:
    s = s.replace(",", "").replace("，", "")
    return int(s) if s.isdigit() else cn_to_int(s)


def _sum_cells(r: Report, ids: list[str]) -> int | None:
    vals = [r.cells.get(i) for i in ids]
    if any(v is None for v in vals):
        return None
    return int(sum(vals))  # type: ignore[arg-type]


#: (pattern, list of acceptable table figures as (description, cell ids), severity)
def _text_claims(r: Report) -> list[tuple[re.Pattern[str], list[tuple[str, list[str]]], str]]:
    t3 = r.spec.block("t3", "main")
    N, C, R7, F = ("t3.main.N.TT",), ("t3.main.C.TT",), ("t3.main.R7.TT",), ("t3.main.F.TT",)
    t2 = r.spec.table("t2")
    a1 = t2.block("a20_1")
    issued_col = a1.columns[0].key
    repealed_col = a1.columns[1].key if r.format_version == "2021" else None
    claims: list[tuple[re.Pattern[str], list[tuple[str, list[str]]], str]] = [
        (re.compile(rf"(?:新收|收到|接收|接到|受理|申请){_CLAUSE}{{0,14}}?(?:政府信息公开|信息公开|依申请公开)申请"
                    rf"(?:数量|总数|共计|共|合计|总计|为)*{_NUM}(?:件|个|份|宗)"),
         [(t3.row("N").label, list(N)), (f"{t3.row('N').short}与{t3.row('C').short}之和", [*N, *C])], "error"),
        (re.compile(rf"(?:共|累计|全年)?(?:新收|收到|接收|受理){_NUM}(?:件|个|份)(?:政府信息公开|信息公开|依申请公开)申请"),
         [(t3.row("N").label, list(N)), (f"{t3.row('N').short}与{t3.row('C').short}之和", [*N, *C])], "error"),
        (re.compile(rf"上年(?:度)?结转{_CLAUSE}{{0,12}}?申请(?:数量)?(?:共|为)?{_NUM}(?:件|个)"),
         [(t3.row("C").label, list(C))], "error"),
        (re.compile(rf"(?:办结|答复|办理完毕|办理完成|已办理|共办理){_CLAUSE}{{0,10}}?{_NUM}(?:件|个)"),
         [(t3.row("R7").label, list(R7)), (f"{t3.row('N').short}与{t3.row('C').short}之和", [*N, *C])], "warning"),
        (re.compile(rf"结转(?:至|到)?(?:下一?年度?|次年|下年度)(?:继续办理)?(?:的)?(?:申请)?(?:共|为)?{_NUM}(?:件|个)"),
         [(t3.row("F").label, list(F))], "error"),
        (re.compile(rf"(?:被申请|发生|收到|涉及)?行政复议(?:案件|申请)?(?:共|为)?{_NUM}(?:件|起|宗)"),
         [("表四 行政复议 总计", ["t4.main.all.rv_total"])], "error"),
        (re.compile(rf"(?:被提起|发生|涉及)?行政诉讼(?:案件)?(?:共|为)?{_NUM}(?:件|起|宗)"),
         [("表四 行政诉讼 总计", ["t4.main.all.ld_total", "t4.main.all.la_total"])], "error"),
        (re.compile(rf"(?:制发|印发|出台|发布){_CLAUSE}{{0,6}}?规范性文件{_NUM}(?:件|个|份)"),
         [(f"表二 {a1.caption} “{a1.rows[1].label}”行 “{a1.columns[0].label}”",
           [f"t2.a20_1.normative.{issued_col}"])], "warning"),
        (re.compile(rf"行政处罚(?:决定)?(?:共|为)?{_NUM}(?:件|起|宗|个)"),
         [(f"表二 {t2.block('a20_6').caption} “{t2.block('a20_6').row('penalty').label}”行",
           [f"t2.a20_6.penalty.{'decisions'}"])], "warning"),
    ]
    if repealed_col:
        claims.append((re.compile(rf"废止{_CLAUSE}{{0,6}}?规范性文件{_NUM}(?:件|个|份)"),
                       [(f"表二 {a1.caption} “{a1.rows[1].label}”行 “{a1.columns[1].label}”",
                         [f"t2.a20_1.normative.{repealed_col}"])], "warning"))
    return claims


_NO_APPLICATIONS = re.compile(
    rf"(?:未|没有|无)(?:新)?(?:收到|接到|受理|接收|发生){_CLAUSE}{{0,16}}?(?:政府信息公开|信息公开|依申请公开)(?:的)?申请"
    rf"|(?:政府信息公开|信息公开|依申请公开)申请(?:数量)?为(?:0|零)"
    rf"|零申请")
_NO_REVIEW = re.compile(rf"(?:未|没有|无)(?:发生|出现|产生|收到|被申请|被提起|涉及)?{_CLAUSE}{{0,20}}?行政复议")
_NO_SUIT = re.compile(rf"(?:未|没有|无)(?:发生|出现|产生|收到|被申请|被提起|涉及)?{_CLAUSE}{{0,26}}?行政诉讼")


@rule("TEXT-TABLE")
def _text_table(r: Report) -> Iterator[Finding]:
    claims = _text_claims(r)
    t3 = r.spec.block("t3", "main")
    for place, text, section, anchor in _texts(r):
        for sentence in re.split(r"(?<=[。；;！？\n])", text):
            if not sentence.strip():
                continue
            seen_spans: list[tuple[int, int]] = []
            for pat, options, severity in claims:
                for m in pat.finditer(sentence):
                    if any(a <= m.start() < b for a, b in seen_spans):
                        continue
                    said = _num(m.group(1))
                    if said is None:
                        continue
                    values = [(desc, _sum_cells(r, ids), ids) for desc, ids in options]
                    known = [(d, v, ids) for d, v, ids in values if v is not None]
                    if not known or any(v == said for _, v, _ in known):
                        seen_spans.append(m.span())
                        continue
                    seen_spans.append(m.span())
                    desc, v, ids = known[0]
                    yield Finding("TEXT-TABLE", severity,
                                  f"{place}：文字说“{m.group(0)}”，但{desc}为{v}",
                                  where=place, expected=str(v), found=str(said), cells=tuple(ids),
                                  section=section, anchor=anchor,
                                  extra={"sentence": sentence.strip()})
            n_tt = r.t3("N")
            if n_tt and _NO_APPLICATIONS.search(sentence):
                m = _NO_APPLICATIONS.search(sentence)
                assert m
                yield Finding("TEXT-TABLE", "error",
                              f"{place}：文字说“{m.group(0)}”，但表三 {t3.row('N').label}为{n_tt}",
                              where=place, expected=f"与表三一致（{n_tt}件）", found=m.group(0),
                              cells=("t3.main.N.TT",), section=section, anchor=anchor)
            rv = r.t4("rv_total")
            suits = _sum_cells(r, ["t4.main.all.ld_total", "t4.main.all.la_total"])
            m = _NO_REVIEW.search(sentence)
            if m and rv:
                yield Finding("TEXT-TABLE", "error", f"{place}：文字说“{m.group(0)}”，但表四 行政复议 总计为{rv}",
                              where=place, expected=f"与表四一致（{rv}件）", found=m.group(0),
                              cells=("t4.main.all.rv_total",), section=section, anchor=anchor)
            m = _NO_SUIT.search(sentence)
            if m and suits:
                yield Finding("TEXT-TABLE", "error", f"{place}：文字说“{m.group(0)}”，但表四 行政诉讼 总计为{suits}",
                              where=place, expected=f"与表四一致（{suits}件）", found=m.group(0),
                              cells=("t4.main.all.ld_total", "t4.main.all.la_total"), section=section,
                              anchor=anchor)


# years in the text ----------------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年(?!以来|以前|起|底前|版|修订|施行|颁布)")
_QUOTED = re.compile(r"《[^》]*》|〔[^〕]*〕|\[[^\]]*\]|（[^）]*号）|“[^”]*”")
STAT_PERIOD = re.compile(r"统计[^。；]{0,24}?(\d{4})\s*年\s*1\s*月\s*1\s*日[^。；]{0,16}?(?:(\d{4})\s*年\s*)?12\s*月\s*31\s*日")


@rule("YEAR-IN-TEXT")
def _years(r: Report) -> Iterator[Finding]:
    y = r.year
    if y is None:
        return
    for place, text, section, anchor in _texts(r):
        for m in STAT_PERIOD.finditer(text):
            ys = {int(g) for g in m.groups() if g}
            if ys != {y}:
                yield Finding("STAT-PERIOD", "error", f"{place}：统计期限应为{y}年1月1日至12月31日",
                              where=place, expected=f"{y}年1月1日至{y}年12月31日", found=m.group(0),
                              section=section, anchor=anchor)
        masked = _QUOTED.sub(lambda m: "□" * len(m.group(0)), text)
        masked = STAT_PERIOD.sub(lambda m: "□" * len(m.group(0)), masked)
        for sentence_match in re.finditer(r"[^。；;！？\n]+", masked):
            sentence = sentence_match.group(0)
            for m in _YEAR.finditer(sentence):
                x = int(m.group(1))
                if x == y or not 2000 <= x <= y + 1:
                    continue
                if x == y + 1 and section == 5:
                    continue  # plans for next year in 五
                before = sentence[max(0, m.start() - 4):m.start()]
                after = sentence[m.end():m.end() + 6]
                if re.search(r"(?:比|较|同比|自|从|截至|截止|至|到|与|和|及)$", before) or re.match(
                        r"(?:度?(?:以来|起|至|到|相比|同期|底前|年报|年度报告|的年报|政府信息公开工作年度报告)|[-—－~～至到]\d{4})",
                        after):
                    continue
                if re.match(r"\d{1,2}月\d{1,2}日", after) and re.search(r"(?:于|经)$", before):
                    continue
                start = sentence_match.start() + m.start()
                yield Finding("YEAR-IN-TEXT", "warning",
                              f"{place}：“{_snippet(text, start, start + len(m.group(0)), 12)}”写的是{x}年，"
                              f"本报告是{y}年度，可能是沿用往年文字未改",
                              where=place, expected=f"{y}年", found=f"{x}年", section=section, anchor=anchor)


def summary(findings: list[Finding]) -> tuple[int, int]:
    e = sum(1 for f in findings if f.severity == "error")
    return e, len(findings) - e


def cell_of(report: Report, cid: str) -> Cell | None:
    spec = report.spec
    return spec.cell(cid) if spec.has_cell(cid) else None
