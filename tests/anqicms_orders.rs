//! Black-box tests of AnqiCMS's communication orders (contract §5): every login-only route's
//! 1001, `POST /api/communication/order/create` (the bare `{code,msg}` reply, the required
//! phone, its body read as Go reads it), `GET /api/communication/orders` (the user's own,
//! newest first, `total`, `current` and `page_size`/`pageSize` with the pagination edges of
//! §4), `GET /api/communication/order/detail` (with its owner and messages), `POST
//! /api/communication/order/update`, the merchant's quote (`/_emulator/anqicms/orders/{id}/quote`)
//! and `POST /api/communication/order/accept` (2 → 3 with a pay order; refused before a
//! quote); ownership (another user can neither read nor write, and nothing changes) and
//! unknown orders.
mod common;
use common::anqicms::*;
use common::*;

use reqwest::Method;
use serde_json::{json, Value};

const ORDER_ROUTES: [(&str, &str); 6] = [
    ("GET", "/communication/orders"),
    ("POST", "/communication/order/create"),
    ("POST", "/communication/order/update"),
    ("POST", "/communication/order/accept"),
    ("GET", "/communication/messages?comm_order_id=1"),
    ("POST", "/communication/message/send"),
];

/// Creates orders titled `o1`..`o{n}` for `token`; their IDs.
async fn create_n(site: &Site<'_>, token: &str, n: usize) -> Vec<u64> {
    let mut ids = Vec::new();
    for i in 1..=n {
        ids.push(site.create_order(token, &format!("o{i}")).await);
    }
    ids
}

/// The titles of a page of the user's orders for `query`, and `total`.
async fn titles(site: &Site<'_>, token: &str, query: &str) -> (Vec<String>, u64) {
    let (items, total) = site.orders(token, query).await;
    (field_of(&items, "title"), total)
}

fn names(titles: &[&str]) -> Vec<String> {
    owned(titles)
}

/// `POST /api/communication/order/accept` of the order `id`.
async fn accept(site: &Site<'_>, token: &str, id: u64) -> Reply {
    let body = json!({"id": id, "quantity": 1, "type": "goods"});
    site.post("/communication/order/accept", Some(token), &body)
        .await
}

/// `POST /api/communication/order/update` with `body`.
async fn update(site: &Site<'_>, token: &str, body: &Value) -> Reply {
    site.post("/communication/order/update", Some(token), body)
        .await
}

// ------------------------------------------------------------------------------------------
// Login

#[tokio::test]
async fn every_order_and_message_route_needs_a_login() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    site.create_order(&token, "mine").await;
    for (method, path) in ORDER_ROUTES {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        for body in ["", "{\"id\":1,\"comm_order_id\":1}"] {
            let req = site.request(method.clone(), path, None).body(body);
            let reply = read(req.send().await.unwrap()).await;
            assert_no_login(&format!("{method} {path} {body}"), &reply);
        }
    }
    assert_eq!(
        site.orders(&token, "").await.1,
        1,
        "no anonymous call created an order"
    );
}

#[tokio::test]
async fn an_anonymous_detail_is_told_the_order_is_not_its_own() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let id = site.create_order(&token, "mine").await;
    let detail = |id: u64| {
        site.request(
            Method::GET,
            &format!("/communication/order/detail?id={id}"),
            None,
        )
    };
    let reply = read(detail(id).send().await.unwrap()).await;
    assert_failed("anonymous detail", &reply, "权限不足");
    let reply = read(detail(id + 1).send().await.unwrap()).await;
    assert_failed("anonymous detail of no order", &reply, "订单不存在");
}

// ------------------------------------------------------------------------------------------
// Create and list

#[tokio::test]
async fn create_answers_code_and_msg_only_and_the_list_shows_the_order() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let body = json!({"archive_id": 7, "title": "定制主题", "content": "外贸网站", "phone": "13800000000",
        "images": ["/uploads/a.jpg", "/uploads/b.jpg"], "order_extra": {"budget": "5000"}});
    assert_bare_ok("create", &site.create(&token, &body).await, "");
    let (items, total) = site.orders(&token, "").await;
    assert_eq!((items.len(), total), (1, 1));
    let order = &items[0];
    for key in ORDER_KEYS {
        assert!(order.get(key).is_some(), "{key} in {order}");
    }
    let fields = [
        "archive_id",
        "title",
        "content",
        "phone",
        "images",
        "order_extra",
    ];
    for field in fields {
        assert_eq!(order[field], body[field], "{field}");
    }
    let shown = [
        &order["id"],
        &order["user_id"],
        &order["status"],
        &order["order_id"],
    ];
    assert_eq!(
        shown,
        [&json!(1), &json!(ALICE_ID), &json!(0), &json!(0)],
        "{order}"
    );
    assert_eq!(
        (&order["quote_price"], &order["created_time"]),
        (&json!(""), &json!(T0_S))
    );
}

