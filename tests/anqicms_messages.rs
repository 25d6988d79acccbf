//! Black-box tests of AnqiCMS's order messages (contract §6, §7, §4): `POST
//! /api/communication/message/send` (the seed's request and its `{"code":0,"msg":"消息发送成功"}`,
//! `sender_type` `user`, the required fields, the ten message types, empty and over-long
//! content, bodies read as Go reads them, wrong types with Go's texts), `GET
//! /api/communication/messages` (oldest first, items with exactly the documented keys plus
//! `created_time` in struct order, `total`, ten by default, the pagination edges, no maximum),
//! the merchant's replies (`/_emulator/anqicms/orders/{id}/messages`, `admin` and `system`,
//! `?tenant=`), the normalized journal, and query strings read as iris reads them.
mod common;
use common::anqicms::*;
use common::*;

use serde_json::{json, Value};

/// The send request of the seed (`sender_id` 1000, `sender_name` testuser) for `order`.
fn seed_request(order: u64, kind: &str, content: &str) -> Value {
    json!({"comm_order_id": order, "sender_id": 1000, "sender_name": "testuser",
        "message_type": kind, "content": content})
}

/// A server, alice's token and an order of hers.
async fn alice_with_order(app: &TestApp) -> (String, u64) {
    let site = Site::new(app);
    let token = site.alice().await;
    let id = site.create_order(&token, "t").await;
    (token, id)
}

/// Sends `m0`, `m1`... into the order.
async fn say_n(site: &Site<'_>, token: &str, order: u64, n: usize) {
    for i in 0..n {
        site.say(token, order, &format!("m{i}")).await;
    }
}

/// `m{from}`..`m{to - 1}`.
fn m(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("m{i}")).collect()
}

// ------------------------------------------------------------------------------------------
// Send

#[tokio::test]
async fn the_seed_send_answers_its_reply_and_stores_a_user_message() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    let content = "您好,我想了解这个定制方案的详细信息";
    let reply = site.send(&token, &seed_request(id, "text", content)).await;
    assert_eq!(reply.text(), "{\"code\":0,\"msg\":\"消息发送成功\"}\n");
    assert_bare_ok("send", &reply, "消息发送成功");
    let (items, total) = site.message_page(&token, id, "").await;
    assert_eq!((items.len(), total), (1, 1));
    let expected = json!({"id": 1, "created_time": T0_S, "comm_order_id": id, "sender_id": ALICE_ID,
        "sender_type": "user", "sender_name": "testuser", "message_type": "text", "content": content});
    assert_eq!(items[0], expected);
}

#[tokio::test]
async fn message_items_have_exactly_the_documented_keys_in_struct_order() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    site.say(&token, id, "hi").await;
    merchant_says(
        &app,
        id,
        "admin",
        "image",
        "https://en.anqicms.com/uploads/q.jpg",
    )
    .await;
    let reply = site.messages(&token, &format!("comm_order_id={id}")).await;
    assert_eq!(key_order(reply.text()), ["code", "data", "msg", "total"]);
    let items = raw_items(&raw_data(reply.text()));
    assert_eq!(items.len(), 2);
    for item in items {
        assert_eq!(key_order(&item), owned(&MESSAGE_KEYS), "{item}");
    }
}

#[tokio::test]
async fn sender_name_is_optional() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    let body = json!({"comm_order_id": id, "sender_id": ALICE_ID, "message_type": "text", "content": "hi"});
    assert_bare_ok(
        "no sender_name",
        &site.send(&token, &body).await,
        "消息发送成功",
    );
    let item = &site.message_page(&token, id, "").await.0[0];
    assert_eq!(
        (&item["sender_name"], &item["sender_type"]),
        (&json!(ALICE), &json!("user"))
    );
}

#[tokio::test]
async fn the_ten_documented_types_are_accepted_and_no_other() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    for kind in MESSAGE_TYPES {
        let reply = site.send(&token, &seed_request(id, kind, "x")).await;
        assert_bare_ok(kind, &reply, "消息发送成功");
    }
    for kind in [
        "ttext", "TEXT", "Text", " text", "", "emoji", "custom", "notice",
    ] {
        let reply = site.send(&token, &seed_request(id, kind, "x")).await;
        assert_failed(kind, &reply, "消息类型不正确");
    }
    let (items, total) = site.message_page(&token, id, "&page_size=-1").await;
    assert_eq!(
        (field_of(&items, "message_type"), total),
        (owned(&MESSAGE_TYPES), 10)
    );
}

