from __future__ import annotations

from dataclasses import dataclass

from prepdata import Finding, Rule, Scope, Severity, SourceFile, option

#: The original guidance for a .txt file split by a separator.
TXT_MIN_BYTES, TXT_RECOMMENDED_BYTES = 102_400, 1_048_576


class FileSize(Rule):
    """The file is smaller than the platform accepts or recommends, or larger than it takes.

    Why: the guidance this product started from rejects a separator-split .txt file under
    100 KB and recommends at least 1 MB, since a small file gives the model too little to
    learn from; hosted platforms also cap a file's size (OpenAI 512 MB, Vertex 1 GB).
    Limits are counted in binary units (100 KiB = 102,400 bytes), so a file that passes
    here passes however the platform counts.

    Which limits apply: the options when set; else those of ``--platform``; else, for a
    .txt file only, 102,400 bytes (error) and 1,048,576 bytes (warning). A JSONL, CSV or
    Parquet file is not held to the .txt guidance: trainers take files of any size.

    Fails: a 40,000-byte train.txt (error: below 102,400 bytes).
    Passes: a 2,000,000-byte train.txt; a 3,000-byte train.jsonl with no platform.

    Severity: error below the minimum or above the maximum, warning below the recommended size.
    """

    code = "PD001"
    name = "file-size"
    severity = Severity.ERROR
    scope = Scope.FILE

    @dataclass(frozen=True)
    class Options:
        min_bytes: int | None = option(None, "Smaller files are an error (default: the platform's; 102,400 for .txt).")
        recommended_bytes: int | None = option(
            None, "Smaller files are a warning (default: the platform's; 1,048,576 for .txt).")
        max_bytes: int | None = option(None, "Larger files are an error (default: the platform's).")

    def check(self, file: SourceFile):
        limits = file.platform.limits if file.platform else None
        txt = file.input_format in ("txt", "memory") and (file.platform is None or "text" in file.platform.schemas)
        minimum = _first(self.options.min_bytes, limits and limits.min_bytes, TXT_MIN_BYTES if txt and not limits else None)
        recommended = _first(self.options.recommended_bytes, limits and limits.recommended_bytes,
                             TXT_RECOMMENDED_BYTES if txt and not limits else None)
        maximum = _first(self.options.max_bytes, limits and limits.max_bytes)
        size = file.size_bytes
        who = f"{file.platform.name} needs" if file.platform else "the platform needs"
        if minimum is not None and size < minimum:
            yield Finding(f"file is {size:,} bytes; {who} at least {minimum:,}", severity=Severity.ERROR,
                          details={"bytes": size, "minimum": minimum})
        elif recommended is not None and size < recommended:
            yield Finding(f"file is {size:,} bytes; at least {recommended:,} is recommended", severity=Severity.WARNING,
                          details={"bytes": size, "recommended": recommended})
        if maximum is not None and size > maximum:
            yield Finding(f"file is {size:,} bytes; {file.platform.name if file.platform else 'the platform'} "
                          f"takes at most {maximum:,}; split it", severity=Severity.ERROR,
                          details={"bytes": size, "maximum": maximum})


def _first(*values):
    return next((value for value in values if value is not None), None)
