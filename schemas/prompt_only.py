from __future__ import annotations

from collections.abc import Mapping

from prepdata import DEFAULT_POLICY, Mapped, Problem, Schema, Severity, Side, check_side, join, read_side


_OTHERS = ("completion", "chosen", "rejected", "messages", "conversations", "label", "kto_tag", "output",
           "instruction", "segments", "contents", "text")


class PromptOnly(Schema):
    """A prompt alone, for online methods (GRPO, online DPO, RLOO) where the model writes
    the answers during training; ``answer`` or ``solution`` may go with it for a reward
    function.

    Reported: an empty prompt; a conversational prompt that ends on the assistant's turn
    (a warning: the model is asked to continue its own answer).
    """

    name = "prompt-only"
    kind = "prompt-only"
    order = 130
    keys = ("prompt", "answer", "solution", "images")
    detected_by = "`prompt` alone (with `answer` or `solution` for a reward function)"
    prompt_side = "`prompt`"
    generated_side = "none: the model samples its answers in training"

    def detect(self, record: Mapping) -> bool:
        # A prompt alone: a record that also holds another schema's keys is that schema's,
        # or no schema's, so that dropping records never turns a file into another schema.
        return "prompt" in record and not any(key in record for key in _OTHERS)

    def map(self, record: Mapping) -> Mapped:
        return Mapped("prompt-only", read_side(record.get("prompt"), "prompt", Side.INPUT, False))

    def problems(self, record: Mapping, policy=DEFAULT_POLICY):
        prompt = record.get("prompt")
        yield from check_side(prompt, "prompt", answer=False, policy=policy)
        if isinstance(prompt, str) and not prompt.strip():
            yield Problem("prompt", "is empty")
        if isinstance(prompt, list) and prompt and isinstance(prompt[-1], Mapping) and prompt[-1].get("role") == "assistant":
            yield Problem(join("prompt", len(prompt) - 1), "the prompt ends on the assistant's turn", Severity.WARNING)
        yield from self.extra_keys(record, policy)
