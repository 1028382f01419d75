//! Isotonic regression as scikit-learn's `IsotonicRegression(increasing=True,
//! out_of_bounds="clip")` fits and predicts it: points sorted by x, equal x
//! (within 1e-15) merged into their weighted mean, the pool-adjacent-
//! violators algorithm, then linear interpolation between the fitted points,
//! clipped at both ends. Used to calibrate scores into probabilities.

/// A fitted non-decreasing step-wise linear function.
#[derive(Clone, Debug, PartialEq)]
pub struct Isotonic {
    xs: Vec<f64>,
    ys: Vec<f64>,
}

/// Pools adjacent violators in place: `y` becomes the weighted least-squares
/// non-decreasing fit (weights `w` are consumed).
fn pool_adjacent_violators(y: &mut [f64], w: &mut [f64]) {
    let n = y.len();
    // target[i] is the last index of the block starting at i (and the first
    // index of the block ending at i).
    let mut target: Vec<usize> = (0..n).collect();
    let mut i = 0;
    while i < n {
        let mut k = target[i] + 1;
        if k == n {
            break;
        }
        if y[i] < y[k] {
            i = k;
            continue;
        }
        let mut sum_wy = w[i] * y[i];
        let mut sum_w = w[i];
        loop {
            let prev_y = y[k];
            sum_wy += w[k] * y[k];
            sum_w += w[k];
            k = target[k] + 1;
            if k == n || prev_y < y[k] {
                y[i] = sum_wy / sum_w;
                w[i] = sum_w;
                target[i] = k - 1;
                target[k - 1] = i;
                if i > 0 {
                    i = target[i - 1];
                }
                break;
            }
        }
    }
    let mut i = 0;
    while i < n {
        let k = target[i] + 1;
        let v = y[i];
        for slot in &mut y[i + 1..k] {
            *slot = v;
        }
        i = k;
    }
}

impl Isotonic {
    /// Fits `y` (0/1 labels as numbers, or any values) on `x`.
    pub fn fit(x: &[f64], y: &[f64]) -> Isotonic {
        let mut order: Vec<usize> = (0..x.len().min(y.len())).collect();
        // scikit-learn sorts by x, then by y for equal x.
        order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(y[a].total_cmp(&y[b])));
        let mut xs: Vec<f64> = Vec::new();
        let mut ys: Vec<f64> = Vec::new();
        let mut ws: Vec<f64> = Vec::new();
        let mut y_sum = 0.0;
        for &i in &order {
            match xs.last() {
                Some(&cur) if x[i] - cur < 1e-15 => {
                    if let Some(w) = ws.last_mut() {
                        *w += 1.0;
                    }
                    y_sum += y[i];
                }
                _ => {
                    if let (Some(yl), Some(w)) = (ys.last_mut(), ws.last()) {
                        *yl = y_sum / w;
                    }
                    xs.push(x[i]);
                    ys.push(0.0);
                    ws.push(1.0);
                    y_sum = y[i];
                }
            }
        }
        if let (Some(yl), Some(w)) = (ys.last_mut(), ws.last()) {
            *yl = y_sum / w;
        }
        pool_adjacent_violators(&mut ys, &mut ws);
        Isotonic { xs, ys }
    }

    /// The fitted value at `v`, clipped to the range of the fitted x.
    pub fn predict(&self, v: f64) -> f64 {
        let (Some(&first), Some(&last)) = (self.xs.first(), self.xs.last()) else {
            return v;
        };
        if v <= first {
            return self.ys[0];
        }
        if v >= last {
            return self.ys[self.ys.len() - 1];
        }
        // The first fitted x above v, and the one before it.
        let hi = self.xs.partition_point(|x| *x <= v);
        let lo = hi - 1;
        let (x0, x1, y0, y1) = (self.xs[lo], self.xs[hi], self.ys[lo], self.ys[hi]);
        if x1 == x0 {
            return y1;
        }
        y0 + (v - x0) * (y1 - y0) / (x1 - x0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_like_scikit_learn() {
        // .venv/bin/python -c "from sklearn.isotonic import IsotonicRegression as I; r = I(out_of_bounds='clip').fit([1,2,3,4,5,6],[1,3,2,4,3,5]); print(r.predict([0, 1.5, 2.5, 3.5, 5.5, 9]))"
        // -> [1.   1.75 2.5  3.   4.25 5.  ]
        let r = Isotonic::fit(
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            &[1.0, 3.0, 2.0, 4.0, 3.0, 5.0],
        );
        let got: Vec<f64> = [0.0, 1.5, 2.5, 3.5, 5.5, 9.0]
            .iter()
            .map(|v| r.predict(*v))
            .collect();
        assert_eq!(got, vec![1.0, 1.75, 2.5, 3.0, 4.25, 5.0]);
        // Equal x are merged into their mean before pooling.
        let r = Isotonic::fit(&[1.0, 1.0, 2.0], &[0.0, 1.0, 1.0]);
        assert_eq!(r.predict(1.0), 0.5);
    }
}
