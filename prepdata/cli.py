"""The ``prepdata`` command. Exit codes: 0 clean, 1 findings left, 2 usage or input error."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import typer
from tabulate import tabulate

from prepdata import config as configuration
from prepdata import platforms, registry
from prepdata.api import Rule
from prepdata.convert import convert as convert_records
from prepdata.dataset import TEXT_FIELD
from prepdata.errors import Interrupted, PrepdataError, UsageError
from prepdata.files import decode_text, write_atomically
from prepdata.formats import parquet
from prepdata.options import describe_type, option_types
from prepdata.output import OutputFormat, fingerprints, render_chunks, render_statistics, repository_path
from prepdata.report import FileReport, Report, format_finding, json_line, render_text
from prepdata.runner import FixResult, Settings, examples_of
from prepdata.runner import fix as run_fix
from prepdata.runner import lint as run_lint
from prepdata.visible import visible

EXIT_INPUT_ERROR = 2

app = typer.Typer(
    help="Lint, fix and preview finetuning datasets before you upload them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


SeparatorOption = typer.Option(
    None, "--separator", "-s", help="The string between examples, e.g. --separator=--SEPARATOR--."
)
AutoSplitOption = typer.Option(False, "--auto-split", help="Split automatically even if --SEPARATOR-- occurs.")
InputFormatOption = typer.Option(None, "--input-format", help="txt, jsonl, csv or tsv (default: from the file name or content).")
ColumnsOption = typer.Option(None, "--columns", help="Column names of a CSV/TSV file without a header, e.g. prompt,completion.")
ProfileOption = typer.Option(None, "--profile", hidden=True, help="Older name for a chat schema: openai (chat) or cohere (chat-cohere).")
SchemaOption = typer.Option(None, "--schema", help="Read every record as this schema (default: the schema most records have; see prepdata schemas).")
PlatformOption = typer.Option(None, "--platform", help="Check against a platform's profile (see prepdata platforms), or a profile file's path.")
AgainstOption = typer.Option(
    None, "--against", help="Another split (train.jsonl, test.jsonl; repeat it): report examples it also holds (leakage).")
SelectOption = typer.Option(None, "--select", help="Only these rules (names, codes or code prefixes; comma-separated).")
IgnoreOption = typer.Option(None, "--ignore", help="Skip these rules (names, codes or code prefixes; comma-separated).")
RuleOptionOption = typer.Option(
    None, "--option", "-O", help="A rule option as RULE.KEY=VALUE, e.g. short-example.target_length=600."
)
RulesFileOption = typer.Option(None, "--rules", help="Load extra rules from this .py file.")
StrictOption = typer.Option(False, "--strict", help="Exit 1 on any finding, not only errors.")
QuietOption = typer.Option(False, "--quiet", "-q", help="No progress bar.")
KeepGoingOption = typer.Option(
    False, "--keep-going", help="A rule that fails becomes an error finding; the other rules' findings are kept."
)
JobsOption = typer.Option(None, "--jobs", "-j", min=1, help="Processes to use (default: the cores available).")
ConfigOption = typer.Option(
    None, "--config", help="Use this configuration file (prepdata.toml, or a pyproject.toml with [tool.prepdata])."
)
IsolatedOption = typer.Option(False, "--isolated", help="Ignore every configuration file.")


def _split_list(values: list[str] | None) -> list[str]:
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def _rule_options(values: list[str] | None) -> dict[str, dict[str, str]]:
    options: dict[str, dict[str, str]] = {}
    for value in values or []:
        key, equals, setting = value.partition("=")
        rule, dot, name = key.partition(".")
        if not (equals and dot and rule and name):
            raise UsageError(f"--option {value!r}: write it as RULE.KEY=VALUE, e.g. near-duplicate.threshold=0.85")
        options.setdefault(rule.strip(), {})[name.strip()] = setting.strip()
    return options


def _settings(*, select=None, ignore=None, option=None, rules=None, columns=None, **reading) -> Settings:
    """Settings from the command's flags (rule selection, rule options, how to read)."""
    return Settings(
        select=_split_list(select),
        ignore=_split_list(ignore),
        options=_rule_options(option),
        rule_files=list(rules or []),
        columns=_split_list([columns]) if columns else None,
        **reading,
    )


