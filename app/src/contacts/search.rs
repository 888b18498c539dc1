//! Contact search, engine-neutral: what goes into a contact's search document, and how a typed
//! query becomes a full-text expression for `SQLite` FTS5 or `PostgreSQL` `tsquery`.
//!
//! Both engines index the same document, a space-separated list of tokens made only of
//! `[0-9a-z]`, so their tokenisers cannot disagree:
//! - words of the name, company, email addresses and tags, lower-cased; a word with other
//!   characters (Bengali script, accents) is written as the hex of its UTF-8 bytes, so a prefix
//!   of the word is still a prefix of its token;
//! - every suffix (3 digits or more) of each phone number's digits, so typing any part of a
//!   number (`1711 23`, `01711…`, `+880…`) is a prefix search.
//!
//! Typos: words of 4 letters or more also match vocabulary words within one edit (two for
//! words of 8 or more), compared with the start of the vocabulary word, so `rahm` finds
//! `rahim` and `uddni` finds `uddin`.

use crate::common::Phone;
use std::fmt::Write as _;

/// Shortest phone fragment searched for (fewer digits match too much to be useful).
pub const MIN_PHONE_DIGITS: usize = 3;

/// The words of a text, lower-cased: runs of letters, digits and Indic signs.
pub fn words(text: &str) -> Vec<String> {
    text.to_lowercase().split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

fn is_word_char(c: char) -> bool {
    // Indic scripts (U+0900–U+0DFF) spell words with combining signs that are not "alphabetic".
    c.is_alphanumeric() || (('\u{0900}'..='\u{0DFF}').contains(&c) && !matches!(c, '\u{0964}' | '\u{0965}'))
}

/// The index token of a lower-case word.
pub fn token(word: &str) -> String {
    if word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        word.to_string()
    } else {
        word.bytes().fold(String::with_capacity(word.len() * 2), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
    }
}

/// Every suffix of the number's digits with at least [`MIN_PHONE_DIGITS`] digits.
pub fn phone_tokens(phone: &Phone) -> Vec<String> {
    let digits = phone.as_str().trim_start_matches('+');
    (0..=digits.len().saturating_sub(MIN_PHONE_DIGITS)).map(|i| digits[i..].to_string()).collect()
}

/// What a contact is found by.
pub struct SearchFields<'a> {
    pub name: &'a str,
    pub company: Option<&'a str>,
    pub emails: &'a [String],
    pub phones: &'a [Phone],
    pub tags: &'a [String],
    /// The values of the business's own text fields ([`crate::fields::values::search_text`]).
    pub custom: &'a [String],
}

impl SearchFields<'_> {
    /// The text words (for the typo vocabulary): name, company and tags.
    pub fn vocabulary(&self) -> Vec<String> {
        let mut all = words(self.name);
        all.extend(self.company.map(words).unwrap_or_default());
        all.extend(self.tags.iter().flat_map(|t| words(t)));
        all.extend(self.custom.iter().flat_map(|t| words(t)));
        all.retain(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()));
        all.sort();
        all.dedup();
        all
    }

    /// The search document: unique tokens separated by spaces.
    pub fn document(&self) -> String {
        let mut tokens: Vec<String> = words(self.name).iter().map(|w| token(w)).collect();
        tokens.extend(self.company.map(words).unwrap_or_default().iter().map(|w| token(w)));
        tokens.extend(self.emails.iter().flat_map(|e| words(e)).map(|w| token(&w)));
        tokens.extend(self.tags.iter().flat_map(|t| words(t)).map(|w| token(&w)));
        tokens.extend(self.custom.iter().flat_map(|t| words(t)).map(|w| token(&w)));
        tokens.extend(self.phones.iter().flat_map(phone_tokens));
        let mut seen = std::collections::HashSet::new();
        tokens.retain(|t| seen.insert(t.clone()));
        tokens.join(" ")
    }
}

/// A parsed search: each term must match (AND); a term matches any of its alternatives as a
/// prefix (OR).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The word as typed (lower-case), or the digits of a phone fragment.
    pub word: String,
    pub is_phone: bool,
    /// Index tokens matched as prefixes: the word's own, then typo corrections.
    pub alternatives: Vec<String>,
}

impl SearchQuery {
    /// None when nothing searchable was typed.
    pub fn parse(raw: &str) -> Option<SearchQuery> {
        let raw = raw.trim();
        let phone_like =
            raw.chars().any(|c| c.is_ascii_digit()) && raw.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
        let terms: Vec<Term> = if phone_like {
            let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
            let digits = if raw.starts_with("00") { digits[2..].to_string() } else { digits };
            if digits.len() < MIN_PHONE_DIGITS {
                return None;
            }
            vec![Term { alternatives: vec![digits.clone()], word: digits, is_phone: true }]
        } else {
            words(raw)
                .into_iter()
                .take(8)
                .map(|w| Term { alternatives: vec![token(&w)], word: w, is_phone: false })
                .collect()
        };
        (!terms.is_empty()).then_some(SearchQuery { terms })
    }

