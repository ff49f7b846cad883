"""The corpus on disk: ``<data>/train/<label>.txt``, ``<data>/test/<label>.txt``, ``<data>/userdict.txt``,
``<data>/lexicon.txt`` and the independent split ``<data>/independent/*.jsonl``."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from intents._errors import DataError
from intents._labels import LABELS

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"
USERDICT_NAME = "userdict.txt"
LEXICON_NAME = "lexicon.txt"
MODEL_FILE_NAME = "intents.npz"


def var_dir() -> Path:
    """``$KEFU_VAR_DIR``, default ``var/`` relative to the current directory (read at call time)."""
    return Path(os.environ.get("KEFU_VAR_DIR") or "var")


def default_model_dir() -> Path:
    return var_dir() / "models"


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message and where it came from (``path:line``)."""

    text: str
    label: str
    source: str


def read_lines(path: Path) -> Iterator[tuple[int, str]]:
    """The messages of one corpus file: (line number, text), skipping blank and ``#`` lines.

    Raises:
        DataError: the file is not UTF-8.
        OSError: the file cannot be read.
    """
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 ({exc.reason} at byte {exc.start})", path=str(path)) from exc
    for number, raw in enumerate(content.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            yield number, line


def _label_files(split_dir: Path) -> dict[str, Path]:
    if not split_dir.is_dir():
        return {}
    files: dict[str, Path] = {}
    for path in sorted(split_dir.glob("*.txt")):
        if path.stem not in LABELS:
            raise DataError(
                f"file name {path.name!r} is not a label (the labels are those in docs/INTENTS.md)", path=str(path)
            )
        files[path.stem] = path
    return files


def load_split(data_dir: Path, split: str) -> list[Example]:
    """All examples of ``split`` ("train" or "test"), in label order then file order.

    Raises:
        DataError: a file is named after no label, or is not UTF-8.
    """
    examples: list[Example] = []
    files = _label_files(data_dir / split)
    for label in LABELS:
        path = files.get(label)
        if path is None:
            continue
        examples.extend(Example(text, label, f"{path}:{number}") for number, text in read_lines(path))
    return examples


def read_userdict(data_dir: Path) -> str:
    """The user dictionary's text ("" when the data dir has none)."""
    path = data_dir / USERDICT_NAME
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def read_lexicon(data_dir: Path) -> str:
    """The shop lexicon's text ("" when the data dir has none)."""
    path = data_dir / LEXICON_NAME
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def training_fingerprint(data_dir: Path, extra: Iterable[str]) -> str:
    """sha256 over the training files (names and bytes), the user dictionary, the lexicon and ``extra``.

    ``extra`` carries what else decides the model: the model-format version, the jieba version, the
    training configuration.

    Raises:
        DataError: a training file is named after no label.
    """
    digest = hashlib.sha256()
    for label, path in sorted(_label_files(data_dir / "train").items()):
        digest.update(f"train/{label}.txt\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(b"userdict\0" + hashlib.sha256(read_userdict(data_dir).encode("utf-8")).digest())
    digest.update(b"lexicon\0" + hashlib.sha256(read_lexicon(data_dir).encode("utf-8")).digest())
    digest.update(json.dumps(list(extra), ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def read_jsonl(path: Path) -> list[Example]:
    """Examples from a JSONL file of ``{"text": ..., "label": ...}`` objects; blank lines are skipped.

    Raises:
        DataError: a line is not a JSON object with a string ``text`` and a ``label`` from LABELS
            (the message names the line), the file is not UTF-8, or it holds no examples.
        OSError: the file cannot be read.
    """
    name = str(path)
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 ({exc.reason} at byte {exc.start})", path=name) from exc
    examples: list[Example] = []
    for number, raw in enumerate(content.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DataError(f"not valid JSON ({exc.msg})", path=name, line=number) from exc
        if not isinstance(obj, dict):
            raise DataError("expected a JSON object with \"text\" and \"label\"", path=name, line=number)
        text, label = obj.get("text"), obj.get("label")
        if not isinstance(text, str):
            raise DataError("\"text\" is missing or not a string", path=name, line=number)
        if not isinstance(label, str):
            raise DataError("\"label\" is missing or not a string", path=name, line=number)
        if label not in LABELS:
            raise DataError(f"unknown label {label!r}", path=name, line=number)
        examples.append(Example(text, label, f"{name}:{number}"))
    if not examples:
        raise DataError("no examples", path=name)
    return examples


INDEPENDENT_DIR = "independent"


def load_independent(data_dir: Path) -> list[Example]:
    """The independent split: ``<data>/independent/labelled_*.jsonl``, written from personas and situations by
    people who never saw the training lines, labelled afterwards (empty when there is none).

    Raises:
        DataError: a line is malformed (see :func:`read_jsonl`).
    """
    folder = data_dir / INDEPENDENT_DIR
    examples: list[Example] = []
    for path in sorted(folder.glob("labelled_*.jsonl")) if folder.is_dir() else ():
        examples.extend(read_jsonl(path))
    return examples
