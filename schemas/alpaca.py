from __future__ import annotations

from collections.abc import Mapping

from prepdata import (
    DEFAULT_POLICY,
    Mapped,
    Problem,
    Schema,
    Severity,
    Side,
    Text,
    Turn,
    check_media_placeholders,
    join,
    kind_of,
)

ANSWERS = ("output", "response")


class Alpaca(Schema):
    """Alpaca instruction records: ``instruction``, an optional ``input``, and ``output``
    (or ``response``), with LLaMA-Factory's ``system`` and ``history``.

    The most common shape of LLaMA-Factory's bundled data (66 of 104 datasets), also
    axolotl's ``type: alpaca``. The prompt is the instruction, a line break and the input;
    ``history`` holds earlier ``[instruction, answer]`` pairs, whose answers LLaMA-Factory
    also trains on. Reported: an empty instruction or output; a field that is not a string;
    a ``history`` that is not a list of two-string pairs.
    """

    name = "alpaca"
    order = 110
    keys = ("instruction", "input", "output", "response", "system", "history", "images", "videos", "audios")
    detected_by = "`instruction` and `output` (or `response`)"
    prompt_side = "`system`, `instruction` + `input`, and the prompts of `history`"
    generated_side = "`output`, and the answers of `history`"

    def detect(self, record: Mapping) -> bool:
        return "instruction" in record and any(key in record for key in ANSWERS)

    def map(self, record: Mapping) -> Mapped:
        turns: list[Turn] = []
        for number, pair in enumerate(record.get("history") or []):
            if isinstance(pair, list) and len(pair) == 2 and all(isinstance(item, str) for item in pair):
                at = join("history", number)
                turns.append(Turn(Side.INPUT, "user", (Text(join(at, 0), pair[0]),)))
                turns.append(Turn(Side.MODEL, "assistant", (Text(join(at, 1), pair[1], True),), True))
        texts = [Text(key, record[key]) for key in ("instruction", "input")
                 if isinstance(record.get(key), str) and record[key]]
        turns.append(Turn(Side.INPUT, "user", tuple(texts)))
        answer = _answer(record)
        if isinstance(record.get(answer), str):
            turns.append(Turn(Side.MODEL, "assistant", (Text(answer, record[answer], True),), True))
        system = (Text("system", record["system"]),) if isinstance(record.get("system"), str) and record["system"] else ()
        return Mapped("conversation", tuple(turns), system=system)

    def problems(self, record: Mapping, policy=DEFAULT_POLICY):
        for key in ("instruction", "input", _answer(record), "system"):
            value = record.get(key)
            if value is None:
                continue
            if not isinstance(value, str):
                yield Problem(key, f"is a JSON {kind_of(value)}, not a string")
            elif key in ("instruction", *ANSWERS) and not value.strip():
                yield Problem(key, "is empty")
        instruction, extra = record.get("instruction"), record.get("input")
        if isinstance(instruction, str) and isinstance(extra, str) and len(extra.strip()) > 20 \
                and extra.strip() in instruction:
            yield Problem("input", "is repeated inside the instruction: the prompt holds it twice", Severity.WARNING)
        yield from check_media_placeholders(record, self)
        history = record.get("history")
        if history is not None:
            if not isinstance(history, list):
                yield Problem("history", f"is a JSON {kind_of(history)}, not a list of [instruction, answer] pairs")
            else:
                for number, pair in enumerate(history):
                    if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(item, str) for item in pair)):
                        yield Problem(join("history", number), "is not an [instruction, answer] pair of strings")
        yield from self.extra_keys(record, policy)


def _answer(record: Mapping) -> str:
    return next((key for key in ANSWERS if key in record), ANSWERS[0])
