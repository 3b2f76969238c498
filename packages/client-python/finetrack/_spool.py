"""One run's append-only spool file, in the TypeScript SDK's format and place
($FINETRACK_HOME/spool/<run>.jsonl, <run>.lock holding the owner's pid, <run>.rejected.jsonl), so
that `finetrack sync` uploads what Python spooled and keeps off a file a live process owns."""

import os
import sys
from typing import Any, Dict, Optional, Tuple

from ._wire import decode_spool_line, encode_spool_line


class SpoolFile:
    def __init__(self, home: str, run_id: str):
        folder = os.path.join(home, "spool")
        self.folder = folder
        self.path = os.path.join(folder, f"{run_id}.jsonl")
        self.lock_path = os.path.join(folder, f"{run_id}.lock")
        self.rejected_path = os.path.join(folder, f"{run_id}.rejected.jsonl")
        self._offset = 0
        self._claimed = False

    def claim(self) -> None:
        if self._claimed:
            return
        os.makedirs(self.folder, mode=0o700, exist_ok=True)
        with open(self.lock_path, "w", encoding="utf-8") as f:
            f.write(str(os.getpid()))
        self._claimed = True

    def append(self, record: Dict[str, Any]) -> None:
        self.claim()
        line = encode_spool_line(record)
        # One write per record, flushed at once: an abrupt exit keeps every whole line already written.
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line)

    def _size(self) -> int:
        try:
            return os.path.getsize(self.path)
        except OSError:
            return 0

    def has_unsent(self) -> bool:
        return self._size() > self._offset

    def read_next(self) -> Optional[Tuple[Dict[str, Any], int]]:
        """The record after the cursor and the byte offset after it; a torn last line waits."""
        try:
            with open(self.path, "rb") as f:
                f.seek(self._offset)
                raw = f.readline()
        except OSError:
            return None
        if not raw.endswith(b"\n"):
            return None
        end = self._offset + len(raw)
        try:
            return decode_spool_line(raw.decode("utf-8")), end
        except (ValueError, KeyError, IndexError, TypeError) as error:
            self._keep_line(raw, f"unreadable spool line at byte {self._offset} of {self.path}: {error}")
            self._offset = end
            return self.read_next()

    def advance(self, end: int) -> None:
        self._offset = end

    def reset_after_drain(self) -> None:
        if self._size() <= self._offset:
            self._unlink(self.path)
            self._offset = 0

    def release(self) -> None:
        self._unlink(self.lock_path)
        self._claimed = False

    def remove(self) -> None:
        if self._size() <= self._offset:
            self._unlink(self.path)
        self.release()

    def keep_rejected(self, record: Dict[str, Any], code: str, message: str) -> None:
        os.makedirs(self.folder, mode=0o700, exist_ok=True)
        with open(self.rejected_path, "a", encoding="utf-8") as f:
            f.write(encode_spool_line(record))

    def _keep_line(self, raw: bytes, why: str) -> None:
        print(f"finetrack: {why}; kept in {self.rejected_path}", file=sys.stderr)
        with open(self.rejected_path, "ab") as f:
            f.write(raw)

    @staticmethod
    def _unlink(path: str) -> None:
        try:
            os.unlink(path)
        except OSError:
            pass
