//! Camera decoding on the frame set (testdata/camera): codes read and time per frame, by
//! category, for the decoder before issue #19 (`decode_v0`, kept here), the kiosk's decoder now
//! (`hadir::camera::decode`) and, from a file `scripts/bench-camera.sh` writes, zxing-cpp on the
//! very same grey pixels. The two rxing decoders run interleaved on each frame, so load hits both
//! alike.
//!
//! Run the whole comparison: `scripts/bench-camera.sh` (makes the venv with zxing-cpp, then runs
//! this bench with `-- --zxing-python target/camera-bench-venv/bin/python`). With that flag the
//! bench writes the decoded frames as PGM to target/camera-bench/frames (what zxing-cpp is
//! given), runs `scripts/zxing-camera-bench.py` for half the reps before its own rxing rounds and
//! the other half after, and pools both passes. Without it: rxing only
//! (`cargo bench -p hadir --features camera --bench camera [-- --reps N]`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bench_stats::{ms_cell, print_header, print_row, Summary};
use hadir::camera::LumaFrame;

#[allow(dead_code)] // the bench reads the whole set, never one frame
#[path = "../src/camera/frame_set.rs"]
mod frame_set;

/// `camera::decode` as it was before issue #19: rxing's helper, hybrid binarizer, try harder,
/// both QR readers, no inverted pass, full size only.
fn decode_v0(frame: &LumaFrame) -> Option<String> {
    if frame.width == 0
        || frame.height == 0
        || frame.pixels.len() != (frame.width * frame.height) as usize
    {
        return None;
    }
    rxing::helpers::detect_in_luma(
        frame.pixels.clone(),
        frame.width,
        frame.height,
        Some(rxing::BarcodeFormat::QR_CODE),
    )
    .ok()
    .map(|result| result.getText().to_owned())
}

type Decoder = fn(&LumaFrame) -> Option<String>;

/// One decoder's results on one frame: its text (first rep) and every rep's time.
#[derive(Default, Clone)]
struct Outcome {
    text: Option<String>,
    times: Vec<Duration>,
}

struct Args {
    reps: usize,
    zxing_python: Option<String>,
    /// Another set than testdata/camera (a held-out one, see BENCHMARKS.md).
    set: Option<PathBuf>,
}

fn args() -> Args {
    let mut parsed = Args {
        reps: 15,
        zxing_python: None,
        set: None,
    };
    let mut raw = std::env::args().skip(1);
    while let Some(arg) = raw.next() {
        match arg.as_str() {
            "--reps" => parsed.reps = raw.next().and_then(|v| v.parse().ok()).expect("--reps N"),
            "--zxing-python" => parsed.zxing_python = raw.next(),
            "--set" => parsed.set = raw.next().map(PathBuf::from),
            _ => {} // cargo bench passes --bench
        }
    }
    parsed
}

/// zxing-cpp through its Python binding, on the frames this bench decoded (written as PGM).
struct ZxingRun {
    python: String,
    out: PathBuf,
    set: PathBuf,
}

impl ZxingRun {
    fn prepare(python: &str, set: &Path, frames: &[frame_set::SetFrame]) -> ZxingRun {
        let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/camera-bench");
        std::fs::create_dir_all(out.join("frames")).expect("target/camera-bench/frames");
        for frame in frames {
            let mut pgm = format!("P5\n{} {}\n255\n", frame.width, frame.height).into_bytes();
            pgm.extend(&frame.pixels);
            std::fs::write(out.join(format!("frames/{}.pgm", frame.name)), pgm).expect("writes");
        }
        ZxingRun {
            python: python.to_owned(),
            out,
            set: set.to_owned(),
        }
    }

    fn pass(&self, reps: usize, file: &str, earlier: Option<&str>) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut command = std::process::Command::new(&self.python);
        command
            .arg(root.join("scripts/zxing-camera-bench.py"))
            .arg(self.set.join("frames.tsv"))
            .arg(self.out.join("frames"))
            .arg(reps.max(1).to_string())
            .arg(self.out.join(file));
        if let Some(earlier) = earlier {
            command.arg(self.out.join(earlier));
        }
        let status = command.status().expect("runs the zxing-cpp script");
        assert!(status.success(), "zxing-cpp script failed: {status}");
    }
}

/// zxing-cpp's results per frame name: `name \t text \t ms,ms,...` (scripts/zxing-camera-bench.py).
fn read_zxing(path: &Path) -> BTreeMap<String, Outcome> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let read = Some(fields[1]).filter(|t| !t.is_empty()).map(str::to_owned);
            let times = fields[2]
                .split(',')
                .map(|ms| Duration::from_secs_f64(ms.parse::<f64>().expect("ms") / 1000.0))
                .collect();
            (fields[0].to_owned(), Outcome { text: read, times })
        })
        .collect()
}

