"""Checks that come with the phrase bank (registered in :mod:`nianbao.rules`; never raise).

- ``COPY-RATE``: 内容雷同 — the share of this year's narrative repeated from last year's
  report (or another text) is above a threshold (needs the segmenter);
- ``UNFILLED-SLOT``: slot markers the core's UNFILLED rule does not catch (long
  ``【…】``, long or full-width braces).

The bank's sentences are checked against the tables by the core's ``TEXT-TABLE`` rule,
with the same vocabulary of figures (:mod:`nianbao.figures`) the slots are bound to.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from ..findings import Finding
from ..formats import SECTIONS, VERSIONS, get_spec
from ..model import Report
from ..rules import Ctx, rule
from ..text import SLOT, snippet
from .similarity import Similarity, similarity

H = {s.number: s.heading for s in SECTIONS}


def _safe(fn):  # type: ignore[no-untyped-def]
    @functools.wraps(fn)
    def wrapper(*a: Any, **kw: Any) -> list[Finding]:
        try:
            return list(fn(*a, **kw))
        except Exception as e:  # a check never raises
            return [Finding("INTERNAL", "warning", f"常用表述检查未能完成（{type(e).__name__}），请反馈此问题",
                            where=fn.__name__)]
    return wrapper


# ---- 内容雷同 ----------------------------------------------------------------------------

def _place_section(place: str) -> int:
    if place.startswith(H[1]):
        return 1
    if place.startswith(H[6]):
        return 6
    if place.startswith("五"):
        return 5
    m = re.match(r"第(\d)部分", place)
    return int(m.group(1)) if m else 0


def previous_texts(report: Report) -> list[tuple[str, str]] | None:
    """Last year's narrative as far as ``report.meta.previous`` records it: the report
    (crossyear.carry_forward), or its text (e.g. pasted from a web page)."""
    prev = report.meta.previous
    if prev.report is not None:
        return prev.report.narrative.texts()
    if prev.text.strip():
        return [("上年度报告", prev.text)]
    return None


def _this_texts(report: Report, include_opening: bool) -> list[tuple[str, str]]:
    texts = report.narrative.texts()
    if not include_opening:
        texts = [(p, t) for p, t in texts if p != "开头语"]
    return texts


@_safe
def check_similarity(report: Report, other: Report | str | None = None, threshold: float = 30.0,
                     include_opening: bool = False) -> list[Finding]:
    """``COPY-RATE`` warning if more than ``threshold`` % of this year's narrative repeats
    ``other`` (default: last year's report from ``report.meta.previous``).  The opening
    paragraph (legal basis, statistics period) is excluded unless ``include_opening``."""
    if other is None:
        theirs = previous_texts(report)
        source = "上一年度报告"
        if theirs is None:
            return []
    elif isinstance(other, Report):
        theirs = other.narrative.texts()
        source = f"{other.year}年度报告" if other.year else "上一年度报告"
    else:
        theirs = [("对比文本", other)]
        source = "对比文本"
    mine = _this_texts(report, include_opening)
    if not mine or not theirs:
        return []
    sim: Similarity = similarity(mine, theirs)
    if sim.percent <= threshold:
        return []
    place = sim.worst_place
    pp = sim.by_place.get(place, (0.0, 0, 0))[0]
    notice = get_spec(VERSIONS[-1]).notice  # the notice that names 内容雷同
    return [Finding(
        "COPY-RATE", "warning",
        f"本年度报告的文字约有{sim.percent:.0f}%与{source}重复（超过{threshold:g}%），重复最多的是“{place}”"
        f"（{pp:.0f}%重复）。{notice}要求年报避免内容雷同，请结合本年度的实际工作改写",
        where=place, expected=f"≤{threshold:g}%", found=f"{sim.percent:.0f}%", section=_place_section(place),
        extra={"percent": sim.percent, "by_place": sim.by_place})]


# ---- unfilled slots -------------------------------------------------------------------

_MARKS = re.compile(r"\{[^{}\n]*\}|｛[^｝\n]*｝|【[^】\n]*】|\{[A-Za-z_]\w*(?![\w}])")


def _unfilled(report: Report) -> Iterator[Finding]:
    for place, text, section, anchor in report.narrative.items():
        caught = [m.span() for m in SLOT.finditer(text)]
        for m in _MARKS.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in caught):
                continue
            yield Finding("UNFILLED-SLOT", "error", f"{place}：有未填写的空位“{m.group(0)[:30]}”", where=place,
                          found=snippet(text, m.start(), m.end()), section=section, anchor=anchor)


@_safe
def check_phrases(report: Report) -> list[Finding]:
    """``UNFILLED-SLOT`` findings for ``report``'s narrative."""
    return list(_unfilled(report))


@rule("UNFILLED-SLOT", doc={"UNFILLED-SLOT": "正文中其他形式的未填空位（较长的【…】、全角或未闭合的花括号）"})
def _unfilled_rule(c: Ctx) -> Iterator[Finding]:
    return _unfilled(c.report)


@rule("COPY-RATE", needs=("segmenter",), doc={
    "COPY-RATE": "内容雷同：本年度文字与上一年度报告重复的比例超过30%（开头语除外；需要分词器，界面中在后台计算）"})
def _copy_rate(c: Ctx) -> Iterator[Finding]:
    if c.previous is None and previous_texts(c.report) is None:
        return iter(())
    return iter(check_similarity(c.report, c.previous))
