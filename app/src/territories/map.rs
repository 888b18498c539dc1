//! Drawing territories without a tile server: Web Mercator (the projection of every tile
//! server, so an optional tile layer lines up), a view that pans and zooms, SVG path data for
//! `GeoJSON` outlines, grid clustering of dense points, and the tiles a view needs. Plain Rust,
//! shared by the map page and its tests.
//!
//! World coordinates run from (0, 0) at 180°W, 85.05°N to (1, 1) at 180°E, 85.05°S; a view
//! has a centre in world coordinates and a scale in screen pixels per world unit.

use std::f64::consts::PI;

/// Web Mercator's latitude limit: the world is a square.
const MAX_LAT: f64 = 85.051_128_78;
/// Tile servers stop here.
pub const MAX_TILE_ZOOM: u8 = 19;
/// Pixels of one tile at its own zoom level.
const TILE: f64 = 256.0;

/// (lon, lat) to world coordinates.
pub fn to_world(lon: f64, lat: f64) -> (f64, f64) {
    let lat = lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / PI) / 2.0;
    (x, y)
}

/// World coordinates to (lon, lat).
pub fn from_world(x: f64, y: f64) -> (f64, f64) {
    let lon = x * 360.0 - 180.0;
    let lat = (PI * (1.0 - 2.0 * y)).sinh().atan().to_degrees();
    (lon, lat)
}

/// Lon/lat bounds: west, south, east, north.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl Bounds {
    /// The smallest bounds holding every point; `None` for none.
    pub fn around(points: impl IntoIterator<Item = (f64, f64)>) -> Option<Bounds> {
        points.into_iter().fold(None, |b: Option<Bounds>, (lon, lat)| {
            Some(match b {
                None => Bounds { west: lon, south: lat, east: lon, north: lat },
                Some(b) => Bounds {
                    west: b.west.min(lon),
                    south: b.south.min(lat),
                    east: b.east.max(lon),
                    north: b.north.max(lat),
                },
            })
        })
    }
}

/// What part of the world a `width` × `height` map shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    /// The centre, in world coordinates.
    pub cx: f64,
    pub cy: f64,
    /// Screen pixels per world unit (256 × 2^zoom).
    pub scale: f64,
    pub width: f64,
    pub height: f64,
}

/// Closer than this is pointless (a few centimetres per pixel).
const MAX_SCALE: f64 = TILE * (1u64 << 24) as f64;
/// Farther than this shows the world several times over.
const MIN_SCALE: f64 = TILE / 2.0;

impl View {
    /// Fits `bounds` with `pad` pixels around (at most street level for a single point).
    pub fn fit(bounds: Bounds, width: f64, height: f64, pad: f64) -> View {
        let (x0, y0) = to_world(bounds.west, bounds.north);
        let (x1, y1) = to_world(bounds.east, bounds.south);
        let w = (x1 - x0).max(1e-12);
        let h = (y1 - y0).max(1e-12);
        let scale = ((width - 2.0 * pad).max(1.0) / w).min((height - 2.0 * pad).max(1.0) / h);
        View {
            cx: f64::midpoint(x0, x1),
            cy: f64::midpoint(y0, y1),
            scale: scale.clamp(MIN_SCALE, TILE * 65536.0),
            width,
            height,
        }
    }

    /// The zoom level, as tile servers count it (fractional).
    pub fn zoom(&self) -> f64 {
        (self.scale / TILE).log2()
    }

