//! The corpus of the throughput benchmark and the ways of reading it that are compared.
//!
//! Two inputs, both built at run time from the spec's event examples:
//!
//! - `examples`: every example of a state or message-like event in the form `/sync` sends it
//!   (`AnySyncTimelineEvent`: the envelope of `core/room_event.json` filled in, `state_key: ""`
//!   for a state event without one, no `room_id`), one JSON document each;
//! - `timeline`: a synthetic `/sync` timeline, one JSON array of [`TIMELINE_EVENTS`] events drawn
//!   from those examples with a fixed seed, weighted as real rooms are (`m.room.message`
//!   dominating), each with its own `event_id`, `sender`, `origin_server_ts`, `age` and, for
//!   text messages, a body of its own length.
//!
//! Only events that both crates read as a typed event are kept: an event one of them rejects,
//! or reads only as an unknown/custom event, is reported by [`Corpus::report`] and left out of
//! both inputs, so that every reader is timed on the same bytes.
//!
//! A third input, `synapse`, when its files are there ([`synapse_dir`]): the events a real
//! Synapse sent, as `cargo xtask homeserver --corpus` saved them (a room of thousands of mixed
//! events): the timeline of each joined room of `sync.json`, then the `chunk` of each
//! `messages-N.json` (the same room's events again, as `/messages` sends them, with
//! `room_id`), each one JSON array of the events' texts as the server wrote them.
//! `benches/throughput.sh` makes the files when they are missing.
//!
//! With the Synapse corpus, also its whole `/sync` body, read by each crate's response type
//! ([`sync`]).

pub mod sync;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::de::IgnoredAny;
use serde_json::{Map, Value};

/// How many events the synthetic timeline has.
pub const TIMELINE_EVENTS: usize = 5000;

/// The seed of the synthetic timeline.
pub const SEED: u64 = 0x6d61_7472_6978;

/// The spec folder: `$MATRIX_SPEC_DIR`, else `../../../shared/matrix-spec/main` relative to
/// this crate (the snapshot kept beside the repository).
pub fn spec_dir() -> PathBuf {
    match std::env::var_os("MATRIX_SPEC_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/matrix-spec/main"),
    }
}

/// The folder of the corpus saved from Synapse: `$HOMESERVER_CORPUS`, else
/// `target/homeserver/corpus` of the repository (where `cargo xtask homeserver --corpus`
/// writes it).
pub fn synapse_dir() -> PathBuf {
    match std::env::var_os("HOMESERVER_CORPUS").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/homeserver/corpus"),
    }
}

/// One input of the benchmark: JSON documents and how many events and bytes they hold.
pub struct Input {
    pub name: &'static str,
    /// The documents: one event each (`examples`), or one array of events (`timeline`).
    pub docs: Vec<Vec<u8>>,
    /// Whether each document is an array of events.
    pub arrays: bool,
    pub events: usize,
    pub bytes: usize,
}

/// What was read from the spec, and what was left out.
pub struct Corpus {
    pub spec: PathBuf,
    pub examples: Input,
    pub timeline: Input,
    /// The events a real Synapse sent, if `synapse_dir` holds them (`synapse_dir`).
    pub synapse: Option<Input>,
    pub synapse_dir: PathBuf,
    /// How many timeline-event examples there were before filtering.
    pub candidates: usize,
    /// Examples left out, with the side at fault and why: (file, type, reason).
    pub left_out: Vec<(String, String, String)>,
    /// How many events of each type the timeline has.
    pub timeline_mix: BTreeMap<String, usize>,
}

impl Corpus {
    /// Loads the examples of the spec at `spec`, filters them and builds the timeline.
    pub fn load(spec: &Path) -> Corpus {
        let examples_dir = spec.join("data/event-schemas/examples");
        let envelope = envelope(&examples_dir);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&examples_dir)
            .unwrap_or_else(|err| panic!("{}: {err} (set MATRIX_SPEC_DIR)", examples_dir.display()))
            .map(|entry| entry.expect("readable folder").path())
            .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();

