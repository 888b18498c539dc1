//! Buyer matching at scale, through the real router over HTTP, on `SQLite` and `PostgreSQL`.
//!
//! `cargo bench -p fieldwork-server --bench matching` seeds (once; later runs reuse it) a
//! database of `FIELDWORK_BENCH_MATCHING` buyers with a requirement each and as many listings
//! (default 100,000 of each, with Dhaka-like prices, sizes and features), then prints p50/p95 of
//! `GET /listings/{id}/matches` (one listing against every requirement) and
//! `GET /contacts/{id}/matches` (one buyer against every listing), as office staff.
//!
//! `FIELDWORK_BENCH_ENGINES=sqlite,postgres` picks the engines.

use fieldwork_server::db::Db;
use fieldwork_server::seed;
use support::{report, sign_in, PASSWORD};

mod support;
const RUNS: usize = 100;
const KINDS: [&str; 5] = ["apartment", "house", "land", "commercial", "office"];
const FEATURES: [&str; 6] = ["parking", "lift", "garden", "balcony", "generator", "security"];
const BATCH: usize = 500;

/// A small deterministic generator (xorshift), so every run seeds the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        #[allow(clippy::cast_possible_truncation)] // below from.len(), itself a usize
        let i = self.below(from.len() as u64) as usize;
        from[i]
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("FIELDWORK_BENCH_MATCHING").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let engines = std::env::var("FIELDWORK_BENCH_ENGINES").unwrap_or_else(|_| "sqlite,postgres".into());
    for engine in engines.split(',') {
        let url = support::database_url(engine.trim(), &format!("matching_{n}")).await?;
        let db = Db::connect(&url).await?;
        fieldwork_server::startup::prepare(&db).await?;
        let office = prepare(&db, n).await?;
        let base = support::serve(&db, &url).await?;
        let client = sign_in(&base, &office).await?;
        let listings: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM listings WHERE status = 'available' AND transaction_type = 'sale' ORDER BY id LIMIT 500",
        )
        .fetch_all(db.pool())
        .await?;
        let buyers: Vec<String> = sqlx::query_scalar("SELECT contact_id FROM requirements ORDER BY id LIMIT 500")
            .fetch_all(db.pool())
            .await?;
        println!("\n{engine}: {n} buyer requirements, {n} listings");
        support::measuring(engine, n as u64);
        println!("{:<48} {:>9} {:>9}", "request", "p50 ms", "p95 ms");
        let found = std::sync::atomic::AtomicUsize::new(0);
        let get = |path: String| {
            let (client, base, found) = (client.clone(), base.clone(), &found);
            async move {
                let r = client.get(format!("{base}{path}")).send().await?;
                anyhow::ensure!(r.status().is_success(), "{path}: {}", r.status());
                let matches: Vec<serde_json::Value> = r.json().await?;
                found.fetch_add(matches.len(), std::sync::atomic::Ordering::Relaxed);
                Ok(())
            }
        };
        report("one listing against every buyer (top 50)", RUNS, |i| {
            get(format!("/api/v1/listings/{}/matches", listings[i % listings.len()]))
        })
        .await?;
        println!(
            "  … {} matches per request on average",
            found.swap(0, std::sync::atomic::Ordering::Relaxed) / (RUNS + 20)
        );
        report("one buyer against every listing (top 50)", RUNS, |i| {
            get(format!("/api/v1/contacts/{}/matches", buyers[i % buyers.len()]))
        })
        .await?;
        println!(
            "  … {} matches per request on average",
            found.swap(0, std::sync::atomic::Ordering::Relaxed) / (RUNS + 20)
        );
        db.close().await;
    }
    Ok(())
}

