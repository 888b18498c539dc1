//! What each notification says, in the recipient's language and time zone.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use fieldwork_app::notifications::NotificationKind;
use fieldwork_app::users::Language;

/// Something a user is told about.
#[derive(Debug, Clone)]
pub enum Notice {
    Reminder { appointment: String, title: String, starts_at: DateTime<Utc>, address: Option<String> },
    Agenda { date: NaiveDate, items: Vec<(DateTime<Utc>, String)> },
    Appointment { appointment: String, title: String, starts_at: DateTime<Utc>, by: String },
    Territory { territory: String, name: String, starts_on: NaiveDate },
    ListingMatches { listing: String, title: String, reference: String, buyers: Vec<String> },
    NewLead { contact: String, name: String, form: String },
}

/// A notice in words: the in-app title and body (the email's subject and text), and the path
/// in the app it links to.
#[derive(Debug, Clone, PartialEq)]
pub struct Words {
    pub title: String,
    pub body: String,
    pub link: String,
}

fn when(at: DateTime<Utc>, zone: Tz, lang: Language) -> String {
    let local = at.with_timezone(&zone);
    match lang {
        Language::En => local.format("%a %-d %b %Y, %H:%M").to_string(),
        Language::Bn => local.format("%Y-%m-%d %H:%M").to_string(),
    }
}

fn time(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%H:%M").to_string()
}

impl Notice {
    pub fn kind(&self) -> NotificationKind {
        match self {
            Notice::Reminder { .. } => NotificationKind::Reminder,
            Notice::Agenda { .. } => NotificationKind::Agenda,
            Notice::Appointment { .. } => NotificationKind::Appointment,
            Notice::Territory { .. } => NotificationKind::Territory,
            Notice::ListingMatches { .. } => NotificationKind::ListingMatches,
            Notice::NewLead { .. } => NotificationKind::NewLead,
        }
    }

    pub fn words(&self, lang: Language, zone: Tz) -> Words {
        use Language::{Bn, En};
        match self {
            Notice::Reminder { appointment, title, starts_at, address } => {
                let at = when(*starts_at, zone, lang);
                let place = address.as_deref().map(|a| format!("\n{a}")).unwrap_or_default();
                Words {
                    title: match lang {
                        En => format!("Reminder: {title} at {}", time(*starts_at, zone)),
                        Bn => format!("রিমাইন্ডার: {title}, {}", time(*starts_at, zone)),
                    },
                    body: match lang {
                        En => format!("{title}\n{at} ({zone}){place}"),
                        Bn => format!("{title}\n{at} ({zone}){place}"),
                    },
                    link: format!("/calendar?appointment={appointment}"),
                }
            }
            Notice::Agenda { date, items } => {
                let lines: Vec<String> =
                    items.iter().map(|(at, what)| format!("{}  {what}", time(*at, zone))).collect();
                Words {
                    title: match lang {
                        En => format!("Your day, {}: {} appointments", date.format("%a %-d %b"), items.len()),
                        Bn => format!("আজকের সূচি, {}: {}টি অ্যাপয়েন্টমেন্ট", date.format("%Y-%m-%d"), items.len()),
                    },
                    body: lines.join("\n"),
                    link: "/".into(),
                }
            }
            Notice::Appointment { appointment, title, starts_at, by } => Words {
                title: match lang {
                    En => format!("New appointment: {title}"),
                    Bn => format!("নতুন অ্যাপয়েন্টমেন্ট: {title}"),
                },
                body: match lang {
                    En => format!("{by} scheduled {title} for you on {}.", when(*starts_at, zone, lang)),
                    Bn => format!("{by} আপনার জন্য {title} নির্ধারণ করেছেন: {}।", when(*starts_at, zone, lang)),
                },
                link: format!("/calendar?appointment={appointment}"),
            },
            Notice::Territory { territory, name, starts_on } => Words {
                title: match lang {
                    En => format!("You were assigned territory {name}"),
                    Bn => format!("আপনাকে এলাকা {name} দেওয়া হয়েছে"),
                },
                body: match lang {
                    En => format!("From {starts_on}, {name} is yours: its contacts and listings come to your phone."),
                    Bn => format!("{starts_on} থেকে {name} আপনার: এর কনট্যাক্ট ও লিস্টিং আপনার ফোনে আসবে।"),
                },
                link: format!("/territories?territory={territory}"),
            },
            Notice::ListingMatches { listing, title, reference, buyers } => Words {
                title: match (lang, buyers.len()) {
                    (En, 1) => format!("New listing for {}: {title}", buyers[0]),
                    (En, n) => format!("New listing for {n} of your buyers: {title}"),
                    (Bn, n) => format!("আপনার {n} জন ক্রেতার জন্য নতুন লিস্টিং: {title}"),
                },
                body: match lang {
                    En => format!("{reference} — matches {}", buyers.join(", ")),
                    Bn => format!("{reference} — মিলেছে: {}", buyers.join(", ")),
                },
                link: format!("/listings/{listing}"),
            },
            Notice::NewLead { contact, name, form } => Words {
                title: match lang {
                    En => format!("New lead from {form}: {name}"),
                    Bn => format!("{form} থেকে নতুন লিড: {name}"),
                },
                body: match lang {
                    En => format!("{name} sent the form {form}. Call back while it is fresh."),
                    Bn => format!("{name} {form} ফর্ম পাঠিয়েছেন। দ্রুত যোগাযোগ করুন।"),
                },
                link: format!("/contacts/{contact}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_are_told_in_the_recipients_zone_and_language() {
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 3, 30, 0).unwrap();
        let notice =
            Notice::Reminder { appointment: "a".into(), title: "Showing".into(), starts_at: at, address: None };
        let dhaka = notice.words(Language::En, chrono_tz::Asia::Dhaka);
        assert_eq!(dhaka.title, "Reminder: Showing at 09:30");
        assert!(dhaka.body.contains("Wed 25 Nov 2026, 09:30 (Asia/Dhaka)"), "{}", dhaka.body);
        let ny = notice.words(Language::Bn, chrono_tz::America::New_York);
        assert_eq!(ny.title, "রিমাইন্ডার: Showing, 22:30");
        assert!(ny.body.contains("2026-11-24 22:30"), "{}", ny.body);
    }
}
