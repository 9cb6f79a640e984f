"""The composer: 总体情况, 存在的主要问题及改进情况 and 其他需要报告的事项 written from the unit's own facts.

For each narrative area of the phrase bank (``phrasebank/areas.toml``: the lead paragraph
and the five areas of 一, 上年度问题整改情况, the problems and measures of 五, and 六) the
composer chooses the bank's moves that fit the report — the required ones, those the
report's figures suggest (``signals``), those whose facts the user gave, those the user's
notes speak of — and for each move one variant: never one whose conditions are false,
preferring wording tailored to the agency's kind, the facts the user answered, the notes,
and not last year's wording.  Slots are filled from the tables, the answers and the
agency; a fact nobody gave becomes a visible 〔待补：…〕, never an invented number.

The composer owns the structure: one titled part per area of 一 (numbered （一）（二）…
by the renderer, never a heading inside a paragraph), the problems each followed by the
measures that answer them, and "无其他需要报告的事项" only when 六 says nothing else.
Every sentence it writes is recorded as a :class:`nianbao.model.Piece`, so that a later
change of the figures flags a sentence that no longer holds (rule ``PHRASE-STALE``).

Headless: imports no textual, and jieba only when notes are given (to rank on them).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .findings import Finding
from .model import Part, Piece, Report
from .phrases.bank import Area, Bank, Move, Variant, load_bank
from .phrases.conditions import all_hold
from .phrases.pairs import problem_items
from .phrases.rank import eligible, previous_used
from .phrases.slots import SlotSpec, Value, fill, pending, values
from .rules import Ctx, rule, run
from .text import cn_numeral, sentences, split_heading

#: the report's sections the composer writes, by the names users type
SECTIONS: dict[str, tuple[str, ...]] = {
    "一": ("overview",), "五": ("rectification", "problems", "measures"), "六": ("other",),
}
SECTION_ALIASES = {"1": "一", "总体情况": "一", "5": "五", "问题": "五", "问题与改进": "五", "6": "六", "其他": "六"}

#: variants scoring within this much of the best count as fitting equally well
CLOSE = 1.2
#: a sentence this similar (character 3-grams, figures masked) to one of last year's counts as last year's wording
SIMILAR = 0.55
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Sentence:
    """One composed sentence (one bank variant, filled)."""

    variant: str
    move: str
    text: str
    #: the facts it still needs (labels shown as 〔待补：…〕)
    missing: tuple[str, ...] = ()
    #: the move's suggested title (the heading of a problem or a measure)
    title: str = ""


@dataclass
class AreaText:
    """What the composer wrote for one area."""

    area: Area
    sentences: list[Sentence] = field(default_factory=list)
    #: 五: the problems and their measures, each (title, sentence); the lead and closing in ``sentences``
    items: list[Sentence] = field(default_factory=list)
    #: 上年度问题整改情况 from last year's problems: the text as composed (not from the bank)
    extra: str = ""

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.sentences) + self.extra

    @property
    def missing(self) -> list[str]:
        out = [m for s in (*self.sentences, *self.items) for m in s.missing]
        out += re.findall(r"〔待补：([^〕]+)〕", self.extra)
        return list(dict.fromkeys(out))


@dataclass
class Result:
    """What :func:`compose` did: the areas it wrote, those it left (already written), and
    the facts still 待补."""

    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        if self.written:
            out.append(f"已撰写：{'、'.join(self.written)}")
        if self.kept:
            out.append(f"已有文字，未改动：{'、'.join(self.kept)}（要重新撰写请加 --replace）")
        if self.pending:
            out.append(f"待补的事实（文中标为〔待补：…〕）：{'；'.join(self.pending)}")
        return out


def _shingles(text: str) -> frozenset[str]:
    t = _DIGITS.sub("#", unicodedata.normalize("NFKC", text))
    t = re.sub(r"[\s，。；：、“”（）《》,.;:()]", "", t)
    return frozenset(t[i:i + 3] for i in range(max(0, len(t) - 2)))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def area_name(area: Area) -> str:
    """The Chinese name of an area for messages: its heading, or the section's name."""
    from .phrases.bank import SECTION_NAMES

    if area.title:
        return f"{SECTION_NAMES['overview']}·{area.title}"
    if area.section == "overview":
        return f"{SECTION_NAMES['overview']}·引言"
    return SECTION_NAMES[area.section]


