//! The export stage: the Deploy page's "From the browser to production"
//! panel (a saved model as SQL, ONNX or the zipped job folder).

pub mod model_export;
