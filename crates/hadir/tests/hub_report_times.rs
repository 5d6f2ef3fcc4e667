//! The supervisor's waiting and service times and the ratings per counter in the office hub's
//! export, against a real PostgreSQL server: tickets checked in by a kiosk's scan path, called,
//! finished and marked no-show by two counters at known times (the clock passed in), rated at
//! the kiosk; then the gathered report's figures per service, hour and counter, and each file
//! (CSV, XLSX read back, PDF as `pdftotext` reads it) carrying them. A kiosk's own report says
//! the times need the office hub.
//!
//! The day, by hand (every booking one applicant of service baru, but MPHUB4: two, penggantian):
//!
//! | ticket   | check-in | first call | end          | counter (staff) | wait s | service s |
//! |----------|----------|------------|--------------|-----------------|--------|-----------|
//! | MPHUB3   | 08:00    | 08:20      | finish 08:30 | 1 (rina)        | 1200   | 600       |
//! | MPHUB6   | 08:10    | 08:30      | finish 08:45 | 1 (rina)        | 1200   | 900       |
//! | MPHUB9   | 08:20    | 08:45      | no-show 08:50| 1 (rina)        | 1500   | -         |
//! | MPHUB4 a | 08:30    | 08:40      | finish 09:00 | 2 (budi)        | 600    | 1200      |
//! | MPHUB4 b | 08:30    | 09:00      | finish 09:05 | 2 (budi)        | 1800   | 300       |
//! | MPHUB12  | 09:00    | 09:20      | finish 09:50 | 1 (sari)        | 1200   | 1800      |
//! | MPHUB15  | 09:10    | 09:50      | finish 10:00 | 1 (sari)        | 2400   | 600       |
//! | MPHUB18  | 09:40    | -          | waiting      | -               | -      | -         |
//!
//! PERCENTILE.INC of those: overall waiting median 1200, p90 2040 (n 7); service median 750,
//! p90 1500 (n 6); one no-show. Baru: waiting 1200 / 2040, service 750 / 1530. Penggantian:
//! waiting 1200 / 1680, service 750 / 1110. Hour 08: waiting 1200 / 1680, service 750 / 1110,
//! one no-show; hour 09: waiting 1800 / 2280, service 1200 / 1680. Counter 1 is Baru's figures
//! less the waiting ticket; counter 2 Penggantian's.
//!
//! Ratings (SERVQUAL, every element the same score): MPHUB3 4, MPHUB6 3, MPHUB12 3 (counter 1:
//! mean 3.33, index 83.33), MPHUB4 a 1 (counter 2: index 25), MPHUB18 4 (never called: in no
//! counter's row).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use hadir::config::HubUrl;
use hadir::hub::{self, CallNext, Desk, NoShow};
use hadir::model::{Language, Service};
use hadir::queue_times::GroupTimes;
use hadir::ratings::{submit_rating, RatingRecorded, SurveyAnswers};
use hadir::report::{ExportFormat, ExportRange, Report};
use jiff::ZonedDateTime;
use tokio_postgres::Client;

mod common;

use common::hub::{code_for, feed, hub_config, HubKiosk};
use common::{at, day, postgres};

/// The tickets of the scenario, by booking number: (ticket id at the kiosk, label).
type Issued = BTreeMap<usize, Vec<(String, String)>>;

async fn check_in(kiosk: &HubKiosk, booking: usize, now: &ZonedDateTime, issued: &mut Issued) {
    let (result, _) = kiosk
        .scan(&code_for(booking), now)
        .await
        .expect("checks in at the hub");
    assert!(result.admits, "{booking}: {:?}", result.verdict);
    issued.insert(
        booking,
        result
            .tickets
            .iter()
            .map(|t| (t.ticket_id.clone(), t.label.clone()))
            .collect(),
    );
}

fn desk(counter: i32, service: Service, staff: &str) -> Desk {
    Desk {
        counter,
        services: vec![service],
        staff: staff.into(),
    }
}

async fn call(client: &mut Client, desk: &Desk, now: &ZonedDateTime, kiosk: &HubKiosk) -> String {
    match hub::call_next(client, desk, now, &kiosk.config)
        .await
        .expect("calls")
    {
        CallNext::Called { call, .. } => call.label,
        other => panic!("counter {} called nobody: {other:?}", desk.counter),
    }
}

