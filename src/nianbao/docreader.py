"""Reading published reports from Word (.docx) and web pages (.html, .htm).

Both are turned into the text form the label-driven importer reads
(:func:`nianbao.importer.import_text`): every paragraph on its own line, every table row
on one line with a TAB between cells.  Merged cells are laid out on the table's grid:
a merged cell's text appears once, at its top-left position, and a position covered by
a merge from the row above is an empty cell, so every row keeps its cells in their
columns (see :func:`grid_rows` for why a column span is not repeated as blanks).

* .docx: the package is read with the standard library (zipfile + ElementTree); a
  merged cell is read from ``w:gridSpan`` (columns) and ``w:vMerge`` (rows), not from
  python-docx's ``row.cells``, which repeats the merge's root cell.
* .html: the standard library's :mod:`html.parser`; ``<script>``/``<style>``/``<head>``
  are skipped, ``<br>`` and block elements end a line, ``rowspan``/``colspan`` are laid
  out with the HTML table algorithm.

Unreadable or corrupt files raise :class:`nianbao.store.StoreError` (Chinese message).
"""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

from .importer import ImportResult, import_text
from .readers import READERS, require_report
from .store import StoreError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u2002\u2003\u2009\u200b]+")


# ---- tables as text ---------------------------------------------------------------------

def grid_rows(rows: list[list[tuple[str, int, int]]], expand_colspan: bool = False) -> list[list[str]]:
    """Rows of (text, rowspan, colspan) cells -> rows of text cells, laid out with the
    HTML table algorithm: a cell's text once, at its top-left position; a position
    covered by a rowspan from above is an empty cell (one per covering cell).

    ``expand_colspan``: also write an empty cell for every column a cell spans beyond
    its first (every grid position once).  Off by default: the label-driven importer
    drops surplus blank cells from the end of a row first, so a row whose label spans
    two columns and whose last figure is blank would shift if the label's span were
    written as an extra empty cell; with one cell per printed cell every data row of
    the official tables has exactly its figures after its label."""
    out: list[list[str]] = []
    covered: dict[tuple[int, int], int] = {}  # position -> colspan of the covering cell (0: not its first column)
    for r, cells in enumerate(rows):
        line: list[str] = []
        col = _skip_covered(covered, r, 0, line, expand_colspan)
        for text, rowspan, colspan in cells:
            line.append(text)
            if expand_colspan:
                line.extend("" for _ in range(colspan - 1))
            for dr in range(1, max(1, rowspan)):
                for dc in range(colspan):
                    covered[(r + dr, col + dc)] = colspan if dc == 0 else 0
            col = _skip_covered(covered, r, col + colspan, line, expand_colspan)
        out.append(line)
    return out


def _skip_covered(covered: dict[tuple[int, int], int], r: int, col: int, line: list[str], expand: bool) -> int:
    """Write the empty cells of row ``r`` covered from above, from column ``col`` on;
    returns the next free column."""
    while (r, col) in covered:
        span = max(covered.pop((r, col)), 1)
        line.append("")
        if expand:
            line.extend("" for _ in range(span - 1))
        for dc in range(1, span):
            covered.pop((r, col + dc), None)
        col += span
    return col


def _cell_text(text: str) -> str:
    """One cell on one line: no TABs or line breaks inside a cell."""
    return _SPACES.sub(" ", text).strip()


def table_lines(rows: list[list[str]]) -> list[str]:
    return ["\t".join(_cell_text(c) for c in row) for row in rows if any(c.strip() for c in row)]


# ---- .docx ---------------------------------------------------------------------------

def _is_title_para(p: ET.Element) -> bool:
    ppr = p.find(f"{W}pPr")
    if ppr is None:
        return False
    style = ppr.find(f"{W}pStyle")
    jc = ppr.find(f"{W}jc")
    return (style is not None and (style.get(f"{W}val") or "").lower() == "title") or \
        (jc is not None and jc.get(f"{W}val") == "center")


def _para_text(p: ET.Element) -> str:
    """The text of a paragraph; a line break inside a centred title joins its lines."""
    title = _is_title_para(p)
    parts: list[str] = []

    def walk(el: ET.Element) -> None:
        for ch in el:
            tag = ch.tag
            if tag == MC_FALLBACK or tag in (f"{W}instrText", f"{W}delText", f"{W}pPr", f"{W}rPr"):
                continue
            if tag == f"{W}t":
                parts.append(ch.text or "")
            elif tag == f"{W}tab":
                parts.append(" ")
            elif tag in (f"{W}br", f"{W}cr"):
                parts.append("" if title else "\n")
            elif tag == f"{W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{W}p":  # a paragraph inside a text box
                parts.append("\n")
                walk(ch)
                parts.append("\n")
            else:
                walk(ch)

    walk(p)
    return "".join(parts)


