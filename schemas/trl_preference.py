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
    check_side,
    join,
    kind_of,
    read_side,
    untrained,
    write_turns,
)

PROMPT_KEYS = ("prompt", "instruction", "question", "input", "conversations", "messages")
PAIRS = (("chosen", "rejected"), ("chosen_response", "rejected_response"), ("chosen_messages", "rejected_messages"))


class TrlPreference(Schema):
    """TRL's preference records: ``chosen`` and ``rejected``, with the prompt explicit
    (``prompt``) or implicit (the beginning ``chosen`` and ``rejected`` share).

    The community standard for DPO, ORPO, CPO and reward modelling (TRL, axolotl,
    LLaMA-Factory). Standard form: strings; conversational form: message lists (ShareGPT
    turns too). axolotl's ``chosen_response`` / ``rejected_response``, LLaMA-Factory's
    ``conversations`` with one ``chosen`` and one ``rejected`` turn and its v1
    ``chosen_messages`` / ``rejected_messages``, and the prompt keys ``instruction``,
    ``question`` and ``input`` are read too. Reported: an empty or missing answer; one
    answer a string and the other a list; identical answers (a warning); a conversational
    answer that does not end on the assistant; an implicit conversational prompt whose two
    conversations do not start alike.
    """

    name = "trl-preference"
    kind = "preference"
    order = 30
    keys = ("prompt", "instruction", "question", "input", "conversations", "messages", "system", "chosen",
            "rejected", "chosen_response", "rejected_response", "chosen_messages", "rejected_messages", "images")
    detected_by = "`chosen` and `rejected` (or `chosen_response` / `rejected_response`)"
    prompt_side = "`prompt` (or `instruction`, `question`, `input`, `system`); implicit: the shared start"
    generated_side = "`chosen` (trained towards); `rejected` is scored, not imitated"

    def detect(self, record: Mapping) -> bool:
        return any(a in record and b in record for a, b in PAIRS)

    def map(self, record: Mapping) -> Mapped:
        good, bad = _pair(record)
        prompt_key = _prompt_key(record)
        chosen = read_side(record.get(good), good, Side.MODEL, True)
        rejected = read_side(record.get(bad), bad, Side.MODEL, False)
        turns: tuple = ()
        if prompt_key:
            turns = read_side(record[prompt_key], prompt_key, Side.INPUT, False)
        elif isinstance(record.get(good), list) and isinstance(record.get(bad), list):
            shared = _shared_start(record[good], record[bad])
            turns = tuple(untrained(turn) for turn in chosen[:shared])
            chosen, rejected = chosen[shared:], rejected[shared:]
        system = read_side(record["system"], "system", Side.SYSTEM, False)[0].texts \
            if isinstance(record.get("system"), str) else ()
        return Mapped("preference", turns, chosen=chosen, rejected=rejected, system=system)

    def problems(self, record: Mapping, policy=DEFAULT_POLICY):
        good, bad = _pair(record)
        prompt_key = _prompt_key(record)
        if prompt_key:
            yield from check_side(record[prompt_key], prompt_key, answer=False, policy=policy)
        for key in (good, bad):
            yield from check_side(record.get(key), key, answer=True, policy=policy)
            value = record.get(key)
            if isinstance(value, list) and value and isinstance(value[-1], Mapping) \
                    and value[-1].get("role") != "assistant":
                yield Problem(join(key, len(value) - 1), "the answer does not end on the assistant's turn")
        chosen, rejected = record.get(good), record.get(bad)
        if isinstance(chosen, str) != isinstance(rejected, str) and None not in (chosen, rejected):
            yield Problem(bad, f"is a JSON {kind_of(rejected)} where {good} is a JSON {kind_of(chosen)}")
        elif chosen == rejected and chosen is not None:
            yield Problem(bad, f"equals {good}: the pair teaches nothing", Severity.WARNING)
        elif not prompt_key and isinstance(chosen, list) and isinstance(rejected, list) \
                and _shared_start(chosen, rejected) == 0:
            yield Problem("", f"no prompt: neither a prompt key nor a start that {good} and {bad} share")
        yield from self.extra_keys(record, policy)

    def build(self, mapped: Mapped) -> dict:
        if mapped.kind != "preference":
            raise ConversionError([Lost("", f"a {mapped.kind} record is not a preference pair")])
        prompt = write_turns(Mapped("conversation", mapped.turns, system=mapped.system))
        return {"prompt": prompt, "chosen": write_turns(mapped.chosen), "rejected": write_turns(mapped.rejected)}


def _pair(record: Mapping) -> tuple[str, str]:
    return next(((a, b) for a, b in PAIRS if a in record and b in record), PAIRS[0])


def _prompt_key(record: Mapping) -> str | None:
    return next((key for key in PROMPT_KEYS if record.get(key) is not None), None)


def _shared_start(chosen: list, rejected: list) -> int:
    shared = 0
    for first, second in zip(chosen, rejected):
        if first != second:
            break
        shared += 1
    return min(shared, len(chosen) - 1, len(rejected) - 1) if chosen and rejected else 0

