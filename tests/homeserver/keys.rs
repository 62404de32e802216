//! End-to-end encryption: device keys with one-time and fallback keys (upload, query, claim),
//! the users whose keys changed between two syncs, cross-signing keys (with interactive
//! authentication where the spec asks for it) and signatures, and server-side key backup
//! (versions; keys by session, by room and all). Every key is a key of its own and every
//! signature real: Synapse checks those of cross-signing keys, and each key read back is
//! checked against the signature uploaded with it.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use matrix_types::api::ErrorCode;
use matrix_types::client_server::{
    AuthData, ClaimKeysRequest, ClaimKeysRequestBody, ClaimKeysResponse,
    DeleteRoomKeyBySessionIdRequest, DeleteRoomKeyBySessionIdResponse,
    DeleteRoomKeysByRoomIdRequest, DeleteRoomKeysByRoomIdResponse, DeleteRoomKeysRequest,
    DeleteRoomKeysResponse, DeleteRoomKeysVersionRequest, DeleteRoomKeysVersionResponse,
    GetKeysChangesRequest, GetKeysChangesResponse, GetRoomKeyBySessionIdRequest,
    GetRoomKeyBySessionIdResponse, GetRoomKeysByRoomIdRequest, GetRoomKeysByRoomIdResponse,
    GetRoomKeysRequest, GetRoomKeysResponse, GetRoomKeysResponseBody,
    GetRoomKeysVersionCurrentRequest, GetRoomKeysVersionCurrentResponse,
    GetRoomKeysVersionCurrentResponseBody, GetRoomKeysVersionRequest, GetRoomKeysVersionResponse,
    KeyBackupData, KeyObject, OneTimeKeysValue, PostRoomKeysVersionRequest,
    PostRoomKeysVersionRequestBody, PostRoomKeysVersionResponse, PutRoomKeyBySessionIdRequest,
    PutRoomKeyBySessionIdResponse, PutRoomKeyBySessionIdResponseBody, PutRoomKeysByRoomIdRequest,
    PutRoomKeysByRoomIdResponse, PutRoomKeysRequest, PutRoomKeysResponse,
    PutRoomKeysVersionRequest, PutRoomKeysVersionRequestBody, PutRoomKeysVersionResponse,
    QueryKeysRequest, QueryKeysRequestBody, QueryKeysResponse, QueryKeysResponseBody,
    RoomKeyBackup, UploadCrossSigningKeysRequest, UploadCrossSigningKeysRequestBody,
    UploadCrossSigningKeysResponse, UploadCrossSigningSignaturesRequest,
    UploadCrossSigningSignaturesResponse, UploadKeysRequest, UploadKeysRequestBody,
    UploadKeysResponse,
};
use matrix_types::common::{CrossSigningKey, CrossSigningKeyUsage, DeviceKeys};
use matrix_types::{RoomId, UserId};
use serde::Serialize;
use serde_json::{Map, Value};
use tests::signing_json;

use crate::check::Run;
use crate::common::{sync, Session};

/// The algorithm of the one-time and fallback keys: signed Curve25519 keys.
const SIGNED_CURVE25519: &str = "signed_curve25519";

pub fn run(run: &mut Run, lobby: &RoomId, other_room: &RoomId, alice: &Session, bob: &Session) {
    let alice_device = Device::new(alice);
    let bob_device = Device::new(bob);
    device_keys(run, &alice_device, &bob_device);
    let master = cross_signing(run, &alice_device, bob);
    backup(run, &alice_device, &master, lobby, other_room);
}

