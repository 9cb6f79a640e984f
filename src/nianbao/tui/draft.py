"""The walk-through of one report: steps on the left, the conversation in the middle, the
section as it will be printed on the right.

The screen renders a :class:`nianbao.session.DraftSession`: the question widgets post
:class:`Answered`, the check and export views and the history post :class:`JumpRequested`,
and the screen hands both to the session, then shows where the session is."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from .. import questions as Q
from ..findings import Finding
from ..model import Report
from ..session import DraftSession, table_preview, ui_check
from .commands import JumpProvider
from .widgets import READONLY, Answered, GridView, JumpRequested, QuestionWidget, TextField, widget_for

NARROW = 110  # below this width the preview folds away (F3 shows it)
COMPACT = 80  # below this conversation width the table grids use narrow columns

#: key hints at the bottom (a plain line: Textual's Footer recomposes on every focus change)
HINTS_NARROW = Text.from_markup(
    " [b]Enter[/b] 确认 [b]Esc[/b] 返回 [b]F7/F8[/b] 翻节 [b]^S[/b] 完成 [b]^G[/b] 检查 [b]^E[/b] 导出 [b]^P[/b] 跳转 "
    "[b]F3[/b] 预览 [b]F1[/b] 帮助")
HINTS = Text.from_markup(
    " [b]Enter[/b] 确认  [b]Esc[/b] 上一问  [b]F7/F8[/b] 上/下一节  [b]Ctrl+S[/b] 完成此问  [b]Ctrl+G[/b] 检查  "
    "[b]Ctrl+E[/b] 导出  [b]Ctrl+P[/b] 跳转  [b]F1[/b] 帮助  [b]Ctrl+Q[/b] 退出")


class HistoryItem(Static):
    """An answered question above the current one; clicking it goes back to it."""

    def __init__(self, step: str, qid: str, text: Text | str) -> None:
        super().__init__(text, classes="hist")
        self.step = step
        self.qid = qid

    def on_click(self) -> None:
        self.post_message(JumpRequested(self.step, self.qid))


def history_text(q: Q.Question, done: bool, summary: str) -> Text:
    t = Text()
    t.append("✓ " if done else "○ ", style="green" if done else "yellow")
    t.append(q.name)
    t.append("：")
    t.append(summary, style="bold" if done else "dim")
    return t


class DraftScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回上一问", id="back"),
        Binding("f7", "prev_step", "上一节", id="prev_step"),
        Binding("f8", "next_step", "下一节", id="next_step"),
        Binding("pageup", "prev_step", show=False),
        Binding("pagedown", "next_step", show=False),
        Binding("ctrl+s", "accept", "完成此问", id="accept"),
        Binding("ctrl+g", "goto('check')", "检查", id="check"),
        Binding("ctrl+e", "goto('export')", "导出", id="export", priority=True),
        Binding("f3", "toggle_preview", "预览", id="preview"),
    ]
    COMMANDS: ClassVar[set] = {JumpProvider}
    #: the walk-through's styles, loaded when the first draft opens (the start screen is up sooner)
    CSS_PATH = "draft.tcss"

    def __init__(self, home: Any, session: DraftSession) -> None:
        super().__init__()
        self.home = home
        self.session = session
        self.findings: list[Finding] = []
        self.phrases: Any = None  # the phrase panel, when the phrase bank is installed
        self._after_edit = False  # a save and a status refresh are waiting for the next paint

    # ---- what the session holds -------------------------------------------------------------
    @property
    def report(self) -> Report:
        return self.session.report

    @property
    def step(self) -> str:
        return self.session.step

    @property
    def qid(self) -> str:
        return self.session.qid

    @property
    def path(self) -> Any:
        return self.session.path

    @property
    def readonly(self) -> str:
        return self.session.readonly

    @property
    def notes(self) -> list[str]:
        return self.session.notes

    def current(self) -> Q.Question | None:
        return self.session.current()

    # ---- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="topbar")
        banner = Static(Text(f"只读：{self.readonly}。这里的修改不会保存。"), id="readonly-banner")
        banner.display = bool(self.readonly)
        yield banner
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):  # its own box: a keystroke in the grid does not repaint it
                steps = OptionList(id="steps")
                steps.can_focus = False  # mouse, F7/F8 and Ctrl+P; never steals keys typed ahead
                yield steps
            with VerticalScroll(id="convo"):
                yield Vertical(id="history")
                yield Static("", id="notes")
                yield Vertical(id="qbox")
                yield Static("", id="convo-findings")
            with VerticalScroll(id="preview"):
                yield Static("", id="preview-text")
                yield Static("", id="preview-findings")
        yield Static(HINTS, id="keyhints")

    async def on_mount(self) -> None:
        self._register_lock()
        self.session.defer_save = self._save_after_paint
        steps = self.query_one("#steps", OptionList)
        for s in Q.steps(self.report):
            steps.add_option(Option(s.title, id=s.key))
        self._apply_width(self.app.size.width)
        self.session.resume()
        await self.render_step()

    def on_resize(self) -> None:
        self._apply_width(self.app.size.width)
        for grid in self.query(GridView):
            grid.fit_height()

    def _apply_width(self, width: int) -> None:
        narrow = width < NARROW
        if narrow != self.has_class("narrow"):
            self.set_class(narrow, "narrow")
        convo = width - 21 - (0 if narrow else 41)
        if (convo < COMPACT) != self.has_class("compact"):
            self.set_class(convo < COMPACT, "compact")
        self.query_one("#keyhints", Static).update(HINTS_NARROW if narrow else HINTS)

    def action_toggle_preview(self) -> None:
        self.toggle_class("show-preview")

    # ---- saving ---------------------------------------------------------------------------
    def _register_lock(self) -> None:
        """The app releases every lock it knows of when it exits."""
        locks = getattr(self.app, "locks", None)
        lock = self.session.lock
        if isinstance(locks, list) and lock is not None and lock not in locks:
            locks.append(lock)

    def release_lock(self) -> None:
        self.session.release_lock()

    def on_unmount(self) -> None:
        self.release_lock()

    def _save_after_paint(self) -> None:
        """A table cell changed: the keystroke is painted first, then the draft is saved and
        the status (checks, preview, steps) refreshed."""
        if not self._after_edit:
            self._after_edit = True
            self.call_after_refresh(self._saved_edit)

    def _saved_edit(self) -> None:
        self._after_edit = False
        self.save()
        self.refresh_status()

    def save(self) -> None:
        lock_before = self.session.lock
        self.session.save()
        if self.session.lock is not lock_before:
            self._register_lock()
        if self.session.save_error:
            self.notify(self.session.save_error, severity="error", timeout=10)

    def flush(self) -> None:
        """Keep text typed into an open text area, and unsaved changes (before leaving or quitting)."""
        if self.readonly:
            return
        for field in self.query(TextField):
            field.keep()
        self.session.flush()

    # ---- navigation -----------------------------------------------------------------------
    async def show(self, step: str, qid: str | None = None, cell: str = "", keep_notes: bool = False,
                   from_check: bool = False, save: bool = True) -> None:
        """Show ``step`` at question ``qid`` (None: the first unanswered one, or the step summary)."""
        self.flush()
        self.session.go(step, qid, cell, keep_notes=keep_notes, from_check=from_check, save=save)
        self._register_lock()
        await self.render_step()

    async def render_step(self) -> None:
        with self.app.batch_update():
            await self._render_step()
            self.refresh_status()

    async def _render_step(self) -> None:
        history = self.query_one("#history", Vertical)
        qbox = self.query_one("#qbox", Vertical)
        await history.remove_children()
        await qbox.remove_children()
        self.phrases = None
        s = self.session
        if s.step == "check":
            await self._render_check(qbox)
            return
        if s.step == "export":
            await self._render_export(qbox)
            return
        step = next(x for x in Q.steps(self.report) if x.key == s.step)
        items: list[Widget] = [Static(step.title, classes="steptitle")]
        items += [HistoryItem(q.step, q.id, history_text(q, done, text)) for q, done, text in s.history()]
        await history.mount_all(items)
        self.query_one("#notes", Static).update("\n".join(f"·{n.strip()}" for n in s.notes))
        q = s.current()
        if q is None:
            await self._render_summary(qbox)
            return
        await self._render_question(qbox, q)
        after = [HistoryItem(x.step, x.id, history_text(x, done, text)) for x, done, text in s.answered_after()]
        if after:
            await qbox.mount(Static("之后已回答的：", classes="qhelp"), *after)

    async def _render_summary(self, qbox: Vertical) -> None:
        steps = Q.steps(self.report)
        i = [s.key for s in steps].index(self.step)
        nxt = steps[i + 1] if i + 1 < len(steps) else None
        qs = self.session.asked()
        widgets: list[Widget] = [HistoryItem(q.step, q.id, history_text(q, q.answered(self.report),
                                                                         Q.summary(self.report, q))) for q in qs]
        if not qs:
            widgets.append(Static("本节没有需要回答的问题。", classes="qlabel"))
        else:
            widgets.append(Static("本节已全部回答。按 Enter 进入下一节；按 Esc 回到最后一问，或按 Ctrl+P 跳到任意一问"
                                  "（也可以用鼠标点上面的一问）修改。", classes="qlabel"))
        if nxt is not None:
            widgets.append(Button(f"下一节：{nxt.title} ▸", id="next-step", variant="primary"))
        await qbox.mount_all(widgets)
        history = self.query_one("#history", Vertical)  # the history pane would repeat the list
        await history.remove_children()
        await history.mount(Static(steps[i].title, classes="steptitle"))
        self._focus_later("#next-step")

    async def _render_question(self, qbox: Vertical, q: Q.Question) -> None:
        widgets: list[Widget] = [Static(Q.shown_label(self.report, q), classes="qlabel")]
        if q.help:
            widgets.append(Static(q.help, classes="qhelp"))
        field = widget_for(self.session, q)
        widgets += [field, Static("", id="qerror", classes="error")]
        await qbox.mount_all(widgets)
        if q.phrases:
            await self._mount_phrases(field, q)
        target = field.focus_target()
        if target is not None:
            self.set_focus(target, scroll_visible=not isinstance(field, GridView))


    async def _mount_phrases(self, field: QuestionWidget, q: Q.Question) -> None:
        from .phrasepanel import PhrasePanel, available

        if self.readonly or not getattr(self.app, "phrases_enabled", True) or not available():
            return
        panel = PhrasePanel(self.session, q)
        await field.mount(panel, before=field.query_one("#text-done"))
        self.phrases = panel

    def _focus_later(self, selector: str) -> None:
        """Focus the new question's field now (keys typed meanwhile must not land elsewhere)."""
        try:
            self.set_focus(self.query_one(selector))
        except Exception:
            def f() -> None:
                try:
                    self.query_one(selector).focus()
                except Exception:
                    pass
            self.call_after_refresh(f)

    # ---- answering ------------------------------------------------------------------------
    def show_error(self, text: str) -> None:
        grid = self.query(GridView)
        if grid and text:
            grid.first().show_error(text)
        try:
            self.query_one("#qerror", Static).update(text)
        except Exception:
            pass

    async def accept(self, raw: Any) -> bool:
        """Answer the current question with ``raw`` (as a widget's :class:`Answered` does)."""
        q = self.current()
        if q is None:
            return False
        return await self._answer(q, str(raw))

    async def _answer(self, q: Q.Question, raw: str) -> bool:
        old_version = self.report.format_version
        res = self.session.answer(raw)
        if not res.ok:
            self.show_error(res.error or READONLY)
            return False
        if self.report.format_version != old_version:
            await self._rebuild_steps()
        self._register_lock()
        await self.render_step()
        return True

    @on(Answered)
    async def _answered(self, event: Answered) -> None:
        event.stop()
        if event.question is not self.current():
            return
        await self._answer(event.question, event.raw)

    @on(JumpRequested)
    async def _jump_requested(self, event: JumpRequested) -> None:
        event.stop()
        if event.finding is not None:
            await self.jump_to(event.finding)
        elif event.step:
            await self.show(event.step, event.question, event.cell, from_check=self.step == "check")

    async def _rebuild_steps(self) -> None:
        steps = self.query_one("#steps", OptionList)
        steps.clear_options()
        for s in Q.steps(self.report):
            steps.add_option(Option(s.title, id=s.key))

    async def action_accept(self) -> None:
        field = next(iter(self.query(QuestionWidget)), None)
        if self.current() is None or field is None:
            await self.action_next_step()
            return
        field.confirm()

    @on(Button.Pressed, "#next-step")
    async def _next_button(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_next_step()

    # ---- steps ----------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#steps")
    async def _step_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            await self.show(event.option.id)

    async def action_goto(self, step: str) -> None:
        if step == "export" and self.step == "export":
            from .exportview import ExportView

            views = self.query(ExportView)
            if views:
                views.first().export()  # Ctrl+E on the 导出 page exports
                return
        await self.show(step)

    async def action_next_step(self) -> None:
        self.flush()
        self.session.next_step()
        await self.render_step()

    async def action_prev_step(self) -> None:
        self.flush()
        self.session.prev_step()
        await self.render_step()

    async def action_back(self) -> None:
        """Esc: the previous question; at the first question, back to the draft list."""
        self.flush()
        res = self.session.back()
        if res.go == "home":
            await self.app.action_home()  # type: ignore[attr-defined]
            return
        await self.render_step()

    async def jump_to(self, f: Finding) -> None:
        self.flush()
        q, _ = self.session.jump_to_finding(f)
        await self.render_step()
        if q is not None and q.type == "textarea" and f.anchor:
            try:
                ta = self.query_one("#text", TextArea)
            except Exception:
                return
            span = Q.sentence_span(ta.text, f)
            if span is None:
                line = Q.anchor_line(self.report, f.anchor)
                ta.move_cursor((min(line, ta.document.line_count - 1), 0), center=True)
            else:
                # the cursor at the start of the sentence (no selection: typing must not replace it)
                ta.move_cursor(_location(ta.text, span[0]), center=True)
            self.set_focus(ta)

    async def jump(self, step: str, qid: str | None = None, cell: str = "") -> None:
        """A jump (Ctrl+P): from the 检查 page, finishing the question goes back there."""
        await self.show(step, qid, cell, from_check=self.step == "check")

    # ---- status ---------------------------------------------------------------------------
    def refresh_status(self) -> None:
        if self.session.grid is not None:
            self.session.grid.store()  # what was typed, checked too
        r = self.report
        self.findings = ui_check(r)
        pct = Q.percent(r)
        if self.readonly:
            saved = "只读，不会保存"
        elif self.session.saved_at:
            saved = f"已自动保存 {self.session.saved_at}"
        else:
            saved = "尚未保存（填写机关名称后自动保存）"
        top = Text()
        top.append(f" {r.display_title}", style="bold")
        top.append(f" · {r.format_version}格式 · 已完成 {pct}% · {saved}")
        self.query_one("#topbar", Static).update(top)
        steps = self.query_one("#steps", OptionList)
        errors_by_section: dict[int, int] = {}
        for f in self.findings:
            if f.severity == "error" and f.rule not in ("BLANK", "NARRATIVE", "META"):
                errors_by_section[f.section] = errors_by_section.get(f.section, 0) + 1
        total_errors = sum(errors_by_section.values())
        for i, s in enumerate(Q.steps(r)):
            n = 0
            if s.key == "check":
                n = total_errors
            elif s.section > 0:
                n = errors_by_section.get(s.section, 0)
            if s.key == "check" and n:
                mark, badge = ("▶" if s.key == self.step else " "), f" ⚠{n}"
            elif s.key == self.step:
                mark, badge = "▶", (f"⚠{n}" if n else "")
            elif n:
                mark, badge = "⚠", f" {n}"  # never ✓ beside a section with errors
            elif s.key not in Q.PAGES and Q.step_done(r, s.key):
                mark, badge = "✓", ""
            else:
                mark, badge = " ", ""
            # one line each (the list is 18 cells wide): the count goes first when it does not fit
            prompt = Text(f"{mark} {s.title}{badge}")
            if prompt.cell_len > 18:
                prompt = Text(f"{mark} {s.title}{badge.strip()}")
            if prompt.cell_len > 18:
                prompt = Text(f"{mark} {s.title}")
            try:
                steps.replace_option_prompt_at_index(i, prompt)
            except Exception:
                pass
        keys = self.session.step_keys()
        if self.step in keys:
            steps.highlighted = keys.index(self.step)
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        step = next((s for s in Q.steps(self.report) if s.key == self.step), None)
        text_w = self.query_one("#preview-text", Static)
        find_w = self.query_one("#preview-findings", Static)
        convo_w = self.query_one("#convo-findings", Static)
        if step is None or step.section < 0:
            text_w.update(self._overall_summary())
            find_w.update("")
            convo_w.update("")
            return
        text_w.update(self._section_preview(step))
        lines = Text()
        mine = [f for f in self.findings if f.section == step.section and f.rule != "BLANK"
                and not (step.key == "opening" and f.anchor != "opening")
                and not (step.key == "basic" and f.anchor == "opening")]
        for f in sorted(mine, key=lambda f: f.severity != "error"):
            lines.append("⚠ " if f.severity == "error" else "· ", style="red" if f.severity == "error" else "yellow")
            lines.append(f.message + "\n")
        todo = Q.unanswered(self.report, step.key)
        if todo:
            lines.append("尚未回答：" + "、".join(q.name for q in todo) + "\n", style="yellow")
        find_w.update(lines)
        # the preview is folded away on narrow screens: show the section's findings here too
        convo_w.update(Text("本节的检查结果：\n", style="bold") + lines if self.has_class("narrow") and mine else "")

    def _overall_summary(self) -> Text:
        t = Text()
        e = sum(1 for f in self.findings if f.severity == "error" and f.rule != "BLANK")
        w = sum(1 for f in self.findings if f.severity == "warning")
        todo = [q for s in Q.STEP_KEYS for q in Q.unanswered(self.report, s)]
        t.append(f"错误 {e} 个 · 提示 {w} 个 · 尚未回答 {len(todo)} 问\n")
        return t

    def _section_preview(self, step: Q.Step) -> Text | Group | str:
        from ..render import render_section_text

        r = self.report
        if step.section in (2, 3, 4):
            pane = self.query_one("#preview", VerticalScroll)
            # the pane's width less its padding and the scrollbar a long table brings
            width = (pane.size.width - 4) if pane.size.width > 10 else (32 if self.has_class("narrow") else 36)
            lines = table_preview(r, step.section, width)
            return Group(Text(r.spec.section(step.section).heading, style="bold"),
                         Text("\n".join(lines), no_wrap=True, overflow="ignore"))
        if step.key == "basic":
            a = r.agency
            c = a.contact
            out = [r.display_title, "", f"机关类型：{a.kind.value if a.kind else '（未选）'}",
                   f"格式：{r.spec.title}（{r.spec.notice}）"]
            out += [f"{k}：{v}" for k, v in (("工作机构", c.department), ("地址", c.address), ("邮编", c.postcode),
                                            ("电话", c.phone), ("电子邮箱", c.email), ("网址", a.website)) if v]
            return "\n".join(out)
        return render_section_text(r, step.section) or ""

    # ---- check ----------------------------------------------------------------------------
    async def _render_check(self, qbox: Vertical) -> None:
        from .checkview import CheckView

        await self.query_one("#history", Vertical).mount(Static("检查", classes="steptitle"))
        self.query_one("#notes", Static).update("\n".join(f"·{n.strip()}" for n in self.notes))
        view = CheckView(self.session)
        await qbox.mount(view)
        convo = self.query_one("#convo", VerticalScroll)
        if view.items:
            view.query_one("#findings", OptionList).highlighted = 0
        self._focus_later("#findings" if view.items else "#next-step")
        # open at the top: the summary line and the first findings
        convo.scroll_home(animate=False, immediate=True)
        self.call_after_refresh(lambda: convo.scroll_home(animate=False, immediate=True))

    async def _render_export(self, qbox: Vertical) -> None:
        from .exportview import ExportView

        await self.query_one("#history", Vertical).mount(Static("导出", classes="steptitle"))
        self.query_one("#notes", Static).update("")
        await qbox.mount(ExportView(self.session))
        self._focus_later("#formats")


def _location(text: str, offset: int) -> tuple[int, int]:
    """(row, column) in a TextArea of a character offset into its text."""
    row = text.count("\n", 0, offset)
    return row, offset - (text.rfind("\n", 0, offset) + 1)
