//! `cargo xtask soak [--minutes N]`: 200 simulated reps' devices working offline-first against
//! the release-built server for a bounded time (default 10 minutes, loopback only), then a check
//! that nothing was lost, doubled or left different between a device and the server.

use crate::cmd::{self, step, Result};

pub fn soak(args: &[String]) -> Result {
    let minutes: u64 = match args {
        [] => 10,
        [flag, n] if flag == "--minutes" => {
            n.parse().map_err(|_| format!("--minutes takes a whole number, not {n:?}"))?
        }
        _ => return Err("usage: cargo xtask soak [--minutes N]".into()),
    };
    if minutes == 0 || minutes > 24 * 60 {
        return Err("--minutes must be between 1 and 1440".into());
    }
    let seconds = (minutes * 60).to_string();
    let engines = std::env::var("FIELDWORK_BENCH_ENGINES").unwrap_or_else(|_| "sqlite".into());
    step(&format!("soak: 200 devices for {minutes} min on {engines}"));
    cmd::run_env(
        "cargo",
        &["bench", "-p", "fieldwork-server", "--bench", "soak"],
        &[("FIELDWORK_SOAK_SECONDS", &seconds), ("FIELDWORK_BENCH_ENGINES", &engines)],
    )
}
