"""The checks (勾稽关系 and more) as pure functions returning findings.

Every rule is registered in :mod:`nianbao.rules` with the finding ids it emits.  The
rules of one report's tables are interpreters of the format spec: the sums (``sum_of``),
the block identities (table 三: 一 + 二 = （七）+ 四), the row and column roles and the
within-year stock rule all come from :mod:`nianbao.formats`.  The text rules are in
:mod:`nianbao.textchecks`, the cross-year rules in :mod:`nianbao.crossyear`, the
phrase-bank rules (内容雷同, 空位) in :mod:`nianbao.phrases.checks`.  :func:`check` runs
them all; a rule never raises.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from decimal import Decimal

from . import crossyear, textchecks  # noqa: F401  (they register their rules)
from .findings import Finding
from .formats import (
    SECTIONS,
    Block,
    Cell,
    FormatSpec,
    StockRule,
    all_specs,
    cell_id,
    format_for_year,
    get_spec,
    norm_label,
)
from .model import AgencyKind, Report
from .numbers import format_number
from .rules import Ctx, Need, docs, emitted_ids, rule, run
from .text import SLOT, snippet

H = {s.number: s.heading for s in SECTIONS}


def check(report: Report, previous: Report | None = None, select: Collection[str] | None = None,
          exclude: Collection[str] | None = None, exclude_needs: Collection[Need] = ()) -> list[Finding]:
    """Run every registered rule on ``report``; never raises.

    ``select`` / ``exclude``: finding ids or id prefixes (``"T3"`` = every ``T3-…`` id).
    Cross-year rules run against ``previous`` or, if not given, against the report it was
    carried forward from (kept in ``meta.previous``).  ``exclude_needs={"segmenter"}``
    leaves out the rules that load jieba (内容雷同)."""
    _register_all()
    prev = previous
    if prev is None:
        try:
            prev = crossyear.previous_report(report)
        except Exception:
            prev = None
    return run(Ctx(report, prev), select, exclude, exclude_needs)


def _register_all() -> None:
    """The phrase-bank rules register when their modules are imported (the bank's checks,
    and the composer's check of the sentences it wrote)."""
    try:
        from . import compose  # noqa: F401
        from .phrases import checks  # noqa: F401
    except ImportError:  # pragma: no cover - the bank is part of the package
        pass


def rule_ids() -> list[str]:
    """Every finding id the checks can emit."""
    _register_all()
    return emitted_ids()


def rule_docs() -> dict[str, str]:
    """Every finding id with its one-line Chinese description."""
    _register_all()
    return docs()


def _fmt(v: int | Decimal | None) -> str:
    return format_number(v) if v is not None else "未填写"


# ---- basic information --------------------------------------------------------------

@rule("META", doc={"META": "机关名称、报告年度未填写，或年度早于2019年（旧格式）"})
def _meta(c: Ctx) -> Iterator[Finding]:
    r = c.report
    if not r.agency.name.strip():
        yield Finding("META", "error", "尚未填写机关名称", where="基本信息", section=0, anchor="agency.name")
    if r.year is None:
        yield Finding("META", "error", "尚未填写报告年度", where="基本信息", section=0, anchor="year")
    elif r.year < 2019:
        yield Finding("META", "error", f"{r.year}年度的年报适用2008年条例下的旧格式，本工具只支持2019年度及以后的报告",
                      where="基本信息", section=0, anchor="year")


@rule("FORMAT-YEAR", doc={"FORMAT-YEAR": "表格格式与报告年度不符（2019、2020年度用试行格式，2021年度起用新格式）"})
def _format_year(c: Ctx) -> Iterator[Finding]:
    r = c.report
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


@rule("TITLE", doc={"TITLE": "标题的文种（应为“政府信息公开工作年度报告”，不是“工作报告”）与标题中的年份"})
def _title(c: Ctx) -> Iterator[Finding]:
    r = c.report
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

def _domain_ids() -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.domain_rule for s in all_specs() for t in s.tables))


@rule(*_domain_ids(), doc={
    "T2-DOMAIN": "表二的件数为非负整数（2019格式的“本年增/减”可以为负），金额为非负数、至多4位小数",
    "T3-DOMAIN": "表三的件数为非负整数", "T4-DOMAIN": "表四的件数为非负整数"})
