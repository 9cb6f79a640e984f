"""The question widgets of the walk-through: one per question type, each posting
:class:`Answered` when the user confirms; and the messages the views post to the screen.

The widgets render a :class:`nianbao.session.DraftSession` and turn keys into calls on it;
what a key does (a table cell's typing, moving, pasting) is decided there, headless."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from .. import questions as Q
from ..findings import Finding
from ..numbers import format_number
from ..session import READONLY, DraftSession, Edit, GridState, cell_width, fit_cells, wrap_cells

__all__ = ["READONLY", "Answered", "ChoiceField", "FactsField", "GridBody", "GridView", "JumpRequested", "LineField",
           "QuestionWidget", "TextField", "widget_for"]


# ---- messages ------------------------------------------------------------------------------------

class Answered(Message):
    """The user confirmed an answer: the typed text, the chosen value, the text of a text
    area ("" for a table: its cells are already in the session)."""

    def __init__(self, question: Q.Question, raw: str = "") -> None:
        super().__init__()
        self.question = question
        self.raw = raw


class JumpRequested(Message):
    """Go somewhere in the draft: what a finding is about, or a step / question / cell."""

    def __init__(self, step: str = "", question: str | None = None, cell: str = "",
                 finding: Finding | None = None) -> None:
        super().__init__()
        self.step = step
        self.question = question
        self.cell = cell
        self.finding = finding


# ---- the widget of each question type ---------------------------------------------------------------

class QuestionWidget(Vertical):
    """The field of one question.  ``confirm`` (Enter, Ctrl+S, a button) posts :class:`Answered`."""

    def __init__(self, session: DraftSession, question: Q.Question) -> None:
        super().__init__(classes="qwidget")
        self.session = session
        self.question = question

    def confirm(self) -> None:  # pragma: no cover - every type overrides it
        self.post_message(Answered(self.question, ""))

    def focus_target(self) -> Widget | None:
        return None

    def show_error(self, text: str) -> None:
        try:
            self.screen.query_one("#qerror", Static).update(text)
        except Exception:
            pass


class LineField(QuestionWidget):
    """A one-line answer: text, a number, a year, an amount."""

    PLACEHOLDER: ClassVar[dict[str, str]] = {"int": "填写整数，如 3", "year": "如 2025", "money": "如 380"}

    def compose(self) -> ComposeResult:
        q = self.question
        placeholder = self.PLACEHOLDER.get(q.type, "") + (f"（单位：{q.unit}）" if q.unit else "")
        yield Input(value=self.session.field_text(q), id="answer", placeholder=placeholder)

    def focus_target(self) -> Widget | None:
        return self.query_one("#answer", Input)

    def confirm(self) -> None:
        self.post_message(Answered(self.question, self.query_one("#answer", Input).value))

    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.confirm()

    @on(Input.Changed, "#answer")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if not event.value.strip():
            self.show_error("")
            return
        self.show_error(Q.parse_answer(self.session.report, self.question, event.value)[1])


class ChoiceField(QuestionWidget):
    """是 / 否, or one of a list."""

    def compose(self) -> ComposeResult:
        q = self.question
        current, note = self.session.choice(q)
        if note:
            yield Static(note, id="kind-guess", classes="qhelp")
        ol = OptionList(*[Option(label, id=value) for value, label in q.choices], id="choice")
        ids = [v for v, _ in q.choices]
        ol.highlighted = ids.index(current) if current in ids else 0
        yield ol

    def focus_target(self) -> Widget | None:
        return self.query_one("#choice", OptionList)

    def confirm(self) -> None:
        ol = self.query_one("#choice", OptionList)
        if ol.highlighted is not None:
            self.post_message(Answered(self.question, ol.get_option_at_index(ol.highlighted).id or ""))

    @on(OptionList.OptionSelected, "#choice")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Answered(self.question, event.option.id or ""))


class TextField(QuestionWidget):
    """A paragraph (开头语, 一, 五, 六): an editor the user can change freely, kept as typed
    (saved a second after the last key), confirmed with Ctrl+S; the phrase bank below it.
    In the composed texts F4 says the sentence under the cursor another way, F9 writes the
    area again from the answers; both are edits of the editor, so Ctrl+Z undoes them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f4", "reword", "换一种说法", id="reword"),
        Binding("f9", "recompose", "重新撰写", id="recompose"),
    ]

    def __init__(self, session: DraftSession, question: Q.Question) -> None:
        super().__init__(session, question)
        self.initial = session.proposal_text(question)
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        if Q.last_year_text(self.session.report, self.question):
            yield Static("这段文字来自上一年度的报告，请逐段更新后再确认。", classes="warn")
        yield TextArea(self.initial, id="text", soft_wrap=True, tab_behavior="focus",
                       read_only=bool(self.session.readonly))
        yield Static(self.status(self.initial), id="text-status")
        done = Button("完成 ▸（Ctrl+S）", id="text-done", variant="primary")
        done.can_focus = False  # Tab never lands on it: a stray Tab + Enter must not close the section
        yield done

    def focus_target(self) -> Widget | None:
        return self.query_one("#text", TextArea)

    @property
    def text(self) -> str:
        return self.query_one("#text", TextArea).text

    def confirm(self) -> None:
        self.post_message(Answered(self.question, self.text))

    def keep(self) -> None:
        """Store the text typed so far (not yet confirmed): on a pause, on leaving, on quitting."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.is_attached and self.text != self.initial:
            self.session.set_text(self.text)
        if self.is_attached:
            self._status(share=True)

    def on_mount(self) -> None:
        self._status(share=True)

    def _status(self, share: bool = False) -> None:
        try:
            self.query_one("#text-status", Static).update(self.status(self.text, share))
        except Exception:
            pass

    def status(self, text: str, share: bool = False) -> str:
        """Length (一), the share repeated from last year (recomputed on a pause in typing,
        ``share``; kept from the last time otherwise), and the keys."""
        composed = self.question.target != "narrative.opening" and self.question.phrases
        keys = "F4 换一种说法 · F9 按回答重新撰写 · Ctrl+Z 撤销" if composed else ""
        line = self.session.text_status(text, share=share)
        if share:
            self._share_line = line
        else:
            kept = getattr(self, "_share_line", "")
            extra = kept.split("，")[-1] if "与上一年度重复" in kept else ""
            line = "，".join(x for x in (line, extra) if x)
        return " · ".join(x for x in (line, keys) if x)

    def put(self, text: str, at: int | None = None) -> None:
        """Replace the editor's text as one edit (Ctrl+Z undoes it), the cursor at ``at``."""
        ta = self.query_one("#text", TextArea)
        ta.replace(text, (0, 0), ta.document.end)
        if at is not None and at >= 0:
            before = text[:at]
            ta.move_cursor((before.count("\n"), len(before.rsplit("\n", 1)[-1])), center=True)
        self.screen.set_focus(ta)

    def _offset(self) -> int:
        ta = self.query_one("#text", TextArea)
        row, col = ta.cursor_location
        lines = ta.text.split("\n")
        return sum(len(x) + 1 for x in lines[:row]) + col

    def action_reword(self) -> None:
        res = self.session.reword(self.text, self._offset())
        if isinstance(res, str):
            self.show_error(res)
            return
        self.put(*res)
        self.show_error("")

    def action_recompose(self) -> None:
        res = self.session.recompose_at(self.text, self._offset())
        if isinstance(res, str):
            self.show_error(res)
            return
        new, note = res
        at = self._offset()
        self.put(new, min(at, len(new)))
        self.show_error(note)

    @on(Button.Pressed, "#text-done")
    def _done(self, event: Button.Pressed) -> None:
        event.stop()
        self.confirm()

    @on(TextArea.Changed, "#text")
    def _changed(self, event: TextArea.Changed) -> None:
        self._status()
        if event.text_area.text == self.initial:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(1.0, self.keep)


