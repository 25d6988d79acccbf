//! The client device a message was sent from: its client type (Yunxin's names and the numbers
//! the history shows as `sender_client_type`), device ID and IP. A message sent through the
//! server API has none: its type is `REST` (32).

use serde::{Deserialize, Serialize};

/// The client types a device may have, by name and number (`REST` is the server API's).
const CLIENT_TYPES: [(&str, i64); 6] = [
    ("AOS", 1),
    ("IOS", 2),
    ("PC", 4),
    ("WINPHONE", 8),
    ("WEB", 16),
    ("MAC", 64),
];

/// The name of the server API's client type, and its number.
pub const REST: (&str, i64) = ("REST", 32);

/// The device a client-sent message came from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Device {
    pub client_type: i64,
    pub device_id: String,
    pub ip: String,
}

/// The number of the client type `name` (`AOS`, `IOS`, ...; any case).
pub fn client_type(name: &str) -> Option<i64> {
    (CLIENT_TYPES.iter())
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|&(_, number)| number)
}

/// The name of the client type `number`.
pub fn client_type_name(number: i64) -> &'static str {
    (CLIENT_TYPES.iter().chain([&REST]))
        .find(|&&(_, n)| n == number)
        .map_or(REST.0, |&(name, _)| name)
}
