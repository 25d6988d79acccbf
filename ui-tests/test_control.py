"""The control panel: "Reset everything" (after the browser's confirm) empties every view."""

from playwright.sync_api import expect

from harness import test, thread_key
from providers import Easemob, Yunxin
from test_page import DEFAULT_TENANTS


@test
def reset_everything_empties_the_conversations_and_the_counts(s):
    easemob = Easemob(s.base)
    easemob.send_text("alice", "bob", "before the reset")
    easemob.send_text("alice", "carol", "before the reset too")
    Yunxin(s.base).send_text("alice", "bob", "also before the reset")
    s.open()
    s.tenant("easemob", "demo/chat").click()
    expect(s.conversation(thread_key("single", "alice", "bob"))).to_be_visible()
    expect(s.tenant_count("easemob", "demo/chat")).to_have_text("2")

    s.page.get_by_role("link", name="Control").click()
    dialogs = []
    s.page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    s.page.get_by_role("button", name="Reset everything").click()
    for provider, name in DEFAULT_TENANTS:
        expect(s.tenant_count(provider, name), f"{provider} {name} counts 0 after the reset") \
            .to_have_text("0")
    assert dialogs, "Reset everything did not ask for a confirmation"
    assert s.emulator.get("/_emulator/messages")["total"] == 0, "the journal was not reset"

    s.tenant("easemob", "demo/chat").click()
    expect(s.page.get_by_role("searchbox", name="Search conversations")).to_be_visible()
    expect(s.conversations(), "the conversation list is empty").to_have_count(0)
