"""Saving and loading the model file with skops, refusing anything kefu did not write itself."""

from __future__ import annotations

import io
import json
import os
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import skops.io as sio
from sklearn.exceptions import InconsistentVersionWarning

from intents._errors import ModelFileError

# Every type a kefu intents model file may contain, as "module.qualname". A file naming any other
# type was not written by kefu (or was tampered with) and is refused before anything is built.
ALLOWED_TYPES: frozenset[str] = frozenset(
    {
        "builtins.dict",
        "builtins.list",
        "builtins.tuple",
        "builtins.str",
        "builtins.int",
        "builtins.float",
        "builtins.bool",
        "builtins.NoneType",
        "numpy.ndarray",
        "numpy.dtype",
        "numpy.float64",
        "numpy.int64",
        "numpy.int32",
        "numpy.str_",
        "sklearn.feature_extraction.text.TfidfVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.linear_model._logistic.LogisticRegression",
    }
)


def _schema_types(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        module, cls = node.get("__module__"), node.get("__class__")
        if isinstance(module, str) and isinstance(cls, str):
            yield f"{module}.{cls}"
        for value in node.values():
            yield from _schema_types(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schema_types(value)


def _check_types(data: bytes, path: Path) -> list[str]:
    """Refuse a file that names a type outside ALLOWED_TYPES; return the types skops wants trusted."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            schema = json.loads(archive.read("schema.json"))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ModelFileError(f"{path} is not a kefu intents model file ({exc})") from exc
    foreign = sorted(set(_schema_types(schema)) - ALLOWED_TYPES)
    try:
        untrusted = sio.get_untrusted_types(data=data)
    except Exception as exc:  # skops raises assorted errors on a damaged archive
        raise ModelFileError(f"{path} is damaged: {exc}") from exc
    foreign += sorted(set(untrusted) - ALLOWED_TYPES - set(foreign))
    if foreign:
        raise ModelFileError(
            f"refusing {path}: it contains types kefu never saves ({', '.join(foreign)}); "
            "it was tampered with or not written by kefu — delete it and run `python -m intents train`"
        )
    return list(untrusted)


def load_payload(path: Path) -> dict[str, Any]:
    """Read a model file after checking every type in it against ALLOWED_TYPES.

    Raises:
        FileNotFoundError: there is no file at ``path``.
        ModelFileError: the file is not a skops archive, names a type outside the allowlist, or
            cannot be rebuilt.
    """
    data = path.read_bytes()
    trusted = _check_types(data, path)
    try:
        with warnings.catch_warnings():
            # A file from another scikit-learn version is detected by its fingerprint and retrained.
            warnings.simplefilter("ignore", InconsistentVersionWarning)
            payload = sio.loads(data, trusted=trusted)
    except Exception as exc:  # skops/numpy/sklearn raise many types on a damaged file
        raise ModelFileError(f"{path} cannot be loaded: {type(exc).__name__}: {exc}") from exc
    if not isinstance(payload, dict):
        raise ModelFileError(f"{path} is not a kefu intents model file (top level is {type(payload).__name__})")
    return payload


def save_payload(payload: dict[str, Any], path: Path) -> None:
    """Write atomically: a temporary file in the same directory, then ``os.replace``.

    Raises:
        ModelFileError: the directory or file cannot be written.
    """
    data = sio.dumps(payload, compression=zipfile.ZIP_DEFLATED)
    tmp_name: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as tmp:
            tmp_name = tmp.name
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise ModelFileError(f"cannot write the model to {path}: {exc}") from exc
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)
