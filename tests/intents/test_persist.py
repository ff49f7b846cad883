"""The model file: an .npz of plain arrays that loads without unpickling, refusing what kefu never saves."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from intents import IntentClassifier, ModelFileError

MODEL_FILE = "intents.npz"

Members = dict[str, Any]


def read_members(path: Path) -> Members:
    with np.load(path, allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def write_members(path: Path, members: Members) -> None:
    with path.open("wb") as f:
        np.savez(f, allow_pickle=True, **members)


def rewrite(path: Path, edit: Callable[[Members], None]) -> None:
    """Rewrite the model file at ``path`` with ``edit`` applied to its members."""
    members = read_members(path)
    edit(members)
    write_members(path, members)


def edit_meta(change: Callable[[dict[str, Any]], None]) -> Callable[[Members], None]:
    def edit(members: Members) -> None:
        meta = json.loads(members["meta"].tobytes().decode("utf-8"))
        change(meta)
        members["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)

    return edit


@pytest.fixture
def saved_tiny_model(tiny_data: Path, tmp_path: Path) -> Path:
    models = tmp_path / "models"
    IntentClassifier.load(model_dir=models, data_dir=tiny_data)
    return models / MODEL_FILE


def test_the_file_holds_plain_arrays_and_json_metadata(saved_tiny_model: Path) -> None:
    members = read_members(saved_tiny_model)  # allow_pickle=False: nothing in it needs unpickling
    assert set(members) == {
        "meta", "word_terms", "word_idf", "char_terms", "char_idf", "class_terms", "class_idf", "weights",
        "intercept", "segmentation_words", "segmentation_freqs",
    }
    meta = json.loads(members["meta"].tobytes())
    assert meta["kind"] == "kefu.intents" and meta["format_version"] == 4
    assert meta["classes"] == ["complaint_product", "greet", "thanks_bye"]
    assert meta["config"] == {
        "word_weight": 0.5, "word_ngrams": [1, 1], "char_ngrams": [1, 2], "lowercase": False, "token_pattern": r"\S+",
        "class_weight": 0.25, "class_ngrams": [1, 2],
    }
    assert meta["userdict"] == "包邮 1000 v\n"
    words = members["segmentation_words"].tobytes().decode("utf-8").split("\n")
    assert "包邮" in words and len(words) == len(members["segmentation_freqs"])
    assert members["weights"].shape == (
        members["word_idf"].size + members["char_idf"].size,
        len(meta["classes"]),
    )


def run_marker(marker: Path) -> Any:
    """An object whose unpickling creates ``marker``: proof that something was unpickled."""

    class Payload:
        def __reduce__(self) -> tuple[Any, ...]:
            return (open, (str(marker), "w"))

    return Payload()


def test_pickled_member_is_refused_without_running_it(saved_tiny_model: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    payload = np.empty(1, dtype=object)
    payload[0] = run_marker(marker)
    rewrite(saved_tiny_model, lambda members: members.update(weights=payload))
    with pytest.raises(ModelFileError, match="refusing .*pickled"):
        IntentClassifier.from_file(saved_tiny_model)
    assert not marker.exists()


def test_a_pickle_is_refused_without_running_it(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / MODEL_FILE
    path.write_bytes(pickle.dumps(run_marker(marker)))
    with pytest.raises(ModelFileError, match=r"not an \.npz archive"):
        IntentClassifier.from_file(path)
    assert not marker.exists()


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04garbage", b"\x93NUMPY"])
def test_damaged_model_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / MODEL_FILE
    path.write_bytes(content)
    with pytest.raises(ModelFileError):
        IntentClassifier.from_file(path)


def test_truncated_model_file_is_refused(saved_tiny_model: Path) -> None:
    data = saved_tiny_model.read_bytes()
    saved_tiny_model.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError, match="damaged"):
        IntentClassifier.from_file(saved_tiny_model)


def drop(name: str) -> Callable[[Members], None]:
    return lambda members: members.pop(name)


def add(name: str, value: Any) -> Callable[[Members], None]:
    return lambda members: members.update({name: value})


def reshape_weights(members: Members) -> None:
    members["weights"] = members["weights"][:-1]


def nan_idf(members: Members) -> None:
    members["char_idf"] = np.full_like(members["char_idf"], np.nan)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (drop("meta"), "no metadata"),
        (add("meta", np.arange(3)), "unreadable metadata"),
        (add("meta", np.frombuffer(b"[1, 2]", dtype=np.uint8)), "metadata is not an object"),
        (edit_meta(lambda m: m.update(kind="something.else")), "not a kefu intents model file"),
        (drop("weights"), r"refusing .*not those kefu saves \(weights\)"),
        (add("extra", np.arange(3)), r"refusing .*not those kefu saves \(extra\)"),
        (add("weights", np.zeros((3, 3), dtype=np.float32)), r"refusing .*unexpected type \(weights\)"),
        (add("word_terms", np.array(["a", "b"])), r"refusing .*unexpected type \(word_terms\)"),
        (reshape_weights, "malformed.*weights are"),
        (nan_idf, "malformed.*finite"),
        (add("word_terms", np.frombuffer(b"\xff\xfe", dtype=np.uint8)), "malformed.*decode"),
        (edit_meta(lambda m: m.pop("dispute_threshold")), "malformed.*KeyError.*dispute_threshold"),
        (edit_meta(lambda m: m.update(classes=["greet", "greet", "thanks_bye"])), "malformed.*repeated classes"),
        (edit_meta(lambda m: m.update(classes=["greet", "spam", "thanks_bye"])), "malformed.*spam"),
        (edit_meta(lambda m: m["config"].update(word_ngrams="1,1")), "malformed.*n-gram range"),
        (edit_meta(lambda m: m["config"].update(token_pattern="(")), "malformed"),
        (edit_meta(lambda m: m["config"].update(word_weight=float("nan"))), "malformed.*word weight"),
        (edit_meta(lambda m: m.update(segmentation_total=0)), "malformed.*segmentation"),
        (edit_meta(lambda m: m.update(dispute_threshold=float("nan"))), "malformed.*dispute threshold"),
    ],
)
def test_tampered_model_file_is_refused(
    saved_tiny_model: Path, tiny_data: Path, edit: Callable[[Members], None], message: str
) -> None:
    rewrite(saved_tiny_model, edit)
    tampered = saved_tiny_model.read_bytes()
    with pytest.raises(ModelFileError, match=message):
        IntentClassifier.from_file(saved_tiny_model)
    with pytest.raises(ModelFileError, match=message):
        IntentClassifier.load(model_dir=saved_tiny_model.parent, data_dir=tiny_data)
    assert saved_tiny_model.read_bytes() == tampered  # never silently replaced


def test_model_file_of_another_format_version_is_refused(saved_tiny_model: Path) -> None:
    rewrite(saved_tiny_model, edit_meta(lambda m: m.update(format_version=999)))
    with pytest.raises(ModelFileError, match="format 999"):
        IntentClassifier.from_file(saved_tiny_model)


def test_load_retrains_a_model_of_an_older_format(saved_tiny_model: Path, tiny_data: Path) -> None:
    rewrite(saved_tiny_model, edit_meta(lambda m: m.update(format_version=2)))
    model = IntentClassifier.load(model_dir=saved_tiny_model.parent, data_dir=tiny_data)
    assert IntentClassifier.from_file(saved_tiny_model).info == model.info  # rewritten in the current format


def test_unwritable_model_path_is_a_model_file_error(tiny_data: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "models"
    blocker.write_text("a file where the directory should be", "utf-8")
    with pytest.raises(ModelFileError, match="cannot write"):
        IntentClassifier.train(tiny_data).save(blocker / MODEL_FILE)
