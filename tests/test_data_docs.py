"""The published Data Docs site is self-contained: no outside URL in its pages, every local link
resolves, and headless Chromium (through chromedriver, with every host name unresolvable) renders
it styled and working while asking for nothing but the site's own files."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from test_checks_support import Checked, checked

OUTSIDE = re.compile(r"https?://|//[\w.-]+\.(?:com|net|org|io|cn)\b", re.IGNORECASE)
LINK = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


@pytest.fixture(scope="session")
def run(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    return checked(tmp_path_factory.getbasetemp())


def _pages(site: Path) -> list[Path]:
    """The pages GX renders; dbt's own page is checked in the browser."""
    return [p for p in site.rglob("*.html") if p.parent.name != "dbt"]


def test_no_page_names_an_outside_url(run: Checked) -> None:
    pages = _pages(run.site)
    assert len(pages) >= 13  # index, 6 suites, 6 validations
    for page in pages:
        text = page.read_text("utf-8")
        assert not OUTSIDE.search(text), f"{page}: {OUTSIDE.search(text)}"


def test_every_local_link_resolves(run: Checked) -> None:
    for page in _pages(run.site):
        for target in LINK.findall(page.read_text("utf-8")):
            path = target.split("#")[0].split("?")[0]
            if path:
                assert (page.parent / path).resolve().is_file(), f"{page}: {target}"
    assert (run.site / "dbt" / "index.html").is_file()
    assert (run.site / "findings" / "findings.csv").is_file()


@dataclass
class Browser:
    """A WebDriver session on chromedriver: the few commands the test needs, over loopback."""

    url: str
    session: str

    def call(self, method: str, path: str, body: dict | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.url}/session/{self.session}{path}", data=data, method=method
        )
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)["value"]

    def open(self, page: Path) -> None:
        self.call("POST", "/url", {"url": page.as_uri()})

    def js(self, script: str) -> Any:
        return self.call("POST", "/execute/sync", {"script": script, "args": []})

    def wait_for(self, script: str, seconds: float = 20) -> Any:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            value = self.js(script)
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"never true: {script}")

    def requested(self) -> list[str]:
        """URLs the page asked for since the last call (Chrome's performance log)."""
        entries = self.call("POST", "/se/log", {"type": "performance"})
        messages = [json.loads(e["message"])["message"] for e in entries]
        return [
            m["params"]["request"]["url"]
            for m in messages
            if m["method"] == "Network.requestWillBeSent"
        ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.fail("needs Debian's chromium and chromium-driver (installed by .ci/run)")
    port = _free_port()
    proc = subprocess.Popen(
        [driver, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/status", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        options = {
            "binary": chromium,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1400,1000",
                # the network is off for the page: no host name resolves
                "--host-resolver-rules=MAP * ~NOTFOUND",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
            ],
        }
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "goog:loggingPrefs": {"performance": "ALL"},
        }
        request = urllib.request.Request(
            f"{url}/session",
            data=json.dumps({"capabilities": {"alwaysMatch": capabilities}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            session = json.load(response)["value"]["sessionId"]
        b = Browser(url, session)
        yield b
        urllib.request.urlopen(
            urllib.request.Request(f"{url}/session/{session}", method="DELETE"), timeout=30
        ).close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _only_local(urls: list[str]) -> None:
    """Every request went to the site's own files (or the browser's internal pages)."""
    outside = [u for u in urls if not u.startswith(("file://", "data:", "about:", "chrome:"))]
    assert outside == [], outside
    assert any("/static/vendor/" in u for u in urls) or any("/dbt/" in u for u in urls)


def test_index_renders_styled_offline(run: Checked, browser: Browser) -> None:
    browser.open(run.site / "index.html")
    browser.wait_for("return document.readyState === 'complete'")
    # Bootstrap's stylesheet and script, jQuery and Font Awesome's font, all from the site
    assert (
        browser.js("return getComputedStyle(document.querySelector('.navbar')).display") == "flex"
    )
    assert browser.js("return typeof jQuery === 'function' && typeof jQuery.fn.collapse")
    browser.wait_for(
        "return [...document.fonts].some(f => f.family.includes('Font Awesome') && "
        "f.status === 'loaded')"
    )
    links = browser.js(
        "return [...document.querySelectorAll('table.xxgk-table tbody a')].map(a => a.href)"
    )
    assert len({link for link in links if "/validations/" in link}) == 6  # one per suite
    assert "table3" in browser.js("return document.body.innerText")
    _only_local(browser.requested())


def test_a_failed_validation_shows_the_reports_offline(run: Checked, browser: Browser) -> None:
    (page,) = (run.site / "validations" / "table3").rglob("*.html")
    browser.open(page)
    browser.wait_for("return document.readyState === 'complete'")
    text = browser.js("return document.body.innerText")
    assert "t3_balance" in text and "r00001_2021" in text and "机关00001" in text
    # GX's collapsible blocks work: Bootstrap's script runs from the site
    target = browser.js(
        "const a = [...document.querySelectorAll('[data-toggle=collapse]')]"
        ".find(a => a.innerText.includes('the SQL GX ran'));"
        "a.click(); return a.getAttribute('href') || a.dataset.target"
    )
    shown = f"document.querySelector('{target}')"
    browser.wait_for(f"return {shown}.classList.contains('show')")
    assert browser.js(f"return {shown}.innerText").strip().startswith("with")
    _only_local(browser.requested())


def test_dbt_docs_are_linked_and_render_offline(run: Checked, browser: Browser) -> None:
    browser.open(run.site / "index.html")
    link = browser.js("return document.querySelector('a[href$=\"dbt/index.html\"]').href")
    browser.call("POST", "/url", {"url": link + "#!/model/model.xxgk.fct_disclosure_cells"})
    # the model's page, from the manifest and catalog dbt inlined into the page
    browser.wait_for("return document.body.innerText.includes('fct_disclosure_cells')", 60)
    _only_local(browser.requested())
