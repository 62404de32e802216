//! Push rules (read all, global, one; add, enable, set actions, delete) and pushers.

use matrix_types::api::ErrorCode;
use matrix_types::client_server::{
    DeletePushRuleRequest, DeletePushRuleResponse, GetPushRuleActionsRequest,
    GetPushRuleActionsResponse, GetPushRuleActionsResponseBodyActions, GetPushRuleKind,
    GetPushRuleRequest, GetPushRuleResponse, GetPushRulesGlobalRequest, GetPushRulesGlobalResponse,
    GetPushRulesRequest, GetPushRulesResponse, GetPushersRequest, GetPushersResponse,
    IsPushRuleEnabledRequest, IsPushRuleEnabledResponse, PostPusherRequest, PostPusherRequestBody,
    PostPusherResponse, PusherData, SetPushRuleActionsRequest, SetPushRuleActionsRequestBody,
    SetPushRuleActionsResponse, SetPushRuleEnabledRequest, SetPushRuleEnabledRequestBody,
    SetPushRuleEnabledResponse, SetPushRuleRequest, SetPushRuleRequestBody,
    SetPushRuleRequestBodyActions, SetPushRuleResponse,
};

use crate::check::Run;
use crate::common::Session;

pub fn run(run: &mut Run, alice: &Session) {
    ok!(
        run.call(
            "alice: push rules",
            &GetPushRulesRequest::default(),
            alice.token()
        ),
        GetPushRulesResponse::Ok
    );
    ok!(
        run.call(
            "alice: global push rules",
            &GetPushRulesGlobalRequest::default(),
            alice.token()
        ),
        GetPushRulesGlobalResponse::Ok
    );
    let rule = "chess".to_owned();
    let mut body = SetPushRuleRequestBody::new(vec![SetPushRuleRequestBodyActions::String(
        "notify".to_owned(),
    )]);
    body.pattern = Some("checkmate".to_owned());
    is!(
        run.call(
            "alice: add a content rule",
            &SetPushRuleRequest::new(GetPushRuleKind::Content, rule.clone(), body),
            alice.token()
        ),
        SetPushRuleResponse::Ok(_)
    );
    let got = ok!(
        run.call(
            "alice: the new rule",
            &GetPushRuleRequest::new(GetPushRuleKind::Content, rule.clone()),
            alice.token()
        ),
        GetPushRuleResponse::Ok
    );
    assert_eq!(got.pattern.as_deref(), Some("checkmate"));
    is!(
        run.call(
            "alice: disable the rule",
            &SetPushRuleEnabledRequest::new(
                GetPushRuleKind::Content,
                rule.clone(),
                SetPushRuleEnabledRequestBody::new(false)
            ),
            alice.token()
        ),
        SetPushRuleEnabledResponse::Ok(_)
    );
    let enabled = ok!(
        run.call(
            "alice: is the rule enabled",
            &IsPushRuleEnabledRequest::new(GetPushRuleKind::Content, rule.clone()),
            alice.token()
        ),
        IsPushRuleEnabledResponse::Ok
    );
    assert!(!enabled.enabled);
    is!(
        run.call(
            "alice: the rule's actions",
            &SetPushRuleActionsRequest::new(
                GetPushRuleKind::Content,
                rule.clone(),
                SetPushRuleActionsRequestBody::new(vec![
                    GetPushRuleActionsResponseBodyActions::String("notify".to_owned()),
                    GetPushRuleActionsResponseBodyActions::Object(
                        serde_json::json!({"set_tweak": "sound", "value": "default"})
                            .as_object()
                            .unwrap()
                            .clone()
                    ),
                ])
            ),
            alice.token()
        ),
        SetPushRuleActionsResponse::Ok(_)
    );
    let actions = ok!(
        run.call(
            "alice: read the rule's actions",
            &GetPushRuleActionsRequest::new(GetPushRuleKind::Content, rule.clone()),
            alice.token()
        ),
        GetPushRuleActionsResponse::Ok
    );
    assert_eq!(actions.actions.len(), 2, "{actions:?}");
    is!(
        run.call(
            "alice: delete the rule",
            &DeletePushRuleRequest::new(GetPushRuleKind::Content, rule.clone()),
            alice.token()
        ),
        DeletePushRuleResponse::Ok(_)
    );
    match run.call(
        "alice: the deleted rule",
        &GetPushRuleRequest::new(GetPushRuleKind::Content, rule),
        alice.token(),
    ) {
        GetPushRuleResponse::NotFound(error) => run.documented_error(
            "getPushRule",
            404,
            ErrorCode::NotFound,
            Some(&error.errcode),
        ),
        other => run.problem(format!("a deleted push rule answers {other:?}")),
    }

    // A pusher to a gateway on 127.0.0.1 (nothing is pushed: no one notifies Alice after).
    let mut body = PostPusherRequestBody::new(
        "a-push-key".to_owned(),
        Some("http".to_owned()),
        "org.matrix_types.test".to_owned(),
    );
    body.app_display_name = Some("matrix-types tests".to_owned());
    body.device_display_name = Some("alice's test".to_owned());
    body.lang = Some("en".to_owned());
    let mut data = PusherData::default();
    data.url = Some("http://127.0.0.1:9/_matrix/push/v1/notify".parse().unwrap());
    body.data = Some(data);
    is!(
        run.call(
            "alice: add a pusher",
            &PostPusherRequest::new(body),
            alice.token()
        ),
        PostPusherResponse::Ok(_)
    );
    let pushers = ok!(
        run.call(
            "alice: pushers",
            &GetPushersRequest::default(),
            alice.token()
        ),
        GetPushersResponse::Ok
    );
    assert_eq!(pushers.pushers.iter().flatten().count(), 1, "{pushers:?}");
}
