//! Column headings of the reports, in each language the app speaks.

use crate::users::Language;

/// Every column key a report uses.
pub const KEYS: [&str; 32] = [
    "rep",
    "visits_planned",
    "visits_done",
    "visits_far",
    "calls",
    "new_leads",
    "deals_won",
    "won_value",
    "win_rate",
    "feedback_answers",
    "csat",
    "nps",
    "territory",
    "contacts",
    "visited_recently",
    "coverage",
    "visits",
    "listings_active",
    "stage",
    "deals",
    "value",
    "entered",
    "conversion",
    "days_in_stage",
    "status",
    "listings",
    "days_on_market",
    "bucket",
    "answers",
    "metric",
    "figure",
    "definition",
];

/// The heading of column `key` (the key itself for one this list does not know).
pub fn heading(key: &str, language: Language) -> String {
    let (en, bn) = match key {
        "rep" => ("Rep", "প্রতিনিধি"),
        "visits_planned" => ("Visits planned", "পরিকল্পিত ভিজিট"),
        "visits_done" => ("Visits done", "সম্পন্ন ভিজিট"),
        "visits_far" => ("Check-ins far from target", "লক্ষ্য থেকে দূরে চেক-ইন"),
        "calls" => ("Calls logged", "কল লগ"),
        "new_leads" => ("New leads", "নতুন লিড"),
        "deals_won" => ("Deals won", "জেতা ডিল"),
        "won_value" => ("Won value", "জেতা মূল্য"),
        "win_rate" => ("Win rate", "জয়ের হার"),
        "feedback_answers" => ("Feedback answers", "মতামতের উত্তর"),
        "csat" => ("CSAT", "সিস্যাট"),
        "nps" => ("NPS", "এনপিএস"),
        "territory" => ("Territory", "এলাকা"),
        "contacts" => ("Contacts", "যোগাযোগ"),
        "visited_recently" => ("Visited recently", "সম্প্রতি ভিজিট"),
        "coverage" => ("Coverage", "কভারেজ"),
        "visits" => ("Visits", "ভিজিট"),
        "listings_active" => ("Listings on the market", "বাজারে লিস্টিং"),
        "stage" => ("Stage", "ধাপ"),
        "deals" => ("Deals now", "এখন ডিল"),
        "value" => ("Value now", "এখন মূল্য"),
        "entered" => ("Entered in period", "এই সময়ে এসেছে"),
        "conversion" => ("To next stage", "পরের ধাপে"),
        "days_in_stage" => ("Avg. days in stage", "ধাপে গড় দিন"),
        "status" => ("Status", "অবস্থা"),
        "listings" => ("Listings", "লিস্টিং"),
        "days_on_market" => ("Avg. days on market", "বাজারে গড় দিন"),
        "metric" => ("Metric", "মাপকাঠি"),
        "figure" => ("Value", "মান"),
        "definition" => ("Definition", "সংজ্ঞা"),
        "bucket" => ("Period", "সময়"),
        "answers" => ("Answers", "উত্তর"),
        _ => return key.to_string(),
    };
    match language {
        Language::En => en.to_string(),
        Language::Bn => bn.to_string(),
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
        for key in KEYS {
            assert_ne!(heading(key, Language::En), key, "{key}");
            assert_ne!(heading(key, Language::Bn), heading(key, Language::En), "{key}");
        }
    }
}
