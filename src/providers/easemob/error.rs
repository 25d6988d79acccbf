//! Easemob's error envelope and catalogue (contract §2): every failure on an Easemob route is
//! answered as `{"error","exception","timestamp","duration","error_code"?,"error_description"}`
//! with the real service's status, `error` string and description.

use crate::providers::tag;
use actix_web::{http::StatusCode, HttpResponse};
use serde::Serialize;
use std::borrow::Cow;

const SECURITY: &str = "org.apache.usergrid.rest.exceptions.SecurityException";
const ILLEGAL_ARGUMENT: &str = "java.lang.IllegalArgumentException";
const SEND: &str = "MessageSendException";
const RECALL: &str = "MessageRecallException";
const NOT_FOUND: &str = "org.apache.usergrid.services.exceptions.ServiceResourceNotFoundException";

/// One error answer: status, `error`, `exception`, optional `error_code`, description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EasemobError {
    pub status: StatusCode,
    pub error: &'static str,
    pub exception: &'static str,
    pub code: Option<u32>,
    pub description: Cow<'static, str>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    exception: &'a str,
    timestamp: i64,
    duration: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_code: Option<u32>,
    error_description: &'a str,
}

impl EasemobError {
    fn new(
        status: StatusCode,
        error: &'static str,
        exception: &'static str,
        description: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            status,
            error,
            exception,
            code: None,
            description: description.into(),
        }
    }

    /// Adds the message service's numeric `error_code`.
    pub fn with_code(mut self, code: u32) -> Self {
        self.code = Some(code);
        self
    }

    /// The HTTP answer, stamped with the clock's time and the call's duration.
    pub fn respond(&self, timestamp: i64, duration: u64) -> HttpResponse {
        let mut response = HttpResponse::build(self.status).json(Body {
            error: self.error,
            exception: self.exception,
            timestamp,
            duration,
            error_code: self.code,
            error_description: &self.description,
        });
        tag(
            &mut response,
            self.code.map(i64::from),
            self.error,
            &self.description,
        );
        response
    }

    /// 400 `invalid_request_body`: unparsable JSON or a field of the wrong type on `/messages/*`.
    pub fn invalid_request_body() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_body",
            "InvalidRequestBodyException",
            "Request body is invalid. Please check body is correct.",
        )
    }

    /// 400 `json_parse`: malformed JSON on the Usergrid endpoints (`/token`, `/users`), with
    /// a Jackson-style description.
    pub fn json_parse(description: String) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "json_parse",
            "com.fasterxml.jackson.core.JsonParseException",
            description,
        )
    }

    /// 400 `message_send_error`: a send request the message service refuses.
    pub fn send(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "message_send_error",
            SEND,
            description,
        )
    }

    /// 403 `message_send_error` `message send reach limit`: recipient-messages over the window.
    pub fn send_reach_limit() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "message_send_error",
            SEND,
            "message send reach limit",
        )
    }

    /// 400 `illegal_argument`: generic validation of Usergrid endpoints and of legacy `/messages`.
    pub fn illegal_argument(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "illegal_argument",
            ILLEGAL_ARGUMENT,
            description,
        )
    }

    /// 400 `invalid_grant`: wrong credentials on `/token`.
    pub fn invalid_grant(description: &'static str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "org.apache.usergrid.management.exceptions.InvalidGrantException",
            description,
        )
    }

    /// 404 `invalid_grant` `user not found`: password or inherit grant for an unknown user.
    pub fn grant_user_not_found() -> Self {
        let mut e = Self::invalid_grant("user not found");
        e.status = StatusCode::NOT_FOUND;
        e
    }

    /// 400 `unsupported_grant_type`: a `grant_type` the token endpoint does not know.
    pub fn unsupported_grant_type() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "org.apache.amber.oauth2.common.exception.OAuthProblemException",
            "unsupported grant type",
        )
    }

    /// 400 `duplicate_unique_property_exists`: registering a username that exists.
    pub fn duplicate_user(application: &str, username: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "duplicate_unique_property_exists",
            "org.apache.usergrid.persistence.exceptions.DuplicateUniquePropertyExistsException",
            format!(
                "Application {application} Entity user requires that property named username be unique, value of {username} exists"
            ),
        )
    }

    /// 401 `unauthorized`: no token, or an expired one.
    pub fn expired_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            SECURITY,
            "Unable to authenticate due to expired access token",
        )
    }

    /// 401 `auth_bad_access_token`: a token that does not decode, or a user token where an
    /// app token is needed.
    pub fn corrupt_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "auth_bad_access_token",
            SECURITY,
            "Unable to authenticate due to corrupt access token",
        )
    }

    /// 401 `auth_bad_access_token`: a well-formed token this server never issued for this app.
    pub fn unknown_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "auth_bad_access_token",
            SECURITY,
            "Unable to authenticate",
        )
    }

    /// 401 `unauthorized`: registering users without a token while registration is not open.
    pub fn registration_closed() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            SECURITY,
            "Open registration doesn't allow, so register user need token,",
        )
    }

    /// 404 `organization_application_not_found`: an org/app the server does not host.
    pub fn app_not_found(org: &str, app: &str, rest: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "organization_application_not_found",
            "org.apache.usergrid.rest.exceptions.OrganizationApplicationNotFoundException",
            format!("Could not find application for {org}/{app} from URI: {org}/{app}{rest}"),
        )
    }

    /// 404 `service_resource_not_found`: an unknown user, or a path no service answers.
    pub fn resource_not_found(exception: &'static str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "service_resource_not_found",
            exception,
            "Service resource not found",
        )
    }

    /// 404 for an unknown user in a path.
    pub fn user_not_found() -> Self {
        Self::resource_not_found("UserNotFoundException")
    }

    /// 404 `entity_not_found`: a password change for a user the app does not have.
    pub fn password_user_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "entity_not_found",
            "org.apache.usergrid.persistence.exceptions.EntityNotFoundException",
            "User null not found",
        )
    }

    /// 404 for a path under an app that no service answers.
    pub fn no_such_path() -> Self {
        Self::resource_not_found(NOT_FOUND)
    }

    /// 405 for a known path called with a method it does not take.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "web_application",
            "javax.ws.rs.NotAllowedException",
            "HTTP 405 Method Not Allowed",
        )
    }

    /// 404 `entity_not_found` `file may not exists`: an unknown chatfile.
    pub fn file_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "entity_not_found",
            "org.apache.usergrid.persistence.exceptions.EntityNotFoundException",
            "file may not exists",
        )
    }

    /// 404 `file_expired`: a chatfile past its retention.
    pub fn file_expired(uuid: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "file_expired",
            "FileExpiredException",
            format!("file {uuid} is expired"),
        )
    }

    /// 413 from the gateway: a request body over the cap.
    pub fn entity_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Request Entity Too Large",
            "RequestEntityTooLargeException",
            "Request Entity Too Large",
        )
    }

    /// 408 from the gateway: the client did not send the whole request within the request
    /// timeout (named by its reason phrase, as the gateway's 413 is).
    pub fn request_timeout() -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            "Request Timeout",
            "RequestTimeoutException",
            "Request Timeout",
        )
    }

    /// 429 `resource_limited`: the app holds as many users as its plan allows.
    pub fn resource_limited() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "resource_limited",
            "ResourceLimitedException",
            "You have exceeded the limit of the community edition,Please upgrade to the enterprise edition",
        )
    }

    /// 413 `file exceeding maximum limit`: a chatfile over the size cap.
    pub fn file_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "file exceeding maximum limit",
            "FileSizeLimitExceededException",
            "the file size exceeds the maximum limit.",
        )
    }

    /// 429 `reach_limit`: calls per second over the API's limit.
    pub fn reach_limit() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "reach_limit",
            "ReachLimitException",
            "This request has reached api limit",
        )
    }

    /// 400 `message_recall_error`: a recall request missing a parameter.
    pub fn recall_param(description: &'static str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "message_recall_error",
            RECALL,
            description,
        )
    }

    /// 403 `message_recall_error`: the message is past the recall window, or not found.
    pub fn recall_refused(description: &'static str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "message_recall_error",
            RECALL,
            description,
        )
    }
}

