"""The web check's routes: `/check` (the form, filled in from the query) and `/check/results` (the list).

Both are plain GET pages over the same engine as `python -m bot check`; the query holds only the
answers, and nothing about a person is logged or stored. A results address with an answer that
cannot be read shows the form again, with the error summary.
"""

from __future__ import annotations

from html import escape
from string import Template
from typing import Any, Dict, List, Mapping, Optional

from starlette.concurrency import run_in_threadpool
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, request_response

from bot.data_files import read_yaml
from bot.fact_input import CHECK_PATH
from bot.offer.eligibility import check_offer
from bot.offer.loader import Offer
from bot.settings import STATIC_DIR, WORDING_DIR
from bot.web.check_form import RESULTS_PATH, render_form
from bot.web.check_query import CheckQuery, read_query
from bot.web.check_results import ResultsPage

CHECK_WORDING = WORDING_DIR / "check.yml"
HTML = "text/html; charset=utf-8"


def check_wording() -> Dict[str, Any]:
    return read_yaml(CHECK_WORDING)


class CheckPage:
    """The two pages over one offer, in the chat page's frame (its exit button and words)."""

    def __init__(self, offer: Offer, page_words: Mapping[str, Any], exit_url: str):
        self.offer = offer
        self.frame = Template((STATIC_DIR / "check.html").read_text(encoding="utf-8"))
        self.frame_words = {"exit_url": exit_url, "exit_button": page_words["exit_button"],
                            "exit_hint": page_words["exit_hint"]}

    def routes(self) -> List[Route]:
        """GET only, compressed: a full list is about 50 KB of HTML and under 15 KB sent."""
        return [Route(path, GZipMiddleware(request_response(handler)), methods=["GET", "HEAD"])
                for path, handler in ((CHECK_PATH, self.form), (RESULTS_PATH, self.results))]

    async def form(self, request: Request) -> Response:
        return Response(await run_in_threadpool(self.form_html, self._query(request)), media_type=HTML)

    async def results(self, request: Request) -> Response:
        share_url = f"{request.base_url}{RESULTS_PATH.lstrip('/')}"
        return Response(await run_in_threadpool(self.results_html, self._query(request), share_url),
                        media_type=HTML)

    def form_html(self, query: CheckQuery, errors: Optional[Mapping[str, str]] = None) -> str:
        words = check_wording()
        read = read_query(self.offer, query, words)
        body = render_form(self.offer, words, query, errors or {}, read.answers.place)
        return self._page(words["title"], body)

    def results_html(self, query: CheckQuery, share_base: str) -> str:
        words = check_wording()
        read = read_query(self.offer, query, words)
        if read.errors:
            return self.form_html(query, read.errors)
        results = check_offer(self.offer, read.answers.facts, read.on)
        share_url = f"{share_base}?{query.encoded()}" if query else share_base
        page = ResultsPage(self.offer, words, query, read.answers.facts, read.answers.place, results, read.on,
                           share_url)
        return self._page(words["results_title"], page.html())

    def _query(self, request: Request) -> CheckQuery:
        return CheckQuery.from_pairs(self.offer.catalogue, request.query_params.multi_items())

    def _page(self, title: str, body: str) -> str:
        fields = {key: escape(value) for key, value in self.frame_words.items()}
        fields.update(title=escape(title), back_to_chat=escape(check_wording()["back_to_chat"]), body=body)
        return self.frame.substitute(fields)
