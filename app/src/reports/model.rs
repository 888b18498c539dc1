//! What a report or dashboard is asked for and what it answers.

use super::period::Period;
use super::table::Table;
use crate::common::{Expected, FieldError, FieldErrors, Money, TerritoryId, UserId};
use crate::listings::ListingKind;
use crate::users::Language;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The reports, each grouped its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ReportName {
    /// Field work per rep: visits, calls, leads, deals, feedback.
    Reps,
    /// Per territory: contacts, coverage, visits, leads, listings.
    Territories,
    /// Per pipeline stage: deals, value, conversion, time in stage.
    Pipeline,
    /// Per listing status: count and days on market.
    Listings,
    /// CSAT and NPS per day or week.
    Feedback,
    /// Retention, lifetime value, referral rate, NPS, CSAT, win rate.
    Customers,
    /// The check-out form's answers: per question and answer, counts and shares (or averages
    /// of numbers), for all reps and each rep.
    VisitAnswers,
    /// Contacts and deals by the answers of the business's own choice fields: how many came
    /// in with each answer, and the deals won from them.
    ByField,
}

impl ReportName {
    pub const ALL: [ReportName; 8] = [
        ReportName::Reps,
        ReportName::Territories,
        ReportName::Pipeline,
        ReportName::Listings,
        ReportName::Feedback,
        ReportName::Customers,
        ReportName::VisitAnswers,
        ReportName::ByField,
    ];

    /// The reports the manager dashboard shows (a visit form's answers have their own page).
    pub const ON_DASHBOARD: [ReportName; 6] = [
        ReportName::Reps,
        ReportName::Territories,
        ReportName::Pipeline,
        ReportName::Listings,
        ReportName::Feedback,
        ReportName::Customers,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportName::Reps => "reps",
            ReportName::Territories => "territories",
            ReportName::Pipeline => "pipeline",
            ReportName::Listings => "listings",
            ReportName::Feedback => "feedback",
            ReportName::Customers => "customers",
            ReportName::VisitAnswers => "visit_answers",
            ReportName::ByField => "by_field",
        }
    }

    pub fn parse(raw: &str) -> Option<ReportName> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    pub fn title(self, language: Language) -> &'static str {
        match (self, language) {
            (ReportName::Reps, Language::En) => "Activity by rep",
            (ReportName::Reps, Language::Bn) => "প্রতিনিধি অনুযায়ী কাজ",
            (ReportName::Territories, Language::En) => "Activity by territory",
            (ReportName::Territories, Language::Bn) => "এলাকা অনুযায়ী কাজ",
            (ReportName::Pipeline, Language::En) => "Pipeline by stage",
            (ReportName::Pipeline, Language::Bn) => "ধাপ অনুযায়ী পাইপলাইন",
            (ReportName::Listings, Language::En) => "Listings by status",
            (ReportName::Listings, Language::Bn) => "অবস্থা অনুযায়ী লিস্টিং",
            (ReportName::Feedback, Language::En) => "Feedback over time",
            (ReportName::Feedback, Language::Bn) => "সময়ের সাথে মতামত",
            (ReportName::Customers, Language::En) => "Customer metrics",
            (ReportName::Customers, Language::Bn) => "গ্রাহক মাপকাঠি",
            (ReportName::VisitAnswers, Language::En) => "Visit answers",
            (ReportName::VisitAnswers, Language::Bn) => "ভিজিটের উত্তর",
            (ReportName::ByField, Language::En) => "Leads and deals by field",
            (ReportName::ByField, Language::Bn) => "ফিল্ড অনুযায়ী লিড ও ডিল",
        }
    }
}

/// A report's query string: `from`/`to` are local dates in the reader's time zone, both
/// included (default: the last 30 days).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct ReportQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    /// Only this rep's work.
    pub rep: Option<String>,
    /// Only contacts (and listings) in this territory.
    pub territory: Option<String>,
    /// Only contacts with this tag (a segment).
    pub tag: Option<String>,
    /// Only contacts whose own fields pass these conditions, as the contact list takes them
    /// (`preferred_area=gulshan,banani;budget~1000..`).
    pub custom: Option<String>,
    /// Only listings of this kind (`apartment`, `house`, …).
    pub listing_kind: Option<String>,
    /// Coverage counts visits in this many days up to the period's end (1–365, default 30).
    pub coverage_days: Option<i64>,
}

/// A checked [`ReportQuery`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFilter {
    pub period: Period,
    pub rep: Option<UserId>,
    pub territory: Option<TerritoryId>,
    pub tag: Option<String>,
    /// The raw conditions on contacts' own fields (checked against the definitions by the
    /// server).
    pub custom: Option<String>,
    pub listing_kind: Option<ListingKind>,
    pub coverage_days: i64,
}

fn blank(v: Option<&String>) -> Option<&str> {
    v.map(|v| v.trim()).filter(|s| !s.is_empty())
}

fn date(e: &mut FieldErrors, field: &str, v: Option<&String>) -> Option<NaiveDate> {
    let raw = blank(v)?;
    e.check(field, raw.parse().map_err(|_| FieldError::MustBe { expected: Expected::Date }))
}

