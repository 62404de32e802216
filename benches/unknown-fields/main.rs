//! The runner of `benches/unknown-fields.sh`: times deserializing the spec's event examples
//! with one variant of the generated crate (`collect` or `flatten`, whichever `matrix-types`
//! this binary was built against).
//!
//! usage: unknown-fields-runner SPEC_DIR [SECONDS]
//!
//! `dispatch.rs` (beside the runner's Cargo.toml, written by the script from the crate's
//! `schema_index.rs`) maps schema names and `Any…` enum names to readers.
//!
//! Prints, for the script to parse, tab-separated lines:
//!   `inputs  CASE  COUNT  CHECKSUM`    the inputs of a case (the same in both variants?)
//!   `result  CASE  TYPED_NS  VALUE_NS` median-of-5 ns per event, typed and `serde_json::Value`
//! and notes (skipped examples) on stderr.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use matrix_types::schema_index::{EVENT_ENUMS, SCHEMAS};

/// Deserializes one JSON text; the value is dropped inside (both variants pay that alike).
type Reader = fn(&str) -> Result<(), serde_json::Error>;

fn read<T: DeserializeOwned>(json: &str) -> Result<(), serde_json::Error> {
    let value: T = serde_json::from_str(json)?;
    black_box(&value);
    Ok(())
}

fn read_value(json: &str) -> Result<(), serde_json::Error> {
    read::<Value>(json)
}

// Defines `fn concrete(schema: &str) -> Option<Reader>` and `fn any(enum_name: &str) -> Option<Reader>`.
include!(concat!(env!("CARGO_MANIFEST_DIR"), "/dispatch.rs"));

const SAMPLES: usize = 5;
/// Unknown fields added to the top level and to `content` of the wide case.
const PADDING: usize = 20;

struct Case {
    name: &'static str,
    /// (example name, JSON text, reader of its type)
    inputs: Vec<(String, String, Reader)>,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let spec = PathBuf::from(args.next().expect("usage: unknown-fields-runner SPEC_DIR [SECONDS]"));
    let seconds: f64 = args
        .next()
        .map(|s| s.parse().expect("SECONDS is a number"))
        .unwrap_or(2.5);

    let examples = load_examples(&spec);
    let total = examples.len();

    let mut concrete_inputs = Vec::new();
    let mut any_inputs = Vec::new();
    let mut member_inputs = Vec::new();
    let mut wide_inputs = Vec::new();
    let mut skipped = Vec::new();
    for (name, value) in &examples {
        let json = value.to_string();
        let stem = name.as_str();
        let base = stem.split('$').next().unwrap_or(stem);
        let schema = if SCHEMAS.iter().any(|(s, _)| *s == stem) { stem } else { base };
        match concrete(schema) {
            None => skipped.push(format!("{name} (concrete: no type for `{schema}`)")),
            Some(reader) => match reader(&json) {
                Ok(()) => concrete_inputs.push((name.clone(), json.clone(), reader)),
                Err(err) => skipped.push(format!("{name} (concrete {schema}: {err})")),
            },
        }
        let event_type = value.get("type").and_then(Value::as_str).unwrap_or(base);
        match EVENT_ENUMS.iter().find(|(t, _)| *t == event_type).and_then(|(_, enums)| enums.first()) {
            None => skipped.push(format!("{name} (any: `{event_type}` is in no Any… enum)")),
            Some(enum_name) => {
                let reader = any(enum_name).expect("every enum of EVENT_ENUMS has a reader");
                match reader(&json) {
                    Ok(()) => any_inputs.push((name.clone(), json.clone(), reader)),
                    Err(err) => skipped.push(format!("{name} (any {enum_name}: {err})")),
                }
            }
        }
        if schema == "m.room.member" {
            let reader = concrete("m.room.member").expect("m.room.member has a type");
            let wide = pad(value).to_string();
            if reader(&json).is_ok() && reader(&wide).is_ok() {
                member_inputs.push((name.clone(), json.clone(), reader));
                wide_inputs.push((name.clone(), wide, reader));
            } else {
                skipped.push(format!("{name} (wide: not readable as m.room.member)"));
            }
        }
    }
    for note in &skipped {
        eprintln!("skipped: {note}");
    }
    eprintln!(
        "examples: {total}; concrete {}, any {}, member/wide {}",
        concrete_inputs.len(),
        any_inputs.len(),
        member_inputs.len()
    );

