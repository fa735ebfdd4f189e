"""prepdata convert: every record is converted or rejected with its reason, and a round
trip through a schema that holds everything gives the records back."""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLES, write
from hypothesis import given, settings
from hypothesis import strategies as st

import prepdata
from prepdata.convert import convert
from prepdata.runner import Settings, examples_of

#: The pairs the issue names, each with a sample (or a file made here) to convert.
PAIRS = [
    ("dirty.txt", "prompt-completion"),
    ("dirty.txt", "chat"),
    ("alpaca.json", "chat"),
    ("sharegpt.json", "chat"),
    ("chat_openai.jsonl", "gemini"),
    ("chat_openai.jsonl", "converse"),
    ("chat_openai.jsonl", "chat-cohere"),
    ("chat_tools.jsonl", "gemini"),
    ("chat_tools.jsonl", "chat-cohere"),
    ("gemini.jsonl", "chat"),
    ("converse.jsonl", "chat"),
    ("chat_cohere.jsonl", "chat"),
    ("preference_openai.jsonl", "trl-preference"),
    ("preference_trl.jsonl", "openai-preference"),
    ("chat.parquet", "chat"),
]


def _convert(path, to: str):
    info, items = examples_of(path, Settings())
    return convert(info, items, to)


@pytest.mark.parametrize("name, to", PAIRS)
def test_converted_and_rejected_account_for_every_record(name, to, command, tmp_path):
    output, rejects = tmp_path / f"out.{to}.jsonl", tmp_path / "rejects.jsonl"
    run = command("convert", SAMPLES / name, "--to", to, "-o", output, "--rejects", rejects)
    assert run.code in (0, 1), run
    before = prepdata.lint(SAMPLES / name, select=["invalid-record"]).files[0]
    converted = [json.loads(line) for line in output.read_text().splitlines()]
    rejected = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert len(converted) + len(rejected) == before.examples + before.invalid
    assert sorted(r["example"] for r in rejected) == [r["example"] for r in rejected]
    assert all(r["reason"] for r in rejected)
    # The output is a file of the target schema whose records fail it only where the input's
    # did (an empty .txt example is written as an empty completion, and reported there).
    after = prepdata.lint(output, schema=to, select=["record-schema", "invalid-record"])
    assert after.files[0].shape == to
    empty = len(prepdata.lint(SAMPLES / name, select=["empty-example"]).findings) if name.endswith(".txt") else 0
    errors = [f.message for f in after.findings if f.severity is prepdata.Severity.ERROR]
    assert len(errors) == empty and all("empty" in message for message in errors), errors


def test_what_a_schema_cannot_hold_is_rejected_with_the_reason(tmp_path):
    path = write(tmp_path / "chat.jsonl", "\n".join(json.dumps(record) for record in [
        {"messages": [{"role": "user", "content": [{"type": "text", "text": "What is it?"},
                                                   {"type": "image_url", "image_url": {"url": "https://x/y.png"}}]},
                      {"role": "assistant", "content": "A cat."}]},
        {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hey", "weight": 0},
                      {"role": "user", "content": "Bye"}, {"role": "assistant", "content": "Bye now"}]},
        {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello there"}]},
    ]) + "\n")
    result = _convert(path, "chat-cohere")
    assert len(result.records) == 1
    assert [(r.example, r.rules) for r in result.rejects] == [(0, ["convert"]), (1, ["convert"])]
    assert "an image" in result.rejects[0].reason and "weight-0" in result.rejects[1].reason


def test_legacy_functions_become_tools_with_call_ids(tmp_path):
    record = {"messages": [{"role": "user", "content": "Weather?"},
                           {"role": "assistant", "content": None, "function_call": {"name": "wx", "arguments": "{}"}},
                           {"role": "function", "name": "wx", "content": "sunny"},
                           {"role": "assistant", "content": "Sunny."}],
              "functions": [{"name": "wx", "parameters": {"type": "object"}}]}
    path = write(tmp_path / "legacy.jsonl", json.dumps(record) + "\n")
    converted = _convert(path, "chat").records[0]
    call = converted["messages"][1]["tool_calls"][0]
    assert call["function"] == {"name": "wx", "arguments": "{}"} and call["id"]
    assert converted["messages"][2]["role"] == "tool" and converted["messages"][2]["tool_call_id"] == call["id"]
    assert converted["tools"] == [{"type": "function", "function": {"name": "wx", "parameters": {"type": "object"}}}]
    assert list(prepdata.Schema.problems(prepdata.schema_named("chat"), converted)) == []


# -- round trips ------------------------------------------------------------------------

_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30).filter(lambda t: t.strip())


@st.composite
def conversations(draw):
    """Chat records every schema in ROUND_TRIPS can hold: an optional system message, then
    user and assistant turns alternating, ending on the assistant."""
    messages = [{"role": "system", "content": draw(_text)}] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(1, 3))):
        messages += [{"role": "user", "content": draw(_text)}, {"role": "assistant", "content": draw(_text)}]
    return {"messages": messages}


ROUND_TRIPS = ["gemini", "converse", "chat-cohere"]


@settings(max_examples=60, deadline=None)
@given(records=st.lists(conversations(), min_size=1, max_size=4), through=st.sampled_from(ROUND_TRIPS))
def test_a_round_trip_through_a_schema_that_holds_everything_gives_the_records_back(records, through, tmp_path_factory):
    folder = tmp_path_factory.mktemp("round")
    start = folder / "a.jsonl"
    start.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    there = _convert(start, through)
    assert there.rejects == []
    middle = folder / "b.jsonl"
    middle.write_bytes(there.encode(middle))
    back = _convert(middle, "chat")
    assert back.rejects == [] and back.records == records


@st.composite
def preference_pairs(draw):
    prompt = [{"role": "user", "content": draw(_text)}]
    return {"input": {"messages": prompt},
            "preferred_output": [{"role": "assistant", "content": draw(_text)}],
            "non_preferred_output": [{"role": "assistant", "content": draw(_text)}]}


@settings(max_examples=40, deadline=None)
@given(records=st.lists(preference_pairs(), min_size=1, max_size=4))
def test_openai_preference_round_trips_through_trl(records, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pref")
    start = folder / "a.jsonl"
    start.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    there = _convert(start, "trl-preference")
    middle = folder / "b.jsonl"
    middle.write_bytes(there.encode(middle))
    back = _convert(middle, "openai-preference")
    assert there.rejects == [] and back.rejects == [] and back.records == records
