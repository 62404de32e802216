//! The account: who a token belongs to, OpenID, login tokens, refresh tokens, devices (with
//! interactive authentication by password), password change, logout, logout everywhere, and
//! deactivation.

use matrix_types::api::ErrorCode;
use matrix_types::client_server::{
    ChangePasswordRequest, ChangePasswordRequestBody, ChangePasswordResponse,
    DeactivateAccountRequest, DeactivateAccountRequestBody, DeactivateAccountResponse,
    DeleteDeviceRequest, DeleteDeviceRequestBody, DeleteDeviceResponse, DeleteDevicesRequest,
    DeleteDevicesRequestBody, DeleteDevicesResponse, GenerateLoginTokenRequest,
    GenerateLoginTokenRequestBody, GenerateLoginTokenResponse, GetAccount3PiDsRequest,
    GetAccount3PiDsResponse, GetDeviceRequest, GetDeviceResponse, GetDevicesRequest,
    GetDevicesResponse, GetTokenOwnerRequest, GetTokenOwnerResponse, GetWhoIsRequest,
    GetWhoIsResponse, LoginRequest, LoginRequestBody, LoginResponse, LogoutAllRequest,
    LogoutAllResponse, LogoutRequest, LogoutResponse, RefreshRequest, RefreshRequestBody,
    RefreshResponse, RequestOpenIdTokenRequest, RequestOpenIdTokenResponse, UpdateDeviceRequest,
    UpdateDeviceRequestBody, UpdateDeviceResponse,
};
use serde_json::Map;

use crate::check::Run;
use crate::common::{login, login_body, Session};

/// Who the tokens belong to, OpenID, 3PIDs.
pub fn identity(run: &mut Run, alice: &Session) {
    let owner = ok!(
        run.call(
            "alice: whoami",
            &GetTokenOwnerRequest::default(),
            alice.token()
        ),
        GetTokenOwnerResponse::Ok
    );
    assert_eq!(owner.user_id, alice.user_id);
    assert_eq!(owner.device_id.as_deref(), Some(alice.device_id.as_str()));
    let whois = ok!(
        run.call(
            "alice: whois herself",
            &GetWhoIsRequest::new(alice.user_id.to_string()),
            alice.token()
        ),
        GetWhoIsResponse::Ok
    );
    assert!(whois.devices.is_some(), "{whois:?}");
    let threepids = ok!(
        run.call(
            "alice: her 3PIDs",
            &GetAccount3PiDsRequest::default(),
            alice.token()
        ),
        GetAccount3PiDsResponse::Ok
    );
    assert!(threepids.threepids.iter().flatten().next().is_none());
    let openid = ok!(
        run.call(
            "alice: an OpenID token",
            &RequestOpenIdTokenRequest::new(alice.user_id.to_string(), Map::new()),
            alice.token()
        ),
        RequestOpenIdTokenResponse::Ok
    );
    assert!(!openid.access_token.is_empty());
}

/// A login token made by one session and spent by a login; a login with a refresh token, and
/// a refresh. The session of the refreshed token.
pub fn tokens(run: &mut Run, alice: &Session) -> Session {
    let made = with_password!(
        run,
        "alice: a login token",
        alice,
        GenerateLoginTokenResponse,
        |auth| {
            let mut body = GenerateLoginTokenRequestBody::default();
            body.auth = auth;
            GenerateLoginTokenRequest::new(body)
        }
    );
    let made = ok!(made, GenerateLoginTokenResponse::Ok);
    let mut body = LoginRequestBody::new("m.login.token".to_owned());
    body.token = Some(made.login_token.clone());
    body.refresh_token = Some(true);
    body.initial_device_display_name = Some("alice, by a login token".to_owned());
    let logged_in = ok!(
        run.call("alice: login by token", &LoginRequest::new(body), None),
        LoginResponse::Ok
    );
    assert_eq!(logged_in.user_id, alice.user_id);
    let refresh_token = logged_in
        .refresh_token
        .clone()
        .expect("a refresh token, as asked");
    let refreshed = ok!(
        run.call(
            "alice: refresh",
            &RefreshRequest::new(RefreshRequestBody::new(refresh_token)),
            None
        ),
        RefreshResponse::Ok
    );
    Session {
        token: refreshed.access_token.clone(),
        device_id: logged_in.device_id.clone(),
        ..alice.clone()
    }
}

