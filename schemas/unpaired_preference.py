from __future__ import annotations

from collections.abc import Mapping

from prepdata import DEFAULT_POLICY, Mapped, Problem, Schema, Side, check_side, kind_of, read_side, untrained

LABELS = ("label", "kto_tag")
ANSWERS = ("completion", "output")
PROMPTS = ("prompt", "instruction")
#: LLaMA-Factory keeps a whole conversation, whose last turn is the answer judged.
CONVERSATIONS = ("messages", "conversations")


class UnpairedPreference(Schema):
    """Unpaired preference (KTO, BCO): a prompt, one answer and a ``label`` saying whether
    the answer is desirable (TRL's ``label``, LLaMA-Factory's ``kto_tag``). LLaMA-Factory
    also keeps a whole conversation (``messages`` or ``conversations``) whose last turn is
    the answer judged.

    Reported: a label that is not ``true`` or ``false``; a missing or empty answer.
    """

    name = "unpaired-preference"
    kind = "judgement"
    order = 40
    keys = ("prompt", "instruction", "input", "system", "completion", "output", "label", "kto_tag", "messages",
            "conversations")
    detected_by = "`label` or `kto_tag` beside `completion` (or `output`)"
    prompt_side = "`prompt` (or `instruction` and `input`)"
    generated_side = "`completion` when `label` is true; a false label's answer is not imitated"

    def detect(self, record: Mapping) -> bool:
        return any(key in record for key in LABELS) and any(key in record for key in (*ANSWERS, *CONVERSATIONS))

    def map(self, record: Mapping) -> Mapped:
        label = record.get(_label_key(record))
        conversation = next((key for key in CONVERSATIONS if key in record), None)
        if conversation and not any(key in record for key in ANSWERS):
            turns = read_side(record[conversation], conversation, Side.INPUT, label is True)
            return Mapped("judgement", tuple(untrained(turn) for turn in turns[:-1]), chosen=turns[-1:],
                          label=label if isinstance(label, bool) else None)
        answer = _answer_key(record)
        prompt = next((key for key in PROMPTS if key in record), None)
        turns = read_side(record[prompt], prompt, Side.INPUT, False) if prompt else ()
        if isinstance(record.get("input"), str) and record["input"] and prompt == "instruction":
            turns += read_side(record["input"], "input", Side.INPUT, False)
        chosen = read_side(record.get(answer), answer, Side.MODEL, label is True)
        return Mapped("judgement", turns, chosen=chosen, label=label if isinstance(label, bool) else None)

    def problems(self, record: Mapping, policy=DEFAULT_POLICY):
        key = _label_key(record)
        if not isinstance(record[key], bool):
            yield Problem(key, f"is a JSON {kind_of(record[key])}, not true or false")
        conversation = next((key for key in CONVERSATIONS if key in record), None)
        if conversation and not any(key in record for key in ANSWERS):
            yield from check_side(record[conversation], conversation, answer=True, policy=policy)
            yield from self.extra_keys(record, policy)
            return
        prompt = next((key for key in PROMPTS if key in record), None)
        if prompt is None:
            yield Problem("prompt", "is missing")
        else:
            yield from check_side(record[prompt], prompt, answer=False, policy=policy)
        yield from check_side(record.get(_answer_key(record)), _answer_key(record), answer=True, policy=policy)
        yield from self.extra_keys(record, policy)



def _label_key(record: Mapping) -> str:
    return next(key for key in LABELS if key in record)


def _answer_key(record: Mapping) -> str:
    return next((key for key in ANSWERS if key in record), ANSWERS[0])
