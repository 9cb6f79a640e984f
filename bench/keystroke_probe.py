"""Started in a subprocess by bench_tui: the time from a digit key to the repaint that shows
it, for N keys, printed as one JSON list of seconds.

    python bench/keystroke_probe.py bare|nianbao HOME N

``bare``: the same key typed into a bare Textual ``Input``.  ``nianbao``: the key typed into
a cell of 表三's outcome grid (“这些申请是怎么办理的？”) of a complete 2021 draft; each key
lands on a freshly entered cell (so it replaces the value, as the user types down a column)
and is stored, checked and saved as in real use.  The clock runs from just before the key
is posted to the end of the compositor refresh after it (headless: the same update is
computed, only not written to a terminal); the next key waits until the draft is saved and
the status refreshed.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


class Clock:
    """Hooks a screen's compositor refresh: the first refresh after ``start`` stops the clock."""

    def __init__(self) -> None:
        self.t0 = 0.0
        self.t1 = 0.0
        self.last = 0.0  # the end of the last refresh
        self.done = asyncio.Event()

    def hook(self, screen) -> None:
        original = screen._compositor_refresh

        def refresh() -> None:
            original()
            self.last = time.perf_counter()
            if self.t0 and not self.done.is_set():
                self.t1 = self.last
                self.done.set()

        screen._compositor_refresh = refresh


async def _measure(pilot, screen, keys: list[str], before=None) -> list[float]:
    clock = Clock()
    clock.hook(screen)
    out = []
    for i, key in enumerate(keys):
        if before is not None:
            before(i)
        # arriving in the cell (its help line), the save and the status refresh of the key
        # before are painted: the screen is quiet when the key comes
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.05)
        while time.perf_counter() - clock.last < 0.05:
            await pilot.pause(0.02)
        clock.done.clear()
        t0 = time.perf_counter()
        clock.t0 = t0
        await pilot.press(key)
        await asyncio.wait_for(clock.done.wait(), 2)
        out.append(clock.t1 - t0)
        clock.t0 = 0.0
    return out


async def bare(n: int) -> list[float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="i")

        def on_mount(self) -> None:
            self.query_one(Input).focus()

    app = Bare()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        keys = [str(1 + i % 9) for i in range(n)]
        return await _measure(pilot, app.screen, keys)


def _draft(home: Path) -> Path:
    from nianbao.store import save

    from common import sample_report

    r = sample_report(7, 2024)
    t, b = r.spec.block_with("new")
    n, f = b.role_row("new"), b.role_row("forward")
    first = b.data_columns[0]
    for row in (n, f):  # room in the first column: every digit typed below is a valid outcome
        cid = f"{t.key}.{b.key}.{row.key}.{first.key}"
        r.set(cid, (r.get(cid) or 0) + 1000)
    r.recompute()
    r.meta.answers = {"s2.any": "yes", "s3.any": "yes", "s4.any": "yes"}
    r.meta.session.step = "s3"
    r.meta.session.question = "t3.outcomes"
    path = home / "drafts" / "bench-2024.json"
    save(r, path, backup=False)
    return path


async def nianbao(home: Path, n: int) -> list[float]:
    from nianbao.tui.app import NianbaoApp
    from nianbao.tui.draft import DraftScreen
    from nianbao.tui.widgets import GridView

    path = _draft(home)
    app = NianbaoApp(home, warm_segmenter=False, phrases=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        app.open_draft(path)
        for _ in range(5):
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DraftScreen) and screen.qid == "t3.outcomes", screen
        grid = screen.query_one(GridView)
        t, b = screen.report.spec.block_with("new")
        col = b.data_columns[0]
        cells = [f"{t.key}.{b.key}.{r.key}.{col.key}" for r in b.rows_with("outcome")]

        def enter(i: int) -> None:
            grid.focus_cell(cells[i % len(cells)])

        keys = [str(1 + i % 9) for i in range(n)]
        out = await _measure(pilot, screen, keys, before=enter)
        errors = [c for c in cells if grid.state.error(c)]
        assert not errors, errors  # every key was a valid figure, stored
        return out


def main() -> None:
    mode, home, n = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    times = asyncio.run(bare(n) if mode == "bare" else nianbao(home, n))
    print(json.dumps(times))


if __name__ == "__main__":
    main()
