"""Send as: the form in a thread sends through the provider's own API, the provider's own read
call then returns the message, the outcome line says ok, and the thread shows it."""

import base64
import re

from playwright.sync_api import expect

from harness import test, thread_key
from providers import AnqiCMS, Easemob, OpenIM, Yunxin


# The outcome line of a send the provider accepted.
SENT = re.compile(r"\b(ok|sent)\b", re.I)


def send_as(s, text, sender=None, to=None):
    """Fills the open thread's send-as form (From and To when given) and sends; checks the
    outcome line says it was sent and the thread shows the message. Returns the outcome."""
    form = s.page.locator('[data-testid="send-as"]')
    expect(form).to_be_visible()
    expect(form.get_by_label("To", exact=True), "To is prefilled from the thread") \
        .not_to_have_value("")
    if sender:
        choose(form.get_by_label("From", exact=True), sender)
    if to:
        choose(form.get_by_label("To", exact=True), to)
    form.get_by_label("Message", exact=True).fill(text)
    form.get_by_role("button", name="Send", exact=True).click()
    result = s.page.locator('[data-testid="send-result"]')
    expect(result, "the outcome line says it was sent").to_contain_text(SENT)
    expect(s.messages().filter(has_text=text), "the thread shows the sent message") \
        .to_be_visible()
    return result.inner_text()


def choose(field, value):
    """Selects `value` in a <select>, or types it into an input."""
    if field.evaluate("el => el.tagName") == "SELECT":
        field.select_option(value)
    else:
        field.fill(value)


def open_single_thread(s, provider, tenant, send):
    send("the first message")
    s.open()
    s.open_thread(provider, tenant, thread_key("single", "alice", "bob"))


@test
def send_as_easemob_delivers_through_easemob(s):
    easemob = Easemob(s.base)
    open_single_thread(s, "easemob", "demo/chat",
                       lambda text: easemob.send_text("alice", "bob", text))
    outcome = send_as(s, "sent as bob on Easemob", sender="bob", to="alice")
    # Easemob has no read call for one message (only the hourly export): the journal shows
    # what it delivered.
    found = s.emulator.get("/_emulator/messages?provider=easemob&from=bob&to=alice")["messages"]
    assert [m["content"] for m in found] == [{"msg": "sent as bob on Easemob"}], \
        f"Easemob delivered {found}"
    assert found[0]["type"] == "txt", f"Easemob delivered {found[0]}"
    assert found[0]["id"] in outcome, f"the outcome {outcome!r} lacks the id {found[0]['id']}"


@test
def send_as_openim_delivers_through_openim(s):
    openim = OpenIM(s.base)
    open_single_thread(s, "openim", "default",
                       lambda text: openim.send_text("alice", "bob", text))
    outcome = send_as(s, "sent as bob on OpenIM", sender="bob", to="alice")
    pulled = openim.pull("alice", "si_alice_bob")["msgs"]["si_alice_bob"]["Msgs"]
    last = pulled[-1]
    assert (last["sendID"], last["recvID"], last["contentType"]) == ("bob", "alice", 101), \
        f"OpenIM's pull_msg_by_seq ends with {last}"
    assert "sent as bob on OpenIM" in decoded(last["content"]), f"OpenIM content: {last}"
    assert last["serverMsgID"] in outcome, f"the outcome {outcome!r} lacks {last['serverMsgID']}"


def decoded(content):
    """OpenIM's pulled content: base64 of the JSON text, or the text itself."""
    try:
        return base64.b64decode(content, validate=True).decode()
    except ValueError:
        return content


@test
def send_as_yunxin_delivers_through_yunxin(s):
    yunxin = Yunxin(s.base)
    open_single_thread(s, "yunxin", "demo-appkey",
                       lambda text: yunxin.send_text("alice", "bob", text))
    outcome = send_as(s, "sent as bob on Yunxin", sender="bob", to="alice")
    items = yunxin.history("alice", "bob")["items"]
    sent = [i for i in items if (i["sender_id"], i.get("text")) == ("bob", "sent as bob on Yunxin")]
    assert sent, f"Yunxin's history holds {items}"
    assert str(sent[0]["message_server_id"]) in outcome, \
        f"the outcome {outcome!r} lacks the id {sent[0]['message_server_id']}"


@test
def send_as_anqicms_delivers_into_the_order(s):
    anqicms = AnqiCMS(s.base)
    order = anqicms.create_order()
    anqicms.send_text(order, "the first message")
    s.open()
    s.open_thread("anqicms", "default", thread_key("order", str(order)))
    send_as(s, "sent into the order")
    contents = [m["content"] for m in anqicms.messages(order)]
    assert "sent into the order" in contents, f"AnqiCMS lists {contents}"