class Composer:
    """Chooses and fills the bank's sentences for one report (build one per composition)."""

    def __init__(self, report: Report, bank: Bank | None = None, previous: Report | None = None,
                 notes: str | dict[str, str] | None = None) -> None:
        self.report = report
        self.bank = bank or load_bank(strict=False)
        self.previous = previous if previous is not None else _stored_previous(report)
        if isinstance(notes, str):
            self.notes = {a.key: notes for a in self.bank.areas} if notes.strip() else {}
        else:
            self.notes = {k: v for k, v in {**report.narrative.notes, **(notes or {})}.items() if v.strip()}
        #: the free-slot answers (the facts the user gave), as stored: text
        self.answers: dict[str, Any] = dict(report.meta.slots)
        self.vals: dict[str, Value] = values(report)
        self._derive()
        self.kinds = report.agency.kinds or None
        self.kind = report.agency.kind.value if report.agency.kind else ""
        self.fmt = report.format_version
        self.seed = report.agency.name.strip() or "nianbao"
        self.used_before = previous_used(report) | set(self.previous.meta.phrases_used if self.previous else ())
        self.prev_sentences = [_shingles(s.text) for s in self._previous_sentences()]
        self.taken: set[str] = set()  # variants already used in this composition
        self.paired: list[Sentence] = []  # 五: the measures answering the problems chosen
        self._relevance: dict[str, dict[str, float]] = {}

    # ---- inputs -----------------------------------------------------------------------------
    def _derive(self) -> None:
        """Facts the composer can work out itself (last year's number of problems)."""
        if self.previous is not None:
            n = len(problem_items(self.previous.narrative.problems))
            if n and self.vals.get("prev_problem_count") is None:
                self.vals["prev_problem_count"] = n
                self.answers["prev_problem_count"] = str(n)
        self.vals["has_previous"] = self.previous is not None or bool(self.vals.get("has_previous"))

    def _previous_sentences(self) -> list[Any]:
        if self.previous is None:
            return []
        return [s for _, t in self.previous.narrative.texts() for s in sentences(t, 6)]

    # ---- choosing ---------------------------------------------------------------------------
    def eligible(self, move: Move) -> list[Variant]:
        return [v for v in move.variants if eligible(v, self.vals, self.kinds, self.fmt, True)]

    def answered(self, spec: SlotSpec) -> bool:
        v = self.vals.get(spec.name)
        return v is not None and not (isinstance(v, str) and not v.strip())

    def _similar_to_last_year(self, text: str) -> bool:
        sh = _shingles(text)
        return any(_jaccard(sh, p) >= SIMILAR for p in self.prev_sentences)

    def relevance(self, area: Area) -> dict[str, float]:
        """Move id -> how well the move matches the user's notes for the area (0–1)."""
        notes = self.notes.get(area.key, "").strip()
        if not notes:
            return {}
        if area.key not in self._relevance:
            from .phrases.rank import suggest

            found = suggest(self.bank, notes, self.report, section=area.section, top=40)
            best = max((s.score for s in found), default=0.0) or 1.0
            out: dict[str, float] = {}
            for s in found:
                out[s.id] = max(out.get(s.id, 0.0), s.score / best)
                out[s.move] = max(out.get(s.move, 0.0), s.score / best)
            self._relevance[area.key] = out
        return self._relevance[area.key]

    def score(self, v: Variant, area: Area) -> float:
        free = v.free_slots
        missing = [s for s in free if not self.answered(s)]
        # a fact is stated by the text ({n}), or by a condition on it (n == 0: “未开展…”)
        on_facts = {c.slot for c in v.conditions if c.slot in self.bank.slots and self.vals.get(c.slot) is not None}
        zero = [s for s in free if not missing and str(self.vals.get(s.name, "")).strip() in ("0", "0.0")]
        s = 0.0
        if (free and not missing and not zero) or on_facts:
            s += 2.5  # states the facts the user gave
        elif any(x.type in ("int", "money", "percent") for x in free) and not zero:
            s += 0.8  # states figures: better a visible 〔待补〕 than a sentence with no figure
        for x in missing:
            s -= 0.4 if x.type in ("int", "money", "percent") else 1.5
        if zero:
            s -= 1.0  # “开展检查0次”: a zero wording says it better
        if v.kinds:
            # worded for this kind of agency; a 乡镇人民政府 counts as 人民政府 too (for the
            # 考核/评议/追究 moves), but wording for county governments is its last choice
            s += 1.0 if self.kind in v.kinds else -3.0
        if v.register == "short" and self.kinds and "乡镇街道" in self.kinds:
            s += 0.3
        if v.id in self.used_before:
            s -= 4.0
        s += 2.0 * self.relevance(area).get(v.id, 0.0)
        return s

    def sentence(self, v: Variant) -> Sentence:
        f = fill(v, self.report, self.answers, self.vals, marker=pending)
        return Sentence(v.id, v.move.id, f.text, tuple(s.label for s in f.missing), v.move.title)

    def best(self, move: Move, area: Area, exclude: Iterable[str] = ()) -> Sentence | None:
        """The variant of ``move`` to write: among those that fit about as well as the best
        (within ``CLOSE``), one chosen by a stable per-agency hash, so that sibling units
        starting from the same bank do not write the same text."""
        skip = set(exclude) | self.taken
        scored = sorted(((self.score(v, area), v) for v in self.eligible(move) if v.id not in skip),
                        key=lambda x: (-x[0], x[1].id))
        fresh = [x for x in scored if not self._similar_to_last_year(self.sentence(x[1]).text)]
        pool = fresh or scored
        if not pool:
            return None
        top = pool[0][0]
        close = [v for s, v in pool if s >= top - CLOSE]
        h = hashlib.sha256(f"{self.seed}|{move.id}".encode()).digest()
        pick = close[int.from_bytes(h[:4], "big") % len(close)]
        self.taken.add(pick.id)
        return self.sentence(pick)

    def alternatives(self, variant_id: str) -> list[Sentence]:
        """Other ways of saying the same move that fit the report (best first), for a key that
        cycles them."""
        v = self.bank.variant_index.get(variant_id)
        if v is None:
            return []
        area = self.area_of(v.move)
        ranked = sorted((x for x in self.eligible(v.move) if x.id != variant_id), key=lambda x: -self.score(x, area))
        return [self.sentence(x) for x in ranked]

    def area_of(self, move: Move) -> Area:
        for a in self.bank.areas:
            if a.section == move.section and (a.section != "overview" or move.theme in a.themes):
                return a
        return Area("", move.section, "", (), (), 4)

    # ---- moves of an area -------------------------------------------------------------------------
    def _move_priority(self, m: Move, area: Area, variants: list[Variant]) -> int | None:
        """0 required, 1 suggested by the figures, 2 its facts were given, 3 the notes speak of
        it, 4 it restates figures of the tables that hold (六's 信息处理费); None: not
        suggested by anything in the report."""
        if m.required:
            return 0
        if m.signalled(self.vals):
            return 1
        if any(v.free_slots and all(self.answered(s) for s in v.free_slots) for v in variants):
            return 2
        if self.relevance(area).get(m.id, 0.0) >= 0.5:
            return 3
        if area.section == "other" and any(_on_figures(v) for v in variants):
            return 4
        return None

    def moves(self, area: Area) -> list[Move]:
        chosen: list[tuple[int, Move]] = []
        for m in self.bank.moves_of_area(area):
            if ".summary." in m.id:
                continue  # leads and closings are placed by the section's own shape
            vs = self.eligible(m)
            if not vs:
                continue
            p = self._move_priority(m, area, vs)
            if p is not None:
                chosen.append((p, m))
        chosen.sort(key=lambda x: (x[0], x[1].order, x[1].id))
        keep = [m for _, m in chosen[: area.max_moves]]
        return sorted(keep, key=lambda m: (m.order, m.id))

    def _summary(self, area: Area, which: str) -> Sentence | None:
        for m in self.bank.moves_of_area(area):
            if f".summary.{which}" in m.id:
                return self.best(m, area)
        return None

    # ---- areas ------------------------------------------------------------------------------------
    def compose_area(self, key: str) -> AreaText:
        area = self.bank.area(key)
        if area.section == "problems":
            return self._problems(area)
        if area.section == "measures":
            raise ValueError("改进措施随存在的问题一起撰写（problems）")
        if area.section == "rectification":
            return self._rectification(area)
        out = AreaText(area)
        moves = self.moves(area)
        if area.section == "other":
            moves = self._other_moves(moves, area)
        for m in moves:
            s = self.best(m, area)
            if s is not None:
                out.sentences.append(s)
        return out

    def _other_moves(self, moves: list[Move], area: Area) -> list[Move]:
        """六: the customary items; "无其他需要报告的事项" only when nothing else is said."""
        nothing = [m for m in moves if ".nothing." in m.id]
        said = [m for m in moves if m not in nothing]
        if said:
            return said
        if nothing:
            return nothing
        return [m for m in self.bank.moves_of_area(area) if ".nothing." in m.id and self.eligible(m)][:1]

    def _problems(self, area: Area) -> AreaText:
        out = AreaText(area)
        rel = self.relevance(area)
        cands: list[tuple[float, Move]] = []
        for m in self.bank.moves_of_area(area):
            if ".summary." in m.id or not self.eligible(m):
                continue
            s = (3.0 if m.signalled(self.vals) else 0.0) + 2.0 * rel.get(m.id, 0.0) - m.order / 1000
            cands.append((s, m))
        cands.sort(key=lambda x: -x[0])
        n = max(2, min(area.max_moves, sum(1 for s, _ in cands if s > 0.5)))
        problems = sorted((m for _, m in cands[:n]), key=lambda m: (m.order, m.id))
        measures_area = next((a for a in self.bank.areas if a.section == "measures"), area)
        for m in problems:
            s = self.best(m, area)
            if s is None:
                continue
            out.items.append(s)
        lead = self._summary(area, "lead") if out.items else None  # a lead ending in “：” needs items after it
        if lead is not None:
            out.sentences.append(lead)
        self.paired = []
        seen: set[str] = set()
        for m in problems:
            for target in m.pairs_with:
                if target in seen or target not in self.bank.move_index:
                    continue
                s = self.best(self.bank.move_index[target], measures_area)
                if s is not None:
                    seen.add(target)
                    self.paired.append(s)
                    break
        return out

    def measures_text(self) -> tuple[Sentence | None, list[Sentence], Sentence | None]:
        """After :meth:`compose_area` of the problems: the transition, the measures, the closing."""
        area = next(a for a in self.bank.areas if a.section == "measures")
        if not self.paired:
            return None, [], None
        lead = self._summary(area, "lead")
        closing = self._summary(area, "closing")
        return lead, list(self.paired), closing

    def _rectification(self, area: Area) -> AreaText:
        out = AreaText(area)
        items = problem_items(self.previous.narrative.problems) if self.previous is not None else []
        for m in self.moves(area):
            s = self.best(m, area)
            if s is not None:
                out.sentences.append(s)
            if items:
                break  # with last year's problems known: the lead, then each problem
        if items:
            parts = []
            for n, item in enumerate(items[:10], 1):
                done = str(self.answers.get(f"rectify.{n}", "") or "").strip().rstrip("。；;")
                action = done or f"〔待补：针对“{item}”采取的整改措施和成效〕"
                parts.append(f"{cn_numeral(n)}是针对“{item}”的问题，{action}")
            out.extra = "；".join(parts) + "。"
        return out


