"""Contract check with a real Easemob client: the ease-restapi package from PyPI, unchanged,
pointed at the emulator. Usage: python ease_restapi_check.py PATH-TO-im-emulator

Starts the emulator on a free port, drives it through the client's own functions (token,
authorized registration, batch registration, lookup, paging, nickname, password, legacy send,
delete), checks the answers and the emulator's journal, and prints "N passed, M failed".
"""

import sys

import ease_restapi.config as config

from harness import journal, run, start


def checks(base):
    """Each check: (name, function returning a truth and what it saw)."""
    from ease_restapi.service import (AppClientAuth, build_message_data, create_user_credit,
                                      create_users, delete_user, modify_nickname, passwd_user,
                                      pickup_user, pickup_users, send_txt_message)
    from ease_restapi.service.auth import AppAdminAccountAuth

    auth = AppClientAuth("YXA6demo-client-id", "YXA6demo-client-secret")
    state = {}

    def token():
        tok = auth.get_token()
        return str(tok).startswith("YWMt") and len(str(tok)) == 130, str(tok)

    def register():
        ok, body = create_user_credit(auth, "Dora", "pw-1")
        return ok and body["entities"][0]["username"] == "dora", body

    def batch():
        ok, body = create_users(auth, [{"username": "erin", "password": "pw"},
                                       {"username": "dora", "password": "pw"}])
        failed = body.get("data", [{}])[0].get("username") if ok else None
        return ok and body["entities"][0]["username"] == "erin" and failed == "dora", body

    def lookup():
        ok, body = pickup_user(auth, "DORA")
        return ok and body["count"] == 1 and body["entities"][0]["username"] == "dora", body

    def paging():
        ok, first = pickup_users(auth, limit=2)
        ok2, second = pickup_users(auth, limit=2, cursor=first.get("cursor")) if ok else (False, {})
        names = [u["username"] for u in first.get("entities", []) + second.get("entities", [])]
        return ok and ok2 and names == ["alice", "bob", "dora", "erin"], names

    def nickname():
        ok, body = modify_nickname(auth, "dora", "Dora D.")
        return ok and body["entities"][0]["nickname"] == "Dora D.", body

    def password():
        ok, body = passwd_user(auth, "dora", "pw-2")
        login = AppAdminAccountAuth("dora", "pw-2").acquire_token()
        return ok and body["action"] == "set user password" and login is not None, body

    def send():
        data = build_message_data("hello from ease-restapi", ["dora", "erin"], username=None)
        ok, body = send_txt_message(auth, data)
        state["send"] = body
        return ok and body["data"] == {"dora": "success", "erin": "success"}, body

    def journaled():
        records = journal(base, "provider=easemob&type=txt")["messages"]
        seen = sorted((r["from"], r["to"], r["content"]["msg"]) for r in records)
        expected = [("admin", "dora", "hello from ease-restapi"),
                    ("admin", "erin", "hello from ease-restapi")]
        return seen == expected, seen

    def delete():
        ok, body = delete_user(auth, "dora")
        gone, _ = pickup_user(auth, "dora")
        return ok and not gone, body

    return [("app token", token), ("authorized registration", register),
            ("batch registration", batch), ("lookup", lookup), ("paging", paging),
            ("nickname", nickname), ("password", password), ("legacy send", send),
            ("journal", journaled), ("delete", delete)]


def main():
    server, base = start(sys.argv[1])
    config.HOST_SERVER, config.APP_ORG, config.APP_NAME = base, "demo", "chat"
    config.REST_API_DEBUG = False
    run("ease-restapi", server, checks(base))


if __name__ == "__main__":
    main()