# ---- table questions ------------------------------------------------------------------------------

class GridBody(ScrollView, can_focus=True):
    """A table question's cells as one line-drawn widget (like a spreadsheet): the column
    headers fixed on top, the rows scrolling under them, computed totals live, the error of
    the cursor's cell on the line right under its row.  One widget, not one per cell: a
    keystroke repaints one line.  Keys go to the grid's :class:`GridState`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "grid--head", "grid--label", "grid--cell", "grid--cursor", "grid--invalid", "grid--proposed",
        "grid--computed", "grid--group", "grid--error", "grid--previous",
    }
    DEFAULT_CSS = """
    GridBody { height: auto; max-height: 30; overflow-x: auto; overflow-y: auto; scrollbar-size: 1 1; }
    GridBody > .grid--head { color: $text-muted; }
    GridBody > .grid--cell { background: $boost; }
    GridBody > .grid--cursor { background: $accent 40%; }
    GridBody > .grid--invalid { background: $error 40%; }
    GridBody > .grid--proposed { color: $warning; }
    GridBody > .grid--computed { color: $success; text-style: bold; }
    GridBody > .grid--group { color: $accent; text-style: italic; }
    GridBody > .grid--error { color: $error; text-style: bold; }
    GridBody > .grid--previous { color: $text-muted; text-style: italic; }
    """

    def __init__(self, grid: GridView) -> None:
        super().__init__(id="gridbody")
        self.grid = grid
        self.state = grid.state
        self.spec = grid.spec
        self.label_w = 14
        self.widths: list[int] = []
        self.head: list[list[str]] = []
        #: the content lines: ("group", text) / ("row", i) / ("prev", i) / ("error", text)
        self.lines: list[tuple[str, Any]] = []
        self.row_line: dict[int, int] = {}

    # ---- geometry ---------------------------------------------------------------------------
    @property
    def cid(self) -> str:
        """The cell under the cursor."""
        return self.state.cursor

    def setup(self, compact: bool) -> None:
        self.label_w = 15 if compact else 21
        self.widths = self.state.widths(5 if compact else 8)
        self.head = [wrap_cells(c.short, w - 1) for c, w in zip(self.spec.cols, self.widths, strict=True)]
        self.relayout()

    @property
    def head_height(self) -> int:
        return max((len(h) for h in self.head), default=1)

    def relayout(self) -> None:
        """The content lines (after a change of the error shown, of a column's width)."""
        lines: list[tuple[str, Any]] = []
        self.row_line = {}
        group = ""
        show_previous = bool(self.state.report.meta.previous.cells) and len(self.spec.rows) <= 3
        cur_row = self.spec.position(self.cid)[0] if self.cid else -1
        error = self.grid.transient or self.state.error()
        width = max(20, (self.size.width or 60) - 2)
        for i, r in enumerate(self.spec.rows):
            if r.group and r.group != group:
                group = r.group
                lines.append(("group", r.group))
            self.row_line[i] = len(lines)
            lines.append(("row", i))
            if show_previous:
                lines.append(("prev", i))
            if i == cur_row and error:
                lines += [("error", part) for part in wrap_cells(f"  ⚠{error}", width)]
        self.lines = lines
        total_w = self.label_w + sum(self.widths)
        self.virtual_size = Size(total_w, self.head_height + len(lines))
        self.refresh()

    def cell_x(self, j: int) -> int:
        return self.label_w + sum(self.widths[:j])

    def cell_region(self, cid: str) -> Region:
        """Where a cell is on the screen (for the mouse, and for tests)."""
        i, j = self.spec.position(cid)
        y = self.head_height + self.row_line[i] - int(self.scroll_y)
        x = self.cell_x(j) - int(self.scroll_x)
        region = self.content_region
        return Region(region.x + x, region.y + y, self.widths[j] - 1, 1)

    def line_text(self, y: int) -> str:
        """The text of a line as painted (for tests)."""
        return "".join(seg.text for seg in self.render_line(y))

    def screen_text(self) -> list[str]:
        return [self.line_text(y) for y in range(self.size.height)]

    def scroll_to_cursor(self) -> None:
        if not self.cid:
            return
        i = self.spec.position(self.cid)[0]
        first = self.row_line[i]
        last = first
        while last + 1 < len(self.lines) and self.lines[last + 1][0] in ("error", "prev"):
            last += 1
        view = max(1, self.size.height - self.head_height)
        top = int(self.scroll_y)
        if first < top:
            top = first
        elif last >= top + view:
            top = last - view + 1
        if top != int(self.scroll_y):
            self.scroll_to(y=top, animate=False, immediate=True)

    # ---- painting ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self.rich_style
        if y < self.head_height:
            strip = self._head_line(y)
        else:
            k = y - self.head_height + scroll_y
            strip = self._content_line(k) if k < len(self.lines) else Strip.blank(0, base)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name)

    def _head_line(self, y: int) -> Strip:
        style = self._style("grid--head")
        segs = [Segment(" " * self.label_w, style)]
        for h, w in zip(self.head, self.widths, strict=True):
            text = h[y] if y < len(h) else ""
            segs.append(Segment(text + " " * (w - cell_width(text)), style))
        return Strip(segs)

    def _content_line(self, k: int) -> Strip:
        kind, what = self.lines[k]
        if kind == "group":
            return Strip([Segment(fit_cells(what, self.label_w + sum(self.widths)), self._style("grid--group"))])
        if kind == "error":
            return Strip([Segment(what, self._style("grid--error"))])
        row = self.spec.rows[what]
        if kind == "prev":
            style = self._style("grid--previous")
            name = Q.reference(self.state.report, row.cells[0])[0]
            segs = [Segment(fit_cells(name, self.label_w - 1) + " ", style)]
            for cid, w in zip(row.cells, self.widths, strict=True):
                v = Q.reference(self.state.report, cid)[1]
                text = "" if v is None else format_number(v)
                segs.append(Segment(text + " " * (w - cell_width(text)), style))
            return Strip(segs)
        label_style = self._style("grid--computed") if row.computed else Style()
        segs = [Segment(fit_cells(row.short, self.label_w - 1) + " ", label_style)]
        gap = Segment(" ")
        for j, (cid, w) in enumerate(zip(row.cells, self.widths, strict=True)):
            text = self.state.shown(cid, live=False)  # the totals follow right after the keystroke
            if self.spec.is_computed(row, j):
                segs += [Segment(text + " " * (w - 1 - cell_width(text)), self._style("grid--computed")), gap]
                continue
            style = self._style("grid--cell")
            if cid in self.state.errors:
                style += self._style("grid--invalid")
            if cid in self.state.proposed:
                style += self._style("grid--proposed")
            room = w - 1
            if cid == self.cid and self.has_focus:
                style += self._style("grid--cursor")
                if cell_width(text) > room - 1:  # never cut digits off: show the end, where one types
                    text = "…" + text[-(room - 2):]
                shown = Segment(text, style + Style(underline=True) if self.state.fresh and text else style)
                segs += [shown, Segment(" ", style + Style(reverse=True)),
                         Segment(" " * max(0, room - 1 - cell_width(text)), style), gap]
            else:
                segs += [Segment(text + " " * max(0, room - cell_width(text)), style), gap]
        return Strip(segs)

    def refresh_row(self, i: int) -> None:
        """Repaint one row's line (a keystroke)."""
        k = self.row_line.get(i)
        if k is None:
            return
        y = self.head_height + k - int(self.scroll_y)
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def refresh_cell(self, cid: str) -> None:
        if cid:
            self.refresh_row(self.spec.position(cid)[0])

    # ---- events -----------------------------------------------------------------------------
    def on_focus(self) -> None:
        self.grid.arrive(self.cid)

    def on_blur(self) -> None:
        self.state.leave()
        self.refresh_cell(self.cid)

    def on_resize(self) -> None:
        self.relayout()

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        self.grid.paste(event.text)

    def on_key(self, event: events.Key) -> None:
        if self.grid.key(event.key, event.character if event.is_printable else None):
            event.stop()
            event.prevent_default()

    def on_click(self, event: events.Click) -> None:
        y = event.y - self.head_height
        if y < 0:
            return
        k = y + int(self.scroll_y)
        if k >= len(self.lines) or self.lines[k][0] != "row":
            return
        row = self.spec.rows[self.lines[k][1]]
        x = event.x + int(self.scroll_x)
        for j, cid in enumerate(row.cells):
            if self.cell_x(j) <= x < self.cell_x(j + 1) and cid in self.state.text:
                self.grid.move_to(cid)
                return


