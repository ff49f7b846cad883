"""The intent classifier: training, prediction, persistence."""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from intents import _corpus, _persist
from intents._errors import DataError, ModelFileError
from intents._evaluate import EvalReport, score
from intents._labels import DISPUTE_LABELS, EMPTY_LABEL, LABELS
from intents._normalize import normalize
from intents._scorer import FastScorer
from intents._tokenize import char_view, tokenizer_for, word_view

logger = logging.getLogger("intents")

#: Bump when features, model or file layout change: old files are then retrained on load.
MODEL_FORMAT_VERSION = 2

# Everything that decides the model besides the data; part of the fingerprint.
_CONFIG: dict[str, Any] = {
    # Measured by 5-fold cross-validation on the training split: character 3-grams (with or without
    # min_df, at full or reduced weight) and word bigrams each cost up to 1-2 points of macro-F1 and
    # raised log-loss, so the model uses word unigrams plus character 1-2-grams; the word block
    # weighted 0.5 against the character block gained about a point.
    "word_ngrams": (1, 1),
    "char_ngrams": (1, 2),
    "word_weight": 0.5,
    # LogisticRegression (saga) matched LinearSVC + CalibratedClassifierCV (sigmoid or temperature) on
    # cross-validated macro-F1 with better-calibrated probabilities (log-loss ~0.55 vs 0.65-0.72).
    "C": 300.0,
    "solver": "saga",
    "tol": 1e-3,
    "max_iter": 1000,
    "cv_folds": 5,
    # Missing a dispute costs this many wrongly escalated messages. Not more: a false escalation in
    # the middle of a sale ("好的，我要了" sent to the complaints queue) loses the sale.
    "dispute_miss_cost": 4.0,
    # The dispute threshold is searched in this range; without cross-validation the default is used.
    "dispute_threshold_range": (0.05, 0.5),
    "dispute_threshold_default": 0.3,
    "random_state": 0,
}


_CV_THREADS = min(4, os.cpu_count() or 1)


def _fingerprint_extra() -> list[str]:
    return [f"format={MODEL_FORMAT_VERSION}", f"sklearn={sklearn.__version__}", repr(sorted(_CONFIG.items()))]


@dataclass(frozen=True, slots=True)
class Prediction:
    """What the classifier makes of one message.

    Attributes:
        intent: the most probable label.
        confidence: its calibrated probability, 0–1.
        probabilities: every label in LABELS → probability (0.0 for labels the model has no data for).
        dispute_probability: the four complaint_* labels' probabilities summed.
        is_dispute: the dispute decision — ``dispute_probability`` reached the model's dispute
            threshold (chosen to weigh a missed dispute above a needless escalation), or ``intent``
            itself is a complaint.
        dispute_label: the most probable complaint_* label when ``is_dispute``, else None.
    """

    intent: str
    confidence: float
    probabilities: Mapping[str, float] = field(repr=False)
    dispute_probability: float
    is_dispute: bool
    dispute_label: str | None


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """Metadata stored with a trained model."""

    fingerprint: str
    format_version: int
    sklearn_version: str
    labels: tuple[str, ...]
    label_counts: Mapping[str, int]
    dispute_threshold: float
    trained_at: str
    train_seconds: float
    cv_macro_f1: float | None
    cv_dispute_recall: float | None
    cv_dispute_precision: float | None

    @property
    def missing_labels(self) -> tuple[str, ...]:
        """Labels in LABELS the model was trained without (no data)."""
        return tuple(label for label in LABELS if label not in self.labels)


def _new_vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    words = TfidfVectorizer(
        analyzer="word",
        token_pattern=r"\S+",
        lowercase=False,
        ngram_range=_CONFIG["word_ngrams"],
        sublinear_tf=True,
        dtype=np.float64,
    )
    chars = TfidfVectorizer(
        analyzer="char",
        lowercase=False,
        ngram_range=_CONFIG["char_ngrams"],
        sublinear_tf=True,
        dtype=np.float64,
    )
    return words, chars


def _new_classifier() -> LogisticRegression:
    return LogisticRegression(
        C=_CONFIG["C"],
        solver=_CONFIG["solver"],
        tol=_CONFIG["tol"],
        max_iter=_CONFIG["max_iter"],
        random_state=_CONFIG["random_state"],
    )