async fn finish(client: &mut Client, counter: i32, now: &ZonedDateTime, kiosk: &HubKiosk) {
    hub::finish(client, counter, now, &kiosk.config)
        .await
        .expect("finishes")
        .expect("a ticket in hand");
}

/// Every SERVQUAL element scored `score` for the ticket, at `now`.
fn rate(kiosk: &HubKiosk, ticket_id: &str, score: u8, now: &ZonedDateTime) {
    let set = kiosk.config.survey.set();
    let answers = SurveyAnswers {
        ticket_id: ticket_id.to_owned(),
        scores: set
            .elements
            .iter()
            .map(|e| ((*e).to_owned(), score))
            .collect(),
        comment: None,
        answered_ms: 30_000,
    };
    let mut store = kiosk.store.lock().expect("store");
    let recorded = submit_rating(&mut store, &answers, now, &kiosk.config).expect("rates");
    assert!(
        matches!(&recorded, RatingRecorded::Ok { flags } if flags.is_empty()),
        "{recorded:?}"
    );
}

/// The day of the table above, played through the kiosk and two counters.
async fn office_day(kiosk: &HubKiosk, client: &mut Client) -> Issued {
    let mut issued = Issued::new();
    for (booking, hour, minute) in [
        (3, 8, 0),
        (6, 8, 10),
        (9, 8, 20),
        (4, 8, 30),
        (12, 9, 0),
        (15, 9, 10),
        (18, 9, 40),
    ] {
        check_in(kiosk, booking, &at(hour, minute), &mut issued).await;
    }
    let label = |booking: usize, index: usize| issued[&booking][index].1.clone();
    let rina = desk(1, Service::Baru, "rina");
    let sari = desk(1, Service::Baru, "sari");
    let budi = desk(2, Service::Penggantian, "budi");

    assert_eq!(call(client, &rina, &at(8, 20), kiosk).await, label(3, 0));
    finish(client, 1, &at(8, 30), kiosk).await;
    assert_eq!(call(client, &rina, &at(8, 30), kiosk).await, label(6, 0));
    assert_eq!(call(client, &budi, &at(8, 40), kiosk).await, label(4, 0));
    finish(client, 1, &at(8, 45), kiosk).await;
    assert_eq!(call(client, &rina, &at(8, 45), kiosk).await, label(9, 0));
    for minute in [46, 48] {
        hub::call_again(client, 1, &at(8, minute), &kiosk.config)
            .await
            .expect("calls again")
            .expect("in hand");
    }
    assert!(matches!(
        hub::no_show(client, 1, &at(8, 50), &kiosk.config)
            .await
            .expect("marks"),
        NoShow::Marked { .. }
    ));
    finish(client, 2, &at(9, 0), kiosk).await;
    assert_eq!(call(client, &budi, &at(9, 0), kiosk).await, label(4, 1));
    finish(client, 2, &at(9, 5), kiosk).await;
    assert_eq!(call(client, &sari, &at(9, 20), kiosk).await, label(12, 0));
    finish(client, 1, &at(9, 50), kiosk).await;
    assert_eq!(call(client, &sari, &at(9, 50), kiosk).await, label(15, 0));
    finish(client, 1, &at(10, 0), kiosk).await;

    // Ratings ten minutes apart (no burst), each after its service.
    for (booking, index, score, hour, minute) in [
        (3, 0, 4, 10, 10),
        (6, 0, 3, 10, 20),
        (12, 0, 3, 10, 30),
        (4, 0, 1, 10, 40),
        (18, 0, 4, 10, 50),
    ] {
        rate(kiosk, &issued[&booking][index].0, score, &at(hour, minute));
    }
    issued
}

fn figures(group: &GroupTimes) -> (usize, [Option<u32>; 4], usize) {
    (
        group.tickets,
        [
            group.waiting.median_seconds,
            group.waiting.p90_seconds,
            group.service.median_seconds,
            group.service.p90_seconds,
        ],
        group.no_shows,
    )
}

