//! The summary table: one row per figure of the period, keyed for CSV and titled for XLSX. A
//! row's description is `report.summary.<key>` of `ui/i18n`: Bahasa Indonesia in CSV (the same
//! file in every language), the supervisor's language in XLSX.

use std::borrow::Cow;

use serde_json::json;

use super::{labels, Cell, Column, Report, Summary, Table};
use crate::model::Language;

impl Report {
    pub(super) fn summary_table(&self, s: &Summary, lang: Language) -> Table<'_> {
        let mut rows: Vec<Vec<Cell<'_>>> = Vec::new();
        let mut line = |key: String, description: Cell<'static>, value: Cell<'static>| {
            rows.push(vec![Cell::owned(key), description, value]);
        };
        let described = |key: &str, params: &dyn Fn(Language) -> serde_json::Value| {
            let key = format!("report.summary.{key}");
            Cell::Coded {
                code: Cow::Owned(labels::text(Language::Id, &key, &params(Language::Id))),
                label: labels::text(lang, &key, &params(lang)),
            }
        };
        let fixed = |key: &str| described(key, &|_| serde_json::Value::Null);
        let text = |t: &str| Cell::owned(t.to_owned());
        let int = |n: i64| Cell::Int(n);
        let time = |t: &Option<String>| {
            t.as_deref()
                .map_or(Cell::Blank, |at| Cell::Time(Cow::Owned(at.to_owned())))
        };
        let opt = |t: &Option<String>| t.as_deref().map_or(Cell::Blank, text);
        line("kantor".into(), fixed("kantor"), text(&self.office_name));
        line(
            "dari".into(),
            fixed("dari"),
            Cell::Date(Cow::Owned(self.range.from.to_string())),
        );
        line(
            "sampai".into(),
            fixed("sampai"),
            Cell::Date(Cow::Owned(self.range.to.to_string())),
        );
        line(
            "dibuat".into(),
            fixed("dibuat"),
            Cell::Time(Cow::Owned(self.generated_at.clone())),
        );
        line(
            "nama_lengkap".into(),
            fixed("nama_lengkap"),
            Cell::yes_no(self.full_names, lang),
        );
        line(
            "checkin_total".into(),
            fixed("checkin_total"),
            int(s.checkins.into()),
        );
        for (day, count) in &s.per_day {
            line(
                format!("checkin_tanggal_{day}"),
                described("checkin_tanggal", &|_| json!({ "day": day })),
                int((*count).into()),
            );
        }
        for (hour, count) in s.per_hour.iter().enumerate().filter(|(_, c)| **c > 0) {
            line(
                format!("checkin_jam_{hour:02}"),
                described("checkin_jam", &|_| json!({ "hour": format!("{hour:02}") })),
                int((*count).into()),
            );
        }
        for (service, count) in &s.per_service {
            line(
                format!("layanan_{service}"),
                described(
                    "layanan",
                    &|lang| json!({ "service": labels::service(lang, service) }),
                ),
                int((*count).into()),
            );
        }
        line(
            "prioritas_total".into(),
            fixed("prioritas_total"),
            int(s.priority.into()),
        );
        line(
            "prioritas_persen".into(),
            fixed("prioritas_persen"),
            s.priority_percent()
                .map_or(Cell::Blank, |p| Cell::Num(round2(p))),
        );
        for (priority, count) in &s.per_priority {
            line(
                format!("prioritas_{priority}"),
                described(
                    "prioritas",
                    &|lang| json!({ "priority": labels::priority(lang, priority) }),
                ),
                int((*count).into()),
            );
        }
        line(
            "percepatan".into(),
            fixed("percepatan"),
            int(s.express.into()),
        );
        line(
            "checkin_manual".into(),
            fixed("checkin_manual"),
            int(s.manual.into()),
        );
        line(
            "checkin_override".into(),
            fixed("checkin_override"),
            int(s.overrides.into()),
        );
        line(
            "cetak_gagal".into(),
            fixed("cetak_gagal"),
            int(s.print_failures.into()),
        );
        line(
            "tiket_belum_tercetak".into(),
            fixed("tiket_belum_tercetak"),
            int(s.unprinted.into()),
        );
        line(
            "cetak_ulang".into(),
            fixed("cetak_ulang"),
            int(s.reprints.into()),
        );
        line("terjadwal".into(), fixed("terjadwal"), int(s.booked));
        line("tidak_hadir".into(), fixed("tidak_hadir"), int(s.no_shows));
        line(
            "belum_lewat_batas".into(),
            fixed("belum_lewat_batas"),
            int(s.not_yet_due),
        );
        for day in &self.no_shows {
            line(
                format!("tidak_hadir_{}", day.date),
                described("tidak_hadir_hari", &|_| json!({ "date": day.date })),
                int(day.no_shows()),
            );
            if day.not_yet_due > 0 {
                line(
                    format!("belum_lewat_batas_{}", day.date),
                    described("belum_lewat_batas_hari", &|_| json!({ "date": day.date })),
                    int(day.not_yet_due),
                );
            }
        }
        line(
            "penilaian_total".into(),
            fixed("penilaian_total"),
            int(s.ratings.into()),
        );
        if let Some(index) = &s.index {
            line(
                "set_pertanyaan".into(),
                fixed("set_pertanyaan"),
                text(index.question_set),
            );
            line(
                "penilaian_dihitung".into(),
                fixed("penilaian_dihitung"),
                int(index.ratings_counted.into()),
            );
            line(
                "penilaian_ditandai".into(),
                fixed("penilaian_ditandai"),
                int(index.ratings_flagged.into()),
            );
            line(
                "penilaian_set_lain".into(),
                fixed("penilaian_set_lain"),
                int(s.ratings_other_set.into()),
            );
            line(
                "indeks".into(),
                described(
                    "indeks",
                    &|lang| json!({ "basis": labels::index_basis(lang, self.question_set) }),
                ),
                index.index.map_or(Cell::Blank, Cell::Num),
            );
            line(
                "mutu".into(),
                fixed("mutu"),
                index.grade.map_or(Cell::Blank, |g| text(&format!("{g:?}"))),
            );
            line(
                "mutu_keterangan".into(),
                fixed("mutu_keterangan"),
                index.grade.map_or(Cell::Blank, |g| Cell::Coded {
                    code: Cow::Owned(g.label(Language::Id)),
                    label: g.label(lang),
                }),
            );
            for element in &index.elements {
                line(
                    format!("elemen_{}_rata", element.element),
                    described("elemen_rata", &|_| json!({ "element": element.element })),
                    element.mean.map_or(Cell::Blank, |m| Cell::Num(round2(m))),
                );
                line(
                    format!("elemen_{}_jumlah", element.element),
                    described("elemen_jumlah", &|_| json!({ "element": element.element })),
                    int(element.count.into()),
                );
            }
        }
        for (key, description, value) in self.walkin_summary_rows(&s.walkins, lang) {
            line(key, description, value);
        }
        for (key, description, value) in self.office_time_summary_rows(lang) {
            line(key, description, value);
        }
        line(
            "tindakan_staf".into(),
            fixed("tindakan_staf"),
            int(s.staff_actions.into()),
        );
        line(
            "sync_status".into(),
            fixed("sync_status"),
            Cell::Coded {
                code: Cow::Borrowed(self.sync.state),
                label: labels::sync_state(lang, self.sync.state),
            },
        );
        line(
            "sync_outbox".into(),
            fixed("sync_outbox"),
            int(self.sync.outbox),
        );
        line(
            "sync_ditolak".into(),
            fixed("sync_ditolak"),
            int(self.sync.rejected),
        );
        line(
            "sync_tarik_terakhir".into(),
            fixed("sync_tarik_terakhir"),
            time(&self.sync.last_pull_ok_at),
        );
        line(
            "sync_kirim_terakhir".into(),
            fixed("sync_kirim_terakhir"),
            time(&self.sync.last_push_ok_at),
        );
        line(
            "sync_impor_terakhir".into(),
            fixed("sync_impor_terakhir"),
            time(&self.sync.last_import_at),
        );
        line(
            "sync_galat_terakhir".into(),
            fixed("sync_galat_terakhir"),
            opt(&self.sync.last_error_code),
        );
        Table {
            file: "summary",
            sheet: labels::sheet(lang, "summary"),
            header: Column::all(&["kunci", "keterangan", "nilai"], lang),
            rows,
        }
    }
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
