"""The walk-through of one report: steps on the left, the conversation in the middle, the
section as it will be printed on the right."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table as RichTable
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from .. import questions as Q
from ..findings import Finding
from ..model import AgencyKind, Report
from ..numbers import format_number
from ..store import DraftLock, save
from ..workspace import draft_filename, drafts_dir, unique_path
from .checkview import ui_check
from .commands import JumpProvider
from .widgets import READONLY, CellInput, GridView

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

    def __init__(self, qid: str, text: Text | str) -> None:
        super().__init__(text, classes="hist")
        self.qid = qid

    def on_click(self) -> None:
        screen = self.screen
        if isinstance(screen, DraftScreen):
            self.app.call_later(screen.show, screen.step, self.qid)


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

    def __init__(self, home: Path, report: Report, path: Path | None, notes: list[str] | None = None,
                 lock: DraftLock | None = None, readonly: str = "") -> None:
        super().__init__()
        self.home = home
        self.report = report
        self.path = path
        #: the lock on ``path`` while this screen edits it (one writer per draft)
        self.lock = lock
        #: why the draft is open read-only ("" when it is editable): nothing is saved
        self.readonly = readonly
        self.step = "basic"
        self.qid = ""
        self.notes: list[str] = list(notes or [])
        self.saved_at = ""
        self.findings: list[Finding] = []
        self._text_timer: Timer | None = None
        self._text_dirty = False
        self._text_initial = ""
        self.phrases: Any = None  # the phrase panel helper, when the phrase bank is installed
        self._home_offered = False  # Esc at the first question: the next Esc goes to the draft list
        #: the question was reached from 检查: finishing it goes back there
        self.return_to_check = False

    # ---- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="topbar")
        banner = Static(Text(f"只读：{self.readonly}。这里的修改不会保存。"), id="readonly-banner")
        banner.display = bool(self.readonly)
        yield banner
        with Horizontal(id="body"):
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
        if self.lock is not None:
            self._register_lock(self.lock)
        steps = self.query_one("#steps", OptionList)
        for s in Q.steps(self.report):
            steps.add_option(Option(s.title, id=s.key))
        self._apply_width(self.app.size.width)
        res = Q.resume_point(self.report)
        # merely opening a draft does not write it (its 最后修改 and place in the list stay)
        on_disk = self.path is not None and self.path.exists()
        if on_disk and self.path is not None:
            self.saved_at = datetime.fromtimestamp(self.path.stat().st_mtime).strftime("%H:%M:%S")
        await self.show(res.step, res.question or None, save=not on_disk)

    def on_resize(self) -> None:
        self._apply_width(self.app.size.width)

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
    def _register_lock(self, lock: DraftLock) -> None:
        """The app releases every lock it knows of when it exits."""
        locks = getattr(self.app, "locks", None)
        if isinstance(locks, list) and lock not in locks:
            locks.append(lock)

    def _take_lock(self) -> None:
        """Lock a draft this screen has just created (or renamed)."""
        if self.path is None or self.readonly:
            return
        lock = DraftLock(self.path)
        if lock.acquire():
            self.lock = lock
            self._register_lock(lock)

    def release_lock(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def on_unmount(self) -> None:
        self.release_lock()

    def save(self) -> None:
        """Save the draft atomically (after every accepted answer); never when read-only."""
        if self.readonly:
            return
        if self.path is None:
            if not self.report.agency.name.strip():
                return  # nothing worth saving before the agency is named
            self.path = unique_path(drafts_dir(self.home), draft_filename(self.report))
        if self.lock is None:
            self._take_lock()  # a draft this screen creates is locked from its first save
        try:
            save(self.report, self.path)
        except OSError as e:
            self.notify(f"保存失败：{e.strerror or e}（{self.path}）", severity="error", timeout=10)
            return
        self.saved_at = datetime.now().strftime("%H:%M:%S")

    def _maybe_rename(self) -> None:
        """Keep the file name in step with the agency name and year while it is the automatic one."""
        if self.path is None:
            return
        want = draft_filename(self.report)
        if self.path.name == want:
            return
        target = unique_path(self.path.parent, want)
        try:
            os.replace(self.path, target)
            bak = self.path.with_name(self.path.name + ".bak")
            if bak.exists():
                os.replace(bak, target.with_name(target.name + ".bak"))
        except OSError:
            return
        self.path = target
        if self.lock is not None:  # the lock follows the file's name
            self.release_lock()
            self._take_lock()

    def flush(self) -> None:
        """Store text typed into an open text area (before quitting or leaving)."""
        if self.readonly:
            return
        q = self.current()
        focused = self.focused
        if isinstance(focused, CellInput) and focused.is_attached:
            grid = focused._grid()
            before = dict(self.report.cells)
            if grid is not None and grid.commit(focused, quiet=True) and self.report.cells != before:
                self.save()
        if q is not None and q.type == "textarea":
            try:
                text = self.query_one("#text", TextArea).text
            except Exception:
                return
            if text != self._text_initial and \
                    text.strip() != str(Q.get_value(self.report, q.target) or "").strip():
                self._text_dirty = True
        if self._text_dirty:
            self._store_text()

    # ---- navigation -----------------------------------------------------------------------
    def _asked(self, step: str | None = None) -> list[Q.Question]:
        return Q.asked(self.report, step or self.step)

    async def show(self, step: str, qid: str | None = None, cell: str = "", keep_notes: bool = False,
                   from_check: bool = False, save: bool = True) -> None:
        """Show ``step`` at question ``qid`` (None: the first unanswered one, or the step summary).
        ``from_check``: reached from 检查, where finishing the question goes back to."""
        self.flush()
        self.return_to_check = from_check
        if step not in Q.STEP_KEYS:
            step = "basic"
        if step != self.step and not keep_notes:
            self.notes = []
        self.step = step
        if qid is None and step not in ("check", "export"):
            todo = Q.unanswered(self.report, step)
            qid = todo[0].id if todo else ""
        self.qid = qid or ""
        self.report.meta.section = step
        answers = dict(self.report.meta.answers)
        answers["_at"] = self.qid
        self.report.meta.answers = answers
        if save:
            self.save()
        with self.app.batch_update():
            await self._render_step(cell)
            self.refresh_status()

    async def _render_step(self, cell: str = "") -> None:
        history = self.query_one("#history", Vertical)
        qbox = self.query_one("#qbox", Vertical)
        await history.remove_children()
        await qbox.remove_children()
        self.phrases = None
        if self.step == "check":
            await self._render_check(qbox)
            return
        if self.step == "export":
            await self._render_export(qbox)
            return
        step = next(s for s in Q.steps(self.report) if s.key == self.step)
        items: list[Widget] = [Static(step.title, classes="steptitle")]
        for q in self._asked():
            if q.id == self.qid:
                break
            items.append(HistoryItem(q.id, self._history_text(q)))
        await history.mount_all(items)
        self.query_one("#notes", Static).update("\n".join(f"·{n.strip()}" for n in self.notes))
        q = Q.by_id(self.report, self.qid) if self.qid else None
        if q is None:
            await self._render_summary(qbox)
            return
        await self._render_question(qbox, q, cell)
        # answered questions after the current one, for context
        after = []
        seen = False
        for other in self._asked():
            if other.id == q.id:
                seen = True
                continue
            if seen and other.answered(self.report):
                after.append(HistoryItem(other.id, self._history_text(other)))
        if after:
            await qbox.mount(Static("之后已回答的：", classes="qhelp"), *after)

    def _history_text(self, q: Q.Question) -> Text:
        t = Text()
        done = q.answered(self.report)
        t.append("✓ " if done else "○ ", style="green" if done else "yellow")
        t.append(q.name)
        t.append("：")
        t.append(self._answer_summary(q), style="bold" if done else "dim")
        return t

    def _answer_summary(self, q: Q.Question) -> str:
        r = self.report
        if q.grid is not None:
            g = q.grid
            vals = []
            blank = 0
            for row in g.rows:
                for j, cid in enumerate(row.cells):
                    if g.is_computed(row, j):
                        continue
                    v = r.cells.get(cid)
                    if v is None:
                        blank += 1
                    elif v != 0:
                        name = g.cols[j].short if len(g.rows) == 1 else f"{row.short}·{g.cols[j].short}"
                        vals.append(f"{name} {format_number(v)}")
            if blank:
                return f"还有{blank}格未填" + (f"（已填：{'、'.join(vals[:4])}）" if vals else "")
            if not vals:
                return "全部为0"
            return "、".join(vals[:6]) + ("…" if len(vals) > 6 else "")
        v = Q.get_value(r, q.target)
        if q.type in ("yesno", "choice"):
            if v is None:
                return "未回答"
            if isinstance(v, bool):
                v = Q.YES if v else Q.NO
            return dict(q.choices).get(str(v), str(v))
        if q.type == "textarea":
            s = str(v or "").strip().replace("\n", " ")
            return (s[:24] + "…") if len(s) > 24 else (s or "（空）")
        if v is None or v == "":
            return "（未填）"
        return f"{format_number(v) if not isinstance(v, str) else v}{q.unit}"

    async def _render_summary(self, qbox: Vertical) -> None:
        steps = Q.steps(self.report)
        i = [s.key for s in steps].index(self.step)
        nxt = steps[i + 1] if i + 1 < len(steps) else None
        qs = self._asked()
        widgets: list[Widget] = []
        for q in qs:
            widgets.append(HistoryItem(q.id, self._history_text(q)))
        if not qs:
            widgets.append(Static("本节没有需要回答的问题。", classes="qlabel"))
        else:
            widgets.append(Static("本节已全部回答。按 Enter 进入下一节；按 Esc 回到最后一问，或按 Ctrl+P 跳到任意一问"
                                  "（也可以用鼠标点上面的一问）修改。", classes="qlabel"))
        if nxt is not None:
            widgets.append(Button(f"下一节：{nxt.title} ▸", id="next-step", variant="primary"))
        await qbox.mount_all(widgets)
        # the history pane would repeat the list
        await self.query_one("#history", Vertical).remove_children()
        await self.query_one("#history", Vertical).mount(Static(steps[i].title, classes="steptitle"))
        self._focus_later("#next-step")

    async def _render_question(self, qbox: Vertical, q: Q.Question, cell: str) -> None:
        r = self.report
        label = Q.label_for(r, q)
        if q.id == "opening":
            text = str(Q.get_value(r, q.target) or "")
            if self._last_year_text(q):
                label = "开头语：可直接修改。"  # the warning below says where the text comes from
            elif text.strip() and q.propose is not None and text.strip() != q.propose(r).strip():
                label = "开头语：可直接修改。"
        widgets: list[Widget] = [Static(label, classes="qlabel")]
        if q.help:
            widgets.append(Static(q.help, classes="qhelp"))
        focus = ""
        if q.grid is not None:
            proposal = q.propose(r) if q.propose else {}
            widgets.append(GridView(r, q, proposal, readonly=bool(self.readonly)))
        elif q.type in ("yesno", "choice"):
            current = Q.get_value(r, q.target)
            if isinstance(current, bool):
                current = Q.YES if current else Q.NO
            ol = OptionList(*[Option(label, id=value) for value, label in q.choices], id="choice")
            ids = [v for v, _ in q.choices]
            if current is None and q.id == "agency.kind":
                guess = self._guess_kind()
                if guess in ids:
                    current = guess
                    widgets.append(Static(f"根据机关名称，已预选“{guess}”，请确认或改选。", id="kind-guess",
                                          classes="qhelp"))
            widgets.append(ol)
            focus = "#choice"
            ol.highlighted = ids.index(str(current)) if current is not None and str(current) in ids else 0
        elif q.type == "textarea":
            text = str(Q.get_value(r, q.target) or "")
            if not text.strip() and q.propose is not None:
                text = q.propose(r)
            if self._last_year_text(q):
                widgets.append(Static("这段文字来自上一年度的报告，请逐段更新后再确认。", classes="warn"))
            self._text_initial = text  # a proposal is stored only once the user edits or confirms it
            ta = TextArea(text, id="text", soft_wrap=True, tab_behavior="focus", read_only=bool(self.readonly))
            widgets.append(ta)
            widgets.append(Button("完成 ▸（Ctrl+S）", id="text-done", variant="primary"))
            focus = "#text"
        else:
            current = Q.get_value(r, q.target)
            if (current is None or current == "") and q.propose is not None:
                current = q.propose(r)
            value = "" if current is None else (format_number(current) if not isinstance(current, str) else current)
            placeholder = {"int": "填写整数，如 3", "year": "如 2025", "money": "如 380"}.get(q.type, "")
            inp = Input(value=value, id="answer", placeholder=placeholder + (f"（单位：{q.unit}）" if q.unit else ""))
            widgets.append(inp)
            focus = "#answer"
        widgets.append(Static("", id="qerror", classes="error"))
        await qbox.mount_all(widgets)
        if q.type == "textarea":
            await self._mount_phrases(qbox, q)
        if q.grid is not None:
            grid = self.query_one(GridView)
            if not (cell and grid.focus_cell(cell)):
                first = grid.first_input()
                if first is not None:
                    self.set_focus(first)
                else:
                    self._focus_later("#grid-done")
        elif focus:
            self._focus_later(focus)

    def _guess_kind(self) -> str | None:
        """The likely kind of agency from its name (the user still confirms it)."""
        from ..importer import guess_kind

        kind = guess_kind(self.report.agency.name.strip())
        if kind is None or kind is AgencyKind.OTHER:  # “其他” is no guess: nothing matched
            return None
        return kind.value

    def _last_year_text(self, q: Q.Question) -> bool:
        n = self.report.narrative
        if q.target in ("narrative.overview", "narrative.problems", "narrative.measures"):
            return any(p.origin == "last_year" for p in getattr(n, q.target.split(".")[1]))
        prev = self.report.meta.previous.get("report") if self.report.meta.previous else None
        if isinstance(prev, dict) and q.target in ("narrative.opening", "narrative.other"):
            old = (prev.get("narrative") or {}).get(q.target.split(".")[1], "")
            return bool(old) and old == Q.get_value(self.report, q.target)
        return False

    async def _mount_phrases(self, qbox: Vertical, q: Q.Question) -> None:
        from .phrasepanel import PhrasePanel, available

        if self.readonly or not getattr(self.app, "phrases_enabled", True) or not available() or q.id not in ("overview", "problems", "measures", "rectification", "opening", "other"):
            return
        panel = PhrasePanel(self.report, q)
        await qbox.mount(panel, before=self.query_one("#text-done"))
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
    def current(self) -> Q.Question | None:
        return Q.by_id(self.report, self.qid) if self.qid else None

    def show_error(self, text: str) -> None:
        try:
            self.query_one("#qerror", Static).update(text)
        except Exception:
            pass

    async def accept(self, raw: Any) -> bool:
        """Accept an answer to the current scalar question; False (and a message) if invalid."""
        q = self.current()
        if q is None:
            return False
        if self.readonly:
            self.show_error(READONLY)
            return False
        value, err = Q.parse_answer(self.report, q, str(raw))
        if err:
            self.show_error(err)
            return False
        old_version = self.report.format_version
        self.notes = Q.apply_answer(self.report, q, value)
        if q.id in ("agency.name", "year"):
            self._maybe_rename()
        if q.type == "textarea":
            self._text_dirty = False
        self.save()
        if self.report.format_version != old_version:
            self.notes.append(f"报告年度改为{self.report.year}年，表格改用{self.report.spec.title}")
            await self._rebuild_steps()
        await self.advance(q)
        return True

    async def _rebuild_steps(self) -> None:
        steps = self.query_one("#steps", OptionList)
        steps.clear_options()
        for s in Q.steps(self.report):
            steps.add_option(Option(s.title, id=s.key))

    async def advance(self, q: Q.Question) -> None:
        if self.return_to_check:
            self.notes.append("已改好，回到“检查”。")
            await self.show("check", keep_notes=True)
            return
        qs = self._asked()
        ids = [x.id for x in qs]
        start = ids.index(q.id) + 1 if q.id in ids else 0
        nxt = next((x for x in qs[start:] if not x.answered(self.report)), None)
        if nxt is None:
            nxt = next((x for x in qs if not x.answered(self.report)), None)
        if nxt is not None:
            await self.show(self.step, nxt.id, keep_notes=True)
            return
        # the step is complete: on to the next one
        steps = Q.steps(self.report)
        keys = [s.key for s in steps]
        i = keys.index(self.step)
        if i + 1 < len(keys):
            self.notes.append(f"“{steps[i].title}”已完成，进入“{steps[i + 1].title}”。（Esc 可返回上一问）")
            await self.show(keys[i + 1], keep_notes=True)
        else:
            await self.show(self.step, "", keep_notes=True)

    @on(Input.Submitted, "#answer")
    async def _answer_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self.accept(event.value)

    @on(Input.Changed, "#answer")
    def _answer_changed(self, event: Input.Changed) -> None:
        q = self.current()
        if q is None or not event.value.strip():
            self.show_error("")
            return
        _, err = Q.parse_answer(self.report, q, event.value)
        self.show_error(err)

    @on(OptionList.OptionSelected, "#choice")
    async def _choice(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self.accept(event.option.id or "")

    @on(Button.Pressed, "#text-done")
    async def _text_done(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_accept()

    @on(Button.Pressed, "#next-step")
    async def _next_button(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_next_step()

    @on(TextArea.Changed, "#text")
    def _text_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.text == self._text_initial:
            return
        self._text_dirty = True
        if self._text_timer is not None:
            self._text_timer.stop()
        self._text_timer = self.set_timer(1.0, self._store_text)

    def _store_text(self) -> None:
        """Autosave the text being typed (not yet confirmed)."""
        if not self._text_dirty or self.readonly:
            return
        self._text_dirty = False
        q = self.current()
        try:
            ta = self.query_one("#text", TextArea)
        except Exception:
            return
        if q is None or q.type != "textarea":
            return
        Q.set_value(self.report, q.target, ta.text)
        self.save()
        self.refresh_status()

    async def action_accept(self) -> None:
        q = self.current()
        if q is None:
            await self.action_next_step()
            return
        if q.type == "textarea":
            await self.accept(self.query_one("#text", TextArea).text)
        elif q.grid is not None:
            self.query_one(GridView).complete()
        elif q.type in ("yesno", "choice"):
            ol = self.query_one("#choice", OptionList)
            if ol.highlighted is not None:
                opt = ol.get_option_at_index(ol.highlighted)
                await self.accept(opt.id or "")
        else:
            await self.accept(self.query_one("#answer", Input).value)

    # ---- grid events ----------------------------------------------------------------------
    def on_grid_view_committed(self, event: GridView.Committed) -> None:
        self.save()
        self.refresh_status()

    def on_grid_view_invalid(self, event: GridView.Invalid) -> None:
        self.show_error("")
        # the message under a tall table may be below the screen: show it on top as well
        self.notify(event.message, severity="error", timeout=8)

    async def on_grid_view_completed(self, event: GridView.Completed) -> None:
        q = self.current()
        if q is None or q.grid is None or self.readonly:
            return
        self.notes = Q.complete_grid(self.report, q, event.values)
        self.save()
        await self.advance(q)

    # ---- steps ----------------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#steps")
    async def _step_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            await self.show(event.option.id)

    async def action_goto(self, step: str) -> None:
        if step == "export" and self.step == "export":
            from .exportview import ExportView

            try:
                view = self.query_one(ExportView)
            except Exception:
                view = None
            if view is not None:
                view.export()  # Ctrl+E on the 导出 page exports
                return
        await self.show(step)

    def _step_keys(self) -> list[str]:
        return [s.key for s in Q.steps(self.report)]

    async def action_next_step(self) -> None:
        keys = self._step_keys()
        i = keys.index(self.step)
        if i + 1 < len(keys):
            await self.show(keys[i + 1])

    async def action_prev_step(self) -> None:
        keys = self._step_keys()
        i = keys.index(self.step)
        if i > 0:
            await self.show(keys[i - 1])

    async def action_back(self) -> None:
        """Esc: the previous question (of this step, else the last one of the step before);
        at the first question, Esc twice goes back to the draft list."""
        offered, self._home_offered = self._home_offered, False
        if self.step in ("check", "export"):
            await self.action_prev_step()
            return
        qs = self._asked()
        ids = [q.id for q in qs]
        if self.qid in ids and ids.index(self.qid) > 0:
            await self.show(self.step, ids[ids.index(self.qid) - 1])
            return
        if not self.qid and qs:
            await self.show(self.step, ids[-1])
            return
        keys = self._step_keys()
        i = keys.index(self.step)
        while i > 0:
            i -= 1
            prev = Q.asked(self.report, keys[i])
            if prev:
                await self.show(keys[i], prev[-1].id)
                return
        # the very first question: a second Esc goes back to the draft list
        if offered:
            await self.app.action_home()  # type: ignore[attr-defined]
            return
        self._home_offered = True
        self.show_error("已经是第一问。再按一次 Esc 回到草稿列表（已回答的都已保存）。")

    async def jump_to(self, f: Finding) -> None:
        step, q, cid = Q.question_for_finding(self.report, f)
        await self.show(step, q.id if q else None, cid, from_check=True)
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

    async def jump_to_cell(self, cid: str) -> None:
        q = Q.question_for_cell(self.report, cid)
        if q is not None:
            await self.show(q.step, q.id, cid)

    # ---- status ---------------------------------------------------------------------------
    def refresh_status(self) -> None:
        r = self.report
        self.findings = ui_check(r)
        pct = Q.percent(r)
        if self.readonly:
            saved = "只读，不会保存"
        elif self.saved_at:
            saved = f"已自动保存 {self.saved_at}"
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
            elif s.key not in ("basic", "opening", "export"):
                n = errors_by_section.get(s.section, 0)
            if s.key == "check" and n:
                mark, badge = ("▶" if s.key == self.step else " "), f" ⚠{n}"
            elif s.key == self.step:
                mark, badge = "▶", (f"⚠{n}" if n else "")
            elif n:
                mark, badge = "⚠", f" {n}"  # never ✓ beside a section with errors
            elif s.key not in ("check", "export") and Q.step_done(r, s.key):
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
        keys = self._step_keys()
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
            return self._table_preview(step.section)
        if step.key == "basic":
            a = r.agency
            c = a.contact
            lines = [r.display_title, "", f"机关类型：{a.kind.value if a.kind else '（未选）'}",
                     f"格式：{r.spec.title}（{r.spec.notice}）"]
            lines += [f"{k}：{v}" for k, v in (("工作机构", c.department), ("地址", c.address), ("邮编", c.postcode),
                                              ("电话", c.phone), ("电子邮箱", c.email), ("网址", a.website)) if v]
            return "\n".join(lines)
        return render_section_text(r, step.section) or ""

    def _table_preview(self, section: int) -> Group:
        r = self.report
        table = next(t for t in r.spec.tables if t.section == section)
        parts: list[Any] = [Text(r.spec.section(section).heading, style="bold")]
        if table.key == "t4":
            g = Q.t4_grid(r.spec)
            out = RichTable(box=None, padding=(0, 1), show_header=True, header_style="dim")
            out.add_column("", overflow="ellipsis", no_wrap=True, max_width=12)
            for c in g.cols:
                out.add_column(c.short[:2], justify="right", no_wrap=True)
            for row in g.rows:
                out.add_row(row.short, *[_v(r.cells.get(cid)) for cid in row.cells])
            parts.append(out)
            return Group(*parts)
        for b in table.blocks:
            many = len(b.columns) > 4
            out = RichTable(box=None, padding=(0, 0 if many else 1), show_header=True, header_style="dim",
                            title=b.caption or None, title_justify="left", title_style="bold")
            out.add_column("", overflow="ellipsis", no_wrap=True, max_width=12 if many else 16)
            for c in b.columns:
                head = (c.short or c.label)[: 1 if many else 3]
                out.add_column(head, justify="right", no_wrap=True, min_width=3 if many else 1)
            group = ""
            for row in b.rows:
                sub = "·".join(row.groups[1:]) if table.key == "t3" else ""
                if sub and sub != group:
                    group = sub
                    out.add_row(Text(sub, style="italic"), *[""] * len(b.columns))
                vals = [_v(r.cells.get(f"{table.key}.{b.key}.{row.key}.{c.key}")) for c in b.columns]
                out.add_row(row.short or row.label, *vals)
            parts.append(out)
        return Group(*parts)

    # ---- check ----------------------------------------------------------------------------
    async def _render_check(self, qbox: Vertical) -> None:
        from .checkview import CheckView

        await self.query_one("#history", Vertical).mount(Static("检查", classes="steptitle"))
        self.query_one("#notes", Static).update("")
        view = CheckView(self.report)
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
        await qbox.mount(ExportView(self.home, self.report, self.path))
        self._focus_later("#formats")


def _location(text: str, offset: int) -> tuple[int, int]:
    """(row, column) in a TextArea of a character offset into its text."""
    row = text.count("\n", 0, offset)
    return row, offset - (text.rfind("\n", 0, offset) + 1)


def _v(v: Any) -> str:
    return "·" if v is None else format_number(v)


