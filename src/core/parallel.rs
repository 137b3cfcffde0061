//! Deterministic data parallelism on native threads (none in wasm32).
//!
//! [`map`] runs independent, seeded work items (cross-validation folds, forest trees) on up to
//! [`threads`] threads and returns their results in item order, so a result never depends on
//! the thread count or on scheduling. A parallel section started inside another one runs
//! sequentially on its thread, so nested sections (a forest inside a parallel fold) never
//! oversubscribe the cores.

use std::cell::Cell;

thread_local! {
    static INSIDE: Cell<bool> = const { Cell::new(false) };
}

/// Threads a parallel section may use here: natively the machine's available parallelism, or
/// the environment variable `SEPSIS_RISK_THREADS` when it is a positive number (benchmarks
/// compare engines at the same thread count; results never depend on it); 1 in wasm32 and
/// inside another parallel section.
pub fn threads() -> usize {
    if cfg!(target_arch = "wasm32") || INSIDE.with(Cell::get) {
        return 1;
    }
    static NATIVE: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *NATIVE.get_or_init(|| {
        std::env::var("SEPSIS_RISK_THREADS")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    })
}

/// `f(i, state)` for every `i` in `0..n`, in item order, on up to [`threads`] threads. Each
/// thread gets its own `state` from `init` (scratch buffers); `f` must not let the state
/// change its result.
pub fn map<S, T, I, F>(n: usize, init: I, f: F) -> Vec<T>
where
    T: Send,
    I: Fn() -> S + Sync,
    F: Fn(usize, &mut S) -> T + Sync,
{
    let workers = threads().min(n);
    if workers <= 1 {
        let mut state = init();
        return (0..n).map(|i| f(i, &mut state)).collect();
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::Mutex;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let next = AtomicUsize::new(0);
        let slots: Mutex<Vec<Option<T>>> = Mutex::new((0..n).map(|_| None).collect());
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    INSIDE.with(|c| c.set(true));
                    let mut state = init();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            break;
                        }
                        let r = f(i, &mut state);
                        slots.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
                    }
                });
            }
        });
        let slots = slots.into_inner().unwrap_or_else(|e| e.into_inner());
        // Every index below `n` was taken by exactly one worker (a panic would have
        // propagated out of the scope), so every slot is filled.
        slots.into_iter().flatten().collect()
    }
    #[cfg(target_arch = "wasm32")]
    {
        unreachable!("threads() is 1 in wasm32")
    }
}

/// `f(k, part)` for the consecutive parts of `data` that end at `ends` (ascending, the last
/// one `data.len()`), part `k` on its own thread natively when [`threads`] allows, one after
/// another otherwise. The parts are disjoint, so the result never depends on the threads (for
/// per-feature histograms built feature-parallel).
pub fn for_each_part<T, F>(data: &mut [T], ends: &[usize], f: F)
where
    T: Send,
    F: Fn(usize, &mut [T]) + Sync,
{
    let mut parts = Vec::with_capacity(ends.len());
    let mut rest = data;
    let mut at = 0;
    for &end in ends {
        let (part, tail) = rest.split_at_mut(end.saturating_sub(at).min(rest.len()));
        parts.push(part);
        rest = tail;
        at = end;
    }
    if cfg!(target_arch = "wasm32") || threads() <= 1 || parts.len() <= 1 {
        for (k, part) in parts.into_iter().enumerate() {
            f(k, part);
        }
    } else {
        scoped_parts(parts, &f);
    }
}

/// `f(start, chunk)` for `data` cut into one contiguous chunk per thread (a single chunk when
/// `data` has fewer than `min_len` items, and in wasm32); `start` is the chunk's offset in
/// `data`. For per-row work whose every value is independent of how the rows are split.
pub fn for_each_chunk<T, F>(data: &mut [T], min_len: usize, f: F)
where
    T: Send,
    F: Fn(usize, &mut [T]) + Sync,
{
    let n = data.len();
    let parts = if n < min_len { 1 } else { threads().max(1) };
    let per = n.div_ceil(parts).max(1);
    let ends: Vec<usize> = (1..=parts).map(|k| (k * per).min(n)).collect();
    for_each_part(data, &ends, |k, chunk| f(k * per, chunk));
}

/// The threaded branch of [`for_each_part`]: part 0 on this thread, the others each on its own.
#[cfg(not(target_arch = "wasm32"))]
fn scoped_parts<T: Send, F: Fn(usize, &mut [T]) + Sync>(parts: Vec<&mut [T]>, f: &F) {
    std::thread::scope(|scope| {
        let mut parts = parts.into_iter().enumerate();
        let first = parts.next();
        for (k, part) in parts {
            scope.spawn(move || {
                INSIDE.with(|c| c.set(true));
                f(k, part);
            });
        }
        if let Some((k, part)) = first {
            f(k, part);
        }
    });
}

/// wasm32 has no threads: [`threads`] is 1 there, so this is never reached with more than one
/// part; it runs them in order all the same.
#[cfg(target_arch = "wasm32")]
fn scoped_parts<T: Send, F: Fn(usize, &mut [T]) + Sync>(parts: Vec<&mut [T]>, f: &F) {
    for (k, part) in parts.into_iter().enumerate() {
        f(k, part);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_in_item_order_whatever_the_threads() {
        let out = map(
            100,
            || 0usize,
            |i, calls| {
                *calls += 1;
                i * i
            },
        );
        assert_eq!(out, (0..100).map(|i| i * i).collect::<Vec<_>>());
        assert!(map(0, || (), |i, _| i).is_empty());
    }

    #[test]
    fn parts_are_disjoint_and_all_visited() {
        let mut data = vec![0usize; 10];
        for_each_part(&mut data, &[3, 3, 7, 10], |k, part| {
            for v in part.iter_mut() {
                *v = k + 1;
            }
        });
        assert_eq!(data, [1, 1, 1, 3, 3, 3, 3, 4, 4, 4]);
        for_each_part(&mut data[..0], &[0], |_, part| assert!(part.is_empty()));
    }

    #[test]
    fn chunks_know_their_offsets() {
        let mut data = vec![0usize; 40_000];
        for_each_chunk(&mut data, 16, |start, chunk| {
            for (d, v) in chunk.iter_mut().enumerate() {
                *v = start + d;
            }
        });
        assert!(data.iter().enumerate().all(|(i, &v)| v == i));
    }

    #[test]
    fn nested_sections_run_sequentially() {
        let inner = map(4, || (), |_, _| threads());
        if threads() > 1 {
            assert_eq!(inner, vec![1; 4]);
        }
    }
}
