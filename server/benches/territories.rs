//! Territory benchmarks: placing points in 3,000+ county-sized territories, and re-placing
//! after one territory is reshaped.
//!
//! `cargo bench -p fieldwork-server --bench territories` prints:
//! 1. in memory: checking the 3,231 US county polygons (`geodata/us-counties.geojson`),
//!    building the R-tree index, and locating 1,000,000 random points
//!    (`FIELDWORK_BENCH_POINTS`) on one and on two threads — points per second;
//! 2. through the real router on `SQLite`: importing the counties as territories, then
//!    reshaping the one county that holds 10,000 contacts (among 100,000 spread over the
//!    country) — the time of the PATCH, which places those contacts again.

use fieldwork_app::common::{GeoPoint, TerritoryId};
use fieldwork_server::db::Db;
use fieldwork_server::seed;
use fieldwork_server::territories::{geometry, TerritoryIndex};
use geo::{BoundingRect, Contains, MultiPolygon, Point};
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::time::Instant;
use support::PASSWORD;

mod support;
/// The continental United States.
const WEST: f64 = -125.0;
const EAST: f64 = -66.0;
const SOUTH: f64 = 24.0;
const NORTH: f64 = 50.0;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let points: usize = std::env::var("FIELDWORK_BENCH_POINTS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../geodata/us-counties.geojson");
    let text = std::fs::read_to_string(&path)?;
    let collection: serde_json::Value = serde_json::from_str(&text)?;
    let features = collection["features"].as_array().cloned().unwrap_or_default();

    let started = Instant::now();
    let mut shapes = Vec::new();
    let mut refused = Vec::new();
    for f in &features {
        match geometry::parse(&f["geometry"]) {
            Ok(shape) => shapes.push((TerritoryId::new(), shape)),
            Err(e) => refused.push(format!("{}: {e}", f["properties"]["name"])),
        }
    }
    println!(
        "checked {} county polygons in {:.0} ms ({} refused, e.g. {:?})",
        features.len(),
        started.elapsed().as_secs_f64() * 1e3,
        refused.len(),
        refused.iter().take(3).collect::<Vec<_>>()
    );
    let started = Instant::now();
    let index = TerritoryIndex::build(shapes.clone());
    println!("built the index of {} territories in {:.0} ms", index.len(), started.elapsed().as_secs_f64() * 1e3);

    let mut rng = StdRng::seed_from_u64(11);
    let sample: Vec<(f64, f64)> =
        (0..points).map(|_| (rng.gen_range(WEST..EAST), rng.gen_range(SOUTH..NORTH))).collect();
    let started = Instant::now();
    let inside = sample.iter().filter(|(lon, lat)| index.locate(*lon, *lat).is_some()).count();
    let one = started.elapsed().as_secs_f64();
    let whole = |s: f64| [std::time::Duration::from_secs_f64(s)];
    support::record(
        "locate points in 3,231 counties, 1 thread",
        "-",
        points as u64,
        &whole(one),
        Some(points as f64 / one),
    );
    println!(
        "located {points} points on 1 thread in {one:.2} s: {:.0} points/s ({inside} inside a county)",
        points as f64 / one
    );
    let started = Instant::now();
    let halves: Vec<&[(f64, f64)]> = sample.chunks(points.div_ceil(2)).collect();
    let inside2: usize = std::thread::scope(|s| {
        let handles: Vec<_> = halves
            .iter()
            .map(|half| s.spawn(|| half.iter().filter(|(lon, lat)| index.locate(*lon, *lat).is_some()).count()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    let two = started.elapsed().as_secs_f64();
    support::record(
        "locate points in 3,231 counties, 2 threads",
        "-",
        points as u64,
        &whole(two),
        Some(points as f64 / two),
    );
    assert_eq!(inside, inside2);
    println!("located {points} points on 2 threads in {two:.2} s: {:.0} points/s", points as f64 / two);

    reshape(&collection, &shapes).await
}

/// Imports the counties through the API on a fresh `SQLite` database, puts 10,000 contacts in
/// one county and 90,000 elsewhere, then times reshaping that county.
async fn reshape(collection: &serde_json::Value, shapes: &[(TerritoryId, MultiPolygon<f64>)]) -> anyhow::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("territories.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    let url = format!("sqlite://{}", file.display());
    let db = Db::connect(&url).await?;
    fieldwork_server::startup::prepare(&db).await?;
    let manager =
        seed::add_user(&db, &support::zone(), "manager@bench.example", "Bench Manager", "manager", PASSWORD).await?;
    let base = support::serve(&db, &url).await?;
    let client = support::sign_in(&base, "manager@bench.example").await?;

    // The busiest county: the largest (by bounding box) in the continental US, so 10,000
    // random points fit easily.
    let continental = |s: &MultiPolygon<f64>| {
        s.bounding_rect()
            .is_some_and(|r| r.min().x > WEST && r.max().x < EAST && r.min().y > SOUTH && r.max().y < NORTH)
    };
    let (_, target) = shapes
        .iter()
        .filter(|(_, s)| continental(s))
        .max_by(|a, b| area_of(&a.1).total_cmp(&area_of(&b.1)))
        .ok_or_else(|| anyhow::anyhow!("no counties"))?;
    let bounds = target.bounding_rect().ok_or_else(|| anyhow::anyhow!("empty county"))?;
    let mut rng = StdRng::seed_from_u64(12);
    let mut positions = Vec::with_capacity(100_000);
    while positions.len() < 10_000 {
        let p =
            Point::new(rng.gen_range(bounds.min().x..bounds.max().x), rng.gen_range(bounds.min().y..bounds.max().y));
        if target.contains(&p) {
            positions.push(p);
        }
    }
    while positions.len() < 100_000 {
        positions.push(Point::new(rng.gen_range(WEST..EAST), rng.gen_range(SOUTH..NORTH)));
    }
    let owners = [manager.id];
    let contacts = seed::bulk::generate(5, positions.len(), &owners).zip(positions).map(|(mut c, p)| {
        c.location = GeoPoint::new(p.y(), p.x()).ok();
        c
    });
    seed::bulk::insert_contacts(&db, contacts).await?;

    let started = Instant::now();
    let r = client
        .post(format!("{base}/api/v1/territories/import"))
        .json(&serde_json::json!({"name_property": "name", "collection": collection}))
        .send()
        .await?;
    anyhow::ensure!(r.status().is_success(), "import: {}", r.status());
    let result: serde_json::Value = r.json().await?;
    let imported = started.elapsed();
    support::record("import 3,231 territories placing 100,000 contacts", "sqlite", 3_231, &[imported], None);
    println!(
        "\nimported {} counties as territories over HTTP ({} refused), placing 100,000 contacts, in {:.2} s",
        result["created"].as_array().map_or(0, Vec::len),
        result["rejected"].as_array().map_or(0, Vec::len),
        started.elapsed().as_secs_f64()
    );
    let created = result["created"].as_array().cloned().unwrap_or_default();
    let county = created
        .iter()
        .find(|t| geometry::parse(&t["geometry"]).is_ok_and(|s| s == *target))
        .ok_or_else(|| anyhow::anyhow!("the busiest county was not imported"))?;
    let id = county["id"].as_str().unwrap_or_default();
    let stats: serde_json::Value =
        client.get(format!("{base}/api/v1/territories/{id}/stats")).send().await?.json().await?;
    println!("{} holds {} contacts", county["name"], stats["contacts"]);

    // Reshape: shrink the county to 80 % around its box's centre.
    let (cx, cy) = (f64::midpoint(bounds.min().x, bounds.max().x), f64::midpoint(bounds.min().y, bounds.max().y));
    let mut geometry = county["geometry"].clone();
    shrink(&mut geometry, cx, cy, 0.8);
    let started = Instant::now();
    let r = client
        .patch(format!("{base}/api/v1/territories/{id}"))
        .json(&serde_json::json!({"geometry": geometry}))
        .send()
        .await?;
    anyhow::ensure!(r.status().is_success(), "reshape: {} {}", r.status(), r.text().await?);
    let took = started.elapsed().as_secs_f64();
    support::record(
        "reshape a territory placing its 10,000 contacts",
        "sqlite",
        10_000,
        &[std::time::Duration::from_secs_f64(took)],
        None,
    );
    let stats: serde_json::Value =
        client.get(format!("{base}/api/v1/territories/{id}/stats")).send().await?.json().await?;
    println!(
        "reshaped it over HTTP, placing its contacts again, in {:.0} ms; it now holds {}",
        took * 1e3,
        stats["contacts"]
    );
    Ok(())
}

fn area_of(shape: &MultiPolygon<f64>) -> f64 {
    shape.bounding_rect().map_or(0.0, |r| r.width() * r.height())
}

/// Scales every position of a `GeoJSON` geometry towards (cx, cy).
fn shrink(value: &mut serde_json::Value, cx: f64, cy: f64, factor: f64) {
    match value {
        serde_json::Value::Array(items) if items.len() >= 2 && items.iter().all(serde_json::Value::is_number) => {
            let x = items[0].as_f64().unwrap_or(cx);
            let y = items[1].as_f64().unwrap_or(cy);
            items[0] = (cx + (x - cx) * factor).into();
            items[1] = (cy + (y - cy) * factor).into();
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|i| shrink(i, cx, cy, factor)),
        serde_json::Value::Object(map) => {
            if let Some(c) = map.get_mut("coordinates") {
                shrink(c, cx, cy, factor);
            }
        }
        _ => {}
    }
}
