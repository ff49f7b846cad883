"""Splitting one message into the requests it holds: "这件有L吗 顺便问下什么时候发货" is two questions, and a
long story that ends with "鞋底开胶了" is a complaint. Pure string work on the normalised text."""

from __future__ import annotations

import re

# Clause ends: punctuation after normalize() (full-width forms are already ASCII; 。 stays), spaces
# between clauses (normalize() keeps only those), and the words people use to start another request.
_BREAK_RE = re.compile(r"[,.。!?;~]+|\s+")
_CONNECTOR_RE = re.compile(
    r"(顺便问一?下|顺便再问一?下|顺便问问|顺便|另外问一?下|另外|还有就是|还有个问题|还有一个问题|还想问一?下|"
    r"再问一?下|对了)"
)
_CONTENT_RE = re.compile(r"[\u4e00-\u9fffa-z0-9]")
#: Parts with fewer content characters than this are joined to their neighbour ("亲，" "嗯，").
MIN_PART_CHARS = 3
#: At most this many parts are read on their own (a long ramble keeps its tail in the last one).
MAX_PARTS = 7


def split_parts(normalized: str) -> list[str]:
    """The clauses of a normalised message, each long enough to mean something, in order.

    A message with one clause gives a list of one (the message itself).
    """
    marked = _CONNECTOR_RE.sub(lambda m: "\n" + m.group(0), normalized)
    pieces = [p.strip() for chunk in marked.split("\n") for p in _BREAK_RE.split(chunk)]
    parts: list[str] = []
    pending = ""
    for piece in pieces:
        if not piece:
            continue
        joined = f"{pending} {piece}".strip() if pending else piece
        if len(_CONTENT_RE.findall(joined)) < MIN_PART_CHARS:
            pending = joined  # too short to stand alone: it goes with what follows
            continue
        parts.append(joined)
        pending = ""
    if pending:
        if parts:
            parts[-1] = f"{parts[-1]} {pending}"
        else:
            parts.append(pending)
    if len(parts) > MAX_PARTS:
        parts = [*parts[: MAX_PARTS - 1], " ".join(parts[MAX_PARTS - 1 :])]
    return parts or [normalized]
