"""The model file: plain numeric and text arrays in a numpy ``.npz`` archive, written atomically.

Loading uses ``np.load(..., allow_pickle=False)``: an ``.npz`` member can then only be a typed
array (numbers, or UTF-8 bytes here), never a pickled object, so reading a model file cannot run
code whoever wrote it. That is kefu's "load only what kefu itself trained": a file that is not an
archive of exactly the expected arrays is refused with ModelFileError, and nothing in it is
trusted beyond being numbers and text.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from intents._errors import ModelFileError

#: The member holding the JSON metadata (UTF-8 bytes as a uint8 array).
META = "meta"
_SEP = "\n"  # never inside a term or a word: normalize() folds every whitespace run to one space


def encode_text(value: str) -> np.ndarray:
    """A string as a uint8 array of its UTF-8 bytes (exact for any text, unlike numpy's ``<U``)."""
    return np.frombuffer(value.encode("utf-8"), dtype=np.uint8)


def encode_strings(values: Sequence[str]) -> np.ndarray:
    """Non-empty strings without newlines, newline-joined, as UTF-8 bytes.

    Raises:
        ValueError: a string is empty or contains a newline (it would not read back as itself).
    """
    if any(not v or _SEP in v for v in values):
        raise ValueError("cannot store an empty string or one containing a newline")
    return encode_text(_SEP.join(values))


def decode_text(array: np.ndarray) -> str:
    """Inverse of :func:`encode_text`.

    Raises:
        ValueError: the array is not 1-d uint8, or not UTF-8.
    """
    if array.dtype != np.uint8 or array.ndim != 1:
        raise ValueError(f"expected UTF-8 bytes, found a {array.dtype} array of shape {array.shape}")
    return array.tobytes().decode("utf-8")


def decode_strings(array: np.ndarray) -> tuple[str, ...]:
    """Inverse of :func:`encode_strings` (an empty array is no strings)."""
    text = decode_text(array)
    return tuple(text.split(_SEP)) if text else ()


def save_arrays(meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray], path: Path) -> None:
    """Write ``meta`` (as JSON) and ``arrays`` to ``path`` as an ``.npz``, atomically.

    A temporary file in the same directory is written, synced and renamed over ``path``.

    Raises:
        ModelFileError: the directory or file cannot be written.
    """
    members = {META: encode_text(json.dumps(meta, ensure_ascii=False, sort_keys=True)), **arrays}
    if any(a.dtype.hasobject for a in members.values()):
        raise ValueError("object arrays are never saved")  # a bug, not a user error
    tmp_name: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as tmp:
            tmp_name = tmp.name
            np.savez_compressed(tmp, allow_pickle=False, **members)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise ModelFileError(f"cannot write the model to {path}: {exc}") from exc
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)


def load_arrays(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Read ``path``: the JSON metadata and every array, without unpickling anything.

    Raises:
        FileNotFoundError: there is no file at ``path`` (OSError: it cannot be opened).
        ModelFileError: the file is not an ``.npz`` archive, is damaged, holds a pickled (object)
            member or anything but arrays, or has no readable JSON metadata object.
    """
    with path.open("rb") as f:
        if f.read(4) != b"PK\x03\x04":
            raise ModelFileError(f"{path} is not a kefu intents model file (not an .npz archive)")
        f.seek(0)
        try:
            with np.load(f, allow_pickle=False) as archive:
                members = {name: archive[name] for name in archive.files}
        except ValueError as exc:
            if "pickle" in str(exc):
                raise ModelFileError(
                    f"refusing {path}: it holds pickled objects, which kefu never saves and never unpickles; "
                    "it was tampered with or not written by kefu — delete it and run `python -m intents train`"
                ) from exc
            raise ModelFileError(f"{path} is damaged or not a kefu intents model file: {exc}") from exc
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error, KeyError, MemoryError) as exc:
            raise ModelFileError(
                f"{path} is damaged or not a kefu intents model file: {type(exc).__name__}: {exc}"
            ) from exc
    arrays: dict[str, np.ndarray] = {}
    for name, member in members.items():
        if not isinstance(member, np.ndarray):
            raise ModelFileError(f"{path} is not a kefu intents model file (member {name!r} is not an array)")
        arrays[name] = member
    if META not in arrays:
        raise ModelFileError(f"{path} is not a kefu intents model file (no metadata)")
    try:
        meta = json.loads(decode_text(arrays.pop(META)))
    except ValueError as exc:
        raise ModelFileError(f"{path} has unreadable metadata: {exc}") from exc
    if not isinstance(meta, dict):
        raise ModelFileError(f"{path} is not a kefu intents model file (metadata is not an object)")
    return meta, arrays
