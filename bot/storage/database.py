"""The one way to reach a database: an engine from a URL, and errors that name the setting to fix.

SQLite by default, PostgreSQL by DATABASE_URL; every store builds its tables on this one `metadata`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from sqlalchemy import MetaData, create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.settings import database_url

metadata = MetaData()


class DatabaseUnavailable(RuntimeError):
    """The database named by DATABASE_URL cannot be used; the message says what to fix."""


def make_engine(url: Optional[str] = None, setting: str = "DATABASE_URL") -> Engine:
    """An engine for the URL; `setting` is the name an error tells the reader to fix."""
    url = url or database_url()
    if url.startswith("sqlite:///"):
        folder = Path(url[len("sqlite:///"):]).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseUnavailable(
                advice(url, f"cannot create the folder {folder} ({error.strerror})", setting)) from None
    return create_engine(url, future=True, pool_pre_ping=True)


class Store:
    """A set of tables in one database: creates them once, and turns database errors into advice."""

    def __init__(self, engine: Optional[Engine] = None):
        self.engine = engine or make_engine()
        try:
            metadata.create_all(self.engine)
        except SQLAlchemyError as error:
            raise DatabaseUnavailable(explain(self.engine, error)) from None

    def _write(self, *statements) -> int:
        """Run the statements in one transaction; returns how many rows they touched."""
        try:
            with self.engine.begin() as conn:
                return sum(conn.execute(statement).rowcount for statement in statements)
        except SQLAlchemyError as error:
            raise DatabaseUnavailable(explain(self.engine, error)) from None

    def _connect(self):
        try:
            return self.engine.connect()
        except SQLAlchemyError as error:
            raise DatabaseUnavailable(explain(self.engine, error)) from None


def explain(engine: Engine, error: SQLAlchemyError, setting: str = "DATABASE_URL") -> str:
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return advice(engine.url.render_as_string(hide_password=True), reason, setting)


def advice(shown_url: str, reason: str, setting: str = "DATABASE_URL") -> str:
    return (f"Cannot use the database {shown_url}: {reason}. "
            f"Check the {setting} setting in .env (or leave it empty to use the SQLite file in var/).")
