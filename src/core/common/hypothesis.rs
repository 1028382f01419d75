//! The statistical tests monitoring uses, with scipy's results: the
//! two-sample Kolmogorov-Smirnov test (`scipy.stats.ks_2samp`, exact
//! p-values up to 10,000 values a side), the chi-square test of a
//! contingency table (`chi2_contingency`, Yates' correction at one degree of
//! freedom), the Jensen-Shannon distance (`spatial.distance.jensenshannon`,
//! natural log) and the exact McNemar test (`binomtest(b, b + c, 0.5)`).

/// A test's statistic and its p-value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TestResult {
    pub statistic: f64,
    pub p_value: f64,
}

/// Above this many values a side the KS p-value is asymptotic, as scipy's.
pub const KS_EXACT_MAX: usize = 10_000;

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The two-sided two-sample KS test of `a` and `b` (any order, no NaNs).
pub fn ks_2samp(a: &[f64], b: &[f64]) -> TestResult {
    let mut x = a.to_vec();
    let mut y = b.to_vec();
    x.sort_by(f64::total_cmp);
    y.sort_by(f64::total_cmp);
    ks_2samp_sorted(&x, &y)
}

/// [`ks_2samp`] of samples already sorted ascending.
pub fn ks_2samp_sorted(x: &[f64], y: &[f64]) -> TestResult {
    let (n1, n2) = (x.len(), y.len());
    if n1 == 0 || n2 == 0 {
        return TestResult {
            statistic: f64::NAN,
            p_value: f64::NAN,
        };
    }
    // The largest gap between the two empirical CDFs, evaluated after each
    // distinct value (ties move both CDFs at once).
    let (mut i, mut j) = (0usize, 0usize);
    let mut d_counts: u64 = 0; // |i·n2 − j·n1|, exact in integers
    while i < n1 || j < n2 {
        let v = match (x.get(i), y.get(j)) {
            (Some(a), Some(b)) => a.min(*b),
            (Some(a), None) => *a,
            (None, Some(b)) => *b,
            (None, None) => break,
        };
        while i < n1 && x[i] <= v {
            i += 1;
        }
        while j < n2 && y[j] <= v {
            j += 1;
        }
        let diff = (i as i128 * n2 as i128 - j as i128 * n1 as i128).unsigned_abs() as u64;
        d_counts = d_counts.max(diff);
    }
    let (m, n) = (n1 as u64, n2 as u64);
    let d = d_counts as f64 / (m * n) as f64;
    let g = gcd(m, n);
    let lcm = (m / g) * n;
    // The statistic on the lattice of possible values, as scipy rounds it.
    let h = (d * lcm as f64).round() as u64;
    let d = h as f64 / lcm as f64;
    if h == 0 {
        return TestResult {
            statistic: d,
            p_value: 1.0,
        };
    }
    let p = if n1.max(n2) > KS_EXACT_MAX {
        kolmogorov_sf(d * ((m * n) as f64 / (m + n) as f64).sqrt())
    } else if m == n {
        prob_outside_square(m, h)
    } else {
        1.0 - prob_inside(m, n, g, h)
    };
    TestResult {
        statistic: d,
        p_value: p.clamp(0.0, 1.0),
    }
}

/// P(D ≥ h/n) for two samples of size n: 2·Σ (−1)^(k−1)·C(2n, n−kh)/C(2n, n),
/// evaluated as nested products so that no term cancels another.
fn prob_outside_square(n: u64, h: u64) -> f64 {
    let mut p = 0.0;
    let mut k = n / h;
    loop {
        let mut term = 1.0;
        for j in 0..h {
            let top = n as f64 - (k * h) as f64 - j as f64;
            term = top * term / (n as f64 + (k * h) as f64 + j as f64 + 1.0);
        }
        p = term * (1.0 - p);
        if k == 0 {
            break;
        }
        k -= 1;
    }
    2.0 * p
}

