//! `cargo xtask fuzz [--seconds N] [--only a,b]`: builds the cargo-fuzz targets in `fuzz/`
//! (`AddressSanitizer` on) and runs each for a bounded time from the committed seeds and the
//! corpus earlier runs grew, then prints one line per target. A crash stops with the input
//! libFuzzer saved under `fuzz/artifacts/`.
//!
//! cargo-fuzz needs nightly compiler flags: `+nightly` when rustup has a nightly toolchain,
//! otherwise the stable toolchain with `RUSTC_BOOTSTRAP=1` (its `AddressSanitizer` runtime ships
//! with the standard library on `x86_64` Linux).

use crate::cmd::{self, root, step, Result};
use crate::tools;
use std::time::Instant;

/// Unoptimised, with debug assertions and overflow checks: the server crate built optimised
/// with `AddressSanitizer` and coverage took 15 GB of memory in one codegen unit and most of an
/// hour on two cores; unoptimised it builds in minutes, and a slower input still takes only
/// milliseconds.
const PROFILE: [&str; 3] = ["--dev", "--target-dir", TARGET_DIR];

/// Its own target directory: instrumented builds never wait for (or evict) the others.
const TARGET_DIR: &str = "target/fuzz";

const TARGETS: [&str; 5] = ["csv_import", "geojson_import", "sync_push", "form_submission", "search_query"];

pub fn fuzz(args: &[String]) -> Result {
    let mut seconds: u64 = 60;
    let mut only: Vec<String> = TARGETS.iter().map(ToString::to_string).collect();
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let value = rest.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--seconds" => {
                seconds = value.parse().ok().filter(|s| (1..=86_400).contains(s)).ok_or_else(|| {
                    format!("--seconds takes a whole number of seconds from 1 to 86400, not {value:?}")
                })?;
            }
            "--only" => {
                only = value.split(',').map(str::trim).map(String::from).collect();
                if let Some(unknown) = only.iter().find(|t| !TARGETS.contains(&t.as_str())) {
                    return Err(format!("no fuzz target {unknown:?}; there are {}", TARGETS.join(", ")));
                }
            }
            _ => return Err(USAGE.into()),
        }
    }
    tools::ensure_cargo_fuzz()?;
    let nightly =
        cmd::output("rustup", &["toolchain", "list"]).is_some_and(|l| l.lines().any(|t| t.starts_with("nightly")));
    let (cargo_args, env): (Vec<&str>, Vec<(&str, &str)>) =
        if nightly { (vec!["+nightly", "fuzz"], vec![]) } else { (vec!["fuzz"], vec![("RUSTC_BOOTSTRAP", "1")]) };

    step(&format!(
        "building {} fuzz targets ({})",
        only.len(),
        if nightly { "nightly" } else { "stable, RUSTC_BOOTSTRAP" }
    ));
    let mut build = cargo_args.clone();
    build.extend(["build"]);
    build.extend(PROFILE);
    cmd::run_env("cargo", &build, &env)?;

    let mut lines = Vec::new();
    for target in &only {
        step(&format!("fuzzing {target} for {seconds} s"));
        let corpus = root().join("fuzz/corpus").join(target);
        std::fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
        let corpus = corpus.to_string_lossy().into_owned();
        let seeds = root().join("fuzz/seeds").join(target).to_string_lossy().into_owned();
        let total_time = format!("-max_total_time={seconds}");
        let mut run = cargo_args.clone();
        run.push("run");
        run.extend(PROFILE);
        run.extend([target.as_str(), &corpus, &seeds, "--"]);
        // Leaks are not what is looked for (the harness keeps its runtime for the whole run);
        // memory is bounded instead: 2 GB in all, 256 MB in one allocation, 30 s per input.
        run.extend([&total_time, "-rss_limit_mb=2048", "-malloc_limit_mb=256", "-timeout=30", "-detect_leaks=0"]);
        run.extend(["-max_len=65536", "-print_final_stats=1"]);
        let started = Instant::now();
        let out = cmd::command("cargo", &run)
            .envs(env.iter().copied())
            .stderr(std::process::Stdio::piped())
            .output()
            .map_err(|e| format!("could not start cargo fuzz: {e}"))?;
        // The harness's scratch SQLite files (`fw_test_fuzz_<pid>.db` and its WAL).
        crate::test::remove_temp_files("fw_test_fuzz_");
        let log = String::from_utf8_lossy(&out.stderr);
        let runs = stat(&log, "stat::number_of_executed_units:").unwrap_or(0);
        let corpus_files = std::fs::read_dir(&corpus).map_or(0, Iterator::count);
        let took = started.elapsed().as_secs();
        if !out.status.success() {
            let tail: Vec<&str> = log.lines().rev().take(60).collect();
            eprintln!("{}", tail.into_iter().rev().collect::<Vec<_>>().join("\n"));
            return Err(format!(
                "fuzz target {target} found a crash after {runs} inputs (see above and fuzz/artifacts/{target}/)"
            ));
        }
        lines.push(format!("{target:<16} {runs:>10} inputs {took:>6} s {corpus_files:>6} in corpus   no crash"));
    }
    step("fuzz summary");
    println!("{:<16} {:>10}        {:>6}   {:>6}", "target", "tried", "time", "corpus");
    for line in lines {
        println!("{line}");
    }
    Ok(())
}

const USAGE: &str =
    "usage: cargo xtask fuzz [--seconds N] [--only csv_import,geojson_import,sync_push,form_submission,search_query]";

/// A number from libFuzzer's `-print_final_stats` lines.
fn stat(log: &str, name: &str) -> Option<u64> {
    log.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.trim().parse().ok())
}
