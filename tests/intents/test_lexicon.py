"""The shop lexicon: its file format (a malformed line is an error naming it) and what it is for — a word no
training line contained still reads as its class."""

from __future__ import annotations

from pathlib import Path

import pytest

from intents import DataError, IntentClassifier
from intents._lexicon import Lexicon, class_view
from intents._normalize import normalize

from .conftest import TINY_CORPUS, run_cli, write_corpus


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("坏了 破了\n[fault]\n", 1, "comes before any [class] line"),
        ("[fault]\n坏了\n[Fault Words]\n漏水\n", 3, "class name 'Fault Words'"),
        ("[fault]\n坏了\n[delivery]\n丢件\n[fault]\n", 5, "given twice"),
        ("[fault]\n坏了 漏水\n\n# note\n坏了\n", 5, "listed twice in [fault]"),
        ("[fault]\n坏了\n[fault\n", 3, "malformed class line"),
        ("[fault]\n坏了 [微笑]好\n", 2, "not a word"),
    ],
)
def test_a_malformed_lexicon_line_is_an_error_naming_the_file_and_line(text: str, line: int, problem: str) -> None:
    with pytest.raises(DataError) as caught:
        Lexicon.parse(text, path="lexicon.txt")
    assert caught.value.line == line and f"lexicon.txt:{line}:" in str(caught.value)
    assert problem in str(caught.value)


def test_words_are_found_longest_first_overlaps_counted_and_normalised_like_messages() -> None:
    lexicon = Lexicon.parse("[fault]\n充不进电 进电 漏水\n[money]\n没到账\n[delivery]\n還沒到\n")
    assert lexicon.classes == ("fault", "money", "delivery")
    assert lexicon.classes_in(normalize("充不进电了")) == ["fault"], "进电 lies inside 充不进电"
    assert lexicon.classes_in(normalize("退款还没到账")) == ["delivery", "money"], "还没到 and 没到账 overlap"
    assert lexicon.classes_in(normalize("熱水壺漏水")) == ["fault"], "Traditional reads as Simplified"
    assert class_view(normalize("漏水 还没到"), lexicon) == "L_fault L_delivery"
    assert class_view(normalize("你好"), lexicon) == ""


def test_the_shipped_lexicon_loads(classifier: IntentClassifier) -> None:
    lexicon = Lexicon.parse((Path(__file__).resolve().parents[2] / "intents" / "data" / "lexicon.txt").read_text("utf-8"))
    assert {"fault", "delivery_trouble", "money_trouble", "service_trouble", "account"} <= set(lexicon.classes)
    assert len(lexicon.words) > 1000


def test_a_fault_word_no_training_line_contains_still_reads_as_a_fault(tmp_path: Path) -> None:
    """"漏电" and "跳闸" are in no training line; only the lexicon says they are faults."""
    corpus = {**TINY_CORPUS, "greet": [*TINY_CORPUS["greet"], "请问一下", "麻烦问下"]}
    plain = write_corpus(tmp_path / "plain", corpus)
    with_lexicon = write_corpus(tmp_path / "lexicon", corpus)
    (with_lexicon / "lexicon.txt").write_text("[fault]\n坏 破了 开线 碎了 漏电 跳闸\n", "utf-8")
    plain_model, lexicon_model = IntentClassifier.train(plain), IntentClassifier.train(with_lexicon)
    for message in ("一插就跳闸", "插头漏电", "老是跳闸"):
        without = plain_model.predict(message).probabilities["complaint_product"]
        read = lexicon_model.predict(message).probabilities["complaint_product"]
        assert read > without + 0.1, (message, without, read)
    assert lexicon_model.predict("老是跳闸").intent == "complaint_product" != plain_model.predict("老是跳闸").intent


def test_training_on_a_malformed_lexicon_stops_with_the_line(tmp_path: Path) -> None:
    data = write_corpus(tmp_path / "data", TINY_CORPUS)
    (data / "lexicon.txt").write_text("[fault]\n坏了\n[fault]\n", "utf-8")
    with pytest.raises(DataError, match=r"lexicon.txt:3: class \[fault\] is given twice"):
        IntentClassifier.train(data)
    result = run_cli("train", "--data-dir", str(data), "--model-dir", str(tmp_path / "models"))
    assert result.returncode == 2 and "lexicon.txt:3:" in result.stderr and "Traceback" not in result.stderr
