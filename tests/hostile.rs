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

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::Once;
use std::time::Instant;

use matrix_types::events::{
    AnyEphemeralRoomEvent, AnyGlobalAccountDataEvent, AnyRoomAccountDataEvent,
    AnyStrippedStateEvent, AnySyncTimelineEvent, AnyTimelineEvent, AnyToDeviceEvent,
};
use serde_json::Value;
use tests::{event_examples, load_example, spec_dir};

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
