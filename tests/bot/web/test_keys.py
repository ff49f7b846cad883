"""The app's state is typed in one place: every app and request key is declared in bot/web/keys.py, each with its type,
so mypy checks what a handler reads from the app (no ``AppKey[Any]``, no string keys)."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

KEYS = ROOT / "bot" / "web" / "keys.py"


def test_every_app_and_request_key_is_declared_in_the_keys_module() -> None:
    for path in sorted((ROOT / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in ("AppKey", "RequestKey"):
                    assert path == KEYS, f"{path.relative_to(ROOT)}:{node.lineno}: a key outside bot/web/keys.py"
            if isinstance(node, ast.Subscript) and ast.unparse(node).replace(" ", "").endswith("Key[Any]"):
                raise AssertionError(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)} is not checked")


def test_each_key_names_the_type_it_holds() -> None:
    declared = []
    for node in ast.parse(KEYS.read_text("utf-8")).body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Call):
            name = ast.unparse(node.target if isinstance(node, ast.AnnAssign) else node.targets[0])
            annotated = isinstance(node, ast.AnnAssign) and "Any" not in ast.unparse(node.annotation)
            assert annotated or len(node.value.args) == 2, f"{name} does not say what it holds"
            declared.append(name)
    assert {"SETTINGS", "SERVICES", "CLOCK", "AUTH", "LOGIN"} <= set(declared)
