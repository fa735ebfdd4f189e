from __future__ import annotations

from prepdata import Dataset, Finding, Severity, StreamingRule


class SeparatorInText(StreamingRule):
    """The separator occurs inside running text, not on a line of its own.

    Why: the platform splits on every occurrence of the separator, so an occurrence in the
    middle of a line cuts an example in two; it is almost never meant. prepdata splits there
    too, as the platform would, and reports it so that you can move the separator to its
    own line or reword the text. A separator that holds its own line breaks
    (``--separator $'\n%\n'``) always stands on a line of its own, and is never reported.

    Fails::

        The answer is yes --SEPARATOR-- and the next example starts here.

    Passes::

        The answer is yes.
        --SEPARATOR--
        The next example starts here.
    """

    code = "PD003"
    name = "separator-in-text"
    severity = Severity.WARNING

    def start(self, dataset: Dataset) -> None:
        self.separator = dataset.separator

    def consume(self, examples, sites):
        for site in sites:
            if not site.own_line:
                yield Finding(
                    f"separator {self.separator!r} inside a line splits the text here",
                    example=site.after_example,
                    line=site.line,
                    column=site.column,
                )