def _on_figures(v: Variant) -> bool:
    """The variant's conditions are on figures of the report (not only format or kind)."""
    from .figures import FIGURES

    return any(c.slot in FIGURES for c in v.conditions)


def _stored_previous(report: Report) -> Report | None:
    from .crossyear import previous_report

    return previous_report(report)


def rectify_facts(report: Report, previous: Report | None = None) -> list[tuple[str, str]]:
    """The questions of 上年度问题整改情况 when last year's problems are known: (answer key,
    Chinese label) per problem."""
    prev = previous if previous is not None else _stored_previous(report)
    if prev is None:
        return []
    return [(f"rectify.{n}", f"针对上年度的问题“{item}”，今年采取了哪些整改措施，成效如何？")
            for n, item in enumerate(problem_items(prev.narrative.problems)[:10], 1)]


def area_facts(bank: Bank, report: Report, key: str) -> list[SlotSpec]:
    """The facts the assistant asks for an area, in order: the area's facts that a sentence
    fit for this agency (its kind and format) uses."""
    area = bank.area(key)
    kinds = report.agency.kinds or None
    fmt = report.format_version
    used: set[str] = set()
    for m in bank.moves_of_area(area):
        for v in m.variants:
            if eligible(v, {}, kinds, fmt, False):
                used.update(s.name for s in v.free_slots)
        for sig in m.signals:
            used.update(c.slot for c in sig)
    return [bank.slots[name] for name in area.facts if name in bank.slots and name in used]


