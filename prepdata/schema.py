"""The public schema API: what a record schema, built-in or third-party, is written against.

A schema is a subclass of :class:`Schema` with a kebab-case ``name``. It knows one shape of
record (a JSON object, a CSV row or a Parquet row as a dict):

- ``detect(record)`` says whether a record has its shape;
- ``map(record)`` reads it into the common model, a :class:`Mapped` record: a conversation
  of turns (system, input, model and tool turns, with their texts, tool calls, images and
  weights), a preference pair, an unpaired judgement or a prompt alone, each text marked
  with its JSON path and whether the model is trained to generate it;
- ``problems(record, policy)`` yields every problem of the record at once, each with the
  JSON path it sits at; the :class:`Policy` (from a platform profile, or the lenient
  default) decides how strict the platform-dependent checks are;
- a record is written back with one text rewritten by :func:`set_text` at a path the
  mapping gave, so every other byte of an untouched record stays as it was.

Schemas that can be built from the common model also implement ``build(mapped)``, which
``prepdata convert`` uses; whatever a schema cannot hold, ``build`` reports as a
:class:`Lost` reason instead of dropping it silently.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import json
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

import regex

from prepdata.api import Severity


class Side(str, enum.Enum):
    """Which part of a conversation a turn belongs to."""

    SYSTEM = "system"
    INPUT = "input"
    MODEL = "model"
    TOOL = "tool"

    def __str__(self) -> str:
        return self.value


@dataclasses.dataclass(frozen=True, slots=True)
class Text:
    """One string of a record: where it is (a JSON path such as ``messages[3].content``),
    the text, and whether the model is trained to generate it. ``joined``: the trainer
    joins it to its neighbours as it stands (TRL's ``"The sky is"`` + ``" blue."``, axolotl's
    segments), so the whitespace at its edges is part of the data, not a flaw."""

    path: str
    text: str
    trained: bool = False
    joined: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class ToolCall:
    name: str
    arguments: Any  # a JSON string (OpenAI) or an object (TRL, Gemini, Converse)
    id: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Turn:
    """One turn of a conversation in the common model. ``role`` is the role as the record
    spells it; ``side`` what it is; ``trained`` whether the model learns to write it (a
    model turn without ``weight: 0``)."""

    side: Side
    role: str
    texts: tuple[Text, ...] = ()
    trained: bool = False
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    name: str | None = None
    images: tuple[str, ...] = ()
    weight: int | None = None

    @property
    def text(self) -> str:
        return "\n".join(text.text for text in self.texts)


@dataclasses.dataclass(frozen=True)
class Mapped:
    """A record in the common model.

    ``kind`` is ``conversation`` (``turns``), ``preference`` (``turns`` is the prompt,
    ``chosen`` and ``rejected`` the two answers), ``judgement`` (``turns`` and one answer
    in ``chosen``, judged good or bad by ``label``), ``prompt-only`` (``turns``, nothing to
    learn from) or ``text`` (one model turn: plain text to learn).
    """

    kind: str
    turns: tuple[Turn, ...] = ()
    chosen: tuple[Turn, ...] = ()
    rejected: tuple[Turn, ...] = ()
    label: bool | None = None
    tools: tuple[dict, ...] = ()
    system: tuple[Text, ...] = ()

    def texts(self) -> list[Text]:
        """Every text of the record, in record order as far as the shape has one."""
        found = list(self.system)
        for turn in (*self.turns, *self.chosen, *self.rejected):
            found.extend(turn.texts)
        return found

    def prompt(self) -> str:
        """The prompt side as one string: system and input turns (for comparisons)."""
        parts = [text.text for text in self.system]
        parts += [text.text for turn in self.turns if not turn.trained for text in turn.texts]
        return "\n".join(parts)

    def generated(self) -> str:
        """The trained side as one string."""
        return "\n".join(text.text for text in self.texts() if text.trained)


@dataclasses.dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with a record: at ``path`` (a JSON path, "" for the record), what
    is wrong, and how bad (``None``: the rule's default, an error)."""

    path: str
    message: str
    severity: Severity | None = None

    def describe(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclasses.dataclass(frozen=True, slots=True)
class Lost:
    """What ``build`` could not carry into the target schema, and where it was."""

    path: str
    reason: str


class ConversionError(Exception):
    """Raised by ``build`` with the reasons a record cannot be written in a schema."""

    def __init__(self, lost: list[Lost]) -> None:
        super().__init__("; ".join(f"{item.path}: {item.reason}" if item.path else item.reason for item in lost))
        self.lost = lost


#: How a platform-dependent check is applied: not at all, as a warning, or as an error.
LEVELS = ("allow", "warn", "error")


@dataclasses.dataclass(frozen=True)
class Policy:
    """How strict a platform is about what a schema allows. The default is lenient: what
    some trainer accepts gets no error, and only checks that a careful reviewer would want
    to hear about everywhere are warnings. A platform profile sets its own."""

    #: The roles allowed in a chat record, or empty for the schema's own set.
    roles: tuple[str, ...] = ()
    #: The same role twice in a row (OpenAI's own vision example does it).
    same_role_twice: str = "allow"
    #: A conversation that does not end on a turn the model writes.
    last_turn_model: str = "warn"
    #: A system message that is not the first, or a second one.
    system_first: str = "warn"
    #: Keys outside the schema's own (together and Bedrock Claude reject them).
    extra_keys: str = "allow"
    #: Tool-call arguments given as an object, not a JSON string (OpenAI and Mistral need
    #: a string; TRL and axolotl take an object).
    object_arguments: str = "warn"
    #: A tool turn whose ``tool_call_id`` matches no earlier call.
    unmatched_tool_call_id: str = "warn"
    #: A pattern tool-call ids must match (Mistral: nine letters and digits), or "".
    tool_call_id_pattern: str = ""
    #: Whether ``weight`` may stand on turns other than the model's (together allows it).
    weight_on_any_turn: bool = False
    #: The most images in one example (0: no limit), and the URL schemes allowed.
    max_images: int = 0
    image_schemes: tuple[str, ...] = ()
    #: For images given inline (``data:`` URLs): the formats allowed and the most bytes.
    image_formats: tuple[str, ...] = ()
    max_image_bytes: int = 0
    #: Images outside input turns.
    images_outside_input: str = "error"
    #: Content given as a list of parts (Bedrock Claude wants strings).
    content_parts: str = "allow"
    #: Text and part-list content mixed in one conversation (together rejects it).
    mixed_content: str = "allow"

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.type == "str" and field.name != "tool_call_id_pattern" and value not in LEVELS:
                raise ValueError(f"{field.name.replace('_', '-')} must be one of {', '.join(LEVELS)}, not {value!r}")

    def problem(self, check: str, path: str, message: str) -> Problem | None:
        """A problem for a platform-dependent ``check`` (a Policy field), or None where the
        policy allows it."""
        level = getattr(self, check)
        if level == "allow":
            return None
        return Problem(path, message, Severity.ERROR if level == "error" else Severity.WARNING)


DEFAULT_POLICY = Policy()


class Schema:
    """Base class of every schema. Subclass it, set ``name`` and ``order``, implement
    ``detect``, ``map`` and ``problems`` (and ``build`` where records can be written)."""

    #: kebab-case, stable: ``--schema NAME`` and profiles name it.
    name: ClassVar[str]
    #: Detection tries schemas in this order, so a schema whose records would also match a
    #: looser one (``bedrock-claude`` before ``chat``) comes first.
    order: ClassVar[int] = 100
    #: The top-level keys of the shape (what ``extra_keys`` is judged against).
    keys: ClassVar[tuple[str, ...]] = ()
    #: What its records are in the common model (``Mapped.kind``): conversation,
    #: preference, judgement, prompt-only or text.
    kind: ClassVar[str] = "conversation"
    #: Its texts hold the chat template's own tokens by design (axolotl's segments add BOS
    #: and EOS themselves), so special tokens in them are not a mistake.
    templated: ClassVar[bool] = False
    #: How the README's table describes detection, the prompt side and the generated side.
    detected_by: ClassVar[str] = ""
    prompt_side: ClassVar[str] = ""
    generated_side: ClassVar[str] = ""

    def detect(self, record: dict) -> bool:
        raise NotImplementedError

    def map(self, record: dict) -> Mapped:
        raise NotImplementedError

    def problems(self, record: dict, policy: Policy = DEFAULT_POLICY) -> Iterator[Problem]:
        return iter(())

    def build(self, mapped: Mapped) -> dict:
        """A record of this schema holding ``mapped``; raises ConversionError with what it
        cannot hold."""
        raise ConversionError([Lost("", f"records cannot be written as {self.name}")])

    @property
    def can_build(self) -> bool:
        return type(self).build is not Schema.build

    def extra_keys(self, record: dict, policy: Policy, allowed: Iterable[str] = ()) -> Iterator[Problem]:
        """A problem per top-level key outside ``keys`` (and ``allowed``), as the policy says."""
        known = set(self.keys) | set(allowed)
        for key in record:
            if key not in known and record[key] is not None:
                problem = policy.problem("extra_keys", key, f"a key outside the {self.name} schema")
                if problem:
                    yield problem

    @classmethod
    def summary(cls) -> str:
        doc = inspect.getdoc(cls) or ""
        return doc.splitlines()[0] if doc else ""

    @classmethod
    def documentation(cls) -> str:
        return inspect.getdoc(cls) or ""


# -- helpers for schema authors ------------------------------------------------------------

_STEP = regex.compile(r"\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]")


def path_steps(path: str) -> list[str | int]:
    """``messages[3].content`` as ``["messages", 3, "content"]``."""
    steps: list[str | int] = []
    position = 0
    while position < len(path):
        match = _STEP.match(path, position)
        if match is None or match.end() == position:
            raise ValueError(f"not a JSON path: {path!r}")
        steps.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
        position = match.end()
    return steps


def set_text(record: dict, path: str, text: str) -> None:
    """Set the string at ``path`` (as a mapping gave it) to ``text``, in place."""
    steps = path_steps(path)
    target = record
    for step in steps[:-1]:
        target = target[step]
    target[steps[-1]] = text


def join(path: str, step: str | int) -> str:
    """A JSON path one step further: ``join("messages", 3)`` is ``messages[3]``."""
    if isinstance(step, int):
        return f"{path}[{step}]"
    return f"{path}.{step}" if path else step


def name_of(value: Any) -> str | None:
    """``value`` if it is a string (a role or a type name), else None: safe to look up in a
    table, whatever JSON the record holds there."""
    return value if isinstance(value, str) else None


def blank(value: Any) -> bool:
    """Missing, null, or a string of only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def kind_of(value: Any) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


def json_string_problem(value: Any) -> str | None:
    """Why ``value`` is not a JSON document in a string, or None."""
    if not isinstance(value, str):
        return f"is a JSON {kind_of(value)}, not a string holding JSON"
    try:
        json.loads(value)
    except (ValueError, RecursionError) as error:
        return f"is not valid JSON ({getattr(error, 'msg', error)})"
    return None


FUNCTION_NAME = regex.compile(r"[a-zA-Z0-9_-]{1,64}")
