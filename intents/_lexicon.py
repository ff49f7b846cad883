"""The shop lexicon: words grouped into classes (fault, delivery trouble, money trouble, …), so that a
word the training lines never contained still reads as what it is. ``漏水`` in a message is a ``fault``
feature whether or not any training line said 漏水.

File format (``intents/data/lexicon.txt``)::

    # comments and blank lines are ignored
    [fault]
    坏了 破了 开线
    漏水
    [delivery_trouble]
    还没到 …

A ``[class]`` line starts a section; every other line holds one or more words of that class, separated
by whitespace. Words are looked up in the normalised message (Simplified, lower-case), so they are
normalised the same way when the file is read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from intents._errors import DataError
from intents._normalize import normalize

LEXICON_NAME = "lexicon.txt"
_SECTION_RE = re.compile(r"^\[([^\]]*)\]$")
_CLASS_RE = re.compile(r"^[a-z][a-z_]{1,31}$")
#: The prefix of a lexicon class's token in the model's class view (never typed by a customer:
#: normalize() lower-cases Latin text).
TOKEN_PREFIX = "L_"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """word → its classes (a word may signal two), and the longest word's length."""

    classes: tuple[str, ...]
    words: Mapping[str, tuple[str, ...]]
    longest: int
    # first character → the lengths of the words starting with it, longest first (the scan's shortcut)
    starts: Mapping[str, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.starts and self.words:
            lengths: dict[str, set[int]] = {}
            for word in self.words:
                lengths.setdefault(word[0], set()).add(len(word))
            object.__setattr__(self, "starts", {c: tuple(sorted(v, reverse=True)) for c, v in lengths.items()})

    @classmethod
    def parse(cls, text: str, *, path: str = LEXICON_NAME) -> Lexicon:
        """Read the lexicon's text.

        Raises:
            DataError: naming the file and line — a word before any ``[class]`` line, a class name that is
                not lower-case ``a-z_`` (2–32 characters), a class given twice, a word that normalises to
                nothing or to more than one word, or a word listed twice in one class.
        """
        words: dict[str, list[str]] = {}
        classes: list[str] = []
        current: str | None = None
        seen_in_class: set[str] = set()
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            section = _SECTION_RE.match(line)
            if section:
                name = section.group(1).strip()
                if not _CLASS_RE.match(name):
                    raise DataError(
                        f"class name {name!r} must be 2-32 lower-case letters or '_' (e.g. [fault])",
                        path=path, line=number,
                    )
                if name in classes:
                    raise DataError(f"class [{name}] is given twice", path=path, line=number)
                classes.append(name)
                current, seen_in_class = name, set()
                continue
            if line.startswith("["):
                raise DataError(f"malformed class line {line!r} (expected [class_name])", path=path, line=number)
            if current is None:
                raise DataError(
                    f"word {line.split()[0]!r} comes before any [class] line", path=path, line=number
                )
            for raw_word in line.split():
                word = normalize(raw_word)
                if not word or " " in word:
                    raise DataError(f"{raw_word!r} is not a word the classifier can look up", path=path, line=number)
                if word in seen_in_class:
                    raise DataError(f"{raw_word!r} is listed twice in [{current}]", path=path, line=number)
                seen_in_class.add(word)
                words.setdefault(word, []).append(current)
        return cls(
            classes=tuple(classes),
            words={w: tuple(c) for w, c in words.items()},
            longest=max((len(w) for w in words), default=0),
        )

    def classes_in(self, normalized: str) -> list[str]:
        """The classes of every lexicon word in a normalised message, in the order they occur.

        At each position the longest word found counts; a word lying wholly inside one already counted
        does not (充不进电 counts once, not again as 进电), but overlapping words both count
        (退款还没到账: 还没到 and 没到账).
        """
        found: list[str] = []
        words, starts = self.words, self.starts
        covered = 0  # the end of the last word counted
        n = len(normalized)
        for i, char in enumerate(normalized):
            for length in starts.get(char, ()):
                if i + length <= covered:
                    break  # inside a word already counted
                if i + length > n:
                    continue
                hit = words.get(normalized[i : i + length])
                if hit is not None:
                    found.extend(hit)
                    covered = i + length
                    break
        return found


EMPTY = Lexicon(classes=(), words={}, longest=0)


def class_view(normalized: str, lexicon: Lexicon) -> str:
    """The message as its sequence of lexicon classes (``L_fault L_return``), for the class block."""
    return " ".join(TOKEN_PREFIX + c for c in lexicon.classes_in(normalized))
