//! `/group/*` (contract §7): what group chats need: creating a group, inviting members and
//! reading groups' info, with the request checks and the RPC's checks in the real order.

use super::error::OpenImError;
use super::group_store::{Group, GroupInfo, ADMIN, ORDINARY, OWNER};
use super::op::Op;
use crate::core::gojson::{field, GoStruct, GoType::*};
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The only group type the release creates (`constant.WorkingGroup`).
const WORKING_GROUP: i32 = 2;
/// A dismissed group's status (`constant.GroupStatusDismissed`).
pub const DISMISSED: i32 = 2;
/// The most IDs one request may name (`constant.ParamMaxLength`).
const MAX_IDS: usize = 1000;

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct GroupInfoReq {
    #[serde(rename = "groupID")]
    group_id: String,
    group_name: String,
    notification: String,
    introduction: String,
    #[serde(rename = "faceURL")]
    face_url: String,
    ex: String,
    status: i32,
    #[serde(rename = "creatorUserID")]
    creator_user_id: String,
    group_type: i32,
    need_verification: i32,
    look_member_info: i32,
    apply_member_friend: i32,
    notification_update_time: i64,
    #[serde(rename = "notificationUserID")]
    notification_user_id: String,
}

static GROUP_INFO: GoStruct = GoStruct::new(
    "GroupInfo",
    "sdkws.GroupInfo",
    &[
        field("groupID", Str),
        field("groupName", Str),
        field("notification", Str),
        field("introduction", Str),
        field("faceURL", Str),
        field("ownerUserID", Str),
        field("createTime", I64),
        field("memberCount", I64),
        field("ex", Str),
        field("status", I32),
        field("creatorUserID", Str),
        field("groupType", I32),
        field("needVerification", I32),
        field("lookMemberInfo", I32),
        field("applyMemberFriend", I32),
        field("notificationUpdateTime", I64),
        field("notificationUserID", Str),
    ],
);

#[derive(Deserialize, Default)]
#[serde(default)]
struct CreateGroupReq {
    #[serde(rename = "memberUserIDs")]
    member_user_ids: Vec<String>,
    #[serde(rename = "groupInfo")]
    group_info: Option<GroupInfoReq>,
    #[serde(rename = "adminUserIDs")]
    admin_user_ids: Vec<String>,
    #[serde(rename = "ownerUserID")]
    owner_user_id: String,
}

static CREATE_GROUP: GoStruct = GoStruct::new(
    "CreateGroupReq",
    "group.CreateGroupReq",
    &[
        field("memberUserIDs", Strings),
        field("groupInfo", Struct(&GROUP_INFO)),
        field("adminUserIDs", Strings),
        field("ownerUserID", Str),
        field("sendMessage", Bool),
    ],
);

#[derive(Serialize)]
struct Created {
    #[serde(rename = "groupInfo")]
    group_info: GroupInfo,
}

/// `POST /group/create_group`: the owner, admins and members (and the caller) must exist; the
/// group ID is generated when empty.
pub async fn create_group(op: Op<'_>, payload: web::Payload) -> Result<HttpResponse, OpenImError> {
    let req: CreateGroupReq = op.call.bind(payload, &CREATE_GROUP).await?;
    let info = check_create(&req)?;
    if info.group_type != WORKING_GROUP {
        return Err(OpenImError::args(format!(
            "group type only supports {WORKING_GROUP}"
        )));
    }
    op.check_access(&req.owner_user_id)?;
    let mut everyone: Vec<String> = req.member_user_ids.clone();
    everyone.extend(req.admin_user_ids.iter().cloned());
    everyone.push(req.owner_user_id.clone());
    if !everyone.iter().any(|u| u == op.user_id()) {
        everyone.push(op.user_id().to_owned());
    }
    let mut seen = HashSet::new();
    if !everyone.iter().all(|u| seen.insert(u.as_str())) {
        return Err(OpenImError::args("group member repeated"));
    }
    if op.tenant.users.find(&everyone).len() != everyone.len() {
        return Err(OpenImError::user_id_not_found("user not found"));
    }
    let group = make_group(&op, &req, info)?;
    // The answer counts everyone checked, the caller too, though the caller is no member.
    let mut group_info = group.info.clone();
    group_info.member_count = everyone.len() as u32;
    let created = Created { group_info };
    let tenant = op.call.keep().unwrap_or_else(|| op.tenant.clone());
    match tenant.groups.insert(group, tenant.settings.max_groups) {
        Ok(()) => op.call.ok(Some(created)),
        Err(true) => Err(OpenImError::group_id_existed(&created.group_info.group_id)),
        Err(false) => Err(OpenImError::internal(format!(
            "im-emulator: the tenant holds {} groups, its max_groups",
            tenant.settings.max_groups
        ))),
    }
}

/// `CreateGroupReq.Check()`.
fn check_create(req: &CreateGroupReq) -> Result<&GroupInfoReq, OpenImError> {
    let info = req
        .group_info
        .as_ref()
        .ok_or_else(|| OpenImError::args("groupInfo is empty"))?;
    if !(0..=2).contains(&info.group_type) {
        return Err(OpenImError::args("GroupType is invalid"));
    }
    if req.owner_user_id.is_empty() {
        return Err(OpenImError::args("ownerUserID is empty"));
    }
    if req.member_user_ids.len() > MAX_IDS {
        return Err(OpenImError::args(
            "too many MemberUserIDs, need to be less than 1000",
        ));
    }
    Ok(info)
}

