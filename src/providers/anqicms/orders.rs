//! The communication-order routes (contract §5): `POST /api/communication/order/create`, `GET
//! /api/communication/orders` (the user's, newest first, `total`), `GET
//! /api/communication/order/detail` (with the owner and the messages), `POST
//! /api/communication/order/update` and `POST /api/communication/order/accept` (a quoted order
//! becomes accepted, with a pay order). Only the user's own orders: another user's is -1
//! `权限不足`, an unknown one -1 `订单不存在`.

use super::call::{Answer, Call};
use super::error::{too_long, AnqiError, Column, NOT_ALLOWED, ORDER_NOT_FOUND};
use super::order_store::{Message, Order, Refused, Window, PENDING};
use super::user_store::UserView;
use crate::core::gojson::{field, GoStruct, GoType::*};
use crate::core::query::Params;
use actix_web::web;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The page size when none is given.
const DEFAULT_PAGE_SIZE: i64 = 10;

static ORDER: GoStruct = GoStruct::new(
    "ApiCommunicationOrderRequest",
    "request.ApiCommunicationOrderRequest",
    &[
        field("id", Uint),
        field("archive_id", Uint),
        field("title", Str),
        field("content", Str),
        field("phone", Str),
        field("event_date", Str),
        field("images", Strings),
        field("order_extra", AnyMap),
    ],
);

static ACCEPT: GoStruct = GoStruct::new(
    "ApiCommunicationAcceptRequest",
    "request.ApiCommunicationAcceptRequest",
    &[
        field("id", Uint),
        field("goods_id", Uint),
        field("goods_sku_id", Uint),
        field("quantity", I64),
        field("remark", Str),
        field("type", Str),
        field("coupon_id", Uint),
    ],
);

#[derive(Deserialize, Default)]
#[serde(default)]
struct OrderRequest {
    id: u64,
    archive_id: u64,
    title: String,
    content: String,
    phone: String,
    event_date: String,
    images: Vec<String>,
    order_extra: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AcceptRequest {
    id: u64,
}

/// The columns of an order a request fills, each within its bound.
fn fits(req: &OrderRequest) -> Result<(), AnqiError> {
    let images = serde_json::to_string(&req.images).unwrap_or_default();
    let extra = (req.order_extra.as_ref()).map_or_else(String::new, Value::to_string);
    too_long([
        (Column::Chars("title", 250), req.title.as_str()),
        (Column::Bytes("content", 65_535), &req.content),
        (Column::Chars("phone", 20), &req.phone),
        (Column::Chars("event_date", 64), &req.event_date),
        (Column::Bytes("images", 65_535), &images),
        (Column::Bytes("order_extra", 65_535), &extra),
    ])
}

/// What a refusal of the order store answers.
pub fn refused(e: Refused) -> AnqiError {
    match e {
        Refused::Unknown => AnqiError::failed(ORDER_NOT_FOUND),
        Refused::NotOwner => AnqiError::failed(NOT_ALLOWED),
        Refused::Full => AnqiError::failed("im-emulator: the site holds max_orders orders"),
    }
}

/// The integer parameter `name` as iris's `URLParamIntDefault` reads it (Go's `Atoi` on the
/// value as sent: `" 2"` is not an integer).
pub fn int_param(params: &Params, name: &str) -> Option<i64> {
    params.raw(name).and_then(|v| v.parse::<i64>().ok())
}

/// The order ID parameter `name`: 0 (no order) when absent or not an integer.
pub fn order_param(params: &Params, name: &str) -> u64 {
    int_param(params, name)
        .and_then(|v| u64::try_from(v).ok())
        .unwrap_or(0)
}

/// The page a list asks for: `current` (default 1) and `page_size` or `pageSize` (default
/// 10); a value that is not an integer takes the default.
pub fn window(params: &Params) -> Window {
    let int = |name| int_param(params, name);
    Window {
        current: int("current").unwrap_or(1),
        size: int("page_size")
            .or_else(|| int("pageSize"))
            .unwrap_or(DEFAULT_PAGE_SIZE),
    }
}

/// `POST /api/communication/order/create`: answers `{code, msg}` only, as documented.
pub async fn create(call: &Call, payload: web::Payload) -> Answer {
    let user = call.login()?;
    let req: OrderRequest = call.bind(payload, &ORDER).await?;
    if req.phone.trim().is_empty() {
        return Err(AnqiError::failed("请填写联系电话"));
    }
    fits(&req)?;
    let now = call.now_s();
    let order = Order {
        id: 0,
        created_time: now,
        updated_time: now,
        order_id: 0,
        user_id: user,
        admin_id: 0,
        archive_id: req.archive_id,
        title: req.title,
        content: req.content,
        phone: req.phone,
        event_date: req.event_date,
        thumb: req.images.first().cloned().unwrap_or_default(),
        images: req.images,
        sketch_images: Vec::new(),
        finished_images: Vec::new(),
        quote_price: String::new(),
        quote_content: String::new(),
        order_extra: req.order_extra,
        order_fields: None,
        status: PENDING,
        messages: Default::default(),
    };
    let tenant = call.keep()?;
    (tenant.orders.insert(order, tenant.settings.max_orders)).map_err(refused)?;
    call.ok(None::<()>, "", None)
}

/// `GET /api/communication/orders`.
pub fn list(call: &Call) -> Answer {
    let user = call.login()?;
    let page = call
        .tenant()
        .orders
        .page_of(user, window(&call.params()), Order::clone);
    call.ok(Some(page.items), "", Some(page.total))
}

/// An order with its owner and its messages.
#[derive(Serialize)]
struct Detail<'a> {
    #[serde(flatten)]
    order: &'a Order,
    user: Option<UserView<'a>>,
    messages: Vec<&'a Message>,
}

