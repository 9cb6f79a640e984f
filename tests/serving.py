"""Helpers for the ``nianbao serve`` tests: the server as a subprocess, a browser tab spoken
to over textual-serve's websocket protocol, the processes left, headless Chromium over the
DevTools protocol.  Everything talks to 127.0.0.1 only."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp

SRC = Path(__file__).resolve().parents[1] / "src"
WINDOWS = sys.platform == "win32"

#: escape sequences of the terminal stream (CSI, OSC, DCS/APC/PM strings, two-byte ones)
ANSI = re.compile(r"\x1b\[[0-9;?<>=$!]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[P^_X][^\x1b]*\x1b\\"
                  r"|\x1b[@-Z\\-_]|\x1b[()][0-9A-Za-z]")


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
            "PYTHONIOENCODING": "utf-8"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """``nianbao serve --no-browser --port P --home HOME`` as a subprocess (its own process
    group, so that the test's signal reaches it alone, as Ctrl+C in its own terminal would)."""

    def __init__(self, home: Path, extra_env: dict[str, str] | None = None, browser: bool = False) -> None:
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        args = [sys.executable, "-m", "nianbao", "serve", "--port", str(self.port), "--home", str(home)]
        if not browser:
            args.append("--no-browser")
        group = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if WINDOWS else {"start_new_session": True}
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     text=True, encoding="utf-8", errors="replace",
                                     env={**env(), **(extra_env or {})}, **group)  # type: ignore[call-overload]
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_line("按 Ctrl+C 停止")  # the last line of the start

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            self._queue.put(line)
        self._queue.put(None)

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_line(self, text: str, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while text not in self.output:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} not printed; output:\n{self.output}")
            try:
                if self._queue.get(timeout=left) is None:
                    raise AssertionError(f"server ended before printing {text!r}:\n{self.output}")
            except queue.Empty:
                continue

    def stop(self, timeout: float = 60) -> int:
        """Ctrl+C (SIGINT; CTRL_BREAK on Windows) and wait for the server to end."""
        if self.proc.poll() is None:
            if WINDOWS:
                self.proc.send_signal(signal.CTRL_BREAK_EVENT)  # type: ignore[attr-defined]
            else:
                self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=timeout)
        self.wait_line("已停止", timeout=10) if code == 0 else None
        return code

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for pid in processes_with(str(self.home)):  # never leave one behind, even when a test fails
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL if not WINDOWS else signal.SIGTERM)


class Tab:
    """A browser tab as textual.js is one: a websocket to /ws; keys go out as
    ``["stdin", text]``, the screen comes back as binary frames of terminal output."""

    def __init__(self, port: int, width: int = 120, height: int = 40) -> None:
        self.url = f"ws://127.0.0.1:{port}/ws?width={width}&height={height}"
        self.size = {"width": width, "height": height}
        self.raw = b""
        self.closed = asyncio.Event()
        self._changed = asyncio.Event()

    async def __aenter__(self) -> Tab:
        self.session = aiohttp.ClientSession()
        self.ws = await self.session.ws_connect(self.url, heartbeat=None, max_msg_size=0)
        await self.ws.send_str(json.dumps(["resize", self.size]))
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
        await self.session.close()

    async def _read(self) -> None:
        try:
            async for msg in self.ws:
                if msg.type == aiohttp.WSMsgType.BINARY:
                    self.raw += msg.data
                    self._changed.set()
        finally:
            self.closed.set()
            self._changed.set()

    @property
    def text(self) -> str:
        """Everything drawn so far, without the escape sequences."""
        return ANSI.sub("", self.raw.decode("utf-8", "replace"))

    async def wait_for(self, *texts: str, after: int = 0, timeout: float = 60) -> None:
        """Until every one of ``texts`` is drawn (past character ``after`` of :attr:`text`)."""
        end = time.monotonic() + timeout
        while not all(t in self.text[after:] for t in texts):
            if self.closed.is_set():
                raise AssertionError(f"tab closed before {texts!r}; screen:\n{self.text[-3000:]}")
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{texts!r} not drawn; screen:\n{self.text[-3000:]}")
            self._changed.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)

    async def send(self, keys: str) -> None:
        await self.ws.send_str(json.dumps(["stdin", keys]))

    async def close(self) -> None:
        if not self.ws.closed:
            await self.ws.close()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(self._reader, 10)


def processes_with(marker: str) -> list[int]:
    """Processes whose command line contains ``marker``: /proc on Linux, ``ps`` elsewhere
    (empty on Windows, where the tests skip this part)."""
    mine = os.getpid()
    out: list[int] = []
    proc = Path("/proc")
    if proc.is_dir() and (proc / "self" / "cmdline").exists():
        for d in proc.iterdir():
            if not d.name.isdigit() or int(d.name) == mine:
                continue
            try:
                cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
                state = (d / "stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if marker in cmd and state != "Z":
                out.append(int(d.name))
        return out
    if WINDOWS or not shutil.which("ps"):
        return out
    ps = subprocess.run(["ps", "-A", "-o", "pid=,stat=,args="], capture_output=True, text=True, encoding="utf-8",
                        errors="replace", check=False).stdout
    for line in ps.splitlines():
        pid, stat, *args = line.split(None, 2)
        if marker in " ".join(args) and int(pid) != mine and not stat.startswith("Z"):
            out.append(int(pid))
    return out


def wait_until(cond, timeout: float = 30, what: str = "") -> None:
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what or cond}")
        time.sleep(0.05)


