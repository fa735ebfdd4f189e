"""The public rule API: everything a rule, built-in or third-party, is written against.

A rule is a subclass of :class:`Rule` with a stable ``code``, a kebab-case ``name``, a
default ``severity``, a ``scope`` and, optionally, an ``Options`` dataclass. Its
``check`` method yields :class:`Finding` objects; a finding may carry a :class:`Fix`.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
from collections.abc import Iterable
from typing import Any, ClassVar

from prepdata.dataset import Dataset, Example, SourceFile
from prepdata.spill import text_of


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


class Scope(str, enum.Enum):
    """What ``check`` receives: a SourceFile, one Example, or the whole Dataset."""

    FILE = "file"
    EXAMPLE = "example"
    DATASET = "dataset"

    def __str__(self) -> str:
        return self.value


class Applicability(str, enum.Enum):
    """Safe fixes keep the meaning of the data; unsafe ones may not (``--unsafe-fixes``)."""

    SAFE = "safe"
    UNSAFE = "unsafe"

    def __str__(self) -> str:
        return self.value


@dataclasses.dataclass(frozen=True, slots=True)
class Fix:
    """A change: a field's new text, dropping the example to the rejects file, or a change
    to the file as a whole (``file_action``, e.g. ``remove-bom``)."""

    applicability: Applicability
    replacement: str | None = None
    field: str | None = None
    drop: bool = False
    file_action: str | None = None

    @classmethod
    def replace(
        cls, text: str, applicability: Applicability = Applicability.SAFE, *, field: str | None = None
    ) -> Fix:
        """Replace the text of ``field`` (by default the example's first field)."""
        return cls(applicability=applicability, replacement=text, field=field)

    def replacement_text(self) -> str | None:
        """``replacement`` as text. On a streamed file the engine keeps the rewrite on disk
        (``prepdata.spill``) and ``replacement`` says where; this reads it back."""
        return None if self.replacement is None else text_of(self.replacement)

    @classmethod
    def remove(cls, applicability: Applicability) -> Fix:
        return cls(applicability=applicability, drop=True)

    @classmethod
    def for_file(cls, action: str, applicability: Applicability = Applicability.SAFE) -> Fix:
        return cls(applicability=applicability, file_action=action)


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    """One problem. Rules set the first fields; the engine fills in the rule and the path."""

    message: str
    example: int | None = None
    field: str | None = None
    line: int = 1
    column: int = 1
    fix: Fix | None = None
    duplicate_of: int | None = None
    details: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False)
    code: str = ""
    rule: str = ""
    severity: Severity | None = None
    path: str = ""
    #: What the finding is about, independent of where it sits: a digest of the example's
    #: text (``content_digest``). Fingerprints and baselines are keyed by it, so they
    #: survive other examples being added or removed.
    content: str | None = dataclasses.field(default=None, compare=False)

    @classmethod
    def at(
        cls,
        example: Example,
        message: str,
        offset: int = 0,
        *,
        field: str | None = None,
        fix: Fix | None = None,
        duplicate_of: int | None = None,
        details: dict[str, Any] | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding at character ``offset`` of a field of ``example`` (its first by default)."""
        line, column = example.position(offset, field)
        return cls(
            message=message,
            example=example.index,
            field=field,
            line=line,
            column=column,
            fix=fix,
            duplicate_of=duplicate_of,
            details=details or {},
            severity=severity,
            content=example.digest,
        )

    @property
    def fixable(self) -> bool:
        return self.fix is not None


def option(default: Any, help: str) -> Any:
    """Declare one field of a rule's ``Options`` dataclass with its help text."""
    return dataclasses.field(default=default, metadata={"help": help})


@dataclasses.dataclass(frozen=True)
class NoOptions:
    pass


class Rule:
    """Base class of every rule. Subclass it, set the class attributes, implement ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    scope: ClassVar[Scope] = Scope.EXAMPLE
    #: The applicability of this rule's fix, or None when it offers none (for tables and docs).
    fix_applicability: ClassVar[Applicability | None] = None
    Options: ClassVar[type] = NoOptions
    #: Set from the configuration (``[rules.NAME] severity = ...``): every finding of
    #: this rule takes it, whatever the rule said.
    severity_override: Severity | None = None
    #: Where the HTML report shows this rule's findings besides its own section, with the
    #: example's text made visible: "whitespace", or None.
    report_section: ClassVar[str | None] = None
    #: Set by ``--keep-going``: an exception in this rule becomes an error finding instead
    #: of ending the run.
    keep_going: bool = False

    def __init__(self, options: Any = None) -> None:
        self.options = options if options is not None else self.Options()

    def check(self, target: SourceFile | Example | Dataset) -> Iterable[Finding]:
        raise NotImplementedError

    def begin_file(self, file: SourceFile) -> None:
        """Called once per file before any of its examples is checked, in the main process
        (worker processes see what it sets): the file's format, schema and platform, for an
        example rule whose judgement depends on them. Does nothing by default."""

    def length_markers(self) -> dict[str, int]:
        """Example lengths (in characters) worth marking on a histogram of lengths, by
        label: e.g. a threshold this rule applies. None by default."""
        return {}

    def check_many(self, examples: list[Example]) -> Iterable[Finding]:
        """Check a run of examples (example scope). Override it to work on many at once,
        e.g. with numpy; the engine hands each process a run of consecutive examples."""
        for example in examples:
            yield from self.check(example)

    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring."""
        doc = inspect.getdoc(cls) or ""
        return doc.splitlines()[0] if doc else ""

    @classmethod
    def documentation(cls) -> str:
        return inspect.getdoc(cls) or ""

    @classmethod
    def option_fields(cls) -> list[dataclasses.Field]:
        return list(dataclasses.fields(cls.Options))


class StreamingRule(Rule):
    """A dataset-scope rule that can also run on a file read a block at a time.

    Implement ``start``, ``consume`` and ``finish``; ``check`` runs them over a dataset in
    memory, so both ways share one implementation. ``consume`` sees the examples (and the
    separator sites) of one block and may report findings about them at once; ``finish``
    reports what needs the whole file, and may ask for examples again by index with
    ``fetch`` (when streaming, that reads the file a second time)."""

    scope = Scope.DATASET

    def start(self, dataset: Dataset) -> None:
        """``dataset`` describes the file (path, separator, encoding, shape); when
        streaming, its ``examples`` is empty and its ``invalid_records`` fills as the file
        is read, complete by ``finish``."""

    def consume(self, examples: list[Example], sites: list) -> Iterable[Finding]:
        return ()

    def finish(self, fetch) -> Iterable[Finding]:
        return ()

    def check(self, dataset: Dataset) -> Iterable[Finding]:
        self.start(dataset)
        yield from self.consume(dataset.examples, dataset.separator_sites)
        by_index = {example.index: example for example in dataset.examples}
        yield from self.finish(lambda indices: {index: by_index[index] for index in indices})