/// `GET /api/communication/order/detail?id=`.
///
/// Like the core's order detail, it runs without the login middleware: an anonymous call is
/// told the order is not its own.
pub fn detail(call: &Call) -> Answer {
    let user = call.user.unwrap_or(0);
    let id = order_param(&call.params(), "id");
    let tenant = call.tenant();
    let owner = tenant.users.get(user);
    let shown = tenant.orders.with(id, Some(user), |order| {
        call.ok(
            Some(Detail {
                order,
                user: owner.as_ref().map(|u| u.view("")),
                messages: order.messages.iter().collect(),
            }),
            "",
            None,
        )
    });
    shown.map_err(refused)?
}

/// `POST /api/communication/order/update`: `title`, `content`, `phone`, `images` and
/// `order_extra`, those given.
pub async fn update(call: &Call, payload: web::Payload) -> Answer {
    let user = call.login()?;
    let req: OrderRequest = call.bind(payload, &ORDER).await?;
    fits(&req)?;
    let tenant = call.keep()?;
    let now = call.now_s();
    let changed = tenant.orders.update(req.id, Some(user), |order| {
        let set = |field: &mut String, value: String| {
            if !value.is_empty() {
                *field = value;
            }
        };
        set(&mut order.title, req.title);
        set(&mut order.content, req.content);
        set(&mut order.phone, req.phone);
        set(&mut order.event_date, req.event_date);
        if !req.images.is_empty() {
            order.thumb = req.images[0].clone();
            order.images = req.images;
        }
        if req.order_extra.is_some() {
            order.order_extra = req.order_extra;
        }
        order.updated_time = now;
    });
    changed.map_err(refused)?;
    call.ok(None::<()>, "", None)
}

/// `POST /api/communication/order/accept`: the user accepts the quote of a quoted order,
/// which gets a pay order (pending payment) and status 3.
pub async fn accept(call: &Call, payload: web::Payload) -> Answer {
    let user = call.login()?;
    let req: AcceptRequest = call.bind(payload, &ACCEPT).await?;
    let tenant = call.keep()?;
    let accepted = tenant
        .orders
        .accept(req.id, user, call.now_s())
        .map_err(refused)?;
    let order = accepted.ok_or_else(|| AnqiError::failed("该订单尚未报价或已处理"))?;
    call.ok(Some(order), "", None)
}
