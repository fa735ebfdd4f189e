from __future__ import annotations

from collections.abc import Mapping

from prepdata import DEFAULT_POLICY, Mapped, Problem, Schema, Side, Text, Turn, kind_of


class PlainText(Schema):
    """Plain text to learn whole: ``{"text": ...}`` (Mistral also takes ``{"content": ...}``).

    Language modelling and continued pre-training in TRL, axolotl, LLaMA-Factory,
    together.ai, Mistral and Nova. Reported: a text that is not a string; both ``text`` and
    ``content`` (Mistral rejects it).
    """

    name = "text"
    kind = "text"
    order = 200
    keys = ("text",)
    detected_by = "`text` (or Mistral's `content`) as the record's text"
    prompt_side = "none"
    generated_side = "the whole `text`"

    def detect(self, record: Mapping) -> bool:
        return "text" in record or ("content" in record and isinstance(record["content"], str))

    def map(self, record: Mapping) -> Mapped:
        key = _key(record)
        value = record.get(key)
        texts = (Text(key, value, True),) if isinstance(value, str) else ()
        return Mapped("text", (Turn(Side.MODEL, "text", texts, True),))

    def problems(self, record: Mapping, policy=DEFAULT_POLICY):
        key = _key(record)
        if "text" in record and "content" in record:
            yield Problem("", "has both text and content; keep one")
        if not isinstance(record.get(key), str):
            yield Problem(key, f"is a JSON {kind_of(record.get(key))}, not a string")
        yield from self.extra_keys(record, policy, ("content",) if key == "content" else ())


def _key(record: Mapping) -> str:
    return "text" if "text" in record else "content"
