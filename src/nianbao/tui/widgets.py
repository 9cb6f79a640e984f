"""Widgets of the walk-through: the table grid (one light editable cell per figure, computed totals live)."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, Static

from ..model import Report
from ..numbers import format_number
from ..questions import GridSpec, Question, Value, parse_cell, previous_value

Num = int | Decimal

#: shown when an edit is refused because the draft is open read-only
READONLY = "只读打开：这份草稿已在另一个窗口中打开，这里不能修改。请到那个窗口中修改，或关闭它后重新打开这份草稿。"


def wid(cid: str) -> str:
    """Widget id of a cell id (dots are not allowed in ids)."""
    return "c-" + cid.replace(".", "--")


def cid_of(widget_id: str) -> str:
    return widget_id[2:].replace("--", ".")


class CellInput(Widget, can_focus=True):
    """One table cell: a light editable field (tables have up to 150 of them, and a full
    ``Input`` each would make the grid slow to open).  Typing after focusing replaces the
    value, as in a spreadsheet; Enter commits; ↑ ↓ ← → move between cells.  Typed text is
    checked as typed; a valid value is committed on Enter or when the cell loses focus; an
    invalid one is never stored."""

    DEFAULT_CSS = """
    CellInput { width: 9; height: 1; }
    """
    MAX = 16

    value: reactive[str] = reactive("", layout=False)

    class Changed(Message):
        def __init__(self, cell: CellInput, value: str) -> None:
            super().__init__()
            self.cell = cell
            self.value = value

    class Submitted(Message):
        def __init__(self, cell: CellInput, value: str) -> None:
            super().__init__()
            self.cell = cell
            self.value = value

    class Blurred(Message):
        def __init__(self, cell: CellInput) -> None:
            super().__init__()
            self.cell = cell

    def __init__(self, cid: str, value: str, label: str, proposed: bool = False) -> None:
        super().__init__(id=wid(cid))
        self.cid = cid
        self.full_label = label
        self.tooltip = label
        self.initial = value
        self.proposed = proposed
        self._fresh = False  # the next typed character replaces the value
        self.set_reactive(CellInput.value, value)
        if proposed:
            self.add_class("-proposed")

    def render(self) -> Text:
        t = Text(self.value, no_wrap=True, overflow="ellipsis")
        if self.has_focus:
            t.append(" ", style="reverse")
            if self._fresh and self.value:
                t.stylize("underline", 0, len(self.value))
        return t

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))
        self.refresh()

    def on_focus(self) -> None:
        self._fresh = True
        self.refresh()

    def on_blur(self) -> None:
        self._fresh = False
        self.refresh()
        self.post_message(self.Blurred(self))

    def _type(self, text: str) -> None:
        base = "" if self._fresh else self.value
        self._fresh = False
        self.value = (base + text)[: self.MAX]

    def _refused(self) -> bool:
        grid = self._grid()
        if grid is not None and grid.readonly:
            grid.show_error(READONLY)
            return True
        return False

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        if self._refused():
            return
        self._type(event.text.strip().replace("\n", ""))

    def _grid(self) -> GridView | None:
        for node in self.ancestors:
            if isinstance(node, GridView):
                return node
        return None

    def on_key(self, event: events.Key) -> None:
        key = event.key
        handled = True
        if (key in ("backspace", "delete", "ctrl+u") or (event.is_printable and event.character)) and self._refused():
            event.stop()
            event.prevent_default()
            return
        if key == "enter":
            self.post_message(self.Submitted(self, self.value))
        elif key == "backspace":
            self.value = "" if self._fresh else self.value[:-1]
            self._fresh = False
        elif key in ("delete", "ctrl+u"):
            self.value = ""
            self._fresh = False
        elif key in ("up", "down"):
            grid = self._grid()
            if grid is not None:
                grid.move_vertical(-1 if key == "up" else 1)
        elif key in ("left", "right"):
            grid = self._grid()
            if grid is not None:
                grid.move_horizontal(-1 if key == "left" else 1)
        elif event.is_printable and event.character:
            self._type(event.character)
        else:
            handled = False
        if handled:
            event.stop()
            event.prevent_default()
        self.refresh()


class GridView(Vertical):
    """A table question: rows × columns of CellInputs, with computed cells as labels."""

    class Committed(Message):
        """A cell value was accepted and stored."""

        def __init__(self, cid: str) -> None:
            super().__init__()
            self.cid = cid

    class Completed(Message):
        def __init__(self, values: dict[str, Value]) -> None:
            super().__init__()
            self.values = values

    class Invalid(Message):
        def __init__(self, cid: str, message: str) -> None:
            super().__init__()
            self.cid = cid
            self.message = message

    def __init__(self, report: Report, question: Question, proposal: dict[str, Value] | None = None,
                 readonly: bool = False) -> None:
        super().__init__(id="grid")
        self.readonly = readonly
        self.report = report
        self.question = question
        assert question.grid is not None
        self.spec: GridSpec = question.grid
        self.proposal = proposal or {}
        self.errors: dict[str, str] = {}

    # ---- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        g = self.spec
        with Horizontal(classes="gridhead"):
            yield Static("", classes="rowlabel head")
            for c in g.cols:
                h = Static(c.short, classes="colhead" + (" computed" if c.computed else ""))
                h.tooltip = c.label
                yield h
        group = ""
        prev = self.report.meta.previous.get("cells") if self.report.meta.previous else None
        show_previous = bool(prev) and len(g.rows) <= 3
        for r in g.rows:
            if r.group and r.group != group:
                group = r.group
                yield Static(r.group, classes="gridgroup")
            with Horizontal(classes="gridrow"):
                lab = Static(r.short, classes="rowlabel" + (" computed" if r.computed else ""))
                lab.tooltip = r.label
                yield lab
                for j, cid in enumerate(r.cells):
                    label = f"{r.label} · {g.cols[j].label}"
                    v = self.report.cells.get(cid)
                    if g.is_computed(r, j):
                        yield Static(format_number(v) if v is not None else "·", id=wid(cid), classes="cell computed")
                    else:
                        proposed = v is None and cid in self.proposal
                        text = format_number(self.proposal[cid]) if proposed else format_number(v)
                        yield CellInput(cid, text, label, proposed)
            if show_previous:
                # last year's figures as a reference line (never as the default)
                with Horizontal(classes="gridrow previous"):
                    yield Static("  上年", classes="rowlabel previous")
                    for cid in r.cells:
                        pv = previous_value(self.report, cid)
                        yield Static("" if pv is None else str(pv), classes="cell previous")
        yield Static("", id="cellhelp")
        yield Static("", id="cellerror", classes="error")
        yield Button("完成本表 ▸", id="grid-done", variant="primary")

    def on_mount(self) -> None:
        self.refresh_totals()

    # ---- values ---------------------------------------------------------------------------
    def inputs(self) -> list[CellInput]:
        return list(self.query(CellInput))

    def pending(self) -> dict[str, Value]:
        """Valid values typed in the grid (stored or not)."""
        out: dict[str, Value] = {}
        for inp in self.inputs():
            v, err = parse_cell(self.report, inp.cid, inp.value)
            if not err:
                out[inp.cid] = v
        return out

    def refresh_totals(self) -> None:
        # blanks count as 0 here, as they will when the table is finished
        pend = {k: (0 if v is None else v) for k, v in self.pending().items()}
        tmp = self.report.model_copy(update={"cells": {**self.report.cells, **pend}})
        tmp.recompute()
        for r in self.spec.rows:
            for j, cid in enumerate(r.cells):
                if self.spec.is_computed(r, j):
                    v = tmp.cells.get(cid)
                    try:
                        self.query_one(f"#{wid(cid)}", Static).update(format_number(v) if v is not None else "·")
                    except Exception:
                        pass

    def validate_cell(self, inp: CellInput) -> tuple[Value, str]:
        pend = self.pending()
        v, err = parse_cell(self.report, inp.cid, inp.value, pend)
        if err:
            self.errors[inp.cid] = err
            inp.add_class("-invalid-cell")
        else:
            self.errors.pop(inp.cid, None)
            inp.remove_class("-invalid-cell")
        return v, err

    def show_error(self, text: str) -> None:
        self.query_one("#cellerror", Static).update(text)

    # ---- events ---------------------------------------------------------------------------
    @on(CellInput.Changed)
    def _changed(self, event: CellInput.Changed) -> None:
        inp = event.cell
        event.stop()
        if not inp.is_attached:
            return
        _, err = self.validate_cell(inp)
        self.show_error(err)
        if inp.value != inp.initial:
            inp.remove_class("-proposed")
            if not err:
                # every valid change is stored (and saved) at once: a kill loses nothing on screen
                self.commit(inp, quiet=True, normalise=False)
        self.refresh_totals()

    @on(CellInput.Submitted)
    def _submitted(self, event: CellInput.Submitted) -> None:
        inp = event.cell
        event.stop()
        if self.commit(inp):
            self.focus_next_cell(inp)

    @on(CellInput.Blurred)
    def _blurred(self, event: CellInput.Blurred) -> None:
        event.stop()
        if event.cell.is_attached:
            self.commit(event.cell, quiet=True)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        w = event.widget
        if isinstance(w, CellInput):
            prev = previous_value(self.report, w.cid)
            ref = f"    上年：{format_number(prev) if not isinstance(prev, str) else prev}" if prev is not None else ""
            self.query_one("#cellhelp", Static).update(f"{w.full_label}{ref}")
            self.show_error(self.errors.get(w.cid, ""))

    @on(Button.Pressed, "#grid-done")
    def _done(self, event: Button.Pressed) -> None:
        event.stop()
        self.complete()

    # ---- actions --------------------------------------------------------------------------
    def commit(self, inp: CellInput, quiet: bool = False, normalise: bool = True) -> bool:
        """Store the cell if it is valid and was edited; returns False if invalid.
        ``normalise``: show the value as stored (not while the user is still typing)."""
        if self.readonly:
            if inp.value != inp.initial:
                self.show_error(READONLY)
                return False
            return True
        v, err = self.validate_cell(inp)
        if err:
            self.show_error(err)
            if not quiet:
                self.post_message(self.Invalid(inp.cid, err))
            return False
        if normalise and v is not None:
            shown = format_number(v)
            if inp.value != shown:
                edited = inp.value != inp.initial
                with inp.prevent(CellInput.Changed):
                    inp.value = shown  # full-width digits and separators shown normalised
                if not edited:
                    inp.initial = shown
        if inp.value == inp.initial:
            return True  # untouched (a proposal is confirmed by completing the table)
        inp.initial = inp.value
        inp.remove_class("-proposed")
        if self.report.cells.get(inp.cid) != v:
            from ..questions import set_cell

            set_cell(self.report, inp.cid, v)
            self.post_message(self.Committed(inp.cid))
        return True

    def complete(self) -> None:
        if self.readonly:
            self.show_error(READONLY)
            return
        values: dict[str, Value] = {}
        for inp in self.inputs():
            v, err = self.validate_cell(inp)
            if err:
                self.show_error(err)
                inp.focus()
                self.post_message(self.Invalid(inp.cid, err))
                return
            values[inp.cid] = v
        self.post_message(self.Completed(values))

    def focus_next_cell(self, inp: CellInput) -> None:
        cells = self.inputs()
        i = cells.index(inp)
        if i + 1 < len(cells):
            cells[i + 1].focus()
        else:
            self.query_one("#grid-done", Button).focus()

    def move_vertical(self, delta: int) -> None:
        focused = self.app.focused
        if not isinstance(focused, CellInput):
            return
        g = self.spec
        pos = {cid: (i, j) for i, r in enumerate(g.rows) for j, cid in enumerate(r.cells)}
        i, j = pos[focused.cid]
        k = i + delta
        while 0 <= k < len(g.rows):
            cid = g.rows[k].cells[j] if j < len(g.rows[k].cells) else None
            if cid and not g.is_computed(g.rows[k], j):
                self.query_one(f"#{wid(cid)}", CellInput).focus()
                return
            k += delta

    def move_horizontal(self, delta: int) -> None:
        focused = self.app.focused
        if not isinstance(focused, CellInput):
            return
        cells = self.inputs()
        i = cells.index(focused) + delta
        if 0 <= i < len(cells):
            cells[i].focus()

    def focus_cell(self, cid: str) -> bool:
        try:
            w = self.query_one(f"#{wid(cid)}")
        except Exception:
            return False
        if isinstance(w, CellInput):
            self.screen.set_focus(w)
            return True
        return False

    def first_input(self) -> CellInput | None:
        """The cell to start at: the first one still empty, not one the answers filled in."""
        from ..questions import skip_filled

        cells = self.inputs()
        filled = skip_filled(self.report)
        for c in cells:
            if not c.value and c.cid not in filled:
                return c
        for c in cells:
            if c.cid not in filled:
                return c
        return cells[0] if cells else None
