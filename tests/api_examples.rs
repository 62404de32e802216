//! Every inline example of the spec's API descriptions (the OpenAPI files under `data/api/`:
//! media types of requests and responses, parameters, headers, and schemas anywhere, the
//! definitions files included) deserializes into the type generated for the schema it
//! illustrates and serializes back to the same JSON value; the generated crate lists
//! exactly the operations the spec describes; and each operation's request, built from a
//! sample of its parameters and body, is an `http` request to a valid URI of its path.
//!
//! The examples are found in the spec when the test runs (see `tests::api`), so an example
//! the spec adds is checked without a change here. Nothing is skipped: an example that has no
//! type, cannot be read, or sits where the walk does not look is a failure. Examples of media
//! types other than JSON are listed, not checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use matrix_types::schema_index;
use serde_json::Value;
use tests::api::{self, Example, Place};
use tests::{json_diff, overrides, spec_dir};

/// How many failures are listed (all are counted).
const LISTED: usize = 60;

fn main() {
    let started = Instant::now();
    let spec = spec_dir();
    let data = spec.join("data");
    let overrides = overrides();
    let found = api::find(&data, &overrides).unwrap_or_else(|err| panic!("{err}"));

    let mut failures = Vec::new();
    // (place, schema-level) -> (checked, passed)
    let mut tally: BTreeMap<(Place, bool), (usize, usize)> = BTreeMap::new();
    for example in &found.examples {
        let counts = tally
            .entry((example.place, example.schema_level))
            .or_default();
        counts.0 += 1;
        match check(example) {
            Ok(()) => counts.1 += 1,
            Err(err) => failures.push(err),
        }
    }
    for (file, at) in &found.unreached {
        failures.push(format!(
            "{file}#{at}: an example where the walk does not look (no schema known for it)"
        ));
    }

    println!(
        "api examples of {} ({} files):",
        spec.display(),
        found.files.len()
    );
    for place in Place::ALL {
        let own = tally.get(&(place, false)).copied().unwrap_or_default();
        let inner = tally.get(&(place, true)).copied().unwrap_or_default();
        let form = match place {
            Place::Response | Place::RequestBody => "of media types",
            Place::Parameter => "of parameters/headers",
            Place::Schema => "of their own",
        };
        println!(
            "  {:<28} {:>4} {form} + {:>4} schema-level = {:>4} checked, {:>4} passed",
            place.name(),
            own.0,
            inner.0,
            own.0 + inner.0,
            own.1 + inner.1,
        );
    }
    if !found.non_json.is_empty() {
        println!("  not JSON, not checked: {} examples", found.non_json.len());
        for (file, at, media_type) in &found.non_json {
            println!("    {file}#{at} ({media_type})");
        }
    }

    let floor_failures = check_floors(&data, &tally);

    let checked: usize = tally.values().map(|c| c.0).sum();
    let passed: usize = tally.values().map(|c| c.1).sum();
    for failure in failures.iter().take(LISTED) {
        println!("  FAILED {failure}");
    }
    if failures.len() > LISTED {
        println!("  … and {} more failures", failures.len() - LISTED);
    }
    for failure in &floor_failures {
        println!("  FAILED {failure}");
    }
    let operation_differences = check_operations(&found.operations);
    let request_failures = check_requests();
    println!(
        "api examples: {checked} checked, {passed} passed, {} failed ({} unreached) in {:.1?}",
        failures.len(),
        found.unreached.len(),
        started.elapsed()
    );
    if !failures.is_empty()
        || !floor_failures.is_empty()
        || operation_differences > 0
        || request_failures > 0
    {
        std::process::exit(1);
    }
}

