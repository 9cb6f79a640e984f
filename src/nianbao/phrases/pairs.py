"""Problems ↔ measures (五、存在的主要问题及改进情况) and last year's problems.

``measures_for`` follows a problem move's ``pairs_with`` to the measures that answer it;
``previous_problems`` turns last year's listed problems into a starting text for
上年度问题整改情况 (the user completes what was done about each: 【整改情况】).
"""

from __future__ import annotations

import re
from typing import Any

from ..model import Part, Report
from .bank import Bank
from .rank import Suggestion, eligible, previous_used
from .slots import fill, values

_ENUM = re.compile(r"[一二三四五六七八九十]+是")
_LEAD_PUNCT = "，,：:；;。 \u3000"


def measures_for(bank: Bank, problem_id: str, report: Report | None = None,
                 answers: dict[str, Any] | None = None) -> list[Suggestion]:
    """The measure variants that answer a problem (a problem variant id or move id),
    filtered by the report's conditions if a report is given, in bank order, with
    variants used last year last."""
    if problem_id in bank.variant_index:
        move = bank.variant_index[problem_id].move
    elif problem_id in bank.move_index:
        move = bank.move_index[problem_id]
    else:
        raise KeyError(problem_id)
    vals = values(report, answers)
    strict = report is not None
    kind = (report.agency.kinds or None) if report is not None else None
    fmt = report.format_version if report is not None else None
    used = previous_used(report)
    out: list[Suggestion] = []
    for target in move.pairs_with:
        m = bank.move_index[target]
        for v in m.variants:
            if not eligible(v, vals, kind, fmt, strict):
                continue
            f = fill(v, report, answers, vals)
            out.append(Suggestion(m.section, m.id, m.name, v.id, f.text, 0.0, f.missing, m.title, m.theme, v.note,
                                  v.id in used))
    out.sort(key=lambda s: s.used_before)
    return out


def problems_for(bank: Bank, measure_id: str) -> list[str]:
    """Ids of the problem moves a measure move (or variant) answers."""
    mid = bank.variant_index[measure_id].move.id if measure_id in bank.variant_index else measure_id
    return [m.id for m in bank.moves if mid in m.pairs_with]


def _clean(item: str) -> str:
    item = item.strip().strip(_LEAD_PUNCT)
    item = re.sub(r"^[（(][一二三四五六七八九十\d]+[）)]\s*", "", item)
    item = re.sub(r"^\d+[.、．]\s*", "", item)
    return item.strip().rstrip("。.；;，,")


def problem_items(parts: list[Part]) -> list[str]:
    """Short statements of last year's problems: the titles of titled parts, otherwise
    the 一是…二是… items (or the sentences) of the text."""
    items: list[str] = []
    for p in parts:
        if p.title.strip():
            items.append(_clean(p.title))
            continue
        text = p.text.strip()
        if not text:
            continue
        marks = list(_ENUM.finditer(text))
        if marks:
            for k, m in enumerate(marks):
                end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
                chunk = text[m.end():end]
                chunk = re.split(r"[；;。]", chunk, maxsplit=1)[0]
                if _clean(chunk):
                    items.append(_clean(chunk))
        else:
            first = re.split(r"[。；;]", text, maxsplit=1)[0]
            if _clean(first):
                items.append(_clean(first))
    return list(dict.fromkeys(i for i in items if i))


_ORD = "一二三四五六七八九十"


def previous_problems(prev: Report, report: Report | None = None) -> str:
    """A starting text for 上年度问题整改情况 from last year's listed problems, or "" if
    last year's report lists none.  What was done about each problem is left as
    【整改情况】 for the user to write."""
    items = problem_items(prev.narrative.problems)
    if not items:
        return ""
    who = "本机关"
    if report is not None or prev is not None:
        src = report if report is not None else prev
        who = values(src).get("self") or who  # type: ignore[assignment]
    year = prev.year
    head = f"针对{year}年度报告中指出的问题，{who}逐项加以整改：" if year else f"针对上年度报告中指出的问题，{who}逐项加以整改："
    parts = []
    for n, item in enumerate(items[:10]):
        parts.append(f"{_ORD[n]}是针对“{item}”的问题，【整改情况】")
    return head + "；".join(parts) + "。"
