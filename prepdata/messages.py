"""OpenAI-style message lists (``[{"role": ..., "content": ...}, ...]``): reading them into
turns of the common model, and checking them. Many schemas hold such lists (``chat``,
``openai-preference``, TRL's conversational forms, ``prompt-completion`` with messages), so
the schemas share this one reading of them; it is part of the public schema API.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping
from typing import Any

import regex

from prepdata.schema import (
    DEFAULT_POLICY,
    FUNCTION_NAME,
    Mapped,
    Policy,
    Problem,
    Side,
    Text,
    ToolCall,
    Turn,
    blank,
    join,
    json_string_problem,
    kind_of,
    name_of,
)

#: The roles of OpenAI-style chat, and what each is in the common model.
OPENAI_ROLES: dict[str, Side] = {
    "system": Side.SYSTEM,
    "developer": Side.SYSTEM,
    "user": Side.INPUT,
    "assistant": Side.MODEL,
    "tool": Side.TOOL,
    "function": Side.TOOL,
}

#: Content part types, and the key each keeps its payload under. LLaMA-Factory's v1 format
#: keeps every payload under ``value`` and adds ``reasoning`` and ``tool_call`` parts.
PART_PAYLOADS = {"text": "text", "image_url": "image_url", "input_audio": "input_audio", "file": "file",
                 "refusal": "refusal", "image": None, "reasoning": "value", "tool_call": "value"}
TEXT_PARTS = ("text", "refusal", "reasoning")

#: ShareGPT's speakers as OpenAI roles (TRL's maybe_convert_to_chatml, LLaMA-Factory).
SHAREGPT_ROLES = {"human": "user", "gpt": "assistant", "system": "system", "observation": "tool",
                  "function_call": "assistant", "user": "user", "assistant": "assistant", "tool": "tool"}


def as_chatml(message: Any) -> Any:
    """A ShareGPT turn (``{from, value}``) as an OpenAI-style message; anything else as it is."""
    if isinstance(message, Mapping) and "from" in message and "role" not in message:
        return {"role": SHAREGPT_ROLES.get(name_of(message["from"]), message["from"]), "content": message.get("value")}
    return message


def _part_text(part: Mapping) -> Any:
    """A text part's text: ``text`` (OpenAI), ``refusal``, or ``value`` (LLaMA-Factory v1)."""
    for key in ("text", "refusal", "value"):
        if key in part:
            return part[key]
    return None


def content_key(message: Mapping) -> str:
    """Mistral also spells ``content`` as ``text``."""
    return "text" if "content" not in message and "text" in message else "content"


def read_turn(message: Mapping, path: str, roles: Mapping[str, Side] = OPENAI_ROLES, *,
              trained: bool | None = None) -> Turn:
    """One message as a turn. A model turn is trained unless its ``weight`` is 0 (or
    ``trained`` says otherwise, e.g. for a rejected answer)."""
    role = message.get("role")
    side = roles.get(role, Side.INPUT) if isinstance(role, str) else Side.INPUT
    weight = message.get("weight")
    # LLaMA-Factory's loss_weight (a float) says the same as weight: 0 is not trained.
    learns = side is Side.MODEL and weight != 0 and message.get("loss_weight") != 0 if trained is None else trained
    texts: list[Text] = []
    images: list[str] = []
    tool_calls_in_parts: list = []
    key = content_key(message)
    content = message.get(key)
    where = join(path, key)
    if isinstance(content, str):
        texts.append(Text(where, content, learns))
    elif isinstance(content, list):
        for number, part in enumerate(content):
            if not isinstance(part, Mapping):
                continue
            kind = part.get("type")
            if kind in (*TEXT_PARTS, None) and isinstance(_part_text(part), str):
                key_of = next(key for key in ("text", "refusal", "value") if key in part)
                texts.append(Text(join(join(where, number), key_of), part[key_of], learns))
            elif kind == "tool_call":
                tool_calls_in_parts.append(part.get("value"))
            elif kind == "image_url":
                image = part.get("image_url")
                url = image.get("url") if isinstance(image, Mapping) else image
                images.append(url if isinstance(url, str) else "")
            elif kind == "image":
                images.append(str(part.get("image") or part.get("url") or ""))
    if isinstance(message.get("refusal"), str):
        texts.append(Text(join(path, "refusal"), message["refusal"], learns))
    calls = []
    tool_calls = message.get("tool_calls")
    if isinstance(tool_calls, list):
        for call in tool_calls:
            if isinstance(call, Mapping):
                function = call.get("function") if isinstance(call.get("function"), Mapping) else call.get("custom")
                function = function if isinstance(function, Mapping) else {}
                arguments = function.get("arguments", function.get("input"))
                calls.append(ToolCall(str(function.get("name", "")), arguments,
                                      call.get("id") if isinstance(call.get("id"), str) else None))
    function_call = message.get("function_call")
    if isinstance(function_call, Mapping):
        calls.append(ToolCall(str(function_call.get("name", "")), function_call.get("arguments")))
    for value in tool_calls_in_parts:
        try:
            call = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            call = None
        if isinstance(call, Mapping):
            calls.append(ToolCall(str(call.get("name", "")), call.get("arguments")))
    tool_call_id = message.get("tool_call_id")
    name = message.get("name")
    return Turn(side, role if isinstance(role, str) else "", tuple(texts), learns, tuple(calls),
                tool_call_id if isinstance(tool_call_id, str) else None, name if isinstance(name, str) else None,
                tuple(images), weight if weight in (0, 1) and not isinstance(weight, bool) else None)


