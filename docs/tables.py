"""Write the README's generated tables: rules, record schemas and platform profiles.

    python docs/tables.py          # rewrite README.md's tables from the code
    python docs/tables.py --check  # exit 1 if README.md is out of date (a test runs this)

Each table sits between ``<!-- generated: NAME -->`` and ``<!-- end: NAME -->`` in the
README; the rest of the README is written by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

import prepdata
from prepdata import platforms, registry

README = Path(__file__).resolve().parent.parent / "README.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_table() -> str:
    rows = ["| code | name | severity | fix | checks |", "| --- | --- | --- | --- | --- |"]
    for rule in registry.discover():
        fix = rule.fix_applicability.value if rule.fix_applicability else "—"
        rows.append(f"| {rule.code} | `{rule.name}` | {rule.severity} | {fix} | {_cell(rule.summary())} |")
    return "\n".join(rows)


def schemas_table() -> str:
    rows = ["| schema | detected by | prompt side | generated side | convert into |",
            "| --- | --- | --- | --- | --- |"]
    for schema in prepdata.schemas():
        rows.append(f"| `{schema.name}` | {_cell(schema.detected_by)} | {_cell(schema.prompt_side)} | "
                    f"{_cell(schema.generated_side)} | {'yes' if schema.can_build else '—'} |")
    return "\n".join(rows)


def platforms_table() -> str:
    rows = ["| platform | status | schemas | examples | max file | tokens per example | source (checked) |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for name in platforms.names():
        profile = platforms.load(name)
        limits = profile.limits
        examples = "–".join(f"{value:,}" for value in (limits.min_examples, limits.max_examples) if value) or "any"
        if limits.min_examples and not limits.max_examples:
            examples = f"≥ {limits.min_examples:,}"
        elif limits.max_examples and not limits.min_examples:
            examples = f"≤ {limits.max_examples:,}"
        size = f"{limits.max_bytes / 2**20:,.0f} MiB" if limits.max_bytes else "—"
        tokens = f"{limits.max_tokens:,} ({limits.tokens})" if limits.max_tokens else "—"
        rows.append(f"| `{name}` | {_cell(profile.status)} | {', '.join(profile.schemas) or 'any'} | {examples} | "
                    f"{size} | {tokens} | [{profile.checked}]({profile.source}) |")
    return "\n".join(rows)


TABLES = {"rules": rules_table, "schemas": schemas_table, "platforms": platforms_table}


def generated(readme: str) -> str:
    for name, make in TABLES.items():
        start, end = f"<!-- generated: {name} -->", f"<!-- end: {name} -->"
        before, found, rest = readme.partition(start)
        if not found:
            raise SystemExit(f"README.md has no {start} marker")
        _, found, after = rest.partition(end)
        if not found:
            raise SystemExit(f"README.md has no {end} marker")
        readme = f"{before}{start}\n{make()}\n{end}{after}"
    return readme


def main(argv: list[str]) -> int:
    current = README.read_text("utf-8")
    wanted = generated(current)
    if "--check" in argv:
        if wanted != current:
            print("README.md's generated tables are out of date; run python docs/tables.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(wanted, "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
