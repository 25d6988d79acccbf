mod common;
use common::*;

#[tokio::test]
async fn a_client_gets_a_token_and_sends_a_message() {
    let app = spawn_app().await;
    let token = app.app_token().await;
    let body = ok_json(app.send_text(&token, "alice", &["bob"], "hi").await).await;
    assert!(body["data"]["bob"].as_str().unwrap().len() == 19);
}
