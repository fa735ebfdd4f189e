from __future__ import annotations

from collections.abc import Mapping

from prepdata import DEFAULT_POLICY, Mapped, Problem, Schema, Side, Text, check_strict_turns, join, kind_of, read_turns

ROLES = {"user": Side.INPUT, "assistant": Side.MODEL}


class BedrockClaude(Schema):
    """Claude 3 Haiku fine-tuning on Amazon Bedrock: a top-level ``system`` string and
    ``messages`` of user and assistant turns with string content.

    Bedrock's rules, which hold on every platform that takes this shape: at least two
    messages, the first from the user and the last from the assistant, strictly alternating;
    no system message inside ``messages``; no key besides ``system`` and ``messages``.
    """

    name = "bedrock-claude"
    order = 80
    keys = ("system", "messages")
    detected_by = "`messages` beside a top-level `system` string"
    prompt_side = "`system` and user turns"
    generated_side = "assistant turns"

    def detect(self, record: Mapping) -> bool:
        return isinstance(record.get("messages"), list) and isinstance(record.get("system"), str)

    def map(self, record: Mapping) -> Mapped:
        system = (Text("system", record["system"]),) if isinstance(record.get("system"), str) else ()
        return Mapped("conversation", read_turns(record.get("messages"), "messages", ROLES), system=system)

    def problems(self, record: Mapping, policy=DEFAULT_POLICY):
        messages = record.get("messages")
        yield from check_strict_turns(messages, "messages", "Bedrock Claude")
        for number, message in enumerate(messages if isinstance(messages, list) else []):
            content = message.get("content") if isinstance(message, Mapping) else ""
            if not isinstance(content, str) or not content.strip():
                yield Problem(join(join("messages", number), "content"), "is empty" if isinstance(content, str)
                              else f"is a JSON {kind_of(content)}, not a string")
        for key in record:
            if key not in self.keys:
                yield Problem(key, "a key outside system and messages; Bedrock allows no other")
