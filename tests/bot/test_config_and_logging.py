"""Configuration errors stop start-up with one line; logs never show secrets or customers' details."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import ConfigError, load_settings
from bot.logsafe import MaskingFilter, mask

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("KEFU_COUPON_AMOUNT", "ten", "KEFU_COUPON_AMOUNT"),
        ("KEFU_DISPATCH_CUTOFF", "4pm", "KEFU_DISPATCH_CUTOFF"),
        ("KEFU_CONFIDENCE_THRESHOLD", "2", "KEFU_CONFIDENCE_THRESHOLD"),
        ("TELEGRAM_AGENT_CHAT_ID", "agents", "TELEGRAM_AGENT_CHAT_ID"),
        ("KEFU_LOG_LEVEL", "LOUD", "KEFU_LOG_LEVEL"),
    ],
)
def test_a_bad_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=named):
        load_settings()


def test_a_bad_setting_stops_the_server_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "KEFU_VAR_DIR": str(tmp_path), "KEFU_FREE_SHIPPING_THRESHOLD": "lots"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", "1"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "KEFU_FREE_SHIPPING_THRESHOLD" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_contract_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://kefu@db/kefu")
    monkeypatch.setenv("KEFU_API_KEY", "s3cret")
    settings = load_settings()
    assert settings.effective_database_url == "postgresql+asyncpg://kefu@db/kefu"
    assert settings.api_key is not None and "s3cret" not in repr(settings)


@pytest.mark.parametrize(
    ("text", "hidden", "kept"),
    [
        ("电话13800138000", "13800138000", "138****8000"),
        ("手机 139-1234-5678 谢谢", "1234", "139****5678"),
        ("寄到浙江省杭州市西湖区文三路100号3栋", "文三路100号", "浙江省***"),
        ("地址：上海市浦东新区世纪大道88号", "世纪大道", "上海市***"),
        ("token 123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0 used", "AAHfiqks", "***"),
    ],
)
def test_logs_mask_phones_addresses_and_tokens(text: str, hidden: str, kept: str) -> None:
    masked = mask(text)
    assert hidden not in masked and kept in masked


def test_the_masking_filter_covers_arguments_and_configured_secrets(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("kefu.test")
    logger.addFilter(MaskingFilter(["my-api-key"]))
    with caplog.at_level(logging.INFO, logger="kefu.test"):
        logger.info("order for %s at %s key=%s", "13800138000", "北京市朝阳区建国路88号", "my-api-key")
    assert "13800138000" not in caplog.text and "建国路" not in caplog.text and "my-api-key" not in caplog.text