// Offline messages, the history export and message rewrite (`message_historical.md`,
// `message_modify_text_custom.md`, `error.md`).
const REWRITE: &str = "message_rewrite_error";

impl EasemobError {
    /// 400 `illegal_argument` `This chatmessage request is not supported`: a history `{time}`
    /// that is not `yyyyMMddHH` (`error.md`).
    pub fn history_bad_time() -> Self {
        Self::illegal_argument("This chatmessage request is not supported")
    }

    /// 400 `illegal_argument`: a history hour older than the retention (3 days) or not yet
    /// begun (`error.md`, `message_historical.md`).
    pub fn history_expired(org: &str, app: &str, time: &str) -> Self {
        Self::illegal_argument(format!(
            "illegal arguments: appkey: {org}#{app}, time: {time}, maybe chat message history is expired or unstored"
        ))
    }

    /// 404 `storage_object_not_found`: no message in the history hour (`error.md`).
    pub fn history_not_found(org: &str, app: &str, time: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "storage_object_not_found",
            "StorageObjectNotFoundException",
            format!(
                "Failed to find chat message history download url for appkey: {org}#{app}, time: {time}"
            ),
        )
    }

    /// 400 `illegal_argument` `new_msg is required`: a rewrite without `new_msg`.
    pub fn rewrite_new_msg_required() -> Self {
        Self::illegal_argument("new_msg is required")
    }

    /// 400 `message_rewrite_error`: a rewrite to, or of, a type other than `txt` and `custom`.
    pub fn rewrite_unsupported_type() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            REWRITE,
            "MessageRewriteException",
            "The message is of a type that is currently not supported for modification.",
        )
    }

    /// 400 `message_rewrite_error` (`InvalidMessageIdException`): a `{msg_id}` not a number.
    pub fn rewrite_bad_id() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            REWRITE,
            "InvalidMessageIdException",
            "The provided message ID is not a valid number.",
        )
    }

    /// 404 `message_rewrite_error` (`MessageUnavailableException`): no such message, or one
    /// recalled.
    pub fn rewrite_unavailable() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            REWRITE,
            "MessageUnavailableException",
            "The message is unavailable or has expired.",
        )
    }

    /// 401 `message_rewrite_error`: `user` is not the sender of the message.
    pub fn rewrite_not_yours() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            REWRITE,
            "MessageRewriteException",
            "You are not authorized to edit this message.",
        )
    }

    /// 403 `message_rewrite_error`: the message was modified as many times as it may be (10).
    pub fn rewrite_limit() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            REWRITE,
            "MessageRewriteException",
            "The message has reached its edit limit and cannot be modified further.",
        )
    }
}