/// The device keys of Alice's and Bob's devices, Bob's change seen by Alice between two syncs,
/// Bob's keys read back and two of them claimed: his one-time key, then his fallback key.
fn device_keys(run: &mut Run, alice: &Device, bob: &Device) {
    upload(run, alice, &["AAAAAQ", "AAAAAg"], "AAAAAw");
    let before = sync(run, "alice: sync before bob's keys", alice.session, None);
    let one_time = upload(run, bob, &["AAAAAQ"], "AAAAAg");
    let after = sync(
        run,
        "alice: sync after bob's keys",
        alice.session,
        Some(before.next_batch.clone()),
    );
    let bob_id = bob.session.user_id.to_string();
    let in_sync = after
        .device_lists
        .as_ref()
        .and_then(|lists| lists.get("changed"))
        .and_then(Value::as_array)
        .is_some_and(|changed| changed.iter().any(|user| user.as_str() == Some(&bob_id)));
    if !in_sync {
        run.problem(format!(
            "alice's sync after bob's keys has no device_lists.changed naming bob: {:?}",
            after.device_lists
        ));
    }
    let changes = ok!(
        run.call(
            "alice: whose keys changed between the two syncs",
            &GetKeysChangesRequest::new(before.next_batch, after.next_batch),
            alice.session.token()
        ),
        GetKeysChangesResponse::Ok
    );
    if !changes.changed.iter().flatten().any(|user| *user == bob_id) {
        run.problem(format!("GET /keys/changes does not name bob: {changes:?}"));
    }

    // Bob's device keys, read back by Alice: what Bob uploaded, with Bob's signature.
    let queried = query(
        run,
        "alice: bob's device keys",
        alice.session,
        &[bob.session],
    );
    let read = queried
        .device_keys
        .as_ref()
        .and_then(|users| users.get(&bob.session.user_id))
        .and_then(|devices| devices.get(&bob.session.device_id));
    match read {
        Some(read) => {
            let as_uploaded = DeviceKeys::new(
                read.user_id.clone(),
                read.device_id.clone(),
                read.algorithms.clone(),
                read.keys.clone(),
                read.signatures.clone(),
            );
            if as_uploaded != bob.keys {
                run.problem(format!(
                    "bob's device keys read back are not those uploaded: {read:?}, uploaded {:?}",
                    bob.keys
                ));
            }
            if !bob.signed(read, &read.signatures) {
                run.problem("bob's device keys read back fail his signature".to_owned());
            }
        }
        None => run.problem(format!("no device keys of bob's device: {queried:?}")),
    }

    // Bob's one-time key, claimed by Alice; then, with none left, his fallback key.
    for (step, expected) in [
        ("alice: claim bob's one-time key", &one_time.one_time[0]),
        (
            "alice: claim bob's fallback key (no one-time key left)",
            &one_time.fallback,
        ),
    ] {
        let mut devices = BTreeMap::new();
        devices.insert(bob.session.device_id.clone(), SIGNED_CURVE25519.to_owned());
        let mut wanted = BTreeMap::new();
        wanted.insert(bob.session.user_id.clone(), devices);
        let claimed = ok!(
            run.call(
                step,
                &ClaimKeysRequest::new(ClaimKeysRequestBody::new(wanted)),
                alice.session.token()
            ),
            ClaimKeysResponse::Ok
        );
        let keys = claimed
            .one_time_keys
            .get(&bob.session.user_id)
            .and_then(|devices| devices.get(&bob.session.device_id));
        let (id, key) = expected;
        match keys.map(|keys| keys.iter().collect::<Vec<_>>()).as_deref() {
            Some([(claimed_id, OneTimeKeysValue::KeyObject(claimed_key))])
                if *claimed_id == id && **claimed_key == *key =>
            {
                if !bob.signed(claimed_key, &claimed_key.signatures) {
                    run.problem(format!("{step}: the key claimed fails bob's signature"));
                }
            }
            _ => run.problem(format!(
                "{step}: claimed {keys:?}, not {id} as uploaded ({key:?})"
            )),
        }
    }
}

/// What [`upload`] uploaded: the one-time keys and the fallback key, by key ID.
struct OneTimeKeys {
    one_time: Vec<(String, KeyObject)>,
    fallback: (String, KeyObject),
}

/// Uploads the device keys of `device`, its one-time keys of the IDs `one_time` and a fallback
/// key of the ID `fallback`, all signed by the device; checks the count of one-time keys.
fn upload(run: &mut Run, device: &Device, one_time: &[&str], fallback: &str) -> OneTimeKeys {
    let name = &device.session.name;
    let key = |id: &str, fallback: bool| {
        let mut key = KeyObject::new(curve25519(&format!("{name} {id}")), BTreeMap::new());
        if fallback {
            // Signed with the rest (typed by an override: the spec says it in prose only).
            key.fallback = Some(true);
        }
        let signature = sign(&device.ed25519, &key);
        key.signatures.insert(
            device.session.user_id.clone(),
            as_json(device.signature(signature)),
        );
        (format!("{SIGNED_CURVE25519}:{id}"), key)
    };
    let keys = OneTimeKeys {
        one_time: one_time.iter().map(|id| key(id, false)).collect(),
        fallback: key(fallback, true),
    };
    let as_map = |keys: &[(String, KeyObject)]| {
        keys.iter()
            .map(|(id, key)| {
                (
                    id.clone(),
                    OneTimeKeysValue::KeyObject(Box::new(key.clone())),
                )
            })
            .collect::<BTreeMap<_, _>>()
    };
    let mut body = UploadKeysRequestBody::default();
    body.device_keys = Some(device.keys.clone());
    body.one_time_keys = Some(as_map(&keys.one_time));
    body.fallback_keys = Some(as_map(std::slice::from_ref(&keys.fallback)));
    let uploaded = ok!(
        run.call(
            &format!("{name}: upload device, one-time and fallback keys"),
            &UploadKeysRequest::new(body),
            device.session.token()
        ),
        UploadKeysResponse::Ok
    );
    let count = uploaded.one_time_key_counts.get(SIGNED_CURVE25519).copied();
    if count != Some(one_time.len() as i64) {
        run.problem(format!(
            "{name}: {count:?} one-time keys counted after uploading {}",
            one_time.len()
        ));
    }
    keys
}

