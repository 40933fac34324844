//! The rows of a ledger kept as a spreadsheet (`.xlsx`, `.xls`, `.ods`,
//! read by calamine) or as a CSV file, each cell as text. A merged cell
//! gives its text to its first cell and leaves the others empty, which the
//! ledger reads as "the same as above".

use std::path::Path;

use calamine::{Data, DataType, Reader, open_workbook_auto};

/// The rows of the first sheet that holds a ledger (a header row naming
/// the problems), else of the first sheet.
pub fn spreadsheet_rows(path: &Path) -> Result<Vec<Vec<String>>, String> {
    let mut workbook = open_workbook_auto(path).map_err(|error| error.to_string())?;
    let mut first = None;
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|error| error.to_string())?;
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|row| row.iter().map(cell_text).collect())
            .collect();
        if rows
            .iter()
            .any(|row| super::ledger::Columns::of(row).is_some())
        {
            return Ok(rows);
        }
        first.get_or_insert(rows);
    }
    Ok(first.unwrap_or_default())
}

/// A cell as a clerk reads it: a date as `2025-06-30`, a whole number
/// without `.0`.
fn cell_text(cell: &Data) -> String {
    if let Some(date) = cell.as_date() {
        return date.format("%Y-%m-%d").to_string();
    }
    match cell {
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{}", *number as i64)
        }
        Data::Empty => String::new(),
        other => other.to_string().trim().to_owned(),
    }
}

/// The rows of a CSV text (comma-, semicolon- or tab-separated).
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|d| first_line.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
        .records()
        .filter_map(Result::ok)
        .map(|record| record.iter().map(|cell| cell.trim().to_owned()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_keep_commas_quotes_and_line_breaks_inside_quotes() {
        let rows = csv_rows(
            "序号,问题,整改措施\n1,\"学习不深入，流于形式\",\"一是修订制度；\n二是开展\"\"回头看\"\"\"\n",
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1][1], "学习不深入，流于形式");
        assert_eq!(rows[1][2], "一是修订制度；\n二是开展\"回头看\"");
    }
}
