"""A seeded benchmark corpus: realistic lengths, a Zipfian vocabulary with some non-ASCII
words, and planted exact duplicates and near duplicates whose exact Jaccard similarity
(of word 5-gram sets) spreads from about 0.5 to 1.

The truth about every planted pair is computed here, independently of prepdata: the
shingles are built with plain Python sets of strings.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
from pathlib import Path

SEPARATOR = "--SEPARATOR--"
_WORD = re.compile(r"\w+")


def vocabulary(rng: random.Random, size: int = 30_000) -> list[str]:
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "an", "el", "or", "us", "ti", "po",
                 "qua", "dré", "ñu", "sch", "über", "ça", "ji", "хо", "ро", "шо", "λα", "μη"]
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def shingles(text: str, size: int = 5) -> set[str]:
    """Word 5-grams of the case-folded text, as the benchmark's independent truth."""
    tokens = _WORD.findall(text.casefold())
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


@dataclasses.dataclass
class Corpus:
    path: Path
    examples: int
    bytes: int
    exact_pairs: list[tuple[int, int]]
    near_pairs: list[tuple[int, int, float]]  # (original, copy, exact Jaccard)


def generate(path: Path, target_bytes: int, seed: int = 2026) -> Corpus:
    """Examples split by SEPARATOR, or one ``{"text": ...}`` object a line for a .jsonl path;
    for a .json or .parquet path the same records as a JSON array or as Parquet (row groups
    of 20,000 rows, zstd), ``target_bytes`` counting the JSON Lines they come from."""
    container = Path(path).suffix
    if container in (".json", ".parquet"):
        lines = Path(path).with_suffix(".jsonl")
        corpus = generate(lines, target_bytes, seed)
        _repack(lines, Path(path))
        lines.unlink()
        return Corpus(Path(path), corpus.examples, Path(path).stat().st_size, corpus.exact_pairs, corpus.near_pairs)
    jsonl = container == ".jsonl"
    rng = random.Random(seed)
    words = vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf, s = 1
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)

    def sentence() -> str:
        chosen = rng.choices(words, cum_weights=cumulative, k=rng.randint(6, 18))
        return " ".join(chosen).capitalize() + rng.choice([".", ".", ".", "?", "!"])

    def example() -> str:
        length = min(int(rng.lognormvariate(6.2, 0.5)), 4000)  # median about 500 characters
        parts, size = [], 0
        while size < length:
            parts.append(sentence())
            size += len(parts[-1]) + 1
        return " ".join(parts)

    texts: list[str] = []
    exact_pairs, near_pairs = [], []
    written = 0
    with path.open("w", encoding="utf-8", newline="\n") as stream:
        while written < target_bytes:
            roll = rng.random()
            if texts and roll < 0.01:
                original = rng.randrange(len(texts))
                text = texts[original]
                exact_pairs.append((original, len(texts)))
            elif texts and roll < 0.03:
                original = rng.randrange(len(texts))
                text = _edit(rng, texts[original], words, rng.uniform(0.0, 0.12))
                near_pairs.append((original, len(texts), jaccard(shingles(texts[original]), shingles(text))))
            else:
                text = example()
            if jsonl:
                line = json.dumps({"text": text}, ensure_ascii=False) + "\n"
                stream.write(line)
                written += len(line.encode("utf-8"))
            else:
                if texts:
                    stream.write(f"\n{SEPARATOR}\n")
                    written += len(SEPARATOR) + 2
                stream.write(text)
                written += len(text.encode("utf-8"))
            texts.append(text)
        if not jsonl:
            stream.write("\n")
    return Corpus(path, len(texts), path.stat().st_size, exact_pairs, near_pairs)


def _repack(lines: Path, path: Path) -> None:
    """The JSON Lines corpus at ``lines`` written to ``path`` as a JSON array or Parquet, a
    batch at a time."""
    import itertools

    with lines.open(encoding="utf-8") as source:
        if path.suffix == ".json":
            with path.open("w", encoding="utf-8") as out:
                out.write("[\n")
                for number, line in enumerate(source):
                    out.write(("" if number == 0 else ",\n") + "  " + line.rstrip("\n"))
                out.write("\n]\n")
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([("text", pa.string())])
        with pq.ParquetWriter(path, schema, compression="zstd") as writer:
            while batch := list(itertools.islice(source, 20_000)):
                texts = [json.loads(line)["text"] for line in batch]
                writer.write_table(pa.table({"text": texts}, schema=schema))


def read_texts(path: Path) -> list[str]:
    """The examples of a corpus that ``generate`` wrote, in order."""
    if Path(path).suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).column("text").to_pylist()
    if Path(path).suffix == ".json":
        return [record["text"] for record in json.loads(Path(path).read_text(encoding="utf-8"))]
    if Path(path).suffix == ".jsonl":
        with Path(path).open(encoding="utf-8") as stream:
            return [json.loads(line)["text"] for line in stream]
    return Path(path).read_text(encoding="utf-8").removesuffix("\n").split(f"\n{SEPARATOR}\n")


def with_trailing_spaces(corpus: Corpus, path: Path) -> Corpus:
    """The corpus written again to ``path`` with two spaces ending every line: every example
    then needs a rewrite (excessive-whitespace), the case where fix changes the most."""
    texts = ["\n".join(line + "  " for line in text.split("\n")) for text in read_texts(corpus.path)]
    with Path(path).open("w", encoding="utf-8") as stream:
        if Path(path).suffix == ".jsonl":
            stream.writelines(json.dumps({"text": text}, ensure_ascii=False) + "\n" for text in texts)
        else:
            stream.write(f"\n{SEPARATOR}\n".join(texts) + "\n")
    return Corpus(Path(path), len(texts), Path(path).stat().st_size, corpus.exact_pairs, corpus.near_pairs)


def _edit(rng: random.Random, text: str, words: list[str], rate: float) -> str:
    """Replace about ``rate`` of the words: 5-gram Jaccard falls from 1 towards 0.5 and below."""
    tokens = text.split(" ")
    for _ in range(max(1, round(rate * len(tokens)))):
        position = rng.randrange(len(tokens))
        tokens[position] = rng.choice(words)
    return " ".join(tokens)


def main() -> None:
    """python corpus.py PATH BYTES [SEED]: write a corpus and its planted pairs (PATH.truth.json)."""
    import sys

    path, size = Path(sys.argv[1]), int(sys.argv[2])
    corpus = generate(path, size, int(sys.argv[3]) if len(sys.argv) > 3 else 2026)
    truth = {"examples": corpus.examples, "bytes": corpus.bytes, "exact_pairs": corpus.exact_pairs,
             "near_pairs": corpus.near_pairs}
    Path(f"{path}.truth.json").write_text(json.dumps(truth))


if __name__ == "__main__":
    main()
