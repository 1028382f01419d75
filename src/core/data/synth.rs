//! The embedded default dataset: synthetic telco customers with the IBM
//! sample's schema, marginals and churn signal, generated from a seed.
//!
//! Each customer is drawn column by column from conditional shares measured
//! on the real file (facts, not rows): services depend on internet type and
//! contract, tenure on contract, charges on the services taken. Churn is
//! then drawn from a logistic model whose coefficients were fitted on the
//! real file, with the intercept calibrated to its 26.5% churn rate.

use arrow_array::{Float64Array, Int64Array, StringArray, UInt16Array};

use crate::common::hash::FxHashSet;
use crate::common::rng::Rng;
use crate::data::table::{categorical_from_parts, Column, ColumnData, Table};

/// Rows in the IBM sample and in the default dataset.
pub const DEFAULT_ROWS: usize = 7_043;
/// The default dataset's seed.
pub const DEFAULT_SEED: u64 = 42;
/// The default dataset's name.
pub const DEFAULT_NAME: &str = "telco-synthetic";
/// The real file's churn rate, which the generator calibrates to.
pub const TARGET_CHURN_RATE: f64 = 1_869.0 / 7_043.0;

const YES_NO: [&str; 2] = ["No", "Yes"];
const INTERNET: [&str; 3] = ["DSL", "Fiber optic", "No"];
const CONTRACT: [&str; 3] = ["Month-to-month", "One year", "Two year"];
const PAYMENT: [&str; 4] = [
    "Bank transfer (automatic)",
    "Credit card (automatic)",
    "Electronic check",
    "Mailed check",
];
const SERVICES: [&str; 6] = [
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "TechSupport",
    "StreamingTV",
    "StreamingMovies",
];

// Shares measured on the real file (percent of rows or of the conditioning group).
const P_MALE: f64 = 0.5048;
const P_SENIOR: f64 = 0.1621;
const P_PARTNER: f64 = 0.483;
/// P(Dependents | Partner = No, Yes).
const P_DEPENDENTS: [f64; 2] = [0.099, 0.514];
/// P(InternetService | SeniorCitizen = 0, 1), over DSL, Fiber optic, No.
const P_INTERNET: [[f64; 3]; 2] = [[0.366, 0.384, 0.250], [0.227, 0.728, 0.046]];
/// P(PhoneService | InternetService).
const P_PHONE: [f64; 3] = [0.718, 1.0, 1.0];
/// P(Contract | InternetService, Partner = No, Yes).
const P_CONTRACT: [[[f64; 3]; 2]; 3] = [
    [[0.655, 0.207, 0.138], [0.344, 0.266, 0.390]],
    [[0.805, 0.124, 0.071], [0.561, 0.228, 0.211]],
    [[0.490, 0.236, 0.274], [0.187, 0.241, 0.572]],
];
/// Tenure bins (lower inclusive, upper exclusive) and their counts per contract.
const TENURE_BINS: [(u32, u32); 9] = [
    (0, 1),
    (1, 6),
    (6, 12),
    (12, 24),
    (24, 36),
    (36, 48),
    (48, 60),
    (60, 72),
    (72, 73),
];
const TENURE_COUNTS: [[f64; 9]; 3] = [
    [0.0, 1318.0, 590.0, 765.0, 522.0, 323.0, 230.0, 125.0, 2.0],
    [1.0, 31.0, 70.0, 199.0, 251.0, 259.0, 325.0, 320.0, 17.0],
    [10.0, 11.0, 38.0, 83.0, 103.0, 166.0, 265.0, 676.0, 343.0],
];
/// P(service = Yes | InternetService = DSL, Fiber optic; Contract), per service.
// 0.318 here is a measured share of the real file, not 1/π.
#[allow(clippy::approx_constant)]
const P_SERVICE: [[[f64; 3]; 2]; 6] = [
    [[0.299, 0.579, 0.771], [0.166, 0.412, 0.613]],
    [[0.303, 0.489, 0.694], [0.325, 0.636, 0.718]],
    [[0.229, 0.537, 0.763], [0.318, 0.631, 0.793]],
    [[0.277, 0.572, 0.817], [0.156, 0.419, 0.718]],
    [[0.244, 0.447, 0.643], [0.470, 0.737, 0.823]],
    [[0.251, 0.454, 0.661], [0.469, 0.748, 0.818]],
];
/// P(MultipleLines = Yes | PhoneService = Yes; InternetService; Contract).
const P_MULTIPLE_LINES: [[f64; 3]; 3] = [
    [0.259, 0.428, 0.621],
    [0.572, 0.686, 0.818],
    [0.088, 0.176, 0.364],
];
/// P(PaperlessBilling | InternetService).
const P_PAPERLESS: [f64; 3] = [0.549, 0.774, 0.292];
/// P(PaymentMethod | Contract; PaperlessBilling = No, Yes).
// 0.318 here is a measured share of the real file, not 1/π.
#[allow(clippy::approx_constant)]
const P_PAYMENT: [[[f64; 4]; 2]; 3] = [
    [[0.160, 0.125, 0.351, 0.364], [0.148, 0.148, 0.540, 0.164]],
    [[0.254, 0.259, 0.169, 0.318], [0.275, 0.280, 0.291, 0.154]],
    [[0.303, 0.335, 0.062, 0.300], [0.367, 0.352, 0.143, 0.139]],
];
/// MonthlyCharges ≈ base + price per item (a linear fit on the real file, residual sd 1.02).
const CHARGE_BASE: f64 = -0.097;
const CHARGE_PHONE: f64 = 20.052;
const CHARGE_MULTIPLE_LINES: f64 = 5.012;
const CHARGE_INTERNET: [f64; 3] = [25.049, 50.006, 0.0];
const CHARGE_SERVICE: [f64; 6] = [5.013, 4.991, 5.021, 5.029, 9.969, 9.963];
const CHARGE_NOISE_SD: f64 = 1.02;
const MONTHLY_MIN: f64 = 18.25;
const MONTHLY_MAX: f64 = 118.75;

