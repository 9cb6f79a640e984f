"""Claims the prose makes about the figures, read with the vocabulary of :mod:`nianbao.figures`.

The extractor cuts each narrative text into sentences and clauses (:mod:`nianbao.text`),
finds every number with a unit (件、起、宗、个、份、元、万元、%), and binds it to the figure
its *own* clause names: the nearest term before it in the clause, else the nearest term
after it ("2件结转下年度"); a clause that is only "共计380元" borrows the term of the
clause before it ("收取信息处理费，共计380元").  The enumeration comma 、 ends a clause,
so in "涉及自然人44件、商业企业2件" each number has its own term.

Kinds of claims:

- ``value`` — a number restated from the tables ("办结45件");
- ``share`` — a percentage of a figure ("予以公开30件，占65%"; "办结率100%");
- ``none`` — "未收到申请", "未发生行政复议", "未收取信息处理费": the named figures are 0;
- ``all`` — "均已办结" (nothing carried forward), "均获维持" (no case corrected or pending);
- ``list`` — a "其中 / 分别为 / 包括" breakdown and its own total (the prose against itself).

The check (:mod:`nianbao.textchecks`) compares them with the tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Literal

from .figures import FIGURES, TERMS, Term
from .model import Report
from .numbers import cn_to_int
from .text import clauses, mask_quoted, sentences

try:  # the parsed form of the term patterns, for _term_filters (CPython's own parser)
    import re._constants as _sre
    import re._parser as _sre_parse
except ImportError:  # pragma: no cover - another Python: every term is searched in every sentence
    _sre = _sre_parse = None  # type: ignore[assignment]

ClaimKind = Literal["value", "share", "none", "all", "list"]

_NUMBER = re.compile(
    r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)\s*"
    r"(万元|元|件|起|宗|个|份|%|％)(?!事|次|年|月|日|数|量|工作|小时|自然日|百分点|多|余)")
#: phrases whose words would read as terms but name no figure: the 条例's “公民、法人或者其他组织”
_NEUTRAL = re.compile(r"公民、法人(?:和|或|或者|及)其他组织|自然人、法人(?:和|或|或者|及)其他组织")
#: words between a term and its number that turn the number into something else
_TREND = re.compile(r"同比|环比|增长|增加|减少|下降|上升|提高|降低|较上年|比上年|较去年|比去年|多于|少于|超过|不足|高于|低于|"
                    r"较\d{4}年|比\d{4}年|平均|人均|每")
_APPROX = re.compile(r"(?:约|近|超|逾|达到?约)$")
_FILLER = re.compile(r"^\s*(?:共计|合计|总计|累计|共|计|为|达|达到|金额|金额为|涉及金额|总额|共收取|收取|实收)?\s*$")
_LIST_MARK = re.compile(r"其中|分别为|分别是|包括|涉及")
_RATE = re.compile(r"(?<!按时)(?<!按期)(?<!及时)(?:办结|答复|办理)率")
_BASE_DONE = re.compile(r"占(?:全部|所有|总)?(?:办结|答复|办理结果|已办结|已答复)")
_BASE_ALL = re.compile(r"占(?:全部|所有|总)?(?:申请|受理|收到)")


@dataclass(frozen=True)
class Claim:
    kind: ClaimKind
    #: the figures the claim can be about (any one of them may be meant)
    readings: tuple[str, ...]
    said: Decimal | None
    unit: str
    #: the binding is certain (a mismatch is an error) or not (a warning)
    exact: bool
    sentence: str
    #: the span of the claim's words in the narrative text
    start: int
    end: int
    term: str = ""
    #: share claims: the base figures the percentage is of; list claims: the items
    base: tuple[str, ...] = ()
    items: tuple[Claim, ...] = field(default=(), compare=False)
    #: ``all`` / ``none`` claims: a short name of what is claimed (for the message)
    what: str = ""


@dataclass(frozen=True)
class _Hit:
    term: Term
    start: int
    end: int
    clause: int


def _number(tok: str) -> Decimal | None:
    tok = tok.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", tok):
        return Decimal(tok)
    n = cn_to_int(tok)
    return Decimal(n) if n is not None else None


def _required_chars(items: list) -> frozenset[str]:
    """Characters every match of a parsed pattern contains (a necessary condition only:
    anything not understood here requires nothing)."""
    out: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            out.add(chr(av))
        elif op is _sre.SUBPATTERN and not av[1] & re.IGNORECASE:
            out |= _required_chars(av[-1])
        elif op is _sre.BRANCH:
            alts = [_required_chars(b) for b in av[1]]
            out |= frozenset.intersection(*alts) if alts else frozenset()
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            out |= _required_chars(av[2])
    return frozenset(out)


def _alternatives(items: list) -> tuple[frozenset[str], ...]:
    """Sets of characters of which every match of a parsed pattern contains at least one
    whole set (one per top-level alternative: 继续办理|尚未办结 needs 继续办理's or 尚未办结's)."""
    if len(items) == 1:
        op, av = items[0]
        if op is _sre.BRANCH:
            return tuple(x for b in av[1] for x in _alternatives(list(b)))
        if op is _sre.SUBPATTERN and not av[1] & re.IGNORECASE:
            return _alternatives(list(av[-1]))
    return (_required_chars(items),)


@cache
def _term_filters() -> tuple[tuple[re.Pattern[str], ...], tuple[tuple[int, frozenset[str]], ...]]:
    """The terms' regexes, and (term index, characters) pairs: a match of term ``i`` contains
    all the characters of one of its pairs (and of the words it requires in its clause), so a
    sentence without them is not searched for it (the terms are searched in every sentence
    of every report)."""
    needs: list[tuple[int, frozenset[str]]] = []
    for i, t in enumerate(TERMS):
        alts: tuple[frozenset[str], ...] = (frozenset(),)
        if _sre_parse is not None:
            try:
                parsed = _sre_parse.parse(t.pattern)
                if not parsed.state.flags & re.IGNORECASE:
                    alts = _alternatives(list(parsed))
                    required = _sre_parse.parse(t.requires) if t.requires else None
                    if required is not None and not required.state.flags & re.IGNORECASE:
                        extra = _required_chars(list(required))
                        alts = tuple(n | extra for n in alts)
            except Exception:  # pragma: no cover - a parser that changed shape: no filter
                alts = (frozenset(),)
        needs.extend((i, n) for n in dict.fromkeys(alts))
    return tuple(t.regex for t in TERMS), tuple(needs)


def _hits(sentence: str, spans: list[tuple[int, int]]) -> list[_Hit]:
    """Every term in the sentence, most specific first where two overlap; the required
    words of a term must stand in its clause."""
    found: list[tuple[int, int, int]] = []  # (priority, start, end)
    chars = set(sentence)
    regexes, needs = _term_filters()
    for i in sorted({i for i, n in needs if chars.issuperset(n)}):
        for m in regexes[i].finditer(sentence):
            if m.end() > m.start():
                found.append((i, m.start(), m.end()))
    found.sort()
    taken: list[tuple[int, int]] = []
    out: list[_Hit] = []
    for i, a, b in found:
        if any(a < y and x < b for x, y in taken):
            continue
        clause = _clause_of(spans, a)
        t = TERMS[i]
        if t.required is not None:
            ca, cb = spans[clause]
            if not t.required.search(sentence, ca, cb):
                continue
        taken.append((a, b))
        out.append(_Hit(t, a, b, clause))
    return sorted(out, key=lambda h: h.start)


def _clause_of(spans: list[tuple[int, int]], pos: int) -> int:
    for i, (a, b) in enumerate(spans):
        if a <= pos < b:
            return i
    for i, (a, _) in enumerate(spans):
        if pos < a:
            return max(0, i - 1)
    return len(spans) - 1


_GAP_FILLER = re.compile(r"□|政府信息公开|信息公开|依申请公开|申请|事项|的|共计|合计|共|计|为|达|数量|总数")


def _narrower(h: _Hit, others: list[_Hit], report: Report, sentence: str) -> _Hit:
    """Of the terms of a clause, one whose cells lie inside ``h``'s is the more precise reading
    (“因本机关不掌握相关政府信息无法提供6件”: the row 1.本机关不掌握…, not all of （四）)."""
    spec = report.spec
    mine = set(FIGURES[h.term.readings[0]].cells(spec) or ())
    for o in others:
        if o is h or not mine or sentence[o.end:o.end + 1] == "等":
            continue  # “不掌握相关政府信息等原因”: one reason of several, not the row
        theirs = set(FIGURES[o.term.readings[0]].cells(spec) or ())
        if theirs and theirs < mine:
            return o
    return h


def _bind(hits: list[_Hit], spans: list[tuple[int, int]], sentence: str, a: int, b: int,
          report: Report) -> tuple[_Hit, bool] | None:
    """The term a number at ``a:b`` belongs to, and whether the binding is near enough to be certain."""
    k = _clause_of(spans, a)
    mine = [h for h in hits if h.clause == k]
    before = [h for h in mine if h.end <= a]
    if before:
        h = before[-1]
        gap = sentence[h.end:a]
        if _TREND.search(gap):
            return None
        return _narrower(h, before, report, sentence), len(_GAP_FILLER.sub("", gap)) <= 8
    after = [h for h in mine if h.start >= b]
    if after:
        h = after[0]
        gap = sentence[b:h.start]
        if _TREND.search(gap) or len(gap) > 6:
            return None
        return h, True
    # “收取信息处理费，共计380元”: a clause of filler words borrows the term of the clause before
    ca = spans[k][0]
    if k > 0 and _FILLER.match(sentence[ca:a]) and sentence[ca - 1:ca] in "，,：:":
        pa, pb = spans[k - 1]
        last = max((m.end() for m in _NUMBER.finditer(sentence, pa, pb)), default=pa)
        prev = [h for h in hits if h.clause == k - 1 and h.start >= last]
        if prev:
            return prev[-1], True
    return None


def _readings(term: Term, report: Report) -> tuple[str, ...]:
    spec = report.spec
    return tuple(r for r in term.readings if FIGURES[r].exists(spec))


def extract(report: Report, text: str) -> list[Claim]:
    """Every claim in ``text`` (one narrative place)."""
    masked = mask_quoted(text)
    out: list[Claim] = []
    for s in sentences(masked):
        out.extend(_sentence_claims(report, s.text, s.start, text[s.start:s.end]))
    return out


def _spans(sent: str) -> list[tuple[int, int]]:
    """The clauses of a sentence; a part before 、 with no number of its own is a list of
    nouns ("公民、法人"), not a claim, and stays with what follows."""
    out: list[tuple[int, int]] = []
    for c in clauses(sent):
        if out and sent[out[-1][1]:c.start] == "、" and not _NUMBER.search(sent, *out[-1]):
            out[-1] = (out[-1][0], c.end)
        else:
            out.append((c.start, c.end))
    return out or [(0, len(sent))]


def _sentence_claims(report: Report, sent: str, offset: int, original: str) -> list[Claim]:
    sent = _NEUTRAL.sub(lambda m: "□" * len(m.group(0)), sent)
    spans = _spans(sent)
    hits = _hits(sent, spans)
    out: list[Claim] = []
    values: list[tuple[Claim, _Hit]] = []
    for m in _NUMBER.finditer(sent):
        tok, unit = m.group(1), m.group(2)
        a, b = m.start(), m.end()
        if not tok[0].isdigit() and (unit != "件" or tok == "一"):
            continue  # Chinese numerals only for counts (“三件”), never “一个”、“每一件”
        before = sent[max(0, a - 3):a]
        if before.endswith(("第", "每")) or _APPROX.search(before):
            continue
        said = _number(tok)
        if said is None:
            continue
        if unit in "%％":
            c = _share(report, sent, spans, hits, values, m, said, offset, original)
            if c is not None:
                out.append(c)
            continue
        bound = _bind(hits, spans, sent, a, b, report)
        if bound is None:
            continue
        h, near = bound
        readings = _readings(h.term, report)
        if not readings:
            continue
        unit_ok = _unit_fits(readings, unit)
        if unit_ok is None:
            continue
        said = said * unit_ok
        c = Claim("value", readings, said, unit, h.term.exact and near, original,
                  offset + min(h.start, a), offset + max(h.end, b), h.term.id)
        out.append(c)
        values.append((c, h))
    out.extend(_universal(report, sent, offset, original))
    lst = _list_claim(sent, values, offset, original)
    if lst is not None:
        out.append(lst)
    return out


def _unit_fits(readings: tuple[str, ...], unit: str) -> Decimal | None:
    """The factor that turns the printed unit into the figure's unit (None: it does not fit)."""
    fig = FIGURES[readings[0]]
    if fig.kind == "money":
        if fig.unit == "元":
            return {"元": Decimal(1), "万元": Decimal(10000)}.get(unit)
        if fig.unit == "万元":
            return {"万元": Decimal(1), "元": Decimal("0.0001")}.get(unit)
        return Decimal(1) if unit in ("元", "万元") else None
    return Decimal(1) if unit in ("件", "起", "宗", "个", "份") else None