/// Devices: list, get, rename, and delete one and several with interactive authentication.
pub fn devices(run: &mut Run, alice: &Session, others: &[&Session]) {
    let devices = ok!(
        run.call(
            "alice: devices",
            &GetDevicesRequest::default(),
            alice.token()
        ),
        GetDevicesResponse::Ok
    );
    let ids: Vec<&str> = devices
        .devices
        .iter()
        .flatten()
        .map(|device| device.device_id.as_str())
        .collect();
    assert!(ids.contains(&alice.device_id.as_str()), "{ids:?}");
    let mut rename = UpdateDeviceRequestBody::default();
    rename.display_name = Some("alice's renamed device".to_owned());
    is!(
        run.call(
            "alice: rename her device",
            &UpdateDeviceRequest::new(alice.device_id.clone(), rename),
            alice.token()
        ),
        UpdateDeviceResponse::Ok(_)
    );
    let device = ok!(
        run.call(
            "alice: her device",
            &GetDeviceRequest::new(alice.device_id.clone()),
            alice.token()
        ),
        GetDeviceResponse::Ok
    );
    assert_eq!(
        device.display_name.as_deref(),
        Some("alice's renamed device")
    );
    match run.call(
        "alice: a device that is not there",
        &GetDeviceRequest::new("NOSUCHDEVICE".to_owned()),
        alice.token(),
    ) {
        GetDeviceResponse::NotFound(body) => {
            run.documented_error("getDevice", 404, ErrorCode::NotFound, body.errcode())
        }
        other => run.problem(format!("getDevice of a missing device: {other:?}")),
    }
    let (first, rest) = others.split_first().expect("a device to delete");
    let deleted = with_password!(
        run,
        "alice: delete a device",
        alice,
        DeleteDeviceResponse,
        |auth| {
            let mut body = DeleteDeviceRequestBody::default();
            body.auth = auth;
            DeleteDeviceRequest::new(first.device_id.clone(), body)
        }
    );
    is!(deleted, DeleteDeviceResponse::Ok(_));
    let devices: Vec<String> = rest.iter().map(|other| other.device_id.clone()).collect();
    let deleted = with_password!(
        run,
        "alice: delete devices",
        alice,
        DeleteDevicesResponse,
        |auth| {
            let mut body = DeleteDevicesRequestBody::new(devices.clone());
            body.auth = auth;
            DeleteDevicesRequest::new(body)
        }
    );
    is!(deleted, DeleteDevicesResponse::Ok(_));
    // The deleted device's token no longer works: 401 M_UNKNOWN_TOKEN.
    match run.call(
        "whoami with a deleted device's token",
        &GetTokenOwnerRequest::default(),
        first.token(),
    ) {
        GetTokenOwnerResponse::Unauthorized(error) => run.documented_error(
            "getTokenOwner",
            401,
            ErrorCode::UnknownToken,
            Some(&error.errcode),
        ),
        other => run.problem(format!("whoami after deleting the device: {other:?}")),
    }
}

/// A bad password (403 M_FORBIDDEN), a password change (with interactive authentication,
/// keeping the other devices), and logging in with the new one. The new session.
pub fn change_password(run: &mut Run, carol: &Session) -> Session {
    match run.call(
        "carol: login with a bad password",
        &LoginRequest::new(login_body(&carol.name, "not the password")),
        None,
    ) {
        LoginResponse::Forbidden(error) => {
            run.documented_error("login", 403, ErrorCode::Forbidden, Some(&error.errcode))
        }
        other => run.problem(format!("login with a bad password: {other:?}")),
    }
    let new_password = format!("{}'s new password, longer still", carol.name);
    let changed = with_password!(
        run,
        "carol: change her password",
        carol,
        ChangePasswordResponse,
        |auth| {
            let mut body = ChangePasswordRequestBody::new(new_password.clone());
            body.logout_devices = Some(false);
            body.auth = auth;
            ChangePasswordRequest::new(body)
        }
    );
    is!(changed, ChangePasswordResponse::Ok(_));
    let login = ok!(
        run.call(
            "carol: login with her new password",
            &LoginRequest::new(login_body(&carol.name, &new_password)),
            None
        ),
        LoginResponse::Ok
    );
    Session {
        token: login.access_token.clone(),
        device_id: login.device_id.clone(),
        password: new_password,
        ..carol.clone()
    }
}

/// Logout of one session, then of all of a user's; the tokens no longer work.
pub fn logout(run: &mut Run, one: &Session, all: &Session) {
    is!(
        run.call(
            &format!("{}: logout", one.name),
            &LogoutRequest::default(),
            one.token()
        ),
        LogoutResponse::Ok(_)
    );
    let again = login(run, &all.name);
    is!(
        run.call(
            &format!("{}: logout everywhere", all.name),
            &LogoutAllRequest::default(),
            again.token()
        ),
        LogoutAllResponse::Ok(_)
    );
    for session in [one, all] {
        match run.call(
            &format!("{}: whoami after logout", session.name),
            &GetTokenOwnerRequest::default(),
            session.token(),
        ) {
            GetTokenOwnerResponse::Unauthorized(error) => run.documented_error(
                "getTokenOwner",
                401,
                ErrorCode::UnknownToken,
                Some(&error.errcode),
            ),
            other => run.problem(format!("whoami after logout answers {other:?}")),
        }
    }
}

/// Deactivation, with interactive authentication; then the login fails.
pub fn deactivate(run: &mut Run, session: &Session) {
    let step = format!("{}: deactivate", session.name);
    let done = with_password!(run, step, session, DeactivateAccountResponse, |auth| {
        let mut body = DeactivateAccountRequestBody::default();
        body.auth = auth;
        body.erase = Some(false);
        DeactivateAccountRequest::new(body)
    });
    ok!(done, DeactivateAccountResponse::Ok);
    match run.call(
        &format!("{}: login after deactivation", session.name),
        &LoginRequest::new(login_body(&session.name, &session.password)),
        None,
    ) {
        // Synapse answers as for a bad password (the spec has `M_USER_DEACTIVATED` for it).
        LoginResponse::Forbidden(error) => {
            run.documented_error("login", 403, ErrorCode::Forbidden, Some(&error.errcode))
        }
        other => run.problem(format!("login after deactivation: {other:?}")),
    }
}
