"""Live delivery: replies published to whoever listens for a customer (the web chat's socket), and a
wake-up call to whoever delivers a whole channel (the Telegram sender)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Iterable

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
        self._watchers: dict[str, list[Callable[[str], None]]] = defaultdict(list)
        self._size = queue_size

    def watch(self, channel: str, wake: Callable[[str], None]) -> None:
        """Call ``wake(customer)`` whenever something is published for any customer of ``channel``.

        For a sender that delivers from the database (it reads what to send there, so it needs only the
        nudge, never the replies: nothing can overflow). ``wake`` runs inside :meth:`publish`: it must be
        quick and must not raise.
        """
        self._watchers[channel].append(wake)

    def unwatch(self, channel: str, wake: Callable[[str], None]) -> None:
        watchers = self._watchers.get(channel)
        if watchers is not None and wake in watchers:
            watchers.remove(wake)

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
        for wake in list(self._watchers.get(key[0], ())):
            wake(key[1])
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