async fn gathered(kiosk: &HubKiosk, client: &Client) -> Report {
    let range = ExportRange::new(day(), day()).expect("a range");
    let ratings = kiosk
        .store
        .lock()
        .expect("store")
        .report_ratings(day(), day())
        .expect("ratings");
    hub::report::gather_with_ratings(client, &kiosk.config, range, &at(17, 0), false, &ratings)
        .await
        .expect("gathers")
}

#[tokio::test]
async fn the_hub_export_carries_waiting_and_service_times_and_ratings_per_counter() {
    let Some(pg) = postgres() else { return };
    let kiosk = HubKiosk::open(hub_config(0, Some(&pg.url()), 5_000), &feed(0..20), true);
    let mut client = hub::connect(&HubUrl::new(pg.url()), Duration::from_secs(5))
        .await
        .expect("the hub answers");
    office_day(&kiosk, &mut client).await;

    let report = gathered(&kiosk, &client).await;
    let office = report
        .office_times
        .as_ref()
        .expect("the hub's export has times");
    let times = &office.times;
    assert_eq!(
        figures(&times.overall),
        (8, [Some(1200), Some(2040), Some(750), Some(1500)], 1)
    );
    let per_service: Vec<_> = times
        .per_service
        .iter()
        .map(|(s, g)| (*s, figures(g)))
        .collect();
    assert_eq!(
        per_service,
        [
            (
                Service::Baru,
                (6, [Some(1200), Some(2040), Some(750), Some(1530)], 1)
            ),
            (
                Service::Penggantian,
                (2, [Some(1200), Some(1680), Some(750), Some(1110)], 0)
            ),
        ]
    );
    let per_hour: Vec<_> = times
        .per_hour
        .iter()
        .map(|(h, g)| (*h, figures(g)))
        .collect();
    assert_eq!(
        per_hour,
        [
            (8, (5, [Some(1200), Some(1680), Some(750), Some(1110)], 1)),
            (9, (3, [Some(1800), Some(2280), Some(1200), Some(1680)], 0)),
        ]
    );
    let per_counter: Vec<_> = times
        .per_counter
        .iter()
        .map(|(c, g)| (*c, figures(g)))
        .collect();
    assert_eq!(
        per_counter,
        [
            (1, (5, [Some(1200), Some(2040), Some(750), Some(1530)], 1)),
            (2, (2, [Some(1200), Some(1680), Some(750), Some(1110)], 0)),
        ]
    );

    // Ratings per counter: not per staff member by default; the never-called ticket nowhere.
    assert!(!office.per_staff);
    let rated: Vec<_> = office
        .counter_ratings
        .iter()
        .map(|c| {
            (
                c.counter,
                c.staff.clone(),
                c.index.ratings_counted,
                c.index.index,
            )
        })
        .collect();
    assert_eq!(
        rated,
        [(1, None, 3, Some(83.33)), (2, None, 1, Some(25.0))],
        "{rated:?}"
    );
    assert!(
        report.ratings.is_empty(),
        "the rows stay in the kiosk's export"
    );

    // Every format carries them.
    let out = tempfile::tempdir().expect("temp");
    let files = hadir::report::write(&report, &ExportFormat::ALL, out.path(), Language::Id)
        .expect("writes");
    let file = |prefix: &str| {
        files
            .iter()
            .find(|f| {
                f.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(prefix))
            })
            .unwrap_or_else(|| panic!("no {prefix} file in {files:?}"))
            .clone()
    };
    csv_carries_the_times(
        &file("queue_times_"),
        &file("ratings_per_counter_"),
        &file("summary_"),
    );
    xlsx_carries_the_times(&file("hadir_"));
    pdf_carries_the_times(&file("laporan_"));
}