def _docx_table(tbl: ET.Element) -> list[str]:
    rows: list[list[tuple[str, int, int]]] = []
    for tr in tbl.findall(f"{W}tr"):
        cells: list[tuple[str, int, int]] = []
        trpr = tr.find(f"{W}trPr")
        before = after = 0
        if trpr is not None:
            gb, ga = trpr.find(f"{W}gridBefore"), trpr.find(f"{W}gridAfter")
            before = int(gb.get(f"{W}val", "0")) if gb is not None else 0
            after = int(ga.get(f"{W}val", "0")) if ga is not None else 0
        cells.extend(("", 1, 1) for _ in range(before))
        for tc in _row_cells(tr):
            tcpr = tc.find(f"{W}tcPr")
            span, vmerge = 1, None
            if tcpr is not None:
                gs = tcpr.find(f"{W}gridSpan")
                if gs is not None:
                    span = max(1, int(gs.get(f"{W}val", "1")))
                vm = tcpr.find(f"{W}vMerge")
                if vm is not None:
                    vmerge = vm.get(f"{W}val", "continue")
            if vmerge == "continue":
                cells.append(("", 1, span))  # covered by the cell above
                continue
            hm = tcpr.find(f"{W}hMerge") if tcpr is not None else None
            if hm is not None and hm.get(f"{W}val", "continue") != "restart" and cells:
                text, rs, cs = cells[-1]  # the legacy horizontal merge: widens the cell on its left
                cells[-1] = (text, rs, cs + span)
                continue
            texts = []
            for el in tc:
                if el.tag == f"{W}p":
                    texts.append(_para_text(el))
                elif el.tag == f"{W}tbl":  # a nested table: its text, flattened
                    texts.extend(_docx_table(el))
                else:
                    texts.extend(_para_text(p) for p in el.iter(f"{W}p"))
            cells.append((" ".join(t for t in texts if t.strip()), 1, span))
        cells.extend(("", 1, 1) for _ in range(after))
        rows.append(cells)
    return table_lines(grid_rows(rows))


def _row_cells(tr: ET.Element) -> list[ET.Element]:
    """The w:tc of a row, including those wrapped in content controls or custom XML."""
    out: list[ET.Element] = []
    for el in tr:
        if el.tag == f"{W}tc":
            out.append(el)
        elif el.tag in (f"{W}sdt", f"{W}customXml"):
            content = el.find(f"{W}sdtContent") if el.tag == f"{W}sdt" else el
            if content is not None:
                out.extend(_row_cells(content))
    return out


def _body_lines(container: ET.Element) -> list[str]:
    lines: list[str] = []
    title_part = ""  # a title printed as two centred paragraphs: the first, waiting for the second
    for el in container:
        if el.tag == f"{W}p":
            text = _para_text(el)
            if _is_title_para(el) and "\n" not in text:
                if title_part and text.strip().endswith("报告"):
                    lines[-1] = title_part + text.strip()
                    title_part = ""
                    continue
                title_part = text.strip() if text.strip() and "报告" not in text and len(text.strip()) <= 40 else ""
            else:
                title_part = ""
            lines.extend(text.split("\n"))
        elif el.tag == f"{W}tbl":
            lines.append("")
            lines.extend(_docx_table(el))
            lines.append("")
        elif el.tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent", f"{W}ins", f"{W}smartTag"):
            inner = el.find(f"{W}sdtContent") if el.tag == f"{W}sdt" else el
            if inner is not None:
                lines.extend(_body_lines(inner))
    return lines


def docx_text(path: Path) -> str:
    """The text of a .docx in the importer's layout."""
    try:
        with zipfile.ZipFile(path) as z:
            data = z.read("word/document.xml")
    except FileNotFoundError:
        raise StoreError(f"找不到文件 {path}") from None
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError):
        raise StoreError(f"{path.name} 无法读取：文件已损坏，或不是 Word 文档（.docx）。"
                         "如果是旧版 .doc 文件，请先用 Word 或 WPS 另存为 .docx") from None
    except OSError as e:
        raise StoreError(f"{path.name} 无法读取：{e.strerror or e}") from None
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise StoreError(f"{path.name} 无法读取：Word 文档的内容已损坏") from None
    body = root.find(f"{W}body")
    if body is None:
        raise StoreError(f"{path.name} 无法读取：Word 文档中没有正文")
    return "\n".join(_body_lines(body))


# ---- .html ---------------------------------------------------------------------------

_BLOCK = frozenset({
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "h1", "h2", "h3", "h4", "h5",
    "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "hr", "address", "figure", "figcaption",
    "form", "fieldset", "center", "caption", "table", "title",
})
_SKIP = frozenset({"script", "style", "head", "noscript", "template", "svg", "iframe", "object", "select"})
_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"})


