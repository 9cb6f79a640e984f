"""The question widgets of the walk-through: one per question type, each posting
:class:`Answered` when the user confirms; and the messages the views post to the screen.

The widgets render a :class:`nianbao.session.DraftSession` and turn keys into calls on it;
what a key does (a table cell's typing, moving, pasting) is decided there, headless."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from .. import questions as Q
from ..findings import Finding
from ..numbers import format_number
from ..session import READONLY, DraftSession, Edit, GridState

__all__ = ["READONLY", "Answered", "CellInput", "ChoiceField", "GridView", "JumpRequested", "LineField",
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


def wid(cid: str) -> str:
    """Widget id of a cell id (dots are not allowed in ids)."""
    return "c-" + cid.replace(".", "--")


def cid_of(widget_id: str) -> str:
    return widget_id[2:].replace("--", ".")


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
    (saved a second after the last key), confirmed with Ctrl+S; the phrase bank below it."""

    def __init__(self, session: DraftSession, question: Q.Question) -> None:
        super().__init__(session, question)
        self.initial = session.proposal_text(question)
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        if Q.last_year_text(self.session.report, self.question):
            yield Static("这段文字来自上一年度的报告，请逐段更新后再确认。", classes="warn")
        yield TextArea(self.initial, id="text", soft_wrap=True, tab_behavior="focus",
                       read_only=bool(self.session.readonly))
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

    @on(Button.Pressed, "#text-done")
    def _done(self, event: Button.Pressed) -> None:
        event.stop()
        self.confirm()

    @on(TextArea.Changed, "#text")
    def _changed(self, event: TextArea.Changed) -> None:
        if event.text_area.text == self.initial:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(1.0, self.keep)


# ---- table questions ------------------------------------------------------------------------------

class CellInput(Widget, can_focus=True):
    """One table cell: a light focusable field showing the session's text for the cell (tables
    have up to 150 of them, and a full ``Input`` each would make the grid slow to open).  Keys
    go to the grid's :class:`GridState`: typing after arriving replaces the value, as in a
    spreadsheet; Enter moves on; ↑ ↓ ← → move between cells; a paste fills a block."""

    DEFAULT_CSS = """
    CellInput { width: 7; height: 1; }
    """

    def __init__(self, state: GridState, cid: str) -> None:
        super().__init__(id=wid(cid))
        self.state = state
        self.cid = cid
        self.tooltip = state.label(cid)
        self.set_class(cid in state.proposed, "-proposed")

    @property
    def value(self) -> str:
        return self.state.text[self.cid]

    def render(self) -> Text:
        value = self.value
        t = Text(value, no_wrap=True)
        if self.has_focus:
            room = max(1, self.size.width - 1)
            if len(value) > room:  # never cut digits off: show the end, where the cursor is
                t = Text("…" + value[-(room - 1):], no_wrap=True) if room > 1 else Text(value[-1:])
            t.append(" ", style="reverse")
            if self.state.fresh and value:
                t.stylize("underline", 0, len(t) - 1)
        return t

    def on_focus(self) -> None:
        grid = self.grid
        if grid is not None:
            grid.arrive(self)

    def on_blur(self) -> None:
        grid = self.grid
        if grid is not None and self.is_attached:
            grid.leave(self)

    @property
    def grid(self) -> GridView | None:
        for node in self.ancestors:
            if isinstance(node, GridView):
                return node
        return None

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        grid = self.grid
        if grid is not None:
            grid.paste(event.text)

    def on_key(self, event: events.Key) -> None:
        grid = self.grid
        if grid is None:
            return
        if grid.key(event.key, event.character if event.is_printable else None):
            event.stop()
            event.prevent_default()


