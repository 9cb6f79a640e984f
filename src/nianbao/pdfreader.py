"""Reading published reports from PDF, as agencies export them from WPS or Word.

The text layer is read with pdfplumber (on pdfminer.six), imported only when a PDF is
read: it finds a table's cells from its ruling lines, merged cells included, which is what
the official tables need.  The page is then turned into the text form the label-driven
importer reads (:func:`nianbao.importer.import_text`), as the .docx/.html readers do:

* a table: every row on one line with a TAB between cells, laid out on the table's grid
  (:func:`nianbao.docreader.grid_rows`: a merged cell once, at its top-left; a position
  covered from above an empty cell); a cell's wrapped lines are joined back into one label;
* the text outside the tables: the printed lines joined back into paragraphs (a paragraph
  starts indented, centred, or after a line that stops short of the right margin), a title
  printed on two centred lines joined into one;
* page numbers ("— 3 —", "-3-", "第 3 页") and running headers or footers repeated on the
  pages are dropped.

A PDF with no text layer (a scan) gets a Chinese message that says so; a damaged or
password-protected file too.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

from .docreader import grid_rows, table_lines
from .importer import ImportNote, ImportResult, import_text
from .readers import READERS, require_report
from .store import StoreError, reading

#: pages read at most (a report has a handful)
MAX_PAGES = 200
_PAGENO = re.compile(r"^[\s\-—–－一·•]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s\-—–－一·•]*$")
_DASHED = re.compile(r"^\s*[\-—–－]+\s*\d{1,4}\s*[\-—–－]+\s*$")
_WIDE = re.compile(r"[^\x00-\x7f]")
_NUMTOK = re.compile(r"(?<!\S)[\d.,]+(?!\S)")


def _open(path: Path) -> Any:
    try:
        import pdfplumber
        # pdfminer reports what it repairs in a damaged file on the log: not the user's concern
        for name in ("pdfminer", "pdfplumber"):
            logging.getLogger(name).setLevel(logging.ERROR)
    except ImportError:
        raise StoreError("读取 PDF 需要 pdfplumber 组件，请重新安装 nianbao 后再试") from None
    try:
        with reading(path):
            return pdfplumber.open(path)
    except StoreError:
        raise
    except Exception as e:  # pdfminer raises many kinds on damaged input
        raise StoreError(_damaged(path, e)) from None


def _close(pdf: Any) -> None:
    try:
        pdf.close()
    except Exception:  # closing a damaged file walks its pages again
        try:
            pdf.stream.close()
        except Exception:
            pass


def _damaged(path: Path, e: BaseException) -> str:
    text = f"{type(e).__name__} {e}".lower()
    if "password" in text or "encrypt" in text:
        return f"{path.name} 无法读取：PDF 设有密码保护。请先用 PDF 阅读器输入密码后另存为不加密的 PDF，再导入"
    return f"{path.name} 无法读取：文件已损坏，或不是 PDF 文件"


# ---- tables ---------------------------------------------------------------------------------

def _cluster(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _at(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def _join_lines(text: str) -> str:
    """A cell's wrapped lines as one: no space between Chinese characters."""
    out = ""
    for part in (p.strip() for p in text.split("\n")):
        if not part:
            continue
        if out and not _WIDE.match(out[-1]) and not _WIDE.match(part[0]):
            out += " "
        out += part
    return out