def _domain(c: Ctx) -> Iterator[Finding]:
    r = c.report
    for cell in r.spec.cells:
        v = r.cells.get(cell.id)
        if v is None:
            continue
        rid, sec = cell.table.domain_rule, cell.table.section
        if cell.kind == "money":
            if v < 0:
                yield Finding(rid, "error", f"{cell.where}：金额不能为负数", where=cell.where,
                              expected="≥0", found=_fmt(v), cells=(cell.id,), section=sec)
            elif isinstance(v, Decimal) and -v.as_tuple().exponent > 4:  # type: ignore[operator]
                yield Finding(rid, "warning", f"{cell.where}：金额以万元为单位，一般保留至多4位小数",
                              where=cell.where, expected="至多4位小数", found=_fmt(v), cells=(cell.id,), section=sec)
            continue
        if isinstance(v, Decimal):
            yield Finding(rid, "error", f"{cell.where}：件数应为整数，不能有小数", where=cell.where,
                          expected="整数", found=_fmt(v), cells=(cell.id,), section=sec)
        elif cell.kind == "count" and v < 0:
            yield Finding(rid, "error", f"{cell.where}：件数不能为负数", where=cell.where,
                          expected="≥0", found=_fmt(v), cells=(cell.id,), section=sec)


@rule("BLANK", doc={"BLANK": "空白单元格（没有发生请填0，不要留空；“未填写”与0不同）"})
def _blank(c: Ctx) -> Iterator[Finding]:
    r = c.report
    for t in r.spec.tables:
        for b in t.blocks:
            for row in b.rows:
                missing = [col for col in b.columns if r.cells.get(cell_id(t.key, b.key, row.key, col.key)) is None]
                if not missing:
                    continue
                place = " ".join(x for x in (t.name, b.caption, f"“{row.label}”行" if row.label else "") if x)
                names = "、".join(col.label for col in missing)
                ids = tuple(cell_id(t.key, b.key, row.key, col.key) for col in missing)
                yield Finding("BLANK", "error", f"{place}：{names} 未填写（没有发生请填0，不要留空）",
                              where=place, expected="数字（没有请填0）", found="空白", cells=ids, section=t.section)


def _sum_ids() -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for s in all_specs() for t in s.tables for i in t.sum_rules))


@rule(*_sum_ids(), doc={
    "T2-SUM": "表二中的合计等于各项之和",
    "T3-TOTAL-ROW": "表三“（七）总计”等于各项办理结果之和（每一列）",
    "T3-TOTAL-COL": "表三“总计”列等于六类申请人之和（每一行）",
    "T4-SUM": "表四行政复议、未经复议直接起诉、复议后起诉的“总计”分别等于四种结果之和"})
def _sums(c: Ctx) -> Iterator[Finding]:
    """Every computed total of the spec equals the sum of its parts."""
    r = c.report
    spec = r.spec
    for t in spec.tables:
        row_rule, col_rule = t.sum_rules
        for b in t.blocks:
            for row in b.rows:
                for col in b.columns:
                    cid = cell_id(t.key, b.key, row.key, col.key)
                    if row.sum_of and not col.sum_of:
                        parts = [cell_id(t.key, b.key, k, col.key) for k in row.sum_of]
                        rid, names, label = row_rule, "、".join(b.row(k).label for k in row.sum_of), f"“{row.label}”"
                    elif col.sum_of:
                        parts = [cell_id(t.key, b.key, row.key, k) for k in col.sum_of]
                        rid, names, label = col_rule, "、".join(b.column(k).label for k in col.sum_of), col.label
                    else:
                        continue
                    total = r.cells.get(cid)
                    vals = [r.cells.get(p) for p in parts]
                    if total is None or any(v is None for v in vals):
                        continue
                    s = sum(vals)  # type: ignore[arg-type]
                    if s != total:
                        where = spec.cell(cid).where
                        yield Finding(rid, "error", f"{where}：{label}应等于{names}之和", where=where,
                                      expected=_fmt(s), found=_fmt(total), cells=(cid, *parts), section=t.section)


def _identity_ids() -> tuple[str, ...]:
    return tuple(dict.fromkeys(i.rule for s in all_specs() for t in s.tables
                               for b in t.blocks for i in b.identities))