    pub fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = to_world(lon, lat);
        ((x - self.cx) * self.scale + self.width / 2.0, (y - self.cy) * self.scale + self.height / 2.0)
    }

    pub fn unproject(&self, sx: f64, sy: f64) -> (f64, f64) {
        from_world(self.cx + (sx - self.width / 2.0) / self.scale, self.cy + (sy - self.height / 2.0) / self.scale)
    }

    /// Zooms by `factor` keeping the screen point (sx, sy) where it is.
    #[must_use]
    pub fn zoomed(&self, factor: f64, sx: f64, sy: f64) -> View {
        let scale = (self.scale * factor).clamp(MIN_SCALE, MAX_SCALE);
        let (wx, wy) =
            (self.cx + (sx - self.width / 2.0) / self.scale, self.cy + (sy - self.height / 2.0) / self.scale);
        View { cx: wx - (sx - self.width / 2.0) / scale, cy: wy - (sy - self.height / 2.0) / scale, scale, ..*self }
    }

    /// Moves the map by (dx, dy) screen pixels (the content follows the pointer).
    #[must_use]
    pub fn panned(&self, dx: f64, dy: f64) -> View {
        View { cx: self.cx - dx / self.scale, cy: (self.cy - dy / self.scale).clamp(0.0, 1.0), ..*self }
    }

    /// The same scale centred on `origin` (world coordinates) with no size: it places things
    /// relative to the origin, so a layer drawn with it only needs [`View::offset`] to follow
    /// a pan (no redrawing until the zoom changes).
    pub fn layer(&self, origin: (f64, f64)) -> View {
        View { cx: origin.0, cy: origin.1, scale: self.scale, width: 0.0, height: 0.0 }
    }

    /// Where the origin of a [`View::layer`] is on screen.
    pub fn offset(&self, origin: (f64, f64)) -> (f64, f64) {
        ((origin.0 - self.cx) * self.scale + self.width / 2.0, (origin.1 - self.cy) * self.scale + self.height / 2.0)
    }

    /// The lon/lat bounds on screen.
    pub fn bounds(&self) -> Bounds {
        let (west, north) = self.unproject(0.0, 0.0);
        let (east, south) = self.unproject(self.width, self.height);
        Bounds { west, south, east, north }
    }

    /// The tiles that cover the view: at the zoom level where a tile is 256–512 pixels wide.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // zoom and tile numbers: clamped, floored, at least 0
    pub fn tiles(&self) -> Vec<Tile> {
        let z = self.zoom().floor().clamp(0.0, f64::from(MAX_TILE_ZOOM));
        let zoom = z as u8;
        let count = f64::from(1u32 << zoom);
        let size = self.scale / count;
        let left = self.cx - self.width / 2.0 / self.scale;
        let top = self.cy - self.height / 2.0 / self.scale;
        let first_x = (left * count).floor().max(0.0);
        let first_y = (top * count).floor().max(0.0);
        let last_x = ((left + self.width / self.scale) * count).ceil().min(count);
        let last_y = ((top + self.height / self.scale) * count).ceil().min(count);
        let mut tiles = Vec::new();
        let mut ty = first_y;
        while ty < last_y {
            let mut tx = first_x;
            while tx < last_x {
                tiles.push(Tile {
                    z: zoom,
                    x: tx as u32,
                    y: ty as u32,
                    left: (tx / count - left) * self.scale,
                    top: (ty / count - top) * self.scale,
                    size,
                });
                tx += 1.0;
            }
            ty += 1.0;
        }
        tiles
    }
}

/// One map tile and where it goes on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    pub z: u8,
    pub x: u32,
    pub y: u32,
    pub left: f64,
    pub top: f64,
    pub size: f64,
}

impl Tile {
    /// The tile's address in a `{z}/{x}/{y}` URL template.
    pub fn url(&self, template: &str) -> String {
        template
            .replace("{z}", &self.z.to_string())
            .replace("{x}", &self.x.to_string())
            .replace("{y}", &self.y.to_string())
    }
}

/// The rings (outer and holes) of a `GeoJSON` Polygon or `MultiPolygon`, as (lon, lat) lists.
pub fn rings(geometry: &serde_json::Value) -> Vec<Vec<(f64, f64)>> {
    let polygons: Vec<&serde_json::Value> = match geometry["type"].as_str() {
        Some("Polygon") => vec![&geometry["coordinates"]],
        Some("MultiPolygon") => geometry["coordinates"].as_array().map(|a| a.iter().collect()).unwrap_or_default(),
        _ => Vec::new(),
    };
    polygons
        .into_iter()
        .filter_map(|p| p.as_array())
        .flatten()
        .filter_map(|ring| ring.as_array())
        .map(|ring| {
            ring.iter().filter_map(|pos| Some((pos.get(0)?.as_f64()?, pos.get(1)?.as_f64()?))).collect::<Vec<_>>()
        })
        .filter(|r| r.len() >= 3)
        .collect()
}

