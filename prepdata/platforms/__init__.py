"""Platform profiles: what one platform or trainer accepts, as data.

A profile is a TOML file: the ones shipped live beside this module, and a user may give
the path of their own (``--platform ./mine.toml``). It names the schemas the platform
takes, its limits (examples, bytes, tokens per example and how they are counted), the
tokens it forbids in text, its status and where its facts come from, and, in ``[policy]``,
how strict it is about what a schema allows (see ``prepdata.schema.Policy``). A profile
may ``extends`` another and change only what differs.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from pathlib import Path
from typing import Any

from prepdata.errors import UsageError
from prepdata.schema import LEVELS, Policy

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).parent


@dataclasses.dataclass(frozen=True)
class Limits:
    min_examples: int | None = None
    recommended_examples: int | None = None
    max_examples: int | None = None
    min_bytes: int | None = None
    recommended_bytes: int | None = None
    max_bytes: int | None = None
    #: Tokens per example, and how they are counted: a tiktoken encoding shipped with
    #: ``bpe-openai`` (``o200k_base``, ``cl100k_base``) or ``chars/4``.
    max_tokens: int | None = None
    tokens: str = "chars/4"
    max_images: int | None = None


@dataclasses.dataclass(frozen=True)
class Platform:
    name: str
    title: str
    status: str = ""
    source: str = ""
    checked: str = ""
    #: The schemas the platform takes, empty for any.
    schemas: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    limits: Limits = Limits()
    policy: Policy = Policy()
    #: Strings the platform rejects inside text (OpenAI's ``<|fim_suffix|>``, Nova's
    #: ``User:``); ``forbidden_case_insensitive`` as Nova matches them.
    forbidden_tokens: tuple[str, ...] = ()
    forbidden_case_insensitive: bool = False
    notes: str = ""

    def describe(self) -> str:
        """The profile as ``prepdata platform NAME`` prints it."""
        lines = [f"{self.name}: {self.title}"]
        if self.status:
            lines.append(f"status: {self.status}")
        lines.append(f"schemas: {', '.join(self.schemas) if self.schemas else 'any'}")
        if self.suffixes:
            lines.append(f"files: {', '.join(self.suffixes)}")
        for field in dataclasses.fields(Limits):
            value = getattr(self.limits, field.name)
            if value is not None and not (field.name == "tokens" and self.limits.max_tokens is None):
                lines.append(f"{field.name.replace('_', '-')}: {value:,}" if isinstance(value, int)
                             else f"{field.name.replace('_', '-')}: {value}")
        default = Policy()
        for field in dataclasses.fields(Policy):
            value = getattr(self.policy, field.name)
            if value != getattr(default, field.name):
                shown = ", ".join(value) if isinstance(value, tuple) else value
                lines.append(f"{field.name.replace('_', '-')}: {shown}")
        if self.forbidden_tokens:
            lines.append(f"forbidden in text: {' '.join(self.forbidden_tokens)}"
                         + (" (any case)" if self.forbidden_case_insensitive else ""))
        if self.notes:
            lines.append(f"notes: {self.notes}")
        lines.append(f"source: {self.source} (checked {self.checked})")
        return "\n".join(lines)


def names() -> list[str]:
    return sorted(path.stem for path in HERE.glob("*.toml"))


@functools.cache
def load(name_or_path: str) -> Platform:
    """A shipped profile by name, or a user's profile file by path."""
    path = Path(name_or_path)
    if path.suffix == ".toml" or "/" in name_or_path:
        if not path.is_file():
            raise UsageError(f"{name_or_path}: no such platform profile file")
        shown = str(path)
    else:
        path = HERE / f"{name_or_path}.toml"
        if not path.is_file():
            raise UsageError(f"unknown platform {name_or_path!r}; use one of {', '.join(names())} "
                             "or the path of a profile file")
        shown = name_or_path
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UsageError(f"{shown}: not a valid TOML profile ({error})") from None
    return _platform(data, shown, path.stem)


_TOP = {"name", "title", "status", "source", "checked", "schemas", "suffixes", "extends", "limits", "policy",
        "forbidden-tokens", "forbidden-case-insensitive", "notes"}


def _platform(data: dict, shown: str, stem: str) -> Platform:
    unknown = set(data) - _TOP
    if unknown:
        raise UsageError(f"{shown}: unknown key {sorted(unknown)[0]!r}; a profile has {', '.join(sorted(_TOP))}")
    base = load(data["extends"]) if "extends" in data else Platform(stem, stem)
    limits = _table(Limits, base.limits, data.get("limits", {}), f"{shown}: [limits]")
    policy = _table(Policy, base.policy, data.get("policy", {}), f"{shown}: [policy]")
    plain = {key.replace("-", "_"): value for key, value in data.items() if key not in ("extends", "limits", "policy")}
    for key in ("schemas", "suffixes", "forbidden_tokens"):
        if key in plain:
            plain[key] = tuple(plain[key])
    plain.setdefault("name", stem)
    try:
        return dataclasses.replace(base, **plain, limits=limits, policy=policy)
    except TypeError as error:
        raise UsageError(f"{shown}: {error}") from None


def _table(kind: type, base: Any, values: dict, where: str) -> Any:
    known = {field.name for field in dataclasses.fields(kind)}
    converted = {}
    for key, value in values.items():
        name = key.replace("-", "_")
        if name not in known:
            raise UsageError(f"{where}: unknown key {key!r}; known: {', '.join(sorted(k.replace('_', '-') for k in known))}")
        converted[name] = tuple(value) if isinstance(value, list) else value
    try:
        return dataclasses.replace(base, **converted)
    except ValueError as error:
        raise UsageError(f"{where}: {error}") from None


__all__ = ["LEVELS", "Limits", "Platform", "load", "names"]
