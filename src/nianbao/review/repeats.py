"""内容雷同 across a folder: repeated narrative between years of one agency and between agencies.

Each report's narrative (the 开头语 left out, as in the ``COPY-RATE`` rule) is cut into
sentences with :func:`nianbao.text.sentences`.  A sentence is normalised — NFKC, its
numbering (（一）, 1., 一是) dropped, the agency's own name and self-references (本局, 我镇 …)
made alike, every number and year masked, punctuation and spaces removed — and hashed to a
64-bit key (blake2b, the same in every process).  Its clauses (cut where
:func:`nianbao.text.clauses` cuts) are keyed the same way, for near-duplicates: a sentence
with a word changed still counts as repeated when most of its characters are in clauses
the other report has.

The search is linear in sentences: an index key → reports gives, within each year, the
pairs of reports that share sentences (a sentence that very many reports of the year use,
see :data:`PAIR_CAP`, is common phrasing and makes no pairs), and only those candidate
pairs, and the consecutive years of each agency, are measured.  Shares are by characters (normalised)
of the sentences that count, as in ``COPY-RATE``.

Excluded from every share (the *boilerplate*): the labels and headings of the official
formats (:mod:`nianbao.formats`), and sentences that a large part of the folder's agencies
share (:func:`boilerplate`).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations, pairwise

from ..formats import all_specs
from ..model import Report
from ..text import CLAUSE_BOUNDARY, sentences

#: a sentence shorter than this (normalised characters) is not compared (headings, 无)
MIN_CHARS = 8
#: a clause shorter than this does not count towards a near-duplicate
MIN_CLAUSE = 4
#: a sentence is a near-duplicate when this share of its characters is in shared clauses
NEAR = 0.7
#: boilerplate: sentences used by at least this share of the folder's agencies …
BOILERPLATE_SHARE = 0.5
#: … and by at least this many of them
BOILERPLATE_MIN = 5
#: a sentence used by more reports of one year than ``max(PAIR_CAP, PAIR_BUDGET // reports)``
#: does not make pairs of them (it still counts in their shares): the pairs counted stay
#: below about PAIR_BUDGET × sentences per report / 2, whatever the size of the folder
PAIR_CAP = 20
PAIR_BUDGET = 200_000
#: a pair of different agencies is reported from this share on (the ``COPY-RATE`` threshold)
MIN_SHARE = 0.3
#: … and when they share at least this many characters
MIN_SHARED_CHARS = 40
#: how many shared sentences a pair shows
EXAMPLES = 3
#: how many of the reports using a common sentence the summary names
COMMON_USERS = 5

_ENUM = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．]|"
                   r"\d+\s*[、.．)）](?!\d)|[一二三四五六七八九十]+是)\s*")
_NUM = re.compile(r"\d+(?:[.,]\d+)*%?|[零〇一二两三四五六七八九十百千万亿]+"
                  r"(?=[年月日号件个条项次人元万余份家场期篇批类名位]|是)")
_SELF = re.compile(r"[本我该](?:局|镇|乡|办|委|厅|院|所|站|街道|区|县|市|单位|部门|机关|中心)")
_DROP = re.compile(r"[\W_]+")
#: where clauses end (the boundaries of :func:`nianbao.text.clauses`, after NFKC)
_CLAUSE_END = re.compile("[" + re.escape("".join(dict.fromkeys(
    CLAUSE_BOUNDARY + unicodedata.normalize("NFKC", CLAUSE_BOUNDARY)))) + "]")


def _masked(text: str, names: Sequence[str]) -> str:
    t = _ENUM.sub("", unicodedata.normalize("NFKC", text), count=1)
    for n in names:
        if n:
            t = t.replace(n, "本单位")
    t = _SELF.sub("本单位", t)
    return _NUM.sub("0", t)


def normalise(text: str, names: Sequence[str] = ()) -> str:
    """The comparable core of a sentence (see the module doc).  ``names``: the agency's own
    names (NFKC), replaced by one placeholder."""
    return _DROP.sub("", _masked(text, names))


def normalise_clauses(text: str, names: Sequence[str] = ()) -> list[str]:
    """The normalised clauses of a sentence; joined, they are :func:`normalise` of it."""
    return [_DROP.sub("", c) for c in _CLAUSE_END.split(_masked(text, names))]


def key_of(norm: str) -> int:
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "big")


@dataclass
class Fingerprint:
    """One report's sentences as keys: sentence ``i`` has key ``keys[i]``, ``chars[i]``
    normalised characters, the text ``texts[i]``, and the clauses
    ``ckeys[cstart[i]:cstart[i + 1]]`` (with their ``cchars``)."""

    keys: array = field(default_factory=lambda: array("Q"))
    chars: array = field(default_factory=lambda: array("I"))
    texts: list[str] = field(default_factory=list)
    ckeys: array = field(default_factory=lambda: array("Q"))
    cchars: array = field(default_factory=lambda: array("I"))
    cstart: array = field(default_factory=lambda: array("I", [0]))

    def __len__(self) -> int:
        return len(self.keys)

    def clause_range(self, i: int) -> range:
        return range(self.cstart[i], self.cstart[i + 1])


def agency_names(report: Report) -> list[str]:
    """The agency's own names as they may stand in its text (NFKC, longest first)."""
    out = {unicodedata.normalize("NFKC", x).strip() for x in (report.agency.name, report.signoff.agency)}
    return sorted((x for x in out if len(x) >= 3), key=len, reverse=True)


