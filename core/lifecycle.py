"""Process lifecycle shared by every long-running entry point: a clean stop on SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import signal


def stop_on_signals(signals: tuple[signal.Signals, ...] = (signal.SIGINT, signal.SIGTERM)) -> asyncio.Event:
    """An event the first signal sets (a clean stop); a second signal cancels the running task."""
    stop = asyncio.Event()
    loop, task = asyncio.get_running_loop(), asyncio.current_task()

    def handle() -> None:
        if stop.is_set() and task is not None:
            task.cancel()
        stop.set()

    for sig in signals:
        loop.add_signal_handler(sig, handle)
    return stop
