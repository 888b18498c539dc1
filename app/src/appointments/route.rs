//! Today's driving route. Appointments with a fixed time keep their slots (and their order);
//! flexible visits (follow-ups at a contact) are fitted around them so the whole drive is short.
//!
//! The optimiser builds a time-aware nearest-neighbour route, then improves it with 2-opt
//! (reverse a stretch) and or-opt (move a run of one to three flexible stops elsewhere) moves
//! until none shortens the drive. A move is taken only if it does not make any more fixed
//! appointments late than before. Distances are great-circle metres; travel time assumes an
//! average city driving speed.

use crate::common::GeoPoint;
use chrono::{DateTime, Utc};

/// One place to go.
#[derive(Debug, Clone, PartialEq)]
pub struct Stop {
    pub position: GeoPoint,
    /// For a fixed appointment: when it starts and ends. `None` for a flexible visit.
    pub slot: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// How long a flexible visit takes on site.
    pub minutes: i64,
}

impl Stop {
    pub fn fixed(position: GeoPoint, starts: DateTime<Utc>, ends: DateTime<Utc>) -> Stop {
        Stop { position, slot: Some((starts, ends)), minutes: 0 }
    }

    pub fn flexible(position: GeoPoint, minutes: i64) -> Stop {
        Stop { position, slot: None, minutes }
    }
}

/// A planned route: `order` holds indexes into the stops given to [`plan`].
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub order: Vec<usize>,
    /// Driving distance from the start through every stop, in metres.
    pub metres: f64,
    /// Fixed appointments the route reaches after they start.
    pub late: usize,
}

/// Average driving speed in a city, traffic included (metres per second, ~25 km/h).
pub const CITY_SPEED_MPS: f64 = 25_000.0 / 3600.0;

/// Local searches from shuffled orders that [`plan`] runs besides the nearest-neighbour one
/// (each takes about a millisecond at 120 stops).
const RESTARTS: usize = 7;

/// Plans the route from `start` at `now` through every stop: the best (fewest late
/// appointments, then shortest) of the local search from the nearest-neighbour route and from
/// [`RESTARTS`] shuffled orders (deterministic: the same stops give the same route).
pub fn plan(start: GeoPoint, now: DateTime<Utc>, stops: &[Stop]) -> Route {
    let problem = Problem::new(start, now, stops);
    let mut best = problem.improve(problem.nearest_neighbour());
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64 ^ stops.len() as u64;
    for _ in 0..RESTARTS.min(stops.len().saturating_sub(3)) {
        let mut order: Vec<usize> = (0..stops.len()).collect();
        // Fisher–Yates with a small xorshift generator.
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            #[allow(clippy::cast_possible_truncation)] // less than i + 1, itself a usize
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        with_fixed_in_time_order(stops, &mut order);
        let route = problem.improve(order);
        if (route.late, route.metres) < (best.late, best.metres) {
            best = route;
        }
    }
    best
}

/// Improves a given order (which must keep the fixed stops in time order) with the same local
/// search [`plan`] uses; the benchmark restarts it from random orders.
pub fn improve(start: GeoPoint, now: DateTime<Utc>, stops: &[Stop], order: Vec<usize>) -> Route {
    Problem::new(start, now, stops).improve(order)
}

/// The stops' indexes with the fixed ones sorted by start time, in place among the positions the
/// fixed ones already hold (flexible ones stay where they are).
pub fn with_fixed_in_time_order(stops: &[Stop], order: &mut [usize]) {
    let positions: Vec<usize> = (0..order.len()).filter(|&p| stops[order[p]].slot.is_some()).collect();
    let mut fixed: Vec<usize> = positions.iter().map(|&p| order[p]).collect();
    fixed.sort_by_key(|&i| stops[i].slot.map(|s| s.0));
    for (p, i) in positions.into_iter().zip(fixed) {
        order[p] = i;
    }
}

