"""Checks that come with the phrase bank (return findings, never raise).

- ``COPY-RATE``: 内容雷同 — the share of this year's narrative repeated from last year's
  report (or another text) is above a threshold;
- ``UNFILLED-SLOT``: slot markers the core's UNFILLED rule does not catch (long
  ``【…】``, long or full-width braces);
- ``TEXT-TABLE-2``: figures next to the words the bank's slots are bound to (办结、结转、
  复议、诉讼、规范性文件、信息处理费 …) that differ from the tables and that the core's
  TEXT-TABLE rule did not report; the bank's own numeric sentences are turned into
  patterns too, so an edited bank sentence is always checked.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from .. import checks as core
from ..findings import Finding
from ..formats import SECTIONS, get_spec
from ..model import Narrative, Report
from ..numbers import cn_to_int
from .bank import Bank
from .similarity import Similarity, similarity
from .slots import BOUND, SLOT_RE, slot_cells, values

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
    """Last year's narrative as far as ``report.meta.previous`` records it: the
    ``report`` dict (crossyear.carry_forward), a ``narrative`` dict, a ``text`` string,
    or a ``path`` to last year's report."""
    prev = report.meta.previous or {}
    data = prev.get("report")
    if isinstance(data, dict):  # stored by crossyear.carry_forward
        try:
            return Report.model_validate(data).narrative.texts()
        except ValueError:
            pass
    nar = prev.get("narrative")
    if isinstance(nar, dict):
        try:
            return Narrative.model_validate(nar).texts()
        except ValueError:
            pass
    if isinstance(nar, str) and nar.strip():
        return [("上年度报告", nar)]
    text = prev.get("text")
    if isinstance(text, str) and text.strip():
        return [("上年度报告", text)]
    path = prev.get("path")
    if isinstance(path, str) and path:
        from pathlib import Path

        from ..inputs import load_any
        from ..store import StoreError

        p = Path(path)
        if p.is_file():
            try:
                r, _ = load_any(p)
            except (StoreError, OSError):
                return None
            return r.narrative.texts()
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
    notice = get_spec("2021").notice
    return [Finding(
        "COPY-RATE", "warning",
        f"本年度报告的文字约有{sim.percent:.0f}%与{source}重复（超过{threshold:g}%），重复最多的是“{place}”"
        f"（{pp:.0f}%重复）。{notice}要求年报避免内容雷同，请结合本年度的实际工作改写",
        where=place, expected=f"≤{threshold:g}%", found=f"{sim.percent:.0f}%", section=_place_section(place),
        extra={"percent": sim.percent, "by_place": sim.by_place})]


# ---- unfilled slots -------------------------------------------------------------------

_MARKS = re.compile(r"\{[^{}\n]*\}|｛[^｝\n]*｝|【[^】\n]*】|\{[A-Za-z_]\w*(?![\w}])")


def _unfilled(report: Report) -> Iterator[Finding]:
    for place, text, section, anchor in core._texts(report):
        caught = [m.span() for m in core._SLOT.finditer(text)]
        for m in _MARKS.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in caught):
                continue
            yield Finding("UNFILLED-SLOT", "error", f"{place}：有未填写的空位“{m.group(0)[:30]}”", where=place,
                          found=core._snippet(text, m.start(), m.end()), section=section, anchor=anchor)


# ---- text vs table, second pass ---------------------------------------------------------

_UNIT = r"(件|起|宗|个|份|万元|元)"
_NUMBER = r"(\d[\d,，]*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_TREND = re.compile(r"同比|环比|增长|增加|减少|下降|上升|较上年|比上年|较去年|比去年|多于|少于|超过|不足")
_BOUNDARY = re.compile(r"[，,。；;：:！？!?\n（(）)]")

#: (cue regex, acceptable slots, the preceding text must also match this, if given)
_CUES: list[tuple[str, tuple[str, ...]]] = [
    (r"信息处理费", ("fee_yuan",)),
    (r"办结|办理完毕|答复完毕|已答复|予以答复|办理完结", ("apps_done",)),
    (r"上年(?:度)?结转|上一年度结转|去年结转", ("apps_carried",)),
    (r"结转(?:至|到|入)?(?:下一?年度?|次年|下年度?|明年)|转入下一?年度?|继续办理", ("apps_forward",)),
    (r"复议", ("reviews",)),
    (r"诉讼|起诉", ("suits",)),
    (r"废止[^，。；]{0,8}规范性文件|规范性文件[^，。；]{0,6}废止", ("normative_repealed",)),
    (r"现行有效[^，。；]{0,8}规范性文件|规范性文件[^，。；]{0,6}现行有效", ("normative_valid",)),
    (r"(?:制发|印发|出台|制定|发布)[^，。；]{0,8}规范性文件|规范性文件[^，。；]{0,4}(?:制发|印发|出台)",
     ("normative_issued", "normative_made", "normative_published")),
    (r"(?:受理|新收|收到|接收|接到)[^，。；]{0,12}申请|申请[^，。；]{0,4}(?:受理|新收)", ("apps_new", "apps_total")),
    (r"自然人", ("apps_natural",)),
    (r"法人(?:或|和|及)?(?:其他组织)?", ("apps_legal",)),
    (r"予以公开|全部公开", ("apps_disclosed",)),
    (r"部分公开", ("apps_partial",)),
    (r"许可(?:决定)?", ("licenses",)),
    (r"处罚(?:决定)?", ("penalties",)),
    (r"强制(?:决定)?", ("enforcements",)),
]


