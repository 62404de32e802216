//! What a client asks before and right after logging in: versions, well-known files, login
//! flows, the server's capabilities, and whether a username is free.

use matrix_types::api::ErrorCode;
use matrix_types::client_server::{
    CheckUsernameAvailabilityRequest, CheckUsernameAvailabilityResponse, GetAuthMetadataRequest,
    GetAuthMetadataResponse, GetCapabilitiesRequest, GetCapabilitiesResponse, GetLoginFlowsRequest,
    GetLoginFlowsResponse, GetTurnServerRequest, GetTurnServerResponse, GetVersionsRequest,
    GetVersionsResponse, GetWellknownPolicyRequest, GetWellknownPolicyResponse,
    GetWellknownRequest, GetWellknownResponse, GetWellknownSupportRequest,
    GetWellknownSupportResponse, RegistrationTokenValidityRequest,
    RegistrationTokenValidityResponse,
};

use crate::check::{described, Run};
use crate::common::Session;

/// Before anyone is registered.
pub fn anonymous(run: &mut Run) {
    let versions = ok!(
        run.call("versions", &GetVersionsRequest::default(), None),
        GetVersionsResponse::Ok
    );
    assert!(
        versions.versions.iter().any(|v| v.starts_with("v1.")),
        "{:?}",
        versions.versions
    );
    // The well-known files: served or not (a 404 is documented for each, without a body:
    // Synapse's web server answers with a page of its own, kept as received).
    match run.call("well-known client", &GetWellknownRequest::default(), None) {
        GetWellknownResponse::Ok(_) => {}
        GetWellknownResponse::NotFound(body) => {
            run.documented_answer("getWellknown", 404, &described(&body))
        }
        other => run.problem(format!("getWellknown: {other:?}")),
    }
    match run.call(
        "well-known support",
        &GetWellknownSupportRequest::default(),
        None,
    ) {
        GetWellknownSupportResponse::Ok(_) => {}
        GetWellknownSupportResponse::NotFound(body) => {
            run.documented_answer("getWellknownSupport", 404, &described(&body))
        }
        other => run.problem(format!("getWellknownSupport: {other:?}")),
    }
    match run.call(
        "well-known policy server",
        &GetWellknownPolicyRequest::default(),
        None,
    ) {
        GetWellknownPolicyResponse::Ok(_) => {}
        GetWellknownPolicyResponse::NotFound(body) => {
            run.documented_answer("getWellknownPolicy", 404, &described(&body))
        }
        other => run.problem(format!("getWellknownPolicy: {other:?}")),
    }
    let flows = ok!(
        run.call("login flows", &GetLoginFlowsRequest::default(), None),
        GetLoginFlowsResponse::Ok
    );
    assert!(
        flows
            .flows
            .iter()
            .flatten()
            .any(|flow| flow.type_ == "m.login.password"),
        "{flows:?}"
    );
    // Without an OAuth 2.0 server (no MAS), the documented 404 M_UNRECOGNIZED.
    match run.call("auth metadata", &GetAuthMetadataRequest::default(), None) {
        GetAuthMetadataResponse::NotFound(error) => run.documented_error(
            "getAuthMetadata",
            404,
            ErrorCode::Unrecognized,
            Some(&error.errcode),
        ),
        other => run.problem(format!("getAuthMetadata without OAuth: {other:?}")),
    }
    let free = ok!(
        run.call(
            "is dave free",
            &CheckUsernameAvailabilityRequest::new("dave".to_owned()),
            None
        ),
        CheckUsernameAvailabilityResponse::Ok
    );
    assert_eq!(free.available, Some(true));
    // Registration needs no token here: the documented 403 for a server without tokens, or
    // a token that is not valid.
    match run.call(
        "registration token validity",
        &RegistrationTokenValidityRequest::new("no-such-token".to_owned()),
        None,
    ) {
        RegistrationTokenValidityResponse::Ok(body) => assert!(!body.valid),
        RegistrationTokenValidityResponse::Forbidden(error) => run.documented_error(
            "registrationTokenValidity",
            403,
            ErrorCode::Forbidden,
            Some(&error.errcode),
        ),
        other => run.problem(format!("registrationTokenValidity: {other:?}")),
    }
}

/// Once someone is registered.
pub fn registered(run: &mut Run, alice: &Session) {
    // Taken: the documented 400 M_USER_IN_USE.
    match run.call(
        "is alice free",
        &CheckUsernameAvailabilityRequest::new(alice.name.clone()),
        None,
    ) {
        CheckUsernameAvailabilityResponse::BadRequest(error) => run.documented_error(
            "checkUsernameAvailability",
            400,
            ErrorCode::UserInUse,
            Some(&error.errcode),
        ),
        other => run.problem(format!(
            "checkUsernameAvailability of a taken name: {other:?}"
        )),
    }
    let capabilities = ok!(
        run.call(
            "alice: capabilities",
            &GetCapabilitiesRequest::default(),
            alice.token()
        ),
        GetCapabilitiesResponse::Ok
    );
    assert!(
        capabilities.capabilities.room_versions.is_some(),
        "{capabilities:?}"
    );
    let turn = ok!(
        run.call(
            "alice: TURN server",
            &GetTurnServerRequest::default(),
            alice.token()
        ),
        GetTurnServerResponse::Ok
    );
    assert!(!turn.uris.is_empty(), "{turn:?}");
}