        let mut candidates = 0;
        let mut left_out = Vec::new();
        let mut kept: Vec<(String, Value)> = Vec::new();
        for file in &files {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let example = match load_example(file) {
                Ok(example) => example,
                Err(err) => {
                    left_out.push((name, String::new(), format!("unreadable: {err}")));
                    continue;
                }
            };
            let event_type = example["type"].as_str().unwrap_or_default().to_owned();
            let Some(is_state) = timeline_kind(&event_type) else {
                continue; // not a state or message-like event: not in a timeline
            };
            candidates += 1;
            let event = sync_form(&example, is_state, &envelope);
            let bytes = serde_json::to_vec(&event).unwrap();
            let verdicts = [
                ("ours", read_ours_checked(&bytes)),
                ("ruma", read_ruma_checked(&bytes)),
            ];
            let faults: Vec<String> = verdicts
                .iter()
                .filter_map(|(side, verdict)| {
                    verdict.as_ref().err().map(|err| format!("{side}: {err}"))
                })
                .collect();
            if faults.is_empty() {
                kept.push((name, event));
            } else {
                left_out.push((name, event_type, faults.join("; ")));
            }
        }
        assert!(!kept.is_empty(), "no example is read by both crates");

        let examples = Input {
            name: "examples",
            events: kept.len(),
            bytes: 0,
            docs: kept
                .iter()
                .map(|(_, event)| serde_json::to_vec(event).unwrap())
                .collect(),
            arrays: false,
        };
        let (timeline_events, timeline_mix) = timeline(&kept);
        let timeline = Input {
            name: "timeline",
            events: timeline_events.len(),
            bytes: 0,
            docs: vec![serde_json::to_vec(&Value::Array(timeline_events)).unwrap()],
            arrays: true,
        };
        let synapse_dir = synapse_dir();
        let mut corpus = Corpus {
            spec: spec.to_owned(),
            examples,
            timeline,
            synapse: synapse_input(&synapse_dir).unwrap_or_else(|err| panic!("{err}")),
            synapse_dir,
            candidates,
            left_out,
            timeline_mix,
        };
        for input in [&mut corpus.examples, &mut corpus.timeline] {
            input.bytes = input.docs.iter().map(Vec::len).sum();
        }
        // Every reader must accept every document of every input, or the comparison is off.
        for input in corpus.inputs() {
            for doc in &input.docs {
                for reader in DE_READERS {
                    (reader.read)(doc, input.arrays).unwrap_or_else(|err| {
                        panic!("{} rejects a {} document: {err}", reader.name, input.name)
                    });
                }
            }
        }
        corpus
    }

    /// The inputs, in the order of the tables: `examples`, `timeline`, `synapse` if there.
    pub fn inputs(&self) -> Vec<&Input> {
        [&self.examples, &self.timeline]
            .into_iter()
            .chain(&self.synapse)
            .collect()
    }

    /// What the corpus is, and what was left out and why.
    pub fn report(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "spec: {}", self.spec.display());
        let _ = writeln!(
            out,
            "examples: {} of {} state/message-like examples read by both crates ({} bytes); timeline: {} events ({} bytes), seed {:#x}",
            self.examples.events,
            self.candidates,
            self.examples.bytes,
            self.timeline.events,
            self.timeline.bytes,
            SEED
        );
        let ours = self
            .left_out
            .iter()
            .filter(|(_, _, why)| why.contains("ours:"))
            .count();
        let ruma = self
            .left_out
            .iter()
            .filter(|(_, _, why)| why.contains("ruma:"))
            .count();
        let _ = writeln!(
            out,
            "left out: {} (ours rejects {ours}, ruma rejects {ruma}):",
            self.left_out.len()
        );
        for (file, event_type, why) in &self.left_out {
            let _ = writeln!(out, "  {file} ({event_type}): {why}");
        }
        let mix: Vec<String> = self
            .timeline_mix
            .iter()
            .map(|(name, count)| format!("{name} {count}"))
            .collect();
        let _ = writeln!(out, "timeline mix: {}", mix.join(", "));
        match &self.synapse {
            Some(input) => {
                let _ = writeln!(
                    out,
                    "synapse: {} events ({} bytes) in {} arrays, from {}",
                    input.events,
                    input.bytes,
                    input.docs.len(),
                    self.synapse_dir.display()
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "synapse: no corpus in {} (`cargo xtask homeserver --corpus` makes it)",
                    self.synapse_dir.display()
                );
            }
        }
        out
    }
}

