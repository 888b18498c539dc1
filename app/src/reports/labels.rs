//! Column headings of the reports, in each language the app speaks.

use super::table::Column;
use crate::users::Language;
use serde::{Deserialize, Serialize};

/// The stable name of a report's column (`visits_done`): what a table's [`Column::key`] holds on
/// the wire, in exports and for charts. Each has a heading in [`heading`]; a new column without
/// one does not compile.
///
/// [`Column::key`]: super::Column::key
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKey {
    Rep,
    VisitsPlanned,
    VisitsDone,
    VisitsFar,
    Calls,
    NewLeads,
    DealsWon,
    WonValue,
    WinRate,
    FeedbackAnswers,
    Csat,
    Nps,
    Territory,
    Contacts,
    VisitedRecently,
    Coverage,
    Visits,
    ListingsActive,
    Stage,
    Deals,
    Value,
    Entered,
    Conversion,
    DaysInStage,
    Status,
    Listings,
    DaysOnMarket,
    Bucket,
    Answers,
    Metric,
    Figure,
    Definition,
    Question,
    Answer,
    Share,
    Average,
    Field,
    NewInPeriod,
}

impl ColumnKey {
    /// Every column a report uses.
    pub const ALL: [ColumnKey; 38] = [
        ColumnKey::Rep,
        ColumnKey::VisitsPlanned,
        ColumnKey::VisitsDone,
        ColumnKey::VisitsFar,
        ColumnKey::Calls,
        ColumnKey::NewLeads,
        ColumnKey::DealsWon,
        ColumnKey::WonValue,
        ColumnKey::WinRate,
        ColumnKey::FeedbackAnswers,
        ColumnKey::Csat,
        ColumnKey::Nps,
        ColumnKey::Territory,
        ColumnKey::Contacts,
        ColumnKey::VisitedRecently,
        ColumnKey::Coverage,
        ColumnKey::Visits,
        ColumnKey::ListingsActive,
        ColumnKey::Stage,
        ColumnKey::Deals,
        ColumnKey::Value,
        ColumnKey::Entered,
        ColumnKey::Conversion,
        ColumnKey::DaysInStage,
        ColumnKey::Status,
        ColumnKey::Listings,
        ColumnKey::DaysOnMarket,
        ColumnKey::Bucket,
        ColumnKey::Answers,
        ColumnKey::Metric,
        ColumnKey::Figure,
        ColumnKey::Definition,
        ColumnKey::Question,
        ColumnKey::Answer,
        ColumnKey::Share,
        ColumnKey::Average,
        ColumnKey::Field,
        ColumnKey::NewInPeriod,
    ];

    /// The key as the wire, the exports and the charts name it (serde writes the same).
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnKey::Rep => "rep",
            ColumnKey::VisitsPlanned => "visits_planned",
            ColumnKey::VisitsDone => "visits_done",
            ColumnKey::VisitsFar => "visits_far",
            ColumnKey::Calls => "calls",
            ColumnKey::NewLeads => "new_leads",
            ColumnKey::DealsWon => "deals_won",
            ColumnKey::WonValue => "won_value",
            ColumnKey::WinRate => "win_rate",
            ColumnKey::FeedbackAnswers => "feedback_answers",
            ColumnKey::Csat => "csat",
            ColumnKey::Nps => "nps",
            ColumnKey::Territory => "territory",
            ColumnKey::Contacts => "contacts",
            ColumnKey::VisitedRecently => "visited_recently",
            ColumnKey::Coverage => "coverage",
            ColumnKey::Visits => "visits",
            ColumnKey::ListingsActive => "listings_active",
            ColumnKey::Stage => "stage",
            ColumnKey::Deals => "deals",
            ColumnKey::Value => "value",
            ColumnKey::Entered => "entered",
            ColumnKey::Conversion => "conversion",
            ColumnKey::DaysInStage => "days_in_stage",
            ColumnKey::Status => "status",
            ColumnKey::Listings => "listings",
            ColumnKey::DaysOnMarket => "days_on_market",
            ColumnKey::Bucket => "bucket",
            ColumnKey::Answers => "answers",
            ColumnKey::Metric => "metric",
            ColumnKey::Figure => "figure",
            ColumnKey::Definition => "definition",
            ColumnKey::Question => "question",
            ColumnKey::Answer => "answer",
            ColumnKey::Share => "share",
            ColumnKey::Average => "average",
            ColumnKey::Field => "field",
            ColumnKey::NewInPeriod => "new_in_period",
        }
    }
}

