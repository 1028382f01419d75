//! The local model LIME fits: a weighted ridge regression (scikit-learn's
//! `Ridge`) of the samples' probabilities on their 0/1 indicators, from
//! weighted sums packed by bits, and its result (weights, intercept, R²).

/// LIME's weights for one customer (one per model column, towards the
/// positive class), and the local model's intercept and R².
#[derive(Clone, Debug, PartialEq)]
pub struct LimeResult {
    pub weights: Vec<f64>,
    pub intercept: f64,
    pub score: f64,
}

/// The weighted sums a ridge fit on 0/1 indicators needs: Σw, Σwy, Σwy²,
/// Σwx, Σwxy and Σw·xxᵀ (upper triangle).
pub struct WeightedSums {
    d: usize,
    sw: f64,
    swy: f64,
    swyy: f64,
    swx: Vec<f64>,
    swxy: Vec<f64>,
    gram: Vec<f64>,
}

impl WeightedSums {
    /// Sums over rows of `d` indicators given as bit masks (`masks.len() /
    /// y.len()` words per row), each with a target `y[r]` and a weight
    /// `weights[class[r]]`. Rows are packed by class into whole 64-bit
    /// words per column, so Σw·xᵢxⱼ is a weighted count of common bits
    /// (popcount) rather than a loop over each row's pairs.
    pub fn from_indicators(
        d: usize,
        masks: &[u64],
        y: &[f64],
        class: &[usize],
        weights: &[f64],
    ) -> WeightedSums {
        let n = y.len();
        let words = masks.len() / n.max(1);
        // Each class gets a run of whole words: [start, end) per class.
        let mut count = vec![0usize; weights.len()];
        class.iter().for_each(|c| count[*c] += 1);
        let mut runs = Vec::with_capacity(weights.len());
        let mut at = 0;
        for c in &count {
            runs.push((at, at + c.div_ceil(64)));
            at += c.div_ceil(64);
        }
        let total = at;
        let mut bits = vec![0u64; d * total];
        let mut next: Vec<usize> = runs.iter().map(|(s, _)| s * 64).collect();
        let mut sums = WeightedSums {
            d,
            sw: 0.0,
            swy: 0.0,
            swyy: 0.0,
            swx: vec![0.0; d],
            swxy: vec![0.0; d],
            gram: vec![0.0; d * d],
        };
        for (r, mask) in masks.chunks_exact(words).enumerate() {
            let (c, yr) = (class[r], y[r]);
            let (w, p) = (weights[c], next[c]);
            next[c] += 1;
            let wy = w * yr;
            sums.sw += w;
            sums.swy += wy;
            sums.swyy += wy * yr;
            for (wi, &m) in mask.iter().enumerate() {
                let mut m = m;
                while m != 0 {
                    let col = wi * 64 + m.trailing_zeros() as usize;
                    bits[col * total + p / 64] |= 1 << (p % 64);
                    sums.swxy[col] += wy;
                    m &= m - 1;
                }
            }
        }
        let column = |i: usize| &bits[i * total..(i + 1) * total];
        let weighted = |a: &[u64], b: &[u64]| -> f64 {
            runs.iter()
                .zip(weights)
                .map(|(&(s, e), w)| {
                    w * (s..e).map(|k| (a[k] & b[k]).count_ones()).sum::<u32>() as f64
                })
                .sum()
        };
        for i in 0..d {
            sums.swx[i] = weighted(column(i), column(i));
            sums.gram[i * d + i] = sums.swx[i];
            for j in i + 1..d {
                sums.gram[i * d + j] = weighted(column(i), column(j));
            }
        }
        sums
    }