fn make_group(
    op: &Op<'_>,
    req: &CreateGroupReq,
    info: &GroupInfoReq,
) -> Result<Group, OpenImError> {
    let group_id = if info.group_id.is_empty() {
        let state = &op.call.state;
        state
            .ids
            .group_id(&state.core, op.call.now_ms, op.call.operation_id()?)
    } else if op.tenant.groups.exists(&info.group_id) {
        return Err(OpenImError::group_id_existed(&info.group_id));
    } else {
        info.group_id.clone()
    };
    let mut members = HashMap::new();
    members.insert(req.owner_user_id.clone(), OWNER);
    for admin in &req.admin_user_ids {
        members.insert(admin.clone(), ADMIN);
    }
    for member in &req.member_user_ids {
        members.insert(member.clone(), ORDINARY);
    }
    let info = GroupInfo {
        group_id,
        group_name: info.group_name.clone(),
        notification: info.notification.clone(),
        introduction: info.introduction.clone(),
        face_url: info.face_url.clone(),
        owner_user_id: req.owner_user_id.clone(),
        create_time: op.call.now_ms,
        member_count: members.len() as u32,
        ex: info.ex.clone(),
        status: info.status,
        creator_user_id: info.creator_user_id.clone(),
        group_type: info.group_type,
        need_verification: info.need_verification,
        look_member_info: info.look_member_info,
        apply_member_friend: info.apply_member_friend,
        notification_update_time: info.notification_update_time,
        notification_user_id: info.notification_user_id.clone(),
    };
    Ok(Group { info, members })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InviteReq {
    #[serde(rename = "groupID")]
    group_id: String,
    #[serde(rename = "invitedUserIDs")]
    invited_user_ids: Option<Vec<String>>,
}

static INVITE: GoStruct = GoStruct::new(
    "InviteUserToGroupReq",
    "group.InviteUserToGroupReq",
    &[
        field("groupID", Str),
        field("reason", Str),
        field("invitedUserIDs", Strings),
    ],
);

/// `POST /group/invite_user_to_group` `{"groupID","invitedUserIDs":[...]}`: an admin, or a
/// member, adds users directly (the default verification setting).
pub async fn invite(op: Op<'_>, payload: web::Payload) -> Result<HttpResponse, OpenImError> {
    let req: InviteReq = op.call.bind(payload, &INVITE).await?;
    if req.group_id.is_empty() {
        return Err(OpenImError::args("groupID is empty"));
    }
    let invited = req
        .invited_user_ids
        .ok_or_else(|| OpenImError::args("invitedUserIDs is empty"))?;
    if invited.len() > MAX_IDS {
        return Err(OpenImError::args(
            "too many InvitedUserIDs, need to be less than 1000",
        ));
    }
    if invited.is_empty() {
        return Err(OpenImError::args("user empty"));
    }
    let mut seen = HashSet::new();
    if !invited.iter().all(|u| seen.insert(u.as_str())) {
        return Err(OpenImError::args("userID duplicate"));
    }
    let tenant = &op.tenant;
    let group = tenant
        .groups
        .get(&req.group_id)
        .ok_or_else(|| OpenImError::not_found(""))?;
    if group.info.status == DISMISSED {
        return Err(OpenImError::dismissed(
            "group dismissed checking group status found it dismissed",
        ));
    }
    if tenant.users.find(&invited).len() != invited.len() {
        return Err(OpenImError::not_found("user not found"));
    }
    if !op.is_admin() && tenant.groups.role(&req.group_id, op.user_id()).is_none() {
        return Err(OpenImError::not_found(""));
    }
    tenant.groups.add_members(&req.group_id, &invited);
    op.call.ok(None::<()>)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GroupsReq {
    #[serde(rename = "groupIDs")]
    group_ids: Option<Vec<String>>,
}

static GET_GROUPS: GoStruct = GoStruct::new(
    "GetGroupsInfoReq",
    "group.GetGroupsInfoReq",
    &[field("groupIDs", Strings)],
);

#[derive(Serialize)]
struct GroupInfos {
    #[serde(rename = "groupInfos")]
    group_infos: Option<Vec<GroupInfo>>,
}

/// `POST /group/get_groups_info` `{"groupIDs":[...]}`: unknown IDs are skipped.
pub async fn get_groups_info(
    op: Op<'_>,
    payload: web::Payload,
) -> Result<HttpResponse, OpenImError> {
    let req: GroupsReq = op.call.bind(payload, &GET_GROUPS).await?;
    let ids = req
        .group_ids
        .ok_or_else(|| OpenImError::args("GroupIDs is empty"))?;
    if ids.is_empty() {
        return Err(OpenImError::args("groupID is empty"));
    }
    let infos: Vec<GroupInfo> = ids
        .iter()
        .filter_map(|id| op.tenant.groups.get(id))
        .map(|g| g.info)
        .collect();
    op.call.ok(Some(GroupInfos {
        group_infos: (!infos.is_empty()).then_some(infos),
    }))
}