fn csv_carries_the_times(times: &Path, ratings: &Path, summary: &Path) {
    let text = std::fs::read_to_string(times).expect("queue times CSV");
    let mut lines = text.split("\r\n");
    assert_eq!(
        lines.next(),
        Some(
            "kelompok,kunci,tiket,dipanggil,tunggu_median_detik,tunggu_p90_detik,selesai,\
             layanan_median_detik,layanan_p90_detik,tidak_hadir_loket"
        )
    );
    let rows: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    assert_eq!(
        rows,
        [
            "semua,,8,7,1200,2040,6,750,1500,1",
            "layanan,baru,6,5,1200,2040,4,750,1530,1",
            "layanan,penggantian,2,2,1200,1680,2,750,1110,0",
            "jam,08,5,5,1200,1680,4,750,1110,1",
            "jam,09,3,2,1800,2280,2,1200,1680,0",
            "loket,1,5,5,1200,2040,4,750,1530,1",
            "loket,2,2,2,1200,1680,2,750,1110,0",
        ],
        "{text}"
    );
    let ratings = std::fs::read_to_string(ratings).expect("ratings per counter CSV");
    assert!(
        ratings.starts_with(
            "loket,penilaian_dihitung,penilaian_ditandai,skor_tangibles,skor_reliability,\
             skor_responsiveness,skor_assurance,skor_empathy,indeks\r\n"
        ),
        "{ratings}"
    );
    assert!(
        ratings.contains("\r\n1,3,0,3.33,3.33,3.33,3.33,3.33,83.33\r\n")
            && ratings.contains("\r\n2,1,0,1,1,1,1,1,25\r\n"),
        "{ratings}"
    );
    let summary = std::fs::read_to_string(summary).expect("summary CSV");
    assert!(
        summary.contains(
            "tunggu_median_detik,\"Waktu tunggu, median (detik; check-in sampai panggilan \
             pertama)\",1200\r\n"
        ) && summary.contains("tidak_hadir_loket,")
            && !summary.contains("perlu_hub"),
        "{summary}"
    );
}

/// A workbook's sheet as (cell reference -> shown value): numbers as written, strings looked up
/// in the shared strings.
fn sheet_cells(path: &Path, sheet_name: &str) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("workbook"))
        .expect("an XLSX is a zip");
    let mut part = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap_or_else(|_| panic!("no {name}"))
            .read_to_string(&mut text)
            .expect("XML");
        text
    };
    let workbook = part("xl/workbook.xml");
    let names: Vec<&str> = workbook
        .split("<sheet name=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let index = names
        .iter()
        .position(|n| *n == sheet_name)
        .unwrap_or_else(|| panic!("no sheet {sheet_name}: {names:?}"));
    let shared: Vec<String> = part("xl/sharedStrings.xml")
        .split("<t")
        .skip(1)
        .filter_map(|s| s.split_once('>').map(|(_, rest)| rest))
        .filter_map(|s| s.split("</t>").next())
        .map(|s| s.replace("&amp;", "&"))
        .collect();
    let xml = part(&format!("xl/worksheets/sheet{}.xml", index + 1));
    let mut cells = BTreeMap::new();
    for cell in xml.split("<c r=\"").skip(1) {
        let reference = cell.split('"').next().expect("a reference").to_owned();
        let Some(value) = cell
            .split_once("<v>")
            .and_then(|(_, rest)| rest.split("</v>").next())
        else {
            continue;
        };
        let head = cell.split('>').next().unwrap_or("");
        let shown = if head.contains("t=\"s\"") {
            shared[value.parse::<usize>().expect("a string index")].clone()
        } else {
            value.to_owned()
        };
        cells.insert(reference, shown);
    }
    cells
}

