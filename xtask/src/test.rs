//! `cargo xtask test`: every check CI runs, in the order that fails fastest.
//!
//! The data-access and HTTP tests run twice: on `SQLite`, and on `PostgreSQL` when one is reachable
//! (`FIELDWORK_TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/postgres`).
//! Without `PostgreSQL` the leg is skipped with a loud warning, except under `CI=true`.

use crate::cmd::{self, is_ci, step, Result};
use crate::{conformance, run, tools};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub fn test(_args: &[String]) -> Result {
    tools::ensure_all(true)?;

    step("formatting (cargo fmt --check)");
    cmd::run("cargo", &["fmt", "--all", "--", "--check"])?;

    step("clippy, server side (warnings denied)");
    cmd::run("cargo", &["clippy", "--all-targets", "--", "-D", "warnings"])?;
    step("clippy, browser side (wasm32, warnings denied)");
    cmd::run(
        "cargo",
        &["clippy", "-p", "fieldwork-frontend", "--target", "wasm32-unknown-unknown", "--", "-D", "warnings"],
    )?;

    step("unit, data-access and HTTP tests on SQLite");
    let result = cmd::run_env("cargo", &["test"], &[("FIELDWORK_TEST_ENGINE", "sqlite")]);
    remove_sqlite_test_files();
    result?;

    let pg = std::env::var("FIELDWORK_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_PG.into());
    if postgres_reachable(&pg) {
        step("data-access and HTTP tests on PostgreSQL");
        let result = cmd::run_env(
            "cargo",
            &["test", "-p", "fieldwork-server"],
            &[("FIELDWORK_TEST_ENGINE", "postgres"), ("FIELDWORK_TEST_POSTGRES_URL", &pg)],
        );
        drop_test_databases(&pg);
        result?;
    } else if is_ci() {
        return Err(format!("PostgreSQL is not reachable at {pg}; under CI=true that leg is mandatory"));
    } else {
        eprintln!("\n{}", "!".repeat(78));
        eprintln!("!! PostgreSQL is not reachable at {pg}");
        eprintln!("!! SKIPPING the PostgreSQL leg. Set FIELDWORK_TEST_POSTGRES_URL or start PostgreSQL.");
        eprintln!("{}\n", "!".repeat(78));
    }

    run::build_release()?;
    conformance::schemathesis()?;

    step("end-to-end tests (Playwright, Chromium)");
    tools::playwright("playwright.config.ts", &[])?;
    eprintln!("\nxtask: all checks passed");
    Ok(())
}

/// The `SQLite` leg's databases are files in the temp folder (and backups, folders).
fn remove_sqlite_test_files() {
    remove_temp_files("fw_test_");
}

/// Every file and folder in the temp folder whose name starts with `prefix` (best effort).
pub fn remove_temp_files(prefix: &str) {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(prefix) {
            let path = entry.path();
            let _ = std::fs::remove_file(&path).or_else(|_| std::fs::remove_dir_all(&path));
        }
    }
}

/// Each test made its own `fw_test_*` database; remove them (best effort, needs `psql`).
fn drop_test_databases(url: &str) {
    let list = "SELECT datname FROM pg_database WHERE datname LIKE 'fw\\_test\\_%'";
    let Some(names) = cmd::output("psql", &[url, "-Atc", list]) else { return };
    for name in names.lines().filter(|n| n.starts_with("fw_test_")) {
        let _ = cmd::output("psql", &[url, "-qc", &format!("DROP DATABASE IF EXISTS {name}")]);
    }
}

/// A TCP connect to the URL's host and port: enough to tell "no server" from "server".
fn postgres_reachable(url: &str) -> bool {
    let rest = url.split("://").nth(1).unwrap_or("");
    let host_port = rest.rsplit('@').next().unwrap_or("").split('/').next().unwrap_or("");
    let addr = if host_port.contains(':') { host_port.to_string() } else { format!("{host_port}:5432") };
    addr.to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .is_some_and(|a| TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok())
}
