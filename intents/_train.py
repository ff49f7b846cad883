"""Training with scikit-learn: tf-idf blocks, logistic regression, cross-validation, dispute threshold.

Only training imports this module (and so scikit-learn and scipy); a loaded model predicts from
plain arrays (see ``_scorer``).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from intents._labels import DISPUTE_LABELS
from intents._lexicon import TOKEN_PREFIX
from intents._scorer import LinearModel

SKLEARN_VERSION: str = sklearn.__version__

_CV_THREADS = min(4, os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class Docs:
    """The three views of a list of messages: jieba words, characters, lexicon classes."""

    words: list[str]
    chars: list[str]
    classes: list[str]

    def take(self, index: Sequence[int] | np.ndarray) -> Docs:
        return Docs([self.words[i] for i in index], [self.chars[i] for i in index], [self.classes[i] for i in index])


@dataclass(frozen=True, slots=True)
class Pipeline:
    """The fitted scikit-learn objects; ``proba`` is their own transform/predict_proba (for tests)."""

    words: TfidfVectorizer
    chars: TfidfVectorizer
    classes: TfidfVectorizer | None  # None: trained without a lexicon
    classifier: LogisticRegression
    word_weight: float
    class_weight: float

    def matrix(self, docs: Docs) -> Any:
        return _stack(
            self.words.transform(docs.words), self.chars.transform(docs.chars),
            self.classes.transform(docs.classes) if self.classes is not None else None,
            self.word_weight, self.class_weight,
        )

    def proba(self, docs: Docs) -> np.ndarray:
        return np.asarray(self.classifier.predict_proba(self.matrix(docs)))

    def linear_model(self, config: dict[str, Any]) -> LinearModel:
        """The plain arrays serving needs, with the analyzer settings from ``config``."""
        return LinearModel(
            word_terms=_terms(self.words),
            word_idf=np.asarray(self.words.idf_, dtype=np.float64),
            char_terms=_terms(self.chars),
            char_idf=np.asarray(self.chars.idf_, dtype=np.float64),
            class_terms=_terms(self.classes) if self.classes is not None else (),
            class_idf=np.asarray(self.classes.idf_ if self.classes is not None else (), dtype=np.float64),
            class_weight=float(config["class_weight"]),
            class_ngrams=config["class_ngrams"],
            weights=np.ascontiguousarray(np.asarray(self.classifier.coef_, dtype=np.float64).T),
            intercept=np.asarray(self.classifier.intercept_, dtype=np.float64),
            classes=tuple(str(c) for c in self.classifier.classes_),
            word_weight=float(config["word_weight"]),
            word_ngrams=config["word_ngrams"],
            char_ngrams=config["char_ngrams"],
            lowercase=bool(config["lowercase"]),
            token_pattern=str(config["token_pattern"]),
        )


def _terms(vectorizer: TfidfVectorizer) -> tuple[str, ...]:
    terms = [""] * len(vectorizer.vocabulary_)
    for term, column in vectorizer.vocabulary_.items():
        terms[column] = str(term)
    return tuple(terms)


def class_vocabulary(classes: Sequence[str], config: dict[str, Any]) -> list[str]:
    """Every class token, and every ordered pair of them when the class block reads bigrams."""
    tokens = [TOKEN_PREFIX + c for c in classes]
    vocabulary = list(tokens)
    if config["class_ngrams"][1] >= 2:
        vocabulary += [f"{a} {b}" for a in tokens for b in tokens]
    return vocabulary


def _class_vectorizer(vocabulary: Sequence[str], config: dict[str, Any]) -> TfidfVectorizer | None:
    if not vocabulary:
        return None
    return TfidfVectorizer(
        analyzer="word",
        token_pattern=config["token_pattern"],
        lowercase=False,
        ngram_range=config["class_ngrams"],
        vocabulary=list(vocabulary),
        sublinear_tf=True,
        dtype=np.float64,
    )


def _new_vectorizers(config: dict[str, Any]) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    words = TfidfVectorizer(
        analyzer="word",
        token_pattern=config["token_pattern"],
        lowercase=config["lowercase"],
        ngram_range=config["word_ngrams"],
        sublinear_tf=True,
        dtype=np.float64,
    )
    chars = TfidfVectorizer(
        analyzer="char",
        lowercase=config["lowercase"],
        ngram_range=config["char_ngrams"],
        sublinear_tf=True,
        dtype=np.float64,
    )
    return words, chars


def _new_classifier(config: dict[str, Any]) -> LogisticRegression:
    return LogisticRegression(
        C=config["C"],
        solver=config["solver"],
        tol=config["tol"],
        max_iter=config["max_iter"],
        random_state=config["random_state"],
    )


def _stack(word_matrix: Any, char_matrix: Any, class_matrix: Any, word_weight: float, class_weight: float) -> Any:
    blocks = [word_matrix * word_weight, char_matrix]
    if class_matrix is not None:
        blocks.append(class_matrix * class_weight)
    return sp.hstack(blocks, format="csr")


def fit(docs: Docs, y: Sequence[str], config: dict[str, Any], vocabulary: Sequence[str]) -> Pipeline:
    """Fit the vectorizers (the class block on ``vocabulary``, the lexicon's class tokens) and the classifier."""
    words, chars = _new_vectorizers(config)
    classes = _class_vectorizer(vocabulary, config)
    x = _stack(
        words.fit_transform(docs.words), chars.fit_transform(docs.chars),
        classes.fit_transform(docs.classes) if classes is not None else None,
        config["word_weight"], config["class_weight"],
    )
    return Pipeline(words, chars, classes, _new_classifier(config).fit(x, y), config["word_weight"],
                    config["class_weight"])


def _dispute_mass(proba: np.ndarray, classes: Sequence[str]) -> np.ndarray:
    columns = [i for i, label in enumerate(classes) if label in DISPUTE_LABELS]
    if not columns:
        return np.zeros(proba.shape[0])
    return np.asarray(proba[:, columns].sum(axis=1))


def _choose_threshold(
    mass: np.ndarray, argmax_is_dispute: np.ndarray, is_dispute: np.ndarray, config: dict[str, Any]
) -> float:
    """The threshold minimising miss_cost·missed + wrongly_escalated over the grid (middle of ties).

    A message is flagged when its dispute mass reaches the threshold or its top label is a complaint,
    the same rule ``IntentClassifier.predict`` applies.
    """
    low, high = config["dispute_threshold_range"]
    grid = np.round(np.arange(low, high + 1e-9, 0.01), 2)
    cost_list: list[float] = []
    for t in grid:
        flagged = (mass >= t) | argmax_is_dispute
        missed = np.count_nonzero(is_dispute & ~flagged)
        wrongly = np.count_nonzero(~is_dispute & flagged)
        cost_list.append(config["dispute_miss_cost"] * missed + wrongly)
    costs = np.array(cost_list)
    best = grid[costs == costs.min()]
    return float(best[len(best) // 2])


@dataclass(frozen=True, slots=True)
class CvResult:
    threshold: float
    macro_f1: float
    dispute_recall: float | None
    dispute_precision: float | None


def out_of_fold(
    docs: Docs, y: list[str], config: dict[str, Any], vocabulary: Sequence[str]
) -> tuple[list[str], np.ndarray] | None:
    """Out-of-fold probabilities (classes sorted) over the training data; None when a label has < 2 examples."""
    smallest = min(Counter(y).values())
    folds = min(config["cv_folds"], smallest)
    if folds < 2 or len(set(y)) < 2:
        return None
    classes = sorted(set(y))
    y_arr = np.array(y)
    proba = np.zeros((len(y), len(classes)))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=config["random_state"])

    def run_fold(train_idx: np.ndarray, test_idx: np.ndarray) -> None:
        pipeline = fit(docs.take(train_idx), list(y_arr[train_idx]), config, vocabulary)
        fold_proba = pipeline.proba(docs.take(test_idx))
        for j, label in enumerate(pipeline.classifier.classes_):
            proba[test_idx, classes.index(label)] = fold_proba[:, j]

    # The solver releases the GIL: threads use both cores without pickling the data to subprocesses.
    with ThreadPoolExecutor(max_workers=_CV_THREADS) as pool:
        for future in [pool.submit(run_fold, tr, te) for tr, te in splitter.split(np.zeros(len(y)), y_arr)]:
            future.result()
    return classes, proba


def cross_validate(
    docs: Docs, y: list[str], config: dict[str, Any], vocabulary: Sequence[str]
) -> CvResult | None:
    """Cross-validated figures and the dispute threshold; None when a label has < 2 examples."""
    oof = out_of_fold(docs, y, config, vocabulary)
    if oof is None:
        return None
    classes, proba = oof
    y_arr = np.array(y)
    predicted = np.array(classes)[proba.argmax(axis=1)]
    macro_f1 = float(f1_score(y_arr, predicted, average="macro", zero_division=0))
    truth = np.isin(y_arr, DISPUTE_LABELS)
    if not truth.any():
        return CvResult(config["dispute_threshold_default"], macro_f1, None, None)
    mass = _dispute_mass(proba, classes)
    threshold = _choose_threshold(mass, np.isin(predicted, DISPUTE_LABELS), truth, config)
    flagged = (mass >= threshold) | np.isin(predicted, DISPUTE_LABELS)
    caught = int(np.count_nonzero(flagged & truth))
    recall = caught / int(np.count_nonzero(truth))
    precision = caught / max(1, int(np.count_nonzero(flagged)))
    return CvResult(threshold, macro_f1, recall, precision)
