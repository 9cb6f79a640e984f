"""Ranking phrase-bank variants for a query (BM25 over the bank itself).

Order of operations: filter by section, agency kind, format and the variant's
conditions on the report's figures (a variant whose conditions are false is never
offered) -> score by BM25 relevance -> demote (never hide) variants used in last
year's report -> fill the top ones with the report's figures.

The statistics are built once per loaded bank from each variant's text plus its
move's name, title, theme and tags, tokenised with :mod:`.segment` (search mode).
"""

from __future__ import annotations

import math
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model import Report
from .bank import SECTION_KEYS, SECTION_NUMBER, Bank, Variant, parse_section
from .conditions import all_hold
from .slots import SLOT_RE, SlotSpec, Value, fill, values

K1 = 1.2
B = 0.5
#: weight of the move's name/title/theme/tags relative to the variant text
META_WEIGHT = 2
#: score factor for a variant used in last year's report
USED_BEFORE_FACTOR = 0.5
#: a query word that is not a token of any entry but occurs inside entries' text
SUBSTRING_FACTOR = 0.5


@dataclass
class Suggestion:
    section: str  # bank section key (opening, overview, problems, measures, rectification, other)
    move: str  # move id
    move_name: str
    id: str  # variant id
    text: str  # filled text (missing slots shown as 【label】)
    score: float
    #: slots still without a value (free slots to ask the user; bound ones whose figure is unknown)
    missing: list[SlotSpec] = field(default_factory=list)
    title: str = ""  # the move's suggested sub-part title
    theme: str = ""
    note: str = ""
    used_before: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"section": self.section, "move": self.move, "id": self.id, "text": self.text,
                "score": round(self.score, 4)}


@dataclass
class _Index:
    variants: list[Variant]
    postings: dict[str, list[tuple[int, float]]]
    haystacks: list[str]
    tags: list[frozenset[str]]
    median_idf: float
    #: every name used in a condition (the eligibility cache key is their values)
    cond_names: tuple[str, ...] = ()
    #: eligibility cache: (sections, move, kind, format, strict, condition values) -> indices
    eligible_cache: dict[tuple, list[int]] = field(default_factory=dict)


_build_lock = threading.Lock()


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).lower()