def _configured(settings: Settings, path: Path, config_file: Path | None, isolated: bool) -> Settings:
    """The command line's settings over those of the configuration file for ``path``."""
    if isolated:
        return settings
    found = config_file or configuration.find(path)
    if found is None:
        return settings
    return settings.configured(_load_config(found, settings).for_file(path))


@functools.lru_cache(maxsize=64)
def _cached_config(path: Path, modified: int, rule_files: tuple) -> configuration.Config:
    return configuration.load(path, list(rule_files))


def _load_config(path: Path, settings: Settings) -> configuration.Config:
    """Each file is read and checked once per run, however many datasets it governs."""
    try:
        modified = path.stat().st_mtime_ns
    except OSError:
        modified = 0  # load() reports the missing file
    return _cached_config(path.resolve(), modified, tuple(settings.rule_files))


def _examples(path: Path, config: Path | None, isolated: bool, **reading):
    """The description of the dataset at ``path`` and its examples, read as the reading
    flags and the configuration say (a large file a block at a time)."""
    return examples_of(path, _configured(_settings(**reading), path, config, isolated))


def _announced(settings: Settings) -> Settings:
    """The settings, after saying once per run (on stderr, so reports stay clean) what the
    status of their platform is: closed to new users, deprecated ..."""
    name = settings.platform
    if name and name not in _ANNOUNCED:
        _ANNOUNCED.add(name)
        profile = settings.reading.platform
        if profile.status:
            typer.echo(f"prepdata: {profile.name}: {profile.status} (checked {profile.checked})", err=True)
    return settings


_ANNOUNCED: set[str] = set()


def _fail(message: str) -> None:
    typer.echo(f"prepdata: error: {message}", err=True)
    raise typer.Exit(EXIT_INPUT_ERROR)


