//! Field visits: check-in and check-out with position, at a contact or a listing.

use crate::common::{AppointmentId, ContactId, GeoPoint, ListingId, UserId, VisitId};
use serde::{Deserialize, Serialize};

/// Check-ins farther than this from the target are flagged for the manager.
pub const FAR_CHECK_IN_M: f64 = 300.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Visit {
    pub id: VisitId,
    pub rep_id: UserId,
    pub contact_id: Option<ContactId>,
    pub listing_id: Option<ListingId>,
    pub appointment_id: Option<AppointmentId>,
    pub check_in_at: chrono::DateTime<chrono::Utc>,
    pub check_in_position: Option<GeoPoint>,
    pub check_in_accuracy_m: Option<f64>,
    pub distance_m: Option<f64>,
    pub check_out_at: Option<chrono::DateTime<chrono::Utc>>,
    pub outcome: Option<String>,
    pub notes: Option<String>,
    pub version: i64,
}

impl Visit {
    pub fn is_far(&self) -> bool {
        self.distance_m.is_some_and(|d| d > FAR_CHECK_IN_M)
    }
}
