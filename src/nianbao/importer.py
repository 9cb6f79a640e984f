"""Import of a published report from its text, in whatever shape the web gave it.

Label-driven, not position-driven: the text is split into lines and cells (TAB,
``a | b | c``, one cell per line, or space-separated), every text cell is matched
against the labels of the format spec, and the figures that follow a row label belong
to that row.  A table whose cells ran together (a crawler's text:
``…申请数量690000069二、上年结转…``) is read by its labels anywhere in the text and its
digit runs are cut by the spec's identities (:mod:`nianbao.flattened`).  Headings are
known by their words and order (:mod:`nianbao.outline`).

Blank cells stay unanswered (``None``), "—" and "/" too (with a note); nothing is ever
invented.  What could not be found, and everything the importer had to interpret, is
reported in Chinese notes, and :attr:`ImportResult.summary` says in one line what was read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from .findings import Finding
from .flattened import (
    BLOCK_NODES,
    Entry,
    RawRow,
    Reading,
    _Budget,
    label_entries,
    plausibility,
    resolve_block,
    scan,
)
from .flattened import parse_cell as _parse_cell
from .formats import (
    OVERVIEW_THEMES,
    VERSIONS,
    Block,
    FormatSpec,
    FormatVersion,
    Table,
    cell_id,
    format_for_year,
    get_spec,
    loose_label,
    norm_label,
)
from .layout import PATH_SEP
from .model import Agency, AgencyKind, Narrative, Part, Report, Signoff
from .numbers import DASHES, clean, format_number
from .outline import (
    AGENCY_KEYS,
    JUNK,
    Heading,
    agency_in_text,
    find_headings,
    find_signoff,
    is_pipe_line,
    looks_like_agency,
    read_head,
    split_parts,
)
from .text import HEAD

_CN = "一二三四五六七八九十"


@dataclass
class ImportNote:
    severity: str  # error / warning
    message: str
    section: int = 0
    #: the text stops before the report does (a section, table or rows are missing)
    incomplete: bool = False
    #: the rule id (default: IMPORT, or INCOMPLETE for ``incomplete``)
    rule: str = ""
    cells: tuple[str, ...] = ()
    where: str = "导入"
    expected: str = ""
    found: str = ""

    def finding(self) -> Finding:
        rule = self.rule or ("INCOMPLETE" if self.incomplete else "IMPORT")
        return Finding(rule, self.severity, self.message, where=self.where, section=self.section,  # type: ignore[arg-type]
                       cells=self.cells, expected=self.expected, found=self.found)


@dataclass
class TableStats:
    """What reading one table took."""

    cut: int = 0  # rows whose figures ran together and were cut into cells
    undecided: int = 0  # rows left unanswered: more than one reading held, or none
    flat: bool = False  # the table's cells ran together


@dataclass
class ImportResult:
    report: Report
    notes: list[ImportNote] = field(default_factory=list)
    detected_format: FormatVersion | None = None
    #: per table key: what reading it took
    tables: dict[str, TableStats] = field(default_factory=dict)
    #: what the source was (e.g. "PDF"), for the summary
    source: str = ""

    @property
    def findings(self) -> list[Finding]:
        return [n.finding() for n in self.notes]

    @property
    def summary(self) -> str:
        """One line: how many cells were read, and how (``已读到 198/198 个单元格，表三按勾稽关系拆分了 4 行``)."""
        done, total = self.report.answered()
        parts = [f"已读到 {done}/{total} 个单元格"]
        spec = self.report.spec
        for t in spec.tables:
            st = self.tables.get(t.key)
            if st is None:
                continue
            if st.cut:
                parts.append(f"{t.name}按勾稽关系拆分了 {st.cut} 行")
            if st.undecided:
                parts.append(f"{t.name}有 {st.undecided} 行读法不唯一、未导入")
        interpreted = sum(1 for n in self.notes if n.severity == "warning")
        errors = sum(1 for n in self.notes if n.severity == "error")
        tail = []
        if errors:
            tail.append(f"{errors} 处缺失")
        if interpreted:
            tail.append(f"{interpreted} 条导入说明")
        line = "，".join(parts)
        if tail:
            line += "（" + "，".join(tail) + "）"
        return (f"{self.source}：" if self.source else "") + line


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


def parse_cell(tok: str, kind: str = "count") -> tuple[int | Decimal | None, str]:
    """A printed cell -> (value or None, note).  Never invents a figure."""
    return _parse_cell(tok)


# ---- label index --------------------------------------------------------------------------

def _index(spec: FormatSpec, table: Table) -> dict[str, Entry]:
    """loose label -> entry, for one table; the other format's labels map onto the same
    keys where the key exists in this format (e.g. 规范性文件 in a 2021 table)."""
    idx: dict[str, Entry] = {}
    for label, entry in label_entries(spec, table):
        key = loose_label(label)
        if key and key not in idx:
            idx[key] = entry
    return idx


_NOTE = re.compile(r"^(?P<label>.+?)(?P<note>（[^（）]{2,80}）)$")


def _near(a: str, b: str) -> bool:
    """One character off (a misprint such as 先行有效件数 for 现行有效件数)."""
    return len(a) == len(b) >= 5 and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _match(idx: dict[str, Entry], text: str) -> tuple[Entry, str] | None:
    """The entry a printed cell stands for, and how it was recognised ("" exactly, or
    ``note`` (a fill-in note in brackets after the label), ``near`` (one character off))."""
    key = loose_label(text)
    if not key:
        return None
    if key in idx:
        return idx[key], ""
    # a label followed by the local template's fill-in note: 规范性文件（指…）
    m = _NOTE.match(norm_label(text))
    if m:
        inner = loose_label(m.group("label"))
        if inner in idx and idx[inner].kind in ("row", "header", "foreign"):
            return idx[inner], "note"
    # a group label and a row label merged in one cell: the longest row label it ends with
    best: tuple[int, Entry] | None = None
    for k, e in idx.items():
        if e.kind in ("row", "foreign") and len(k) >= 2 and key.endswith(k):
            if best is None or len(k) > best[0]:
                best = (len(k), e)
    if best:
        return best[1], ""
    # damaged or cut-off labels: a unique row label this text is the start of
    if len(key) >= 4:
        cands = [e for k, e in idx.items() if e.kind == "row" and k.startswith(key)]
        if len({(e.block, e.row) for e in cands}) == 1:
            return cands[0], ""
    for k, e in idx.items():
        if e.kind == "caption" and k in key:
            return e, ""
    near = {(e.kind, e.block, e.row, e.column): e for k, e in idx.items()
            if e.kind in ("row", "header") and (e.row or e.column) and _near(key, k)}
    if len(near) == 1:
        return next(iter(near.values())), "near"
    return None


# ---- table parsing --------------------------------------------------------------------------

def _place(table: Table, b: Block, row_key: str) -> str:
    row = b.row(row_key)
    return f"{table.name}{' ' + b.caption if b.caption else ''}" + (f" “{row.label}”行" if row.label else "")


def _grid_row(cells: list[str], i: int, table: Table, block: Block) -> list[str] | None:
    """The figures of a row printed on the table's full grid (nianbao's .txt, a copy from
    Excel or WPS: a merged label is its text followed by empty cells), by position; the
    row label at ``i``.  None for a row in any other layout."""
    labels = 0 if all(b.unlabelled for b in table.blocks) else max(b.label_depth for b in table.blocks)
    width = labels + max(len(b.columns) for b in table.blocks)
    if len(cells) != width or i >= labels or any(c.strip() for c in cells[i + 1:labels]):
        return None
    return cells[labels:labels + len(block.columns)]


def _lines_rows(lines: list[str], spec: FormatSpec, table: Table, report: Report,
                notes: list[ImportNote]) -> tuple[list[RawRow], list[str]]:
    """The printed rows of ``table`` in text laid out in lines (TAB, pipes, one cell per
    line, spaces), and the lines that were prose."""
    idx = _index(spec, table)
    rows: list[RawRow] = []
    prose: list[str] = []
    current: RawRow | None = None
    line_mode = False
    block_key = table.blocks[0].key
    unlabelled = table.blocks[0].unlabelled
    done: set[tuple[str, str]] = set()

    def finish(acc: RawRow | None) -> None:
        if acc is None or not acc.tokens:
            return  # a label with no cells at all: the text was cut off here
        if (acc.block, acc.row) in done:
            return
        done.add((acc.block, acc.row))
        rows.append(acc)

    for line in lines:
        if not line.strip() or (is_pipe_line(line) and current is None):
            continue
        cells = split_cells(line)
        texts = [c for c in cells if c.strip() and not _is_value(c)]
        values = [c for c in cells if c.strip() and _is_value(c)]
        if not texts:
            # a line of figures (and blanks)
            if current is None and unlabelled and values and (block_key, "all") not in done:
                current, line_mode = RawRow(block_key, "all"), False
            if current is not None:
                if line_mode:
                    finish(current)
                    current = None
                    continue
                if values and not current.tokens and len(cells) > 1:
                    current.tokens.extend(cells)  # the whole row on one line
                    finish(current)
                    current = None
                else:
                    # one cell per line: collect until the next label (blank cells count,
                    # surplus layout blanks are dropped when the row is read)
                    current.tokens.extend(cells)
            continue
        # a line with text cells: labels, headers, or prose
        matched_any = False
        for i, cell in enumerate(cells):
            if not cell.strip():
                if current is not None and line_mode:
                    current.tokens.append(cell)
                continue
            if _is_value(cell):
                if current is not None:
                    current.tokens.append(cell)
                continue
            hit = _match(idx, cell)
            if hit is None:
                continue
            e, how = hit
            matched_any = True
            after = cells[i + 1:]
            has_values = any(c.strip() and _is_value(c) for c in after)
            if (e.kind == "header" and e.mapped_row and has_values) or (e.kind == "foreign" and e.mapped_row):
                e = Entry("row", e.block, e.mapped_row, False, cell.strip(), mapped_row=e.mapped_row)
            if e.kind == "row":
                finish(current)
                current = RawRow(e.block, e.row, [], False, cell.strip(), e.official and not how,
                                 e.label if e.mapped_row else "", "note" if how == "note" else "")
                # the row's cells on the label's own line (blank cells too, in a TAB or | layout)
                line_mode = has_values or bool(after)
                block_key = e.block
                on_grid = _grid_row(cells, i, table, table.block(e.block))
                if on_grid is not None:
                    current.tokens = on_grid
                    finish(current)
                    current = None
                    break
            elif e.kind == "foreign":
                finish(current)
                current = None
                notes.append(ImportNote("warning", f"{table.name}中出现了{spec.version}格式没有的栏目“{cell}”，其数值未导入",
                                        table.section))
            else:
                if current is not None and not line_mode:
                    finish(current)
                    current = None
                if e.kind == "caption":
                    block_key = e.block
                if e.kind == "header" and e.column and (not e.official or how):
                    _variant(report, notes, spec, f"{table.key}.{e.block}.col.{e.column}", cell.strip())
        if current is not None and line_mode:
            finish(current)
            current = None
        if not matched_any:
            joined = "".join(texts)
            if len(joined) >= 20 or re.search(r"[。；]", joined):
                prose.append(line.strip())
    finish(current)
    return rows, prose


def parse_table(lines: list[str], spec: FormatSpec, table: Table, report: Report,
                notes: list[ImportNote], stats: TableStats | None = None) -> tuple[set[tuple[str, str]], list[str]]:
    """Fill ``report`` with the cells of ``table`` found in ``lines``.

    Returns the (block, row) pairs found and the lines that were prose, not table."""
    stats = stats if stats is not None else TableStats()
    flat = scan("\n".join(lines), spec, table)
    if not flat.flat:
        mark = len(notes)
        rows, prose = _lines_rows(lines, spec, table, report, notes)
        if not rows and flat.rows:
            del notes[mark:]  # the rows are there, but not laid out in lines: read them as flattened
    if flat.flat or (not rows and flat.rows):
        rows, prose = flat.rows, flat.prose
        stats.flat = True
        for label in flat.foreign:
            notes.append(ImportNote("warning", f"{table.name}中出现了{spec.version}格式没有的栏目“{label}”，其数值未导入",
                                    table.section))
        notes.append(ImportNote("warning", f"{table.name}的单元格在原文中连在一起（没有分隔），已按栏目名称找到各行，"
                                           f"并按勾稽关系把数字拆成单元格", table.section))
    order = [(b.key, r.key) for b in table.blocks for r in b.rows]
    found = {(r.block, r.row) for r in rows}
    last = max((order.index(k) for k in found), default=-1)
    cut_off = frozenset(order[last][1:2]) if last >= 0 and any(k not in found for k in order[last + 1:]) else frozenset()
    budget = _Budget(BLOCK_NODES)
    for b in table.blocks:
        mine = [r for r in rows if r.block == b.key]
        if not mine:
            continue
        readings = resolve_block(spec, table, b, mine, cut_off, budget)
        for raw in mine:
            _write_row(report, notes, spec, table, b, raw, readings[raw.row], stats)
    return found, prose


def _fmt(values: tuple) -> str:
    return "、".join("空" if v is None else format_number(v) for v in values)


def _readings(cands: list[tuple]) -> str:
    marks = "①②③④⑤⑥⑦⑧⑨⑩"
    shown = [f"{marks[i]}{_fmt(c)}" for i, c in enumerate(cands[:6])]
    more = f"等{len(cands)}种" if len(cands) > 6 else ""
    return "；".join(shown) + more


def _write_row(report: Report, notes: list[ImportNote], spec: FormatSpec, table: Table, b: Block, raw: RawRow,
               rd: Reading, stats: TableStats) -> None:
    place = _place(table, b, raw.row)
    row = b.row(raw.row)
    k = len(b.columns)
    ids = tuple(cell_id(table.key, b.key, raw.row, c.key) for c in b.columns)
    sec = table.section
    if raw.label and not raw.official:
        key = f"{table.key}.{b.key}.row.{raw.row}"
        if raw.mapped_from:
            notes.append(ImportNote(
                "warning", f"{table.name}印有{_other(spec)}年格式的一行“{raw.mapped_from}”，{spec.version}年格式没有这一行；"
                           f"其数值已按两种格式的对应关系记入“{row.label}”，请核对", sec, cells=ids))
            report.label_variants[key] = raw.mapped_from
        elif raw.note:
            _variant(report, notes, spec, key, raw.label, f"（栏目名后带有填报说明“{raw.note}”）")
        else:
            _variant(report, notes, spec, key, raw.label)
    if rd.values is None:
        stats.undecided += 1
        for cid in ids:
            report.set(cid, None)
        if rd.why == "ambiguous":
            msg = (f"{place}的数字“{rd.run}”连在一起，按勾稽关系有{len(rd.candidates)}种读法都成立："
                   f"{_readings(rd.candidates)}。这一行没有导入（按未填处理），请对照原文选定一种填写")
        elif rd.why == "toomany":
            msg = f"{place}的数字“{rd.run}”连在一起，可拆成{k}个数的方法太多，无法确定，这一行没有导入，请对照原文填写"
        else:
            extra = f"（不考虑勾稽关系的拆法如：{_readings(rd.candidates)}）" if rd.candidates else ""
            msg = (f"{place}的数字“{rd.run}”连在一起，拆成{k}个数的任何一种拆法都不符合{table.name}的勾稽关系{extra}，"
                   f"这一行没有导入，请对照原文填写")
        notes.append(ImportNote("warning", msg, sec, rule="IMPORT-CUT", cells=ids, where=place, found=rd.run))
        return
    for cid, v in zip(ids, rd.values, strict=True):
        report.set(cid, v)
    if rd.how == "cut":
        if sum(ch.isdigit() for ch in rd.run) > len([v for v in rd.values if v is not None]):
            stats.cut += 1  # more digits than cells: the cut was a choice
        if rd.candidates:
            notes.append(ImportNote(
                "warning", f"{place}的数字“{rd.run}”连在一起，单看这一行有{1 + len(rd.candidates)}种拆法，"
                           f"只有“{_fmt(rd.values)}”符合{table.name}各行之间的勾稽关系，已按此读入", sec, cells=ids))
        if rd.implausible:
            others = "；".join(f"“{_fmt(c)}”（{_implausible_why(spec, table, b, c)}）" for c in rd.implausible)
            notes.append(ImportNote(
                "warning", f"{place}的数字“{rd.run}”连在一起，读作“{_fmt(rd.values)}”；其他拆法{others}不合常理，未采用。"
                           f"请核对原文", sec, cells=ids))
    elif rd.how == "deduced":
        missing = f"“{b.columns[rd.recovered].label}”一栏" if 0 <= rd.recovered < k else "少印的一栏"
        notes.append(ImportNote(
            "warning", f"{place}只有{rd.given}个数值（应有{k}个）：按本行的合计关系读作“{_fmt(rd.values)}”"
                       f"（{missing}由合计推出），请核对原文", sec, cells=ids))
    elif rd.how == "short":
        notes.append(ImportNote("warning", f"{place}只有{rd.given}个数值（应有{k}个），缺少的按未填处理", sec,
                                incomplete=True, cells=ids))
    if rd.surplus:
        notes.append(ImportNote("warning", f"{place}多出{len(rd.surplus)}个数值（{'、'.join(rd.surplus)}），已忽略", sec))
    for j, note in sorted(rd.notes.items()):
        c = b.columns[j]
        what = f"{place} “{c.label}”列为{note}"
        if rd.values[j] is None:
            what += "，按未填处理"
        notes.append(ImportNote("warning", what, sec, cells=(ids[j],)))


def _implausible_why(spec: FormatSpec, table: Table, b: Block, cand: tuple) -> str:
    for reason, test in plausibility(spec, table, b):
        if not test(cand):
            return reason
    return "不合常理"


def _other(spec: FormatSpec) -> str:
    return next((v for v in VERSIONS if v != spec.version), spec.version)


def _official_label(spec: FormatSpec, key: str) -> str:
    parts = key.split(".")
    try:
        if parts[0] == "heading":
            return spec.section(int(parts[1])).heading
        b = spec.block(parts[0], parts[1])
        if parts[2] == "row":
            return b.row(parts[3]).label
        if parts[2] == "col":
            return b.column(parts[3]).label
    except (KeyError, IndexError, ValueError):
        pass
    return ""


def _variant(report: Report, notes: list[ImportNote], spec: FormatSpec, key: str, printed: str, extra: str = "") -> None:
    """A printed label that differs from the official one: kept (the report renders as
    published) and reported under LABEL-VARIANT, naming the official label."""
    official = _official_label(spec, key)
    if not official or norm_label(printed) == norm_label(official) or key in report.label_variants:
        return
    report.label_variants[key] = printed
    section = int(key.split(".")[1]) if key.startswith("heading.") else spec.table(key.split(".")[0]).section
    where = "章节标题" if key.startswith("heading.") else spec.table(key.split(".")[0]).name
    notes.append(ImportNote("warning", f"“{printed}”{extra}按“{official}”读入（与国办统一格式的名称不一致）", section,
                            rule="LABEL-VARIANT", where=where, expected=official, found=printed))


# ---- narrative ---------------------------------------------------------------------------

_THEME_TITLE = re.compile("^((?:" + "|".join(map(re.escape, OVERVIEW_THEMES)) + r"|平台建设|解读回应|政策解读|监督保障)"
                          r"(?:工作)?(?:情况|方面))(?=[^\s。，,．.])")


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
    if is_pipe_line(s):
        return ""
    s = re.sub(r"^[-*•]\s+", "", s)
    return s


def _parts(lines: list[str]) -> list[Part]:
    parts: list[Part] = []
    cur: Part | None = None
    for raw in lines:
        s = _clean_para(raw)
        if not s or JUNK.search(s):
            continue
        m = HEAD.match(s)
        if m:
            rest = m.group(2).strip()
            first = re.match(r"^(.{1,30}?[。．.])(.*)$", rest)
            spaced = re.match(r"^([^\s。，,；;]{2,30})\s+(\S.*)$", rest)
            theme = _THEME_TITLE.match(rest)
            if len(rest) <= 30 and rest.count("。") <= 1:
                cur = Part(title=rest)
                parts.append(cur)
                continue
            if spaced and not (first and len(first.group(1)) < len(spaced.group(1))):
                cur = Part(title=spaced.group(1), text=spaced.group(2).strip())
                parts.append(cur)
                continue
            if first and first.group(2).strip() and not re.search(r"\d[.．]$", first.group(1)):
                cur = Part(title=first.group(1).rstrip(".．") + ("。" if first.group(1)[-1] in ".．" else ""),
                           text=first.group(2).strip(), inline=True)
                parts.append(cur)
                continue
            if theme:
                cur = Part(title=theme.group(1), text=rest[theme.end():].strip())
                parts.append(cur)
                continue
            if len(s) > 60:
                cur = Part(text=s)  # a numbered part whose title cannot be told from its text
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
    dropped, and the spelled-out paths of a pipe table's header cells and row labels
    (申请人情况／法人或其他组织／商业企业) cut to their own labels.  Text without Markdown
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
        if "|" in line and PATH_SEP in line:  # a spelled-out header path or row label path
            line = "|".join(cell.rsplit(PATH_SEP, 1)[-1] for cell in line.split("|"))
        line = _MD_ATX.sub("", line)
        line = line.replace("<strong>", "").replace("</strong>", "").replace("**", "")
        line = _MD_ESCAPE.sub(r"\1", line).replace("&lt;", "<").replace("&gt;", ">")
        out.append(line)
    return "\n".join(out)


_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _year(title: str, text: str) -> int | None:
    m = re.search(r"(\d{4})\s*年", norm_label(title)) if title else None
    if m:
        return int(m.group(1))
    m = re.search(r"统计[^。]{0,20}?(\d{4})\s*年\s*1\s*月\s*1\s*日", text)
    if m:
        return int(m.group(1))
    years = Counter(int(y) for y in re.findall(r"(?<!\d)(20\d{2})\s*年", text))
    if years:
        return years.most_common(1)[0][0]
    return None


def import_text(text: str, name: str = "", source: str = "") -> ImportResult:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = _COMMENT.sub("", text)
    text = _markdown_plain(text)
    notes: list[ImportNote] = []
    report = Report()
    report.meta.source = name

    if not text.strip():
        notes.append(ImportNote("error", "文件是空的，没有可导入的内容", incomplete=True))
        return ImportResult(report, notes, source=source)

    probe = get_spec(VERSIONS[-1])  # the sections are the same in every format
    lines, headings = find_headings(text.split("\n"), probe)
    starts = [h for h in headings if not h.continuation]
    first = min((h.line for h in starts), default=len(lines))
    body, sign = find_signoff(lines)
    if len(body) < len(lines) and any(h.line >= len(body) for h in headings):
        body, sign = lines, None  # the "落款" was a heading: keep the text as it is
    lines = body
    head = read_head(lines[:first])
    report.title = head.title

    year = _year(head.title, text)
    report.year = year
    if year is None:
        notes.append(ImportNote("warning", "没有找到报告年度（标题或统计期限中的年份），请在基本信息中填写"))

    detected = detect_format(text)
    version = detected or format_for_year(year)
    if detected and year is not None and detected != format_for_year(year):
        report.format_override = detected
    spec = get_spec(version)

    _agency(report, notes, head, sign, text)

    heads: dict[int, int] = {}
    for h in starts:
        heads.setdefault(h.section, h.line)
    _heading_notes(report, notes, spec, headings)
    skip = {h.line for h in headings}

    def section_lines(n: int) -> list[str] | None:
        if n not in heads:
            return None
        start = heads[n] + 1
        later = [h.line for h in starts if h.line > heads[n]]
        end = later[0] if later else len(lines)
        return [ln for i, ln in enumerate(lines[start:end], start) if i not in skip]

    complete = sign is not None
    for n in range(1, 7):
        if n in heads:
            continue
        if any(k > n for k in heads):
            notes.append(ImportNote("error", f"缺少“{spec.section(n).heading}”部分", n))
        elif complete:
            notes.append(ImportNote("warning", f"原文没有“{spec.section(n).heading}”部分（落款前的全文已读完），请补写", n))
        else:
            notes.append(ImportNote("error", f"缺少“{spec.section(n).heading}”部分，全文可能不完整", n, incomplete=True))

    narrative = Narrative()
    sec1 = split_parts(section_lines(1) or [])
    parts = _parts(sec1)
    opening = list(head.opening)
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

    stats: dict[str, TableStats] = {}
    for t in spec.tables:
        sl = section_lines(t.section)
        if sl is None:
            cut = not complete and not any(k > t.section for k in heads)
            notes.append(ImportNote("error", f"{t.name}缺失（没有找到“{spec.section(t.section).heading}”部分）",
                                    t.section, incomplete=cut))
            continue
        st = stats[t.key] = TableStats()
        found, prose = parse_table(sl, spec, t, report, notes, st)
        if prose:
            narrative.table_notes[str(t.section)] = "\n".join(prose)
        _missing_rows(notes, t, found)

    sec5 = section_lines(5)
    if sec5 is not None:
        ps = _parts(split_parts(sec5))
        narrative.problems, narrative.measures = _split_problems(ps)
    sec6 = section_lines(6)
    if sec6 is not None:
        narrative.other = "\n".join(c for c in (_clean_para(x) for x in sec6) if c and not JUNK.search(c))
    report.narrative = narrative
    report.ensure_cells()
    result = ImportResult(report, notes, detected, stats, source)
    report.meta.notes = [result.summary, *(n.message for n in notes)]
    return result


def _missing_rows(notes: list[ImportNote], t: Table, found: set[tuple[str, str]]) -> None:
    spec_heading = t.name
    all_rows = [(b.key, r.key) for b in t.blocks for r in b.rows]
    if not found:
        notes.append(ImportNote("error", f"{spec_heading}缺失（这一部分没有表格数据）", t.section, incomplete=True))
        return
    last = max(all_rows.index(k) for k in found)
    inside = [(b, r) for b, r in all_rows[:last] if (b, r) not in found]
    trailing = [(b, r) for b, r in all_rows[last + 1:]]
    for b_key, r_key in inside:
        blk = t.block(b_key)
        label = blk.row(r_key).label or blk.caption
        ids = tuple(cell_id(t.key, b_key, r_key, c.key) for c in blk.columns)
        notes.append(ImportNote("warning", f"{t.name}{' ' + blk.caption if blk.caption else ''}没有“{label}”这一行"
                                           f"（原文缺这一行），其单元格按未填处理", t.section, cells=ids))
    if trailing:
        first_b, first_r = trailing[0]
        blk = t.block(first_b)
        label = blk.row(first_r).label or blk.caption
        if t.key == "t2":
            cap = f"{blk.caption}" if blk.caption else ""
            notes.append(ImportNote("error", f"{t.name}不完整：缺少{cap}“{label}”等{len(trailing)}行", t.section,
                                    incomplete=True))
        else:
            notes.append(ImportNote("error", f"{t.name}不完整：从“{label}”起缺少{len(trailing)}行", t.section,
                                    incomplete=True))


def _heading_notes(report: Report, notes: list[ImportNote], spec: FormatSpec, headings: list[Heading]) -> None:
    seen: set[int] = set()
    for h in headings:
        if h.continuation:
            first = next(x for x in headings if x.section == h.section and not x.continuation)
            notes.append(ImportNote("warning", f"“{first.printed}”和“{h.printed}”是两个标题，按国办统一格式同属"
                                               f"“{spec.section(h.section).heading}”，已合在一起读入", h.section))
            continue
        if h.section in seen:
            continue
        seen.add(h.section)
        official = spec.section(h.section).heading
        printed = h.printed
        if norm_label(printed) != norm_label(official) and not loose_label(official).startswith(loose_label(printed)):
            _variant(report, notes, spec, f"heading.{h.section}", printed)
    numbers = [_CN.find(h.printed[0]) + 1 for h in headings if h.printed[:1] in _CN]
    if numbers and max(numbers) > 6:
        notes.append(ImportNote("warning", f"原文的部分标题编号到“{_CN[max(numbers) - 1]}”，已按标题的内容对应到国办统一格式的"
                                           "六个部分（见上面各条）"))


def _agency(report: Report, notes: list[ImportNote], head, sign, text: str) -> None:
    """The agency: from the title, the opening, the page's publishing line, the 落款, or how
    the text names itself; the 落款 is kept in ``Report.signoff``."""
    agency = _agency_from(head.title, "\n".join(head.opening[:2]) or text[:400])
    how = ""
    if not agency:
        agency = next((head.meta[k] for k in AGENCY_KEYS if looks_like_agency(head.meta.get(k, ""))), "")
        how = "网页的发布信息" if agency else ""
    if not agency and sign is not None and sign.agency:
        agency, how = sign.agency, "落款"
    if not agency:
        agency = agency_in_text(text)
        how = "正文（联系方式或本机关发布的文件）" if agency else ""
    report.agency = Agency(name=agency, kind=guess_kind(agency))
    if not agency:
        notes.append(ImportNote("warning", "没有找到机关名称，请在基本信息中填写"))
    elif how and how != "落款":
        notes.append(ImportNote("warning", f"标题中没有机关名称，按{how}读作“{agency}”，请核对"))
    elif how:
        notes.append(ImportNote("warning", f"标题中没有机关名称，按落款读作“{agency}”"))
    if head.title_from_meta:
        notes.append(ImportNote("warning", f"原文没有标题行，标题取自网页的“信息名称”：{head.title}"))
    if sign is not None:
        report.signoff = Signoff(agency=sign.agency, date=sign.date)
        if sign.agency and agency and norm_label(sign.agency) != norm_label(agency):
            notes.append(ImportNote("warning", f"落款的机关名称“{sign.agency}”与“{agency}”不一致，请核对（落款已按原文保留）"))
