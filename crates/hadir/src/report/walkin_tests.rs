//! Walk-ins in every export: per category and service, over the quota, turned away, and each
//! day's quota used, the same in the summary, the ticket table and the PDF.

use jiff::civil::date;

use super::tables::TICKET_HEADER;
use super::*;
use crate::config::Config;
use crate::model::{Language, Priority, Service};
use crate::store::tests::fresh_store;
use crate::store::{NewWalkin, Numbering, Store, WalkinByStaff, WALKIN_REFERENCE_PREFIX};
use crate::walkin_quota::WalkinChoice;

fn walkin(
    store: &mut Store,
    day: &str,
    minute: u8,
    category: Priority,
    service: Service,
    quota: u32,
    staff: Option<&str>,
) -> String {
    let new = NewWalkin {
        choice: WalkinChoice { category, service },
        pool: "all".into(),
        quota,
        queue: "P",
        office_date: day.parse().expect("date"),
        at: format!("{day}T09:{minute:02}:00+08:00"),
        kiosk: "K1",
        by_staff: staff.map(|reason| WalkinByStaff {
            staff_id: 1,
            reason,
        }),
        over_quota: staff.is_some_and(|r| !r.is_empty()),
        numbering: Numbering::Local,
        nonce: uuid::Uuid::new_v4().to_string(),
        reference: format!("{WALKIN_REFERENCE_PREFIX}{minute:012}"),
    };
    store.record_walkin(&new).expect("records").id
}

fn report_of(store: &Store) -> Report {
    let now = date(2026, 11, 30)
        .at(17, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Makassar").expect("tz"))
        .expect("now");
    Report::gather(
        store,
        &Config::default(),
        ExportRange::new(date(2026, 11, 29), date(2026, 11, 30)).expect("range"),
        &now,
        false,
    )
    .expect("gathers")
}

#[test]
fn exports_count_walkins_per_category_and_service_and_the_quota_used_per_day() {
    let (_dir, mut store) = fresh_store();
    let d1 = "2026-11-29";
    walkin(&mut store, d1, 1, Priority::Lansia, Service::Baru, 3, None);
    walkin(&mut store, d1, 2, Priority::Lansia, Service::Baru, 3, None);
    let anak = walkin(
        &mut store,
        d1,
        3,
        Priority::Anak,
        Service::Penggantian,
        3,
        None,
    );
    walkin(
        &mut store,
        d1,
        4,
        Priority::IbuHamil,
        Service::Baru,
        3,
        Some("rujukan dokter"),
    );
    store
        .turn_away_walkin(&anak, 1, true, false, "2026-11-29T09:30:00+08:00")
        .expect("turns away");
    walkin(
        &mut store,
        "2026-11-30",
        5,
        Priority::Disabilitas,
        Service::HilangRusak,
        2,
        None,
    );
    let report = report_of(&store);
    let s = report.summary().walkins;
    assert_eq!(s.total, 5);
    assert_eq!(
        s.per_category_service,
        vec![
            ("lansia".to_owned(), "baru".to_owned(), 2),
            ("disabilitas".to_owned(), "hilang_rusak".to_owned(), 1),
            ("ibu_hamil".to_owned(), "baru".to_owned(), 1),
            ("anak".to_owned(), "penggantian".to_owned(), 1),
        ]
    );
    assert_eq!((s.by_staff, s.over_quota, s.turned_away), (1, 1, 1));
    let days: Vec<(&str, i64, i64)> = s
        .quota_days
        .iter()
        .map(|d| (d.date.as_str(), d.used, d.quota))
        .collect();
    assert_eq!(
        days,
        [("2026-11-29", 3, 3), ("2026-11-30", 1, 2)],
        "the freed place is not used; the override is (3 of 3)"
    );

    let tables = report.tables(Language::Id);
    let tickets = &tables[1];
    assert_eq!(tickets.header.len(), TICKET_HEADER.len());
    let column = |key: &str| {
        tickets
            .header
            .iter()
            .position(|c| c.key == key)
            .unwrap_or_else(|| panic!("a {key} column"))
    };
    let csv = String::from_utf8(super::csv::render_csv(tickets).expect("csv")).expect("utf-8");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 5);
    let first: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(first[column("tanpa_pemesanan")], "ya");
    assert_eq!(
        first[column("kode_pemesanan")],
        "",
        "a walk-in has no booking code"
    );
    assert_eq!(first[column("cara")], "walkin");
    assert_eq!(first[column("prioritas")], "lansia");
    let summary =
        String::from_utf8(super::csv::render_csv(&tables[0]).expect("csv")).expect("utf-8");
    for row in [
        "tanpa_pemesanan_total,",
        "tanpa_pemesanan_lansia_baru,",
        "tanpa_pemesanan_lewat_kuota,",
        "kuota_tanpa_pemesanan_2026-11-29_all,",
        "kuota_terpakai_2026-11-30_all,",
    ] {
        assert!(summary.contains(row), "{row} in {summary}");
    }
    assert!(summary.contains("Kuota tanpa pemesanan terpakai 2026-11-29 (semua kategori),3"));

    let pdf = render_pdf(&report, Language::En).expect("renders");
    let doc =
        printpdf::PdfDocument::parse(&pdf, &printpdf::PdfParseOptions::default(), &mut Vec::new())
            .expect("parses");
    let text = doc
        .extract_text()
        .into_iter()
        .map(|chunks| chunks.join(" "))
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "Walk-ins without a booking",
        "Elderly, New passport",
        "3 of 3 used",
    ] {
        assert!(text.contains(expected), "{expected} in the PDF: {text}");
    }
}
