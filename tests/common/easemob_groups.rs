//! Easemob group and chat room helpers: users registered with an app token, groups and rooms
//! created as a server SDK creates them, and their ids read back from the answers.

use super::{ok_json, TestApp};
use reqwest::Response;
use serde_json::{json, Value};

impl TestApp {
    /// Registers `names` (password `pw-{name}`) in the default app.
    pub async fn register_users(&self, token: &str, names: &[&str]) {
        let users: Vec<Value> = names
            .iter()
            .map(|n| json!({"username": n, "password": format!("pw-{n}")}))
            .collect();
        ok_json(self.post("/users", Some(token), &json!(users)).await).await;
    }

    /// `POST /chatgroups` with `body`.
    pub async fn create_group_with(&self, token: &str, body: &Value) -> Response {
        self.post("/chatgroups", Some(token), body).await
    }

    /// Creates a public group owned by `owner` with `members`, answering its id.
    pub async fn create_group(&self, token: &str, owner: &str, members: &[&str]) -> String {
        let body = json!({
            "groupname": "testgroup", "description": "test", "public": true,
            "owner": owner, "members": members,
        });
        let answer = ok_json(self.create_group_with(token, &body).await).await;
        answer["data"]["groupid"]
            .as_str()
            .unwrap_or_else(|| panic!("a group id: {answer}"))
            .to_owned()
    }

    /// Creates a chat room owned by `owner` with `members`, answering its id.
    pub async fn create_room(&self, token: &str, owner: &str, members: &[&str]) -> String {
        let body = json!({
            "name": "testchatroom", "description": "test", "owner": owner, "members": members,
        });
        let answer = ok_json(self.post("/chatrooms", Some(token), &body).await).await;
        answer["data"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("a room id: {answer}"))
            .to_owned()
    }

    /// The `data[0]` of `GET /{collection}/{id}`, which must answer 200.
    pub async fn chat_details(&self, token: &str, collection: &str, id: &str) -> Value {
        let answer = ok_json(self.get(&format!("/{collection}/{id}"), Some(token)).await).await;
        answer["data"][0].clone()
    }

    /// Sends a text `from` to the groups or rooms `to` on `/messages/{collection}`.
    pub async fn send_to_chats(
        &self,
        token: &str,
        collection: &str,
        from: &str,
        to: &[&str],
    ) -> Response {
        let body = json!({"from": from, "to": to, "type": "txt", "body": {"msg": "hi"}});
        self.post(&format!("/messages/{collection}"), Some(token), &body)
            .await
    }

    /// A request with `method` to `path` of the default app, with `token`.
    pub async fn call(&self, method: reqwest::Method, path: &str, token: &str) -> Response {
        let url = self.app_url(super::ORG, super::APP, path);
        self.client
            .request(method, url)
            .bearer_auth(token)
            .send()
            .await
            .expect("the request is answered")
    }
}

/// The members of a `GET /{collection}/{id}/users` answer as `role:name` strings.
pub fn affiliations(answer: &Value) -> Vec<String> {
    answer["data"]
        .as_array()
        .unwrap_or_else(|| panic!("data is an array: {answer}"))
        .iter()
        .flat_map(|e| e.as_object().unwrap().iter())
        .map(|(role, name)| format!("{role}:{}", name.as_str().unwrap()))
        .collect()
}
