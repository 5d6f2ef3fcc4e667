//! The camera frame set (`testdata/camera`, see its README.md): `frames.tsv` read and each JPEG
//! decoded to grey, the way a webcam's MJPEG frame reaches the decoder. Shared by the camera
//! tests and `benches/camera.rs` (which includes this file by path), so both see the same pixels.

use std::path::{Path, PathBuf};

/// One frame of the set: where it came from, what it shows, and its grey pixels row by row.
pub struct SetFrame {
    pub name: String,
    pub category: String,
    /// The code's text; `None` for an idle frame (no code in view).
    pub expected: Option<String>,
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

pub fn set_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/camera")
}

/// Every frame listed in `frames.tsv`, in its order.
pub fn load_all() -> Vec<SetFrame> {
    load_all_from(&set_dir())
}

/// The same from another folder laid out alike: a held-out set that
/// `scripts/make-camera-frames.py --seed N --out DIR` made (BENCHMARKS.md).
pub fn load_all_from(dir: &Path) -> Vec<SetFrame> {
    let list = std::fs::read_to_string(dir.join("frames.tsv")).expect("frames.tsv");
    list.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            let mut fields = line.splitn(3, '\t');
            let name = fields.next().expect("file").to_owned();
            let category = fields.next().expect("category").to_owned();
            let expected = fields
                .next()
                .filter(|text| !text.is_empty())
                .map(str::to_owned);
            let (width, height, pixels) = decode_jpeg(&dir.join(&name));
            SetFrame {
                name,
                category,
                expected,
                width,
                height,
                pixels,
            }
        })
        .collect()
}

/// One frame of the set by its file name.
pub fn load(name: &str) -> SetFrame {
    load_all()
        .into_iter()
        .find(|frame| frame.name == name)
        .unwrap_or_else(|| panic!("{name} is not in frames.tsv"))
}

fn decode_jpeg(path: &Path) -> (u32, u32, Vec<u8>) {
    use zune_jpeg::zune_core::{colorspace::ColorSpace, options::DecoderOptions};
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let options = DecoderOptions::default().jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(&bytes[..], options);
    let pixels = decoder
        .decode()
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
    let (width, height) = decoder.dimensions().expect("decoded");
    assert_eq!(pixels.len(), width * height, "{}: grey", path.display());
    (width as u32, height as u32, pixels)
}