#[tokio::test]
async fn the_required_fields_are_checked() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    let full = seed_request(id, "text", "hi");
    let without = |key: &str| {
        let mut body = full.clone();
        body.as_object_mut().unwrap().remove(key);
        body
    };
    let rows = [
        (without("comm_order_id"), "订单不存在"),
        (
            json!({"comm_order_id": 0, "sender_id": 1, "message_type": "text", "content": "hi"}),
            "订单不存在",
        ),
        (without("sender_id"), "发送者不能为空"),
        (without("message_type"), "消息类型不正确"),
        (without("content"), "消息内容不能为空"),
        (seed_request(id, "text", ""), "消息内容不能为空"),
    ];
    for (body, msg) in rows {
        assert_failed(&body.to_string(), &site.send(&token, &body).await, msg);
    }
    assert_eq!(
        site.message_page(&token, id, "").await,
        (vec![], 0),
        "nothing stored"
    );
}

#[tokio::test]
async fn content_is_held_to_65535_bytes() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    let too_long = "Error 1406 (22001): Data too long for column 'content' at row 1";
    let rows = [
        ("a".repeat(65_535), None),
        ("好".repeat(21_845), None),
        ("a".repeat(65_536), Some(too_long)),
        ("好".repeat(21_846), Some(too_long)),
    ];
    for (content, refused) in &rows {
        let reply = site.send(&token, &seed_request(id, "text", content)).await;
        match refused {
            None => assert_bare_ok(&content.len().to_string(), &reply, "消息发送成功"),
            Some(msg) => assert_failed(&content.len().to_string(), &reply, msg),
        }
    }
    let stored = site.contents(&token, id).await;
    assert_eq!(stored, [rows[0].0.clone(), rows[1].0.clone()]);
}

// ------------------------------------------------------------------------------------------
// Bodies

#[tokio::test]
async fn bad_bodies_are_refused_with_go_decoder_texts() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    let field = |f: &str| {
        format!("json: cannot unmarshal {f} into Go struct field ApiCommunicationMessageRequest.")
    };
    let rows = [
        ("".to_owned(), "EOF".to_owned()),
        (
            "{x".into(),
            "invalid character 'x' looking for beginning of object key string".into(),
        ),
        (
            "x".into(),
            "invalid character 'x' looking for beginning of value".into(),
        ),
        ("{\"comm_order_id\":1,".into(), "unexpected EOF".into()),
        (
            r#"{"comm_order_id":"5"}"#.into(),
            field("string") + "comm_order_id of type uint",
        ),
        (
            r#"{"comm_order_id":-1}"#.into(),
            field("number -1") + "comm_order_id of type uint",
        ),
        (
            r#"{"comm_order_id":1.5}"#.into(),
            field("number 1.5") + "comm_order_id of type uint",
        ),
        (
            format!(r#"{{"comm_order_id":{id},"content":5}}"#),
            field("number") + "content of type string",
        ),
    ];
    for (body, msg) in rows {
        let reply = site
            .post_bytes(
                "/communication/message/send",
                Some(&token),
                body.clone().into_bytes(),
            )
            .await;
        assert_failed(&body, &reply, &msg);
    }
    assert_eq!(
        site.message_page(&token, id, "").await.1,
        0,
        "nothing stored"
    );
}

#[tokio::test]
async fn bodies_are_read_as_go_reads_them() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    let folded = format!(
        r#"{{"Comm_Order_ID":{id},"SENDER_ID":1,"Message_Type":"text","CONTENT":"folded","extra":[1]}}"#
    );
    let trailing = format!(
        r#"{{"comm_order_id":{id},"sender_id":1,"message_type":"text","content":"first"}} trailing"#
    );
    let plain = seed_request(id, "text", "plain").to_string();
    for (body, content_type) in [
        (folded, "application/json"),
        (trailing, "application/json"),
        (plain, "text/plain"),
    ] {
        let req = site.request(
            reqwest::Method::POST,
            "/communication/message/send",
            Some(&token),
        );
        let reply = read(
            req.header("Content-Type", content_type)
                .body(body.clone())
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_bare_ok(&body, &reply, "消息发送成功");
    }
    assert_eq!(
        site.contents(&token, id).await,
        ["folded", "first", "plain"]
    );
}

// ------------------------------------------------------------------------------------------
// The list

#[tokio::test]
async fn the_list_is_oldest_first_with_total() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    say_n(&site, &token, id, 5).await;
    let (items, total) = site.message_page(&token, id, "").await;
    assert_eq!((contents(&items), total), (m(0..5), 5));
    let ids: Vec<u64> = items.iter().map(|i| i["id"].as_u64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
}

#[tokio::test]
async fn the_list_pages_ten_by_default() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    say_n(&site, &token, id, 12).await;
    let (items, total) = site.message_page(&token, id, "").await;
    assert_eq!((contents(&items), total), (m(0..10), 12));
    let (items, total) = site.message_page(&token, id, "&current=2").await;
    assert_eq!((contents(&items), total), (m(10..12), 12));
}

