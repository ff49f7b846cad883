"""Quality gate on the held-out test split (runs once every label has train and test data)."""

from __future__ import annotations

from pathlib import Path

import pytest

import intents
from intents import LABELS, IntentClassifier, load_corpus

DATA = Path(intents.__file__).resolve().parent / "data"


def _labels_without_data() -> list[str]:
    return [
        f"{split}/{label}"
        for split in ("train", "test")
        for label in LABELS
        if not (DATA / split / f"{label}.txt").is_file()
        or not any(
            line.strip() and not line.startswith("#")
            for line in (DATA / split / f"{label}.txt").read_text("utf-8").splitlines()
        )
    ]


def test_quality_gate_on_builtin_test_split(classifier: IntentClassifier) -> None:
    missing = _labels_without_data()
    if missing:
        pytest.skip(f"corpus incomplete, no data yet for: {', '.join(missing)}")
    report = classifier.evaluate(load_corpus("test"))
    summary = f"\n{report.format(dispute_threshold=classifier.dispute_threshold)}"
    assert report.macro_f1 >= 0.90, summary
    assert report.dispute_recall is not None and report.dispute_recall >= 0.95, summary