# ---- writing into the report ----------------------------------------------------------------------

def _sections(which: Iterable[str] | str | None) -> list[str]:
    if which is None:
        return list(SECTIONS)
    names = [which] if isinstance(which, str) else list(which)
    out = []
    for n in names:
        n = SECTION_ALIASES.get(n.strip(), n.strip().rstrip("、"))
        if n not in SECTIONS:
            raise ValueError(f"只能撰写一（总体情况）、五（存在的主要问题及改进情况）、六（其他需要报告的事项），不能撰写“{n}”")
        out.append(n)
    return out


def placeholder(text: str) -> bool:
    """Text that is only the composer's own 〔待补：…〕 (the area is still to be written)."""
    return bool(re.fullmatch(r"\s*〔待补：[^〕]*〕\s*", text))


def _area_of_part(bank: Bank, p: Part) -> str:
    if p.area:
        return p.area
    for a in bank.areas:
        if a.section == "overview" and a.title and a.title in p.title:
            return a.key
    return ""


def _pieces(field_name: str, sents: Iterable[Sentence]) -> list[Piece]:
    return [Piece(variant=s.variant, field=field_name, text=s.text) for s in sents]  # type: ignore[arg-type]


def compose(report: Report, sections: Iterable[str] | str | None = None, *, replace: bool = False,
            previous: Report | None = None, notes: str | dict[str, str] | None = None,
            bank: Bank | None = None) -> Result:
    """Write the narrative of ``sections`` (一, 五, 六; default all three) into ``report``.

    Without ``replace`` only what is not written yet is composed (an area of 一 whose part
    exists, a 五 or 六 with text, stays as the user wrote it)."""
    c = Composer(report, bank, previous, notes)
    res = Result()
    n = report.narrative
    pieces = list(n.pieces)
    for sec in _sections(sections):
        if sec == "一":
            _compose_overview(c, report, replace, res, pieces)
        elif sec == "五":
            _compose_five(c, report, replace, res, pieces)
        else:
            _compose_six(c, report, replace, res, pieces)
    n.pieces = pieces
    _self_check(c, report)
    used = [p.variant for p in n.pieces]
    report.meta.phrases_used = list(dict.fromkeys([*report.meta.phrases_used, *used]))
    return res


#: the text rules a composed sentence must pass
SELF_CHECK = ("TEXT-TABLE", "YEAR-IN-TEXT", "STAT-PERIOD")


