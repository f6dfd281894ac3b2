"""The API is a layer beside the domain: no domain module imports it."""

from __future__ import annotations

import ast
from pathlib import Path

import matricule

PACKAGE = Path(matricule.__file__).parent
# Only the URL configuration mounts the API; everything else is domain, core or settings.
ALLOWED = {PACKAGE / "urls.py"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_domain_module_imports_the_api_layer():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in ALLOWED or (PACKAGE / "api") in path.parents:
            continue
        if "api" not in path.read_text(encoding="utf-8"):
            continue
        if any(
            name == "matricule.api" or name.startswith("matricule.api.") for name in _imports(path)
        ):
            offenders.append(str(path.relative_to(PACKAGE.parent)))
    assert offenders == []
