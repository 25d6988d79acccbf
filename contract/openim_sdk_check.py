"""Contract check with a real OpenIM client: the openim-sdk-core package from PyPI, unchanged,
pointed at the emulator. Usage: python openim_sdk_check.py PATH-TO-im-emulator

Starts the emulator on a free port. The client has no call for the admin token, user
registration or groups (an application server does those through the REST API), so the check
makes them with plain HTTP as the documentation shows; then the client, logged in with the
admin token (send_msg takes app managers only), sends every kind of message it builds, single
and group, verifies the token with /auth/parse_token, reads its own profile, and the check
pulls and searches the messages back and reads the emulator's journal.
"""

import base64
import json
import sys
import tempfile
import urllib.request

from harness import journal, run, start


def call(base, route, body, token=None):
    """A plain OpenIM REST call; returns the envelope."""
    req = urllib.request.Request(f"{base}{route}", method="POST", data=json.dumps(body).encode())
    req.add_header("operationID", "contract-check")
    if token:
        req.add_header("token", token)
    with urllib.request.urlopen(req, timeout=5) as resp:
        return json.load(resp)


def setup(base):
    """Admin token, users u1..u3, a user token and a group, as an application server makes them."""
    admin = call(base, "/auth/get_admin_token", {"secret": "openIM123", "userID": "imAdmin"})
    token = admin["data"]["token"]
    users = [{"userID": f"u{i}", "nickname": f"User {i}"} for i in (1, 2, 3)]
    call(base, "/user/user_register", {"users": users}, token)
    user_token = call(base, "/auth/get_user_token", {"platformID": 1, "userID": "u1"}, token)
    group = call(base, "/group/create_group", {
        "ownerUserID": "u1", "memberUserIDs": ["u2", "u3"], "adminUserIDs": [],
        "groupInfo": {"groupID": "", "groupName": "contract", "groupType": 2}}, token)
    return token, user_token["data"]["token"], group["data"]["groupInfo"]["groupID"]


def checks(base):
    """Each check: (name, function returning a truth and what it saw)."""
    from openim_sdk import OpenIMSDK, SDKConfig
    from openim_sdk.client import SDKError

    admin, user_token, group_id = setup(base)
    data_dir = tempfile.mkdtemp(prefix="openim-contract-")
    sdk = OpenIMSDK(SDKConfig(api_addr=base, data_dir=data_dir, verify_token_on_login=True))
    user_sdk = OpenIMSDK(SDKConfig(api_addr=base, data_dir=data_dir))
    sent = {}

    def login():
        sdk.login(user_id="imAdmin", token=admin)
        return sdk.user_id == "imAdmin", "logged in with parse_token"

    def profile():
        info = sdk.get_self_user_info()
        return info.user_id == "imAdmin", info

    def sends(name, send):
        def check():
            resp = send()
            sent[name] = resp
            ok = len(resp.get("serverMsgID", "")) == 32 and len(resp.get("clientMsgID", "")) == 32
            return ok and resp.get("sendTime", 0) > 0, resp
        return check

    url = "http://files.example/contract"
    kinds = [
        ("text", lambda: sdk.send_text("hello from the contract", recv_id="u2")),
        ("at text", lambda: sdk.send_at_text("@u2 hi", at_user_list=["u2"], recv_id="u2")),
        ("image", lambda: sdk.send_image_by_url(source_url=f"{url}/a.png", width=64, height=48,
                                                recv_id="u2", content_type="image/png")),
        ("sound", lambda: sdk.send_sound_by_url(source_url=f"{url}/a.mp3", duration=3,
                                                recv_id="u2")),
        ("video", lambda: sdk.send_video_by_url(video_url=f"{url}/a.mp4", duration=5,
                                                snapshot_url=f"{url}/a.jpg", video_size=1024,
                                                snapshot_width=64, snapshot_height=48,
                                                recv_id="u2")),
        ("file", lambda: sdk.send_file_by_url(source_url=f"{url}/a.pdf", file_name="a.pdf",
                                              file_size=2048, recv_id="u2")),
        ("group text", lambda: sdk.send_text("hello group", group_id=group_id, session_type=3)),
    ]

    def user_token_refused():
        user_sdk.login(user_id="u1", token=user_token)
        try:
            user_sdk.send_text("not allowed", recv_id="u2")
        except SDKError as error:
            return error.err_code == 1002, (error.err_code, error.err_dlt)
        return False, "a user token sent a message"

    def group_without_session_type():
        try:
            sdk.send_text("no session type", group_id=group_id)
        except SDKError as error:
            return error.err_code == 1001 and error.err_dlt == "unknown sessionType", error.err_dlt
        return False, "sessionType 2 was accepted"

    def pulled():
        body = {"userID": "u2", "seqRanges": [
            {"conversationID": "si_imAdmin_u2", "begin": 1, "end": 100, "num": 100}]}
        msgs = call(base, "/msg/pull_msg_by_seq", body, admin)["data"]["msgs"]["si_imAdmin_u2"]["Msgs"]
        first = json.loads(base64.b64decode(msgs[0]["content"]))
        types = [m["contentType"] for m in msgs]
        ok = types == [101, 106, 102, 103, 104, 105] and first == {"content": "hello from the contract"}
        return ok, types

    def searched():
        body = {"sendID": "imAdmin", "pagination": {"pageNumber": 1, "showNumber": 50}}
        data = call(base, "/msg/search_msg", body, admin)["data"]
        return data["chatLogsNum"] == 7, data["chatLogsNum"]

    def journaled():
        records = journal(base, "provider=openim")["messages"]
        ids = [r["id"] for r in records]
        ok = ids == [sent[name]["serverMsgID"] for name, _ in kinds]
        return ok and records[-1]["conversation"] == f"sg_{group_id}", ids

    return ([("login with parse_token", login), ("own profile", profile)]
            + [(f"send {name}", sends(name, send)) for name, send in kinds]
            + [("user token refused", user_token_refused),
               ("group send without sessionType", group_without_session_type),
               ("pull", pulled), ("search", searched), ("journal", journaled)])


def main():
    server, base = start(sys.argv[1])
    run("openim-sdk-core", server, checks(base))


if __name__ == "__main__":
    main()