def _bank_patterns(bank: Bank | None) -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
    """The bank's own sentences around numeric slots, as patterns: “办结政府信息公开申请(\\d+)件”."""
    if bank is None:
        return []
    cached = bank.cache.get("text_table_patterns")
    if cached is not None:
        return cached
    out: dict[str, tuple[str, ...]] = {}
    for v in bank.variants:
        for m in SLOT_RE.finditer(v.text):
            name = m.group(1)
            b = BOUND.get(name)
            if b is None or b.type not in ("int", "money"):
                continue
            before = v.text[: m.start()]
            cuts = [x.end() for x in _BOUNDARY.finditer(before)]
            cut = cuts[-1] if cuts else 0
            if len(before) - cut < 3 and len(cuts) >= 2:  # “……信息处理费，共计{fee_yuan}元”
                cut = cuts[-2]
            prefix = before[cut:]
            prefix = SLOT_RE.split(prefix)[-1]  # nothing before another slot
            prefix = prefix[-10:]
            unit = re.match(r"(万元|元|件|起|宗|个|份)", v.text[m.end():])
            if len(prefix) < 3 or not unit:
                continue
            out.setdefault(re.escape(prefix) + _NUMBER + re.escape(unit.group(1)), (name,))
    pats = [(re.compile(p), names) for p, names in out.items()]
    bank.cache["text_table_patterns"] = pats
    return pats


def _num(s: str) -> Decimal | None:
    s = s.replace(",", "").replace("，", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return Decimal(s)
    n = cn_to_int(s)
    return Decimal(n) if n is not None else None


def _core_reported(report: Report) -> set[tuple[str, str]]:
    return {(f.anchor, f.found) for f in core.check(report, only={"TEXT-TABLE"})}


def _text_table(report: Report, bank: Bank | None) -> Iterator[Finding]:
    vals = values(report)
    cues = [(re.compile(c), names) for c, names in _CUES]
    exact = _bank_patterns(bank)
    core_seen = _core_reported(report)
    spec = report.spec
    num_re = re.compile(_NUMBER + _UNIT)
    for place, text, section, anchor in core._texts(report):
        reported: set[tuple[int, int]] = set()
        # 1. the bank's own sentences
        for pat, names in exact:
            for m in pat.finditer(text):
                said = _num(m.group(1))
                f = _judge(report, vals, spec, names, said, "", place, text, m.start(), m.end(), section, anchor,
                           core_seen)
                reported.add(m.span(1))
                if f is not None:
                    yield f
        # 2. a number with a unit after a cue word in the same clause
        for m in num_re.finditer(text):
            if any(a <= m.start() < b for a, b in reported):
                continue
            if text[m.end():m.end() + 1] == "年":
                continue
            cuts = [x.end() for x in _BOUNDARY.finditer(text, 0, m.start())]
            start = cuts[-1] if cuts else 0
            clause = text[start:m.start()]
            if _TREND.search(clause[-8:]) or clause.endswith(("第", "约", "近", "超", "逾")):
                continue
            best = _cue(cues, clause)
            if best is None and len(clause) <= 6 and len(cuts) >= 2 and text[start - 1] in "，,":
                # “收取信息处理费，共计380元”: the cue is in the clause before
                start = cuts[-2]
                clause = text[start:m.start()]
                best = _cue(cues, clause)
            if best is None or len(clause) - best[0] > 14:
                continue
            said = _num(m.group(1))
            f = _judge(report, vals, spec, best[1], said, m.group(2), place, text, start, m.end(), section, anchor,
                       core_seen)
            if f is not None:
                yield f


def _cue(cues: list[tuple[re.Pattern[str], tuple[str, ...]]], clause: str) -> tuple[int, tuple[str, ...]] | None:
    """The cue nearest to the end of ``clause``: (its end, the slots it points to)."""
    best: tuple[int, tuple[str, ...]] | None = None
    for cre, names in cues:
        for cm in cre.finditer(clause):
            if best is None or cm.end() > best[0]:
                best = (cm.end(), names)
    return best


def _judge(report: Report, vals: dict[str, Any], spec: Any, names: tuple[str, ...], said: Decimal | None, unit: str,
           place: str, text: str, a: int, b: int, section: int, anchor: str,
           core_seen: set[tuple[str, str]]) -> Finding | None:
    if said is None:
        return None
    if unit == "万元" and "fee_yuan" in names:
        said = said * 10000
    known = [(n, vals.get(n)) for n in names if vals.get(n) is not None]
    if not known or any(Decimal(v) == said for _, v in known):
        return None
    found = format(said.normalize(), "f") if said != said.to_integral_value() else str(int(said))
    if (anchor, found) in core_seen:
        return None
    name, v = known[0]
    desc = BOUND[name].spec(spec).label
    snippet = text[a:b].strip()
    return Finding("TEXT-TABLE-2", "warning", f"{place}：文字说“{snippet}”，但{desc}为{v}，请核对",
                   where=place, expected=str(v), found=found, cells=slot_cells(name, report), section=section,
                   anchor=anchor,
                   extra={"slot": name})


@_safe
def check_phrases(report: Report, bank: Bank | None = None) -> list[Finding]:
    """``UNFILLED-SLOT`` and ``TEXT-TABLE-2`` findings for ``report``'s narrative."""
    return [*_unfilled(report), *_text_table(report, bank)]
