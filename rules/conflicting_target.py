from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from prepdata import Dataset, Finding, Severity, StreamingRule, option, schema_named


class ConflictingTarget(StreamingRule):
    """Records with the same prompt that train different answers.

    Why: the model is taught two answers to one question, and learns the average of them,
    or whichever came last; in a labelled or extracted dataset it usually means a copy whose
    answer was edited, or a label that changed. Some datasets mean it (several poems for
    one "write a poem" prompt): the finding says which records to look at.

    Compared: the prompt side of each record (system and input turns, earlier turns of a
    conversation, and the tools it offers: the same question with other tools may rightly
    get another answer) and its trained side, both after whitespace and case are normalized.
    Conversations, prompt-completion and instruction records only: a preference pair is
    meant to hold two answers. Each group is reported once, at its first record, with
    every record of the group in ``details``.

    Fails::

        {"prompt": "Capital of Australia?", "completion": "Canberra."}
        {"prompt": "capital of  Australia?", "completion": "Sydney."}

    Passes::

        {"prompt": "Capital of Australia?", "completion": "Canberra."}
        {"prompt": "Capital of Austria?", "completion": "Vienna."}
    """

    code = "PD204"
    name = "conflicting-target"
    severity = Severity.WARNING

    @dataclass(frozen=True)
    class Options:
        min_prompt_length: int = option(1, "Prompts shorter than this many characters are not compared.")

    def start(self, dataset: Dataset) -> None:
        records = dataset.input_format not in ("txt", "memory")
        self.schema = schema_named(dataset.shape) if records else None
        self.active = records and self.schema.kind == "conversation"
        # prompt digest -> (first index, first line, answers seen, every index)
        self.groups: dict[bytes, tuple[int, int, set, list]] = {}

    def consume(self, examples, sites):
        if not self.active:
            return ()
        for example in examples:
            prompt = "\n".join(text for text, field in zip(example.normalized_fields, example.fields)
                               if not field.target and text)
            answer = example.normalized_target
            if len(prompt) < self.options.min_prompt_length or not answer:
                continue
            if isinstance(example.record, dict) and any(key in example.record for key in _TOOL_KEYS):
                prompt += "\n" + json.dumps(self.schema.map(example.record).tools, sort_keys=True, default=str)
            key = _digest(prompt)
            group = self.groups.setdefault(key, (example.index, example.line, set(), []))
            group[2].add(_digest(answer))
            group[3].append(example.index)
        return ()

    def finish(self, fetch):
        for first, line, answers, members in self.groups.values():
            if len(answers) > 1:
                shown = ", ".join(map(str, members[:10])) + (f" and {len(members) - 10} more" if len(members) > 10 else "")
                yield Finding(f"{len(members)} records share this prompt but train {len(answers)} different answers "
                              f"(records {shown})", example=first, line=line,
                              details={"records": members, "answers": len(answers)})


#: Where records keep the tools they offer; only such records are mapped again for them.
_TOOL_KEYS = ("tools", "functions")


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