/// `POST /keys/query` of every device of `users`, by `session`; no failures.
fn query(
    run: &mut Run,
    step: &str,
    session: &Session,
    users: &[&Session],
) -> QueryKeysResponseBody {
    let wanted = users
        .iter()
        .map(|user| (user.user_id.clone(), Vec::new()))
        .collect();
    let queried = ok!(
        run.call(
            step,
            &QueryKeysRequest::new(QueryKeysRequestBody::new(wanted)),
            session.token()
        ),
        QueryKeysResponse::Ok
    );
    if queried.failures.iter().flatten().next().is_some() {
        run.problem(format!("{step}: failures {:?}", queried.failures));
    }
    *queried
}

/// Alice's cross-signing keys: the master key alone (no interactive authentication: she has
/// none yet), then the self-signing and user-signing keys, which are new keys beside a master
/// key and so ask for it, then all three again, unchanged (no authentication: the spec makes
/// the upload idempotent). Then signatures: her device by her self-signing key, her master
/// key by her device. All read back by Alice and by Bob, every signature checked. Her master
/// key.
fn cross_signing(run: &mut Run, device: &Device, bob: &Session) -> SigningKey {
    let alice = device.session;
    let master = key("alice master");
    let self_signing = key("alice self-signing");
    let user_signing = key("alice user-signing");
    let master_key = cross_signing_key(alice, CrossSigningKeyUsage::Master, &master, None);
    let self_signing_key = cross_signing_key(
        alice,
        CrossSigningKeyUsage::SelfSigning,
        &self_signing,
        Some(&master),
    );
    let user_signing_key = cross_signing_key(
        alice,
        CrossSigningKeyUsage::UserSigning,
        &user_signing,
        Some(&master),
    );

    let mut body = UploadCrossSigningKeysRequestBody::default();
    body.master_key = Some(master_key.clone());
    is!(
        run.call(
            "alice: upload her master key (her first)",
            &UploadCrossSigningKeysRequest::new(body.clone()),
            alice.token()
        ),
        UploadCrossSigningKeysResponse::Ok(_)
    );
    // The two others, signed by the master key uploaded before, which is not sent again:
    // Synapse 1.163.2 answers 500 to a request that repeats a stored master key beside new
    // keys (it inserts the master key's hidden device row again: a UNIQUE constraint fails).
    let mut others = UploadCrossSigningKeysRequestBody::default();
    others.self_signing_key = Some(self_signing_key.clone());
    others.user_signing_key = Some(user_signing_key.clone());
    let uploaded = with_password!(
        run,
        "alice: upload her self-signing and user-signing keys",
        alice,
        UploadCrossSigningKeysResponse,
        |auth| {
            let mut body = others.clone();
            body.auth = auth;
            UploadCrossSigningKeysRequest::new(body)
        }
    );
    is!(uploaded, UploadCrossSigningKeysResponse::Ok(_));
    body.self_signing_key = others.self_signing_key;
    body.user_signing_key = others.user_signing_key;
    is!(
        run.call(
            "alice: upload the same cross-signing keys again",
            &UploadCrossSigningKeysRequest::new(body),
            alice.token()
        ),
        UploadCrossSigningKeysResponse::Ok(_)
    );

    // Her device signed by her self-signing key, her master key by her device.
    let mut signed_device = device.keys.clone();
    signed_device.signatures = BTreeMap::from([(
        alice.user_id.clone(),
        BTreeMap::from([(key_id(&self_signing), sign(&self_signing, &device.keys))]),
    )]);
    let mut signed_master = master_key.clone();
    signed_master.signatures = Some(signatures(
        &alice.user_id,
        device.signature(sign(&device.ed25519, &master_key)),
    ));
    let mut objects = BTreeMap::new();
    objects.insert(alice.device_id.clone(), object(&signed_device));
    objects.insert(public(&master), object(&signed_master));
    let mut body = BTreeMap::new();
    body.insert(alice.user_id.clone(), objects);
    let signed = ok!(
        run.call(
            "alice: sign her device and her master key",
            &UploadCrossSigningSignaturesRequest::new(body),
            alice.token()
        ),
        UploadCrossSigningSignaturesResponse::Ok
    );
    if signed.failures.iter().flatten().next().is_some() {
        run.problem(format!(
            "uploading alice's signatures failed: {:?}",
            signed.failures
        ));
    }

    // Read back by Alice: her master key with her device's signature (Synapse shows the
    // signatures a user made only to that user), her user-signing key (shown only to her).
    let own = query(run, "alice: her own keys", alice, &[alice]);
    let of_alice = |keys: &Option<BTreeMap<UserId, CrossSigningKey>>| {
        keys.as_ref()
            .and_then(|keys| keys.get(&alice.user_id))
            .cloned()
    };
    let device_signer = (public(&device.ed25519), device.key_id());
    let master_signer = (public(&master), key_id(&master));
    check_key(
        run,
        "alice's master key read by her",
        of_alice(&own.master_keys),
        &master_key,
        &alice.user_id,
        &device_signer,
    );
    check_key(
        run,
        "alice's user-signing key read by her",
        of_alice(&own.user_signing_keys),
        &user_signing_key,
        &alice.user_id,
        &master_signer,
    );

    // Read back by Bob: her self-signing key, her device signed by it; not her user-signing
    // key.
    let queried = query(run, "bob: alice's keys", bob, &[alice]);
    match of_alice(&queried.master_keys) {
        Some(read) if read.keys == master_key.keys && read.usage == master_key.usage => {}
        other => run.problem(format!(
            "alice's master key read by bob: {other:?}, uploaded {master_key:?}"
        )),
    }
    check_key(
        run,
        "alice's self-signing key read by bob",
        of_alice(&queried.self_signing_keys),
        &self_signing_key,
        &alice.user_id,
        &master_signer,
    );
    if let Some(shown) = of_alice(&queried.user_signing_keys) {
        run.problem(format!("bob is shown alice's user-signing key: {shown:?}"));
    }
    let read_device = queried
        .device_keys
        .as_ref()
        .and_then(|users| users.get(&alice.user_id))
        .and_then(|devices| devices.get(&alice.device_id));
    match read_device {
        Some(read) => {
            let by_self_signing = read
                .signatures
                .get(&alice.user_id)
                .and_then(|signatures| signatures.get(&key_id(&self_signing)));
            if !by_self_signing
                .is_some_and(|signature| verifies(&public(&self_signing), read, signature))
            {
                run.problem(format!(
                    "alice's device read by bob has no good signature by her self-signing key: {read:?}"
                ));
            }
            if !device.signed(read, &read.signatures) {
                run.problem("alice's device read by bob fails her device's signature".to_owned());
            }
        }
        None => run.problem(format!("no device keys of alice's device: {queried:?}")),
    }
    master
}