def _self_check(c: Composer, report: Report, rounds: int = 3) -> None:
    """A composed sentence that a text rule still flags (a reading of the prose the
    conditions did not foresee) is swapped for another way of saying it, or dropped."""
    from . import textchecks  # noqa: F401  (registers the text rules)

    for _ in range(rounds):
        bad = run(Ctx(report), select=SELF_CHECK)
        hits: list[Piece] = []
        for f in bad:
            sent = str((f.extra or {}).get("sentence", "")) or f.found
            hits += [p for p in report.narrative.pieces
                     if sent and (sent in p.text or p.text in sent) and all(p is not h for h in hits)]
        if not hits:
            return
        for p in hits:
            alts = [a for a in c.alternatives(p.variant) if a.variant not in c.taken]
            s = Stale(p, "check", alts[0].text if alts else "", alts[0].variant if alts else "")
            if alts:
                c.taken.add(alts[0].variant)
            replace_piece(report, s)


def _drop_pieces(pieces: list[Piece], field_name: str, keep_texts: str) -> None:
    pieces[:] = [p for p in pieces if p.field != field_name or p.text in keep_texts]


def _compose_overview(c: Composer, report: Report, replace: bool, res: Result, pieces: list[Piece]) -> None:
    n = report.narrative
    areas = [a for a in c.bank.areas if a.section == "overview"]
    if not areas:
        return
    # the parts already there, by area: a part of an area (tagged, or its title names the
    # area), untitled text before any heading (the lead), or a part of no area, which stays
    # after the part before it
    mine: dict[str, list[Part]] = {}
    after: dict[str, list[Part]] = {}
    cur = areas[0].key
    titled = False
    for p in n.overview:
        k = _area_of_part(c.bank, p)
        if not k and not p.title.strip() and not titled:
            k = areas[0].key
        titled = titled or bool(p.title.strip())
        if k:
            mine.setdefault(k, []).append(p)
            cur = k
        else:
            after.setdefault(cur, []).append(p)
    out: list[Part] = []
    for a in areas:
        have = [p for p in mine.get(a.key, []) if (p.text.strip() or p.title.strip()) and not placeholder(p.text)]
        if have and not replace:
            out.extend(have)
            res.kept.append(area_name(a))
        else:
            t = c.compose_area(a.key)
            if t.sentences:
                out.append(Part(title=a.title, text=t.text, area=a.key))
                pieces.extend(_pieces("overview", t.sentences))
                res.written.append(area_name(a))
                res.pending.extend(x for x in t.missing if x not in res.pending)
            elif a.title:
                # nothing in the bank fits yet (e.g. table 三 not filled): the area stays, visibly to do
                what = f"{a.title}方面的情况，回答本方面的问题（或填好有关表格）后重新撰写"
                out.append(Part(title=a.title, text=f"〔待补：{what}〕", area=a.key))
                res.pending.append(what)
        out.extend(after.get(a.key, []))
    n.overview = out
    _fit_length(c, report, pieces, {a.key for a in areas if area_name(a) in res.written})
    _drop_pieces(pieces, "overview", n.field_text("overview"))


def _fit_length(c: Composer, report: Report, pieces: list[Piece], composed: set[str]) -> None:
    """Keep 一 within the local length rule: drop the longest optional sentences the composer
    wrote (never a required move's, never the user's own text) until it fits."""
    limit = report.agency.overview_max_chars
    if not limit:
        return
    n = report.narrative
    while length(report) > limit:
        cands = []
        for p in pieces:
            v = c.bank.variant_index.get(p.variant)
            if p.field != "overview" or v is None or v.move.required:
                continue
            part = next((x for x in n.overview if x.area in composed and p.text in x.text), None)
            if part is not None:
                cands.append((len(p.text), p, part))
        if not cands:
            return
        _, p, part = max(cands, key=lambda x: x[0])
        part.text = part.text.replace(p.text, "", 1)
        pieces.remove(p)


def _compose_five(c: Composer, report: Report, replace: bool, res: Result, pieces: list[Piece]) -> None:
    n = report.narrative
    bank = c.bank
    rect = next((a for a in bank.areas if a.section == "rectification"), None)
    if rect is not None:
        if n.rectification.strip() and not replace:
            res.kept.append(area_name(rect))
        else:
            t = c.compose_area(rect.key)
            n.rectification = t.text
            pieces.extend(_pieces("rectification", t.sentences))
            if t.text:
                res.written.append(area_name(rect))
                res.pending.extend(x for x in t.missing if x not in res.pending)
    prob = next((a for a in bank.areas if a.section == "problems"), None)
    if prob is None:
        return
    if (n.problems or n.measures) and not replace:
        res.kept.append(area_name(prob))
    else:
        t = c.compose_area(prob.key)
        problems = [Part(text="".join(s.text for s in t.sentences), area=prob.key)] if t.sentences else []
        problems += [Part(title=s.title, text=s.text, inline=True, area=prob.key) for s in t.items]
        lead, measures, closing = c.measures_text()
        area_m = next((a.key for a in bank.areas if a.section == "measures"), prob.key)
        mparts = [Part(text=lead.text, area=area_m)] if lead else []
        mparts += [Part(title=s.title, text=s.text, inline=True, area=area_m) for s in measures]
        if closing:
            mparts.append(Part(text=closing.text, area=area_m))
        n.problems, n.measures = problems, mparts
        pieces.extend(_pieces("problems", [*t.sentences, *t.items]))
        pieces.extend(_pieces("measures", [x for x in (lead, *measures, closing) if x is not None]))
        res.written.append(area_name(prob))
        res.pending.extend(x for x in t.missing if x not in res.pending)
    for f in ("rectification", "problems", "measures"):
        _drop_pieces(pieces, f, n.field_text(f))


