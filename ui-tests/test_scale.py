"""100,000 messages: loaded in one state document, the inspector still lists and opens them
quickly, keeps only a few hundred nodes in the page, pages on scrolling, and answers a click
at once."""

import json
import re
import time

from playwright.sync_api import expect

from harness import test, thread_key, count_of
from providers import call

TOTAL = 100_000
BIG_THREAD = 10_000       # alice and bob, the newest conversation
OTHERS = 3_000            # alice and user0000..user2999, 30 messages each
MOST_NODES = 350          # the contract's "~300" with a little room
EASEMOB_EPOCH_S = 1_417_564_800


def easemob_id(ms):
    """An id in Easemob's layout: seconds since its epoch, the millisecond, a node number."""
    return ((ms // 1000 - EASEMOB_EPOCH_S) << 32) | ((ms % 1000) << 22) | 0x978


def records(start_ms):
    """The journal records: first the other conversations, round-robin, then the big thread,
    one a second."""
    others = TOTAL - BIG_THREAD
    for seq in range(TOTAL):
        ms = start_ms + seq * 1000
        if seq < others:
            sender, to = "alice", f"user{seq % OTHERS:04d}"
        else:
            sender, to = ("alice", "bob") if seq % 2 else ("bob", "alice")
        yield {"seq": seq, "id": {"decimal": easemob_id(ms)}, "chat_type": "single",
               "from": sender, "to": to, "type": {"name": "txt"},
               "content": json.dumps({"msg": f"message {seq}"}), "received_at_ms": ms,
               "recalled": False}


def load_messages(base):
    """Replaces the emulator's state with its own, plus 100,000 Easemob messages."""
    status, doc = call("GET", base + "/_emulator/state")
    assert status == 200, f"GET /_emulator/state answered {status}"
    start_ms = doc["clock"]["now_ms"] - (TOTAL + 60) * 1000
    doc["journal"] = {"seq": TOTAL, "evicted": 0, "partitions": [
        {"provider": "easemob", "tenant": "demo/chat", "records": list(records(start_ms))}]}
    status, answer = call("PUT", base + "/_emulator/state", doc)
    assert status in (200, 204), f"PUT /_emulator/state answered {status}: {answer}"


def nodes_are_few(s, where):
    for kind in ("conversation", "message"):
        n = s.page.locator(f'[data-testid="{kind}"]').count()
        assert n <= MOST_NODES, f"{where}: the page holds {n} {kind} nodes"


def scroll_to(locator):
    """Brings an item into view, as a reader's scrolling would."""
    locator.scroll_into_view_if_needed()
    locator.evaluate("el => el.dispatchEvent(new Event('scroll', {bubbles: true}))")


# How long the page takes to answer a click: the handler runs and the next frame is drawn.
CLICK_TIME = """async selector => {
  const el = document.querySelector(selector);
  const started = performance.now();
  el.click();
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
  return performance.now() - started;
}"""


@test
def a_hundred_thousand_messages_list_and_open_quickly(s):
    started = time.monotonic()
    load_messages(s.base)
    print(f"     {TOTAL:,} messages loaded in {time.monotonic() - started:.1f}s")
    s.open()
    expect(s.tenant_count("easemob", "demo/chat")).to_have_text(re.compile(r"^100[,.\s]?000$"))
    assert count_of(s.tenant_count("easemob", "demo/chat")) == TOTAL

    started = time.monotonic()
    s.tenant("easemob", "demo/chat").click()
    expect(s.conversations().first).to_be_visible(timeout=3000)
    listed = time.monotonic() - started
    print(f"     the conversation list showed in {listed:.2f}s")
    assert listed <= 3.0, f"the conversation list took {listed:.1f}s"
    nodes_are_few(s, "the conversation list")
    first_load = s.conversations().count()
    for _ in range(4):
        scroll_to(s.conversations().last)
    expect(s.conversations().nth(first_load), "scrolling the list loads more").to_be_attached()
    nodes_are_few(s, "the conversation list after scrolling")

    key = thread_key("single", "alice", "bob")
    s.page.evaluate("() => window.scrollTo(0, 0)")
    took = s.page.evaluate(CLICK_TIME, f"[data-testid=\"conversation\"][data-key='{key}']")
    print(f"     a click on a conversation was answered in {took:.0f} ms")
    assert took <= 500, f"a click on a conversation took {took:.0f} ms to answer"
    expect(s.messages().filter(has_text=f"message {TOTAL - 1}")).to_be_visible(timeout=2000)
    nodes_are_few(s, "the thread")

    oldest = int(s.messages().first.get_attribute("data-seq"))
    for page in range(8):
        scroll_to(s.messages().first)
        expect(s.messages().first, f"scrolling up loads older page {page + 1}") \
            .not_to_have_attribute("data-seq", str(oldest))
        oldest = int(s.messages().first.get_attribute("data-seq"))
        nodes_are_few(s, f"the thread after {page + 1} older pages")
    assert oldest < TOTAL - 400, f"the thread's oldest message after 8 pages is {oldest}"
