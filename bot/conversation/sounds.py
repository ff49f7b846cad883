"""Words a shopper typed by sound: the slips of pinyin keyboards and voice input, put right by the shop's words.

A pinyin keyboard or a voice input offers the wrong characters for the right sound: 公装裤 for 工装裤, 前蓝 for
浅蓝, 喂衣 for 卫衣, 深兰 for 深蓝. :func:`respell` replaces a stretch of a message that *sounds* like one of the
shop's words (product names and aliases, colours, garment words) — the same syllables, tones ignored, any of a
character's readings — and is not itself a word of the language (jieba's dictionary): 唯一 sounds like 卫衣 but is
a word, so it stays. The replacement has the same length, so positions in the text keep their meaning.

Pure and synchronous: pypinyin's tables and jieba's dictionary are read once, in memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache

# Only characters' readings are used: pypinyin's phrase table (~55 MB in memory) is not loaded.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")

import jieba
from pypinyin import Style, pinyin

# Words shorter than this are not respelled (one syllable matches too much).
_SHORTEST = 2
# A stretch that jieba's dictionary knows at least this often is a word of its own, not a slip.
_COMMON = 3


@lru_cache(maxsize=16384)
def _readings(char: str) -> frozenset[str]:
    """Every toneless reading of one character (长: chang, zhang); a character with none: itself."""
    if not _is_cjk(char):
        return frozenset((char,))
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="default")
    return frozenset(found[0]) if found and found[0] else frozenset((char,))


@lru_cache(maxsize=16384)
def _primary(char: str) -> str:
    """A character's common reading (pypinyin's first)."""
    found = pinyin(char, style=Style.NORMAL, heteronym=False, errors="default")
    return found[0][0] if found and found[0] else char


def _sounds_alike(typed: str, meant: str) -> bool:
    """Whether a typed character can stand for the shop's: the common reading of one is a reading of the other (脏
    zāng for 藏 zàng; never 白 bái for 服 through 服's rare reading bó)."""
    return typed == meant or _primary(typed) in _readings(meant) or _primary(meant) in _readings(typed)


def _is_cjk(word: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" for c in word)


class _Index:
    """The shop's words by the sound of their first syllable."""

    def __init__(self, words: Iterable[str]) -> None:
        self.by_first: dict[str, list[str]] = {}
        self.words: frozenset[str] = frozenset(words)
        for word in sorted({w for w in words if len(w) >= _SHORTEST and any(map(_is_cjk, w))}, key=len, reverse=True):
            for first in _readings(word[0]):  # (every reading of the first character: 长 is chang or zhang)
                self.by_first.setdefault(first, []).append(word)


@lru_cache(maxsize=256)
def _index(words: tuple[str, ...]) -> _Index:
    return _Index(words)


def _is_word(stretch: str) -> bool:
    """Whether a stretch of text is a word of the language in its own right (唯一, 百色), or for two characters
    the start of one (大一 of 大一统: a first-year student, not 大衣)."""
    jieba.dt.check_initialized()
    frequency = jieba.dt.FREQ.get(stretch)
    return frequency is not None if len(stretch) == _SHORTEST else int(frequency or 0) >= _COMMON


def _holds_another_word(stretch: str, word: str) -> bool:
    """Whether a longer stretch holds a common word of the language that the shop's word does not ("估计不" is no
    家居服: 估计 is a word of its own; "牛仔库" still is 牛仔裤, whose 牛仔 it shares)."""
    return len(stretch) > _SHORTEST and any(
        stretch[k: k + 2] != word[k: k + 2] and _ends_word(stretch[k: k + 2]) for k in range(len(stretch) - 1))


def _ends_word(pair: str) -> bool:
    """Whether two characters are a common word of the language (里面, 外面): the second belongs to the first."""
    jieba.dt.check_initialized()
    return int(jieba.dt.FREQ.get(pair) or 0) >= 1000


_COUNTERS = frozenset("件条双套顶个只份包盒袋")
_NUMERALS = frozenset("0123456789０１２３４５６７８９一二两俩三四五六七八九十几每")


def respell(text: str, words: tuple[str, ...]) -> str:
    """``text`` with every stretch that sounds like one of ``words`` (and is no word itself) written as that word.

    The longest word wins at each place; the text keeps its length.
    """
    index = _index(words)
    if not index.by_first:
        return text
    out = list(text)
    i = 0
    while i < len(text):
        if i and text[i] in _COUNTERS and text[i - 1] in _NUMERALS:  # "一件灰色": a count, never 浅灰 (浅 reads jiān)
            i += 1
            continue
        best: str | None = None
        for reading in _readings(text[i]):
            for word in index.by_first.get(reading, ()):
                end = i + len(word)
                if end > len(text) or (best is not None and len(best) >= len(word)):
                    continue
                stretch = text[i:end]
                if stretch == word or stretch in index.words:
                    best = stretch
                elif all(_sounds_alike(c, w) for c, w in zip(stretch, word, strict=True)) and not _is_word(stretch) \
                        and not _holds_another_word(stretch, word):
                    best = word
        if best is None or (best != text[i: i + len(best)] and i and _is_cjk(text[i - 1: i + 1])
                            and _ends_word(text[i - 1: i + 1])):
            i += 1  # (nothing sounds like the shop's words here — or "里面还要穿": 面 ends 里面, no 棉服 starts there)
            continue
        out[i: i + len(best)] = best
        i += len(best)
    return "".join(out)