    /// Weighted ridge regression with an unpenalised intercept
    /// (scikit-learn's `Ridge(alpha).fit(X, y, sample_weight=w)`) and its
    /// weighted R², from the centred sums: Σw(xᵢ−mᵢ)(xⱼ−mⱼ) = Σw·xᵢxⱼ − Σw·mᵢmⱼ.
    pub fn ridge(&self, alpha: f64) -> LimeResult {
        let d = self.d;
        let sw = self.sw.max(f64::MIN_POSITIVE);
        let ym = self.swy / sw;
        let xm: Vec<f64> = self.swx.iter().map(|v| v / sw).collect();
        let mut g = self.gram.clone();
        for i in 0..d {
            for j in 0..i {
                g[i * d + j] = g[j * d + i];
            }
        }
        let mut a: Vec<f64> = (0..d * d)
            .map(|k| g[k] - sw * xm[k / d] * xm[k % d])
            .collect();
        (0..d).for_each(|i| a[i * d + i] += alpha);
        let b: Vec<f64> = (0..d).map(|i| self.swxy[i] - sw * xm[i] * ym).collect();
        let beta = solve_spd(&mut a, &b, d);
        let intercept = ym - dot(&beta, &xm);
        // Σw(y − c − βᵀx)², expanded over the same sums.
        let g_beta: Vec<f64> = (0..d).map(|i| dot(&g[i * d..(i + 1) * d], &beta)).collect();
        let ss_res = self.swyy - 2.0 * intercept * self.swy - 2.0 * dot(&beta, &self.swxy)
            + intercept * intercept * sw
            + 2.0 * intercept * dot(&beta, &self.swx)
            + dot(&beta, &g_beta);
        let ss_tot = self.swyy - sw * ym * ym;
        let score = if ss_tot > 0.0 {
            1.0 - ss_res.max(0.0) / ss_tot
        } else {
            1.0
        };
        LimeResult {
            weights: beta,
            intercept,
            score,
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Solves `A x = b` for a symmetric positive definite `A` (Cholesky, in place).
fn solve_spd(a: &mut [f64], b: &[f64], d: usize) -> Vec<f64> {
    for j in 0..d {
        let mut s = a[j * d + j];
        for k in 0..j {
            s -= a[j * d + k] * a[j * d + k];
        }
        let l = s.max(1e-300).sqrt();
        a[j * d + j] = l;
        for i in j + 1..d {
            let mut s = a[i * d + j];
            for k in 0..j {
                s -= a[i * d + k] * a[j * d + k];
            }
            a[i * d + j] = s / l;
        }
    }
    let mut z = b.to_vec();
    for i in 0..d {
        for k in 0..i {
            z[i] -= a[i * d + k] * z[k];
        }
        z[i] /= a[i * d + i];
    }
    for i in (0..d).rev() {
        for k in i + 1..d {
            z[i] -= a[k * d + i] * z[k];
        }
        z[i] /= a[i * d + i];
    }
    z
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::rng::Rng;

    #[test]
    fn ridge_matches_scikit_learn() {
        // Ridge(alpha=1).fit(X, y, sample_weight=w) with
        // X=[[1,0],[0,1],[1,1],[0,0],[1,0]], y=[1,2,2.5,0.2,1.1], w=[1,.5,2,1,.3]
        // and its .score(X, y, sample_weight=w) = 0.818198706081227
        let masks = [0b01, 0b10, 0b11, 0b00, 0b01];
        let sums = WeightedSums::from_indicators(
            2,
            &masks,
            &[1.0, 2.0, 2.5, 0.2, 1.1],
            &[0, 1, 2, 3, 4],
            &[1.0, 0.5, 2.0, 1.0, 0.3],
        );
        let r = sums.ridge(1.0);
        let want = (
            0.4446555819477437,
            0.8885985748218529,
            0.8002375296912112,
            0.818198706081227,
        );
        assert!(
            (r.weights[0] - want.0).abs() < 1e-12
                && (r.weights[1] - want.1).abs() < 1e-12
                && (r.intercept - want.2).abs() < 1e-12,
            "{r:?}"
        );
        assert!((r.score - want.3).abs() < 1e-12, "{r:?}");
    }

    #[test]
    fn packed_sums_equal_the_sums_row_by_row() {
        // 1,000 rows of 70 indicators (two words each) in 5 weight classes.
        let (n, d, words) = (1000, 70, 2);
        let mut rng = Rng::new(3);
        let masks: Vec<u64> = (0..n * words)
            .map(|i| {
                rng.next_u64()
                    & if i % 2 == 1 {
                        (1 << (d - 64)) - 1
                    } else {
                        u64::MAX
                    }
            })
            .collect();
        let y: Vec<f64> = (0..n).map(|_| rng.next_f64()).collect();
        let class: Vec<usize> = (0..n).map(|_| rng.below(5) as usize).collect();
        let weights = [0.9, 0.5, 0.25, 0.1, 0.05];
        let sums = WeightedSums::from_indicators(d, &masks, &y, &class, &weights);
        let x = |r: usize, j: usize| ((masks[r * words + j / 64] >> (j % 64)) & 1) as f64;
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
        assert!(close(sums.sw, (0..n).map(|r| weights[class[r]]).sum()));
        assert!(close(
            sums.swyy,
            (0..n).map(|r| weights[class[r]] * y[r] * y[r]).sum()
        ));
        for i in 0..d {
            assert!(
                close(
                    sums.swxy[i],
                    (0..n).map(|r| weights[class[r]] * y[r] * x(r, i)).sum()
                ),
                "Σwxy {i}"
            );
            for j in i..d {
                assert!(
                    close(
                        sums.gram[i * d + j],
                        (0..n).map(|r| weights[class[r]] * x(r, i) * x(r, j)).sum()
                    ),
                    "Σwxx {i} {j}"
                );
            }
            assert!(close(sums.swx[i], sums.gram[i * d + i]));
        }
    }
}