class GridView(QuestionWidget):
    """A table question: the cells (:class:`GridBody`), the line naming the cell under the
    cursor with its whole value and last year's, the button that finishes the table."""

    def __init__(self, session: DraftSession, question: Q.Question) -> None:
        super().__init__(session, question)
        self.id = "grid"
        assert session.grid is not None and session.grid.question is question
        self.state: GridState = session.grid
        self.spec = question.grid
        self._totals_scheduled = False
        self._shown_error = ""
        #: a message about the table (not a cell's error), shown until the next key
        self.transient = ""

    def compose(self) -> ComposeResult:
        yield GridBody(self)
        yield Static("", id="cellhelp")
        yield Button("完成本表 ▸", id="grid-done", variant="primary")

    @property
    def body(self) -> GridBody:
        return self.query_one(GridBody)

    def on_mount(self) -> None:
        try:
            compact = self.screen.has_class("compact")
        except Exception:
            compact = False
        self.body.setup(compact)
        self.fit_height()
        self.call_after_refresh(self._settle)  # once the question above has its height
        self._help(self.state.cursor)

    def _settle(self) -> None:
        """The rows fitted under the question, and the question at the top of the conversation."""
        self.fit_height()
        convo = self._convo()
        labels = self.parent.query(".qlabel") if self.parent is not None else None
        if convo is not None and labels:
            label = labels.first()
            self.call_after_refresh(lambda: convo.scroll_to_widget(label, top=True, animate=False))

    def fit_height(self) -> None:
        """The rows scroll under the headers, so that the question, the headers, the cursor's
        row and its error line, and the line naming the cell stay on screen together (80×24
        too); the button may be below."""
        convo = self._convo()
        if convo is None or not convo.size.height:
            return
        above = 0
        for w in self.parent.children if self.parent is not None else ():
            if w is self:
                break
            if w.display:
                above += w.outer_size.height + w.styles.margin.top + w.styles.margin.bottom
        help_line = self.query_one("#cellhelp", Static)
        below = help_line.styles.margin.top + 2  # the line naming the cell, under the rows
        room = max(6, convo.size.height - above - self.styles.margin.top - below)
        if self.body.styles.max_height != room:
            self.body.styles.max_height = room

    def on_resize(self) -> None:
        self.fit_height()  # the question above got its height (or the terminal changed)

    def _convo(self) -> Widget | None:
        for node in self.ancestors:
            if node.id == "convo":
                return node  # type: ignore[return-value]
        return None

    def focus_target(self) -> Widget | None:
        return self.body if self.state.cursor else self.query_one("#grid-done", Button)

    def confirm(self) -> None:
        self.post_message(Answered(self.question, ""))

    # ---- the state on screen ---------------------------------------------------------------
    def arrive(self, cid: str) -> None:
        """The cursor is on ``cid`` (a move, a click, the grid focused)."""
        before = self.state.cursor
        self.state.focus(cid)
        body = self.body
        body.refresh_cell(before)
        self._help(cid)
        if not self._show_error():
            body.refresh_cell(cid)
        body.scroll_to_cursor()

    def move_to(self, cid: str) -> None:
        if self.app.focused is not self.body:
            self.state.focus(cid)
            self.body.focus()  # arrive() follows
        else:
            self.arrive(cid)

    def _show_error(self) -> bool:
        """The cursor cell's error (or a message about the table) on the line under its row;
        True if the lines changed."""
        text = self.transient or self.state.error()
        key = f"{self.state.cursor}|{text}" if text else ""
        if key == self._shown_error:
            return False
        self._shown_error = key
        self.body.relayout()
        self.body.scroll_to_cursor()  # the error line too
        return True

    def show_error(self, text: str) -> None:
        """A message about the table as a whole (read-only, a refused paste): under the cursor's
        row until the next key."""
        self.transient = text
        self._show_error()

    def apply(self, e: Edit) -> None:
        """Show what a keystroke did: the cell's line now, the totals right after."""
        body = self.body
        if e.error == READONLY:
            self.show_error(READONLY)
            return
        if self._widen(e.cid) or self._show_error():
            pass  # relaid out: everything repainted
        else:
            body.refresh_cell(e.cid)
            for cid in e.cleared:
                body.refresh_cell(cid)
        # the typed character is painted first; the totals (often far below and to the right)
        # are computed and painted right after it
        if not self._totals_scheduled:
            self._totals_scheduled = True
            self.call_after_refresh(self._paint_totals)
        if len(self.state.text.get(e.cid, "")) > 7:
            self._help(e.cid)

    def _paint_totals(self) -> None:
        self._totals_scheduled = False
        for cid in self.state.changed_totals():
            self.body.refresh_cell(cid)

    def _help(self, cid: str) -> None:
        """The line under the grid: the cell's full name and whole value (its height is fixed:
        no layout on every move)."""
        if cid:
            self.query_one("#cellhelp", Static).update(self.state.help_line(cid), layout=False)

    def _widen(self, cid: str) -> bool:
        """A value longer than its column widens the column (never a cut number)."""
        body = self.body
        if cid not in self.state.text:
            return False
        j = self.spec.position(cid)[1]
        need = cell_width(self.state.text[cid]) + 3
        if need <= body.widths[j]:
            return False
        body.widths[j] = need + 2
        body.relayout()
        return True

    def refresh_all(self) -> None:
        self._show_error()
        self.body.refresh()

    # ---- keys ------------------------------------------------------------------------------
    def key(self, key: str, char: str | None) -> bool:
        """A key in the grid; True if it was handled."""
        st = self.state
        if self.transient:
            self.transient = ""
            self._show_error()
        if key == "enter":
            e = st.enter()
            self.apply(e)
            if not e.error:
                if st.cursor == e.cid:  # the last cell: on to the button
                    self.query_one("#grid-done", Button).focus()
                else:
                    self.arrive(st.cursor)
            return True
        if key in ("up", "down", "left", "right", "tab", "shift+tab"):
            dr = {"up": -1, "down": 1}.get(key, 0)
            dc = {"left": -1, "right": 1, "tab": 1, "shift+tab": -1}.get(key, 0)
            target = st.neighbour(rows=dr, cols=dc)
            if target == st.cursor and key in ("tab", "shift+tab"):
                return False  # past the last (first) cell: Tab leaves the grid
            self.arrive(target)
            return True
        if key == "backspace":
            self.apply(st.backspace())
            return True
        if key in ("delete", "ctrl+u"):
            self.apply(st.clear())
            return True
        if char:
            self.apply(st.type(char))
            return True
        return False

    def paste(self, text: str) -> None:
        res = self.state.paste(text)
        if res.ok:
            self.transient = ""
            self._shown_error = "-"
            self.refresh_all()
            for note in res.notes:
                self.notify(note, timeout=4)
        else:
            self.show_error(res.error)

    def focus_cell(self, cid: str) -> bool:
        if cid not in self.state.text:
            return False
        self.state.focus(cid)
        if self.app.focused is self.body:
            self.arrive(cid)
        else:
            self.screen.set_focus(self.body)
        return True

    @on(Button.Pressed, "#grid-done")
    def _done(self, event: Button.Pressed) -> None:
        event.stop()
        self.confirm()


