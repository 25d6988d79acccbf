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


@test
def reset_this_tenant_empties_that_tenant_only(s):
    Easemob(s.base).send_text("alice", "bob", "forgotten")
    Yunxin(s.base).send_text("alice", "bob", "kept")
    s.open("#/control")
    expect(s.tenant_count("yunxin", "demo-appkey")).to_have_text("1")
    s.page.get_by_label("Tenant to reset").select_option("easemob demo/chat")
    s.page.once("dialog", lambda d: d.accept())
    s.page.get_by_role("button", name="Reset this tenant").click()
    expect(s.tenant_count("easemob", "demo/chat")).to_have_text("0")
    expect(s.tenant_count("yunxin", "demo-appkey"), "another tenant keeps its messages") \
        .to_have_text("1")
    left = [m["provider"] for m in s.emulator.get("/_emulator/messages")["messages"]]
    assert left == ["yunxin"], f"after the reset the journal holds messages of {left}"


@test
def the_clock_is_pinned_and_advanced_from_the_control_panel(s):
    s.open("#/control")
    s.page.get_by_label("Pin clock at").fill("2031-05-06T07:08:09")
    s.page.get_by_role("button", name="Pin", exact=True).click()
    clock = s.page.locator('[data-testid="clock"]')
    expect(clock, "the header shows the pinned time").to_contain_text("2031-05-06T07:08:09")
    pinned = s.emulator.get("/_emulator/clock")
    assert pinned == {"now_ms": 1935817689000, "frozen": True}, f"the clock is {pinned}"
    s.page.get_by_label("Advance by (ms)").fill("60000")
    s.page.get_by_role("button", name="Advance", exact=True).click()
    expect(clock).to_contain_text("2031-05-06T07:09:09")
    s.page.get_by_role("button", name="Release clock").click()
    expect(clock).not_to_contain_text("2031-05-06")


@test
def a_fault_added_in_the_control_panel_answers_the_next_call(s):
    s.open("#/control")
    s.page.get_by_label("Fault provider").select_option("easemob")
    s.page.get_by_label("Fault path").fill("/*/*/messages/*")
    s.page.get_by_label("Fault error").fill("reach_limit")
    s.page.get_by_label("Fault times").fill("1")
    s.page.get_by_role("button", name="Add fault").click()
    rules = s.page.locator('[data-testid="faults"]')
    expect(rules, "the rule is listed").to_contain_text("reach_limit")
    easemob = Easemob(s.base)
    status, answer = easemob.send("alice", "bob", {"msg": "meets the fault"})
    assert status == 429, f"the faulted send answered {status} {answer}"
    status, answer = easemob.send("alice", "bob", {"msg": "after the fault"})
    assert status == 200, f"the send after the fault answered {status} {answer}"