#[tokio::test]
async fn the_list_follows_anqicms_pagination_edges() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    say_n(&site, &token, id, 5).await;
    let rows = [
        ("&page_size=2", 0..2),
        ("&current=2&page_size=2", 2..4),
        ("&current=3&page_size=2", 4..5),
        ("&current=4&page_size=2", 0..0),
        ("&current=2&pageSize=2", 2..4),
        ("&current=0&page_size=2", 0..2),
        ("&current=-1&page_size=2", 0..2),
        ("&current=two&page_size=2", 0..2),
        ("&current=2.0&page_size=2", 0..2),
        ("&page_size=x", 0..5),
        ("&page_size=1e1", 0..5),
        ("&page_size=0", 0..0),
        ("&current=3&page_size=0", 0..0),
        ("&page_size=-1", 0..5),
        ("&current=9&page_size=-5", 0..5),
        ("&page_size=99999999999999999999", 0..5),
        ("&current=99999999999999999999&page_size=2", 0..2),
    ];
    for (extra, expected) in rows {
        let (items, total) = site.message_page(&token, id, extra).await;
        assert_eq!((contents(&items), total), (m(expected), 5), "{extra}");
    }
}

#[tokio::test]
async fn there_is_no_maximum_page_size() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    say_n(&site, &token, id, 120).await;
    for extra in ["&page_size=500", "&pageSize=120", "&page_size=120"] {
        let (items, total) = site.message_page(&token, id, extra).await;
        assert_eq!((contents(&items), total), (m(0..120), 120), "{extra}");
    }
}

#[tokio::test]
async fn created_time_follows_the_clock() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    site.say(&token, id, "a").await;
    app.advance_clock(90_000).await;
    site.say(&token, id, "b").await;
    app.advance_clock(DAY_MS).await;
    merchant_says(&app, id, "admin", "text", "c").await;
    let items = site.message_page(&token, id, "").await.0;
    let times: Vec<i64> = items
        .iter()
        .map(|i| i["created_time"].as_i64().unwrap())
        .collect();
    assert_eq!(times, [T0_S, T0_S + 90, T0_S + 90 + DAY_S]);
}

// ------------------------------------------------------------------------------------------
// The merchant

#[tokio::test]
async fn merchant_replies_show_in_the_users_list() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    site.say(&token, id, "hi").await;
    let body = json!({"sender_type": "admin", "sender_name": "客服小王", "message_type": "image",
        "content": "https://en.anqicms.com/uploads/quote_image.jpg"});
    let resp = merchant(&app, id, "messages", "", &body).await;
    assert_eq!(resp.status().as_u16(), 200);
    let stored: Value = resp.json().await.unwrap();
    assert_eq!(
        (&stored["comm_order_id"], &stored["sender_type"]),
        (&json!(id), &json!("admin"))
    );
    merchant_says(&app, id, "system", "quote", "报价 9900 元").await;
    let (items, total) = site.message_page(&token, id, "").await;
    assert_eq!(total, 3);
    assert_eq!(field_of(&items, "sender_type"), ["user", "admin", "system"]);
    assert_eq!(
        field_of(&items, "sender_name"),
        ["me", "客服小王", "system"]
    );
    assert_eq!(field_of(&items, "message_type"), ["text", "image", "quote"]);
    assert_eq!(items[1], stored, "the list shows what the merchant stored");
}

#[tokio::test]
async fn the_merchant_is_refused_unknown_orders_and_bad_messages() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    let good = json!({"sender_type": "admin", "message_type": "text", "content": "hi"});
    let with = |key: &str, value: Value| {
        let mut body = good.clone();
        body[key] = value;
        body
    };
    let rows = [
        (99, "", good.clone(), 404),
        (id, "tenant=nosuch", good.clone(), 404),
        (id, "", with("sender_type", json!("user")), 400),
        (id, "", with("message_type", json!("ttext")), 400),
        (id, "", with("content", json!("")), 400),
        (
            id,
            "",
            json!({"sender_type": "admin", "content": "hi"}),
            400,
        ),
        (id, "", with("bogus", json!(1)), 400),
    ];
    for (order, query, body, status) in rows {
        let resp = merchant(&app, order, "messages", query, &body).await;
        assert_eq!(resp.status().as_u16(), status, "{order} {query} {body}");
        let problem: Value = resp.json().await.unwrap();
        assert!(
            problem["error"].is_string() && problem["message"].is_string(),
            "{problem}"
        );
    }
    assert_eq!(
        site.message_page(&token, id, "").await.1,
        0,
        "nothing stored"
    );
}

#[tokio::test]
async fn the_merchant_posts_into_another_site_with_tenant() {
    let app = spawn_anqi().await;
    let shop = Site::tenant(&app, "shop");
    shop.register_ok("carol", "secret1", "carol@example.com")
        .await;
    let token = shop.token("carol", "secret1").await;
    let id = shop.create_order(&token, "shop order").await;
    let body = json!({"sender_type": "admin", "message_type": "text", "content": "from the shop"});
    let resp = merchant(&app, id, "messages", "tenant=shop", &body).await;
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(shop.contents(&token, id).await, ["from the shop"]);
    let elsewhere = merchant(&app, id, "messages", "", &body).await;
    assert_eq!(
        elsewhere.status().as_u16(),
        404,
        "site default has no such order"
    );
}

