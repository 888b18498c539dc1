//! Spotting one person recorded twice, and folding one record into another. Shared by the
//! duplicates view, merging, and import (which offers to merge a row into the contact it
//! matches).
//!
//! Two contacts at the same company are taken for one person when their names are very
//! similar: the same words in any order ("Uddin, Rahim" / "Rahim Uddin"), one name inside the
//! other ("Md. Rahim Uddin" / "Rahim Uddin"), or words that differ by a typo ("Rahim Udin").
//! A typo must keep a word's first letter, so "Rahim" and "Karim" stay two people.

use super::{Contact, ContactChanges, NewContact, MAX_ITEMS};
use crate::common::{Email, GeoPoint, Phone};

/// A name reduced for comparison: lower-case words of letters and digits, sorted.
pub fn name_key(name: &str) -> String {
    let mut words = name_words(name);
    words.sort_unstable();
    words.join(" ")
}

fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Whether two names very probably name the same person (see the module's rules).
pub fn similar_names(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (name_words(a), name_words(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    a.sort_unstable();
    b.sort_unstable();
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    if short.len() >= 2 && short.iter().all(|w| long.contains(w)) {
        return true;
    }
    short.len() == long.len() && short.iter().zip(long.iter()).all(|(x, y)| same_word(x, y))
}

/// Equal, or long enough to carry a typo that keeps the first letter.
fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let shorter = a.chars().count().min(b.chars().count());
    let allowed = match shorter {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    };
    allowed > 0 && a.chars().next() == b.chars().next() && strsim::damerau_levenshtein(a, b) <= allowed
}

/// Groups of positions in `names` that name the same person (groups of two or more, in the
/// order of their first member). Quadratic: meant for the people of one company.
pub fn clusters(names: &[&str]) -> Vec<Vec<usize>> {
    let mut taken = vec![false; names.len()];
    let mut out = Vec::new();
    for i in 0..names.len() {
        if taken[i] {
            continue;
        }
        let group: Vec<usize> = std::iter::once(i)
            .chain((i + 1..names.len()).filter(|&j| !taken[j] && similar_names(names[i], names[j])))
            .collect();
        if group.len() > 1 {
            for &j in &group {
                taken[j] = true;
            }
            out.push(group);
        }
    }
    out
}

/// What one record brings to the record it is folded into.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    pub phones: &'a [Phone],
    pub emails: &'a [Email],
    pub tags: &'a [String],
    pub address: Option<&'a str>,
    pub location: Option<GeoPoint>,
    pub source: Option<&'a str>,
    pub notes: Option<&'a str>,
}

impl<'a> From<&'a Contact> for Incoming<'a> {
    fn from(c: &'a Contact) -> Self {
        Incoming {
            phones: &c.phones,
            emails: &c.emails,
            tags: &c.tags,
            address: c.address.as_deref(),
            location: c.location,
            source: c.source.as_deref(),
            notes: c.notes.as_deref(),
        }
    }
}

impl<'a> From<&'a NewContact> for Incoming<'a> {
    fn from(c: &'a NewContact) -> Self {
        Incoming {
            phones: &c.phones,
            emails: &c.emails,
            tags: &c.tags,
            address: c.address.as_deref(),
            location: c.location,
            source: c.source.as_deref(),
            notes: c.notes.as_deref(),
        }
    }
}