/// The `GeoJSON` Polygon of a drawn outline: one ring, closed (its first vertex repeated at the end).
pub fn polygon(vertices: &[(f64, f64)]) -> serde_json::Value {
    let mut ring: Vec<[f64; 2]> = vertices.iter().map(|(lon, lat)| [round6(*lon), round6(*lat)]).collect();
    if let Some(first) = ring.first().copied() {
        if ring.last() != Some(&first) {
            ring.push(first);
        }
    }
    serde_json::json!({"type": "Polygon", "coordinates": [ring]})
}

/// A geometry with its rings replaced by `rings`, in the order [`rings`] reads them (each
/// ring closed again). How an edited outline is sent back.
pub fn with_rings(geometry: &serde_json::Value, rings: &[Vec<(f64, f64)>]) -> serde_json::Value {
    let mut next = rings.iter().map(|r| {
        let mut ring: Vec<[f64; 2]> = r.iter().map(|(lon, lat)| [round6(*lon), round6(*lat)]).collect();
        if let (Some(first), Some(last)) = (ring.first().copied(), ring.last().copied()) {
            if first != last {
                ring.push(first);
            }
        }
        ring
    });
    let mut polygon = |p: &serde_json::Value| -> Vec<Vec<[f64; 2]>> {
        p.as_array().map(|rs| rs.iter().filter_map(|_| next.next()).collect()).unwrap_or_default()
    };
    match geometry["type"].as_str() {
        Some("MultiPolygon") => {
            let polygons: Vec<_> =
                geometry["coordinates"].as_array().map(|ps| ps.iter().map(&mut polygon).collect()).unwrap_or_default();
            serde_json::json!({"type": "MultiPolygon", "coordinates": polygons})
        }
        _ => serde_json::json!({"type": "Polygon", "coordinates": polygon(&geometry["coordinates"])}),
    }
}

/// Six decimals of a degree: about 10 cm, more than a finger can place.
fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// SVG path data for rings (holes cut out with `fill-rule: evenodd`). A ring's closing vertex
/// is left to `Z`.
pub fn path(view: &View, rings: &[Vec<(f64, f64)>]) -> String {
    use std::fmt::Write;
    let mut d = String::new();
    for ring in rings {
        let open = match (ring.first(), ring.last()) {
            (Some(a), Some(b)) if a == b && ring.len() > 1 => &ring[..ring.len() - 1],
            _ => &ring[..],
        };
        for (i, (lon, lat)) in open.iter().enumerate() {
            let (x, y) = view.project(*lon, *lat);
            let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
        }
        d.push('Z');
    }
    d
}

/// Points drawn together: where (screen), how many, and the indexes of the points in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub x: f64,
    pub y: f64,
    pub members: Vec<usize>,
}