/// Churn log-odds per unit, fitted on the real file (scikit-learn, C=10).
struct ChurnModel;
impl ChurnModel {
    const SENIOR: f64 = 0.2162;
    const MALE: f64 = -0.0229;
    const PARTNER: f64 = 0.0005;
    const DEPENDENTS: f64 = -0.1492;
    const PHONE: f64 = -0.1873;
    const MULTIPLE_LINES: f64 = 0.3604;
    const INTERNET: [f64; 3] = [1.3343, 2.6392, 0.0];
    const SERVICE: [f64; 6] = [-0.293, -0.0621, 0.0595, -0.2687, 0.4134, 0.422];
    const CONTRACT: [f64; 3] = [0.0, -0.6603, -1.3495];
    const PAPERLESS: f64 = 0.344;
    const PAYMENT: [f64; 4] = [0.0, -0.0868, 0.306, -0.0565];
    const TENURE: f64 = -0.0605;
    const MONTHLY: f64 = -0.0225;
    const TOTAL_PER_1000: f64 = 0.3269;
}

/// One customer's drawn attributes, as category indices and numbers.
struct Customer {
    male: bool,
    senior: bool,
    partner: bool,
    dependents: bool,
    tenure: u32,
    phone: bool,
    multiple_lines: bool,
    internet: usize,
    services: [bool; 6],
    contract: usize,
    paperless: bool,
    payment: usize,
    monthly: f64,
    total: Option<f64>,
}

impl Customer {
    fn draw(rng: &mut Rng) -> Customer {
        let male = rng.bernoulli(P_MALE);
        let senior = rng.bernoulli(P_SENIOR);
        let partner = rng.bernoulli(P_PARTNER);
        let dependents = rng.bernoulli(P_DEPENDENTS[partner as usize]);
        let internet = rng.weighted(&P_INTERNET[senior as usize]);
        let phone = rng.bernoulli(P_PHONE[internet]);
        let contract = rng.weighted(&P_CONTRACT[internet][partner as usize]);
        let bin = TENURE_BINS[rng.weighted(&TENURE_COUNTS[contract])];
        let tenure = bin.0 + rng.below((bin.1 - bin.0) as u64) as u32;
        let mut services = [false; 6];
        if internet < 2 {
            for (s, taken) in services.iter_mut().enumerate() {
                *taken = rng.bernoulli(P_SERVICE[s][internet][contract]);
            }
        }
        let multiple_lines = phone && rng.bernoulli(P_MULTIPLE_LINES[internet][contract]);
        let paperless = rng.bernoulli(P_PAPERLESS[internet]);
        let payment = rng.weighted(&P_PAYMENT[contract][paperless as usize]);

        let mut monthly = CHARGE_BASE + CHARGE_INTERNET[internet] + CHARGE_NOISE_SD * rng.normal();
        if phone {
            monthly += CHARGE_PHONE;
        }
        if multiple_lines {
            monthly += CHARGE_MULTIPLE_LINES;
        }
        for (s, taken) in services.iter().enumerate() {
            if *taken {
                monthly += CHARGE_SERVICE[s];
            }
        }
        // Prices move in steps of 5 cents, as in the real file.
        let monthly = (libm::round(monthly * 20.0) / 20.0).clamp(MONTHLY_MIN, MONTHLY_MAX);
        let drift = 1.0 + 0.05 * rng.normal();
        let total = match tenure {
            0 => None,
            1 => Some(monthly),
            t => Some(
                (libm::round(t as f64 * monthly * drift.clamp(0.7, 1.5) * 100.0) / 100.0)
                    .max(monthly),
            ),
        };
        Customer {
            male,
            senior,
            partner,
            dependents,
            tenure,
            phone,
            multiple_lines,
            internet,
            services,
            contract,
            paperless,
            payment,
            monthly,
            total,
        }
    }

