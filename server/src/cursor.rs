//! Opaque keyset-pagination cursors: the sort key of the last row, hex-encoded.

const SEP: char = '\u{1f}';

pub fn encode(parts: &[&str]) -> String {
    hex::encode(parts.join(&SEP.to_string()))
}

/// The parts of a cursor, or None when it was not made by [`encode`] with `n` parts.
pub fn decode(cursor: &str, n: usize) -> Option<Vec<String>> {
    let text = String::from_utf8(hex::decode(cursor).ok()?).ok()?;
    let parts: Vec<String> = text.split(SEP).map(str::to_string).collect();
    (parts.len() == n).then_some(parts)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = super::encode(&["Rahim Uddin", "0190"]);
        assert_eq!(super::decode(&c, 2), Some(vec!["Rahim Uddin".to_string(), "0190".to_string()]));
        assert_eq!(super::decode(&c, 3), None);
        assert_eq!(super::decode("zz", 2), None);
    }
}
