"""Quality gates on the held-out split (written with the corpus) and the independent split (written from
personas by people who never saw the corpus). The independent figure is the one nearer real shoppers; both
are upper bounds of what real messages score."""

from __future__ import annotations

from pathlib import Path

import intents
from intents import IntentClassifier, load_corpus
from intents._corpus import load_independent

DATA = Path(intents.__file__).resolve().parent / "data"


def test_quality_gate_on_the_held_out_split(classifier: IntentClassifier) -> None:
    report = classifier.evaluate(load_corpus("test"))
    summary = f"\n{report.format(dispute_threshold=classifier.dispute_threshold)}"
    assert report.examples >= 1000
    assert report.macro_f1 >= 0.90, summary
    assert report.dispute_recall is not None and report.dispute_recall >= 0.97, summary


def test_quality_gate_on_the_independent_split(classifier: IntentClassifier) -> None:
    examples = load_independent(DATA)
    report = classifier.evaluate((e.text, e.label) for e in examples)
    summary = f"\n{report.format(dispute_threshold=classifier.dispute_threshold)}"
    assert report.examples >= 1500
    assert report.accuracy >= 0.88 and report.macro_f1 >= 0.88, summary
    assert report.dispute_recall is not None and report.dispute_recall >= 0.97, summary
    assert report.dispute_precision is not None and report.dispute_precision >= 0.75, summary
