"""Casework does not know it is audited or that privacy reads it: no module of
casework imports ``audits`` or ``privacy``, at module level or inside a
function. The records import (``casework/importing``) is the exception until it
becomes its own app above both."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
ABOVE_CASEWORK = ("audits", "privacy", "scorecard")
NOT_YET_MOVED = ROOT / "casework" / "importing"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_casework_imports_nothing_above_it():
    offending = {
        str(path.relative_to(ROOT)): sorted(
            name
            for name in imported_modules(path)
            if name.split(".")[0] in ABOVE_CASEWORK
        )
        for path in (ROOT / "casework").rglob("*.py")
        if NOT_YET_MOVED not in path.parents
    }
    assert {path: names for path, names in offending.items() if names} == {}


def test_the_check_sees_function_level_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from audits.models import CaseAudit\n")
    assert imported_modules(module) == {"audits.models"}
