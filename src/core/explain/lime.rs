//! LIME for one customer, following `lime.lime_tabular.LimeTabularExplainer`
//! with quartile discretisation: 5,000 samples drawn from the training
//! statistics (categories and numeric quartile bins by frequency; a bin
//! becomes a value from a normal truncated to the bin), each scored by the
//! model; a sample's features are 1 where they match the customer; samples
//! are weighted by `sqrt(exp(-d²/w²))` with `w = 0.75·√features`; the
//! explanation is a weighted ridge fit (α = 1) of the probability on those
//! indicators. Seeded, so a customer always gets the same weights.

mod ridge;

pub use ridge::{LimeResult, WeightedSums};

use crate::common::rng::Rng;
use crate::common::stats::{bin_of, QuartileBins};
use crate::explain::customer::{FeatureValue, Term};
use crate::model::pipeline::{ColumnStats, SavedModel};

pub const DEFAULT_SAMPLES: usize = 5_000;

/// What LIME draws from, per model column: the training frequencies of its
/// categories or quartile bins as cumulative thresholds on a 24-bit uniform,
/// and what each outcome adds to the model's logit.
#[derive(Clone, Debug, PartialEq)]
struct Column {
    thresholds: Vec<u32>,
    draw: Draw,
}

#[derive(Clone, Debug, PartialEq)]
enum Draw {
    /// The logit term of each category, and the categories (sorted).
    Categorical {
        terms: Vec<f64>,
        categories: Vec<String>,
    },
    /// Quartile edges, and per bin `QUANTILES` equally likely logit terms
    /// (the bin's truncated normal, mapped through the model).
    /// `terms[bin * QUANTILES + q]`.
    Numeric {
        edges: [f64; 3],
        slope: f64,
        offset: f64,
        terms: Vec<f64>,
    },
}

/// LIME for one model, worked out once: per-column samplers, the model's
/// terms folded in, and the kernel weight for each number of differing
/// features. `explain` then costs only the sampling and the ridge fit.
#[derive(Clone, Debug, PartialEq)]
pub struct Lime {
    columns: Vec<Column>,
    intercept: f64,
    kernel: Vec<f64>,
}

/// Cumulative thresholds in units of 2⁻²⁴ for picking index `i` with
/// probability `freq[i]`: a 24-bit uniform picks the number of thresholds
/// at or below it. The last outcome with a positive frequency takes any
/// remainder left by rounding.
fn thresholds(freq: &[f64]) -> Vec<u32> {
    let scale = (1u32 << PICK_BITS) as f64;
    let mut acc = 0.0;
    let mut t: Vec<u32> = freq
        .iter()
        .map(|f| {
            acc += f;
            (acc * scale).min(scale) as u32
        })
        .collect();
    let last = freq.iter().rposition(|f| *f > 0.0).unwrap_or(0);
    if t.is_empty() {
        t.push(u32::MAX);
    }
    t[last..].iter_mut().for_each(|x| *x = u32::MAX);
    // Padded to whole groups of four, counted without branches.
    t.resize(t.len().div_ceil(4) * 4, u32::MAX);
    t
}

impl Lime {
    pub fn new(model: &SavedModel) -> Lime {
        let terms = crate::explain::customer::column_terms(model);
        let columns: Vec<Column> = model
            .stats
            .iter()
            .zip(&model.lime_bins)
            .zip(terms)
            .map(|((s, bins), term)| {
                let bins = match (s, bins) {
                    (ColumnStats::Numeric { .. }, Some(b)) => b.clone(),
                    // A numeric column without bins: one bin around its median.
                    (
                        ColumnStats::Numeric {
                            median,
                            std,
                            min,
                            max,
                            ..
                        },
                        None,
                    ) => QuartileBins {
                        edges: [*max; 3],
                        mean: [*median; 4],
                        std: [*std; 4],
                        min: [*min; 4],
                        max: [*max; 4],
                        freq: [1.0, 0.0, 0.0, 0.0],
                    },
                    (
                        ColumnStats::Categorical {
                            counts, categories, ..
                        },
                        _,
                    ) => {
                        let n = counts.iter().sum::<usize>().max(1) as f64;
                        let freq: Vec<f64> = counts.iter().map(|c| *c as f64 / n).collect();
                        let terms = match term {
                            Term::Categorical(per) => per,
                            Term::Numeric { .. } => vec![0.0; categories.len()],
                        };
                        return Column {
                            thresholds: thresholds(&freq),
                            draw: Draw::Categorical {
                                terms,
                                categories: categories.clone(),
                            },
                        };
                    }
                };
                let (slope, offset) = match term {
                    Term::Numeric { slope, offset } => (slope, offset),
                    Term::Categorical(_) => (0.0, 0.0),
                };
                let terms = (0..4)
                    .flat_map(|k| {
                        truncated_normal_table(bins.mean[k], bins.std[k], bins.min[k], bins.max[k])
                    })
                    .map(|v| slope * v + offset)
                    .collect();
                Column {
                    thresholds: thresholds(&bins.freq),
                    draw: Draw::Numeric {
                        edges: bins.edges,
                        slope,
                        offset,
                        terms,
                    },
                }
            })
            .collect();
        let d = columns.len();
        let width = 0.75 * (d as f64).sqrt();
        let kernel = (0..=d)
            .map(|k| libm::sqrt(libm::exp(-(k as f64) / (width * width))))
            .collect();
        Lime {
            columns,
            intercept: model.model.intercept,
            kernel,
        }
    }

