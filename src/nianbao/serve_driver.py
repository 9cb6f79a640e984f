"""The textual driver of the assistant that ``nianbao serve`` runs for one browser tab.

textual's web driver, changed so that every way a tab's assistant can end goes through the
assistant's own 保存并退出 (Ctrl+Q: the text being typed is stored, the draft's lock is
released), as in a terminal:

- the server gone without a word (killed, crashed): its pipes close.  textual's driver would
  leave the assistant running with no one to see it, holding the draft's lock; this one quits;
- SIGTERM / SIGINT / SIGHUP sent to the assistant: the same quit, not textual's bare exit.

An assistant that does not quit within :data:`GRACE` seconds is stopped harder (every
accepted answer is on disk already).  ``nianbao serve`` selects this driver through
textual's ``TEXTUAL_DRIVER``; the assistant itself (``python -m nianbao``) is unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
from typing import Any

from textual import events, messages
from textual.drivers.web_driver import WebDriver

#: seconds for the assistant to save and quit before textual's own exit, and again before the process ends
GRACE = 10.0


class ServedDriver(WebDriver):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._quitting = False
        self._gone = False
        raw = self._write

        def write(data: bytes) -> None:
            if self._gone:
                return
            try:
                raw(data)
            except OSError:  # the server's end of the pipe is closed
                self._gone = True
                self.quit()

        self._write = write  # type: ignore[assignment]

    def start_application_mode(self) -> None:
        super().start_application_mode()
        if sys.platform != "win32":
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(sig, self.quit)

    def run_input_thread(self) -> None:
        super().run_input_thread()
        if not self.exit_event.is_set():  # the input ended but the assistant did not end it: the server is gone
            self.quit()

    def quit(self) -> None:
        """Press Ctrl+Q for the user (the assistant's 保存并退出); if that does not end the
        assistant, textual's exit; if nothing does, the process ends."""
        if self._quitting:
            return
        self._quitting = True
        with contextlib.suppress(Exception):
            self.process_message(events.Key("ctrl+q", "\x11"))

        def exit_app() -> None:
            with contextlib.suppress(Exception):
                self.process_message(messages.ExitApp())

        def end() -> None:
            os._exit(1)

        for delay, what in ((GRACE, exit_app), (2 * GRACE, end)):
            timer = threading.Timer(delay, what)
            timer.daemon = True
            timer.start()
