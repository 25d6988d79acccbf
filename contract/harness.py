"""What every contract check shares: the emulator started on a free port, the journal read
through the admin API, and checks run and reported as "N passed, M failed"."""

import json
import subprocess
import sys
import urllib.request


def start(binary):
    """Starts the emulator; returns the process and its base URL."""
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1:0", "--seed", "7"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={"RUST_LOG": "off"},
        text=True,
    )
    line = server.stdout.readline()
    return server, line.rsplit("listening on ", 1)[1].strip()


def journal(base, query):
    """The emulator's journal: GET /_emulator/messages?query."""
    with urllib.request.urlopen(f"{base}/_emulator/messages?{query}", timeout=5) as resp:
        return json.load(resp)


def run(client, server, checks):
    """Runs each (name, check) and exits 1 if any failed; a check returns (truth, what it saw),
    and an exception is a failure. Stops the server."""
    passed = failed = 0
    try:
        for name, check in checks:
            try:
                ok, seen = check()
            except Exception as error:  # a client exception is a failed check
                ok, seen = False, repr(error)
            print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f": {seen}"))
            passed, failed = passed + bool(ok), failed + (not ok)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{client} checks done")
    print(f"contract: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