# ---- headless Chromium over the DevTools protocol ------------------------------------------

def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        exe = shutil.which(name)
        if exe:
            return exe
    return None


async def screenshot(exe: str, url: str, out: Path, width: int = 1280, height: int = 800, timeout: float = 90,
                     then: tuple[str, Callable[[], bool], Path] | None = None) -> dict:
    """Load ``url`` in headless Chromium, wait until the terminal has drawn and the screen
    is still, save a PNG to ``out``.  ``then = (key, done, out2)``: press ``key`` (no click
    first), wait until ``done()``, save the still screen to ``out2``.  Returns what the page
    did: the URLs it requested, the console and log errors, and the body's classes."""
    profile = tempfile.mkdtemp(prefix="nianbao-chromium-")
    proc = subprocess.Popen([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync",
                             "--disable-default-apps", "--disable-extensions", f"--user-data-dir={profile}",
                             f"--window-size={width},{height}", "--remote-debugging-address=127.0.0.1",
                             "--remote-debugging-port=0", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            errors="replace")
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr or ()], daemon=True).start()
    try:
        end = time.monotonic() + timeout
        while True:
            try:
                line = await asyncio.to_thread(lines.get, True, max(0.1, end - time.monotonic()))
            except queue.Empty:
                raise TimeoutError("Chromium did not start its DevTools server") from None
            m = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if m:
                break
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{m.group(1)}/json/list") as r:
                targets = await r.json()
            target = next(t for t in targets if t.get("type") == "page")
            async with http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                return await _drive(ws, url, out, width, height, end, then)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


#: DevTools key events: key, code, Windows virtual key code
KEYS = {"Enter": ("Enter", "Enter", 13), "F1": ("F1", "F1", 112), "Escape": ("Escape", "Escape", 27)}


async def _drive(ws, url: str, out: Path, width: int, height: int, end: float,
                 then: tuple[str, Callable[[], bool], Path] | None) -> dict:
    seen: dict = {"requests": [], "errors": [], "classes": ""}
    ids = iter(range(1, 1_000_000))
    pending: dict[int, asyncio.Future] = {}

    async def pump() -> None:
        async for msg in ws:
            data = json.loads(msg.data)
            if "id" in data and data["id"] in pending:
                pending.pop(data["id"]).set_result(data.get("result", {}))
            elif data.get("method") == "Network.requestWillBeSent":
                seen["requests"].append(data["params"]["request"]["url"])
            elif data.get("method") == "Network.webSocketCreated":
                seen["requests"].append(data["params"]["url"])
            elif data.get("method") == "Log.entryAdded" and data["params"]["entry"]["level"] == "error":
                seen["errors"].append(data["params"]["entry"]["text"])
            elif data.get("method") == "Runtime.exceptionThrown":
                seen["errors"].append(str(data["params"]["exceptionDetails"].get("text")))

    async def call(method: str, **params) -> dict:
        i = next(ids)
        pending[i] = asyncio.get_running_loop().create_future()
        await ws.send_json({"id": i, "method": method, "params": params})
        return await asyncio.wait_for(pending[i], max(1.0, end - time.monotonic()))

    reader = asyncio.create_task(pump())
    try:
        for domain in ("Network", "Log", "Runtime", "Page"):
            await call(f"{domain}.enable")
        await call("Emulation.setFocusEmulationEnabled", enabled=True)  # as the focused window on a desktop
        await call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        await call("Page.navigate", url=url)
        while True:  # the terminal has drawn its first frame
            r = await call("Runtime.evaluate", expression="document.body ? document.body.className : ''",
                           returnByValue=True)
            seen["classes"] = r["result"].get("value", "")
            if "-first-byte" in seen["classes"] or time.monotonic() > end:
                break
            await asyncio.sleep(0.1)

        async def still(path: Path) -> None:  # until two screenshots in a row are the same
            previous = shot = None
            while time.monotonic() < end:
                await asyncio.sleep(0.3)
                shot = (await call("Page.captureScreenshot", format="png"))["data"]
                if shot == previous:
                    break
                previous = shot
            path.write_bytes(base64.b64decode(shot or ""))

        await still(out)
        if then is not None:
            key, done, out2 = then
            name, code, vk = KEYS[key]
            for kind in ("keyDown", "keyUp"):
                await call("Input.dispatchKeyEvent", type=kind, key=name, code=code, windowsVirtualKeyCode=vk)
            while not done() and time.monotonic() < end:
                await asyncio.sleep(0.1)
            seen["done"] = done()
            await still(out2)
        with contextlib.suppress(Exception):
            await call("Browser.close")
    finally:
        reader.cancel()
    return seen
