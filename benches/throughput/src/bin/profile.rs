//! Runs one reader over the timeline input in a loop, for a profiler:
//!
//!     valgrind --tool=callgrind target/.../release/profile de_ours 3
//!     perf record -g target/.../release/profile de_ours 200
//!
//! usage: profile READER [ITERATIONS]   (READER: de_ours, de_ruma, de_value, de_ignored, ser_ours)

use std::hint::black_box;

use throughput::{de_ignored, de_ours, de_ruma, de_value, Corpus};

fn main() {
    let mut args = std::env::args().skip(1);
    let reader = args.next().unwrap_or_else(|| "de_ours".to_owned());
    let iterations: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let corpus = Corpus::load(&throughput::spec_dir());
    let doc = &corpus.timeline.docs[0];
    let parsed = de_ours(doc, true).unwrap();
    let start = std::time::Instant::now();
    for _ in 0..iterations {
        match reader.as_str() {
            "de_ours" => drop(black_box(de_ours(black_box(doc), true).unwrap())),
            "de_ruma" => drop(black_box(de_ruma(black_box(doc), true).unwrap())),
            "de_value" => drop(black_box(de_value(black_box(doc), true).unwrap())),
            "de_ignored" => de_ignored(black_box(doc), true).unwrap(),
            "ser_ours" => drop(black_box(serde_json::to_vec(black_box(&parsed)).unwrap())),
            other => panic!("unknown reader {other}"),
        }
    }
    let each = start.elapsed() / iterations as u32;
    eprintln!(
        "{reader}: {:.3} ms per pass over the timeline",
        each.as_secs_f64() * 1e3
    );
}
