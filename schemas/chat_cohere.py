from __future__ import annotations

from collections.abc import Mapping

from prepdata import (
    DEFAULT_POLICY,
    ConversionError,
    Lost,
    Mapped,
    Problem,
    Schema,
    Side,
    check_messages,
    read_turns,
    write_turns,
)

ROLES = {"System": Side.SYSTEM, "User": Side.INPUT, "Chatbot": Side.MODEL}
WRITTEN = {Side.SYSTEM: "System", Side.INPUT: "User", Side.MODEL: "Chatbot"}


class ChatCohere(Schema):
    """Cohere's chat fine-tuning records: ``messages`` with the roles System, User, Chatbot.

    Cohere ended fine-tuning on 2025-09-15; files in this shape are still around. The first
    System message is the preamble; every conversation needs a User and a Chatbot turn.

    Reported: a role other than the three ("extra speaker"), no Chatbot or no User turn,
    a turn without string content.
    """

    name = "chat-cohere"
    order = 90
    keys = ("messages",)
    detected_by = "`messages` whose roles are capitalized `System`, `User`, `Chatbot`"
    prompt_side = "System (the first is the preamble) and User turns"
    generated_side = "Chatbot turns"

    def detect(self, record: Mapping) -> bool:
        messages = record.get("messages")
        if not isinstance(messages, list):
            return False
        roles = {m.get("role") for m in messages if isinstance(m, Mapping) and isinstance(m.get("role"), str)}
        return bool(roles & set(ROLES)) and not roles & {"system", "user", "assistant", "tool", "developer"}

    def map(self, record: Mapping) -> Mapped:
        return Mapped("conversation", read_turns(record.get("messages"), "messages", ROLES))

    def problems(self, record: Mapping, policy=DEFAULT_POLICY):
        yield from check_messages(record.get("messages"), "messages", policy, roles=ROLES)
        messages = record.get("messages")
        if isinstance(messages, list) and messages:
            roles = [m.get("role") for m in messages if isinstance(m, Mapping)]
            if "User" not in roles:
                yield Problem("messages", "no User turn (Cohere: missing User in example)")
        yield from self.extra_keys(record, policy)

    def build(self, mapped: Mapped) -> dict:
        lost = [Lost(call_path, "a tool call: Cohere chat has no tool turns")
                for call_path in _tool_paths(mapped)]
        lost += [Lost("", "an image: Cohere chat is text only")] if any(t.images for t in mapped.turns) else []
        lost += [Lost("", "a weight-0 turn: Cohere chat has no weights")] if any(
            t.weight == 0 for t in mapped.turns) else []
        if mapped.kind != "conversation":
            lost.append(Lost("", f"a {mapped.kind} record is not one conversation"))
        if lost:
            raise ConversionError(lost)
        return {"messages": write_turns(mapped, WRITTEN)}


def _tool_paths(mapped: Mapped) -> list[str]:
    return [f"turn {number}" for number, turn in enumerate(mapped.turns) if turn.tool_calls or turn.side is Side.TOOL]
