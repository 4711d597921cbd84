//! Independent jobs on every core, results in input order: the order in which work finishes never
//! shows in the output. (Two small uses, load and format, do not justify a thread-pool dependency.)

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// `f` applied to every item, on up to `available_parallelism` threads, results in the items' order;
/// `None` only if a result went missing, which the callers treat as a failure rather than drop it.
pub fn map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Option<Vec<R>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if threads <= 1 {
        return Some(items.into_iter().map(f).collect());
    }
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|i| Mutex::new(Some(i))).collect();
    let results: Vec<Mutex<Option<R>>> = slots.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(slot) = slots.get(i) else { break };
                // A lock is only poisoned by a panic while held, and nothing here panics while holding one.
                let item = slot
                    .lock()
                    .map(|mut s| s.take())
                    .unwrap_or_else(|p| p.into_inner().take());
                if let Some(item) = item {
                    let result = f(item);
                    match results[i].lock() {
                        Ok(mut out) => *out = Some(result),
                        Err(p) => *p.into_inner() = Some(result),
                    }
                }
            });
        }
    });
    // Every index is taken by exactly one thread and every thread runs to the end (a panic in `f`
    // propagates out of the scope), so every slot holds its result.
    results
        .into_iter()
        .map(|r| r.into_inner().unwrap_or_else(|p| p.into_inner()))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        let out = super::map(items, |i| {
            // Uneven work, so threads finish out of order.
            std::hint::black_box((0..(i % 7) * 1000).sum::<u64>());
            i
        });
        assert_eq!(out, Some((0..1000).collect::<Vec<u64>>()));
    }

    #[test]
    fn no_items_no_work() {
        let out: Option<Vec<u8>> = super::map(Vec::<u8>::new(), |_| unreachable!("nothing to map"));
        assert_eq!(out, Some(Vec::new()));
    }
}