def read_turns(messages: Any, path: str, roles: Mapping[str, Side] = OPENAI_ROLES, *,
               trained: bool | None = None) -> tuple[Turn, ...]:
    if not isinstance(messages, list):
        return ()
    return tuple(read_turn(message, join(path, number), roles, trained=trained)
                 for number, message in enumerate(messages) if isinstance(message, Mapping))


def check_messages(messages: Any, path: str, policy: Policy = DEFAULT_POLICY, *,
                   roles: Mapping[str, Side] = OPENAI_ROLES, needs_model_turn: bool = True,
                   ends_on_model: bool = True, model_only: bool = False) -> Iterator[Problem]:
    """Every problem of a message list at ``path``. ``needs_model_turn``: the list must hold
    a trained model turn (a conversation to learn from); ``ends_on_model``: the list is a
    whole conversation, judged by the policy's last-turn check; ``model_only``: the list is
    an answer (a preferred output), all model turns."""
    if not isinstance(messages, list):
        yield Problem(path, f"is a JSON {kind_of(messages)}, not an array of messages")
        return
    if not messages:
        yield Problem(path, "is empty")
        return
    allowed = set(policy.roles) or set(roles)
    sides: list[Side | None] = []
    turns: list[Turn] = []
    call_ids: set[str] = set()
    images = 0
    content_forms: set[str] = set()
    for number, message in enumerate(messages):
        where = join(path, number)
        if not isinstance(message, Mapping):
            yield Problem(where, f"is a JSON {kind_of(message)}, not a message object")
            sides.append(None)
            continue
        role = message.get("role")
        if not isinstance(role, str) or not role:
            yield Problem(join(where, "role"), "is missing" if role is None else f"is a JSON {kind_of(role)}, not a role name")
            sides.append(None)
            continue
        if role not in allowed:
            yield Problem(join(where, "role"), f"unknown role {role!r}; expected one of {', '.join(_ordered(allowed, roles))}")
        side = roles.get(role, Side.INPUT)
        sides.append(side)
        turn = read_turn(message, where, roles)
        turns.append(turn)
        if model_only and side is not Side.MODEL:
            yield Problem(join(where, "role"), f"is {role!r}; an answer holds only the model's turns")
        yield from _check_content(message, where, side, policy, content_forms)
        yield from _check_weight(message, where, side, policy)
        yield from _check_calls(message, where, side, policy, call_ids)
        if side is Side.TOOL and role == "tool":
            yield from _check_tool_turn(message, where, policy, call_ids)
        images += len(turn.images)
        for url in turn.images:
            if policy.image_schemes and url and not url.startswith(tuple(f"{s}:" for s in policy.image_schemes)):
                yield Problem(join(where, "content"), f"an image URL that is not {' or '.join(policy.image_schemes)}")
            yield from _check_inline_image(url, join(where, "content"), policy)
        if turn.images and side is not Side.INPUT:
            problem = policy.problem("images_outside_input", join(where, "content"),
                                     f"an image in a turn of role {role!r}; images belong in input turns")
            if problem:
                yield problem
    if len(content_forms) > 1:
        problem = policy.problem("mixed_content", path, "mixes string content and lists of parts")
        if problem:
            yield problem
    if policy.max_images and images > policy.max_images:
        yield Problem(path, f"{images} images; at most {policy.max_images} per example")
    if needs_model_turn and not model_only:
        model_turns = [turn for turn in turns if turn.side is Side.MODEL]
        if not model_turns:
            yield Problem(path, "no turn from the model to learn from")
        elif not any(turn.trained for turn in model_turns):
            yield Problem(path, "every model turn has weight 0: nothing to learn from")
    has_model = any(turn.side is Side.MODEL for turn in turns)
    yield from _check_order(messages, sides, path, policy, ends_on_model and has_model and not model_only)


