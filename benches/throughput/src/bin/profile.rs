//! Runs one reader over one input in a loop, for a profiler:
//!
//!     valgrind --tool=callgrind --toggle-collect='profile::pass' target/.../release/profile de_ours 3
//!     perf record -g target/.../release/profile de_ours 200 synapse
//!
//! usage: profile READER [ITERATIONS [INPUT]]
//!   READER: de_ours, de_ruma, de_value, de_ignored, ser_ours, ser_value
//!   INPUT: timeline (default), examples, synapse (when its corpus exists)

use std::hint::black_box;

use matrix_types::events::AnySyncTimelineEvent;
use serde_json::Value;
use throughput::{de_ignored, de_ours, de_ruma, de_value, Corpus, Input};

fn main() {
    let mut args = std::env::args().skip(1);
    let reader = args.next().unwrap_or_else(|| "de_ours".to_owned());
    let iterations: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let input = args.next().unwrap_or_else(|| "timeline".to_owned());
    let corpus = Corpus::load(&throughput::spec_dir());
    let Some(input) = corpus.inputs().into_iter().find(|each| each.name == input) else {
        panic!("no input {input}");
    };
    let ours: Vec<_> = input
        .docs
        .iter()
        .map(|doc| de_ours(doc, input.arrays).unwrap())
        .collect();
    let values: Vec<_> = input
        .docs
        .iter()
        .map(|doc| de_value(doc, input.arrays).unwrap())
        .collect();
    let start = std::time::Instant::now();
    for _ in 0..iterations {
        pass(&reader, input, &ours, &values);
    }
    let each = start.elapsed() / iterations as u32;
    eprintln!(
        "{reader}: {:.3} ms per pass over {}",
        each.as_secs_f64() * 1e3,
        input.name
    );
}

/// One pass of `reader` over every document of `input`, the results dropped inside.
#[inline(never)]
fn pass(reader: &str, input: &Input, ours: &[Vec<AnySyncTimelineEvent>], values: &[Value]) {
    let arrays = input.arrays;
    for (index, doc) in input.docs.iter().enumerate() {
        match reader {
            "de_ours" => drop(black_box(de_ours(black_box(doc), arrays).unwrap())),
            "de_ruma" => drop(black_box(de_ruma(black_box(doc), arrays).unwrap())),
            "de_value" => drop(black_box(de_value(black_box(doc), arrays).unwrap())),
            "de_ignored" => de_ignored(black_box(doc), arrays).unwrap(),
            "ser_ours" => {
                let events = &ours[index];
                drop(black_box(if arrays {
                    serde_json::to_vec(black_box(events)).unwrap()
                } else {
                    serde_json::to_vec(black_box(&events[0])).unwrap()
                }))
            }
            "ser_value" => drop(black_box(
                serde_json::to_vec(black_box(&values[index])).unwrap(),
            )),
            other => panic!("unknown reader {other}"),
        }
    }
}