def _compose_six(c: Composer, report: Report, replace: bool, res: Result, pieces: list[Piece]) -> None:
    n = report.narrative
    area = next((a for a in c.bank.areas if a.section == "other"), None)
    if area is None:
        return
    if n.other.strip() and not replace:
        res.kept.append(area_name(area))
        return
    t = c.compose_area(area.key)
    n.other = t.text
    pieces.extend(_pieces("other", t.sentences))
    _drop_pieces(pieces, "other", n.other)
    res.written.append(area_name(area))
    res.pending.extend(x for x in t.missing if x not in res.pending)


# ---- sentences that no longer hold --------------------------------------------------------------

@dataclass(frozen=True)
class Stale:
    """A bank sentence in the text whose variant no longer fits the report."""

    piece: Piece
    #: "condition": its conditions are false now; "figures": its figures changed
    why: str
    #: the text to put instead ("" if no variant of the move fits any more)
    replacement: str
    replacement_variant: str = ""


def stale(report: Report, bank: Bank | None = None) -> list[Stale]:
    """The bank sentences still standing unchanged in the text whose conditions no longer
    hold, or whose figures changed since they were written."""
    bank = bank or load_bank(strict=False)
    n = report.narrative
    if not n.pieces:
        return []
    vals = values(report)
    kinds = report.agency.kinds or None
    out: list[Stale] = []
    c: Composer | None = None
    for p in n.pieces:
        if p.text not in n.field_text(p.field):
            continue  # edited or removed by the user
        v = bank.variant_index.get(p.variant)
        if v is None:
            continue
        if v.kinds and kinds is not None and not set(v.kinds) & set(kinds):
            ok = False
        else:
            ok = all_hold(v.conditions, vals)
        if ok:
            now = fill(v, report, None, vals, marker=pending).text
            if now != p.text and "〔待补" not in p.text:
                out.append(Stale(p, "figures", now, v.id))
            continue
        c = c or Composer(report, bank)
        alts = c.alternatives(v.id)
        best = alts[0] if alts else None
        out.append(Stale(p, "condition", best.text if best else "", best.variant if best else ""))
    return out


def replace_piece(report: Report, s: Stale) -> bool:
    """Put ``s.replacement`` where the stale sentence stands (True if it was found)."""
    n = report.narrative
    f = s.piece.field
    v = getattr(n, f)
    done = False
    if isinstance(v, list):
        for part in v:
            if s.piece.text in part.text:
                part.text = part.text.replace(s.piece.text, s.replacement, 1)
                done = True
                break
    elif s.piece.text in v:
        setattr(n, f, v.replace(s.piece.text, s.replacement, 1))
        done = True
    if done:
        n.pieces = [p for p in n.pieces if p is not s.piece]
        if s.replacement and s.replacement_variant:
            n.pieces.append(Piece(variant=s.replacement_variant, field=f, text=s.replacement))  # type: ignore[arg-type]
    return done


@rule("PHRASE-STALE", doc={"PHRASE-STALE": "按表述库写入的句子，在数字改动后前提已不成立或数字已变（给出替换的说法）"})
def _stale_rule(c: Ctx) -> Iterable[Finding]:
    r = c.report
    if not r.narrative.pieces:
        return []
    from .phrases.bank import SECTION_NAMES, SECTION_NUMBER

    out = []
    for s in stale(r):
        place = SECTION_NAMES[s.piece.field]
        if s.why == "figures":
            msg = f"{place}：“{s.piece.text[:40]}”是按当时的数字写的，表格的数字已改，应改为：“{s.replacement}”"
        elif s.replacement:
            msg = f"{place}：“{s.piece.text[:40]}”的前提已不成立（表格的数字改了），可改为：“{s.replacement}”"
        else:
            msg = f"{place}：“{s.piece.text[:40]}”的前提已不成立（表格的数字改了），请删去或改写"
        out.append(Finding("PHRASE-STALE", "warning", msg, where=place, expected=s.replacement, found=s.piece.text,
                           section=SECTION_NUMBER[s.piece.field], anchor=s.piece.field,
                           extra={"variant": s.piece.variant, "replacement_variant": s.replacement_variant}))
    return out


def length(report: Report) -> int:
    """The length of 一、总体情况 as a local rule counts it: characters, whitespace excluded."""
    return len(re.sub(r"\s", "", report.narrative.field_text("overview")))


# ---- a sentence chosen by the user (a search in the assistant) --------------------------------------

_NOTHING = re.compile(r"^\s*(?:[0-9]{4}年(?:度)?，?[^。]{0,8})?(?:无|暂无|没有)(?:其他|其它)?(?:需要|需)?(?:报告|说明)?的?(?:事项|情况)?[。.]?\s*$")


