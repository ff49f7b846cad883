"""kefu's intent classifier: which of the INTENTS.md labels a customer message is, and is it a dispute.

Plain synchronous Python; imports no aiohttp, telegram or SQLAlchemy. Training uses scikit-learn;
a loaded model predicts with jieba and numpy alone (scikit-learn and scipy are never imported).

    >>> from intents import IntentClassifier
    >>> clf = IntentClassifier.load()   # trains and saves var/models/intents.npz when missing/stale
    >>> clf.predict("在吗？").intent
    'greet'
"""

from intents._context import NO_CONTEXT, ORDER_STATES, Context
from intents._errors import DataError, IntentsError, ModelFileError
from intents._evaluate import Confusion, EvalReport, LabelScore
from intents._labels import DISPUTE_LABELS, LABELS
from intents._model import IntentClassifier, ModelInfo, Part, Prediction, load_corpus
from intents._normalize import normalize

__all__ = [
    "DISPUTE_LABELS",
    "LABELS",
    "NO_CONTEXT",
    "ORDER_STATES",
    "Confusion",
    "Context",
    "DataError",
    "EvalReport",
    "IntentClassifier",
    "IntentsError",
    "LabelScore",
    "ModelFileError",
    "ModelInfo",
    "Part",
    "Prediction",
    "load_corpus",
    "normalize",
]
