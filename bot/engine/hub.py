"""Live delivery: replies published to whoever listens for a customer (the web chat's socket), a wake-up call
to whoever delivers a whole channel (the Telegram sender), and "something changed" for a topic (the agents'
queue).

Within one process the hub hands the replies over directly. With several workers (PostgreSQL) it is also
*linked* to the others (:meth:`Hub.link`, by :class:`bot.engine.relay.PgRelay`): everything published here goes out
as a small notice — channel, customer and sequence numbers, or a topic; never the text — and a notice from
another worker is turned back into replies by reading them from the database by seq, so a socket on one
worker hears what an agent sent through another.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from contextlib import suppress

from bot.engine.envelope import Reply

CustomerKey = tuple[str, str]  # (channel, customer id)
Fetch = Callable[[str, str, int], Awaitable[list[Reply]]]  # (channel, customer, after seq) -> replies after it
QUEUE = "queue"  # the topic of the agents' queue: a chat was taken, released, answered, requeued…

log = logging.getLogger("kefu.hub")


class Hub:
    """Publish/subscribe of outbound messages per customer, wake-ups per channel and per topic.

    A listener that falls behind (queue full) is dropped: its queue is emptied and gets ``None``, which
    tells it to close; it catches up from the database by sequence number when it reconnects, so
    nothing is lost. The same happens to every listener when the link to the other workers was lost
    (:meth:`resync`).
    """

    def __init__(self, queue_size: int = 100) -> None:
        self._listeners: dict[CustomerKey, set[asyncio.Queue[Reply | None]]] = defaultdict(set)
        self._watchers: dict[str, list[tuple[Callable[[str], None], Callable[[], None] | None]]] = defaultdict(list)
        self._topics: dict[str, list[Callable[[], None]]] = defaultdict(list)
        self._size = queue_size
        self.origin = uuid.uuid4().hex[:12]  # tells this hub's own notices apart from the other workers'
        self._send: Callable[[str], None] | None = None
        self._fetch: Fetch | None = None
        self._wanted: dict[CustomerKey, int] = {}  # per customer: fetch replies after this seq
        self._fetching: dict[CustomerKey, asyncio.Task[None]] = {}

    # ---------------------------------------------------------------- watching a channel or a topic

    def watch(self, channel: str, wake: Callable[[str], None], resync: Callable[[], None] | None = None) -> None:
        """Call ``wake(customer)`` whenever something is published for any customer of ``channel`` (on any
        linked worker), and ``resync()`` when notices may have been missed (the link was lost).

        For a sender that delivers from the database (it reads what to send there, so it needs only the
        nudge, never the replies: nothing can overflow). Both run inside the hub's calls: they must be quick
        and must not raise.
        """
        self._watchers[channel].append((wake, resync))

    def unwatch(self, channel: str, wake: Callable[[str], None]) -> None:
        watchers = self._watchers.get(channel)
        if watchers is not None:
            watchers[:] = [w for w in watchers if w[0] != wake]

    def on_change(self, topic: str, callback: Callable[[], None]) -> None:
        """Call ``callback()`` whenever :meth:`changed` is called for ``topic`` on any linked worker (and after
        the link was lost). Quick, must not raise."""
        self._topics[topic].append(callback)

    def off_change(self, topic: str, callback: Callable[[], None]) -> None:
        callbacks = self._topics.get(topic)
        if callbacks is not None and callback in callbacks:
            callbacks.remove(callback)

    def changed(self, topic: str) -> None:
        """Tell everyone watching ``topic``, here and on the linked workers (call it after the commit)."""
        self._topic_changed(topic)
        if self._send is not None:
            self._send(json.dumps({"o": self.origin, "t": topic}))

    # ---------------------------------------------------------------- listening to a customer

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
        """Hand ``replies`` (stored and committed) to the customer's listeners and wake the channel's watchers,
        here and on the linked workers."""
        replies = list(replies)
        self._wake(key)
        self._deliver(key, replies)
        if self._send is not None and replies:
            first = min(r.seq for r in replies)
            self._send(json.dumps({"o": self.origin, "c": key[0], "u": key[1], "s": first}, ensure_ascii=False))

    # ---------------------------------------------------------------- the link to other workers

    def link(self, send: Callable[[str], None], fetch: Fetch) -> None:
        """Send every notice through ``send`` (a JSON string well under PostgreSQL's 8000-byte NOTIFY limit:
        a customer id is at most 128 characters); ``fetch`` reads a customer's replies after a seq, for
        notices from other workers."""
        self._send, self._fetch = send, fetch

    def unlink(self) -> None:
        self._send = self._fetch = None
        for task in self._fetching.values():
            task.cancel()
        self._fetching.clear()
        self._wanted.clear()

    def received(self, payload: str) -> None:
        """A notice from a linked worker (this hub's own are ignored: they were delivered when published)."""
        try:
            notice = json.loads(payload)
            if notice.get("o") == self.origin:
                return
            if "t" in notice:
                self._topic_changed(str(notice["t"]))
                return
            key, first = (str(notice["c"]), str(notice["u"])), int(notice["s"])
        except (ValueError, TypeError, KeyError, AttributeError):
            log.warning("event=hub_notice_unreadable bytes=%d", len(payload))
            return
        self._wake(key)
        if key in self._listeners and self._fetch is not None:
            after = max(first - 1, 0)
            self._wanted[key] = min(self._wanted.get(key, after), after)
            if key not in self._fetching:
                self._fetching[key] = asyncio.create_task(self._fetch_loop(key), name="kefu-hub-fetch")

    def resync(self) -> None:
        """Notices may have been missed (the link was down): every listener closes and catches up from the
        database, every watcher and topic is woken."""
        for key in list(self._listeners):
            for queue in list(self._listeners.get(key, ())):
                self._drop(key, queue)
        for watchers in list(self._watchers.values()):
            for _wake, resync in list(watchers):
                if resync is not None:
                    resync()
        for topic in list(self._topics):
            self._topic_changed(topic)

    # ---------------------------------------------------------------- inside

    def _wake(self, key: CustomerKey) -> None:
        for wake, _resync in list(self._watchers.get(key[0], ())):
            wake(key[1])

    def _topic_changed(self, topic: str) -> None:
        for callback in list(self._topics.get(topic, ())):
            callback()

    def _deliver(self, key: CustomerKey, replies: list[Reply]) -> None:
        for queue in list(self._listeners.get(key, ())):
            for reply in replies:
                try:
                    queue.put_nowait(reply)
                except asyncio.QueueFull:
                    self._drop(key, queue)
                    break

    def _drop(self, key: CustomerKey, queue: asyncio.Queue[Reply | None]) -> None:
        self.unsubscribe(key, queue)
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait(None)

    async def _fetch_loop(self, key: CustomerKey) -> None:
        """Read what other workers stored for ``key`` and deliver it, until nothing more is wanted (one reader
        per customer, so replies arrive in seq order)."""
        try:
            while key in self._wanted and key in self._listeners and self._fetch is not None:
                after = self._wanted.pop(key)
                try:
                    replies = await self._fetch(key[0], key[1], after)
                except Exception as exc:  # the database failed: the listeners reconnect and catch up by seq
                    log.warning("event=hub_fetch_failed channel=%s error=%s", key[0], type(exc).__name__)
                    for queue in list(self._listeners.get(key, ())):
                        self._drop(key, queue)
                    return
                self._deliver(key, replies)
        finally:
            self._wanted.pop(key, None)
            with suppress(KeyError):
                if self._fetching[key] is asyncio.current_task():
                    del self._fetching[key]
