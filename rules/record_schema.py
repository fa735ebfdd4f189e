from __future__ import annotations

from prepdata import (
    DEFAULT_POLICY,
    Applicability,
    Dataset,
    Finding,
    Fix,
    Severity,
    StreamingRule,
    content_digest,
    schema_named,
)


class RecordSchema(StreamingRule):
    """A record that breaks its schema, or that the chosen platform would reject.

    Why: a platform rejects the whole upload for one malformed record, and a trainer fails
    mid-run or silently skips it. Every problem of every record is reported in one pass,
    each with the record's line and the JSON path it sits at
    (``messages[3].tool_calls[0].function.arguments``).

    Reported: whatever the file's schema (``prepdata schemas``) finds wrong with a record:
    for chat, a role outside the set, a turn without content, a part without its payload,
    a ``weight`` that is not exactly 0 or 1, no trained model turn, tool-call arguments that
    are not a JSON string, a ``tool_call_id`` that matches no call, a bad function name.
    Checks that differ between platforms (the same role twice in a row, a last turn that
    is not the model's, a system message that is not first, keys outside the schema) follow
    ``--platform``: an error where that platform rejects the record, nothing where it
    accepts it, and a warning (or nothing) without a platform. With a platform, a file
    whose schema it does not take is an error too.

    Fails::

        {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "weight": 2, "content": "Hey"}]}

    Passes::

        {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}

    Fix (unsafe): a record with an error goes to the rejects file, its text exactly as it
    was; warnings are not fixed.
    """

    code = "PD302"
    name = "record-schema"
    severity = Severity.ERROR
    fix_applicability = Applicability.UNSAFE

    def start(self, dataset: Dataset) -> None:
        records = dataset.input_format not in ("txt", "memory")
        self.schema = schema_named(dataset.shape) if records else None
        self.platform = dataset.platform
        self.policy = dataset.platform.policy if dataset.platform else DEFAULT_POLICY

    def consume(self, examples, sites):
        if self.schema is None:
            return
        for example in examples:
            problems = list(self.schema.problems(example.record, self.policy))
            if not problems:
                continue
            content = content_digest(example.text)
            for problem in problems:
                severity = problem.severity or Severity.ERROR
                fix = Fix.remove(Applicability.UNSAFE) if severity is Severity.ERROR else None
                yield Finding(problem.describe(), example=example.index, line=example.line, column=1,
                              severity=severity, fix=fix, details={"path": problem.path}, content=content)

    def finish(self, fetch):
        platform = self.platform
        if platform is None or not platform.schemas:
            return
        shape = self.schema.name if self.schema else "text"
        if shape not in platform.schemas:
            yield Finding(f"{platform.name} does not take {shape} records; it takes {', '.join(platform.schemas)} "
                          f"(prepdata convert FILE --to {platform.schemas[0]} writes them)",
                          details={"schema": shape, "accepted": list(platform.schemas)})