// Users' status, bans, global mutes, attributes, contacts and block lists
// (`account_system.md`, `userprofile.md`, `user_relationship.md`).
impl EasemobError {
    /// 400 `required_property_not_found`: a global-mute call for a user that does not exist.
    pub fn mute_user_not_found() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "required_property_not_found",
            "org.apache.usergrid.persistence.exceptions.RequiredPropertyNotFoundException",
            "Entity user requires a property named username",
        )
    }

    /// 403 `exceed_limit` `user contact number exceed limit`: either user has as many
    /// contacts as the plan allows.
    pub fn contacts_full() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "exceed_limit",
            "ExceedLimitException",
            "user contact number exceed limit",
        )
    }

    /// 403 `exceed_limit`: the block list would pass its limit (the text is not documented;
    /// it follows the contacts one).
    pub fn blocks_full() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "exceed_limit",
            "ExceedLimitException",
            "user block number exceed limit",
        )
    }

    /// 403 `message_send_error`: the sender is under a global mute for this kind of chat (the
    /// docs say the send fails but give no text).
    pub fn sender_muted(from: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "message_send_error",
            SEND,
            format!("user {from} has been muted"),
        )
    }

    /// 400 `BAD_REQUEST` of the user-attribute service.
    pub fn metadata_bad_request(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "MetadataException",
            description,
        )
    }

    /// 403 `FORBIDDEN` of the user-attribute service: a size limit.
    pub fn metadata_forbidden(description: String) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "MetadataException",
            description,
        )
    }

    /// 401 `metadata_error` `auth error`: a user token for another user's attributes.
    pub fn metadata_auth() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "metadata_error",
            "MetadataException",
            "auth error",
        )
    }

    /// 401 `unauthorized` `unauthorized`: a user token on the app-wide attribute capacity.
    pub fn capacity_unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            SECURITY,
            "unauthorized",
        )
    }
}

// Contact import (`user_relationship.md` 导入好友列表).
impl EasemobError {
    /// 403 `exceed_limit` `Inviter's contact max count.`: the importing user is at the
    /// contact limit.
    pub fn import_full() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "exceed_limit",
            "ExceedLimitException",
            "Inviter's contact max count.",
        )
    }
}

// ------------------------------------------------------------------------------------------
// Groups and chat rooms (`group_manage.md`, `group_member.md`, `chatroom_manage.md`,
// `chatroom_member.md`: the error table under each route)

const GROUP_NOT_FOUND: &str = "EasemobResourceNotFoundException";
const FORBIDDEN_OP: &str = "EasemobForbiddenOpException";

impl EasemobError {
    /// 400 `invalid_parameter`: a missing or malformed field of a group or room call, e.g.
    /// `owner must be provided`, `some of [groupid] are not valid fields`.
    pub fn invalid_parameter(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            "EasemobInvalidParameterException",
            description,
        )
    }

    /// 404 `resource_not_found` `grpID {id} does not exist!`: an unknown group or room.
    pub fn group_not_found(id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            GROUP_NOT_FOUND,
            format!("grpID {id} does not exist!"),
        )
    }

    /// 404 `service_resource_not_found` `do not find this group:{id}`: an unknown group or room
    /// on the member list and the room details.
    pub fn group_not_found_service(id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "service_resource_not_found",
            GROUP_NOT_FOUND,
            format!("do not find this group:{id}"),
        )
    }

    /// 404 `resource_not_found` `username {u} doesn't exist!`: an unknown user to add.
    pub fn chat_user_not_found(user: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            GROUP_NOT_FOUND,
            format!("username {user} doesn't exist!"),
        )
    }

    /// 403 (groups) or 400 (rooms) `forbidden_op`: a call against the group's logic, e.g.
    /// `forbidden operation on group owner!`.
    pub fn forbidden_op(status: StatusCode, description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(status, "forbidden_op", FORBIDDEN_OP, description)
    }

    /// 404 `resource_not_found` `user: {u} doesn't exist in group: {id}`: a new admin who is
    /// not a member.
    pub fn not_in_group(user: &str, id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            GROUP_NOT_FOUND,
            format!("user: {user} doesn't exist in group: {id}"),
        )
    }

    /// 403 `exceed_limit`: too many groups, rooms, members or joined groups.
    pub fn exceed_limit(description: impl Into<Cow<'static, str>>) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "exceed_limit",
            "EasemobExceedLimitException",
            description,
        )
    }
}