/// The `synapse` input from the files of `dir` (`None` without `sync.json`): the raw text of
/// every timeline event of `sync.json`'s joined rooms and of `messages-N.json`'s chunks, one
/// array per room or page. The bodies are read with the generated response types.
fn synapse_input(dir: &Path) -> Result<Option<Input>, String> {
    use matrix_types::client_server::{GetRoomEventsResponseBody, SyncResponseBody};
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path).map_err(|err| format!("{}: {err}", path.display()))
    };
    let array = |texts: Vec<&str>| format!("[{}]", texts.join(",")).into_bytes();
    if !dir.join("sync.json").is_file() {
        return Ok(None);
    }
    let sync: SyncResponseBody =
        serde_json::from_slice(&read("sync.json")?).map_err(|err| format!("sync.json: {err}"))?;
    let mut docs = Vec::new();
    let mut events = 0;
    for room in sync
        .rooms
        .and_then(|rooms| rooms.join)
        .unwrap_or_default()
        .into_values()
    {
        let timeline = room
            .timeline
            .map(|timeline| timeline.events)
            .unwrap_or_default();
        events += timeline.len();
        docs.push(array(timeline.iter().map(|raw| raw.json().get()).collect()));
    }
    for page in 1.. {
        let name = format!("messages-{page}.json");
        if !dir.join(&name).is_file() {
            break;
        }
        let body: GetRoomEventsResponseBody =
            serde_json::from_slice(&read(&name)?).map_err(|err| format!("{name}: {err}"))?;
        events += body.chunk.len();
        docs.push(array(
            body.chunk.iter().map(|raw| raw.json().get()).collect(),
        ));
    }
    Ok(Some(Input {
        name: "synapse",
        events,
        bytes: docs.iter().map(Vec::len).sum(),
        docs,
        arrays: true,
    }))
}

/// A way of reading a document: `Err` with a message when it does not read.
pub struct Reader {
    pub name: &'static str,
    pub read: fn(&[u8], bool) -> Result<(), String>,
}

/// The deserializers compared, in the order of the table.
pub const DE_READERS: &[Reader] = &[
    Reader {
        name: "ours",
        read: |bytes, arrays| de_ours(bytes, arrays).map(drop),
    },
    Reader {
        name: "ruma",
        read: |bytes, arrays| de_ruma(bytes, arrays).map(drop),
    },
    Reader {
        name: "Value",
        read: |bytes, arrays| de_value(bytes, arrays).map(drop),
    },
    Reader {
        name: "IgnoredAny",
        read: |bytes, arrays| de_ignored(bytes, arrays),
    },
];

fn err(err: impl std::fmt::Display) -> String {
    err.to_string()
}

/// Ours: `matrix_types::events::AnySyncTimelineEvent`, every field typed (content included,
/// unknown fields kept in `extra` maps).
pub fn de_ours(
    bytes: &[u8],
    array: bool,
) -> Result<Vec<matrix_types::events::AnySyncTimelineEvent>, String> {
    if array {
        serde_json::from_slice(bytes).map_err(err)
    } else {
        serde_json::from_slice(bytes)
            .map(|event| vec![event])
            .map_err(err)
    }
}

/// Ruma: `ruma_events::AnySyncTimelineEvent`, and then the parts ruma leaves as `Raw` read too
/// (see [`ruma_deep`]), so that both sides parse the same fields.
pub fn de_ruma(
    bytes: &[u8],
    array: bool,
) -> Result<Vec<ruma_events::AnySyncTimelineEvent>, String> {
    let events: Vec<ruma_events::AnySyncTimelineEvent> = if array {
        serde_json::from_slice(bytes).map_err(err)?
    } else {
        vec![serde_json::from_slice(bytes).map_err(err)?]
    };
    for event in &events {
        ruma_deep(event)?;
    }
    Ok(events)
}

