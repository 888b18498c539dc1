//! Keyset pagination: the `limit` and `cursor` query parameters, and opaque cursors (the sort
//! key of the last row, hex-encoded).

use crate::error::AppError;

/// `?limit=…&cursor=…` of every list endpoint.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct PageParams {
    /// Page size, 1–200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

impl PageParams {
    pub fn limit(&self) -> Result<i64, AppError> {
        limit(self.limit)
    }

    /// The raw `cursor` parameter.
    pub fn cursor_str(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    /// The decoded cursor, which must have `n` parts; None on the first page.
    pub fn cursor(&self, n: usize) -> Result<Option<Vec<String>>, AppError> {
        decode_param(self.cursor.as_deref(), n)
    }
}

/// A cursor of (sort key, id), or None on the first page.
pub fn decode_key_id(cursor: Option<&str>) -> Result<Option<(String, String)>, AppError> {
    Ok(decode_param(cursor, 2)?.map(|mut parts| {
        let id = parts.pop().unwrap_or_default();
        (parts.pop().unwrap_or_default(), id)
    }))
}

/// A cursor of (instant in ms, id); a key that is not a number starts from `default_ms`.
pub fn decode_ms_id(cursor: Option<&str>, default_ms: i64) -> Result<Option<(i64, String)>, AppError> {
    Ok(decode_key_id(cursor)?.map(|(at, id)| (at.parse().unwrap_or(default_ms), id)))
}

/// A page size of 1–200 (default 50).
pub fn limit(raw: Option<i64>) -> Result<i64, AppError> {
    let limit = raw.unwrap_or(50);
    if (1..=200).contains(&limit) {
        Ok(limit)
    } else {
        Err(AppError::BadRequest("limit must be between 1 and 200".into()))
    }
}

/// A `cursor` query parameter decoded into `n` parts; None on the first page.
pub fn decode_param(cursor: Option<&str>, n: usize) -> Result<Option<Vec<String>>, AppError> {
    cursor
        .filter(|c| !c.is_empty())
        .map(|c| decode(c, n).ok_or_else(|| AppError::BadRequest("cursor is not valid".into())))
        .transpose()
}

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
