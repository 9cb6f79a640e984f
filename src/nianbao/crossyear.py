"""Next year from last year: carry forward, format migration and cross-year checks.

``carry_forward(prev, year)`` starts this year's draft from last year's report: the agency
facts, contact and website; last year's narrative as a starting point (marked
``origin="last_year"``); 上年结转 = last year's 结转下年度继续办理, column by column.  This
year's figures stay unanswered; last year's figures are kept in ``meta.previous`` as a
reference shown beside each field (never as the default).  A 2019-format report carried
into a 2021+ year is migrated: what maps carries over, what has no place any more is
named in the notes.

``check_cross_year(report, prev)`` runs the rules that need both years.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from .findings import Finding
from .formats import SECTIONS, FormatSpec, StockRule, all_specs, cell_id, map_cell, norm_label
from .model import Narrative, Previous, Report, new_report
from .numbers import format_number
from .rules import Ctx, rule
from .text import sentences, with_period_year

H = {s.number: s.heading for s in SECTIONS}


def reference_cells(prev: Report, spec: FormatSpec) -> dict[str, int | Decimal | None]:
    """Last year's figures keyed by this year's cell ids (for display beside fields): the
    cells of the same meaning, and by the format's migration those of close meaning."""
    out: dict[str, int | Decimal | None] = {}
    for c in prev.spec.cells:
        v = prev.cells.get(c.id)
        target = map_cell(c.id, prev.spec, spec, reference=True)
        if target is not None and target not in out:
            out[target] = v
    return out


def carried_cells(prev: Report, spec: FormatSpec) -> dict[str, int | Decimal | None]:
    """This year's cells that take last year's figures by the format's carry rules
    (二、上年结转 = last year's 四、结转下年度继续办理, column by column)."""
    out: dict[str, int | Decimal | None] = {}
    for cr in spec.carry:
        try:
            b = spec.block(cr.table, cr.block)
        except KeyError:
            continue
        for col in b.columns:
            src = map_cell(cell_id(cr.table, cr.block, cr.from_row, col.key), spec, prev.spec) or \
                cell_id(cr.table, cr.block, cr.from_row, col.key)
            out[cell_id(cr.table, cr.block, cr.to_row, col.key)] = prev.cells.get(src)
    return out


def _fmt_name(spec: FormatSpec) -> str:
    return f"{spec.version}格式"


def _dropped(prev: Report, spec: FormatSpec) -> list[str]:
    """Blocks and rows of last year's format that this year's format no longer has."""
    notes = []
    ps = prev.spec
    new = _fmt_name(spec)
    for t in ps.tables:
        for b in t.blocks:
            try:
                nb = spec.block(t.key, b.key)
            except KeyError:
                vals = []
                for r in b.rows:
                    for c in b.columns:
                        v = prev.cells.get(cell_id(t.key, b.key, r.key, c.key))
                        vals.append(f"{c.label}{format_number(v) if v is not None else '未填'}")
                notes.append(f"{t.name}{b.caption}（{'、'.join(r.label for r in b.rows)}）在{new}中已取消，"
                             f"今年不再填报（上一年度：{'，'.join(vals)}）")
                continue
            for r in b.rows:
                if r.key in {x.key for x in nb.rows}:
                    continue
                if _row_maps(ps, spec, t.key, b.key, r.key):
                    continue  # e.g. （六）其他处理, split into items: mapped below
                notes.append(f"{t.name}{b.caption}的“{r.label}”行在{new}中已取消，今年不再填报")
            for r in nb.rows:
                if any(x.key == r.key for x in b.rows):
                    was, now = b.row(r.key).label, r.label
                    if was != now:
                        notes.append(f"{t.name}{b.caption}的“{was}”在{new}中改为“{now}”")
            old_cols = [c.label for c in b.columns]
            new_cols = [c.label for c in nb.columns]
            if old_cols != new_cols:
                notes.append(f"{t.name}{b.caption}的栏目由“{'、'.join(old_cols)}”改为“{'、'.join(new_cols)}”，"
                             "上一年度的数字只作参考")
    notes.extend(_split_rows(ps, spec))
    return notes


