//! A report as a table: the same rows on screen, in CSV, in XLSX and in JSON. A cell's text
//! is written once here, so an export says exactly what the screen says.

use super::labels::ColumnKey;
use crate::common::Money;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Column {
    /// Stable name (`visits_done`), for integrations and charts.
    // Always a `ColumnKey`'s `as_str()` (see `labels::column`).
    pub key: String,
    /// The heading in the reader's language.
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Cell {
    Text(String),
    Count(i64),
    /// A share in percent; None when there was nothing to divide by.
    Percent(Option<f64>),
    /// A score such as NPS (−100 to +100).
    Score(Option<f64>),
    /// A duration in days.
    Days(Option<f64>),
    /// A plain number, such as the average of a form's number answers.
    Number(Option<f64>),
    /// Amounts, one per currency.
    Money(Vec<Money>),
}

/// What an empty figure reads as.
pub const NO_DATA: &str = "—";

impl Cell {
    /// The text on screen and in CSV.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Percent(p) => p.map_or(NO_DATA.into(), |p| format!("{p:.1}%")),
            Cell::Score(s) => s.map_or(NO_DATA.into(), |s| format!("{s:+.0}")),
            Cell::Days(d) | Cell::Number(d) => d.map_or(NO_DATA.into(), |d| format!("{d:.1}")),
            Cell::Money(amounts) if amounts.is_empty() => "0".into(),
            Cell::Money(amounts) => amounts
                .iter()
                .map(|m| format!("{} {}", grouped(m.major_units()), m.currency().as_str()))
                .collect::<Vec<_>>()
                .join(" + "),
        }
    }

    /// The cell as a number, for charts and spreadsheets (money only in one currency).
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Text(_) => None,
            Cell::Count(n) => Some(*n as f64),
            Cell::Percent(v) | Cell::Score(v) | Cell::Days(v) | Cell::Number(v) => *v,
            Cell::Money(amounts) if amounts.len() == 1 => Some(amounts[0].major_units() as f64),
            Cell::Money(amounts) => amounts.is_empty().then_some(0.0),
        }
    }

    pub fn is_numeric(&self) -> bool {
        !matches!(self, Cell::Text(_))
    }
}

/// `12500000` → `12,500,000`.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Row {
    /// The record the row is about (a user, territory, stage…), for links.
    pub id: Option<String>,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Table {
    /// The report's name (`reps`, `pipeline`…).
    pub name: String,
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// A totals row, when the figures add up.
    pub total: Option<Row>,
}

impl Table {
    /// The position of column `key`.
    pub fn column(&self, key: ColumnKey) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key.as_str())
    }

    /// `(first cell's text, number in column key)` for each row: a chart's series.
    pub fn series(&self, key: ColumnKey) -> Vec<(String, Option<f64>)> {
        let Some(i) = self.column(key) else { return Vec::new() };
        self.rows
            .iter()
            .map(|r| (r.cells.first().map(Cell::text).unwrap_or_default(), r.cells.get(i).and_then(Cell::number)))
            .collect()
    }

    /// Every line as text: the header, the rows, then the totals (what CSV holds).
    pub fn lines(&self) -> Vec<Vec<String>> {
        let mut out = vec![self.columns.iter().map(|c| c.label.clone()).collect::<Vec<_>>()];
        out.extend(self.rows.iter().chain(self.total.as_ref()).map(|r| r.cells.iter().map(Cell::text).collect()));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_the_same_everywhere_and_empty_figures_are_a_dash() {
        assert_eq!(Cell::Percent(Some(66.666)).text(), "66.7%");
        assert_eq!(Cell::Percent(None).text(), "—");
        assert_eq!(Cell::Score(Some(-12.4)).text(), "-12");
        assert_eq!(Cell::Score(Some(40.0)).text(), "+40");
        assert_eq!(Cell::Days(Some(3.25)).text(), "3.2");
        assert_eq!(Cell::Number(Some(7.0 / 3.0)).text(), "2.3");
        let m = |a, c| Money::new(a, c).unwrap();
        assert_eq!(Cell::Money(vec![m(1_250_000_000, "BDT")]).text(), "12,500,000 BDT");
        assert_eq!(Cell::Money(vec![m(100, "BDT"), m(250, "USD")]).text(), "1 BDT + 2 USD");
        assert_eq!(Cell::Money(vec![m(100, "BDT"), m(250, "USD")]).number(), None);
        assert_eq!(Cell::Money(vec![]).number(), Some(0.0));
        assert_eq!(grouped(-1_234_567), "-1,234,567");
        assert_eq!(grouped(999), "999");
    }

    #[test]
    fn a_table_gives_its_lines_and_a_column_as_a_chart_series() {
        let t = Table {
            name: "reps".into(),
            title: "Reps".into(),
            columns: vec![
                Column { key: ColumnKey::Rep.as_str().into(), label: "Rep".into() },
                Column { key: ColumnKey::Calls.as_str().into(), label: "Calls".into() },
            ],
            rows: vec![Row { id: None, cells: vec![Cell::Text("Rina".into()), Cell::Count(3)] }],
            total: Some(Row { id: None, cells: vec![Cell::Text("Total".into()), Cell::Count(3)] }),
        };
        assert_eq!(t.lines(), vec![vec!["Rep", "Calls"], vec!["Rina", "3"], vec!["Total", "3"]]);
        assert_eq!(t.series(ColumnKey::Calls), vec![("Rina".to_string(), Some(3.0))]);
        assert!(t.series(ColumnKey::Nps).is_empty());
    }
}
