//! The staff screen's sync tools: "sync now" and a feed file imported from a stick, each
//! audited under the staff member who asked.

use jiff::ZonedDateTime;

use super::{audit, Session};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::rfc3339;
use crate::store::{Store, StoreAccess};
use crate::sync::{import_candidates, import_file, PullReport, SyncSignals};

/// Staff pressed "sync now": audited, then the background task forgets its backoff (and a 401
/// stop) and tries at once.
pub fn sync_now(
    store: &mut Store,
    session: &Session,
    signals: &SyncSignals,
    now: &ZonedDateTime,
) -> Result<()> {
    audit(
        store,
        &rfc3339(now),
        Some(session.staff_id),
        "sync_now",
        None,
        None,
    )?;
    signals.sync_now();
    Ok(())
}

/// Imports one of the feed files the kiosk offers ([`import_candidates`]); a path it did not
/// offer is refused. The import opens its own store connection, like the sync task: reading and
/// applying a big file must not hold the kiosk's, which a scan needs (SQLite orders the two
/// writes). Audited on the kiosk's store, imported or refused.
pub fn import_offered_file(
    kiosk_store: &impl StoreAccess,
    session: &Session,
    path: &str,
    now: &ZonedDateTime,
    config: &Config,
) -> Result<PullReport> {
    let offered = import_candidates(config);
    let Some(file) = offered.iter().find(|c| c.path.to_string_lossy() == path) else {
        return Err(Error::FeedInvalid(
            "the file is no longer offered (stick removed?)".into(),
        ));
    };
    let report = Store::open_in(&config.data_dir())
        .and_then(|mut store| import_file(&mut store, config, &file.path, now.timestamp()));
    if let Err(error) = &report {
        log::warn!("import failed [{}]: {error}", error.code());
    }
    let target = format!(
        "{} {}",
        file.name,
        if report.is_ok() {
            "imported"
        } else {
            "refused"
        }
    );
    kiosk_store.with_store(|store| {
        audit(
            store,
            &rfc3339(now),
            Some(session.staff_id),
            "import",
            Some(&target),
            None,
        )
    })?;
    report
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::model::StaffRole;
    use crate::staff::hash_pin;
    use crate::staff_mode::{sign_in, SignInResult};

    fn at_nine() -> ZonedDateTime {
        jiff::civil::date(2026, 11, 29)
            .at(9, 0, 0, 0)
            .to_zoned_datetime(Config::default().time_zone())
            .expect("zoned")
    }

    /// A kiosk whose import folder (a stick) holds two of the crate's sample feed files, with
    /// `ani` signed in.
    fn kiosk_with_a_stick() -> (tempfile::TempDir, Config, Store, Session) {
        let dir = tempfile::tempdir().expect("temp dir");
        let stick = dir.path().join("stick");
        std::fs::create_dir_all(&stick).expect("stick");
        let testdata = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        for name in ["feed-full.json", "feed-delta.json"] {
            std::fs::copy(testdata.join(name), stick.join(name)).expect("copied");
        }
        let mut config = Config::default();
        config.kiosk.data_dir = Some(dir.path().join("data"));
        config.upstream.import_dirs = vec![stick];
        let mut store = Store::open_in(&config.data_dir()).expect("store");
        let hash = hash_pin("1234").expect("hash");
        let created = rfc3339(&at_nine());
        store
            .add_staff("ani", StaffRole::Frontdesk, &hash, &created)
            .expect("adds");
        let session = match sign_in(&mut store, "ani", "1234", &at_nine(), &config) {
            Ok(SignInResult::SignedIn { session }) => session,
            other => panic!("{other:?}"),
        };
        (dir, config, store, session)
    }

    fn offered(config: &Config, name: &str) -> String {
        let file = import_candidates(config)
            .into_iter()
            .find(|c| c.name == name)
            .expect("offered");
        file.path.to_string_lossy().into_owned()
    }

    #[test]
    fn an_offered_file_is_imported_and_every_try_is_audited() {
        let (_dir, config, store, ani) = kiosk_with_a_stick();
        let kiosk_store = Mutex::new(store);
        let full = offered(&config, "feed-full.json");
        let report = import_offered_file(&kiosk_store, &ani, &full, &at_nine(), &config)
            .expect("a full list imports");
        assert!(report.applied.upserted > 0, "{report:?}");
        let delta = offered(&config, "feed-delta.json");
        let refused = import_offered_file(&kiosk_store, &ani, &delta, &at_nine(), &config)
            .expect_err("a delta is no file to import");
        assert_eq!(refused.code(), "feed_invalid");
        let store = kiosk_store.into_inner().expect("lock");
        let audited: Vec<_> = store
            .audit_actions_for_tests()
            .into_iter()
            .filter(|(action, _)| action == "import")
            .map(|(_, target)| target.unwrap_or_default())
            .collect();
        assert_eq!(
            audited,
            ["feed-full.json imported", "feed-delta.json refused"]
        );
    }

    #[test]
    fn a_path_the_kiosk_did_not_offer_is_refused_before_anything_is_read() {
        let (dir, config, store, ani) = kiosk_with_a_stick();
        let elsewhere = dir.path().join("elsewhere.json");
        std::fs::write(&elsewhere, "{}").expect("written");
        let kiosk_store = Mutex::new(store);
        let refused = import_offered_file(
            &kiosk_store,
            &ani,
            &elsewhere.to_string_lossy(),
            &at_nine(),
            &config,
        )
        .expect_err("not offered");
        assert_eq!(refused.code(), "feed_invalid");
        let store = kiosk_store.into_inner().expect("lock");
        assert!(!store
            .audit_actions_for_tests()
            .iter()
            .any(|(action, _)| action == "import"));
    }

    #[test]
    fn sync_now_is_audited_under_the_staff_member() {
        let (_dir, _config, mut store, ani) = kiosk_with_a_stick();
        sync_now(&mut store, &ani, &SyncSignals::default(), &at_nine()).expect("asked");
        let last = store.audit_actions_for_tests().pop().expect("audited");
        assert_eq!(last, ("sync_now".into(), None));
    }
}