/// Reads an example through the type of its schema and writes it back: it must be the same
/// JSON value (numbers included: `1` and `1.0` differ, as in the event round trip). The error
/// says where the example is and what went wrong.
fn check(example: &Example) -> Result<(), String> {
    let place = format!("{}#{}", example.file, example.at);
    let value = example
        .value
        .as_ref()
        .map_err(|err| format!("{place}: cannot read the example: {err}"))?;
    match schema_index::round_trip_at(&example.file, &example.schema, value) {
        None if example.at == format!("{}/example", example.schema) => {
            Err(format!("no type for {}#{}", example.file, example.schema))
        }
        None => Err(format!(
            "no type for {}#{} (the schema of {place})",
            example.file, example.schema
        )),
        Some(Err(err)) => Err(format!("{place}: does not deserialize: {err}")),
        Some(Ok(written)) if written == *value => Ok(()),
        Some(Ok(written)) => {
            let diff = json_diff(value, &written);
            let more = match diff.len() {
                0 | 1 => String::new(),
                n => format!(" (and {} more differences)", n - 1),
            };
            let first = diff.first().map_or("differs", String::as_str);
            Err(format!("{place}: written back differently: {first}{more}"))
        }
    }
}

/// The least number of examples of each place (and form: `Some(true)` schema-level only,
/// `Some(false)` those of media types only, `None` both) a spec has, so that an enumeration
/// broken by a change of the spec's layout fails rather than checking little. They apply only
/// to specs whose API descriptions are OpenAPI 3.1 (v1.8 onwards: `openapi: 3.1.0` in
/// `api/client-server/profile.yaml`); the Swagger 2.0 descriptions of v1.1 to v1.7, read
/// converted to that shape, describe less and have fewer examples. Each floor sits
/// about 10% below the fewest any release from v1.8 to main has (in brackets).
const FLOORS: &[(Place, Option<bool>, usize)] = &[
    (Place::Response, Some(false), 300), // 329 (v1.10); main 377
    (Place::Response, Some(true), 80),   // 94 (v1.14); main 105
    (Place::RequestBody, None, 145),     // 164 (v1.18); main 164
    (Place::Parameter, None, 250),       // 280 (v1.10); main 292
    (Place::Schema, None, 165),          // 188 (v1.11); main 218
];

