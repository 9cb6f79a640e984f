"""Import of a published report from its text, as a user copies it from a web page.

Label-driven, not position-driven: the text is split into lines and cells (TAB,
``a | b | c``, one cell per line, or space-separated), every text cell is matched
against the labels of the format spec, and the figures that follow a row label belong
to that row.  Blank cells stay unanswered (``None``), "—" and "/" too (with a note);
nothing is ever invented.  What could not be found is reported in Chinese notes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from .findings import Finding
from .formats import (
    VERSIONS,
    Block,
    FormatSpec,
    FormatVersion,
    Table,
    format_for_year,
    get_spec,
    loose_label,
    norm_label,
)
from .layout import PATH_SEP
from .model import Agency, AgencyKind, Narrative, Part, Report, Signoff
from .numbers import DASHES, clean


@dataclass
class ImportNote:
    severity: str  # error / warning
    message: str
    section: int = 0
    #: the text stops before the report does (a section, table or rows are missing)
    incomplete: bool = False

    def finding(self) -> Finding:
        rule = "INCOMPLETE" if self.incomplete else "IMPORT"
        return Finding(rule, self.severity, self.message, where="导入", section=self.section)  # type: ignore[arg-type]


@dataclass
class ImportResult:
    report: Report
    notes: list[ImportNote] = field(default_factory=list)
    detected_format: FormatVersion | None = None

    @property
    def findings(self) -> list[Finding]:
        return [n.finding() for n in self.notes]


# ---- cells ------------------------------------------------------------------------------

_VALUE = re.compile(r"^[+\-]?\d[\d,]*(?:\.\d+)?(?:万元|元|件|个|项|条)?$")


def _is_value(tok: str) -> bool:
    t = clean(tok)
    return bool(_VALUE.match(t)) or t in DASHES


def split_cells(line: str) -> list[str]:
    """Cells of one line; empty strings are blank cells."""
    if "\t" in line:
        raw = line.split("\t")
    elif "|" in line:
        s = line.strip()
        if len(s) > 1 and s.startswith("|") and s.endswith("|"):
            s = s[1:-1]
        elif s.endswith("|"):
            s = s[:-1]
        elif s.startswith("|"):
            s = s[1:]
        raw = s.split("|")
    else:
        raw = [line]
    out: list[str] = []
    for cell in raw:
        toks = cell.split()
        if not toks:
            out.append("")
            continue
        text: list[str] = []
        for tok in toks:
            if _is_value(tok):
                if text:
                    out.append("".join(text))
                    text = []
                out.append(tok)
            else:
                text.append(tok)
        if text:
            out.append("".join(text))
    return out


def parse_cell(tok: str, kind: str) -> tuple[int | Decimal | None, str]:
    """A printed cell -> (value or None, note).  Never invents a figure."""
    t = clean(tok)
    if not t:
        return None, ""
    if t in DASHES:
        return None, f"“{tok.strip()}”"
    unit = ""
    m = re.match(r"^(.*?)(万元|元|件|个|项|条)$", t)
    if m:
        t, unit = m.group(1), m.group(2)
    t = t.replace(",", "")
    try:
        d = Decimal(t)
    except InvalidOperation:
        return None, f"“{tok.strip()}”无法识别"
    note = f"单元格写有单位“{unit}”" if unit in ("元", "万元") else ""
    if "." in t:
        return d, note
    return int(d), note


# ---- label index --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Entry:
    kind: str  # row / caption / header
    block: str = ""
    row: str = ""
    official: bool = True  # the printed label is the official one of this format
    label: str = ""


def _index(spec: FormatSpec, table: Table) -> dict[str, _Entry]:
    """loose label -> entry, for one table; the other format's labels map onto the same
    keys where the key exists in this format (e.g. 规范性文件 in a 2021 table)."""
    idx: dict[str, _Entry] = {}
    other = [get_spec(v) for v in VERSIONS if v != spec.version]

    def add(label: str, entry: _Entry) -> None:
        key = loose_label(label)
        if key and key not in idx:
            idx[key] = entry

    for b in table.blocks:
        for r in b.rows:
            if r.label:
                add(r.label, _Entry("row", b.key, r.key, True, r.label))
                for a in r.aliases:
                    add(a, _Entry("row", b.key, r.key, False, a))
        if b.caption:
            add(b.caption, _Entry("caption", b.key))
        if b.corner:
            add(b.corner, _Entry("header", b.key))
        for c in b.columns:
            add(c.label, _Entry("header", b.key, c.key))
            for g in c.groups:
                add(g, _Entry("header", b.key))
        for r in b.rows:
            for g in r.groups:
                add(g, _Entry("header", b.key))
    for variant, official in spec.label_variants.items():
        for b in table.blocks:
            for c in b.columns:
                if c.label == official:
                    add(variant, _Entry("header", b.key, c.key, False, variant))
    for o in other:
        try:
            ot = o.table(table.key)
        except KeyError:
            continue
        for b in ot.blocks:
            for r in b.rows:
                if not r.label:
                    continue
                try:
                    table.block(b.key).row(r.key)
                    add(r.label, _Entry("row", b.key, r.key, False, r.label))
                except KeyError:
                    add(r.label, _Entry("foreign", b.key, r.key, False, r.label))
            if b.caption:
                add(b.caption, _Entry("caption", b.key))
            for c in b.columns:
                add(c.label, _Entry("header", b.key))
    return idx


def _match(idx: dict[str, _Entry], text: str) -> _Entry | None:
    key = loose_label(text)
    if not key:
        return None
    if key in idx:
        return idx[key]
    # a group label and a row label merged in one cell: the longest row label it ends with
    best: tuple[int, _Entry] | None = None
    for k, e in idx.items():
        if e.kind in ("row", "foreign") and len(k) >= 2 and key.endswith(k):
            if best is None or len(k) > best[0]:
                best = (len(k), e)
    if best:
        return best[1]
    # damaged or cut-off labels: a unique row label this text is the start of
    if len(key) >= 4:
        cands = [e for k, e in idx.items() if e.kind == "row" and k.startswith(key)]
        if len({(e.block, e.row) for e in cands}) == 1:
            return cands[0]
    for k, e in idx.items():
        if e.kind == "caption" and k in key:
            return e
    return None


# ---- table parsing --------------------------------------------------------------------------

def _grid_row(cells: list[str], i: int, table: Table, block: Block) -> list[str] | None:
    """The figures of a row printed on the table's full grid (nianbao's .txt, a copy from
    Excel or WPS: a merged label is its text followed by empty cells), by position; the
    row label at ``i``.  None for a row in any other layout."""
    labels = 0 if all(b.unlabelled for b in table.blocks) else max(b.label_depth for b in table.blocks)
    width = labels + max(len(b.columns) for b in table.blocks)
    if len(cells) != width or i >= labels or any(c.strip() for c in cells[i + 1:labels]):
        return None
    return cells[labels:labels + len(block.columns)]


@dataclass
class _RowAcc:
    block: str
    row: str
    cells: list[str] = field(default_factory=list)
    line_mode: bool = False  # values on the label's own line


def parse_table(lines: list[str], spec: FormatSpec, table: Table, report: Report,
                notes: list[ImportNote]) -> tuple[set[tuple[str, str]], list[str]]:
    """Fill ``report`` with the cells of ``table`` found in ``lines``.

    Returns the (block, row) pairs found and the lines that were prose, not table."""
    idx = _index(spec, table)
    found: set[tuple[str, str]] = set()
    prose: list[str] = []
    current: _RowAcc | None = None
    block_key = table.blocks[0].key
    unlabelled = table.blocks[0].unlabelled

    def finish(acc: _RowAcc | None) -> None:
        if acc is None:
            return
        b = table.block(acc.block)
        k = len(b.columns)
        vals = list(acc.cells)
        # cells shifted by empty layout cells: drop surplus blanks, trailing ones first
        while len(vals) > k and not vals[-1].strip():
            vals.pop()
        while len(vals) > k and not vals[0].strip():
            vals.pop(0)
        row = b.row(acc.row)
        if not any(v.strip() for v in vals):
            if not vals:
                return  # a label with no cells at all: the text was cut off here
        place = f"{table.name}{' ' + b.caption if b.caption else ''}" + (f" “{row.label}”行" if row.label else "")
        if len(vals) > k:
            notes.append(ImportNote("warning", f"{place}多出{len(vals) - k}个数值（{'、'.join(vals[k:])}），已忽略",
                                    table.section))
            vals = vals[:k]
        if len(vals) < k:
            notes.append(ImportNote("warning", f"{place}只有{len(vals)}个数值（应有{k}个），缺少的按未填处理",
                                    table.section, incomplete=True))
        for c, tok in zip(b.columns, vals, strict=False):
            cid = f"{table.key}.{acc.block}.{acc.row}.{c.key}"
            v, note = parse_cell(tok, c.kind)
            report.set(cid, v)
            if note:
                what = f"{place} “{c.label}”列为{note}"
                if v is None:
                    what += "，按未填处理"
                notes.append(ImportNote("warning", what, table.section))
        found.add((acc.block, acc.row))

    for line in lines:
        if not line.strip():
            continue
        cells = split_cells(line)
        texts = [c for c in cells if c.strip() and not _is_value(c)]
        values = [c for c in cells if c.strip() and _is_value(c)]
        if not texts:
            # a line of figures (and blanks)
            if current is None and unlabelled and values and (block_key, "all") not in found:
                current = _RowAcc(block_key, "all")
            if current is not None:
                if current.line_mode:
                    finish(current)
                    current = None
                    continue
                if values and not current.cells and len(cells) > 1:
                    current.cells.extend(cells)  # the whole row on one line
                    finish(current)
                    current = None
                else:
                    # one cell per line: collect until the next label (blank cells count,
                    # surplus layout blanks are dropped in finish)
                    current.cells.extend(cells)
            continue
        # a line with text cells: labels, headers, or prose
        matched_any = False
        for i, cell in enumerate(cells):
            if not cell.strip():
                if current is not None and current.line_mode:
                    current.cells.append(cell)
                continue
            if _is_value(cell):
                if current is not None:
                    current.cells.append(cell)
                continue
            e = _match(idx, cell)
            if e is None:
                continue
            matched_any = True
            if e.kind == "row":
                finish(current)
                current = _RowAcc(e.block, e.row, line_mode=any(
                    c.strip() and _is_value(c) for c in cells[i + 1:]))
                block_key = e.block
                if not e.official:
                    report.label_variants[f"{table.key}.{e.block}.row.{e.row}"] = e.label
                on_grid = _grid_row(cells, i, table, table.block(e.block))
                if on_grid is not None:
                    current.cells = on_grid
                    finish(current)
                    current = None
                    break
            elif e.kind == "foreign":
                finish(current)
                current = None
                notes.append(ImportNote("warning", f"{table.name}中出现了{spec.version}格式没有的栏目“{cell}”，其数值未导入",
                                        table.section))
            else:
                if current is not None and not current.line_mode:
                    finish(current)
                    current = None
                if e.kind == "caption":
                    block_key = e.block
                if e.kind == "header" and not e.official and e.label:
                    b = table.block(e.block)
                    col = next((c for c in b.columns if c.key == (_col_key_for(b, e))), None)
                    if col is not None:
                        report.label_variants[f"{table.key}.{e.block}.col.{col.key}"] = cell.strip()
        if current is not None and current.line_mode:
            finish(current)
            current = None
        if not matched_any:
            joined = "".join(texts)
            if len(joined) >= 20 or re.search(r"[。；]", joined):
                prose.append(line.strip())
    if current is not None:
        finish(current)
    return found, prose


def _col_key_for(block: Block, e: _Entry) -> str:
    if e.row:
        return e.row
    for c in block.columns:
        if loose_label(c.label) == loose_label(e.label):
            return c.key
    return ""


# ---- sections ---------------------------------------------------------------------------

_HEADING = re.compile(r"^[#\s]*([一二三四五六])\s*[、.．,，]\s*(.{2,40})$")
_SUB = re.compile(r"^\s*(?:[-*•·]\s*)?[（(]\s*([一二三四五六七八九十]+)\s*[)）]\s*(.*)$")
_JUNK = re.compile(r"发布者|发布日期|发布时间|浏览次数|当前位置|录入[:：]|来源[:：]|字号[:：]|打印本页|关闭窗口|【打印】|分享到")
_CN_NUM = "一二三四五六"


def _find_headings(lines: list[str], spec: FormatSpec) -> dict[int, int]:
    """section number -> line index of its heading."""
    found: dict[int, int] = {}
    last = 0
    for i, line in enumerate(lines):
        m = _HEADING.match(line.strip())
        if not m:
            continue
        n = _CN_NUM.index(m.group(1)) + 1
        rest = norm_label(m.group(2))
        if n <= last:
            continue
        if any(core in rest for core in spec.section(n).core) and "本年" not in rest and "结转" not in rest:
            found[n] = i
            last = n
    return found


def _title_and_opening(head: list[str]) -> tuple[str, list[str]]:
    title = ""
    opening: list[str] = []
    for line in head:
        s = line.strip()
        if not s or _JUNK.search(s):
            continue
        if len(s) <= 60 and "报告" in s and "。" not in s and "政府信息公开" in s:
            if not title or (title.startswith("关于") and not s.startswith("关于")):
                title = s
            continue
        if len(s) < 12 and "。" not in s:
            continue  # site names, breadcrumbs
        opening.append(s)
    return title, opening


def _agency_from(title: str, text: str) -> str:
    t = norm_label(title)
    m = re.match(r"^(?:关于)?(.*?)(\d{4})年(?:度)?(.*?)政府信息公开", t)
    if m:
        name = m.group(1) or m.group(3)
        name = name.strip("（）：，")
        if name and name not in ("本级政府", "本机关"):
            return name
    m = re.search(r"公布(\d{4})年(?:度)?(.{2,30}?)政府信息公开", text)
    if m:
        return m.group(2)
    for pat in (r"现(?:向社会)?公布(.{2,30}?)\d{4}年(?:度)?政府信息公开", r"特编制(.{2,30}?)\d{4}年(?:度)?政府信息公开",
                r"^(.{2,30}?)\d{4}年(?:度)?政府信息公开工作年度报告"):
        m = re.search(pat, text)
        if m:
            return m.group(1)
    return ""


def guess_kind(name: str) -> AgencyKind | None:
    if not name:
        return None
    if re.search(r"(镇|乡|街道)(人民政府|办事处)?$", name) or re.search(r"(镇|乡)人民政府", name):
        return AgencyKind.TOWNSHIP
    if name.endswith("人民政府"):
        return AgencyKind.GOVERNMENT
    if re.search(r"(局|委员会|委|办公室|办|厅|中心|署|院|所|站|队|管委会)$", name):
        return AgencyKind.DEPARTMENT
    return AgencyKind.OTHER


def _clean_para(s: str) -> str:
    s = s.strip()
    s = re.sub(r"^[-*•]\s+", "", s)
    return s


def _parts(lines: list[str]) -> list[Part]:
    parts: list[Part] = []
    cur: Part | None = None
    for raw in lines:
        s = _clean_para(raw)
        if not s or _JUNK.search(s):
            continue
        m = _SUB.match(s)
        if m:
            rest = m.group(2).strip()
            first = re.match(r"^(.{1,30}?[。．.])(.*)$", rest)
            if len(rest) <= 30 and rest.count("。") <= 1:
                cur = Part(title=rest)
                parts.append(cur)
                continue
            if first and first.group(2).strip():
                cur = Part(title=first.group(1).rstrip(".．") + ("。" if first.group(1)[-1] in ".．" else ""),
                           text=first.group(2).strip(), inline=True)
                parts.append(cur)
                continue
        if cur is None:
            cur = Part(text=s)
            parts.append(cur)
        else:
            cur.text = f"{cur.text}\n{s}" if cur.text else s
    return parts


def _split_problems(parts: list[Part]) -> tuple[list[Part], list[Part]]:
    problems: list[Part] = []
    measures: list[Part] = []
    for p in parts:
        if p.title and re.search(r"措施|改进|计划|打算|举措|下一步|努力方向", p.title):
            measures.append(p)
        elif p.title and re.search(r"问题|不足|差距", p.title):
            problems.append(p)
        elif p.title and not measures and re.search(r"问题|不足|差距", " ".join(x.text for x in problems)) and \
                re.search(r"措施|改进", problems[-1].text if problems else ""):
            measures.append(p)
        elif measures or (p.title and problems):
            measures.append(p)
        else:
            problems.append(p)
    return problems, measures


# ---- format detection --------------------------------------------------------------------

def _distinct_labels(version: FormatVersion) -> set[str]:
    mine = get_spec(version)
    others = [get_spec(v) for v in VERSIONS if v != version]

    def labels(spec: FormatSpec) -> set[str]:
        out = set()
        for t in spec.tables:
            for b in t.blocks:
                out.add(loose_label(b.caption))
                out.update(loose_label(r.label) for r in b.rows)
                out.update(loose_label(c.label) for c in b.columns)
        out.discard("")
        return out

    theirs = set().union(*(labels(o) for o in others))
    return {x for x in labels(mine) - theirs if len(x) >= 4}


def detect_format(text: str) -> FormatVersion | None:
    flat = loose_label(text)
    scores = {v: sum(1 for lab in _distinct_labels(v) if lab in flat) for v in VERSIONS}
    best = max(scores.values())
    if best == 0:
        return None
    winners = [v for v, s in scores.items() if s == best]
    return winners[0] if len(winners) == 1 else None


# ---- Markdown and the 落款 ----------------------------------------------------------------------

_MD_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_MD_ATX = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_ESCAPE = re.compile(r"\\([\\`*_\[\]#+\-=.|!])")


def _markdown_plain(text: str) -> str:
    """A Markdown report (nianbao's .md, or any GitHub-flavoured Markdown) as the plain
    text the rest of the importer reads: heading marks, ``**`` and ``<strong>`` dropped,
    backslash escapes and ``&lt;``/``&gt;`` undone, the delimiter row of a pipe table
    dropped, and the spelled-out header path of a pipe table's header row
    (申请人情况／法人或其他组织／商业企业) cut to its own label.  Text without Markdown
    headings or pipe tables is returned unchanged."""
    lines = text.split("\n")
    rules = {i for i, ln in enumerate(lines) if i and "-" in ln and _MD_RULE.match(ln) and "|" in lines[i - 1]
             and not _MD_RULE.match(lines[i - 1])}
    if not rules and not any(_MD_ATX.match(ln) for ln in lines):
        return text
    out = []
    for i, line in enumerate(lines):
        if i in rules:
            continue
        if i + 1 in rules:  # a header row
            line = "|".join(cell.rsplit(PATH_SEP, 1)[-1] for cell in line.split("|"))
        line = _MD_ATX.sub("", line)
        line = line.replace("<strong>", "").replace("</strong>", "").replace("**", "")
        line = _MD_ESCAPE.sub(r"\1", line).replace("&lt;", "<").replace("&gt;", ">")
        out.append(line)
    return "\n".join(out)


_SIGNOFF_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def _signoff(lines: list[str], agency: str) -> tuple[list[str], Signoff | None]:
    """The 落款 that ends the report (the agency on one line, the date on the next, or the
    date alone), taken out of the last section's lines.  The agency is kept only where it
    differs from the report's agency."""
    idx = [i for i, ln in enumerate(lines) if ln.strip()]
    if not idx:
        return lines, None
    m = _SIGNOFF_DATE.match(clean(lines[idx[-1]]))
    if not m:
        return lines, None
    try:
        day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return lines, None
    drop = {idx[-1]}
    name = ""
    if len(idx) > 1:
        prev = lines[idx[-2]].strip()
        if len(prev) <= 40 and not re.search(r"[。，；：！？]", prev) and not _SUB.match(prev) \
                and not _HEADING.match(prev):
            name = prev
            drop.add(idx[-2])
    printed = "" if norm_label(name) == norm_label(agency) else name
    return [ln for i, ln in enumerate(lines) if i not in drop], Signoff(agency=printed, date=day.isoformat())


# ---- main entry -----------------------------------------------------------------------------

def import_text(text: str, name: str = "") -> ImportResult:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = _markdown_plain(text)
    lines = text.split("\n")
    notes: list[ImportNote] = []
    report = Report()
    report.meta.source = name

    if not text.strip():
        notes.append(ImportNote("error", "文件是空的，没有可导入的内容", incomplete=True))
        return ImportResult(report, notes)

    probe = get_spec("2021")
    heads = _find_headings(lines, probe)
    first = min(heads.values()) if heads else len(lines)
    title, opening = _title_and_opening(lines[:first])
    report.title = title

    # the year: title, statistics period, or the most frequent year in the text
    year = None
    m = re.search(r"(\d{4})\s*年", norm_label(title)) if title else None
    if m:
        year = int(m.group(1))
    else:
        m = re.search(r"统计[^。]{0,20}?(\d{4})\s*年\s*1\s*月\s*1\s*日", text)
        if m:
            year = int(m.group(1))
        else:
            years = Counter(int(y) for y in re.findall(r"(?<!\d)(20\d{2})\s*年", text))
            if years:
                year = years.most_common(1)[0][0]
    report.year = year
    if year is None:
        notes.append(ImportNote("warning", "没有找到报告年度（标题或统计期限中的年份），请在基本信息中填写"))

    detected = detect_format(text)
    version = detected or format_for_year(year)
    if detected and year is not None and detected != format_for_year(year):
        report.format_override = detected
    spec = get_spec(version)

    agency = _agency_from(title, "\n".join(opening[:2]) or text[:400])
    report.agency = Agency(name=agency, kind=guess_kind(agency))
    if not agency:
        notes.append(ImportNote("warning", "没有找到机关名称，请在基本信息中填写"))

    # sections
    bounds = sorted(heads.items(), key=lambda kv: kv[1])

    def section_lines(n: int) -> list[str] | None:
        if n not in heads:
            return None
        start = heads[n] + 1
        later = [i for k, i in bounds if i > heads[n]]
        end = later[0] if later else len(lines)
        return lines[start:end]

    # a heading line may carry a stray label variant (e.g. 上海's 五 heading)
    for n, i in heads.items():
        printed = _HEADING.match(lines[i].strip())
        assert printed
        heading = f"{printed.group(1)}、{printed.group(2).strip()}"
        official = spec.section(n).heading
        if norm_label(heading) != norm_label(official) and not loose_label(official).startswith(loose_label(heading)):
            report.label_variants[f"heading.{n}"] = heading

    for n in range(1, 7):
        if n not in heads:
            later = [k for k in heads if k > n]
            why = "，全文可能不完整" if not later else ""
            notes.append(ImportNote("error", f"缺少“{spec.section(n).heading}”部分{why}", n, incomplete=True))

    narrative = Narrative()
    sec1 = section_lines(1) or []
    parts = _parts(sec1)
    if not opening and parts and not parts[0].title:
        first_para = parts[0].text.split("\n")[0]
        if "条例" in first_para and re.search(r"编制|统计期限|统计时限|统计时间|年度报告", first_para):
            opening = [first_para]
            rest = parts[0].text.split("\n")[1:]
            if rest:
                parts[0].text = "\n".join(rest)
            else:
                parts.pop(0)
    narrative.opening = "\n".join(_clean_para(x) for x in opening)
    narrative.overview = parts

    tables_found: dict[str, set[tuple[str, str]]] = {}
    for t in spec.tables:
        sl = section_lines(t.section)
        if sl is None:
            notes.append(ImportNote("error", f"{t.name}缺失（没有找到“{spec.section(t.section).heading}”部分）",
                                    t.section, incomplete=True))
            continue
        found, prose = parse_table(sl, spec, t, report, notes)
        tables_found[t.key] = found
        if prose:
            narrative.table_notes[str(t.section)] = "\n".join(prose)
        all_rows = [(b.key, r.key) for b in t.blocks for r in b.rows]
        if not found:
            notes.append(ImportNote("error", f"{t.name}缺失（“{spec.section(t.section).heading}”部分没有表格数据）",
                                    t.section, incomplete=True))
        elif len(found) < len(all_rows):
            missing_rows = [(b, r) for b, r in all_rows if (b, r) not in found]
            first_b, first_r = missing_rows[0]
            blk = t.block(first_b)
            label = blk.row(first_r).label or blk.caption
            if t.key == "t2":
                cap = f"{blk.caption}" if blk.caption else ""
                notes.append(ImportNote("error", f"{t.name}不完整：缺少{cap}“{label}”等{len(missing_rows)}行", t.section,
                                        incomplete=True))
            else:
                notes.append(ImportNote("error", f"{t.name}不完整：从“{label}”起缺少{len(missing_rows)}行", t.section,
                                        incomplete=True))

    sec5 = section_lines(5)
    if sec5 is not None:
        ps = _parts(sec5)
        narrative.problems, narrative.measures = _split_problems(ps)
    sec6 = section_lines(6)
    if sec6 is not None:
        sec6, signoff = _signoff(sec6, agency)
        if signoff is not None:
            report.signoff = signoff
        narrative.other = "\n".join(_clean_para(x) for x in sec6 if x.strip() and not _JUNK.search(x))
    report.narrative = narrative
    report.ensure_cells()
    report.meta.notes = [n.message for n in notes]
    return ImportResult(report, notes, detected)