/// The column `key` with its heading in `language`, as a table carries it.
pub fn column(key: ColumnKey, language: Language) -> Column {
    Column { key: key.as_str().into(), label: heading(key, language) }
}

/// The heading of column `key`.
pub fn heading(key: ColumnKey, language: Language) -> String {
    let (en, bn) = match key {
        ColumnKey::Rep => ("Rep", "প্রতিনিধি"),
        ColumnKey::VisitsPlanned => ("Visits planned", "পরিকল্পিত ভিজিট"),
        ColumnKey::VisitsDone => ("Visits done", "সম্পন্ন ভিজিট"),
        ColumnKey::VisitsFar => ("Check-ins far from target", "লক্ষ্য থেকে দূরে চেক-ইন"),
        ColumnKey::Calls => ("Calls logged", "কল লগ"),
        ColumnKey::NewLeads => ("New leads", "নতুন লিড"),
        ColumnKey::DealsWon => ("Deals won", "জেতা ডিল"),
        ColumnKey::WonValue => ("Won value", "জেতা মূল্য"),
        ColumnKey::WinRate => ("Win rate", "জয়ের হার"),
        ColumnKey::FeedbackAnswers => ("Feedback answers", "মতামতের উত্তর"),
        ColumnKey::Csat => ("CSAT", "সিস্যাট"),
        ColumnKey::Nps => ("NPS", "এনপিএস"),
        ColumnKey::Territory => ("Territory", "এলাকা"),
        ColumnKey::Contacts => ("Contacts", "যোগাযোগ"),
        ColumnKey::VisitedRecently => ("Visited recently", "সম্প্রতি ভিজিট"),
        ColumnKey::Coverage => ("Coverage", "কভারেজ"),
        ColumnKey::Visits => ("Visits", "ভিজিট"),
        ColumnKey::ListingsActive => ("Listings on the market", "বাজারে লিস্টিং"),
        ColumnKey::Stage => ("Stage", "ধাপ"),
        ColumnKey::Deals => ("Deals now", "এখন ডিল"),
        ColumnKey::Value => ("Value now", "এখন মূল্য"),
        ColumnKey::Entered => ("Entered in period", "এই সময়ে এসেছে"),
        ColumnKey::Conversion => ("To next stage", "পরের ধাপে"),
        ColumnKey::DaysInStage => ("Avg. days in stage", "ধাপে গড় দিন"),
        ColumnKey::Status => ("Status", "অবস্থা"),
        ColumnKey::Listings => ("Listings", "লিস্টিং"),
        ColumnKey::DaysOnMarket => ("Avg. days on market", "বাজারে গড় দিন"),
        ColumnKey::Metric => ("Metric", "মাপকাঠি"),
        ColumnKey::Figure => ("Value", "মান"),
        ColumnKey::Definition => ("Definition", "সংজ্ঞা"),
        ColumnKey::Bucket => ("Period", "সময়"),
        ColumnKey::Answers => ("Answers", "উত্তর"),
        ColumnKey::Question => ("Question", "প্রশ্ন"),
        ColumnKey::Answer => ("Answer", "উত্তর"),
        ColumnKey::Share => ("Share of answers", "উত্তরের অংশ"),
        ColumnKey::Average => ("Average", "গড়"),
        ColumnKey::Field => ("Field", "ফিল্ড"),
        ColumnKey::NewInPeriod => ("New in period", "এই সময়ে নতুন"),
    };
    match language {
        Language::En => en.to_string(),
        Language::Bn => bn.to_string(),
    }
}

