//! LIME for one customer, following `lime.lime_tabular.LimeTabularExplainer`
//! with quartile discretisation: 5,000 samples drawn from the training
//! statistics (categories and numeric quartile bins by frequency; a bin
//! becomes a value from a normal truncated to the bin), each scored by the
//! model; a sample's features are 1 where they match the customer; samples
//! are weighted by `sqrt(exp(-d²/w²))` with `w = 0.75·√features`; the
//! explanation is a weighted ridge fit (α = 1) of the probability on those
//! indicators. Seeded, so a customer always gets the same weights.

use crate::core::explain::{FeatureValue, Term};
use crate::core::chart::stats::quantile;
use crate::core::pipeline::{ColumnStats, SavedModel};
use crate::core::rng::Rng;

pub const DEFAULT_SAMPLES: usize = 5_000;

/// A numeric column's quartile bins: edges and the training values' mean,
/// standard deviation, minimum and maximum in each bin.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bins {
    pub edges: [f64; 3],
    pub mean: [f64; 4],
    pub std: [f64; 4],
    pub min: [f64; 4],
    pub max: [f64; 4],
    pub freq: [f64; 4],
}

/// The bin of `v`, as numpy's `searchsorted(edges, v)` (left side).
pub fn bin_of(edges: &[f64; 3], v: f64) -> usize {
    edges.iter().filter(|e| **e < v).count()
}

impl Bins {
    /// Bins from training values (any order).
    pub fn from_values(values: &[f64]) -> Bins {
        let mut v: Vec<f64> = values.to_vec();
        v.sort_by(f64::total_cmp);
        let edges = [quantile(&v, 0.25), quantile(&v, 0.5), quantile(&v, 0.75)];
        let mut groups: [Vec<f64>; 4] = Default::default();
        for x in &v {
            groups[bin_of(&edges, *x)].push(*x);
        }
        let n = v.len().max(1) as f64;
        let mut b = Bins { edges, mean: [0.0; 4], std: [0.0; 4], min: [0.0; 4], max: [0.0; 4], freq: [0.0; 4] };
        for (i, g) in groups.iter().enumerate() {
            let m = g.len().max(1) as f64;
            b.mean[i] = g.iter().sum::<f64>() / m;
            b.std[i] = (g.iter().map(|x| (x - b.mean[i]).powi(2)).sum::<f64>() / m).sqrt();
            b.min[i] = g.first().copied().unwrap_or(b.edges[i.min(2)]);
            b.max[i] = g.last().copied().unwrap_or(b.edges[i.min(2)]);
            b.freq[i] = g.len() as f64 / n;
        }
        b
    }
}

/// What LIME needs from the training data, per model column.
#[derive(Clone, Debug, PartialEq)]
pub enum Sampler {
    Categorical { freq: Vec<f64> },
    Numeric(Bins),
}

/// Samplers for every column of `model`, from its training statistics.
pub fn samplers(model: &SavedModel) -> Vec<Sampler> {
    model
        .stats
        .iter()
        .zip(&model.lime_bins)
        .map(|(s, bins)| match (s, bins) {
            (ColumnStats::Numeric { .. }, Some(b)) => Sampler::Numeric(b.clone()),
            (ColumnStats::Categorical { counts, .. }, _) => {
                let n = counts.iter().sum::<usize>().max(1) as f64;
                Sampler::Categorical { freq: counts.iter().map(|c| *c as f64 / n).collect() }
            }
            // A numeric column without bins: one bin around its median.
            (ColumnStats::Numeric { median, std, min, max, .. }, None) => Sampler::Numeric(Bins {
                edges: [*max, *max, *max],
                mean: [*median; 4],
                std: [*std; 4],
                min: [*min; 4],
                max: [*max; 4],
                freq: [1.0, 0.0, 0.0, 0.0],
            }),
        })
        .collect()
}

fn pick(rng: &mut Rng, freq: &[f64]) -> usize {
    let u = rng.next_f64();
    let mut acc = 0.0;
    for (i, f) in freq.iter().enumerate() {
        acc += f;
        if u < acc {
            return i;
        }
    }
    freq.iter().rposition(|f| *f > 0.0).unwrap_or(0)
}

