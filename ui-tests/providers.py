"""Each emulated service called through its own API, as an application would call it: Easemob
with an app token, OpenIM with an admin token, Yunxin with signed headers, AnqiCMS with a user
token. The browser tests send with these and read back with them; nothing here touches the
page."""

import hashlib
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid


def call(method, url, body=None, headers=None):
    """One HTTP call; returns (status, parsed JSON or text). HTTP errors are answers too."""
    data = None if body is None else json.dumps(body).encode()
    hdrs = {"Content-Type": "application/json"} if body is not None else {}
    hdrs.update(headers or {})
    req = urllib.request.Request(url, data=data, headers=hdrs, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as err:
        status, raw = err.code, err.read()
    text = raw.decode("utf-8", "replace")
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def admin(base, method, path, body=None):
    """A call to the emulator's admin API; fails unless it answers 2xx."""
    status, answer = call(method, base + path, body)
    assert 200 <= status < 300, f"{method} {path} answered {status}: {answer}"
    return answer


class Easemob:
    """The fixture app demo/chat, with an app token."""

    tenant = "demo/chat"

    def __init__(self, base):
        self.root = f"{base}/demo/chat"
        status, answer = call("POST", self.root + "/token", {
            "grant_type": "client_credentials",
            "client_id": "YXA6demo-client-id",
            "client_secret": "YXA6demo-client-secret",
        })
        assert status == 200, f"Easemob token: {status} {answer}"
        self.token = answer["access_token"]

    def send(self, sender, to, body, kind="txt", token=None):
        """POST /messages/users; returns (status, answer)."""
        return call("POST", self.root + "/messages/users",
                    {"from": sender, "to": [to], "type": kind, "body": body},
                    {"Authorization": f"Bearer {token or self.token}"})

    def send_text(self, sender, to, text):
        status, answer = self.send(sender, to, {"msg": text})
        assert status == 200, f"Easemob send: {status} {answer}"
        return answer["data"][to]


class OpenIM:
    """The fixture tenant default, with the admin token of imAdmin."""

    tenant = "default"

    def __init__(self, base):
        self.base = base
        status, answer = self.post("/auth/get_admin_token",
                                    {"secret": "openIM123", "userID": "imAdmin"}, token="")
        assert answer.get("errCode") == 0, f"OpenIM admin token: {status} {answer}"
        self.token = answer["data"]["token"]

    def post(self, path, body, token=None):
        headers = {"operationID": uuid.uuid4().hex}
        token = self.token if token is None else token
        if token:
            headers["token"] = token
        return call("POST", self.base + path, body, headers)

    def send_text(self, sender, to, text):
        status, answer = self.post("/msg/send_msg", {
            "sendID": sender, "recvID": to, "content": {"content": text},
            "contentType": 101, "sessionType": 1,
        })
        assert answer.get("errCode") == 0, f"OpenIM send: {status} {answer}"
        return answer["data"]["serverMsgID"]

    def pull(self, user, conversation):
        """The conversation's messages as `user` pulls them (seqs 1..100), content decoded."""
        status, answer = self.post("/msg/pull_msg_by_seq", {
            "userID": user,
            "seqRanges": [{"conversationID": conversation, "begin": 1, "end": 100, "num": 100}],
        })
        assert answer.get("errCode") == 0, f"OpenIM pull: {status} {answer}"
        return answer["data"]


class Yunxin:
    """The fixture app demo-appkey, every call signed with its AppSecret."""

    tenant = "demo-appkey"

    def __init__(self, base, secret="demo-appsecret"):
        self.base, self.secret = base, secret

    def headers(self, now_s=None):
        nonce = uuid.uuid4().hex
        cur = str(int(now_s if now_s is not None else time.time()))
        digest = hashlib.sha1((self.secret + nonce + cur).encode()).hexdigest()
        return {"AppKey": self.tenant, "Nonce": nonce, "CurTime": cur, "CheckSum": digest,
                "Content-Type": "application/json;charset=UTF-8"}

    def request(self, method, path, body=None, now_s=None):
        return call(method, self.base + path, body, self.headers(now_s))

    @staticmethod
    def cid(sender, to):
        return urllib.parse.quote(f"{sender}|1|{to}", safe="")

    def send_text(self, sender, to, text, now_s=None):
        path = f"/im/v2/conversations/{self.cid(sender, to)}/messages"
        status, answer = self.request("POST", path, {"message": {"message_type": 0, "text": text}},
                                      now_s)
        assert answer.get("code") == 200, f"Yunxin send: {status} {answer}"
        return answer["data"]["message_server_id"]

    def history(self, reader, other, now_s=None):
        end = int((now_s if now_s is not None else time.time()) * 1000) + 60_000
        status, answer = self.request(
            "GET", f"/im/v2.1/conversations/{self.cid(reader, other)}/messages"
                   f"?begin_time=0&end_time={end}&limit=100", now_s=now_s)
        assert answer.get("code") == 200, f"Yunxin history: {status} {answer}"
        return answer["data"]


class AnqiCMS:
    """The fixture site default, logged in as alice, with a communication order of hers."""

    tenant = "default"

    def __init__(self, base):
        self.base = base
        status, answer = call("POST", base + "/api/login",
                              {"user_name": "alice", "password": "alice123"})
        assert answer.get("code") == 0, f"AnqiCMS login: {status} {answer}"
        self.token = answer["data"]["token"]
        self.user_id = answer["data"].get("id", 1)

    def auth(self):
        return {"Token": self.token}

    def create_order(self, title="A theme"):
        status, answer = call("POST", self.base + "/api/communication/order/create", {
            "archive_id": 1, "title": title, "content": "Details", "phone": "13800000000",
        }, self.auth())
        assert answer.get("code") == 0, f"AnqiCMS order: {status} {answer}"
        status, answer = call("GET", self.base + "/api/communication/orders?current=1&page_size=1",
                              headers=self.auth())
        assert answer.get("code") == 0 and answer["data"], f"AnqiCMS orders: {status} {answer}"
        return answer["data"][0]["id"]

    def send_text(self, order, text):
        status, answer = call("POST", self.base + "/api/communication/message/send", {
            "comm_order_id": order, "sender_id": self.user_id, "message_type": "text",
            "content": text,
        }, self.auth())
        assert answer.get("code") == 0, f"AnqiCMS send: {status} {answer}"
        return answer

    def messages(self, order):
        status, answer = call(
            "GET", self.base + f"/api/communication/messages?comm_order_id={order}"
                               f"&current=1&page_size=100", headers=self.auth())
        assert answer.get("code") == 0, f"AnqiCMS messages: {status} {answer}"
        return answer["data"]