def fingerprint(report: Report) -> Fingerprint:
    """The sentences of ``report``'s narrative that are compared (the 开头语 left out)."""
    fp = Fingerprint()
    names = agency_names(report)
    for _place, text, _section, anchor in report.narrative.items():
        if anchor == "opening":
            continue
        for span in sentences(text):
            parts = normalise_clauses(span.text, names)
            norm = "".join(parts)
            if len(norm) < MIN_CHARS:
                continue
            fp.keys.append(key_of(norm))
            fp.chars.append(len(norm))
            fp.texts.append(span.text)
            for cn in parts:
                if len(cn) >= MIN_CLAUSE:
                    fp.ckeys.append(key_of(cn))
                    fp.cchars.append(len(cn))
            fp.cstart.append(len(fp.ckeys))
    return fp


@cache
def official_keys() -> frozenset[int]:
    """Keys of the fixed wording of the official formats: headings, themes, labels, notes."""
    texts: set[str] = set()
    for spec in all_specs():
        texts.update((spec.title, spec.notice))
        for s in spec.sections:
            texts.add(s.heading)
            texts.update(s.core)
        for theme in spec.overview_themes:
            texts.update((theme, f"{theme}情况", f"{theme}工作", f"{theme}工作情况"))
        for t in spec.tables:
            for b in t.blocks:
                texts.update((b.caption, b.corner))
                for r in b.rows:
                    texts.update((r.label, *r.groups, *r.aliases))
                for c in b.columns:
                    texts.update((c.label, *c.groups))
    out = set()
    for x in texts:
        n = normalise(x)
        if n:
            out.add(key_of(n))
    return frozenset(out)


# ---- the folder -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    """What the search needs to know of one readable report."""

    index: int  # the report's row
    agency: str | None  # normalised agency identity (None: unknown, never grouped)
    year: int | None
    fp: Fingerprint


@dataclass
class Repeat:
    """``b``'s narrative repeats ``a``'s: ``share`` of it (by characters).  For one agency, ``a``
    is the earlier year and ``b`` the later; for two agencies of one year, ``share`` is the
    larger of the two directions (``share_a``: of ``a``'s text found in ``b``; ``share_b``:
    the reverse) and the examples come from that side."""

    a: int
    b: int
    same_agency: bool
    share: float
    share_a: float
    share_b: float
    shared_chars: int
    chars_a: int
    chars_b: int
    examples: list[str]
    #: one agency, an earlier year (``a``) and a later one (``b``)
    cross_year: bool = False


@dataclass
class Common:
    """A sentence many agencies share, for the summary (``counted``: not boilerplate)."""

    text: str
    agencies: int
    #: a few of the reports that use it (row indices)
    users: list[int] = field(default_factory=list)
    counted: bool = True


@dataclass
class Overlap:
    repeated: int  # characters of ``mine`` repeated from the other
    total: int  # characters of ``mine`` that count
    sentences: list[int]  # the repeated sentences of ``mine``


def overlap(mine: Fingerprint, other: Fingerprint, skip: frozenset[int] | set[int]) -> Overlap:
    """How much of ``mine`` repeats ``other``: sentences with the same key, or whose clauses
    (two or more) are for :data:`NEAR` of their characters in ``other``."""
    okeys = set(other.keys)
    oclauses = set(other.ckeys)
    rep = total = 0
    which: list[int] = []
    for i, (k, c) in enumerate(zip(mine.keys, mine.chars, strict=True)):
        if k in skip:
            continue
        total += c
        if k in okeys:
            rep += c
            which.append(i)
            continue
        rng = mine.clause_range(i)
        if len(rng) < 2:
            continue
        shared = sum(mine.cchars[j] for j in rng if mine.ckeys[j] in oclauses)
        if shared >= NEAR * c:
            rep += c
            which.append(i)
    return Overlap(rep, total, which)