fn xlsx_carries_the_times(path: &Path) {
    let times = sheet_cells(path, "Waktu Layanan");
    let cell = |reference: &str| times.get(reference).map(String::as_str);
    assert_eq!(cell("A1"), Some("Kelompok"));
    assert_eq!(cell("E1"), Some("Tunggu, median (detik)"));
    // Overall, then Baru, Penggantian, hours 08 and 09, counters 1 and 2.
    assert_eq!(cell("A2"), Some("Semua tiket"));
    assert_eq!((cell("E2"), cell("F2")), (Some("1200"), Some("2040")));
    assert_eq!(
        (cell("H2"), cell("I2"), cell("J2")),
        (Some("750"), Some("1500"), Some("1"))
    );
    assert_eq!(cell("B3"), Some("Paspor baru"), "{times:?}");
    assert_eq!(
        (cell("A5"), cell("B5"), cell("E5")),
        (Some("Per jam check-in"), Some("08"), Some("1200"))
    );
    assert_eq!(
        (cell("A8"), cell("B8"), cell("F8")),
        (Some("Per loket"), Some("2"), Some("1680"))
    );
    let ratings = sheet_cells(path, "Penilaian per Loket");
    assert_eq!(ratings.get("A1").map(String::as_str), Some("Loket"));
    assert_eq!(ratings.get("I2").map(String::as_str), Some("83.33"));
    assert_eq!(ratings.get("I3").map(String::as_str), Some("25"));
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdf_carries_the_times(path: &Path) {
    let text = pdf_text(path);
    for said in [
        "Waktu tunggu dan layanan",
        "median 20,0 / p90 34,0 menit (n=7)",
        "median 12,5 / p90 25,0 menit (n=6)",
        "Waktu tunggu per jam check-in (menit)",
        "Persentil 90",
        "Jam 09.00-09.59",
        "Loket 2",
        "Penilaian per loket",
        "83,33",
    ] {
        assert!(text.contains(said), "{said:?} not in the PDF:\n{text}");
    }
    // The chart's bars: hour 09's median and p90 waiting in minutes (30,0 and 38,0).
    assert!(text.contains("30,0") && text.contains("38,0"), "{text}");
}

#[tokio::test]
async fn ratings_per_staff_member_only_when_the_supervisor_says_so_and_a_kiosk_alone_has_no_times()
{
    let Some(pg) = postgres() else { return };
    let mut config = hub_config(0, Some(&pg.url()), 5_000);
    config.survey.ratings_per_staff = true;
    let kiosk = HubKiosk::open(config, &feed(0..20), true);
    let mut client = hub::connect(&HubUrl::new(pg.url()), Duration::from_secs(5))
        .await
        .expect("the hub answers");
    office_day(&kiosk, &mut client).await;

    let report = gathered(&kiosk, &client).await;
    let office = report.office_times.as_ref().expect("times");
    assert!(office.per_staff);
    let rated: Vec<_> = office
        .counter_ratings
        .iter()
        .map(|c| {
            (
                c.counter,
                c.staff.as_deref(),
                c.index.ratings_counted,
                c.index.index,
            )
        })
        .collect();
    assert_eq!(
        rated,
        [
            (1, Some("rina"), 2, Some(87.5)),
            (1, Some("sari"), 1, Some(75.0)),
            (2, Some("budi"), 1, Some(25.0)),
        ]
    );
    let out = tempfile::tempdir().expect("temp");
    let files = hadir::report::write(&report, &[ExportFormat::Csv], out.path(), Language::En)
        .expect("writes");
    let ratings = files
        .iter()
        .find(|f| f.to_string_lossy().contains("ratings_per_counter_"))
        .expect("ratings per counter CSV");
    let ratings = std::fs::read_to_string(ratings).expect("reads");
    assert!(
        ratings.starts_with("loket,staf,penilaian_dihitung,"),
        "{ratings}"
    );
    assert!(
        ratings.contains("\r\n1,sari,1,0,3,3,3,3,3,75\r\n"),
        "{ratings}"
    );
    // No applicant's name anywhere in the office's files.
    for file in &files {
        let text = std::fs::read_to_string(file).expect("reads");
        assert!(!text.contains("PEMOHON HUB"), "{}", file.display());
    }

    // The kiosk's own export (no hub, no calls): the summary and the PDF say the times need
    // the office hub, and no times file or sheet shows zeros.
    let mut own = report.clone();
    own.office_times = None;
    let out = tempfile::tempdir().expect("temp");
    let files =
        hadir::report::write(&own, &ExportFormat::ALL, out.path(), Language::Id).expect("writes");
    assert_eq!(files.len(), 6, "four CSV, the XLSX, the PDF: {files:?}");
    let summary = std::fs::read_to_string(&files[0]).expect("summary CSV");
    assert!(
        summary.contains(
            "waktu_tunggu_layanan,Waktu tunggu dan layanan (waiting and service times),perlu_hub\r\n"
        ),
        "{summary}"
    );
    assert!(!summary.contains("tunggu_median_detik"));
    let pdf = pdf_text(&files[5]);
    assert!(
        pdf.contains("Perlu hub kantor: waktu tunggu dan layanan diukur dari panggilan loket"),
        "{pdf}"
    );
}
