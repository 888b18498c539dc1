//! Customer feedback: CSAT (1–5) and NPS (0–10).

use crate::common::FieldError;

pub fn parse_csat(score: i32) -> Result<i32, FieldError> {
    if (1..=5).contains(&score) {
        Ok(score)
    } else {
        Err(FieldError::NotAllowed)
    }
}

pub fn parse_nps(score: i32) -> Result<i32, FieldError> {
    if (0..=10).contains(&score) {
        Ok(score)
    } else {
        Err(FieldError::NotAllowed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_outside_their_scales_are_rejected() {
        assert!(parse_csat(0).is_err() && parse_csat(6).is_err() && parse_csat(5).is_ok());
        assert!(parse_nps(-1).is_err() && parse_nps(11).is_err() && parse_nps(0).is_ok());
    }
}