    /// Words worth a typo lookup: four letters or more.
    pub fn fuzzy_words(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().filter(|t| !t.is_phone && t.word.chars().count() >= 4).map(|t| t.word.as_str())
    }

    /// Adds the vocabulary words close to each term as alternatives; false when none was added.
    pub fn widen(&mut self, vocabulary: &[String]) -> bool {
        let mut widened = false;
        for term in self.terms.iter_mut().filter(|t| !t.is_phone) {
            for candidate in vocabulary {
                let alt = token(candidate);
                if !term.alternatives.contains(&alt) && near(&term.word, candidate) {
                    term.alternatives.push(alt);
                    widened = true;
                }
            }
            term.alternatives.truncate(12);
        }
        widened
    }

    /// The `SQLite` FTS5 `MATCH` expression.
    pub fn fts5(&self) -> String {
        self.join(" AND ", " OR ", |alt| format!("\"{alt}\"*"))
    }

    /// The `PostgreSQL` `to_tsquery('simple', …)` expression.
    pub fn tsquery(&self) -> String {
        self.join(" & ", " | ", |alt| format!("{alt}:*"))
    }

    fn join(&self, and: &str, or: &str, prefix: impl Fn(&str) -> String) -> String {
        self.terms
            .iter()
            .map(|t| format!("({})", t.alternatives.iter().map(|a| prefix(a)).collect::<Vec<_>>().join(or)))
            .collect::<Vec<_>>()
            .join(and)
    }
}

/// Allowed typos in a typed word: one up to seven letters, two from eight.
fn max_edits(len: usize) -> usize {
    if len >= 8 {
        2
    } else {
        1
    }
}

/// True when `candidate` starts with something within [`max_edits`] of `typed`.
pub fn near(typed: &str, candidate: &str) -> bool {
    let len = typed.chars().count();
    let edits = max_edits(len);
    let cand: Vec<char> = candidate.chars().collect();
    (len.saturating_sub(1)..=len + 1).filter(|&k| k <= cand.len() && k > 0).any(|k| {
        let prefix: String = cand[..k].iter().collect();
        strsim::damerau_levenshtein(typed, &prefix) <= edits
    })
}

/// The first character of a word: the vocabulary is looked up by it (typos rarely hit it).
pub fn head(word: &str) -> String {
    word.chars().next().map(String::from).unwrap_or_default()
}