    /// Churn log-odds without the intercept.
    fn churn_score(&self) -> f64 {
        let flag = |b: bool, w: f64| if b { w } else { 0.0 };
        let mut z = flag(self.senior, ChurnModel::SENIOR)
            + flag(self.male, ChurnModel::MALE)
            + flag(self.partner, ChurnModel::PARTNER)
            + flag(self.dependents, ChurnModel::DEPENDENTS)
            + flag(self.phone, ChurnModel::PHONE)
            + flag(self.multiple_lines, ChurnModel::MULTIPLE_LINES)
            + ChurnModel::INTERNET[self.internet]
            + ChurnModel::CONTRACT[self.contract]
            + flag(self.paperless, ChurnModel::PAPERLESS)
            + ChurnModel::PAYMENT[self.payment]
            + ChurnModel::TENURE * self.tenure as f64
            + ChurnModel::MONTHLY * self.monthly;
        for (s, taken) in self.services.iter().enumerate() {
            z += flag(*taken, ChurnModel::SERVICE[s]);
        }
        // Customers with no charges yet score as if billed one month.
        z + ChurnModel::TOTAL_PER_1000 * self.total.unwrap_or(self.monthly) / 1000.0
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + libm::exp(-z))
}

/// The intercept that makes the mean churn probability equal `rate`.
fn calibrate_intercept(scores: &[f64], rate: f64) -> f64 {
    // Newton's method on the mean probability (increasing in b), kept
    // inside a bracket that halves whenever a step would leave it: a few
    // passes over the scores where plain bisection took sixty.
    let n = scores.len() as f64;
    let (mut lo, mut hi, mut b) = (-20.0f64, 20.0f64, 0.0f64);
    for _ in 0..100 {
        let (mut mean, mut slope) = (0.0, 0.0);
        for s in scores {
            let p = sigmoid(s + b);
            mean += p;
            slope += p * (1.0 - p);
        }
        let (mean, slope) = (mean / n - rate, slope / n);
        if mean < 0.0 {
            lo = b;
        } else {
            hi = b;
        }
        let newton = b - mean / slope;
        let next = if slope > 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - b).abs() <= 4.0 * f64::EPSILON * b.abs().max(1.0) {
            return next;
        }
        b = next;
    }
    b
}

/// A customer ID in the real file's shape, `7590-VHVEG`.
fn customer_id(rng: &mut Rng) -> String {
    let digits = rng.below(10_000);
    let mut id = format!("{digits:04}-");
    for _ in 0..5 {
        id.push((b'A' + rng.below(26) as u8) as char);
    }
    id
}

fn categorical(name: &str, labels: &[&str], keys: Vec<u16>) -> Column {
    Column::new(
        name,
        ColumnData::Categorical(categorical_from_parts(
            UInt16Array::from(keys),
            StringArray::from(labels.to_vec()),
        )),
    )
}

fn yes_no(name: &str, values: impl Iterator<Item = bool>) -> Column {
    categorical(name, &YES_NO, values.map(u16::from).collect())
}

/// Service columns have a third label for customers without the base service.
fn service(name: &str, without: &str, values: impl Iterator<Item = Option<bool>>) -> Column {
    let keys = values.map(|v| v.map_or(2, u16::from)).collect();
    categorical(name, &["No", "Yes", without], keys)
}

