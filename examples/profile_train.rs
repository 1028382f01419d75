//! Times the workshop's training natively, split into its parts (prepare,
//! fits, evaluation), for profiling (`cargo run --release --example
//! profile_train FILE.csv [plain|cv]`). The browser figures come from
//! `bench/run train`.
use churnlab::core::model::{config::Mode, defaults::default_config, logistic, train};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_default();
    let mode = args.next().unwrap_or_else(|| "plain".into());
    let Ok(bytes) = std::fs::read(&path) else {
        return eprintln!("usage: profile_train FILE.csv [plain|cv]");
    };
    let options = churnlab::core::data::ingest::IngestOptions::new("profile");
    let table = match churnlab::core::data::ingest::ingest_bytes(&bytes, options, 4 << 20) {
        Ok((table, _)) => table,
        Err(e) => return eprintln!("{e}"),
    };
    let mut cfg = default_config(&table);
    cfg.mode = if mode == "cv" { Mode::Cv } else { Mode::Plain };
    {
        let p = train::prepare(&table, &cfg).expect("prepare");
        let (upstream, forward, backward) = evaluation_cost(&p.x_train);
        let t = std::time::Instant::now();
        let (_, iterations) = logistic::fit_logistic_counted(
            &p.x_train,
            &p.y_train,
            &logistic::LogisticParams::default(),
        )
        .expect("fit");
        let fit = t.elapsed();
        let per_eval = forward + backward;
        println!(
            "X·w {forward:?} (upstream's one-column matrix product {upstream:?}), Xᵀ·r {backward:?}: one evaluation (cost and gradient in one pass, as the patched linfa-logistic computes them) {per_eval:?}; the fit {fit:?} in {iterations} iterations ≈ {:.0} evaluations",
            fit.as_secs_f64() / per_eval.as_secs_f64()
        );
    }
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let p = train::prepare(&table, &cfg).expect("prepare");
        let prep = t.elapsed();
        let t = std::time::Instant::now();
        let model =
            logistic::fit_logistic(&p.x_train, &p.y_train, &logistic::LogisticParams::default())
                .expect("fit");
        let fit = t.elapsed();
        let t = std::time::Instant::now();
        let whole = train::train(&table, &cfg, &mut |_, _| true).expect("train");
        println!(
            "{} rows × {} columns: prepare {prep:?}, one fit {fit:?}, whole {mode} {:?} (C {}, acc {:.4}, coef0 {:.6})",
            p.x_train.nrows(),
            p.x_train.ncols(),
            t.elapsed(),
            whole.c,
            whole.evaluation.test_accuracy,
            model.coef[0]
        );
    }
}

/// What one evaluation of linfa-logistic's objective costs on `x`: `X·w`
/// (column by column in the patched crate, vendor/linfa-logistic, once for
/// the cost and gradient; upstream as a product with a one-column matrix,
/// timed too, once for each), and `Xᵀ·r` for the gradient.
pub fn evaluation_cost(
    x: &ndarray::Array2<f64>,
) -> (
    std::time::Duration,
    std::time::Duration,
    std::time::Duration,
) {
    let w1 = ndarray::Array2::<f64>::from_elem((x.ncols(), 1), 0.01);
    let w = ndarray::Array1::<f64>::from_elem(x.ncols(), 0.01);
    let r = ndarray::Array1::<f64>::from_elem(x.nrows(), 0.5);
    let reps = 200;
    let mut sink = 0.0;
    let t = std::time::Instant::now();
    for _ in 0..reps {
        sink += x.dot(&w1)[[0, 0]];
    }
    let upstream = t.elapsed() / reps;
    let t = std::time::Instant::now();
    for _ in 0..reps {
        let mut out = ndarray::Array1::<f64>::zeros(x.nrows());
        for (column, &wj) in x.columns().into_iter().zip(&w) {
            out.scaled_add(wj, &column);
        }
        sink += out[0];
    }
    let forward = t.elapsed() / reps;
    let t = std::time::Instant::now();
    for _ in 0..reps {
        sink += x.t().dot(&r)[0];
    }
    let backward = t.elapsed() / reps;
    assert!(sink.is_finite());
    (upstream, forward, backward)
}
