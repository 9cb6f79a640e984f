"""The assistant's application: the start screen (drafts and actions) and ``run(home)``.

Only what the start screen needs is imported here; the walk-through, exports and the
phrase bank are imported when first used, and the segmenter is warmed in a thread after
the first screen is up.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

_T0 = time.perf_counter()

from rich.text import Text  # noqa: E402
from textual import on, work  # noqa: E402
from textual.app import App, ComposeResult, SystemCommand  # noqa: E402
from textual.binding import Binding, BindingType  # noqa: E402
from textual.containers import Horizontal, Vertical, VerticalScroll  # noqa: E402
from textual.screen import ModalScreen, Screen  # noqa: E402
from textual.widgets import Button, DataTable, Input, OptionList, Static  # noqa: E402
from textual.widgets.option_list import Option  # noqa: E402

HELP = """\
[b]政府信息公开工作年度报告 起草助手 · 帮助[/b]

助手按年报的顺序逐节提问：基本信息 → 开头语 → 一 至 六 → 检查 → 导出。
每回答一问就自动保存；随时退出都不会丢失已确认的内容，下次打开会回到原来的那一节。

[b]按键[/b]
  Enter        确认当前回答，进入下一问（表格中：移到下一格）
  Tab 与方向键  在表格的格子之间移动
  Esc          返回上一问；在第一问按 Esc 回到草稿列表（已回答的都已保存）
  F7 / F8      上一节 / 下一节（也可用 PageUp / PageDown）
  Ctrl+S       完成当前的问题（写文字时用它确认）
  Ctrl+G       检查（列出所有问题，选中即可跳过去修改）
  Ctrl+E       导出
  Ctrl+P       跳到任意一节或任意一个表格格子
  F3           窄屏时显示/隐藏右侧的预览
  F1           帮助        Ctrl+Q  保存并退出
  鼠标         也可以点选章节、选项、表格格子和按钮

[b]表格[/b]
  进入一格后直接输入即替换原值，输入即保存；Enter 确认并移到下一格，↑ ↓ ← → 移动。
  格子里的数不对时，说明就显示在这一行的正下方；此时再输入会替换掉错的数。
  从 Excel、WPS 或网页表格复制一块数字（可含“总计”列），在要填的第一格粘贴
  （终端里一般是 Ctrl+Shift+V 或鼠标右键），按从左到右、从上到下填入；
  行列对不齐或有错的数时整块不填，并说明原因。

[b]常用表述[/b]（开头语、一、五、六的文字框下方）
  在查找框里输入几个词（如：网站改版 政策解读），按 Enter 查找，光标移到找到的表述上；
  用 ↑ ↓ 选中一条，按 Enter 插入到上面的文字中（光标停在插入的文字之后）；
  表述中需要补充的内容（如单位简称）会先请您填写，同一份报告中只问一次。
  Tab 在文字框、查找框和表述列表之间切换，不会按到“完成”；写好后按 Ctrl+S 完成此问。

[b]填写数字[/b]
  全角数字、千位分隔符（如 1,234）都可以。件数只能是非负整数，且不超过 1000000；
  金额（万元）不超过 1000000000。超出的数多半是多按了键，不会保存。
  表格中空着的格子，在按“完成本表”时按 0 计。合计、总计自动计算，不用填写。
  “结转下年度继续办理”按“一 + 二 − （七）总计”算好，请确认。

