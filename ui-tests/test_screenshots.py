"""The README's pictures, taken on a pinned clock and a fixed seed so that they change only when
the inspector does: a thread with one message of each kind, and the request log with a failed
call open. They are written to target/ui-tests/pictures, or to the folder UI_TESTS_PICTURES
names: `UI_TESTS_PICTURES=docs ui-tests/run picture` refreshes the README's."""

import os
import struct
import zlib

from playwright.sync_api import expect

from harness import PINNED_MS, ROOT, test, thread_key
from providers import AnqiCMS, Easemob, OpenIM, Yunxin, admin

DOCS = ROOT / os.environ.get("UI_TESTS_PICTURES", "target/ui-tests/pictures")
PHOTO_URL = "https://files.example.com/chat/harbour.png"
MOST_BYTES = 150_000


def photo_png(width=160, height=100):
    """A small picture (sky over sea), made here: the page loads it from an address the
    browser test answers, never from the network."""
    rows = []
    for y in range(height):
        sky = y < height * 0.6
        shade = int(200 - 80 * y / height)
        pixel = bytes((120, 180, 230) if sky else (30, shade // 2 + 40, shade))
        rows.append(b"\0" + pixel * width)
    chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data
                                + struct.pack(">I", zlib.crc32(kind + data)))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def save(s, name):
    DOCS.mkdir(parents=True, exist_ok=True)
    path = DOCS / name
    s.page.screenshot(path=str(path))
    size = path.stat().st_size
    if size > MOST_BYTES:
        print(f"note: {path.relative_to(ROOT)} is {size // 1000} KB")


def a_conversation(base):
    """alice and bob on Easemob, a minute apart: text, a photo, a file, a place and a custom
    event."""
    easemob = Easemob(base)
    messages = [
        ("alice", "txt", {"msg": "Hi Bob! The harbour from the ferry:"}),
        ("alice", "img", {"url": PHOTO_URL, "filename": "harbour.png", "secret": "",
                          "size": {"width": 160, "height": 100}}),
        ("bob", "file", {"url": "https://files.example.com/chat/tickets.pdf",
                         "filename": "tickets.pdf", "secret": "", "file_length": 48213}),
        ("alice", "loc", {"lat": "31.2304", "lng": "121.4737", "addr": "The Bund, Shanghai"}),
        ("bob", "custom", {"customEvent": "gift", "customExts": {"kind": "flowers"}}),
    ]
    for sender, kind, body in messages:
        to = "bob" if sender == "alice" else "alice"
        status, answer = easemob.send(sender, to, body, kind)
        assert status == 200, f"Easemob {kind} send: {status} {answer}"
        admin(base, "POST", "/_emulator/clock/advance", {"ms": 61_000})


@test(clock_ms=PINNED_MS)
def the_thread_picture_shows_every_kind_of_message(s):
    a_conversation(s.base)
    s.page.route(PHOTO_URL, lambda route: route.fulfill(content_type="image/png",
                                                        body=photo_png()))
    s.open()
    s.open_thread("easemob", "demo/chat", thread_key("single", "alice", "bob"))
    expect(s.messages()).to_have_count(5)
    image = s.thread().locator(f'img[src="{PHOTO_URL}"]')
    expect(image, "the photo shows").to_be_visible()
    image.evaluate("img => img.decode()")
    save(s, "inspector-thread.png")


@test(clock_ms=PINNED_MS)
def the_request_log_picture_shows_a_failed_call(s):
    easemob = Easemob(s.base)
    easemob.send_text("alice", "bob", "Hi Bob!")
    openim = OpenIM(s.base)
    openim.send_text("alice", "bob", "Hello from OpenIM")
    Yunxin(s.base).send_text("alice", "bob", "Hello from Yunxin", now_s=PINNED_MS // 1000)
    easemob.send("alice", "bob", {"msg": "sent with an old token"}, token="an-expired-token")
    openim.send_text("bob", "alice", "Got it")
    anqicms = AnqiCMS(s.base)
    anqicms.send_text(anqicms.create_order("A custom tour"), "Is Saturday possible?")
    failed = s.emulator.get("/_emulator/requests?failed=true")["requests"]
    assert len(failed) == 1, f"expected one failed call, the log has {failed}"
    s.open("#/requests")
    failed_row = s.page.locator(f'[data-testid="request"][data-seq="{failed[0]["seq"]}"]')
    expect(failed_row).to_contain_class("failed")
    save(s, "inspector-requests.png")
