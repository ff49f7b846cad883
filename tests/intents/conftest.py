"""Fixtures for the intent classifier: a tiny corpus to train on in a second, and CLI runners."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

TINY_CORPUS = {
    "greet": ["在吗", "你好", "老板在不在", "亲在吗", "哈喽", "有人吗", "客服在吗", "您好呀"],
    "thanks_bye": ["谢谢", "好的谢谢", "拜拜", "谢谢亲", "再见啦", "多谢老板", "辛苦了", "谢啦"],
    "complaint_product": [
        "收到是坏的",
        "发错货了",
        "和图片不一样",
        "衣服破了个洞",
        "质量太差了开线了",
        "少发了一件",
        "是假货吧",
        "屏幕碎了",
    ],
}


def write_corpus(data_dir: Path, corpus: dict[str, list[str]], userdict: str = "包邮 1000 v\n") -> Path:
    """Write ``corpus`` as ``<data_dir>/train/<label>.txt`` (and a two-line test split) plus a userdict."""
    for split in ("train", "test"):
        (data_dir / split).mkdir(parents=True, exist_ok=True)
    for label, lines in corpus.items():
        (data_dir / "train" / f"{label}.txt").write_text("# comment\n\n" + "\n".join(lines) + "\n", "utf-8")
        (data_dir / "test" / f"{label}.txt").write_text("\n".join(lines[:2]) + "\n", "utf-8")
    (data_dir / "userdict.txt").write_text(userdict, "utf-8")
    return data_dir


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    """A fresh three-label corpus directory."""
    return write_corpus(tmp_path / "data", TINY_CORPUS)


class CliResult:
    """Exit code and UTF-8-decoded output of one CLI run."""

    def __init__(self, proc: subprocess.CompletedProcess[bytes]) -> None:
        self.returncode = proc.returncode
        self.stdout = proc.stdout.decode("utf-8")
        self.stderr = proc.stderr.decode("utf-8")


def run_cli(*args: str, stdin: str = "", timeout: float = 120) -> CliResult:
    """``python -m intents ARGS`` in a subprocess: repo root as cwd, its var/ as KEFU_VAR_DIR.

    PYTHONIOENCODING=ascii checks the CLI speaks UTF-8 whatever the locale says.
    """
    env = {**os.environ, "KEFU_VAR_DIR": str(ROOT / "var"), "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run(
        [sys.executable, "-m", "intents", *args],
        input=stdin.encode("utf-8"),
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
        check=False,
    )
    return CliResult(proc)
