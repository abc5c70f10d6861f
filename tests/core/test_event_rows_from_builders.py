"""Event rows come from the builders in each app's events.py: no module of the
product builds a CaseEvent, AuditEvent or FormEvent itself, so no kind is ever a
string at a call site."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "core",
    "localities",
    "accounts",
    "families",
    "family_connect",
    "casework",
    "triage",
    "audits",
    "scorecard",
    "privacy",
    "records_import",
    "demo",
]
EVENT_MODELS = {"CaseEvent", "AuditEvent", "FormEvent"}


def _builds_an_event(node: ast.Call) -> bool:
    func = node.func
    if isinstance(func, ast.Name) and func.id in EVENT_MODELS:
        return True
    # CaseEvent.objects.create(...) / .get_or_create(...)
    if (
        isinstance(func, ast.Attribute)
        and func.attr in {"create", "get_or_create", "update_or_create"}
        and isinstance(func.value, ast.Attribute)
        and isinstance(func.value.value, ast.Name)
        and func.value.value.id in EVENT_MODELS
    ):
        return True
    # A model passed to the batched import's row maker: fast_row(CaseEvent, ...).
    return (
        isinstance(func, ast.Name)
        and func.id == "fast_row"
        and any(isinstance(a, ast.Name) and a.id in EVENT_MODELS for a in node.args)
    )


def test_no_module_builds_an_event_row_itself():
    offenders = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path.name == "events.py":
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            offenders += [
                f"{path.relative_to(ROOT)}:{node.lineno}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Call) and _builds_an_event(node)
            ]
    assert offenders == []
