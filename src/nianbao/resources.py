"""Where the data folders (templates/, phrasebank/) are: inside the installed package
(a wheel carries them as ``nianbao/templates`` and ``nianbao/phrasebank``) or, in a
source checkout, at the top of the repository."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    installed = _PKG / name
    if installed.is_dir():
        return installed
    checkout = _PKG.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"找不到 nianbao 的数据文件夹 {name}（安装不完整？）")


def templates_dir() -> Path:
    return data_dir("templates")


def phrasebank_dir() -> Path:
    return data_dir("phrasebank")
