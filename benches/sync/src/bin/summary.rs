//! Prints the table of the /sync benchmark from criterion's results, and the memory each
//! reader allocates (measured here, with a counting allocator, on one read of the same input).
//!
//! usage: summary CRITERION_DIR   (the `criterion` folder of the target directory)
//!
//! It builds the input again (deterministic: the same bytes the bench read) for the event and
//! byte counts, and reads each bench's median time per iteration from
//! `CRITERION_DIR/sync/<bench>/new/estimates.json`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::any::Any;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use sync_bench::{Input, READERS, TIMELINE_EVENTS};

/// The system allocator, counting allocations, bytes allocated and the peak of live bytes.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(size: usize) {
    let live = LIVE.fetch_add(size, Relaxed) + size;
    PEAK.fetch_max(live, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        ALLOCATED.fetch_add(layout.size(), Relaxed);
        grew(layout.size());
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        if new_size > layout.size() {
            ALLOCATED.fetch_add(new_size - layout.size(), Relaxed);
            grew(new_size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Relaxed);
        }
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What one read allocates: allocations, bytes allocated in all, the peak of live bytes during
/// the read, and the bytes the result holds when the read returns.
struct Memory {
    allocations: usize,
    allocated: usize,
    peak: usize,
    retained: usize,
}

fn measure(read: &dyn Fn() -> Box<dyn Any>) -> Memory {
    let base_live = LIVE.load(Relaxed);
    PEAK.store(base_live, Relaxed);
    let (allocations, allocated) = (ALLOCATIONS.load(Relaxed), ALLOCATED.load(Relaxed));
    let result = read();
    let memory = Memory {
        allocations: ALLOCATIONS.load(Relaxed) - allocations,
        allocated: ALLOCATED.load(Relaxed) - allocated,
        peak: PEAK.load(Relaxed) - base_live,
        retained: LIVE.load(Relaxed) - base_live,
    };
    drop(result);
    memory
}

/// The readers again, keeping their results (to count what they hold).
fn keep(name: &str, bytes: &[u8]) -> Box<dyn Any> {
    match name {
        "before" => Box::new(sync_bench::de_before(bytes).unwrap()),
        "raw" => Box::new(sync_bench::de_raw(bytes).unwrap()),
        "raw_typed" => Box::new(sync_bench::de_raw_typed(bytes).unwrap()),
        "before_typed" => Box::new(sync_bench::de_before_typed(bytes).unwrap()),
        "value" => Box::new(sync_bench::de_value(bytes).unwrap()),
        "ignored" => Box::new(sync_bench::de_ignored(bytes).unwrap()),
        other => panic!("no reader {other}"),
    }
}

fn median_ns(dir: &Path, bench: &str) -> Option<f64> {
    let path = dir.join("sync").join(bench).join("new/estimates.json");
    let text = std::fs::read_to_string(&path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}

fn main() {
    let dir = std::env::args_os().nth(1).map(PathBuf::from).unwrap_or_else(|| {
        eprintln!("usage: summary CRITERION_DIR");
        std::process::exit(2)
    });
    let input = Input::build();
    print!("{}", input.report());
    let bytes = input.body.len() as f64;

    println!("\ntime: median of criterion's samples for one read of the response (the result dropped)");
    println!("  {:<13} {:>10} {:>12} {:>8}  what", "bench", "time", "events/s", "MB/s");
    for reader in READERS {
        let Some(ns) = median_ns(&dir, reader.name) else {
            println!("  {:<13} (no result in {})", reader.name, dir.display());
            continue;
        };
        let seconds = ns / 1e9;
        println!(
            "  {:<13} {:>7.3} ms {:>12.0} {:>8.1}  {}",
            reader.name,
            ns / 1e6,
            TIMELINE_EVENTS as f64 / seconds,
            bytes / seconds / 1e6,
            reader.what
        );
    }

    println!("\nmemory of one read (counting allocator; MB = 10^6 bytes; the input is {:.2} MB)", bytes / 1e6);
    println!(
        "  {:<13} {:>11} {:>14} {:>10} {:>10}",
        "bench", "allocations", "allocated MB", "peak MB", "result MB"
    );
    let mut memory = Vec::new();
    for reader in READERS {
        let m = measure(&|| keep(reader.name, &input.body));
        println!(
            "  {:<13} {:>11} {:>14.2} {:>10.2} {:>10.2}",
            reader.name,
            m.allocations,
            m.allocated as f64 / 1e6,
            m.peak as f64 / 1e6,
            m.retained as f64 / 1e6
        );
        memory.push((reader.name, m));
    }

    println!("\nratios (time, lower is faster; memory: the result's bytes)");
    let time = |bench: &str| median_ns(&dir, bench);
    let mut lines = Vec::new();
    for (label, a, b) in [
        ("b/a  raw / before", "raw", "before"),
        ("c/a  raw_typed / before", "raw_typed", "before"),
        ("c/b  raw_typed / raw", "raw_typed", "raw"),
        ("c/before_typed", "raw_typed", "before_typed"),
        ("a/d  before / value", "before", "value"),
        ("b/d  raw / value", "raw", "value"),
        ("c/d  raw_typed / value", "raw_typed", "value"),
        ("b/floor  raw / ignored", "raw", "ignored"),
    ] {
        if let (Some(a), Some(b)) = (time(a), time(b)) {
            lines.push(format!("  {label:<28} {:>6.2}", a / b));
        }
    }
    let retained = |name: &str| memory.iter().find(|(n, _)| *n == name).map(|(_, m)| m.retained as f64);
    for (label, a, b) in [
        ("mem b/a  raw / before", "raw", "before"),
        ("mem c/a  raw_typed / before", "raw_typed", "before"),
    ] {
        if let (Some(a), Some(b)) = (retained(a), retained(b)) {
            lines.push(format!("  {label:<28} {:>6.2}", a / b));
        }
    }
    for line in lines {
        println!("{line}");
    }
}
