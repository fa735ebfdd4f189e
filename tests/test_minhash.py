"""prepdata's vectorized MinHash equals datasketch's, and grouping scales to big clusters."""

from __future__ import annotations

import random

import numpy as np
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

import prepdata
from prepdata import minhash, tokens
from prepdata.dataset import analyse_words
from prepdata.text import normalize_for_comparison, word_shingles, words

texts = st.text(alphabet=st.sampled_from(list("abcdefgh éß日 ,.\n")), max_size=200)


@settings(deadline=None)
@given(batch=st.lists(texts, min_size=1, max_size=8))
def test_signatures_equal_datasketch_for_the_same_shingles(batch):
    tokens = [words(normalize_for_comparison(text)) for text in batch]
    ours = minhash.signatures([minhash.shingle_hashes(t) for t in tokens])
    for row, token_list in zip(ours, tokens, strict=True):
        reference = MinHash(num_perm=minhash.NUM_PERM, seed=minhash.SEED, hashfunc=minhash.shingle_hash32)
        reference.update_batch(sorted(word_shingles(token_list)))
        assert np.array_equal(row, reference.hashvalues)


def test_signatures_go_into_datasketch_lsh():
    base = " ".join(f"word{i}" for i in range(80))
    near = base.replace("word40", "other")
    lsh = MinHashLSH(threshold=0.7, num_perm=minhash.NUM_PERM)
    for key, text in (("base", base), ("far", "completely different words here " * 10)):
        signature = minhash.signatures([minhash.shingle_hashes(words(text))])[0]
        lsh.insert(key, MinHash(num_perm=minhash.NUM_PERM, hashvalues=signature, scheme="affine32"))
    query = minhash.signatures([minhash.shingle_hashes(words(near))])[0]
    assert lsh.query(MinHash(num_perm=minhash.NUM_PERM, hashvalues=query, scheme="affine32")) == ["base"]


def test_jaccard_on_shingle_hashes_is_exact_jaccard():
    rng = random.Random(5)
    vocabulary = [f"w{i}" for i in range(40)]
    for _ in range(200):
        a = [rng.choice(vocabulary) for _ in range(rng.randint(1, 60))]
        b = [rng.choice(vocabulary) for _ in range(rng.randint(1, 60))]
        exact = prepdata.jaccard(word_shingles(a), word_shingles(b))
        assert minhash.jaccard(minhash.shingle_hashes(a), minhash.shingle_hashes(b)) == exact


def test_a_cluster_of_hundreds_of_near_copies_forms_sensible_groups():
    rng = random.Random(11)
    vocabulary = [f"w{i}" for i in range(5000)]
    originals = [" ".join(rng.choice(vocabulary) for _ in range(120)) for _ in range(3)]
    texts, source = [], []
    for number in range(600):
        original = number % 3 if number >= 3 else number
        tokens = originals[original].split()
        if number >= 3:
            tokens[rng.randrange(20, 100)] = rng.choice(vocabulary)  # one word changed: J about 0.92
        texts.append(" ".join(tokens))
        source.append(original)
    texts += [" ".join(rng.choice(vocabulary) for _ in range(120)) for _ in range(200)]  # unrelated
    report = prepdata.lint(texts, select=["near-duplicate"])
    kept = {f.example: f.duplicate_of for f in report.findings}
    # Every near copy joins the group of its own original, never another group, never a chain.
    copies = [n for n in range(3, 600) if texts[n] != originals[source[n]]]
    assert {n: kept.get(n) for n in copies} == {n: source[n] for n in copies}
    assert set(kept.values()) <= {0, 1, 2}
    assert all(f.details["similarity"] >= 0.8 for f in report.findings)


