//! The formulas behind every rate and score the reports show, and the sentence that defines
//! each one next to its number. No figure divides by zero: an empty denominator is "no data"
//! (`None`), never 0 % and never a panic.

use crate::users::Language;

/// `part` of `whole` in percent, or None when there is nothing to divide by.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// A mean of `total` over `count`, or None for no items.
pub fn mean(total: f64, count: i64) -> Option<f64> {
    (count > 0).then(|| total / count as f64)
}

/// Counts of answered feedback, enough for CSAT and NPS.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scores {
    /// Answers with a CSAT score (1–5).
    pub csat_answers: i64,
    /// Of those, scores of 4 or 5.
    pub satisfied: i64,
    /// Answers with an NPS score (0–10).
    pub nps_answers: i64,
    /// Of those, 9 or 10.
    pub promoters: i64,
    /// Of those, 0 to 6.
    pub detractors: i64,
}

impl Scores {
    /// CSAT: the share of CSAT answers that are 4 or 5, in percent.
    pub fn csat(&self) -> Option<f64> {
        percent(self.satisfied, self.csat_answers)
    }

    /// NPS: promoters minus detractors, in percent of NPS answers (−100 to +100).
    pub fn nps(&self) -> Option<f64> {
        (self.nps_answers > 0).then(|| (self.promoters - self.detractors) as f64 * 100.0 / self.nps_answers as f64)
    }

    /// Both sets of answers together.
    pub fn plus(self, other: Scores) -> Scores {
        Scores {
            csat_answers: self.csat_answers + other.csat_answers,
            satisfied: self.satisfied + other.satisfied,
            nps_answers: self.nps_answers + other.nps_answers,
            promoters: self.promoters + other.promoters,
            detractors: self.detractors + other.detractors,
        }
    }
}

/// Customer retention over a period: `(E − N) / S`, with S the customers at its start, E at
/// its end and N the customers won during it.
pub fn retention(at_start: i64, at_end: i64, new: i64) -> Option<f64> {
    percent((at_end - new).max(0), at_start)
}

/// The named figures of the customer report, each with its definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Retention,
    LifetimeValue,
    Referral,
    Nps,
    Csat,
    WinRate,
    Coverage,
    Conversion,
    DaysInStage,
    DaysOnMarket,
}

