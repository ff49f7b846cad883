"""The lean scorer equals scikit-learn's pipeline: same analyzers, same probabilities."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

import intents
from intents import LABELS, IntentClassifier, load_corpus, normalize
from intents._model import views
from intents._scorer import char_ngrams, word_ngrams
from intents._tokenize import char_view, word_view

from .conftest import TINY_CORPUS, write_corpus

DOCS = [
    "",
    "a",
    "在 吗",
    "在吗  亲\t\t在不在",
    "  leading and trailing  ",
    "Mixed CASE ＡＢＣ ß İ",
    "\x02收到 EMONEG 的\ue000杯子\x03",
    "one\u3000two\u00a0three \x1cfour",
    "重复 重复 重复",
]


@pytest.mark.parametrize("doc", DOCS)
@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (1, 3), (2, 2), (2, 4), (3, 3)])
@pytest.mark.parametrize("lowercase", [False, True])
def test_analyzers_equal_sklearns(doc: str, ngram_range: tuple[int, int], lowercase: bool) -> None:
    chars = TfidfVectorizer(analyzer="char", ngram_range=ngram_range, lowercase=lowercase).build_analyzer()
    assert sorted(char_ngrams(doc, ngram_range, lowercase)) == sorted(chars(doc))
    words = TfidfVectorizer(
        analyzer="word", token_pattern=r"\S+", ngram_range=ngram_range, lowercase=lowercase
    ).build_analyzer()
    assert sorted(word_ngrams(doc, re.compile(r"\S+"), ngram_range, lowercase)) == sorted(words(doc))


def lean_and_sklearn(data: Path, texts: list[str], tmp_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities of ``texts`` from a saved-and-reloaded model and from the sklearn objects it came from.

    The reloaded model segments with the dictionary stored in its file; the sklearn side with the
    tokenizer training used, so the comparison also proves both segment alike.
    """
    trained, pipeline = IntentClassifier._train(data)
    trained.save(tmp_path / "intents.npz")
    loaded = IntentClassifier.from_file(tmp_path / "intents.npz")
    normalized = [normalize(t) for t in texts]
    assert all(normalized), "blank messages are answered without the model"
    word_docs = [word_view(n, trained._tokenizer) for n in normalized]
    assert [word_view(n, loaded._tokenizer) for n in normalized] == word_docs
    expected = np.zeros((len(texts), len(LABELS)))
    docs = views(texts, trained._tokenizer, trained._lexicon)
    assert docs.words == word_docs and docs.chars == [char_view(n) for n in normalized]
    expected[:, [LABELS.index(str(c)) for c in pipeline.classifier.classes_]] = pipeline.proba(docs)
    lean = np.array([list(p.probabilities.values()) for p in loaded.predict_many(texts)])
    return lean, expected


EXTRA = ["xyzzy", "😀", "URL", "¥", "ＡＢＣ  def", "在吗？？？", "订单号123456789012 怎么还没到"]


def test_lean_scorer_equals_sklearn_on_the_real_test_split(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(Path(intents.__file__).resolve().parent / "data", data)  # others may edit the corpus
    texts = [text for text, _ in load_corpus("test", data) if normalize(text)] + EXTRA
    if len(texts) < 100:
        pytest.skip("the built-in test split is still nearly empty")
    lean, expected = lean_and_sklearn(data, texts, tmp_path)
    np.testing.assert_allclose(lean, expected, rtol=0, atol=1e-9)


def test_two_label_model_equals_sklearn(tmp_path: Path) -> None:
    corpus = {label: TINY_CORPUS[label] for label in ("greet", "complaint_product")}
    data = write_corpus(tmp_path / "data", corpus)
    texts = ["在吗", "坏了", "你好 坏了", "xyzzy", *EXTRA]
    lean, expected = lean_and_sklearn(data, texts, tmp_path)
    np.testing.assert_allclose(lean, expected, rtol=0, atol=1e-9)
    assert set(np.flatnonzero(lean.any(axis=0))) == {LABELS.index("greet"), LABELS.index("complaint_product")}
