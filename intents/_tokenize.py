"""Segmentation (jieba words) and the two text views the model's vectorizers read.

jieba's default dictionary (349k words, a ~60 MB prefix dict in memory) is not what kefu segments
with. Training derives a compact :class:`SegmentationDictionary` — the most frequent words of
jieba's ``dict.txt`` plus the user dictionary — and the model file carries it, so serving builds
exactly the tokenizer training used: no jieba cache file, no dependence on jieba's installed
dictionary at serve time.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

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


@dataclass(frozen=True, slots=True)
class SegmentationDictionary:
    """The words jieba segments with: word → frequency, and the frequency total jieba divides by.

    ``total`` is stored rather than summed: it is jieba's own running total after the user words
    were added, which is what its route probabilities use.
    """

    words: tuple[str, ...]
    freqs: tuple[int, ...]
    total: int

    def __post_init__(self) -> None:
        if len(self.words) != len(self.freqs):
            raise ValueError("a segmentation dictionary needs one frequency per word")
        if (self.freqs and min(self.freqs) <= 0) or self.total <= 0 or "" in self.words:
            raise ValueError("segmentation dictionary words must be non-empty, frequencies positive")


@lru_cache(maxsize=2)
def _jieba_top_words(size: int | None) -> tuple[tuple[str, int], ...]:
    """The ``size`` most frequent (word, freq) of jieba's ``dict.txt`` (ties in file order); all for None.

    Cached per size: training reads the 349k-line file once per process and keeps only the top.
    """
    freq_of: dict[str, int] = {}
    with jieba.get_module_res(jieba.DEFAULT_DICT_NAME) as f:
        for raw in f:
            word, freq = raw.decode("utf-8").strip().split(" ")[:2]
            freq_of[word] = int(freq)
    ranked = sorted(((w, f) for w, f in freq_of.items() if f > 0), key=lambda item: -item[1])
    return tuple(ranked if size is None else ranked[:size])


def _prefix_dict(entries: Iterable[tuple[str, int]]) -> dict[str, int]:
    """jieba's FREQ layout (``Tokenizer.gen_pfdict``): every word, and each of its prefixes with 0."""
    freq: dict[str, int] = {}
    for word, count in entries:
        freq[word] = count
        for end in range(1, len(word)):
            freq.setdefault(word[:end], 0)
    return freq


def compact_dictionary(size: int | None, userdict: str) -> SegmentationDictionary:
    """The ``size`` most frequent words of jieba's default dictionary plus every user-dictionary word.

    User words are added with jieba's ``add_word`` (a missing frequency is jieba's suggested one),
    in file order, exactly as a full-dictionary tokenizer would take them. ``size=None`` keeps the
    whole default dictionary (for comparisons).

    Raises:
        DataError: the user dictionary is malformed.
    """
    entries = parse_userdict(userdict)
    top = _jieba_top_words(size)
    tokenizer = _tokenizer(_prefix_dict(top), max(1, sum(f for _, f in top)))  # jieba takes log(total)
    for word, freq, tag in entries:
        tokenizer.add_word(word, freq, tag)
    kept = [(w, f) for w, f in tokenizer.FREQ.items() if f]
    return SegmentationDictionary(
        words=tuple(w for w, _ in kept), freqs=tuple(int(f) for _, f in kept), total=int(tokenizer.total)
    )


def _tokenizer(freq: dict[str, int], total: int) -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = freq
    tokenizer.total = total
    tokenizer.initialized = True  # jieba never reads its own dictionary or cache file for this one
    return tokenizer


def tokenizer_for(dictionary: SegmentationDictionary) -> jieba.Tokenizer:
    """A private jieba tokenizer segmenting with exactly ``dictionary`` (built in memory, no cache file).

    Each model gets a tokenizer of its own, so two models never share segmentation state.
    """
    return _tokenizer(_prefix_dict(zip(dictionary.words, dictionary.freqs, strict=True)), dictionary.total)


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