impl ReportQuery {
    /// Checks every field, naming each one that is wrong.
    pub fn filter(&self, today: NaiveDate) -> Result<ReportFilter, FieldErrors> {
        let mut e = FieldErrors::new();
        let from = date(&mut e, "from", self.from.as_ref());
        let to = date(&mut e, "to", self.to.as_ref());
        let period = match Period::parse(from, to, today) {
            Ok(p) => Some(p),
            Err(errors) => {
                e.0.extend(errors.0);
                None
            }
        };
        let rep = blank(self.rep.as_ref()).and_then(|r| e.check("rep", UserId::parse(r).ok_or(FieldError::NotAllowed)));
        let territory = blank(self.territory.as_ref())
            .and_then(|t| e.check("territory", TerritoryId::parse(t).ok_or(FieldError::NotAllowed)));
        let tag = blank(self.tag.as_ref()).map(str::to_lowercase);
        if tag.as_ref().is_some_and(|t| t.chars().count() > 50) {
            e.add("tag", FieldError::TooLong { max: 50 });
        }
        let listing_kind = blank(self.listing_kind.as_ref())
            .and_then(|k| e.check("listing_kind", ListingKind::parse(k).ok_or(FieldError::NotAllowed)));
        let coverage_days = self.coverage_days.unwrap_or(30);
        if !(1..=365).contains(&coverage_days) {
            e.add("coverage_days", FieldError::Invalid { reason: "must be between 1 and 365".into() });
        }
        e.into_result(|| ReportFilter {
            period: period.unwrap_or_else(|| Period::last_days(today, 30)),
            rep,
            territory,
            tag,
            custom: blank(self.custom.as_ref()).map(str::to_string),
            listing_kind,
            coverage_days,
        })
    }

    /// The query string (without `?`) for a filter, as links and exports carry it.
    pub fn of(filter: &ReportFilter) -> ReportQuery {
        ReportQuery {
            from: Some(filter.period.from.to_string()),
            to: Some(filter.period.to.to_string()),
            rep: filter.rep.map(|r| r.to_string()),
            territory: filter.territory.map(|t| t.to_string()),
            tag: filter.tag.clone(),
            custom: filter.custom.clone(),
            listing_kind: filter.listing_kind.map(|k| k.as_str().to_string()),
            coverage_days: (filter.coverage_days != 30).then_some(filter.coverage_days),
        }
    }

    /// The query string, `?from=…&to=…`, with empty fields left out.
    pub fn to_query_string(&self) -> String {
        let coverage = self.coverage_days.map(|d| d.to_string()).unwrap_or_default();
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let (from, to, rep, territory, tag, custom, kind) = (
            text(&self.from),
            text(&self.to),
            text(&self.rep),
            text(&self.territory),
            text(&self.tag),
            text(&self.custom),
            text(&self.listing_kind),
        );
        crate::client::query(&[
            ("from", &from),
            ("to", &to),
            ("rep", &rep),
            ("territory", &territory),
            ("tag", &tag),
            ("custom", &custom),
            ("listing_kind", &kind),
            ("coverage_days", &coverage),
        ])
    }
}

/// A rep's own numbers for today and this week (phone first). Each number links to the records
/// behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RepDashboard {
    /// The rep's local date.
    pub today: NaiveDate,
    /// Visits checked in today.
    pub visits_done: i64,
    /// Meetings and showings scheduled for today (not cancelled).
    pub visits_planned: i64,
    /// Open follow-ups due later today.
    pub follow_ups_due: i64,
    /// Open follow-ups past due.
    pub follow_ups_overdue: i64,
    /// Leads the rep owns created since Monday.
    pub new_leads_week: i64,
    /// Open deals (inquiry, proposal, negotiation) the rep owns.
    pub open_deals: i64,
    /// Their value, per currency.
    pub open_value: Vec<Money>,
    /// Share of 4–5 CSAT answers about the rep's visits in the last 90 days.
    pub csat: Option<f64>,
    pub csat_answers: i64,
    /// NPS of answers about the rep's visits in the last 90 days.
    pub nps: Option<f64>,
    pub nps_answers: i64,
}

/// A metric with its value and definition, for the cards above the manager's tables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Figure {
    pub key: String,
    pub label: String,
    pub value: String,
    pub definition: String,
}

/// Everything the manager's dashboard shows for one filter, in one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ManagerDashboard {
    pub period: Period,
    /// The filter the figures are for, as the server read it.
    pub query: ReportQuery,
    pub figures: Vec<Figure>,
    pub tables: Vec<Table>,
}

impl ManagerDashboard {
    pub fn table(&self, name: ReportName) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        "2026-12-02".parse().unwrap()
    }

    #[test]
    fn a_query_names_every_wrong_field() {
        let q = ReportQuery {
            from: Some("yesterday".into()),
            rep: Some("nobody".into()),
            listing_kind: Some("castle".into()),
            coverage_days: Some(0),
            ..ReportQuery::default()
        };
        let e = q.filter(today()).unwrap_err();
        let fields: Vec<_> = e.0.keys().cloned().collect();
        assert_eq!(fields, vec!["coverage_days", "from", "listing_kind", "rep"]);
    }

    #[test]
    fn a_filter_goes_back_to_the_same_query_string() {
        let q = ReportQuery {
            from: Some("2026-11-01".into()),
            to: Some("2026-11-30".into()),
            tag: Some(" VIP ".into()),
            listing_kind: Some("house".into()),
            ..ReportQuery::default()
        };
        let f = q.filter(today()).unwrap();
        assert_eq!(f.tag.as_deref(), Some("vip"));
        assert_eq!(ReportQuery::of(&f).to_query_string(), "?from=2026-11-01&to=2026-11-30&tag=vip&listing_kind=house");
        assert_eq!(ReportName::parse("pipeline"), Some(ReportName::Pipeline));
        assert_eq!(ReportName::parse("secrets"), None);
    }
}