/// Groups points closer than about `cell` pixels: first into square cells, then neighbouring
/// cells whose centres are closer than `cell` merge (largest first), so no two clusters sit on
/// top of each other. Each cluster sits at the mean of its points; its members are in order.
#[allow(clippy::cast_possible_truncation)] // grid cells of screen coordinates
pub fn clusters(points: &[(f64, f64)], cell: f64) -> Vec<Cluster> {
    let mut index: std::collections::HashMap<(i64, i64), usize> = std::collections::HashMap::new();
    let mut cells: Vec<(f64, f64, Vec<usize>)> = Vec::new();
    for (i, (x, y)) in points.iter().enumerate() {
        let key = ((x / cell).floor() as i64, (y / cell).floor() as i64);
        let slot = *index.entry(key).or_insert_with(|| {
            cells.push((0.0, 0.0, Vec::new()));
            cells.len() - 1
        });
        let c = &mut cells[slot];
        c.0 += x;
        c.1 += y;
        c.2.push(i);
    }
    let mut cells: Vec<Cluster> = cells
        .into_iter()
        .map(|(sx, sy, members)| Cluster { x: sx / members.len() as f64, y: sy / members.len() as f64, members })
        .collect();
    cells.sort_by(|a, b| b.members.len().cmp(&a.members.len()).then(a.members[0].cmp(&b.members[0])));
    let mut out: Vec<Cluster> = Vec::new();
    for c in cells {
        match out.iter_mut().find(|o| (o.x - c.x).hypot(o.y - c.y) < cell) {
            Some(o) => {
                let (n, m) = (o.members.len() as f64, c.members.len() as f64);
                o.x = (o.x * n + c.x * m) / (n + m);
                o.y = (o.y * n + c.y * m) / (n + m);
                o.members.extend(c.members);
            }
            None => out.push(c),
        }
    }
    for c in &mut out {
        c.members.sort_unstable();
    }
    out.sort_by_key(|c| c.members[0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn world_coordinates_invert_and_have_the_usual_corners() {
        assert!(close(to_world(-180.0, MAX_LAT).0, 0.0) && close(to_world(-180.0, MAX_LAT).1, 0.0));
        assert!(close(to_world(0.0, 0.0).0, 0.5) && close(to_world(0.0, 0.0).1, 0.5));
        let (x, y) = to_world(90.41, 23.78);
        let (lon, lat) = from_world(x, y);
        assert!(close(lon, 90.41) && close(lat, 23.78));
    }

    #[test]
    fn a_view_fits_the_bounds_and_inverts() {
        let b = Bounds { west: 90.0, south: 23.0, east: 91.0, north: 24.0 };
        let v = View::fit(b, 800.0, 600.0, 20.0);
        let (x0, y0) = v.project(90.0, 24.0);
        let (x1, y1) = v.project(91.0, 23.0);
        assert!(x0 >= 20.0 - 1e-6 && y0 >= 20.0 - 1e-6 && x1 <= 780.0 + 1e-6 && y1 <= 580.0 + 1e-6);
        assert!(close(y1 - y0, 560.0), "the taller side fills the height");
        assert!(x1 - x0 < y1 - y0, "a degree of longitude is shorter than one of latitude at 23.5°N");
        let (sx, sy) = v.project(90.3, 23.7);
        let (lon, lat) = v.unproject(sx, sy);
        assert!(close(lon, 90.3) && close(lat, 23.7));
        assert_eq!(
            Bounds::around([(1.0, 2.0), (-1.0, 5.0)]),
            Some(Bounds { west: -1.0, south: 2.0, east: 1.0, north: 5.0 })
        );
    }

    #[test]
    fn zooming_keeps_the_point_under_the_pointer_and_panning_follows_it() {
        let v = View::fit(Bounds { west: 90.3, south: 23.7, east: 90.5, north: 23.9 }, 1000.0, 700.0, 0.0);
        let under = v.unproject(200.0, 100.0);
        let z = v.zoomed(2.0, 200.0, 100.0);
        assert!(close(z.scale, v.scale * 2.0));
        let (sx, sy) = z.project(under.0, under.1);
        assert!(close(sx, 200.0) && close(sy, 100.0));
        let p = v.panned(30.0, -10.0);
        let (sx, sy) = p.project(under.0, under.1);
        assert!(close(sx, 230.0) && close(sy, 90.0));
    }

    #[test]
    fn a_layer_plus_its_offset_is_the_view() {
        let v = View::fit(Bounds { west: 90.3, south: 23.7, east: 90.5, north: 23.9 }, 1000.0, 700.0, 0.0)
            .panned(37.0, -12.0);
        let origin = to_world(90.4, 23.8);
        let (lx, ly) = v.layer(origin).project(90.45, 23.75);
        let (ox, oy) = v.offset(origin);
        let (sx, sy) = v.project(90.45, 23.75);
        assert!(close(lx + ox, sx) && close(ly + oy, sy));
    }

    #[test]
    fn the_tiles_of_a_view_cover_it_at_the_right_zoom() {
        // The whole world at 512 px: zoom 1, four tiles of 256 px.
        let v = View { cx: 0.5, cy: 0.5, scale: 512.0, width: 512.0, height: 512.0 };
        let tiles = v.tiles();
        assert_eq!(tiles.len(), 4);
        assert!(tiles.iter().all(|t| t.z == 1 && close(t.size, 256.0)));
        assert_eq!((tiles[3].x, tiles[3].y, tiles[3].left, tiles[3].top), (1, 1, 256.0, 256.0));
        assert_eq!(tiles[0].url("https://t/{z}/{x}/{y}.png"), "https://t/1/0/0.png");
        // A city: every tile is between 256 and 512 px and together they cover the screen.
        let city = View::fit(Bounds { west: 90.3, south: 23.7, east: 90.5, north: 23.9 }, 1000.0, 700.0, 0.0);
        let tiles = city.tiles();
        assert!(tiles.iter().all(|t| t.size >= 256.0 && t.size < 512.0));
        let covered: f64 = tiles.iter().map(|t| t.size * t.size).sum();
        assert!(covered >= 1000.0 * 700.0);
        assert!(tiles.iter().any(|t| t.left <= 0.0 && t.top <= 0.0));
    }

    #[test]
    fn rings_and_paths_of_polygons_with_holes() {
        let g = serde_json::json!({"type": "MultiPolygon", "coordinates": [
            [[[0, 0], [1, 0], [1, 1], [0, 0]], [[0.2, 0.1], [0.3, 0.1], [0.3, 0.2], [0.2, 0.1]]],
            [[[5, 5], [6, 5], [6, 6], [5, 5]]]
        ]});
        assert_eq!(rings(&g).len(), 3);
        assert!(rings(&serde_json::json!({"type": "Point", "coordinates": [0, 0]})).is_empty());
        let v = View::fit(Bounds { west: 0.0, south: 0.0, east: 1.0, north: 1.0 }, 100.0, 100.0, 0.0);
        let d = path(&v, &[vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]]);
        assert_eq!((d.matches('M').count(), d.matches('L').count(), d.matches('Z').count()), (1, 2, 1));
    }

    #[test]
    fn a_drawn_outline_becomes_a_closed_polygon_and_edits_keep_the_shape_kind() {
        let p = polygon(&[(90.1, 23.1), (90.2, 23.1), (90.2, 23.2)]);
        assert_eq!(p["coordinates"][0].as_array().map(Vec::len), Some(4));
        assert_eq!(p["coordinates"][0][0], p["coordinates"][0][3]);
        let multi = serde_json::json!({"type": "MultiPolygon", "coordinates": [
            [[[0, 0], [1, 0], [1, 1], [0, 0]], [[0.2, 0.1], [0.3, 0.1], [0.3, 0.2], [0.2, 0.1]]],
            [[[5, 5], [6, 5], [6, 6], [5, 5]]]
        ]});
        let mut rs = rings(&multi);
        rs[2][1] = (6.5, 5.0);
        let edited = with_rings(&multi, &rs);
        assert_eq!(edited["type"], "MultiPolygon");
        assert_eq!(edited["coordinates"][1][0][1], serde_json::json!([6.5, 5.0]));
        assert_eq!(edited["coordinates"][0][1].as_array().map(Vec::len), Some(4), "the hole stays in its polygon");
    }

    #[test]
    fn nearby_points_cluster_and_far_ones_do_not() {
        let c = clusters(&[(1.0, 1.0), (3.0, 3.0), (50.0, 50.0)], 10.0);
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].members.clone(), c[0].x), (vec![0, 1], 2.0));
        assert_eq!(c[1].members, vec![2]);
        // Two points either side of a cell border are one cluster, not two on top of each other.
        let c = clusters(&[(9.0, 5.0), (11.0, 5.0), (9.5, 5.0)], 10.0);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].members, vec![0, 1, 2]);
        assert!((c[0].x - 29.5 / 3.0).abs() < 1e-9);
    }
}