def _share(report: Report, sent: str, spans: list[tuple[int, int]], hits: list[_Hit],
           values: list[tuple[Claim, _Hit]], m: re.Match[str], said: Decimal, offset: int,
           original: str) -> Claim | None:
    a = m.start()
    k = _clause_of(spans, a)
    ca = spans[k][0]
    clause = sent[ca:a]
    if _TREND.search(clause):
        return None
    rate = _RATE.search(clause)
    if rate:
        return Claim("share", ("apps_done",), said, "%", False, original, offset + ca + rate.start(), offset + m.end(),
                     "rate", base=("apps_total",))
    # the share of the figure stated just before (same clause or the one before it)
    prior = [(c, h) for c, h in values if c.end - offset <= a and h.clause >= k - 1]
    if not prior:
        return None
    c = prior[-1][0]
    fig = FIGURES[c.readings[0]]
    if _BASE_DONE.search(clause):
        base: tuple[str, ...] = ("apps_done",)
    elif _BASE_ALL.search(clause):
        base = ("apps_total", "apps_new")
    elif fig.base:
        base = (fig.base,)
    else:
        return None
    explicit = bool(_BASE_DONE.search(clause) or _BASE_ALL.search(clause))
    return Claim("share", c.readings, said, "%", explicit and c.exact, original, c.start, offset + m.end(), c.term,
                 base=base)


