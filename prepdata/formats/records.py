"""What the record formats (JSONL, CSV, TSV) share: one record a line or row, kept raw."""

from __future__ import annotations

from prepdata.files import FILE_ACTIONS, file_action_effect


class RecordLayout:
    """A layout whose records are written back raw unless changed; no rewrite can change
    how such a file splits, since each record is serialized on its own."""

    bom: bytes
    raws: dict[int, str]

    def accepts(self, index: int, field: str, text: str, dropped: set[int]) -> bool:
        return True

    def original(self, index: int) -> str:
        return self.raws[index]

    def original_of(self, piece) -> str:
        """``original`` of the record a Piece holds (its text without the line break)."""
        return piece.raw.rstrip("\r\n")

    def effect(self, action: str) -> dict:
        return file_action_effect(action)

    def bom_for(self, file_actions: set[str]) -> bytes:
        """The BOM to write: none once a file action has rewritten the encoding."""
        return b"" if file_actions & set(FILE_ACTIONS) else self.bom
