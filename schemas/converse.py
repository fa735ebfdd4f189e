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
    check_strict_turns,
    join,
    kind_of,
    name_of,
)

BLOCKS = ("text", "image", "video", "document", "toolUse", "toolResult", "reasoningContent")
ROLES = {"user": Side.INPUT, "assistant": Side.MODEL}
ROLE_OF = {Side.INPUT: "user", Side.MODEL: "assistant"}


class Converse(Schema):
    """Amazon Bedrock's Converse shape (Nova, Llama 3.2): ``schemaVersion``, a ``system``
    list of ``{text}`` blocks and ``messages`` whose content is a list of blocks.

    Blocks: ``text``, ``image`` / ``video`` / ``document`` (with an S3 source),
    ``reasoningContent``, ``toolUse`` and ``toolResult``; tools are declared in
    ``toolConfig``. Reported (Nova's validator): roles other than user and assistant; turns
    that do not alternate from user to assistant; a conversation under two messages or not
    ending on the assistant; empty text; media in an assistant turn; a ``toolUse`` naming
    no declared tool, a repeated ``toolUseId``, a ``toolResult`` answering no earlier call.
    """

    name = "converse"
    order = 70
    keys = ("schemaVersion", "system", "messages", "toolConfig")
    detected_by = "`schemaVersion`, a `system` list, or message content as blocks without `type`"
    prompt_side = "`system` blocks, user turns and `toolResult` blocks"
    generated_side = "assistant text, `reasoningContent` and `toolUse`"

    def detect(self, record: Mapping) -> bool:
        if "schemaVersion" in record or isinstance(record.get("system"), list):
            return isinstance(record.get("messages"), list) or "schemaVersion" in record
        messages = record.get("messages")
        if not isinstance(messages, list):
            return False
        for message in messages:
            content = message.get("content") if isinstance(message, Mapping) else None
            if isinstance(content, list) and content and all(
                    isinstance(block, Mapping) and "type" not in block and set(block) & set(BLOCKS) for block in content):
                return True
        return False

    def map(self, record: Mapping) -> Mapped:
        system = tuple(Text(join(join("system", n), "text"), block["text"])
                       for n, block in enumerate(_list(record.get("system")))
                       if isinstance(block, Mapping) and isinstance(block.get("text"), str))
        turns = []
        for number, message in enumerate(_list(record.get("messages"))):
            if not isinstance(message, Mapping):
                continue
            side = ROLES.get(name_of(message.get("role")), Side.INPUT)
            trained = side is Side.MODEL
            texts, calls, images = [], [], []
            for index, block in enumerate(_list(message.get("content"))):
                at = join(join(join("messages", number), "content"), index)
                if not isinstance(block, Mapping):
                    continue
                if isinstance(block.get("text"), str):
                    texts.append(Text(join(at, "text"), block["text"], trained))
                reasoning = block.get("reasoningContent")
                if isinstance(reasoning, Mapping) and isinstance(reasoning.get("reasoningText"), Mapping):
                    inner = reasoning["reasoningText"].get("text")
                    if isinstance(inner, str):
                        texts.append(Text(join(join(join(at, "reasoningContent"), "reasoningText"), "text"), inner, trained))
                use = block.get("toolUse")
                if isinstance(use, Mapping):
                    calls.append(ToolCall(str(use.get("name", "")), use.get("input"), use.get("toolUseId")))
                result = block.get("toolResult")
                if isinstance(result, Mapping):
                    for part, item in enumerate(_list(result.get("content"))):
                        if isinstance(item, Mapping) and isinstance(item.get("text"), str):
                            texts.append(Text(join(join(join(join(at, "toolResult"), "content"), part), "text"), item["text"]))
                if "image" in block:
                    images.append(_uri(block["image"]))
            turns.append(Turn(side, str(message.get("role", "")), tuple(texts), trained, tuple(calls), images=tuple(images)))
        return Mapped("conversation", tuple(turns), system=system)

    def problems(self, record: Mapping, policy=DEFAULT_POLICY):
        system = record.get("system")
        if system is not None and not isinstance(system, list):
            yield Problem("system", f"is a JSON {kind_of(system)}, not a list of text blocks")
        for number, block in enumerate(_list(system)):
            if not isinstance(block, Mapping) or not isinstance(block.get("text"), str):
                yield Problem(join("system", number), "is not a {text} block")
        messages = record.get("messages")
        yield from check_strict_turns(messages, "messages", "the Converse shape")
        if not isinstance(messages, list):
            return
        declared = _declared_tools(record)
        used: set[str] = set()
        for number, message in enumerate(messages):
            at = join("messages", number)
            if not isinstance(message, Mapping):
                continue
            role = message.get("role")
            content = message.get("content")
            if not isinstance(content, list) or not content:
                yield Problem(join(at, "content"), "is not a non-empty list of content blocks")
                continue
            for index, block in enumerate(content):
                where = join(join(at, "content"), index)
                if not isinstance(block, Mapping) or len(set(block) & set(BLOCKS)) != 1:
                    yield Problem(where, f"must hold exactly one of {', '.join(BLOCKS)}")
                    continue
                if "text" in block and (not isinstance(block["text"], str) or not block["text"].strip()):
                    yield Problem(join(where, "text"), "is empty")
                if role == "assistant" and set(block) & {"image", "video", "document"}:
                    yield Problem(where, "media in an assistant turn; media belong in user turns")
                use = block.get("toolUse")
                if isinstance(use, Mapping):
                    name, use_id = use.get("name"), use.get("toolUseId")
                    if declared is not None and name not in declared:
                        yield Problem(join(join(where, "toolUse"), "name"), f"{name!r} is not declared in toolConfig")
                    if use_id in used:
                        yield Problem(join(join(where, "toolUse"), "toolUseId"), f"{use_id!r} is used twice")
                    used.add(use_id)
                result = block.get("toolResult")
                if isinstance(result, Mapping) and result.get("toolUseId") not in used:
                    yield Problem(join(join(where, "toolResult"), "toolUseId"),
                                  f"{result.get('toolUseId')!r} answers no earlier toolUse")
        yield from self.extra_keys(record, policy)

    def build(self, mapped: Mapped) -> dict:
        lost = []
        if mapped.kind != "conversation":
            lost.append(Lost("", f"a {mapped.kind} record is not one conversation"))
        system = [text.text for text in mapped.system]
        system += [turn.text for turn in mapped.turns if turn.side is Side.SYSTEM]
        turns = [turn for turn in mapped.turns if turn.side is not Side.SYSTEM]
        for number, turn in enumerate(turns):
            if turn.side not in ROLE_OF:
                lost.append(Lost(f"turn {number}", f"a {turn.side} turn: the Converse shape has user and assistant only"))
            if turn.images:
                lost.append(Lost(f"turn {number}", "an image by URL: Converse takes images from S3"))
            if turn.tool_calls:
                lost.append(Lost(f"turn {number}", "a tool call"))
            if turn.weight == 0:
                lost.append(Lost(f"turn {number}", "a weight-0 turn: the Converse shape has no weights"))
        if lost:
            raise ConversionError(lost)
        record: dict = {"schemaVersion": "bedrock-conversation-2024"}
        if system:
            record["system"] = [{"text": text} for text in system]
        record["messages"] = [{"role": ROLE_OF[turn.side], "content": [{"text": text.text} for text in turn.texts]}
                              for turn in turns]
        return record


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _uri(image) -> str:
    source = image.get("source") if isinstance(image, Mapping) else None
    location = source.get("s3Location") if isinstance(source, Mapping) else None
    return str(location.get("uri", "")) if isinstance(location, Mapping) else ""


def _declared_tools(record: Mapping) -> set | None:
    config = record.get("toolConfig")
    if not isinstance(config, Mapping):
        return None
    return {tool["toolSpec"].get("name") for tool in _list(config.get("tools"))
            if isinstance(tool, Mapping) and isinstance(tool.get("toolSpec"), Mapping)}
