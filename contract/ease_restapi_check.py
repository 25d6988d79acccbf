"""Contract check with a real Easemob client: the ease-restapi package from PyPI, unchanged,
pointed at the emulator. Usage: python ease_restapi_check.py PATH-TO-im-emulator

Starts the emulator on a free port, drives it through the client's own functions (token,
authorized registration, batch registration, lookup, paging, nickname, password, legacy send,
groups and their members, a group send, contacts, block lists, delete one and delete in a
batch), checks the answers and the emulator's journal, and prints "N passed, M failed".
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

    return ([("app token", token), ("authorized registration", register),
             ("batch registration", batch), ("lookup", lookup), ("paging", paging),
             ("nickname", nickname), ("password", password), ("legacy send", send),
             ("journal", journaled)]
            + group_checks(auth, base, state) + relation_checks(auth)
            + [("delete", delete)] + batch_delete_checks(auth))


def group_checks(auth, base, state):
    """Groups through ease_group and ease_batch: create, details, members, modify, the user's
    groups, a group send through the legacy route, delete."""
    from ease_restapi.service import (add_group_users, build_group_data, build_message_data,
                                      create_group, delete_group, details_group, modify_group,
                                      pickup_group_users, pickup_groups, pickup_user_group,
                                      send_txt_message, user_join_group, user_kick_group)

    def create():
        data = build_group_data("team", "a group", "alice", True, members=["bob"])
        ok, body = create_group(auth, data)
        state["group"] = body.get("data", {}).get("groupid")
        return ok and str(state["group"]).isdigit(), body

    def details():
        ok, body = details_group(auth, state["group"])
        group = body.get("data", [{}])[0]
        return ok and group.get("id") == state["group"] and group.get("owner") == "alice", body

    def members():
        ok, added = add_group_users(auth, state["group"], ["erin"])
        ok2, joined = user_join_group(auth, state["group"], "dora")
        ok3, listed = pickup_group_users(auth, state["group"])
        names = sorted(m.get("member") or m.get("owner") for m in listed.get("data", []))
        return ok and ok2 and ok3 and names == ["alice", "bob", "dora", "erin"], listed

    def kick():
        ok, body = user_kick_group(auth, state["group"], "dora")
        _, listed = pickup_group_users(auth, state["group"])
        names = [m.get("member") for m in listed.get("data", []) if "member" in m]
        return ok and "dora" not in names, body

    def modify():
        ok, body = modify_group(auth, state["group"], groupname="renamed", maxusers=300)
        _, after = details_group(auth, state["group"])
        group = after.get("data", [{}])[0]
        return ok and group.get("name") == "renamed" and group.get("maxusers") == 300, body

    def listed():
        ok, mine = pickup_user_group(auth, "erin")
        ok2, every = pickup_groups(auth)
        ids = [g.get("groupid") for g in mine.get("data", []) + every.get("data", [])]
        return ok and ok2 and ids.count(state["group"]) == 2, (mine, every)

    def group_send():
        data = build_message_data("hi team", [state["group"]], "chatgroups", username="alice")
        ok, body = send_txt_message(auth, data)
        records = journal(base, "provider=easemob&chat_type=group")["messages"]
        seen = [(r["from"], r["to"], r["content"]["msg"]) for r in records]
        return ok and seen == [("alice", state["group"], "hi team")], (body, seen)

    def delete():
        ok, body = delete_group(auth, state["group"])
        gone, _ = details_group(auth, state["group"])
        return ok and not gone, body

    return [("group create", create), ("group details", details), ("group members", members),
            ("group kick", kick), ("group modify", modify), ("groups listed", listed),
            ("group send", group_send), ("group delete", delete)]


def relation_checks(auth):
    """Contacts and block lists through ease_friend and ease_black."""
    from ease_restapi.service import (add_user_blacklist, create_friend, del_user_blacklist,
                                      delete_friend, detail_friend, pickup_user_blacklist)

    def contacts():
        ok, body = create_friend(auth, "erin", "bob")
        ok2, listed = detail_friend(auth, "erin")
        ok3, _ = delete_friend(auth, "erin", "bob")
        _, after = detail_friend(auth, "erin")
        return ok and ok2 and ok3 and listed["data"] == ["bob"] and after["data"] == [], listed

    def blocks():
        ok, body = add_user_blacklist(auth, "erin", ["bob", "alice"])
        ok2, listed = pickup_user_blacklist(auth, "erin")
        ok3, _ = del_user_blacklist(auth, "erin", "bob")
        _, after = pickup_user_blacklist(auth, "erin")
        return (ok and ok2 and ok3 and sorted(listed["data"]) == ["alice", "bob"]
                and after["data"] == ["alice"]), (listed, after)

    return [("contacts", contacts), ("block list", blocks)]


def batch_delete_checks(auth):
    """ease_batch.delete_users: the oldest N go, and a cursor says more remain."""
    from ease_restapi.service import delete_users, pickup_users

    def batch_delete():
        ok, body = delete_users(auth, limit=2)
        names = [u["username"] for u in body.get("entities", [])]
        ok2, left = pickup_users(auth, limit=10)
        rest = [u["username"] for u in left.get("entities", [])]
        return ok and names == ["alice", "bob"] and "cursor" in body and rest == ["erin"], body

    return [("batch delete", batch_delete)]


def main():
    server, base = start(sys.argv[1])
    config.HOST_SERVER, config.APP_ORG, config.APP_NAME = base, "demo", "chat"
    config.REST_API_DEBUG = False
    run("ease-restapi", server, checks(base))


if __name__ == "__main__":
    main()