/// The floors the counts of `tally` fall short of.
fn check_floors(data: &Path, tally: &BTreeMap<(Place, bool), (usize, usize)>) -> Vec<String> {
    let profile = data.join("api/client-server/profile.yaml");
    // Read as the generator reads it, a Swagger 2.0 description is OpenAPI 3.1 marked as
    // converted (`codegen::swagger`): the floors are for descriptions written as OpenAPI 3.1.
    let openapi_3_1 = api::read_spec_file(data, &profile, &Default::default())
        .ok()
        .filter(|doc| doc.get(codegen::swagger::CONVERTED_MARK).is_none())
        .and_then(|doc| {
            doc.get("openapi")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .is_some_and(|version| version.starts_with("3.1"));
    if !openapi_3_1 {
        println!("  (no floors: the API descriptions are not OpenAPI 3.1)");
        return Vec::new();
    }
    FLOORS
        .iter()
        .filter_map(|&(place, form, floor)| {
            let count: usize = tally
                .iter()
                .filter(|((p, schema_level), _)| {
                    *p == place && (form.is_none() || form == Some(*schema_level))
                })
                .map(|(_, counts)| counts.0)
                .sum();
            let what = match form {
                None => "",
                Some(true) => " schema-level",
                Some(false) => " media type",
            };
            (count < floor).then(|| {
                format!(
                    "only {count}{what} {} examples found, fewer than the {floor} of every \
                     OpenAPI 3.1 release (is the enumeration broken?)",
                    place.name()
                )
            })
        })
        .collect()
}

/// The operations of the spec and those of `schema_index::OPERATIONS` must be the same set;
/// prints the differences both ways (each list capped) and returns how many there are.
fn check_operations(in_spec: &BTreeSet<(String, String, String)>) -> usize {
    let generated: BTreeSet<(String, String, String)> = schema_index::OPERATIONS
        .iter()
        .map(|&(file, method, path)| (file.to_owned(), method.to_owned(), path.to_owned()))
        .collect();
    let duplicates = schema_index::OPERATIONS.len() - generated.len();
    let missing: Vec<_> = in_spec.difference(&generated).collect();
    let extra: Vec<_> = generated.difference(in_spec).collect();
    println!(
        "operations: {} in the spec, {} in OPERATIONS ({duplicates} duplicates), \
         {} missing from OPERATIONS, {} not in the spec",
        in_spec.len(),
        schema_index::OPERATIONS.len(),
        missing.len(),
        extra.len()
    );
    for (what, list) in [
        ("not in OPERATIONS", &missing),
        ("in OPERATIONS but not in the spec", &extra),
    ] {
        for (file, method, path) in list.iter().take(LISTED) {
            println!("  FAILED operation {method} {path} of {file}: {what}");
        }
        if list.len() > LISTED {
            println!("  … and {} more {what}", list.len() - LISTED);
        }
    }
    duplicates + missing.len() + extra.len()
}

/// Builds the request of every operation from its sample (`schema_index::REQUEST_SAMPLES`: a
/// value for each required parameter and the body) and checks it: the method, a URI that
/// parses back to itself with the operation's path (each `{parameter}` one segment), the
/// access token, and a JSON body. Lists each failure; returns their count.
fn check_requests() -> usize {
    use schema_index::{build_request, METADATA, REQUEST_SAMPLES};
    let base = "https://matrix.example.org";
    let mut failures = Vec::new();
    for (index, (metadata, sample)) in METADATA.iter().zip(REQUEST_SAMPLES).enumerate() {
        let id = metadata.operation_id;
        let built = serde_json::from_str(sample)
            .map_err(|err| err.to_string())
            .and_then(|fields: Value| {
                let request = build_request(index, &fields, base, Some("token"))
                    .ok_or("no request builder")??;
                check_request(metadata, &fields, &request, base).map(|()| request)
            });
        if let Err(err) = built {
            failures.push(format!(
                "{id} ({} {}): {err}",
                metadata.method, metadata.path
            ));
        }
    }
    if REQUEST_SAMPLES.len() != METADATA.len() {
        failures.push(format!(
            "{} request samples for {} operations",
            REQUEST_SAMPLES.len(),
            METADATA.len()
        ));
    }
    for failure in failures.iter().take(LISTED) {
        println!("  FAILED request {failure}");
    }
    println!(
        "requests: {} operations built from samples, {} failed",
        METADATA.len(),
        failures.len()
    );
    failures.len()
}

fn check_request(
    metadata: &matrix_types::api::Metadata,
    fields: &Value,
    request: &http::Request<Vec<u8>>,
    base: &str,
) -> Result<(), String> {
    if request.method() != metadata.method {
        return Err(format!("method {}", request.method()));
    }
    let text = request.uri().to_string();
    let parsed: http::Uri = text.parse().map_err(|err| format!("{text:?}: {err}"))?;
    if parsed != *request.uri() || !text.starts_with(base) {
        return Err(format!("the URI {text:?} does not parse back to itself"));
    }
    let segments: Vec<&str> = parsed.path().split('/').collect();
    let template: Vec<&str> = metadata.path.split('/').collect();
    // A parameter's segment is empty only at the end: an optional path parameter left out
    // (the deprecated `keyId` of the server keys until v1.6).
    let last = template.len().saturating_sub(1);
    let path_matches = segments.len() == template.len()
        && segments
            .iter()
            .zip(&template)
            .enumerate()
            .all(|(at, (segment, expected))| {
                if expected.starts_with('{') {
                    (at == last || !segment.is_empty()) && !segment.contains(['{', '}'])
                } else {
                    segment == expected
                }
            });
    if !path_matches {
        return Err(format!("the path of {text:?} is not that of the operation"));
    }
    if metadata.requires_authentication()
        && request.headers().get("authorization").map(|v| v.as_bytes()) != Some(b"Bearer token")
    {
        return Err("no access token".to_owned());
    }
    if fields.get("body").is_some_and(|body| !body.is_string()) {
        if request.headers().get("content-type").map(|v| v.as_bytes()) != Some(b"application/json")
        {
            return Err("a JSON body without its content type".to_owned());
        }
        serde_json::from_slice::<Value>(request.body())
            .map_err(|err| format!("the body is not JSON: {err}"))?;
    }
    Ok(())
}
