//! Dates as a person reads them, from the browser's local clock.

use chrono::NaiveDate;

/// Today's local date as YYYY-MM-DD.
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// "Fri 20 Nov 2026" for an ISO date; the input itself if it is not one.
pub fn long(iso: &str) -> String {
    iso.parse::<NaiveDate>().map_or_else(
        |_| iso.to_string(),
        |d| d.format("%a %-d %b %Y").to_string(),
    )
}

/// The computer's IANA time zone (e.g. "Europe/Berlin"), as the browser engine reports it.
pub fn local_time_zone() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}