def _row_maps(src: FormatSpec, dst: FormatSpec, table: str, block: str, row: str) -> bool:
    b = src.block(table, block)
    return any(map_cell(cell_id(table, block, row, c.key), src, dst) for c in b.columns)


def _split_rows(src: FormatSpec, dst: FormatSpec) -> list[str]:
    """Rows of last year's format that this year's format splits into items (a group)."""
    out = []
    for t in src.tables:
        for b in t.blocks:
            try:
                nb = dst.block(t.key, b.key)
            except KeyError:
                continue
            for r in b.rows:
                subs = [x.label for x in nb.rows if r.label in x.groups]
                if subs and r.key not in {x.key for x in nb.rows}:
                    out.append(f"{t.name}“{r.label}”在{_fmt_name(dst)}中分为{len(subs)}项：{'；'.join(subs)}")
    return out


def carry_forward(prev: Report, year: int) -> tuple[Report, list[str]]:
    """This year's draft from last year's report; returns (report, Chinese notes)."""
    report = new_report(year)
    spec = report.spec
    notes: list[str] = []
    report.agency = prev.agency.model_copy(deep=True)
    facts = [x for x in ("机关名称" if prev.agency.name else "", "机关类型" if prev.agency.kind else "",
                         "联系方式" if not prev.agency.contact.is_empty() else "", "网站" if prev.agency.website else "")
             if x]
    if facts:
        notes.append(f"已带入{'、'.join(facts)}")
    if prev.year is not None and prev.year != year - 1:
        notes.append(f"注意：带入的是{prev.year}年度的报告，不是{year - 1}年度的")

    # narrative: only the opening (its legal basis and contact stay; the period moves on).
    # 一、五、六 are not copied: copied text is the 内容雷同 the 2021 notice names as a fault.
    # The assistant writes them anew from this year's answers, avoiding last year's wording
    # (last year's report is kept in meta.previous for that and for the cross-year checks).
    n = prev.narrative
    opening = n.opening
    if prev.year is not None and opening:
        fresh = with_period_year(opening, prev.year, year)
        if fresh != opening:
            opening = fresh
            notes.append(f"开头语中的统计期限已改为{year}年1月1日至12月31日")
    report.narrative = Narrative(opening=opening, notes=dict(n.notes))
    if n.opening:
        notes.append("已带入上一年度的开头语")
    if n.overview or n.problems or n.measures or n.other.strip():
        notes.append(f"上一年度的{H[1]}、{H[5]}等文字不直接沿用（以免内容雷同）：助手会按今年的回答重新撰写，"
                     "并避开上一年度用过的说法；上一年度列出的问题可在“上年度问题整改情况”中逐条说明整改")
    # the stable facts of last year's answers (names, not counts) are proposed again
    stable = {k: v for k, v in prev.meta.slots.items() if v.strip() and not any(ch.isdigit() for ch in v)}
    if stable:
        report.meta.slots = stable

    # 上年结转 = last year's 结转下年度继续办理 (the format's carry rules)
    carried = carried_cells(prev, spec)
    for cid, v in carried.items():
        report.set(cid, v)
    for cr in spec.carry:
        b, t = spec.block(cr.table, cr.block), spec.table(cr.table)
        frm, to = b.row(cr.from_row), b.row(cr.to_row)
        mine = {cid: v for cid, v in carried.items() if spec.cell(cid).row is to}
        if any(v is not None for v in mine.values()):
            totals = [v for cid, v in mine.items() if spec.cell(cid).column.computed]
            tt = totals[0] if totals else None
            notes.append(f"{t.name}“{to.label}”已按上一年度“{frm.label}”逐列填入"
                         f"（总计{format_number(tt) if tt is not None else '未填'}件）")
        else:
            notes.append(f"上一年度的“{frm.label}”没有数字，今年的“{to.label}”需要填写")

    if prev.spec.version != spec.version:
        notes.append(f"上一年度使用{prev.spec.title}（{prev.spec.notice}），{year}年度使用{spec.title}（{spec.notice}）：")
        notes.extend(f"  {x}" for x in _dropped(prev, spec))

    report.meta.previous = Previous(
        year=prev.year, title=prev.display_title, format=prev.format_version,
        cells=reference_cells(prev, spec), phrases_used=list(prev.meta.phrases_used),
        report=_without_previous(prev))
    report.recompute()
    report.meta.notes = list(notes)
    return report, notes