/// Checks a cross-signing key read back: the key and usage uploaded, and a good signature by
/// `signer` (its public key and key ID) among `user`'s.
fn check_key(
    run: &mut Run,
    what: &str,
    read: Option<CrossSigningKey>,
    uploaded: &CrossSigningKey,
    user: &UserId,
    (signer, signer_id): &(String, String),
) {
    match read {
        Some(read) if read.keys == uploaded.keys && read.usage == uploaded.usage => {
            let signature = signature_of(&read.signatures, user, signer_id);
            if !signature.is_some_and(|signature| verifies(signer, &read, &signature)) {
                run.problem(format!(
                    "{what}: no good signature by {signer_id}: {read:?}"
                ));
            }
        }
        other => run.problem(format!("{what}: {other:?}, uploaded {uploaded:?}")),
    }
}

/// A cross-signing key of `session`'s user for `usage`, signed by `signer` (the master key)
/// if given.
fn cross_signing_key(
    session: &Session,
    usage: CrossSigningKeyUsage,
    key: &SigningKey,
    signer: Option<&SigningKey>,
) -> CrossSigningKey {
    let mut keys = BTreeMap::new();
    keys.insert(key_id(key), public(key));
    let mut cross_signing = CrossSigningKey::new(session.user_id.to_string(), vec![usage], keys);
    if let Some(signer) = signer {
        let mut signature = BTreeMap::new();
        signature.insert(key_id(signer), sign(signer, &cross_signing));
        cross_signing.signatures = Some(signatures(&session.user_id, signature));
    }
    cross_signing
}

