"""Command palette (Ctrl+P): “跳到…” every step and every table cell."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class JumpProvider(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from .. import questions as Q
        from .draft import DraftScreen
        from .widgets import JumpRequested

        screen = self.screen
        if not isinstance(screen, DraftScreen):
            return []
        r = screen.report
        out: list[tuple[str, Callable[[], object], str]] = []
        for s in Q.steps(r):
            out.append((f"跳到：{s.title}", partial(screen.post_message, JumpRequested(s.key)), "转到这一节"))
        for q in Q.all_questions(r):
            if q.grid is None:
                if not q.asked(r):
                    continue
                out.append((f"跳到：{q.name}", partial(screen.post_message, JumpRequested(q.step, q.id)), q.label))
                continue
            if q.asked(r):  # the table as a whole (its first cell still to fill)
                out.append((f"跳到：{q.name}", partial(screen.post_message, JumpRequested(q.step, q.id)), q.label))
            g = q.grid
            for row in g.rows:
                for j, cid in enumerate(row.cells):
                    if g.is_computed(row, j):
                        continue
                    text = f"跳到：{Q.cell_name(r, cid)}"
                    out.append((text, partial(screen.post_message, JumpRequested(q.step, q.id, cid)), q.name))
        out.append(("回到起始页（草稿列表）", partial(self.app.call_later, self.app.action_home), "已自动保存"))
        return out

    async def discover(self) -> Hits:
        for text, cmd, help_text in self._commands():
            if text.startswith("跳到：") and "“" not in text:
                yield DiscoveryHit(text, cmd, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, cmd, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), cmd, help=help_text)


def palette_class() -> type:
    """Textual's command palette, saying “没有找到” (not “No matches found”)."""
    from rich.align import Align
    from rich.text import Text
    from textual.command import CommandList, CommandPalette
    from textual.widgets.option_list import Option

    class ZhCommandPalette(CommandPalette):
        def _start_no_matches_countdown(self, search_value: str) -> None:
            self._stop_no_matches_countdown()

            def show() -> None:
                if search_value:
                    self.query_one(CommandList).add_option(
                        Option(Align.center(Text(NO_MATCH, style="not bold")), disabled=True, id=self._NO_MATCHES))
                    self._list_visible = True
                else:
                    self._list_visible = False

            self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)

    return ZhCommandPalette


NO_MATCH = "没有找到（可以输入章节名，或表格的行名、列名）"
