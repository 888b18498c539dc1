//! The day grid of the calendar: which hours it spans and where each appointment sits in its
//! column (minutes from the top, length, and a lane so overlapping ones stand side by side).

/// An appointment's place in a column, in minutes of the local day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub top: i64,
    pub height: i64,
    pub lane: usize,
    pub lanes: usize,
}

/// The hours `[first, last)` a grid shows: the working day (08–20) widened to every span.
pub fn hours(spans: &[(i64, i64)]) -> (i64, i64) {
    let first = spans.iter().map(|s| s.0 / 60).min().unwrap_or(8).clamp(0, 8);
    let last = spans.iter().map(|s| (s.1 + 59) / 60).max().unwrap_or(20).clamp(20, 24);
    (first, last)
}

/// Blocks for spans `(start, end)` in minutes of the day (given in start order), relative to
/// hour `first`. Overlapping spans get different lanes; each block knows how many lanes its
/// group of overlapping spans needs.
pub fn blocks(spans: &[(i64, i64)], first: i64) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(spans.len());
    let mut group_start = 0;
    let mut group_end = i64::MIN;
    let mut lane_ends: Vec<i64> = Vec::new();
    for (i, &(start, end)) in spans.iter().enumerate() {
        let end = end.max(start + 15); // a short one still gets a readable block
        if start >= group_end {
            // A new group of overlapping spans begins: settle the last one's lane count.
            let lanes = lane_ends.len().max(1);
            out[group_start..i].iter_mut().for_each(|b| b.lanes = lanes);
            group_start = i;
            lane_ends.clear();
        }
        let lane = if let Some(free) = lane_ends.iter().position(|&e| e <= start) {
            lane_ends[free] = end;
            free
        } else {
            lane_ends.push(end);
            lane_ends.len() - 1
        };
        group_end = group_end.max(end);
        out.push(Block { top: start - first * 60, height: end - start, lane, lanes: 1 });
    }
    let lanes = lane_ends.len().max(1);
    let len = out.len();
    out[group_start..len].iter_mut().for_each(|b| b.lanes = lanes);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_covers_the_working_day_and_anything_outside_it() {
        assert_eq!(hours(&[]), (8, 20));
        assert_eq!(hours(&[(7 * 60 + 30, 8 * 60), (20 * 60 + 10, 21 * 60)]), (7, 21));
    }

    #[test]
    fn overlapping_appointments_stand_side_by_side_and_others_take_the_full_width() {
        let spans = [(600, 660), (630, 690), (650, 700), (720, 750)];
        let b = blocks(&spans, 8);
        assert_eq!(b.iter().map(|b| (b.lane, b.lanes)).collect::<Vec<_>>(), [(0, 3), (1, 3), (2, 3), (0, 1)]);
        assert_eq!((b[0].top, b[0].height), (120, 60));
        // A freed lane is reused within the group.
        let b = blocks(&[(600, 630), (610, 700), (640, 660)], 8);
        assert_eq!(b.iter().map(|b| (b.lane, b.lanes)).collect::<Vec<_>>(), [(0, 2), (1, 2), (0, 2)]);
    }
}
