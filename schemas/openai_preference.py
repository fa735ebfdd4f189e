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
    check_messages,
    check_tools,
    kind_of,
    read_turns,
    write_turns,
)


class OpenaiPreference(Schema):
    """OpenAI-style preference (DPO) records: ``input`` (an object holding ``messages``,
    and optionally ``tools`` and ``parallel_tool_calls``), ``preferred_output`` and
    ``non_preferred_output`` (lists of assistant messages).

    Used by OpenAI, Azure OpenAI, together.ai and Fireworks. Reported: ``input`` that is not
    an object or has no messages; an output that is not a non-empty list of assistant
    messages; an input whose last message is the assistant's (together.ai rejects it, and
    the outputs would answer nothing); two identical outputs (a warning: the pair teaches
    nothing).
    """

    name = "openai-preference"
    kind = "preference"
    order = 10
    keys = ("input", "preferred_output", "non_preferred_output")
    detected_by = "`input`, `preferred_output` and `non_preferred_output`"
    prompt_side = "`input.messages`"
    generated_side = "`preferred_output` (trained towards); `non_preferred_output` is scored, not imitated"

    def detect(self, record: Mapping) -> bool:
        return "input" in record and "preferred_output" in record and "non_preferred_output" in record

    def map(self, record: Mapping) -> Mapped:
        source = record.get("input") if isinstance(record.get("input"), Mapping) else {}
        tools = source.get("tools")
        return Mapped("preference", read_turns(source.get("messages"), "input.messages"),
                      chosen=read_turns(record.get("preferred_output"), "preferred_output"),
                      rejected=read_turns(record.get("non_preferred_output"), "non_preferred_output", trained=False),
                      tools=tuple(tools) if isinstance(tools, list) else ())

    def problems(self, record: Mapping, policy=DEFAULT_POLICY):
        source = record["input"]
        if not isinstance(source, Mapping):
            yield Problem("input", f"is a JSON {kind_of(source)}, not an object holding messages")
        else:
            messages = source.get("messages")
            yield from check_messages(messages, "input.messages", policy, needs_model_turn=False, ends_on_model=False)
            yield from check_tools(source, "input")
            if isinstance(messages, list) and messages and isinstance(messages[-1], Mapping) \
                    and messages[-1].get("role") == "assistant":
                yield Problem(f"input.messages[{len(messages) - 1}]",
                              "the input ends on the assistant's turn; the outputs should answer the user")
        for key in ("preferred_output", "non_preferred_output"):
            yield from check_messages(record[key], key, policy, model_only=True)
        if record["preferred_output"] == record["non_preferred_output"]:
            yield Problem("non_preferred_output", "equals preferred_output: the pair teaches nothing", Severity.WARNING)
        yield from self.extra_keys(record, policy)

    def build(self, mapped: Mapped) -> dict:
        if mapped.kind != "preference":
            raise ConversionError([Lost("", f"a {mapped.kind} record is not a preference pair")])
        lost = [Lost("", "a prompt of several system turns")] if len(mapped.system) > 1 else []
        if any(turn.side is not Side.MODEL for turn in (*mapped.chosen, *mapped.rejected)):
            lost.append(Lost("", "an answer holding turns other than the model's"))
        if lost:
            raise ConversionError(lost)
        source: dict = {"messages": write_turns(Mapped("conversation", mapped.turns, system=mapped.system))}
        if mapped.tools:
            source["tools"] = list(mapped.tools)
        return {"input": source, "preferred_output": write_turns(mapped.chosen),
                "non_preferred_output": write_turns(mapped.rejected)}
