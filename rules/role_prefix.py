from __future__ import annotations

import regex

from prepdata import Example, Finding, Rule, Severity, SourceFile, schema_named

# Conversation role labels at the start of a line, and instruction-template headers.
_LABEL = regex.compile(r"^[ \t]*(User|Assistant|Human|AI|Bot|System|Chatbot|GPT)[ \t]*:", regex.MULTILINE)
_HEADER = regex.compile(r"^[ \t]*#{2,4}[ \t]*(Instruction|Response|Input)[ \t]*:?[ \t]*$", regex.MULTILINE)
_MODEL_LABELS = {"Assistant", "AI", "Bot", "Chatbot", "GPT"}
_INPUT_LABELS = {"User", "Human"}


class RolePrefix(Rule):
    """A chat template baked into the text: role labels such as ``User:`` and
    ``Assistant:`` at the start of lines, or Alpaca's ``### Response:`` headers.

    Why: the trainer renders the roles itself from the record's structure; labels written
    into the text teach the model to write them, and to play the user's part too. A model
    turn that starts with ``Assistant:`` gets the label twice once templated.

    Reported: a text with two different role labels at the start of its lines (a
    transcript); an instruction-template header (``### Instruction:``, ``### Response:``);
    a model turn that starts with a model label, or an input turn with a user label. One
    label in running text (``System: rebooted`` in a log) is not enough. Not reported for
    schemas whose texts carry the template by design (axolotl's ``segments``).

    Fails: ``{"text": "User: Hi there\\nAssistant: Hello! How can I help?"}``.
    Passes: ``{"text": "The system: a set of parts that work together."}``.
    """

    code = "PD107"
    name = "role-prefix"
    severity = Severity.WARNING

    skipped = False

    def begin_file(self, file: SourceFile) -> None:
        self.skipped = schema_named(file.shape).templated if file.input_format not in ("txt", "memory") else False

    def check(self, example: Example):
        if self.skipped:
            return
        for field in example.fields:
            why = _baked(field.text, field.target)
            if why:
                message, offset = why
                yield Finding.at(example, message, offset, field=field.name)
                return


def _baked(text: str, target: bool) -> tuple[str, int] | None:
    header = _HEADER.search(text)
    if header:
        return f"a template header '### {header.group(1)}:' in the text", header.start()
    labels = list(_LABEL.finditer(text))
    names = {match.group(1) for match in labels}
    if len(names) >= 2:
        shown = ", ".join(f"{name}:" for name in sorted(names))
        return f"role labels {shown} at the start of lines: a conversation written into one text", labels[0].start()
    first = labels[0] if labels else None
    if first is not None and not text[:first.start()].strip():
        own = _MODEL_LABELS if target else _INPUT_LABELS
        if first.group(1) in own:
            return f"the turn starts with the label {first.group(1)}:, which the chat template adds", first.start()
    return None
