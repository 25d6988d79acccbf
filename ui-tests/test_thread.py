"""The thread: recalled and edited messages are marked, a message's raw record opens, and a
message's content is shown as text, never as markup or a script link."""

from playwright.sync_api import expect

from harness import test, thread_key
from providers import Easemob, call

HOSTILE = ('<img src="x" data-injected="yes" onerror="window.__injected = true">'
           '<b data-injected="yes">bold</b> javascript:alert(1) https://example.com/ok')


@test
def recalled_and_edited_messages_are_marked(s):
    easemob = Easemob(s.base)
    recalled = easemob.send_text("alice", "bob", "a message taken back")
    edited = easemob.send_text("alice", "bob", "a message with a typo")
    status, answer = call("POST", easemob.root + "/messages/msg_recall",
                          {"msg_id": recalled, "to": "bob", "chat_type": "chat", "from": "alice"},
                          {"Authorization": f"Bearer {easemob.token}"})
    assert status == 200, f"Easemob recall: {status} {answer}"
    status, answer = call("PUT", easemob.root + f"/messages/rewrite/{edited}",
                          {"user": "alice", "new_msg": {"type": "txt", "msg": "a message, fixed"}},
                          {"Authorization": f"Bearer {easemob.token}"})
    assert status == 200, f"Easemob rewrite: {status} {answer}"
    s.open()
    s.open_thread("easemob", "demo/chat", thread_key("single", "alice", "bob"))
    gone = s.messages().and_(s.page.locator(f'[data-id="{recalled}"]'))
    expect(gone).to_have_attribute("data-recalled", "true")
    expect(gone, "a recalled message shows a mark").to_contain_text("recalled")
    changed = s.messages().and_(s.page.locator(f'[data-id="{edited}"]'))
    expect(changed.locator('[data-testid="message-body"]')).to_contain_text("a message, fixed")
    expect(changed, "an edited message shows a mark").to_contain_text("edited")


@test
def the_raw_record_of_a_message_opens(s):
    sent = Easemob(s.base).send_text("alice", "bob", "look at my record")
    s.open()
    s.open_thread("easemob", "demo/chat", thread_key("single", "alice", "bob"))
    message = s.messages().and_(s.page.locator(f'[data-id="{sent}"]'))
    expect(message).to_have_attribute("data-from", "alice")
    message.get_by_role("button", name="Raw record").click()
    raw = s.page.get_by_text('"received_at_ms"')
    expect(raw, "the raw record shows the journal entry").to_be_visible()


@test
def message_content_is_shown_as_text_never_as_markup(s):
    Easemob(s.base).send_text("alice", "bob", HOSTILE)
    s.open()
    s.open_thread("easemob", "demo/chat", thread_key("single", "alice", "bob"))
    body = s.messages().first.locator('[data-testid="message-body"]')
    expect(body).to_contain_text('<b data-injected="yes">bold</b>')
    expect(s.page.locator('[data-injected]'), "no element was made from the content") \
        .to_have_count(0)
    assert not s.page.evaluate("window.__injected === true"), "a handler in the content ran"
    links = s.thread().locator("a[href]")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")], \
        f"the thread links to {hrefs}"
    for i in range(links.count()):
        link = links.nth(i)
        if link.get_attribute("target") == "_blank":
            rel = (link.get_attribute("rel") or "").split()
            assert "noopener" in rel, f"a link opening a new tab lacks rel=noopener: {rel}"


@test
def a_groups_messages_from_several_senders_share_one_thread(s):
    easemob = Easemob(s.base)
    for sender in ("alice", "bob", "carol"):
        status, answer = call("POST", easemob.root + "/messages/chatgroups",
                              {"from": sender, "to": ["hikers"], "type": "txt",
                               "body": {"msg": f"{sender} joins the hike"}},
                              {"Authorization": f"Bearer {easemob.token}"})
        assert status == 200, f"Easemob group send: {status} {answer}"
    s.open()
    s.open_thread("easemob", "demo/chat", thread_key("group", "hikers"))
    expect(s.messages()).to_have_count(3)
    senders = [s.messages().nth(i).get_attribute("data-from") for i in range(3)]
    assert senders == ["alice", "bob", "carol"], f"the thread's senders, oldest first: {senders}"