fn main() {
    let args = args();
    let set = args.set.clone().unwrap_or_else(frame_set::set_dir);
    println!("set: {}", set.display());
    let frames = frame_set::load_all_from(&set);
    let zxing_run = args
        .zxing_python
        .as_deref()
        .map(|python| ZxingRun::prepare(python, &set, &frames));
    let zxing_first_half = args.reps.div_ceil(2);
    if let Some(run) = &zxing_run {
        run.pass(zxing_first_half, "zxing-1.tsv", None);
    }
    let decoders: [(&str, Decoder); 2] = [("v0", decode_v0), ("now", hadir::camera::decode)];
    let mut outcomes: Vec<Vec<Outcome>> =
        vec![vec![Outcome::default(); decoders.len()]; frames.len()];
    let luma: Vec<LumaFrame> = frames
        .iter()
        .map(|f| LumaFrame {
            width: f.width,
            height: f.height,
            pixels: f.pixels.clone(),
        })
        .collect();
    // Warm-up, then reps rounds over the whole set, each frame's decoders back to back.
    for frame in &luma {
        for (_, decode) in &decoders {
            decode(frame);
        }
    }
    for rep in 0..args.reps {
        for (index, frame) in luma.iter().enumerate() {
            for turn in 0..decoders.len() {
                // Alternate who goes first, so neither always runs on a warm cache.
                let which = if rep % 2 == 0 {
                    turn
                } else {
                    decoders.len() - 1 - turn
                };
                let started = Instant::now();
                let text = std::hint::black_box(decoders[which].1(frame));
                let elapsed = started.elapsed();
                let outcome = &mut outcomes[index][which];
                if rep == 0 {
                    outcome.text = text;
                }
                outcome.times.push(elapsed);
            }
        }
    }
    let zxing = zxing_run.as_ref().map(|run| {
        run.pass(
            args.reps - zxing_first_half,
            "zxing.tsv",
            Some("zxing-1.tsv"),
        );
        read_zxing(&run.out.join("zxing.tsv"))
    });
    let mut names: Vec<&str> = decoders.iter().map(|(name, _)| *name).collect();
    let mut columns = outcomes;
    if let Some(zxing) = &zxing {
        names.push("zxing-cpp");
        for (index, frame) in frames.iter().enumerate() {
            let outcome = zxing
                .get(&frame.name)
                .unwrap_or_else(|| panic!("zxing results lack {}", frame.name));
            columns[index].push(outcome.clone());
        }
    }
    report(&frames, &names, &columns, args.reps);
}

fn report(frames: &[frame_set::SetFrame], names: &[&str], outcomes: &[Vec<Outcome>], reps: usize) {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (index, frame) in frames.iter().enumerate() {
        match groups.iter_mut().find(|(name, _)| *name == frame.category) {
            Some((_, members)) => members.push(index),
            None => groups.push((frame.category.clone(), vec![index])),
        }
    }
    let idle_vga: Vec<usize> = (0..frames.len())
        .filter(|&i| {
            frames[i].expected.is_none() && frames[i].width == 640 && frames[i].height == 480
        })
        .collect();
    groups.push(("idle 640x480".into(), idle_vga));
    groups.push(("all".into(), (0..frames.len()).collect()));

    println!(
        "{} frames, {reps} reps each; load average {}",
        frames.len(),
        load_average()
    );
    println!("read: codes read right (idle: frames left alone); wrong: another text, or a code read on an idle frame");
    let mut header = vec!["category".to_owned(), "frames".to_owned()];
    for name in names {
        header.push(format!("read {name}"));
    }
    for name in names {
        header.push(format!("median ms {name}"));
    }
    for name in names {
        header.push(format!("p99 ms {name}"));
    }
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    print_header(&header_refs);
    for (group, members) in &groups {
        let mut cells = vec![group.clone(), members.len().to_string()];
        for which in 0..names.len() {
            let (mut right, mut wrong) = (0, 0);
            for &i in members {
                let got = &outcomes[i].get(which).expect("a column per decoder").text;
                if *got == frames[i].expected {
                    right += 1;
                } else if got.is_some() {
                    wrong += 1;
                }
            }
            cells.push(if wrong > 0 {
                format!("{right} ({wrong} wrong)")
            } else {
                right.to_string()
            });
        }
        let summaries: Vec<Summary> = (0..names.len())
            .map(|which| {
                Summary::of(
                    members
                        .iter()
                        .flat_map(|&i| outcomes[i][which].times.iter().copied())
                        .collect(),
                )
            })
            .collect();
        cells.extend(summaries.iter().map(|s| ms_cell(s.p50(), 2)));
        cells.extend(summaries.iter().map(|s| ms_cell(s.p99(), 2)));
        print_row(&cells);
    }
    // The whole set once: the sum of each frame's median time (what a kiosk pays per pass).
    let totals: Vec<f64> = (0..names.len())
        .map(|which| {
            outcomes
                .iter()
                .map(|frame| bench_stats::ms(Summary::of(frame[which].times.clone()).p50()))
                .sum()
        })
        .collect();
    println!();
    for (name, total) in names.iter().zip(&totals) {
        println!("whole set, sum of per-frame medians: {name} {total:.1} ms");
    }
    if names.len() == 3 {
        println!(
            "time vs zxing-cpp: v0 {:.2}x, now {:.2}x",
            totals[0] / totals[2],
            totals[1] / totals[2]
        );
    }
    println!();
    println!("per frame (text read: + right, - missed, x wrong):");
    for (index, frame) in frames.iter().enumerate() {
        let marks: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(which, name)| {
                let got = &outcomes[index][which].text;
                let mark = if *got == frame.expected {
                    "+"
                } else if got.is_some() {
                    "x"
                } else {
                    "-"
                };
                let median = Summary::of(outcomes[index][which].times.clone()).p50();
                format!("{name} {mark} {}", ms_cell(median, 2))
            })
            .collect();
        println!("  {:28} {}", frame.name, marks.join("  "));
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}