#[tokio::test]
async fn create_needs_a_phone_and_a_body_go_can_read() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    for body in [
        json!({"archive_id": 1, "title": "t"}),
        json!({"title": "t", "phone": "  "}),
    ] {
        assert_failed(
            &body.to_string(),
            &site.create(&token, &body).await,
            "请填写联系电话",
        );
    }
    let path = "/communication/order/create";
    assert_failed(
        "empty",
        &site.post_bytes(path, Some(&token), vec![]).await,
        "EOF",
    );
    let reply = site
        .create(&token, &json!({"phone": "1", "images": "a.jpg"}))
        .await;
    let msg = envelope("images", &reply)["msg"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        msg.starts_with("json: cannot unmarshal string into Go struct field "),
        "{msg}"
    );
    assert!(msg.ends_with(".images of type []string"), "{msg}");
    assert_eq!(keys(&reply.json()), sorted(&["code", "msg"]));
    assert_eq!(site.orders(&token, "").await.1, 0, "nothing was created");
}

#[tokio::test]
async fn the_list_is_newest_first_and_holds_only_the_users_own() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (alice, bob) = (site.alice().await, site.bob().await);
    let ids = create_n(&site, &alice, 3).await;
    let bobs = site.create_order(&bob, "b1").await;
    assert_eq!((ids, bobs), (vec![1, 2, 3], 4));
    assert_eq!(
        titles(&site, &alice, "").await,
        (names(&["o3", "o2", "o1"]), 3)
    );
    assert_eq!(titles(&site, &bob, "").await, (names(&["b1"]), 1));
    let (items, _) = site.orders(&bob, "").await;
    assert_eq!(items[0]["user_id"], BOB_ID);
}

#[tokio::test]
async fn the_list_pages_ten_by_default() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    create_n(&site, &token, 12).await;
    let (first, total) = titles(&site, &token, "").await;
    assert_eq!(
        (first.len(), first[0].as_str(), first[9].as_str(), total),
        (10, "o12", "o3", 12)
    );
    assert_eq!(
        titles(&site, &token, "current=2").await,
        (names(&["o2", "o1"]), 12)
    );
}

#[tokio::test]
async fn the_list_follows_anqicms_pagination_edges() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    create_n(&site, &token, 5).await;
    let all = ["o5", "o4", "o3", "o2", "o1"];
    let rows: [(&str, &[&str]); 18] = [
        ("page_size=2", &all[..2]),
        ("current=2&page_size=2", &all[2..4]),
        ("current=3&page_size=2", &all[4..]),
        ("current=4&page_size=2", &[]),
        ("current=2&pageSize=2", &all[2..4]),
        ("current=1&page_size=2", &all[..2]),
        ("current=0&page_size=2", &all[..2]),
        ("current=-3&page_size=2", &all[..2]),
        ("current=abc&page_size=2", &all[..2]),
        ("current=1.5&page_size=2", &all[..2]),
        ("page_size=abc", &all),
        ("page_size=2.5", &all),
        ("page_size=", &all),
        ("page_size=0", &[]),
        ("current=2&page_size=0", &[]),
        ("page_size=-1", &all),
        ("current=3&page_size=-1", &all),
        ("page_size=100000", &all),
    ];
    for (query, expected) in rows {
        assert_eq!(
            titles(&site, &token, query).await,
            (names(expected), 5),
            "{query}"
        );
    }
}

// ------------------------------------------------------------------------------------------
// Detail and update

