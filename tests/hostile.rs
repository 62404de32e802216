//! No input makes the generated deserializers panic, and whatever they accept they write back
//! stably: read, written, read again, it is the same value.
//!
//! The deterministic counterpart of the fuzz targets in `fuzz/` (which need nightly and
//! libFuzzer): every event example of the spec, mutated node by node (each node replaced by
//! each JSON type, hostile strings, keys removed, deep nesting), truncated at every byte,
//! plus JSON nested 10 000 levels deep and random bytes from a fixed seed. Each input is read
//! as every `Any…` enum below; a panic, or an accepted input whose round trip is not stable,
//! fails the test. The checks are written here rather than taken from `fuzz/` so that this
//! test needs nothing but stable Rust.
//!
//! The tests after those pin, by name, what each kind of hostile input gives (deep nesting,
//! huge numbers, duplicate keys, invalid UTF-8 and escapes, 10 MB strings, and the inputs
//! `fuzz/` found): the exact error, or the exact value accepted and written back.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;
use std::time::Instant;

use matrix_types::events::{
    AnyEphemeralRoomEvent, AnyGlobalAccountDataEvent, AnyRoomAccountDataEvent,
    AnyStrippedStateEvent, AnySyncTimelineEvent, AnyTimelineEvent, AnyToDeviceEvent,
    RoomMessageEvent, RoomMessageEventContent,
};
use matrix_types::schema_index::{self, round_trip_any};
use serde_json::Value;
use tests::{debug_variants, event_examples, load_example, spec_dir};

/// How much of an input a failure report shows.
const SHOWN_BYTES: usize = 300;
/// How many failures a test prints in full (all are counted).
const SHOWN_FAILURES: usize = 40;

// --- the checks --------------------------------------------------------------------------

/// `fn(&[u8]) -> Result<bool, String>` for the enum `$t`: reads the bytes as `$t`; when
/// that works, writes the value, reads that back, and requires the same value and the same
/// JSON again. `Ok(true)` when the bytes were accepted. (A macro rather than a generic
/// function, so that this crate needs no `serde` dependency for the trait bounds.)
macro_rules! round_trip {
    ($t:ty) => {
        |data: &[u8]| -> Result<bool, String> {
            let Ok(first) = serde_json::from_slice::<$t>(data) else {
                return Ok(false);
            };
            let written = serde_json::to_vec(&first)
                .map_err(|err| format!("accepted, but cannot write: {err}"))?;
            let second = serde_json::from_slice::<$t>(&written).map_err(|err| {
                format!(
                    "accepted and written as {}, which does not read back: {err}",
                    shown(&written)
                )
            })?;
            if first != second {
                return Err(format!(
                    "written as {}, which reads back different: {} became {}",
                    shown(&written),
                    shown(format!("{first:?}").as_bytes()),
                    shown(format!("{second:?}").as_bytes()),
                ));
            }
            let rewritten = serde_json::to_vec(&second)
                .map_err(|err| format!("read back, but cannot be written again: {err}"))?;
            if rewritten != written {
                return Err(format!(
                    "written as {}, then as {}",
                    shown(&written),
                    shown(&rewritten)
                ));
            }
            Ok(true)
        }
    };
}

type Check = fn(&[u8]) -> Result<bool, String>;

/// Every `Any…` enum an event of the wire can be read as.
const ENUMS: [(&str, Check); 7] = [
    ("AnySyncTimelineEvent", round_trip!(AnySyncTimelineEvent)),
    ("AnyTimelineEvent", round_trip!(AnyTimelineEvent)),
    ("AnyStrippedStateEvent", round_trip!(AnyStrippedStateEvent)),
    ("AnyToDeviceEvent", round_trip!(AnyToDeviceEvent)),
    (
        "AnyGlobalAccountDataEvent",
        round_trip!(AnyGlobalAccountDataEvent),
    ),
    (
        "AnyRoomAccountDataEvent",
        round_trip!(AnyRoomAccountDataEvent),
    ),
    ("AnyEphemeralRoomEvent", round_trip!(AnyEphemeralRoomEvent)),
];

thread_local! {
    /// The message and place of the last panic on this thread, while a check runs.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
    static CATCHING: RefCell<bool> = const { RefCell::new(false) };
}

