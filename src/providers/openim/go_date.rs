//! Go's `time.Parse(time.DateOnly, s)` (`2006-01-02`), with the error texts it gives, for the
//! `sendTime` filter of `/msg/search_msg`.

/// The epoch milliseconds of the UTC day `s`, or Go's error text.
pub fn parse(s: &str) -> Result<i64, String> {
    let fail = |rest: &str, elem: &str| {
        format!("parsing time {s:?} as \"2006-01-02\": cannot parse {rest:?} as {elem:?}")
    };
    let (year, rest) = digits(s, 4).ok_or_else(|| fail(s, "2006"))?;
    let rest = rest.strip_prefix('-').ok_or_else(|| fail(rest, "-"))?;
    let (month, rest) = digits(rest, 2).ok_or_else(|| fail(rest, "01"))?;
    let rest = rest.strip_prefix('-').ok_or_else(|| fail(rest, "-"))?;
    let (day, rest) = digits(rest, 2).ok_or_else(|| fail(rest, "02"))?;
    if !rest.is_empty() {
        return Err(format!("parsing time {s:?}: extra text: {rest:?}"));
    }
    if !(1..=12).contains(&month) {
        return Err(format!("parsing time {s:?}: month out of range"));
    }
    let date = chrono::NaiveDate::from_ymd_opt(year as i32, month, day)
        .ok_or_else(|| format!("parsing time {s:?}: day out of range"))?;
    Ok(date
        .and_time(chrono::NaiveTime::MIN)
        .and_utc()
        .timestamp_millis())
}

/// `n` ASCII digits at the start of `s`, their value and what follows.
fn digits(s: &str, n: usize) -> Option<(u32, &str)> {
    let head = s.get(..n)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, &s[n..]))
}