#[tokio::test]
async fn detail_shows_the_order_with_its_owner_and_messages() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let id = site.create_order(&token, "t").await;
    site.say(&token, id, "hi").await;
    merchant_says(&app, id, "admin", "text", "hello").await;
    let detail = site.detail_ok(&token, id).await;
    for key in ORDER_KEYS.iter().chain(&["user", "messages"]) {
        assert!(detail.get(*key).is_some(), "{key} in {detail}");
    }
    assert_eq!((&detail["id"], &detail["title"]), (&json!(id), &json!("t")));
    assert_eq!(
        (&detail["user"]["id"], &detail["user"]["user_name"]),
        (&json!(ALICE_ID), &json!(ALICE))
    );
    let messages = detail["messages"].as_array().unwrap();
    assert_eq!(contents(messages), ["hi", "hello"]);
    assert_eq!(field_of(messages, "sender_type"), ["user", "admin"]);
    for message in messages {
        assert_eq!(keys(message), sorted(&MESSAGE_KEYS), "{message}");
    }
}

#[tokio::test]
async fn update_changes_the_given_fields_only() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let body =
        json!({"title": "t1", "content": "c1", "phone": "13800000000", "order_extra": {"a": 1}});
    assert_bare_ok("create", &site.create(&token, &body).await, "");
    let id = site.orders(&token, "").await.0[0]["id"].as_u64().unwrap();
    assert_bare_ok(
        "title",
        &update(&site, &token, &json!({"id": id, "title": "t2"})).await,
        "",
    );
    let change = json!({"id": id, "content": "c2", "order_extra": {"b": 2}});
    assert_bare_ok("content", &update(&site, &token, &change).await, "");
    let detail = site.detail_ok(&token, id).await;
    let shown = [
        &detail["title"],
        &detail["content"],
        &detail["phone"],
        &detail["order_extra"],
    ];
    assert_eq!(
        shown,
        [
            &json!("t2"),
            &json!("c2"),
            &json!("13800000000"),
            &json!({"b": 2})
        ]
    );
}

#[tokio::test]
async fn update_refuses_missing_and_unknown_ids_and_bad_bodies() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    site.create_order(&token, "kept").await;
    for body in [
        json!({"title": "x"}),
        json!({"id": 0, "title": "x"}),
        json!({"id": 99, "title": "x"}),
    ] {
        assert_failed(
            &body.to_string(),
            &update(&site, &token, &body).await,
            "订单不存在",
        );
    }
    let path = "/communication/order/update";
    assert_failed(
        "empty",
        &site.post_bytes(path, Some(&token), vec![]).await,
        "EOF",
    );
    let bad = site
        .post_bytes(path, Some(&token), b"{\"id\":1,".to_vec())
        .await;
    assert_failed("cut", &bad, "unexpected EOF");
    assert_eq!(titles(&site, &token, "").await, (names(&["kept"]), 1));
}

// ------------------------------------------------------------------------------------------
// Quote and accept

#[tokio::test]
async fn a_quoted_order_is_accepted_with_a_pay_order() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let id = site.create_order(&token, "t").await;
    let quoted = merchant_quotes(&app, id, json!("9900.00")).await;
    assert_eq!((&quoted["id"], &quoted["status"]), (&json!(id), &json!(2)));
    let listed = &site.orders(&token, "").await.0[0];
    let quote = [
        &listed["status"],
        &listed["quote_price"],
        &listed["quote_content"],
    ];
    assert_eq!(
        quote,
        [&json!(2), &json!("9900.00"), &json!("all included")]
    );
    let accepted = data_of("accept", &accept(&site, &token, id).await);
    let pay_order = accepted["order_id"].as_u64().expect("order_id");
    assert!(pay_order > 0, "{accepted}");
    assert_eq!(
        (&accepted["id"], &accepted["status"]),
        (&json!(id), &json!(3))
    );
    let detail = site.detail_ok(&token, id).await;
    assert_eq!(
        (&detail["status"], &detail["order_id"]),
        (&json!(3), &json!(pay_order))
    );
    assert_failed(
        "twice",
        &accept(&site, &token, id).await,
        "该订单尚未报价或已处理",
    );
}