def index(bank: Bank) -> _Index:
    """The BM25 statistics of ``bank`` (built once, cached on the bank)."""
    idx = bank.cache.get("bm25")
    if idx is not None:
        return idx
    with _build_lock:
        idx = bank.cache.get("bm25")
        if idx is not None:
            return idx
        from .segment import tokens

        variants = bank.variants
        meta_tokens: dict[str, list[str]] = {}
        docs: list[Counter[str]] = []
        hay: list[str] = []
        tagsets: list[frozenset[str]] = []
        for v in variants:
            m = v.move
            if m.id not in meta_tokens:
                words = [m.name, m.title, m.theme, *m.tags]
                mt = [t for w in words if w for t in tokens(w, search=True)]
                mt += [_norm(t) for t in m.tags]
                meta_tokens[m.id] = mt
            c: Counter[str] = Counter(tokens(v.text, search=True))
            for t in meta_tokens[m.id]:
                c[t] += META_WEIGHT
            for tag in v.tags:
                for t in {*tokens(tag, search=True), _norm(tag)}:
                    c[t] += 1
            docs.append(c)
            tagsets.append(frozenset(_norm(t) for t in (*m.tags, *v.tags)))
            hay.append(_norm(" ".join((SLOT_RE.sub("", v.text), m.name, m.title, m.theme, *m.tags, *v.tags))))
        n = len(docs)
        lengths = [sum(c.values()) for c in docs]
        avg = (sum(lengths) / n) if n else 1.0
        df: Counter[str] = Counter()
        for c in docs:
            df.update(c.keys())
        idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        postings: dict[str, list[tuple[int, float]]] = {}
        for i, c in enumerate(docs):
            norm = K1 * (1 - B + B * lengths[i] / avg)
            for t, tf in c.items():
                postings.setdefault(t, []).append((i, idf[t] * tf * (K1 + 1) / (tf + norm)))
        vals = sorted(idf.values())
        median = vals[len(vals) // 2] if vals else 1.0
        cond_names = tuple(sorted({c.slot for v in variants for c in v.conditions}))
        idx = _Index(variants, postings, hay, tagsets, median, cond_names)
        bank.cache["bm25"] = idx
        return idx


def _sections(section: str | Iterable[str] | None) -> set[str] | None:
    """Bank section keys; Chinese names (开头语, 一, 五, 问题, 改进, 整改, 六 …) are accepted
    too (ValueError with a Chinese message for an unknown one)."""
    if section is None:
        return None
    names = [section] if isinstance(section, str) else list(section)
    out: set[str] = set()
    for name in names:
        if name in SECTION_KEYS:
            out.add(name)
        else:

            out.update(parse_section(name))
    return out


def eligible(v: Variant, vals: dict[str, Value], kind: str | frozenset[str] | None, fmt: str | None,
             strict: bool) -> bool:
    """May ``v`` be offered?  ``strict`` (a report is known): unknown figures hide it.
    ``kind``: the agency's kind, or the set of kinds it counts as (Agency.kinds)."""
    kinds = frozenset() if kind is None else frozenset({kind}) if isinstance(kind, str) else kind
    if v.kinds and (strict or kind is not None) and not kinds & set(v.kinds):
        return False
    if strict:
        return all_hold(v.conditions, vals)
    for c in v.conditions:
        if c.slot == "format" and fmt is not None and not c.holds({"format": fmt}):
            return False
        if c.slot == "kind" and kind is not None and not c.holds({"kind": kind}):
            return False
    return True


def previous_used(report: Report | None) -> set[str]:
    if report is None:
        return set()
    return set(report.meta.previous.phrases_used)


def suggest(bank: Bank, query: str | Iterable[str] = "", report: Report | None = None,
            section: str | Iterable[str] | None = None, top: int = 10, used_before: set[str] | None = None,
            answers: dict[str, Any] | None = None, *, kind: str | None = None,
            format_version: str | None = None, move: str | None = None) -> list[Suggestion]:
    """The ``top`` best variants for ``query`` (words or a phrase; empty: typical order).

    ``report`` fills the slots and filters by conditions (without a report every variant
    is offered, filtered only by ``kind``/``format_version`` if given); ``section`` is a
    bank section key or several; ``move`` restricts to one move ("other ways to say
    this"); ``used_before`` adds variant ids to demote (last year's
    ``report.meta.previous.phrases_used`` are always demoted)."""
    idx = index(bank)
    secs = _sections(section)
    vals = values(report, answers)
    strict = report is not None
    if strict:
        assert report is not None
        kind = report.agency.kinds or None  # a 乡镇人民政府 also gets the 人民政府 moves
        format_version = report.format_version
    used = previous_used(report) | set(used_before or ())
    key = (frozenset(secs) if secs is not None else None, move, kind, format_version, strict,
           tuple(vals.get(n) for n in idx.cond_names))
    ok = idx.eligible_cache.get(key)
    if ok is None:
        ok = [i for i, v in enumerate(idx.variants)
              if (secs is None or v.move.section in secs) and (move is None or v.move.id == move)
              and eligible(v, vals, kind, format_version, strict)]
        if len(idx.eligible_cache) >= 256:
            idx.eligible_cache.clear()
        idx.eligible_cache[key] = ok
    q = query if isinstance(query, str) else " ".join(query)
    scored: list[tuple[float, int]]
    if q.strip():
        from .segment import tokens

        qt = list(dict.fromkeys(tokens(q, search=True)))
        # a query made only of stopwords (e.g. “无”): match the typed words literally
        literal = not qt
        if literal:
            qt = list(dict.fromkeys(_norm(w) for w in q.split()))
        okset = set(ok)
        acc: dict[int, float] = {}
        for t in qt:
            plist = idx.postings.get(t)
            if plist is not None and not literal:
                for i, w in plist:
                    if i in okset:
                        acc[i] = acc.get(i, 0.0) + w
            elif len(t) >= 2 or literal:
                w = idx.median_idf * SUBSTRING_FACTOR
                for i in ok:
                    if t in idx.haystacks[i]:
                        # a word that is exactly one of the entry's tags counts more
                        bonus = 3.0 if t in idx.tags[i] else 1.0
                        acc[i] = acc.get(i, 0.0) + w * bonus
        scored = []
        for i, s in acc.items():
            if idx.variants[i].id in used:
                s *= USED_BEFORE_FACTOR
            scored.append((s, i))
        scored.sort(key=lambda x: (-x[0], x[1]))
    else:
        scored = _default_order(idx, ok, used)
    out: list[Suggestion] = []
    for s, i in scored[: max(top, 0)]:
        v = idx.variants[i]
        f = fill(v, report, answers, vals)
        m = v.move
        out.append(Suggestion(m.section, m.id, m.name, v.id, f.text, s, f.missing, m.title, m.theme, v.note,
                              v.id in used))
    return out


def _default_order(idx: _Index, ok: list[int], used: set[str]) -> list[tuple[float, int]]:
    """No query: moves in section order (required first, then typical order); one
    variant per move in turn, variants not used last year first."""
    order = {k: n for n, k in enumerate(SECTION_KEYS)}
    by_move: dict[str, list[int]] = {}
    for i in ok:
        by_move.setdefault(idx.variants[i].move.id, []).append(i)
    moves = sorted(by_move, key=lambda mid: (
        order[idx.variants[by_move[mid][0]].move.section], SECTION_NUMBER[idx.variants[by_move[mid][0]].move.section],
        not idx.variants[by_move[mid][0]].move.required, idx.variants[by_move[mid][0]].move.order, mid))
    queues = {mid: sorted(by_move[mid], key=lambda i: (idx.variants[i].id in used, i)) for mid in moves}
    ranked: list[int] = []
    depth = 0
    while len(ranked) < len(ok):
        for mid in moves:
            if depth < len(queues[mid]):
                ranked.append(queues[mid][depth])
        depth += 1
    out = []
    for n, i in enumerate(ranked):
        s = 1.0 / (1 + n)
        if idx.variants[i].id in used:
            s *= USED_BEFORE_FACTOR
        out.append((s, i))
    return out
