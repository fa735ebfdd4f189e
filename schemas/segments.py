from __future__ import annotations

from collections.abc import Mapping

from prepdata import DEFAULT_POLICY, Mapped, Problem, Schema, Side, Text, Turn, join, kind_of


class Segments(Schema):
    """axolotl's template-free ``input_output`` records: ``segments``, a list of
    ``{text, label}`` where ``label: true`` marks text the model learns to write.

    Reported: a label that is not true or false; a segment whose text is not a string; no
    segment with ``label: true``.
    """

    name = "segments"
    order = 50
    keys = ("segments",)
    templated = True
    detected_by = "`segments`: a list of `{text, label}`"
    prompt_side = "segments with `label: false`"
    generated_side = "segments with `label: true`"

    def detect(self, record: Mapping) -> bool:
        return isinstance(record.get("segments"), list)

    def map(self, record: Mapping) -> Mapped:
        turns = []
        for number, segment in enumerate(record["segments"]):
            if isinstance(segment, Mapping) and isinstance(segment.get("text"), str):
                trained = segment.get("label") is True
                text = Text(join(join("segments", number), "text"), segment["text"], trained, joined=True)
                turns.append(Turn(Side.MODEL if trained else Side.INPUT, "segment", (text,), trained))
        return Mapped("conversation", tuple(turns))

    def problems(self, record: Mapping, policy=DEFAULT_POLICY):
        labels = []
        for number, segment in enumerate(record["segments"]):
            at = join("segments", number)
            if not isinstance(segment, Mapping):
                yield Problem(at, f"is a JSON {kind_of(segment)}, not a segment object")
                continue
            if not isinstance(segment.get("label"), bool):
                yield Problem(join(at, "label"), f"is a JSON {kind_of(segment.get('label'))}, not true or false")
            if not isinstance(segment.get("text"), str):
                yield Problem(join(at, "text"), f"is a JSON {kind_of(segment.get('text'))}, not a string")
            labels.append(segment.get("label"))
        if True not in labels:
            yield Problem("segments", "no segment with label true: nothing to learn from")
        yield from self.extra_keys(record, policy)
