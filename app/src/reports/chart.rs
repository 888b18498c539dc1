//! The geometry of the report charts (bars, lines, a funnel), drawn as SVG by the app itself so
//! they work offline and print. Pure numbers here; the components only place them.

use std::fmt::Write as _;

/// An axis from 0 (or a negative floor for scores) to a round maximum, with its tick values.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub min: f64,
    pub max: f64,
    pub ticks: Vec<f64>,
}

/// The smallest 1, 2 or 5 × 10ⁿ at or above `value` (1 for nothing).
pub fn round_up(value: f64) -> f64 {
    if !value.is_finite() || value <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|v| *v >= value - 1e-9).unwrap_or(10.0 * power)
}

impl Axis {
    /// An axis from 0 that holds every value, with four ticks.
    pub fn from_zero(values: impl IntoIterator<Item = f64>) -> Axis {
        let max = round_up(values.into_iter().fold(0.0, f64::max));
        Axis { min: 0.0, max, ticks: (0..=4).map(|i| max * f64::from(i) / 4.0).collect() }
    }

    /// A fixed axis (percentages 0–100, NPS −100–100).
    pub fn fixed(min: f64, max: f64) -> Axis {
        Axis { min, max, ticks: (0..=4).map(|i| min + (max - min) * f64::from(i) / 4.0).collect() }
    }

    /// Where `value` falls along a length (0 at `min`), clamped to the axis.
    pub fn at(&self, value: f64, length: f64) -> f64 {
        let span = self.max - self.min;
        if span <= 0.0 {
            return 0.0;
        }
        ((value - self.min) / span).clamp(0.0, 1.0) * length
    }
}

/// One rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// Horizontal bars: a row per label, side by side within the row for each series. Rows are
/// `row` high with a quarter of it as gap; bars start at `left` and grow to `left + length`.
pub fn horizontal_bars(rows: &[Vec<f64>], axis: &Axis, left: f64, length: f64, row: f64) -> Vec<Vec<Rect>> {
    rows.iter()
        .enumerate()
        .map(|(i, values)| {
            let band = row * 0.75 / values.len().max(1) as f64;
            values
                .iter()
                .enumerate()
                .map(|(j, v)| Rect {
                    x: left,
                    y: i as f64 * row + row * 0.125 + j as f64 * band,
                    width: axis.at(*v, length),
                    height: band,
                })
                .collect()
        })
        .collect()
}

/// An SVG path through the values spread evenly over `width`, the axis running up `height`
/// (SVG's y grows downwards). A missing value breaks the line; a lone value is a dot's move.
pub fn line_path(values: &[Option<f64>], axis: &Axis, width: f64, height: f64) -> String {
    let step = if values.len() > 1 { width / (values.len() - 1) as f64 } else { 0.0 };
    let mut path = String::new();
    let mut drawing = false;
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => {
                let (x, y) = (i as f64 * step, height - axis.at(*v, height));
                let _ = write!(path, "{}{x:.1} {y:.1} ", if drawing { "L" } else { "M" });
                drawing = true;
            }
            None => drawing = false,
        }
    }
    path.trim_end().to_string()
}

/// A funnel: one trapezoid per stage, as wide as its count against the first (widest) stage,
/// centred in `width`, each `step` high. Returns the points of each polygon.
pub fn funnel(counts: &[f64], width: f64, step: f64) -> Vec<String> {
    let widest = counts.iter().copied().fold(0.0, f64::max);
    let w = |v: f64| if widest > 0.0 { (v / widest * width).max(2.0) } else { 2.0 };
    counts
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let top = w(*v);
            let bottom = counts.get(i + 1).map_or(top, |n| w(*n).min(top));
            let (y0, y1) = (i as f64 * step, (i + 1) as f64 * step - 2.0);
            let (t0, t1) = ((width - top) / 2.0, f64::midpoint(width, top));
            let (b0, b1) = ((width - bottom) / 2.0, f64::midpoint(width, bottom));
            format!("{t0:.1},{y0:.1} {t1:.1},{y0:.1} {b1:.1},{y1:.1} {b0:.1},{y1:.1}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers_and_never_divide_by_zero() {
        assert_eq!(round_up(0.0), 1.0);
        assert_eq!(round_up(7.0), 10.0);
        assert_eq!(round_up(12.0), 20.0);
        assert_eq!(round_up(45.0), 50.0);
        assert_eq!(round_up(100.0), 100.0);
        let axis = Axis::from_zero([3.0, 17.0]);
        assert_eq!(axis.max, 20.0);
        assert_eq!(axis.ticks, vec![0.0, 5.0, 10.0, 15.0, 20.0]);
        assert_eq!(Axis::from_zero([]).at(0.0, 100.0), 0.0);
        assert_eq!(Axis::fixed(-100.0, 100.0).at(0.0, 200.0), 100.0);
        assert_eq!(Axis::fixed(0.0, 0.0).at(5.0, 200.0), 0.0);
    }

    #[test]
    fn bars_grow_with_their_value_and_share_their_row() {
        let axis = Axis::from_zero([10.0]);
        let bars = horizontal_bars(&[vec![10.0, 5.0], vec![0.0, 2.5]], &axis, 100.0, 200.0, 40.0);
        assert_eq!(bars[0][0], Rect { x: 100.0, y: 5.0, width: 200.0, height: 15.0 });
        assert_eq!(bars[0][1].width, 100.0);
        assert_eq!(bars[0][1].y, 20.0);
        assert_eq!(bars[1][0].width, 0.0);
        assert_eq!(bars[1][1].y, 60.0);
    }

    #[test]
    fn a_line_breaks_where_a_value_is_missing() {
        let axis = Axis::fixed(0.0, 100.0);
        let path = line_path(&[Some(0.0), Some(100.0), None, Some(50.0)], &axis, 300.0, 100.0);
        assert_eq!(path, "M0.0 100.0 L100.0 0.0 M300.0 50.0");
        assert_eq!(line_path(&[], &axis, 300.0, 100.0), "");
    }

    #[test]
    fn a_funnel_narrows_with_each_stage() {
        let shapes = funnel(&[10.0, 5.0, 0.0], 200.0, 30.0);
        assert_eq!(shapes[0], "0.0,0.0 200.0,0.0 150.0,28.0 50.0,28.0");
        assert_eq!(shapes[1], "50.0,30.0 150.0,30.0 101.0,58.0 99.0,58.0");
        assert_eq!(shapes.len(), 3);
        assert_eq!(funnel(&[0.0], 100.0, 10.0).len(), 1);
    }
}
