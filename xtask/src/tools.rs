//! Installs the build and test tools from the package registries when they are missing.
//!
//! Versions that fit together on Rust 1.95 (December 2026): cargo-leptos 0.3.11, wasm-bindgen-cli
//! equal to the `wasm-bindgen` crate pinned in the workspace, wasm-opt from npm's `binaryen`,
//! Playwright from npm with Debian's Chromium. Nothing is downloaded outside the registries.

use crate::cmd::{self, cargo_home, output, root, run, step, Result};
use std::path::{Path, PathBuf};

const CARGO_LEPTOS: &str = "0.3.11";
const WASM_BINDGEN: &str = "0.2.130";
const CARGO_FUZZ: &str = "0.13.2";
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Everything `run` needs; `with_browser` adds what the end-to-end tests need.
pub fn ensure_all(with_browser: bool) -> Result {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_cargo_leptos()?;
    ensure_npm_packages()?;
    if with_browser {
        ensure_chromium()?;
    }
    Ok(())
}

fn ensure_wasm_target() -> Result {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    step("installing the wasm32-unknown-unknown target");
    run("rustup", &["target", "add", "wasm32-unknown-unknown"])
}

fn ensure_cargo_leptos() -> Result {
    let have = output("cargo", &["leptos", "--version"]).unwrap_or_default();
    if have.contains(CARGO_LEPTOS) {
        return Ok(());
    }
    step(&format!("installing cargo-leptos {CARGO_LEPTOS} (about 15 minutes on 2 cores, once)"));
    // `cargo install cargo-leptos --locked` fails on Rust 1.95: its lock file has
    // cargo-util-schemas 0.14.2, which wants rustc 1.96. Build it from the registry source with
    // that one dependency moved back to 0.14.1, and without its pinned toolchain file.
    let src = registry_source("cargo-leptos", CARGO_LEPTOS)?;
    let _ = std::fs::remove_file(src.join("rust-toolchain.toml"));
    let dir = src.to_string_lossy().into_owned();
    in_dir(&dir, "cargo", &["update", "-p", "cargo-util-schemas", "--precise", "0.14.1"])?;
    // no_downloads: a missing helper tool is an error, never an attempt to fetch a binary.
    in_dir(&dir, "cargo", &["install", "--path", ".", "--locked", "--features", "no_downloads"])
}

/// cargo-fuzz, for `cargo xtask fuzz` only.
pub fn ensure_cargo_fuzz() -> Result {
    let have = output("cargo", &["fuzz", "--version"]).unwrap_or_default();
    if have.contains(CARGO_FUZZ) {
        return Ok(());
    }
    step(&format!("installing cargo-fuzz {CARGO_FUZZ} (about 2 minutes, once)"));
    run("cargo", &["install", "cargo-fuzz", "--version", CARGO_FUZZ, "--locked"])
}

fn ensure_wasm_bindgen() -> Result {
    let have = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if have.contains(WASM_BINDGEN) {
        return Ok(());
    }
    step(&format!("installing wasm-bindgen-cli {WASM_BINDGEN} (about 4 minutes, once)"));
    // Its published lock file names a webpki-roots release that is no longer in the registry.
    let src = registry_source("wasm-bindgen-cli", WASM_BINDGEN)?;
    let dir = src.to_string_lossy().into_owned();
    in_dir(&dir, "cargo", &["update", "-p", "webpki-roots", "--precise", "1.0.10"])?;
    in_dir(&dir, "cargo", &["install", "--path", ".", "--locked", "--force"])
}

/// A writable copy of a crate's published source, fetched through cargo from crates.io.
fn registry_source(name: &str, version: &str) -> Result<PathBuf> {
    // Outside the workspace, or cargo would take the copy for a member of ours.
    let work = std::env::temp_dir().join("fieldwork-xtask-src");
    let dest = work.join(format!("{name}-{version}"));
    if dest.join("Cargo.toml").exists() {
        return Ok(dest);
    }
    if find_in_registry(name, version).is_none() {
        // A locked install fails for the reasons above, but only after it has downloaded
        // and unpacked the crate into cargo's registry cache, which is all we need here.
        let _ = cmd::command("cargo", &["install", name, "--version", version, "--locked"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
    let src = find_in_registry(name, version)
        .ok_or_else(|| format!("could not fetch the source of {name} {version} from crates.io"))?;
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    copy_dir(&src, &dest).map_err(|e| format!("copying {}: {e}", src.display()))?;
    Ok(dest)
}

fn find_in_registry(name: &str, version: &str) -> Option<PathBuf> {
    let src = cargo_home().join("registry/src");
    std::fs::read_dir(src).ok()?.flatten().find_map(|index| {
        let p = index.path().join(format!("{name}-{version}"));
        p.join("Cargo.toml").exists().then_some(p)
    })
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

fn in_dir(dir: &str, program: &str, args: &[&str]) -> Result {
    let status = cmd::command(program, args)
        .current_dir(dir)
        .status()
        .map_err(|e| format!("could not start `{program}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` in {dir} failed ({status})", args.join(" ")))
    }
}

/// wasm-opt (npm `binaryen`), Playwright and Lighthouse, pinned by `package-lock.json`.
fn ensure_npm_packages() -> Result {
    let bin = root().join("node_modules/.bin");
    if ["wasm-opt", "playwright", "lighthouse"].iter().all(|tool| bin.join(tool).exists()) {
        return Ok(());
    }
    if output("npm", &["--version"]).is_none() {
        apt_install(&["nodejs", "npm"])?;
    }
    step("installing npm packages (wasm-opt, Playwright, Lighthouse; no browser download)");
    cmd::run_env("npm", &["ci", "--no-audit", "--no-fund"], &[("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")])
}

/// Runs the Playwright tests of `config` (under `end2end/`) in Debian's Chromium; `env` adds to
/// the environment (never a browser download).
pub fn playwright(config: &str, env: &[(&str, &str)]) -> Result {
    let config = format!("end2end/{config}");
    let mut env = env.to_vec();
    env.push(("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"));
    cmd::run_env("npx", &["playwright", "test", "--config", &config], &env)
}

/// Chromium, and a Bengali font so screenshots of the Bengali interface show real glyphs
/// (phones ship one; a bare Debian does not).
fn ensure_chromium() -> Result {
    if Path::new(CHROMIUM).exists() && Path::new(BENGALI_FONT).exists() {
        return Ok(());
    }
    apt_install(&["chromium", "fonts-lohit-beng-bengali"])
}

const BENGALI_FONT: &str = "/usr/share/fonts/truetype/lohit-bengali/Lohit-Bengali.ttf";

fn apt_install(packages: &[&str]) -> Result {
    step(&format!("installing {} from Debian's packages", packages.join(", ")));
    let sudo = output("id", &["-u"]).is_some_and(|uid| uid != "0");
    let (program, mut args) = if sudo { ("sudo", vec!["apt-get"]) } else { ("apt-get", vec![]) };
    let mut update = args.clone();
    update.push("update");
    run(program, &update)?;
    args.extend(["install", "-y", "--no-install-recommends"]);
    args.extend(packages);
    cmd::run_env(program, &args, &[("DEBIAN_FRONTEND", "noninteractive")])
}
