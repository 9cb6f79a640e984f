"""Suggested phrasing beside a narrative text area (when the phrase bank is installed).

The user types a few words; ranked suggestions appear; choosing one inserts its text into
the text area, after asking for any free slot the variant still needs.  The segmenter is
warmed in the background; until it is ready the panel says “分词加载中…”."""

from __future__ import annotations

from functools import cache
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from .. import questions as Q
from ..session import DraftSession

#: shown before the first search
HINT = "输入几个词，按 Enter 查找常用表述；用 ↑ ↓ 选中一条，按 Enter 插入；Tab 回到上面的文字。"


@cache
def available() -> bool:
    try:
        from ..phrases import load_bank
    except ImportError:
        return False
    try:
        load_bank()
    except Exception:
        return False
    return True


class PhrasePanel(Vertical):
    def __init__(self, session: DraftSession, question: Q.Question) -> None:
        super().__init__(id="phrases")
        self.session = session
        self.report = session.report
        self.question = question
        self.suggestions: list[Any] = []
        self.pending: Any = None  # a suggestion waiting for its free slots
        self.slot_values: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static("常用表述：用几个词描述今年的工作，选中一条即插入上面的文字中。", classes="qhelp")
        yield Input(placeholder="用几个词描述今年的工作，如：网站改版 政策解读", id="pquery")
        yield Static("", id="pstatus", classes="qhelp")
        yield OptionList(id="psugg")
        yield Input(placeholder="", id="pslot", classes="hidden-slot")

    def on_mount(self) -> None:
        self.query_one("#pslot", Input).display = False
        self.run_query("")

    @on(Input.Changed, "#pquery")
    def _query(self, event: Input.Changed) -> None:
        event.stop()
        self.run_query(event.value)

    @on(Input.Submitted, "#pquery")
    def _query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#psugg", OptionList).focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="phrases")
    def run_query(self, query: str) -> None:
        from ..phrases import is_ready, load_bank, suggest

        if query.strip() and not is_ready():
            self.app.call_from_thread(self.query_one("#pstatus", Static).update, "分词加载中…")
        bank = load_bank()
        section = self.question.phrases or None
        try:
            found = suggest(bank, query, report=self.report, section=section, top=8)
        except Exception as e:
            self.app.call_from_thread(self.query_one("#pstatus", Static).update, f"无法检索常用表述：{e}")
            return
        self.app.call_from_thread(self._show, found, query)

    def _show(self, found: list[Any], query: str = "") -> None:
        self.suggestions = found
        ol = self.query_one("#psugg", OptionList)
        ol.clear_options()
        for i, s in enumerate(found):
            text = s.text.replace("\n", " ")
            extra = f"（需补充：{'、'.join(_slot_name(m) for m in s.missing)}）" if getattr(s, "missing", None) else ""
            ol.add_option(Option(f"{text[:60]}{'…' if len(text) > 60 else ''}{extra}", id=str(i)))
        if found:
            ol.highlighted = 0
        if not query.strip():
            status = HINT
        else:
            status = "" if found else "没有找到合适的表述，可以换几个词试试。"
        self.query_one("#pstatus", Static).update(status)

    @on(OptionList.OptionSelected, "#psugg")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        s = self.suggestions[int(event.option.id or 0)]
        missing = list(getattr(s, "missing", []) or [])
        if missing:
            self.pending = s
            self.slot_values = dict(self.report.meta.slots)  # answered before: not asked again
            self._ask_slot()
            return
        self._insert(s.text, s)

    def _ask_slot(self) -> None:
        s = self.pending
        todo = [m for m in s.missing if _slot_key(m) not in self.slot_values]
        slot = self.query_one("#pslot", Input)
        if not todo:
            slot.display = False
            text = s.text
            for m in s.missing:
                text = text.replace(_marker(m), self.slot_values[_slot_key(m)])
            self.pending = None
            self._insert(text, s)
            return
        slot.display = True
        slot.value = ""
        slot.placeholder = f"请填写：{_slot_name(todo[0])}"
        self.query_one("#pstatus", Static).update(f"这条表述需要补充：{_slot_name(todo[0])}（填好按 Enter）")
        self.screen.set_focus(slot)
        # the box is below the suggestions: bring it (and the question above it) into view
        self.call_after_refresh(lambda: slot.scroll_visible(animate=False, immediate=True))

    @on(Input.Submitted, "#pslot")
    def _slot_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip() or self.pending is None:
            self.query_one("#pstatus", Static).update("请填写后再按 Enter")
            return
        todo = [m for m in self.pending.missing if _slot_key(m) not in self.slot_values]
        self.slot_values[_slot_key(todo[0])] = event.value.strip()
        self.session.slot(_slot_key(todo[0]), event.value)  # asked once per report
        self._ask_slot()

    def _insert(self, text: str, s: Any) -> None:
        """The chosen sentence goes where it belongs (its area's part, never a heading of its
        own; in 六 instead of “无其他需要报告的事项”), as one edit of the editor (Ctrl+Z)."""
        ta = self.screen.query_one("#text", TextArea)
        new = self.session.place_phrase(ta.text, getattr(s, "id", ""), text)
        at = new.find(text.strip())
        ta.replace(new, (0, 0), ta.document.end)
        # the cursor after the inserted text, where the user goes on writing
        end = at + len(text.strip()) if at >= 0 else len(new)
        before = new[:end]
        self.screen.set_focus(ta)
        ta.move_cursor((before.count("\n"), len(before.rsplit("\n", 1)[-1])), center=True)
        self.query_one("#pstatus", Static).update("已插入（光标在插入的文字之后），可在上面继续修改；"
                                                  "要再插入一条，回到列表选中后按 Enter；写好后按 Ctrl+S 完成。")


def _slot_key(m: Any) -> str:
    return getattr(m, "name", None) or str(m)


def _slot_name(m: Any) -> str:
    return getattr(m, "label", None) or getattr(m, "prompt", None) or _slot_key(m)


def _marker(m: Any) -> str:
    marker = getattr(m, "marker", None)
    if callable(marker):
        marker = marker()
    if isinstance(marker, str):
        return marker
    return "{" + _slot_key(m) + "}"