按 ↑ ↓ 或 PageUp / PageDown 滚动，按 Esc 或 F1 关闭帮助。
"""


START_HINTS = Text.from_markup(
    " [b]N[/b] 新建报告  [b]L[/b] 从上年报告新建  [b]I[/b] 导入已发布的年报  [b]Enter[/b] 打开选中的草稿  "
    "[b]F1[/b] 帮助  [b]Ctrl+Q[/b] 退出")


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "dismiss", "关闭")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):  # scrolls (↑ ↓ PageUp PageDown) on a small terminal
            yield Static(HELP, id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help", VerticalScroll).focus()

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)


class PathScreen(ModalScreen[Path | None]):
    """Ask for a report file: one of the drafts, or any path."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消")]

    def __init__(self, title: str, drafts: list[tuple[Path, str]], selected: int = 0) -> None:
        super().__init__()
        self.title_text = title
        self.drafts = drafts
        self.selected = selected if 0 <= selected < len(drafts) else 0

    def compose(self) -> ComposeResult:
        with Vertical(id="pathdialog"):
            yield Static(self.title_text, classes="qlabel")
            if self.drafts:
                yield Static("从已有的草稿中选择：", classes="qhelp")
                yield OptionList(*[Option(label, id=str(i)) for i, (_, label) in enumerate(self.drafts)], id="draftpick")
            yield Static(("或者" if self.drafts else "请") + "输入文件的完整路径（.json 草稿、从网页复制保存的 .txt，"
                         "或 .docx / .html）：", classes="qhelp")
            yield Input(placeholder="例如 D:\\年报\\2024年报.txt", id="pathinput")
            yield Static("", id="path-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("确定", id="path-ok", variant="primary")
                yield Button("取消", id="path-cancel")

    def on_mount(self) -> None:
        if self.drafts:
            pick = self.query_one("#draftpick", OptionList)
            pick.highlighted = self.selected
            pick.focus()
        else:
            self.query_one("#pathinput", Input).focus()

    @on(OptionList.OptionSelected, "#draftpick")
    def _pick(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.drafts[int(event.option.id or 0)][0])

    @on(Input.Submitted, "#pathinput")
    @on(Button.Pressed, "#path-ok")
    def _ok(self) -> None:
        raw = self.query_one("#pathinput", Input).value.strip().strip('"').strip("'")
        if not raw:
            self.query_one("#path-error", Static).update("请填写文件路径")
            return
        p = Path(raw).expanduser()
        if not p.is_file():
            self.query_one("#path-error", Static).update(f"找不到文件：{p}")
            return
        self.dismiss(p)

    @on(Button.Pressed, "#path-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消")]

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="choicedialog"):
            yield Static(Text(self.title_text), id="choice-title", classes="qlabel")
            pick = OptionList(*[Option(label, id=key) for key, label in self.choices], id="choicepick")
            pick.highlighted = 0
            yield pick

    @on(OptionList.OptionSelected, "#choicepick")
    def _pick(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class StartScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "新建报告", id="new"),
        Binding("l", "from_last", "从上年报告新建", id="from_last"),
        Binding("i", "import_report", "导入已发布的年报", id="import"),
        Binding("enter", "open_selected", "打开选中的草稿", id="open"),
    ]

    def __init__(self, home: Path) -> None:
        super().__init__()
        self.home = home
        self.paths: list[Path] = []

    def compose(self) -> ComposeResult:
        yield Static(" 政府信息公开工作年度报告 起草助手", id="topbar")
        with Vertical(id="start"):
            yield Static("草稿（用 ↑ ↓ 选中一份，按 Enter 打开）", classes="steptitle")
            # the table of drafts is mounted once the screen is up (Textual's DataTable is the
            # slowest part of the first paint)
            yield Static("", id="drafts-empty", classes="qhelp")
            with Horizontal(classes="buttons"):
                yield Button("新建报告 (N)", id="new", variant="primary")
                yield Button("从上一年度的报告新建 (L)", id="from-last")
                yield Button("导入已发布的年报 (I)", id="import")
            yield Static(f"草稿保存在：{self.home / 'drafts'}", id="where", classes="qhelp")
        yield Static(START_HINTS, id="keyhints")  # a plain line: Textual's Footer is slow to build

    def on_mount(self) -> None:
        if getattr(self.app, "ready", True):
            self.refresh_drafts()
        else:  # the app reads the drafts once the first screen is painted (on_ready)
            self.query_one("#drafts-empty", Static).update("正在读取草稿……")

    def _table(self) -> DataTable:
        """The table of drafts (mounted on first use, after the first paint)."""
        found = self.query("#drafts")
        if found:
            return found.first(DataTable)
        table = DataTable(id="drafts", cursor_type="row", zebra_stripes=True)
        table.add_columns("机关", "年度", "格式", "完成", "问题", "最后修改")
        self.query_one("#start").mount(table, before=self.query_one("#drafts-empty"))
        return table

    def on_screen_resume(self) -> None:
        self.refresh_drafts()

    def refresh_drafts(self) -> None:
        """Read the drafts in a thread: the start screen is usable at once (N, L, I
        work) while the drafts are loaded and checked."""
        if not self.paths:
            self.query_one("#drafts-empty", Static).update("正在读取草稿……")
        self._scan_drafts()

    @work(thread=True, exclusive=True, group="scan-drafts", exit_on_error=False)
    def _scan_drafts(self) -> None:
        from .. import questions as Q
        from ..store import StoreError, load
        from ..workspace import drafts_dir
        from .checkview import ui_check

        infos = []
        for p in drafts_dir(self.home).glob("*.json"):
            try:
                infos.append((p, p.stat().st_mtime))
            except OSError:
                continue
        infos.sort(key=lambda x: x[1], reverse=True)
        rows: list[tuple[Path, tuple[str, ...]]] = []
        for path, stamp in infos:
            mtime = time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp))
            try:
                r = load(path)
            except StoreError as e:
                rows.append((path, (path.name, "—", "—", "—", f"无法读取：{str(e)[:30]}", mtime)))
                continue
            pct = Q.percent(r)
            findings = ui_check(r)  # the 内容雷同 rule would load the segmenter here
            real = sum(1 for f in findings if f.severity == "error" and f.rule not in ("BLANK", "NARRATIVE", "META"))
            errors = sum(1 for f in findings if f.severity == "error")
            done = f"{pct}%"
            if r.meta.source and r.meta.session.step in ("check", "export"):
                done = "已导入"  # a published report imported to check it, not a draft being written
            if real:
                issues = f"错误 {real}"
            elif done == "已导入":
                issues = "已导入（检查）"
            elif pct < 100:
                issues = "尚未完成"
            else:
                issues = "无错误" if not errors else f"错误 {errors}"
            rows.append((path, (r.agency.name or "（未命名）", str(r.year or "—"), f"{r.format_version}格式",
                                done, issues, mtime)))
        self.app.call_from_thread(self._show_drafts, rows)

    def _show_drafts(self, rows: list[tuple[Path, tuple[str, ...]]]) -> None:
        table = self._table()
        table.clear()
        self.paths = [p for p, _ in rows]
        for _, cells in rows:
            table.add_row(*cells)
        empty = self.query_one("#drafts-empty", Static)
        empty.update("" if rows else "还没有草稿。按 N 新建一份报告，或按 L 从上一年度的报告开始。")
        focused = self.app.focused
        if focused is None or focused.id in ("new", "drafts"):
            if rows:
                table.focus()
            else:
                self.query_one("#new", Button).focus()

    def action_open_selected(self) -> None:
        table = self._table()
        i = table.cursor_row
        if 0 <= i < len(self.paths):
            self.app.open_draft(self.paths[i])  # type: ignore[attr-defined]

    @on(DataTable.RowSelected, "#drafts")
    def _open(self, event: DataTable.RowSelected) -> None:
        i = event.cursor_row
        if 0 <= i < len(self.paths):
            self.app.open_draft(self.paths[i])  # type: ignore[attr-defined]

    @on(Button.Pressed, "#new")
    def action_new(self) -> None:
        self.app.new_draft()  # type: ignore[attr-defined]

    @on(Button.Pressed, "#from-last")
    def action_from_last(self) -> None:
        from ..workspace import last_year_choices

        choices, best = last_year_choices(self.home)
        self.app.push_screen(PathScreen("从上一年度的报告新建今年的报告", [(c.path, c.label) for c in choices],
                                        selected=best), self._from_last_chosen)

    @on(Button.Pressed, "#import")
    def action_import_report(self) -> None:
        self.app.push_screen(PathScreen("导入一份已发布的年报", []), self._import_chosen)

    def _from_last_chosen(self, path: Path | None) -> None:
        if path is not None:
            self.app.new_from_last(path)  # type: ignore[attr-defined]

    def _import_chosen(self, path: Path | None) -> None:
        if path is None:
            return

        def chosen(what: str | None) -> None:
            if what == "last":
                self.app.new_from_last(path)  # type: ignore[attr-defined]
            elif what == "check":
                self.app.import_to_check(path)  # type: ignore[attr-defined]

        self.app.push_screen(ChoiceScreen(f"导入 {path.name}：", [
            ("last", "作为上一年度的报告，新建今年的报告（带入机关信息、结转件数和文字）"),
            ("check", "检查这份年报（导入为草稿，打开“检查”一步）"),
        ]), chosen)


