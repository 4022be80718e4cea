//! Per-path random streams.
//!
//! Every edit path draws from its own ChaCha8 stream, seeded from
//! `(seed, row_index, path)` alone, so a row's output never depends on which
//! thread ran it or what ran before it.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

/// The random source the sampler draws from.
#[derive(Clone, Debug)]
pub struct PathRng(ChaCha8Rng);

impl PathRng {
    /// The stream for one edit path of one row.
    pub fn new(seed: u64, row_index: u64, path: u64) -> Self {
        let mut key = [0u8; 32];
        for (chunk, word) in
            key.chunks_exact_mut(8)
                .zip([seed, row_index, path, 0x4c69_6e74_5365_7121])
        {
            chunk.copy_from_slice(&splitmix64(word).to_le_bytes());
        }
        Self(ChaCha8Rng::from_seed(key))
    }

    /// A uniform float in `[0, 1)` with 53 bits of precision.
    pub fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform integer in `0..bound` (`bound > 0`), without modulo bias.
    pub fn below(&mut self, bound: usize) -> usize {
        let bound = bound as u64;
        let zone = u64::MAX - u64::MAX % bound;
        loop {
            let value = self.0.next_u64();
            if value < zone {
                return (value % bound) as usize;
            }
        }
    }

    /// Picks an index with probability proportional to `weights[i]`.
    /// Returns `None` when no weight is positive.
    pub fn weighted(&mut self, weights: impl Iterator<Item = f64> + Clone) -> Option<usize> {
        let total: f64 = weights.clone().filter(|w| *w > 0.0).sum();
        if total <= 0.0 || !total.is_finite() {
            return None;
        }
        let target = self.unit() * total;
        let mut acc = 0.0;
        let mut last = None;
        for (index, weight) in weights.enumerate() {
            if weight <= 0.0 {
                continue;
            }
            acc += weight;
            last = Some(index);
            if target < acc {
                return last;
            }
        }
        last
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let draw = |s, r, p| {
            let mut rng = PathRng::new(s, r, p);
            (0..4).map(|_| rng.below(1000)).collect::<Vec<_>>()
        };
        assert_eq!(draw(1, 2, 3), draw(1, 2, 3));
        assert_ne!(draw(1, 2, 3), draw(1, 2, 4));
        assert_ne!(draw(1, 2, 3), draw(1, 3, 3));
        assert_ne!(draw(1, 2, 3), draw(2, 2, 3));
    }

    #[test]
    fn weighted_skips_zero_weights() {
        let mut rng = PathRng::new(0, 0, 0);
        for _ in 0..100 {
            let pick = rng.weighted([0.0, 2.0, 0.0, 1.0].into_iter()).unwrap();
            assert!(pick == 1 || pick == 3);
        }
        assert_eq!(rng.weighted([0.0, 0.0].into_iter()), None);
    }

    #[test]
    fn weighted_follows_weights() {
        let mut rng = PathRng::new(7, 0, 0);
        let mut counts = [0usize; 2];
        for _ in 0..10_000 {
            counts[rng.weighted([1.0, 3.0].into_iter()).unwrap()] += 1;
        }
        let ratio = counts[1] as f64 / counts[0] as f64;
        assert!((2.6..3.4).contains(&ratio), "ratio {ratio}");
    }
}
