//! `cargo xtask <command>`: the two commands a newcomer needs, and the steps behind them.
//!
//! Everything a command needs that is not in the repository (the wasm target, cargo-leptos,
//! wasm-bindgen, npm packages, Chromium) is installed from the package registries on first use,
//! so a fresh machine with only the Rust toolchain can run both commands.

mod bench;
mod cmd;
mod conformance;
mod fuzz;
mod run;
mod soak;
mod test;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

  run      install what is missing, build the app (release), migrate and seed
           data/fieldwork.db, and serve http://127.0.0.1:3000
  test     formatting, clippy, unit and integration tests on SQLite and PostgreSQL,
           schemathesis against the API document, then the Playwright suite in Chromium
  bench    every benchmark on SQLite and PostgreSQL, then one table of p50/p95/p99,
           throughput and peak memory compared with the last run (not part of test;
           `cargo xtask bench --help` for its options)
  soak     200 simulated devices working offline-first for 10 minutes (--minutes N),
           then a check that nothing was lost, doubled or left different (not part of test)
  fuzz     the cargo-fuzz targets (CSV and GeoJSON importers, sync push, lead form,
           search) through the real router, 60 s each (--seconds N, --only a,b)
           (not part of test)
  setup    only install the tools (wasm target, cargo-leptos, wasm-bindgen, npm packages, Chromium)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run::run(&args[1..]),
        Some("test") => test::test(&args[1..]),
        Some("bench") => bench::bench(&args[1..]),
        Some("soak") => soak::soak(&args[1..]),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("setup") => tools::ensure_all(true),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}