def _ordered(allowed: set[str], roles: Mapping[str, Side]) -> list[str]:
    return [role for role in roles if role in allowed] + sorted(allowed - set(roles))


def _check_content(message: Mapping, where: str, side: Side, policy: Policy, forms: set[str]) -> Iterator[Problem]:
    key = content_key(message)
    content = message.get(key)
    here = join(where, key)
    if "content" in message and "text" in message:
        yield Problem(where, "has both content and text; keep one")
    has_calls = bool(message.get("tool_calls")) or bool(message.get("function_call"))
    if content is None:
        if side is Side.MODEL and (has_calls or isinstance(message.get("refusal"), str)):
            return
        yield Problem(here, "is missing" if side is not Side.MODEL else "is missing, and the turn has no tool_calls")
        return
    if isinstance(content, str):
        forms.add("string")
        if not content.strip() and not (side is Side.MODEL and has_calls):
            yield Problem(here, "is empty")
        return
    if not isinstance(content, list):
        yield Problem(here, f"is a JSON {kind_of(content)}, not a string or a list of parts")
        return
    forms.add("parts")
    problem = policy.problem("content_parts", here, "is a list of parts; this platform takes a string")
    if problem:
        yield problem
    if not content and not has_calls:
        yield Problem(here, "is an empty list of parts")
    for number, part in enumerate(content):
        at = join(here, number)
        if not isinstance(part, Mapping):
            yield Problem(at, f"is a JSON {kind_of(part)}, not a content part")
            continue
        kind = part.get("type")
        if kind is None:
            yield Problem(at, "has no type")
            continue
        if name_of(kind) not in PART_PAYLOADS:
            yield Problem(join(at, "type"), f"unknown part type {kind!r}; expected one of text, image_url, input_audio, file, refusal")
            continue
        payload = PART_PAYLOADS[kind]
        if payload is None:
            continue
        value = part.get(payload)
        if kind in TEXT_PARTS:
            value = _part_text(part)
            if not isinstance(value, str):
                yield Problem(join(at, payload), "is missing" if value is None else f"is a JSON {kind_of(value)}, not a string")
        elif kind == "tool_call":
            reason = json_string_problem(value)
            if reason:
                yield Problem(join(at, payload), reason)
        elif kind == "image_url":
            url = value.get("url") if isinstance(value, Mapping) else None
            if not isinstance(url, str) or not url:
                yield Problem(join(join(at, payload), "url"), "is missing: the part has no image")
        elif kind == "input_audio":
            if not isinstance(value, Mapping) or blank(value.get("data")):
                yield Problem(join(join(at, payload), "data"), "is missing: the part has no audio")
        elif kind == "file":
            if not isinstance(value, Mapping) or (blank(value.get("file_data")) and blank(value.get("file_id"))):
                yield Problem(join(at, payload), "has neither file_data nor file_id")


_DATA_URL = regex.compile(r"data:image/([a-zA-Z0-9.+-]+);base64,")


def _check_inline_image(url: str, at: str, policy: Policy) -> Iterator[Problem]:
    """An image given inline: its format among the platform's, its size within its limit
    (read from the base64 length, not decoded)."""
    if not url.startswith("data:"):
        return
    header = _DATA_URL.match(url)
    if header is None:
        yield Problem(at, "an inline image that is not data:image/<format>;base64,...")
        return
    kind = header.group(1).lower().replace("jpg", "jpeg")
    if policy.image_formats and kind not in policy.image_formats:
        yield Problem(at, f"an inline {kind} image; this platform takes {', '.join(policy.image_formats)}")
    size = (len(url) - header.end()) * 3 // 4
    if policy.max_image_bytes and size > policy.max_image_bytes:
        yield Problem(at, f"an inline image of about {size:,} bytes; this platform takes at most "
                          f"{policy.max_image_bytes:,}")


