"""Intent precision, recall and F1 on the held-out set (tests/nlu/holdout.yml), which is never trained on.

    python -m tests.nlu_report docs/nlu-report.md
"""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from pathlib import Path
from typing import Dict, List, Tuple

import yaml
from sklearn.metrics import precision_recall_fscore_support

HOLDOUT = Path(__file__).parent / "nlu" / "holdout.yml"
FALLBACK = "nlu_fallback"


def holdout_examples() -> List[Tuple[str, str]]:
    data = yaml.safe_load(HOLDOUT.read_text(encoding="utf-8"))
    return [(text, intent) for intent, texts in data.items() for text in texts]


def predict(agent, examples: List[Tuple[str, str]], loop=None) -> List[str]:
    loop = loop or asyncio.new_event_loop()
    return [loop.run_until_complete(agent.parse_message(text))["intent"]["name"] for text, _ in examples]


def scores(examples: List[Tuple[str, str]], predicted: List[str]) -> Dict[str, object]:
    expected = [intent for _, intent in examples]
    labels = sorted(set(expected))
    precision, recall, f1, support = precision_recall_fscore_support(
        expected, predicted, labels=labels, zero_division=0)
    confused: Dict[str, Dict[str, int]] = {}
    for want, got in zip(expected, predicted, strict=True):
        if want != got:
            confused.setdefault(want, {}).setdefault(got, 0)
            confused[want][got] += 1
    return {
        "per_intent": {label: (precision[i], recall[i], f1[i], int(support[i])) for i, label in enumerate(labels)},
        "macro_f1": float(sum(f1) / len(f1)),
        "fallback_rate": predicted.count(FALLBACK) / len(predicted),
        "confused": confused,
        "count": len(examples),
    }


def report_markdown(result: Dict[str, object]) -> str:
    lines = [
        "# Intent recognition on the held-out set",
        "",
        f"Measured {date.today().isoformat()} on {result['count']} held-out messages "
        f"(`tests/nlu/holdout.yml`, never trained on), with the model from `make train`.",
        "",
        f"- Macro F1: **{result['macro_f1']:.3f}**",
        f"- Fallback rate (messages sent to the \"I can help with...\" reply): {result['fallback_rate']:.1%}",
        "",
        "| intent | precision | recall | F1 | n | confused with |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label, (p, r, f, n) in result["per_intent"].items():
        confused = ", ".join(f"{k} ({v})" for k, v in result["confused"].get(label, {}).items())
        lines.append(f"| {label} | {p:.2f} | {r:.2f} | {f:.2f} | {n} | {confused} |")
    return "\n".join(lines) + "\n"


def main(out: str) -> None:
    from rasa.core.agent import Agent

    from tests.conversation import MODEL

    agent = Agent.load(str(MODEL))
    examples = holdout_examples()
    Path(out).write_text(report_markdown(scores(examples, predict(agent, examples))), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1])
