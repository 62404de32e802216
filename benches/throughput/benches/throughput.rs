//! Criterion benchmark: the same bytes through each reader (see ../src/lib.rs and
//! ../../../BENCHMARKS.md). `../../throughput.sh` runs it and prints the summary table.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use throughput::sync::{ours_response, ours_typed, ruma_response, ruma_typed, SyncBody};
use throughput::{de_ignored, de_ours, de_ruma, de_value, Corpus, Input};

fn seconds(var: &str, default: f64) -> Duration {
    let value = std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Duration::from_secs_f64(value)
}

fn bench_input(c: &mut Criterion, input: &Input) {
    let mut group = c.benchmark_group(input.name);
    group.throughput(Throughput::Bytes(input.bytes as u64));
    let docs = &input.docs;
    let arrays = input.arrays;
    group.bench_function("de_ours", |b| {
        b.iter(|| {
            for doc in docs {
                black_box(de_ours(black_box(doc), arrays).unwrap());
            }
        })
    });
    group.bench_function("de_ruma", |b| {
        b.iter(|| {
            for doc in docs {
                black_box(de_ruma(black_box(doc), arrays).unwrap());
            }
        })
    });
    group.bench_function("de_value", |b| {
        b.iter(|| {
            for doc in docs {
                black_box(de_value(black_box(doc), arrays).unwrap());
            }
        })
    });
    group.bench_function("de_ignored", |b| {
        b.iter(|| {
            for doc in docs {
                de_ignored(black_box(doc), arrays).unwrap();
            }
        })
    });
    // Serialization: ruma's `Any…` enums do not implement `Serialize`, so only ours and `Value`.
    let ours: Vec<_> = docs
        .iter()
        .map(|doc| de_ours(doc, arrays).unwrap())
        .collect();
    group.bench_function("ser_ours", |b| {
        b.iter(|| {
            for events in &ours {
                if arrays {
                    black_box(serde_json::to_vec(black_box(events)).unwrap());
                } else {
                    black_box(serde_json::to_vec(black_box(&events[0])).unwrap());
                }
            }
        })
    });
    let values: Vec<_> = docs
        .iter()
        .map(|doc| de_value(doc, arrays).unwrap())
        .collect();
    group.bench_function("ser_value", |b| {
        b.iter(|| {
            for value in &values {
                black_box(serde_json::to_vec(black_box(value)).unwrap());
            }
        })
    });
    group.finish();
}

/// A whole `/sync` body: the response type with raw events, then every event typed, by each
/// crate; and the body as a `serde_json::Value`.
fn bench_sync(c: &mut Criterion, sync: &SyncBody) {
    let mut group = c.benchmark_group(sync.name);
    group.throughput(Throughput::Bytes(sync.body.len() as u64));
    let body = &sync.body[..];
    group.bench_function("response_ours", |b| {
        b.iter(|| black_box(ours_response(black_box(body)).unwrap()))
    });
    group.bench_function("response_ruma", |b| {
        b.iter(|| black_box(ruma_response(black_box(body)).unwrap()))
    });
    group.bench_function("typed_ours", |b| {
        b.iter(|| black_box(ours_typed(black_box(body)).unwrap()))
    });
    group.bench_function("typed_ruma", |b| {
        b.iter(|| black_box(ruma_typed(black_box(body)).unwrap()))
    });
    group.bench_function("de_value", |b| {
        b.iter(|| black_box(de_value(black_box(body), false).unwrap()))
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let corpus = Corpus::load(&throughput::spec_dir());
    eprint!("{}", corpus.report());
    for input in corpus.inputs() {
        bench_input(c, input);
    }
    match throughput::sync::synapse_sync(&throughput::synapse_dir()) {
        Ok(Some(sync)) => bench_sync(c, &sync),
        Ok(None) => eprintln!("no Synapse corpus: the /sync bench is left out"),
        Err(err) => panic!("the Synapse /sync body: {err}"),
    }
}

criterion_group! {
    name = throughput;
    // Modest times: the machine has 2 shared cores. BENCH_MEASURE / BENCH_WARMUP (seconds) override.
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(seconds("BENCH_WARMUP", 1.0))
        .measurement_time(seconds("BENCH_MEASURE", 3.0));
    targets = benches
}
criterion_main!(throughput);
