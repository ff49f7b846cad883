"""The package layout keeps its promises: the conversation is pure Python, importable without the IO stack."""

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

CONVERSATION = ROOT / "bot" / "conversation"


def modules_of(package: Path) -> list[str]:
    return sorted(f"bot.{package.name}.{p.stem}" for p in package.glob("*.py") if p.stem != "__init__")


def test_the_conversation_loads_no_io_library() -> None:
    # Import every conversation module, play one message through the flow, and list what got loaded.
    code = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    importlib.import_module(name)\n"
        "from bot.conversation.catalogue import Catalogue\n"
        "from bot.conversation import decide\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'aiohttp', 'telegram', 'sqlalchemy', 'asyncpg',"
        " 'aiosqlite', 'httpx'})\n"
        "print(loaded)\n"
    )
    names = modules_of(CONVERSATION)
    assert "bot.conversation.routing" in names
    proc = subprocess.run([sys.executable, "-c", code, *names], capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_the_conversation_imports_only_itself_and_the_plain_modules() -> None:
    # The source says so too: no module in conversation/ names an IO library or another kefu package but
    # errors/config, so a later edit cannot slip one in behind a lazy import.
    banned = ("aiohttp", "telegram", "sqlalchemy", "bot.engine", "bot.channels", "bot.desk", "bot.admin", "bot.web",
              "models")
    for path in sorted(CONVERSATION.glob("*.py")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            words = line.split()
            if len(words) >= 2 and words[0] in ("import", "from"):
                module = words[1]
                assert not module.startswith(banned), f"{path.name}:{number}: {line.strip()}"
