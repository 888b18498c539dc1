//! A report table as CSV or XLSX: the header, the rows and the totals, each cell written as the
//! screen shows it (XLSX keeps numbers as numbers). Report tables are aggregates — a row per rep,
//! territory, stage or day — so they are written in memory.

use crate::error::{AppError, AppResult};
use fieldwork_app::reports::{Cell, ColumnKey, Table};

pub fn csv(table: &Table) -> AppResult<Vec<u8>> {
    let mut out = csv::WriterBuilder::new().from_writer(Vec::new());
    for line in table.lines() {
        out.write_record(&line).map_err(|e| AppError::Internal(e.into()))?;
    }
    out.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("csv buffer: {e}")))
}

pub fn xlsx(table: &Table) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.into());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    // A sheet name is at most 31 characters and cannot hold some punctuation.
    let name: String = table.title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    sheet.set_name(name).map_err(fail)?;
    let bold = Format::new().set_bold();
    for (col, c) in table.columns.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, col, &c.label, &bold).map_err(fail)?;
        sheet.set_column_width(col, if c.key == ColumnKey::Definition.as_str() { 80 } else { 18 }).map_err(fail)?;
    }
    for (r, row) in table.rows.iter().chain(table.total.as_ref()).enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (col, cell) in row.cells.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            match (cell, cell.number()) {
                (Cell::Percent(_), Some(n)) => {
                    sheet.write_number_with_format(r, col, n / 100.0, &Format::new().set_num_format("0.0%"))
                }
                (Cell::Count(_) | Cell::Days(_) | Cell::Score(_) | Cell::Number(_), Some(n)) => {
                    sheet.write_number(r, col, n)
                }
                _ => sheet.write_string(r, col, cell.text()),
            }
            .map_err(fail)?;
        }
    }
    book.save_to_buffer().map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fieldwork_app::reports::{labels, Row};
    use fieldwork_app::users::Language;

    fn sample() -> Table {
        Table {
            name: "reps".into(),
            title: "Activity by rep".into(),
            columns: vec![labels::column(ColumnKey::Rep, Language::En), labels::column(ColumnKey::Csat, Language::En)],
            rows: vec![Row { id: None, cells: vec![Cell::Text("Rina, Dhaka".into()), Cell::Percent(Some(50.0))] }],
            total: Some(Row { id: None, cells: vec![Cell::Text("Total".into()), Cell::Percent(None)] }),
        }
    }

    #[test]
    fn csv_holds_what_the_screen_shows() {
        let text = String::from_utf8(csv(&sample()).unwrap()).unwrap();
        assert_eq!(text, "Rep,CSAT\n\"Rina, Dhaka\",50.0%\nTotal,—\n");
    }

    #[test]
    fn xlsx_is_a_workbook() {
        let bytes = xlsx(&sample()).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }
}
