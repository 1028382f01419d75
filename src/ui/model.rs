//! The model stage's actions: training runs in a worker, recording them as
//! experiments, and the model registry.

pub mod training;
