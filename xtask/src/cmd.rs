//! Small helpers to run child processes with clear failure messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives inside the workspace").to_path_buf()
}

pub fn step(title: &str) {
    eprintln!("\n==> {title}");
}

/// Runs a command in the workspace root with the project's PATH (`node_modules/.bin` first).
pub fn run(program: &str, args: &[&str]) -> Result {
    run_env(program, args, &[])
}

pub fn run_env(program: &str, args: &[&str], env: &[(&str, &str)]) -> Result {
    let status = command(program, args)
        .envs(env.iter().copied())
        .status()
        .map_err(|e| format!("could not start `{program}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// Runs a command and returns its trimmed stdout, or None if it cannot run or fails.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = command(program, args).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

pub fn command(program: &str, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args).current_dir(root()).env("PATH", project_path());
    c
}

/// PATH with `node_modules/.bin` (wasm-opt, playwright) and cargo's bin dir in front.
pub fn project_path() -> String {
    let mut dirs = vec![root().join("node_modules/.bin"), cargo_home().join("bin")];
    if let Some(p) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(dirs).expect("PATH entries are valid").to_string_lossy().into_owned()
}

pub fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"), PathBuf::from)
}

pub fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}
