//! `hadir counter` against a real office hub (`temp-postgres`): call next, call again, a no-show
//! refused before the calls again (exit 3, its code as JSON), start, finish, transfer and the
//! waiting counts, each answering JSON; the counter machine's outbox gets its events; without
//! `hub_url` each command says `counter_needs_hub`.

use std::time::Duration;

use hadir::config::HubUrl;
use hadir::hub::{self, Claim, ClaimApplicant, HubAnswer};
use temp_postgres::TempPostgres;

use crate::common::{self, TempKiosk, AT};

/// Two applicants checked in for baru at 09:0x, as kiosks' claims leave them at the hub.
fn check_in_two(url: &str) -> Vec<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut client = hub::connect(&HubUrl::new(url), Duration::from_secs(5))
            .await
            .expect("the hub answers");
        let mut labels = Vec::new();
        for n in 1..=2 {
            let code = format!("MPCLICOUNT{n}");
            let at = format!("2026-11-29T09:0{n}:00+08:00");
            let claim = Claim {
                office: "KANIM-KUPANG",
                office_date: jiff::civil::date(2026, 11, 29),
                booking_code: &code,
                queue: "A",
                kiosk: "K1",
                at: &at,
                service: "baru",
                applicants: vec![ClaimApplicant {
                    nonce: format!("nonce-{code}"),
                    priority: None,
                    masked_name: Some("SITI R***".into()),
                }],
                reserved: (500, 2499),
                slot_start: None,
            };
            match hub::claim(&mut client, &claim).await.expect("claims") {
                HubAnswer::Issued(numbers) => labels.push(hub::label("A", numbers[0])),
                other => panic!("{other:?}"),
            }
        }
        labels
    })
}

fn counter(kiosk: &TempKiosk, args: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let output = kiosk
        .hadir(AT)
        .arg("counter")
        .args(args)
        .output()
        .expect("hadir runs");
    let json = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    (output.status.code(), json, common::stderr(&output))
}

#[test]
fn a_counter_from_the_shell_calls_serves_and_transfers_at_the_hub() {
    if let Some(reason) = temp_postgres::skip_reason() {
        eprintln!("skipped: {reason}");
        return;
    }
    let pg = TempPostgres::start().expect("PostgreSQL starts");
    let labels = check_in_two(&pg.url());
    // `hub_url` belongs at the top of the file, before `[kiosk]`.
    let kiosk = TempKiosk::new("", "");
    let config = std::fs::read_to_string(&kiosk.config).expect("config");
    std::fs::write(&kiosk.config, format!("hub_url = {:?}\n{config}", pg.url())).expect("config");
    let post = ["--counter", "3", "--services", "baru", "--staff", "rina"];
    let with = |action: &str, extra: &[&str]| {
        let mut args = vec![action];
        args.extend(post);
        args.extend(extra);
        counter(&kiosk, &args)
    };

    let (code, waiting, stderr) = with("waiting", &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(waiting["waiting"][0]["regular"], 2, "{waiting}");
    let (code, called, stderr) = with("call-next", &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(called["label"], labels[0].as_str());
    assert_eq!(called["screen"]["ticket"]["masked_name"], "SITI R***");
    assert_eq!(called["screen"]["ticket"]["staff"], "rina");
    let (code, refused, _) = with("no-show", &[]);
    assert_eq!(code, Some(3), "refused: {refused}");
    assert_eq!(refused["code"], "counter_call_again_first");
    for _ in 0..2 {
        assert_eq!(with("call-again", &[]).0, Some(0));
    }
    let (code, marked, _) = with("no-show", &[]);
    assert_eq!(
        (code, marked["action"].as_str()),
        (Some(0), Some("no_show"))
    );
    assert_eq!(with("call-next", &[]).0, Some(0));
    assert_eq!(with("start", &[]).0, Some(0));
    let (code, sent, _) = with("transfer", &["--to", "penggantian"]);
    assert_eq!(
        (code, sent["service"].as_str()),
        (Some(0), Some("penggantian"))
    );
    let (code, nobody, _) = with("call-next", &[]);
    assert_eq!(
        (code, nobody["code"].as_str()),
        (Some(3), Some("counter_nobody_waiting"))
    );
    let (code, none, _) = with("finish", &[]);
    assert_eq!(
        (code, none["code"].as_str()),
        (Some(3), Some("counter_no_ticket"))
    );

    // The machine's outbox: the calls and the no-show, for its sync task.
    let store = rusqlite::Connection::open(kiosk.data().join("hadir.sqlite3")).expect("store");
    let kinds: Vec<String> = store
        .prepare("SELECT kind FROM outbox ORDER BY id")
        .expect("prepares")
        .query_map([], |row| row.get(0))
        .expect("reads")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    assert_eq!(kinds, ["call", "call", "call", "no_show", "call"]);
}

#[test]
fn without_a_hub_a_counter_command_says_it_needs_one() {
    let kiosk = TempKiosk::new("", "");
    let (code, _, stderr) = counter(
        &kiosk,
        &["call-next", "--counter", "1", "--services", "baru"],
    );
    assert_eq!(code, Some(2));
    assert!(stderr.contains("[counter_needs_hub]"), "{stderr}");
    assert!(stderr.contains("hub_url"), "{stderr}");
}
