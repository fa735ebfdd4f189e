"""The HTML report: one self-contained page (no network, no external script, font or style)
that shows the data: a summary, a histogram of example lengths, the findings by rule
(filterable), duplicate groups side by side, whitespace made visible and what fix would
change, as a diff.

Large reports stay usable: each section shows at most a fixed number of items (rows per
rule, groups, examples) and says how many it left out; the JSON report has everything.
"""

from __future__ import annotations

import difflib
import html
import math
from collections import Counter, defaultdict

import regex

from prepdata.api import Finding, Severity
from prepdata.dataset import Dataset, Example
from prepdata.report import Report, verdict
from prepdata.text import content_digest
from prepdata.visible import visible

ROWS_PER_RULE = 200
GROUPS = 50
WHITESPACE_EXAMPLES = 100
FIX_DIFFS = 100
HISTOGRAM_BINS = 40
DIFF_TOKENS = 40_000
_MARKER = regex.compile(r"(·+|→|⟨[^⟩]{1,12}⟩)")
_TOKENS = regex.compile(r"\s+|\w+|[^\w\s]")


def render(report: Report, datasets: dict[str, Dataset]) -> str:
    """The page for ``report``; ``datasets`` (by path) give the examples' texts and lengths."""
    page = _Page(report, datasets)
    return page.render()


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _visible_text(text: str) -> str:
    return "\n".join(visible(line) for line in text.split("\n"))


def _styled(visible_text: str) -> str:
    """Visible text escaped, its markers styled, each line break shown as ⏎."""
    escaped = _MARKER.sub(lambda m: f'<span class="ws">{m.group()}</span>', _e(visible_text))
    return escaped.replace("\n", '<span class="ws nl">⏎</span>\n')


def _shown(text: str) -> str:
    """Text with whitespace made visible, escaped, markers styled, line breaks as ⏎."""
    return _styled(_visible_text(text))