def _user_errors_exit_2(command):
    """A PrepdataError in a command is one line on stderr and exit code 2, not a traceback."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except PrepdataError as error:
            _fail(str(error))

    return run


@app.command()
@_user_errors_exit_2
def lint(
    paths: list[Path] = typer.Argument(..., help="Dataset files to check."),
    separator: str | None = SeparatorOption,
    auto_split: bool = AutoSplitOption,
    input_format: str | None = InputFormatOption,
    columns: str | None = ColumnsOption,
    profile: str | None = ProfileOption,
    schema: str | None = SchemaOption,
    platform: str | None = PlatformOption,
    against: list[Path] | None = AgainstOption,
    select: list[str] | None = SelectOption,
    ignore: list[str] | None = IgnoreOption,
    option: list[str] | None = RuleOptionOption,
    rules: list[Path] | None = RulesFileOption,
    config: Path | None = ConfigOption,
    isolated: bool = IsolatedOption,
    output_format: OutputFormat = typer.Option(
        OutputFormat.text, "--output-format", help="text, json, json-lines, sarif, github, gitlab, junit or html."
    ),
    output_file: Path | None = typer.Option(None, "--output-file", "-o", help="Write the report here."),
    statistics: bool = typer.Option(False, "--statistics", help="Print one line per rule: count and fix."),
    strict: bool = StrictOption,
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when findings block (not on errors of use)."),
    baseline: Path | None = typer.Option(None, "--baseline", help="Report only findings not in this baseline file."),
    write_baseline: Path | None = typer.Option(
        None, "--write-baseline", help="Record today's findings in this file (for --baseline) and exit 0."
    ),
    jobs: int | None = JobsOption,
    quiet: bool = QuietOption,
    keep_going: bool = KeepGoingOption,
) -> None:
    """Check datasets and report what is wrong."""
    settings = _settings(
        separator=separator, auto_split=auto_split, input_format=input_format, columns=columns, profile=profile,
        schema=schema, platform=platform, against=against, select=select, ignore=ignore, option=option, rules=rules, jobs=jobs, quiet=quiet,
        strict=strict, keep_going=keep_going,
    )
    files: list[FileReport] = []
    ran: dict[str, Rule] = {}
    for path in paths:
        configured = _announced(_configured(settings, path, config, isolated))
        report = run_lint([path], configured)
        files += report.files
        ran.update((rule.code, rule) for rule in report.rules)
    report = Report(files=files, rules=sorted(ran.values(), key=lambda rule: rule.code))
    if write_baseline:
        write_atomically(write_baseline, _baseline_json(report).encode("utf-8"))
        typer.echo(f"Wrote {len(report.findings)} finding(s) to {write_baseline}.")
        raise typer.Exit(0)
    if baseline:
        report, known = _without_baseline(report, baseline)
    if statistics:
        chunks = [render_statistics(report)]
    elif output_format is OutputFormat.html:
        # The page shows the examples themselves, so each file is read again, whole.
        datasets = {path_: _configured(settings, Path(path_), config, isolated).read(Path(path_))
                    for path_ in {file.path for file in report.files}}
        chunks = render_chunks(output_format, report, datasets)
    elif output_format is OutputFormat.text and not output_file:
        chunks = [render_text(report, colour=_colour_wanted())]
    else:
        chunks = render_chunks(output_format, report)
    if output_file:
        write_atomically(output_file, lambda stream: stream.writelines(
            piece.encode("utf-8") for piece in _batched(chunks)))
    else:
        for piece in _batched(chunks):
            typer.echo(piece, nl=False)
    if baseline and known and output_format is OutputFormat.text and not output_file:
        typer.echo(f"{known} finding(s) in the baseline {baseline} not shown.")
    raise typer.Exit(0 if exit_zero else report.exit_code())


def _batched(chunks: Iterable[str]) -> Iterator[str]:
    """The chunks joined into pieces of about 64 KiB: one write each, not one per JSON token."""
    batch: list[str] = []
    size = 0
    for chunk in chunks:
        batch.append(chunk)
        size += len(chunk)
        if size >= 1 << 16:
            yield "".join(batch)
            batch, size = [], 0
    yield "".join(batch)


BASELINE_VERSION = 1


def _colour_wanted() -> bool:
    """Colour on a terminal only, and never with NO_COLOR set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _baseline_json(report: Report) -> str:
    """Findings keyed by rule and what they are about (not their place): see fingerprints."""
    entries = sorted(
        {"path": repository_path(finding.path), "code": finding.code, "rule": finding.rule,
         "fingerprint": fingerprint, "message": finding.message}.items()
        for finding, fingerprint in zip(report.findings, fingerprints(report.findings), strict=True)
    )
    return json.dumps({"version": BASELINE_VERSION, "findings": [dict(entry) for entry in entries]},
                      indent=2, ensure_ascii=False) + "\n"


def _without_baseline(report: Report, baseline: Path) -> tuple[Report, int]:
    try:
        data = json.loads(baseline.read_text(encoding="utf-8"))
        known = {(entry["path"], entry["fingerprint"]) for entry in data["findings"]}
    except FileNotFoundError:
        raise UsageError(f"{baseline}: no such baseline; write one with --write-baseline") from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise UsageError(f"{baseline}: not a prepdata baseline ({type(error).__name__}: {error}); "
                         "write one with --write-baseline") from None
    hidden = 0
    files = []
    for file in report.files:
        kept = []
        for finding, fingerprint in zip(file.findings, fingerprints(file.findings), strict=True):
            if (repository_path(finding.path), fingerprint) in known:
                hidden += 1
            else:
                kept.append(finding)
        files.append(dataclasses.replace(file, findings=kept))
    return Report(files=files, rules=report.rules), hidden