/// Alice's key backup: a version whose `auth_data` (its Curve25519 public key) her device signs,
/// then her master key too; keys backed up by session, by room and all at once, read back the
/// same three ways, deleted the same three ways; a new version, after which the first one is
/// deleted. The session data is opaque to the server (made-up bytes where a client puts the
/// encrypted session). Errors on purpose: no backup yet (404), keys sent to the replaced
/// version (403 `M_WRONG_ROOM_KEYS_VERSION` with the current version), a deleted key and a
/// deleted version (404).
fn backup(
    run: &mut Run,
    device: &Device,
    master: &SigningKey,
    lobby: &RoomId,
    other_room: &RoomId,
) {
    let alice = device.session;
    match run.call(
        "alice: her key backup, before she has one",
        &GetRoomKeysVersionCurrentRequest::default(),
        alice.token(),
    ) {
        GetRoomKeysVersionCurrentResponse::NotFound(error) => run.documented_error(
            "getRoomKeysVersionCurrent",
            404,
            ErrorCode::NotFound,
            Some(&error.errcode),
        ),
        other => run.problem(format!("a key backup before any: {other:?}")),
    }
    let mut auth_data = AuthData::new(curve25519("alice backup"));
    let by_device = device.signature(sign(&device.ed25519, &auth_data));
    auth_data.signatures = Some(signatures(&alice.user_id, by_device.clone()));
    let created = ok!(
        run.call(
            "alice: create a key backup",
            &PostRoomKeysVersionRequest::new(PostRoomKeysVersionRequestBody::new(object(
                &auth_data
            ))),
            alice.token()
        ),
        PostRoomKeysVersionResponse::Ok
    );
    let version = created.version.clone();
    let current = ok!(
        run.call(
            "alice: her current key backup",
            &GetRoomKeysVersionCurrentRequest::default(),
            alice.token()
        ),
        GetRoomKeysVersionCurrentResponse::Ok
    );
    check_version(run, "the current backup", &current, &version, &auth_data, 0);

    // Her master key signs the backup too.
    let mut by_both = by_device;
    by_both.insert(key_id(master), sign(master, &auth_data));
    auth_data.signatures = Some(signatures(&alice.user_id, by_both));
    let mut update = PutRoomKeysVersionRequestBody::new(object(&auth_data));
    update.version = Some(version.clone());
    is!(
        run.call(
            "alice: her master key signs the backup too",
            &PutRoomKeysVersionRequest::new(version.clone(), update),
            alice.token()
        ),
        PutRoomKeysVersionResponse::Ok(_)
    );
    let read = ok!(
        run.call(
            "alice: her key backup, by version",
            &GetRoomKeysVersionRequest::new(version.clone()),
            alice.token()
        ),
        GetRoomKeysVersionResponse::Ok
    );
    check_version(run, "the backup by version", &read, &version, &auth_data, 0);
    let master_signature = read
        .auth_data
        .get("signatures")
        .and_then(|signatures| signatures.get(alice.user_id.as_str()))
        .and_then(|signatures| signatures.get(key_id(master)))
        .and_then(Value::as_str);
    if !master_signature
        .is_some_and(|signature| verifies(&public(master), &read.auth_data, signature))
    {
        run.problem(format!(
            "the backup's auth_data has no good signature by alice's master key: {:?}",
            read.auth_data
        ));
    }

    // Three sessions: one backed up alone, one with its room, one with all rooms.
    let lobby_id = lobby.to_string();
    let one = session_keys("session one", 0);
    let two = session_keys("session two", 3);
    let three = session_keys("session three", 7);
    let stored = ok!(
        run.call(
            "alice: back up a session's keys",
            &PutRoomKeyBySessionIdRequest::new(
                version.clone(),
                lobby_id.clone(),
                "session-one".to_owned(),
                one.clone()
            ),
            alice.token()
        ),
        PutRoomKeyBySessionIdResponse::Ok
    );
    count(run, "after backing up a session", &stored, 1);
    let mut room = RoomKeyBackup::new(BTreeMap::new());
    room.sessions.insert("session-two".to_owned(), two.clone());
    let stored = ok!(
        run.call(
            "alice: back up a room's keys",
            &PutRoomKeysByRoomIdRequest::new(version.clone(), lobby_id.clone(), room),
            alice.token()
        ),
        PutRoomKeysByRoomIdResponse::Ok
    );
    count(run, "after backing up a room", &stored, 2);
    let mut elsewhere = RoomKeyBackup::new(BTreeMap::new());
    elsewhere
        .sessions
        .insert("session-three".to_owned(), three.clone());
    let mut all = GetRoomKeysResponseBody::new(BTreeMap::new());
    all.rooms.insert(other_room.clone(), elsewhere);
    let stored = ok!(
        run.call(
            "alice: back up all rooms' keys",
            &PutRoomKeysRequest::new(version.clone(), all.clone()),
            alice.token()
        ),
        PutRoomKeysResponse::Ok
    );
    count(run, "after backing up all rooms", &stored, 3);

    // Read back the three ways.
    let read = ok!(
        run.call(
            "alice: a session's backed-up keys",
            &GetRoomKeyBySessionIdRequest::new(
                version.clone(),
                lobby_id.clone(),
                "session-one".to_owned()
            ),
            alice.token()
        ),
        GetRoomKeyBySessionIdResponse::Ok
    );
    if *read != one {
        run.problem(format!("session one read back as {read:?}, not {one:?}"));
    }
    let read = ok!(
        run.call(
            "alice: a room's backed-up keys",
            &GetRoomKeysByRoomIdRequest::new(version.clone(), lobby_id.clone()),
            alice.token()
        ),
        GetRoomKeysByRoomIdResponse::Ok
    );
    let expected_lobby = BTreeMap::from([
        ("session-one".to_owned(), one.clone()),
        ("session-two".to_owned(), two.clone()),
    ]);
    if read.sessions != expected_lobby {
        run.problem(format!("the lobby's backed-up keys read back as {read:?}"));
    }
    let read = ok!(
        run.call(
            "alice: all backed-up keys",
            &GetRoomKeysRequest::new(version.clone()),
            alice.token()
        ),
        GetRoomKeysResponse::Ok
    );
    let sessions = |room: &RoomId| read.rooms.get(room).map(|room| room.sessions.clone());
    if sessions(lobby) != Some(expected_lobby)
        || sessions(other_room) != Some(BTreeMap::from([("session-three".to_owned(), three)]))
        || read.rooms.len() != 2
    {
        run.problem(format!("all backed-up keys read back as {read:?}"));
    }

    // Deleted the three ways.
    let deleted = ok!(
        run.call(
            "alice: delete a session's backed-up keys",
            &DeleteRoomKeyBySessionIdRequest::new(
                version.clone(),
                lobby_id.clone(),
                "session-one".to_owned()
            ),
            alice.token()
        ),
        DeleteRoomKeyBySessionIdResponse::Ok
    );
    count(run, "after deleting a session", &deleted, 2);
    match run.call(
        "alice: the deleted session's keys",
        &GetRoomKeyBySessionIdRequest::new(
            version.clone(),
            lobby_id.clone(),
            "session-one".to_owned(),
        ),
        alice.token(),
    ) {
        GetRoomKeyBySessionIdResponse::NotFound(error) => run.documented_error(
            "getRoomKeyBySessionId",
            404,
            ErrorCode::NotFound,
            Some(&error.errcode),
        ),
        other => run.problem(format!("a deleted session's keys: {other:?}")),
    }
    let deleted = ok!(
        run.call(
            "alice: delete a room's backed-up keys",
            &DeleteRoomKeysByRoomIdRequest::new(version.clone(), lobby_id),
            alice.token()
        ),
        DeleteRoomKeysByRoomIdResponse::Ok
    );
    count(run, "after deleting a room", &deleted, 1);
    let deleted = ok!(
        run.call(
            "alice: delete all backed-up keys",
            &DeleteRoomKeysRequest::new(version.clone()),
            alice.token()
        ),
        DeleteRoomKeysResponse::Ok
    );
    count(run, "after deleting all", &deleted, 0);

    // A new backup replaces it: keys for the old one are refused, naming the current version.
    let new_backup = ok!(
        run.call(
            "alice: a new key backup",
            &PostRoomKeysVersionRequest::new(PostRoomKeysVersionRequestBody::new(object(
                &auth_data
            ))),
            alice.token()
        ),
        PostRoomKeysVersionResponse::Ok
    );
    match run.call(
        "alice: back up keys to the old backup",
        &PutRoomKeysRequest::new(version.clone(), all),
        alice.token(),
    ) {
        PutRoomKeysResponse::Forbidden(error) => {
            // "The current version will be included in the `current_version` field" (the
            // spec). Synapse 1.163.2 gives the version sent instead: `upload_room_keys`
            // (synapse/handlers/e2e_room_keys.py) looks the version sent up, to tell an old
            // version (403) from a missing one (404), and names the version it found. Either
            // is accepted, and the report says which; any other answer is a problem.
            let named = error.extra.get("current_version").and_then(Value::as_str);
            let which = match named {
                Some(named) if named == new_backup.version => "the current version",
                Some(named) if named == version => "the version sent, not the current one",
                _ => {
                    run.problem(format!(
                        "M_WRONG_ROOM_KEYS_VERSION names neither version {} (current) nor {version} (sent): {error:?}",
                        new_backup.version
                    ));
                    "neither"
                }
            };
            run.documented_error(
                &format!(
                    "putRoomKeys (current_version {}: {which})",
                    named.unwrap_or("absent")
                ),
                403,
                ErrorCode::WrongRoomKeysVersion,
                Some(&error.errcode),
            )
        }
        other => run.problem(format!("keys backed up to a replaced backup: {other:?}")),
    }

    is!(
        run.call(
            "alice: delete the old key backup",
            &DeleteRoomKeysVersionRequest::new(version.clone()),
            alice.token()
        ),
        DeleteRoomKeysVersionResponse::Ok(_)
    );
    match run.call(
        "alice: the old key backup, deleted",
        &GetRoomKeysVersionRequest::new(version),
        alice.token(),
    ) {
        GetRoomKeysVersionResponse::NotFound(error) => run.documented_error(
            "getRoomKeysVersion",
            404,
            ErrorCode::NotFound,
            Some(&error.errcode),
        ),
        other => run.problem(format!("a deleted key backup: {other:?}")),
    }
}

