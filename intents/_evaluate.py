"""Scoring a classifier on labelled messages: the figures ``python -m intents eval`` prints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from intents._labels import DISPUTE_LABELS, LABELS


@dataclass(frozen=True, slots=True)
class LabelScore:
    """Precision, recall and F1 of one label; ``support`` is how many examples truly have it."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class Confusion:
    """``count`` examples of ``true`` predicted as ``predicted``; ``example`` is the first of them."""

    true: str
    predicted: str
    count: int
    example: str


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Evaluation figures.

    Attributes:
        examples: how many examples were scored.
        accuracy: share predicted exactly right.
        macro_f1: mean F1 over the labels that occur as truth or prediction.
        per_label: label → scores, in LABELS order, for those labels.
        dispute_recall: of the examples whose true label is complaint_*, the share flagged
            ``is_dispute`` (None when there are none).
        dispute_precision: of the examples flagged ``is_dispute``, the share truly complaint_*
            (None when nothing was flagged).
        disputes: how many examples are truly complaint_*.
        flagged: how many were flagged ``is_dispute``.
        confusions: the most frequent wrong (true, predicted) pairs, most frequent first.
    """

    examples: int
    accuracy: float
    macro_f1: float
    per_label: Mapping[str, LabelScore]
    dispute_recall: float | None
    dispute_precision: float | None
    disputes: int
    flagged: int
    confusions: tuple[Confusion, ...]

    def format(self, *, dispute_threshold: float | None = None) -> str:
        """The report as the aligned text table ``python -m intents eval`` prints."""
        lines = [
            f"examples {self.examples}   accuracy {self.accuracy:.4f}   macro-F1 {self.macro_f1:.4f}",
            "",
            f"{'label':<22}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}",
        ]
        for label, s in self.per_label.items():
            lines.append(f"{label:<22}{s.precision:>10.4f}{s.recall:>10.4f}{s.f1:>10.4f}{s.support:>9}")
        recall = "n/a" if self.dispute_recall is None else f"{self.dispute_recall:.4f}"
        precision = "n/a" if self.dispute_precision is None else f"{self.dispute_precision:.4f}"
        threshold = "" if dispute_threshold is None else f", threshold {dispute_threshold:.2f}"
        lines += [
            "",
            f"dispute group (complaint_*): recall {recall}   precision {precision}"
            f"   ({self.disputes} disputes, {self.flagged} flagged{threshold})",
            "",
        ]
        if not self.confusions:
            lines.append("no confusions")
        else:
            lines.append("worst confusions (true → predicted):")
            width = max(len(f"{c.true} → {c.predicted}") for c in self.confusions)
            for c in self.confusions:
                pair = f"{c.true} → {c.predicted}"
                lines.append(f"  {c.count:>4}  {pair:<{width}}  e.g. {c.example}")
        return "\n".join(lines)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def score(
    texts: Sequence[str],
    truth: Sequence[str],
    predicted: Sequence[str],
    flagged: Sequence[bool],
    *,
    top_confusions: int = 10,
) -> EvalReport:
    """Compute an EvalReport from true labels, predicted labels and dispute flags (same order).

    Raises:
        ValueError: the sequences differ in length or are empty.
    """
    n = len(texts)
    if n == 0 or not (len(truth) == len(predicted) == len(flagged) == n):
        raise ValueError("score() needs equally long, non-empty sequences")
    true_count = Counter(truth)
    predicted_count = Counter(predicted)
    hits = Counter(t for t, p in zip(truth, predicted, strict=True) if t == p)
    per_label: dict[str, LabelScore] = {}
    for label in LABELS:
        if label not in true_count and label not in predicted_count:
            continue
        precision = _ratio(hits[label], predicted_count[label])
        recall = _ratio(hits[label], true_count[label])
        f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
        per_label[label] = LabelScore(precision, recall, f1, true_count[label])
    is_dispute = [t in DISPUTE_LABELS for t in truth]
    disputes = sum(is_dispute)
    n_flagged = sum(flagged)
    caught = sum(d and f for d, f in zip(is_dispute, flagged, strict=True))
    wrong: Counter[tuple[str, str]] = Counter()
    example: dict[tuple[str, str], str] = {}
    for text, t, p in zip(texts, truth, predicted, strict=True):
        if t != p:
            wrong[(t, p)] += 1
            example.setdefault((t, p), text)
    return EvalReport(
        examples=n,
        accuracy=sum(hits.values()) / n,
        macro_f1=sum(s.f1 for s in per_label.values()) / len(per_label),
        per_label=MappingProxyType(per_label),
        dispute_recall=caught / disputes if disputes else None,
        dispute_precision=caught / n_flagged if n_flagged else None,
        disputes=disputes,
        flagged=n_flagged,
        confusions=tuple(
            Confusion(t, p, count, example[(t, p)]) for (t, p), count in wrong.most_common(top_confusions)
        ),
    )


def format_side_by_side(reports: Sequence[tuple[str, EvalReport]], *, dispute_threshold: float | None = None) -> str:
    """Several reports as one table, a column group per report (e.g. the held-out and the independent split),
    then each report's worst confusions. The gap in macro-F1 between the first and each other is stated."""
    names = [name for name, _ in reports]
    width = 30
    head = "".join(f"{name[:width - 2]:>{width}}" for name in names)
    sub = "".join(f"{'precision':>10}{'recall':>8}{'f1':>6}{'n':>6}" for _ in names)
    lines = [f"{'':<22}{head}", f"{'label':<22}{sub}"]
    for label in LABELS:
        cells = []
        present = False
        for _, report in reports:
            s = report.per_label.get(label)
            if s is None:
                cells.append(f"{'-':>10}{'-':>8}{'-':>6}{0:>6}")
            else:
                present = True
                cells.append(f"{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>6.2f}{s.support:>6}")
        if present:
            lines.append(f"{label:<22}{''.join(cells)}")

    def row(title: str, values: Sequence[str]) -> str:
        return f"{title:<22}" + "".join(f"{v:>{width}}" for v in values)

    def opt(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.4f}"

    lines += [
        "",
        row("examples", [str(r.examples) for _, r in reports]),
        row("accuracy", [f"{r.accuracy:.4f}" for _, r in reports]),
        row("macro-F1", [f"{r.macro_f1:.4f}" for _, r in reports]),
        row("dispute recall", [opt(r.dispute_recall) for _, r in reports]),
        row("dispute precision", [opt(r.dispute_precision) for _, r in reports]),
        row("disputes / flagged", [f"{r.disputes} / {r.flagged}" for _, r in reports]),
    ]
    if dispute_threshold is not None:
        lines.append(f"(dispute group = the four complaint_* labels; threshold {dispute_threshold:.2f})")
    first_name, first = reports[0]
    for name, report in reports[1:]:
        lines.append(
            f"gap: macro-F1 {first.macro_f1 - report.macro_f1:+.4f} and accuracy "
            f"{first.accuracy - report.accuracy:+.4f} from {first_name} to {name}"
        )
    for name, report in reports:
        lines += ["", f"worst confusions, {name} (true → predicted):"]
        if not report.confusions:
            lines.append("  none")
        for c in report.confusions:
            lines.append(f"  {c.count:>4}  {c.true} → {c.predicted}  e.g. {c.example}")
    return "\n".join(lines)
