//! Prints the table of the throughput benchmark from criterion's results.
//!
//! usage: summary CRITERION_DIR   (the `criterion` folder of the target directory)
//!
//! It loads the corpus again (as the bench did, from the same spec) for the event and byte
//! counts and what was left out, and reads each bench's median time per iteration from
//! `CRITERION_DIR/<input>/<bench>/new/estimates.json`.

use std::path::{Path, PathBuf};

use throughput::sync::{synapse_sync, SyncBody};
use throughput::{Corpus, Input};

/// The benches of one input, with what each one reads.
const ROWS: &[(&str, &str)] = &[
    (
        "de_ours",
        "deserialize: matrix_types::events::AnySyncTimelineEvent",
    ),
    (
        "de_ruma",
        "deserialize: ruma_events::AnySyncTimelineEvent + its Raw fields",
    ),
    ("de_value", "deserialize: serde_json::Value"),
    ("de_ignored", "deserialize: serde::de::IgnoredAny (floor)"),
    ("ser_ours", "serialize: ours, to bytes"),
    ("ser_value", "serialize: serde_json::Value, to bytes"),
];

fn median_ns(dir: &Path, input: &str, bench: &str) -> Option<f64> {
    let path = dir.join(input).join(bench).join("new/estimates.json");
    let text = std::fs::read_to_string(&path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn table(dir: &Path, input: &Input) -> Vec<String> {
    let mut summary = Vec::new();
    println!(
        "\n{}: {} events, {} bytes{}",
        input.name,
        input.events,
        input.bytes,
        match (input.arrays, input.docs.len()) {
            (true, 1) => " (one JSON array)".to_owned(),
            (true, arrays) => format!(" ({arrays} JSON arrays)"),
            (false, _) => " (one document per event)".to_owned(),
        }
    );
    println!(
        "  {:<11} {:>11} {:>12} {:>9}  {}",
        "bench", "time/iter", "events/s", "MB/s", "what"
    );
    for (bench, what) in ROWS {
        let Some(ns) = median_ns(dir, input.name, bench) else {
            println!("  {bench:<11} (no result in {})", dir.display());
            continue;
        };
        let seconds = ns / 1e9;
        println!(
            "  {:<11} {:>8.3} ms {:>12.0} {:>9.1}  {}",
            bench,
            ns / 1e6,
            input.events as f64 / seconds,
            input.bytes as f64 / seconds / 1e6,
            what
        );
    }
    let time = |bench: &str| median_ns(dir, input.name, bench);
    let mut ratio = |label: &str, a: &str, b: &str| {
        if let (Some(a), Some(b)) = (time(a), time(b)) {
            let line = format!("{}: {label} = {:.2}", input.name, a / b);
            println!("  {label:<26} {:>6.2}  (time ratio)", a / b);
            summary.push(line);
        }
    };
    ratio("de: ours / ruma", "de_ours", "de_ruma");
    ratio("de: ours / IgnoredAny", "de_ours", "de_ignored");
    ratio("de: ruma / IgnoredAny", "de_ruma", "de_ignored");
    ratio("de: ours / Value", "de_ours", "de_value");
    ratio("ser: ours / Value", "ser_ours", "ser_value");
    summary
}

/// The benches of the whole `/sync` body.
const SYNC_ROWS: &[(&str, &str)] = &[
    ("response_ours", "SyncResponse (events Raw)"),
    (
        "response_ruma",
        "ruma sync_events::v3::Response (events Raw)",
    ),
    ("typed_ours", "SyncResponse, then every event typed"),
    (
        "typed_ruma",
        "ruma's Response, then every Raw event deserialized",
    ),
    ("de_value", "serde_json::Value"),
];

fn sync_table(dir: &Path, sync: &SyncBody) -> Vec<String> {
    println!(
        "\n{}: one /sync body, {} events, {} bytes",
        sync.name,
        sync.events,
        sync.body.len()
    );
    println!(
        "  {:<14} {:>11} {:>12} {:>9}  {}",
        "bench", "time/iter", "events/s", "MB/s", "what"
    );
    for (bench, what) in SYNC_ROWS {
        let Some(ns) = median_ns(dir, sync.name, bench) else {
            println!("  {bench:<14} (no result in {})", dir.display());
            continue;
        };
        let seconds = ns / 1e9;
        println!(
            "  {:<14} {:>8.3} ms {:>12.0} {:>9.1}  {}",
            bench,
            ns / 1e6,
            sync.events as f64 / seconds,
            sync.body.len() as f64 / seconds / 1e6,
            what
        );
    }
    let mut summary = Vec::new();
    for (label, a, b) in [
        ("response: ours / ruma", "response_ours", "response_ruma"),
        ("typed: ours / ruma", "typed_ours", "typed_ruma"),
        ("typed: ours / Value", "typed_ours", "de_value"),
    ] {
        if let (Some(a), Some(b)) = (median_ns(dir, sync.name, a), median_ns(dir, sync.name, b)) {
            println!("  {label:<26} {:>6.2}  (time ratio)", a / b);
            summary.push(format!("{}: {label} = {:.2}", sync.name, a / b));
        }
    }
    summary
}

fn main() {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            eprintln!("usage: summary CRITERION_DIR");
            std::process::exit(2)
        });
    let corpus = Corpus::load(&throughput::spec_dir());
    print!("{}", corpus.report());
    let mut summary: Vec<String> = corpus
        .inputs()
        .into_iter()
        .flat_map(|input| table(&dir, input))
        .collect();
    match synapse_sync(&throughput::synapse_dir()) {
        Ok(Some(sync)) => summary.extend(sync_table(&dir, &sync)),
        Ok(None) => println!("\nno Synapse corpus: no /sync table"),
        Err(err) => println!("\nthe Synapse /sync body: {err}"),
    }
    println!("\nmedian time per iteration (one pass over the input); MB = 10^6 bytes");
    println!("ours parses every field typed and keeps unknown fields; ruma parses every field it defines");
    println!("(unknown fields skipped); Value builds the tree; IgnoredAny only checks the JSON.");
    println!();
    for line in summary {
        println!("{line}");
    }
}
