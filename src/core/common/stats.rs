//! Descriptive statistics shared by the stages: quantiles (numpy's linear
//! interpolation), the quartile bins LIME and the saved pipeline keep per
//! numeric column, box-plot summaries and equal-width histogram counts.

/// A box plot's five numbers and outliers (beyond 1.5 IQR) for one group.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BoxStats {
    pub label: String,
    pub n: usize,
    pub min: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: f64,
    /// Whisker ends: the furthest values within 1.5 IQR of the box.
    pub low: f64,
    pub high: f64,
    pub outliers: Vec<f64>,
}

/// The q-quantile of sorted values, interpolating linearly between the two
/// nearest ranks (numpy's and pandas' default).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// A numeric column's quartile bins: edges and the training values' mean,
/// standard deviation, minimum and maximum in each bin.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QuartileBins {
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

impl QuartileBins {
    /// QuartileBins from training values (any order).
    pub fn from_values(values: &[f64]) -> QuartileBins {
        let mut v: Vec<f64> = values.to_vec();
        v.sort_by(f64::total_cmp);
        let edges = [quantile(&v, 0.25), quantile(&v, 0.5), quantile(&v, 0.75)];
        let mut groups: [Vec<f64>; 4] = Default::default();
        for x in &v {
            groups[bin_of(&edges, *x)].push(*x);
        }
        let n = v.len().max(1) as f64;
        let mut b = QuartileBins {
            edges,
            mean: [0.0; 4],
            std: [0.0; 4],
            min: [0.0; 4],
            max: [0.0; 4],
            freq: [0.0; 4],
        };
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

/// Most outliers kept per box.
const MAX_OUTLIERS: usize = 200;

/// Box statistics per group label, groups in label order.
pub fn boxes(values: Vec<(String, f64)>) -> Vec<BoxStats> {
    let mut groups: Vec<(String, Vec<f64>)> = Vec::new();
    for (g, v) in values {
        match groups.iter_mut().find(|(n, _)| *n == g) {
            Some((_, vs)) => vs.push(v),
            None => groups.push((g, vec![v])),
        }
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups
        .into_iter()
        .map(|(label, mut vs)| {
            vs.sort_by(f64::total_cmp);
            let (q1, median, q3) = (quantile(&vs, 0.25), quantile(&vs, 0.5), quantile(&vs, 0.75));
            let iqr = q3 - q1;
            let (fence_lo, fence_hi) = (q1 - 1.5 * iqr, q3 + 1.5 * iqr);
            let low = vs.iter().copied().find(|v| *v >= fence_lo).unwrap_or(q1);
            let high = vs
                .iter()
                .rev()
                .copied()
                .find(|v| *v <= fence_hi)
                .unwrap_or(q3);
            let outliers: Vec<f64> = vs
                .iter()
                .copied()
                .filter(|v| *v < fence_lo || *v > fence_hi)
                .take(MAX_OUTLIERS)
                .collect();
            BoxStats {
                label,
                n: vs.len(),
                min: vs[0],
                q1,
                median,
                q3,
                max: vs[vs.len() - 1],
                low,
                high,
                outliers,
            }
        })
        .collect()
}

/// Equal-width bins over the values' range: the `bins + 1` edges, and per
/// group (in name order) the count in each bin.
pub fn histogram(values: &[(String, f64)], bins: usize) -> (Vec<f64>, Vec<(String, Vec<f64>)>) {
    let bins = bins.max(1);
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (_, v)| {
            (lo.min(*v), hi.max(*v))
        });
    if !lo.is_finite() {
        return (vec![0.0, 1.0], Vec::new());
    }
    let width = if hi > lo {
        (hi - lo) / bins as f64
    } else {
        1.0
    };
    let edges: Vec<f64> = (0..=bins).map(|i| lo + width * i as f64).collect();
    let mut names: Vec<String> = values.iter().map(|(g, _)| g.clone()).collect();
    names.sort();
    names.dedup();
    let mut counts = vec![vec![0.0f64; bins]; names.len()];
    for (g, v) in values {
        let b = (((v - lo) / width) as usize).min(bins - 1);
        if let Ok(s) = names.binary_search(g) {
            counts[s][b] += 1.0;
        }
    }
    (edges, names.into_iter().zip(counts).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_numpy() {
        // .venv/bin/python -c "import numpy as np; print(np.quantile([1,2,3,4,10], [.25,.5,.75]))"
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(
            (quantile(&v, 0.25), quantile(&v, 0.5), quantile(&v, 0.75)),
            (2.0, 3.0, 4.0)
        );
        assert_eq!(quantile(&[1.0, 2.0], 0.5), 1.5);
    }

    #[test]
    fn boxes_find_outliers_and_whiskers() {
        let vals: Vec<(String, f64)> = [1.0, 2.0, 3.0, 4.0, 5.0, 100.0]
            .iter()
            .map(|v| ("a".to_owned(), *v))
            .collect();
        let b = &boxes(vals)[0];
        assert_eq!(b.outliers, vec![100.0]);
        assert_eq!((b.low, b.high, b.max), (1.0, 5.0, 100.0));
    }

    #[test]
    fn histogram_counts_every_value_once() {
        let vals: Vec<(String, f64)> = (0..100)
            .map(|i| (if i % 2 == 0 { "x" } else { "y" }.to_owned(), i as f64))
            .collect();
        let (edges, groups) = histogram(&vals, 10);
        assert_eq!(edges.len(), 11);
        assert_eq!(groups.len(), 2);
        let total: f64 = groups.iter().flat_map(|(_, c)| c.iter()).sum();
        assert_eq!(total, 100.0);
        assert_eq!(groups[0].1[9], 5.0, "the maximum falls in the last bin");
    }
}