/// Makes panics inside checks quiet (they are reported as failures, with their place);
/// panics elsewhere are printed as usual.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.with(|c| *c.borrow()) {
                CAUGHT.with(|c| *c.borrow_mut() = Some(info.to_string()));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs the checks over inputs and collects what they find.
struct Harness {
    what: &'static str,
    started: Instant,
    inputs: usize,
    accepted: usize,
    failures: Vec<String>,
}

impl Harness {
    fn new(what: &'static str) -> Self {
        install_panic_hook();
        Harness {
            what,
            started: Instant::now(),
            inputs: 0,
            accepted: 0,
            failures: Vec::new(),
        }
    }

    /// Reads `input` as every enum. `label` says where the input came from, for reports.
    fn check(&mut self, label: impl Fn() -> String, input: &[u8]) {
        self.inputs += 1;
        for (name, check) in ENUMS {
            CATCHING.with(|c| *c.borrow_mut() = true);
            let result = panic::catch_unwind(AssertUnwindSafe(|| check(input)));
            CATCHING.with(|c| *c.borrow_mut() = false);
            let problem = match result {
                Ok(Ok(accepted)) => {
                    self.accepted += usize::from(accepted);
                    continue;
                }
                Ok(Err(unstable)) => format!("unstable round trip: {unstable}"),
                Err(_) => format!(
                    "PANIC: {}",
                    CAUGHT
                        .with(|c| c.borrow_mut().take())
                        .unwrap_or_else(|| "(no message)".to_owned())
                ),
            };
            self.failures.push(format!(
                "{name} <- {}\n      input ({} bytes): {}\n      {problem}",
                label(),
                input.len(),
                shown(input)
            ));
        }
    }

    /// Prints the counts and fails on any finding, or when fewer than `floor` inputs ran.
    fn finish(self, floor: usize) {
        let elapsed = self.started.elapsed();
        println!(
            "hostile/{}: {} inputs x {} enums in {:.1?}: {} reads accepted, {} failures",
            self.what,
            self.inputs,
            ENUMS.len(),
            elapsed,
            self.accepted,
            self.failures.len()
        );
        for failure in self.failures.iter().take(SHOWN_FAILURES) {
            println!("  FAILED {failure}");
        }
        if self.failures.len() > SHOWN_FAILURES {
            println!("  … and {} more", self.failures.len() - SHOWN_FAILURES);
        }
        assert!(
            self.failures.is_empty(),
            "{}: {} panics or unstable round trips (listed above)",
            self.what,
            self.failures.len()
        );
        assert!(
            self.inputs >= floor,
            "{}: only {} inputs were checked, expected at least {floor}",
            self.what,
            self.inputs
        );
    }
}

/// `bytes` as text for a report, cut to [`SHOWN_BYTES`] with control characters escaped.
fn shown(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(SHOWN_BYTES)];
    let mut text: String = String::from_utf8_lossy(cut).escape_debug().collect();
    if cut.len() < bytes.len() {
        text.push('…');
    }
    text
}

// --- the inputs --------------------------------------------------------------------------

