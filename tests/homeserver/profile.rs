//! Profiles: the display name and avatar as fields, a custom field, the whole profile.

use matrix_types::api::ErrorCode;
use matrix_types::client_server::{
    DeleteProfileFieldRequest, DeleteProfileFieldResponse, GetProfileFieldRequest,
    GetProfileFieldResponse, GetUserProfileRequest, GetUserProfileResponse, SetProfileFieldRequest,
    SetProfileFieldResponse,
};
use serde_json::{json, Map, Value};

use crate::check::Run;
use crate::common::Session;

/// A profile field's body: `{key: value}`.
fn field(key: &str, value: Value) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert(key.to_owned(), value);
    body
}

/// Sets `key` of `session`'s profile.
pub fn set(run: &mut Run, session: &Session, key: &str, value: Value) {
    is!(
        run.call(
            &format!("{}: set {key}", session.name),
            &SetProfileFieldRequest::new(
                session.user_id.clone(),
                key.to_owned(),
                field(key, value)
            ),
            session.token()
        ),
        SetProfileFieldResponse::Ok(_)
    );
}

/// Alice's and Bob's profiles, as the other reads them.
pub fn run(run: &mut Run, alice: &Session, bob: &Session, avatar: &str) {
    set(run, alice, "displayname", json!("Alice"));
    set(run, alice, "avatar_url", json!(avatar));
    set(run, bob, "displayname", json!("Bob"));
    // A custom field, in the namespaced form the spec asks for.
    let custom = "org.matrix_types.test.pronouns";
    set(run, alice, custom, json!("she/her"));
    let got = ok!(
        run.call(
            "bob: alice's custom profile field",
            &GetProfileFieldRequest::new(alice.user_id.clone(), custom.to_owned()),
            bob.token()
        ),
        GetProfileFieldResponse::Ok
    );
    assert_eq!(got.get(custom), Some(&json!("she/her")), "{got:?}");
    let name = ok!(
        run.call(
            "bob: alice's display name",
            &GetProfileFieldRequest::new(alice.user_id.clone(), "displayname".to_owned()),
            bob.token()
        ),
        GetProfileFieldResponse::Ok
    );
    assert_eq!(name.get("displayname"), Some(&json!("Alice")));
    let profile = ok!(
        run.call(
            "bob: alice's profile",
            &GetUserProfileRequest::new(alice.user_id.clone()),
            bob.token()
        ),
        GetUserProfileResponse::Ok
    );
    assert_eq!(profile.displayname.as_deref(), Some("Alice"));
    assert_eq!(
        profile
            .avatar_url
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some(avatar)
    );
    if !profile.extra.contains_key(custom) {
        run.problem(format!("alice's profile has no {custom}: {profile:?}"));
    }
    is!(
        run.call(
            "alice: delete her custom profile field",
            &DeleteProfileFieldRequest::new(alice.user_id.clone(), custom.to_owned()),
            alice.token()
        ),
        DeleteProfileFieldResponse::Ok(_)
    );
    match run.call(
        "bob: alice's deleted custom field",
        &GetProfileFieldRequest::new(alice.user_id.clone(), custom.to_owned()),
        bob.token(),
    ) {
        GetProfileFieldResponse::NotFound(body) => {
            run.documented_error("getProfileField", 404, ErrorCode::NotFound, body.errcode())
        }
        other => run.problem(format!("a deleted profile field answers {other:?}")),
    }
}
