from __future__ import annotations

from prepdata import PROFILES, Dataset, Finding, Severity, StreamingRule, content_digest


class ChatSchema(StreamingRule):
    """A chat record (``messages``) that does not follow the chat format.

    Why: the platform rejects a conversation with a missing role or content, an unknown
    role or no turn from the model, and a system message that is not first or turns that
    do not alternate teach the model a conversation it will never see.

    Reported: ``messages`` that is not a list or is empty; a message that is not an object;
    a missing or empty ``role`` or ``content``; a role outside the profile; no turn from
    the model; a system message that is not the first; two user turns or two model turns
    in a row. The profile is ``--profile openai`` (system, user, assistant) or
    ``--profile cohere`` (System, User, Chatbot); without one it is taken from the roles
    most records use, and a role of the other convention is reported as a mix.

    Fails::

        {"messages": [{"role": "user", "content": "Hi"}, {"role": "user", "content": "Hello?"}]}

    Passes::

        {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
    """

    code = "PD302"
    name = "chat-schema"
    severity = Severity.ERROR

    def start(self, dataset: Dataset) -> None:
        self.active = dataset.shape == "messages"
        if self.active:
            self.mixed = dataset.profile == "mixed"
            self.profile = dataset.profile if dataset.profile in PROFILES else dataset.majority_profile

    def consume(self, examples, sites):
        if not self.active:
            return
        for example in examples:
            for problem in _problems(example.record.get("messages"), self.profile, self.mixed):
                yield Finding(problem, example=example.index, line=example.line, column=1,
                              content=content_digest(example.text))


def _problems(messages, profile: str, mixed: bool):
    if not isinstance(messages, list):
        yield "'messages' is not a list"
        return
    if not messages:
        yield "'messages' is empty"
        return
    system, user, model = PROFILES[profile]
    roles = []
    for number, message in enumerate(messages):
        if not isinstance(message, dict):
            yield f"message {number} is not an object"
            continue
        role, content = message.get("role"), message.get("content")
        if not isinstance(role, str) or not role:
            yield f"message {number} has no role"
        elif role not in (system, user, model):
            other = next((name for name, names in PROFILES.items() if role in names), None)
            if other:
                yield f"message {number} has role {role!r} of the {other} convention; " + (
                    "the file mixes conventions" if mixed else f"the {profile} profile uses {system}, {user}, {model}"
                )
            else:
                yield f"message {number} has unknown role {role!r}; the {profile} profile uses {system}, {user}, {model}"
        if not isinstance(content, str) or not content.strip():
            yield f"message {number} has no content"
        roles.append(role)
    if model not in roles:
        yield f"no turn from the model ({model})"
    if system in roles[1:]:
        yield f"a {system} message that is not the first, at message {roles.index(system, 1)}"
    turns = [role for role in roles if role in (user, model)]
    for number, (first, second) in enumerate(zip(turns, turns[1:])):
        if first == second:
            yield f"turns do not alternate: two {first} turns in a row (turns {number} and {number + 1})"
            break
