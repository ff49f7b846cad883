"""The two commands people run: ``python -m bot serve`` and ``python -m bot chat``."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def _var_with_model(tmp_path: Path, classifier: Any) -> Path:
    """A var/ directory holding the already-trained model, as a deployed server has it."""
    (tmp_path / "models").mkdir()
    for model in (ROOT / "var" / "models").glob("intents.*"):
        shutil.copy(model, tmp_path / "models" / model.name)
    return tmp_path


def _env(var: Path) -> dict[str, str]:
    env = {**os.environ, "KEFU_VAR_DIR": str(var)}
    env.pop("DATABASE_URL", None)
    return env


def test_serve_answers_health_and_customers_then_stops_cleanly(tmp_path: Path, classifier: Any) -> None:
    var = _var_with_model(tmp_path, classifier)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)], cwd=ROOT, env=_env(var),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "the server never became ready"
                time.sleep(0.1)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/messages", data='{"customer": "cli", "text": "电话13800138000"}'.encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert "<html" in response.read().decode()
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert (var / "kefu.db").exists(), "the embedded default is a SQLite file under var/"
    assert "13800138000" not in err, "phone numbers never reach the log"
    assert "event=ready" in err and "event=message" in err


def test_terminal_chat(tmp_path: Path, classifier: Any) -> None:
    var = _var_with_model(tmp_path, classifier)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--customer", "tester"], cwd=ROOT, env=_env(var),
        input="在吗\n纯棉圆领短袖T恤有什么颜色\n/quit\n", capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answers = [line for line in result.stdout.splitlines() if "客服:" in line]
    assert len(answers) >= 2
    assert "亲" in answers[0] and "雾霾蓝" in result.stdout
    assert "[" in result.stdout, "quick choices are listed as text in the terminal"
