"""The review pack for a participation group session: one row per string, as HTML (phone and print) and CSV."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path
from typing import Dict, List, Sequence

from bot.spreadsheet_csv import write_csv
from bot.wording.catalogue import BotString
from bot.wording.check import LEVELS, Finding, Rules, count_by_level, reading_grade

REVIEW_COLUMNS = ("OK?", "Better wording", "Reviewed by")
HARDEST_SHOWN = 10


def write_review_pack(strings: Sequence[BotString], findings: Sequence[Finding], rules: Rules,
                      folder: Path) -> List[Path]:
    """docs/wording-review.html and .csv; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    by_string: Dict[str, List[Finding]] = {}
    for finding in findings:
        by_string.setdefault(finding.string_id, []).append(finding)
    grades = {string.id: reading_grade(string.plain, rules) for string in strings}
    csv_path, html_path = folder / "wording-review.csv", folder / "wording-review.html"
    columns = ("id", "text", "where used", "findings", "reading grade", *REVIEW_COLUMNS)
    write_csv(csv_path, columns, ({"id": string.id, "text": string.plain, "where used": string.where,
                                   "findings": "; ".join(_describe(f) for f in by_string.get(string.id, [])),
                                   "reading grade": _grade(grades[string.id])} for string in strings))
    html_path.write_text(_html(strings, by_string, grades, findings), encoding="utf-8")
    return [html_path, csv_path]


def _describe(finding: Finding) -> str:
    text = f"{finding.level}: {finding.message}"
    if finding.suggestion:
        text += f" (try: {finding.suggestion})"
    if finding.why:
        text += f" Why: {finding.why}"
    return text


def _grade(grade) -> str:
    return "" if grade is None else f"{grade:.1f}"


def _html(strings: Sequence[BotString], by_string: Dict[str, List[Finding]], grades: Dict, findings) -> str:
    counts = count_by_level(findings)
    hardest = sorted((s for s in strings if grades[s.id] is not None), key=lambda s: grades[s.id], reverse=True)
    rows = []
    for string in strings:
        notes = "".join(f'<li class="{f.level}">{html.escape(_describe(f))}</li>' for f in by_string.get(string.id, []))
        rows.append(
            f"<tr><td><code>{html.escape(string.id)}</code><br><small>{html.escape(string.where)}</small></td>"
            f"<td>{html.escape(string.plain)}</td><td><ul>{notes}</ul></td><td>{_grade(grades[string.id])}</td>"
            + "<td></td>" * len(REVIEW_COLUMNS) + "</tr>")
    hardest_items = "".join(f"<li><code>{html.escape(s.id)}</code>: grade {grades[s.id]:.1f}</li>"
                            for s in hardest[:HARDEST_SHOWN])
    summary = " · ".join(f"{counts[level]} {level}{'s' if counts[level] != 1 else ''}" for level in LEVELS)
    return f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chatbot wording review</title>
<style>
body {{ font-family: system-ui, Arial, sans-serif; margin: 1rem; color: #0b0c0c; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border: 1px solid #b1b4b6; padding: .4rem; vertical-align: top; }}
th {{ background: #f3f2f1; text-align: left; }}
.error {{ color: #b10e1e; font-weight: bold; }} .warning {{ color: #6f3a00; }}
ul {{ margin: 0; padding-left: 1rem; }} td:nth-child(n+5) {{ min-width: 6rem; }}
@media (max-width: 40rem) {{
  table, tr, td {{ display: block; }} th {{ display: none; }} tr {{ margin-bottom: 1rem; }}
}}
@media print {{ body {{ margin: 0; font-size: 10pt; }} tr {{ break-inside: avoid; }} }}
</style></head><body>
<h1>Chatbot wording review</h1>
<p>Made {date.today():%d %B %Y} by <code>python -m bot wording --report</code>: every sentence the chatbot can say,
{len(strings)} in all. Change the words in the file named under each id. "…" stands for something filled in
when the chatbot answers, like a phone number.</p>
<p><strong>Findings:</strong> {summary}.</p>
<h2>The ten hardest to read</h2><ol>{hardest_items}</ol>
<h2>Every string</h2>
<table><thead><tr><th>id and file</th><th>What the chatbot says</th><th>Findings</th><th>Reading grade</th>
{"".join(f"<th>{c}</th>" for c in REVIEW_COLUMNS)}</tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""
