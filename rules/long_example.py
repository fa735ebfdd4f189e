from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from prepdata import Applicability, Example, Finding, Fix, Rule, Severity, SourceFile, UsageError, option

#: Tokenizers that ship inside a wheel (``pip install 'prepdata[tokens]'``), by name.
SHIPPED_ENCODINGS = ("o200k_base", "cl100k_base")
DEFAULT_MAX_TOKENS = 2048


@functools.cache
def _shipped(name: str):
    try:
        import bpe_openai
    except ImportError:
        return None
    return bpe_openai.get_encoding(name)


class LongExample(Rule):
    """An example longer than the model's context, counted in tokens.

    Why: the platform truncates or rejects an example over its token limit; a truncated
    example teaches the model to stop mid-sentence.

    Counted on the whole record (the prompt with the completion, or the whole
    conversation), since all of it must fit the context. The limit is ``max_tokens`` when
    set, else the ``--platform``'s (OpenAI 65,536, Vertex 131,072, ...), else 2,048. The
    count: with ``tokenizer = auto`` (the default), the platform's own tokenizer where it is
    known and ships offline (OpenAI's ``o200k_base``, inside ``pip install
    'prepdata[tokens]'``), else one token per four characters, the usual rule of thumb for
    English with BPE tokenizers. ``tokenizer`` may also name ``o200k_base``,
    ``cl100k_base``, ``approx``, or the path of your model's ``tokenizer.json`` (Hugging
    Face format, with ``prepdata[tokenizers]``); nothing is downloaded. Each finding says
    which count it used.

    Fails (``max_tokens = 10``): a 200-character example (about 50 tokens).
    Passes (``max_tokens = 10``): ``A short one.``

    Fix (unsafe): the example goes to the rejects file.
    """

    code = "PD105"
    name = "long-example"
    severity = Severity.WARNING
    fix_applicability = Applicability.UNSAFE

    @dataclass(frozen=True)
    class Options:
        max_tokens: int | None = option(None, "Most tokens an example may have (default: the platform's, else 2048).")
        tokenizer: str = option("auto", "auto, approx, o200k_base, cl100k_base, or the path of a tokenizer.json file.")

    def __init__(self, options=None) -> None:
        super().__init__(options)
        self.limit = self.options.max_tokens or DEFAULT_MAX_TOKENS
        self._count, self.method = self._counter(self.options.tokenizer)

    def begin_file(self, file: SourceFile) -> None:
        limits = file.platform.limits if file.platform else None
        self.limit = self.options.max_tokens or (limits and limits.max_tokens) or DEFAULT_MAX_TOKENS
        if self.options.tokenizer == "auto":
            self._count, self.method = self._counter(limits.tokens if limits else "approx")

    def _counter(self, tokenizer: str):
        if tokenizer in SHIPPED_ENCODINGS:
            encoding = _shipped(tokenizer)
            if encoding is not None:
                return (lambda text: len(encoding.encode(text))), tokenizer
            if self.options.tokenizer == tokenizer:
                raise UsageError(f"long-example: the {tokenizer} tokenizer needs pip install 'prepdata[tokens]'")
        if tokenizer in ("approx", "auto", "chars/4") or tokenizer in SHIPPED_ENCODINGS:
            return (lambda text: math.ceil(len(text) / 4)), "approximate: characters / 4"
        try:
            from tokenizers import Tokenizer
        except ImportError:
            raise UsageError(
                "long-example: an exact tokenizer needs the tokenizers package; pip install 'prepdata[tokenizers]'"
            ) from None
        try:
            loaded = Tokenizer.from_file(tokenizer)
        except Exception as error:
            raise UsageError(f"long-example: cannot load tokenizer {tokenizer!r}: {error}") from None
        return (lambda text: len(loaded.encode(text, add_special_tokens=False).ids)), tokenizer

    def check(self, example: Example):
        tokens = self._count(example.text)
        if tokens > self.limit:
            yield Finding.at(
                example,
                f"example is {tokens} tokens ({self.method}); the limit is {self.limit}",
                fix=Fix.remove(Applicability.UNSAFE),
                details={"tokens": tokens, "max_tokens": self.limit, "counted": self.method},
            )
