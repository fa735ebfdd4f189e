"""Errors that end a run with exit code 2 and a one-line message, never a traceback."""


class PrepdataError(Exception):
    """A problem the user can act on. ``str()`` is the one line the CLI prints."""


class InputError(PrepdataError):
    """The dataset cannot be read as asked (missing, binary, wrong encoding, ...)."""


class UsageError(PrepdataError):
    """The command, options or rule configuration are wrong."""


class PluginError(PrepdataError):
    """A rule could not be loaded."""


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM. A BaseException, like KeyboardInterrupt, so that nothing on the
    way out mistakes it for an error it may handle; files being written are removed."""