    let cases = [
        Case { name: "concrete", inputs: concrete_inputs },
        Case { name: "any", inputs: any_inputs },
        Case { name: "member", inputs: member_inputs },
        Case { name: "wide", inputs: wide_inputs },
    ];
    for case in &cases {
        println!("inputs\t{}\t{}\t{:016x}", case.name, case.inputs.len(), checksum(&case.inputs));
    }
    // Two measurements (typed, Value) per case, SAMPLES samples each.
    let per_sample = Duration::from_secs_f64(seconds / (cases.len() * 2 * SAMPLES) as f64);
    for case in &cases {
        if case.inputs.is_empty() {
            continue;
        }
        let typed = measure(&case.inputs, None, per_sample);
        let value = measure(&case.inputs, Some(read_value), per_sample);
        println!("result\t{}\t{typed:.1}\t{value:.1}", case.name);
    }
}

/// Median over `SAMPLES` samples of ns per event; `with` replaces each input's own reader.
fn measure(inputs: &[(String, String, Reader)], with: Option<Reader>, per_sample: Duration) -> f64 {
    let pass = || {
        for (_, json, reader) in inputs {
            let reader = with.unwrap_or(*reader);
            black_box(reader(black_box(json))).expect("read during the setup");
        }
    };
    // Warm up, then choose how many passes fill one sample.
    let started = Instant::now();
    let mut warmup = 0u32;
    while warmup < 3 || started.elapsed() < per_sample / 4 {
        pass();
        warmup += 1;
    }
    let one_pass = started.elapsed().as_secs_f64() / f64::from(warmup);
    let passes = ((per_sample.as_secs_f64() / one_pass).ceil() as u64).max(1);
    let mut samples: Vec<f64> = (0..SAMPLES)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..passes {
                pass();
            }
            started.elapsed().as_nanos() as f64 / (passes as f64 * inputs.len() as f64)
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[SAMPLES / 2]
}

/// `event` with `PADDING` unknown fields added at its top level and in its `content`.
fn pad(event: &Value) -> Value {
    let mut event = event.clone();
    let filler = |i: usize| match i % 4 {
        0 => Value::from(format!("unknown value number {i}")),
        1 => Value::from(1_000_000 + i as i64),
        2 => Value::from(i % 3 == 0),
        _ => serde_json::json!({ "nested": i, "label": "x", "list": [1, 2, 3] }),
    };
    if let Some(object) = event.as_object_mut() {
        for i in 0..PADDING {
            object.insert(format!("org.example.unknown_{i:02}"), filler(i));
        }
        if let Some(content) = object.get_mut("content").and_then(Value::as_object_mut) {
            for i in 0..PADDING {
                content.insert(format!("org.example.unknown_{i:02}"), filler(i + 1));
            }
        }
    }
    event
}

/// FNV-1a over the names and texts, so the script can check both variants read the same inputs.
fn checksum(inputs: &[(String, String, Reader)]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for (name, json, _) in inputs {
        for byte in name.bytes().chain([0]).chain(json.bytes()).chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The top-level `.yaml` files of `event-schemas/examples` (JSON texts), sorted, with every
/// `$ref` resolved (the referenced file merged in, the referring object's own keys winning).
fn load_examples(spec: &Path) -> Vec<(String, Value)> {
    let dir = spec.join("data/event-schemas/examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.expect("readable folder").path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|path| {
            let name = path.file_stem()?.to_str()?.to_owned();
            match load(path, 0) {
                Ok(value) => Some((name, value)),
                Err(err) => {
                    eprintln!("skipped: {name} (cannot load: {err})");
                    None
                }
            }
        })
        .collect()
}

fn load(path: &Path, depth: usize) -> Result<Value, String> {
    if depth > 16 {
        return Err(format!("{}: `$ref` chain too deep", path.display()));
    }
    let text = std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
    let value: Value = serde_json::from_str(&text).map_err(|err| format!("{}: {err}", path.display()))?;
    resolve(value, path.parent().unwrap_or(Path::new(".")), depth)
}

fn resolve(value: Value, base: &Path, depth: usize) -> Result<Value, String> {
    match value {
        Value::Object(mut map) => {
            let reference = map.remove("$ref");
            let mut own = Map::new();
            for (key, child) in map {
                own.insert(key, resolve(child, base, depth)?);
            }
            match reference {
                None => Ok(Value::Object(own)),
                Some(Value::String(reference)) => match load(&base.join(&reference), depth + 1)? {
                    Value::Object(mut merged) => {
                        merged.extend(own);
                        Ok(Value::Object(merged))
                    }
                    other if own.is_empty() => Ok(other),
                    _ => Err(format!("`$ref: {reference}` is not an object but has sibling keys")),
                },
                Some(other) => Err(format!("`$ref` is not a string: {other}")),
            }
        }
        Value::Array(items) => items.into_iter().map(|item| resolve(item, base, depth)).collect(),
        other => Ok(other),
    }
}
