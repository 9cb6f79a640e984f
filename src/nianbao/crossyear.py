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

import re
from decimal import Decimal

from .findings import Finding
from .formats import SECTIONS, FormatSpec, norm_label
from .model import Narrative, Part, Report, new_report
from .numbers import format_number

H = {s.number: s.heading for s in SECTIONS}

#: 2019 cell (block, row, column) -> the 2021 cell it is closest to, for the reference
#: figures shown beside this year's fields (the meaning is close, not identical)
_REF_2019_TO_2021 = {
    ("a20_1", "made"): ("a20_1", "issued"),
    ("a20_1", "total"): ("a20_1", "valid"),
}


def _map_cell_id(cid: str, src: FormatSpec, dst: FormatSpec) -> str | None:
    """The id in ``dst`` of the cell ``cid`` of ``src`` (same meaning), or None."""
    if dst.has_cell(cid):
        return cid
    t, b, r, c = cid.split(".")
    if src.version == "2019" and dst.version == "2021":
        if t == "t2" and (b, c) in _REF_2019_TO_2021:
            nb, nc = _REF_2019_TO_2021[(b, c)]
            new = f"t2.{nb}.{r}.{nc}"
            return new if dst.has_cell(new) else None
        if t == "t3" and r == "R6":
            return f"t3.{b}.R6_3.{c}"
    if src.version == "2021" and dst.version == "2019" and t == "t3" and r.startswith("R6_"):
        return None
    return None


def reference_cells(prev: Report, spec: FormatSpec) -> dict[str, int | Decimal | None]:
    """Last year's figures keyed by this year's cell ids (for display beside fields)."""
    out: dict[str, int | Decimal | None] = {}
    for c in prev.spec.cells:
        v = prev.cells.get(c.id)
        target = _map_cell_id(c.id, prev.spec, spec)
        if target is not None and target not in out:
            out[target] = v
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
                        v = prev.cells.get(f"{t.key}.{b.key}.{r.key}.{c.key}")
                        vals.append(f"{c.label}{format_number(v) if v is not None else '未填'}")
                notes.append(f"{t.name}{b.caption}（{'、'.join(r.label for r in b.rows)}）在{new}中已取消，"
                             f"今年不再填报（上一年度：{'，'.join(vals)}）")
                continue
            for r in b.rows:
                if r.key in {x.key for x in nb.rows}:
                    continue
                if t.key == "t3":
                    continue  # （六）其他处理 is split, not dropped: mapped below
                notes.append(f"{t.name}{b.caption}的“{r.label}”行在{new}中已取消，今年不再填报")
            for r in nb.rows:
                if any(x.key == r.key for x in b.rows):
                    old, new = b.row(r.key).label, r.label
                    if old != new:
                        notes.append(f"{t.name}{b.caption}的“{old}”在{_fmt_name(spec)}中改为“{new}”")
            old_cols = [c.label for c in b.columns]
            new_cols = [c.label for c in nb.columns]
            if old_cols != new_cols and t.key == "t2":
                notes.append(f"{t.name}{b.caption}的栏目由“{'、'.join(old_cols)}”改为“{'、'.join(new_cols)}”，"
                             "上一年度的数字只作参考")
    if ps.version == "2019" and spec.version == "2021":
        b = spec.block("t3", "main")
        subs = [r.label for r in b.rows if r.groups[-1:] == (b.row("R6_1").groups[-1],)]
        notes.append(f"表三“{ps.block('t3', 'main').row('R6').label}”在{new}中分为{len(subs)}项："
                     f"{'；'.join(subs)}")
    return notes


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

    # narrative: last year's text as a starting point, marked for updating
    n = prev.narrative

    def mark(parts: list[Part]) -> list[Part]:
        return [p.model_copy(update={"origin": "last_year"}) for p in parts]

    opening = n.opening
    if prev.year is not None and opening:
        from .checks import STAT_PERIOD

        fresh = STAT_PERIOD.sub(lambda m: m.group(0).replace(f"{prev.year}", f"{year}"), opening)
        if fresh != opening:
            opening = fresh
            notes.append(f"开头语中的统计期限已改为{year}年1月1日至12月31日")
    report.narrative = Narrative(
        opening=opening, overview=mark(n.overview), problems=mark(n.problems), measures=mark(n.measures),
        other=n.other, rectification="", table_notes={})
    carried = [x for x, ok in (("开头语", n.opening), (H[1], n.overview), (H[5], n.problems or n.measures),
                               (H[6], n.other)) if ok]
    if carried:
        notes.append(f"已带入上一年度的文字作为起点（{'、'.join(carried)}），均标注为“上年文字”，请逐段更新")

    # 上年结转 = last year's 结转下年度继续办理
    t3 = spec.block("t3", "main")
    carried_cells = []
    for c in t3.columns:
        v = prev.cells.get(f"t3.main.F.{c.key}")
        report.set(f"t3.main.C.{c.key}", v)
        if v is not None:
            carried_cells.append(c)
    if carried_cells:
        tt = prev.cells.get("t3.main.F.TT")
        notes.append(f"表三“{t3.row('C').label}”已按上一年度“{t3.row('F').label}”逐列填入"
                     f"（总计{format_number(tt) if tt is not None else '未填'}件）")
    else:
        notes.append(f"上一年度的“{t3.row('F').label}”没有数字，今年的“{t3.row('C').label}”需要填写")

    if prev.spec.version != spec.version:
        notes.append(f"上一年度使用{prev.spec.title}（{prev.spec.notice}），{year}年度使用{spec.title}（{spec.notice}）：")
        notes.extend(f"  {x}" for x in _dropped(prev, spec))

    report.meta.previous = {
        "year": prev.year,
        "title": prev.display_title,
        "format": prev.format_version,
        "cells": {k: format(v, "f") if isinstance(v, Decimal) else v for k, v in reference_cells(prev, spec).items()},
        "phrases_used": list(prev.meta.phrases_used),
        "report": _without_previous(prev),
    }
    report.recompute()
    report.meta.notes = list(notes)
    return report, notes