class _Table:
    def __init__(self) -> None:
        self.rows: list[list[tuple[str, int, int]]] = []
        self.cell: list[str] | None = None
        self.span = (1, 1)

    def start_row(self) -> None:
        self.end_cell()
        self.rows.append([])

    def start_cell(self, rowspan: int, colspan: int) -> None:
        self.end_cell()
        if not self.rows:
            self.rows.append([])
        self.cell = []
        self.span = (rowspan, colspan)

    def end_cell(self) -> None:
        if self.cell is not None:
            self.rows[-1].append(("".join(self.cell), *self.span))
            self.cell = None


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    for k, v in attrs:
        if k == name and v:
            m = re.match(r"\s*(\d+)", v)
            if m:
                return max(1, min(int(m.group(1)), 1000))
    return 1


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip: list[str] = []
        self.tables: list[_Table] = []
        self.pre = 0

    # text outside tables goes to ``current``; inside a cell to the cell
    def _sink(self) -> list[str] | None:
        if self.tables:
            return self.tables[-1].cell
        return self.current

    def _break(self) -> None:
        if self.tables:
            cell = self.tables[-1].cell
            if cell is not None:
                cell.append(" ")
            return
        text = "".join(self.current)
        self.current = []
        # source line breaks are spaces, except inside <pre>
        for line in text.split("\n") if self.pre else [_SPACES.sub(" ", text)]:
            if line.strip():
                self.lines.append(line.strip())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip:
            if tag not in _VOID:
                self.skip.append(tag)
            return
        if tag in _SKIP:
            self.skip.append(tag)
            return
        if tag == "table":
            self._break()
            self.tables.append(_Table())
        elif tag == "tr" and self.tables:
            self.tables[-1].start_row()
        elif tag in ("td", "th") and self.tables:
            self.tables[-1].start_cell(_span(attrs, "rowspan"), _span(attrs, "colspan"))
        elif tag == "br" or tag in _BLOCK:
            self._break()
        if tag == "pre":
            self.pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            elif tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if tag == "table" and self.tables:
            t = self.tables.pop()
            t.end_cell()
            lines = table_lines(grid_rows(t.rows))
            if self.tables:  # a nested table: its text goes into the outer cell
                cell = self.tables[-1].cell
                if cell is not None:
                    cell.append(" " + " ".join(lines).replace("\t", " "))
            else:
                self.lines.append("")
                self.lines.extend(lines)
                self.lines.append("")
        elif tag in ("td", "th") and self.tables:
            self.tables[-1].end_cell()
        elif tag == "tr" and self.tables:
            self.tables[-1].end_cell()
        elif tag in _BLOCK:
            self._break()
        if tag == "pre" and self.pre:
            self.pre -= 1

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        sink = self._sink()
        if sink is not None:
            sink.append(data)

    def text(self) -> str:
        self._break()
        while self.tables:
            self.handle_endtag("table")
        out: list[str] = []
        for line in self.lines:  # one blank line at most between blocks
            if line or (out and out[-1]):
                out.append(line)
        return "\n".join(out).strip("\n")


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def decode_html(data: bytes, name: str = "") -> str:
    """Bytes of a web page -> text: BOM, then the page's declared charset, then UTF-8,
    then GB18030 (the superset of GBK/GB2312 many government sites use)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    m = _CHARSET.search(data[:4096])
    candidates = []
    if m:
        cs = m.group(1).decode("ascii", errors="ignore").lower()
        candidates.append("gb18030" if cs in ("gb2312", "gbk", "gb18030", "x-gbk") else cs)
    candidates += ["utf-8", "gb18030"]
    for cs in candidates:
        try:
            return data.decode(cs)
        except (LookupError, UnicodeDecodeError):
            continue
    raise StoreError(f"{name or '网页'} 无法读取：无法识别文字编码")


def html_text(source: str) -> str:
    """The text of a web page in the importer's layout."""
    parser = _HTMLText()
    parser.feed(source)
    parser.close()
    return parser.text()


# ---- readers -----------------------------------------------------------------------------

def _import(text: str, path: Path, what: str) -> ImportResult:
    return require_report(import_text(text, path.name, what), path.name, what)


def read_docx(path: Path) -> ImportResult:
    path = Path(path)
    return _import(docx_text(path), path, "Word 文档")


def read_html(path: Path) -> ImportResult:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise StoreError(f"找不到文件 {path}") from None
    except OSError as e:
        raise StoreError(f"{path.name} 无法读取：{e.strerror or e}") from None
    if not data.strip():
        raise StoreError(f"{path.name} 是空文件，没有可导入的内容")
    return _import(html_text(decode_html(data, path.name)), path, "网页")


READERS[".docx"] = read_docx
READERS[".html"] = read_html
READERS[".htm"] = read_html
