"""prepdata: lint, fix and preview finetuning datasets before you upload them.

Everything a rule needs is importable from here; see ``prepdata.api`` for the rule API.
"""

from prepdata.api import Applicability, Finding, Fix, Rule, Scope, Severity, StreamingRule, option
from prepdata.dataset import Dataset, Example, Field, InvalidByte, InvalidRecord, SeparatorSite, SourceFile
from prepdata.errors import InputError, PluginError, PrepdataError, UsageError
from prepdata.formats.jsonl import MODEL_ROLES, PROFILES
from prepdata.minhash import ngram_hashes, word_hashes
from prepdata.runner import FixResult, Settings, fix, lint
from prepdata.similarity import NearCopy, NearCopySearch, NearDuplicateIndex
from prepdata.text import (
    ODD_LINE_BREAKS,
    UNUSUAL_SPACES,
    ZERO_WIDTH,
    content_digest,
    jaccard,
    normalize_for_comparison,
    trailing_blank_start,
    word_shingles,
    words,
)

__version__ = "0.1.0"

__all__ = [
    "Applicability",
    "Dataset",
    "Example",
    "Field",
    "Finding",
    "Fix",
    "FixResult",
    "InputError",
    "InvalidByte",
    "InvalidRecord",
    "MODEL_ROLES",
    "NearCopy",
    "ODD_LINE_BREAKS",
    "NearCopySearch",
    "NearDuplicateIndex",
    "PROFILES",
    "PluginError",
    "PrepdataError",
    "Rule",
    "Scope",
    "SeparatorSite",
    "Settings",
    "Severity",
    "StreamingRule",
    "SourceFile",
    "UNUSUAL_SPACES",
    "UsageError",
    "ZERO_WIDTH",
    "content_digest",
    "fix",
    "jaccard",
    "lint",
    "ngram_hashes",
    "normalize_for_comparison",
    "option",
    "trailing_blank_start",
    "word_hashes",
    "word_shingles",
    "words",
]