def _without_previous(prev: Report) -> dict:
    """Last year's report as stored in this year's draft: without the report it was
    itself carried from, so drafts do not grow year after year."""
    data = prev.model_dump(mode="json")
    prev_meta = data.get("meta", {}).get("previous") or {}
    data.setdefault("meta", {})["previous"] = {k: v for k, v in prev_meta.items() if k != "report"}
    return data


def previous_report(report: Report) -> Report | None:
    """Last year's report as stored by :func:`carry_forward`, if any."""
    data = report.meta.previous.get("report") if report.meta.previous else None
    if not isinstance(data, dict):
        return None
    try:
        return Report.model_validate(data)
    except Exception:
        return None


# ---- cross-year checks ----------------------------------------------------------------------

def _fmt(v: int | Decimal | None) -> str:
    return format_number(v) if v is not None else "未填写"


def check_cross_year(report: Report, prev: Report) -> list[Finding]:
    out: list[Finding] = []
    y, py = report.year, prev.year
    if y is not None and py is not None and py != y - 1:
        out.append(Finding("CROSS-YEAR", "warning", f"用于跨年度检查的报告是{py}年度的，不是{y - 1}年度的",
                           where="跨年度检查", expected=f"{y - 1}年度", found=f"{py}年度"))
        return out
    spec = report.spec
    # T3-CARRY: 上年结转 = last year's 结转下年度继续办理 (not checkable for 2019: 2018 used old statistics)
    if y is None or y > 2019:
        b = spec.block("t3", "main")
        for c in b.columns:
            now = report.cells.get(f"t3.main.C.{c.key}")
            before = prev.cells.get(f"t3.main.F.{c.key}")
            if now is None or before is None or now == before:
                continue
            out.append(Finding(
                "T3-CARRY", "error",
                f"表三 “{c.label}”列：{y}年度“{b.row('C').label}”为{_fmt(now)}，但{py}年度“{b.row('F').label}”为{_fmt(before)}",
                where=f"表三 “{b.row('C').label}”行 “{c.label}”列", expected=_fmt(before), found=_fmt(now),
                cells=(f"t3.main.C.{c.key}",), section=3))
    # T2b-STOCK: 现行有效件数_Y ≈ 现行有效件数_(Y−1) + 本年制发件数_Y − 本年废止件数_Y
    if spec.version == "2021" and prev.spec.version == "2021":
        b = spec.block("t2", "a20_1")
        for r in b.rows:
            g = lambda rep, col, _r=r.key: rep.cells.get(f"t2.a20_1.{_r}.{col}")  # noqa: E731
            valid, issued, repealed, before = g(report, "valid"), g(report, "issued"), g(report, "repealed"), g(prev, "valid")
            if None in (valid, issued, repealed, before):
                continue
            want = before + issued - repealed  # type: ignore[operator]
            if valid != want:
                cols = {c.key: c.label for c in b.columns}
                out.append(Finding(
                    "T2b-STOCK", "warning",
                    f"表二 {b.caption} “{r.label}”：{cols['valid']}（{valid}）不等于上一年度{cols['valid']}（{before}）"
                    f"加{cols['issued']}（{issued}）减{cols['repealed']}（{repealed}），请核对（修改、到期失效等情况除外）",
                    where=f"表二 {b.caption} “{r.label}”行", expected=str(want), found=str(valid),
                    cells=(f"t2.a20_1.{r.key}.valid",), section=2))
    # T2a-ITEMS: 上一年项目数量_Y = 上一年项目数量_(Y−1) + 本年增/减_(Y−1)
    if spec.version == "2019" and prev.spec.version == "2019":
        for t in (spec.table("t2"),):
            for b in t.blocks:
                keys = {c.key for c in b.columns}
                if not {"prev", "delta"} <= keys:
                    continue
                for r in b.rows:
                    now = report.cells.get(f"t2.{b.key}.{r.key}.prev")
                    p_prev = prev.cells.get(f"t2.{b.key}.{r.key}.prev")
                    p_delta = prev.cells.get(f"t2.{b.key}.{r.key}.delta")
                    if None in (now, p_prev, p_delta) or now == p_prev + p_delta:  # type: ignore[operator]
                        continue
                    cp, cd = b.column("prev").label, b.column("delta").label
                    out.append(Finding(
                        "T2a-ITEMS", "warning",
                        f"表二 {b.caption} “{r.label}”：{cp}（{now}）不等于上一年度的{cp}（{p_prev}）加{cd}（{p_delta}）",
                        where=f"表二 {b.caption} “{r.label}”行", expected=str(p_prev + p_delta), found=str(now),  # type: ignore[operator]
                        cells=(f"t2.{b.key}.{r.key}.prev",), section=2))
    out.extend(_stale_text(report, prev))
    return out


_SENT = re.compile(r"[^。；！？\n]+[。；！？]?")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.findall(text) if len(s.strip()) >= 8]


def _stale_text(report: Report, prev: Report) -> list[Finding]:
    """Sentences with figures or dates copied unchanged from last year's report."""
    from .checks import _texts  # the narrative places, shared with the core checks

    old = {norm_label(s) for _, t, _, _ in _texts(prev) for s in _sentences(t)}
    out = []
    for place, text, section, anchor in _texts(report):
        for s in _sentences(text):
            if norm_label(s) in old and re.search(r"\d", s):
                out.append(Finding(
                    "LAST-YEAR-TEXT", "warning",
                    f"{place}：这句话与上一年度报告完全相同，其中的数字或日期可能没有更新：“{s[:60]}{'…' if len(s) > 60 else ''}”",
                    where=place, found=s[:60], section=section, anchor=anchor))
    return out