def _reference_ngram_repetition(words: list[str]) -> bool:
    """Gopher's n-gram limits, written plainly with Python tuples, to check the numpy version."""
    from collections import Counter

    from prepdata_rules.repetitive_example import REPEATED_NGRAM_LIMITS, TOP_NGRAM_LIMITS

    total = sum(len(word) for word in words)
    for n, limit in TOP_NGRAM_LIMITS.items():
        counts = Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
        if counts:
            most = max(counts.values())
            widest = max(sum(len(w) for w in gram) for gram, count in counts.items() if count == most)
            if most > 1 and most * widest / total > limit:
                return True
    for n, limit in REPEATED_NGRAM_LIMITS.items():
        starts: dict[tuple, list[int]] = {}
        for i in range(len(words) - n + 1):
            starts.setdefault(tuple(words[i : i + n]), []).append(i)
        covered = [False] * len(words)
        for positions in starts.values():
            if len(positions) > 1:
                for start in positions:
                    covered[start : start + n] = [True] * n
        if sum(len(w) for w, hit in zip(words, covered, strict=True) if hit) / total > limit:
            return True
    return False


@settings(deadline=None, max_examples=300)
@given(texts=st.lists(st.lists(st.sampled_from(["buy", "now", "best", "price", "a", "saw", "free", "ok"]),
                               min_size=1, max_size=60), min_size=1, max_size=6))
def test_vectorized_repetition_agrees_with_a_plain_reference(texts):
    from prepdata_rules.repetitive_example import _ngram_reasons, _Text

    block = [_Text(None, "text", " ".join(t), prepdata.word_hashes(t), np.array([len(w) for w in t])) for t in texts]
    flagged = [reason is not None for reason in _ngram_reasons(block)]
    assert flagged == [_reference_ngram_repetition(t) for t in texts]


@settings(deadline=None)
@given(batch=st.lists(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=12), max_size=6))
def test_shingles_of_many_examples_at_once_are_each_examples_shingles(batch):
    tokens = [prepdata.word_hashes(words) for words in batch]
    together = minhash.shingle_multisets(tokens)
    assert [np.unique(s).tolist() for s in together] == [minhash.shingle_hashes(t).tolist() for t in tokens]


# Letters, digits, marks, punctuation, spaces, a lone surrogate (as surrogateescape gives
# for bytes that are not UTF-8) and characters beyond the BMP (a CJK letter, an emoji).
unicode_texts = st.text(alphabet=st.sampled_from(list("ab_Z9 .,-\n\t\u0301\u0915\u093f\u00e9\u00df"
                                                      "\u65e5\u05d0\u200d\u00a0\udc80\U00020000\U0001f600")),
                        max_size=40)


@settings(deadline=None, max_examples=300)
@given(batch=st.lists(unicode_texts, max_size=6))
def test_vectorized_words_are_the_regex_words_with_their_reference_hashes(batch):
    hashes, lengths, counts = tokens.hash_words(batch)
    expected = [words(text) for text in batch]
    assert counts.tolist() == [len(found) for found in expected]
    flat = [word for found in expected for word in found]
    assert lengths.tolist() == [len(word) for word in flat]
    assert hashes.tolist() == [tokens.word_hash(word) for word in flat]


def test_words_are_hashed_in_chunks_when_the_text_is_long(monkeypatch):
    monkeypatch.setattr(tokens, "CHUNK", 64)
    text = " ".join(f"w{i}" * (i % 50 + 1) for i in range(500))
    hashes, _, _ = tokens.hash_words([text])
    assert hashes.tolist() == [tokens.word_hash(word) for word in words(text)]


def test_examples_analysed_together_or_alone_have_the_same_words():
    texts = ["Alpha beta, gamma!", "", "   ", "Ünïcödé tëxt 日本語", "x" * 10]
    together = [prepdata.Example.of_text(i, t) for i, t in enumerate(texts)]
    analyse_words(together)
    for i, text in enumerate(texts):
        alone = prepdata.Example.of_text(i, text)
        assert together[i].word_hashes.tolist() == alone.word_hashes.tolist()
        assert together[i].word_lengths.tolist() == [len(w) for w in alone.words]


@settings(deadline=None)
@given(sizes=st.lists(st.integers(0, 40), min_size=1, max_size=8), block=st.integers(1, 17))
def test_signatures_do_not_depend_on_how_the_shingles_are_blocked(sizes, block):
    rng = np.random.default_rng(sum(sizes) + block)
    sets = [rng.integers(0, 2**63, size=size, dtype=np.uint64) for size in sizes]
    assert np.array_equal(minhash.signatures(sets, block=block), minhash.signatures(sets, block=1 << 20))
