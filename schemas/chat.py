from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping

from prepdata import (
    DEFAULT_POLICY,
    ConversionError,
    Lost,
    Mapped,
    Problem,
    Schema,
    Side,
    check_media_placeholders,
    check_messages,
    check_tools,
    read_turns,
    write_turns,
)


class Chat(Schema):
    """OpenAI-style chat: ``messages``, a list of ``{role, content}`` turns.

    The common language of hosted fine-tuning (OpenAI, Azure, together.ai, Mistral,
    Fireworks) and of TRL, axolotl and LLaMA-Factory. Roles ``system``, ``developer``,
    ``user``, ``assistant``, ``tool`` and ``function``. A message may carry ``tool_calls``,
    ``tool_call_id``, ``function_call``, ``name``, ``weight`` (0 or 1) and ``refusal``;
    its content is a string or a list of parts (``text``, ``image_url``, ``input_audio``,
    ``file``). At the top: ``tools``, ``functions``, ``parallel_tool_calls``. Mistral's
    ``interactions`` is read as ``messages``.

    Reported: a message list that is not a list or is empty; a message without a role, or
    with a role outside the set; a turn without content (a model turn may have tool calls
    instead); a part without its payload; a ``weight`` that is not exactly 0 or 1; no
    trained model turn; tool-call ``arguments`` that are not a JSON string (an object is a
    warning: TRL takes it, OpenAI and Mistral do not); a ``tool`` turn whose
    ``tool_call_id`` matches no call; a function name outside ``^[a-zA-Z0-9_-]{1,64}$``.
    Platform-dependent (the profile decides; a warning or nothing without one): the same
    role twice in a row, a last turn that is not the model's, a system message that is not
    first, keys outside the schema.
    """

    name = "chat"
    order = 100
    keys = ("messages", "interactions", "tools", "functions", "parallel_tool_calls")
    detected_by = "`messages` (or Mistral's `interactions`), a list of `{role, content}`"
    prompt_side = "system, developer, user and tool turns; model turns with `weight: 0`"
    generated_side = "assistant turns (content, refusal), unless `weight: 0`"

    def detect(self, record: Mapping) -> bool:
        return "messages" in record or "interactions" in record

    def map(self, record: Mapping) -> Mapped:
        key = _key(record)
        tools = record.get("tools")
        if not isinstance(tools, list) and isinstance(record.get("functions"), list):
            tools = [{"type": "function", "function": function} for function in record["functions"]]
        return Mapped("conversation", read_turns(record.get(key), key),
                      tools=tuple(tools) if isinstance(tools, list) else ())

    def problems(self, record: Mapping, policy=DEFAULT_POLICY):
        if "messages" in record and "interactions" in record:
            yield Problem("", "has both messages and interactions; keep one")
        key = _key(record)
        yield from check_messages(record.get(key), key, policy)
        yield from check_tools(record, "")
        yield from check_media_placeholders(record, self)
        yield from self.extra_keys(record, policy, ("images", "videos", "audios"))

    def build(self, mapped: Mapped) -> dict:
        if mapped.kind == "text":
            return {"messages": [{"role": "assistant", "content": mapped.generated()}]}
        if mapped.kind != "conversation":
            raise ConversionError([Lost("", f"a {mapped.kind} record is not one conversation")])
        record: dict = {"messages": write_turns(_with_call_ids(mapped))}
        if mapped.tools:
            record["tools"] = list(mapped.tools)
        return record


def _with_call_ids(mapped: Mapped) -> Mapped:
    """Legacy function calls, ShareGPT and Gemini have no call ids: each call without one
    gets ``call_<turn>_<n>``, and the tool turns after it answer those ids in order.
    Arguments that are objects become the JSON strings OpenAI and Mistral need."""
    turns, waiting = [], []
    for number, turn in enumerate(mapped.turns):
        if turn.tool_calls:
            calls = []
            for index, call in enumerate(turn.tool_calls):
                arguments = call.arguments if isinstance(call.arguments, str) else json.dumps(call.arguments)
                calls.append(dataclasses.replace(call, id=call.id or f"call_{number}_{index}", arguments=arguments))
            waiting = [call.id for call in calls]
            turn = dataclasses.replace(turn, tool_calls=tuple(calls))
        elif turn.side is Side.TOOL and turn.tool_call_id is None and waiting:
            turn = dataclasses.replace(turn, tool_call_id=waiting.pop(0))
        turns.append(turn)
    return dataclasses.replace(mapped, turns=tuple(turns))


def _key(record: Mapping) -> str:
    return "messages" if "messages" in record or "interactions" not in record else "interactions"