/// Reads the fields of a ruma event that ruma keeps as `Raw` JSON (deferred parsing) and the
/// spec's examples hold: `m.room.member`'s `unsigned.invite_room_state` and
/// `unsigned.knock_room_state` (each as `AnyStrippedStateEvent`) and
/// `content.third_party_invite.signed` (as `SignedContent`). Other `Raw` fields of ruma's
/// timeline events (`unsigned.redacted_because`, `m.thread`'s `latest_event`) are in no
/// example of the corpus.
pub fn ruma_deep(event: &ruma_events::AnySyncTimelineEvent) -> Result<(), String> {
    use ruma_events::{AnySyncStateEvent, AnySyncTimelineEvent, SyncStateEvent};
    if let AnySyncTimelineEvent::State(AnySyncStateEvent::RoomMember(SyncStateEvent::Original(
        member,
    ))) = event
    {
        for stripped in member
            .unsigned
            .invite_room_state
            .iter()
            .chain(&member.unsigned.knock_room_state)
        {
            stripped.deserialize().map_err(err)?;
        }
        if let Some(invite) = &member.content.third_party_invite {
            invite.signed.deserialize().map_err(err)?;
        }
    }
    Ok(())
}

/// `serde_json::Value`: the whole tree, nothing typed.
pub fn de_value(bytes: &[u8], _array: bool) -> Result<Value, String> {
    serde_json::from_slice(bytes).map_err(err)
}

/// `serde::de::IgnoredAny`: the JSON is checked and skipped; the floor of any reader.
pub fn de_ignored(bytes: &[u8], _array: bool) -> Result<(), String> {
    serde_json::from_slice::<IgnoredAny>(bytes)
        .map(drop)
        .map_err(err)
}

/// Ours, and the event must be typed: neither `Unknown` nor `Redacted`.
fn read_ours_checked(bytes: &[u8]) -> Result<(), String> {
    let event = de_ours(bytes, false)?.pop().unwrap();
    let debug = format!("{event:?}");
    let inner = debug.split('(').nth(1).unwrap_or_default();
    if inner == "Unknown" || inner == "Redacted" {
        return Err(format!("read as {inner}, not typed"));
    }
    Ok(())
}

/// Ruma, and the event must be typed: not `_Custom` (ruma keeps no content of those).
fn read_ruma_checked(bytes: &[u8]) -> Result<(), String> {
    let event = de_ruma(bytes, false)?.pop().unwrap();
    let debug = format!("{event:?}");
    if debug.split('(').nth(1) == Some("_Custom") {
        return Err("read as _Custom (a type ruma does not know; content dropped)".to_owned());
    }
    Ok(())
}

/// Whether an event type is a state event (`Some(true)`), a message-like event (`Some(false)`)
/// or neither (`None`), by the `Any…` enums our crate lists it in.
fn timeline_kind(event_type: &str) -> Option<bool> {
    let (_, enums) = matrix_types::schema_index::EVENT_ENUMS
        .iter()
        .find(|(name, _)| *name == event_type)?;
    if enums.contains(&"AnySyncStateEvent") {
        Some(true)
    } else if enums.contains(&"AnySyncMessageLikeEvent") {
        Some(false)
    } else {
        None
    }
}

/// The room event envelope of `core/room_event.json` without `type`, `content` and `room_id`.
fn envelope(examples_dir: &Path) -> Map<String, Value> {
    let path = examples_dir.join("core/room_event.json");
    let Value::Object(mut envelope) = load_example(&path).unwrap_or_else(|err| panic!("{err}"))
    else {
        panic!("{}: not an object", path.display());
    };
    for key in ["type", "content", "room_id"] {
        envelope.remove(key);
    }
    envelope
}