def _numbering(label: str) -> str:
    """The item number of a row label (一、本年新收… → 一; （七）总计 → 七)."""
    m = re.match(r"^(?:[（(]([一二三四五六七八九十]+)[）)]|([一二三四五六七八九十]+)、)", label)
    return (m.group(1) or m.group(2)) if m else label


@rule(*_identity_ids(), doc={"T3-COL": "表三每一列：第一项加第二项之和，等于第三项（（七）总计）加第四项之和"})
def _identities(c: Ctx) -> Iterator[Finding]:
    r = c.report
    for t in r.spec.tables:
        for b in t.blocks:
            for ident in b.identities:
                for col in b.columns:
                    lhs = [cell_id(t.key, b.key, k, col.key) for k in ident.lhs]
                    rhs = [cell_id(t.key, b.key, k, col.key) for k in ident.rhs]
                    vals = [r.cells.get(i) for i in (*lhs, *rhs)]
                    if any(v is None for v in vals):
                        continue
                    left = sum(vals[: len(lhs)])  # type: ignore[arg-type]
                    right = sum(vals[len(lhs):])  # type: ignore[arg-type]
                    if left == right:
                        continue

                    def side(keys: tuple[str, ...], values: list, _b: Block = b) -> str:
                        return "加".join(f"{_b.row(k).name}（{_fmt(v)}）" for k, v in zip(keys, values, strict=True))

                    ln = "+".join(_numbering(b.row(k).label) for k in ident.lhs)
                    rn = "+".join(_numbering(b.row(k).label) for k in ident.rhs)
                    where = f"{t.name} “{col.label}”列"
                    yield Finding(
                        ident.rule, "error",
                        f"{where}：{side(ident.lhs, vals[:len(lhs)])}之和{_fmt(left)}，"
                        f"不等于{side(ident.rhs, vals[len(lhs):])}之和{_fmt(right)}",
                        where=where, expected=f"{ln}＝{_fmt(left)}", found=f"{rn}＝{_fmt(right)}",
                        cells=(*lhs, *rhs), section=t.section)


@rule("T3-CARRY-PLAUSIBILITY", doc={
    "T3-CARRY-PLAUSIBILITY": "表三结转数是否合理：（七）总计一般不小于上年结转，结转下年度一般不大于本年新收"})
def _carry_plausible(c: Ctx) -> Iterator[Finding]:
    r = c.report
    for t in r.spec.tables:
        for b in t.blocks:
            try:
                n, cc, r7, f = (b.role_row(x) for x in ("new", "carried", "total", "forward"))
                tt = b.role_column("total")
            except KeyError:
                continue
            ids = {x.key: cell_id(t.key, b.key, x.key, tt.key) for x in (n, cc, r7, f)}
            v = {k: r.cells.get(i) for k, i in ids.items()}
            if None in v.values():
                continue
            where = f"{t.name} “{tt.label}”列"
            if v[r7.key] < v[cc.key]:  # type: ignore[operator]
                yield Finding("T3-CARRY-PLAUSIBILITY", "warning",
                              f"{t.name}：{r7.label}（{v[r7.key]}）小于{cc.name}（{v[cc.key]}）。上年结转的申请一般应在本年办结，请核对",
                              where=where, expected=f"≥{v[cc.key]}", found=str(v[r7.key]),
                              cells=(ids[r7.key], ids[cc.key]), section=t.section)
            if v[f.key] > v[n.key]:  # type: ignore[operator]
                yield Finding("T3-CARRY-PLAUSIBILITY", "warning",
                              f"{t.name}：{f.name}（{v[f.key]}）大于{n.name}（{v[n.key]}）。结转的一般是年底新收的申请，请核对",
                              where=where, expected=f"≤{v[n.key]}", found=str(v[f.key]),
                              cells=(ids[f.key], ids[n.key]), section=t.section)


