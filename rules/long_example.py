from __future__ import annotations

import math
from dataclasses import dataclass

from prepdata import Applicability, Example, Finding, Fix, Rule, Severity, UsageError, option


class LongExample(Rule):
    """An example longer than the model's context, counted in tokens.

    Why: the platform truncates or rejects an example over its token limit; a truncated
    example teaches the model to stop mid-sentence.

    Counted on the whole record (the prompt with the completion, or the whole
    conversation), since all of it must fit the context. The default counter is fast and
    approximate: one token per four characters, the usual rule of thumb for English with
    BPE tokenizers. For an exact count, install ``prepdata[tokenizers]`` and set
    ``tokenizer`` to the path of your model's ``tokenizer.json`` (Hugging Face format);
    nothing is downloaded.

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
        max_tokens: int = option(2048, "Most tokens an example may have.")
        tokenizer: str = option("approx", "approx, or the path of a tokenizer.json file.")

    def __init__(self, options=None) -> None:
        super().__init__(options)
        self._count = self._counter()

    def _counter(self):
        if self.options.tokenizer == "approx":
            return lambda text: math.ceil(len(text) / 4)
        try:
            from tokenizers import Tokenizer
        except ImportError:
            raise UsageError(
                "long-example: an exact tokenizer needs the tokenizers package; pip install 'prepdata[tokenizers]'"
            ) from None
        try:
            tokenizer = Tokenizer.from_file(self.options.tokenizer)
        except Exception as error:
            raise UsageError(f"long-example: cannot load tokenizer {self.options.tokenizer!r}: {error}") from None
        return lambda text: len(tokenizer.encode(text, add_special_tokens=False).ids)

    def check(self, example: Example):
        tokens = self._count(example.text)
        if tokens > self.options.max_tokens:
            how = "about " if self.options.tokenizer == "approx" else ""
            yield Finding.at(
                example,
                f"example is {how}{tokens} tokens; the limit is {self.options.max_tokens}",
                fix=Fix.remove(Applicability.UNSAFE),
                details={"tokens": tokens, "max_tokens": self.options.max_tokens},
            )