class NianbaoApp(App[int]):
    TITLE = "年报起草助手"
    CSS_PATH = "nianbao.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "保存并退出", id="quit", priority=True),
        Binding("ctrl+c", "quit", "保存并退出", id="quit_c", priority=True, show=False),
        Binding("f1", "help", "帮助", id="help"),
        Binding("ctrl+p", "command_palette", "跳转", id="palette", priority=True, show=False),
    ]

    def __init__(self, home: Path, warm_segmenter: bool = True, phrases: bool = True) -> None:
        super().__init__()
        self.home = Path(home)
        self.warm_segmenter = warm_segmenter
        self.phrases_enabled = phrases
        self.started_ms = 0.0
        self.ready = False
        #: draft locks taken by this app (released when a draft closes, and on exit)
        self.locks: list = []

    def on_mount(self) -> None:
        self.push_screen(StartScreen(self.home))

    def on_ready(self) -> None:
        self.started_ms = (time.perf_counter() - _T0) * 1000
        self.log(f"nianbao started in {self.started_ms:.0f} ms")
        self.ready = True
        # the drafts are read after the first screen is painted, in a thread
        for screen in self.screen_stack:
            if isinstance(screen, StartScreen):
                screen.refresh_drafts()
        if self.warm_segmenter:
            self.set_timer(1.0, self._warm)

    @work(thread=True, exclusive=True, exit_on_error=False, group="warm")
    def _warm(self) -> None:
        """After the first screen: import the walk-through and compile the text templates, then
        load the segmenter (its log never reaches the screen) and the phrase ranking index."""
        from ..formats import VERSIONS
        from ..render import environment, template_name
        from . import draft  # noqa: F401

        for version in VERSIONS:
            environment().get_template(template_name("txt", version))
        if not self.phrases_enabled:
            return
        try:
            from ..phrases import segment
        except ImportError:
            return
        from .phrasepanel import available

        available()
        segment.ensure()
        # the ranking index the composer uses with the user's notes (a second or so to build)
        from ..phrases.bank import load_bank
        from ..phrases.rank import index

        index(load_bank(strict=False))

    # ---- actions --------------------------------------------------------------------------
    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from .commands import palette_class

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(palette_class()(id="--command-palette", placeholder="跳到…（输入章节名，或表格的行名、列名）"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("帮助", "按键和填写说明（F1）", self.action_help)
        yield SystemCommand("保存并退出", "所有已确认的回答都已保存（Ctrl+Q）", self.action_quit)
        yield SystemCommand("回到起始页", "草稿列表", self.action_home)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error: keep the text being typed before Textual shuts down (every
        accepted answer is already on disk)."""
        try:
            self._flush_drafts()
        except Exception:
            pass
        super()._handle_exception(error)

    async def action_quit(self) -> None:
        self._flush_drafts()
        self.release_locks()
        self.exit(0)

    def release_locks(self) -> None:
        for lock in self.locks:
            lock.release()
        self.locks = []

    def on_unmount(self) -> None:
        self.release_locks()

    def _flush_drafts(self) -> None:
        from .draft import DraftScreen

        for screen in self.screen_stack:
            if isinstance(screen, DraftScreen):
                screen.flush()

    async def action_home(self) -> None:
        from .draft import DraftScreen

        self._flush_drafts()
        while isinstance(self.screen, DraftScreen) or isinstance(self.screen, ModalScreen):
            await self.pop_screen()

    # ---- opening drafts ------------------------------------------------------------------
    def _push_draft(self, session):
        from .draft import DraftScreen

        screen = DraftScreen(self.home, session)
        self.push_screen(screen)
        return screen

    def open_draft(self, path: Path, notes: list[str] | None = None):
        """Open a draft for editing: its lock is taken; if another window holds it, the
        user chooses 只读打开 or 取消.  A draft that cannot be read is explained, and its
        last good autosave offered.  Returns the screen (None while a dialog asks)."""
        from ..session import DraftSession
        from ..store import StoreError

        try:
            session = DraftSession.load(path, self.home, notes)
        except StoreError as e:
            self.damaged_draft(path, str(e))
            return None
        return self._open_locked(session)

    def _open_locked(self, session):
        if session.take_lock():
            return self._push_draft(session)
        holder = session.lock_holder

        def chosen(what: str | None) -> None:
            if what == "readonly":
                session.readonly = holder
                self._push_draft(session)

        self.push_screen(ChoiceScreen(
            f"{holder}。\n同时在两个窗口中修改同一份草稿会互相覆盖，这里只能只读打开（可以查看、检查和导出，不能修改）。",
            [("readonly", "只读打开"), ("cancel", "取消")]), chosen)
        return None

    def damaged_draft(self, path: Path, message: str) -> None:
        """Explain why ``path`` cannot be opened; offer its last good autosave (never
        overwriting anything)."""
        from ..store import backup_path, load_backup

        newer = "更新版本" in message
        backup = None if newer else load_backup(path)
        what = "这份草稿" if path.name in message else f"草稿 {path.name}"
        title = f"无法打开{what}：\n{message}"
        if backup is None:
            if not newer:
                title += "\n没有找到可用的自动保存备份。"
            title += "\n文件未作任何改动。"
            self.push_screen(ChoiceScreen(title, [("cancel", "返回")]))
            return
        stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(backup_path(path).stat().st_mtime))
        title += (f"\n\n找到了上一次自动保存的备份（{stamp}）。打开备份会把它另存为一份新草稿，"
                  "损坏的文件保持原样，不会被覆盖。")

        def chosen(what: str | None) -> None:
            if what == "backup":
                self.recover_from_backup(path)

        self.push_screen(ChoiceScreen(title, [("backup", "打开上一次自动保存的备份"), ("cancel", "返回")]), chosen)

    def recover_from_backup(self, path: Path):
        """Save the last good autosave of the damaged ``path`` as a new draft beside it
        (``store.recovered_path``) and open that."""
        from ..store import load_backup, recovered_path, save

        report = load_backup(path)
        if report is None:
            self.notify("备份也无法读取，未作任何改动。", severity="error", timeout=10)
            return None
        target = recovered_path(path)
        try:
            save(report, target, backup=False)
        except OSError as e:
            self.notify(f"无法保存恢复的草稿：{e.strerror or e}（{target}）", severity="error", timeout=10)
            return None
        note = f"已从上一次自动保存的备份恢复，另存为 {target.name}；损坏的文件 {path.name} 未作改动"
        self.notify(note, timeout=8)
        return self.open_draft(target, [note])

    def new_draft(self):
        from ..session import DraftSession

        return self._push_draft(DraftSession.new(self.home))

    def new_from_last(self, path: Path, duplicate: bool = False):
        """This year's report from last year's; if a draft for the same agency and year
        exists already, the user chooses to open it (or to start a second one)."""
        from ..session import DraftSession

        started = DraftSession.from_last(self.home, path, duplicate=duplicate)
        if started.error:
            self.notify(started.error, severity="error", timeout=10)
            return None
        if started.existing is not None:
            existing = started.existing

            def chosen(what: str | None) -> None:
                if what == "open":
                    self.open_draft(existing)
                elif what == "new":
                    self.new_from_last(path, duplicate=True)

            self.push_screen(ChoiceScreen(
                f"已经有一份这个机关这一年度的草稿：{existing.name}。\n再新建一份会多出一个文件（{existing.stem}-2），"
                "通常应打开已有的那一份继续填写。",
                [("open", f"打开已有的草稿 {existing.name}"), ("new", "仍然新建一份"), ("cancel", "取消")]), chosen)
            return None
        return self._push_draft(started.session)

    def import_to_check(self, path: Path):
        from ..inputs import load_any
        from ..session import DraftSession
        from ..store import StoreError, save
        from ..workspace import draft_filename, drafts_dir, unique_path

        try:
            report, found = load_any(path)
        except StoreError as e:
            self.notify(str(e), severity="error", timeout=10)
            return None
        report.ensure_cells()
        report.meta.source = path.name
        report.meta.session.step = "check"
        target = unique_path(drafts_dir(self.home), draft_filename(report))
        save(report, target, backup=False)
        notes = [f.message for f in found]
        return self._open_locked(DraftSession(report, target, self.home, notes=notes))


def run(home: Path) -> int:
    """Run the assistant on the workspace ``home``; returns the exit code."""
    app = NianbaoApp(Path(home))
    try:
        result = app.run()
    finally:
        app.release_locks()
    return int(result or 0)