@rule("T2a-PATTERN", doc={"T2a-PATTERN": "2019格式表二：“处理决定数量”恰好等于“上一年项目数量”加“本年增/减”（可能填错栏目）"})
def _t2a_pattern(c: Ctx) -> Iterator[Finding]:
    r = c.report
    for t in r.spec.tables:
        for b in t.blocks:
            try:
                cp, cd, cx = (b.role_column(x) for x in ("prev", "delta", "decisions"))
            except KeyError:
                continue
            for row in b.rows:
                ids = [cell_id(t.key, b.key, row.key, col.key) for col in (cp, cd, cx)]
                prev, delta, dec = (r.cells.get(i) for i in ids)
                if None in (prev, delta, dec) or prev + delta != dec or dec == 0:  # type: ignore[operator]
                    continue
                place = f"{t.name} {b.caption} “{row.label}”行"
                yield Finding(
                    "T2a-PATTERN", "warning",
                    f"{place}：{cx.label}（{dec}）恰好等于{cp.label}（{prev}）加{cd.label}（{delta}）。"
                    f"{cx.label}应填本年作出的处理决定（办件量），不是项目数之和，请核对是否填错栏目",
                    where=place, expected="本年处理决定数（办件量）", found=f"{prev}+{delta}={dec}", cells=tuple(ids),
                    section=t.section)


def _stock_ids() -> tuple[str, ...]:
    return tuple(dict.fromkeys(x.rule for s in all_specs() for x in s.stock_within))


@rule(*_stock_ids(), doc={
    "T2a-STOCK": "2019格式表二：对外公开总数量不小于本年新公开数量",
    "T2b-STOCK": "2021格式表二：现行有效件数不小于本年制发减废止；跨年度时约等于上年现行有效加本年制发减废止"})
def _stock_within(c: Ctx) -> Iterator[Finding]:
    r = c.report
    spec = r.spec
    for sr in spec.stock_within:
        b = spec.block(sr.table, sr.block)
        t = spec.table(sr.table)
        for row in b.rows:
            def v(col: str, _row: str = row.key, _sr: StockRule = sr) -> int | Decimal | None:
                return r.cells.get(cell_id(_sr.table, _sr.block, _row, col))

            stock, plus = v(sr.stock), v(sr.plus)
            minus = v(sr.minus) if sr.minus else 0
            if None in (stock, plus, minus):
                continue
            floor = plus - minus  # type: ignore[operator]
            if stock >= floor:  # type: ignore[operator]
                continue
            place = f"{t.name} {b.caption} “{row.label}”行"
            what = f"{b.column(sr.plus).label}减{b.column(sr.minus).label}（{floor}）" if sr.minus else \
                f"{b.column(sr.plus).label}（{plus}）"
            yield Finding(sr.rule, "warning", f"{place}：{b.column(sr.stock).label}（{stock}）小于{what}，请核对",
                          where=place, expected=f"≥{floor}", found=str(stock),
                          cells=(cell_id(sr.table, sr.block, row.key, sr.stock),), section=t.section)


@rule("MONEY-UNIT", doc={"MONEY-UNIT": "以万元为单位的金额大得不合常理（可能把“元”当成了“万元”）"})
def _money_unit(c: Ctx) -> Iterator[Finding]:
    r = c.report
    if r.agency.kind == AgencyKind.GOVERNMENT:
        return
    for cell in r.spec.cells:
        if cell.kind != "money" or cell.column.unit != "万元":
            continue
        v = r.cells.get(cell.id)
        if v is not None and v >= 10000:
            yield Finding("MONEY-UNIT", "warning",
                          f"{cell.where}：{_fmt(v)}万元即{_fmt(v)}0000元，请确认没有把“元”当成“万元”填写",
                          where=cell.where, expected="以万元为单位", found=_fmt(v), cells=(cell.id,),
                          section=cell.table.section)


@rule("LABEL-VARIANT", doc={"LABEL-VARIANT": "导入的报告中，表格栏目或章节标题与国办统一格式不一致（名称或序号）"})
def _labels(c: Ctx) -> Iterator[Finding]:
    r = c.report
    for key, printed in r.label_variants.items():
        official = _official_label(r.spec, key)
        if official is None or norm_label(printed) == norm_label(official):
            continue
        yield Finding("LABEL-VARIANT", "warning",
                      f"表格栏目“{printed}”与国办统一格式不一致，应为“{official}”",
                      where=_label_where(r.spec, key), expected=official, found=printed,
                      section=_label_section(r.spec, key))


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


def _label_section(spec: FormatSpec, key: str) -> int:
    parts = key.split(".")
    if parts[0] == "heading":
        try:
            return int(parts[1])
        except (IndexError, ValueError):
            return 0
    try:
        return spec.table(parts[0]).section
    except KeyError:
        return 0


# ---- narrative ------------------------------------------------------------------------