// ------------------------------------------------------------------------------------------
// The journal

/// The journal entry of a message.
fn entry(
    tenant: &str,
    id: u64,
    order: u64,
    from: &str,
    to: &str,
    kind: &str,
    content: &str,
) -> Value {
    json!({"provider": "anqicms", "tenant": tenant, "id": id, "conversation": order.to_string(),
        "chat_type": "order", "from": from, "to": to, "type": kind, "content": content,
        "received_at_ms": T0, "recalled": false, "modified": false})
}

/// The journal's records without their journal-wide `seq`, to compare with [`entry`]s.
fn unnumbered(records: &Value) -> Value {
    let mut records = records.clone();
    for record in records.as_array_mut().expect("records") {
        record.as_object_mut().expect("a record").remove("seq");
    }
    records
}

#[tokio::test]
async fn every_message_lands_in_the_journal() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    site.say(&token, id, "hi").await;
    let refused = site.send(&token, &seed_request(id, "bogus", "no")).await;
    assert_failed("refused", &refused, "消息类型不正确");
    merchant_says(&app, id, "admin", "text", "hello").await;
    merchant_says(&app, id, "system", "quote", "quoted").await;
    let listing = app.journal("provider=anqicms").await;
    let alice = ALICE_ID.to_string();
    let expected = json!([
        entry("default", 1, id, &alice, "admin", "text", "hi"),
        entry("default", 2, id, "1", &alice, "text", "hello"),
        entry("default", 3, id, "0", &alice, "quote", "quoted"),
    ]);
    assert_eq!(
        (&unnumbered(&listing["messages"]), &listing["total"]),
        (&expected, &json!(3))
    );
    let filtered = app
        .journal(&format!(
            "provider=anqicms&chat_type=order&conversation={id}"
        ))
        .await;
    assert_eq!(filtered["total"], 3);
}

#[tokio::test]
async fn the_journal_names_the_site() {
    let app = spawn_anqi().await;
    let shop = Site::tenant(&app, "shop");
    let token = shop.alice().await;
    let id = shop.create_order(&token, "t").await;
    shop.say(&token, id, "from shop").await;
    let listing = app.journal("provider=anqicms&tenant=shop").await;
    let expected = json!([entry("shop", 1, id, "1", "admin", "text", "from shop")]);
    assert_eq!(unnumbered(&listing["messages"]), expected);
    assert_eq!(
        app.journal("provider=anqicms&tenant=default").await["total"],
        0
    );
}

// ------------------------------------------------------------------------------------------
// Query strings as iris reads them

/// The contents of a raw `GET /api/communication/messages?{query}` (the query sent byte for
/// byte), or the failure's body.
async fn raw_contents(app: &TestApp, token: &str, query: &str) -> Result<Vec<String>, String> {
    let target = format!("/api/communication/messages?{query}");
    let reply = raw(app, "GET", &target, &[("Token", token)], "").await;
    assert_eq!(reply.status, 200, "{query}: {}", reply.body);
    let body: Value = serde_json::from_str(&reply.body).expect("a JSON body");
    match body["data"].as_array() {
        Some(items) => Ok(contents(items)),
        None => Err(reply.body),
    }
}

#[tokio::test]
async fn padded_numbers_are_not_integers() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    say_n(&site, &token, id, 12).await;
    let rows = [
        ("&current=%202&page_size=2", m(0..2)),
        ("&page_size=%202", m(0..10)),
        ("&current=2%20&page_size=5", m(0..5)),
    ];
    for (extra, expected) in rows {
        let query = format!("comm_order_id={id}{extra}");
        assert_eq!(
            raw_contents(&app, &token, &query).await,
            Ok(expected),
            "{extra}"
        );
    }
}

#[tokio::test]
async fn a_bad_escape_drops_only_its_own_pair() {
    let app = spawn_anqi().await;
    let site = Site::new(&app);
    let (token, id) = alice_with_order(&app).await;
    say_n(&site, &token, id, 3).await;
    let query = format!("comm_order_id={id}&x=%zz&page_size=2");
    assert_eq!(raw_contents(&app, &token, &query).await, Ok(m(0..2)));
    let english = raw(
        &app,
        "GET",
        "/api/communication/orders?lang=en&x=%zz",
        &[],
        "",
    )
    .await;
    let expected = format!("{{\"code\":1001,\"msg\":\"{NO_LOGIN_EN}\"}}\n");
    assert_eq!(english.body, expected);
}