def _check_weight(message: Mapping, where: str, side: Side, policy: Policy) -> Iterator[Problem]:
    loss_weight = message.get("loss_weight")
    if loss_weight is not None and (isinstance(loss_weight, bool) or not isinstance(loss_weight, (int, float))
                                    or not 0 <= loss_weight <= 1):
        yield Problem(join(where, "loss_weight"), f"is {loss_weight!r}; a loss weight is a number from 0 to 1")
    if "weight" not in message or message["weight"] is None:
        return
    weight = message["weight"]
    if isinstance(weight, bool) or not isinstance(weight, int) or weight not in (0, 1):
        yield Problem(join(where, "weight"), f"is {weight!r}; a weight is exactly 0 or 1 (an integer)")
    elif side is not Side.MODEL and not policy.weight_on_any_turn:
        yield Problem(join(where, "weight"), "on a turn the model does not write; only model turns take a weight")


def _check_calls(message: Mapping, where: str, side: Side, policy: Policy, call_ids: set[str]) -> Iterator[Problem]:
    calls = message.get("tool_calls")
    if calls is not None:
        if side is not Side.MODEL:
            yield Problem(join(where, "tool_calls"), "tool calls in a turn the model does not write")
        if not isinstance(calls, list):
            yield Problem(join(where, "tool_calls"), f"is a JSON {kind_of(calls)}, not an array")
            calls = []
        for number, call in enumerate(calls):
            at = join(join(where, "tool_calls"), number)
            if not isinstance(call, Mapping):
                yield Problem(at, f"is a JSON {kind_of(call)}, not a tool call")
                continue
            kind = call.get("type", "function")
            if kind not in ("function", "custom"):
                yield Problem(join(at, "type"), f"is {kind!r}; expected function")
            body = call.get(kind if kind in ("function", "custom") else "function")
            if not isinstance(body, Mapping):
                yield Problem(join(at, "function"), "is missing")
                continue
            yield from _check_function_name(body.get("name"), join(join(at, "function"), "name"))
            if kind == "function":
                yield from _check_arguments(body, join(at, "function"), policy)
            call_id = call.get("id")
            if call_id is not None:
                if not isinstance(call_id, str) or not call_id:
                    yield Problem(join(at, "id"), "is not a string")
                else:
                    if policy.tool_call_id_pattern and not regex.fullmatch(policy.tool_call_id_pattern, call_id):
                        yield Problem(join(at, "id"), f"{call_id!r} does not match {policy.tool_call_id_pattern}")
                    call_ids.add(call_id)
            elif policy.tool_call_id_pattern:
                yield Problem(join(at, "id"), "is missing")
    function_call = message.get("function_call")
    if function_call is not None:
        at = join(where, "function_call")
        if not isinstance(function_call, Mapping):
            yield Problem(at, f"is a JSON {kind_of(function_call)}, not an object")
        else:
            yield from _check_function_name(function_call.get("name"), join(at, "name"))
            yield from _check_arguments(function_call, at, policy)


def _check_function_name(name: Any, at: str) -> Iterator[Problem]:
    if not isinstance(name, str) or not name:
        yield Problem(at, "is missing")
    elif not FUNCTION_NAME.fullmatch(name):
        yield Problem(at, f"{name!r} is not 1-64 letters, digits, '_' or '-'")


def _check_arguments(function: Mapping, at: str, policy: Policy) -> Iterator[Problem]:
    if "arguments" not in function:
        yield Problem(join(at, "arguments"), "is missing")
        return
    arguments = function["arguments"]
    if isinstance(arguments, Mapping):
        problem = policy.problem("object_arguments", join(at, "arguments"),
                                 "is an object; OpenAI and Mistral need it as a JSON string")
        if problem:
            yield problem
        return
    reason = json_string_problem(arguments)
    if reason:
        yield Problem(join(at, "arguments"), reason)


def _check_tool_turn(message: Mapping, where: str, policy: Policy, call_ids: set[str]) -> Iterator[Problem]:
    call_id = message.get("tool_call_id")
    if call_id is None:
        if policy.tool_call_id_pattern or policy.unmatched_tool_call_id == "error":
            yield Problem(join(where, "tool_call_id"), "is missing: a tool turn answers a call by its id")
        return
    if not isinstance(call_id, str) or not call_id:
        yield Problem(join(where, "tool_call_id"), "is not a string")
    elif call_id not in call_ids:
        problem = policy.problem("unmatched_tool_call_id", join(where, "tool_call_id"),
                                 f"{call_id!r} matches no earlier tool call")
        if problem:
            yield problem


