"""kefu's intent classifier: which of the labels in docs/INTENTS.md a customer message is, and is it a dispute.

Plain synchronous Python; imports no aiohttp, telegram or SQLAlchemy. Training uses scikit-learn;
a loaded model predicts with jieba and numpy alone (scikit-learn and scipy are never imported).

    >>> from intents import IntentClassifier
    >>> clf = IntentClassifier.load()   # trains and saves var/models/intents.npz when missing/stale
    >>> clf.predict("在吗？").intent
    'greet'
    >>> clf.predict("质量太差了", Context(order="delivered")).is_dispute   # read in its conversation
    True
"""

from intents._context import ORDER_STATES, Context
from intents._errors import DataError, IntentsError, ModelFileError
from intents._evaluate import Confusion, EvalReport, LabelScore
from intents._labels import DISPUTE_LABELS, LABELS
from intents._model import IntentClassifier, ModelInfo, Part, Prediction, load_corpus
from intents._normalize import normalize, to_simplified

__all__ = [
    "DISPUTE_LABELS",
    "LABELS",
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
    "to_simplified",
]
