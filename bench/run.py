"""`make bench`: start the real servers, measure them, print a table and write docs/benchmarks.md.

Figures: training time from scratch, time from start to the first answer, REST latency (p50, p95, p99)
for a message that runs a custom action and one that does not, one at a time and with 20 conversations
at once, messages per second, and the resident memory of the Rasa server and the action server.
Everything runs on 127.0.0.1, with a bounded number of requests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import tempfile
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from bot.launcher import BIN
from bot.settings import DOCS_DIR, PROJECT_ROOT, ServerSettings
from tests.services import redis_server, running_bot

PLAIN_MESSAGE = "hello"
ACTION_MESSAGE = "can I talk to a real person"
MESSAGES_PER_CONVERSATION = 10
TARGETS = {
    "sequential custom action p95": "≤ 40 ms",
    "20 concurrent p95": "≤ 300 ms",
    "Rasa server memory": "≤ 0.8 GB",
    "start to first answer": "< 20 s",
}


@dataclass
class Latencies:
    seconds: List[float]

    def percentile(self, p: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

    def summary(self) -> str:
        return f"{self.percentile(50):.0f} / {self.percentile(95):.0f} / {self.percentile(99):.0f}"


def send(settings: ServerSettings, sender: str, message: str) -> float:
    """Seconds for one message over the REST channel; fails loudly on anything but a non-empty reply."""
    request = urllib.request.Request(f"{settings.rasa_url}/webhooks/rest/webhook",
                                     data=json.dumps({"sender": sender, "message": message}).encode(),
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        replies = json.loads(response.read())
    elapsed = time.perf_counter() - started
    if not replies:
        raise RuntimeError(f"no reply to {message!r}")
    return elapsed


def conversation(settings: ServerSettings, message: str, count: int) -> List[float]:
    """`count` messages, a new conversation every MESSAGES_PER_CONVERSATION, as real chats are short."""
    sender, timings = uuid.uuid4().hex, []
    for n in range(count):
        if n and n % MESSAGES_PER_CONVERSATION == 0:
            sender = uuid.uuid4().hex
        timings.append(send(settings, sender, message))
    return timings


def concurrent(settings: ServerSettings, conversations: int, each: int) -> Tuple[Latencies, float]:
    """Latencies and messages per second with `conversations` people typing at once."""
    messages = [ACTION_MESSAGE if n % 2 else PLAIN_MESSAGE for n in range(each)]

    def one_person(_: int) -> List[float]:
        sender = uuid.uuid4().hex
        return [send(settings, sender, message) for message in messages]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=conversations) as pool:
        results = list(pool.map(one_person, range(conversations)))
    wall = time.perf_counter() - started
    timings = [t for person in results for t in person]
    return Latencies(timings), len(timings) / wall


def resident_memory_mb(pid: int) -> float:
    """Resident memory of a process and all its children (Sanic workers), in MB, from the kernel's accounting."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return int(status["VmRSS"].split()[0]) / 1024 + sum(resident_memory_mb(int(child)) for child in children)


def training_seconds() -> float:
    """Training from scratch: an empty cache, and a model written to a scratch folder."""
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "RASA_CACHE_DIRECTORY": str(Path(scratch) / "cache"), "RASA_TELEMETRY_ENABLED": "false"}
        started = time.perf_counter()
        subprocess.run([str(BIN / "rasa"), "train", "--data", "data/nlu", "data/rules", "--out", scratch,
                        "--fixed-model-name", "bench", "--quiet"], cwd=PROJECT_ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - started


def measure(samples: int, conversations: int, train: bool) -> Dict[str, str]:
    figures: Dict[str, str] = {}
    if train:
        figures["training from scratch"] = f"{training_seconds():.0f} s"
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        with running_bot(Path(scratch)) as (settings, servers):
            send(settings, uuid.uuid4().hex, PLAIN_MESSAGE)
            figures["start to first answer"] = f"{time.perf_counter() - started:.1f} s"
            conversation(settings, ACTION_MESSAGE, 20)
            action = Latencies(conversation(settings, ACTION_MESSAGE, samples))
            plain = Latencies(conversation(settings, PLAIN_MESSAGE, samples))
            figures["sequential custom action p50 / p95 / p99"] = f"{action.summary()} ms"
            figures["sequential no custom action p50 / p95 / p99"] = f"{plain.summary()} ms"
            figures.update(under_load(settings, conversations, samples, "one Rasa process"))
            for name in ("rasa-server", "action-server"):
                figures[f"{name} resident memory"] = f"{resident_memory_mb(servers.processes[name].pid):.0f} MB"
    if shutil.which("redis-server"):
        with tempfile.TemporaryDirectory() as scratch, redis_server() as lock_url:
            with running_bot(Path(scratch), LOCK_STORE_URL=lock_url, SANIC_WORKERS="2") as (settings, servers):
                conversation(settings, ACTION_MESSAGE, 20)
                figures.update(under_load(settings, conversations, samples, "2 Rasa workers + Redis lock"))
                memory = resident_memory_mb(servers.processes["rasa-server"].pid)
                figures["rasa-server resident memory (2 workers, all processes)"] = f"{memory:.0f} MB"
    return figures


def under_load(settings: ServerSettings, conversations: int, samples: int, label: str) -> Dict[str, str]:
    latencies, rate = concurrent(settings, conversations, max(2, samples // conversations * 2))
    return {f"{conversations} concurrent p50 / p95 / p99 ({label})": f"{latencies.summary()} ms",
            f"messages per second ({conversations} concurrent, {label})": f"{rate:.0f}"}


def report(figures: Dict[str, str], samples: int) -> str:
    rasa_version = subprocess.run([str(BIN / "python"), "-c", "import rasa; print(rasa.__version__)"],
                                  capture_output=True, text=True).stdout.strip()
    lines = [
        "# Benchmarks",
        "",
        f"Measured {date.today():%d %B %Y} by `make bench` on {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, Rasa {rasa_version}; {samples} messages for each sequential figure, "
        "over the REST channel on 127.0.0.1. Custom action message: "
        f"\"{ACTION_MESSAGE}\" (answered by `action_respond`); a greeting: \"{PLAIN_MESSAGE}\".",
        "",
        "| what | figure |",
        "| --- | --- |",
        *[f"| {name} | {value} |" for name, value in figures.items()],
        "",
        "Targets: " + "; ".join(f"{name} {target}" for name, target in TARGETS.items()) + ".",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200, help="messages for each sequential figure")
    parser.add_argument("--conversations", type=int, default=20, help="conversations at once")
    parser.add_argument("--skip-training", action="store_true", help="do not measure training from scratch")
    parser.add_argument("--out", type=Path, default=DOCS_DIR / "benchmarks.md")
    args = parser.parse_args(argv)
    figures = measure(args.samples, args.conversations, train=not args.skip_training)
    text = report(figures, args.samples)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
