from __future__ import annotations

import regex

from prepdata import Example, Finding, Rule, Severity, SourceFile, schema_named

# A chat template's or a tokenizer's own tokens: <|im_start|>, <|endoftext|>, <|fim_suffix|>,
# <|eot_id|> ... (``<|>`` alone, Haskell's operator, has nothing between the bars).
_BARRED = r"<\|[A-Za-z0-9_.:-]{1,40}\|>"
_NAMED = [r"\[/?INST\]", r"<</?SYS>>", r"\[(?:EOS|BOS|PAD|UNK)\]", r"<(?:unk|eos|bos|pad)>",
          r"<(?:start|end)_of_turn>"]
_TOKENS = regex.compile("|".join([_BARRED, *_NAMED]))
# Every token above holds one of these; most texts hold neither, and skip the search.
_GATE = ("<", "[")


def _tokens(text: str) -> list[tuple[int, str]]:
    """Where special tokens stand in ``text``: ``<s>`` and ``</s>`` (also HTML's
    strikethrough) only at its very start or end, where Llama's and Mistral's templates
    put them."""
    if not any(mark in text for mark in _GATE):
        return []
    found = [(match.start(), match.group()) for match in _TOKENS.finditer(text)]
    start = len(text) - len(text.lstrip())
    if text.startswith("<s>", start):
        found.insert(0, (start, "<s>"))
    end = len(text.rstrip())
    if text.endswith("</s>", 0, end):
        found.append((end - 4, "</s>"))
    return found


class SpecialToken(Rule):
    """A tokenizer's or chat template's special token inside the text: ``<|im_start|>``,
    ``<|endoftext|>``, ``[INST]``, ``</s>`` ...

    Why: the trainer adds these tokens itself, from the chat template; written into the
    data they are either split into ordinary pieces, teaching the model to write
    ``<|im_end|>`` as text, or read as real control tokens, cutting the example short. Some
    platforms reject the upload outright: an OpenAI job failed on "Example 6174 message
    contains an invalid token: <|fim_suffix|>", and Amazon Nova rejects ``[EOS]``,
    ``<unk>``, ``<image>`` and role labels such as ``User:`` anywhere in the text.

    Reported as a warning, once per example with every place in ``details``; as an error
    for the strings the ``--platform`` rejects (its ``forbidden-tokens``). Not reported
    for schemas whose texts carry the template by design (axolotl's ``segments``).
    ``<s>`` and ``</s>`` count only at the very start or end of a text: elsewhere they are
    HTML's strikethrough.

    Fails: ``{"text": "The answer is 4.<|endoftext|>"}``.
    Passes: ``{"text": "Use <s>old</s> markup for struck-out words."}``.
    """

    code = "PD106"
    name = "special-token"
    severity = Severity.WARNING

    def begin_file(self, file: SourceFile) -> None:
        self.skipped = schema_named(file.shape).templated if file.input_format not in ("txt", "memory") else False
        self.platform = file.platform
        forbidden = file.platform.forbidden_tokens if file.platform else ()
        flags = regex.IGNORECASE if file.platform and file.platform.forbidden_case_insensitive else 0
        self.forbidden = regex.compile("|".join(map(regex.escape, forbidden)), flags) if forbidden else None

    skipped = False
    forbidden = None
    platform = None

    def check(self, example: Example):
        if self.skipped:
            return
        places = []
        rejected = []
        for field in example.fields:
            places += [(field.name, offset, token) for offset, token in _tokens(field.text)]
            if self.forbidden is not None:
                rejected += [(field.name, match.start(), match.group()) for match in self.forbidden.finditer(field.text)]
        if rejected:
            field, offset, token = rejected[0]
            tokens = sorted({token for _, _, token in rejected})
            yield Finding.at(example, f"{', '.join(tokens)} in the text: {self.platform.name} rejects it",
                             offset, field=field, severity=Severity.ERROR,
                             details={"tokens": tokens, "places": [[f, o] for f, o, _ in rejected]})
            return
        if places:
            field, offset, token = places[0]
            tokens = sorted({token for _, _, token in places})
            more = f" and {len(places) - 1} more" if len(places) > 1 else ""
            yield Finding.at(example, f"special token {token} in the text{more}; the trainer adds these itself",
                             offset, field=field, details={"tokens": tokens, "places": [[f, o] for f, o, _ in places]})
