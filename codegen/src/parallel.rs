//! Work spread over every core: the generator's independent jobs (reading the spec's files,
//! rendering and formatting modules), with results in a fixed order whatever the timing.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `work` on every item of `items`, on every core, each thread taking the next item
/// from a shared queue: the results in the order of `items`.
pub fn on_every_core<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len())
        .max(1);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else {
                            return done;
                        };
                        done.push((index, work(item)));
                    }
                })
            })
            .collect();
        handles.into_iter().flat_map(joined).collect()
    });
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

/// Runs `aside` on a thread of its own while `main` runs on this one (which may itself use
/// every core): both results.
pub fn beside<A: Send, B>(aside: impl FnOnce() -> A + Send, main: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|scope| {
        let aside = scope.spawn(aside);
        let main = main();
        (joined(aside), main)
    })
}

/// The result of a finished thread. A panic in it is a bug of the generator: passed on as it
/// was.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_on_every_core_comes_back_in_order() {
        let items: Vec<u64> = (0..500).collect();
        // Uneven work, so that threads finish out of order.
        let squares = on_every_core(&items, |n| {
            std::thread::sleep(std::time::Duration::from_micros((n % 7) * 50));
            n * n
        });
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        assert!(on_every_core(&[] as &[u8], |n| *n).is_empty());
    }

    #[test]
    fn beside_gives_both_results() {
        let (aside, main) = beside(|| (1..=10).sum::<u32>(), || "main".len());
        assert_eq!((aside, main), (55, 4));
    }
}
