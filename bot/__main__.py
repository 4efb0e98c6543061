"""`python -m bot COMMAND`: the local offer from the command line.

    check     the PA quick check (see `python -m bot check --help`)
    load      check the offer files and load them into the database
    validate  check the offer files only; change nothing
    place     say whether a place is in Peterborough, e.g. `python -m bot place "orton goldhay"`
    serve     start the chat: action server, Rasa server and chat page (`make run` does this)
    forget    delete conversations, feedback and logs past their retention (`serve` does this daily)
    wording   check every sentence the bot can say; `--report` also writes docs/wording-review.html and .csv
    feedback  `--csv [FOLDER]`: write the feedback and unanswered questions (anonymised) as CSV for the group
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

from bot.launcher import StartFailed, forget_old_records, serve
from bot.offer.loader import OfferInvalid, load_offer
from bot.offer.places import PlaceResolver
from bot.quick_check import run_check
from bot.settings import FEEDBACK_DIR, SettingInvalid, offer_dir
from bot.storage.database import DatabaseUnavailable
from bot.storage.feedback_export import export_feedback_csv
from bot.storage.feedback_store import FeedbackStore
from bot.storage.offer_store import OfferStore
from bot.wording.cli import run_wording_check

USAGE = __doc__


def main(argv: Optional[List[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if args else 2
    command, rest = args[0], args[1:]
    try:
        if command == "validate":
            offer = load_offer(offer_dir())
            print(f"The offer files are valid: {len(offer.entries)} entries.")
            return 0
        if command == "load":
            return _load()
        if command == "check":
            return run_check(rest, _current_offer())
        if command == "place":
            answer = PlaceResolver(_current_offer().places).resolve(" ".join(rest))
            print(answer.status + (f": {answer.place}" if answer.place else ""))
            if answer.next_question:
                print(f"Ask: {answer.next_question}")
            return 0
        if command == "serve":
            return serve(_current_offer())
        if command == "wording":
            return run_wording_check(_current_offer(), report="--report" in rest)
        if command == "feedback":
            return _export_feedback(rest)
        if command == "forget":
            print(forget_old_records())
            return 0
    except OfferInvalid as invalid:
        _report(invalid)
        return 1
    except (DatabaseUnavailable, SettingInvalid, StartFailed) as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Unknown command {command!r}.\n{USAGE}", file=sys.stderr)
    return 2


def _load() -> int:
    result = OfferStore().refresh(offer_dir())
    if result.errors:
        _report(OfferInvalid(result.errors))
        print("Nothing was changed: the offer loaded before is still in use.", file=sys.stderr)
        return 1
    state = "Loaded" if result.loaded else "Already up to date:"
    print(f"{state} {len(result.offer.entries)} entries.")
    return 0


def _export_feedback(rest: List[str]) -> int:
    if not rest or rest[0] != "--csv":
        print("Usage: python -m bot feedback --csv [FOLDER]   (default folder: var/feedback)", file=sys.stderr)
        return 2
    folder = Path(rest[1]) if len(rest) > 1 else FEEDBACK_DIR
    for path in export_feedback_csv(FeedbackStore(), folder):
        print(f"Wrote {path}")
    return 0


def _current_offer():
    """The offer from the database, loading the files first if they changed."""
    result = OfferStore().refresh(offer_dir())
    if result.errors:
        _report(OfferInvalid(result.errors))
        print("Answering from the offer loaded before, until the files are fixed.", file=sys.stderr)
    return result.offer


def _report(invalid: OfferInvalid) -> None:
    print(f"The offer files have {len(invalid.errors)} mistake(s):", file=sys.stderr)
    for error in invalid.errors:
        print(f"  {error}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