class _Page:
    def __init__(self, report: Report, datasets: dict[str, Dataset]) -> None:
        self.report, self.datasets = report, datasets
        self.referenced: dict[str, set[int]] = defaultdict(set)
        self.file_numbers = {file.path: number for number, file in enumerate(report.files)}
        self.whitespace_rules = {rule.code for rule in report.rules if rule.report_section == "whitespace"}

    def example(self, path: str, index: int) -> Example | None:
        dataset = self.datasets.get(path)
        if dataset is None or not 0 <= index < len(dataset.examples):
            return None
        example = dataset.examples[index]
        return example if example.index == index else next((e for e in dataset.examples if e.index == index), None)

    def anchor(self, path: str, index: int) -> str:
        self.referenced[path].add(index)
        return f"ex-{self.file_numbers[path]}-{index}"

    def render(self) -> str:
        sections = [self.summary(), self.lengths(), self.findings(), self.duplicates(), self.whitespace(),
                    self.fixes(), self.examples()]
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>prepdata report</title><style>{_STYLE}</style></head><body>"
            f'<header><h1>prepdata report</h1><p id="verdict" class="verdict {self.verdict_class()}">'
            f"{_e(verdict(self.report))}</p></header><main>{''.join(sections)}</main>"
            f"<script>{_SCRIPT}</script></body></html>\n"
        )

    def verdict_class(self) -> str:
        return "blocked" if self.report.exit_code() else "ready"

    def summary(self) -> str:
        summary = self.report.summary()
        counts = summary["by_severity"]
        cells = [("files", summary["files"]), ("examples", summary["examples"]),
                 ("bytes", sum(file.bytes for file in self.report.files)), ("findings", summary["findings"]),
                 ("errors", counts["error"]), ("warnings", counts["warning"]), ("info", counts["info"])]
        tiles = "".join(f'<div class="tile"><span class="number" id="summary-{name}" data-value="{value}">'
                        f'{value:,}</span><span class="label">{name}</span></div>' for name, value in cells)
        rows = []
        for file in self.report.files:
            whole_file = [f for f in file.findings if f.example is None]
            checks = "".join(
                f'<li class="{_e(f.severity)}"><span class="mark">{"✗" if f.severity is Severity.ERROR else "!"}'
                f"</span> {_e(f.code)} {_e(f.rule)}: {_e(f.message)}</li>" for f in whole_file
            ) or '<li class="ok"><span class="mark">✓</span> no file-wide problem (size, count, encoding)</li>'
            rows.append(
                f'<tr><td class="path">{_e(file.path)}</td><td>{_e(file.input_format)}</td><td>{file.examples:,}</td>'
                f"<td>{file.invalid:,}</td><td>{file.bytes:,}</td><td>{file.shortest:,} / {_number(file.median)} / "
                f"{file.longest:,}</td><td><ul class=\"checks\">{checks}</ul></td></tr>"
            )
        return (
            f'<section id="summary"><h2>Summary</h2><div class="tiles">{tiles}</div>'
            "<table><thead><tr><th>file</th><th>format</th><th>examples</th><th>unreadable</th><th>bytes</th>"
            "<th>length: shortest / median / longest</th><th>minimums and file-wide checks</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></section>"
        )

    def lengths(self) -> str:
        markers: dict[str, int] = {}
        for rule in self.report.rules:
            markers.update(rule.length_markers())
        charts = []
        for file in self.report.files:
            dataset = self.datasets.get(file.path)
            if dataset is None or not dataset.examples:
                continue
            charts.append(_histogram(file.path, [len(e.text) for e in dataset.examples], markers))
        return f'<section id="lengths"><h2>Example lengths</h2>{"".join(charts) or "<p>No examples.</p>"}</section>'

    def findings(self) -> str:
        by_rule: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.report.findings:
            by_rule[finding.code].append(finding)
        names = {rule.code: rule for rule in self.report.rules}
        rule_options = "".join(f'<option value="{_e(code)}">{_e(code)} {_e(found[0].rule)} ({len(found):,})</option>'
                               for code, found in sorted(by_rule.items()))
        severity_options = "".join(f'<option value="{s.value}">{s.value}</option>' for s in Severity)
        sections = []
        for code, found in sorted(by_rule.items()):
            rows = []
            for finding in found[:ROWS_PER_RULE]:
                place = f"{finding.path}:{finding.line}:{finding.column}"
                link = (f'<a href="#{self.anchor(finding.path, finding.example)}">{_e(place)}</a>'
                        if finding.example is not None and self.example(finding.path, finding.example) else _e(place))
                fix = _e(finding.fix.applicability) if finding.fix else "–"
                rows.append(f'<tr class="finding" data-severity="{_e(finding.severity)}"><td>{link}</td>'
                            f'<td class="sev {_e(finding.severity)}">{_e(finding.severity)}</td>'
                            f"<td>{_e(finding.message)}</td><td>{fix}</td></tr>")
            capped = (f'<p class="capped">Showing the first {ROWS_PER_RULE:,} of {len(found):,}; '
                      "<code>--output-format json</code> lists them all.</p>" if len(found) > ROWS_PER_RULE else "")
            rule = names.get(code)
            summary = _e(rule.summary()) if rule else ""
            severities = " ".join(sorted({str(f.severity) for f in found}))
            sections.append(
                f'<section class="rule" id="rule-{_e(code)}" data-rule="{_e(code)}" data-severities="{severities}">'
                f'<h3>{_e(code)} {_e(found[0].rule)} <span class="count">{len(found):,}</span></h3>'
                f'<p class="doc">{summary}</p><table><thead><tr><th>where</th><th>severity</th><th>message</th>'
                f"<th>fix</th></tr></thead><tbody>{''.join(rows)}</tbody></table>{capped}</section>"
            )
        return (
            '<section id="findings"><h2>Findings by rule</h2><div class="filters">'
            f'<label>Rule <select id="rule-filter"><option value="">all rules</option>{rule_options}</select></label>'
            f'<label>Severity <select id="severity-filter"><option value="">all</option>{severity_options}'
            f"</select></label></div>{''.join(sections) or '<p>No findings.</p>'}</section>"
        )

    def duplicates(self) -> str:
        groups: dict[tuple[str, int], list[Finding]] = defaultdict(list)
        for finding in self.report.findings:
            if finding.duplicate_of is not None and finding.example is not None:
                groups[(finding.path, finding.duplicate_of)].append(finding)
        blocks = []
        for (path, kept_index), copies in list(groups.items())[:GROUPS]:
            kept = self.example(path, kept_index)
            if kept is None:
                continue
            shown = [(f, c) for f, c in ((f, self.example(path, f.example)) for f in copies[:5]) if c is not None]
            # The kept text is marked against its first copy; each copy against the kept text.
            left = _marked_difference(kept.text, shown[0][1].text)[0] if shown else _shown(kept.text)
            columns = [f'<div class="kept"><h4><a href="#{self.anchor(path, kept_index)}">kept: example '
                       f"{kept_index}, line {kept.line}</a></h4><pre>{left}</pre></div>"]
            for finding, copy in shown:
                right = _marked_difference(kept.text, copy.text)[1]
                columns.append(f'<div class="copy"><h4><a href="#{self.anchor(path, finding.example)}">'
                               f"{_e(finding.rule)}: example {finding.example}, line {copy.line}</a></h4>"
                               f"<p class=\"why\">{_e(finding.message)}</p><pre>{right}</pre></div>")
            more = f'<p class="capped">and {len(copies) - 5:,} more copies</p>' if len(copies) > 5 else ""
            blocks.append(f'<div class="group" data-path="{_e(path)}">{"".join(columns)}{more}</div>')
        capped = (f'<p class="capped">Showing {GROUPS} of {len(groups):,} groups.</p>' if len(groups) > GROUPS else "")
        body = "".join(blocks) or "<p>No duplicates.</p>"
        return f'<section id="duplicates"><h2>Duplicates and near-duplicates</h2>{body}{capped}</section>'

    def whitespace(self) -> str:
        by_example: dict[tuple[str, int], list[Finding]] = defaultdict(list)
        for finding in self.report.findings:
            if finding.code in self.whitespace_rules and finding.example is not None:
                by_example[(finding.path, finding.example)].append(finding)
        blocks = []
        for (path, index), found in list(by_example.items())[:WHITESPACE_EXAMPLES]:
            example = self.example(path, index)
            if example is None:
                continue
            items = "".join(f"<li>line {f.line}, column {f.column}: {_e(f.message)}</li>" for f in found)
            blocks.append(f'<div class="ws-example"><h4><a href="#{self.anchor(path, index)}">example {index}, '
                          f"line {example.line}</a></h4><ul>{items}</ul><pre>{_shown(example.text)}</pre></div>")
        capped = (f'<p class="capped">Showing {WHITESPACE_EXAMPLES} of {len(by_example):,} examples.</p>'
                  if len(by_example) > WHITESPACE_EXAMPLES else "")
        legend = ('<p class="legend">Shown: <span class="ws">·</span> spaces that matter, <span class="ws">→</span> '
                  'tab, <span class="ws nl">⏎</span> line break, <span class="ws">⟨NBSP⟩</span> no-break space, '
                  '<span class="ws">⟨ZWSP⟩</span> zero-width space, <span class="ws">⟨CR⟩</span> carriage return.</p>')
        body = "".join(blocks) or "<p>No whitespace findings.</p>"
        return f'<section id="whitespace"><h2>Whitespace</h2>{legend}{body}{capped}</section>'

    def fixes(self) -> str:
        seen = set()
        blocks = []
        total = 0
        for finding in self.report.findings:
            if not finding.fix or finding.example is None:
                continue
            replacement = finding.fix.replacement_text()
            key = (finding.path, finding.example, finding.fix.field,
                   None if replacement is None else content_digest(replacement), finding.fix.drop)
            if key in seen:
                continue
            seen.add(key)
            total += 1
            if len(blocks) >= FIX_DIFFS:
                continue
            example = self.example(finding.path, finding.example)
            if example is None:
                continue
            name = f"example {finding.example}, line {example.line}"
            link = f'<a href="#{self.anchor(finding.path, finding.example)}">{_e(name)}</a>'
            label = f'<span class="applicability {_e(finding.fix.applicability)}">{_e(finding.fix.applicability)}</span>'
            if finding.fix.drop:
                body = f'<pre class="diff"><span class="del">{_shown(example.text)}</span></pre>'
                what = f"removed to the rejects file ({_e(finding.rule)})"
            elif replacement is not None:
                field = next((f for f in example.fields if f.name == finding.fix.field), example.fields[0])
                body = f'<pre class="diff">{_diff(field.text, replacement)}</pre>'
                what = f"rewritten ({_e(finding.rule)}{', field ' + _e(field.name) if len(example.fields) > 1 else ''})"
            else:
                continue
            blocks.append(f'<div class="fix"><h4>{link}: {what} {label}</h4>{body}</div>')
        capped = f'<p class="capped">Showing {FIX_DIFFS} of {total:,} fixes.</p>' if total > FIX_DIFFS else ""
        note = ("<p>Safe fixes are applied by <code>prepdata fix</code>; unsafe ones with "
                "<code>--unsafe-fixes</code>.</p>")
        body = "".join(blocks) or "<p>Nothing to fix.</p>"
        return f'<section id="fixes"><h2>What fix would change</h2>{note}{body}{capped}</section>'

    def examples(self) -> str:
        articles = []
        for path, indices in self.referenced.items():
            for index in sorted(indices):
                example = self.example(path, index)
                if example is not None:
                    articles.append(f'<article id="ex-{self.file_numbers[path]}-{index}" class="example"><h4>'
                                    f"{_e(path)}: example {index}, line {example.line}</h4>"
                                    f"<pre>{_shown(example.text)}</pre></article>")
        body = "".join(articles) or "<p>No example is referred to.</p>"
        return f'<section id="examples"><h2>Examples referred to above</h2>{body}</section>'


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def _histogram(path: str, lengths: list[int], markers: dict[str, int]) -> str:
    """An inline SVG bar chart of example lengths, with the rules' markers as lines."""
    width, height, left, bottom = 760, 220, 50, 30
    top = max(max(lengths), *markers.values(), 1) if markers else max(max(lengths), 1)
    step = max(1, math.ceil((top + 1) / HISTOGRAM_BINS))
    counts = Counter(min(length // step, HISTOGRAM_BINS - 1) for length in lengths)
    peak = max(counts.values())
    bar = (width - left - 10) / HISTOGRAM_BINS
    scale = (height - bottom - 20) / peak
    bars = []
    for position in range(HISTOGRAM_BINS):
        count = counts.get(position, 0)
        if count:
            x, h = left + position * bar, count * scale
            bars.append(f'<rect class="bar" x="{x:.1f}" y="{height - bottom - h:.1f}" width="{bar - 1:.1f}" '
                        f'height="{h:.1f}"><title>{position * step:,}–{(position + 1) * step - 1:,} characters: '
                        f"{count:,} examples</title></rect>")
    lines = []
    for number, (label, value) in enumerate(sorted(markers.items(), key=lambda item: item[1])):
        x = left + min(value / step, HISTOGRAM_BINS) * bar
        lines.append(f'<line class="marker" x1="{x:.1f}" x2="{x:.1f}" y1="12" y2="{height - bottom}"/>'
                     f'<text class="marker-label" x="{x + 3:.1f}" y="{22 + 14 * number}">{_e(label)} {value:,}</text>')
    axis = (f'<line class="axis" x1="{left}" x2="{width - 10}" y1="{height - bottom}" y2="{height - bottom}"/>'
            f'<text x="{left}" y="{height - 10}">0</text>'
            f'<text x="{width - 10}" y="{height - 10}" text-anchor="end">{HISTOGRAM_BINS * step:,} characters</text>'
            f'<text x="{left - 6}" y="{height - bottom - peak * scale + 4:.1f}" text-anchor="end">{peak:,}</text>')
    return (f'<figure class="histogram" data-path="{_e(path)}"><svg viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="lengths of {len(lengths):,} examples in {_e(path)}">{axis}{"".join(bars)}{"".join(lines)}'
            f"</svg><figcaption>{_e(path)}: {len(lengths):,} examples, {step:,} characters a bar</figcaption></figure>")


def _marked_difference(kept: str, copy: str) -> tuple[str, str]:
    """Both texts, whitespace made visible, with the words that differ highlighted:
    removed in the kept one, added in the copy."""
    a, b = _TOKENS.findall(_visible_text(kept)), _TOKENS.findall(_visible_text(copy))
    if len(a) + len(b) > DIFF_TOKENS:  # difflib is quadratic at worst: long texts go unmarked
        return _styled("".join(a)), _styled("".join(b))
    left, right = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old, new = _styled("".join(a[i1:i2])), _styled("".join(b[j1:j2]))
        if tag == "equal":
            left.append(old)
            right.append(new)
        else:
            left.append(f'<mark class="del">{old}</mark>' if old else "")
            right.append(f'<mark class="ins">{new}</mark>' if new else "")
    return "".join(left), "".join(right)


def _diff(before: str, after: str) -> str:
    lines = difflib.unified_diff(before.split("\n"), after.split("\n"), lineterm="", n=1)
    out = []
    for line in list(lines)[2:]:  # no file header lines
        kind = {"+": "ins", "-": "del", "@": "hunk"}.get(line[:1], "same")
        out.append(f'<span class="{kind}">{_e(line[:1])}{_shown(line[1:])}</span>')
    return "\n".join(out)


_STYLE = """
:root{--error:#b42318;--warning:#b54708;--info:#175cd3;--ok:#067647;--muted:#667085;--line:#eaecf0}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#101828;background:#f9fafb}
header{background:#101828;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
.verdict{margin:6px 0 0;font-weight:600}.verdict.ready{color:#75e0a7}.verdict.blocked{color:#fda29b}
main{padding:8px 24px 40px;max-width:1200px}section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:16px 0}
h2{font-size:17px;margin:4px 0 10px}h3{font-size:15px;margin:14px 0 4px}h4{font-size:13px;margin:8px 0 4px}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:12px}.tile{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:96px}
.tile .number{display:block;font-size:20px;font-weight:700}.tile .label{color:var(--muted)}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600}.checks{list-style:none;margin:0;padding:0}.checks .error{color:var(--error)}
.checks .warning{color:var(--warning)}.checks .ok{color:var(--ok)}.sev.error{color:var(--error)}.sev.warning{color:var(--warning)}.sev.info{color:var(--info)}
.count{background:#f2f4f7;border-radius:10px;padding:0 8px;font-size:12px;color:#344054}.doc,.capped,.legend,.why{color:var(--muted)}
.filters{display:flex;gap:16px;margin-bottom:8px}select{font:inherit;padding:2px 4px}
pre{white-space:pre-wrap;word-break:break-word;background:#f8f9fc;border:1px solid var(--line);border-radius:6px;padding:8px;margin:4px 0;font:12.5px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;max-height:320px;overflow:auto}
.ws{color:#c11574;background:#fdf2fa}.group{display:flex;gap:12px;border-top:1px solid var(--line);padding-top:8px;overflow-x:auto}
.group>div{flex:1 1 0;min-width:260px}mark.del,.diff .del{background:#fee4e2;color:#912018;text-decoration:none}
mark.ins,.diff .ins{background:#dcfae6;color:#085d3a}.diff .hunk{color:var(--muted)}.diff span{display:block}
.applicability{font-size:11px;border-radius:8px;padding:0 6px;background:#f2f4f7}.applicability.unsafe{background:#fef0c7}
.histogram svg{width:100%;max-width:760px;height:auto}.bar{fill:#53b1fd}.marker{stroke:#b42318;stroke-dasharray:4 3}
.marker-label{fill:#b42318;font-size:11px}.axis{stroke:#98a2b3}svg text{font-size:11px;fill:#475467}
.example:target{outline:2px solid #53b1fd}.hidden{display:none}
"""

_SCRIPT = """
(function(){
  var rule=document.getElementById('rule-filter'), severity=document.getElementById('severity-filter');
  function apply(){
    document.querySelectorAll('section.rule').forEach(function(section){
      var shown=0;
      section.querySelectorAll('tr.finding').forEach(function(row){
        var ok=!severity.value||row.dataset.severity===severity.value;
        row.classList.toggle('hidden',!ok); if(ok){shown++;}
      });
      section.classList.toggle('hidden',(rule.value&&section.dataset.rule!==rule.value)||shown===0);
    });
  }
  if(rule&&severity){rule.addEventListener('change',apply);severity.addEventListener('change',apply);}
})();
"""
