"""The servers' log files: one per server and day, deleted after LOG_RETENTION_DAYS.

A server's output goes through a pipe to a thread in the launcher, which writes it to
var/log/<name>.log; at the first line of a new day that file becomes <name>.<YYYY-MM-DD>.log and a
new one is started, and dated files past the retention period are deleted. So logs rotate and are
forgotten even when the servers run for months without a restart.
"""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path
from typing import IO, BinaryIO, Callable, Optional


def delete_old_logs(folder: Path, older_than_days: int) -> int:
    """Delete log files last written more than the retention period ago; returns how many."""
    cutoff = time.time() - older_than_days * 86_400
    deleted = 0
    for path in folder.glob("*.log"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


class DailyLog:
    """Appends to <folder>/<name>.log, rotating it by day and deleting dated files past the retention."""

    def __init__(self, folder: Path, name: str, retention_days: int, today: Callable[[], date] = date.today):
        self.folder, self.name, self.retention_days, self.today = folder, name, retention_days, today
        self.path = folder / f"{name}.log"
        self.day: Optional[date] = None
        self.file: Optional[IO[bytes]] = None

    def write(self, line: bytes) -> None:
        day = self.today()
        if self.file is None or day != self.day:
            self._open_for(day)
        self.file.write(line)
        self.file.flush()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None

    def _open_for(self, day: date) -> None:
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            written_on = date.fromtimestamp(self.path.stat().st_mtime)
            if written_on != day:
                self.path.rename(self.folder / f"{self.name}.{written_on.isoformat()}.log")
                delete_old_logs(self.folder, self.retention_days)
        self.day = day
        self.file = self.path.open("ab")


def pump_output(stream: BinaryIO, log: DailyLog) -> threading.Thread:
    """Copy a server's output, line by line, into its log until the server closes it."""
    def copy() -> None:
        try:
            for line in iter(stream.readline, b""):
                log.write(line)
        finally:
            log.close()
            stream.close()

    thread = threading.Thread(target=copy, name=f"log-{log.name}", daemon=True)
    thread.start()
    return thread
