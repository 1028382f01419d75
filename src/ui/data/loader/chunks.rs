//! Byte streams for the loader: a file, a part of a file or a response
//! body, gathered into parser-sized steps and fed to an [`Ingest`].

use gloo_timers::future::TimeoutFuture;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::Failure;
use crate::core::data::ingest::{Flow, Ingest};

/// How a stream is fed to the parser: bytes per step (stream chunks are
/// gathered up to this size), and how often the page must get a turn.
pub(super) struct Pace {
    step_bytes: usize,
    turn_ms: Option<f64>,
}

impl Pace {
    /// On the page: steps of tens of milliseconds, and a turn at least every
    /// 40 ms, since a stream whose data is already there resolves its reads
    /// as microtasks, which never let the page paint.
    pub(super) const PAGE: Pace = Pace {
        step_bytes: 1024 * 1024,
        turn_ms: Some(40.0),
    };
    /// In a worker: larger steps, and no turns to give.
    pub(super) const WORKER: Pace = Pace {
        step_bytes: 4 * 1024 * 1024,
        turn_ms: None,
    };
}

/// Where chunks come from: a stream over a file or a response body. A
/// file can be streamed again; a network body is kept (in JS memory) as it
/// arrives so that a restart can replay it without a second download.
pub(super) struct Chunks {
    reader: Option<web_sys::ReadableStreamDefaultReader>,
    file: Option<web_sys::Blob>,
    kept: Vec<Uint8Array>,
    replay: usize,
}

fn stream_reader(stream: &web_sys::ReadableStream) -> web_sys::ReadableStreamDefaultReader {
    stream.get_reader().unchecked_into()
}

impl Chunks {
    /// A file, or a slice of one.
    pub(super) fn from_blob(blob: &web_sys::Blob) -> Chunks {
        Chunks {
            reader: Some(stream_reader(&blob.stream())),
            file: Some(blob.clone()),
            kept: Vec::new(),
            replay: 0,
        }
    }

    pub(super) fn from_body(body: &web_sys::ReadableStream) -> Chunks {
        Chunks {
            reader: Some(stream_reader(body)),
            file: None,
            kept: Vec::new(),
            replay: 0,
        }
    }

    pub(super) async fn next(&mut self) -> Result<Option<Uint8Array>, Failure> {
        if self.replay < self.kept.len() {
            self.replay += 1;
            // Replayed chunks have no wait of their own: let the page paint.
            TimeoutFuture::new(0).await;
            return Ok(Some(self.kept[self.replay - 1].clone()));
        }
        let Some(reader) = &self.reader else {
            return Ok(None);
        };
        let result = JsFuture::from(reader.read())
            .await
            .map_err(|e| Failure::Read(js_text(&e)))?;
        let done = Reflect::get(&result, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            self.reader = None;
            return Ok(None);
        }
        let value: Uint8Array = Reflect::get(&result, &"value".into())
            .ok()
            .and_then(|v| v.dyn_into().ok())
            .ok_or_else(|| Failure::Read("the data is not bytes".into()))?;
        if self.file.is_none() {
            self.kept.push(value.clone());
            self.replay = self.kept.len();
        }
        Ok(Some(value))
    }

    pub(super) fn rewind(&mut self) {
        match &self.file {
            Some(file) => self.reader = Some(stream_reader(&file.stream())),
            None => self.replay = 0,
        }
    }
}

pub(super) use crate::ui::browser::json::error_text as js_text;

/// Feeds `chunks` into `ingest` a step at a time until the input ends or
/// the ingest asks to restart. After each step `after_step` may stop the
/// load (cancel, limits) and asks, by returning true, to let the page paint.
pub(super) async fn pump(
    ingest: &mut Ingest,
    chunks: &mut Chunks,
    pace: Pace,
    mut after_step: impl FnMut(&Ingest) -> Result<bool, Failure>,
) -> Result<Flow, Failure> {
    let mut buffer: Vec<u8> = Vec::with_capacity(pace.step_bytes);
    let mut turn = crate::ui::browser::perf::now_ms();
    loop {
        let next = chunks.next().await?;
        match &next {
            Some(part) => {
                let at = buffer.len();
                buffer.resize(at + part.length() as usize, 0);
                part.copy_to(&mut buffer[at..]);
                if buffer.len() < pace.step_bytes {
                    continue;
                }
            }
            None if buffer.is_empty() => return Ok(Flow::Continue),
            None => {}
        }
        let flow = ingest.feed(&buffer)?;
        buffer.clear();
        if flow == Flow::Restart {
            return Ok(Flow::Restart);
        }
        if after_step(ingest)?
            || pace
                .turn_ms
                .is_some_and(|t| crate::ui::browser::perf::now_ms() - turn > t)
        {
            TimeoutFuture::new(0).await;
            turn = crate::ui::browser::perf::now_ms();
        }
        if next.is_none() {
            return Ok(Flow::Continue);
        }
    }
}