    /// The customer's category or bin in each column, and their logit.
    fn own(&self, values: &[FeatureValue]) -> (Vec<usize>, f64) {
        let mut logit = self.intercept;
        let own = self
            .columns
            .iter()
            .zip(values)
            .map(|(c, v)| match (&c.draw, v) {
                (Draw::Categorical { terms, categories }, FeatureValue::Category(label)) => {
                    let k = crate::model::features::category_index(categories, label)
                        .unwrap_or(usize::MAX);
                    logit += terms.get(k).copied().unwrap_or(0.0);
                    k
                }
                (
                    Draw::Numeric {
                        edges,
                        slope,
                        offset,
                        ..
                    },
                    FeatureValue::Number(x),
                ) => {
                    logit += slope * x + offset;
                    bin_of(edges, *x)
                }
                _ => usize::MAX,
            })
            .collect();
        (own, logit)
    }
}

/// Acklam's rational approximation of the standard normal quantile
/// (relative error below 1.2e-9).
fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383_577_518_672_69e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail(libm::sqrt(-2.0 * libm::log(p)))
    } else if p > 1.0 - 0.02425 {
        -tail(libm::sqrt(-2.0 * libm::log(1.0 - p)))
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// How many equally likely values stand for a bin's truncated normal.
const QUANTILES: usize = 256;
/// Bits of a 32-bit draw that pick a category or bin; the other 8 pick one
/// of the bin's `QUANTILES` values.
const PICK_BITS: u32 = 24;

/// A bin's truncated normal (mean, std, cut to [lo, hi]) as `QUANTILES`
/// equally likely values, the mid-quantiles of the distribution: drawing
/// one at random costs an index instead of a rejection loop.
fn truncated_normal_table(mean: f64, std: f64, lo: f64, hi: f64) -> Vec<f64> {
    if std <= 0.0 || lo >= hi {
        return vec![mean.clamp(lo.min(hi), hi.max(lo)); QUANTILES];
    }
    let (a, b) = (normal_cdf((lo - mean) / std), normal_cdf((hi - mean) / std));
    (0..QUANTILES)
        .map(|i| {
            let p = a + (b - a) * (i as f64 + 0.5) / QUANTILES as f64;
            (mean + std * normal_quantile(p.clamp(1e-300, 1.0 - 1e-16))).clamp(lo, hi)
        })
        .collect()
}

/// The perturbed rows LIME fits on: per sample, a bit per model column
/// set where the sample matches the customer (`words` 64-bit words per
/// sample), the model's probability, and how many columns differ (which
/// sets the sample's kernel weight).
pub struct Neighbourhood {
    pub columns: usize,
    pub words: usize,
    pub matched: Vec<u64>,
    pub probability: Vec<f64>,
    pub differing: Vec<usize>,
}

impl Neighbourhood {
    /// Whether sample `row` matches the customer in `column`.
    pub fn matches(&self, row: usize, column: usize) -> bool {
        self.matched[row * self.words + column / 64] >> (column % 64) & 1 == 1
    }
}

impl Lime {
    /// The kernel weight of a sample with `differing` columns unlike the
    /// customer's: `sqrt(exp(-d²/w²))`, `d² = differing`, `w = 0.75·√columns`.
    pub fn kernel(&self, differing: usize) -> f64 {
        self.kernel[differing]
    }
}

/// Explains `values` (a customer, in model column order) with `samples`
/// perturbed rows, the first being the customer.
pub fn explain(lime: &Lime, values: &[FeatureValue], samples: usize, seed: u64) -> LimeResult {
    let n = neighbourhood(lime, values, samples, seed);
    WeightedSums::from_indicators(
        n.columns,
        &n.matched,
        &n.probability,
        &n.differing,
        &lime.kernel,
    )
    .ridge(1.0)
}

/// Draws the `samples` perturbed rows of `values` (the first being the
/// customer) and scores them with the model.
pub fn neighbourhood(
    lime: &Lime,
    values: &[FeatureValue],
    samples: usize,
    seed: u64,
) -> Neighbourhood {
    let d = lime.columns.len();
    let n = samples.max(2);
    let words = d.div_ceil(64).max(1);
    let mut rng = Rng::new(seed);
    let (own, own_logit) = lime.own(values);
    // Column by column: each sample's logit, and a bit per column where the
    // sample matches the customer. Row 0 is the customer.
    let mut logit = vec![lime.intercept; n];
    logit[0] = own_logit;
    let mut matched = vec![0u64; n * words];
    for (col, c) in lime.columns.iter().enumerate() {
        let (word, bit) = (col / 64, col % 64);
        matched[word] |= 1 << bit;
        let (terms, spread) = match &c.draw {
            Draw::Categorical { terms, .. } => (terms.as_slice(), 1),
            Draw::Numeric { terms, .. } => (terms.as_slice(), QUANTILES),
        };
        let rows = Cells {
            own: own[col],
            word,
            bit,
            words,
            terms,
            spread,
        };
        // Four thresholds (any column of up to four outcomes) are counted
        // from a fixed array; more from the slice, four at a time.
        let (groups, _) = c.thresholds.as_chunks::<4>();
        match groups {
            [t] => rows.fill(&mut rng, &mut logit, &mut matched, |r| at_or_below(t, r)),
            _ => rows.fill(&mut rng, &mut logit, &mut matched, |r| {
                groups.iter().map(|t| at_or_below(t, r)).sum()
            }),
        }
    }
    let probability: Vec<f64> = logit.iter().map(|l| sigmoid(*l)).collect();
    // A sample's weight depends only on how many features differ.
    let differing: Vec<usize> = matched
        .chunks_exact(words)
        .map(|m| d - m.iter().map(|w| w.count_ones() as usize).sum::<usize>())
        .collect();
    Neighbourhood {
        columns: d,
        words,
        matched,
        probability,
        differing,
    }
}

/// How many of four thresholds are at or below `r`, without branches.
#[inline(always)]
fn at_or_below(t: &[u32; 4], r: u32) -> usize {
    t.iter().map(|x| (*x <= r) as usize).sum()
}

/// The logistic function with `exp` by range reduction and a degree-12
/// Taylor polynomial (relative error below 1e-15): LIME scores 5,000
/// samples, and libm's `exp` was a sixth of its time.
fn sigmoid(z: f64) -> f64 {
    let x = (-z.abs()).max(-708.0);
    // Round to nearest by adding and taking away 1.5·2⁵² (no libm call).
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    let k = (x * std::f64::consts::LOG2_E + SHIFT) - SHIFT;
    // ln 2 split in two (musl's LN2_HI and LN2_LO) so k·ln 2 is exact enough.
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    let r = x - k * LN2_HI - k * LN2_LO;
    // Horner on 1/i! for i = 12 … 0.
    const C: [f64; 13] = {
        let mut c = [1.0; 13];
        let mut i = 1;
        while i < 13 {
            c[i] = c[i - 1] / i as f64;
            i += 1;
        }
        c
    };
    let p = C.iter().rev().fold(0.0, |p, c| p * r + c);
    let e = p * f64::from_bits(((k as i64 + 1023) as u64) << 52);
    if z >= 0.0 {
        1.0 / (1.0 + e)
    } else {
        e / (1.0 + e)
    }
}

/// One column's draws for every sample but the customer's.
struct Cells<'a> {
    own: usize,
    word: usize,
    bit: usize,
    words: usize,
    /// The logit term of outcome `k` and value `q`: `terms[k * spread + q]`.
    terms: &'a [f64],
    spread: usize,
}