/// The changes that fold `others` into `keep`: their phones, emails and tags are added after
/// the kept ones (no repeats, at most [`MAX_ITEMS`] each), empty address, location and source
/// are filled from the first that has one, and notes are kept side by side. Nothing the kept
/// contact has is overwritten.
pub fn fold(keep: &Contact, others: &[Incoming<'_>]) -> ContactChanges {
    fn joined<T: PartialEq + Clone>(first: &[T], rest: impl Iterator<Item = T>) -> Vec<T> {
        let mut all: Vec<T> = first.to_vec();
        for item in rest {
            if !all.contains(&item) {
                all.push(item);
            }
        }
        all.truncate(MAX_ITEMS);
        all
    }
    let mut changes = ContactChanges {
        phones: Some(joined(&keep.phones, others.iter().flat_map(|o| o.phones.iter().cloned()))),
        emails: Some(joined(&keep.emails, others.iter().flat_map(|o| o.emails.iter().cloned()))),
        tags: Some(joined(&keep.tags, others.iter().flat_map(|o| o.tags.iter().cloned()))),
        ..Default::default()
    };
    if keep.address.is_none() {
        changes.address = Some(others.iter().find_map(|o| o.address.map(str::to_string)));
    }
    if keep.location.is_none() {
        changes.location = Some(others.iter().find_map(|o| o.location));
    }
    if keep.source.is_none() {
        changes.source = Some(others.iter().find_map(|o| o.source.map(str::to_string)));
    }
    let notes: Vec<&str> = keep.notes.as_deref().into_iter().chain(others.iter().filter_map(|o| o.notes)).collect();
    let mut unique_notes: Vec<&str> = Vec::new();
    for n in notes {
        if !unique_notes.contains(&n) {
            unique_notes.push(n);
        }
    }
    changes.notes = Some((!unique_notes.is_empty()).then(|| unique_notes.join("\n\n")));
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_words_in_any_order_or_case_are_the_same_name() {
        assert!(similar_names("Rahim Uddin", "uddin, RAHIM"));
        assert_eq!(name_key("Uddin,  Rahim"), "rahim uddin");
    }

    #[test]
    fn a_name_inside_a_longer_one_is_the_same_person() {
        assert!(similar_names("Md. Rahim Uddin", "Rahim Uddin"));
        // One word alone is too little to go on.
        assert!(!similar_names("Rahim", "Rahim Uddin"));
    }

    #[test]
    fn typos_that_keep_the_first_letter_are_forgiven() {
        assert!(similar_names("Rahim Udin", "Rahim Uddin"));
        assert!(similar_names("Fatema Khatun", "Fatima Khatun"));
        assert!(similar_names("Christopher Jones", "Christohper Jones"));
    }

    #[test]
    fn different_people_stay_different() {
        assert!(!similar_names("Rahim Uddin", "Karim Uddin"));
        assert!(!similar_names("Ali Khan", "Ala Khan")); // short words must match exactly
        assert!(!similar_names("Rahim Uddin", "Rahim Chowdhury"));
        assert!(!similar_names("", ""));
    }

    #[test]
    fn non_latin_names_compare_by_their_letters() {
        assert!(similar_names("রহিম উদ্দিন", "উদ্দিন রহিম"));
        assert!(!similar_names("রহিম উদ্দিন", "করিম উদ্দিন"));
    }

    #[test]
    fn clusters_group_each_person_once() {
        let names = ["Rahim Uddin", "Karim Uddin", "Uddin Rahim", "Rahim Udin", "Karim Udin", "Nusrat Jahan"];
        assert_eq!(clusters(&names), vec![vec![0, 2, 3], vec![1, 4]]);
        assert!(clusters(&["A B", "C D"]).is_empty());
    }

    fn contact(phones: &[&str], notes: Option<&str>) -> Contact {
        let json = serde_json::json!({
            "id": "018f3a3e-0000-7000-8000-000000000001", "kind": "person", "name": "Rahim Uddin",
            "company_id": null, "company_name": null, "lifecycle": "lead", "source": null, "tags": ["vip"],
            "phones": phones, "emails": [], "address": null, "location": null, "territory_id": null,
            "owner_id": null, "preferred_channel": null, "language": null, "time_zone": null,
            "consent": {"email": false, "sms": false, "calls": false}, "notes": notes, "archived": false,
            "version": 1, "created_at": "2026-11-01T00:00:00Z", "updated_at": "2026-11-01T00:00:00Z",
            "last_activity_at": null
        });
        serde_json::from_value(json).expect("a contact")
    }

    #[test]
    fn folding_adds_what_is_new_and_overwrites_nothing() {
        let keep = contact(&["+8801711000001"], Some("Met at the fair"));
        let mut other = contact(&["+8801711000001", "+8801711000002"], Some("Wants a flat"));
        other.tags = vec!["vip".into(), "buyer".into()];
        other.address = Some("House 1, Road 2".into());
        other.source = Some("import".into());
        let changes = fold(&keep, &[Incoming::from(&other)]);
        let phones: Vec<&str> =
            changes.phones.as_ref().map(|p| p.iter().map(Phone::as_str).collect()).unwrap_or_default();
        assert_eq!(phones, ["+8801711000001", "+8801711000002"]);
        assert_eq!(changes.tags, Some(vec!["vip".to_string(), "buyer".to_string()]));
        assert_eq!(changes.address, Some(Some("House 1, Road 2".into())));
        assert_eq!(changes.source, Some(Some("import".into())));
        assert_eq!(changes.notes, Some(Some("Met at the fair\n\nWants a flat".into())));
        assert_eq!(changes.name, None);
        // Folding the same notes twice does not repeat them.
        let again = fold(&keep, &[Incoming::from(&keep)]);
        assert_eq!(again.notes, Some(Some("Met at the fair".into())));
    }
}
