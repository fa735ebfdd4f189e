"""Configuration files: ``[tool.prepdata]`` in pyproject.toml, or prepdata.toml / .prepdata.toml.

As with ruff, the file closest to the dataset wins: from the dataset's folder upwards, the
first folder holding ``.prepdata.toml``, ``prepdata.toml`` or a ``pyproject.toml`` with a
``[tool.prepdata]`` table (tried in that order) gives the configuration; nothing is merged
across folders. ``--config FILE`` names the file instead, ``--isolated`` ignores them all.

Everything is checked when the file is read: an unknown key, rule, option or severity,
or a value of the wrong type, is a UsageError naming the file and the key (exit 2).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import sys
from pathlib import Path
from typing import Any

from prepdata import registry
from prepdata.api import Rule, Severity
from prepdata.errors import UsageError
from prepdata.formats import FORMATS
from prepdata.options import build_options

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_FILES = (".prepdata.toml", "prepdata.toml", "pyproject.toml")
INPUT_FORMATS = FORMATS


def _string(value: Any) -> bool:
    return isinstance(value, str)


def _boolean(value: Any) -> bool:
    return isinstance(value, bool)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


#: Keys allowed at the top level and in an override, with a check and how to name the type.
SETTING_KEYS: dict[str, tuple[Any, str]] = {
    "separator": (_string, "a string"),
    "auto-split": (_boolean, "true or false"),
    "input-format": (lambda v: v in INPUT_FORMATS, "one of " + ", ".join(INPUT_FORMATS)),
    "columns": (_strings, "a list of column names"),
    "profile": (lambda v: v in ("openai", "cohere"), "openai or cohere (or use schema)"),
    "schema": (_string, "a schema name (prepdata schemas lists them)"),
    "platform": (_string, "a platform name (prepdata platforms lists them) or a profile's path"),
    "select": (_strings, "a list of rule names, codes or code prefixes"),
    "ignore": (_strings, "a list of rule names, codes or code prefixes"),
    "extend-select": (_strings, "a list of rule names, codes or code prefixes"),
    "extend-ignore": (_strings, "a list of rule names, codes or code prefixes"),
    "strict": (_boolean, "true or false"),
}
SELECTOR_KEYS = ("select", "ignore", "extend-select", "extend-ignore")
TABLE_KEYS = ("rules", "overrides")
SEVERITY_KEY = "severity"


@dataclasses.dataclass(frozen=True)
class Layer:
    """The settings of one table: the top level, or one ``[[overrides]]`` entry."""

    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    rule_options: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    severities: dict[str, Severity] = dataclasses.field(default_factory=dict)

    def then(self, other: Layer) -> Layer:
        """This layer with ``other`` on top: its values win, rule tables merge per rule,
        and ``extend-*`` lists add up."""
        values = {**self.values, **other.values}
        for key in ("extend-select", "extend-ignore"):
            if key in self.values and key in other.values:
                values[key] = [*self.values[key], *other.values[key]]
        options = {name: dict(table) for name, table in self.rule_options.items()}
        for name, table in other.rule_options.items():
            options.setdefault(name, {}).update(table)
        return Layer(values, options, {**self.severities, **other.severities})


@dataclasses.dataclass(frozen=True)
class Config:
    """A configuration file, read and checked. ``path`` is None when there is none."""

    path: Path | None = None
    base: Layer = dataclasses.field(default_factory=Layer)
    overrides: tuple[tuple[tuple[str, ...], Layer], ...] = ()

    def for_file(self, dataset: str | Path) -> Layer:
        """The settings for one dataset: the top level, then each override whose ``files``
        glob matches the dataset's path relative to the configuration file's folder."""
        layer = self.base
        if self.path is None:
            return layer
        try:
            relative = Path(dataset).resolve().relative_to(self.path.parent.resolve()).as_posix()
        except ValueError:
            relative = Path(dataset).as_posix()
        for patterns, override in self.overrides:
            if any(fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(Path(relative).name, pattern)
                   for pattern in patterns):
                layer = layer.then(override)
        return layer


def find(dataset: str | Path) -> Path | None:
    """The configuration file closest to ``dataset``, or None."""
    folder = Path(dataset).resolve()
    folder = folder if folder.is_dir() else folder.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_FILES:
            path = candidate / name
            if path.is_file() and (name != "pyproject.toml" or _has_table(path)):
                return path
    return None


def _has_table(pyproject: Path) -> bool:
    try:
        return "prepdata" in _parse(pyproject).get("tool", {})
    except UsageError:
        return False  # a broken pyproject.toml of another tool's is not ours to judge


def _parse(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read the configuration: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: not valid TOML: {error}; fix the file or pass --isolated") from None


def load(path: str | Path, rule_files: list[str | Path] = ()) -> Config:
    """Read and check a configuration file (a pyproject.toml is read for [tool.prepdata])."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such configuration file")
    data = _parse(path)
    table_name = "tool.prepdata" if path.name == "pyproject.toml" else ""
    if table_name:
        data = data.get("tool", {}).get("prepdata")
        if data is None:
            raise UsageError(f"{path}: has no [tool.prepdata] table")
    checker = _Checker(path, registry.discover(list(rule_files)))
    base = checker.layer(data, table_name, top=True)
    overrides = []
    for number, entry in enumerate(data.get("overrides", [])):
        where = _join(table_name, f"overrides[{number}]")
        if not isinstance(entry, dict):
            raise checker.error(where, "must be a table with `files` and settings ([[overrides]])")
        files = entry.get("files")
        if not _strings(files) or not files:
            raise checker.error(_join(where, "files"), "must be a non-empty list of glob patterns, e.g. [\"eval/*.jsonl\"]")
        overrides.append((tuple(files), checker.layer({k: v for k, v in entry.items() if k != "files"}, where)))
    return Config(path, base, tuple(overrides))