def boilerplate(units: Sequence[Unit]) -> tuple[set[int], list[Common]]:
    """The keys no share counts: the official wording, and sentences used by at least
    :data:`BOILERPLATE_SHARE` of the agencies (and :data:`BOILERPLATE_MIN` of them).  Also
    returns the most shared sentences with how many agencies use them (at least two)."""
    by_agency: dict[object, set[int]] = defaultdict(set)
    for u in units:
        by_agency[u.agency if u.agency is not None else ("#", u.index)].update(u.fp.keys)
    users: Counter[int] = Counter()
    for keys in by_agency.values():
        users.update(keys)
    floor = max(BOILERPLATE_MIN, math.ceil(BOILERPLATE_SHARE * len(by_agency)))
    official = official_keys()
    skip = set(official)
    skip.update(k for k, n in users.items() if n >= floor)
    top = [(n, k) for k, n in users.most_common(len(official) + 20) if n >= 2 and k not in official][:20]
    wanted = {k for _, k in top}
    sample: dict[int, str] = {}
    who: dict[int, list[int]] = defaultdict(list)
    for u in units:
        for k, t in zip(u.fp.keys, u.fp.texts, strict=True):
            if k in wanted:
                sample.setdefault(k, t)
                if len(who[k]) < COMMON_USERS and u.index not in who[k]:
                    who[k].append(u.index)
    common = [Common(sample[k], n, who[k], k not in skip) for n, k in sorted(top, key=lambda x: (-x[0], sample[x[1]]))]
    return skip, common


def _examples(fp: Fingerprint, which: list[int]) -> list[str]:
    """The longest repeated sentences, in document order."""
    best = sorted(sorted(which, key=lambda i: -fp.chars[i])[:EXAMPLES])
    return [fp.texts[i] for i in best]


def _share(o: Overlap) -> float:
    return o.repeated / o.total if o.total else 0.0


def _measure(a: Unit, b: Unit, skip: set[int], same: bool) -> Repeat:
    ab, ba = overlap(a.fp, b.fp, skip), overlap(b.fp, a.fp, skip)
    sa, sb = _share(ab), _share(ba)
    if same:  # one agency: the later year's share of text repeated from the earlier
        share, side, fp = sb, ba, b.fp
    elif sa > sb:
        share, side, fp = sa, ab, a.fp
    else:
        share, side, fp = sb, ba, b.fp
    return Repeat(a.index, b.index, same, share, sa, sb, side.repeated, ab.total, ba.total,
                  _examples(fp, side.sentences), cross_year=same)


def across_years(units: Sequence[Unit], skip: set[int]) -> list[Repeat]:
    """Every agency with several years: each year against its nearest earlier year in the folder."""
    by_agency: dict[str, dict[int, list[Unit]]] = defaultdict(lambda: defaultdict(list))
    for u in units:
        if u.agency is not None and u.year is not None:
            by_agency[u.agency][u.year].append(u)
    out = []
    for years in by_agency.values():
        ys = sorted(years)
        for prev, cur in pairwise(ys):
            for b in years[cur]:
                for a in years[prev]:
                    out.append(_measure(a, b, skip, same=True))
    return out


def within_years(units: Sequence[Unit], skip: set[int], min_share: float = MIN_SHARE) -> list[Repeat]:
    """Pairs of reports of one year (of different agencies, or two files of one agency) that
    share at least ``min_share`` of the narrative of one of them."""
    by_year: dict[int | None, list[Unit]] = defaultdict(list)
    for u in units:
        by_year[u.year].append(u)
    out: list[Repeat] = []
    for group in by_year.values():
        out.extend(_pairs(group, skip, min_share))
    return out


def _pairs(group: list[Unit], skip: set[int], min_share: float) -> Iterable[Repeat]:
    """Candidates from the index (pairs sharing sentences, counted), then measured."""
    index: dict[int, list[int]] = defaultdict(list)
    counts = []
    for n, u in enumerate(group):
        keys = set(u.fp.keys)
        keys.difference_update(skip)
        counts.append(len(keys))
        for k in keys:
            index[k].append(n)
    shared: Counter[tuple[int, int]] = Counter()
    cap = max(PAIR_CAP, PAIR_BUDGET // max(1, len(group)))
    for members in index.values():
        # a sentence of one report, or common phrasing of very many: no pairs
        if 2 <= len(members) <= cap:
            shared.update(combinations(members, 2))
    for (i, j), n in shared.items():
        if n < 2 or n < 0.5 * min_share * min(counts[i], counts[j]):
            continue
        a, b = group[i], group[j]
        r = _measure(a, b, skip, same=False)
        r.same_agency = a.agency is not None and a.agency == b.agency
        if r.share >= min_share and r.shared_chars >= MIN_SHARED_CHARS:
            yield r