# ---- claims without numbers ---------------------------------------------------------------

_NEG = r"(?:未|没有|无|不存在|零)"
_GOV_INFO = r"(?:政府信息公开|信息公开|依申请公开)"
_NONE_APPS = re.compile(
    rf"{_NEG}(?:新)?(?:收到|接到|受理|接收)(?:过)?(?:任何)?(?:有关|相关|新的)?(?:的)?{_GOV_INFO}(?:的)?(?:申请|事项)"
    rf"|{_NEG}(?:新)?(?:收到|接到|受理|接收)(?:过)?(?:任何|相关|新的|此类)?(?:的)?申请"
    rf"|{_NEG}(?:发生|产生)(?:过)?{_GOV_INFO}(?:的)?申请"
    rf"|{_GOV_INFO}申请(?:数量|件数)?(?:为|是)(?<!\d)(?:0|零)件?(?![.\d])|零申请")
_NONE_CASES = re.compile(
    rf"(?<!尚){_NEG}(?!经)(?:发生|出现|产生|收到|引起|引发|涉及|被申请|被提起|被|因)?[^，。；;]{{0,24}}?(?:行政复议|行政诉讼|复议|诉讼)"
    r"[^，。；;]{0,12}")
_NONE_FEE = re.compile(
    rf"{_NEG}(?:向申请人)?(?:收取|产生|涉及|发生)(?:过)?(?:任何)?(?:政府信息公开)?(?:信息处理费|费用)"
    r"|信息处理费[^，。；;\d]{0,4}(?:为)?(?<![\d.])(?:0|零)元?(?![.\d])")
