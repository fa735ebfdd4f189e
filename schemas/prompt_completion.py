from __future__ import annotations

from collections.abc import Mapping

from prepdata import (
    DEFAULT_POLICY,
    ConversionError,
    Lost,
    Mapped,
    Problem,
    Schema,
    Severity,
    Side,
    check_side,
    join,
    read_side,
    write_turns,
)

PAIRS = (("prompt", "completion"), ("input_text", "output_text"))


class PromptCompletion(Schema):
    """A prompt and the completion the model learns to write.

    TRL's prompt-completion type, in its standard form (two strings) and its
    conversational form (two message lists); also the legacy OpenAI completions format,
    together.ai's instruction format, Bedrock's Titan, Llama and Cohere format, and
    Vertex's PaLM-era ``input_text`` / ``output_text``. Reported: a missing or empty
    completion or prompt; a text that is neither a string nor a message list; a
    conversational completion that is not the assistant's.
    """

    name = "prompt-completion"
    order = 120
    keys = ("prompt", "completion", "input_text", "output_text", "images")
    detected_by = "`prompt` and `completion` (or `input_text` and `output_text`)"
    prompt_side = "`prompt`"
    generated_side = "`completion`"

    def detect(self, record: Mapping) -> bool:
        return any(a in record and b in record for a, b in PAIRS) or ("completion" in record and "label" not in record
                                                                    and "kto_tag" not in record)

    def map(self, record: Mapping) -> Mapped:
        prompt, completion = _pair(record)
        turns = read_side(record.get(prompt), prompt, Side.INPUT, False)
        turns += read_side(record.get(completion), completion, Side.MODEL, True)
        return Mapped("conversation", turns)

    def problems(self, record: Mapping, policy=DEFAULT_POLICY):
        prompt, completion = _pair(record)
        yield from check_side(record.get(prompt), prompt, answer=False, policy=policy)
        yield from check_side(record.get(completion), completion, answer=True, policy=policy)
        value = record.get(completion)
        if isinstance(value, list) and value and isinstance(value[-1], Mapping) \
                and value[-1].get("role") != "assistant":
            yield Problem(join(completion, len(value) - 1), "the completion does not end on the assistant's turn")
        asked = record.get(prompt)
        if isinstance(asked, list) and asked and isinstance(asked[-1], Mapping) \
                and asked[-1].get("role") not in ("user", "tool"):
            yield Problem(join(prompt, len(asked) - 1), "the prompt does not end on the user's (or a tool's) turn",
                          Severity.WARNING)
        yield from self.extra_keys(record, policy)

    def build(self, mapped: Mapped) -> dict:
        """Plain strings when the conversation is one input and one model turn, else TRL's
        conversational form (the prompt's messages, then the model's last turn)."""
        if mapped.kind == "text":
            return {"prompt": "", "completion": mapped.generated()}
        if mapped.kind != "conversation":
            raise ConversionError([Lost("", f"a {mapped.kind} record is not a prompt and a completion")])
        turns = list(mapped.turns)
        if not turns or turns[-1].side is not Side.MODEL:
            raise ConversionError([Lost("", "the conversation does not end on the model's turn: no completion")])
        last = turns.pop()
        simple = (len(turns) == 1 and turns[0].side is Side.INPUT and not mapped.system
                  and not any(t.images or t.tool_calls for t in (*turns, last)))
        if simple:
            return {"prompt": turns[0].text, "completion": last.text}
        if any(t.trained for t in turns):
            raise ConversionError([Lost("", "model turns before the last one are trained; a completion holds one")])
        return {"prompt": write_turns(Mapped("conversation", tuple(turns), system=mapped.system)),
                "completion": write_turns([last])}


def _pair(record: Mapping) -> tuple[str, str]:
    return next(((a, b) for a, b in PAIRS if a in record or b in record), PAIRS[0])

