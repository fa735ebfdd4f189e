from __future__ import annotations

from prepdata import Dataset, Finding, Rule, Scope, Severity


class SeparatorInText(Rule):
    """The separator occurs inside running text, not on a line of its own.

    Why: the platform splits on every occurrence of the separator, so an occurrence in the
    middle of a line cuts an example in two; it is almost never meant. prepdata splits there
    too, as the platform would, and reports it so that you can move the separator to its
    own line or reword the text.

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
    scope = Scope.DATASET

    def check(self, dataset: Dataset):
        for site in dataset.separator_sites:
            if not site.own_line:
                yield Finding(
                    f"separator {dataset.separator!r} inside a line splits the text here",
                    example=site.after_example,
                    line=site.line,
                    column=site.column,
                )
