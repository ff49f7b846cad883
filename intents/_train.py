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
from intents._scorer import LinearModel

SKLEARN_VERSION: str = sklearn.__version__

_CV_THREADS = min(4, os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class Pipeline:
    """The fitted scikit-learn objects; ``proba`` is their own transform/predict_proba (for tests)."""

    words: TfidfVectorizer
    chars: TfidfVectorizer
    classifier: LogisticRegression
    word_weight: float

    def proba(self, word_docs: Sequence[str], char_docs: Sequence[str]) -> np.ndarray:
        x = _stack(self.words.transform(word_docs), self.chars.transform(char_docs), self.word_weight)
        return np.asarray(self.classifier.predict_proba(x))

    def linear_model(self, config: dict[str, Any]) -> LinearModel:
        """The plain arrays serving needs, with the analyzer settings from ``config``."""
        return LinearModel(
            word_terms=_terms(self.words),
            word_idf=np.asarray(self.words.idf_, dtype=np.float64),
            char_terms=_terms(self.chars),
            char_idf=np.asarray(self.chars.idf_, dtype=np.float64),
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


def _stack(word_matrix: Any, char_matrix: Any, word_weight: float) -> Any:
    return sp.hstack([word_matrix * word_weight, char_matrix], format="csr")


def fit(word_docs: Sequence[str], char_docs: Sequence[str], y: Sequence[str], config: dict[str, Any]) -> Pipeline:
    """Fit both vectorizers and the classifier."""
    words, chars = _new_vectorizers(config)
    x = _stack(words.fit_transform(word_docs), chars.fit_transform(char_docs), config["word_weight"])
    return Pipeline(words, chars, _new_classifier(config).fit(x, y), config["word_weight"])


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


def cross_validate(
    word_docs: list[str], char_docs: list[str], y: list[str], config: dict[str, Any]
) -> CvResult | None:
    """Out-of-fold probabilities over the training data only; None when a label has < 2 examples."""
    smallest = min(Counter(y).values())
    folds = min(config["cv_folds"], smallest)
    if folds < 2 or len(set(y)) < 2:
        return None
    classes = sorted(set(y))
    y_arr = np.array(y)
    proba = np.zeros((len(y), len(classes)))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=config["random_state"])

    def run_fold(train_idx: np.ndarray, test_idx: np.ndarray) -> None:
        pipeline = fit(
            [word_docs[i] for i in train_idx],
            [char_docs[i] for i in train_idx],
            list(y_arr[train_idx]),
            config,
        )
        fold_proba = pipeline.proba([word_docs[i] for i in test_idx], [char_docs[i] for i in test_idx])
        for j, label in enumerate(pipeline.classifier.classes_):
            proba[test_idx, classes.index(label)] = fold_proba[:, j]

    # The solver releases the GIL: threads use both cores without pickling the data to subprocesses.
    with ThreadPoolExecutor(max_workers=_CV_THREADS) as pool:
        for future in [pool.submit(run_fold, tr, te) for tr, te in splitter.split(np.zeros(len(y)), y_arr)]:
            future.result()
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