/// Checks a backup version read back: its version, `auth_data` as sent, its count of keys.
fn check_version(
    run: &mut Run,
    what: &str,
    read: &GetRoomKeysVersionCurrentResponseBody,
    version: &str,
    auth_data: &AuthData,
    keys: i64,
) {
    if read.version != version || read.auth_data != object(auth_data) || read.count != keys {
        run.problem(format!(
            "{what}: {read:?}, not version {version} with {keys} keys and the auth_data {auth_data:?}"
        ));
    }
}

/// Checks the count of keys in the backup after a change.
fn count(run: &mut Run, what: &str, answer: &PutRoomKeyBySessionIdResponseBody, keys: i64) {
    if answer.count != keys {
        run.problem(format!("{what}: {answer:?}, not {keys} keys"));
    }
}

/// The backed-up keys of a session: what the server stores of a session, its `session_data`
/// opaque to it (made-up bytes in the shape `m.megolm_backup.v1.curve25519-aes-sha2` gives the
/// encrypted session: an ephemeral Curve25519 key, the ciphertext and its MAC).
fn session_keys(label: &str, first_message_index: i64) -> KeyBackupData {
    let mut session_data = Map::new();
    session_data.insert(
        "ephemeral".to_owned(),
        Value::String(curve25519(&format!("{label} ephemeral"))),
    );
    session_data.insert(
        "ciphertext".to_owned(),
        Value::String(base64(format!("the encrypted {label}").as_bytes())),
    );
    session_data.insert(
        "mac".to_owned(),
        Value::String(base64(&label.as_bytes()[..8])),
    );
    KeyBackupData::new(first_message_index, 0, true, session_data)
}

