"""Live updates: a message sent through a provider's own API shows in the open thread within a
second, without a reload, and the tenant's count in the sidebar goes up; one test per
provider."""

import time

from playwright.sync_api import expect

from harness import test, thread_key, count_of
from providers import AnqiCMS, Easemob, OpenIM, Yunxin


def shows_live(s, provider, tenant, key, send):
    """Opens the thread `key` (whose first message `send("first")` made), sends again, and
    checks the new message and the count arrive without a reload."""
    send("the first message")
    s.open()
    s.open_thread(provider, tenant, key)
    expect(s.messages().filter(has_text="the first message")).to_be_visible()
    before = count_of(s.tenant_count(provider, tenant))
    s.page.evaluate("window.__notReloaded = true")
    send("a live message")
    sent = time.monotonic()
    expect(s.messages().filter(has_text="a live message"),
           f"the {provider} message shows in the open thread within 1 s").to_be_visible(
        timeout=1000)
    took = time.monotonic() - sent
    expect(s.tenant_count(provider, tenant),
           f"the sidebar count of {provider} {tenant} goes up").to_have_text(str(before + 1))
    assert s.page.evaluate("window.__notReloaded === true"), "the page reloaded"
    assert took <= 1.0, f"the {provider} message took {took:.2f}s to show"


@test
def an_easemob_message_shows_live_in_its_thread(s):
    easemob = Easemob(s.base)
    shows_live(s, "easemob", "demo/chat", thread_key("single", "alice", "bob"),
               lambda text: easemob.send_text("alice", "bob", text))


@test
def an_openim_message_shows_live_in_its_thread(s):
    openim = OpenIM(s.base)
    shows_live(s, "openim", "default", thread_key("single", "alice", "bob"),
               lambda text: openim.send_text("alice", "bob", text))


@test
def a_yunxin_message_shows_live_in_its_thread(s):
    yunxin = Yunxin(s.base)
    shows_live(s, "yunxin", "demo-appkey", thread_key("single", "alice", "bob"),
               lambda text: yunxin.send_text("alice", "bob", text))


@test
def an_anqicms_message_shows_live_in_its_order(s):
    anqicms = AnqiCMS(s.base)
    order = anqicms.create_order()
    shows_live(s, "anqicms", "default", thread_key("order", str(order)),
               lambda text: anqicms.send_text(order, text))
