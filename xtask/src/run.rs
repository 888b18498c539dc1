//! `cargo xtask run`: build the release app and serve it with demo data.

use crate::cmd::{self, root, step, Result};
use crate::tools;

pub fn run(args: &[String]) -> Result {
    tools::ensure_all(false)?;
    build_release()?;
    std::fs::create_dir_all(root().join("data")).map_err(|e| format!("creating data/: {e}"))?;
    step("starting Fieldwork (Ctrl-C stops it)");
    let mut serve = vec!["serve", "--demo"];
    serve.extend(args.iter().map(String::as_str));
    let bin = root().join("target/release/fieldwork");
    let status = cmd::command(&bin.to_string_lossy(), &serve)
        .status()
        .map_err(|e| format!("could not start {}: {e}", bin.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the server stopped: {status}"))
    }
}

/// Server binary in `target/release`, wasm + JS + CSS + public assets in `target/site`.
/// `--split`: each group of pages is a part of the wasm of its own, loaded when first shown (the
/// `#[lazy]` groups in `app/src/shell/document.rs`; the app does not start without it);
/// `--precompress`: brotli and gzip copies at their best compression beside each file, which
/// the server sends instead of compressing on the fly.
pub fn build_release() -> Result {
    step("building the app (release: server and wasm)");
    cmd::run("cargo", &["leptos", "build", "--release", "--split", "--precompress"])
}
