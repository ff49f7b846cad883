"""The corpus itself: big enough, many voices rather than a template, and its splits kept apart."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from intents import DISPUTE_LABELS, LABELS, normalize
from intents._corpus import load_independent, load_split
from intents._normalize import PLACEHOLDERS

DATA = Path(__file__).resolve().parents[2] / "intents" / "data"
_GOODS = [w for w in (Path(__file__).with_name("goods.txt")).read_text("utf-8").split() if not w.startswith("#")]
_GOODS_RE = re.compile("|".join(map(re.escape, sorted({normalize(g) for g in _GOODS if g}, key=len, reverse=True))))
_PLACEHOLDER_RE = re.compile("|".join(PLACEHOLDERS))
_NUMBERS_RE = re.compile(r"[0-9a-z一二两三四五六七八九十百千万几半]+")


def skeleton(text: str) -> str:
    """A line with its goods, numbers, sizes, masks and punctuation taken out: two lines with one skeleton
    differ only by a product name or a number."""
    s = _PLACEHOLDER_RE.sub("", normalize(text))
    s = _NUMBERS_RE.sub("", _GOODS_RE.sub("#", s))
    return re.sub(r"[^\u4e00-\u9fff#]", "", s)


def test_every_label_has_at_least_250_training_lines_and_5000_in_all() -> None:
    counts = Counter(e.label for e in load_split(DATA, "train"))
    assert {label: n for label, n in counts.items() if n < 250} == {}
    assert set(counts) == set(LABELS) and sum(counts.values()) >= 5000


def test_no_two_training_lines_differ_only_by_a_product_or_a_number() -> None:
    seen: dict[str, str] = {}
    twins = []
    for e in load_split(DATA, "train"):
        key = skeleton(e.text)
        if len(key) < 3:
            continue  # 好的 / 在吗: short lines are allowed to be alike
        if key in seen:
            twins.append(f"{seen[key]}  ~  {e.text}")
        seen.setdefault(key, e.text)
    assert not twins, "\n".join(twins[:20])


def test_complaints_are_mostly_in_plain_words() -> None:
    """Each complaint label holds at least 40 lines without 投诉 / 差评 / 态度差 (real complaints rarely use them)."""
    plain = Counter(e.label for e in load_split(DATA, "train")
                    if e.label in DISPUTE_LABELS and not re.search("投诉|差评|态度差", normalize(e.text)))
    assert all(plain[label] >= 40 for label in DISPUTE_LABELS), plain


def test_the_splits_are_kept_apart() -> None:
    train = {normalize(e.text) for e in load_split(DATA, "train")}
    held_out = [e.text for e in load_split(DATA, "test") if normalize(e.text) in train]
    assert not held_out, held_out[:10]
    independent = [e.text for e in load_independent(DATA) if normalize(e.text) in train and len(normalize(e.text)) > 4]
    assert not independent, independent  # (very short lines such as 好的谢谢 may coincide)


def test_the_independent_split_covers_every_label() -> None:
    counts = Counter(e.label for e in load_independent(DATA))
    assert all(counts[label] >= 40 for label in LABELS), counts
    for path in (DATA / "independent").glob("*.jsonl"):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            assert isinstance(json.loads(line), dict), f"{path.name}:{number}"
