"""The importer reads the same report copied from a web page in every common shape:
TAB cells, `a | b | c` rows, one cell per line (with or without `|`), space-separated."""

from __future__ import annotations

import pytest

from nianbao.importer import import_text
from nianbao.render import render_text

from factories import filled_2021


def _restyle(text: str, style: str) -> str:
    out = []
    for line in text.splitlines():
        if "\t" not in line:
            out.append(line)
            continue
        cells = line.split("\t")
        if style == "pipes":
            out.append(" | ".join(cells) + " |")
        elif style == "markdown":
            out.append("| " + " | ".join(cells) + " |")
        elif style == "cell-per-line":
            out.extend(x for c in cells if c for x in (f" {c}", ""))
        elif style == "pipe-per-line":
            out.extend(f"{c} |" for c in cells)
        elif style == "spaces":
            out.append("  ".join(c for c in cells if c))
    return "\n".join(out)


@pytest.mark.parametrize("year", [2020, 2023])
@pytest.mark.parametrize("style", ["tabs", "pipes", "markdown", "cell-per-line", "pipe-per-line", "spaces"])
def test_every_shape_imports_the_same_figures(style, year):
    r = filled_2021(year)
    r.title = r.display_title
    text = render_text(r)
    got = import_text(text if style == "tabs" else _restyle(text, style)).report
    assert got.format_version == r.format_version
    diff = {c.id: (r.get(c.id), got.get(c.id)) for c in r.spec.cells if r.get(c.id) != got.get(c.id)}
    assert not diff


@pytest.mark.parametrize("style", ["tabs", "pipes", "pipe-per-line"])
def test_blank_cells_stay_unanswered(style):
    r = filled_2021()
    r.title = r.display_title
    for cid in ("t3.main.R3_1.NP", "t3.main.R5_3.OT", "t2.a20_6.enforcement.decisions", "t4.main.all.la_pending"):
        r.set(cid, None)
    r.recompute()
    text = render_text(r)
    got = import_text(text if style == "tabs" else _restyle(text, style)).report
    for cid in ("t3.main.R3_1.NP", "t3.main.R5_3.OT", "t2.a20_6.enforcement.decisions", "t4.main.all.la_pending"):
        assert got.get(cid) is None, cid
    assert got.get("t3.main.R3_1.BE") == 0 and got.get("t4.main.all.la_total") is None


def test_blank_last_figure_of_a_wide_label_row_stays_in_place():
    """（七）总计's label spans two columns; a blank 总计 must not shift the figures."""
    r = filled_2021()
    r.title = r.display_title
    r.set("t3.main.R7.TT", None)
    r.set("t3.main.F.TT", None)
    got = import_text(render_text(r)).report
    for c in ("NP", "BE", "RI", "SO", "LS", "OT", "TT"):
        assert got.get(f"t3.main.R7.{c}") == r.get(f"t3.main.R7.{c}"), c
        assert got.get(f"t3.main.F.{c}") == r.get(f"t3.main.F.{c}"), c