/// `rows` synthetic customers drawn from `seed`.
pub fn generate(rows: usize, seed: u64) -> Table {
    let mut rng = Rng::new(seed);
    let customers: Vec<Customer> = (0..rows).map(|_| Customer::draw(&mut rng)).collect();
    let scores: Vec<f64> = customers.iter().map(Customer::churn_score).collect();
    let intercept = calibrate_intercept(&scores, TARGET_CHURN_RATE);
    let churn: Vec<bool> = scores
        .iter()
        .map(|s| rng.bernoulli(sigmoid(s + intercept)))
        .collect();
    let mut seen = FxHashSet::default();
    let ids: Vec<String> = (0..rows)
        .map(|_| loop {
            let id = customer_id(&mut rng);
            if seen.insert(id.clone()) {
                break id;
            }
        })
        .collect();

    let c = &customers;
    let mut columns = vec![
        Column::new("customerID", ColumnData::Text(StringArray::from(ids))),
        categorical(
            "gender",
            &["Female", "Male"],
            c.iter().map(|x| u16::from(x.male)).collect(),
        ),
        Column::new(
            "SeniorCitizen",
            ColumnData::Integer(
                c.iter()
                    .map(|x| Some(x.senior as i64))
                    .collect::<Int64Array>(),
            ),
        ),
        yes_no("Partner", c.iter().map(|x| x.partner)),
        yes_no("Dependents", c.iter().map(|x| x.dependents)),
        Column::new(
            "tenure",
            ColumnData::Integer(
                c.iter()
                    .map(|x| Some(x.tenure as i64))
                    .collect::<Int64Array>(),
            ),
        ),
        yes_no("PhoneService", c.iter().map(|x| x.phone)),
        service(
            "MultipleLines",
            "No phone service",
            c.iter().map(|x| x.phone.then_some(x.multiple_lines)),
        ),
        categorical(
            "InternetService",
            &INTERNET,
            c.iter().map(|x| x.internet as u16).collect(),
        ),
    ];
    for (s, name) in SERVICES.iter().enumerate() {
        columns.push(service(
            name,
            "No internet service",
            c.iter().map(|x| (x.internet < 2).then_some(x.services[s])),
        ));
    }
    columns.extend([
        categorical(
            "Contract",
            &CONTRACT,
            c.iter().map(|x| x.contract as u16).collect(),
        ),
        yes_no("PaperlessBilling", c.iter().map(|x| x.paperless)),
        categorical(
            "PaymentMethod",
            &PAYMENT,
            c.iter().map(|x| x.payment as u16).collect(),
        ),
        Column::new(
            "MonthlyCharges",
            ColumnData::Float(c.iter().map(|x| Some(x.monthly)).collect::<Float64Array>()),
        ),
        Column::new(
            "TotalCharges",
            ColumnData::Float(c.iter().map(|x| x.total).collect::<Float64Array>()),
        ),
        yes_no("Churn", churn.into_iter()),
    ]);
    Table::try_new(DEFAULT_NAME, columns)
        .unwrap_or_else(|e| unreachable!("synthetic columns are consistent: {e}"))
}

/// The default dataset the app opens on.
pub fn default_dataset() -> Table {
    generate(DEFAULT_ROWS, DEFAULT_SEED)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bisection the calibration used before: sixty halvings of [-20, 20].
    fn bisected(scores: &[f64], rate: f64) -> f64 {
        let mean_p =
            |b: f64| scores.iter().map(|s| sigmoid(s + b)).sum::<f64>() / scores.len() as f64;
        let (mut lo, mut hi) = (-20.0, 20.0);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if mean_p(mid) < rate {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }

    #[test]
    fn the_intercept_gives_the_rate_as_bisection_did() {
        let mut rng = Rng::new(3);
        for (spread, shift) in [(1.0, 0.0), (4.0, -3.0), (0.0, 2.0), (3.0, 2.0)] {
            let scores: Vec<f64> = (0..2_000).map(|_| shift + spread * rng.normal()).collect();
            for rate in [0.01, 0.2654, 0.5, 0.93] {
                let b = calibrate_intercept(&scores, rate);
                let mean = scores.iter().map(|s| sigmoid(s + b)).sum::<f64>() / scores.len() as f64;
                assert!((mean - rate).abs() < 1e-12, "rate {rate}: mean {mean}");
                let old = bisected(&scores, rate);
                assert!((b - old).abs() < 1e-9, "rate {rate}: {b} against {old}");
            }
        }
    }
}
