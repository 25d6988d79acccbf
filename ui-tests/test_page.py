"""The page itself: it loads from `/`, lists every provider's default tenant, and can be used
with the keyboard alone, every control having a name."""

from playwright.sync_api import expect

from harness import test, thread_key
from providers import Easemob

DEFAULT_TENANTS = [("easemob", "demo/chat"), ("openim", "default"),
                   ("yunxin", "demo-appkey"), ("anqicms", "default")]

# Every control without an accessible name: aria-label, aria-labelledby, a <label>, a title, or
# (buttons) its text.
UNNAMED = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(el => el.type !== 'hidden' && el.getClientRects().length > 0)
  .filter(el => {
    const by = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
      .map(id => document.getElementById(id)?.textContent || '').join('');
    const labels = [...(el.labels || [])].map(l => l.textContent).join('');
    const own = el.tagName === 'BUTTON' ? el.textContent : '';
    return !`${el.getAttribute('aria-label') || ''}${by}${labels}${el.title}${own}`.trim();
  })
  .map(el => el.outerHTML.slice(0, 120))"""


@test
def the_page_loads_from_the_root_and_lists_the_default_tenants(s):
    s.open()
    assert "/_emulator/ui/" in s.page.url, f"/ led to {s.page.url}, not the inspector"
    for provider, name in DEFAULT_TENANTS:
        expect(s.tenant(provider, name), f"the sidebar lists {provider} {name}").to_be_visible()
        expect(s.tenant_count(provider, name)).to_have_text("0")
    expect(s.page.locator('[data-testid="clock"]')).to_be_visible()


@test
def the_keyboard_reaches_the_search_box_and_opens_a_conversation(s):
    Easemob(s.base).send_text("alice", "bob", "reached by keyboard")
    s.open()
    s.tenant("easemob", "demo/chat").click()
    search = s.page.get_by_role("searchbox", name="Search conversations")
    expect(search).to_be_visible()
    s.page.locator("body").focus()
    tab_until(s.page, search, "the search box")
    first = s.conversations().first
    tab_until(s.page, first, "a conversation")
    s.page.keyboard.press("Enter")
    expect(s.thread()).to_be_visible()
    expect(s.messages().filter(has_text="reached by keyboard")).to_be_visible()
    assert thread_key("single", "alice", "bob") == first.get_attribute("data-key")


def tab_until(page, target, what, presses=60):
    """Presses Tab until `target` (or something inside it) has the focus."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("el => el.contains(document.activeElement)"):
            return
    raise AssertionError(f"{presses} presses of Tab never reached {what}")


@test
def every_control_has_an_accessible_name_in_every_view(s):
    easemob = Easemob(s.base)
    easemob.send_text("alice", "bob", "hello")
    easemob.send("alice", "bob", {"msg": "refused"}, token="not-a-token")
    s.open()
    key = thread_key("single", "alice", "bob")
    views = [  # (view, how to get there, what shows it is there)
        ("overview", lambda: None, s.tenant("easemob", "demo/chat")),
        ("conversations", lambda: s.tenant("easemob", "demo/chat").click(),
         s.conversation(key)),
        ("thread", lambda: s.conversation(key).click(), s.messages().first),
        ("send as", lambda: None, s.page.locator('[data-testid="send-as"]')),
        ("control", lambda: s.page.get_by_role("link", name="Control").click(),
         s.page.get_by_role("button", name="Reset everything")),
        ("requests", lambda: s.page.get_by_role("link", name="Requests").click(),
         s.page.locator('[data-testid="request"]').first),
        ("request detail", lambda: s.page.locator('[data-testid="request"]').first.click(),
         s.page.locator('[data-testid="request-detail"]')),
    ]
    unnamed = {}
    for view, go, shown in views:
        go()
        expect(shown, f"the {view} view shows").to_be_visible()
        found = s.page.evaluate(UNNAMED)
        if found:
            unnamed[view] = found
    assert not unnamed, f"controls without an accessible name: {unnamed}"


@test
def the_search_box_narrows_the_conversation_list(s):
    easemob = Easemob(s.base)
    for friend in ("bob", "carol", "dave"):
        easemob.send_text("alice", friend, f"hello {friend}")
    s.open()
    s.tenant("easemob", "demo/chat").click()
    expect(s.conversations()).to_have_count(3)
    s.page.get_by_role("searchbox", name="Search conversations").fill("CAR")
    expect(s.conversations(), "only alice and carol match 'CAR'").to_have_count(1)
    expect(s.conversations().first).to_have_attribute("data-key",
                                                      thread_key("single", "alice", "carol"))


@test(args=["--admin-token", "the-admin-secret"])
def the_page_asks_for_the_admin_token_when_the_admin_api_wants_one(s):
    s.page.goto(s.base + "/")
    dialog = s.page.get_by_role("dialog", name="Admin token")
    expect(dialog, "the page asks for the admin token").to_be_visible()
    s.errors.clear()  # the admin API's first 401 is how the page learns it needs a token
    dialog.get_by_label("Token").fill("the-admin-secret")
    dialog.get_by_role("button", name="Use token").click()
    expect(s.tenant_count("easemob", "demo/chat"), "with the token the sidebar fills") \
        .to_have_text("0")
    s.wait_live()
    Easemob(s.base).send_text("alice", "bob", "seen with the token")
    expect(s.tenant_count("easemob", "demo/chat"), "live events flow with the token") \
        .to_have_text("1")
