"""Live delivery: replies published to whoever listens for a customer (the web chat's socket)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable

from bot._envelope import Reply

CustomerKey = tuple[str, str]  # (channel, customer id)


class Hub:
    """In-process publish/subscribe of outbound messages, per customer.

    A listener that falls behind (queue full) is dropped: its queue is emptied and gets ``None``, which
    tells it to close; it catches up from the database by sequence number when it reconnects, so
    nothing is lost.
    """

    def __init__(self, queue_size: int = 100) -> None:
        self._listeners: dict[CustomerKey, set[asyncio.Queue[Reply | None]]] = defaultdict(set)
        self._size = queue_size

    def subscribe(self, key: CustomerKey) -> asyncio.Queue[Reply | None]:
        queue: asyncio.Queue[Reply | None] = asyncio.Queue(self._size)
        self._listeners[key].add(queue)
        return queue

    def unsubscribe(self, key: CustomerKey, queue: asyncio.Queue[Reply | None]) -> None:
        listeners = self._listeners.get(key)
        if listeners is not None:
            listeners.discard(queue)
            if not listeners:
                del self._listeners[key]

    def publish(self, key: CustomerKey, replies: Iterable[Reply]) -> None:
        for queue in list(self._listeners.get(key, ())):
            for reply in replies:
                try:
                    queue.put_nowait(reply)
                except asyncio.QueueFull:
                    self.unsubscribe(key, queue)
                    while not queue.empty():
                        queue.get_nowait()
                    queue.put_nowait(None)
                    break
