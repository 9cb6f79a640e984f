"""Splitting narrative text, for everyone: parts (（一）… headings), sentences, clauses.

The checks, the claim extractor, the similarity measure, the importer, the composer and
the TUI all cut text the same way, with these functions:

- :func:`sentences` — sentence spans (ending at 。；！？ or a line break);
- :func:`clauses` — clause spans inside a sentence (also cut at ，、：and brackets);
- :func:`parse_parts` / :func:`parts_to_text` — the titled parts of a narrative section
  ("（一）加强组织领导。…"), as stored in :class:`nianbao.model.Part`;
- :func:`mask_quoted` — document titles 《…》, numbers 〔…〕 and quotations blanked out
  (same length), so that figures and years inside them are not read as claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Part

#: the marks that end a clause inside a sentence (and a sentence)
CLAUSE_BOUNDARY = "，,、；;：:（）()。！!？?\n"

_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]*")
_CLAUSE = re.compile("[^" + re.escape(CLAUSE_BOUNDARY) + "]+")
#: a part heading at the start of a line: （一）… / (一)…
HEAD = re.compile(r"^\s*(?:[-*•·]\s*)?[（(]\s*([一二三四五六七八九十]+)\s*[)）]\s*(.*)$")
#: a blank left to fill: {slot}, ××, （ ）, 【label】, 〔待补：…〕, [ ]
SLOT = re.compile(r"\{[^{}]{0,40}\}|×{2,}|X{2,}|（\s*）|【[^】]{0,20}】|〔待补[^〕]{0,40}〕|\[\s*\]")
#: document titles, document numbers, bracketed notes with 号, quotations
_QUOTED = re.compile(r"《[^》]*》|〔[^〕]*〕|\[[^\]]*\]|（[^）]*号）|“[^”]*”")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def sentences(text: str, min_chars: int = 1) -> list[Span]:
    """The sentences of ``text`` (stripped), with their offsets."""
    out = []
    for m in _SENTENCE.finditer(text):
        raw = m.group(0)
        lead = len(raw) - len(raw.lstrip())
        s = raw.strip()
        if len(s) >= min_chars:
            out.append(Span(m.start() + lead, m.start() + lead + len(s), s))
    return out


def clauses(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The clauses of ``text[start:end]`` (cut at every punctuation mark inside a sentence,
    the enumeration comma 、 included), with offsets into ``text``."""
    end = len(text) if end is None else end
    return [Span(m.start(), m.end(), m.group(0)) for m in _CLAUSE.finditer(text, start, end)]


def mask_quoted(text: str, fill: str = "□") -> str:
    """``text`` with 《titles》, 〔numbers〕 and “quotations” replaced by ``fill`` (same length)."""
    return _QUOTED.sub(lambda m: fill * len(m.group(0)), text)


def snippet(text: str, start: int, end: int, width: int = 18) -> str:
    """The text around ``start:end`` on one line, with … where it was cut."""
    a = max(0, start - width)
    b = min(len(text), end + width)
    s = text[a:b].replace("\n", " ")
    return ("…" if a else "") + s + ("…" if b < len(text) else "")


def cn_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (for （一） numbering)."""
    if n <= 10:
        return "零一二三四五六七八九十"[n]
    if n < 20:
        return "十" + "零一二三四五六七八九"[n - 10]
    tens, ones = divmod(n, 10)
    return "零一二三四五六七八九"[tens] + "十" + ("零一二三四五六七八九"[ones] if ones else "")


# ---- parts ----------------------------------------------------------------------------

def split_heading(line: str, max_title: int | None = None) -> tuple[str, str, bool] | None:
    """A part heading line: (title, text after it, inline), or None if ``line`` is not one.

    "（一）主动公开情况" → ("主动公开情况", "", False); "（一）主动公开情况。全年发布…" → the
    title (up to its first 。) runs into the text (inline).  With ``max_title``, a first
    sentence longer than that is not a title: the line is body text (None)."""
    m = HEAD.match(line.strip())
    if not m:
        return None
    rest = m.group(2).strip()
    stop = rest.find("。")
    if 0 <= stop < len(rest) - 1:
        if max_title is not None and stop + 1 > max_title:
            return None
        return rest[:stop + 1], rest[stop + 1:].strip(), True
    if max_title is not None and len(rest) > max_title:
        return None
    return rest, "", False


def parts_to_text(parts: list[Part]) -> str:
    """The editable text of a section's parts: titled parts numbered （一）（二）…"""
    lines: list[str] = []
    n = 1
    for p in parts:
        if p.title.strip():
            lead = f"（{cn_numeral(n)}）{p.title.strip()}"
            n += 1
            if p.inline:
                lines.append(lead + p.text.strip())
                continue
            lines.append(lead)
        if p.text.strip():
            lines.append(p.text.strip())
    return "\n".join(lines)


def parse_parts(text: str, old: list[Part] | None = None) -> list[Part]:
    """Parse edited text back into parts: a line starting “（一）” opens a titled part; if the
    line goes on after the title's first “。”, the title runs into the text (inline).  Parts
    that come back unchanged keep their ``origin`` (last year's text, a bank sentence …)."""
    old = old or []
    if text.strip() == parts_to_text(old).strip():
        return [p.model_copy() for p in old]
    origins = {(p.title.strip(), p.text.strip()): p for p in old}
    by_title = {p.title.strip(): p for p in old if p.title.strip()}
    parts: list[Part] = []
    cur: Part | None = None
    body: list[str] = []

    def flush() -> None:
        nonlocal cur, body
        if cur is not None or body:
            p = cur or Part()
            p.text = "\n".join(x for x in ([p.text] if p.text else []) + body)
            same = origins.get((p.title.strip(), p.text.strip()))
            if same is not None:
                p.origin = same.origin
            # the narrative area a part was written for stays with its heading (or its text)
            was = same or by_title.get(p.title.strip())
            if was is not None:
                p.area = was.area
            parts.append(p)
        cur, body = None, []

    for line in text.replace("\r\n", "\n").split("\n"):
        s = line.strip()
        if not s:
            continue
        head = split_heading(s)
        if head is not None:
            flush()
            title, rest, inline = head
            cur = Part(title=title, text=rest, inline=inline)
            continue
        body.append(s)
    flush()
    return parts


def headings(text: str) -> list[str]:
    """The part titles in ``text`` (one per heading line)."""
    out = []
    for line in text.split("\n"):
        h = split_heading(line)
        if h is not None:
            out.append(h[0])
    return out


# ---- statistics periods ---------------------------------------------------------------

#: a statistics period as reports state it: 统计期限自2024年1月1日起至2024年12月31日止 / …9月1日至12月31日
STAT_PERIOD = re.compile(
    r"统计[^。；]{0,24}?(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日[^。；]{0,16}?"
    r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def with_period_year(text: str, old: int, new: int) -> str:
    """``text`` with the years of its statistics period moved from ``old`` to ``new``."""
    return STAT_PERIOD.sub(lambda m: m.group(0).replace(f"{old}", f"{new}"), text)