def place(report: Report, field_name: str, current: str, variant_id: str, sentence: str,
          bank: Bank | None = None) -> str:
    """``current`` (the editable text of a narrative field) with a bank sentence the user
    chose put where it belongs, the structure kept: in 一 into the part of the sentence's
    area (a new part with the area's heading, in the areas' order, if there is none yet —
    never a second heading of its own); in 五 a problem or measure as an item under its
    title; in 六 instead of “无其他需要报告的事项” when that is all 六 says.  Records the
    sentence as a :class:`Piece`."""
    from .text import parse_parts, parts_to_text

    bank = bank or load_bank(strict=False)
    v = bank.variant_index.get(variant_id)
    n = report.narrative
    sentence = sentence.strip()
    if field_name in ("overview", "problems", "measures") and v is not None:
        parts = parse_parts(current, getattr(n, field_name))
        if field_name == "overview":
            area = Composer.area_of(_AreaLookup(bank), v.move)
            out = _place_in_area(bank, parts, area, sentence)
        else:
            title = v.move.title.strip()
            same = next((p for p in parts if title and p.title.strip() == title), None)
            if same is not None:
                same.text = same.text + sentence if same.text else sentence
                out = parts
            elif title:
                out = [*parts, Part(title=title, text=sentence, inline=True)]
            else:
                out = [*parts, Part(text=sentence)]
        text = parts_to_text(out)
    elif field_name == "other" and (not current.strip() or all(_NOTHING.match(s.text) for s in sentences(current))):
        text = sentence
    else:
        text = (current.rstrip() + ("" if current.rstrip().endswith(("。", "；")) or not current.strip() else "。")
                + sentence) if current.strip() else sentence
        if field_name == "rectification" and current.strip():
            text = current.rstrip() + "\n" + sentence
    n.pieces = [*n.pieces, Piece(variant=variant_id, field=field_name, text=sentence)]  # type: ignore[arg-type]
    used = list(report.meta.phrases_used)
    if variant_id not in used:
        report.meta.phrases_used = [*used, variant_id]
    return text