/// The probability that a random monotone lattice path from (0, 0) to
/// (m, n) stays strictly inside |n·x − m·y| < h·g: every path is equally
/// likely, so each step's probability is the share of paths that take it.
fn prob_inside(m: u64, n: u64, g: u64, h: u64) -> f64 {
    let bound = (h * g) as i128;
    let inside = |x: u64, y: u64| ((n as i128 * x as i128) - (m as i128 * y as i128)).abs() < bound;
    let (m_us, n_us) = (m as usize, n as usize);
    let mut row = vec![0.0f64; n_us + 1];
    row[0] = 1.0;
    for y in 1..=n_us {
        // Steps up along x = 0.
        let left = (n - (y as u64 - 1)) as f64 / (m + n - (y as u64 - 1)) as f64;
        row[y] = if inside(0, y as u64) {
            row[y - 1] * left
        } else {
            0.0
        };
    }
    for x in 1..=m_us {
        let xu = x as u64;
        // From (x−1, y): a step in x has probability (m − x + 1)/(m + n − x + 1 − y).
        let mut prev = 0.0; // the cell (x, y − 1)
        for (y, cell) in row.iter_mut().enumerate().take(n_us + 1) {
            let yu = y as u64;
            let from_left = *cell * (m - xu + 1) as f64 / (m + n - xu + 1 - yu) as f64;
            let from_below = if y == 0 {
                0.0
            } else {
                prev * (n - yu + 1) as f64 / (m + n - xu - yu + 1) as f64
            };
            let v = if inside(xu, yu) {
                from_left + from_below
            } else {
                0.0
            };
            *cell = v;
            prev = v;
        }
    }
    row[n_us]
}

/// The limiting Kolmogorov distribution's survival function at `t`.
fn kolmogorov_sf(t: f64) -> f64 {
    if t <= 0.0 {
        return 1.0;
    }
    if t < 0.2 {
        // The series below converges slowly here; the value is 1 to 1e-30.
        return 1.0;
    }
    let mut sum = 0.0;
    for k in 1..200 {
        let term = libm::exp(-2.0 * (k * k) as f64 * t * t);
        sum += if k % 2 == 1 { term } else { -term };
        if term < 1e-300 {
            break;
        }
    }
    (2.0 * sum).clamp(0.0, 1.0)
}

/// The regularised upper incomplete gamma function Q(a, x).
pub fn gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    if !x.is_finite() {
        return 0.0;
    }
    let log_prefix = -x + a * libm::log(x) - libm::lgamma(a);
    if x < a + 1.0 {
        // Series for P(a, x).
        let (mut sum, mut term, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..10_000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-17 {
                break;
            }
        }
        (1.0 - sum * libm::exp(log_prefix)).clamp(0.0, 1.0)
    } else {
        // Continued fraction for Q(a, x) (modified Lentz).
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (libm::exp(log_prefix) * h).clamp(0.0, 1.0)
    }
}

/// The chi-square distribution's survival function.
pub fn chi2_sf(x: f64, dof: f64) -> f64 {
    gamma_q(dof / 2.0, x / 2.0)
}

/// The chi-square test of independence of a table of counts (rows ×
/// columns), as `scipy.stats.chi2_contingency` with its default Yates
/// correction when there is one degree of freedom. Rows or columns that are
/// all zero are left out (scipy refuses them); fewer than two of either
/// gives a p-value of 1.
pub fn chi2_contingency(table: &[Vec<f64>]) -> TestResult {
    let rows: Vec<&Vec<f64>> = table
        .iter()
        .filter(|r| r.iter().sum::<f64>() > 0.0)
        .collect();
    let cols = rows.first().map_or(0, |r| r.len());
    let keep: Vec<usize> = (0..cols)
        .filter(|&c| rows.iter().map(|r| r[c]).sum::<f64>() > 0.0)
        .collect();
    if rows.len() < 2 || keep.len() < 2 {
        return TestResult {
            statistic: 0.0,
            p_value: 1.0,
        };
    }
    let total: f64 = rows.iter().flat_map(|r| keep.iter().map(|&c| r[c])).sum();
    let row_sums: Vec<f64> = rows
        .iter()
        .map(|r| keep.iter().map(|&c| r[c]).sum())
        .collect();
    let col_sums: Vec<f64> = keep
        .iter()
        .map(|&c| rows.iter().map(|r| r[c]).sum())
        .collect();
    let dof = ((rows.len() - 1) * (keep.len() - 1)) as f64;
    let mut stat = 0.0;
    for (ri, r) in rows.iter().enumerate() {
        for (ci, &c) in keep.iter().enumerate() {
            let expected = row_sums[ri] * col_sums[ci] / total;
            let mut observed = r[c];
            if dof == 1.0 {
                let gap = expected - observed;
                observed += gap.signum() * gap.abs().min(0.5);
            }
            stat += (observed - expected).powi(2) / expected;
        }
    }
    TestResult {
        statistic: stat,
        p_value: chi2_sf(stat, dof),
    }
}

