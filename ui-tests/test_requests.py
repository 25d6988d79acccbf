"""The request log: failed calls are marked with the provider's own error (even under HTTP
200), a call made while the log is open shows at once, and a row opens its bodies."""

from playwright.sync_api import expect

from harness import test
from providers import Easemob, OpenIM, Yunxin


def row(s, seq):
    return s.page.locator(f'[data-testid="request"][data-seq="{seq}"]')


def failed_seqs(s):
    """The log's failed calls by provider: {provider: seq} (the newest of each)."""
    return {r["provider"]: r["seq"] for r in s.emulator.get("/_emulator/requests?failed=true")
            ["requests"]}


@test
def failed_calls_show_in_the_request_log_with_the_providers_error(s):
    easemob = Easemob(s.base)
    easemob.send_text("alice", "bob", "this one works")
    easemob.send("alice", "bob", {"msg": "refused"}, token="not-a-token")
    OpenIM(s.base).post("/msg/send_msg", {"sendID": "alice"}, token="not-a-token")
    s.open("#/requests")
    expect(s.page.locator('[data-testid="requests"]')).to_be_visible()
    seqs = failed_seqs(s)
    ok_seq = s.emulator.get("/_emulator/requests?path=*/messages/users")["requests"][0]["seq"]
    expect(row(s, ok_seq), "a call that worked is not marked failed").not_to_contain_class(
        "failed")
    easemob_row = row(s, seqs["easemob"])
    expect(easemob_row).to_contain_class("failed")
    expect(easemob_row.locator('[data-testid="status"]')).to_have_text("401")
    expect(easemob_row.locator('[data-testid="error-name"]')).to_have_text(
        "auth_bad_access_token")
    openim_row = row(s, seqs["openim"])
    expect(openim_row, "an OpenIM error under HTTP 200 is a failure").to_contain_class("failed")
    expect(openim_row.locator('[data-testid="status"]')).to_have_text("200")
    expect(openim_row.locator('[data-testid="error-code"]')).to_have_text("1503")

    easemob_row.click()
    detail = s.page.locator('[data-testid="request-detail"]')
    expect(detail, "the detail shows the request body").to_contain_text("refused")
    expect(detail, "the detail shows the response body").to_contain_text(
        "Unable to authenticate due to corrupt access token")


@test
def a_call_made_while_the_log_is_open_shows_at_once(s):
    s.open("#/requests")
    expect(s.page.locator('[data-testid="requests"]')).to_be_visible()
    Yunxin(s.base, secret="not-the-secret").request("GET", "/im/v2/accounts/alice")
    seq = failed_seqs(s)["yunxin"]
    yunxin_row = row(s, seq)
    expect(yunxin_row, "the refused Yunxin call shows without a reload").to_be_visible(
        timeout=1000)
    expect(yunxin_row).to_contain_class("failed")
    expect(yunxin_row.locator('[data-testid="error-code"]')).to_have_text("403")
    yunxin_row.focus()
    s.page.keyboard.press("Enter")
    expect(s.page.locator('[data-testid="request-detail"]')).to_contain_text(
        "authentication failed")


@test
def failed_only_shows_the_failed_calls(s):
    easemob = Easemob(s.base)
    easemob.send_text("alice", "bob", "works")
    easemob.send("alice", "bob", {"msg": "refused"}, token="not-a-token")
    s.open("#/requests")
    rows = s.page.locator('[data-testid="request"]')
    expect(rows).to_have_count(3)
    s.page.get_by_label("Failed only").check()
    expect(rows, "only the refused call is left").to_have_count(1)
    expect(rows.first).to_contain_class("failed")
