"""Progress of the long steps (flowcharts, PDFs, MkDocs): counts and an estimate of the time left.

At a terminal one line is rewritten in place; anywhere else (CI logs, the `make serve` worker's
lines in MkDocs' log) plain lines, at most one every ``PLAIN_EVERY`` seconds. A step that ends
within ``QUIET_SECONDS`` prints nothing at all: a cached or one-procedure build stays silent.
Written to standard error, so a command's own output stays as it was.
"""
from __future__ import annotations

import os
import sys
import threading
import time

QUIET_SECONDS = 2.0
PLAIN_EVERY = 10.0
TTY_EVERY = 0.25


def duration(seconds: float) -> str:
    """3 s, 2 min 05 s, 1 h 02 min."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


class Progress:
    """``advance()`` as each item of ``total`` is done (from any thread), ``finish()`` at the end."""

    def __init__(self, what: str, total: int, stream=None, clock=time.monotonic, ticking: bool = True):
        self.what, self.total, self.done = what, total, 0
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.started = clock()
        self.advanced_at = self.started
        self.shown_at: float | None = None
        self.tty = _is_tty(self.stream)
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._ticker = None
        if ticking and total:
            # Says something while no item has finished yet (a slow first chunk, a long MkDocs run).
            # Joined by finish(): start worker processes (fork) before a Progress or after its finish().
            self._ticker = threading.Thread(target=self._tick, name=f"progress-{what}", daemon=True)
            self._ticker.start()

    def _tick(self) -> None:
        if self._stopped.wait(QUIET_SECONDS):
            return
        while not self._stopped.is_set():
            with self._lock:
                now = self.clock()
                if self.shown_at is None or now - self.shown_at >= (TTY_EVERY if self.tty else PLAIN_EVERY):
                    self._show(self.line(now), final=False)
                    self.shown_at = now
            self._stopped.wait(TTY_EVERY if self.tty else PLAIN_EVERY)

    def line(self, now: float) -> str:
        elapsed = now - self.started
        text = f"{self.what}: {self.done} of {self.total}"
        if 0 < self.done < self.total:
            # The pace up to the last item done, less the time spent since on the next ones.
            pace = (self.advanced_at - self.started) / self.done
            left = max(pace * (self.total - self.done) - (now - self.advanced_at), pace)
            text += f", about {duration(left)} left"
        elif self.done == 0 and self.total:
            text += f", {duration(elapsed)} so far"
        return text

    def advance(self, count: int = 1) -> None:
        with self._lock:
            self.done += count
            now = self.advanced_at = self.clock()
            if now - self.started < QUIET_SECONDS or self.done >= self.total:
                return
            every = TTY_EVERY if self.tty else PLAIN_EVERY
            if self.shown_at is None or now - self.shown_at >= every:
                self._show(self.line(now), final=False)
                self.shown_at = now

    def finish(self) -> None:
        self._stopped.set()
        if self._ticker is not None and self._ticker is not threading.current_thread():
            self._ticker.join()
        with self._lock:
            if self.shown_at is None:
                return  # quick: nothing was shown, nothing to close
            self._show(f"{self.what}: {self.done} of {self.total} in {duration(self.clock() - self.started)}", final=True)

    def _show(self, text: str, final: bool) -> None:
        try:
            if self.tty:
                self.stream.write("\r\033[K" + text + ("\n" if final else ""))
            else:
                self.stream.write(text + "\n")
            self.stream.flush()
        except (OSError, ValueError):  # a closed pipe must never stop a build
            pass


def _is_tty(stream) -> bool:
    if os.environ.get("CI"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
