//! Today's route optimiser: ordering 25, 50 and 120 stops around Dhaka (six of them fixed
//! appointments spread over the working day), compared with the best of several random
//! restarts of the same local search.
//!
//! `cargo bench -p fieldwork-server --bench route` prints, per size: the time of one `plan`
//! (median and worst of 20 runs), its route length, the best length over the restarts
//! (`FIELDWORK_BENCH_RESTARTS`, default 20) and how much longer the planned route is.

use chrono::{TimeZone, Utc};
use fieldwork_app::appointments::route::{self, Stop};
use fieldwork_app::common::GeoPoint;
use rand::seq::SliceRandom;
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::time::{Duration, Instant};

mod support;

fn main() {
    let restarts: usize = std::env::var("FIELDWORK_BENCH_RESTARTS").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 2, 30, 0).unwrap(); // 08:30 in Dhaka
    let start = GeoPoint::new(23.7806, 90.4193).expect("Gulshan");
    println!(
        "{:>6} {:>6} {:>10} {:>10} {:>11} {:>11} {:>8} {:>5}",
        "stops", "fixed", "p50 ms", "max ms", "planned km", "best km", "excess", "late"
    );
    for n in [25_usize, 50, 120] {
        let mut rng = StdRng::seed_from_u64(n as u64);
        // Six fixed appointments, one every 90 minutes from 09:00; flexible visits of 15 minutes.
        let fixed = 6;
        let stops: Vec<Stop> = (0..n)
            .map(|i| {
                let at = GeoPoint::new(rng.gen_range(23.70..23.88), rng.gen_range(90.34..90.50)).expect("in Dhaka");
                if i < fixed {
                    let starts = now + chrono::Duration::minutes(30 + 90 * i as i64);
                    Stop::fixed(at, starts, starts + chrono::Duration::minutes(20))
                } else {
                    Stop::flexible(at, 15)
                }
            })
            .collect();
        let mut times = Vec::new();
        let mut planned = None;
        for _ in 0..20 {
            let started = Instant::now();
            let route = route::plan(start, now, &stops);
            times.push(started.elapsed().as_secs_f64() * 1e3);
            planned = Some(route);
        }
        let planned = planned.expect("planned");
        let durations: Vec<Duration> = times.iter().map(|ms| Duration::from_secs_f64(ms / 1e3)).collect();
        support::record(&format!("plan a route of {n} stops"), "-", n as u64, &durations, None);
        times.sort_by(f64::total_cmp);
        let mut best = f64::INFINITY;
        for _ in 0..restarts {
            let mut order: Vec<usize> = (0..n).collect();
            order.shuffle(&mut rng);
            route::with_fixed_in_time_order(&stops, &mut order);
            let route = route::improve(start, now, &stops, order);
            if route.late <= planned.late {
                best = best.min(route.metres);
            }
        }
        let best = best.min(planned.metres);
        println!(
            "{n:>6} {fixed:>6} {:>10.2} {:>10.2} {:>11.2} {:>11.2} {:>7.1}% {:>5}",
            times[times.len() / 2],
            times[times.len() - 1],
            planned.metres / 1e3,
            best / 1e3,
            (planned.metres / best - 1.0) * 100.0,
            planned.late
        );
    }
}