def _join(table: str, key: str) -> str:
    return f"{table}.{key}" if table else key


class _Checker:
    def __init__(self, path: Path, rules: list[type[Rule]]) -> None:
        self.path, self.rules = path, rules

    def error(self, key: str, problem: str) -> UsageError:
        return UsageError(f"{self.path}: `{key}` {problem}")

    def layer(self, table: dict, where: str, top: bool = False) -> Layer:
        allowed = [*SETTING_KEYS, "rules", *(["overrides"] if top else [])]
        values = {}
        for key, value in table.items():
            if key not in allowed:
                raise self.error(_join(where, key), f"is not a prepdata setting; allowed: {', '.join(sorted(allowed))}")
            if key in TABLE_KEYS:
                continue
            check, wanted = SETTING_KEYS[key]
            if not check(value):
                raise self.error(_join(where, key), f"must be {wanted}, not {value!r}")
            if key in SELECTOR_KEYS:
                for selector in value:
                    if not any(registry.selects(rule, selector) for rule in self.rules):
                        raise self.error(_join(where, key), f"names no rule: {selector!r}; see `prepdata rules`")
            values[key] = value
        options, severities = self.rule_tables(table.get("rules", {}), _join(where, "rules"))
        return Layer(values, options, severities)

    def rule_tables(self, tables: Any, where: str) -> tuple[dict, dict]:
        if not isinstance(tables, dict):
            raise self.error(where, "must be a table of rule tables, e.g. [tool.prepdata.rules.near-duplicate]")
        options: dict[str, dict[str, Any]] = {}
        severities: dict[str, Severity] = {}
        for key, table in tables.items():
            here = _join(where, key)
            try:
                rule = registry.find(self.rules, key)
            except UsageError:
                raise self.error(here, "names no rule; see `prepdata rules` for names and codes") from None
            if not isinstance(table, dict):
                raise self.error(here, "must be a table of the rule's options")
            values = {name: value for name, value in table.items() if name != SEVERITY_KEY}
            if SEVERITY_KEY in table:
                levels = [level.value for level in Severity]
                if table[SEVERITY_KEY] not in levels:
                    raise self.error(_join(here, SEVERITY_KEY), f"must be one of {', '.join(levels)}, not {table[SEVERITY_KEY]!r}")
                severities[rule.name] = Severity(table[SEVERITY_KEY])
            try:
                build_options(rule, values)
            except UsageError as error:
                raise UsageError(f"{self.path}: `{here}`: {error}") from None
            options[rule.name] = values
        return options, severities
