//! `cargo xtask bench`: every benchmark of the project, then one table of their figures.
//!
//! Each bench binary (`server/benches/*.rs`) appends a tab-separated line per measurement to
//! the file `FIELDWORK_BENCH_OUT` names (see `server/benches/support`). This command runs them
//! one after the other on `SQLite` and `PostgreSQL`, prints the table, saves it as
//! `target/bench/last.tsv`, and compares it with the run before (or `--compare FILE`): any
//! figure more than 20 % worse is flagged.

use crate::cmd::{self, root, step, Result};
use crate::{run, tools};
use std::collections::HashMap;
use std::path::PathBuf;

const USAGE: &str = "\
usage: cargo xtask bench [--quick] [--only NAME,...] [--compare FILE]

  --quick          small data sets and short load runs (a smoke test of the suite, minutes)
  --only           run only these benches: route, territories, matching, import, contacts,
                   sync, reports, load, phone
  --compare FILE   compare with this saved table instead of the previous run's
";

/// The benches, cheapest first. `phone` is Playwright's and Lighthouse's (`end2end/perf/`), the
/// others are `server/benches/*.rs`.
const BENCHES: [&str; 9] =
    ["route", "territories", "matching", "import", "contacts", "sync", "reports", "load", "phone"];
/// Smaller inputs for `--quick`.
const QUICK: [(&str, &str); 8] = [
    ("FIELDWORK_BENCH_CONTACTS", "20000"),
    ("FIELDWORK_BENCH_LOAD_CONTACTS", "20000"),
    ("FIELDWORK_BENCH_LOAD_SECONDS", "5"),
    ("FIELDWORK_BENCH_MATCHING", "5000"),
    ("FIELDWORK_BENCH_IMPORT_ROWS", "5000"),
    ("FIELDWORK_BENCH_POINTS", "100000"),
    ("FIELDWORK_BENCH_RESTARTS", "3"),
    ("FIELDWORK_BENCH_PHONE_RUNS", "1"),
];
/// How much worse a figure may get before it is flagged.
const TOLERANCE: f64 = 1.2;

pub fn bench(args: &[String]) -> Result {
    let mut quick = false;
    let mut only: Option<Vec<String>> = None;
    let mut compare: Option<PathBuf> = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--only" => only = args.next().map(|v| v.split(',').map(|s| s.trim().to_string()).collect()),
            "--compare" => compare = args.next().map(PathBuf::from),
            "--help" | "-h" => {
                eprint!("{USAGE}");
                return Ok(());
            }
            _ => return Err(format!("unknown argument {arg}\n{USAGE}")),
        }
    }
    let chosen: Vec<&str> =
        BENCHES.iter().copied().filter(|b| only.as_ref().is_none_or(|o| o.iter().any(|x| x == b))).collect();
    if chosen.is_empty() {
        return Err(format!("no bench chosen\n{USAGE}"));
    }
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let out = dir.join("current.tsv");
    let _ = std::fs::remove_file(&out);
    let out_text = out.to_string_lossy().into_owned();
    let mut env: Vec<(&str, &str)> = vec![("FIELDWORK_BENCH_OUT", &out_text)];
    if quick {
        env.extend(QUICK);
    }
    for name in &chosen {
        step(&format!("bench {name}"));
        if *name == "phone" {
            phone(&env)?;
        } else {
            cmd::run_env("cargo", &["bench", "-p", "fieldwork-server", "--bench", name], &env)?;
        }
    }

    let current = std::fs::read_to_string(&out).unwrap_or_default();
    let last = dir.join("last.tsv");
    let baseline_path = compare.unwrap_or_else(|| last.clone());
    let baseline = std::fs::read_to_string(&baseline_path).ok().map(|t| parse(&t));
    let rows = parse(&current);
    print_table(&rows, baseline.as_ref(), &baseline_path);
    if last.exists() {
        let _ = std::fs::copy(&last, dir.join("previous.tsv"));
    }
    std::fs::copy(&out, &last).map_err(|e| format!("saving {}: {e}", last.display()))?;
    eprintln!("\nsaved as {} (the next run compares with it)", last.display());
    Ok(())
}

/// The release app (split as it ships) on a phone on slow 4G, then Lighthouse, through the
/// end-to-end suite's server and Chromium.
fn phone(env: &[(&str, &str)]) -> Result {
    tools::ensure_all(true)?;
    run::build_release()?;
    tools::playwright("perf.config.ts", env)
}

/// One measurement.
struct Row {
    bench: String,
    name: String,
    engine: String,
    n: String,
    p50: f64,
    p95: f64,
    p99: f64,
    per_second: f64,
    peak: f64,
}

