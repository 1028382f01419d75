//! Churnlab patch: stopping as scipy's L-BFGS-B does, so as scikit-learn's
//! `lbfgs` solver does (see `LogisticRegressionParams::stop_as_lbfgsb`).
//!
//! argmin's L-BFGS stops when the Euclidean norm of the gradient is below
//! the tolerance, or when the objective changes by less than machine
//! epsilon. L-BFGS-B stops when the largest component of the gradient is
//! at most its tolerance (`pgtol`), or when the objective's relative
//! decrease is at most `factr` times epsilon. scikit-learn minimises the
//! *mean* loss `f / n` with `pgtol = tol` and `factr = 64`; this crate's
//! objective `f` is the sum, so both tests are applied to `f` scaled by `n`.

use crate::argmin_param::ArgminParam;
use crate::float::Float;
use argmin::core::{
    Error, IterState, Problem, Solver, TerminationReason, TerminationStatus, KV,
};
use ndarray::Dimension;

type StateOf<F, D> = IterState<ArgminParam<F, D>, ArgminParam<F, D>, (), (), (), F>;

/// A solver that takes its steps from `inner` and, when `rows` is set,
/// stops by L-BFGS-B's rule on an objective summed over `rows` rows;
/// otherwise by `inner`'s own rule.
#[derive(Clone)]
pub(crate) struct Stopping<S, F> {
    pub(crate) inner: S,
    pub(crate) lbfgsb_rows: Option<F>,
    pub(crate) gradient_tolerance: F,
}

impl<S, F: Float> Stopping<S, F> {
    /// L-BFGS-B's `factr` as scikit-learn sets it (`ftol = 64 * eps`).
    fn relative_decrease() -> F {
        F::cast(64.0) * F::epsilon()
    }
}

impl<O, S, F, D> Solver<O, StateOf<F, D>> for Stopping<S, F>
where
    S: Solver<O, StateOf<F, D>>,
    F: Float,
    D: Dimension,
{
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn init(
        &mut self,
        problem: &mut Problem<O>,
        state: StateOf<F, D>,
    ) -> Result<(StateOf<F, D>, Option<KV>), Error> {
        self.inner.init(problem, state)
    }

    fn next_iter(
        &mut self,
        problem: &mut Problem<O>,
        state: StateOf<F, D>,
    ) -> Result<(StateOf<F, D>, Option<KV>), Error> {
        self.inner.next_iter(problem, state)
    }

    fn terminate(&mut self, state: &StateOf<F, D>) -> TerminationStatus {
        let Some(rows) = self.lbfgsb_rows else {
            return self.inner.terminate(state);
        };
        let largest = state.get_gradient().map(|g| {
            g.as_array()
                .iter()
                .fold(F::zero(), |m, v| if v.abs() > m { v.abs() } else { m })
        });
        if largest.is_some_and(|g| g <= self.gradient_tolerance * rows) {
            return TerminationStatus::Terminated(TerminationReason::SolverConverged);
        }
        let (before, now) = (state.get_prev_cost(), state.get_cost());
        let scale = before.abs().max(now.abs()).max(rows);
        // Before the first step there is no previous cost (it is infinite).
        if before.is_finite() && before - now <= Self::relative_decrease() * scale {
            return TerminationStatus::Terminated(TerminationReason::SolverConverged);
        }
        TerminationStatus::NotTerminated
    }
}