/// Seeds `n` buyers with requirements and `n` listings unless they are there; answers the
/// office user's email.
async fn prepare(db: &Db, n: usize) -> anyhow::Result<String> {
    let email = "bench-office@fieldwork.bench".to_string();
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM requirements").fetch_one(db.pool()).await?;
    if have >= n as i64 {
        return Ok(email);
    }
    let started = std::time::Instant::now();
    seed::add_user(db, &support::zone(), &email, "Bench Office", "office", PASSWORD).await?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let now = chrono::Utc::now().timestamp_millis();
    for chunk in (0..n).collect::<Vec<_>>().chunks(BATCH) {
        let mut tx = db.begin_write().await?;
        let mut contacts = Vec::with_capacity(BATCH);
        let mut requirements = Vec::with_capacity(BATCH);
        let mut listings = Vec::with_capacity(BATCH);
        for i in chunk {
            let contact = uuid::Uuid::now_v7().to_string();
            let sale = rng.below(5) != 0;
            // Sale budgets 3–60 M, rents 15–150 k (minor units ×100).
            let top: i64 =
                if sale { 3_000_000 + rng.below(57_000_000) as i64 } else { 15_000 + rng.below(135_000) as i64 } * 100;
            let kinds = match rng.below(3) {
                0 => "[]".to_string(),
                _ => format!("[\"{}\"]", rng.pick(&KINDS[..2])),
            };
            let features = match rng.below(4) {
                0 => format!("[\"{}\"]", rng.pick(&FEATURES)),
                _ => "[]".to_string(),
            };
            contacts
                .push(format!("('{contact}', 'person', 'Buyer {i}', 'lead', '[]', '[]', '[]', {now}, {now}, 0, 0)"));
            requirements.push(format!(
                "('{}', '{contact}', '{}', '{kinds}', {}, {top}, 'BDT', {}, NULL, '[]', '{features}', {now}, {now}, 0, 0)",
                uuid::Uuid::now_v7(),
                if sale { "sale" } else { "rent" },
                top / 2,
                1 + rng.below(4),
            ));
            let sale = rng.below(5) != 0;
            let price: i64 =
                if sale { 2_000_000 + rng.below(70_000_000) as i64 } else { 10_000 + rng.below(160_000) as i64 } * 100;
            let mut has: Vec<&str> = FEATURES.iter().copied().filter(|_| rng.below(2) == 0).collect();
            has.sort_unstable();
            listings.push(format!(
                "('{}', 'B-{i}', 'Listing {i}', '{}', '{}', '{}', {price}, 'BDT', {}, {}, {}, '{}', 23.7, 90.4, {now}, {now}, 0, 0)",
                uuid::Uuid::now_v7(),
                rng.pick(&KINDS),
                if sale { "sale" } else { "rent" },
                if rng.below(7) == 0 { "draft" } else { "available" },
                if sale { "NULL" } else { "'month'" },
                40 + rng.below(360),
                1 + rng.below(6),
                serde_json::to_string(&has)?,
            ));
        }
        sqlx::query(&format!(
            "INSERT INTO contacts (id, kind, name, lifecycle, tags, phones, emails, created_at, updated_at, version, \
             deleted) VALUES {}",
            contacts.join(", ")
        ))
        .execute(tx.conn())
        .await?;
        sqlx::query(&format!(
            "INSERT INTO requirements (id, contact_id, transaction_type, kinds, price_min, price_max, currency, \
             min_bedrooms, min_area_m2, wanted_territories, features, created_at, updated_at, version, deleted) VALUES {}",
            requirements.join(", ")
        ))
        .execute(tx.conn())
        .await?;
        sqlx::query(&format!(
            "INSERT INTO listings (id, reference, title, kind, transaction_type, status, price_amount, price_currency, \
             rent_period, area_m2, bedrooms, features, lat, lon, created_at, updated_at, version, deleted) VALUES {}",
            listings.join(", ")
        ))
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
    }
    for table in ["contacts", "requirements", "listings"] {
        sqlx::query(&format!("ANALYZE {table}")).execute(db.pool()).await?;
    }
    println!("seeded {n} buyers and {n} listings in {:.1} s", started.elapsed().as_secs_f64());
    Ok(email)
}
