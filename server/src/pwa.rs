//! The installable app: `/sw.js`, the service worker, filled in with the build it serves
//! (a version from the files' contents and the list of files to precache); and the build
//! version on every page, so the worker can tell whether a page matches its cached files.

use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

const TEMPLATE: &str = include_str!("pwa/sw.js");
/// The response header naming the build a page belongs to.
pub const BUILD_HEADER: &str = "x-fieldwork-build";

/// The files of one build of the browser app.
#[derive(Debug, Clone)]
pub struct Build {
    pub version: String,
    /// URL paths to precache (besides the shell page).
    pub assets: Vec<String>,
}

impl Build {
    /// Reads the site folder: everything under `pkg/` (wasm, JS glue and snippets, CSS — not the
    /// compressed copies or TypeScript declarations), the
    /// icons and the manifest. The version changes whenever any of them or the worker does.
    pub fn scan(site_root: &Path) -> Build {
        let mut files = Vec::new();
        collect(&site_root.join("pkg"), &mut files);
        collect(&site_root.join("icons"), &mut files);
        for name in ["manifest.webmanifest", "icon.svg"] {
            if site_root.join(name).is_file() {
                files.push(site_root.join(name));
            }
        }
        files.sort();
        let mut hash = Sha256::new();
        hash.update(TEMPLATE.as_bytes());
        let mut assets = Vec::with_capacity(files.len());
        for file in files {
            let Ok(relative) = file.strip_prefix(site_root) else { continue };
            let url = format!("/{}", relative.to_string_lossy().replace('\\', "/"));
            hash.update(url.as_bytes());
            hash.update(std::fs::read(&file).unwrap_or_default());
            assets.push(url);
        }
        Build { version: hex::encode(&hash.finalize()[..8]), assets }
    }

    /// The worker's source for this build.
    pub fn worker(&self) -> String {
        let assets = serde_json::to_string(&self.assets).unwrap_or_else(|_| "[]".into());
        TEMPLATE
            .replacen("__VERSION__", &self.version, 1)
            .replacen("__ASSETS__", &assets, 1)
            .replacen("__PROTOCOL__", &fieldwork_app::sync::PROTOCOL.to_string(), 1)
            .replacen("__MAX_PUSH__", &fieldwork_app::sync::MAX_PUSH.to_string(), 1)
    }
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if !path.extension().is_some_and(|e| e == "gz" || e == "br" || e == "ts") {
            out.push(path);
        }
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/sw.js", get(worker))
}

async fn worker(State(state): State<AppState>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8")),
            // The browser checks for a new worker on each visit; never a stale one from a cache.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        state.build.worker(),
    )
}

/// The build header for pages.
pub fn build_header(build: &Arc<Build>) -> HeaderValue {
    HeaderValue::from_str(&build.version).unwrap_or_else(|_| HeaderValue::from_static("unknown"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_lists_the_builds_files_and_its_version_follows_their_contents() {
        let dir = std::env::temp_dir().join(format!("fieldwork-pwa-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(dir.join("pkg/snippets/app/js")).unwrap();
        std::fs::write(dir.join("pkg/fieldwork.wasm"), b"one").unwrap();
        std::fs::write(dir.join("pkg/fieldwork.wasm.br"), b"compressed").unwrap();
        std::fs::write(dir.join("pkg/fieldwork.d.ts"), b"types").unwrap();
        std::fs::write(dir.join("pkg/snippets/app/js/offline.js"), b"js").unwrap();
        // The parts of a split build (`cargo leptos build --split`) and their loader.
        std::fs::write(dir.join("pkg/chunk_7.wasm"), b"shared").unwrap();
        std::fs::write(dir.join("pkg/chunk_7.wasm.br"), b"compressed").unwrap();
        std::fs::write(dir.join("pkg/split_today_pages_1.wasm"), b"today").unwrap();
        std::fs::write(dir.join("pkg/__wasm_split.js"), b"loader").unwrap();
        std::fs::write(dir.join("manifest.webmanifest"), b"{}").unwrap();
        let first = Build::scan(&dir);
        assert_eq!(
            first.assets,
            [
                "/manifest.webmanifest",
                "/pkg/__wasm_split.js",
                "/pkg/chunk_7.wasm",
                "/pkg/fieldwork.wasm",
                "/pkg/snippets/app/js/offline.js",
                "/pkg/split_today_pages_1.wasm"
            ],
            "every part of the wasm is precached, so every page opens offline"
        );
        let worker = first.worker();
        assert!(worker.contains(&format!("const VERSION = \"{}\";", first.version)));
        for placeholder in ["__VERSION__", "__ASSETS__", "__PROTOCOL__", "__MAX_PUSH__"] {
            assert!(!worker.contains(placeholder), "{placeholder} is filled in");
        }
        assert!(worker.contains("\"/pkg/fieldwork.wasm\""));
        assert!(worker.contains("\"/pkg/split_today_pages_1.wasm\""));
        assert_eq!(Build::scan(&dir).version, first.version, "the same files, the same version");
        std::fs::write(dir.join("pkg/fieldwork.wasm"), b"two").unwrap();
        assert_ne!(Build::scan(&dir).version, first.version, "a new wasm is a new version");
        std::fs::write(dir.join("pkg/split_today_pages_1.wasm"), b"today, again").unwrap();
        let third = Build::scan(&dir);
        std::fs::write(dir.join("pkg/chunk_7.wasm"), b"shared, again").unwrap();
        assert_ne!(Build::scan(&dir).version, third.version, "a new part is a new version");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
