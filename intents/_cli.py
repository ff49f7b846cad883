"""``python -m intents``: predict / train / eval / export-test."""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from intents import _corpus
from intents._errors import IntentsError
from intents._evaluate import format_side_by_side
from intents._labels import LABELS
from intents._model import IntentClassifier
from intents._normalize import normalize

EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", type=Path, default=None, help="corpus directory (default: the built-in intents/data)"
    )
    common.add_argument(
        "--model-dir", type=Path, default=None, help="where intents.npz lives (default: $KEFU_VAR_DIR/models)"
    )
    parser = argparse.ArgumentParser(
        prog="python -m intents",
        description="kefu's intent classifier. The model is trained and saved automatically when missing "
        "or older than the training data.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser(
        "predict",
        parents=[common],
        help="classify UTF-8 stdin, one message per line, into JSON lines on stdout",
        description='Reads one message per line; writes {"text", "intent", "confidence", "is_dispute", '
        '"dispute_probability"} per line, in order, flushed per line. An empty line is "other".',
    )
    sub.add_parser("train", parents=[common], help="train on the corpus and save the model")
    ev = sub.add_parser(
        "eval",
        parents=[common],
        help="score a JSONL file of {text, label} (default: the held-out and the independent split, side by side)",
    )
    ev.add_argument("file", nargs="?", type=Path, help='JSONL with {"text": ..., "label": ...} per line')
    sub.add_parser("export-test", parents=[common], help="write the built-in test split as JSONL to stdout")
    return parser


def _data_dir(args: argparse.Namespace) -> Path:
    return args.data_dir if args.data_dir is not None else _corpus.DEFAULT_DATA_DIR


def _model_path(args: argparse.Namespace) -> Path:
    model_dir = args.model_dir if args.model_dir is not None else _corpus.default_model_dir()
    return model_dir / _corpus.MODEL_FILE_NAME


def _load(args: argparse.Namespace) -> IntentClassifier:
    return IntentClassifier.load(model_dir=args.model_dir, data_dir=args.data_dir)


def _predict(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    clf = _load(args)
    number = 0
    while True:
        try:
            line = stdin.readline()
        except UnicodeDecodeError as exc:
            print(f"error: stdin line {number + 1} is not UTF-8 ({exc.reason})", file=sys.stderr)
            return EXIT_USAGE
        if not line:
            return 0
        number += 1
        text = line[:-1] if line.endswith("\n") else line
        text = text[:-1] if text.endswith("\r") else text
        p = clf.predict(text)
        record = {
            "text": text,
            "intent": p.intent,
            "confidence": round(p.confidence, 4),
            "is_dispute": p.is_dispute,
            "dispute_probability": round(p.dispute_probability, 4),
        }
        stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        stdout.flush()


def _train(args: argparse.Namespace, stdout: TextIO) -> int:
    data = _data_dir(args)
    path = _model_path(args)
    print(f"training on {data / 'train'}", file=stdout, flush=True)
    start = time.perf_counter()
    clf = IntentClassifier.train(data)
    clf.save(path)
    elapsed = time.perf_counter() - start
    info = clf.info
    print(f"\n{'label':<22}{'examples':>9}", file=stdout)
    for label in LABELS:
        count = info.label_counts.get(label)
        print(f"{label:<22}{count if count is not None else '-':>9}{'' if count else '   NO DATA'}", file=stdout)
    total = sum(info.label_counts.values())
    print(f"{'total':<22}{total:>9}   ({len(info.labels)} of {len(LABELS)} labels)\n", file=stdout)
    if info.missing_labels:
        print(
            f"WARNING: no training data for {len(info.missing_labels)} label(s): {', '.join(info.missing_labels)} "
            f"(add {data / 'train'}/<label>.txt); the model cannot predict them",
            file=stdout,
        )
    leaked = _test_in_train(data)
    if leaked:
        print(
            f"WARNING: {len(leaked)} test message(s) also occur in train after normalisation, "
            f"e.g. {leaked[0]!r}; the test figures overstate quality",
            file=stdout,
        )
    if info.cv_macro_f1 is not None:
        recall = "n/a" if info.cv_dispute_recall is None else f"{info.cv_dispute_recall:.3f}"
        precision = "n/a" if info.cv_dispute_precision is None else f"{info.cv_dispute_precision:.3f}"
        print(
            f"cross-validated on train: macro-F1 {info.cv_macro_f1:.3f}; dispute threshold "
            f"{info.dispute_threshold:.2f} (dispute recall {recall}, precision {precision})",
            file=stdout,
        )
    else:
        print(f"too little data to cross-validate; dispute threshold {info.dispute_threshold:.2f}", file=stdout)
    print(f"trained in {elapsed:.1f} s; saved to {path}", file=stdout)
    return 0


def _test_in_train(data: Path) -> list[str]:
    train = {normalize(e.text) for e in _corpus.load_split(data, "train")}
    return [e.text for e in _corpus.load_split(data, "test") if normalize(e.text) in train]


def _eval(args: argparse.Namespace, stdout: TextIO) -> int:
    data = _data_dir(args)
    if args.file is not None:
        splits = [(str(args.file), _corpus.read_jsonl(args.file))]
        where: dict[str, Path] = {}
    else:
        splits = [
            ("held-out", _corpus.load_split(data, "test")),
            ("independent", _corpus.load_independent(data)),
        ]
        where = {"held-out": data / "test", "independent": data / _corpus.INDEPENDENT_DIR}
        splits = [(name, examples) for name, examples in splits if examples]
        if not splits:
            raise IntentsError(f"no test data in {data / 'test'} or {data / _corpus.INDEPENDENT_DIR}")
    clf = _load(args)
    info = clf.info
    missing = f"; no training data for: {', '.join(info.missing_labels)}" if info.missing_labels else ""
    print(f"model {_model_path(args)} (trained {info.trained_at}, {len(info.labels)} labels{missing})", file=stdout)
    reports = []
    for name, examples in splits:
        print(f"data  {name}: {len(examples)} messages in {where.get(name, name)}", file=stdout)
        reports.append((name, clf.evaluate((e.text, e.label) for e in examples)))
    print("", file=stdout)
    if len(reports) == 1:
        print(reports[0][1].format(dispute_threshold=info.dispute_threshold), file=stdout)
    else:
        print(format_side_by_side(reports, dispute_threshold=info.dispute_threshold), file=stdout)
    return 0


def _export_test(args: argparse.Namespace, stdout: TextIO) -> int:
    for e in _corpus.load_split(_data_dir(args), "test"):
        stdout.write(json.dumps({"text": e.text, "label": e.label}, ensure_ascii=False) + "\n")
    stdout.flush()
    return 0


def run() -> int:
    """The process entry point: UTF-8 stdin/stdout whatever the locale, progress notes on stderr."""
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("intents: %(message)s"))
    log = logging.getLogger("intents")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return main()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 ok, 2 bad input or unusable model/data, 130 interrupted).

    Errors the user can fix (bad file, unknown label, tampered model) are one ``error: ...`` line on
    stderr, never a traceback.
    """
    args = _parser().parse_args(argv)
    stdout = sys.stdout
    try:
        if args.command == "predict":
            return _predict(args, sys.stdin, stdout)
        if args.command == "train":
            return _train(args, stdout)
        if args.command == "eval":
            return _eval(args, stdout)
        return _export_test(args, stdout)
    except (IntentsError, OSError) as exc:
        if isinstance(exc, BrokenPipeError):
            # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