@app.command()
@_user_errors_exit_2
def fix(
    paths: list[Path] = typer.Argument(..., help="The dataset files to fix."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Cleaned file, for one input (default: <stem>.clean<suffix> beside it)."
    ),
    rejects: Path | None = typer.Option(
        None, "--rejects", help="Removed examples, JSON Lines, for one input (default: <stem>.rejects.jsonl beside the output)."
    ),
    in_place: bool = typer.Option(
        False, "--in-place", "-i", help="Rewrite each dataset itself (atomically); removed examples are added to its rejects file."
    ),
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="Apply unsafe fixes too (drop duplicates, ...)."),
    diff: bool = typer.Option(False, "--diff", help="Write nothing; print a unified diff. Exit 1 if it would change."),
    exit_non_zero_on_fix: bool = typer.Option(
        False, "--exit-non-zero-on-fix", help="Exit 1 when anything was fixed, even if nothing remains (for hooks)."
    ),
    separator: str | None = SeparatorOption,
    auto_split: bool = AutoSplitOption,
    input_format: str | None = InputFormatOption,
    columns: str | None = ColumnsOption,
    profile: str | None = ProfileOption,
    schema: str | None = SchemaOption,
    platform: str | None = PlatformOption,
    against: list[Path] | None = AgainstOption,
    select: list[str] | None = SelectOption,
    ignore: list[str] | None = IgnoreOption,
    option: list[str] | None = RuleOptionOption,
    rules: list[Path] | None = RulesFileOption,
    config: Path | None = ConfigOption,
    isolated: bool = IsolatedOption,
    strict: bool = StrictOption,
    jobs: int | None = JobsOption,
    quiet: bool = QuietOption,
    keep_going: bool = KeepGoingOption,
) -> None:
    """Write a cleaned copy of each dataset (or fix it in place) and a rejects file."""
    if len(paths) > 1 and (output or rejects):
        _fail("--output and --rejects name the files of one input; with several inputs use the defaults or --in-place")
    if in_place and output:
        _fail("--in-place rewrites the input; leave out --output")
    settings = _settings(
        separator=separator, auto_split=auto_split, input_format=input_format, columns=columns, profile=profile,
        schema=schema, platform=platform, against=against, select=select, ignore=ignore, option=option, rules=rules, jobs=jobs, quiet=quiet,
        strict=strict, keep_going=keep_going,
    )
    plans = [_fix_plan(path, output, rejects, in_place) for path in paths]
    results = [
        (path, target, rejected, run_fix(path, _announced(_configured(settings, path, config, isolated)),
                                         unsafe_fixes=unsafe_fixes, output_path=str(target)))
        for path, target, rejected in plans
    ]
    if diff:
        changed = [_print_diff(path, target, result) for path, target, _, result in results]
        raise typer.Exit(1 if any(changed) else 0)
    exit_code, fixed_any = 0, False
    for path, target, rejected, result in results:
        # Lossless: with no rewrite, removal or file-wide fix the output is the input's bytes.
        changed = bool(result.changed or result.rejects or result.file_actions)
        fixed_any = fixed_any or changed
        if in_place:
            if changed:
                result.write(path, rejected, in_place=True)
        else:
            result.write(target, rejected)
        _print_fix_summary(result, target, rejected, in_place)
        exit_code = max(exit_code, result.exit_code())
    raise typer.Exit(1 if exit_non_zero_on_fix and fixed_any else exit_code)