/// A search over the contacts this device holds, for when the server cannot be asked: every
/// typed word must start a word of the name, company, emails or tags, or be part of a phone
/// number; lifecycle, tag and archived filters apply; in the query's order; one page.
pub fn local_page(
    contacts: &[super::Contact],
    query: &super::ContactQuery,
) -> crate::common::Page<super::ContactSummary> {
    let typed = query.q.as_deref().map(words).unwrap_or_default();
    let archived = query.archived.as_deref().unwrap_or("active");
    let limit = usize::try_from(query.limit.unwrap_or(50).clamp(1, 200)).unwrap_or(50);
    let mut found: Vec<&super::Contact> = contacts
        .iter()
        .filter(|c| match archived {
            "archived" => c.archived,
            "all" => true,
            _ => !c.archived,
        })
        .filter(|c| query.lifecycle.as_deref().is_none_or(|l| c.lifecycle.as_str() == l))
        .filter(|c| query.tag.as_deref().is_none_or(|t| c.tags.iter().any(|x| x == t)))
        .filter(|c| {
            let mut haystack = words(&c.name);
            haystack.extend(c.company_name.as_deref().map(words).unwrap_or_default());
            haystack.extend(c.emails.iter().flat_map(|e| words(e.as_str())));
            haystack.extend(c.tags.iter().flat_map(|t| words(t)));
            typed.iter().all(|w| {
                haystack.iter().any(|h| h.starts_with(w.as_str()))
                    || (w.len() >= MIN_PHONE_DIGITS
                        && w.bytes().all(|b| b.is_ascii_digit())
                        && c.phones.iter().any(|p| p.as_str().contains(w.as_str())))
            })
        })
        .collect();
    let sort = query.sort.as_deref().and_then(|s| super::ContactSort::parse(s).ok()).unwrap_or_default();
    let never = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    match sort {
        super::ContactSort::Name | super::ContactSort::NameDesc => found.sort_by_key(|c| c.name.to_lowercase()),
        super::ContactSort::Updated | super::ContactSort::UpdatedDesc => found.sort_by_key(|c| (c.updated_at, c.id)),
        super::ContactSort::LastActivity | super::ContactSort::LastActivityDesc => {
            found.sort_by_key(|c| (c.last_activity_at.unwrap_or(never), c.id));
        }
    }
    if sort.descending() {
        found.reverse();
    }
    let total = found.len() as i64;
    found.truncate(limit);
    crate::common::Page {
        items: found.into_iter().map(super::ContactSummary::from).collect(),
        next_cursor: None,
        total: query.total.filter(|t| *t).map(|_| total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(name: &str, phones: &[&str], emails: &[&str]) -> String {
        let phones: Vec<Phone> = phones.iter().map(|p| Phone::parse(p).unwrap()).collect();
        let emails: Vec<String> = emails.iter().map(std::string::ToString::to_string).collect();
        SearchFields {
            name,
            company: Some("Acme Homes Ltd."),
            emails: &emails,
            phones: &phones,
            tags: &["VIP".into()],
            custom: &[],
        }
        .document()
    }

    #[test]
    fn the_document_holds_words_emails_tags_and_every_phone_suffix() {
        let d = doc("Rahim Uddin", &["01711-234567"], &["rahim.u@example.com"]);
        let tokens: Vec<&str> = d.split(' ').collect();
        for expected in [
            "rahim",
            "uddin",
            "acme",
            "homes",
            "ltd",
            "example",
            "vip",
            "8801711234567",
            "01711234567",
            "1711234567",
            "567",
        ] {
            assert!(tokens.contains(&expected), "{expected} missing from {d}");
        }
        assert!(!tokens.contains(&"67"));
        assert!(d.split(' ').all(|t| t.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())));
    }

    #[test]
    fn bengali_words_are_hex_tokens_whose_prefixes_match() {
        let full = token(&words("রহিম উদ্দিন")[0]);
        let typed = token(&words("রহি")[0]);
        assert!(full.starts_with(&typed) && full != typed);
        assert_eq!(words("উদ্দিন"), ["উদ্দিন"], "a conjunct stays one word");
    }

    #[test]
    fn phone_fragments_in_any_format_become_one_digit_term() {
        for (typed, digits) in
            [("1711 234", "1711234"), ("+880 1711", "8801711"), ("00880-17", "88017"), ("(017) 11", "01711")]
        {
            let q = SearchQuery::parse(typed).unwrap();
            assert_eq!(q.terms.len(), 1);
            assert!(q.terms[0].is_phone);
            assert_eq!(q.terms[0].word, digits, "{typed}");
        }
        assert_eq!(SearchQuery::parse("17"), None);
        assert_eq!(SearchQuery::parse("  "), None);
    }

    #[test]
    fn queries_become_prefix_expressions_for_both_engines() {
        let mut q = SearchQuery::parse("Rahm, Uddin").unwrap();
        assert!(q.widen(&["rahim".into(), "rahman".into(), "karim".into()]));
        assert_eq!(q.fts5(), "(\"rahm\"* OR \"rahim\"* OR \"rahman\"*) AND (\"uddin\"*)");
        assert_eq!(q.tsquery(), "(rahm:* | rahim:* | rahman:*) & (uddin:*)");
    }

    #[test]
    fn typos_are_tolerated_against_the_start_of_a_word() {
        assert!(near("rahm", "rahim"));
        assert!(near("uddni", "uddin"));
        assert!(near("chowdhry", "chowdhury"));
        assert!(!near("rahm", "karim"));
        assert!(!near("dhak", "khulna"));
    }

    #[test]
    fn the_vocabulary_skips_short_words_and_numbers() {
        let f = SearchFields {
            name: "Md Rahim 42",
            company: None,
            emails: &[],
            phones: &[],
            tags: &["Gulshan".into()],
            custom: &["Opposite Jamuna Park".into()],
        };
        assert_eq!(f.vocabulary(), ["gulshan", "jamuna", "opposite", "park", "rahim"]);
    }

    #[test]
    fn a_devices_contacts_are_found_by_name_start_phone_digits_and_tags() {
        use crate::contacts::{ContactForCreate, ContactQuery};
        let now = chrono::Utc::now();
        let contact = |name: &str, phone: &str, tags: &[&str]| {
            let mut body = ContactForCreate::lead(name, phone);
            body.tags = tags.iter().map(std::string::ToString::to_string).collect();
            body.validate().unwrap().to_local(None, now)
        };
        let contacts = [
            contact("Nasrin Akter", "+8801712345678", &["vip"]),
            contact("Karim Traders", "+8801899000111", &[]),
            contact("Akter Stores", "", &[]),
        ];
        let names = |q: &str| {
            let query = ContactQuery { q: Some(q.into()), ..Default::default() };
            super::local_page(&contacts, &query).items.into_iter().map(|c| c.name).collect::<Vec<_>>()
        };
        assert_eq!(names("akt"), ["Akter Stores", "Nasrin Akter"], "by the start of any word, sorted by name");
        assert_eq!(names("nas akt"), ["Nasrin Akter"], "every word must match");
        assert_eq!(names("345"), ["Nasrin Akter"], "digits anywhere in a number");
        assert_eq!(names("vip"), ["Nasrin Akter"]);
        assert_eq!(names("").len(), 3);
        assert!(names("zzz").is_empty());
    }
}
