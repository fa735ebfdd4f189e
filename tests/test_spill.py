"""Rewrites of a streamed file wait on disk (``prepdata.spill``) and read back unchanged."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from prepdata import spill as spill_module
from prepdata.spill import Spill, SpilledText, text_of

# Any str, lone surrogates included: the readers decode bad bytes as surrogate escapes.
TEXTS = st.lists(st.text(alphabet=st.characters(blacklist_categories=())), max_size=30)


@given(TEXTS, st.integers(1, 64))
def test_every_text_reads_back_as_it_was_put(texts, batch_bytes):
    spill_module._BATCH_BYTES, saved = batch_bytes, spill_module._BATCH_BYTES
    try:
        spill = Spill()
        spilled = [spill.put(text) for text in texts]
        # Read in reverse and again: a read may come before or after the pending batch is written.
        assert [text_of(item) for item in reversed(spilled)] == texts[::-1]
        assert [str(item) for item in spilled] == texts
        assert all(isinstance(item, SpilledText) for item in spilled)
    finally:
        spill_module._BATCH_BYTES = saved


def test_a_text_that_was_never_spilled_is_itself():
    assert text_of("as it is") == "as it is"