/// The spec's event examples, `$ref`s resolved: (file name, value).
fn examples() -> Vec<(String, Value)> {
    let spec = spec_dir();
    let examples: Vec<(String, Value)> = event_examples(&spec)
        .iter()
        .map(|path| {
            let value = load_example(path).unwrap_or_else(|err| panic!("{err}"));
            (file_name(path), value)
        })
        .collect();
    assert!(
        examples.len() >= 50,
        "only {} event examples in {}",
        examples.len(),
        spec.display()
    );
    examples
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// The JSON pointers of every node of `value`, the root (`""`) first.
fn pointers(value: &Value) -> Vec<String> {
    fn walk(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                out.push(at.clone());
                for (key, child) in map {
                    let key = key.replace('~', "~0").replace('/', "~1");
                    walk(child, format!("{at}/{key}"), out);
                }
            }
            Value::Array(items) => {
                out.push(at.clone());
                for (index, child) in items.iter().enumerate() {
                    walk(child, format!("{at}/{index}"), out);
                }
            }
            _ => out.push(at),
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// A string no example holds: a node is replaced by it, and its JSON text then by raw JSON,
/// so that replacements can be JSON a `Value` cannot hold (numbers beyond `u64`, `1e400`,
/// lone surrogates, nesting deeper than serde_json reads).
const PLACEHOLDER: &str = "\u{0}hostile placeholder\u{0}";

/// `example` with the node at `pointer` replaced by the JSON text `raw`.
fn replaced(example: &Value, pointer: &str, raw: &str) -> Vec<u8> {
    let mut value = example.clone();
    *value.pointer_mut(pointer).expect("pointer from `pointers`") =
        Value::String(PLACEHOLDER.to_owned());
    let text = value.to_string();
    let placeholder = Value::String(PLACEHOLDER.to_owned()).to_string();
    text.replacen(&placeholder, raw, 1).into_bytes()
}

/// What any node is replaced by: null, each other JSON type, and numbers at and past the
/// edges of what the generated types hold.
const ANY_NODE: &[&str] = &[
    "null",
    "\"\"",
    "0",
    "-1",
    "-0",
    "0.5",
    "1e308",
    "-1e308",
    "1e400",
    "9007199254740993",
    "9223372036854775807",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    // Read as a float; serde_json's fast float parser, unlike its `float_roundtrip` one,
    // reads `3e+66` (how it writes this) back as another float (found by `fuzz/`).
    "3000000000000000000000000000000000000000000000000000000000000000000",
    "true",
    "false",
    "[]",
    "{}",
    "[null]",
    "{\"\":null}",
];

/// What a string node is replaced by, besides [`ANY_NODE`]: sigils and prefixes of the
/// identifier formats, and strings with NUL, bidi overrides and escapes serde_json rejects.
fn hostile_strings() -> Vec<String> {
    let mut strings: Vec<String> = [
        "@",
        "!",
        "$",
        "#",
        ":",
        "@:",
        "@a:",
        "!:",
        "$:",
        "#:",
        "mxc://",
        "mxc:///",
        "mxc://a/",
        "@a:b:99999",
        "@a:[",
        "[::1]:",
        "a\u{0}b",
        "\u{0}",
        "\u{202e}@alice:example.org",
        "\u{feff}",
        "m.room.message",
        "m.room.member",
    ]
    .iter()
    .map(|s| Value::String((*s).to_owned()).to_string())
    .collect();
    strings.push(Value::String("a".repeat(100_000)).to_string());
    strings.push(Value::String("\u{e9}".repeat(300)).to_string());
    // Escapes a Rust string cannot hold: serde_json must reject them, not panic.
    strings.push(r#""\ud800""#.to_owned());
    strings.push(r#""\udc00\ud800x""#.to_owned());
    strings
}

/// `depth` arrays nested in each other.
fn nested_arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// `depth` objects nested in each other under the key `a`, the innermost empty.
fn nested_objects(depth: usize) -> String {
    format!("{}{{}}{}", "{\"a\":".repeat(depth), "}".repeat(depth))
}

/// A xorshift64* generator: the same numbers on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

// --- the tests ---------------------------------------------------------------------------

/// Every node of every example replaced by JSON of every type and by edge numbers; string
/// nodes also by hostile strings; each key of each object removed. The replacements rotate
/// from node to node ([`ROTATION`] of each list per node) so that every replacement meets
/// hundreds of nodes while the test stays quick in a debug build.
#[test]
fn mutated_examples_never_panic() {
    let mut harness = Harness::new("mutated examples");
    let strings = hostile_strings();
    let mut turn = 0;
    let mut used = vec![0usize; ANY_NODE.len() + strings.len()];
    for (name, example) in examples() {
        for pointer in pointers(&example) {
            let node = example.pointer(&pointer).unwrap();
            let original = node.to_string();
            let mut picks: Vec<usize> = (0..ROTATION)
                .map(|i| (turn * ROTATION + i) % ANY_NODE.len())
                .collect();
            if node.is_string() {
                picks.extend(
                    (0..ROTATION).map(|i| ANY_NODE.len() + (turn * ROTATION + i) % strings.len()),
                );
            }
            turn += 1;
            for pick in picks {
                let raw = match ANY_NODE.get(pick) {
                    Some(raw) => *raw,
                    None => strings[pick - ANY_NODE.len()].as_str(),
                };
                if raw == original {
                    continue;
                }
                used[pick] += 1;
                let input = replaced(&example, &pointer, raw);
                harness.check(
                    || format!("{name}: {pointer} = {}", shown(raw.as_bytes())),
                    &input,
                );
            }
            if let Value::Object(map) = node {
                for key in map.keys() {
                    let mut value = example.clone();
                    value
                        .pointer_mut(&pointer)
                        .and_then(Value::as_object_mut)
                        .unwrap()
                        .remove(key);
                    let input = value.to_string().into_bytes();
                    harness.check(|| format!("{name}: {pointer} without `{key}`"), &input);
                }
            }
        }
    }
    let least = used.iter().min().copied().unwrap_or(0);
    assert!(least >= 20, "a replacement met only {least} nodes");
    harness.finish(5_000);
}

/// How many replacements of each list one node gets.
const ROTATION: usize = 3;

/// JSON nested 10 000 levels deep, alone and in place of nodes of every example, and nested
/// just within serde_json's recursion limit (128): errors, not stack overflows.
#[test]
fn deep_nesting_never_overflows() {
    let mut harness = Harness::new("deep nesting");
    let deep = [
        nested_arrays(10_000),
        nested_objects(10_000),
        "[".repeat(10_000),
        "{\"a\":".repeat(10_000),
    ];
    for raw in &deep {
        harness.check(
            || format!("alone: {}", shown(raw.as_bytes())),
            raw.as_bytes(),
        );
    }
    // Within the limit the event is read, and the nested value sits in `content` or `extra`.
    let nested = [
        nested_arrays(10_000),
        nested_objects(10_000),
        nested_arrays(120),
        nested_objects(120),
        nested_arrays(60),
        nested_objects(60),
    ];
    let mut turn = 0;
    for (name, example) in examples() {
        for pointer in pointers(&example) {
            let raw = &nested[turn % nested.len()];
            turn += 1;
            let input = replaced(&example, &pointer, raw);
            harness.check(
                || format!("{name}: {pointer} = {}", shown(raw.as_bytes())),
                &input,
            );
        }
    }
    harness.finish(1_000);
}

/// Every prefix of every example's text, cut at every byte (so also inside UTF-8 sequences).
#[test]
fn truncated_examples_never_panic() {
    let mut harness = Harness::new("truncated examples");
    for (name, example) in examples() {
        let text = serde_json::to_vec_pretty(&example).unwrap();
        for end in 0..text.len() {
            harness.check(|| format!("{name}: first {end} bytes"), &text[..end]);
        }
    }
    harness.finish(20_000);
}

/// Random bytes, random JSON-ish text, and examples with random bytes overwritten, from a
/// fixed seed.
#[test]
fn random_bytes_never_panic() {
    const EACH: usize = 4_000;
    const JSONISH: &[u8] = b"{}[]{}[]\"\"\"\"::,,,,0123456789.eE+-tfnrulse\\u \n\t@!$#";
    let mut harness = Harness::new("random bytes");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..EACH {
        let len = rng.below(64);
        let input: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        harness.check(|| "random bytes".to_owned(), &input);
    }
    for _ in 0..EACH {
        let len = rng.below(128);
        let input: Vec<u8> = (0..len)
            .map(|_| JSONISH[rng.below(JSONISH.len())])
            .collect();
        harness.check(|| "random JSON-ish bytes".to_owned(), &input);
    }
    let texts: Vec<(String, Vec<u8>)> = examples()
        .into_iter()
        .map(|(name, example)| (name, example.to_string().into_bytes()))
        .collect();
    for _ in 0..EACH {
        let (name, text) = &texts[rng.below(texts.len())];
        let mut input = text.clone();
        let flips = 1 + rng.below(4);
        for _ in 0..flips {
            let at = rng.below(input.len());
            input[at] = if rng.below(2) == 0 {
                rng.next() as u8
            } else {
                JSONISH[rng.below(JSONISH.len())]
            };
        }
        harness.check(|| format!("{name} with {flips} bytes overwritten"), &input);
    }
    harness.finish(3 * EACH);
}

// --- named hostile inputs ----------------------------------------------------------------
//
// Each test below pins what one kind of hostile input gives: the exact error (serde_json's
// message; through an `Any…` enum also the event type and the path of the field), or the exact
// value accepted and written back. "Hostile input" in README.md sums them up.

/// A full `m.room.message` event with `content` (JSON text) and `more` (JSON text of further
/// fields, each starting with a comma) written in.
fn message_event(content: &str, more: &str) -> String {
    format!(
        r#"{{"type":"m.room.message","event_id":"$e:example.org","sender":"@a:example.org","origin_server_ts":1,"room_id":"!r:example.org"{more},"content":{content}}}"#
    )
}

/// A full `m.room.member` event with `content` (JSON text) written in.
fn member_event(content: &str) -> String {
    format!(
        r#"{{"type":"m.room.member","state_key":"@a:example.org","event_id":"$e:example.org","sender":"@a:example.org","origin_server_ts":1,"room_id":"!r:example.org","content":{content}}}"#
    )
}

/// serde_json's error message without the position it appends (" at line 1 column 42").
fn without_position(err: impl ToString) -> String {
    let message = err.to_string();
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => message[..at].to_owned(),
        _ => message,
    }
}

/// `json` read as the concrete type of `schema` (see `schema_index::round_trip`): the JSON
/// written back, or the error without its position.
fn concrete(schema: &str, json: &str) -> Result<Value, String> {
    schema_index::round_trip(schema, json)
        .expect("a schema of the index")
        .map_err(without_position)
}

/// `json` read through the `Any…` enum `name`: the variant and the JSON written back, or the
/// error without its position; also checks that what is written reads back the same.
fn through(name: &str, json: &str) -> Result<(String, Value), String> {
    let first = round_trip_any(name, json)
        .expect("an Any… enum of the index")
        .map_err(without_position)?;
    let again = round_trip_any(name, &first.1.to_string())
        .expect("an Any… enum of the index")
        .map_err(|err| format!("written as {}, which does not read back: {err}", first.1))?;
    assert_eq!(
        again, first,
        "{name}: the round trip of {json} is not stable"
    );
    Ok(first)
}

/// serde_json reads at most 127 nested arrays and objects (its recursion limit of 128 counts
/// the value that would be one too many); a free-form value within that is kept, one level
/// more is an error, and 10 000 levels the same error (no stack overflow).
#[test]
fn nesting_beyond_serde_json_limit_is_an_error_and_within_it_is_kept() {
    assert!(serde_json::from_str::<Value>(&nested_arrays(127)).is_ok());
    assert_eq!(
        serde_json::from_str::<Value>(&nested_arrays(128))
            .unwrap_err()
            .to_string(),
        "recursion limit exceeded at line 1 column 128"
    );
    // The event object and its `content` are two levels: 125 more in an unknown field of the
    // content make 127.
    for (depth, accepted) in [(125, true), (126, false), (10_000, false)] {
        let nested = nested_arrays(depth);
        let json = message_event(
            &format!(r#"{{"msgtype":"m.text","body":"x","org.example.deep":{nested}}}"#),
            "",
        );
        let concrete = concrete("m.room.message", &json);
        let any = through("AnyTimelineEvent", &json);
        if accepted {
            let expected: Value = serde_json::from_str(&json).unwrap();
            assert_eq!(concrete.as_ref(), Ok(&expected), "depth {depth}");
            assert_eq!(
                any,
                Ok(("MessageLike".to_owned(), expected)),
                "depth {depth}"
            );
        } else {
            assert_eq!(concrete, Err("recursion limit exceeded".to_owned()));
            assert_eq!(any, Err("recursion limit exceeded".to_owned()));
        }
        // An unknown event type, whose whole `content` is free-form: the same.
        let unknown = format!(r#"{{"type":"org.example.custom","content":{{"deep":{nested}}}}}"#);
        let read = through("AnyToDeviceEvent", &unknown);
        if accepted {
            let expected: Value = serde_json::from_str(&unknown).unwrap();
            assert_eq!(read, Ok(("Unknown".to_owned(), expected)));
        } else {
            assert_eq!(read, Err("recursion limit exceeded".to_owned()));
        }
    }
    // And as the event itself: every Any… enum gives the same error.
    for name in schema_index::ENUMS {
        assert_eq!(
            through(name, &nested_objects(10_000)),
            Err("recursion limit exceeded".to_owned()),
            "{name}"
        );
    }
}

/// An `integer` field is an `i64`: anything past it is an error naming the value and, read
/// through an `Any…` enum, the event type and the field (read as the concrete type, serde_json
/// gives the line and column instead). Integers past 2^53, which Matrix canonical JSON
/// forbids, are still read as long as they fit.
#[test]
fn huge_integers_in_an_integer_field_are_errors_naming_the_field() {
    let text = r#"{"msgtype":"m.text","body":"x"}"#;
    let with_ts = |ts: &str| {
        message_event(text, &format!(r#","origin_server_ts":{ts}"#)).replacen(
            r#""origin_server_ts":1,"#,
            "",
            1,
        )
    };
    for fits in [
        "9007199254740993",
        "9223372036854775807",
        "-9223372036854775808",
    ] {
        let json = with_ts(fits);
        let expected: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(expected["origin_server_ts"].to_string(), fits);
        assert_eq!(concrete("m.room.message", &json), Ok(expected.clone()));
        assert_eq!(
            through("AnyTimelineEvent", &json),
            Ok(("MessageLike".to_owned(), expected))
        );
    }
    for (number, problem) in [
        (
            "9223372036854775808",
            "invalid value: integer `9223372036854775808`, expected i64",
        ),
        (
            "18446744073709551615",
            "invalid value: integer `18446744073709551615`, expected i64",
        ),
        // Past u64, serde_json reads a float.
        (
            "18446744073709551616",
            "invalid type: floating point `1.8446744073709552e+19`, expected i64",
        ),
        (
            "-9223372036854775809",
            "invalid type: floating point `-9.223372036854776e+18`, expected i64",
        ),
        (
            "3000000000000000000000000000000000000000000000000000000000000000000",
            "invalid type: floating point `3e+66`, expected i64",
        ),
        ("1.0", "invalid type: floating point `1.0`, expected i64"),
        ("1e3", "invalid type: floating point `1000.0`, expected i64"),
    ] {
        let json = with_ts(number);
        assert_eq!(concrete("m.room.message", &json), Err(problem.to_owned()));
        assert_eq!(
            through("AnyTimelineEvent", &json),
            Err(format!(
                "invalid `m.room.message` event at `origin_server_ts`: {problem}"
            ))
        );
    }
    // Past f64, serde_json itself stops.
    let json = with_ts("1e400");
    assert_eq!(
        concrete("m.room.message", &json),
        Err("number out of range".to_owned())
    );
    assert_eq!(
        through("AnyTimelineEvent", &json),
        Err("number out of range".to_owned())
    );
}

/// A number in a free-form value (an unknown field, an unknown event's content) is kept as
/// serde_json reads it: integers up to u64::MAX exactly; past that, and past i64::MIN, as the
/// nearest float, written in serde_json's float notation (not the text read, but it reads
/// back as the same value: `float_roundtrip`), as are `1.0` and `-0` (`-0.0`); past f64, an
/// error.
#[test]
fn huge_numbers_in_free_form_values_are_kept_as_serde_json_reads_them() {
    for (number, kept) in [
        ("9007199254740993", "9007199254740993"),
        ("18446744073709551615", "18446744073709551615"),
        ("-9223372036854775808", "-9223372036854775808"),
        ("18446744073709551616", "1.8446744073709552e+19"),
        ("-9223372036854775809", "-9.223372036854776e+18"),
        (
            "3000000000000000000000000000000000000000000000000000000000000000000",
            "3e+66",
        ),
        ("1.0", "1.0"),
        ("1e3", "1000.0"),
        ("0.1", "0.1"),
        ("-0", "-0.0"),
        ("1.7976931348623157e308", "1.7976931348623157e+308"),
        ("5e-324", "5e-324"),
    ] {
        let in_extra = message_event(
            &format!(r#"{{"msgtype":"m.text","body":"x","org.example.n":{number}}}"#),
            "",
        );
        let written = concrete("m.room.message", &in_extra).unwrap();
        assert_eq!(written["content"]["org.example.n"].to_string(), kept);
        let (variant, written) = through("AnyTimelineEvent", &in_extra).unwrap();
        assert_eq!(variant, "MessageLike");
        assert_eq!(written["content"]["org.example.n"].to_string(), kept);
        let unknown = format!(r#"{{"type":"org.example.custom","content":{{"n":{number}}}}}"#);
        let (variant, written) = through("AnyToDeviceEvent", &unknown).unwrap();
        assert_eq!(variant, "Unknown");
        assert_eq!(written["content"]["n"].to_string(), kept);
    }
    let unknown = r#"{"type":"org.example.custom","content":{"n":1e400}}"#;
    assert_eq!(
        through("AnyToDeviceEvent", unknown),
        Err("number out of range".to_owned())
    );
}

/// Duplicate keys are errors wherever the generated code reads them: a struct field (serde's
/// `duplicate field`), an unknown field, a free-form value, and anything an `Any…` enum or a
/// `msgtype` dispatch reads as a value first (`duplicate key`). Two parsers that disagree on
/// one input are a hazard for signed data, so every way in agrees. Left as serde_json reads
/// them (last wins): objects nested in a free-form `type: object` field of a concrete struct.
#[test]
fn duplicate_keys_are_errors_wherever_they_are() {
    // A generated struct field.
    let member = member_event(r#"{"membership":"join","membership":"leave"}"#);
    assert_eq!(
        concrete("m.room.member", &member),
        Err("duplicate field `membership`".to_owned())
    );
    let twice = message_event(
        r#"{"msgtype":"m.text","body":"x"}"#,
        r#","sender":"@b:example.org""#,
    );
    assert_eq!(
        concrete("m.room.message", &twice),
        Err("duplicate field `sender`".to_owned())
    );
    // Through the Any… enums, which read the event as a value to find its `type`.
    let err = through("AnyStateEvent", &member).unwrap_err();
    assert!(err.contains("duplicate key `membership`"), "{err}");
    let err = through("AnyTimelineEvent", &twice).unwrap_err();
    assert!(err.contains("duplicate key `sender`"), "{err}");
    // A content read by its `msgtype`.
    let content = message_event(
        r#"{"msgtype":"m.text","body":"x","body":"y","msgtype":"m.notice"}"#,
        "",
    );
    let err = concrete("m.room.message", &content).unwrap_err();
    assert!(err.contains("duplicate key `body`"), "{err}");
    // The unknown-fields map, in a struct read from the text, and values inside it.
    let extra = member_event(r#"{"membership":"join","org.example.x":1,"org.example.x":2}"#);
    let err = concrete("m.room.member", &extra).unwrap_err();
    assert!(err.contains("duplicate key `org.example.x`"), "{err}");
    let nested = member_event(r#"{"membership":"join","org.example.x":{"a":1,"a":2}}"#);
    let err = concrete("m.room.member", &nested).unwrap_err();
    assert!(err.contains("duplicate key `a`"), "{err}");
    // A free-form content of an unknown event.
    let unknown = r#"{"type":"org.example.custom","content":{"a":1,"a":2}}"#;
    let err = through("AnyToDeviceEvent", unknown).unwrap_err();
    assert!(err.contains("duplicate key `a`"), "{err}");
    // The same keys once each are fine.
    let once = r#"{"type":"org.example.custom","content":{"a":1,"b":{"a":2}}}"#;
    assert!(through("AnyToDeviceEvent", once).is_ok());
}

/// Invalid escapes and invalid UTF-8 are serde_json's errors, wherever they are (a known
/// field, an unknown key), through every type; a valid surrogate pair is read.
#[test]
fn invalid_utf8_and_invalid_escapes_are_errors() {
    let body = |body: &str| message_event(&format!(r#"{{"msgtype":"m.text","body":{body}}}"#), "");
    let key =
        |key: &str| message_event(&format!(r#"{{"msgtype":"m.text","body":"x",{key}:1}}"#), "");
    for (json, problem) in [
        (body(r#""\ud800""#), "unexpected end of hex escape"),
        (body(r#""\ud800x""#), "unexpected end of hex escape"),
        (
            body(r#""\ud800\u0041""#),
            "lone leading surrogate in hex escape",
        ),
        (body(r#""\udc00""#), "lone leading surrogate in hex escape"),
        (key(r#""\udc00""#), "lone leading surrogate in hex escape"),
        (body(r#""\x""#), "invalid escape"),
        (body(r#""\u12""#), "invalid escape"),
        (
            body("\"a\u{1}b\""),
            "control character (\\u0000-\\u001F) found while parsing a string",
        ),
    ] {
        assert_eq!(
            concrete("m.room.message", &json),
            Err(problem.to_owned()),
            "{json}"
        );
        for name in schema_index::ENUMS {
            assert_eq!(
                through(name, &json),
                Err(problem.to_owned()),
                "{name}: {json}"
            );
        }
    }
    let pair = concrete("m.room.message", &body(r#""\ud83d\ude00""#)).unwrap();
    assert_eq!(pair["content"]["body"], "\u{1f600}");

    // Bytes that are not UTF-8 (only `from_slice` can be handed them): a stray continuation
    // byte, a sequence cut short, an overlong encoding, a surrogate encoded directly.
    for bad in [&b"\xff"[..], b"\xc3", b"\xc0\xaf", b"\xed\xa0\x80"] {
        for text in [body("\"@@\""), key("\"@@\"")] {
            let at = text.find("@@").unwrap();
            let mut bytes = text.into_bytes();
            bytes.splice(at..at + 2, bad.iter().copied());
            let err = serde_json::from_slice::<RoomMessageEvent>(&bytes).unwrap_err();
            assert_eq!(without_position(err), "invalid unicode code point");
            let err = serde_json::from_slice::<AnyTimelineEvent>(&bytes).unwrap_err();
            assert_eq!(without_position(err), "invalid unicode code point");
        }
    }
}

/// A 10 MB string is read and written back whole, as the value of a known field and as an
/// unknown key.
#[test]
fn ten_megabyte_strings_are_kept_whole() {
    const LEN: usize = 10 * 1024 * 1024;
    let long = "a".repeat(LEN);
    let as_body = message_event(&format!(r#"{{"msgtype":"m.text","body":"{long}"}}"#), "");
    let as_key = message_event(
        &format!(r#"{{"msgtype":"m.text","body":"x","{long}":true}}"#),
        "",
    );
    let expected_body: Value = serde_json::from_str(&as_body).unwrap();
    let expected_key: Value = serde_json::from_str(&as_key).unwrap();
    let event: RoomMessageEvent = serde_json::from_str(&as_body).unwrap();
    let RoomMessageEventContent::Text(text) = &event.content else {
        panic!(
            "read as {:?}",
            debug_variants(&format!("{:?}", event.content))
        );
    };
    assert_eq!(text.body.len(), LEN);
    assert_eq!(serde_json::to_value(&event).unwrap(), expected_body);
    assert_eq!(
        through("AnyTimelineEvent", &as_body),
        Ok(("MessageLike".to_owned(), expected_body))
    );
    let written = concrete("m.room.message", &as_key).unwrap();
    assert_eq!(written, expected_key);
    assert_eq!(written["content"][long.as_str()], true);
    assert_eq!(
        through("AnyTimelineEvent", &as_key),
        Ok(("MessageLike".to_owned(), expected_key))
    );
}

/// Found by `fuzz/` (the `any_event` target, seeded with the spec's examples, `$ref`s
/// unresolved): a 67-digit integer in an `m.location` thumbnail. serde_json reads it as the
/// float 3e66, which the Any… enums that do not know `m.room.message` keep in their
/// `Unknown` variant and write as `3e+66`; without serde_json's `float_roundtrip` that text
/// read back as a neighbouring float, so the round trip was not stable. The enums that know
/// `m.room.message` reject it, naming the field.
#[test]
fn regression_huge_float_in_location_thumbnail_round_trips_stably() {
    let big = "3000000000000000000000000000000000000000000000000000000000000000000";
    let input = format!(
        r#"{{"$ref":"core/room_event.json","type":"m.room.message","content":{{"body":"x","msgtype":"m.location","geo_uri":"geo:1,2","info":{{"thumbnail_info":{{"h":{big}}}}}}}}}"#
    );
    let read: Value = serde_json::from_str(&input).unwrap();
    let float = &read["content"]["info"]["thumbnail_info"]["h"];
    assert_eq!(float.to_string(), "3e+66");
    assert_eq!(
        serde_json::from_str::<Value>("3e+66").unwrap(),
        *float,
        "float_roundtrip: the written float reads back as itself"
    );
    let knows_messages = [
        "AnyMessageLikeEvent",
        "AnySyncMessageLikeEvent",
        "AnyTimelineEvent",
        "AnySyncTimelineEvent",
    ];
    for name in schema_index::ENUMS {
        let outcome = through(name, &input);
        if knows_messages.contains(name) {
            assert_eq!(
                outcome,
                Err(
                    "invalid `m.room.message` event at `content.info.thumbnail_info.h`: \
                     invalid type: floating point `3e+66`, expected i64"
                        .to_owned()
                ),
                "{name}"
            );
        } else {
            assert_eq!(outcome, Ok(("Unknown".to_owned(), read.clone())), "{name}");
        }
    }
    // And the byte-level round trip the fuzz target checks, for the enums of this file.
    for (name, check) in ENUMS {
        assert_eq!(
            check(input.as_bytes()).map_err(|err| format!("{name}: {err}")),
            Ok(!matches!(name, "AnyTimelineEvent" | "AnySyncTimelineEvent")),
            "{name}"
        );
    }
}
