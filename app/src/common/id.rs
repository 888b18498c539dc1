//! Typed record ids: `UUIDv7`, generated wherever a record is created (the phone can create offline).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! typed_id {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(value_type = String, format = Uuid))]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            pub fn parse(raw: &str) -> Option<Self> {
                Uuid::parse_str(raw.trim()).ok().map(Self)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    )*};
}

typed_id!(
    UserId,
    ApiKeyId,
    TerritoryId,
    ContactId,
    ListingId,
    DealId,
    AppointmentId,
    VisitId,
    ActivityId,
    TaskId,
    FeedbackId,
    PhotoId,
    RequirementId,
    NotificationId,
    TemplateId,
    FormId,
    EmailId,
    CampaignId,
    FieldId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_time_ordered_v7() {
        let a = ContactId::new();
        let b = ContactId::new();
        assert_eq!(a.0.get_version_num(), 7);
        assert!(a < b);
        assert_eq!(ContactId::parse(&a.to_string()), Some(a));
        assert_eq!(ContactId::parse("nope"), None);
    }
}
