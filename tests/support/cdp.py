"""Headless Chromium driven over the DevTools protocol (a websocket, ``websocket-client``), for page tests.

Chosen over playwright: nothing to download (Debian's ``chromium``, ``.ci/run`` installs it), one small
pure-Python test dependency, and the protocol's own events say everything the tests check: every request
the page makes (``Network.requestWillBeSent``), console errors and uncaught exceptions.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.servers import require, stop

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--window-size=1280,900",
)


@dataclass
class Tab:
    ws: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _id: int = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._id += 1
        self.ws.settimeout(60)
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self._event(message)

    def _event(self, message: dict[str, Any]) -> str | None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Runtime.exceptionThrown":
            self.errors.append(params["exceptionDetails"].get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.errors.append(f"{params['entry'].get('url', '')}: {params['entry']['text']}")
        return str(method) if method else None

    def wait_for(self, event: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            if self._event(json.loads(self.ws.recv())) == event:
                return
        raise TimeoutError(event)

    def settle(self, seconds: float) -> None:
        """Read events for ``seconds`` (requests a page makes after its load event)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.ws.settimeout(left)
            try:
                self._event(json.loads(self.ws.recv()))
            except Exception:  # websocket timeout
                return

    def open(self, url: str) -> None:
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def js(self, expression: str) -> Any:
        answer = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return answer.get("result", {}).get("value")

    def click(self, selector: str) -> None:
        """Click the first element ``selector`` finds and wait for the page it leads to."""
        assert self.js(f"!!document.querySelector({json.dumps(selector)})"), selector
        self.js(f"document.querySelector({json.dumps(selector)}).click()")
        self.wait_for("Page.loadEventFired")

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"]
        path.write_bytes(base64.b64decode(data))


@contextmanager
def chromium() -> Iterator[Tab]:
    """A headless Chromium with one tab, stopped on exit."""
    exe = require("chromium", "Debian package 'chromium', for the page tests")
    websocket = pytest.importorskip("websocket", reason="pip install websocket-client (a test extra)")
    profile = tempfile.mkdtemp(prefix="livertox-chromium-")
    proc = subprocess.Popen(
        [exe, *FLAGS, f"--user-data-dir={profile}", "about:blank"], stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stderr is not None
        port = None
        for line in proc.stderr:
            if m := re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line):
                port = int(m[1])
                break
        assert port is not None, "chromium did not start its DevTools server"
        threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep its log from filling the pipe
        with urllib.request.urlopen(
            urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
        ) as r:
            target = json.loads(r.read())
        tab = Tab(websocket.create_connection(target["webSocketDebuggerUrl"], timeout=30, suppress_origin=True))
        for domain in ("Page", "Network", "Runtime", "Log"):
            tab.call(f"{domain}.enable")
        yield tab
        tab.ws.close()
    finally:
        stop(proc)
        shutil.rmtree(profile, ignore_errors=True)