/// What the row of every rep together starts with.
pub fn all_reps(language: Language) -> String {
    match language {
        Language::En => "All reps".into(),
        Language::Bn => "সব প্রতিনিধি".into(),
    }
}

/// The kind of record a row is about ("Contact", "Deal"…).
pub fn record(record: crate::fields::RecordType, language: Language) -> &'static str {
    use crate::fields::RecordType;
    match (record, language) {
        (RecordType::Contact, Language::En) => "Contact",
        (RecordType::Contact, Language::Bn) => "যোগাযোগ",
        (RecordType::Deal, Language::En) => "Deal",
        (RecordType::Deal, Language::Bn) => "ডিল",
        (RecordType::Listing, Language::En) => "Listing",
        (RecordType::Listing, Language::Bn) => "লিস্টিং",
        (RecordType::Appointment, Language::En) => "Appointment",
        (RecordType::Appointment, Language::Bn) => "অ্যাপয়েন্টমেন্ট",
        (RecordType::Visit, Language::En) => "Visit",
        (RecordType::Visit, Language::Bn) => "ভিজিট",
    }
}

/// What a totals row starts with.
pub fn total(language: Language) -> String {
    match language {
        Language::En => "Total".into(),
        Language::Bn => "মোট".into(),
    }
}

/// A pipeline stage's name in a report.
pub fn stage(stage: crate::deals::DealStage, language: Language) -> &'static str {
    use crate::deals::DealStage::*;
    match (stage, language) {
        (Inquiry, Language::En) => "Inquiry",
        (Inquiry, Language::Bn) => "অনুসন্ধান",
        (Proposal, Language::En) => "Proposal",
        (Proposal, Language::Bn) => "প্রস্তাব",
        (Negotiation, Language::En) => "Negotiation",
        (Negotiation, Language::Bn) => "দর-কষাকষি",
        (Won, Language::En) => "Won",
        (Won, Language::Bn) => "জেতা",
        (Lost, Language::En) => "Lost",
        (Lost, Language::Bn) => "হারানো",
    }
}

/// A listing status's name in a report.
pub fn listing_status(status: crate::listings::ListingStatus, language: Language) -> &'static str {
    use crate::listings::ListingStatus::*;
    match (status, language) {
        (Draft, Language::En) => "Draft",
        (Draft, Language::Bn) => "খসড়া",
        (Available, Language::En) => "Available",
        (Available, Language::Bn) => "পাওয়া যাচ্ছে",
        (UnderOffer, Language::En) => "Under offer",
        (UnderOffer, Language::Bn) => "প্রস্তাবাধীন",
        (Sold, Language::En) => "Sold",
        (Sold, Language::Bn) => "বিক্রি হয়েছে",
        (Rented, Language::En) => "Rented",
        (Rented, Language::Bn) => "ভাড়া হয়েছে",
        (Withdrawn, Language::En) => "Withdrawn",
        (Withdrawn, Language::Bn) => "প্রত্যাহার",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_has_a_heading_in_both_languages() {
        for key in ColumnKey::ALL {
            assert_ne!(heading(key, Language::En), key.as_str(), "{key:?}");
            assert_ne!(heading(key, Language::Bn), heading(key, Language::En), "{key:?}");
        }
    }

    #[test]
    fn a_columns_key_is_its_serde_name_and_each_is_listed_once() {
        for key in ColumnKey::ALL {
            assert_eq!(serde_json::to_value(key).unwrap(), key.as_str(), "{key:?}");
            assert_eq!(serde_json::from_value::<ColumnKey>(key.as_str().into()).unwrap(), key);
        }
        let distinct: std::collections::HashSet<_> = ColumnKey::ALL.into_iter().collect();
        assert_eq!(distinct.len(), ColumnKey::ALL.len());
        assert_eq!(column(ColumnKey::VisitsDone, Language::En).key, "visits_done");
    }
}
