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
* tables in 五号 (10.5 pt) 宋体 with their own compact exact line spacing (14 pt) and no
  grid snapping;
* the 落款 (agency and date) set right after the last section (GB/T 9704 7.3.5.2).

Pagination is left to the word processor, with the rules that keep what belongs
together: headings keep with the next paragraph and never split; table rows never
split; each table block (caption, header and rows: 表二's 第二十条第（×）项 blocks, all of
table 三, all of table 四) is kept on one page, so a caption never ends a page and a merged
group label (三、本年度办理结果, （三）不予公开 …) is never cut.  Keeping the block whole,
rather than repeating a cut label on the next page, is the only way that holds on the
reader's machine: a vertically merged cell is not repeated by Word or WPS, and where a
page ends depends on the fonts of the PC that opens the file, so a cut planned at export
would fall in the wrong place elsewhere.  Table 三 is laid out (column widths, 14 pt
lines) to fit one page with room to spare.  A one-block table repeats its header rows on
a new page; 表二 repeats none (its first block's header would stand over other columns).

Fonts (profiles, ``auto``, the ``fontTable.xml`` entries) are in :mod:`.fonts`.  Quotes,
dashes and ellipses (“” ‘’ — …) are set in the East Asian face of their paragraph:
Word, WPS and LibreOffice otherwise take them from the Latin font.  The file's
properties carry the report's title and nianbao as the application, and no thumbnail.

Everything is real paragraphs and tables; numbering is literal text.  Font names are
written, never embedded.  python-docx is imported inside the functions only.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from ..layout import Doc, Grid, GridCell, Para, build_document, column_shares
from ..model import Report
from . import ExportOptions, atomic_write_bytes, writer
from .fonts import FONT_PROFILES, FontProfile, font_profile, font_table_xml

if TYPE_CHECKING:  # pragma: no cover
    from docx.document import Document as DocxDocument
    from docx.table import Table as DocxTable


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
TABLE_LINE = 280  # 14 pt exact line spacing inside table cells (五号 text, compact)
CHAR_SPACING = -5  # −0.25 pt, in twentieths of a point: 28 characters per line
CELL_MARGIN = 57  # 1 mm left/right inside table cells
TITLE_CHARS_PER_LINE = TEXT_WIDTH // (TITLE_HALF_POINTS * 10)  # 20 characters of 22 pt
BODY_CHAR = BODY_HALF_POINTS * 10  # one 三号 character, in twips (the unit of the 落款's indents)
#: characters Word, WPS and LibreOffice take from the Latin font unless told otherwise
EAST_ASIAN_PUNCT = re.compile("[“”‘’—―…·]+")

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
        child(ppr, "keepLines", PPR_SEQ)
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


def _t(text: str) -> Any:
    from docx.oxml import OxmlElement

    t = OxmlElement("w:t")
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return t


def runs(text: str, face: str, latin: str, lead: bool = False) -> list[Any]:
    """``w:r`` elements for ``text``.  Quotes, dashes and ellipses get a run of their own
    marked ``w:hint="eastAsia"``, as Word marks them when they are typed in Chinese: Word
    and WPS then take them from the paragraph's East Asian face (full width) instead of
    Times New Roman.  (Naming the face in the Latin slots too would be wrong for
    LibreOffice, which then spaces them as Latin text.)  ``lead``: a run-in title in
    ``face``, whose runs carry their fonts (and the hint) themselves."""
    from docx.oxml import OxmlElement

    pieces: list[tuple[str, bool]] = []
    pos = 0
    for m in EAST_ASIAN_PUNCT.finditer(text):
        if m.start() > pos:
            pieces.append((text[pos:m.start()], False))
        pieces.append((m.group(), True))
        pos = m.end()
    if pos < len(text) or not pieces:
        pieces.append((text[pos:], False))
    if lead:  # one run: its fonts and hint cover the punctuation
        pieces = [(text, False)]
    out = []
    for piece, punct in pieces:
        r = OxmlElement("w:r")
        if lead:
            rpr = OxmlElement("w:rPr")
            r.append(rpr)
            set_fonts(rpr, face, latin)
        elif punct:
            rpr = OxmlElement("w:rPr")
            r.append(rpr)
            child(rpr, "rFonts", RPR_SEQ, hint="eastAsia")
        r.append(_t(piece))
        out.append(r)
    return out


def _paragraph(document: DocxDocument, style: str | None = None) -> Any:
    p = document.add_paragraph(style=style)
    return p._p


def _add_title(document: DocxDocument, title: str, fonts: FontProfile) -> None:
    p = _paragraph(document, "Title")
    for i, line in enumerate(title_lines(title)):
        rs = runs(line, fonts.title, fonts.latin)
        if i:
            rs[0].insert(0 if rs[0].find(_w("rPr")) is None else 1, _br())
        for r in rs:
            p.append(r)


def _br() -> Any:
    from docx.oxml import OxmlElement

    return OxmlElement("w:br")


def _add_para(document: DocxDocument, para: Para, fonts: FontProfile, keep_next: bool = False) -> None:
    if para.kind == "title":
        _add_title(document, para.text, fonts)
        return
    style, face = {"h1": ("Heading 1", fonts.h1), "h2": ("Heading 2", fonts.h2)}.get(para.kind, (None, fonts.body))
    p = _paragraph(document, style)
    if para.kind == "inline":
        for r in runs(para.lead, fonts.h2, fonts.latin, lead=True):
            p.append(r)
    for r in runs(para.text, face, fonts.latin):
        p.append(r)
    if para.kind == "signoff":
        _signoff_props(p, para, first=keep_next)
    elif keep_next:
        child(p.get_or_add_pPr(), "keepNext", PPR_SEQ)


def _signoff_props(p: Any, para: Para, first: bool) -> None:
    """The 落款 lines: set right with their indents (GB/T 9704 7.3.5.2), one blank line
    above the agency, agency and date kept together."""
    ppr = p.get_or_add_pPr()
    if first:
        child(ppr, "keepNext", PPR_SEQ)
        child(ppr, "spacing", PPR_SEQ, before=LINE_PITCH)
    chars = round(para.indent * 100)
    child(ppr, "ind", PPR_SEQ, right=round(para.indent * BODY_CHAR), rightChars=chars, firstLine=0, firstLineChars=0)
    child(ppr, "jc", PPR_SEQ, val="right")


def column_widths(grid: Grid) -> list[int]:
    """Twips per grid column, summing to the text width (the table fits portrait)."""
    widths = column_shares(grid)
    widths[-1] += TEXT_WIDTH - sum(widths)
    return widths


def _cell_alignment(cell: GridCell) -> str:
    return "both" if cell.role == "rowlabel" else "center"


def _tc(width: int, span: int, vmerge: str | None, text: str, jc: str, style_id: str, fonts: FontProfile,
        keep_next: bool) -> Any:
    """One ``w:tc``: width, horizontal span, vertical merge, centred vertically, one
    paragraph in the table style (kept with the next row inside a block)."""
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
    if keep_next:
        child(ppr, "keepNext", PPR_SEQ)
    child(ppr, "jc", PPR_SEQ, val=jc)
    if text:
        for r in runs(text, fonts.table, fonts.latin):
            p.append(r)
    tc.append(p)
    return tc


def _add_table(document: DocxDocument, grid: Grid, fonts: FontProfile) -> DocxTable:
    """The grid as a Word table: merged cells written as ``w:gridSpan`` (columns) and
    ``w:vMerge`` restart/continue (rows), the markup ``_Cell.merge`` produces; built
    directly because python-docx's cell lookup is quadratic in the table size.  Every
    row of a block but its last keeps with the next (the block stays on one page), no
    row splits; a one-block table repeats its header rows on a new page."""
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
    last_rows = {b.end - 1 for b in grid.blocks}
    style_id = document.styles[STYLE_TABLE_TEXT].style_id
    for r in range(len(grid.rows)):
        keep = r not in last_rows
        tr = OxmlElement("w:tr")
        trpr = child(tr, "trPr", ("tblPrEx", "trPr", "tc"))
        child(trpr, "cantSplit", ("cantSplit", "tblHeader"))
        if r < grid.header_rows:
            child(trpr, "tblHeader", ("cantSplit", "tblHeader"))
        c = 0
        while c < grid.width:
            cell = owner.get((r, c))
            if cell is None:  # not covered by any cell (should not happen): an empty cell
                tr.append(_tc(widths[c], 1, None, "", "center", style_id, fonts, keep))
                c += 1
                continue
            span = cell.colspan - (c - cell.col)
            width = sum(widths[c:c + span])
            if cell.row == r:
                vmerge = "restart" if cell.rowspan > 1 else None
                tr.append(_tc(width, span, vmerge, cell.text, _cell_alignment(cell), style_id, fonts, keep))
            else:
                tr.append(_tc(width, span, "continue", "", _cell_alignment(cell), style_id, fonts, keep))
            c += span
        tbl.append(tr)
    return table


# ---- package parts -------------------------------------------------------------------------

def app_xml(doc: Doc, company: str) -> bytes:
    """``docProps/app.xml``: nianbao as the application (the template's says Microsoft
    Macintosh Word); the agency as the company."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"<Application>nianbao</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
            f"<Company>{escape(company)}</Company><LinksUpToDate>false</LinksUpToDate>"
            "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>").encode()


def setup_package(document: DocxDocument, doc: Doc, fonts: FontProfile, company: str) -> None:
    """File properties, the font table, no thumbnail."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    props = document.core_properties
    props.title = doc.title
    props.subject = doc.spec.title
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.keywords = ""
    props.language = "zh-CN"
    now = datetime.now()
    props.created = now
    props.modified = now
    props.revision = 1
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = app_xml(doc, company)
    document.part.part_related_by(RT.FONT_TABLE)._blob = font_table_xml(fonts)


def build_docx(doc: Doc, fonts: FontProfile, company: str = "") -> DocxDocument:
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
    setup_package(document, doc, fonts, company)

    _add_title(document, doc.title, fonts)
    els = doc.elements
    for i, el in enumerate(els):
        if isinstance(el, Grid):
            _add_table(document, el, fonts)
            continue
        nxt = els[i + 1] if i + 1 < len(els) else None
        # the paragraph before the 落款 keeps with it (no page of 落款 alone); the agency with the date
        first_signoff = el.kind == "signoff" and not (i and isinstance(els[i - 1], Para)
                                                     and els[i - 1].kind == "signoff")
        before_signoff = el.kind != "signoff" and isinstance(nxt, Para) and nxt.kind == "signoff"
        _add_para(document, el, fonts, keep_next=first_signoff or before_signoff)
    return document


def docx_bytes(doc: Doc, fonts: FontProfile, company: str = "") -> bytes:
    buf = io.BytesIO()
    build_docx(doc, fonts, company).save(buf)
    return buf.getvalue()


@writer("docx", "Word 文档 .docx")
def write_docx(report: Report, path: Path, opts: ExportOptions) -> None:
    fonts = font_profile(opts.fonts)
    doc = build_document(report, opts.official_labels, opts.draft)
    atomic_write_bytes(path, docx_bytes(doc, fonts, report.agency.name))


__all__ = ["FONT_PROFILES", "FontProfile", "build_docx", "docx_bytes", "font_profile", "title_lines"]
