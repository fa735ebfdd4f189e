"""Readers and writers. Each reader returns a Dataset whose ``layout`` writes it back."""

from __future__ import annotations

from typing import Protocol


class Layout(Protocol):
    """Everything needed to write a dataset back, byte for byte where nothing changed."""

    def render(self, replacements: dict[int, str], dropped: set[int]) -> bytes:
        """The file with ``replacements`` (example index -> new text) and without ``dropped``."""

    def accepts(self, index: int, text: str, dropped: set[int]) -> bool:
        """Whether ``text`` can replace example ``index`` (with ``dropped`` gone) without
        changing how the file splits."""

    def original(self, index: int) -> str:
        """The example's text exactly as the file has it."""
