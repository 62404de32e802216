//! Criterion benchmark: one /sync response body through each reader (see ../src/lib.rs and
//! ../../../BENCHMARKS.md). `../../sync.sh` runs it and prints the summary.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sync_bench::{Input, READERS};

fn seconds(var: &str, default: f64) -> Duration {
    let value = std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    Duration::from_secs_f64(value)
}

fn benches(c: &mut Criterion) {
    let input = Input::build();
    eprint!("{}", input.report());
    let mut group = c.benchmark_group("sync");
    group.throughput(Throughput::Bytes(input.body.len() as u64));
    // Each reader's result is built and dropped inside the timed loop, as a client would.
    group.bench_function("before", |b| b.iter(|| black_box(sync_bench::de_before(black_box(&input.body)).unwrap())));
    group.bench_function("raw", |b| b.iter(|| black_box(sync_bench::de_raw(black_box(&input.body)).unwrap())));
    group.bench_function("raw_typed", |b| {
        b.iter(|| black_box(sync_bench::de_raw_typed(black_box(&input.body)).unwrap()))
    });
    group.bench_function("before_typed", |b| {
        b.iter(|| black_box(sync_bench::de_before_typed(black_box(&input.body)).unwrap()))
    });
    group.bench_function("value", |b| b.iter(|| black_box(sync_bench::de_value(black_box(&input.body)).unwrap())));
    group.bench_function("ignored", |b| b.iter(|| sync_bench::de_ignored(black_box(&input.body)).unwrap()));
    group.finish();
    debug_assert_eq!(READERS.len(), 6);
}

criterion_group! {
    name = sync;
    // Modest times: the machine has 2 shared cores. BENCH_MEASURE / BENCH_WARMUP (seconds) override.
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(seconds("BENCH_WARMUP", 1.0))
        .measurement_time(seconds("BENCH_MEASURE", 3.0));
    targets = benches
}
criterion_main!(sync);