def _without_previous(prev: Report) -> Report:
    """Last year's report as stored in this year's draft: without the report it was
    itself carried from, so drafts do not grow year after year."""
    out = prev.model_copy(deep=True)
    out.meta.previous = out.meta.previous.model_copy(update={"report": None})
    return out


def previous_report(report: Report) -> Report | None:
    """Last year's report as stored by :func:`carry_forward`, if any."""
    return report.meta.previous.report


# ---- cross-year checks ----------------------------------------------------------------------

def _fmt(v: int | Decimal | None) -> str:
    return format_number(v) if v is not None else "未填写"


def _same_chain(c: Ctx) -> bool:
    """The previous report is the year before this one (else only CROSS-YEAR is said)."""
    y, py = c.report.year, c.previous.year if c.previous else None
    return not (y is not None and py is not None and py != y - 1)


@rule("CROSS-YEAR", needs=("previous",), doc={"CROSS-YEAR": "用于跨年度检查的报告不是上一年度的"})
def _chain(c: Ctx) -> Iterator[Finding]:
    y, py = c.report.year, c.previous.year if c.previous else None
    if not _same_chain(c):
        yield Finding("CROSS-YEAR", "warning", f"用于跨年度检查的报告是{py}年度的，不是{y - 1}年度的",  # type: ignore[operator]
                      where="跨年度检查", expected=f"{y - 1}年度", found=f"{py}年度")  # type: ignore[operator]


def _carry_ids() -> tuple[str, ...]:
    return tuple(dict.fromkeys(cr.rule for s in all_specs() for cr in s.carry))


@rule(*_carry_ids(), needs=("previous",), doc={
    "T3-CARRY": "跨年度：表三“二、上年结转”等于上一年度“四、结转下年度继续办理”（逐列；2019年度除外）"})
def _carry(c: Ctx) -> Iterator[Finding]:
    report, prev = c.report, c.previous
    assert prev is not None
    if not _same_chain(c):
        return
    spec, y, py = report.spec, report.year, prev.year
    for cr in spec.carry:
        if y is not None and y < cr.since:
            continue  # 2019's 上年结转 comes from 2018, which used the old statistics
        b, t = spec.block(cr.table, cr.block), spec.table(cr.table)
        frm, to = b.row(cr.from_row), b.row(cr.to_row)
        want = carried_cells(prev, spec)
        for cid, before in want.items():
            now = report.cells.get(cid)
            if now is None or before is None or now == before:
                continue
            col = spec.cell(cid).column
            yield Finding(
                cr.rule, "error",
                f"{t.name} “{col.label}”列：{y}年度“{to.label}”为{_fmt(now)}，但{py}年度“{frm.label}”为{_fmt(before)}",
                where=f"{t.name} “{to.label}”行 “{col.label}”列", expected=_fmt(before), found=_fmt(now),
                cells=(cid,), section=t.section)


def _cross_stock_ids() -> tuple[str, ...]:
    return tuple(dict.fromkeys([*(x.rule for s in all_specs() for x in s.stock),
                                *(x.rule for s in all_specs() for x in s.items)]))


@rule(*_cross_stock_ids(), needs=("previous",), doc={
    "T2a-ITEMS": "跨年度（2019格式）：表二“上一年项目数量”等于上一年度的“上一年项目数量”加“本年增/减”"})