@rule("NARRATIVE", doc={"NARRATIVE": "总体情况、存在的主要问题及改进情况、其他需要报告的事项尚未填写"})
def _narrative(c: Ctx) -> Iterator[Finding]:
    n = c.report.narrative
    if not any(p.text.strip() or p.title.strip() for p in n.overview):
        yield Finding("NARRATIVE", "error", f"{H[1]} 尚未填写", where=H[1], section=1, anchor="overview")
    if not any(p.text.strip() or p.title.strip() for p in (*n.problems, *n.measures)) and not n.rectification.strip():
        yield Finding("NARRATIVE", "error", f"{H[5]} 尚未填写", where=H[5], section=5, anchor="problems")
    if not n.other.strip():
        yield Finding("NARRATIVE", "error", f"{H[6]} 尚未填写（没有可写“无”）", where=H[6], section=6, anchor="other")


@rule("OVERVIEW-LENGTH", doc={"OVERVIEW-LENGTH": "总体情况超过本地规定的字数（在基本信息中设置，如1000字；不计空白）"})
def _overview_length(c: Ctx) -> Iterator[Finding]:
    r = c.report
    limit = r.agency.overview_max_chars
    if not limit:
        return
    n = len(re.sub(r"\s", "", r.narrative.field_text("overview")))
    if n > limit:
        yield Finding("OVERVIEW-LENGTH", "warning", f"{H[1]}共{n}字，超过了本地规定的{limit}字，请精简",
                      where=H[1], expected=f"≤{limit}字", found=f"{n}字", section=1, anchor="overview")


@rule("GOV-ASSESS", doc={"GOV-ASSESS": "各级人民政府（含乡镇人民政府）报告工作考核、社会评议和责任追究结果情况（《条例》第五十条第四项）"})
def _gov_assess(c: Ctx) -> Iterator[Finding]:
    r = c.report
    if AgencyKind.GOVERNMENT.value not in r.agency.kinds:
        return
    text = "".join(t for _, t in r.narrative.texts())
    if not re.search(r"考核|社会评议|责任追究", text):
        yield Finding("GOV-ASSESS", "warning",
                      f"各级人民政府（含乡镇人民政府）的年报应在{H[1]}（监督保障）中报告工作考核、社会评议和责任追究结果情况"
                      "（《条例》第五十条第四项）",
                      where=H[1], section=1, anchor="overview")


@rule("UNFILLED", doc={"UNFILLED": "正文中未填写的空位（{…}、××、（ ）、【…】、〔待补：…〕）"})
def _unfilled(c: Ctx) -> Iterator[Finding]:
    for place, text, section, anchor in c.report.narrative.items():
        for m in SLOT.finditer(text):
            mark = m.group(0)
            if mark.startswith("〔待补"):
                what = mark.strip("〔〕").split("：", 1)[-1]
                msg = f"{place}：还有待补的内容——{what}（在助手中回答这一问，或直接改写这句话）"
            else:
                msg = f"{place}：有未填写的空位“{mark}”"
            yield Finding("UNFILLED", "error", msg, where=place, found=snippet(text, m.start(), m.end()),
                          section=section, anchor=anchor)


@rule("DANGLING", doc={"DANGLING": "一节文字以冒号结尾，后面没有内容"})
def _dangling(c: Ctx) -> Iterator[Finding]:
    """A section whose text ends with a colon announces something that never comes
    (e.g. "……将重点做好以下工作：" with nothing after it)."""
    last: dict[int, tuple[str, str, int, str]] = {}
    for item in c.report.narrative.items():
        if item[3] != "opening":  # “特编制此报告：” leads into the whole report
            last[item[2]] = item
    for place, text, section, anchor in last.values():
        t = text.rstrip()
        if t.endswith(("：", ":")):
            tail = t.splitlines()[-1]
            yield Finding("DANGLING", "warning", f"{place}：最后一句以冒号结尾，后面没有内容：“{tail[-30:]}”",
                          where=place, found=tail[-30:], section=section, anchor=anchor)


def summary(findings: list[Finding]) -> tuple[int, int]:
    e = sum(1 for f in findings if f.severity == "error")
    return e, len(findings) - e


def cell_of(report: Report, cid: str) -> Cell | None:
    spec = report.spec
    return spec.cell(cid) if spec.has_cell(cid) else None
