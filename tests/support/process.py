"""The real bot as a separate process (`python -m bot.cli run`), to kill with -9 in crash tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from support.botapi_server import BotAPIServer
from support.paths import REPO


def lawbot_env(**values: str) -> dict[str, str]:
    """The environment of a `lawbot` subprocess: none of the caller's LAWBOT_ settings, and no semantic
    vectors (their first build takes minutes; tests/knowledge/test_semantic.py covers them on a small corpus)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAWBOT_")}
    env.update(LAWBOT_SEMANTIC="off", PYTHONIOENCODING="utf-8")
    env.update(values)
    return env


class BotProcess:
    def __init__(self, server: BotAPIServer, data_dir: Path, log_path: Path, env: dict[str, str] | None = None):
        self.server, self.data_dir, self.log_path = server, data_dir, log_path
        self.env = env or {}
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = lawbot_env(LAWBOT_TOKEN="123456:CRASH-TEST", LAWBOT_TELEGRAM_BASE_URL=self.server.base_url,
                         LAWBOT_DATA_DIR=str(self.data_dir), LAWBOT_CORPUS_DIRS="", **self.env)
        with open(self.log_path, "a") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], cwd=REPO, env=env,
                                         stdout=log, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None



def wait_until(predicate, bot: BotProcess, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if not bot.alive():
            raise AssertionError(f"the bot exited while waiting for {what}; log: {bot.log_path}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}; log: {bot.log_path}")
        time.sleep(0.005)
