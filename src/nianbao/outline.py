"""The outline of a published report's text: the six section headings, the title and the
opening, the page metadata around them, the sub-parts of a section, and the 落款.

A heading is known by its words and their order, not by its number: the third section
printed as "二、收到和处理政府信息公开申请情况" is still the third section (the wrong number is
reported), "一、工作概况" is 一、总体情况, and a seven-part report whose 行政复议 and 行政诉讼 have
a heading each still has six sections.  Headings, sub-part markers and the title are found
inside long lines too (a crawler's text has the whole report on one line) and the line is
split there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .formats import FormatSpec, loose_label, norm_label

_NUMS = "一二三四五六七八九十"

#: the wordings of each section heading seen in published reports, besides the official one
#: (regular expressions on the printed text)
_VARIANTS: dict[int, tuple[str, ...]] = {
    1: (r"工作总体情况", r"总体工作情况", r"总体情况", r"工作概况", r"基本情况", r"总体概况", r"概况", r"概述"),
    2: (r"主动公开政府信息(?:的)?情况", r"主动公开(?:政府信息)?(?:工作)?(?:情况)?"),
    3: (r"收到(?:和|及)?处理(?:政府信息公开)?申请(?:的)?情况", r"依申请公开(?:政府信息)?(?:工作)?(?:的)?情况",
        r"政府信息公开申请(?:的)?(?:受理|办理)?(?:和处理)?情况"),
    4: (r"(?:因)?(?:政府信息公开)?(?:申请)?(?:提起)?行政复议\s*[、,，和与及]?\s*(?:提起)?行政诉讼(?:的)?情况",
        r"(?:因)?政府信息公开(?:申请)?(?:提起)?行政(?:复议|诉讼)(?:的)?情况"),
    5: (r"(?:政府信息公开)?(?:工作)?存在(?:的)?(?:主要)?问题(?:及|和|与|以及)?(?:改进|整改)(?:情况|措施|计划)?",
        r"(?:主要)?问题(?:及|和|与)(?:改进|整改)(?:情况|措施)"),
    6: (r"其[他它]需要报告的事项", r"需要(?:说明|报告)的其[他它]事项(?:与附表)?", r"其[他它]事项"),
}

#: what precedes a heading or a sub-part marker inside a long line
_BEFORE = r"(?:^|(?<=[\s。；;！!？?：:）)”\"'>|\d]))"


def _body(spec: FormatSpec, n: int) -> str:
    official = spec.section(n).heading.split("、", 1)[-1]
    return "|".join([re.escape(official), *_VARIANTS[n]])


def _inline_rx(spec: FormatSpec, n: int) -> re.Pattern[str]:
    return re.compile(_BEFORE + rf"(?P<num>[{_NUMS}]{{1,2}})\s*[、.．]\s*(?P<body>{_body(spec, n)})(?![；;，,、])")


_STANDALONE = re.compile(rf"^[#\s]*(?P<num>[{_NUMS}]{{1,2}})\s*[、.．,，]\s*(?P<body>.{{2,40}})$")


@dataclass
class Heading:
    line: int  # index in the split lines
    section: int
    printed: str  # as printed, e.g. 二、收到和处理政府信息公开申请情况
    #: a second heading of the same section (a seven-part report): not a section start
    continuation: bool = False


@dataclass
class _Cand:
    line: int
    start: int
    end: int
    section: int
    printed: str
    standalone: bool
    weight: int


def _cn(num: str) -> int:
    if num == "十":
        return 10
    if len(num) == 2 and num[0] == "十":
        return 10 + _NUMS.index(num[1]) + 1
    return _NUMS.index(num[0]) + 1


def _candidates(lines: list[str], spec: FormatSpec) -> list[_Cand]:
    out: list[_Cand] = []
    inline = {n: _inline_rx(spec, n) for n in range(1, 7)}
    variant = {n: re.compile(_body(spec, n)) for n in range(1, 7)}
    for i, line in enumerate(lines):
        s = line.strip()
        m = _STANDALONE.match(s)
        if m and "本年" not in m.group("body") and "结转" not in m.group("body"):
            rest = norm_label(m.group("body"))
            printed_no = _cn(m.group("num"))
            hits = [n for n in range(1, 7) if variant[n].search(rest)
                    or any(core in rest for core in spec.section(n).core)]
            if hits:
                n = printed_no if printed_no in hits else hits[0]
                official = loose_label(spec.section(n).heading.split("、", 1)[-1])
                exact = loose_label(rest) == official or (official.startswith(loose_label(rest)) and len(rest) >= 4)
                weight = (6 if exact else 3) if n == printed_no else (4 if exact else 2)
                out.append(_Cand(i, 0, len(line), n, s.lstrip("# "), True, weight))
                continue
        if len(s) <= 40:
            continue
        for n, rx in inline.items():
            official = loose_label(spec.section(n).heading.split("、", 1)[-1])
            for m in rx.finditer(line):
                printed = f"{m.group('num')}、{m.group('body')}"
                exact = loose_label(m.group("body")) == official
                out.append(_Cand(i, m.start("num"), m.end(), n, printed, False,
                                 (2 if _cn(m.group("num")) == n else 1) + (2 if exact else 0)))
    out.sort(key=lambda c: (c.line, c.start))
    return out


def _chain(cands: list[_Cand]) -> list[int]:
    """Indices of the candidates of the heaviest chain with section numbers rising in
    reading order (a section found twice: the first is its start)."""
    best: list[tuple[int, int]] = []  # (weight of the best chain ending here, previous index)
    for i, c in enumerate(cands):
        top = (c.weight, -1)
        for j in range(i):  # ties go to the later heading (a sub-heading comes before the real one)
            if cands[j].section < c.section and best[j][0] + c.weight >= top[0]:
                top = (best[j][0] + c.weight, j)
        best.append(top)
    if not best:
        return []
    i = max(range(len(best)), key=lambda k: (best[k][0], -k))
    out = []
    while i >= 0:
        out.append(i)
        i = best[i][1]
    return out[::-1]


def find_headings(lines: list[str], spec: FormatSpec) -> tuple[list[str], list[Heading]]:
    """Split ``lines`` at the section headings (found inside long lines too) and return the
    new lines with the headings, in order."""
    cands = _candidates(lines, spec)
    chosen = [cands[i] for i in _chain(cands)]
    # a second heading of a chosen section before the next section (e.g. 五、…行政诉讼情况 of a
    # seven-part report after 四、…行政复议情况) continues that section
    extra: list[_Cand] = []
    for k, c in enumerate(chosen):
        nxt = chosen[k + 1] if k + 1 < len(chosen) else None
        for d in cands:
            if d.section == c.section and (d.line, d.start) > (c.line, c.start) and \
                    (nxt is None or (d.line, d.start) < (nxt.line, nxt.start)) and d.standalone == c.standalone \
                    and d.printed != c.printed and not any(x is d for x in extra):
                extra.append(d)
    marks = sorted([(c, False) for c in chosen] + [(d, True) for d in extra], key=lambda x: (x[0].line, x[0].start))
    by_line: dict[int, list[tuple[_Cand, bool]]] = {}
    for c, cont in marks:
        by_line.setdefault(c.line, []).append((c, cont))
    out: list[str] = []
    heads: list[Heading] = []
    for i, line in enumerate(lines):
        if i not in by_line:
            out.append(line)
            continue
        pos = 0
        for c, cont in by_line[i]:
            if c.standalone:
                heads.append(Heading(len(out), c.section, c.printed, cont))
                out.append(line.strip())
                pos = len(line)
                break
            before = line[pos:c.start].strip()
            if before:
                out.append(before)
            heads.append(Heading(len(out), c.section, c.printed, cont))
            out.append(c.printed)
            pos = c.end
        rest = line[pos:].strip()
        if rest:
            out.append(rest)
    return out, heads


# ---- sub-parts inside long lines ---------------------------------------------------------

_MARK = re.compile(_BEFORE + rf"[（(]\s*(?P<num>[{_NUMS}]{{1,2}})\s*[)）]")


def split_parts(lines: list[str]) -> list[str]:
    """Put each sub-part marker （一）（二）… found inside a long line at the start of a line,
    when the markers come in order (a marker quoted in a sentence, 第（一）项, is left)."""
    out: list[str] = []
    expect = 1
    for line in lines:
        if len(line) <= 60:
            m = _MARK.match(line.strip())
            if m:
                expect = _cn(m.group("num")) + 1
            out.append(line)
            continue
        pos = 0
        lead = len(line) - len(line.lstrip(" \t-*•·"))
        for m in _MARK.finditer(line):
            n = _cn(m.group("num"))
            if m.start() <= lead:
                expect = n + 1  # the line starts with the marker
                continue
            if n != expect and n != 1:
                continue
            if m.start() > pos and line[pos:m.start()].strip():
                out.append(line[pos:m.start()].strip())
            pos = m.start()
            expect = n + 1
        out.append(line[pos:].strip())
    return out


# ---- the head: title, page metadata, opening ----------------------------------------------

#: a page's metadata lines: 信息名称: | …, 发布机构：…
_META = re.compile(r"^\s*[|\s]*(?P<key>信息名称|文件名称|标题|名\s*称|索引号|发布机构|发文机关|发布单位|所属机构|来源|信息来源|"
                   r"生成日期|发布日期|成文日期|发布时间|公开日期|公开方式|公开范围|公开时限|文号|发文字号|主题分类|"
                   r"主题词|体裁分类|有效性|时效|浏览次数|点击数|字号|分类)\s*[:：]\s*[|\s]*(?P<value>.*?)[|\s]*$")
_TITLE_KEYS = ("信息名称", "文件名称", "标题", "名称")
AGENCY_KEYS = ("发布机构", "发文机关", "发布单位", "所属机构", "来源", "信息来源")
_TITLE_IN = re.compile(r"(?:^|(?<=[\s|>]))(?P<t>[^\s。，；：:、|<>]{0,40}?(?:19|20)\d{2}\s*年度?[^\s。，；|]{0,20}?"
                       r"政府信息公开(?:工作)?年度报告)(?=$|[\s|（(])")
#: page furniture: breadcrumbs, sharing buttons, view counts
_FURNITURE = re.compile(r"当前位置|您现在的位置|首页|来源[:：]|时间[:：]|发布时间|发布日期|浏览次数|点击数|阅读次数|"
                        r"字号|打印|关闭|分享|微信|微博|QQ空间|全真版|文字版|文件下载|相关链接|扫一扫|-->|【|】|^\d{1,2}:\d{2}$|"
                        r"^\d{4}-\d{1,2}-\d{1,2}$")
JUNK = re.compile(r"发布者|发布日期|发布时间|浏览次数|当前位置|录入[:：]|来源[:：]|字号[:：]|打印本页|关闭窗口|【打印】|分享到")
_TAIL_JUNK = re.compile(r"(?:(?:^|(?<=\s)|(?<=[。！】]))(?:附件下载|相关附件|附件[:：]|【?打印本页】?|【?关闭窗口】?|【打印】|【关闭】|"
                        r"扫一扫在手机打开当前页|上一篇[:：].*|下一篇[:：].*)\s*)+$")


@dataclass
class Head:
    title: str = ""
    opening: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    #: the title came from the page's metadata (信息名称), not from a title line
    title_from_meta: bool = False


def is_pipe_line(s: str) -> bool:
    """A line holding nothing but table rules ("|", "||")."""
    return bool(s.strip()) and not s.replace("|", "").strip()


def _prose(chunk: str) -> bool:
    return "。" in chunk or (len(chunk) >= 12 and bool(re.search(r"[，,；]", chunk)))


def _unfurnish(line: str) -> list[str]:
    """A long head line of a crawled page: the title split out, the breadcrumb and buttons
    before the opening dropped."""
    s = line.strip()
    m = _TITLE_IN.search(s)
    pieces: list[str] = []
    if m and m.group("t") != s:
        before, title, after = s[:m.start("t")], m.group("t"), s[m.end("t"):]
        if before.strip():
            pieces.extend(_unfurnish(before))
        pieces.append(title)
        if after.strip():
            pieces.extend(_unfurnish(after))
        return pieces
    if len(s) < 60 or not _FURNITURE.search(s):
        return [s]
    chunks = s.split()
    for chunk in chunks:
        if _prose(chunk) and not _FURNITURE.match(chunk):
            start = s.find(chunk)
            return [s[start:]]
    return []


def read_head(lines: list[str]) -> Head:
    head = Head()
    meta_title = ""
    pieces: list[str] = []
    for line in lines:
        s = line.strip()
        if not s or is_pipe_line(s):
            continue
        m = _META.match(s)
        if m:
            key = re.sub(r"\s", "", m.group("key"))
            value = m.group("value").strip(" |")
            if value:
                head.meta.setdefault(key, value)
            if key in _TITLE_KEYS and value and not meta_title:
                meta_title = value
            continue
        pieces.extend(_unfurnish(s))
    for s in pieces:
        if not s or JUNK.search(s):
            continue
        if len(s) <= 60 and "报告" in s and "。" not in s and "政府信息公开" in s:
            if not head.title or (head.title.startswith("关于") and not s.startswith("关于")):
                head.title = s
            continue
        if len(s) < 12 and "。" not in s:
            continue  # site names, breadcrumbs
        head.opening.append(s)
    if not head.title and meta_title and "报告" in meta_title:
        head.title, head.title_from_meta = meta_title, True
    return head


def strip_tail(lines: list[str]) -> list[str]:
    """Drop the page furniture after the report (附件下载, 打印本页 …)."""
    out = list(lines)
    while out and (not out[-1].strip() or is_pipe_line(out[-1])):
        out.pop()
    if out:
        last = _TAIL_JUNK.sub("", out[-1]).rstrip()
        if last:
            out[-1] = last
        else:
            out.pop()
            return strip_tail(out)
    return out


# ---- 落款 ----------------------------------------------------------------------------------

_DATE = r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
_AGENCY_END = re.compile(r"(人民政府|办公室|办公厅|委员会|管委会|管理委员会|办事处|街道|政府|局|厅|委|办|中心|院|署|所|站|队|镇|乡|"
                         r"公司|集团|馆|会)$")
_SIGN_LINE = re.compile(r"(?:^|(?<=[\s。！!；;）)]))(?P<agency>[^\s。，,；;：:！!？?、（）()]{2,40}?)?\s*[（(]?\s*" + _DATE
                        + r"\s*[）)]?\s*$")


@dataclass
class Signoff:
    agency: str = ""
    date: str = ""  # ISO
    printed: str = ""


def looks_like_agency(name: str) -> bool:
    return bool(name) and len(name) >= 3 and bool(_AGENCY_END.search(name)) and not re.search(r"\d", name)


def find_signoff(lines: list[str]) -> tuple[list[str], Signoff | None]:
    """The 落款 at the end of the text (agency and date, on one line or two, or at the end
    of the last paragraph): the lines without it, and what it says."""
    out = strip_tail(lines)
    if not out:
        return out, None
    last = out[-1]
    m = _SIGN_LINE.search(last)
    if not m:
        return out, None
    agency = (m.group("agency") or "").strip()
    if agency and not looks_like_agency(agency):
        return out, None  # a sentence that ends in a date (…统计期限为…至2022年12月31日), not a 落款
    try:
        day = date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
    except ValueError:
        day = ""
    rest = last[:m.start()].rstrip()
    printed = last[m.start():].strip()
    # the agency on its own line above the date (blank lines between, as Markdown prints it)
    j = len(out) - 2
    while j >= 0 and not out[j].strip():
        j -= 1
    if not agency and not rest and j >= 0 and looks_like_agency(out[j].strip()) and len(out[j].strip()) <= 40:
        agency = out[j].strip()
        printed = f"{agency} {printed}"
        out = out[:j]
    elif not rest:
        out = out[:-1]
    else:
        out[-1] = rest
    return out, Signoff(agency, day, printed)


# ---- the agency ---------------------------------------------------------------------------

_SELF = re.compile(r"我(局|委|办|厅|中心|镇|乡|街道|院|署|区|县|市|部|室|站|所|队)")
_DOC_BY = re.compile(r"《(?P<a>[\u4e00-\u9fff]{4,30}?(?:人民政府|办公室|委员会|政府|局|厅|委|办|中心))关于")
_CONTACT = re.compile(r"请与(?P<a>[\u4e00-\u9fff]{4,30}?)(?:办公室|政务公开办|综合科|信息公开办)?联系")


def agency_in_text(text: str) -> str:
    """The agency as the text names itself: the office to contact (请与…联系), or the author
    of the documents it says it issued (《…关于…》) matching its 我局/我委 … (empty: not found)."""
    m = _CONTACT.search(text)
    if m and looks_like_agency(m.group("a")):
        return m.group("a")
    selves = [s for s in _SELF.findall(text)]
    if not selves:
        return ""
    me = max(set(selves), key=selves.count)
    counts: dict[str, int] = {}
    for m in _DOC_BY.finditer(text):
        a = m.group("a")
        if a.endswith(me):
            counts[a] = counts.get(a, 0) + 1
    if not counts:
        return ""
    return max(counts, key=lambda a: (counts[a], len(a)))