class GridView(QuestionWidget):
    """A table question: rows × columns of cells, computed cells as live totals, the column
    headers kept in view above the rows, a cell's error on the line right under its row."""

    def __init__(self, session: DraftSession, question: Q.Question) -> None:
        super().__init__(session, question)
        self.id = "grid"
        assert session.grid is not None and session.grid.question is question
        self.state: GridState = session.grid
        self.spec = question.grid
        self.cells: dict[str, CellInput] = {}
        self.totals: dict[str, Static] = {}
        self._error_row = -1
        self._widths: list[int] = []
        self._base = 8

    # ---- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        g, st = self.spec, self.state
        assert g is not None
        try:
            compact = self.screen.has_class("compact")
        except Exception:
            compact = False
        self._base = 6 if compact else 8
        self._widths = st.widths(self._base)
        with Horizontal(classes="gridhead"):
            yield Static("", classes="rowlabel head")
            for j, c in enumerate(g.cols):
                h = Static(c.short, classes="colhead" + (" computed" if c.computed else ""))
                h.tooltip = c.label
                h.styles.width = self._widths[j]
                yield h
        show_previous = self.session.report.meta.previous.cells and len(g.rows) <= 3
        with VerticalScroll(id="gridbody"):
            group = ""
            for i, r in enumerate(g.rows):
                if r.group and r.group != group:
                    group = r.group
                    yield Static(r.group, classes="gridgroup")
                with Horizontal(classes="gridrow"):
                    lab = Static(r.short, classes="rowlabel" + (" computed" if r.computed else ""))
                    lab.tooltip = r.label
                    yield lab
                    for j, cid in enumerate(r.cells):
                        if g.is_computed(r, j):
                            w: Widget = Static(st.shown(cid), id=wid(cid), classes="cell computed")
                            self.totals[cid] = w  # type: ignore[assignment]
                        else:
                            w = CellInput(st, cid)
                            self.cells[cid] = w  # type: ignore[assignment]
                            w.set_class(cid in st.errors, "-invalid-cell")
                        w.styles.width = self._widths[j] - (1 if isinstance(w, CellInput) else 0)
                        yield w
                if show_previous:
                    # last year's figures as a reference line (never as the default)
                    name = Q.reference(self.session.report, r.cells[0])[0]
                    with Horizontal(classes="gridrow previous"):
                        yield Static(f"  {name}", classes="rowlabel previous")
                        for j, cid in enumerate(r.cells):
                            pv = Q.reference(self.session.report, cid)[1]
                            ref = Static("" if pv is None else format_number(pv), classes="cell previous")
                            ref.styles.width = self._widths[j]
                            yield ref
                err = Static("", classes="rowerror error", id=f"rowerr-{i}")
                err.display = False
                yield err
        yield Static("", id="cellhelp")
        yield Button("完成本表 ▸", id="grid-done", variant="primary")

    def on_mount(self) -> None:
        self.fit_height()

    def fit_height(self) -> None:
        """The rows scroll under the headers, so that the question, the headers, the cursor's
        row and its error line stay on screen together (80×24 too)."""
        convo = self._convo()
        if convo is None or not convo.size.height:
            return
        room = max(5, convo.size.height - 13)
        self.query_one("#gridbody", VerticalScroll).styles.max_height = room

    def _convo(self) -> Widget | None:
        for node in self.ancestors:
            if node.id == "convo":
                return node  # type: ignore[return-value]
        return None

    def focus_target(self) -> Widget | None:
        cid = self.state.cursor
        return self.cells.get(cid) or self.query_one("#grid-done", Button)

    def confirm(self) -> None:
        self.post_message(Answered(self.question, ""))

    # ---- the state on screen ---------------------------------------------------------------
    def arrive(self, cell: CellInput) -> None:
        before = self.state.cursor
        self.state.focus(cell.cid)
        if before != cell.cid and before in self.cells:
            self.cells[before].refresh()
        self.query_one("#cellhelp", Static).update(self.state.help_line(cell.cid))
        self._show_error()
        cell.refresh()
        # the headers stay in view: never scrolled away above the conversation
        convo = self._convo()
        head = self.query_one(".gridhead")
        if convo is not None and (not head.region.height or head.region.y < convo.region.y):
            self.call_after_refresh(lambda: convo.scroll_to_widget(head, top=True, animate=False))

    def leave(self, cell: CellInput) -> None:
        if self.state.cursor == cell.cid:
            self.state.leave()
            cell.refresh()

    def _show_error(self) -> None:
        cid = self.state.cursor
        text = self.state.error(cid)
        row = self.spec.position(cid)[0] if cid and self.spec is not None else -1
        want = row if text else -1
        if self._error_row != want and self._error_row >= 0:
            old = self.query_one(f"#rowerr-{self._error_row}", Static)
            old.display = False
        if want >= 0:
            line = self.query_one(f"#rowerr-{want}", Static)
            line.update(f"  ⚠{text}")
            if not line.display:
                line.display = True
                self.call_after_refresh(lambda: line.scroll_visible(animate=False, immediate=True))
        self._error_row = want

    def show_error(self, text: str) -> None:
        """A message about the table as a whole (read-only, a refused paste): under the cursor's row."""
        cid = self.state.cursor
        if not cid:
            return
        row = self.spec.position(cid)[0]
        if self._error_row >= 0 and self._error_row != row:
            self.query_one(f"#rowerr-{self._error_row}", Static).display = False
        line = self.query_one(f"#rowerr-{row}", Static)
        line.update(f"  ⚠{text}" if text else "")
        line.display = bool(text)
        self._error_row = row if text else -1

    def apply(self, e: Edit) -> None:
        """Show what a keystroke did: the cell, the totals that changed, the error line."""
        cell = self.cells.get(e.cid)
        if cell is not None:
            cell.refresh()
            cell.set_class(e.cid in self.state.errors, "-invalid-cell")
            cell.set_class(e.cid in self.state.proposed, "-proposed")
        for cid in e.cleared:
            other = self.cells.get(cid)
            if other is not None:
                other.remove_class("-invalid-cell")
        for cid in e.totals:
            w = self.totals.get(cid)
            if w is not None:
                w.update(self.state.shown(cid), layout=False)
        self._widen(e.cid)
        if e.error == READONLY:
            self.show_error(READONLY)
        else:
            self._show_error()
        if cell is not None and len(self.state.text.get(e.cid, "")) > 7:
            self.query_one("#cellhelp", Static).update(self.state.help_line(e.cid))

    def _widen(self, cid: str) -> None:
        """A value longer than its column widens the column (never a cut number)."""
        if cid not in self.cells:
            return
        j = self.spec.position(cid)[1]
        need = len(self.state.text.get(cid, "")) + 2
        if need <= self._widths[j]:
            return
        self._widths[j] = need + 2
        for r in self.spec.rows:
            w = self.query_one(f"#{wid(r.cells[j])}")
            w.styles.width = self._widths[j] - (1 if isinstance(w, CellInput) else 0)
        heads = list(self.query(".colhead"))
        if j < len(heads):
            heads[j].styles.width = self._widths[j]

    def refresh_all(self) -> None:
        for cid, cell in self.cells.items():
            cell.set_class(cid in self.state.errors, "-invalid-cell")
            cell.set_class(cid in self.state.proposed, "-proposed")
            cell.refresh()
        for cid, w in self.totals.items():
            w.update(self.state.shown(cid), layout=False)
        self._show_error()

    # ---- keys ------------------------------------------------------------------------------
    def key(self, key: str, char: str | None) -> bool:
        """A key in a cell; True if it was handled."""
        st = self.state
        if key == "enter":
            e = st.enter()
            self.apply(e)
            if not e.error:
                if st.cursor == e.cid:  # the last cell: on to the button
                    self.query_one("#grid-done", Button).focus()
                else:
                    self.cells[st.cursor].focus()
            return True
        if key in ("up", "down", "left", "right"):
            dr = {"up": -1, "down": 1}.get(key, 0)
            dc = {"left": -1, "right": 1}.get(key, 0)
            target = st.move(rows=dr, cols=dc)
            if target in self.cells:
                self.cells[target].focus()
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
            self.refresh_all()
            self.show_error("")
            for note in res.notes:
                self.notify(note, timeout=4)
        else:
            self.show_error(res.error)

    def focus_cell(self, cid: str) -> bool:
        cell = self.cells.get(cid)
        if cell is None:
            return False
        self.screen.set_focus(cell)
        return True

    @on(Button.Pressed, "#grid-done")
    def _done(self, event: Button.Pressed) -> None:
        event.stop()
        self.confirm()


#: the widget of each question type (a new type registers its widget here)
WIDGETS: dict[str, type[QuestionWidget]] = {
    "text": LineField, "int": LineField, "year": LineField, "money": LineField,
    "yesno": ChoiceField, "choice": ChoiceField, "textarea": TextField, "cells": GridView,
}


def widget_for(session: DraftSession, question: Q.Question) -> QuestionWidget:
    return WIDGETS[question.type](session, question)