#[tokio::test]
async fn accept_before_a_quote_is_refused() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let id = site.create_order(&token, "t").await;
    merchant_says(&app, id, "admin", "text", "let us talk").await;
    assert_failed(
        "not quoted",
        &accept(&site, &token, id).await,
        "该订单尚未报价或已处理",
    );
    let detail = site.detail_ok(&token, id).await;
    assert_ne!(detail["status"], 3, "{detail}");
    assert_eq!(detail["order_id"], 0, "{detail}");
    assert_failed("unknown", &accept(&site, &token, 99).await, "订单不存在");
    let path = "/communication/order/accept";
    assert_failed(
        "empty",
        &site.post_bytes(path, Some(&token), vec![]).await,
        "EOF",
    );
}

#[tokio::test]
async fn a_numeric_quote_price_reads_as_a_string() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let id = site.create_order(&token, "t").await;
    assert_eq!(
        merchant_quotes(&app, id, json!(9900)).await["quote_price"],
        "9900"
    );
    assert_eq!(site.detail_ok(&token, id).await["quote_price"], "9900");
}

#[tokio::test]
async fn the_merchant_quote_refuses_unknown_orders_and_bad_bodies() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    let id = site.create_order(&token, "t").await;
    let good = json!({"quote_price": "1", "quote_content": "c"});
    let rows = [
        (99, "", good.clone(), 404),
        (id, "tenant=nosuch", good.clone(), 404),
        (id, "", json!({"quote_price": true}), 400),
        (id, "", json!({"quote_content": "c"}), 400),
        (id, "", json!({"quote_price": "1", "bogus": 1}), 400),
    ];
    for (order, query, body, status) in rows {
        let resp = merchant(&app, order, "quote", query, &body).await;
        assert_eq!(resp.status().as_u16(), status, "{order} {query} {body}");
        let problem: Value = resp.json().await.unwrap();
        assert!(
            problem["error"].is_string() && problem["message"].is_string(),
            "{problem}"
        );
    }
    assert_eq!(
        site.detail_ok(&token, id).await["status"],
        0,
        "never quoted"
    );
}

// ------------------------------------------------------------------------------------------
// Ownership

/// Asserts that bob is refused every read and write of alice's order `id`.
async fn assert_bob_is_refused(site: &Site<'_>, bob: &str, id: u64) {
    let refused = "权限不足";
    assert_failed("detail", &site.detail(bob, id).await, refused);
    let change = json!({"id": id, "title": "bob's", "content": "bob's"});
    assert_failed("update", &update(site, bob, &change).await, refused);
    assert_failed("accept", &accept(site, bob, id).await, refused);
    let send = site.send_as(bob, id, BOB_ID, "text", "bob was here").await;
    assert_failed("send", &send, refused);
    let list = site.messages(bob, &format!("comm_order_id={id}")).await;
    assert_failed("messages", &list, refused);
    assert_eq!(site.orders(bob, "").await, (vec![], 0), "not in bob's list");
}

#[tokio::test]
async fn another_user_can_neither_read_nor_write_an_order() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (alice, bob) = (site.alice().await, site.bob().await);
    let id = site.create_order(&alice, "alice's").await;
    site.say(&alice, id, "private").await;
    merchant_quotes(&app, id, json!("100")).await;
    let before = site.detail_ok(&alice, id).await;
    assert_bob_is_refused(&site, &bob, id).await;
    assert_eq!(
        site.detail_ok(&alice, id).await,
        before,
        "alice's order is unchanged"
    );
    assert_eq!(site.contents(&alice, id).await, ["private"]);
    let journal = app.journal("provider=anqicms").await;
    assert_eq!(
        journal["total"], 1,
        "bob's send was not journalled: {journal}"
    );
}

#[tokio::test]
async fn unknown_orders_are_refused_everywhere() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let token = site.alice().await;
    site.create_order(&token, "t").await;
    let missing = "订单不存在";
    for query in ["id=99", "id=0", "id=abc", ""] {
        let reply = site
            .get(
                &format!("/communication/order/detail?{query}"),
                Some(&token),
            )
            .await;
        assert_failed(query, &reply, missing);
    }
    assert_failed(
        "update",
        &update(&site, &token, &json!({"id": 99, "title": "x"})).await,
        missing,
    );
    assert_failed("accept", &accept(&site, &token, 99).await, missing);
    let send = site.send_as(&token, 99, ALICE_ID, "text", "hi").await;
    assert_failed("send", &send, missing);
    for query in ["comm_order_id=99", "comm_order_id=abc", ""] {
        assert_failed(query, &site.messages(&token, query).await, missing);
    }
}
