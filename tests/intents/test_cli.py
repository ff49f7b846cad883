"""``python -m intents``: predict as a pipe, train, eval, export-test — and clean one-line errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from intents import LABELS, IntentClassifier, load_corpus
from intents._cli import main
from intents._corpus import DEFAULT_DATA_DIR as DATA
from intents._corpus import load_independent

from .conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def fresh_model(classifier: IntentClassifier) -> IntentClassifier:
    """The session model, saved under var/, so CLI subprocesses load it instead of training."""
    return classifier


def test_predict_reads_lines_and_writes_json_lines_in_order(fresh_model: IntentClassifier) -> None:
    lines = ["在吗", "", "我的快递到哪了", "收到的杯子是碎的！！！", "好的謝謝", "   ", "ok", "谢谢"]
    # CRLF on one line, no newline after the last one: both still give one answer per message.
    stdin = "\n".join(lines[:3]) + "\r\n" + "\n".join(lines[3:])
    result = run_cli("predict", stdin=stdin)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert len(out) == len(lines)
    for text, raw in zip(lines, out, strict=True):
        record = json.loads(raw)
        assert list(record)[:3] == ["text", "intent", "confidence"]
        assert record["text"] == text
        assert record["intent"] in LABELS
        assert 0.0 <= record["confidence"] <= 1.0
        assert isinstance(record["is_dispute"], bool)
    records = [json.loads(raw) for raw in out]
    assert records[1]["intent"] == records[5]["intent"] == "other"
    assert records[3]["is_dispute"] is True
    assert "好的謝謝" in result.stdout  # UTF-8 out, not \\u escapes, even with an ASCII locale


def test_eval_prints_the_figures(fresh_model: IntentClassifier, tmp_path: Path) -> None:
    rows = [
        {"text": "在吗", "label": "greet"},
        {"text": "谢谢拜拜", "label": "thanks_bye"},
        {"text": "收到的是坏的", "label": "complaint_product"},
        {"text": "扣了我两次钱", "label": "complaint_payment"},
        {"text": "能便宜点吗", "label": "bargain"},
        {"text": "今天天气真好", "label": "other"},
    ]
    path = tmp_path / "small.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", "utf-8")
    result = run_cli("eval", str(path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "examples 6" in out and "accuracy" in out and "macro-F1" in out
    assert "precision" in out and "recall" in out and "support" in out
    assert "dispute group (complaint_*): recall" in out
    assert "confusions" in out
    for row in rows:
        assert row["label"] in out


def test_export_test_then_eval_scores_the_builtin_split(
    fresh_model: IntentClassifier, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = run_cli("export-test")
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [(r["text"], r["label"]) for r in records] == load_corpus("test")
    path = tmp_path / "test.jsonl"
    path.write_text(exported.stdout, "utf-8")
    models = str(ROOT / "var" / "models")
    assert main(["eval", str(path), "--model-dir", models]) == 0
    from_file = capsys.readouterr().out
    assert main(["eval", "--model-dir", models]) == 0  # no FILE: the held-out and the independent split
    builtin = capsys.readouterr().out
    assert f"examples {len(records)} " in from_file
    accuracy = re.search(r"accuracy (\d\.\d{4})", from_file)
    assert accuracy is not None
    rows = {line.split()[0]: line.split()[1:] for line in builtin.splitlines() if line.strip()}
    independent = len(load_independent(DATA))
    assert rows["examples"] == [str(len(records)), str(independent)], "both splits, side by side"
    assert rows["accuracy"][0] == accuracy.group(1), "the held-out column is the same figure as eval FILE"
    assert "dispute" in builtin and "gap: macro-F1" in builtin


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "在吗", "label": "greet"}\n{"text": "在吗", "label": \n', ":2: not valid JSON"),
        ('{"text": "在吗", "label": "greet"}\n\n{"text": "x", "label": "greeting"}\n', ":3: unknown label 'greeting'"),
        ('{"text": "在吗"}\n', ":1: \"label\" is missing"),
        ('{"text": 5, "label": "greet"}\n', ":1: \"text\" is missing or not a string"),
        ('["在吗", "greet"]\n', ":1: expected a JSON object"),
        ("\n\n", "no examples"),
    ],
)
def test_eval_rejects_malformed_file_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, "utf-8")
    assert main(["eval", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("error: ")
    assert message in captured.err and str(path) in captured.err


def test_eval_error_in_a_real_process_has_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "在吗", "label": "greet"}\nnot json\n', "utf-8")
    result = run_cli("eval", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == f"error: {path}:2: not valid JSON (Expecting value)"


def test_eval_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(tmp_path / "nope.jsonl")]) == 2
    assert "nope.jsonl" in capsys.readouterr().err


def test_train_reports_counts_missing_labels_time_and_path(tiny_data: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    result = run_cli("train", "--data-dir", str(tiny_data), "--model-dir", str(models))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "greet" in out and "NO DATA" in out
    assert "no training data for 17 label(s)" in out and "order_status" in out
    assert "trained in" in out and str(models / "intents.npz") in out
    assert (models / "intents.npz").is_file()


def test_tampered_model_makes_predict_exit_2(tiny_data: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    (models / "intents.npz").write_bytes(b"definitely not a model")
    result = run_cli("predict", "--data-dir", str(tiny_data), "--model-dir", str(models), stdin="在吗\n")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr


def test_predict_answers_each_line_before_stdin_closes(fresh_model: IntentClassifier) -> None:
    env = {**os.environ, "KEFU_VAR_DIR": str(ROOT / "var")}
    with subprocess.Popen(
        [sys.executable, "-m", "intents", "predict"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        answers: list[dict[str, object]] = []
        for text in ("在吗", "谢谢"):
            proc.stdin.write(f"{text}\n".encode())
            proc.stdin.flush()
            reader = threading.Thread(target=lambda: answers.append(json.loads(proc.stdout.readline())))  # type: ignore[union-attr]
            reader.start()
            reader.join(timeout=60)
            assert not reader.is_alive(), "no answer while stdin is still open"
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    assert [a["text"] for a in answers] == ["在吗", "谢谢"]
