use super::FieldError;
use serde::{Deserialize, Serialize};

/// A WGS84 position. Constructed only through [`GeoPoint::new`], so it is always in range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawPoint", into = "RawPoint")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GeoPoint {
    lat: f64,
    lon: f64,
}

/// The wire form, checked on the way in.
#[derive(Serialize, Deserialize)]
pub struct RawPoint {
    lat: f64,
    lon: f64,
}

impl GeoPoint {
    pub fn new(lat: f64, lon: f64) -> Result<Self, FieldError> {
        if lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
            Ok(Self { lat, lon })
        } else {
            Err(FieldError::InvalidLocation)
        }
    }

    pub fn lat(&self) -> f64 {
        self.lat
    }

    pub fn lon(&self) -> f64 {
        self.lon
    }

    /// Great-circle distance in metres (haversine on a spherical Earth; plenty for field work).
    pub fn distance_m(&self, other: &GeoPoint) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_008.8;
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }
}

impl TryFrom<RawPoint> for GeoPoint {
    type Error = String;
    fn try_from(p: RawPoint) -> Result<Self, String> {
        Self::new(p.lat, p.lon).map_err(|e| e.message())
    }
}

impl From<GeoPoint> for RawPoint {
    fn from(p: GeoPoint) -> RawPoint {
        RawPoint { lat: p.lat, lon: p.lon }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_and_non_finite_positions_are_rejected() {
        assert!(GeoPoint::new(91.0, 0.0).is_err());
        assert!(GeoPoint::new(0.0, -180.5).is_err());
        assert!(GeoPoint::new(f64::NAN, 0.0).is_err());
        assert!(GeoPoint::new(23.78, 90.41).is_ok());
    }

    #[test]
    fn distance_between_gulshan_and_dhanmondi_is_about_six_km() {
        let gulshan = GeoPoint::new(23.7925, 90.4078).unwrap();
        let dhanmondi = GeoPoint::new(23.7461, 90.3742).unwrap();
        let d = gulshan.distance_m(&dhanmondi);
        assert!((5_800.0..6_300.0).contains(&d), "{d}");
    }

    #[test]
    fn json_with_an_invalid_latitude_does_not_deserialize() {
        assert!(serde_json::from_str::<GeoPoint>(r#"{"lat": 123, "lon": 90}"#).is_err());
    }
}
