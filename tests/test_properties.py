"""The product's promises, over generated datasets (hypothesis)."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from prepdata_rules.excessive_whitespace import ExcessiveWhitespace, normalize

import prepdata
from prepdata.formats.txt import parse_txt
from prepdata.text import without_zero_width

SEPARATOR = "--S--"
TOKENS = [
    "alpha", "Beta", "gamma", "déjà", "日本語", "naïve", "x", "42", ".", ",", "-", "S--", "--S",
    " ", " ", " ", "  ", "\t", "\n", "\n", "\n\n", "\n\n\n", "\u00a0", "\u200b", "\u200d", "\r", "\f",
    "    ", "```",
]
FRAMES = ["\n--S--\n", "\n--S--\n", "\n\n--S--\n\n", " --S-- ", "--S--"]

example_texts = st.lists(st.sampled_from(TOKENS), max_size=25).map("".join)
# Sometimes the same text again, with different case or spacing: duplicates.
repeated = st.sampled_from(["The same example text, repeated here.", "the same example  text, repeated here."])


@st.composite
def txt_files(draw):
    texts = draw(st.lists(st.one_of(example_texts, repeated), min_size=2, max_size=10))
    frames = draw(st.lists(st.sampled_from(FRAMES), min_size=len(texts) - 1, max_size=len(texts) - 1))
    content = texts[0] + "".join(frame + text for frame, text in zip(frames, texts[1:]))
    content += draw(st.sampled_from(["", "\n", "\n--S--\n"]))
    if draw(st.booleans()):
        content = content.replace("\r\n", "\n").replace("\n", "\r\n")
    bom = codecs.BOM_UTF8 if draw(st.booleans()) else b""
    return bom + content.encode("utf-8")


# The number of examples comes from the hypothesis profile (tests/conftest.py):
# HYPOTHESIS_PROFILE=long runs many more.
PROPERTY_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _fix(data: bytes, tmp_path, unsafe: bool, name: str = "data.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return prepdata.fix(path, separator=SEPARATOR, unsafe_fixes=unsafe)


@PROPERTY_SETTINGS
@given(data=txt_files(), unsafe=st.booleans())
def test_cleaned_plus_rejects_account_for_every_example(tmp_path_factory, data, unsafe):
    tmp_path = tmp_path_factory.mktemp("account")
    result = _fix(data, tmp_path, unsafe)
    original = parse_txt(data.decode("utf-8-sig"), separator=SEPARATOR)
    rejected = [reject.example for reject in result.rejects]
    assert len(set(rejected)) == len(rejected)
    assert len(result.texts) + len(rejected) == len(original.examples)
    for reject in result.rejects:
        assert reject.text == original.layout.original(reject.example)
        assert reject.rules and reject.reason
    if result.output_bytes:
        cleaned = parse_txt(result.output_bytes.decode("utf-8-sig"), separator=SEPARATOR, require_separator=False)
        assert [e.text for e in cleaned.examples] == result.texts


@PROPERTY_SETTINGS
@given(data=txt_files(), unsafe=st.booleans())
# A rewrite refused while a dropped example still followed it must be tried again once
# that example is gone, not left for a second run.
@example(data=b"\n--S--\n\n--S--\nThe same example text, repeated here.\n--S--\n--S --S-- ", unsafe=False)
def test_fix_is_idempotent(tmp_path_factory, data, unsafe):
    tmp_path = tmp_path_factory.mktemp("idempotent")
    first = _fix(data, tmp_path, unsafe)
    once = first.output_bytes
    if len(first.texts) < 2 and SEPARATOR.encode() not in once:
        return  # one example left and no separator: reading it with --separator is an error by design
    twice = _fix(once, tmp_path, unsafe, "again.txt")
    assert twice.output_bytes == once
    assert twice.rejects == [] and twice.changed == {}


@PROPERTY_SETTINGS
@given(data=txt_files())
def test_a_file_with_nothing_to_fix_comes_out_byte_identical(tmp_path_factory, data):
    tmp_path = tmp_path_factory.mktemp("identical")
    result = _fix(data, tmp_path, unsafe=True)
    if not any(finding.fixable for finding in result.input.findings):
        assert result.output_bytes == data
    # Examples no fix touched are written back as they were, byte for byte.
    original = parse_txt(data.decode("utf-8-sig"), separator=SEPARATOR)
    untouched = [
        original.layout.original(e.index)
        for e in original.examples
        if e.index not in result.changed and e.index not in {r.example for r in result.rejects}
    ]
    output = (result.output_bytes or b"").decode("utf-8-sig")
    assert all(raw in output for raw in untouched)


@PROPERTY_SETTINGS
@given(data=txt_files().filter(lambda data: SEPARATOR.encode() in data), unsafe=st.booleans())
def test_same_input_same_report_and_output(tmp_path_factory, data, unsafe):
    tmp_path = tmp_path_factory.mktemp("deterministic")
    path = tmp_path / "data.txt"
    path.write_bytes(data)
    first = prepdata.lint(path, separator=SEPARATOR).to_json()
    second = prepdata.lint(path, separator=SEPARATOR).to_json()
    assert first == second
    assert _fix(data, tmp_path, unsafe).output_bytes == _fix(data, tmp_path, unsafe).output_bytes


@settings(deadline=None)
@given(text=st.one_of(example_texts, st.text()))
def test_whitespace_findings_exactly_when_the_fix_changes_the_text(text):
    example = prepdata.Example.of_text(0, text)
    findings = list(ExcessiveWhitespace().check(example))
    if not example.normalized:
        assert findings == []  # whitespace-only examples belong to empty-example
        return
    fixed = normalize(text)
    assert bool(findings) == (fixed != text)
    assert all(f.fix.replacement == fixed for f in findings)
    assert normalize(fixed) == fixed
    assert all(f.message != "whitespace to normalize" for f in findings)  # every change is named
    # The fix changes whitespace and invisible characters only, never the words.
    assert "".join(fixed.split()) == "".join(without_zero_width(text).split())


def test_report_and_output_do_not_depend_on_the_hash_seed(tmp_path):
    """Same bytes in two interpreters with different PYTHONHASHSEED (sets and dicts vary)."""
    from conftest import SAMPLES

    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"clean-{seed}.txt"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        report = subprocess.run(
            [sys.executable, "-m", "prepdata", "lint", SAMPLES / "dirty.txt", "--output-format", "json"],
            capture_output=True, env=env, check=False,
        ).stdout
        subprocess.run(
            [sys.executable, "-m", "prepdata", "fix", SAMPLES / "dirty.txt", "--unsafe-fixes", "-o", out,
             "--rejects", tmp_path / f"rejects-{seed}.jsonl"],
            capture_output=True, env=env, check=False,
        )
        outputs.append((report, out.read_bytes(), (tmp_path / f"rejects-{seed}.jsonl").read_bytes()))
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0][0])["summary"]["findings"] > 0
