//! Dates as rotation.yaml, the log and the command line write them.

/// Parses a date written exactly as YYYY-MM-DD: four digits for a year
/// from 1900 to 9999, two for the month and the day, nothing else (no
/// sign, no space, no single-digit month).
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    use chrono::Datelike;
    let b = s.as_bytes();
    let digits_ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !digits_ok {
        return None;
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|d| d.year() >= 1900)
}
