"""Typed rule options: checking and converting the values a user gives."""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from prepdata.api import Rule
from prepdata.errors import UsageError


def option_types(rule: type[Rule]) -> dict[str, Any]:
    return typing.get_type_hints(rule.Options)


def describe_type(annotation: Any) -> str:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if args and _is_optional(annotation):
        return f"{describe_type(args[0])} or none"
    return getattr(annotation, "__name__", str(annotation))


def build_options(rule: type[Rule], values: dict[str, Any] | None) -> Any:
    """An instance of ``rule.Options`` from ``values``; unknown keys and wrong types are errors."""
    values = values or {}
    types_by_name = option_types(rule)
    known = {field.name for field in dataclasses.fields(rule.Options)}
    converted = {}
    for key, value in values.items():
        name = key.replace("-", "_")
        if name not in known:
            allowed = ", ".join(sorted(n.replace("_", "-") for n in known)) or "none"
            raise UsageError(f"rule {rule.name}: unknown option {key!r}; its options are: {allowed}")
        converted[name] = _convert(rule, key, value, types_by_name[name])
    return rule.Options(**converted)


def _is_optional(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    return origin in (typing.Union, types.UnionType) and type(None) in typing.get_args(annotation)


def _convert(rule: type[Rule], key: str, value: Any, annotation: Any) -> Any:
    wanted = describe_type(annotation)
    if _is_optional(annotation):
        if value is None or (isinstance(value, str) and value.lower() in ("none", "")):
            return None
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    try:
        if isinstance(value, str) and annotation is not str:
            value = _parse(value, annotation)
        if annotation is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if annotation in (int, float, str, bool) and (
            not isinstance(value, annotation) or (annotation is not bool and isinstance(value, bool))
        ):
            raise ValueError
    except ValueError:
        raise UsageError(f"rule {rule.name}: option {key!r} takes a {wanted}, not {value!r}") from None
    return value


def _parse(text: str, annotation: Any) -> Any:
    if annotation is bool:
        lowered = text.lower()
        if lowered in ("true", "yes", "1", "on"):
            return True
        if lowered in ("false", "no", "0", "off"):
            return False
        raise ValueError
    return annotation(text)
