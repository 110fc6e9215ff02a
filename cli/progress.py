"""A dependency-free progress bar on stderr (silent when stderr is not a terminal)."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, label: str, *, stream=None) -> None:  # type: ignore[no-untyped-def]
        self.total, self.label, self.done = max(total, 1), label, 0
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._started = time.perf_counter()

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.enabled:
            width = 30
            filled = int(width * min(self.done, self.total) / self.total)
            rate = self.done / max(time.perf_counter() - self._started, 1e-6)
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done:,}/{self.total:,} ({rate:,.0f}/s)")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
