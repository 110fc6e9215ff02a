"""A client-side sliding-window rate limiter shared by every caller of one TheirStack client.

TheirStack limits per user over several sliding windows at once (4/s on every plan; 10/min, 50/h, 400/day on
the free tier) and answers 429 when any is exceeded. Staying under them ourselves is cheaper than retrying.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field


@dataclass
class Window:
    """At most `limit` acquisitions in any `seconds`-long span."""

    limit: int
    seconds: float
    stamps: deque[float] = field(default_factory=deque)

    def __post_init__(self) -> None:
        if self.limit < 1 or self.seconds <= 0:
            raise ValueError(f"rate limit window needs limit >= 1 and seconds > 0, got {self.limit}/{self.seconds}s")

    def wait_needed(self, now: float) -> float:
        while self.stamps and self.stamps[0] <= now - self.seconds:
            self.stamps.popleft()
        if len(self.stamps) < self.limit:
            return 0.0
        return self.stamps[0] + self.seconds - now


class RateLimiter:
    """Awaits until a request fits every window, then records it; concurrent callers queue in FIFO order."""

    def __init__(
        self,
        windows: Sequence[tuple[int, float]],
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._windows = [Window(limit, seconds) for limit, seconds in windows]
        self._clock = clock
        self._sleep = sleep
        # One waiter at a time: asyncio.Lock is FIFO, so callers are served in arrival order.
        self._lock = asyncio.Lock()

    @classmethod
    def per_second_and_minute(cls, per_second: int, per_minute: int, **kwargs: object) -> RateLimiter:
        return cls([(per_second, 1.0), (per_minute, 60.0)], **kwargs)  # type: ignore[arg-type]

    async def acquire(self) -> None:
        """Returns once one more request is allowed."""
        async with self._lock:
            while (delay := max(w.wait_needed(self._clock()) for w in self._windows)) > 0:
                await self._sleep(delay)
            now = self._clock()
            for window in self._windows:
                window.stamps.append(now)
