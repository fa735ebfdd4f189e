from __future__ import annotations

from dataclasses import dataclass

from prepdata import Finding, Rule, Scope, Severity, SourceFile, option


class FileSize(Rule):
    """The file is smaller than the platform accepts or recommends.

    Why: finetuning platforms reject a training file under 100 KB and recommend at least
    1 MB; a small file also gives the model too little to learn from. Both limits are
    counted in binary units (100 KiB = 102,400 bytes), so a file that passes here passes
    however the platform counts.

    Fails: a 40,000-byte train.txt (error: below 102,400 bytes).
    Passes: a 2,000,000-byte train.txt.

    Severity: error below ``min_bytes``, warning below ``recommended_bytes``.
    """

    code = "PD001"
    name = "file-size"
    severity = Severity.ERROR
    scope = Scope.FILE

    @dataclass(frozen=True)
    class Options:
        min_bytes: int = option(102_400, "Smaller files are an error.")
        recommended_bytes: int = option(1_048_576, "Smaller files are a warning.")

    def check(self, file: SourceFile):
        size = file.size_bytes
        if size < self.options.min_bytes:
            yield Finding(
                f"file is {size:,} bytes; the platform needs at least {self.options.min_bytes:,}",
                severity=Severity.ERROR,
                details={"bytes": size, "minimum": self.options.min_bytes},
            )
        elif size < self.options.recommended_bytes:
            yield Finding(
                f"file is {size:,} bytes; at least {self.options.recommended_bytes:,} is recommended",
                severity=Severity.WARNING,
                details={"bytes": size, "recommended": self.options.recommended_bytes},
            )