/// A device of a session and its keys: an Ed25519 key, which signs, and its device keys as
/// uploaded (signed by it).
struct Device<'s> {
    session: &'s Session,
    ed25519: SigningKey,
    keys: DeviceKeys,
}

impl<'s> Device<'s> {
    fn new(session: &'s Session) -> Self {
        let ed25519 = key(&format!("{} device", session.name));
        let mut keys = BTreeMap::new();
        keys.insert(
            format!("curve25519:{}", session.device_id),
            curve25519(&format!("{} identity", session.name)),
        );
        keys.insert(format!("ed25519:{}", session.device_id), public(&ed25519));
        let mut device_keys = DeviceKeys::new(
            session.user_id.clone(),
            session.device_id.clone(),
            vec![
                "m.olm.v1.curve25519-aes-sha2".to_owned(),
                "m.megolm.v1.aes-sha2".to_owned(),
            ],
            keys,
            BTreeMap::new(),
        );
        let signature = sign(&ed25519, &device_keys);
        device_keys.signatures.insert(
            session.user_id.clone(),
            BTreeMap::from([(format!("ed25519:{}", session.device_id), signature)]),
        );
        Device {
            session,
            ed25519,
            keys: device_keys,
        }
    }

    /// The ID of the device's Ed25519 key: `ed25519:` and the device ID.
    fn key_id(&self) -> String {
        format!("ed25519:{}", self.session.device_id)
    }

