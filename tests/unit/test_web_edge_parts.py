"""The parts of the web edge that need no server: the rate limit's size, which `/...` messages reach Rasa as
intents, spreadsheet-safe CSV files, daily log files and feedback retention."""

from __future__ import annotations

import argparse
import csv
import os
import time
import warnings
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import update

from bot.log_files import DailyLog, delete_old_logs
from bot.settings import chat_rate_limit
from bot.spreadsheet_csv import write_csv
from bot.storage.database import make_engine
from bot.storage.feedback_export import export_feedback_csv
from bot.storage.feedback_store import FeedbackStore, feedback, unanswered
from bot.web.offered_payloads import OfferedPayloads
from bot.web.rate_limit import RateLimit, RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_person_chatting_fast_for_an_hour_never_meets_the_default_limit():
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(*chat_rate_limit()), clock)
    for _ in range(3):
        for _ in range(12):  # a row of buttons tapped as fast as a thumb can, with feedback on each answer
            assert limiter.allow("person")
            clock.now += 0.5
        for _ in range(400):  # then a message (or a thumbs up) every 3 seconds, for 20 minutes
            assert limiter.allow("person")
            clock.now += 3


def test_a_script_is_stopped_after_the_burst_and_others_are_not():
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(burst=30, per_minute=60), clock)
    allowed = [limiter.allow("script") for _ in range(100)]
    assert allowed.count(True) == 30 and not any(allowed[30:])
    assert limiter.allow("someone else")
    clock.now += 1
    assert limiter.allow("script") and not limiter.allow("script")


def test_only_offered_payloads_and_the_start_reach_rasa_as_intents():
    payloads = OfferedPayloads(always_allowed=["/greet"])
    payloads.remember("a", ['/button{"fact":"age"}', "not a slash"])
    assert payloads.as_sent("a", "/greet") == "/greet"
    assert payloads.as_sent("a", '/button{"fact":"age"}') == '/button{"fact":"age"}'
    assert payloads.as_sent("b", '/button{"fact":"age"}') == 'button{"fact":"age"}'
    assert payloads.as_sent("a", "/restart") == "restart"
    assert payloads.as_sent("a", " //session_start") == "session_start"
    assert payloads.as_sent("a", '/inform{"place": "PE1 1AB"}') == 'inform{"place": "PE1 1AB"}'
    assert payloads.as_sent("a", "hello /there") == "hello /there"


def test_formulas_are_neutralised_in_every_csv_cell(tmp_path):
    cells = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\t=1", "\r=1", "plain", "a=b", ""]
    path = write_csv(tmp_path / "out.csv", ["cell"], [{"cell": cell} for cell in cells])
    with path.open(encoding="utf-8", newline="") as opened:
        read = [row["cell"] for row in csv.DictReader(opened)]
    assert read == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\t=1", "'\r=1", "plain", "a=b", ""]


def test_the_feedback_export_neutralises_formulas(tmp_path):
    store = FeedbackStore(make_engine(f"sqlite:///{tmp_path / 'f.db'}"))
    store.add_feedback(["offer:x"], "down", "=cmd|' /C calc'!A0")
    store.add_unanswered("answers:not_understood", "@SUM(1+1)")
    feedback_csv, unanswered_csv, _ = export_feedback_csv(store, tmp_path)
    with feedback_csv.open(encoding="utf-8", newline="") as opened:
        assert next(csv.DictReader(opened))["suggestion"] == "'=cmd|' /C calc'!A0"
    with unanswered_csv.open(encoding="utf-8", newline="") as opened:
        assert next(csv.DictReader(opened))["message"] == "'@SUM(1+1)"


def test_feedback_and_unanswered_questions_past_their_retention_are_deleted(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'f.db'}")
    store = FeedbackStore(engine)
    store.add_feedback(["offer:x"], "up", "old")
    store.add_feedback(["offer:x"], "up", "new")
    store.add_unanswered("answers:not_understood", "old question")
    with engine.begin() as conn:
        for table, column in ((feedback, feedback.c.suggestion), (unanswered, unanswered.c.message)):
            conn.execute(update(table).where(column.startswith("old")).values(day=date.today() - timedelta(days=31)))
    assert store.delete_older_than(30) == 2
    assert [row["suggestion"] for row in store.feedback_rows()] == ["new"]
    assert store.unanswered_rows() == []


def test_logs_rotate_by_day_and_old_ones_are_deleted(tmp_path):
    today = [date(2026, 1, 1)]
    log = DailyLog(tmp_path, "rasa-server", retention_days=30, today=lambda: today[0])
    log.write(b"first day\n")
    log.close()
    _age(tmp_path / "rasa-server.log", days=1)
    today[0] = date.today()
    log.write(b"next day\n")
    log.close()
    dated = [path.name for path in tmp_path.glob("rasa-server.*.log")]
    assert len(dated) == 1 and (tmp_path / "rasa-server.log").read_bytes() == b"next day\n"
    _age(tmp_path / dated[0], days=31)
    assert delete_old_logs(tmp_path, 30) == 1
    assert [path.name for path in tmp_path.iterdir()] == ["rasa-server.log"]


def _age(path: Path, days: int) -> None:
    then = time.time() - days * 86_400
    os.utime(path, (then, then))


def test_rasas_warning_that_repeats_a_typed_message_is_filtered_and_others_are_kept(monkeypatch):
    from components.rasa_server import TokenFromEnvironment

    monkeypatch.setenv("RASA_AUTH_TOKEN", "from-the-environment")
    arguments = argparse.Namespace(auth_token=None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        TokenFromEnvironment().configure_commandline(arguments)
        warnings.warn("Failed to parse arguments in line '/inform{\"place\": \"PE1 1AB\"}'", UserWarning, stacklevel=1)
        warnings.warn("something else", UserWarning, stacklevel=1)
    assert [str(warning.message) for warning in caught] == ["something else"]
    assert arguments.auth_token == "from-the-environment"
