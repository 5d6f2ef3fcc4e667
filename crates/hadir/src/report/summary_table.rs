//! The summary table: one row per figure of the period, keyed for CSV and titled for XLSX.

use std::borrow::Cow;

use super::summary::UNKNOWN;
use super::{labels, Cell, Column, Report, Summary, Table};
use crate::model::Language;
use crate::survey::QuestionSet;

impl Report {
    pub(super) fn summary_table(&self, s: &Summary, lang: Language) -> Table<'_> {
        let mut rows: Vec<Vec<Cell<'_>>> = Vec::new();
        let mut line = |key: String, label: String, value: Cell<'static>| {
            rows.push(vec![Cell::owned(key), Cell::owned(label), value]);
        };
        let text = |t: &str| Cell::owned(t.to_owned());
        let int = |n: i64| Cell::Int(n);
        let time = |t: &Option<String>| {
            t.as_deref()
                .map_or(Cell::Blank, |at| Cell::Time(Cow::Owned(at.to_owned())))
        };
        let opt = |t: &Option<String>| t.as_deref().map_or(Cell::Blank, text);
        line(
            "kantor".into(),
            "Kantor (office)".into(),
            text(&self.office_name),
        );
        line(
            "dari".into(),
            "Periode dari (from)".into(),
            Cell::Date(Cow::Owned(self.range.from.to_string())),
        );
        line(
            "sampai".into(),
            "Periode sampai (to)".into(),
            Cell::Date(Cow::Owned(self.range.to.to_string())),
        );
        line(
            "dibuat".into(),
            "Dibuat (generated)".into(),
            Cell::Time(Cow::Owned(self.generated_at.clone())),
        );
        line(
            "nama_lengkap".into(),
            "Nama lengkap (full names)".into(),
            Cell::yes_no(self.full_names, lang),
        );
        line(
            "checkin_total".into(),
            "Check-in".into(),
            int(s.checkins.into()),
        );
        for (day, count) in &s.per_day {
            line(
                format!("checkin_tanggal_{day}"),
                format!("Check-in {day}"),
                int((*count).into()),
            );
        }
        for (hour, count) in s.per_hour.iter().enumerate().filter(|(_, c)| **c > 0) {
            line(
                format!("checkin_jam_{hour:02}"),
                format!("Check-in jam {hour:02}.00-{hour:02}.59"),
                int((*count).into()),
            );
        }
        for (service, count) in &s.per_service {
            line(
                format!("layanan_{service}"),
                format!("Layanan: {}", service_label(service)),
                int((*count).into()),
            );
        }
        line(
            "prioritas_total".into(),
            "Prioritas (priority)".into(),
            int(s.priority.into()),
        );
        line(
            "prioritas_persen".into(),
            "Prioritas, persen dari check-in".into(),
            s.priority_percent()
                .map_or(Cell::Blank, |p| Cell::Num(round2(p))),
        );
        for (priority, count) in &s.per_priority {
            line(
                format!("prioritas_{priority}"),
                format!("Prioritas: {}", priority_label(priority)),
                int((*count).into()),
            );
        }
        line(
            "percepatan".into(),
            "Percepatan (express)".into(),
            int(s.express.into()),
        );
        line(
            "checkin_manual".into(),
            "Check-in manual oleh staf".into(),
            int(s.manual.into()),
        );
        line(
            "checkin_override".into(),
            "Check-in dengan izin staf (override)".into(),
            int(s.overrides.into()),
        );
        line(
            "cetak_gagal".into(),
            "Percobaan cetak gagal (failed prints)".into(),
            int(s.print_failures.into()),
        );
        line(
            "tiket_belum_tercetak".into(),
            "Tiket yang cetakan terakhirnya gagal".into(),
            int(s.unprinted.into()),
        );
        line(
            "cetak_ulang".into(),
            "Cetak ulang SALINAN (reprints)".into(),
            int(s.reprints.into()),
        );
        line(
            "terjadwal".into(),
            "Pemohon terjadwal (hari dalam cache)".into(),
            int(s.booked),
        );
        line(
            "tidak_hadir".into(),
            "Tidak hadir, batas check-in sudah lewat (no-shows, hari dalam cache)".into(),
            int(s.no_shows),
        );
        line(
            "belum_lewat_batas".into(),
            "Belum datang, batas check-in belum lewat (not yet due)".into(),
            int(s.not_yet_due),
        );
        for day in &self.no_shows {
            line(
                format!("tidak_hadir_{}", day.date),
                format!("Tidak hadir {}", day.date),
                int(day.no_shows()),
            );
            if day.not_yet_due > 0 {
                line(
                    format!("belum_lewat_batas_{}", day.date),
                    format!("Belum datang, batas belum lewat {}", day.date),
                    int(day.not_yet_due),
                );
            }
        }
        line(
            "penilaian_total".into(),
            "Penilaian (ratings)".into(),
            int(s.ratings.into()),
        );
        if let Some(index) = &s.index {
            line(
                "set_pertanyaan".into(),
                "Set pertanyaan".into(),
                text(index.question_set),
            );
            line(
                "penilaian_dihitung".into(),
                "Penilaian dihitung".into(),
                int(index.ratings_counted.into()),
            );
            line(
                "penilaian_ditandai".into(),
                "Penilaian ditandai, tidak dihitung (flagged)".into(),
                int(index.ratings_flagged.into()),
            );
            line(
                "penilaian_set_lain".into(),
                "Penilaian dengan set lain, tidak dihitung".into(),
                int(s.ratings_other_set.into()),
            );
            line(
                "indeks".into(),
                format!("Indeks bentuk IKM, {}", index_basis(self.question_set)),
                index.index.map_or(Cell::Blank, Cell::Num),
            );
            line(
                "mutu".into(),
                "Mutu pelayanan (grade)".into(),
                index.grade.map_or(Cell::Blank, |g| text(&format!("{g:?}"))),
            );
            line(
                "mutu_keterangan".into(),
                "Mutu, keterangan".into(),
                index.grade.map_or(Cell::Blank, |g| {
                    let (id, en) = g.label();
                    Cell::Coded {
                        code: Cow::Borrowed(id),
                        label: match lang {
                            Language::Id => id,
                            Language::En => en,
                        }
                        .to_owned(),
                    }
                }),
            );
            for element in &index.elements {
                line(
                    format!("elemen_{}_rata", element.element),
                    format!("Rata-rata {}", element.element),
                    element.mean.map_or(Cell::Blank, |m| Cell::Num(round2(m))),
                );
                line(
                    format!("elemen_{}_jumlah", element.element),
                    format!("Jawaban {}", element.element),
                    int(element.count.into()),
                );
            }
        }
        line(
            "tindakan_staf".into(),
            "Tindakan staf (audit)".into(),
            int(s.staff_actions.into()),
        );
        line(
            "sync_status".into(),
            "Sinkronisasi: status".into(),
            Cell::Coded {
                code: Cow::Borrowed(self.sync.state),
                label: labels::sync_state(lang, self.sync.state),
            },
        );
        line(
            "sync_outbox".into(),
            "Sinkronisasi: antrean kirim (outbox)".into(),
            int(self.sync.outbox),
        );
        line(
            "sync_ditolak".into(),
            "Sinkronisasi: ditolak gateway".into(),
            int(self.sync.rejected),
        );
        line(
            "sync_tarik_terakhir".into(),
            "Sinkronisasi: tarik terakhir berhasil".into(),
            time(&self.sync.last_pull_ok_at),
        );
        line(
            "sync_kirim_terakhir".into(),
            "Sinkronisasi: kirim terakhir berhasil".into(),
            time(&self.sync.last_push_ok_at),
        );
        line(
            "sync_impor_terakhir".into(),
            "Sinkronisasi: impor berkas terakhir".into(),
            time(&self.sync.last_import_at),
        );
        line(
            "sync_galat_terakhir".into(),
            "Sinkronisasi: kode galat terakhir".into(),
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

pub(crate) fn service_label(service: &str) -> &str {
    match service {
        "baru" => "Paspor baru",
        "penggantian" => "Penggantian",
        "hilang_rusak" => "Hilang/rusak",
        UNKNOWN => "Tidak diketahui",
        other => other,
    }
}

pub(crate) fn priority_label(priority: &str) -> &str {
    match priority {
        "lansia" => "Lansia",
        "disabilitas" => "Disabilitas",
        "ibu_hamil" => "Ibu hamil",
        "anak" => "Anak",
        other => other,
    }
}

/// What the index was computed from: an IKM proper needs the nine SKM elements.
pub(crate) fn index_basis(set: QuestionSet) -> String {
    match set.id {
        "skm2017" => "dihitung dari set pertanyaan SKM (PermenPANRB 14/2017)".into(),
        id => format!(
            "dihitung dari set pertanyaan {}",
            if id == "servqual" { "SERVQUAL" } else { id }
        ),
    }
}
