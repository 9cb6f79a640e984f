"""内容雷同: how much of this year's narrative repeats last year's (or another) text.

Sentence-level matching on word shingles: both texts are split into sentences,
numbers are masked (a copied sentence with only the year or a figure changed is
still a copy), each sentence is tokenised with jieba and turned into the set of its
3-token shingles; a sentence counts as repeated if its Jaccard similarity with some
sentence of the other text is at least ``SENTENCE_THRESHOLD``.  The figure is the share
of characters (of the non-blank sentences) that are in repeated sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Narrative, Report
from ..text import sentences as sentences_of

SENTENCE_THRESHOLD = 0.8
SHINGLE = 3
_NUM = re.compile(r"\d+(?:[.,，]\d+)*|[零〇一二两三四五六七八九十百千万]+(?=[件个条项次人元])")


@dataclass
class Sentence:
    place: str
    text: str
    shingles: frozenset[tuple[str, ...]]
    weight: int  # characters counted

    @property
    def empty(self) -> bool:
        return not self.shingles


@dataclass
class Match:
    place: str
    sentence: str
    other: str  # the most similar sentence of the other text
    score: float


@dataclass
class Similarity:
    percent: float  # share of characters in repeated sentences, 0–100
    repeated_chars: int
    total_chars: int
    #: per place (e.g. 一、总体情况 第2部分): (percent, repeated chars, chars)
    by_place: dict[str, tuple[float, int, int]] = field(default_factory=dict)
    repeated: list[Match] = field(default_factory=list)

    @property
    def worst_place(self) -> str:
        """The place with the most repeated characters ("" if nothing repeats)."""
        best = max(self.by_place.items(), key=lambda kv: (kv[1][1], kv[1][0]), default=None)
        return best[0] if best and best[1][1] > 0 else ""


def _shingles(text: str) -> frozenset[tuple[str, ...]]:
    from .segment import raw_tokens

    masked = _NUM.sub("#", text)
    toks = [t for t in raw_tokens(masked) if re.search(r"\w|#", t)]
    if len(toks) < SHINGLE:
        return frozenset({tuple(toks)}) if toks else frozenset()
    return frozenset(tuple(toks[i:i + SHINGLE]) for i in range(len(toks) - SHINGLE + 1))


def sentences(texts: list[tuple[str, str]]) -> list[Sentence]:
    out = []
    for place, text in texts:
        for span in sentences_of(text):
            s = span.text
            weight = len(re.sub(r"\s", "", s))
            out.append(Sentence(place, s, _shingles(s), weight))
    return out


def _texts_of(x: Report | Narrative | str | list[tuple[str, str]]) -> list[tuple[str, str]]:
    if isinstance(x, Report):
        return x.narrative.texts()
    if isinstance(x, Narrative):
        return x.texts()
    if isinstance(x, str):
        return [("全文", x)]
    return list(x)


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter) if inter else 0.0


def similarity(this: Report | Narrative | str | list[tuple[str, str]],
               other: Report | Narrative | str | list[tuple[str, str]],
               threshold: float = SENTENCE_THRESHOLD) -> Similarity:
    """Share of ``this``'s narrative repeated from ``other`` (see module doc)."""
    mine = sentences(_texts_of(this))
    theirs = [s for s in sentences(_texts_of(other)) if not s.empty]
    # inverted index: shingle -> sentences of the other text having it
    inv: dict[tuple[str, ...], list[int]] = {}
    for j, s in enumerate(theirs):
        for sh in s.shingles:
            inv.setdefault(sh, []).append(j)
    total = repeated = 0
    by_place: dict[str, list[int]] = {}
    matches: list[Match] = []
    for s in mine:
        total += s.weight
        acc = by_place.setdefault(s.place, [0, 0])
        acc[1] += s.weight
        if s.empty:
            continue
        cands: dict[int, int] = {}
        for sh in s.shingles:
            for j in inv.get(sh, ()):
                cands[j] = cands.get(j, 0) + 1
        best, best_j = 0.0, -1
        for j, inter in cands.items():
            o = theirs[j].shingles
            score = inter / (len(s.shingles) + len(o) - inter)
            if score > best:
                best, best_j = score, j
        if best >= threshold:
            repeated += s.weight
            acc[0] += s.weight
            matches.append(Match(s.place, s.text, theirs[best_j].text, best))
    pct = 100.0 * repeated / total if total else 0.0
    places = {p: (100.0 * a / b if b else 0.0, a, b) for p, (a, b) in by_place.items()}
    return Similarity(pct, repeated, total, places, matches)
