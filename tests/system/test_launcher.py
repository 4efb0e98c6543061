"""`make run`'s launcher: one command starts everything, prints the address, and Ctrl-C stops it all."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import replace

import pytest

from bot.launcher import Servers, StartFailed, check_port_free, start_bot, with_secrets
from bot.settings import PROJECT_ROOT, SettingInvalid, server_settings
from tests.services import free_port


def is_listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def read_until(process: subprocess.Popen, marker: str, timeout: float = 180) -> str:
    deadline, seen = time.monotonic() + timeout, []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if marker in line:
            return line
    raise AssertionError(f"{marker!r} never printed; output was:\n{''.join(seen)}")


def start_launcher(tmp_path, preexec_fn=None):
    ports = {"RASA_PORT": free_port(), "ACTION_SERVER_PORT": free_port(), "CHAT_PORT": free_port()}
    env = {**os.environ, **{name: str(port) for name, port in ports.items()}, "PYTHONUNBUFFERED": "1",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'offer.db'}",
           "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'conversations.db'}"}
    launcher = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=PROJECT_ROOT, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=preexec_fn)
    return launcher, ports


def wait_until_closed(ports, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(is_listening(port) for port in ports.values()):
            return True
        time.sleep(0.2)
    return False


def ignore_ctrl_c() -> None:
    """As a shell starts a background job: Ctrl-C ignored, which the launcher must not inherit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def test_serve_prints_the_chat_address_answers_and_stops_everything_on_ctrl_c(tmp_path):
    launcher, ports = start_launcher(tmp_path, preexec_fn=ignore_ctrl_c)
    try:
        address = read_until(launcher, "Open the chat:").split(": ", 1)[1].strip()
        assert address == f"http://127.0.0.1:{ports['CHAT_PORT']}/"
        request = urllib.request.Request(f"{address}api/message", headers={"Content-Type": "application/json"},
                                         data=json.dumps({"sender": uuid.uuid4().hex, "message": "/greet"}).encode())
        with urllib.request.urlopen(request, timeout=30) as response:
            assert "What would you like to know?" in json.loads(response.read())[0]["text"]
        started = time.monotonic()
        launcher.send_signal(signal.SIGINT)
        assert launcher.wait(timeout=8) == 0
        assert time.monotonic() - started < 8
        assert not any(is_listening(port) for port in ports.values())
    finally:
        if launcher.poll() is None:
            launcher.kill()


def test_no_server_outlives_a_launcher_killed_with_sigkill(tmp_path):
    launcher, ports = start_launcher(tmp_path)
    try:
        read_until(launcher, "Open the chat:")
        assert is_listening(ports["RASA_PORT"]) and is_listening(ports["ACTION_SERVER_PORT"])
        launcher.kill()
        launcher.wait(timeout=10)
        assert wait_until_closed(ports, timeout=15), "a server kept running after its launcher was killed"
    finally:
        if launcher.poll() is None:
            launcher.kill()


def test_a_port_in_use_is_named_with_the_setting_to_change():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(StartFailed, match=f"Port {port} .* set RASA_PORT in .env"):
            check_port_free("127.0.0.1", port, "RASA_PORT")


def test_no_trained_model_says_how_to_make_one(tmp_path):
    settings = with_secrets(replace(server_settings(), rasa_port=free_port(), action_port=free_port()))
    with pytest.raises(StartFailed, match="make train"):
        start_bot(settings, Servers(tmp_path), model=tmp_path / "missing.tar.gz")


@pytest.mark.parametrize("value", ["http", "0", "70000", "-1"])
def test_a_bad_port_setting_is_named(monkeypatch, value):
    monkeypatch.setenv("CHAT_PORT", value)
    with pytest.raises(SettingInvalid, match="CHAT_PORT"):
        server_settings()


def test_empty_secrets_are_made_fresh_and_set_ones_are_kept():
    made = with_secrets(replace(server_settings(), rasa_auth_token="", action_server_secret=""))
    assert len(made.rasa_auth_token) >= 32 and len(made.action_server_secret) >= 32
    assert made.rasa_auth_token != with_secrets(replace(made, rasa_auth_token="")).rasa_auth_token
    kept = with_secrets(replace(server_settings(), rasa_auth_token="mine", action_server_secret="ours"))
    assert (kept.rasa_auth_token, kept.action_server_secret) == ("mine", "ours")


def test_a_token_that_starts_with_a_dash_still_reaches_rasa_as_the_token(tmp_path):
    settings = replace(server_settings(), rasa_auth_token="-starts-with-a-dash", rasa_port=free_port(),
                       action_port=free_port(), action_server_secret="s")
    servers = Servers(tmp_path)
    try:
        start_bot(settings, servers)
        with urllib.request.urlopen(f"{settings.rasa_url}/status?token=-starts-with-a-dash", timeout=10) as answer:
            assert answer.status == 200
    finally:
        servers.stop()
