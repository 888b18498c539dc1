//! Which territory holds a point: an R-tree of the territories' bounding boxes (`rstar`), then
//! an exact point-in-polygon test (`geo`) on the few candidates. Rebuilt whole whenever a
//! territory is created, reshaped or deleted; reads share the built index.
//!
//! The rules, when several territories hold a point:
//! - **Nesting**: the smallest (by area) wins, so a territory inside a region takes its points.
//! - **Borders**: a point exactly on a border is inside (holes' borders included), so on a border
//!   shared by two neighbours it goes to the smaller of the two; equal areas go to the territory
//!   whose id sorts first. A point in a hole belongs to whatever holds the hole, if anything.

use fieldwork_app::common::TerritoryId;
use geo::{Area, BoundingRect, Intersects, MultiPolygon, Point, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

type Boxed = GeomWithData<Rectangle<[f64; 2]>, usize>;

struct Entry {
    id: TerritoryId,
    area: f64,
    shape: MultiPolygon<f64>,
}

/// The territories' shapes, ready for point lookups.
#[derive(Default)]
pub struct TerritoryIndex {
    tree: RTree<Boxed>,
    entries: Vec<Entry>,
}

impl TerritoryIndex {
    pub fn build(territories: impl IntoIterator<Item = (TerritoryId, MultiPolygon<f64>)>) -> Self {
        let mut entries = Vec::new();
        let mut boxes = Vec::new();
        for (id, shape) in territories {
            let Some(rect) = shape.bounding_rect() else { continue };
            boxes.push(GeomWithData::new(rectangle(rect), entries.len()));
            entries.push(Entry { id, area: shape.unsigned_area(), shape });
        }
        TerritoryIndex { tree: RTree::bulk_load(boxes), entries }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The territory holding the point (longitude, latitude), by the module's rules.
    pub fn locate(&self, lon: f64, lat: f64) -> Option<TerritoryId> {
        let point = Point::new(lon, lat);
        self.tree
            .locate_all_at_point(&[lon, lat])
            .map(|b| &self.entries[b.data])
            .filter(|e| e.shape.intersects(&point))
            .min_by(|a, b| a.area.total_cmp(&b.area).then_with(|| a.id.to_string().cmp(&b.id.to_string())))
            .map(|e| e.id)
    }

    /// The bounding box of a territory, if it is in the index.
    pub fn bounds_of(&self, id: TerritoryId) -> Option<Rect<f64>> {
        self.entries.iter().find(|e| e.id == id).and_then(|e| e.shape.bounding_rect())
    }
}

fn rectangle(rect: Rect<f64>) -> Rectangle<[f64; 2]> {
    Rectangle::from_aabb(AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, MultiPolygon};

    fn square(x: f64, y: f64, size: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: x, y: y), (x: x + size, y: y), (x: x + size, y: y + size), (x: x, y: y + size), (x: x, y: y)
        ]])
    }

    #[test]
    fn the_smallest_territory_holding_a_point_wins_and_borders_are_inside() {
        let region = TerritoryId::new();
        let west = TerritoryId::new();
        let east = TerritoryId::new();
        let lake = TerritoryId::new();
        let with_hole = MultiPolygon::new(vec![geo::Polygon::new(
            square(0.0, 0.0, 1.0).0[0].exterior().clone(),
            vec![square(0.4, 0.4, 0.2).0[0].exterior().clone()],
        )]);
        let index = TerritoryIndex::build([
            (region, square(-10.0, -10.0, 20.0)),
            (west, with_hole),
            (east, square(1.0, 0.0, 2.0)),
            (lake, square(5.0, 5.0, 1.0)),
        ]);
        assert_eq!(index.locate(0.2, 0.2), Some(west), "inside west, which lies in the region");
        assert_eq!(index.locate(0.5, 0.5), Some(region), "in west's hole: the region holds it");
        assert_eq!(index.locate(0.4, 0.5), Some(west), "on the hole's border: still west");
        assert_eq!(index.locate(1.0, 0.5), Some(west), "on the west/east border: the smaller one");
        assert_eq!(index.locate(2.0, 1.0), Some(east));
        assert_eq!(index.locate(-9.0, 9.0), Some(region));
        assert_eq!(index.locate(50.0, 50.0), None, "outside all");
        assert_eq!(index.len(), 4);
    }

    #[test]
    fn equal_neighbours_share_a_border_by_id() {
        let (a, b) = (TerritoryId::new(), TerritoryId::new());
        let index = TerritoryIndex::build([(a, square(0.0, 0.0, 1.0)), (b, square(1.0, 0.0, 1.0))]);
        let first = if a.to_string() < b.to_string() { a } else { b };
        assert_eq!(index.locate(1.0, 0.5), Some(first));
    }
}
