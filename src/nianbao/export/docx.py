"""The Word export (.docx), laid out after GB/T 9704-2012《党政机关公文格式》.

Renders the :class:`nianbao.layout.Doc` built by :func:`nianbao.layout.build_document`
(labels, numbering and merged table headers come from there, never re-derived here) with
python-docx, plus the OOXML python-docx does not do itself: East Asian font slots,
theme-font attributes removed, ``docDefaults`` language, the lines-only document grid,
character spacing, odd/even page-number footers with a PAGE field, repeated table
header rows.  See ``official-docx-format.md`` for the facts and the arithmetic:

* A4; margins top 37 / bottom 35 / left 28 / right 26 mm; footer distance 25 mm;
* body 三号 (16 pt) 仿宋_GB2312, first line indented two characters, exact line
  spacing 28.95 pt (579 twips, 22 lines per page), widow control off, character
  spacing −0.25 pt (28 characters per line), ``docGrid`` type ``lines`` pitch 579;
* title 二号 (22 pt) 方正小标宋简体, centred, not bold; 一、 headings 黑体, （一） headings
  楷体_GB2312; a run-in heading is a 楷体 run followed by body text;
* page numbers "— N —" in 四号 (14 pt) 宋体, right on odd pages and left on even pages,
  one character in from the edge;
* tables in 五号 (10.5 pt) 宋体 with their own exact line spacing and no grid snapping.

Everything is real paragraphs and tables; numbering is literal text.  Font names are
written, never embedded.  python-docx is imported inside the functions only.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..layout import Doc, Grid, GridCell, Para, build_document
from ..model import Report
from . import ExportError, ExportOptions, atomic_write_bytes, writer

if TYPE_CHECKING:  # pragma: no cover
    from docx.document import Document as DocxDocument
    from docx.table import Table as DocxTable


# ---- font profiles ----------------------------------------------------------------------

@dataclass(frozen=True)
class FontProfile:
    name: str  # Chinese name, for menus and messages
    title: str
    h1: str
    h2: str
    body: str
    table: str
    page_number: str
    latin: str = "Times New Roman"


FONT_PROFILES: dict[str, FontProfile] = {
    # GB/T 9704 practice (the fonts of the standard)
    "gb": FontProfile("国标公文字体", "方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312", "宋体", "宋体"),
    # Windows 7 and later ship 仿宋/楷体 instead of the _GB2312 faces; 华文中宋 comes with MS Office
    "windows": FontProfile("Windows 常用字体", "华文中宋", "黑体", "楷体", "仿宋", "宋体", "宋体"),
}


def font_profile(key: str) -> FontProfile:
    try:
        return FONT_PROFILES[key.strip().lower()]
    except KeyError:
        choices = "、".join(f"{k}（{p.name}）" for k, p in FONT_PROFILES.items())
        raise ExportError(f"未知的字体方案：{key}（可选：{choices}）") from None


# ---- layout constants (twips unless noted) ------------------------------------------------

PAGE_W, PAGE_H = 11906, 16838  # A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1588, 1474  # 37/35/28/26 mm
FOOTER_DISTANCE = 1417  # 25 mm
TEXT_WIDTH = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 8844 = 156 mm
LINE_PITCH = 579  # 28.95 pt: 22 lines in the 225 mm text block
BODY_HALF_POINTS = 32  # 三号 16 pt
TITLE_HALF_POINTS = 44  # 二号 22 pt
PAGE_NUMBER_HALF_POINTS = 28  # 四号 14 pt
TABLE_HALF_POINTS = 21  # 五号 10.5 pt
TABLE_LINE = 300  # 15 pt exact line spacing inside table cells
CHAR_SPACING = -5  # −0.25 pt, in twentieths of a point: 28 characters per line
CELL_MARGIN = 57  # 1 mm left/right inside table cells
TITLE_CHARS_PER_LINE = TEXT_WIDTH // (TITLE_HALF_POINTS * 10)  # 20 characters of 22 pt

# style ids of the python-docx default template, and our own table-text style
STYLE_TABLE_TEXT = "表格文字"

# ---- OOXML child order (ECMA-376), to insert new children in schema order ----------------

RPR_SEQ = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
    "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
    "lang", "eastAsianLayout", "specVanish", "oMath",
)
PPR_SEQ = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers",
    "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
    "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
    "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl",
    "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)
SECTPR_SEQ = (
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
    "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection",
    "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
)
TBLPR_SEQ = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
    "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
)
TCPR_SEQ = (
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection",
    "tcFitText", "vAlign", "hideMark",
)
STYLE_SEQ = (
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden",
    "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose", "personalReply", "rsid", "pPr", "rPr",
    "tblPr", "trPr", "tcPr", "tblStylePr",
)
THEME_FONT_ATTRS = ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme")


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{tag}")


def child(parent: Any, tag: str, seq: Sequence[str], **attrs: str | int) -> Any:
    """The ``w:tag`` child of ``parent`` (created in schema order if missing), with
    ``attrs`` set (``w:`` attributes)."""
    from docx.oxml import OxmlElement

    el = parent.find(_w(tag))
    if el is None:
        el = OxmlElement(f"w:{tag}")
        later = set(seq[seq.index(tag) + 1:])
        for i, existing in enumerate(parent):
            local = existing.tag.rsplit("}", 1)[-1]
            if local in later:
                parent.insert(i, el)
                break
        else:
            parent.append(el)
    for k, v in attrs.items():
        el.set(_w(k), str(v))
    return el


def drop(parent: Any, *tags: str) -> None:
    for tag in tags:
        for el in parent.findall(_w(tag)):
            parent.remove(el)


def _sub(parent: Any, tag: str, seq: Sequence[str]) -> Any:
    """``w:pPr``/``w:rPr`` of a style or paragraph (created in order)."""
    return child(parent, tag, seq)


def set_fonts(rpr: Any, east_asia: str, latin: str) -> None:
    """All four font slots, theme attributes removed (a theme attribute would win)."""
    rfonts = child(rpr, "rFonts", RPR_SEQ)
    for a in THEME_FONT_ATTRS:
        rfonts.attrib.pop(_w(a), None)
    rfonts.set(_w("ascii"), latin)
    rfonts.set(_w("hAnsi"), latin)
    rfonts.set(_w("cs"), latin)
    rfonts.set(_w("eastAsia"), east_asia)
    rfonts.set(_w("hint"), "eastAsia")


def set_run_props(rpr: Any, east_asia: str, latin: str, half_points: int, spacing: int | None = None,
                  bold: bool = False) -> None:
    set_fonts(rpr, east_asia, latin)
    drop(rpr, "color", "i", "iCs", "kern")
    child(rpr, "b", RPR_SEQ, val=1 if bold else 0)
    child(rpr, "bCs", RPR_SEQ, val=1 if bold else 0)
    if spacing is not None:
        child(rpr, "spacing", RPR_SEQ, val=spacing)
    child(rpr, "sz", RPR_SEQ, val=half_points)
    child(rpr, "szCs", RPR_SEQ, val=half_points)


def set_para_props(ppr: Any, *, line: int, rule: str = "exact", before: int = 0, after: int = 0,
                   first_line_chars: int | None = None, first_line: int = 0, jc: str | None = None,
                   snap: bool = True, keep_next: bool = False, outline: int | None = None) -> None:
    drop(ppr, "pBdr", "contextualSpacing", "tabs")
    if keep_next:
        child(ppr, "keepNext", PPR_SEQ)
    else:
        drop(ppr, "keepNext", "keepLines")
    child(ppr, "widowControl", PPR_SEQ, val=0)
    if not snap:
        child(ppr, "snapToGrid", PPR_SEQ, val=0)
    sp = child(ppr, "spacing", PPR_SEQ, before=before, after=after, line=line, lineRule=rule)
    for a in ("beforeLines", "afterLines", "beforeAutospacing", "afterAutospacing"):
        sp.attrib.pop(_w(a), None)
    ind = child(ppr, "ind", PPR_SEQ, firstLine=first_line)
    if first_line_chars is not None:
        ind.set(_w("firstLineChars"), str(first_line_chars))
    else:
        ind.set(_w("firstLineChars"), "0")
    if jc:
        child(ppr, "jc", PPR_SEQ, val=jc)
    else:
        drop(ppr, "jc")
    if outline is not None:
        child(ppr, "outlineLvl", PPR_SEQ, val=outline)


# ---- document set-up -------------------------------------------------------------------

def _style_el(document: DocxDocument, name: str) -> Any:
    return document.styles[name].element


def _style_by_id(document: DocxDocument, style_id: str) -> Any:
    for st in document.styles.element.findall(_w("style")):
        if st.get(_w("styleId")) == style_id:
            return st
    return None


def _new_paragraph_style(document: DocxDocument, name: str) -> Any:
    from docx.enum.style import WD_STYLE_TYPE

    st = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = document.styles["Normal"]
    st.quick_style = True
    return st.element


def setup_styles(document: DocxDocument, fonts: FontProfile) -> None:
    styles = document.styles.element
    # every theme font attribute and every colour of the template goes: black text, named fonts
    for rfonts in styles.iter(_w("rFonts")):
        for a in THEME_FONT_ATTRS:
            rfonts.attrib.pop(_w(a), None)
    for color in list(styles.iter(_w("color"))):
        parent = color.getparent()
        if parent is not None and parent.tag == _w("rPr"):
            parent.remove(color)

    defaults = styles.find(_w("docDefaults"))
    rpr_default = child(defaults, "rPrDefault", ("rPrDefault", "pPrDefault"))
    rpr = child(rpr_default, "rPr", ("rPr",))
    set_fonts(rpr, fonts.body, fonts.latin)
    child(rpr, "sz", RPR_SEQ, val=BODY_HALF_POINTS)
    child(rpr, "szCs", RPR_SEQ, val=BODY_HALF_POINTS)
    child(rpr, "lang", RPR_SEQ, val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    ppr_default = child(defaults, "pPrDefault", ("rPrDefault", "pPrDefault"))
    ppr = child(ppr_default, "pPr", ("pPr",))
    child(ppr, "spacing", PPR_SEQ, before=0, after=0)

    # Normal: the body text
    normal = _style_el(document, "Normal")
    set_para_props(_sub(normal, "pPr", STYLE_SEQ), line=LINE_PITCH, first_line_chars=200, first_line=640,
                   jc="both")
    set_run_props(_sub(normal, "rPr", STYLE_SEQ), fonts.body, fonts.latin, BODY_HALF_POINTS, CHAR_SPACING)

    title = _style_el(document, "Title")
    # one blank line (a grid line) after the title, as in a 公文
    # not snapped to the grid: a 22 pt line would take two grid lines in LibreOffice
    set_para_props(_sub(title, "pPr", STYLE_SEQ), line=LINE_PITCH, after=LINE_PITCH, jc="center", snap=False)
    set_run_props(_sub(title, "rPr", STYLE_SEQ), fonts.title, fonts.latin, TITLE_HALF_POINTS, 0)

    for name, face, level in (("Heading 1", fonts.h1, 0), ("Heading 2", fonts.h2, 1),
                              ("Heading 3", fonts.body, 2), ("Heading 4", fonts.body, 3)):
        el = _style_el(document, name)
        set_para_props(_sub(el, "pPr", STYLE_SEQ), line=LINE_PITCH, first_line_chars=200, first_line=640,
                       jc="both", keep_next=True, outline=level)
        set_run_props(_sub(el, "rPr", STYLE_SEQ), face, fonts.latin, BODY_HALF_POINTS, CHAR_SPACING)

    footer = _style_el(document, "Footer")
    set_para_props(_sub(footer, "pPr", STYLE_SEQ), line=240, rule="auto", snap=False)
    set_run_props(_sub(footer, "rPr", STYLE_SEQ), fonts.page_number, fonts.page_number,
                  PAGE_NUMBER_HALF_POINTS, 0)

    # the linked character styles (Word applies them to part of a paragraph) get the same face
    for name, face, half_points in (("Title", fonts.title, TITLE_HALF_POINTS), ("Heading 1", fonts.h1, BODY_HALF_POINTS),
                                    ("Heading 2", fonts.h2, BODY_HALF_POINTS), ("Heading 3", fonts.body, BODY_HALF_POINTS),
                                    ("Heading 4", fonts.body, BODY_HALF_POINTS)):
        link = _style_el(document, name).find(_w("link"))
        linked = _style_by_id(document, link.get(_w("val"))) if link is not None else None
        if linked is not None:
            set_run_props(_sub(linked, "rPr", STYLE_SEQ), face, fonts.latin, half_points)

    table = _new_paragraph_style(document, STYLE_TABLE_TEXT)
    set_para_props(_sub(table, "pPr", STYLE_SEQ), line=TABLE_LINE, jc="center", snap=False)
    set_run_props(_sub(table, "rPr", STYLE_SEQ), fonts.table, fonts.latin, TABLE_HALF_POINTS, 0)


def setup_page(document: DocxDocument) -> None:
    from docx.shared import Twips

    section = document.sections[0]
    section.page_width, section.page_height = Twips(PAGE_W), Twips(PAGE_H)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.footer_distance = Twips(FOOTER_DISTANCE)
    section.header_distance = Twips(851)  # 15 mm; no header is printed
    section.gutter = Twips(0)
    grid = child(section._sectPr, "docGrid", SECTPR_SEQ, type="lines", linePitch=LINE_PITCH)
    grid.attrib.pop(_w("charSpace"), None)

    settings = document.settings
    settings.odd_and_even_pages_header_footer = True
    lang = settings.element.find(_w("themeFontLang"))
    if lang is not None:
        lang.set(_w("eastAsia"), "zh-CN")


def _page_field_runs(paragraph: Any) -> None:
    """"— " PAGE " —" in one paragraph."""
    from docx.oxml import OxmlElement

    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(_w("fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    paragraph.add_run(" —")


def setup_footers(document: DocxDocument) -> None:
    section = document.sections[0]
    one_char = PAGE_NUMBER_HALF_POINTS * 10  # one 四号 character, in twips
    for footer, jc, side in ((section.footer, "right", "right"), (section.even_page_footer, "left", "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        ppr = p._p.get_or_add_pPr()
        child(ppr, "pStyle", PPR_SEQ, val="Footer")
        child(ppr, "jc", PPR_SEQ, val=jc)
        child(ppr, "ind", PPR_SEQ, **{side: one_char, f"{side}Chars": 100, "firstLine": 0, "firstLineChars": 0})
        _page_field_runs(p)


# ---- content ----------------------------------------------------------------------------

def title_lines(title: str) -> list[str]:
    """The title split into centred lines that keep words whole (GB/T 9704 7.3.1): a
    title too long for one line breaks before the report year, before the genre words
    政府信息公开工作… or before the draft mark, into as few lines as fit."""
    import re
    from itertools import combinations, pairwise

    n = TITLE_CHARS_PER_LINE
    if len(title) <= n:
        return [title]
    cuts = sorted({m.start() for pat in (r"\d{4}年", r"(?<!\d年)(?<!\d年度)政府信息公开工作", r"（草稿）$")
                   for m in re.finditer(pat, title) if 0 < m.start() < len(title)})
    for k in (1, 2):
        for chosen in combinations(cuts, k):
            bounds = [0, *chosen, len(title)]
            lines = [title[a:b] for a, b in pairwise(bounds)]
            if all(len(x) <= n for x in lines):
                return lines
    return [title]


def _add_title(document: DocxDocument, title: str) -> None:
    p = document.add_paragraph(style="Title")
    for i, line in enumerate(title_lines(title)):
        run = p.add_run(line)
        if i:
            run._r.insert(0, _br())


def _br() -> Any:
    from docx.oxml import OxmlElement

    return OxmlElement("w:br")


def _add_para(document: DocxDocument, para: Para, fonts: FontProfile) -> None:
    if para.kind == "h1":
        document.add_paragraph(para.text, style="Heading 1")
    elif para.kind == "h2":
        document.add_paragraph(para.text, style="Heading 2")
    elif para.kind == "inline":
        p = document.add_paragraph()
        lead = p.add_run(para.lead)
        set_fonts(lead._r.get_or_add_rPr(), fonts.h2, fonts.latin)
        p.add_run(para.text)
    elif para.kind == "title":
        _add_title(document, para.text)
    else:
        document.add_paragraph(para.text)


# column widths (weights) of the official tables; other grids share the width evenly
_WEIGHTS: dict[tuple[str, int], tuple[int, ...]] = {
    ("t2", 4): (2544, 2100, 2100, 2100),
    ("t3", 10): (600, 1100, 2484, *(660,) * 7),
    ("t4", 15): (590,) * 15,
}


def column_widths(grid: Grid) -> list[int]:
    """Twips per grid column, summing to the text width (the table fits portrait)."""
    weights = _WEIGHTS.get((grid.key, grid.width))
    if weights is None:
        value_cols = [c.col for c in grid.origins() if c.role == "value"]
        label_cols = min(value_cols) if value_cols else 0
        if label_cols:
            weights = (*(900 // label_cols,) * label_cols, *(1100 // max(1, grid.width - label_cols),) * (
                grid.width - label_cols))
        else:
            weights = (1,) * grid.width
    total = sum(weights)
    widths = [TEXT_WIDTH * w // total for w in weights]
    widths[-1] += TEXT_WIDTH - sum(widths)
    return widths


def _cell_alignment(cell: GridCell) -> str:
    return "both" if cell.role == "rowlabel" else "center"


def _tc(width: int, span: int, vmerge: str | None, text: str, jc: str, style_id: str) -> Any:
    """One ``w:tc``: width, horizontal span, vertical merge, centred vertically, one
    paragraph in the table style."""
    from docx.oxml import OxmlElement

    tc = OxmlElement("w:tc")
    tcpr = child(tc, "tcPr", ("tcPr", "p"))
    child(tcpr, "tcW", TCPR_SEQ, w=width, type="dxa")
    if span > 1:
        child(tcpr, "gridSpan", TCPR_SEQ, val=span)
    if vmerge == "restart":
        child(tcpr, "vMerge", TCPR_SEQ, val="restart")
    elif vmerge == "continue":
        child(tcpr, "vMerge", TCPR_SEQ)
    child(tcpr, "vAlign", TCPR_SEQ, val="center")
    p = OxmlElement("w:p")
    ppr = child(p, "pPr", ("pPr", "r"))
    child(ppr, "pStyle", PPR_SEQ, val=style_id)
    child(ppr, "jc", PPR_SEQ, val=jc)
    if text:
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = text
        if text != text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        r.append(t)
        p.append(r)
    tc.append(p)
    return tc


def _add_table(document: DocxDocument, grid: Grid) -> DocxTable:
    """The grid as a Word table: merged cells written as ``w:gridSpan`` (columns) and
    ``w:vMerge`` restart/continue (rows), the markup ``_Cell.merge`` produces; built
    directly because python-docx's cell lookup is quadratic in the table size."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement

    widths = column_widths(grid)
    table = document.add_table(rows=0, cols=grid.width)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl = table._tbl
    tblpr = tbl.tblPr
    child(tblpr, "tblW", TBLPR_SEQ, w=sum(widths), type="dxa")
    child(tblpr, "tblLayout", TBLPR_SEQ, type="fixed")
    mar = child(tblpr, "tblCellMar", TBLPR_SEQ)
    for side, w in (("top", 0), ("left", CELL_MARGIN), ("bottom", 0), ("right", CELL_MARGIN)):
        child(mar, side, ("top", "start", "left", "bottom", "end", "right"), w=w, type="dxa")
    for gc, w in zip(tbl.tblGrid.findall(_w("gridCol")), widths, strict=True):
        gc.set(_w("w"), str(w))

    # the origin cell covering each position
    owner: dict[tuple[int, int], GridCell] = {}
    for cell in grid.origins():
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                owner[(r, c)] = cell
    style_id = document.styles[STYLE_TABLE_TEXT].style_id
    for r in range(len(grid.rows)):
        tr = OxmlElement("w:tr")
        trpr = child(tr, "trPr", ("tblPrEx", "trPr", "tc"))
        child(trpr, "cantSplit", ("cantSplit", "tblHeader"))
        if r < grid.header_rows:
            child(trpr, "tblHeader", ("cantSplit", "tblHeader"))
        c = 0
        while c < grid.width:
            cell = owner.get((r, c))
            if cell is None:  # not covered by any cell (should not happen): an empty cell
                tr.append(_tc(widths[c], 1, None, "", "center", style_id))
                c += 1
                continue
            span = cell.colspan - (c - cell.col)
            width = sum(widths[c:c + span])
            if cell.row == r:
                vmerge = "restart" if cell.rowspan > 1 else None
                tr.append(_tc(width, span, vmerge, cell.text, _cell_alignment(cell), style_id))
            else:
                tr.append(_tc(width, span, "continue", "", _cell_alignment(cell), style_id))
            c += span
        tbl.append(tr)
    return table


def build_docx(doc: Doc, fonts: FontProfile) -> DocxDocument:
    """The python-docx document for ``doc`` (not saved)."""
    from docx import Document

    document = Document()
    # the template's single empty paragraph goes
    body = document.element.body
    for p in list(body.iter(_w("p"))):
        body.remove(p)
    setup_styles(document, fonts)
    setup_page(document)
    setup_footers(document)
    props = document.core_properties
    props.title = doc.title
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.language = "zh-CN"
    now = datetime.now()
    props.created = now
    props.modified = now
    props.revision = 1

    _add_title(document, doc.title)
    for el in doc.elements:
        if isinstance(el, Grid):
            _add_table(document, el)
        else:
            _add_para(document, el, fonts)
    return document


def docx_bytes(doc: Doc, fonts: FontProfile) -> bytes:
    buf = io.BytesIO()
    build_docx(doc, fonts).save(buf)
    return buf.getvalue()


@writer("docx", "Word 文档 .docx")
def write_docx(report: Report, path: Path, opts: ExportOptions) -> None:
    fonts = font_profile(opts.fonts)
    doc = build_document(report, opts.official_labels, opts.draft)
    atomic_write_bytes(path, docx_bytes(doc, fonts))