def _stock(c: Ctx) -> Iterator[Finding]:
    report, prev = c.report, c.previous
    assert prev is not None
    if not _same_chain(c):
        return
    spec = report.spec
    # stock ≈ last year's stock + plus − minus (in both years' format)
    for sr in spec.stock:
        if not any(x.rule == sr.rule for x in prev.spec.stock):
            continue
        b, t = spec.block(sr.table, sr.block), spec.table(sr.table)
        for r in b.rows:
            def g(rep: Report, col: str, _r: str = r.key, _sr: StockRule = sr) -> int | Decimal | None:
                return rep.cells.get(cell_id(_sr.table, _sr.block, _r, col))

            stock, plus, before = g(report, sr.stock), g(report, sr.plus), g(prev, sr.stock)
            minus = g(report, sr.minus) if sr.minus else 0
            if None in (stock, plus, minus, before):
                continue
            want = before + plus - minus  # type: ignore[operator]
            if stock == want:
                continue
            cs, cp = b.column(sr.stock).label, b.column(sr.plus).label
            cm = f"减{b.column(sr.minus).label}（{minus}）" if sr.minus else ""
            yield Finding(
                sr.rule, "warning",
                f"{t.name} {b.caption} “{r.label}”：{cs}（{stock}）不等于上一年度{cs}（{before}）加{cp}（{plus}）{cm}，"
                "请核对（修改、到期失效等情况除外）",
                where=f"{t.name} {b.caption} “{r.label}”行", expected=str(want), found=str(stock),
                cells=(cell_id(sr.table, sr.block, r.key, sr.stock),), section=t.section)
    # prev = last year's prev + last year's delta, in every block with both columns
    for ir in spec.items:
        if not any(x.rule == ir.rule for x in prev.spec.items):
            continue
        t = spec.table(ir.table)
        for b in t.blocks:
            if not {ir.prev, ir.delta} <= {col.key for col in b.columns}:
                continue
            for r in b.rows:
                ids = [cell_id(ir.table, b.key, r.key, k) for k in (ir.prev, ir.delta)]
                now = report.cells.get(ids[0])
                p_prev, p_delta = prev.cells.get(ids[0]), prev.cells.get(ids[1])
                if None in (now, p_prev, p_delta) or now == p_prev + p_delta:  # type: ignore[operator]
                    continue
                cp, cd = b.column(ir.prev).label, b.column(ir.delta).label
                yield Finding(
                    ir.rule, "warning",
                    f"{t.name} {b.caption} “{r.label}”：{cp}（{now}）不等于上一年度的{cp}（{p_prev}）加{cd}（{p_delta}）",
                    where=f"{t.name} {b.caption} “{r.label}”行", expected=str(p_prev + p_delta),  # type: ignore[operator]
                    found=str(now), cells=(ids[0],), section=t.section)


@rule("LAST-YEAR-TEXT", needs=("previous",), doc={
    "LAST-YEAR-TEXT": "跨年度：与上一年度报告完全相同、含数字或日期的句子（数字可能没有更新）"})
def _stale_text(c: Ctx) -> Iterator[Finding]:
    """Sentences with figures or dates copied unchanged from last year's report."""
    report, prev = c.report, c.previous
    assert prev is not None
    if not _same_chain(c):
        return
    old = {norm_label(s.text) for _, t, _, _ in prev.narrative.items() for s in sentences(t, 8)}
    for place, text, section, anchor in report.narrative.items():
        for s in sentences(text, 8):
            if norm_label(s.text) in old and any(ch.isdigit() for ch in s.text):
                t = s.text
                yield Finding(
                    "LAST-YEAR-TEXT", "warning",
                    f"{place}：这句话与上一年度报告完全相同，其中的数字或日期可能没有更新：“{t[:60]}{'…' if len(t) > 60 else ''}”",
                    where=place, found=t[:60], section=section, anchor=anchor)


def check_cross_year(report: Report, prev: Report) -> list[Finding]:
    """The cross-year findings of ``report`` against ``prev`` (every rule that needs the previous year)."""
    from .rules import REGISTRY, run

    ids = [i for r in REGISTRY if "previous" in r.needs for i in r.emits]
    return run(Ctx(report, prev), select=ids)
