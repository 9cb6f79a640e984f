"""The summary page's charts as inline SVG (no script, no network): bars with their numbers
written on them, so that a printout says as much as the screen."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

FONT = "'Noto Sans CJK SC','Microsoft YaHei','PingFang SC','Source Han Sans SC',sans-serif"
#: the outcome mix's colours, in order (readable in grey print too: light to dark alternate)
PALETTE = ("#2e7d32", "#81c784", "#c62828", "#ef9a9a", "#6a1b9a", "#90a4ae", "#f9a825", "#4e342e")
BAR = "#1f5fa8"
WARN = "#c62828"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    #: a link target (e.g. "#r12"), for bars that stand for one report
    href: str = ""
    alert: bool = False
    #: a sum of what the chart leaves out: written, not drawn (it would dwarf the bars)
    rest: bool = False


def _text_width(s: str, size: float) -> float:
    """Rough width of ``s`` in px at ``size`` (wide characters count one em, others half)."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.62 for ch in s)


def _clip(s: str, size: float, room: float) -> str:
    if _text_width(s, size) <= room:
        return s
    while s and _text_width(s + "…", size) > room:
        s = s[:-1]
    return s + "…"


def _svg(width: float, height: float, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}" font-size="13">'
            f"<title>{escape(title)}</title>{''.join(body)}</svg>")


def columns(bars: list[Bar], title: str, width: int = 520, height: int = 240) -> str:
    """Vertical bars (reports by number of errors)."""
    top, bottom, left = 24, 40, 12
    n = max(1, len(bars))
    slot = (width - 2 * left) / n
    peak = max((b.value for b in bars), default=0) or 1
    room = height - top - bottom
    body = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" stroke="#888"/>']
    for i, b in enumerate(bars):
        h = room * b.value / peak
        x = left + i * slot + slot * 0.15
        w = slot * 0.7
        y = height - bottom - h
        colour = WARN if b.alert else BAR
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{colour}">'
                    f"<title>{escape(b.label)}：{b.value}</title></rect>")
        body.append(f'<text x="{x + w / 2:.1f}" y="{y - 5:.1f}" text-anchor="middle">{b.value}</text>')
        body.append(f'<text x="{x + w / 2:.1f}" y="{height - bottom + 18:.1f}" text-anchor="middle">'
                    f"{escape(_clip(b.label, 13, slot - 2))}</text>")
    return _svg(width, height, body, title)


def rows(bars: list[Bar], title: str, width: int = 620, label_width: int = 230) -> str:
    """Horizontal bars, one per line (applications by unit)."""
    line, top = 22, 6
    height = top * 2 + line * max(1, len(bars))
    peak = max((b.value for b in bars if not b.rest), default=0) or 1
    room = width - label_width - 60
    body = []
    for i, b in enumerate(bars):
        y = top + i * line
        if b.rest:
            body.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" fill="#555">'
                        f"{escape(_clip(b.label, 13, label_width - 10))}</text>"
                        f'<text x="{label_width}" y="{y + 15}" fill="#555">{b.value}</text>')
            continue
        w = room * b.value / peak
        label = escape(_clip(b.label, 13, label_width - 10))
        text = (f'<a href="{escape(b.href)}"><text x="{label_width - 8}" y="{y + 15}" text-anchor="end" '
                f'fill="#1a4f8b">{label}</text></a>') if b.href else \
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{label}</text>'
        body.append(text)
        body.append(f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{line - 6}" fill="{BAR}">'
                    f"<title>{escape(b.label)}：{b.value}</title></rect>")
        body.append(f'<text x="{label_width + w + 6:.1f}" y="{y + 15}">{b.value}</text>')
    return _svg(width, height, body, title)


def stacked(parts: list[tuple[str, int]], title: str, width: int = 620) -> str:
    """One 100% bar of the parts, with a legend of counts and shares (the outcome mix)."""
    total = sum(v for _, v in parts)
    bar_h, top, legend_line = 34, 8, 22
    height = top + bar_h + 14 + legend_line * ((len(parts) + 1) // 2) + 6
    body = []
    x = 0.0
    span = width - 2
    for i, (name, v) in enumerate(parts):
        if total and v:
            w = span * v / total
            body.append(f'<rect x="{1 + x:.1f}" y="{top}" width="{w:.1f}" height="{bar_h}" '
                        f'fill="{PALETTE[i % len(PALETTE)]}" stroke="#fff"><title>{escape(name)}：{v}</title></rect>')
            if w > 34:
                body.append(f'<text x="{1 + x + w / 2:.1f}" y="{top + 22}" text-anchor="middle" fill="#fff">'
                            f"{100 * v / total:.0f}%</text>")
            x += w
    y0 = top + bar_h + 14
    for i, (name, v) in enumerate(parts):
        col, row = i % 2, i // 2
        lx, ly = col * (width / 2), y0 + row * legend_line
        share = f"{100 * v / total:.1f}%" if total else "—"
        body.append(f'<rect x="{lx + 1:.1f}" y="{ly:.1f}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>')
        body.append(f'<text x="{lx + 18:.1f}" y="{ly + 11:.1f}">{escape(name)}  {v} 件（{share}）</text>')
    return _svg(width, height, body, title)
