//! CSV import at scale, through the real router over HTTP, on `SQLite` and `PostgreSQL`.
//!
//! `cargo bench -p fieldwork-server --bench import` builds a CSV export of
//! `FIELDWORK_BENCH_IMPORT_ROWS` contacts (default 100,000; HubSpot-style headers, 2,000
//! companies), then on a fresh database per engine prints how long it takes to
//! 1. import it into an empty database (every row new; companies created and linked), and
//! 2. import it again with duplicates left out (every row checked against what is there),
//!
//! with rows per second and the process's peak memory (`VmHWM`). `FIELDWORK_BENCH_ENGINES`
//! picks the engines as for the contacts benchmark.

use fieldwork_server::db::Db;
use fieldwork_server::seed;
use sqlx::Connection;
use std::time::Instant;
use support::PASSWORD;

mod support;
const MAPPING: &str = "first_name,last_name,email,phone,company,city,postcode,tags,lat,lon";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rows: usize = std::env::var("FIELDWORK_BENCH_IMPORT_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let engines = std::env::var("FIELDWORK_BENCH_ENGINES").unwrap_or_else(|_| "sqlite,postgres".into());
    let csv = file(rows);
    println!("file: {rows} rows, {:.1} MB", csv.len() as f64 / 1e6);
    for engine in engines.split(',') {
        let url = fresh_database(engine.trim()).await?;
        let db = Db::connect(&url).await?;
        fieldwork_server::startup::prepare(&db).await?;
        seed::add_user(&db, &support::zone(), "office@bench.example", "Bench Office", "office", PASSWORD).await?;
        let base = support::serve(&db, &url).await?;
        let client = support::sign_in(&base, "office@bench.example").await?;
        println!("\n{engine}");
        println!(
            "{:<40} {:>9} {:>10} {:>9} {:>9} {:>12}",
            "import", "seconds", "rows/s", "imported", "left out", "peak RSS MB"
        );
        for (label, policy) in [("into an empty database", "create"), ("again, duplicates left out", "skip")] {
            let started = Instant::now();
            let r = client
                .post(format!("{base}/api/v1/contacts/import?mapping={MAPPING}&duplicates={policy}"))
                .header("content-type", "text/csv")
                .body(csv.clone())
                .send()
                .await?;
            anyhow::ensure!(r.status().as_u16() == 202, "start: {}", r.status());
            let id = r.json::<serde_json::Value>().await?["id"].as_str().unwrap_or_default().to_string();
            let status = loop {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                let s: serde_json::Value =
                    client.get(format!("{base}/api/v1/contacts/import/{id}")).send().await?.json().await?;
                if s["state"] != "running" {
                    break s;
                }
            };
            let seconds = started.elapsed().as_secs_f64();
            anyhow::ensure!(status["state"] == "done", "import failed: {status}");
            let elapsed = [std::time::Duration::from_secs_f64(seconds)];
            support::record(&format!("CSV import {label}"), engine, rows as u64, &elapsed, Some(rows as f64 / seconds));
            let left_out = status["duplicates"].as_u64().unwrap_or(0) + status["rejected"].as_u64().unwrap_or(0);
            println!(
                "{label:<40} {seconds:>9.1} {:>10.0} {:>9} {left_out:>9} {:>12.0}",
                rows as f64 / seconds,
                status["imported"],
                peak_rss_mb()
            );
        }
        db.close().await;
    }
    Ok(())
}

/// A CSV like a CRM's export: unique emails and phones, 2,000 companies, some tags.
fn file(rows: usize) -> Vec<u8> {
    const FIRST: [&str; 12] = [
        "Rahim", "Karim", "Fatema", "Nusrat", "Tanvir", "Sadia", "Arif", "Mahmud", "Shirin", "Rafiq", "Farhana",
        "Imran",
    ];
    const LAST: [&str; 8] = ["Uddin", "Khatun", "Hossain", "Akter", "Rahman", "Islam", "Chowdhury", "Sarkar"];
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record([
        "First Name",
        "Last Name",
        "Email",
        "Phone Number",
        "Company Name",
        "City",
        "Postal Code",
        "Tags",
        "Latitude",
        "Longitude",
    ]);
    for i in 0..rows {
        let lat = 23.70 + (i % 1000) as f64 * 0.0002;
        let lon = 90.35 + (i / 1000 % 1000) as f64 * 0.0002;
        let _ = out.write_record([
            FIRST[i % FIRST.len()].to_string(),
            format!("{} {i}", LAST[i / FIRST.len() % LAST.len()]),
            format!("person{i}@example.com"),
            format!("017{i:08}"),
            format!("Company {}", i % 2000),
            "Dhaka".into(),
            "1212".into(),
            if i % 3 == 0 { "vip; buyer".into() } else { "buyer".into() },
            format!("{lat:.5}"),
            format!("{lon:.5}"),
        ]);
    }
    out.into_inner().unwrap_or_default()
}

/// The process's peak resident memory so far, in MB (Linux).
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// An empty database for this run.
async fn fresh_database(engine: &str) -> anyhow::Result<String> {
    Ok(match engine {
        "sqlite" => {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
            std::fs::create_dir_all(&dir)?;
            let path = dir.join("import.db");
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            format!("sqlite://{}", path.display())
        }
        "postgres" => {
            let base = std::env::var("FIELDWORK_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            sqlx::any::install_default_drivers();
            let mut admin = sqlx::AnyConnection::connect(&base).await?;
            sqlx::query("DROP DATABASE IF EXISTS fw_bench_import").execute(&mut admin).await?;
            sqlx::query("CREATE DATABASE fw_bench_import").execute(&mut admin).await?;
            let (prefix, _) = base.rsplit_once('/').unwrap_or((&base, ""));
            format!("{prefix}/fw_bench_import")
        }
        other => anyhow::bail!("unknown engine {other}"),
    })
}
