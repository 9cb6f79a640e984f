"""The phrase bank beside a narrative step: query, ranked suggestions, pick to insert."""

from __future__ import annotations

import pytest

from nianbao.tui.app import NianbaoApp
from test_tui_walkthrough import draft, new_report, settle, skip_contacts

pytest.importorskip("nianbao.phrases")


async def _wait_options(pilot, ol, tries: int = 60) -> None:
    for _ in range(tries):
        await pilot.pause(0.1)
        if ol.option_count:
            return


async def test_pick_a_suggestion_into_the_text(tmp_path):
    from nianbao.tui.phrasepanel import available

    if not available():
        pytest.skip("phrase bank not loadable")
    app = NianbaoApp(tmp_path, warm_segmenter=False, phrases=True)
    async with app.run_test(size=(120, 40)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        await s.show("s1")
        await settle(pilot)
        panel = s.query_one("#phrases")
        panel.query_one("#pquery").value = "网站 栏目"
        ol = panel.query_one("#psugg")
        await app.workers.wait_for_complete()
        await _wait_options(pilot, ol)
        assert ol.option_count > 0
        first = panel.suggestions[0]
        ol.focus()
        ol.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        if first.missing:  # free slots are asked before inserting
            slot = panel.query_one("#pslot")
            for _ in first.missing:
                slot.value = "县委、县政府"
                slot.focus()
                await pilot.press("enter")
                await settle(pilot)
        text = draft(app).query_one("#text").text
        assert text.strip()
        assert "【" not in text  # no unfilled slot reaches the text
        assert first.id in s.report.meta.phrases_used
