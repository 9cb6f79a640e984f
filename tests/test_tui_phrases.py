"""The phrase bank beside a narrative step (Pilot): query, ranked suggestions, pick to insert;
free slots asked once (kept in the draft); Tab never lands on 完成."""

from __future__ import annotations

import pytest

from nianbao.tui.app import NianbaoApp
from nianbao.tui.phrasepanel import available
from test_tui_usability import _visible_in
from test_tui_walkthrough import at, new_report, settle, skip_contacts

pytest.importorskip("nianbao.phrases")


async def test_phrases_insert_ask_slots_once_and_tab_never_finishes(tmp_path):
    from types import SimpleNamespace

    if not available():
        pytest.skip("phrase bank not loadable")
    app = NianbaoApp(tmp_path, warm_segmenter=False, phrases=True)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        await s.show("s1", "overview")
        await settle(pilot)
        panel = s.query_one("#phrases")
        assert "按 Enter 查找" in str(panel.query_one("#pstatus").render())  # a hint, not “没有找到”
        panel.query_one("#pquery").focus()
        await pilot.press(*"网站 栏目", "enter")
        ol = panel.query_one("#psugg")
        for _ in range(60):
            await pilot.pause(0.1)
            if ol.option_count and panel.suggestions:
                break
        assert app.focused is ol
        await pilot.press("tab", "enter")  # Tab goes on past the list, never to 完成
        await settle(pilot)
        assert at(app) == ("s1", "overview") and app.focused is not s.query_one("#text-done")
        ta = s.query_one("#text")
        # the first suggestion: its free slots are asked before inserting, none reaches the text
        first = panel.suggestions[0]
        ol.focus()
        ol.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        for _ in first.missing:
            slot = panel.query_one("#pslot")
            assert app.focused is slot
            await pilot.press(*"县委县政府", "enter")
            await settle(pilot)
        assert ta.text.strip() and "【" not in ta.text and first.id in s.report.meta.phrases_used
        assert all(s.report.meta.slots.get(m.name) == "县委县政府" for m in first.missing)
        lengths, inserted = [], [first.id]
        for _ in range(2):
            idx = next(i for i, x in enumerate(panel.suggestions)
                       if not x.missing and x.id not in s.report.meta.phrases_used)
            ol.focus()
            ol.highlighted = idx
            inserted.append(panel.suggestions[idx].id)
            said = panel.suggestions[idx].text.strip()
            await pilot.press("enter")
            await settle(pilot)
            lengths.append(len(ta.text))
            # placed in its area's part of the composed text, the cursor right after it
            row, col = ta.cursor_location
            before = "".join(x + "\n" for x in ta.text.split("\n")[:row]) + ta.text.split("\n")[row][:col]
            assert app.focused is ta and said in ta.text and before.endswith(said)
        assert lengths[1] > lengths[0] > 0 and set(inserted) <= set(s.report.meta.phrases_used) and len(set(inserted)) == 3
        # a free slot is asked in a box brought into view, then kept for the report
        slot_missing = SimpleNamespace(name="who", label="单位名称", marker="{who}")
        panel.pending = SimpleNamespace(text="{who}高度重视政务公开工作。", missing=[slot_missing], id="", title="")
        panel.slot_values = dict(s.report.meta.slots)
        panel._ask_slot()
        await settle(pilot)
        slot = panel.query_one("#pslot")
        assert app.focused is slot and _visible_in(slot, s.query_one("#convo"))
        await pilot.press(*"县教育局", "enter")
        await settle(pilot)
        assert "县教育局高度重视政务公开工作。" in ta.text and s.report.meta.slots["who"] == "县教育局"