def _in(obj: dict, bbox: tuple[float, float, float, float]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def _table_rows(table: Any, chars: list[dict]) -> list[str]:
    from pdfplumber.utils import extract_text

    cells = [tuple(c) for c in table.cells]
    if not cells:
        return []
    xs = _cluster([c[0] for c in cells] + [c[2] for c in cells])
    ys = _cluster([c[1] for c in cells] + [c[3] for c in cells])
    placed: dict[tuple[int, int], tuple[str, int, int]] = {}
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for c in cells:
        c0, c1 = _at(xs, c[0]), _at(xs, c[2])
        r0, r1 = _at(ys, c[1]), _at(ys, c[3])
        if c1 <= c0 or r1 <= r0 or (r0, c0) in placed:
            continue
        text = _join_lines(extract_text([ch for ch in chars if _in(ch, c)]))
        placed[(r0, c0)] = (text, r1 - r0, c1 - c0)
        for r in range(r0, r1):
            for cc in range(c0, c1):
                owner.setdefault((r, cc), (r0, c0))
    rows: list[list[tuple[str, int, int]]] = []
    for r in range(len(ys) - 1):
        row: list[tuple[str, int, int]] = []
        c = 0
        while c < len(xs) - 1:
            o = owner.get((r, c))
            if o == (r, c):
                text, rs, cs = placed[o]
                row.append((text, rs, cs))
                c += cs
            elif o is None:
                row.append(("", 1, 1))
                c += 1
            else:
                c += 1  # covered from above (an empty cell in the layout) or from the left
        rows.append(row)
    return table_lines(grid_rows(rows))


# ---- text -------------------------------------------------------------------------------------

def _tidy(text: str) -> str:
    """Spaces a PDF puts between Chinese characters and figures ("2020 年") removed, except
    in a line of figures (a table without ruling lines), where spaces separate cells."""
    if len(_NUMTOK.findall(text)) >= 2 and not re.search(r"[，。；：、,;]", text):
        return text.strip()
    text = re.sub(r"(?<=[^\x00-\x7f])[ \t]+(?=\S)|(?<=\S)[ \t]+(?=[^\x00-\x7f])", "", text)
    return text.strip()


def _furniture(pages: list[list[dict]], heights: list[float]) -> set[str]:
    """Running headers and footers: the same text in the top or bottom margin of several
    pages (figures counted as the same)."""
    seen: Counter[str] = Counter()
    for lines, h in zip(pages, heights, strict=True):
        keys = set()
        for ln in lines:
            if ln["top"] < h * 0.1 or ln["bottom"] > h * 0.9:
                keys.add(re.sub(r"\d+", "#", ln["text"].strip()))
        seen.update(keys)
    need = max(2, (len(pages) + 1) // 2)
    return {k for k, n in seen.items() if n >= need and k}


def _paragraphs(items: list[tuple[str, Any]], width: float) -> list[str]:
    """Text lines and table lines in page order -> the importer's lines."""
    lines = [it for kind, it in items if kind == "line"]
    if lines:
        right = max(ln["x1"] for ln in lines)
        size = statistics.median(ln["size"] for ln in lines) or 10.0
        # the left margin: where full lines start (a paragraph's first line is indented)
        full = [ln["x0"] for ln in lines if ln["x1"] > right - 3 * size]
        left = min(full or [ln["x0"] for ln in lines])
    else:
        left, right, size = 0.0, width, 10.0
    out: list[str] = []
    prev: dict | None = None
    title_part = ""
    for kind, it in items:
        if kind == "table":
            out.append("")
            out.extend(it)
            out.append("")
            prev = None
            continue
        text = _tidy(it["text"])
        if not text:
            continue
        centred = it["x0"] > left + 2 * size and it["x1"] < right - 2 * size and \
            abs((it["x0"] + it["x1"]) / 2 - (left + right) / 2) < 1.5 * size
        new = prev is None or centred or prev.get("centred") or it["x0"] > left + 0.8 * size or \
            prev["x1"] < right - 1.5 * size
        if centred and title_part and text.endswith("报告") and out and out[-1] == title_part:
            out[-1] = title_part + text  # a title printed on two centred lines
            title_part = ""
        elif new or not out:
            out.append(text)
            title_part = text if centred and "报告" not in text and len(text) <= 40 else ""
        else:
            glue = "" if _WIDE.match(out[-1][-1:] or "a") or _WIDE.match(text[0]) else " "
            out[-1] = out[-1] + glue + text
            title_part = ""
        prev = dict(it, centred=centred)
    return out


def pdf_text(path: Path) -> tuple[str, list[str]]:
    """The text of a PDF in the importer's layout, and warnings about what could not be
    read (pages without a text layer)."""
    pdf = _open(path)
    warnings: list[str] = []
    try:
        try:
            pages = pdf.pages
            count = len(pages)
        except Exception as e:
            raise StoreError(_damaged(path, e)) from None
        if count > MAX_PAGES:
            warnings.append(f"PDF 共 {count} 页，只读取了前 {MAX_PAGES} 页")
        page_items: list[list[tuple[str, Any]]] = []
        page_lines: list[list[dict]] = []
        heights: list[float] = []
        chars_total = 0
        blank_pages: list[int] = []
        width = 0.0
        for no, page in enumerate(pages[:MAX_PAGES], 1):
            try:
                items, lines, nchars = _read_page(page, no)
            except StoreError:
                raise
            except Exception as e:
                raise StoreError(_damaged(path, e)) from None
            finally:
                page.close()
            chars_total += nchars
            if not nchars:
                blank_pages.append(no)
            page_items.append(items)
            page_lines.append(lines)
            heights.append(float(page.height))
            width = max(width, float(page.width))
    finally:
        _close(pdf)
    if not chars_total:
        raise StoreError(f"{path.name} 没有文字层（可能是扫描件或图片），无法读取其中的文字和表格。"
                         "请向发布单位索取文字版（Word、网页），或先用 WPS、Adobe Acrobat 等软件的“文字识别（OCR）”"
                         "转成可选中文字的 PDF 后再导入")
    if blank_pages and len(blank_pages) < len(page_items):
        pages_zh = "、".join(str(n) for n in blank_pages[:10])
        warnings.append(f"PDF 第 {pages_zh} 页没有文字层（可能是扫描页），这些页的内容未能导入")
    furniture = _furniture(page_lines, heights)
    items_all: list[tuple[str, Any]] = []
    for items, h in zip(page_items, heights, strict=True):
        for kind, it in items:
            if kind == "line":
                t = it["text"].strip()
                margin = it["top"] < h * 0.1 or it["bottom"] > h * 0.88
                if _DASHED.match(t) or (margin and _PAGENO.match(t)):
                    continue
                if margin and re.sub(r"\d+", "#", t) in furniture:
                    continue
            items_all.append((kind, it))
    return "\n".join(_paragraphs(items_all, width)), warnings


def _read_page(page: Any, no: int) -> tuple[list[tuple[str, Any]], list[dict], int]:
    chars = page.chars
    tables = page.find_tables() if chars else []
    boxes = [t.bbox for t in tables]
    items: list[tuple[float, str, Any]] = []
    for t in tables:
        rows = _table_rows(t, [c for c in chars if _in(c, t.bbox)])
        if rows:
            items.append((t.bbox[1], "table", rows))
    rest = page.filter(lambda o: o.get("object_type") != "char" or not any(_in(o, b) for b in boxes))
    lines: list[dict] = []
    for ln in rest.extract_text_lines(return_chars=True):
        sizes = [c.get("size", 0) for c in ln.get("chars", ())]
        lines.append({"text": ln["text"], "x0": ln["x0"], "x1": ln["x1"], "top": ln["top"], "bottom": ln["bottom"],
                      "size": statistics.median(sizes) if sizes else 10.0, "page": no})
    items.extend((ln["top"], "line", ln) for ln in lines)
    items.sort(key=lambda x: x[0])
    return [(kind, it) for _, kind, it in items], lines, len(chars)


def read_pdf(path: Path) -> ImportResult:
    path = Path(path)
    text, warnings = pdf_text(path)
    result = require_report(import_text(text, path.name, "PDF"), path.name, "PDF")
    for w in warnings:
        result.notes.insert(0, ImportNote("warning", w))
    return result


READERS[".pdf"] = read_pdf
