"""Platform profiles as data: listed, printed, chosen on the command line or in the
configuration, and a user's own profile by path, with every mistake in one a clear error."""

from __future__ import annotations

import json

from conftest import SAMPLES, write

import prepdata
from prepdata import platforms


def test_prepdata_platforms_lists_every_shipped_profile(command):
    run = command("platforms")
    assert run.code == 0, run
    for name in ["openai", "openai-dpo", "azure-openai", "together", "mistral", "vertex-gemini", "bedrock-nova",
                 "bedrock-claude", "fireworks", "cohere", "trl", "axolotl", "llama-factory"]:
        assert name in platforms.names()
        assert f"\n{name} " in "\n" + run.stdout, name


def test_prepdata_platform_prints_limits_strictness_status_and_source(command):
    run = command("platform", "together")
    assert run.code == 0, run
    assert "same-role-twice: error" in run.stdout and "min-examples: 1" in run.stdout
    assert "source: https://docs.together.ai/" in run.stdout and "(checked 2026-" in run.stdout


def test_every_profile_names_its_source_date_and_known_schemas():
    names = {schema.name for schema in prepdata.schemas()}
    for name in platforms.names():
        profile = platforms.load(name)
        assert profile.source.startswith("https://") and profile.checked, name
        assert set(profile.schemas) <= names, name


def test_a_users_profile_by_path_extends_a_shipped_one(tmp_path, command):
    profile = write(tmp_path / "cluster.toml", 'extends = "trl"\ntitle = "Our cluster"\n[limits]\nmin-examples = 3\n'
                                               '[policy]\nsame-role-twice = "error"\n')
    data = write(tmp_path / "chat.jsonl", json.dumps({"messages": [{"role": "user", "content": "Hi"},
                                                                    {"role": "user", "content": "There?"},
                                                                    {"role": "assistant", "content": "Yes."}]}) + "\n")
    run = command("lint", data, "--platform", profile, "--select", "record-schema,example-count")
    assert run.code == 1, run
    assert "1 examples; cluster needs at least 3" in run.stdout
    assert "a second user turn in a row" in run.stdout


def test_a_platform_in_the_configuration_file(tmp_path, command):
    write(tmp_path / "prepdata.toml", 'platform = "mistral"\n')
    data = write(tmp_path / "chat.jsonl", json.dumps({"messages": [{"role": "user", "content": "Hi"},
                                                                    {"role": "assistant", "content": "Hey"},
                                                                    {"role": "user", "content": "Bye"}]}) + "\n")
    run = command("lint", data, "--select", "record-schema")
    assert run.code == 1 and "the conversation ends on a user turn" in run.stdout, run
    assert "prepdata: mistral: " in run.stderr  # its status, said once


def test_mistakes_in_a_profile_or_a_name_are_one_line_and_exit_2(tmp_path, command):
    bad_key = write(tmp_path / "bad.toml", '[policy]\nsame-role-twise = "error"\n')
    bad_level = write(tmp_path / "level.toml", '[policy]\nsame-role-twice = "sometimes"\n')
    cases = [(("platform", "nope"), "unknown platform 'nope'"),
             (("lint", SAMPLES / "chat_tools.jsonl", "--platform", bad_key), "unknown key 'same-role-twise'"),
             (("lint", SAMPLES / "chat_tools.jsonl", "--platform", bad_level), "must be one of allow, warn, error"),
             (("lint", SAMPLES / "chat_tools.jsonl", "--schema", "chatml"), "unknown schema 'chatml'")]
    for arguments, message in cases:
        run = command(*arguments)
        assert run.code == 2 and run.stdout == "" and run.stderr.count("\n") == 1, run
        assert message in run.stderr, run


def test_prepdata_schemas_lists_each_schemas_sides(command):
    run = command("schemas")
    assert run.code == 0
    for schema in prepdata.schemas():
        assert schema.name in run.stdout
    assert "`preferred_output` (trained towards)" in run.stdout


def test_a_forced_schema_reads_every_record_as_it(tmp_path):
    path = write(tmp_path / "data.jsonl", json.dumps({"prompt": "Say hi", "completion": "Hi there!"}) + "\n"
                 + json.dumps({"prompt": "Say yo", "completion": "Yo!"}) + "\n"
                 + json.dumps({"prompt": "Say bye", "completion": "Bye now!", "label": True}) + "\n")
    detected = prepdata.lint(path, select=["invalid-record"])
    assert detected.files[0].shape == "prompt-completion"
    assert [f.example for f in detected.findings] == []  # a labelled record is a prompt-completion too
    forced = prepdata.lint(path, schema="unpaired-preference", select=["invalid-record"])
    assert forced.files[0].shape == "unpaired-preference"
    assert [f.example for f in forced.findings] == [0, 1]  # records without a label are not judgements
