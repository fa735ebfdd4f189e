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
    Text,
    ToolCall,
    Turn,
    join,
    kind_of,
    name_of,
)

PAYLOADS = ("text", "fileData", "inlineData", "functionCall", "functionResponse")
ROLES = {"user": Side.INPUT, "model": Side.MODEL}


class Gemini(Schema):
    """Gemini tuning on Vertex AI: ``contents``, a list of ``{role, parts}`` with the roles
    ``user`` and ``model``, and an optional ``systemInstruction`` (or
    ``system_instruction``) of text parts.

    A part holds exactly one of ``text``, ``fileData`` (a ``gs://`` or https URI),
    ``inlineData``, ``functionCall`` or ``functionResponse``. Reported: a role other than
    user and model (``assistant`` is OpenAI's name for ``model``); empty ``parts``; a part
    with none or several payloads; no model turn; a ``fileUri`` that is neither gs:// nor
    http(s).
    """

    name = "gemini"
    order = 60
    keys = ("contents", "systemInstruction", "system_instruction", "tools")
    detected_by = "`contents`: a list of `{role, parts}`"
    prompt_side = "`systemInstruction`, user turns and `functionResponse` parts"
    generated_side = "model turns: `text` and `functionCall` parts"

    def detect(self, record: Mapping) -> bool:
        return isinstance(record.get("contents"), list)

    def map(self, record: Mapping) -> Mapped:
        key = _system_key(record)
        system = ()
        instruction = record.get(key)
        if isinstance(instruction, Mapping):
            system = tuple(Text(join(join(join(key, "parts"), n), "text"), part["text"])
                           for n, part in enumerate(_list(instruction.get("parts")))
                           if isinstance(part, Mapping) and isinstance(part.get("text"), str))
        turns = []
        for number, content in enumerate(_list(record.get("contents"))):
            if not isinstance(content, Mapping):
                continue
            side = ROLES.get(name_of(content.get("role")), Side.INPUT)
            trained = side is Side.MODEL
            texts, calls, images = [], [], []
            for index, part in enumerate(_list(content.get("parts"))):
                if not isinstance(part, Mapping):
                    continue
                at = join(join(join("contents", number), "parts"), index)
                if isinstance(part.get("text"), str):
                    texts.append(Text(join(at, "text"), part["text"], trained))
                call = part.get("functionCall")
                if isinstance(call, Mapping):
                    calls.append(ToolCall(str(call.get("name", "")), call.get("args")))
                if isinstance(part.get("fileData"), Mapping):
                    images.append(str(part["fileData"].get("fileUri", "")))
            turns.append(Turn(side, str(content.get("role", "")), tuple(texts), trained, tuple(calls), images=tuple(images)))
        return Mapped("conversation", tuple(turns), system=system)

    def problems(self, record: Mapping, policy=DEFAULT_POLICY):
        key = _system_key(record)
        instruction = record.get(key)
        if instruction is not None:
            parts = instruction.get("parts") if isinstance(instruction, Mapping) else None
            if not isinstance(parts, list) or not all(isinstance(p, Mapping) and isinstance(p.get("text"), str) for p in parts):
                yield Problem(join(key, "parts"), "must be a list of text parts")
        contents = record["contents"]
        if not contents:
            yield Problem("contents", "is empty")
            return
        roles = []
        for number, content in enumerate(contents):
            at = join("contents", number)
            if not isinstance(content, Mapping):
                yield Problem(at, f"is a JSON {kind_of(content)}, not a content object")
                continue
            role = content.get("role")
            roles.append(role)
            if name_of(role) not in ROLES:
                hint = " (Gemini calls the assistant 'model')" if role == "assistant" else ""
                yield Problem(join(at, "role"), f"is {role!r}; expected user or model{hint}")
            parts = content.get("parts")
            if not isinstance(parts, list) or not parts:
                yield Problem(join(at, "parts"), "is empty" if isinstance(parts, list) else "is missing")
                continue
            for index, part in enumerate(parts):
                where = join(join(at, "parts"), index)
                held = [name for name in PAYLOADS if isinstance(part, Mapping) and name in part]
                if len(held) != 1:
                    yield Problem(where, f"must hold exactly one of {', '.join(PAYLOADS)}"
                                  + (f", not {', '.join(held)}" if held else ""))
                    continue
                if held == ["text"] and (not isinstance(part["text"], str) or not part["text"].strip()):
                    yield Problem(join(where, "text"), "is empty")
                if held == ["fileData"]:
                    uri = part["fileData"].get("fileUri") if isinstance(part["fileData"], Mapping) else None
                    if not isinstance(uri, str) or not uri.startswith(("gs://", "https://", "http://")):
                        yield Problem(join(join(where, "fileData"), "fileUri"), "is not a gs:// or http(s) URI")
        if "model" not in roles:
            yield Problem("contents", "no model turn to learn from")
        elif roles[-1] != "model":
            problem = policy.problem("last_turn_model", join("contents", len(roles) - 1),
                                     f"the conversation ends on a {roles[-1]} turn, not the model's; that turn teaches nothing")
            if problem:
                yield problem
        yield from self.extra_keys(record, policy)

    def build(self, mapped: Mapped) -> dict:
        lost = []
        if mapped.kind != "conversation":
            lost.append(Lost("", f"a {mapped.kind} record is not one conversation"))
        system = [text.text for text in mapped.system] + [t.text for t in mapped.turns if t.side is Side.SYSTEM]
        contents = []
        for number, turn in enumerate(mapped.turns):
            if turn.side is Side.SYSTEM:
                continue
            if turn.side is Side.TOOL or turn.tool_calls:
                lost.append(Lost(f"turn {number}", "a tool turn or call"))
            if turn.images:
                lost.append(Lost(f"turn {number}", "an image: Gemini tuning takes files from Cloud Storage"))
            if turn.weight == 0:
                lost.append(Lost(f"turn {number}", "a weight-0 turn: Gemini has no weights"))
            contents.append({"role": "model" if turn.side is Side.MODEL else "user",
                             "parts": [{"text": text.text} for text in turn.texts]})
        if lost:
            raise ConversionError(lost)
        record: dict = {}
        if system:
            record["systemInstruction"] = {"parts": [{"text": text} for text in system]}
        record["contents"] = contents
        return record


def _system_key(record: Mapping) -> str:
    return "system_instruction" if "system_instruction" in record else "systemInstruction"


def _list(value) -> list:
    return value if isinstance(value, list) else []
