//! HTTP under load: 200 reps syncing and browsing at once, through the real router.
//!
//! `cargo bench -p fieldwork-server --bench load` uses the company `fieldwork seed --scale`
//! makes of `FIELDWORK_BENCH_LOAD_CONTACTS` contacts (default 200,000) shared by 200 reps, signs
//! every rep in, brings each rep's device up to date (a first sync, all 200 at once), then
//! drives two mixes for `FIELDWORK_BENCH_LOAD_SECONDS` each (default 20):
//! - the read mix: an incremental sync pull, Today, the contact list, a contact, its timeline;
//! - the field mix: the same with one request in five a write (a logged call, a follow-up).
//!
//! Each mix runs twice: flat out (every rep sends its next request as soon as the last one is
//! answered: the most the server answers) and at a fixed offered rate,
//! `FIELDWORK_BENCH_LOAD_RATE` requests a second in all (default 2,000), each rep on its own
//! schedule (the latency reps see at that load).
//!
//! It prints requests per second, p50/p95/p99 latency, errors (any non-2xx answer) and the
//! process's peak memory (server and load generator share the process and the two cores).

use fieldwork_server::seed::scale::{Plan, DOMAIN, PASSWORD};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod support;

const REPS: usize = 200;

/// One simulated rep: a signed-in client, the device's sync position, its contacts.
struct Rep {
    client: reqwest::Client,
    device: String,
    cursor: String,
    contacts: Vec<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let env = |name: &str, default: usize| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let n = env("FIELDWORK_BENCH_LOAD_CONTACTS", 200_000);
    let seconds = env("FIELDWORK_BENCH_LOAD_SECONDS", 20) as u64;
    let rate = env("FIELDWORK_BENCH_LOAD_RATE", 2000) as f64;
    let engines = std::env::var("FIELDWORK_BENCH_ENGINES").unwrap_or_else(|_| "sqlite,postgres".into());
    for engine in engines.split(',').map(str::trim) {
        let plan = Plan::with_reps(n, REPS, 7);
        let (db, url) = support::scaled(engine, plan).await?;
        let base = support::serve(&db, &url).await?;
        println!("\n{engine}: {n} contacts, {REPS} reps, {seconds} s per mix");
        println!(
            "{:<40} {:>9} {:>8} {:>8} {:>8} {:>7} {:>9}",
            "load", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "peak MB"
        );

        let mut reps = Vec::with_capacity(REPS);
        for r in 1..=REPS {
            let email = format!("rep{r}@{DOMAIN}");
            let client = support::sign_in_with(&base, &email, PASSWORD).await?;
            let contacts: Vec<String> = sqlx::query_scalar(
                "SELECT c.id FROM contacts c JOIN users u ON u.id = c.owner_id WHERE u.email = $1 ORDER BY c.id LIMIT 200",
            )
            .bind(&email)
            .fetch_all(db.pool())
            .await?;
            anyhow::ensure!(!contacts.is_empty(), "{email} owns no contacts");
            reps.push(Rep { client, device: uuid::Uuid::now_v7().to_string(), cursor: String::new(), contacts });
        }

        // Every device's first sync, all at once.
        let started = Instant::now();
        let records = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for mut rep in reps {
            let (base, records) = (base.clone(), records.clone());
            tasks.push(tokio::spawn(async move {
                loop {
                    let page = pull(&rep, &base).await?;
                    records.fetch_add(page["changes"].as_array().map_or(0, Vec::len), Ordering::Relaxed);
                    rep.cursor = page["cursor"].as_str().unwrap_or_default().to_string();
                    if page["more"] != true {
                        return anyhow::Ok(rep);
                    }
                }
            }));
        }
        let mut reps = Vec::with_capacity(REPS);
        for t in tasks {
            reps.push(t.await??);
        }
        let took = started.elapsed();
        let records = records.load(Ordering::Relaxed);
        println!(
            "first sync of {REPS} devices at once: {records} records in {:.1} s ({:.0} records/s)",
            took.as_secs_f64(),
            records as f64 / took.as_secs_f64()
        );
        support::record(
            &format!("first sync of {REPS} devices at once"),
            engine,
            records as u64,
            &[took],
            Some(records as f64 / took.as_secs_f64()),
        );

        let reps: Vec<Arc<tokio::sync::Mutex<Rep>>> =
            reps.into_iter().map(|r| Arc::new(tokio::sync::Mutex::new(r))).collect();
        for (label, writes) in [("read mix", 0.0), ("field mix (1 in 5 a write)", 0.2)] {
            for pace in [Pace::Flat, Pace::Rate(rate)] {
                let label = match pace {
                    Pace::Flat => format!("HTTP {label}, {REPS} reps"),
                    Pace::Rate(rate) => format!("HTTP {label}, {rate:.0} req/s offered"),
                };
                let (by_kind, errors, elapsed) = drive(&reps, &base, seconds, writes, pace).await?;
                let mut times: Vec<Duration> = by_kind.values().flatten().copied().collect();
                times.sort();
                let per_second = times.len() as f64 / elapsed;
                let ms = |share| support::percentile(&times, share).as_secs_f64() * 1e3;
                println!(
                    "{label:<40} {per_second:>9.0} {:>8.1} {:>8.1} {:>8.1} {errors:>7} {:>9.0}",
                    ms(0.5),
                    ms(0.95),
                    ms(0.99),
                    support::peak_memory() as f64 / 1e6
                );
                support::record(&label, engine, n as u64, &times, Some(per_second));
                // Where the time goes: each kind of request's share and latency.
                for (kind, mut times) in by_kind {
                    times.sort();
                    let ms = |share| support::percentile(&times, share).as_secs_f64() * 1e3;
                    println!(
                        "  {kind:<38} {:>8.0}% {:>8.1} {:>8.1} {:>8.1}",
                        100.0 * times.len() as f64 / elapsed / per_second,
                        ms(0.5),
                        ms(0.95),
                        ms(0.99)
                    );
                }
                anyhow::ensure!(errors == 0, "{label}: requests failed");
            }
        }
        db.close().await;
    }
    Ok(())
}