class _AreaLookup:
    """Just enough of a Composer for :meth:`Composer.area_of` (the bank's areas)."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank


def _place_in_area(bank: Bank, parts: list[Part], area: Area, sentence: str) -> list[Part]:
    keys = [a.key for a in bank.areas if a.section == "overview"]
    for p in parts:
        if _area_of_part(bank, p) == area.key or (not area.title and not p.title.strip() and p is parts[0]):
            p.text = (p.text.rstrip("\n") + sentence) if p.text.strip() else sentence
            p.area = p.area or area.key
            return parts
    new = Part(title=area.title, text=sentence, area=area.key)
    rank = keys.index(area.key) if area.key in keys else len(keys)
    for i, p in enumerate(parts):
        k = _area_of_part(bank, p)
        if k in keys and keys.index(k) > rank:
            return [*parts[:i], new, *parts[i:]]
    if not area.title:
        return [new, *parts]
    return [*parts, new]


# ---- editing a composed text: other wordings, dropping, recomposing one area ------------------

def piece_at(report: Report, field_name: str, text: str, pos: int) -> Piece | None:
    """The bank sentence of ``field_name`` that covers offset ``pos`` of ``text`` (the
    field's editable text), if one stands there unchanged."""
    for p in report.narrative.pieces:
        if p.field != field_name or not p.text:
            continue
        start = text.find(p.text)
        while start >= 0:
            if start <= pos < start + len(p.text):
                return p
            start = text.find(p.text, start + 1)
    return None


def next_wording(report: Report, piece: Piece, text: str, bank: Bank | None = None) -> tuple[str, Piece] | None:
    """``text`` with ``piece`` replaced by the next other way of saying the same move
    (cycling through those that fit the report); None when the move has no other."""
    c = Composer(report, bank)
    alts = c.alternatives(piece.variant)
    if not alts:
        return None
    v = c.bank.variant_index.get(piece.variant)
    order = [x.id for x in sorted(v.move.variants, key=lambda x: x.id)] if v else []
    # cycle in the bank's order, starting after the current variant
    if piece.variant in order:
        i = order.index(piece.variant)
        ranked = {a.variant: a for a in alts}
        for vid in order[i + 1:] + order[:i]:
            if vid in ranked:
                alt = ranked[vid]
                break
        else:  # pragma: no cover - alts is not empty
            alt = alts[0]
    else:
        alt = alts[0]
    new = Piece(variant=alt.variant, field=piece.field, text=alt.text)
    report.narrative.pieces = [new if p is piece else p for p in report.narrative.pieces]
    return text.replace(piece.text, alt.text, 1), new


def drop_piece(report: Report, piece: Piece, text: str) -> str:
    """``text`` without the bank sentence ``piece``."""
    report.narrative.pieces = [p for p in report.narrative.pieces if p is not piece]
    return text.replace(piece.text, "", 1)


def recompose(report: Report, key: str, previous: Report | None = None, notes: str | None = None,
              bank: Bank | None = None) -> Result:
    """Write one area again (一's areas by key; ``rectification``/``problems``/``other`` their
    whole field), leaving everything else as it is."""
    bank = bank or load_bank(strict=False)
    area = bank.area(key)
    if notes is not None:
        report.narrative.notes = {**report.narrative.notes, key: notes}
    if area.section == "overview":
        n = report.narrative
        keep = [p for p in n.overview if _area_of_part(bank, p) != key]
        n.overview = keep
        return compose(report, "一", previous=previous, bank=bank)
    which = "六" if area.section == "other" else "五"
    if area.section == "rectification":
        saved = (report.narrative.problems, report.narrative.measures)
        report.narrative.rectification = ""
        res = compose(report, which, previous=previous, bank=bank)
        report.narrative.problems, report.narrative.measures = saved
        return res
    if area.section in ("problems", "measures"):
        report.narrative.problems, report.narrative.measures = [], []
        saved_r = report.narrative.rectification
        res = compose(report, which, previous=previous, bank=bank)
        report.narrative.rectification = saved_r
        return res
    report.narrative.other = ""
    return compose(report, which, previous=previous, bank=bank)


def untouched(report: Report, field_name: str, text: str) -> bool:
    """``text`` (of ``field_name``) is only what the composer wrote: its bank sentences and
    placeholders, nothing the user typed or changed."""
    rest = text
    for p in report.narrative.pieces:
        if p.field == field_name:
            rest = rest.replace(p.text, "")
    rest = re.sub(r"〔待补：[^〕]*〕", "", rest)
    bank = load_bank(strict=False)
    titles = {a.title for a in bank.areas if a.title} | {m.title.strip() for m in bank.moves if m.title.strip()}
    lines = []
    for line in rest.split("\n"):
        h = split_heading(line)
        if h is not None and h[0].strip() in titles:
            line = h[1]  # the heading the composer wrote (an area, a problem, a measure)
        if line.strip() not in titles:
            lines.append(line)
    return not re.sub(r"[\s。；，]", "", "\n".join(lines))


def compose_area_into(report: Report, key: str, previous: Report | None = None, bank: Bank | None = None) -> str:
    """After the user answered an area's facts: write the area (again, if what stands there
    is still only what the composer wrote; text the user changed is left alone).  Returns
    the Chinese note that says what was done."""
    bank = bank or load_bank(strict=False)
    area = bank.area(key)
    n = report.narrative
    if area.section == "overview":
        mine = [p for p in n.overview if _area_of_part(bank, p) == key]
        if any(not untouched(report, "overview", p.text) for p in mine):
            return f"“{area_name(area)}”已有您写的文字，未改动（要按回答重写，在“总体情况”一问中按 F9）"
        n.overview = [p for p in n.overview if p not in mine]
        res = compose(report, "一", previous=previous, bank=bank)
    else:
        fields = ("rectification", "problems", "measures") if area.section != "other" else ("other",)
        edited = [f for f in fields if not untouched(report, f, n.field_text(f))]
        if edited:
            return f"“{area_name(area)}”已有您写的文字，未改动（要按回答重写，在本节的文字中按 F9）"
        for f in fields:
            setattr(n, f, [] if f in ("problems", "measures") else "")
        res = compose(report, "六" if area.section == "other" else "五", previous=previous, bank=bank)
    written = [w for w in res.written if w]
    if not written:
        return ""
    note = f"已按回答撰写：{'、'.join(written)}"
    if res.pending:
        note += f"；还有待补的：{'；'.join(res.pending[:4])}" + ("等" if len(res.pending) > 4 else "")
    return note


def refresh(report: Report, bank: Bank | None = None) -> list[str]:
    """After the tables changed: every area still exactly as the composer wrote it is written
    again from the new figures (the choice is stable, so what did not change reads the same).
    Text the user changed is never touched (a sentence there that no longer holds is flagged
    by ``PHRASE-STALE``).  Returns Chinese notes for the areas whose text changed."""
    n = report.narrative
    if not n.pieces and not any(placeholder(p.text) for p in n.overview):
        return []
    bank = bank or load_bank(strict=False)

    def texts(a: Area) -> list[str]:
        if a.section == "overview":
            return [p.text for p in n.overview if _area_of_part(bank, p) == a.key]
        return [n.field_text(f) for f in _fields_of(a)]

    areas = [a for a in bank.areas if a.section in ("overview", "rectification", "problems", "other")]
    before = {a.key: texts(a) for a in areas}
    for a in areas:
        now = texts(a)
        field_name = "overview" if a.section == "overview" else None
        if not any(t.strip() for t in now):
            continue
        if field_name:
            ok = all(untouched(report, "overview", t) for t in now)
        else:
            ok = all(untouched(report, f, t) for f, t in zip(_fields_of(a), now, strict=True))
        if ok:
            compose_area_into(report, a.key, bank=bank)
    return [f"表格改动后已重新撰写：{area_name(a)}" for a in areas if texts(a) != before[a.key]]


def _fields_of(a: Area) -> tuple[str, ...]:
    return ("other",) if a.section == "other" else ("rectification", "problems", "measures")
