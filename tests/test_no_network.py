"""No network at run time: the whole headless pipeline works with sockets forbidden."""

from __future__ import annotations

import socket

import pytest

from nianbao.cli import main

from conftest import SEED


@pytest.fixture()
def no_sockets(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("nianbao tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_pipeline_without_network(tmp_path, capsys, no_sockets):
    js = tmp_path / "s.json"
    assert main(["import", str(SEED), "-o", str(js)]) == 0
    assert main(["check", str(js)]) == 0
    assert main(["new", "--year", "2021", "--from", str(js), "-o", str(tmp_path / "n.json")]) == 0
    from nianbao.export import formats

    for fmt in formats():
        assert main(["export", str(js), "--to", fmt, "-o", str(tmp_path / f"o.{fmt}")]) == 0, fmt