impl Metric {
    pub fn key(self) -> &'static str {
        match self {
            Metric::Retention => "retention",
            Metric::LifetimeValue => "lifetime_value",
            Metric::Referral => "referral_rate",
            Metric::Nps => "nps",
            Metric::Csat => "csat",
            Metric::WinRate => "win_rate",
            Metric::Coverage => "coverage",
            Metric::Conversion => "conversion",
            Metric::DaysInStage => "days_in_stage",
            Metric::DaysOnMarket => "days_on_market",
        }
    }

    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (Metric::Retention, Language::En) => "Retention rate",
            (Metric::Retention, Language::Bn) => "গ্রাহক ধরে রাখার হার",
            (Metric::LifetimeValue, Language::En) => "Customer lifetime value",
            (Metric::LifetimeValue, Language::Bn) => "গ্রাহকপ্রতি আজীবন মূল্য",
            (Metric::Referral, Language::En) => "Referral rate",
            (Metric::Referral, Language::Bn) => "রেফারেলের হার",
            (Metric::Nps, Language::En) => "NPS",
            (Metric::Nps, Language::Bn) => "এনপিএস",
            (Metric::Csat, Language::En) => "CSAT",
            (Metric::Csat, Language::Bn) => "সিস্যাট",
            (Metric::WinRate, Language::En) => "Win rate",
            (Metric::WinRate, Language::Bn) => "জয়ের হার",
            (Metric::Coverage, Language::En) => "Territory coverage",
            (Metric::Coverage, Language::Bn) => "এলাকা কভারেজ",
            (Metric::Conversion, Language::En) => "Conversion to the next stage",
            (Metric::Conversion, Language::Bn) => "পরের ধাপে যাওয়ার হার",
            (Metric::DaysInStage, Language::En) => "Average days in stage",
            (Metric::DaysInStage, Language::Bn) => "ধাপে গড় দিন",
            (Metric::DaysOnMarket, Language::En) => "Average days on market",
            (Metric::DaysOnMarket, Language::Bn) => "বাজারে গড় দিন",
        }
    }

    /// The definition shown next to the number.
    pub fn definition(self, language: Language) -> &'static str {
        match (self, language) {
            (Metric::Retention, Language::En) => {
                "(customers at the end − customers won in the period) ÷ customers at the start. A customer is a contact with a won deal who is not marked inactive."
            }
            (Metric::Retention, Language::Bn) => {
                "(সময়ের শেষে গ্রাহক − এই সময়ে নতুন গ্রাহক) ÷ শুরুতে গ্রাহক। গ্রাহক মানে জেতা ডিলসহ এমন যোগাযোগ যা নিষ্ক্রিয় নয়।"
            }
            (Metric::LifetimeValue, Language::En) => {
                "Revenue from won deals up to the end of the period ÷ the number of customers with a won deal."
            }
            (Metric::LifetimeValue, Language::Bn) => "সময়ের শেষ পর্যন্ত জেতা ডিলের আয় ÷ জেতা ডিলসহ গ্রাহকের সংখ্যা।",
            (Metric::Referral, Language::En) => "Share of contacts created in the period whose source is “referral”.",
            (Metric::Referral, Language::Bn) => "এই সময়ে তৈরি যোগাযোগের মধ্যে যাদের উৎস “referral”, তাদের অংশ।",
            (Metric::Nps, Language::En) => {
                "% promoters (9–10) − % detractors (0–6) among NPS answers given in the period; from −100 to +100."
            }
            (Metric::Nps, Language::Bn) => "এই সময়ের এনপিএস উত্তরে % প্রোমোটার (৯–১০) − % ডিট্র্যাক্টর (০–৬); −১০০ থেকে +১০০।",
            (Metric::Csat, Language::En) => "Share of CSAT answers given in the period that are 4 or 5 out of 5.",
            (Metric::Csat, Language::Bn) => "এই সময়ের সিস্যাট উত্তরের মধ্যে ৫-এর মধ্যে ৪ বা ৫ পাওয়া উত্তরের অংশ।",
            (Metric::WinRate, Language::En) => "Deals won ÷ deals closed (won or lost) in the period.",
            (Metric::WinRate, Language::Bn) => "এই সময়ে জেতা ডিল ÷ বন্ধ হওয়া ডিল (জেতা বা হারানো)।",
            (Metric::Coverage, Language::En) => {
                "Share of the territory's contacts with a visit in the N days up to the end of the period."
            }
            (Metric::Coverage, Language::Bn) => "সময়ের শেষ পর্যন্ত শেষ N দিনে ভিজিট পাওয়া যোগাযোগের অংশ।",
            (Metric::Conversion, Language::En) => {
                "Of the deals that entered this stage in the period, the share that has since reached a later stage (won included, lost not)."
            }
            (Metric::Conversion, Language::Bn) => {
                "এই সময়ে এই ধাপে আসা ডিলের মধ্যে যেগুলো পরে পরের কোনো ধাপে পৌঁছেছে (জেতা সহ, হারানো নয়), তাদের অংশ।"
            }
            (Metric::DaysInStage, Language::En) => {
                "Mean time deals that left this stage in the period had spent in it, in days."
            }
            (Metric::DaysInStage, Language::Bn) => "এই সময়ে ধাপ ছেড়ে যাওয়া ডিলগুলো ধাপে গড়ে কত দিন ছিল।",
            (Metric::DaysOnMarket, Language::En) => {
                "From first available to sold or rented, or to the end of the period while still on the market, in days."
            }
            (Metric::DaysOnMarket, Language::Bn) => {
                "প্রথম বিক্রির জন্য আসা থেকে বিক্রি বা ভাড়া পর্যন্ত, অথবা এখনো বাজারে থাকলে সময়ের শেষ পর্যন্ত, দিনে।"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_to_divide_by_is_no_data_not_zero() {
        assert_eq!(percent(0, 0), None);
        assert_eq!(mean(10.0, 0), None);
        assert_eq!(Scores::default().csat(), None);
        assert_eq!(Scores::default().nps(), None);
        assert_eq!(retention(0, 5, 5), None);
    }

    #[test]
    fn csat_is_the_share_of_fours_and_fives_and_nps_is_promoters_minus_detractors() {
        // CSAT answers 5, 4, 3, 1 → 2 of 4 satisfied. NPS answers 10, 9, 8, 6, 0 → (2 − 2) / 5.
        let s = Scores { csat_answers: 4, satisfied: 2, nps_answers: 5, promoters: 2, detractors: 2 };
        assert_eq!(s.csat(), Some(50.0));
        assert_eq!(s.nps(), Some(0.0));
        let all_detractors = Scores { nps_answers: 3, detractors: 3, ..Scores::default() };
        assert_eq!(all_detractors.nps(), Some(-100.0));
        assert_eq!(s.plus(all_detractors).nps_answers, 8);
    }

    #[test]
    fn retention_leaves_out_the_customers_won_during_the_period() {
        // 10 customers at the start, 12 at the end of whom 4 are new: 8 of the 10 stayed.
        assert_eq!(retention(10, 12, 4), Some(80.0));
        assert_eq!(retention(10, 2, 4), Some(0.0));
    }

    #[test]
    fn every_metric_has_a_definition_in_both_languages() {
        use Metric::*;
        for m in
            [Retention, LifetimeValue, Referral, Nps, Csat, WinRate, Coverage, Conversion, DaysInStage, DaysOnMarket]
        {
            for l in [Language::En, Language::Bn] {
                assert!(m.definition(l).len() > 20 && !m.label(l).is_empty(), "{m:?} {l:?}");
            }
        }
    }
}
