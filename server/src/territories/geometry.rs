//! Territory shapes: a `GeoJSON` Polygon or `MultiPolygon` in WGS84 (holes allowed), checked
//! before anything is stored. A bad shape is refused with a message that says where: which
//! polygon, which ring, which position, and for a ring that crosses itself, near which point.

use geo::{Coord, LineString, MultiPolygon, Polygon, Validation};

/// Why a shape was refused, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{at}: {problem}")]
pub struct ShapeError {
    /// `geometry`, or e.g. `polygon 2, hole 1, position 7`.
    pub at: String,
    pub problem: String,
}

impl ShapeError {
    fn new(at: impl Into<String>, problem: impl Into<String>) -> Self {
        ShapeError { at: at.into(), problem: problem.into() }
    }
}

/// Parses and checks a `GeoJSON` geometry object.
pub fn parse(value: &serde_json::Value) -> Result<MultiPolygon<f64>, ShapeError> {
    read_checked(value, true)
}

/// Reads a stored geometry (checked when it was stored) without the costly OGC checks.
pub fn read(value: &serde_json::Value) -> Result<MultiPolygon<f64>, ShapeError> {
    read_checked(value, false)
}

fn read_checked(value: &serde_json::Value, check: bool) -> Result<MultiPolygon<f64>, ShapeError> {
    let geometry: geojson::Geometry = serde_json::from_value(value.clone())
        .map_err(|e| ShapeError::new("geometry", format!("not a GeoJSON geometry ({e})")))?;
    let polygons = match geometry.value {
        geojson::GeometryValue::Polygon { coordinates } => vec![coordinates],
        geojson::GeometryValue::MultiPolygon { coordinates } => coordinates,
        other => {
            return Err(ShapeError::new(
                "geometry",
                format!("a {} is not an area; send a Polygon or a MultiPolygon", other.type_name()),
            ))
        }
    };
    if polygons.is_empty() {
        return Err(ShapeError::new("geometry", "has no polygon"));
    }
    let many = polygons.len() > 1;
    let mut out = Vec::with_capacity(polygons.len());
    for (p, rings) in polygons.iter().enumerate() {
        let polygon_at = |ring: usize| {
            let ring = if ring == 0 { "outer ring".to_string() } else { format!("hole {ring}") };
            if many {
                format!("polygon {}, {ring}", p + 1)
            } else {
                ring
            }
        };
        if rings.is_empty() {
            return Err(ShapeError::new(polygon_at(0), "is missing"));
        }
        let mut lines = Vec::with_capacity(rings.len());
        for (r, ring) in rings.iter().enumerate() {
            lines.push(ring_of(ring, &polygon_at(r))?);
        }
        let exterior = lines.remove(0);
        let polygon = Polygon::new(exterior, lines);
        if check {
            check_polygon(&polygon, &polygon_at)?;
        }
        out.push(polygon);
    }
    let shape = MultiPolygon::new(out);
    if many && check {
        if let Err(e) = shape.check_validation() {
            return Err(ShapeError::new("geometry", e.to_string()));
        }
    }
    Ok(shape)
}

/// One ring: at least four positions, each a longitude and latitude in range, closed.
fn ring_of(ring: &[geojson::Position], at: &str) -> Result<LineString<f64>, ShapeError> {
    if ring.len() < 4 {
        return Err(ShapeError::new(
            at,
            format!("has {} positions; a ring needs at least 4 (three corners and the first again)", ring.len()),
        ));
    }
    let mut coords = Vec::with_capacity(ring.len());
    for (i, position) in ring.iter().enumerate() {
        let at = || format!("{at}, position {}", i + 1);
        let &[lon, lat, ..] = position.as_slice() else {
            return Err(ShapeError::new(at(), "needs a longitude and a latitude"));
        };
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(ShapeError::new(at(), format!("longitude {lon} is outside -180 to 180")));
        }
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(ShapeError::new(at(), format!("latitude {lat} is outside -90 to 90")));
        }
        coords.push(Coord { x: lon, y: lat });
    }
    let (first, last) = (coords[0], coords[coords.len() - 1]);
    if first != last {
        return Err(ShapeError::new(
            at,
            format!("is not closed: it starts at [{}, {}] and ends at [{}, {}]", first.x, first.y, last.x, last.y),
        ));
    }
    Ok(LineString::new(coords))
}

