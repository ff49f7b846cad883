"""The intent classifier: training, prediction, persistence."""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import jieba
import numpy as np

from intents import _corpus, _persist
from intents._context import Context, continued_complaint
from intents._errors import DataError, ModelFileError
from intents._evaluate import EvalReport, score
from intents._labels import DISPUTE_LABELS, EMPTY_LABEL, LABELS
from intents._lexicon import EMPTY as EMPTY_LEXICON
from intents._lexicon import Lexicon, class_view
from intents._normalize import normalize
from intents._parts import split_parts
from intents._scorer import LeanScorer, LinearModel
from intents._tokenize import SegmentationDictionary, char_view, compact_dictionary, tokenizer_for, word_view

if TYPE_CHECKING:
    from intents._train import Docs, Pipeline

logger = logging.getLogger("intents")

#: Bump when features, model or file layout change: old files are then retrained on load.
MODEL_FORMAT_VERSION = 4

#: The model file's "kind" marker.
_KIND = "kefu.intents"

# Everything that decides the model besides the data; part of the fingerprint.
_CONFIG: dict[str, Any] = {
    # Measured by 5-fold cross-validation on the training split: character 3-grams (with or without
    # min_df, at full or reduced weight) and word bigrams each cost up to 1-2 points of macro-F1 and
    # raised log-loss, so the model uses word unigrams plus character 1-2-grams; the word block
    # weighted 0.5 against the character block gained about a point.
    "word_ngrams": (1, 1),
    "char_ngrams": (1, 2),
    "word_weight": 0.5,
    # The lexicon's word classes (and ordered pairs of them: fault then return), a third block.
    "class_weight": 0.25,
    "class_ngrams": (1, 2),
    "token_pattern": r"\S+",
    "lowercase": False,  # normalize() already lower-cases Latin text; placeholders stay upper-case
    # Segmentation: the N most frequent words of jieba's dict.txt plus the user dictionary, carried in
    # the model file. Measured on one corpus snapshot (3570 train / 685 test messages), N = full 349k /
    # 100k / 50k / 20k / 0: CV macro-F1 .871 / .872 / .872 / .872 / .868, test macro-F1 .909 / .911 /
    # .910 / .911 / .915, test dispute recall .943 / .950 / .957 / .957 / .950 — flat — while the
    # serving process grows by 72 / 26 / 18 / 11 / 8 MB for the whole model. 50k keeps 95% of the
    # full dictionary's tokens on the corpus (20k: 93%, none: 79%) for 7 MB more than 20k.
    "segmentation_words": 50_000,
    # LogisticRegression (saga) matched LinearSVC + CalibratedClassifierCV (sigmoid or temperature) on
    # cross-validated macro-F1 with better-calibrated probabilities (log-loss ~0.55 vs 0.65-0.72).
    "C": 300.0,
    "solver": "saga",
    # tol 2e-3 rather than 1e-3: training 13 s instead of 17 s on 11,600 lines, 0.2 points of accuracy given up.
    "tol": 2e-3,
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

# The model file's arrays besides the metadata, with the dtype each must have.
_ARRAYS: dict[str, np.dtype[Any]] = {
    "word_terms": np.dtype(np.uint8),
    "word_idf": np.dtype(np.float64),
    "char_terms": np.dtype(np.uint8),
    "char_idf": np.dtype(np.float64),
    "class_terms": np.dtype(np.uint8),
    "class_idf": np.dtype(np.float64),
    "weights": np.dtype(np.float64),
    "intercept": np.dtype(np.float64),
    "segmentation_words": np.dtype(np.uint8),
    "segmentation_freqs": np.dtype(np.int64),
}


def _fingerprint_extra() -> list[str]:
    # jieba's version: its HMM and segmentation code run at serve time, and dict.txt comes from it.
    # Not scikit-learn's: the saved arrays do not depend on it at serve time.
    return [f"format={MODEL_FORMAT_VERSION}", f"jieba={jieba.__version__}", repr(sorted(_CONFIG.items()))]


@dataclass(frozen=True, slots=True)
class Part:
    """One request inside a longer message (see :attr:`Prediction.parts`).

    Attributes:
        text: the clause, normalised.
        intent / confidence: its most probable label and that label's probability.
        dispute_probability: its four complaint_* probabilities summed.
    """

    text: str
    intent: str
    confidence: float
    dispute_probability: float
    base: Mapping[str, float] = field(repr=False, compare=False)  # the clause alone, without context


@dataclass(frozen=True, slots=True)
class Prediction:
    """What the classifier makes of one message.

    Attributes:
        intent: the label of the message — the whole message's most probable label in its context; in a
            context where it follows a complaint ("能换吗" after "拉链坏了") that complaint's label.
        confidence: its calibrated probability, 0–1.
        probabilities: every label in LABELS → the whole message's probability, in its context when one
            was given (0.0 for labels the model has no data for).
        dispute_probability: the four complaint_* labels' probabilities summed.
        is_dispute: the dispute decision — ``dispute_probability`` of the whole reached the model's dispute
            threshold (chosen to weigh a missed dispute above a needless escalation), or ``intent`` itself
            is a complaint.
        dispute_label: the most probable complaint_* label when ``is_dispute``, else None.
        parts: the requests of a message that holds more than one clause, in order (empty otherwise, and
            until asked for: ``predict(..., parts=True)`` or :meth:`IntentClassifier.with_parts`).
        context: the conversation context the reading used (None: the message alone).
    """

    intent: str
    confidence: float
    probabilities: Mapping[str, float] = field(repr=False)
    dispute_probability: float
    is_dispute: bool
    dispute_label: str | None
    parts: tuple[Part, ...] = ()
    context: Context | None = None
    base: Mapping[str, float] = field(default_factory=dict, repr=False, compare=False)
    normalized: str = field(default="", repr=False, compare=False)

    @property
    def also(self) -> tuple[Part, ...]:
        """The parts asking for something other than ``intent`` (each label once, in order), for an answer
        to every request in a message: confident readings only, greetings and thanks left out."""
        seen = {self.intent}
        found: list[Part] = []
        for part in self.parts:
            if part.intent in seen or part.intent in _NOT_REQUESTS or part.confidence < PART_CONFIDENCE:
                continue
            seen.add(part.intent)
            found.append(part)
        return tuple(found)


#: A part's reading counts as a request of its own from this confidence. (A clause read alone is often
#: read wrong — "收到了" alone looks like the start of a complaint — so parts never change the message's
#: own label: measured on the held-out and independent splits, letting a confident part override the whole
#: message's reading turned 57 right answers wrong for 1 put right.)
PART_CONFIDENCE = 0.8
_NOT_REQUESTS = frozenset({"greet", "thanks_bye", "other", "affirm", "deny"})


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


class IntentClassifier:
    """Classifies a customer message into one of LABELS, with a dispute decision.

    Build one with :meth:`load` (the saved model, retrained when stale) or :meth:`train`.
    Prediction is synchronous, side-effect free and thread-safe, and needs neither scikit-learn nor
    scipy: only training imports them.
    """

    def __init__(
        self,
        *,
        model: LinearModel,
        dictionary: SegmentationDictionary,
        userdict: str,
        info: ModelInfo,
        tokenizer: jieba.Tokenizer | None = None,
        lexicon: str = "",
    ) -> None:
        unknown = sorted(set(model.classes) - set(LABELS))
        if unknown:
            raise ValueError(f"labels not in this kefu's label set: {', '.join(unknown)}")
        self._model = model
        self._dictionary = dictionary
        self._userdict = userdict
        self._lexicon_text = lexicon
        self._lexicon = Lexicon.parse(lexicon) if lexicon else EMPTY_LEXICON
        self._tokenizer = tokenizer if tokenizer is not None else tokenizer_for(dictionary)
        self.info = info
        self._scorer = LeanScorer(model)
        self._columns = np.array([LABELS.index(c) for c in model.classes])
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
        is chosen by cross-validation on the training split. Imports scikit-learn.

        Args:
            data_dir: the corpus directory; default the package's built-in ``intents/data``.

        Raises:
            DataError: a corpus file is misnamed or malformed, or fewer than two labels have data.
        """
        return cls._train(data_dir)[0]

    @classmethod
    def _train(cls, data_dir: str | Path | None = None) -> tuple[IntentClassifier, Pipeline]:
        """:meth:`train`, also returning the fitted scikit-learn objects (the tests compare with them)."""
        from intents import _train  # scikit-learn and scipy: training only

        start = time.perf_counter()
        data = Path(data_dir) if data_dir is not None else _corpus.DEFAULT_DATA_DIR
        fingerprint = _corpus.training_fingerprint(data, _fingerprint_extra())
        userdict = _corpus.read_userdict(data)
        lexicon_text = _corpus.read_lexicon(data)
        lexicon = Lexicon.parse(lexicon_text, path=str(data / _corpus.LEXICON_NAME)) if lexicon_text else EMPTY_LEXICON
        examples = _corpus.load_split(data, "train")
        counts = Counter(e.label for e in examples)
        if len(counts) < 2:
            raise DataError(f"need training data for at least two labels, found {sorted(counts) or 'none'}",
                            path=str(data / "train"))
        dictionary = compact_dictionary(_CONFIG["segmentation_words"], userdict)
        tokenizer = tokenizer_for(dictionary)
        docs = views([e.text for e in examples], tokenizer, lexicon)
        y = [e.label for e in examples]
        vocabulary = _train.class_vocabulary(lexicon.classes, _CONFIG)
        cv = _train.cross_validate(docs, y, _CONFIG, vocabulary)
        pipeline = _train.fit(docs, y, _CONFIG, vocabulary)
        info = ModelInfo(
            fingerprint=fingerprint,
            format_version=MODEL_FORMAT_VERSION,
            sklearn_version=_train.SKLEARN_VERSION,
            labels=tuple(label for label in LABELS if label in counts),
            label_counts=MappingProxyType({label: counts[label] for label in LABELS if label in counts}),
            dispute_threshold=cv.threshold if cv else _CONFIG["dispute_threshold_default"],
            trained_at=datetime.now(UTC).isoformat(timespec="seconds"),
            train_seconds=round(time.perf_counter() - start, 3),
            cv_macro_f1=cv.macro_f1 if cv else None,
            cv_dispute_recall=cv.dispute_recall if cv else None,
            cv_dispute_precision=cv.dispute_precision if cv else None,
        )
        model = cls(
            model=pipeline.linear_model(_CONFIG),
            dictionary=dictionary,
            userdict=userdict,
            info=info,
            tokenizer=tokenizer,
            lexicon=lexicon_text,
        )
        return model, pipeline

    # -------------------------------------------------------------------------------- persistence

    def save(self, path: str | Path) -> None:
        """Save the model to ``path`` atomically, as an ``.npz`` of plain arrays plus JSON metadata.

        The file carries everything serving needs: vocabularies, idf vectors, weights, intercepts,
        the analyzer settings, the segmentation dictionary and the user dictionary text.

        Raises:
            ModelFileError: the file cannot be written.
        """
        info, model, dictionary = self.info, self._model, self._dictionary
        meta: dict[str, Any] = {
            "kind": _KIND,
            "format_version": info.format_version,
            "fingerprint": info.fingerprint,
            "sklearn_version": info.sklearn_version,
            "jieba_version": jieba.__version__,
            "classes": list(model.classes),
            "label_counts": dict(info.label_counts),
            "dispute_threshold": info.dispute_threshold,
            "trained_at": info.trained_at,
            "train_seconds": info.train_seconds,
            "cv_macro_f1": info.cv_macro_f1,
            "cv_dispute_recall": info.cv_dispute_recall,
            "cv_dispute_precision": info.cv_dispute_precision,
            "userdict": self._userdict,
            "lexicon": self._lexicon_text,
            "segmentation_total": dictionary.total,
            "config": {
                "word_weight": model.word_weight,
                "class_weight": model.class_weight,
                "class_ngrams": list(model.class_ngrams),
                "word_ngrams": list(model.word_ngrams),
                "char_ngrams": list(model.char_ngrams),
                "lowercase": model.lowercase,
                "token_pattern": model.token_pattern,
            },
        }
        arrays = {
            "word_terms": _persist.encode_strings(model.word_terms),
            "word_idf": model.word_idf,
            "char_terms": _persist.encode_strings(model.char_terms),
            "char_idf": model.char_idf,
            "class_terms": _persist.encode_strings(model.class_terms),
            "class_idf": model.class_idf,
            "weights": model.weights,
            "intercept": model.intercept,
            "segmentation_words": _persist.encode_strings(dictionary.words),
            "segmentation_freqs": np.asarray(dictionary.freqs, dtype=np.int64),
        }
        _persist.save_arrays(meta, arrays, Path(path))

    @classmethod
    def from_file(cls, path: str | Path) -> IntentClassifier:
        """Load a saved model as it is, without checking it against the training data.

        The file is read with ``np.load(allow_pickle=False)``: it can only hold arrays of numbers and
        text, so loading never runs code, and neither scikit-learn nor scipy is imported.

        Raises:
            FileNotFoundError: no file at ``path``.
            ModelFileError: the file is damaged, was tampered with (pickled objects, arrays kefu never
                saves, inconsistent shapes), is not a kefu model, or is from an incompatible model format.
        """
        path = Path(path)
        meta, arrays = _persist.load_arrays(path)
        return cls._from_contents(meta, arrays, path)

    @classmethod
    def _from_contents(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray], path: Path) -> IntentClassifier:
        if meta.get("kind") != _KIND:
            raise ModelFileError(f"{path} is not a kefu intents model file")
        if meta.get("format_version") != MODEL_FORMAT_VERSION:
            raise ModelFileError(
                f"{path} has model format {meta.get('format_version')!r}, this kefu reads "
                f"{MODEL_FORMAT_VERSION}; retrain with `python -m intents train`"
            )
        if set(arrays) != set(_ARRAYS):
            odd = sorted(set(arrays) ^ set(_ARRAYS))
            raise ModelFileError(f"refusing {path}: its arrays are not those kefu saves ({', '.join(odd)})")
        wrong = sorted(name for name, dtype in _ARRAYS.items() if arrays[name].dtype != dtype)
        if wrong:
            raise ModelFileError(f"refusing {path}: arrays of an unexpected type ({', '.join(wrong)})")
        try:
            config = meta["config"]
            classes = tuple(_str(c) for c in meta["classes"])
            model = LinearModel(
                word_terms=_persist.decode_strings(arrays["word_terms"]),
                word_idf=arrays["word_idf"],
                char_terms=_persist.decode_strings(arrays["char_terms"]),
                char_idf=arrays["char_idf"],
                class_terms=_persist.decode_strings(arrays["class_terms"]),
                class_idf=arrays["class_idf"],
                class_weight=float(config["class_weight"]),
                class_ngrams=_ngram_range(config["class_ngrams"]),
                weights=arrays["weights"],
                intercept=arrays["intercept"],
                classes=classes,
                word_weight=float(config["word_weight"]),
                word_ngrams=_ngram_range(config["word_ngrams"]),
                char_ngrams=_ngram_range(config["char_ngrams"]),
                lowercase=_bool(config["lowercase"]),
                token_pattern=_str(config["token_pattern"]),
            )
            freqs = arrays["segmentation_freqs"]
            if freqs.ndim != 1:
                raise ValueError("segmentation frequencies are not a vector")
            dictionary = SegmentationDictionary(
                words=_persist.decode_strings(arrays["segmentation_words"]),
                freqs=tuple(freqs.tolist()),
                total=int(meta["segmentation_total"]),
            )
            info = ModelInfo(
                fingerprint=_str(meta["fingerprint"]),
                format_version=int(meta["format_version"]),
                sklearn_version=_str(meta["sklearn_version"]),
                labels=tuple(label for label in LABELS if label in classes),
                label_counts=MappingProxyType(
                    {label: int(meta["label_counts"][label]) for label in LABELS if label in classes}
                ),
                dispute_threshold=float(meta["dispute_threshold"]),
                trained_at=_str(meta["trained_at"]),
                train_seconds=float(meta["train_seconds"]),
                cv_macro_f1=_opt_float(meta["cv_macro_f1"]),
                cv_dispute_recall=_opt_float(meta["cv_dispute_recall"]),
                cv_dispute_precision=_opt_float(meta["cv_dispute_precision"]),
            )
            if not 0.0 <= info.dispute_threshold <= 1.0:
                raise ValueError(f"dispute threshold {info.dispute_threshold} is not a probability")
            return cls(model=model, dictionary=dictionary, userdict=_str(meta["userdict"]), info=info,
                       lexicon=_str(meta["lexicon"]))
        except (KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
            raise ModelFileError(f"{path} is incomplete or malformed: {type(exc).__name__}: {exc}") from exc

    @classmethod
    def load(
        cls, *, model_dir: str | Path | None = None, data_dir: str | Path | None = None
    ) -> IntentClassifier:
        """Load the saved model; train and save it first when it is missing or stale.

        Stale means the file has another model format, or its fingerprint (training files, user
        dictionary, model format, jieba version, training configuration) differs from the data's.
        Loading a fresh file imports neither scikit-learn nor scipy; retraining does.

        Args:
            model_dir: where ``intents.npz`` lives; default ``$KEFU_VAR_DIR/models`` (``var/models``).
            data_dir: the corpus the model must match; default the built-in ``intents/data``.

        Raises:
            ModelFileError: the saved file was tampered with or is damaged (it is never silently
                replaced), or the retrained model cannot be written.
            DataError: retraining was needed and the corpus is unusable.
        """
        data = Path(data_dir) if data_dir is not None else _corpus.DEFAULT_DATA_DIR
        path = (Path(model_dir) if model_dir is not None else _corpus.default_model_dir()) / _corpus.MODEL_FILE_NAME
        expected = _corpus.training_fingerprint(data, _fingerprint_extra())
        if path.is_file():
            meta, arrays = _persist.load_arrays(path)  # refuses a damaged or pickled file before anything else
            if meta.get("kind") != _KIND:
                raise ModelFileError(f"{path} is not a kefu intents model file")
            if meta.get("format_version") == MODEL_FORMAT_VERSION and meta.get("fingerprint") == expected:
                return cls._from_contents(meta, arrays, path)
            logger.info("intent model %s is stale (training data or code changed); retraining", path)
        else:
            logger.info("no intent model at %s; training one", path)
        model = cls.train(data)
        model.save(path)
        logger.info("intent model trained in %.1f s and saved to %s", model.info.train_seconds, path)
        return model

    # --------------------------------------------------------------------------------- prediction

    def predict(self, text: str, context: Context | None = None, *, parts: bool = False) -> Prediction:
        """Classify one message, in its conversation's ``context`` when given. An empty or blank message is
        ``other`` with confidence 1.0.

        Args:
            parts: also read each clause of a message that has several (:attr:`Prediction.parts`); they never
                change the message's own reading, and cost a scoring per clause, so they are read on request
                (or later, with :meth:`with_parts`).

        Never fails for any ``str``.
        """
        return self.predict_many((text,), context, parts=parts)[0]

    def predict_many(
        self, texts: Iterable[str], context: Context | None = None, *, parts: bool = False
    ) -> list[Prediction]:
        """Classify several messages (all in the same ``context``); results are in input order.

        Never fails for ``str`` items.
        """
        results: list[Prediction] = []
        for text in texts:
            normalized = normalize(text)
            if not normalized:
                results.append(_EMPTY_PREDICTION)
                continue
            prediction = self._prediction(self._row(normalized), (), context, normalized)
            results.append(self.with_parts(prediction) if parts else prediction)
        return results

    def with_parts(self, prediction: Prediction) -> Prediction:
        """The prediction with its :attr:`~Prediction.parts` read (in its context), when the message has several
        clauses; the message's own reading is unchanged."""
        if prediction.parts or not prediction.normalized:
            return prediction
        clauses = split_parts(prediction.normalized)
        if len(clauses) < 2:
            return prediction
        parts = tuple(self._part(c, self._row(c), prediction.context) for c in clauses)
        return replace(prediction, parts=parts)

    def in_context(self, prediction: Prediction, context: Context | None) -> Prediction:
        """The same message read again in a conversation's ``context`` (cheap: no features are recomputed)."""
        if not prediction.base or (context is None and prediction.context is None):
            return prediction  # an empty message, or nothing to change
        parts = tuple(self._part(p.text, _array(p.base), context) for p in prediction.parts)
        return self._prediction(_array(prediction.base), parts, context, prediction.normalized)

    def _row(self, normalized: str) -> np.ndarray:
        row = np.zeros(len(LABELS))
        row[self._columns] = self._scorer.proba(
            word_view(normalized, self._tokenizer), char_view(normalized), class_view(normalized, self._lexicon)
        )
        return row

    def _part(self, text: str, base: np.ndarray, context: Context | None) -> Part:
        row = _with_context(base, context, self._columns) if context is not None else base
        best = int(row.argmax())
        return Part(text, LABELS[best], float(row[best]), float(row[self._dispute_columns].sum()), _mapping(base))

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

    def _prediction(
        self, base: np.ndarray, parts: tuple[Part, ...], context: Context | None, normalized: str
    ) -> Prediction:
        row = _with_context(base, context, self._columns) if context is not None else base
        best = int(row.argmax())
        intent, confidence = LABELS[best], float(row[best])
        dispute_row = row[self._dispute_columns]
        mass = float(dispute_row.sum())
        is_dispute = mass >= self.info.dispute_threshold or intent in DISPUTE_LABELS
        dispute_label = DISPUTE_LABELS[int(dispute_row.argmax())] if is_dispute else None
        follows = continued_complaint(context, intent) if intent not in DISPUTE_LABELS else None
        if follows is not None:  # "能换吗" right after "拉链坏了": the same complaint
            intent, is_dispute, dispute_label = follows, True, follows
        return Prediction(
            intent=intent,
            confidence=confidence,
            probabilities=_mapping(row),
            dispute_probability=mass,
            is_dispute=is_dispute,
            dispute_label=dispute_label,
            parts=parts,
            context=context,
            base=_mapping(base),
            normalized=normalized,
        )


def _mapping(row: np.ndarray) -> Mapping[str, float]:
    return MappingProxyType(dict(zip(LABELS, row.tolist(), strict=True)))


def _array(probabilities: Mapping[str, float]) -> np.ndarray:
    return np.array([probabilities[label] for label in LABELS])


def _with_context(row: np.ndarray, context: Context, columns: np.ndarray) -> np.ndarray:
    """The probabilities ``row`` shifted by the context's log-odds, over the labels the model knows."""
    bonuses = context.bonuses()
    if not bonuses:
        return row
    logits = np.full(len(LABELS), -np.inf)
    logits[columns] = np.log(np.maximum(row[columns], 1e-12))
    for label, value in bonuses.items():
        index = LABELS.index(label)
        if np.isfinite(logits[index]):
            logits[index] += value
    shifted = np.exp(logits - logits[columns].max())
    probabilities: np.ndarray = shifted / shifted.sum()
    return probabilities


def views(texts: Iterable[str], tokenizer: jieba.Tokenizer, lexicon: Lexicon) -> Docs:
    """The three views training reads of each message (words, characters, lexicon classes)."""
    from intents._train import Docs

    normalized = [normalize(t) for t in texts]
    return Docs(
        [word_view(n, tokenizer) for n in normalized],
        [char_view(n) for n in normalized],
        [class_view(n, lexicon) for n in normalized],
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


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, found {type(value).__name__}")
    return value


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, found {type(value).__name__}")
    return value


def _ngram_range(value: object) -> tuple[int, int]:
    if not (isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)):
        raise TypeError(f"expected an n-gram range [min, max], found {value!r}")
    return (value[0], value[1])
