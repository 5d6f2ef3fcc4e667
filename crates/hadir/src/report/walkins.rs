//! The period's priority walk-ins, as every format shows them: how many per category and
//! service, how many staff issued past the quota or turned away, and each day's quota used per
//! pool. Computed from the report's walk-in rows ([`Report::walkins`]); the summary table's rows
//! and the PDF's section are written here too, so the figures are counted in one place.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::json;

use super::charts::{bar_rows, Bar};
use super::labels::{self, words};
use super::pdf_pages::{Pages, LEFT, RIGHT};
use super::{Cell, Report};
use crate::config::{ALL_CATEGORIES, ALL_SERVICES};
use crate::model::Language;

/// One pool's quota on one day, and how much of it was used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WalkinQuotaDay {
    pub date: String,
    /// `all`, `lansia`, `all/baru`, `lansia/baru`.
    pub pool: String,
    /// The pool's quota that day (as the day's last walk-in in it found it).
    pub quota: i64,
    /// Walk-ins counted against it: every one but those turned away with their place freed
    /// (over the quota when staff exceeded it with a reason).
    pub used: i64,
}

/// The period's walk-in figures.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct WalkinSummary {
    /// Walk-in tickets issued (turned away ones included).
    pub total: u32,
    /// (category, service, count), categories and services in screen order; only those seen.
    pub per_category_service: Vec<(String, String, u32)>,
    pub by_staff: u32,
    pub over_quota: u32,
    pub turned_away: u32,
    /// Per day and pool, in date order.
    pub quota_days: Vec<WalkinQuotaDay>,
}

impl Report {
    /// The period's walk-in figures, from its walk-in rows.
    pub fn walkin_summary(&self) -> WalkinSummary {
        let mut summary = WalkinSummary::default();
        for walkin in &self.walkins {
            summary.total += 1;
            summary.by_staff += u32::from(walkin.by_staff);
            summary.over_quota += u32::from(walkin.over_quota);
            summary.turned_away += u32::from(walkin.turned_away);
            match summary
                .per_category_service
                .iter_mut()
                .find(|(c, s, _)| *c == walkin.category && *s == walkin.service)
            {
                Some((_, _, count)) => *count += 1,
                None => summary.per_category_service.push((
                    walkin.category.clone(),
                    walkin.service.clone(),
                    1,
                )),
            }
            let day = match summary
                .quota_days
                .iter_mut()
                .find(|d| d.date == walkin.office_date && d.pool == walkin.pool)
            {
                Some(day) => day,
                None => {
                    summary.quota_days.push(WalkinQuotaDay {
                        date: walkin.office_date.clone(),
                        pool: walkin.pool.clone(),
                        quota: walkin.quota,
                        used: 0,
                    });
                    summary.quota_days.last_mut().expect("just pushed")
                }
            };
            // Rows come in issue order: the last one's quota is the day's last word.
            day.quota = walkin.quota;
            day.used += i64::from(!walkin.frees_place);
        }
        let order = |category: &str, service: &str| {
            (
                ALL_CATEGORIES.iter().position(|c| c.as_str() == category),
                ALL_SERVICES.iter().position(|s| s.as_str() == service),
            )
        };
        summary
            .per_category_service
            .sort_by_key(|(c, s, _)| order(c, s));
        summary
            .quota_days
            .sort_by(|a, b| (&a.date, &a.pool).cmp(&(&b.date, &b.pool)));
        summary
    }

    /// The summary table's walk-in rows: (key, description, value).
    pub(super) fn walkin_summary_rows(
        &self,
        s: &WalkinSummary,
        lang: Language,
    ) -> Vec<(String, Cell<'static>, Cell<'static>)> {
        let described = |key: &str, params: &dyn Fn(Language) -> serde_json::Value| {
            let key = format!("report.summary.{key}");
            Cell::Coded {
                code: Cow::Owned(labels::text(Language::Id, &key, &params(Language::Id))),
                label: labels::text(lang, &key, &params(lang)),
            }
        };
        let fixed = |key: &str| described(key, &|_| serde_json::Value::Null);
        let int = |n: i64| Cell::Int(n);
        let mut rows = vec![(
            "tanpa_pemesanan_total".to_owned(),
            fixed("tanpa_pemesanan_total"),
            int(s.total.into()),
        )];
        for (category, service, count) in &s.per_category_service {
            rows.push((
                format!("tanpa_pemesanan_{category}_{service}"),
                described("tanpa_pemesanan", &|lang| {
                    json!({
                        "category": labels::priority(lang, category),
                        "service": labels::service(lang, service),
                    })
                }),
                int((*count).into()),
            ));
        }
        for (key, count) in [
            ("tanpa_pemesanan_oleh_staf", s.by_staff),
            ("tanpa_pemesanan_lewat_kuota", s.over_quota),
            ("tanpa_pemesanan_ditolak_loket", s.turned_away),
        ] {
            rows.push((key.to_owned(), fixed(key), int(count.into())));
        }
        for day in &s.quota_days {
            let pool_key = day.pool.replace('/', "_");
            let params =
                |lang: Language| json!({ "date": day.date, "pool": pool_words(lang, &day.pool) });
            rows.push((
                format!("kuota_tanpa_pemesanan_{}_{pool_key}", day.date),
                described("kuota_tanpa_pemesanan", &params),
                int(day.quota),
            ));
            rows.push((
                format!("kuota_terpakai_{}_{pool_key}", day.date),
                described("kuota_terpakai", &params),
                int(day.used),
            ));
        }
        rows
    }
}

/// A pool in words: "semua kategori", "Lansia", "Lansia, Paspor baru".
pub(super) fn pool_words(lang: Language, pool: &str) -> String {
    let (category, service) = match pool.split_once('/') {
        Some((category, service)) => (category, Some(service)),
        None => (pool, None),
    };
    let category = if category == "all" {
        words(lang, "report.walkin.all_categories")
    } else {
        labels::priority(lang, category)
    };
    match service {
        Some(service) => format!("{category}, {}", labels::service(lang, service)),
        None => category,
    }
}

/// The PDF's walk-in section: the totals, walk-ins per category and service, and each day's
/// quota used per pool.
pub(super) fn pdf_section(pages: &mut Pages, report: &Report, lang: Language) {
    let s = report.walkin_summary();
    pages.heading(&words(lang, "report.pdf.walkins"), 60.0);
    pages.value(
        &words(lang, "report.summary.tanpa_pemesanan_total"),
        &s.total.to_string(),
    );
    if s.total == 0 {
        return;
    }
    pages.value(
        &words(lang, "report.pdf.walkin_staff"),
        &labels::text(
            lang,
            "report.pdf.walkin_staff_value",
            &json!({ "by_staff": s.by_staff, "over_quota": s.over_quota, "turned_away": s.turned_away }),
        ),
    );
    let bars: Vec<Bar> = s
        .per_category_service
        .iter()
        .map(|(category, service, count)| Bar {
            label: format!(
                "{}, {}",
                labels::priority(lang, category),
                labels::service(lang, service)
            ),
            value: f64::from(*count),
            caption: count.to_string(),
        })
        .collect();
    let height = 16.0 * bars.len() as f32 + 6.0;
    pages.block(height, |top| {
        bar_rows(&bars, LEFT, top - 4.0, RIGHT - LEFT, 150.0, None).0
    });
    for day in &s.quota_days {
        pages.value(
            &format!("{} ({})", day.date, pool_words(lang, &day.pool)),
            &labels::text(
                lang,
                "report.pdf.walkin_quota_used",
                &json!({ "used": day.used, "quota": day.quota }),
            ),
        );
    }
}