def _check_order(messages: list, sides: list[Side | None], path: str, policy: Policy,
                 ends_on_model: bool) -> Iterator[Problem]:
    roles = [message.get("role") if isinstance(message, Mapping) else None for message in messages]
    for number in range(1, len(messages)):
        if sides[number] is None or roles[number] != roles[number - 1]:
            continue
        if sides[number] in (Side.INPUT, Side.MODEL):
            problem = policy.problem("same_role_twice", join(path, number),
                                     f"a second {roles[number]} turn in a row (this platform needs turns to alternate)")
            if problem:
                yield problem
                break
    systems = [number for number, side in enumerate(sides) if side is Side.SYSTEM]
    if systems and systems[-1] > 0:
        late = next((number for number in systems if number > 0), None)
        message = ("a second system message" if systems[0] == 0 else "a system message that is not the first")
        problem = policy.problem("system_first", join(path, late), message)
        if problem:
            yield problem
    if ends_on_model:
        last = next((side for side in reversed(sides) if side is not None), None)
        if last is not None and last is not Side.MODEL:
            problem = policy.problem("last_turn_model", join(path, len(messages) - 1),
                                     f"the conversation ends on a {roles[-1]} turn, not the model's; "
                                     "that turn teaches nothing (and some trainers reject it)")
            if problem:
                yield problem


def check_tools(record: Mapping, path: str) -> Iterator[Problem]:
    """The ``tools`` (and legacy ``functions``) of a record, or of a preference input at
    ``path``: each an object naming a function whose name the platforms accept."""
    for key in ("tools", "functions"):
        tools = record.get(key)
        here = join(path, key)
        if tools is None:
            continue
        if isinstance(tools, str):  # LLaMA-Factory keeps tools as a JSON string
            reason = json_string_problem(tools)
            if reason:
                yield Problem(here, reason)
                continue
            tools = json.loads(tools)
        if not isinstance(tools, list):
            yield Problem(here, f"is a JSON {kind_of(tools)}, not an array")
            continue
        for number, tool in enumerate(tools):
            at = join(here, number)
            if not isinstance(tool, Mapping):
                yield Problem(at, f"is a JSON {kind_of(tool)}, not an object")
                continue
            if key == "tools" and tool.get("type", "function") != "function":
                continue  # a custom tool names no function
            function = tool.get("function") if key == "tools" else tool
            if not isinstance(function, Mapping):
                yield Problem(join(at, "function"), "is missing")
                continue
            yield from _check_function_name(function.get("name"), join(join(at, "function"), "name")
                                            if key == "tools" else join(at, "name"))


#: The role each side is written as in OpenAI-style chat.
SIDE_ROLES = {Side.SYSTEM: "system", Side.INPUT: "user", Side.MODEL: "assistant", Side.TOOL: "tool"}


def write_turn(turn: Turn, roles: Mapping[Side, str] = SIDE_ROLES) -> dict:
    """One turn as an OpenAI-style message (the inverse of ``read_turn``)."""
    message: dict[str, Any] = {"role": roles[turn.side]}
    if turn.images:
        parts: list[dict] = [{"type": "text", "text": text.text} for text in turn.texts]
        parts += [{"type": "image_url", "image_url": {"url": url}} for url in turn.images]
        message["content"] = parts
    elif turn.texts or not turn.tool_calls:
        message["content"] = turn.text
    if turn.tool_calls:
        message["tool_calls"] = [
            {**({"id": call.id} if call.id is not None else {}), "type": "function",
             "function": {"name": call.name, "arguments": call.arguments}}
            for call in turn.tool_calls
        ]
    if turn.tool_call_id is not None:
        message["tool_call_id"] = turn.tool_call_id
    if turn.name is not None and turn.side is Side.TOOL:
        message["name"] = turn.name
    if turn.weight is not None:
        message["weight"] = turn.weight
    return message


def write_turns(turns: Any, roles: Mapping[Side, str] = SIDE_ROLES) -> list[dict]:
    """A conversation's turns (``Mapped.system`` first, as a system message) as messages."""
    if isinstance(turns, Mapped):
        system = [{"role": roles[Side.SYSTEM], "content": "\n".join(t.text for t in turns.system)}] if turns.system else []
        return system + [write_turn(turn, roles) for turn in turns.turns]
    return [write_turn(turn, roles) for turn in turns]


