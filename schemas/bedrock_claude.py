from __future__ import annotations

from collections.abc import Mapping

from prepdata import DEFAULT_POLICY, Mapped, Problem, Schema, Side, Text, join, kind_of, read_turns

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
        if not isinstance(messages, list):
            yield Problem("messages", f"is a JSON {kind_of(messages)}, not an array")
            return
        if len(messages) < 2:
            yield Problem("messages", "fewer than two messages; Bedrock needs a user turn and an assistant turn")
        expected = "user"
        for number, message in enumerate(messages):
            at = join("messages", number)
            if not isinstance(message, Mapping):
                yield Problem(at, f"is a JSON {kind_of(message)}, not a message object")
                continue
            role = message.get("role")
            if role not in ROLES:
                yield Problem(join(at, "role"), f"is {role!r}; Bedrock Claude takes user and assistant only"
                              + (" (the system prompt goes in the top-level system)" if role == "system" else ""))
            elif role != expected:
                yield Problem(join(at, "role"), f"is {role!r} where {expected!r} was due: turns must alternate, user first")
            content = message.get("content")
            if not isinstance(content, str) or not content.strip():
                yield Problem(join(at, "content"), "is empty" if isinstance(content, str)
                              else f"is a JSON {kind_of(content)}, not a string")
            expected = "assistant" if role == "user" else "user"
        if messages and isinstance(messages[-1], Mapping) and messages[-1].get("role") != "assistant":
            yield Problem(join("messages", len(messages) - 1), "the last message must be the assistant's")
        for key in record:
            if key not in self.keys:
                yield Problem(key, "a key outside system and messages; Bedrock allows no other")