impl Row {
    fn key(&self) -> (String, String, String) {
        (self.name.clone(), self.engine.clone(), self.n.clone())
    }
}

fn parse(text: &str) -> Vec<Row> {
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let num = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok());
            Some(Row {
                bench: f.first()?.to_string(),
                name: f.get(1)?.to_string(),
                engine: f.get(2)?.to_string(),
                n: f.get(3)?.to_string(),
                p50: num(4)?,
                p95: num(5)?,
                p99: num(6)?,
                per_second: num(7)?,
                peak: num(8)?,
            })
        })
        .collect()
}

fn print_table(rows: &[Row], baseline: Option<&Vec<Row>>, baseline_path: &std::path::Path) {
    println!(
        "\n{:<10} {:<52} {:<8} {:>9} {:>10} {:>10} {:>10} {:>12} {:>8}",
        "bench", "name", "engine", "n", "p50 ms", "p95 ms", "p99 ms", "per second", "peak MB"
    );
    for r in rows {
        println!(
            "{:<10} {:<52} {:<8} {:>9} {:>10.2} {:>10.2} {:>10.2} {:>12.1} {:>8.0}",
            r.bench,
            r.name,
            r.engine,
            r.n,
            r.p50,
            r.p95,
            r.p99,
            r.per_second,
            r.peak / 1e6
        );
    }
    match baseline.map(|b| regressions(rows, b)) {
        None => println!("\nno earlier run to compare with ({} is missing)", baseline_path.display()),
        Some(flagged) if flagged.is_empty() => {
            println!("\nno figure more than 20 % worse than {}", baseline_path.display());
        }
        Some(flagged) => {
            println!("\nWORSE BY MORE THAN 20 % than {}:", baseline_path.display());
            for f in flagged {
                println!("  {f}");
            }
        }
    }
}

/// Every figure of `rows` more than 20 % worse than the same measurement in `baseline`.
fn regressions(rows: &[Row], baseline: &[Row]) -> Vec<String> {
    let before: HashMap<_, &Row> = baseline.iter().map(|r| (r.key(), r)).collect();
    let mut flagged = Vec::new();
    for r in rows {
        let Some(b) = before.get(&r.key()) else { continue };
        let figures = [
            ("p50", r.p50, b.p50, true),
            ("p95", r.p95, b.p95, true),
            ("p99", r.p99, b.p99, true),
            ("per second", r.per_second, b.per_second, false),
            ("peak memory", r.peak, b.peak, true),
        ];
        for (what, now, then, lower_is_better) in figures {
            let regressed = if lower_is_better { now > then * TOLERANCE } else { now * TOLERANCE < then };
            if regressed && then > 0.0 {
                flagged.push(format!(
                    "{} [{} n={}]: {what} {now:.2}, was {then:.2} ({:+.0} %)",
                    r.name,
                    r.engine,
                    r.n,
                    (now / then - 1.0) * 100.0
                ));
            }
        }
    }
    flagged
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str = "reports\tdashboard\tsqlite\t1000\t100.0\t120.0\t130.0\t10.0\t5000000\n\
                          load\tread mix\tsqlite\t1000\t5.0\t9.0\t12.0\t2000.0\t9000000\n";

    #[test]
    fn a_figure_more_than_a_fifth_worse_is_flagged_and_one_within_it_is_not() {
        let before = parse(BEFORE);
        assert_eq!(before.len(), 2);
        // p95 30 % slower and throughput 25 % lower are flagged; p50 10 % slower is not.
        let now = parse(
            "reports\tdashboard\tsqlite\t1000\t110.0\t156.0\t130.0\t10.0\t5000000\n\
             load\tread mix\tsqlite\t1000\t5.0\t9.0\t12.0\t1500.0\t9000000\n",
        );
        let flagged = regressions(&now, &before);
        assert_eq!(flagged.len(), 2, "{flagged:?}");
        assert!(flagged[0].starts_with("dashboard [sqlite n=1000]: p95 156.00, was 120.00 (+30 %)"), "{flagged:?}");
        assert!(flagged[1].contains("per second 1500.00, was 2000.00"), "{flagged:?}");
    }

    #[test]
    fn another_size_or_engine_is_not_compared_and_bad_lines_are_skipped() {
        let now = parse("reports\tdashboard\tpostgres\t1000\t900.0\t900.0\t900.0\t1.0\t5000000\nnot a figure\n");
        assert_eq!(now.len(), 1);
        assert!(regressions(&now, &parse(BEFORE)).is_empty());
    }
}
