//! Go's `encoding/json` as the Go-backed services (OpenIM, AnqiCMS) apply it: request bodies
//! decoded into described structs with Go's own error texts, and answers encoded with Go's
//! escapes.

mod decode;
mod encode;

pub use decode::{decode, field, GoField, GoStruct, GoType, Read};
pub use encode::go_json;
