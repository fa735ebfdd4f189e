from __future__ import annotations

import json
from collections.abc import Mapping

from prepdata import (
    DEFAULT_POLICY,
    Mapped,
    Problem,
    Schema,
    Side,
    Text,
    ToolCall,
    Turn,
    check_media_placeholders,
    join,
    json_string_problem,
    kind_of,
    name_of,
)

#: ShareGPT's speakers (``from``), and what each is (FastChat, LLaMA-Factory, axolotl).
SPEAKERS = {"system": Side.SYSTEM, "human": Side.INPUT, "user": Side.INPUT, "gpt": Side.MODEL,
            "assistant": Side.MODEL, "function_call": Side.MODEL, "observation": Side.TOOL, "tool": Side.TOOL}


def _call(value) -> ToolCall:
    """A ``function_call`` turn's value: a JSON string of ``{name, arguments}``."""
    try:
        call = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        call = None
    if isinstance(call, Mapping):
        return ToolCall(str(call.get("name", "")), call.get("arguments", {}))
    return ToolCall("", value)


def _tools(value) -> tuple[dict, ...]:
    """The ``tools`` column (a JSON string of function definitions) as OpenAI-style tools."""
    try:
        functions = json.loads(value) if isinstance(value, str) and value.strip() else []
    except ValueError:
        return ()
    return tuple({"type": "function", "function": f} for f in functions if isinstance(f, Mapping)) \
        if isinstance(functions, list) else ()


class Sharegpt(Schema):
    """ShareGPT conversations: ``conversations``, a list of ``{from, value}`` turns with the
    speakers ``human``, ``gpt``, ``system``, ``function_call`` and ``observation``.

    Legacy but everywhere: 38 of LLaMA-Factory's bundled datasets, axolotl's migration path,
    TRL's ``maybe_convert_to_chatml``. A ``system`` column and a JSON-string ``tools``
    column may go beside it. Reported: an unknown speaker; an empty ``value``; no ``gpt``
    turn; a ``tools`` column that is not valid JSON. As the profile says (LLaMA-Factory
    silently skips such examples): the same speaker twice in a row, a conversation that
    ends on a human turn.
    """

    name = "sharegpt"
    order = 105
    keys = ("conversations", "system", "tools", "images", "videos", "audios", "id")
    detected_by = "`conversations`: a list of `{from, value}`"
    prompt_side = "`system`, `human` and `observation` turns"
    generated_side = "`gpt` and `function_call` turns"

    def detect(self, record: Mapping) -> bool:
        turns = record.get("conversations")
        return isinstance(turns, list) and any(isinstance(t, Mapping) and "from" in t for t in turns)

    def map(self, record: Mapping) -> Mapped:
        turns = []
        for number, turn in enumerate(record.get("conversations") or []):
            if not isinstance(turn, Mapping):
                continue
            speaker = turn.get("from")
            side = SPEAKERS.get(name_of(speaker), Side.INPUT)
            trained = side is Side.MODEL
            at = join(join("conversations", number), "value")
            value = turn.get("value")
            if speaker == "function_call":
                turns.append(Turn(side, speaker, (), trained, (_call(value),)))
                continue
            texts = (Text(at, value, trained),) if isinstance(value, str) else ()
            turns.append(Turn(side, str(speaker), texts, trained))
        system = (Text("system", record["system"]),) if isinstance(record.get("system"), str) and record["system"] else ()
        return Mapped("conversation", tuple(turns), system=system, tools=_tools(record.get("tools")))

    def problems(self, record: Mapping, policy=DEFAULT_POLICY):
        conversations = record["conversations"]
        speakers = []
        for number, turn in enumerate(conversations):
            at = join("conversations", number)
            if not isinstance(turn, Mapping):
                yield Problem(at, f"is a JSON {kind_of(turn)}, not a turn object")
                continue
            speaker = name_of(turn.get("from"))
            if speaker not in SPEAKERS:
                yield Problem(join(at, "from"), f"unknown speaker {turn.get('from')!r}; expected human, gpt, system, "
                              "function_call or observation")
            value = turn.get("value")
            if not isinstance(value, str):
                yield Problem(join(at, "value"), "is missing" if value is None else f"is a JSON {kind_of(value)}, not a string")
            elif not value.strip():
                yield Problem(join(at, "value"), "is empty")
            if speaker in SPEAKERS and SPEAKERS[speaker] is not Side.SYSTEM:
                speakers.append((number, speaker))
        sides = [SPEAKERS[s] for _, s in speakers]
        if Side.MODEL not in sides:
            yield Problem("conversations", "no gpt turn to learn from")
        for (_, first), (number, second) in zip(speakers, speakers[1:]):
            if SPEAKERS[first] is SPEAKERS[second]:
                problem = policy.problem("same_role_twice", join("conversations", number),
                                         f"a second {second} turn in a row (LLaMA-Factory skips such examples)")
                if problem:
                    yield problem
                    break
        if Side.MODEL in sides and sides[-1] is not Side.MODEL:
            problem = policy.problem("last_turn_model", join("conversations", speakers[-1][0]),
                                     f"the conversation ends on a {speakers[-1][1]} turn, not the model's; "
                                     "that turn teaches nothing (and LLaMA-Factory skips such examples)")
            if problem:
                yield problem
        yield from check_media_placeholders(record, self)
        tools = record.get("tools")
        if isinstance(tools, str) and tools.strip():
            reason = json_string_problem(tools)
            if reason:
                yield Problem("tools", reason)
        yield from self.extra_keys(record, policy)
