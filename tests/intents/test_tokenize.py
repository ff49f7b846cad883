"""The compact segmentation dictionary and the tokenizer built from it."""

from __future__ import annotations

from pathlib import Path

import jieba
import pytest

from intents import DataError, load_corpus, normalize
from intents._corpus import DEFAULT_DATA_DIR, read_userdict
from intents._tokenize import (
    SegmentationDictionary,
    compact_dictionary,
    parse_userdict,
    tokenizer_for,
    word_view,
)

USERDICT = "# shop words\n包邮 2000 v\n运费险 1000\n七天无理由\n"


def test_compact_dictionary_is_the_most_frequent_words_plus_the_user_words() -> None:
    d = compact_dictionary(1000, USERDICT)
    freq = dict(zip(d.words, d.freqs, strict=True))
    assert len(d.words) <= 1000 + 3
    assert {"的", "了", "是"} <= set(freq)
    assert freq["包邮"] == 2000 and freq["运费险"] == 1000 and freq["七天无理由"] > 0
    assert min(d.freqs) >= 1 and d.total >= sum(d.freqs)
    assert compact_dictionary(1000, USERDICT) == d  # deterministic


def test_tokenizer_segments_with_exactly_its_dictionary() -> None:
    tokenizer = tokenizer_for(compact_dictionary(0, "包邮\n运费险\n"))  # no default words at all
    assert {w for w, f in tokenizer.FREQ.items() if f} == {"包邮", "运费险"}
    assert {w for w, f in tokenizer.FREQ.items() if not f} == {"包", "运", "运费"}  # prefixes
    assert "包邮" in tokenizer.lcut("这个包邮吗")


def test_full_compact_dictionary_equals_jiebas_own(tmp_path: Path) -> None:
    # size=None rebuilds jieba's default dictionary plus the user words: the same prefix dict, so the
    # same segmentation as a jieba Tokenizer initialised from dict.txt.
    userdict = read_userdict(DEFAULT_DATA_DIR)
    ours = tokenizer_for(compact_dictionary(None, userdict))
    theirs = jieba.Tokenizer()
    theirs.tmp_dir = str(tmp_path)
    theirs.initialize()
    for word, freq, tag in parse_userdict(userdict):
        theirs.add_word(word, freq, tag)
    assert ours.FREQ == theirs.FREQ
    texts = [normalize(text) for text, _ in load_corpus("train")[::5]]
    assert [word_view(t, ours) for t in texts] == [word_view(t, theirs) for t in texts]


@pytest.mark.parametrize(
    ("words", "freqs", "total"),
    [(("a", "b"), (1,), 1), (("a",), (0,), 1), (("a",), (1,), 0), (("",), (1,), 1)],
)
def test_inconsistent_dictionary_is_refused(words: tuple[str, ...], freqs: tuple[int, ...], total: int) -> None:
    with pytest.raises(ValueError):
        SegmentationDictionary(words, freqs, total)


def test_malformed_userdict_is_a_data_error() -> None:
    with pytest.raises(DataError, match="line 2|:2:"):
        compact_dictionary(10, "包邮 100\n运费险 lots\n")
