"""What every browser test shares: a fresh emulator on a free port, a fresh browser page that
records console errors and uncaught exceptions, the inspector's DOM hooks (from the shared
contract) as locators, and a small runner that reports "ui-tests: N passed, M failed"."""

import json
import re
import subprocess
import sys
import time
import traceback
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
FAILURES = ROOT / "target" / "ui-tests"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# 2030-01-02T03:04:05Z: the clock of the tests whose pages must look the same at every run.
PINNED_MS = 1893553445000


class Emulator:
    """The emulator started on a free port with a fixed seed (and, when given, a pinned
    clock); the port is read from its first line, "... listening on http://ADDR"."""

    def __init__(self, binary, clock_ms=None, extra=()):
        args = [binary, "--bind", "127.0.0.1:0", "--seed", "42", *extra]
        if clock_ms is not None:
            args += ["--clock", str(clock_ms)]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        env={"RUST_LOG": "off"}, text=True)
        line = self.process.stdout.readline()
        if "listening on " not in line:
            self.stop()
            raise RuntimeError(f"the emulator did not start: {line!r}")
        self.base = line.rsplit("listening on ", 1)[1].strip()

    def get(self, path):
        with urllib.request.urlopen(self.base + path, timeout=30) as resp:
            return json.load(resp)

    def stop(self):
        """Kills it: it keeps nothing worth a clean stop, which would wait out the browser's
        connections (up to the server's 2 s shutdown timeout)."""
        self.process.kill()
        self.process.wait()


class Session:
    """One test's world: its emulator and a page of its own (1280x800, UTC, English)."""

    def __init__(self, browser, binary, clock_ms=None, extra=()):
        self.emulator = Emulator(binary, clock_ms, extra)
        self.base = self.emulator.base
        self.context = browser.new_context(viewport={"width": 1280, "height": 800},
                                           timezone_id="UTC", locale="en-US")
        self.page = self.context.new_page()
        self.page.set_default_timeout(5000)
        self.errors = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(
            f"console: {m.text} at {m.location.get('url')}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def open(self, hash_=""):
        """Loads the inspector through the `/` redirect, at `hash_` when given, and waits until
        its event stream is connected."""
        self.page.goto(self.base + "/" + hash_)
        expect(self.page.get_by_role("navigation", name="Providers and tenants")).to_be_visible()
        self.wait_live()

    def wait_live(self):
        """Waits for the header's status to say "live": from then on every call and message
        reaches the page (one made between the page's first load and the stream's start would
        be missed, since the stream starts at the newest event)."""
        expect(self.page.get_by_role("status").filter(has_text=re.compile(r"^\s*live\s*$")),
               "the page's event stream is connected").to_be_visible()

    def close(self):
        self.context.close()
        self.emulator.stop()

    # The DOM hooks of the contract, one locator each.
    def tenant(self, provider, name):
        return self.page.locator(
            f'[data-testid="tenant"][data-provider="{provider}"][data-tenant="{name}"]')

    def tenant_count(self, provider, name):
        return self.tenant(provider, name).locator('[data-testid="tenant-count"]')

    def conversations(self):
        return self.page.locator('[data-testid="conversation"]')

    def conversation(self, key):
        return self.page.locator(f"[data-testid=\"conversation\"][data-key='{key}']")

    def thread(self):
        return self.page.locator('[data-testid="thread"]')

    def messages(self):
        return self.thread().locator('[data-testid="message"]')

    def open_thread(self, provider, tenant, key):
        """Opens a tenant from the sidebar, then one of its conversations from the list."""
        self.tenant(provider, tenant).click()
        self.conversation(key).click()
        expect(self.thread()).to_be_visible()


def thread_key(chat_type, *parts):
    """The thread key of the contract: the JSON text JavaScript's JSON.stringify makes."""
    if chat_type == "single":
        parts = sorted(parts)
    return json.dumps([chat_type, *parts], separators=(",", ":"), ensure_ascii=False)


def count_of(locator):
    """The integer a count element shows."""
    text = locator.inner_text().strip().replace(",", "")
    assert text.isdigit(), f"a count shows {text!r}, not a number"
    return int(text)


class Test:
    """A test function and how its world is made: the emulator's clock and other flags."""

    def __init__(self, fn, clock_ms=None, args=()):
        self.fn, self.clock_ms, self.args, self.name = fn, clock_ms, args, fn.__name__

    def run(self, browser, binary):
        session = Session(browser, binary, self.clock_ms, self.args)
        try:
            self.fn(session)
            assert not session.errors, "the page reported errors:\n  " + "\n  ".join(
                session.errors)
        except BaseException:
            FAILURES.mkdir(parents=True, exist_ok=True)
            try:
                session.page.screenshot(path=str(FAILURES / f"{self.name}.png"))
            except Exception:  # a page that cannot be pictured still fails with its own reason
                pass
            raise
        finally:
            session.close()


def test(fn=None, *, clock_ms=None, args=()):
    """Marks a test: `@test`, or `@test(clock_ms=PINNED_MS, args=[emulator flags])`."""
    if fn is None:
        return lambda f: Test(f, clock_ms, args)
    return Test(fn)


def main(modules):
    """Runs every test of `modules` (or those whose name holds an argument) and exits 1 if any
    failed. argv: the emulator binary, then the Chromium executable, then name filters."""
    binary, chromium, *wanted = sys.argv[1:]
    tests = [t for m in modules for t in vars(m).values() if isinstance(t, Test)]
    tests = [t for t in tests if not wanted or any(w in t.name for w in wanted)]
    passed = failed = 0
    with sync_playwright() as pw:
        # launch() gives the browser a fresh temporary profile (user-data dir) every run.
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        for t in tests:
            started = time.monotonic()
            try:
                t.run(browser, binary)
                passed += 1
                print(f"ok   {t.name} ({time.monotonic() - started:.1f}s)", flush=True)
            except Exception as error:
                failed += 1
                print(f"FAIL {t.name} ({time.monotonic() - started:.1f}s): {reason(error)}",
                      flush=True)
        browser.close()
    print(f"ui-tests: {passed} passed, {failed} failed")
    if failed:
        print(f"ui-tests: screenshots of the failed pages are in {FAILURES}")
    sys.exit(1 if failed else 0)


def reason(error):
    """A failure in a few lines: the message, and where in the tests it happened."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if f.filename.startswith(str(ROOT / "ui-tests"))]
    where = f" [{Path(frames[-1].filename).name}:{frames[-1].lineno}]" if frames else ""
    text = str(error).strip() or type(error).__name__
    lines = text.split("Aria snapshot:")[0].strip().splitlines()
    if len(lines) > 8:
        lines = lines[:8] + ["  ..."]
    return "\n    ".join(lines) + where
