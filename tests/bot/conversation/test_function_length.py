"""No function in conversation/ over ~60 lines: a rule a reader can hold in mind is one screen.

The functions still longer than that are listed with their length today; each may only shrink (Issue 10
shortens them by extracting well-named helpers) — and once under the limit, it leaves this list.
"""

from __future__ import annotations

import ast

from tests.conftest import ROOT

CONVERSATION = ROOT / "bot" / "conversation"
LIMIT = 60
STILL_LONGER: dict[str, int] = {}


def lengths() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in sorted(CONVERSATION.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found[f"{path.stem}.{node.name}"] = node.end_lineno - node.lineno + 1 if node.end_lineno else 0
    return found


def test_no_function_in_the_conversation_grows_past_the_limit() -> None:
    too_long = {name: n for name, n in lengths().items() if n > STILL_LONGER.get(name, LIMIT)}
    assert not too_long, f"functions over {LIMIT} lines (or longer than they were): {too_long}"


def test_the_list_of_longer_functions_is_up_to_date() -> None:
    # A function shortened under the limit (or renamed) leaves the list, so the list says what is left to do.
    now = lengths()
    stale = {name for name in STILL_LONGER if now.get(name, 0) <= LIMIT}
    assert not stale, f"no longer over {LIMIT} lines — take them off STILL_LONGER: {stale}"
