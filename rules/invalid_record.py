from __future__ import annotations

from prepdata import Applicability, Dataset, Finding, Fix, Severity, StreamingRule, content_digest


class InvalidRecord(StreamingRule):
    """A record that cannot be read: not JSON, not an object, the wrong shape, a bad CSV row.

    Why: the platform rejects the whole upload for one malformed line. Every such record is
    reported in one pass, each with its line, so that one run shows them all.

    Reported for JSONL: a line that is not valid JSON; JSON that is not an object; a record
    whose shape (messages, prompt/completion, text) differs from the rest of the file; a
    missing ``prompt``, ``completion`` or ``text``, or one that is not a string. For CSV
    and TSV: a row with more or fewer fields than the header; a quote that never closes.

    Fails::

        {"prompt": "Say hi", "completion": "Hi!"}
        {"prompt": "Say bye", "completion": "Bye!"

    Passes::

        {"prompt": "Say hi", "completion": "Hi!"}
        {"prompt": "Say bye", "completion": "Bye!"}

    Fix (unsafe): the record goes to the rejects file, its text exactly as it was.
    """

    code = "PD301"
    name = "invalid-record"
    severity = Severity.ERROR
    fix_applicability = Applicability.UNSAFE

    def start(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def finish(self, fetch):
        for record in self.dataset.invalid_records:
            yield Finding(record.message, example=record.index, line=record.line, column=1,
                          fix=Fix.remove(Applicability.UNSAFE), content=content_digest(record.text))