_ALL_DONE = re.compile(r"(?:均|全部|全都|都)(?:已|已经)?(?:办结|办理完毕|答复完毕|办理完成|按期办结|按时办结)|已全部办结")
_ALL_UPHELD = re.compile(r"(?:均|全部|全都|都)(?:被|获|得到|予以|已)?(?:依法)?(?:维持|胜诉)")
_CORRECTED = re.compile(r"纠错|纠正|败诉|撤销|确认违法|责令")


def _universal(report: Report, sent: str, offset: int, original: str) -> list[Claim]:
    out: list[Claim] = []
    m = _NONE_APPS.search(sent)
    if m:
        readings = ("apps_new",) if "新" in m.group(0) else ("apps_new", "apps_carried", "apps_done")
        out.append(Claim("none", readings, Decimal(0), "件", True, original, offset + m.start(), offset + m.end(),
                         "none.apps", what="未收到申请"))
    for m in _NONE_CASES.finditer(sent):
        window = m.group(0)
        if re.search(r"(?:未|没有|无)(?:发生|出现)?[^，。；]{0,4}(?:纠错|纠正|败诉)", window) or (
                _CORRECTED.search(window) and not re.search(r"案件|情况|申请", window)):
            review, suit = "复议" in window, "诉讼" in window
            readings = (("cases_corrected",) if review and suit else ("reviews_corrected",) if review
                        else ("suits_corrected",))
            out.append(Claim("none", readings, Decimal(0), "件", True, original, offset + m.start(), offset + m.end(),
                             "none.corrected", what="未被纠错"))
            continue
        if _CORRECTED.search(window):
            continue
        review, suit = "复议" in window, "诉讼" in window
        readings = ("cases",) if review and suit else ("reviews",) if review else ("suits",)
        out.append(Claim("none", readings, Decimal(0), "件", True, original, offset + m.start(), offset + m.end(),
                         "none.cases", what="未发生行政复议、行政诉讼" if review and suit else
                         ("未发生行政复议" if review else "未发生行政诉讼")))
    m = _NONE_FEE.search(sent)
    if m:
        out.append(Claim("none", ("fee_yuan",), Decimal(0), "元", True, original, offset + m.start(), offset + m.end(),
                         "none.fee", what="未收取信息处理费"))
    m = _ALL_DONE.search(sent)
    if m and "申请" in sent and not re.search(r"上年(?:度)?结转|结转上年|建议|提案|信访|投诉|诉求", sent[:m.start()]):
        out.append(Claim("all", ("apps_forward",), Decimal(0), "件", True, original, offset + m.start(),
                         offset + m.end(), "all.done", what="均已办结"))
    m = _ALL_UPHELD.search(sent)
    if m:
        review, suit = "复议" in sent, "诉讼" in sent
        if review or suit:
            readings = ("cases_not_upheld",) if review and suit else (
                ("reviews_not_upheld",) if review else ("suits_not_upheld",))
            out.append(Claim("all", readings, Decimal(0), "件", True, original, offset + m.start(), offset + m.end(),
                             "all.upheld", what="均获维持"))
    return out


def _list_claim(sent: str, values: list[tuple[Claim, _Hit]], offset: int, original: str) -> Claim | None:
    """A breakdown after 其中 / 分别为 / 包括 whose items add up to more than its own total."""
    m = _LIST_MARK.search(sent)
    if m is None:
        return None
    heads = [c for c, _ in values if c.end - offset <= m.start() and not FIGURES[c.readings[0]].part_of]
    if not heads:
        return None
    head = heads[-1]
    items = tuple(c for c, _ in values if c.start - offset >= m.start()
                  and set(FIGURES[c.readings[0]].part_of) & set(head.readings))
    if len(items) < 2:
        return None
    total = sum((c.said for c in items if c.said is not None), Decimal(0))
    return Claim("list", head.readings, total, head.unit, False, original, head.start, items[-1].end, m.group(0),
                 base=(), items=items, what=str(head.said))


def claims(report: Report) -> list[tuple[tuple[str, str, int, str], Claim]]:
    """Every claim of the report's narrative, with its place (place, text, section, anchor)."""
    out = []
    for item in report.narrative.items():
        for c in extract(report, item[1]):
            out.append((item, c))
    return out
