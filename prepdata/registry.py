"""Finding rules and schemas: the entry-point groups ``prepdata.rules`` and
``prepdata.schemas``, and rule files the user names.

An entry point (or a file) may name a Rule subclass, a module, or a package; from a module
every Rule subclass defined in it is taken, from a package every module in it. The
built-in rules are registered this way too, so they use nothing a plugin could not.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.util
import inspect
import pkgutil
import sys
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import regex

from prepdata.api import Rule, Scope, Severity
from prepdata.errors import PluginError, UsageError
from prepdata.schema import Schema

ENTRY_POINT_GROUP = "prepdata.rules"
_CODE = regex.compile(r"[A-Z]{1,4}[0-9]{2,4}")
_NAME = regex.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def rules_in(target: object, origin: str) -> list[type[Rule]]:
    """The Rule subclasses that ``target`` (a class, module or package) provides."""
    if inspect.isclass(target):
        if not issubclass(target, Rule):
            raise PluginError(f"{origin}: {target.__qualname__} is not a prepdata Rule")
        return [target]
    if not isinstance(target, ModuleType):
        raise PluginError(f"{origin}: names neither a Rule class nor a module")
    found = [
        member
        for _, member in inspect.getmembers(target, inspect.isclass)
        if issubclass(member, Rule) and member is not Rule and member.__module__ == target.__name__
        and not inspect.isabstract(member) and "code" in vars(member)
    ]
    if hasattr(target, "__path__"):
        for info in sorted(pkgutil.iter_modules(target.__path__), key=lambda info: info.name):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{target.__name__}.{info.name}")
            found.extend(rules_in(module, origin))
    return found


def load_rule_file(path: str | Path) -> list[type[Rule]]:
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such rule file; --rules takes the path of a .py file")
    digest = hashlib.blake2b(str(path.resolve()).encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
    module_name = f"{LOCAL_MODULE_PREFIX}{digest}"  # the same in every run, whatever the hash seed
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise UsageError(f"{path}: cannot be loaded as Python; --rules takes a .py file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # a broken plugin must not become a traceback
        raise PluginError(f"{path}: the rule file failed to load: {type(error).__name__}: {error}") from None
    rules = rules_in(module, str(path))
    if not rules:
        raise UsageError(f"{path}: defines no prepdata Rule subclass with a code")
    return rules


LOCAL_MODULE_PREFIX = "prepdata_local_rules_"


def origin(rule: type[Rule]) -> str:
    """Where a rule comes from, for messages: the file named with --rules, else its module."""
    module = sys.modules.get(rule.__module__)
    if rule.__module__.startswith(LOCAL_MODULE_PREFIX) and getattr(module, "__file__", None):
        return str(module.__file__)
    return rule.__module__


def discover(rule_files: list[str | Path] = ()) -> list[type[Rule]]:
    """Every available rule, sorted by code: installed entry points, then ``rule_files``."""
    rules: list[type[Rule]] = []
    seen_entry_points = set()
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        if entry_point.value in seen_entry_points:
            continue
        seen_entry_points.add(entry_point.value)
        origin = f"entry point {entry_point.name!r} ({entry_point.value})"
        try:
            target = entry_point.load()
        except Exception as error:
            raise PluginError(f"{origin} failed to load: {type(error).__name__}: {error}") from None
        rules.extend(rules_in(target, origin))
    for path in rule_files:
        rules.extend(load_rule_file(path))
    return _validated(rules)


def _validated(rules: list[type[Rule]]) -> list[type[Rule]]:
    by_code: dict[str, type[Rule]] = {}
    by_name: dict[str, type[Rule]] = {}
    unique = []
    for rule in rules:
        origin = f"{rule.__module__}.{rule.__qualname__}"
        code, name = getattr(rule, "code", ""), getattr(rule, "name", "")
        if not _CODE.fullmatch(code or ""):
            raise PluginError(f"{origin}: code {code!r} must be 1-4 capital letters and 2-4 digits, e.g. XY101")
        if not _NAME.fullmatch(name or ""):
            raise PluginError(f"{origin}: name {name!r} must be kebab-case, e.g. my-rule")
        if not isinstance(rule.scope, Scope) or not isinstance(rule.severity, Severity):
            raise PluginError(f"{origin}: scope and severity must be prepdata Scope and Severity values")
        if by_code.get(code) is rule:
            continue
        for key, table in ((code, by_code), (name, by_name)):
            if key in table:
                other = table[key]
                raise PluginError(
                    f"{origin}: {key!r} is already used by {other.__module__}.{other.__qualname__}"
                )
            table[key] = rule
        unique.append(rule)
    return sorted(unique, key=lambda rule: rule.code)


def select(
    rules: list[type[Rule]], select: list[str] | None = None, ignore: list[str] | None = None
) -> list[type[Rule]]:
    """Rules chosen by ``select`` and not by ``ignore``. A selector is a rule name, a code,
    a code prefix (``PD2`` selects every PD2xx rule) or ``ALL``."""
    chosen = [rule for rule in rules if any(_matches(rule, s, rules) for s in select)] if select else list(rules)
    if ignore:
        chosen = [rule for rule in chosen if not any(_matches(rule, s, rules) for s in ignore)]
    return chosen


def _matches(rule: type[Rule], selector: str, rules: list[type[Rule]]) -> bool:
    selector = selector.strip()
    if not any(selects(candidate, selector) for candidate in rules):
        known = ", ".join(r.name for r in rules)
        raise UsageError(f"unknown rule {selector!r}; known rules: {known} (or a code or code prefix)")
    return selects(rule, selector)


def selects(rule: type[Rule], selector: str) -> bool:
    if selector.upper() == "ALL":
        return True
    return selector == rule.name or rule.code.startswith(selector.upper()) and bool(selector)


def find(rules: list[type[Rule]], name_or_code: str) -> type[Rule]:
    for rule in rules:
        if name_or_code in (rule.name, rule.code) or name_or_code.upper() == rule.code:
            return rule
    known = ", ".join(f"{r.code} {r.name}" for r in rules)
    raise UsageError(f"unknown rule {name_or_code!r}; known rules: {known}")


SCHEMA_GROUP = "prepdata.schemas"


@functools.cache
def schemas() -> tuple[Schema, ...]:
    """Every installed record schema (entry-point group ``prepdata.schemas``; the built-in
    ones are registered there too), in detection order."""
    found: dict[str, Schema] = {}
    for entry_point in sorted(entry_points(group=SCHEMA_GROUP), key=lambda e: (e.name, e.value)):
        origin = f"schema entry point {entry_point.name!r} ({entry_point.value})"
        try:
            target = entry_point.load()
        except Exception as error:
            raise PluginError(f"{origin} failed to load: {type(error).__name__}: {error}") from None
        for schema_class in _schemas_in(target, origin):
            name = getattr(schema_class, "name", "")
            if not _NAME.fullmatch(name or ""):
                raise PluginError(f"{origin}: schema name {name!r} must be kebab-case, e.g. my-schema")
            if name in found and type(found[name]) is not schema_class:
                raise PluginError(f"{origin}: schema {name!r} is already defined by {type(found[name]).__module__}")
            found[name] = schema_class()
    return tuple(sorted(found.values(), key=lambda schema: (schema.order, schema.name)))


def _schemas_in(target: object, origin: str) -> list[type[Schema]]:
    if inspect.isclass(target):
        if not issubclass(target, Schema):
            raise PluginError(f"{origin}: {target.__qualname__} is not a prepdata Schema")
        return [target]
    if not isinstance(target, ModuleType):
        raise PluginError(f"{origin}: names neither a Schema class nor a module")
    found = [member for _, member in inspect.getmembers(target, inspect.isclass)
             if issubclass(member, Schema) and member is not Schema and member.__module__ == target.__name__]
    if hasattr(target, "__path__"):
        for info in sorted(pkgutil.iter_modules(target.__path__), key=lambda info: info.name):
            if not info.name.startswith("_"):
                found.extend(_schemas_in(importlib.import_module(f"{target.__name__}.{info.name}"), origin))
    return found


def schema_named(name: str) -> Schema:
    for schema in schemas():
        if schema.name == name:
            return schema
    raise UsageError(f"unknown schema {name!r}; use one of {', '.join(s.name for s in schemas())}")


def detect_schema(record: Any) -> Schema | None:
    """The first schema, in detection order, whose shape the record has."""
    if not isinstance(record, dict):
        return None
    return next((schema for schema in schemas() if schema.detect(record)), None)