impl Cells<'_> {
    /// One 32-bit draw per sample, two per generator call: the top 24 bits
    /// pick the category or bin (`pick` counts the thresholds at or below
    /// them), the low 8 bits a value within the bin. Adds the term to the
    /// sample's logit and sets its bit where the outcome is the customer's.
    #[inline(always)]
    fn fill(
        &self,
        rng: &mut Rng,
        logit: &mut [f64],
        matched: &mut [u64],
        pick: impl Fn(u32) -> usize,
    ) {
        let mask = self.spread - 1;
        let n = logit.len();
        let mut cell = |r: usize, u: u32| {
            let k = pick(u >> (32 - PICK_BITS));
            logit[r] += self
                .terms
                .get(k * self.spread + (u as usize & mask))
                .copied()
                .unwrap_or(0.0);
            matched[r * self.words + self.word] |= ((k == self.own) as u64) << self.bit;
        };
        // Two cells per 64-bit draw.
        for r in (1..n).step_by(2) {
            let u = rng.next_u64();
            cell(r, u as u32);
            if r + 1 < n {
                cell(r + 1, (u >> 32) as u32);
            }
        }
    }
}

/// How well LIME's ranking agrees with the exact contributions: re-run with
/// `seeds` seeds and report the mean Spearman correlation between the
/// ranks of |LIME weight| and |exact contribution|.
pub fn stability(lime: &Lime, values: &[FeatureValue], exact: &[f64], seeds: u64) -> f64 {
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
            let rl = rank(&explain(lime, values, DEFAULT_SAMPLES, s).weights);
            let d2: f64 = rl.iter().zip(&re).map(|(a, b)| (a - b).powi(2)).sum();
            1.0 - 6.0 * d2 / (n * (n * n - 1.0))
        })
        .sum();
    total / seeds.max(1) as f64
}

#[cfg(test)]
mod tests;
