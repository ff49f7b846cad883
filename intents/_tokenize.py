"""Segmentation (jieba words) and the two text views the model's vectorizers read."""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path

import jieba

from intents._errors import DataError
from intents._normalize import PLACEHOLDERS

# jieba logs "Building prefix dict ..." at DEBUG to stderr through its own handler.
jieba.setLogLevel(logging.WARNING)

_SPECIAL_RE = re.compile(r"(" + "|".join(sorted(PLACEHOLDERS, key=len, reverse=True)) + r"|[!?]{2}|\?!|\.\.\.)")
# Each placeholder is one private-use character in the character view, so n-grams see it as a unit.
_CHAR_OF = {token: chr(0xE000 + i) for i, token in enumerate(PLACEHOLDERS)}
_PLACEHOLDER_RE = re.compile("|".join(sorted(PLACEHOLDERS, key=len, reverse=True)))
BOS = "\x02"
EOS = "\x03"

_init_lock = threading.Lock()


def parse_userdict(text: str, *, path: str = "userdict.txt") -> list[tuple[str, int | None, str | None]]:
    """Parse jieba user-dictionary text: ``word [freq] [tag]`` per line, ``#`` comments.

    Raises:
        DataError: a line has a frequency that is not a positive integer.
    """
    entries: list[tuple[str, int | None, str | None]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        freq: int | None = None
        tag: str | None = None
        if len(parts) > 1:
            if not parts[1].isdigit() or int(parts[1]) <= 0:
                raise DataError(f"frequency {parts[1]!r} is not a positive integer", path=path, line=number)
            freq = int(parts[1])
        if len(parts) > 2:
            tag = parts[2]
        entries.append((parts[0], freq, tag))
    return entries


@lru_cache(maxsize=4)
def tokenizer_for(userdict: str, cache_dir: Path) -> jieba.Tokenizer:
    """A private jieba tokenizer: the default dictionary plus the words of ``userdict``.

    Each user dictionary gets a tokenizer of its own, so two models never share segmentation
    state. The default dictionary is read from jieba's prefix cache under ``cache_dir`` (built on
    first use), and only one copy of it is kept per tokenizer: it is most of the model's memory.

    Raises:
        DataError: the user dictionary is malformed.
    """
    entries = parse_userdict(userdict)
    tokenizer = jieba.Tokenizer()
    cache_dir.mkdir(parents=True, exist_ok=True)
    tokenizer.tmp_dir = str(cache_dir)
    tokenizer.cache_file = "jieba.cache"
    with _init_lock:
        tokenizer.initialize()
    for word, freq, tag in entries:
        tokenizer.add_word(word, freq, tag)
    return tokenizer


def word_view(normalized: str, tokenizer: jieba.Tokenizer) -> str:
    """Space-joined tokens: jieba words between placeholders, placeholders and markers kept whole."""
    tokens: list[str] = []
    for i, part in enumerate(_SPECIAL_RE.split(normalized)):
        if i % 2:
            tokens.append(part)
        elif part:
            tokens.extend(w for w in tokenizer.lcut(part, HMM=True) if not w.isspace())
    return " ".join(tokens)


def char_view(normalized: str) -> str:
    """The message framed by begin/end marks, each placeholder one character, for character n-grams."""
    return BOS + _PLACEHOLDER_RE.sub(lambda m: _CHAR_OF[m.group(0)], normalized) + EOS