/// The OGC rules (via `geo`): no ring crosses itself or another, holes lie inside.
fn check_polygon(polygon: &Polygon<f64>, at: &dyn Fn(usize) -> String) -> Result<(), ShapeError> {
    use geo::algorithm::validation::{InvalidPolygon, RingRole};
    let Err(error) = polygon.check_validation() else { return Ok(()) };
    let ring_index = |role: &RingRole| match role {
        RingRole::Exterior => 0,
        RingRole::Interior(i) => i + 1,
    };
    let ring = |i: usize| if i == 0 { polygon.exterior() } else { &polygon.interiors()[i - 1] };
    match &error {
        InvalidPolygon::SelfIntersection(role) => {
            let i = ring_index(role);
            let near = crossing(ring(i)).map(|c| format!(" near [{}, {}]", c.x, c.y)).unwrap_or_default();
            Err(ShapeError::new(at(i), format!("crosses itself{near}")))
        }
        InvalidPolygon::TooFewPointsInRing(role) => {
            Err(ShapeError::new(at(ring_index(role)), "needs at least 3 distinct corners"))
        }
        other => Err(ShapeError::new(at(0), other.to_string())),
    }
}

/// Where a ring first crosses itself: the meeting point of two edges that are not neighbours.
/// Quadratic, so only called on a ring already known to be invalid.
fn crossing(ring: &LineString<f64>) -> Option<Coord<f64>> {
    use geo::line_intersection::{line_intersection, LineIntersection};
    let lines: Vec<geo::Line<f64>> = ring.lines().collect();
    let n = lines.len();
    for i in 0..n {
        for j in i + 2..n {
            if i == 0 && j == n - 1 {
                continue; // the closing edge meets the first at the start
            }
            match line_intersection(lines[i], lines[j]) {
                Some(LineIntersection::SinglePoint { intersection, .. }) => return Some(intersection),
                Some(LineIntersection::Collinear { intersection }) => return Some(intersection.start),
                None => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn square(x: f64, y: f64, size: f64) -> serde_json::Value {
        json!([[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]])
    }

    #[test]
    fn a_polygon_with_a_hole_and_a_multipolygon_are_areas() {
        let with_hole = json!({"type": "Polygon", "coordinates": [square(90.0, 23.0, 1.0), square(90.25, 23.25, 0.5)]});
        let shape = parse(&with_hole).unwrap();
        assert_eq!(shape.0[0].interiors().len(), 1);
        let two =
            json!({"type": "MultiPolygon", "coordinates": [[square(90.0, 23.0, 1.0)], [square(92.0, 23.0, 1.0)]]});
        assert_eq!(parse(&two).unwrap().0.len(), 2);
    }

    #[test]
    fn bad_shapes_say_where() {
        let err = |v: serde_json::Value| parse(&v).unwrap_err().to_string();
        assert_eq!(
            err(json!({"type": "Point", "coordinates": [90.0, 23.0]})),
            "geometry: a Point is not an area; send a Polygon or a MultiPolygon"
        );
        assert_eq!(
            err(json!({"type": "Polygon", "coordinates": [[[90.0, 23.0], [91.0, 23.0], [91.0, 24.0], [90.0, 24.0]]]})),
            "outer ring: is not closed: it starts at [90, 23] and ends at [90, 24]"
        );
        assert_eq!(
            err(json!({"type": "Polygon", "coordinates": [[[90.0, 23.0], [91.0, 23.0], [91.0, 95.0], [90.0, 23.0]]]})),
            "outer ring, position 3: latitude 95 is outside -90 to 90"
        );
        assert_eq!(
            err(json!({"type": "Polygon", "coordinates": [[[90.0, 23.0], [91.0, 23.0], [90.0, 23.0]]]})),
            "outer ring: has 3 positions; a ring needs at least 4 (three corners and the first again)"
        );
        // A bow tie: the edges cross at [90.5, 23.5].
        assert_eq!(
            err(
                json!({"type": "Polygon", "coordinates": [[[90.0, 23.0], [91.0, 24.0], [91.0, 23.0], [90.0, 24.0], [90.0, 23.0]]]})
            ),
            "outer ring: crosses itself near [90.5, 23.5]"
        );
        let hole_outside = json!({"type": "MultiPolygon", "coordinates": [[square(90.0, 23.0, 1.0)], [square(92.0, 23.0, 1.0), square(95.0, 23.0, 0.5)]]});
        assert!(err(hole_outside).starts_with("polygon 2, outer ring: "));
        assert!(err(json!({"type": "Polygon"})).starts_with("geometry: not a GeoJSON geometry"));
    }
}