/// The example as `/sync` sends it: the envelope's fields it lacks filled in, `state_key: ""`
/// for a state event without one, no `room_id`.
fn sync_form(example: &Value, is_state: bool, envelope: &Map<String, Value>) -> Value {
    let mut event = example.as_object().cloned().unwrap_or_default();
    for (key, value) in envelope {
        event.entry(key.clone()).or_insert_with(|| value.clone());
    }
    if is_state {
        event
            .entry("state_key")
            .or_insert_with(|| Value::String(String::new()));
    }
    event.remove("room_id");
    Value::Object(event)
}

/// The share of the timeline each example gets, by its file name: roughly what a busy room
/// holds (text messages dominate, then encrypted messages and reactions; state is rare).
fn weight(file: &str) -> u32 {
    let stem = file.trim_end_matches(".yaml");
    match stem {
        "m.room.message$m.text" => 400,
        "m.room.encrypted$megolm" => 120,
        "m.reaction" => 100,
        "m.room.message$m.notice" => 40,
        "m.room.message$m.image" => 40,
        "m.room.member" => 40,
        "m.room.redaction" => 20,
        "m.room.message$m.emote" => 15,
        "m.room.message$m.file" => 10,
        "m.room.message$m.video" => 10,
        "m.room.message$m.audio" => 8,
        "m.sticker" => 8,
        "m.room.message$m.location" => 3,
        s if s.starts_with("m.room.member$") => 3,
        s if s.starts_with("m.room.message$") => 3,
        s if s.starts_with("m.call.") => 2,
        _ => 2,
    }
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: &[&str] = &[
    "the",
    "room",
    "is",
    "ready",
    "we",
    "can",
    "meet",
    "at",
    "noon",
    "see",
    "you",
    "there",
    "thanks",
    "for",
    "sharing",
    "this",
    "link",
    "looks",
    "good",
    "to",
    "me",
    "deploy",
    "after",
    "lunch",
    "café",
    "naïve",
    "👍",
    "ok",
    "\"quoted\"",
    "line\nbreak",
];

/// [`TIMELINE_EVENTS`] events drawn from `kept` by [`weight`], each made distinct.
fn timeline(kept: &[(String, Value)]) -> (Vec<Value>, BTreeMap<String, usize>) {
    let weights: Vec<u64> = kept
        .iter()
        .map(|(file, _)| u64::from(weight(file)))
        .collect();
    let total: u64 = weights.iter().sum();
    let mut rng = Rng(SEED);
    let mut events = Vec::with_capacity(TIMELINE_EVENTS);
    let mut mix = BTreeMap::new();
    let users: Vec<String> = (0..40).map(|n| format!("@user{n}:example.org")).collect();
    let mut ts: u64 = 1_700_000_000_000;
    for index in 0..TIMELINE_EVENTS {
        let mut pick = rng.below(total);
        let chosen = weights
            .iter()
            .position(|&w| {
                if pick < w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .unwrap();
        let (file, template) = &kept[chosen];
        *mix.entry(file.trim_end_matches(".yaml").to_owned())
            .or_insert(0) += 1;
        let mut event = template.clone();
        let object = event.as_object_mut().unwrap();
        ts += 1 + rng.below(60_000);
        let sender = users[rng.below(users.len() as u64) as usize].clone();
        object.insert(
            "event_id".into(),
            Value::String(format!("$ev{index:06}x{:016x}", rng.next())),
        );
        object.insert("origin_server_ts".into(), Value::from(ts));
        if object.get("type").and_then(Value::as_str) == Some("m.room.member") {
            object.insert("state_key".into(), Value::String(sender.clone()));
        }
        object.insert("sender".into(), Value::String(sender));
        if let Some(Value::Object(unsigned)) = object.get_mut("unsigned") {
            unsigned.insert("age".into(), Value::from(rng.below(10_000_000)));
        }
        let msgtype = object["content"]
            .get("msgtype")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if matches!(msgtype.as_deref(), Some("m.text" | "m.notice" | "m.emote")) {
            // Message lengths vary: mostly short, sometimes a paragraph.
            let words = if rng.below(10) == 0 {
                20 + rng.below(120)
            } else {
                1 + rng.below(15)
            };
            let body: Vec<&str> = (0..words)
                .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize])
                .collect();
            let content = object.get_mut("content").unwrap().as_object_mut().unwrap();
            content.insert("body".into(), Value::String(body.join(" ")));
            if content.contains_key("formatted_body") {
                content.insert(
                    "formatted_body".into(),
                    Value::String(format!("<p>{}</p>", body.join(" "))),
                );
            }
        }
        events.push(event);
    }
    (events, mix)
}

/// Reads an example file (JSON in `.yaml`/`.json` files) and resolves its `$ref`s and
/// `allOf`s as the repository's tests/support/ does: a `$ref` names a file relative to the
/// one holding it (with an optional `#pointer`); an object's fields come first and the sibling
/// keys replace them; `allOf` parts are deep-merged.
///
/// A copy of tests/support/'s reader rather than a dependency on the `tests` crate: that
/// crate brings in the generator, which turns on serde_json's `preserve_order`, and the
/// `serde_json::Value` this benchmark times would then be another map.
pub fn load_example(path: &Path) -> Result<Value, String> {
    let value = read_json(path)?;
    resolve(value, path, 0)
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
    serde_json::from_str(&text).map_err(|err| format!("{}: {err}", path.display()))
}

fn resolve(value: Value, file: &Path, depth: usize) -> Result<Value, String> {
    match value {
        Value::Object(mut map) => {
            let reference = match map.remove("$ref") {
                Some(Value::String(reference)) => Some(reference),
                Some(other) => return Err(format!("`$ref` must be a string, found {other}")),
                None => None,
            };
            let parts = match map.remove("allOf") {
                Some(Value::Array(parts)) => Some(parts),
                Some(other) => return Err(format!("`allOf` must be a list, found {other}")),
                None => None,
            };
            let mut local = Map::new();
            for (key, child) in map {
                local.insert(key, resolve(child, file, depth)?);
            }
            let combined = match reference {
                None => Value::Object(local),
                Some(reference) => match load_reference(&reference, file, depth)? {
                    Value::Object(mut merged) => {
                        merged.extend(local);
                        Value::Object(merged)
                    }
                    other if local.is_empty() => other,
                    _ => {
                        return Err(format!(
                            "`$ref: {reference}` names a non-object but has sibling keys"
                        ))
                    }
                },
            };
            let Some(parts) = parts else {
                return Ok(combined);
            };
            let mut merged = Value::Object(Map::new());
            for part in parts {
                deep_merge(&mut merged, resolve(part, file, depth)?);
            }
            deep_merge(&mut merged, combined);
            Ok(merged)
        }
        Value::Array(items) => items
            .into_iter()
            .map(|item| resolve(item, file, depth))
            .collect(),
        other => Ok(other),
    }
}

fn load_reference(reference: &str, file: &Path, depth: usize) -> Result<Value, String> {
    if depth >= 16 {
        return Err(format!(
            "{}: `$ref: {reference}` nests too deep",
            file.display()
        ));
    }
    let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let target = if path.is_empty() {
        file.to_owned()
    } else {
        normalize(&file.parent().unwrap_or(Path::new(".")).join(path))
    };
    let document = read_json(&target)?;
    let value = if fragment.is_empty() {
        document
    } else {
        document
            .pointer(fragment)
            .cloned()
            .ok_or_else(|| format!("{}: `$ref: {reference}`: no {fragment}", file.display()))?
    };
    resolve(value, &target, depth + 1)
}

fn deep_merge(target: &mut Value, part: Value) {
    match (target, part) {
        (Value::Object(target), Value::Object(part)) => {
            for (key, value) in part {
                match target.get_mut(&key) {
                    Some(existing) => deep_merge(existing, value),
                    None => {
                        target.insert(key, value);
                    }
                }
            }
        }
        (target, part) => *target = part,
    }
}

fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