/// How the reps send their requests.
#[derive(Clone, Copy)]
enum Pace {
    /// Each rep sends its next request as soon as the last one is answered: the most the
    /// server answers, with 200 requests always waiting (so latency is 200 / throughput).
    Flat,
    /// `rate` requests a second in all, each rep on its own fixed schedule whatever the
    /// answers: the latency reps see at that load. A request's time counts from when it was
    /// due, so a late answer also delays the rep's next ones in the figures.
    Rate(f64),
}

type Times = std::collections::BTreeMap<&'static str, Vec<Duration>>;

/// Runs one mix for `seconds`: each kind of request's latencies, the errors, the seconds taken.
async fn drive(
    reps: &[Arc<tokio::sync::Mutex<Rep>>],
    base: &str,
    seconds: u64,
    writes: f64,
    pace: Pace,
) -> anyhow::Result<(Times, usize, f64)> {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let errors = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for (i, rep) in reps.iter().enumerate() {
        let (rep, base, errors) = (rep.clone(), base.to_string(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let mut rep = rep.lock().await;
            let mut rng = StdRng::seed_from_u64(i as u64);
            let mut times = Vec::new();
            // When the next request is due; reps start spread over one interval.
            let interval = match pace {
                Pace::Flat => Duration::ZERO,
                Pace::Rate(rate) => Duration::from_secs_f64(REPS as f64 / rate),
            };
            let mut due = started + interval.mul_f64(i as f64 / REPS as f64);
            while due < deadline {
                tokio::time::sleep_until(due.into()).await;
                let sent = match pace {
                    Pace::Flat => Instant::now(),
                    Pace::Rate(_) => due,
                };
                let (kind, ok) = one_request(&mut rep, &base, &mut rng, writes).await;
                times.push((kind, sent.elapsed()));
                if !ok {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
                due = match pace {
                    Pace::Flat => Instant::now(),
                    Pace::Rate(_) => due + interval,
                };
            }
            times
        }));
    }
    let mut by_kind = Times::new();
    for t in tasks {
        for (kind, time) in t.await? {
            by_kind.entry(kind).or_default().push(time);
        }
    }
    Ok((by_kind, errors.load(Ordering::Relaxed), started.elapsed().as_secs_f64()))
}

async fn pull(rep: &Rep, base: &str) -> anyhow::Result<serde_json::Value> {
    let mut query = vec![("client_id", rep.device.as_str()), ("limit", "500")];
    if !rep.cursor.is_empty() {
        query.push(("cursor", rep.cursor.as_str()));
    }
    let r = rep.client.get(format!("{base}/api/v1/sync/pull")).query(&query).send().await?;
    anyhow::ensure!(r.status().is_success(), "sync pull: {}", r.status());
    Ok(r.json().await?)
}

/// One request of the mix; answers which kind it was and whether it succeeded.
async fn one_request(rep: &mut Rep, base: &str, rng: &mut StdRng, writes: f64) -> (&'static str, bool) {
    let contact = rep.contacts[rng.gen_range(0..rep.contacts.len())].clone();
    let client = rep.client.clone();
    if rng.gen_bool(writes) {
        let (kind, r) = if rng.gen_bool(0.7) {
            let r = client
                .post(format!("{base}/api/v1/contacts/{contact}/activities"))
                .json(&serde_json::json!({"kind": "call", "direction": "outbound", "result": "connected",
                                          "duration_s": 95, "body": "Talked about the viewing on Saturday."}))
                .send()
                .await;
            ("write: a logged call", r)
        } else {
            let due = chrono::Utc::now() + chrono::Duration::days(2);
            let r = client
                .post(format!("{base}/api/v1/tasks"))
                .json(&serde_json::json!({"title": "Call back about the offer", "contact_id": contact, "due_at": due}))
                .send()
                .await;
            ("write: a follow-up", r)
        };
        return (kind, r.is_ok_and(|r| r.status().is_success()));
    }
    let (kind, path) = match rng.gen_range(0..100) {
        0..30 => {
            let ok = match pull(rep, base).await {
                Ok(page) => {
                    rep.cursor = page["cursor"].as_str().unwrap_or_default().to_string();
                    true
                }
                Err(_) => false,
            };
            return ("sync pull", ok);
        }
        30..50 => ("Today", "/api/v1/today".to_string()),
        50..70 => ("contact list", "/api/v1/contacts?limit=50".to_string()),
        70..85 => ("a contact", format!("/api/v1/contacts/{contact}")),
        _ => ("its timeline", format!("/api/v1/contacts/{contact}/timeline")),
    };
    let ok = match client.get(format!("{base}{path}")).send().await {
        Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
        _ => false,
    };
    (kind, ok)
}