/// The Jensen-Shannon distance between two distributions (normalised
/// here), with natural logarithms: the square root of the divergence.
pub fn jensen_shannon(p: &[f64], q: &[f64]) -> f64 {
    let (sp, sq) = (p.iter().sum::<f64>(), q.iter().sum::<f64>());
    if sp <= 0.0 || sq <= 0.0 {
        return f64::NAN;
    }
    let mut div = 0.0;
    for (a, b) in p.iter().zip(q) {
        let (a, b) = (a / sp, b / sq);
        let m = (a + b) / 2.0;
        if a > 0.0 {
            div += a * libm::log(a / m);
        }
        if b > 0.0 {
            div += b * libm::log(b / m);
        }
    }
    libm::sqrt((div / 2.0).max(0.0))
}

/// The exact two-sided binomial test of `k` successes in `n` at p = ½: the
/// exact McNemar test of the `b` and `c` discordant pairs (k = b, n = b + c).
pub fn binomial_half_two_sided(k: u64, n: u64) -> f64 {
    if n == 0 {
        return 1.0;
    }
    let low = k.min(n - k);
    // P(X ≤ low) with X ~ Bin(n, ½), summed in logs.
    let ln_half_n = n as f64 * libm::log(0.5);
    let ln_choose = |i: u64| {
        libm::lgamma(n as f64 + 1.0)
            - libm::lgamma(i as f64 + 1.0)
            - libm::lgamma((n - i) as f64 + 1.0)
    };
    let tail: f64 = (0..=low).map(|i| libm::exp(ln_choose(i) + ln_half_n)).sum();
    if 2 * low == n {
        1.0
    } else {
        (2.0 * tail).min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ks_statistic_counts_ties_once() {
        // .venv/bin/python -c "from scipy import stats; print(stats.ks_2samp([1,2,2,3], [2,3,4,5]))" -> 0.5, 0.7714285714285716
        let r = ks_2samp(&[1.0, 2.0, 2.0, 3.0], &[2.0, 3.0, 4.0, 5.0]);
        assert_eq!(r.statistic, 0.5);
        assert!((r.p_value - 0.7714285714285716).abs() < 1e-12, "{r:?}");
        // scipy.stats.ks_2samp([1, 2, 3], [4, 5, 6, 7, 8]) -> 1.0, 0.03571428571428571
        let r = ks_2samp(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0, 7.0, 8.0]);
        assert_eq!(r.statistic, 1.0);
        assert!((r.p_value - 0.03571428571428571).abs() < 1e-12, "{r:?}");
    }

    #[test]
    fn chi_square_and_its_tail() {
        // scipy.stats.chi2.sf(3.84, 1) -> 0.05004352124870519; chi2.sf(20, 7) -> 0.005569683072945574
        assert!((chi2_sf(3.84, 1.0) - 0.05004352124870519).abs() < 1e-12);
        assert!((chi2_sf(20.0, 7.0) - 0.005569683072945574).abs() < 1e-12);
        // scipy.stats.chi2_contingency([[10, 20], [30, 15]]) -> 6.752232142857143, 0.00936304763753395 (Yates)
        let r = chi2_contingency(&[vec![10.0, 20.0], vec![30.0, 15.0]]);
        assert!((r.statistic - 6.752232142857143).abs() < 1e-12, "{r:?}");
        assert!((r.p_value - 0.00936304763753395).abs() < 1e-15, "{r:?}");
        let empty_column = chi2_contingency(&[vec![10.0, 0.0, 20.0], vec![30.0, 0.0, 15.0]]);
        assert_eq!(empty_column, r, "an all-zero category is left out");
    }

    #[test]
    fn jensen_shannon_and_mcnemar() {
        // scipy.spatial.distance.jensenshannon([1, 0], [0, 1]) -> sqrt(ln 2)
        assert!(
            (jensen_shannon(&[1.0, 0.0], &[0.0, 1.0]) - libm::sqrt(libm::log(2.0))).abs() < 1e-15
        );
        assert_eq!(jensen_shannon(&[2.0, 2.0], &[1.0, 1.0]), 0.0);
        // scipy.stats.binomtest(2, 12, 0.5).pvalue -> 0.03857421875
        assert!((binomial_half_two_sided(2, 12) - 0.03857421875).abs() < 1e-14);
        assert_eq!(binomial_half_two_sided(6, 12), 1.0);
    }
}