def read_side(value: Any, path: str, side: Side, trained: bool) -> tuple[Turn, ...]:
    """A field that is a string (TRL's standard form), a message list (its conversational
    form) or one message object, as turns (ShareGPT turns read as messages). Model turns of
    a list are trained if ``trained``."""
    if isinstance(value, list):
        value = [as_chatml(message) for message in value]
    value = as_chatml(value)
    if isinstance(value, str):
        return (Turn(side, str(side), (Text(path, value, trained, joined=True),), trained),)
    if isinstance(value, Mapping):
        return (read_turn(value, path, trained=trained and value.get("role") == "assistant"),)
    if isinstance(value, list):
        return tuple(turn if trained or not turn.trained else untrained(turn) for turn in read_turns(value, path))
    return ()


def untrained(turn: Turn) -> Turn:
    """The turn as part of a prompt: nothing in it is trained."""
    texts = tuple(dataclasses.replace(text, trained=False) for text in turn.texts)
    return dataclasses.replace(turn, trained=False, texts=texts)


def check_side(value: Any, path: str, *, answer: bool, policy: Policy = DEFAULT_POLICY) -> Iterator[Problem]:
    """Problems of a string-or-messages field: missing, or a message list with problems.
    An ``answer`` must not be empty and must hold a model turn; an empty prompt is allowed
    (open-ended generation)."""
    if isinstance(value, list):
        value = [as_chatml(message) for message in value]
    value = as_chatml(value)
    if value is None:
        yield Problem(path, "is missing")
    elif isinstance(value, str):
        if answer and not value.strip():
            yield Problem(path, "is empty")
    elif isinstance(value, Mapping):
        yield from check_messages([value], path, policy, needs_model_turn=answer, ends_on_model=False,
                                  model_only=answer)
    elif isinstance(value, list):
        yield from check_messages(value, path, policy, needs_model_turn=answer, ends_on_model=False)
    else:
        yield Problem(path, f"is a JSON {kind_of(value)}, not a string or a list of messages")


def check_strict_turns(messages: Any, path: str, who: str) -> Iterator[Problem]:
    """Bedrock's rules for ``messages`` (Claude, and the Converse shape of Nova and Llama):
    a list of at least two message objects, user and assistant only, alternating from the
    user's turn to the assistant's last one. ``who`` names the shape in messages."""
    if not isinstance(messages, list):
        yield Problem(path, "is missing" if messages is None else f"is a JSON {kind_of(messages)}, not an array")
        return
    if len(messages) < 2:
        yield Problem(path, "fewer than two messages; a user turn and an assistant turn are needed")
    expected = "user"
    for number, message in enumerate(messages):
        at = join(path, number)
        if not isinstance(message, Mapping):
            yield Problem(at, f"is a JSON {kind_of(message)}, not a message object")
            continue
        role = message.get("role")
        if role not in ("user", "assistant"):
            hint = " (the system prompt goes in the top-level system)" if role == "system" else ""
            yield Problem(join(at, "role"), f"is {role!r}; {who} takes user and assistant only{hint}")
        elif role != expected:
            yield Problem(join(at, "role"), f"is {role!r} where {expected!r} was due: turns must alternate, user first")
        expected = "assistant" if role == "user" else "user"
    if messages and isinstance(messages[-1], Mapping) and messages[-1].get("role") != "assistant":
        yield Problem(join(path, len(messages) - 1), "the last message must be the assistant's")


#: LLaMA-Factory's media columns, and the placeholder each needs in the text per item.
MEDIA_PLACEHOLDERS = {"images": "<image>", "videos": "<video>", "audios": "<audio>"}


def check_media_placeholders(record: Mapping, schema) -> Iterator[Problem]:
    """LLaMA-Factory's multimodal records: as many ``<image>`` (``<video>``, ``<audio>``)
    placeholders in the record's texts (as ``schema`` maps them) as there are items in the
    ``images`` (``videos``, ``audios``) column; a mismatch stops its preprocessing."""
    texts = None
    for column, placeholder in MEDIA_PLACEHOLDERS.items():
        media = record.get(column)
        if not isinstance(media, list):
            continue
        if texts is None:  # only a record with media is mapped again
            texts = [text.text for text in schema.map(record).texts()]
        count = sum(text.count(placeholder) for text in texts)
        if count != len(media):
            yield Problem(column, f"{len(media)} item(s), but {count} {placeholder} placeholder(s) in the text")
