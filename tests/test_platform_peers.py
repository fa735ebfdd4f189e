"""The checks that the platforms' own validators make, caught under their profiles: the
cases documented by together.ai's check_file, Mistral's validator (mistral-finetune and
mistral-common) and the OpenAI cookbook's data-preparation notebook
(../shared/reference/platform-formats.md, sections 1.7, 3.2 and 4.2)."""

from __future__ import annotations

import json

import pytest
from conftest import write

import prepdata

USER, ASSISTANT = {"role": "user", "content": "What is the capital of France?"}, {"role": "assistant", "content": "Paris."}

CASES = [
    # together.ai check_file
    ("together", "an extra column", {"messages": [USER, ASSISTANT], "id": 7}, "id: a key outside the chat schema"),
    ("together", "two turns of one role", {"messages": [USER, USER, ASSISTANT]}, "a second user turn in a row"),
    ("together", "a weight that is not an integer", {"messages": [USER, {**ASSISTANT, "weight": 1.0}]}, "weight: is 1.0"),
    ("together", "an image by URL, not base64",
     {"messages": [{"role": "user", "content": [{"type": "text", "text": "What is it?"},
                                                {"type": "image_url", "image_url": {"url": "https://x/y.png"}}]},
                   ASSISTANT]}, "an image URL that is not data"),
    ("together", "text and part lists mixed in one conversation",
     {"messages": [{"role": "user", "content": [{"type": "text", "text": "Hi"}]}, ASSISTANT]}, "mixes string content"),
    ("together", "no assistant message", {"messages": [USER]}, "no turn from the model"),
    ("together", "a role outside system, user, assistant, tool",
     {"messages": [{"role": "developer", "content": "Be brief."}, USER, ASSISTANT]}, "unknown role 'developer'"),
    ("together", "a preference input ending on the assistant",
     {"input": {"messages": [USER, ASSISTANT]}, "preferred_output": [ASSISTANT],
      "non_preferred_output": [{"role": "assistant", "content": "Lyon."}]}, "the input ends on the assistant's turn"),
    ("together", "a schema together does not take", {"instruction": "Say hi", "output": "Hi there, friend."},
     "together does not take alpaca records"),
    # Mistral: mistral-finetune's tokenize.py and mistral-common's validator
    ("mistral", "a conversation that does not end on the assistant", {"messages": [USER, ASSISTANT, USER]},
     "the conversation ends on a user turn"),
    ("mistral", "a second system message",
     {"messages": [{"role": "system", "content": "A"}, USER, {"role": "system", "content": "B"}, ASSISTANT]},
     "a second system message"),
    ("mistral", "a tool-call id that is not nine letters and digits",
     {"messages": [USER, {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function",
                                                               "function": {"name": "wx", "arguments": "{}"}}]},
                   {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}, ASSISTANT]},
     "'call_1' does not match [a-zA-Z0-9]{9}"),
    ("mistral", "arguments that are not a string",
     {"messages": [USER, {"role": "assistant", "tool_calls": [{"id": "D681PevKs", "type": "function",
                                                               "function": {"name": "wx", "arguments": {}}}]},
                   {"role": "tool", "tool_call_id": "D681PevKs", "content": "sunny"}, ASSISTANT]},
     "arguments: is an object"),
    ("mistral", "a tool message without tool_call_id",
     {"messages": [USER, {"role": "assistant", "tool_calls": [{"id": "D681PevKs", "type": "function",
                                                               "function": {"name": "wx", "arguments": "{}"}}]},
                   {"role": "tool", "content": "sunny"}, ASSISTANT]}, "tool_call_id: is missing"),
    ("mistral", "both messages and interactions", {"messages": [USER, ASSISTANT], "interactions": [USER, ASSISTANT]},
     "has both messages and interactions"),
    ("mistral", "both content and text in a message", {"messages": [{**USER, "text": "Hi"}, ASSISTANT]},
     "has both content and text"),
    ("mistral", "an unrecognized role", {"messages": [{"role": "developer", "content": "x"}, USER, ASSISTANT]},
     "unknown role 'developer'"),
    # The OpenAI cookbook's format checks
    ("openai", "a message without a role", {"messages": [{"content": "Hi"}, ASSISTANT]}, "role: is missing"),
    ("openai", "an unrecognized role", {"messages": [{"role": "narrator", "content": "Hi"}, ASSISTANT]},
     "unknown role 'narrator'"),
    ("openai", "a message without content", {"messages": [{"role": "user"}, ASSISTANT]}, "content: is missing"),
    ("openai", "an example with no assistant message", {"messages": [USER]}, "no turn from the model"),
    ("openai", "an empty messages list", {"messages": []}, "messages: is empty"),
    ("openai", "a weight other than 0 or 1", {"messages": [USER, {**ASSISTANT, "weight": 2}]}, "weight: is 2"),
    ("openai", "an invalid token in the text", {"messages": [{"role": "user", "content": "x<|fim_suffix|>"}, ASSISTANT]},
     "<|fim_suffix|> in the text: openai rejects it"),
]


@pytest.mark.parametrize("platform, name, record, message", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_a_peer_validators_error_is_an_error_under_its_profile(platform, name, record, message, tmp_path):
    path = write(tmp_path / "data.jsonl", json.dumps(record) + "\n")
    report = prepdata.lint(path, platform=platform)
    errors = [f.message for f in report.findings if f.severity is prepdata.Severity.ERROR]
    assert any(message in error for error in errors), errors


def test_the_openai_cookbook_token_warning_uses_the_platforms_limit(tmp_path):
    long = {"messages": [USER, {"role": "assistant", "content": "word " * 70_000}]}
    path = write(tmp_path / "data.jsonl", json.dumps(long) + "\n")
    found = [f for f in prepdata.lint(path, platform="openai", select=["long-example"]).findings]
    assert len(found) == 1 and "the limit is 65536" in found[0].message


def test_the_same_records_are_valid_where_the_platform_accepts_them(tmp_path):
    """Two user turns in a row: together rejects them, OpenAI's own vision example has them."""
    path = write(tmp_path / "data.jsonl", json.dumps({"messages": [USER, USER, ASSISTANT]}) + "\n")
    for platform in ("openai", "mistral", "trl", None):
        report = prepdata.lint(path, platform=platform, select=["record-schema"])
        assert report.findings == [], platform


def test_an_inline_image_over_the_platforms_limit(tmp_path):
    """together.ai's check_file and OpenAI's vision guide: at most 10 MB an image."""
    import base64

    image = "data:image/png;base64," + base64.b64encode(b"\x89PNG" + b"\0" * 11_000_000).decode()
    record = {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": image}}]},
                           {"role": "assistant", "content": [{"type": "text", "text": "An image."}]}]}
    path = write(tmp_path / "data.jsonl", json.dumps(record) + "\n")
    for platform in ("openai", "together"):
        errors = [f.message for f in prepdata.lint(path, platform=platform, select=["record-schema"]).findings]
        assert any("an inline image of about 11,000,004 bytes" in error for error in errors), platform
    assert prepdata.lint(path, select=["record-schema"]).findings == []  # no platform, no limit