def _fix_plan(path: Path, output: Path | None, rejects: Path | None, in_place: bool) -> tuple[Path, Path, Path]:
    """(input, cleaned file, rejects file), checked so that nothing overwrites the input
    unless --in-place asks for it."""
    target = path if in_place else output or path.with_name(f"{path.stem}.clean{path.suffix}")
    rejected = rejects or target.with_name(f"{path.stem}.rejects.jsonl")
    checks = [(rejected, "--rejects")] if in_place else [(target, "--output"), (rejected, "--rejects")]
    for candidate, what in checks:
        if _same_file(candidate, path):
            _fail(f"{candidate}: {what} is the input file; choose another path (the input is never overwritten)")
    if _same_file(target, rejected):
        _fail(f"{rejected}: --rejects is the same file as --output; choose two different paths")
    return path, target, rejected


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _print_diff(path: Path, output: Path, result: FixResult) -> bool:
    # Decoded as prepdata read them: a UTF-16 input diffs as text, bad bytes as escapes,
    # Parquet as its rows in JSON, one a line.
    data = result.output_data()
    if result.input.input_format == "parquet":
        before, after = parquet.row_lines(path), parquet.row_lines(data) if data else []
    else:
        before = decode_text(path, path.read_bytes()).text.splitlines(keepends=True)
        after = decode_text(output, data).text.splitlines(keepends=True) if data else []
    lines = list(difflib.unified_diff(before, after, fromfile=str(path), tofile=str(output)))
    for line in lines:
        typer.echo(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n", nl=False)
    return bool(lines)


def _print_fix_summary(result: FixResult, output: Path, rejects: Path, in_place: bool = False) -> None:
    rewritten, dropped = result.counts()
    kept = result.kept
    if rewritten:
        per_rule = ", ".join(f"{rule} {count}" for rule, count in sorted(rewritten.items()))
        typer.echo(f"Rewrote {len(result.changed)} example(s) ({per_rule}).")
    if dropped:
        per_rule = ", ".join(f"{rule} {count}" for rule, count in sorted(dropped.items()))
        typer.echo(f"Removed {len(result.rejects)} example(s) to {rejects} ({per_rule}).")
    if not rewritten and not dropped:
        typer.echo("Nothing to fix.")
    if not in_place:
        typer.echo(f"Wrote {output}: {kept} of {result.input.examples} example(s).")
    elif rewritten or dropped:
        typer.echo(f"Rewrote {output} in place: {kept} of {result.input.examples} example(s).")
    if not result.converged:
        typer.echo("warning: fixes did not settle after repeated passes; run fix again and check the diff")
    remaining = result.remaining.findings
    for finding in remaining:
        typer.echo(format_finding(finding))
    if remaining:
        unsafe = sum(1 for f in remaining if f.fix)
        hint = f" ({unsafe} fixable with --unsafe-fixes)" if unsafe else ""
        typer.echo(f"{len(remaining)} finding(s) remain{hint}.")


@app.command()
@_user_errors_exit_2
def convert(
    path: Path = typer.Argument(..., help="The dataset file to convert."),
    to: str = typer.Option(..., "--to", help="The schema to write (prepdata schemas lists them)."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Converted file: .jsonl, .json (an array) or .parquet (default: <stem>.<schema>.jsonl)."),
    rejects: Path | None = typer.Option(
        None, "--rejects", help="Records that could not be converted, JSON Lines (default: <output stem>.rejects.jsonl)."),
    platform: str | None = PlatformOption,
    separator: str | None = SeparatorOption,
    auto_split: bool = AutoSplitOption,
    input_format: str | None = InputFormatOption,
    columns: str | None = ColumnsOption,
    schema: str | None = SchemaOption,
    config: Path | None = ConfigOption,
    isolated: bool = IsolatedOption,
) -> None:
    """Write a dataset's records in another schema; what cannot be carried goes to the rejects."""
    settings = _announced(_configured(_settings(separator=separator, auto_split=auto_split, input_format=input_format,
                                                columns=columns, schema=schema, platform=platform, quiet=True),
                                      path, config, isolated))
    target = output or path.with_name(f"{path.stem}.{to}.jsonl")
    rejected = rejects or target.with_name(f"{target.stem}.rejects.jsonl")
    for name, chosen in (("--output", target), ("--rejects", rejected)):
        if path.exists() and chosen.exists() and _same_file(path, chosen):
            _fail(f"{chosen}: {name} is the input file; choose another path (the input is never overwritten)")
    info, items = examples_of(path, settings)
    result = convert_records(info, items, to)
    write_atomically(rejected, "".join(json_line(reject.to_json()) for reject in result.rejects).encode(
        "utf-8", errors="backslashreplace"))
    write_atomically(target, result.encode(target))
    reasons = Counter(reject.reason for reject in result.rejects)
    typer.echo(f"Converted {len(result.records)} of {result.total} record(s) from {result.source_schema} to {to}: "
               f"{target}.")
    if result.rejects:
        typer.echo(f"{len(result.rejects)} record(s) could not be carried over, each with its reason, in {rejected}:")
        for reason, count in reasons.most_common(5):
            typer.echo(f"  {count} × {reason}")
    # The output is checked as what it now is: records of the target schema (on the platform).
    checked = dataclasses.replace(settings, schema=to, input_format=None, separator=None, auto_split=False,
                                  columns=None, profile=None)
    report = run_lint([target], checked) if result.records else Report(files=[], rules=[])
    for finding in report.findings:
        typer.echo(format_finding(finding))
    if report.findings:
        typer.echo(f"{len(report.findings)} finding(s) in the converted file (prepdata lint {target} shows them again).")
    raise typer.Exit(report.exit_code())


@app.command()
@_user_errors_exit_2
def preview(
    path: Path = typer.Argument(..., help="The dataset file to look at."),
    count: int = typer.Option(5, "-n", "--count", min=0, help="How many examples to show."),
    separator: str | None = SeparatorOption,
    auto_split: bool = AutoSplitOption,
    input_format: str | None = InputFormatOption,
    columns: str | None = ColumnsOption,
    schema: str | None = SchemaOption,
    config: Path | None = ConfigOption,
    isolated: bool = IsolatedOption,
) -> None:
    """Show how a file splits into examples, with whitespace made visible."""
    dataset, examples = _examples(path, config, isolated, separator=separator, auto_split=auto_split,
                                  input_format=input_format, columns=columns, schema=schema)
    shown, total = [], 0
    for example in examples:
        if total < count:
            shown.append(example)
        total += 1
    if dataset.input_format != "txt":
        how = f"{dataset.input_format}, {dataset.shape} records"
    elif dataset.separator:
        how = f"split on {dataset.separator!r}"
    else:
        how = "split automatically at blank lines"
    unreadable = f", {len(dataset.invalid_records)} unreadable" if dataset.invalid_records else ""
    typer.echo(f"{dataset.path}: {total} examples ({how}){unreadable}")
    for example in shown:
        typer.echo(f"\n── example {example.index} · line {example.line} ──")
        for field in example.fields:
            _preview_field(field, named=len(example.fields) > 1 or field.name != TEXT_FIELD)
        if not example.fields:
            typer.echo("      (no text)")
    if total > count:
        typer.echo(f"\n… {total - count} more")


@app.command()
@_user_errors_exit_2
def stats(
    path: Path = typer.Argument(..., help="The dataset file to measure."),
    bins: int = typer.Option(10, "--bins", min=1, max=100, help="Bars in the histogram."),
    separator: str | None = SeparatorOption,
    auto_split: bool = AutoSplitOption,
    input_format: str | None = InputFormatOption,
    columns: str | None = ColumnsOption,
    config: Path | None = ConfigOption,
    isolated: bool = IsolatedOption,
) -> None:
    """Length percentiles of the examples, in characters and words, and a text histogram."""
    dataset, examples = _examples(path, config, isolated, separator=separator, auto_split=auto_split,
                                  input_format=input_format, columns=columns)
    characters, words = [], []
    for example in examples:
        characters.append(len(example.text))
        words.append(len(example.text.split()))
    characters.sort()
    words.sort()
    typer.echo(f"{dataset.path}: {len(characters):,} examples, {dataset.size_bytes:,} bytes")
    if not characters:
        return
    points = [("min", 0), ("p10", 10), ("p25", 25), ("median", 50), ("p75", 75), ("p90", 90), ("p99", 99), ("max", 100)]
    rows = [[unit, *(f"{_percentile(values, p):,}" for _, p in points), f"{sum(values) / len(values):,.1f}"]
            for unit, values in (("characters", characters), ("words", words))]
    typer.echo(tabulate(rows, headers=["", *(name for name, _ in points), "mean"], disable_numparse=True))
    typer.echo("")
    typer.echo("characters per example")
    for low, high, count in _histogram_bins(characters, bins):
        bar = "█" * round(40 * count / len(characters)) or ("▏" if count else "")
        typer.echo(f"{low:>9,} – {high:<9,} {bar:<40} {count:,}")


def _percentile(ordered: list[int], percent: int) -> int:
    """Nearest-rank percentile of sorted values (0 is the minimum, 100 the maximum)."""
    if percent <= 0:
        return ordered[0]
    return ordered[min(len(ordered) - 1, max(0, -(-percent * len(ordered) // 100) - 1))]


def _histogram_bins(ordered: list[int], bins: int) -> list[tuple[int, int, int]]:
    """(lowest, highest, count) for ``bins`` equal ranges from the shortest to the longest."""
    low, high = ordered[0], ordered[-1]
    width = max(1, -(-(high - low + 1) // bins))
    counts = [0] * bins
    for value in ordered:
        counts[min((value - low) // width, bins - 1)] += 1
    return [(low + i * width, min(high, low + (i + 1) * width - 1), count) for i, count in enumerate(counts)
            if low + i * width <= high]


def _preview_field(field, named: bool) -> None:
    if named:
        typer.echo(f"{field.name}" + (f" ({field.role})" if field.role else "") + ":")
    if not field.text:
        typer.echo("      (empty)")
        return
    lines = field.text.split("\n")
    width = len(str(field.line + len(lines)))
    for offset, line in enumerate(lines):
        number = str(field.line + offset) if field.exact else ""
        typer.echo(f"{number:>{width}} │ {visible(line)}")


@app.command("rules")
@_user_errors_exit_2
def list_rules(rules: list[Path] | None = RulesFileOption) -> None:
    """List every rule, built-in and plugin."""
    rows = [
        [rule.code, rule.name, rule.severity, rule.scope, rule.fix_applicability or "-", rule.summary(), _origin(rule)]
        for rule in registry.discover(list(rules or []))
    ]
    typer.echo(tabulate(rows, headers=["code", "name", "severity", "scope", "fix", "checks", "from"]))


@app.command("schemas")
@_user_errors_exit_2
def list_schemas() -> None:
    """List the record schemas: how each is detected, its prompt and generated sides."""
    rows = [[schema.name, schema.detected_by, schema.prompt_side, schema.generated_side]
            for schema in registry.schemas()]
    typer.echo(tabulate(rows, headers=["schema", "detected by", "prompt side", "generated side"]))


@app.command("platforms")
@_user_errors_exit_2
def list_platforms() -> None:
    """List the platform profiles --platform takes."""
    rows = []
    for name in platforms.names():
        profile = platforms.load(name)
        rows.append([name, profile.status, ", ".join(profile.schemas) or "any", _limit(profile.limits.min_examples),
                     _limit(profile.limits.max_bytes)])
    typer.echo(tabulate(rows, headers=["platform", "status", "schemas", "min examples", "max bytes"]))


def _limit(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


@app.command("platform")
@_user_errors_exit_2
def show_platform(name: str = typer.Argument(..., help="A platform's name, or a profile file's path.")) -> None:
    """Print a platform's profile: schemas, limits, strictness, status and source."""
    typer.echo(platforms.load(name).describe())


@app.command("rule")
@_user_errors_exit_2
def show_rule(
    name_or_code: str = typer.Argument(..., help="A rule's name or code."),
    rules: list[Path] | None = RulesFileOption,
) -> None:
    """Print a rule's documentation."""
    rule = registry.find(registry.discover(list(rules or [])), name_or_code)
    typer.echo(rule_documentation(rule))


def rule_documentation(rule: type[Rule]) -> str:
    lines = [
        f"{rule.code} {rule.name}",
        "",
        f"Severity: {rule.severity}    Scope: {rule.scope}    Fix: {rule.fix_applicability or 'none'}",
        "",
        rule.documentation(),
    ]
    fields = rule.option_fields()
    if fields:
        types = option_types(rule)
        rows = [[f.name, describe_type(types[f.name]), repr(f.default), f.metadata.get("help", "")] for f in fields]
        lines += ["", "Options:", "", tabulate(rows, headers=["option", "type", "default", "meaning"])]
    return "\n".join(lines) + "\n"


def _origin(rule: type[Rule]) -> str:
    return "built-in" if rule.__module__.startswith("prepdata_rules.") else registry.origin(rule)


def _stop(signum, frame) -> None:
    # Not KeyboardInterrupt: click would turn that into "Aborted!" and exit 1, which here
    # means "findings remain".
    raise Interrupted


def main() -> None:
    """The console script. A bug in prepdata itself still ends in one line and exit 2;
    PREPDATA_DEBUG=1 shows the traceback. Ctrl-C and SIGTERM leave no partial or
    temporary file behind (exit 130)."""
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        app()
    except Interrupted:
        typer.echo("prepdata: interrupted; no output was left half-written", err=True)
        sys.exit(130)
    except Exception as error:
        if os.environ.get("PREPDATA_DEBUG"):
            raise
        typer.echo(
            f"prepdata: internal error: {type(error).__name__}: {error}; nothing was written "
            "(run with PREPDATA_DEBUG=1 for details, and please report it)",
            err=True,
        )
        sys.exit(EXIT_INPUT_ERROR)