def _stack(word_matrix: Any, char_matrix: Any, word_weight: float) -> Any:
    return sp.hstack([word_matrix * word_weight, char_matrix], format="csr")


def _fit(
    word_docs: Sequence[str], char_docs: Sequence[str], y: Sequence[str]
) -> tuple[TfidfVectorizer, TfidfVectorizer, LogisticRegression]:
    words, chars = _new_vectorizers()
    x = _stack(words.fit_transform(word_docs), chars.fit_transform(char_docs), _CONFIG["word_weight"])
    return words, chars, _new_classifier().fit(x, y)


def _dispute_mass(proba: np.ndarray, classes: Sequence[str]) -> np.ndarray:
    columns = [i for i, label in enumerate(classes) if label in DISPUTE_LABELS]
    if not columns:
        return np.zeros(proba.shape[0])
    return np.asarray(proba[:, columns].sum(axis=1))


def _choose_threshold(mass: np.ndarray, argmax_is_dispute: np.ndarray, is_dispute: np.ndarray) -> float:
    """The threshold minimising miss_cost·missed + wrongly_escalated over the grid (middle of ties).

    A message is flagged when its dispute mass reaches the threshold or its top label is a complaint,
    the same rule ``IntentClassifier.predict`` applies.
    """
    low, high = _CONFIG["dispute_threshold_range"]
    grid = np.round(np.arange(low, high + 1e-9, 0.01), 2)
    cost_list: list[float] = []
    for t in grid:
        flagged = (mass >= t) | argmax_is_dispute
        missed = np.count_nonzero(is_dispute & ~flagged)
        wrongly = np.count_nonzero(~is_dispute & flagged)
        cost_list.append(_CONFIG["dispute_miss_cost"] * missed + wrongly)
    costs = np.array(cost_list)
    best = grid[costs == costs.min()]
    return float(best[len(best) // 2])


@dataclass(frozen=True, slots=True)
class _CvResult:
    threshold: float
    macro_f1: float
    dispute_recall: float | None
    dispute_precision: float | None


def _cross_validate(word_docs: list[str], char_docs: list[str], y: list[str]) -> _CvResult | None:
    """Out-of-fold probabilities over the training data only; None when a label has < 2 examples."""
    smallest = min(Counter(y).values())
    folds = min(_CONFIG["cv_folds"], smallest)
    if folds < 2 or len(set(y)) < 2:
        return None
    classes = sorted(set(y))
    y_arr = np.array(y)
    proba = np.zeros((len(y), len(classes)))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=_CONFIG["random_state"])

    def run_fold(train_idx: np.ndarray, test_idx: np.ndarray) -> None:
        words, chars, clf = _fit(
            [word_docs[i] for i in train_idx], [char_docs[i] for i in train_idx], list(y_arr[train_idx])
        )
        x = _stack(
            words.transform([word_docs[i] for i in test_idx]),
            chars.transform([char_docs[i] for i in test_idx]),
            _CONFIG["word_weight"],
        )
        fold_proba = clf.predict_proba(x)
        for j, label in enumerate(clf.classes_):
            proba[test_idx, classes.index(label)] = fold_proba[:, j]

    # The solver releases the GIL: threads use both cores without pickling the data to subprocesses.
    with ThreadPoolExecutor(max_workers=_CV_THREADS) as pool:
        for future in [pool.submit(run_fold, tr, te) for tr, te in splitter.split(np.zeros(len(y)), y_arr)]:
            future.result()
    predicted = np.array(classes)[proba.argmax(axis=1)]
    macro_f1 = float(f1_score(y_arr, predicted, average="macro", zero_division=0))
    truth = np.isin(y_arr, DISPUTE_LABELS)
    if not truth.any():
        return _CvResult(_CONFIG["dispute_threshold_default"], macro_f1, None, None)
    mass = _dispute_mass(proba, classes)
    threshold = _choose_threshold(mass, np.isin(predicted, DISPUTE_LABELS), truth)
    flagged = (mass >= threshold) | np.isin(predicted, DISPUTE_LABELS)
    caught = int(np.count_nonzero(flagged & truth))
    recall = caught / int(np.count_nonzero(truth))
    precision = caught / max(1, int(np.count_nonzero(flagged)))
    return _CvResult(threshold, macro_f1, recall, precision)


class IntentClassifier:
    """Classifies a customer message into one of LABELS, with a dispute decision.

    Build one with :meth:`load` (the saved model, retrained when stale) or :meth:`train`.
    Prediction is synchronous, side-effect free and thread-safe.
    """

    def __init__(
        self,
        *,
        word_vectorizer: TfidfVectorizer,
        char_vectorizer: TfidfVectorizer,
        classifier: LogisticRegression,
        word_weight: float,
        userdict: str,
        info: ModelInfo,
    ) -> None:
        self._words = word_vectorizer
        self._chars = char_vectorizer
        self._clf = classifier
        self._userdict = userdict
        self._tokenizer = tokenizer_for(userdict, _corpus.jieba_cache_dir().resolve())
        self.info = info
        self._word_weight = word_weight
        self._scorer = FastScorer(word_vectorizer, char_vectorizer, classifier, word_weight=word_weight)
        self._columns = np.array([LABELS.index(str(c)) for c in classifier.classes_])
        self._dispute_columns = np.array([LABELS.index(c) for c in DISPUTE_LABELS])

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels this model can predict (those that had training data), in LABELS order."""
        return self.info.labels

    @property
    def dispute_threshold(self) -> float:
        """The dispute-probability threshold chosen by cross-validation on the training split."""
        return self.info.dispute_threshold

    # ----------------------------------------------------------------------------------- training

    @classmethod
    def train(cls, data_dir: str | Path | None = None) -> IntentClassifier:
        """Train on ``<data_dir>/train/*.txt`` with ``<data_dir>/userdict.txt``; nothing is saved.

        Labels without a training file are left out (see ``info.missing_labels``). The dispute threshold
        is chosen by cross-validation on the training split.

        Args:
            data_dir: the corpus directory; default the package's built-in ``intents/data``.

        Raises:
            DataError: a corpus file is misnamed or malformed, or fewer than two labels have data.
        """
        start = time.perf_counter()
        data = Path(data_dir) if data_dir is not None else _corpus.DEFAULT_DATA_DIR
        fingerprint = _corpus.training_fingerprint(data, _fingerprint_extra())
        userdict = _corpus.read_userdict(data)
        examples = _corpus.load_split(data, "train")
        counts = Counter(e.label for e in examples)
        if len(counts) < 2:
            raise DataError(f"need training data for at least two labels, found {sorted(counts) or 'none'}",
                            path=str(data / "train"))
        tokenizer = tokenizer_for(userdict, _corpus.jieba_cache_dir().resolve())
        normalized = [normalize(e.text) for e in examples]
        word_docs = [word_view(n, tokenizer) for n in normalized]
        char_docs = [char_view(n) for n in normalized]
        y = [e.label for e in examples]
        cv = _cross_validate(word_docs, char_docs, y)
        words, chars, clf = _fit(word_docs, char_docs, y)
        info = ModelInfo(
            fingerprint=fingerprint,
            format_version=MODEL_FORMAT_VERSION,
            sklearn_version=sklearn.__version__,
            labels=tuple(label for label in LABELS if label in counts),
            label_counts=MappingProxyType({label: counts[label] for label in LABELS if label in counts}),
            dispute_threshold=cv.threshold if cv else _CONFIG["dispute_threshold_default"],
            trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
            train_seconds=round(time.perf_counter() - start, 3),
            cv_macro_f1=cv.macro_f1 if cv else None,
            cv_dispute_recall=cv.dispute_recall if cv else None,
            cv_dispute_precision=cv.dispute_precision if cv else None,
        )
        return cls(
            word_vectorizer=words,
            char_vectorizer=chars,
            classifier=clf,
            word_weight=_CONFIG["word_weight"],
            userdict=userdict,
            info=info,
        )

    # -------------------------------------------------------------------------------- persistence

    def save(self, path: str | Path) -> None:
        """Save model, user dictionary and metadata to ``path`` (skops), atomically.

        Raises:
            ModelFileError: the file cannot be written.
        """
        info = self.info
        payload: dict[str, Any] = {
            "kind": "kefu.intents",
            "format_version": info.format_version,
            "fingerprint": info.fingerprint,
            "sklearn_version": info.sklearn_version,
            "labels": list(info.labels),
            "label_counts": dict(info.label_counts),
            "dispute_threshold": info.dispute_threshold,
            "trained_at": info.trained_at,
            "train_seconds": info.train_seconds,
            "cv_macro_f1": info.cv_macro_f1,
            "cv_dispute_recall": info.cv_dispute_recall,
            "cv_dispute_precision": info.cv_dispute_precision,
            "userdict": self._userdict,
            "word_weight": self._word_weight,
            "word_vectorizer": self._words,
            "char_vectorizer": self._chars,
            "classifier": self._clf,
        }
        _persist.save_payload(payload, Path(path))

    @classmethod
    def from_file(cls, path: str | Path) -> IntentClassifier:
        """Load a saved model as it is, without checking it against the training data.

        Raises:
            FileNotFoundError: no file at ``path``.
            ModelFileError: the file is damaged, was tampered with, holds types kefu never saves, or is
                from an incompatible model format.
        """
        path = Path(path)
        return cls._from_payload(_persist.load_payload(path), path)

    @classmethod
    def _from_payload(cls, payload: dict[str, Any], path: Path) -> IntentClassifier:
        try:
            if payload.get("kind") != "kefu.intents":
                raise ModelFileError(f"{path} is not a kefu intents model file")
            if payload.get("format_version") != MODEL_FORMAT_VERSION:
                raise ModelFileError(
                    f"{path} has model format {payload.get('format_version')!r}, this kefu reads "
                    f"{MODEL_FORMAT_VERSION}; retrain with `python -m intents train`"
                )
            words, chars, clf = payload["word_vectorizer"], payload["char_vectorizer"], payload["classifier"]
            if not (
                type(words) is TfidfVectorizer and type(chars) is TfidfVectorizer and type(clf) is LogisticRegression
            ):
                raise ModelFileError(f"{path} holds unexpected model objects")
            labels = tuple(str(label) for label in payload["labels"])
            if set(labels) - set(LABELS) or set(map(str, clf.classes_)) != set(labels):
                raise ModelFileError(f"{path} has labels that do not match this kefu's label set")
            info = ModelInfo(
                fingerprint=str(payload["fingerprint"]),
                format_version=int(payload["format_version"]),
                sklearn_version=str(payload["sklearn_version"]),
                labels=labels,
                label_counts=MappingProxyType({str(k): int(v) for k, v in payload["label_counts"].items()}),
                dispute_threshold=float(payload["dispute_threshold"]),
                trained_at=str(payload["trained_at"]),
                train_seconds=float(payload["train_seconds"]),
                cv_macro_f1=_opt_float(payload["cv_macro_f1"]),
                cv_dispute_recall=_opt_float(payload["cv_dispute_recall"]),
                cv_dispute_precision=_opt_float(payload["cv_dispute_precision"]),
            )
            userdict = str(payload["userdict"])
            word_weight = float(payload["word_weight"])
            return cls(
                word_vectorizer=words,
                char_vectorizer=chars,
                classifier=clf,
                word_weight=word_weight,
                userdict=userdict,
                info=info,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelFileError(f"{path} is incomplete or malformed: {type(exc).__name__}: {exc}") from exc

    @classmethod
    def load(
        cls, *, model_dir: str | Path | None = None, data_dir: str | Path | None = None
    ) -> IntentClassifier:
        """Load the saved model; train and save it first when it is missing or stale.

        Stale means the file has an older model format, or its fingerprint (training files, user
        dictionary, model format, scikit-learn version, training configuration) differs from the data's.

        Args:
            model_dir: where ``intents.skops`` lives; default ``$KEFU_VAR_DIR/models`` (``var/models``).
            data_dir: the corpus the model must match; default the built-in ``intents/data``.

        Raises:
            ModelFileError: the saved file was tampered with, holds foreign types or is damaged (it is
                never silently replaced), or the retrained model cannot be written.
            DataError: retraining was needed and the corpus is unusable.
        """
        data = Path(data_dir) if data_dir is not None else _corpus.DEFAULT_DATA_DIR
        path = (Path(model_dir) if model_dir is not None else _corpus.default_model_dir()) / _corpus.MODEL_FILE_NAME
        expected = _corpus.training_fingerprint(data, _fingerprint_extra())
        if path.is_file():
            payload = _persist.load_payload(path)  # refuses foreign types before anything else
            if payload.get("kind") != "kefu.intents":
                raise ModelFileError(f"{path} is not a kefu intents model file")
            if payload.get("format_version") == MODEL_FORMAT_VERSION and payload.get("fingerprint") == expected:
                return cls._from_payload(payload, path)
            logger.info("intent model %s is stale (training data or code changed); retraining", path)
        else:
            logger.info("no intent model at %s; training one", path)
        model = cls.train(data)
        model.save(path)
        logger.info("intent model trained in %.1f s and saved to %s", model.info.train_seconds, path)
        return model

    # --------------------------------------------------------------------------------- prediction

    def predict(self, text: str) -> Prediction:
        """Classify one message. An empty or blank message is ``other`` with confidence 1.0.

        Never fails for any ``str``.
        """
        return self.predict_many((text,))[0]

    def predict_many(self, texts: Iterable[str]) -> list[Prediction]:
        """Classify several messages; results are in input order. Never fails for ``str`` items."""
        results: list[Prediction] = []
        for text in texts:
            normalized = normalize(text)
            if not normalized:
                results.append(_EMPTY_PREDICTION)
                continue
            row = np.zeros(len(LABELS))
            row[self._columns] = self._scorer.proba(word_view(normalized, self._tokenizer), char_view(normalized))
            results.append(self._prediction(row))
        return results

    def evaluate(self, examples: Iterable[tuple[str, str]]) -> EvalReport:
        """Score the model on ``(text, true label)`` pairs.

        Raises:
            DataError: a label is not in LABELS, or there are no examples.
        """
        pairs = list(examples)
        unknown = sorted({label for _, label in pairs} - set(LABELS))
        if unknown:
            raise DataError(f"unknown label(s): {', '.join(unknown)}")
        if not pairs:
            raise DataError("nothing to evaluate: no examples")
        texts = [text for text, _ in pairs]
        predictions = self.predict_many(texts)
        return score(
            texts,
            [label for _, label in pairs],
            [p.intent for p in predictions],
            [p.is_dispute for p in predictions],
        )

    def _sklearn_proba(self, texts: Sequence[str]) -> np.ndarray:
        """The same probabilities through scikit-learn's own transform/predict_proba (for tests)."""
        normalized = [normalize(t) for t in texts]
        x = _stack(
            self._words.transform([word_view(n, self._tokenizer) for n in normalized]),
            self._chars.transform([char_view(n) for n in normalized]),
            self._word_weight,
        )
        proba = np.zeros((len(normalized), len(LABELS)))
        proba[:, self._columns] = self._clf.predict_proba(x)
        return proba

    def _prediction(self, row: np.ndarray) -> Prediction:
        best = int(row.argmax())
        intent = LABELS[best]
        dispute_row = row[self._dispute_columns]
        mass = float(dispute_row.sum())
        is_dispute = mass >= self.info.dispute_threshold or intent in DISPUTE_LABELS
        return Prediction(
            intent=intent,
            confidence=float(row[best]),
            probabilities=MappingProxyType(dict(zip(LABELS, row.tolist(), strict=True))),
            dispute_probability=mass,
            is_dispute=is_dispute,
            dispute_label=DISPUTE_LABELS[int(dispute_row.argmax())] if is_dispute else None,
        )


def load_corpus(split: str, data_dir: str | Path | None = None) -> list[tuple[str, str]]:
    """The ``(text, label)`` pairs of a corpus split ("train" or "test"), in LABELS order.

    Args:
        split: "train" or "test".
        data_dir: the corpus directory; default the built-in ``intents/data``.

    Raises:
        ValueError: ``split`` is neither "train" nor "test".
        DataError: a file is misnamed or not UTF-8.
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    data = Path(data_dir) if data_dir is not None else _corpus.DEFAULT_DATA_DIR
    return [(e.text, e.label) for e in _corpus.load_split(data, split)]


def _opt_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


_EMPTY_PREDICTION = Prediction(
    intent=EMPTY_LABEL,
    confidence=1.0,
    probabilities=MappingProxyType({label: float(label == EMPTY_LABEL) for label in LABELS}),
    dispute_probability=0.0,
    is_dispute=False,
    dispute_label=None,
)
