"""The house rules a newcomer relies on: rules use only the public API and never each other."""

from __future__ import annotations

import ast

from conftest import ROOT


def test_builtin_rules_and_schemas_import_only_the_public_api():
    for path in sorted([*(ROOT / "rules").glob("*.py"), *(ROOT / "schemas").glob("*.py")]):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(("prepdata", "rules", "schemas")):
                assert node.module == "prepdata", f"{path.name} imports {node.module}"
            if isinstance(node, ast.Import):
                assert not any(alias.name.startswith(("prepdata", "rules", "schemas")) for alias in node.names), path.name


def test_the_engine_names_no_rule():
    from prepdata import registry

    rules = registry.discover()
    for path in sorted((ROOT / "prepdata").rglob("*.py")):
        text = path.read_text()
        assert "import prepdata_rules" not in text and "from prepdata_rules" not in text, path
        for rule in rules:
            assert rule.code not in text, f"{path} names the rule {rule.code}"
            # "encoding" is also a Dataset attribute; every other name is the rule's alone.
            if rule.name != "encoding":
                assert f'"{rule.name}"' not in text, f"{path} names the rule {rule.name}"