struct Problem<'a> {
    stops: &'a [Stop],
    /// Metres between places; place 0 is the start, place `i + 1` is stop `i`.
    dist: Vec<f64>,
    n: usize,
    /// Fixed slots as seconds after `now`.
    slots: Vec<Option<(f64, f64)>>,
}

impl<'a> Problem<'a> {
    fn new(start: GeoPoint, now: DateTime<Utc>, stops: &'a [Stop]) -> Problem<'a> {
        let places: Vec<GeoPoint> = std::iter::once(start).chain(stops.iter().map(|s| s.position)).collect();
        let n = places.len();
        let mut dist = vec![0.0; n * n];
        for a in 0..n {
            for b in a + 1..n {
                let d = places[a].distance_m(&places[b]);
                dist[a * n + b] = d;
                dist[b * n + a] = d;
            }
        }
        let seconds = |t: DateTime<Utc>| (t - now).num_milliseconds() as f64 / 1000.0;
        let slots = stops.iter().map(|s| s.slot.map(|(a, b)| (seconds(a), seconds(b)))).collect();
        Problem { stops, dist, n, slots }
    }

    /// Distance between places (0 = start, `i + 1` = stop `i`).
    fn d(&self, a: usize, b: usize) -> f64 {
        self.dist[a * self.n + b]
    }

    /// Distance between the places at route positions `p` and `q`, where position 0 is the start
    /// and position `k + 1` is `order[k]`.
    fn leg(&self, order: &[usize], p: usize, q: usize) -> f64 {
        let place = |pos: usize| if pos == 0 { 0 } else { order[pos - 1] + 1 };
        self.d(place(p), place(q))
    }

    fn length(&self, order: &[usize]) -> f64 {
        (0..order.len()).map(|k| self.leg(order, k, k + 1)).sum()
    }

    /// Fixed appointments reached after their start, driving the route from now.
    fn late(&self, order: &[usize]) -> usize {
        let (mut t, mut at, mut late) = (0.0, 0, 0);
        for &i in order {
            t += self.d(at, i + 1) / CITY_SPEED_MPS;
            at = i + 1;
            match self.slots[i] {
                Some((starts, ends)) => {
                    if t > starts + 60.0 {
                        late += 1;
                    }
                    t = t.max(ends);
                }
                None => t += self.stops[i].minutes as f64 * 60.0,
            }
        }
        late
    }

    fn route(&self, order: Vec<usize>) -> Route {
        Route { metres: self.length(&order), late: self.late(&order), order }
    }

    /// Nearest flexible stop next, as long as the next fixed appointment can still be reached on
    /// time after it; otherwise the next fixed appointment.
    fn nearest_neighbour(&self) -> Vec<usize> {
        let mut fixed: Vec<usize> = (0..self.stops.len()).filter(|&i| self.slots[i].is_some()).collect();
        fixed.sort_by(|&a, &b| self.slots[a].map(|s| s.0).partial_cmp(&self.slots[b].map(|s| s.0)).unwrap());
        let mut flexible: Vec<usize> = (0..self.stops.len()).filter(|&i| self.slots[i].is_none()).collect();
        let mut order = Vec::with_capacity(self.stops.len());
        let (mut t, mut at) = (0.0, 0);
        let mut next_fixed = fixed.into_iter().peekable();
        loop {
            let deadline = next_fixed.peek().map(|&f| (f, self.slots[f].map_or(0.0, |s| s.0)));
            let candidate = flexible
                .iter()
                .enumerate()
                .filter(|(_, &i)| {
                    deadline.is_none_or(|(f, starts)| {
                        let there = t + self.d(at, i + 1) / CITY_SPEED_MPS + self.stops[i].minutes as f64 * 60.0;
                        there + self.d(i + 1, f + 1) / CITY_SPEED_MPS <= starts
                    })
                })
                .min_by(|(_, &a), (_, &b)| self.d(at, a + 1).total_cmp(&self.d(at, b + 1)))
                .map(|(k, &i)| (k, i));
            let next = match (candidate, deadline) {
                (Some((k, i)), _) => {
                    flexible.swap_remove(k);
                    i
                }
                (None, Some((f, _))) => {
                    next_fixed.next();
                    f
                }
                (None, None) => break,
            };
            t += self.d(at, next + 1) / CITY_SPEED_MPS;
            match self.slots[next] {
                Some((_, ends)) => t = t.max(ends),
                None => t += self.stops[next].minutes as f64 * 60.0,
            }
            at = next + 1;
            order.push(next);
        }
        order
    }

    /// 2-opt and or-opt moves, first improvement, until a full pass finds none.
    fn improve(&self, mut order: Vec<usize>) -> Route {
        const EPS: f64 = 1e-6;
        let len = order.len();
        let mut late = self.late(&order);
        let mut improved = true;
        while improved {
            improved = false;
            // 2-opt: reverse order[i..=j] (route positions i+1..=j+1); never two fixed stops at once.
            for i in 0..len {
                let mut fixed_inside = 0;
                for j in i..len {
                    if self.slots[order[j]].is_some() {
                        fixed_inside += 1;
                    }
                    if fixed_inside > 1 {
                        break;
                    }
                    if j == i {
                        continue;
                    }
                    let before =
                        self.leg(&order, i, i + 1) + if j + 1 < len { self.leg(&order, j + 1, j + 2) } else { 0.0 };
                    let after =
                        self.leg(&order, i, j + 1) + if j + 1 < len { self.leg(&order, i + 1, j + 2) } else { 0.0 };
                    if after + EPS < before {
                        order[i..=j].reverse();
                        let now_late = self.late(&order);
                        if now_late <= late {
                            late = now_late;
                            improved = true;
                        } else {
                            order[i..=j].reverse();
                        }
                    }
                }
            }
            // Or-opt: move a run of 1..=3 flexible stops to another gap, either way round.
            for run in 1..=3.min(len) {
                let mut i = 0;
                while i + run <= len {
                    if order[i..i + run].iter().any(|&s| self.slots[s].is_some()) {
                        i += 1;
                        continue;
                    }
                    if let Some(moved) = self.best_relocation(&order, i, run, late) {
                        order = moved.0;
                        late = moved.1;
                        improved = true;
                    }
                    i += 1;
                }
            }
        }
        self.route(order)
    }

    /// The first shorter route found by moving `order[i..i + run]` into another gap.
    fn best_relocation(&self, order: &[usize], i: usize, run: usize, late: usize) -> Option<(Vec<usize>, usize)> {
        const EPS: f64 = 1e-6;
        let len = order.len();
        let (first, last) = (i + 1, i + run); // route positions of the run
        let removed = self.leg(order, first - 1, first)
            + if last < len { self.leg(order, last, last + 1) } else { 0.0 }
            - if last < len { self.leg(order, first - 1, last + 1) } else { 0.0 };
        // Gap g: between route positions g and g+1 (g = len means after the last stop).
        for g in 0..=len {
            if g + 1 >= first && g <= last {
                continue; // inside or touching the run
            }
            let closes = g < len;
            let old = if closes { self.leg(order, g, g + 1) } else { 0.0 };
            for reversed in [false, true] {
                let (head, tail) = if reversed { (last, first) } else { (first, last) };
                let added = self.leg(order, g, head) + if closes { self.leg(order, tail, g + 1) } else { 0.0 } - old;
                if added + EPS < removed {
                    let mut segment = order[i..i + run].to_vec();
                    if reversed {
                        segment.reverse();
                    }
                    // The stops before gap g are order[..g]; without the run, that is where it goes.
                    let at = if g <= i { g } else { g - run };
                    let mut moved: Vec<usize> = order[..i].iter().chain(&order[i + run..]).copied().collect();
                    moved.splice(at..at, segment);
                    let now_late = self.late(&moved);
                    if now_late <= late {
                        return Some((moved, now_late));
                    }
                }
            }
        }
        None
    }
}

/// The length of `order` from `start`, in metres.
pub fn length(start: GeoPoint, stops: &[Stop], order: &[usize]) -> f64 {
    Problem::new(start, Utc::now(), stops).length(order)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 3, 0, 0).unwrap()
    }

    #[test]
    fn flexible_stops_on_a_line_are_visited_in_line_order() {
        // Start at the west end; stops given out of order along one street.
        let stops: Vec<Stop> =
            [0.04, 0.01, 0.03, 0.02].iter().map(|d| Stop::flexible(at(23.78, 90.40 + d), 15)).collect();
        let route = plan(at(23.78, 90.40), now(), &stops);
        assert_eq!(route.order, [1, 3, 2, 0]);
        let expected = at(23.78, 90.40).distance_m(&at(23.78, 90.44));
        assert!((route.metres - expected).abs() < 1.0, "{} vs {expected}", route.metres);
        assert_eq!(route.late, 0);
    }

    #[test]
    fn fixed_appointments_keep_their_time_order_even_when_a_detour_would_be_shorter() {
        let h = |hours: i64| now() + chrono::Duration::hours(hours);
        // The 11:00 appointment is nearer than the 09:00 one, but must come after it.
        let stops = vec![
            Stop::fixed(at(23.78, 90.50), h(6), h(7)),
            Stop::fixed(at(23.78, 90.45), h(8), h(9)),
            Stop::flexible(at(23.78, 90.41), 15),
        ];
        let route = plan(at(23.78, 90.40), now(), &stops);
        let pos = |i: usize| route.order.iter().position(|&s| s == i).unwrap();
        assert!(pos(0) < pos(1), "{:?}", route.order);
        assert_eq!(pos(2), 0, "the flexible stop on the way comes first: {:?}", route.order);
        assert_eq!(route.late, 0);
    }

    #[test]
    fn a_flexible_visit_that_would_make_an_appointment_late_waits_until_after_it() {
        // An appointment 10 km east in 30 minutes; a flexible visit 10 km west would take too long.
        let stops = vec![
            Stop::fixed(at(23.78, 90.50), now() + chrono::Duration::minutes(30), now() + chrono::Duration::minutes(60)),
            Stop::flexible(at(23.78, 90.30), 20),
        ];
        let route = plan(at(23.78, 90.40), now(), &stops);
        assert_eq!(route.order, [0, 1]);
        assert_eq!(route.late, 0);
    }

    #[test]
    fn local_search_never_lengthens_a_route_and_keeps_every_stop_once() {
        let mut seed = 7_u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let stops: Vec<Stop> =
            (0..40).map(|_| Stop::flexible(at(23.7 + next() * 0.15, 90.35 + next() * 0.15), 15)).collect();
        let start = at(23.78, 90.40);
        let mut order: Vec<usize> = (0..stops.len()).collect();
        order.reverse();
        let before = length(start, &stops, &order);
        let route = improve(start, now(), &stops, order);
        assert!(route.metres <= before);
        let mut seen = route.order.clone();
        seen.sort_unstable();
        assert_eq!(seen, (0..40).collect::<Vec<_>>());
        // 2-opt leaves no two crossing legs: reversing any stretch cannot shorten it.
        let planned = plan(start, now(), &stops);
        assert!(planned.metres <= before);
        let mut order = planned.order.clone();
        for i in 0..order.len() {
            for j in i + 1..order.len() {
                order[i..=j].reverse();
                assert!(length(start, &stops, &order) + 1e-3 >= planned.metres);
                order[i..=j].reverse();
            }
        }
    }

    #[test]
    fn no_stops_is_an_empty_route() {
        let route = plan(at(23.78, 90.40), now(), &[]);
        assert!(route.order.is_empty());
        assert_eq!(route.metres, 0.0);
    }
}