#: the widget of each question type (a new type registers its widget here)
class FactsField(QuestionWidget):
    """The facts of one narrative area: a short field per fact and a line of notes.  Enter
    goes to the next field; on the last one (or Ctrl+S) the answers are confirmed and the
    assistant writes the area."""

    def compose(self) -> ComposeResult:
        self.fields = self.session.facts(self.question)
        for i, f in enumerate(self.fields):
            unit = f"（{f.unit}）" if f.unit else ""
            with Horizontal(classes="fact"):
                yield Static(f"{f.label}{unit}", classes="fact-label")
                yield Input(value=f.value, id=f"fact-{i}", classes="fact-input",
                            placeholder="数字" if f.type in ("int", "money", "percent") else "")
        yield Input(value=self.session.facts_notes(self.question), id="fact-notes",
                    placeholder="一句话说说今年这方面的特点（可不填），助手据此挑选说法")

    def _inputs(self) -> list[Input]:
        return [self.query_one(f"#fact-{i}", Input) for i in range(len(self.fields))] + \
            [self.query_one("#fact-notes", Input)]

    def focus_target(self) -> Widget | None:
        return self._inputs()[0]

    def raw(self) -> str:
        import json

        slots = {f.name: self.query_one(f"#fact-{i}", Input).value for i, f in enumerate(self.fields)}
        return json.dumps({"slots": slots, "notes": self.query_one("#fact-notes", Input).value}, ensure_ascii=False)

    def confirm(self) -> None:
        self.post_message(Answered(self.question, self.raw()))

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = self._inputs()
        i = inputs.index(event.input) if event.input in inputs else len(inputs) - 1
        if i + 1 < len(inputs):
            self.screen.set_focus(inputs[i + 1])
        else:
            self.confirm()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_error(Q.parse_answer(self.session.report, self.question, self.raw())[1])


WIDGETS: dict[str, type[QuestionWidget]] = {
    "text": LineField, "int": LineField, "year": LineField, "money": LineField, "date": LineField,
    "optcount": LineField, "yesno": ChoiceField, "choice": ChoiceField, "textarea": TextField, "cells": GridView,
    "facts": FactsField,
}


def widget_for(session: DraftSession, question: Q.Question) -> QuestionWidget:
    return WIDGETS[question.type](session, question)