    /// A signature of the device, as a user's entry of `signatures` holds it.
    fn signature(&self, signature: String) -> BTreeMap<String, String> {
        BTreeMap::from([(self.key_id(), signature)])
    }

    /// Whether `signatures` (of `object`) holds a good signature of `object` by this device.
    fn signed<S>(&self, object: &impl Serialize, signatures: &BTreeMap<UserId, S>) -> bool
    where
        S: Serialize,
    {
        let signatures = serde_json::to_value(signatures.get(&self.session.user_id)).unwrap();
        signatures
            .get(self.key_id())
            .and_then(Value::as_str)
            .is_some_and(|signature| verifies(&public(&self.ed25519), object, signature))
    }
}

/// The Ed25519 key made from the seed `label` (padded with zeros): the same in every run, each
/// label its own key.
fn key(label: &str) -> SigningKey {
    let mut seed = [0u8; 32];
    assert!(label.len() <= seed.len(), "the seed {label:?} is too long");
    seed[..label.len()].copy_from_slice(label.as_bytes());
    SigningKey::from_bytes(&seed)
}

/// A Curve25519 public key: the Montgomery form of the public half of [`key`]`(label)`, a
/// point of Curve25519 whose secret scalar the same seed gives.
fn curve25519(label: &str) -> String {
    base64(key(label).verifying_key().to_montgomery().as_bytes())
}

/// The public half of an Ed25519 key.
fn public(key: &SigningKey) -> String {
    base64(key.verifying_key().as_bytes())
}

/// The ID of a cross-signing key: `ed25519:` and its public key.
fn key_id(key: &SigningKey) -> String {
    format!("ed25519:{}", public(key))
}

/// The `signatures` of a cross-signing key or backup: `user`'s signatures by key ID.
fn signatures(user: &UserId, by_key: BTreeMap<String, String>) -> Map<String, Value> {
    let mut signatures = Map::new();
    signatures.insert(user.to_string(), Value::Object(as_json(by_key)));
    signatures
}

/// Signatures by key ID as a JSON object.
fn as_json(by_key: BTreeMap<String, String>) -> Map<String, Value> {
    by_key
        .into_iter()
        .map(|(id, signature)| (id, Value::String(signature)))
        .collect()
}

/// The signature of `user` by the key `key_id` in a cross-signing key's `signatures`.
fn signature_of(
    signatures: &Option<Map<String, Value>>,
    user: &UserId,
    key_id: &str,
) -> Option<String> {
    signatures
        .as_ref()?
        .get(user.as_str())?
        .get(key_id)?
        .as_str()
        .map(str::to_owned)
}

/// `value` as a JSON object (a signed object travels as one).
fn object(value: &impl Serialize) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(object)) => object,
        other => panic!("not an object: {other:?}"),
    }
}

/// The signature by `key` of `object` (what [`signing_json`] keeps of it).
fn sign(key: &SigningKey, object: &impl Serialize) -> String {
    let text = signing_json(&Value::Object(self::object(object)))
        .unwrap_or_else(|err| panic!("a signed object: {err}"));
    base64(&key.sign(text.as_bytes()).to_bytes())
}

/// Whether `signature` is the signature of `object` by the Ed25519 key `public`.
fn verifies(public: &str, object: &impl Serialize, signature: &str) -> bool {
    let decode = |text: &str| STANDARD_NO_PAD.decode(text).ok();
    let public = decode(public)
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .and_then(|bytes| VerifyingKey::from_bytes(&bytes).ok());
    let signature = decode(signature).and_then(|bytes| Signature::from_slice(&bytes).ok());
    let text = serde_json::to_value(object)
        .ok()
        .and_then(|value| signing_json(&value).ok());
    match (public, signature, text) {
        (Some(public), Some(signature), Some(text)) => {
            public.verify(text.as_bytes(), &signature).is_ok()
        }
        _ => false,
    }
}

/// Unpadded Base64 (`matrix_types::UnpaddedBase64` checks it, but does not encode).
fn base64(bytes: &[u8]) -> String {
    STANDARD_NO_PAD.encode(bytes)
}