/// Acklam's rational approximation of the standard normal quantile
/// (relative error below 1.2e-9).
fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.383577518672690e2, -3.066479806614716e1, 2.506628277459239];
    const B: [f64; 5] = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
    const C: [f64; 6] = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
    const D: [f64; 4] = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
    let tail = |q: f64| (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0);
    if p < 0.02425 {
        tail(libm::sqrt(-2.0 * libm::log(p)))
    } else if p > 1.0 - 0.02425 {
        -tail(libm::sqrt(-2.0 * libm::log(1.0 - p)))
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// How many equally likely values stand for a bin's truncated normal.
const QUANTILES: usize = 256;

/// A bin's truncated normal (mean, std, cut to [lo, hi]) as `QUANTILES`
/// equally likely values, the mid-quantiles of the distribution: drawing
/// one at random costs an index instead of a rejection loop.
fn truncated_normal_table(mean: f64, std: f64, lo: f64, hi: f64) -> Vec<f64> {
    if std <= 0.0 || lo >= hi {
        return vec![mean.clamp(lo.min(hi), hi.max(lo))];
    }
    let (a, b) = (normal_cdf((lo - mean) / std), normal_cdf((hi - mean) / std));
    (0..QUANTILES)
        .map(|i| {
            let p = a + (b - a) * (i as f64 + 0.5) / QUANTILES as f64;
            (mean + std * normal_quantile(p.clamp(1e-300, 1.0 - 1e-16))).clamp(lo, hi)
        })
        .collect()
}

/// LIME's weights for one customer (one per model column, towards the
/// positive class), and the local model's intercept and R².
#[derive(Clone, Debug, PartialEq)]
pub struct LimeResult {
    pub weights: Vec<f64>,
    pub intercept: f64,
    pub score: f64,
}

/// Explains `values` (a customer, in model column order).
pub fn explain(model: &SavedModel, samplers: &[Sampler], values: &[FeatureValue], samples: usize, seed: u64) -> LimeResult {
    let columns = crate::core::explain::column_terms(model);
    let intercept = model.model.intercept;
    let d = samplers.len();
    let n = samples.max(2);
    let mut rng = Rng::new(seed);
    // The customer's category or bin in each column.
    let own: Vec<usize> = model
        .encoder
        .columns
        .iter()
        .zip(values)
        .zip(samplers)
        .map(|((c, v), s)| match (v, s) {
            (FeatureValue::Category(label), _) => c.categories.binary_search(label).unwrap_or(usize::MAX),
            (FeatureValue::Number(x), Sampler::Numeric(b)) => bin_of(&b.edges, *x),
            _ => usize::MAX,
        })
        .collect();
    let score = |logit: f64| crate::core::model::sigmoid(logit);
    let own_logit = intercept
        + columns
            .iter()
            .zip(values)
            .zip(&own)
            .map(|((t, v), &k)| match (t, v) {
                (Term::Numeric { slope, offset }, FeatureValue::Number(x)) => slope * x + offset,
                (Term::Categorical(per), _) => per.get(k).copied().unwrap_or(0.0),
                _ => 0.0,
            })
            .sum::<f64>();
    // Indicators (row-major n × d), probabilities and kernel weights.
    let mut z = vec![0.0f64; n * d];
    let mut y = vec![0.0f64; n];
    let mut w = vec![0.0f64; n];
    let width = 0.75 * (d as f64).sqrt();
    // Kernel weights by the number of differing features, and each numeric
    // bin's values, worked out once.
    let kernel: Vec<f64> = (0..=d).map(|k| libm::sqrt(libm::exp(-(k as f64) / (width * width)))).collect();
    let tables: Vec<Vec<Vec<f64>>> = samplers
        .iter()
        .map(|s| match s {
            Sampler::Numeric(b) => (0..4).map(|k| truncated_normal_table(b.mean[k], b.std[k], b.min[k], b.max[k])).collect(),
            Sampler::Categorical { .. } => Vec::new(),
        })
        .collect();
    z[..d].iter_mut().for_each(|v| *v = 1.0);
    y[0] = score(own_logit);
    w[0] = 1.0;
    for r in 1..n {
        let mut logit = intercept;
        let mut differ = 0usize;
        for (col, (s, t)) in samplers.iter().zip(&columns).enumerate() {
            let k = match s {
                Sampler::Categorical { freq } => pick(&mut rng, freq),
                Sampler::Numeric(b) => pick(&mut rng, &b.freq),
            };
            logit += match (s, t) {
                (Sampler::Numeric(_), Term::Numeric { slope, offset }) => {
                    let values = &tables[col][k];
                    let v = values[((rng.next_f64() * values.len() as f64) as usize).min(values.len() - 1)];
                    slope * v + offset
                }
                (_, Term::Categorical(per)) => per.get(k).copied().unwrap_or(0.0),
                _ => 0.0,
            };
            if k == own[col] {
                z[r * d + col] = 1.0;
            } else {
                differ += 1;
            }
        }
        y[r] = score(logit);
        w[r] = kernel[differ];
    }
    ridge(&z, &y, &w, d, 1.0)
}

/// Weighted ridge regression with an unpenalised intercept (scikit-learn's
/// `Ridge(alpha).fit(X, y, sample_weight=w)`), and its weighted R².
pub fn ridge(x: &[f64], y: &[f64], w: &[f64], d: usize, alpha: f64) -> LimeResult {
    let n = y.len();
    let sw: f64 = w.iter().sum();
    let mut xm = vec![0.0; d];
    let mut ym = 0.0;
    for r in 0..n {
        ym += w[r] * y[r];
        for j in 0..d {
            xm[j] += w[r] * x[r * d + j];
        }
    }
    ym /= sw;
    xm.iter_mut().for_each(|v| *v /= sw);
    // A = XcᵀWXc + αI and b = XcᵀW yc, from uncentred sums over the
    // non-zero entries (LIME's indicators are mostly ones and zeros):
    // Σw(xᵢ−mᵢ)(xⱼ−mⱼ) = Σw·xᵢxⱼ − Σw·mᵢmⱼ.
    let mut a = vec![0.0; d * d];
    let mut b = vec![0.0; d];
    let mut nz: Vec<(usize, f64)> = Vec::with_capacity(d);
    for r in 0..n {
        nz.clear();
        nz.extend((0..d).map(|j| (j, x[r * d + j])).filter(|(_, v)| *v != 0.0));
        let wy = w[r] * y[r];
        for (p, &(i, xi)) in nz.iter().enumerate() {
            b[i] += xi * wy;
            let wi = w[r] * xi;
            for &(j, xj) in &nz[p..] {
                a[i * d + j] += wi * xj;
            }
        }
    }
    for i in 0..d {
        b[i] -= sw * xm[i] * ym;
        for j in i..d {
            a[i * d + j] -= sw * xm[i] * xm[j];
        }
    }
    for i in 0..d {
        a[i * d + i] += alpha;
        for j in 0..i {
            a[i * d + j] = a[j * d + i];
        }
    }
    let beta = solve_spd(&mut a, &b, d);
    let intercept = ym - beta.iter().zip(&xm).map(|(b, m)| b * m).sum::<f64>();
    let (mut ss_res, mut ss_tot) = (0.0, 0.0);
    for r in 0..n {
        let pred = intercept + (0..d).map(|j| beta[j] * x[r * d + j]).sum::<f64>();
        ss_res += w[r] * (y[r] - pred).powi(2);
        ss_tot += w[r] * (y[r] - ym).powi(2);
    }
    let score = if ss_tot > 0.0 { 1.0 - ss_res / ss_tot } else { 1.0 };
    LimeResult { weights: beta, intercept, score }
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

/// How well LIME's ranking agrees with the exact contributions: re-run with
/// `seeds` seeds and report the mean Spearman correlation between the
/// ranks of |LIME weight| and |exact contribution|.
pub fn stability(model: &SavedModel, samplers: &[Sampler], values: &[FeatureValue], exact: &[f64], seeds: u64) -> f64 {
    let rank = |v: &[f64]| -> Vec<f64> {
        let mut order: Vec<usize> = (0..v.len()).collect();
        order.sort_by(|&a, &b| v[b].abs().total_cmp(&v[a].abs()));
        let mut r = vec![0.0; v.len()];
        for (pos, &i) in order.iter().enumerate() {
            r[i] = pos as f64;
        }
        r
    };
    let re = rank(exact);
    let n = exact.len() as f64;
    let total: f64 = (0..seeds)
        .map(|s| {
            let rl = rank(&explain(model, samplers, values, DEFAULT_SAMPLES, s).weights);
            let d2: f64 = rl.iter().zip(&re).map(|(a, b)| (a - b).powi(2)).sum();
            1.0 - 6.0 * d2 / (n * (n * n - 1.0))
        })
        .sum();
    total / seeds.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::explain::{contributions, encode, parse_input};
    use crate::core::synth::generate;
    use crate::core::train::{default_config, train, Mode, TrainConfig};
    use serde_json::json;

    fn setup() -> (SavedModel, Vec<Sampler>) {
        let t = generate(2000, 8);
        let cfg = TrainConfig { mode: Mode::Plain, ..default_config(&t) };
        let trained = train(&t, &cfg, &mut |_, _| true).unwrap();
        let m = SavedModel::new("m", &t, &cfg, &trained, None);
        let s = samplers(&m);
        (m, s)
    }

    #[test]
    fn ridge_matches_scikit_learn() {
        // Ridge(alpha=1).fit(X, y, sample_weight=w) with
        // X=[[1,0],[0,1],[1,1],[0,0],[1,0]], y=[1,2,2.5,0.2,1.1], w=[1,.5,2,1,.3]
        let x = [1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0];
        let r = ridge(&x, &[1.0, 2.0, 2.5, 0.2, 1.1], &[1.0, 0.5, 2.0, 1.0, 0.3], 2, 1.0);
        let want = (0.4446555819477437, 0.8885985748218529, 0.8002375296912112);
        assert!((r.weights[0] - want.0).abs() < 1e-12 && (r.weights[1] - want.1).abs() < 1e-12 && (r.intercept - want.2).abs() < 1e-12, "{r:?}");
    }

    #[test]
    fn lime_is_deterministic_per_seed_and_agrees_with_the_exact_contributions() {
        let (m, s) = setup();
        let values = parse_input(&m, &json!({"tenure": 2, "Contract": "Month-to-month", "InternetService": "Fiber optic", "PaymentMethod": "Electronic check"})).unwrap();
        let a = explain(&m, &s, &values, DEFAULT_SAMPLES, 1);
        assert_eq!(a, explain(&m, &s, &values, DEFAULT_SAMPLES, 1), "same seed, same weights");
        assert_ne!(a.weights, explain(&m, &s, &values, DEFAULT_SAMPLES, 2).weights);
        assert_eq!(a.weights.len(), 19);
        let exact = contributions(&m, &encode(&m, &values));
        let col = |n: &str| m.stats.iter().position(|x| x.column() == n).unwrap();
        assert!(a.weights[col("Contract")] > 0.0 && exact[col("Contract")] > 0.0, "month-to-month pushes towards churn");
        let rho = stability(&m, &s, &values, &exact, 5);
        assert!(rho > 0.5, "rank agreement {rho}");
    }

    #[test]
    fn truncated_normal_tables_follow_scipy() {
        // scipy.stats.norm.ppf(0.975) = 1.959963984540054
        assert!((normal_quantile(0.975) - 1.959963984540054).abs() < 1e-8);
        assert!((normal_quantile(0.001) + 3.090232306167813).abs() < 1e-8);
        // scipy.stats.truncnorm(-1, 2, loc=10, scale=2).mean() = 10.4593613...
        let t = truncated_normal_table(10.0, 2.0, 8.0, 14.0);
        let mean = t.iter().sum::<f64>() / t.len() as f64;
        assert!((mean - 10.459361).abs() < 0.01, "{mean}");
        assert!(t.iter().all(|v| (8.0..=14.0).contains(v)));
        assert_eq!(truncated_normal_table(5.0, 0.0, 5.0, 5.0), vec![5.0]);
    }

    #[test]
    fn quartile_bins_follow_numpy() {
        let b = Bins::from_values(&[1.0, 2.0, 4.0, 8.0, 16.0]);
        assert_eq!(b.edges, [2.0, 4.0, 8.0]);
        assert_eq!([bin_of(&b.edges, 1.0), bin_of(&b.edges, 2.0), bin_of(&b.edges, 3.0), bin_of(&b.edges, 16.0)], [0, 0, 1, 3]);
        assert_eq!(b.freq, [0.4, 0.2, 0.2, 0.2]);
    }
}
