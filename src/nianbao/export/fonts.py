"""Font names for the Word export: the profiles, the ``auto`` choice by the fonts this
computer has, and the ``fontTable.xml`` entries that tell Word and WPS what each face is.

Fonts are written by name, never embedded (仿宋_GB2312, 楷体_GB2312 and 方正小标宋 are
licensed fonts).  Current Windows (7 and later) ships 仿宋, 楷体, 黑体 and 宋体, but not
the ``_GB2312`` faces of GB/T 9704 practice nor 方正小标宋简体, which many government PCs
have installed on top; 华文中宋 comes with Chinese Microsoft Office.  ``auto`` takes, for
each part of the document, the first face of its chain that this computer has, and a
face every Windows PC has where it cannot tell.

A name missing on the reader's PC is replaced by the word processor; the ``fontTable``
entry of each face (GB2312 character set, family, PANOSE class, and ``altName`` naming
the common substitute) steers that replacement to a look-alike instead of one default
face for everything.  The entries are those Word itself writes for these faces; for
方正小标宋 (not a Windows font) they are 宋体's class (a serif Song face), not read from
the font.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache

from . import ExportError


@dataclass(frozen=True)
class FontProfile:
    name: str  # Chinese name, for menus and messages
    title: str
    h1: str
    h2: str
    body: str
    table: str
    page_number: str
    latin: str = "Times New Roman"

    @property
    def east_asian(self) -> tuple[str, ...]:
        """Every East Asian face the document uses, once each."""
        return tuple(dict.fromkeys((self.title, self.h1, self.h2, self.body, self.table, self.page_number)))

    def summary(self) -> str:
        """A one-line Chinese description (for the CLI and the TUI)."""
        return f"{self.name}：标题 {self.title}，一级标题 {self.h1}，二级标题 {self.h2}，正文 {self.body}，表格 {self.table}"


FONT_PROFILES: dict[str, FontProfile] = {
    # GB/T 9704 practice (the fonts of the standard)
    "gb": FontProfile("国标公文字体", "方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312", "宋体", "宋体"),
    # Windows 7 and later ship 仿宋/楷体 instead of the _GB2312 faces; 华文中宋 comes with MS Office
    "windows": FontProfile("Windows 常用字体", "华文中宋", "黑体", "楷体", "仿宋", "宋体", "宋体"),
}

#: for ``auto``: per part of the document, the faces in order of preference; the last one
#: is on every Windows PC (and is taken when this computer's fonts cannot be listed)
CHAINS: dict[str, tuple[str, ...]] = {
    "title": ("方正小标宋简体", "方正小标宋_GBK", "华文中宋", "宋体"),
    "h1": ("黑体",),
    "h2": ("楷体_GB2312", "楷体"),
    "body": ("仿宋_GB2312", "仿宋"),
    "table": ("宋体",),
    "page_number": ("宋体",),
}

#: other names of the same face (English Windows and fontconfig list fonts by these)
ALIASES: dict[str, tuple[str, ...]] = {
    "宋体": ("SimSun",),
    "黑体": ("SimHei",),
    "仿宋": ("FangSong",),
    "楷体": ("KaiTi",),
    "仿宋_GB2312": ("FangSong_GB2312",),
    "楷体_GB2312": ("KaiTi_GB2312",),
    "华文中宋": ("STZhongsong",),
    "方正小标宋简体": ("FZXiaoBiaoSong-B05S",),
    "方正小标宋_GBK": ("FZXiaoBiaoSong-B05",),
}

PROFILE_KEYS = ("auto", *FONT_PROFILES)


def _registry_fonts() -> set[str]:  # pragma: no cover - Windows only
    """Font family names in the Windows registry (all users, then this user)."""
    import winreg  # type: ignore[import-not-found]

    names: set[str] = set()
    path = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts"
    for root in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            key = winreg.OpenKey(root, path)
        except OSError:
            continue
        with key:
            i = 0
            while True:
                try:
                    value = winreg.EnumValue(key, i)[0]
                except OSError:
                    break
                i += 1
                # "仿宋_GB2312 (TrueType)", "SimSun & NSimSun (TrueType)"
                base = value.rsplit(" (", 1)[0]
                names.update(n.strip() for n in base.split("&") if n.strip())
    return names


def _fontconfig_fonts() -> set[str] | None:
    """Family names fontconfig knows (Linux, and macOS where it is installed)."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    try:
        out = subprocess.run([fc_list, ":", "family"], capture_output=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    text = out.decode("utf-8", errors="replace")
    return {name.strip() for line in text.splitlines() for name in line.split(",") if name.strip()}


@cache
def installed_fonts() -> frozenset[str] | None:
    """The font family names this computer has, or None where they cannot be listed."""
    try:
        names = _registry_fonts() if sys.platform == "win32" else _fontconfig_fonts()
    except Exception:  # never let a font listing stop an export
        return None
    return frozenset(names) if names else None


def has_font(name: str, installed: frozenset[str]) -> bool:
    return name in installed or any(a in installed for a in ALIASES.get(name, ()))


def auto_profile(installed: frozenset[str] | None) -> FontProfile:
    """Per part of the document, the first face of its chain that is installed; the last
    (a face of every Windows PC) when none is, or when the fonts are not known."""
    def pick(chain: tuple[str, ...]) -> str:
        if installed:
            for face in chain:
                if has_font(face, installed):
                    return face
        return chain[-1]

    chosen = {role: pick(chain) for role, chain in CHAINS.items()}
    if installed is None:
        why = "未能读取本机字体，按 Windows 自带字体选择"
    elif any(has_font(face, installed) for chain in CHAINS.values() for face in chain):
        why = "按本机已安装的字体选择"
    else:
        why = "本机没有这些中文字体，按 Windows 自带字体选择"
    return FontProfile(f"自动，{why}", **chosen)


def font_profile(key: str) -> FontProfile:
    k = key.strip().lower()
    if k == "auto":
        return auto_profile(installed_fonts())
    try:
        return FONT_PROFILES[k]
    except KeyError:
        choices = "、".join(["auto（按本机字体自动选择）", *(f"{k}（{p.name}）" for k, p in FONT_PROFILES.items())])
        raise ExportError(f"未知的字体方案：{key}（可选：{choices}）") from None


# ---- fontTable.xml -----------------------------------------------------------------------

@dataclass(frozen=True)
class FontInfo:
    alt: str  # w:altName: the face Word and WPS should take where this one is missing
    panose: str
    family: str  # w:family: roman / swiss / modern / script / decorative / auto
    pitch: str
    charset: str = "86"  # GB2312
    sig: tuple[str, str, str, str, str, str] = ("00000001", "080E0000", "00000000", "00000000", "00040000", "00000000")


_SIMHEI_SIG = ("800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000")
FONT_INFO: dict[str, FontInfo] = {
    "宋体": FontInfo("SimSun", "02010600030101010101", "auto", "variable",
                   sig=("00000003", "288F0000", "00000006", "00000000", "00040001", "00000000")),
    "黑体": FontInfo("SimHei", "02010609060101010101", "modern", "fixed", sig=_SIMHEI_SIG),
    "仿宋": FontInfo("FangSong", "02010609060101010101", "modern", "fixed", sig=_SIMHEI_SIG),
    "楷体": FontInfo("KaiTi", "02010609060101010101", "modern", "fixed", sig=_SIMHEI_SIG),
    "仿宋_GB2312": FontInfo("仿宋", "02010609030101010101", "modern", "fixed"),
    "楷体_GB2312": FontInfo("楷体", "02010609030101010101", "modern", "fixed"),
    "方正小标宋简体": FontInfo("宋体", "02010600030101010101", "roman", "variable"),
    "方正小标宋_GBK": FontInfo("宋体", "02010600030101010101", "roman", "variable"),
    "华文中宋": FontInfo("宋体", "02010600040101010101", "auto", "variable",
                     sig=("00000287", "080F0000", "00000000", "00000000", "0004009F", "DFD70000")),
}
LATIN_INFO: dict[str, FontInfo] = {
    "Times New Roman": FontInfo("", "02020603050405020304", "roman", "variable", charset="00",
                                sig=("E0002AFF", "C0007841", "00000009", "00000000", "000001FF", "00000000")),
}

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def font_table_xml(fonts: FontProfile) -> bytes:
    """``word/fontTable.xml`` declaring every face the document names."""
    from xml.sax.saxutils import quoteattr

    entries = []
    faces = [(f, FONT_INFO.get(f)) for f in fonts.east_asian] + [(fonts.latin, LATIN_INFO.get(fonts.latin))]
    for face, info in faces:
        if info is None:  # a face we know nothing about: its name and the GB2312 character set
            entries.append(f"<w:font w:name={quoteattr(face)}><w:charset w:val=\"86\"/></w:font>")
            continue
        alt = f"<w:altName w:val={quoteattr(info.alt)}/>" if info.alt else ""
        usb0, usb1, usb2, usb3, csb0, csb1 = info.sig
        entries.append(
            f"<w:font w:name={quoteattr(face)}>{alt}<w:panose1 w:val=\"{info.panose}\"/>"
            f"<w:charset w:val=\"{info.charset}\"/><w:family w:val=\"{info.family}\"/>"
            f"<w:pitch w:val=\"{info.pitch}\"/><w:sig w:usb0=\"{usb0}\" w:usb1=\"{usb1}\" w:usb2=\"{usb2}\" "
            f"w:usb3=\"{usb3}\" w:csb0=\"{csb0}\" w:csb1=\"{csb1}\"/></w:font>")
    xml = (f"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:fonts xmlns:w=\"{W_NS}\">"
           + "".join(entries) + "</w:fonts>")
    return xml.encode("utf-8")
