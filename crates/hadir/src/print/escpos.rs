//! ESC/POS bytes for a raster ticket: initialise, the image as `GS v 0` bands, feed, cut.
//! Understood by the common 80 mm and 58 mm thermal printers (Epson TM series and clones).

use crate::ticket::raster::Bitmap;

/// Rows per `GS v 0` command: small bands keep cheap printers' buffers happy.
const BAND_ROWS: usize = 128;

/// The whole print job for one ticket.
pub fn encode(bitmap: &Bitmap) -> Vec<u8> {
    let bytes_per_row = bitmap.width.div_ceil(8);
    let bands = bitmap.height.div_ceil(BAND_ROWS);
    let mut out = Vec::with_capacity(2 + bands * 8 + bytes_per_row * bitmap.height + 7);
    out.extend([0x1B, 0x40]); // ESC @: initialise
    for band_top in (0..bitmap.height).step_by(BAND_ROWS) {
        let rows = BAND_ROWS.min(bitmap.height - band_top);
        // GS v 0 m xL xH yL yH: m = 0 (normal size), x in bytes, y in dots.
        out.extend([0x1D, 0x76, 0x30, 0x00]);
        out.extend((bytes_per_row as u16).to_le_bytes());
        out.extend((rows as u16).to_le_bytes());
        for y in band_top..band_top + rows {
            let row = &bitmap.dark[y * bitmap.width..(y + 1) * bitmap.width];
            let mut whole_bytes = row.chunks_exact(8);
            for eight in &mut whole_bytes {
                let ones: [u8; 8] = std::array::from_fn(|i| u8::from(eight[i]));
                // Eight 0/1 bytes to eight bits at once, the first dot the high bit: the
                // multiply adds byte i's bit at bit 63 - i (no two terms meet: no carry).
                let byte =
                    (u64::from_le_bytes(ones).wrapping_mul(0x8040_2010_0804_0201) >> 56) as u8;
                push_image_byte(&mut out, byte);
            }
            let rest = whole_bytes.remainder();
            if !rest.is_empty() {
                push_image_byte(&mut out, pack_dots(rest));
            }
        }
    }
    out.extend([0x1B, 0x64, 0x04]); // ESC d 4: feed four lines past the cutter
    out.extend([0x1D, 0x56, 0x42, 0x00]); // GS V 66 0: feed and partial cut
    out
}

/// Up to eight dots as one byte, the first dot the high bit (a short last byte is padded white).
fn pack_dots(dots: &[bool]) -> u8 {
    dots.iter().enumerate().fold(
        0u8,
        |acc, (bit, &dark)| {
            if dark {
                acc | (0x80 >> bit)
            } else {
                acc
            }
        },
    )
}

/// Appends one byte of image data. Printers act on real-time commands (`DLE EOT` status,
/// `DLE ENQ` recovery, `DLE DC4` drawer pulse or power off) wherever the bytes appear, image
/// data included; so where the image would spell `DLE` followed by `EOT`, `ENQ` or `DC4`, that
/// `DLE` byte's one dot (bit 3) is left white. One dot is invisible on a ticket; a stray status
/// answer would confuse the status check, a stray power-off would stop the printer.
fn push_image_byte(out: &mut Vec<u8>, byte: u8) {
    const DLE: u8 = 0x10;
    if matches!(byte, 0x04 | 0x05 | 0x14) {
        if let Some(last) = out.last_mut().filter(|last| **last == DLE) {
            *last = 0x00;
        }
    }
    out.push(byte);
}

/// Reads the raster back out of ESC/POS bytes (the inverse of [`encode`]), for tests and for
/// printer stand-ins. `None` if the bytes hold no well-formed `GS v 0` image.
pub fn decode_raster(bytes: &[u8]) -> Option<Bitmap> {
    let mut width_bytes = None;
    let mut dark = Vec::new();
    let mut height = 0;
    let mut i = 0;
    while i + 8 <= bytes.len() {
        if bytes[i..i + 4] != [0x1D, 0x76, 0x30, 0x00] {
            i += 1;
            continue;
        }
        let x = usize::from(u16::from_le_bytes([bytes[i + 4], bytes[i + 5]]));
        let y = usize::from(u16::from_le_bytes([bytes[i + 6], bytes[i + 7]]));
        if *width_bytes.get_or_insert(x) != x {
            return None;
        }
        let data = bytes.get(i + 8..i + 8 + x * y)?;
        for byte in data {
            dark.extend((0..8).map(|bit| byte & (0x80 >> bit) != 0));
        }
        height += y;
        i += 8 + x * y;
    }
    let width = width_bytes? * 8;
    Some(Bitmap {
        width,
        height,
        dark,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_then_decode_gives_the_same_image() {
        let width = 16;
        let height = 300; // more than two bands
        let dark: Vec<bool> = (0..width * height).map(|i| (i * 7) % 5 == 0).collect();
        let bitmap = Bitmap {
            width,
            height,
            dark,
        };
        let bytes = encode(&bitmap);
        assert_eq!(
            &bytes[..2],
            &[0x1B, 0x40],
            "starts by initialising the printer"
        );
        assert_eq!(
            &bytes[bytes.len() - 4..],
            &[0x1D, 0x56, 0x42, 0x00],
            "ends with a cut"
        );
        assert_eq!(decode_raster(&bytes), Some(bitmap));
    }

    #[test]
    fn image_data_never_spells_a_real_time_command() {
        // One row of 32 dots whose bytes would be DLE EOT 1 (a status query) and DLE DC4 2.
        let row_bytes = [0x10u8, 0x04, 0x01, 0x10, 0x14, 0x02];
        let width = row_bytes.len() * 8;
        let dark: Vec<bool> = row_bytes
            .iter()
            .flat_map(|byte| (0..8).map(move |bit| byte & (0x80 >> bit) != 0))
            .collect();
        let bitmap = Bitmap {
            width,
            height: 1,
            dark: dark.clone(),
        };
        let bytes = encode(&bitmap);
        for command in [[0x10, 0x04], [0x10, 0x05], [0x10, 0x14]] {
            assert!(
                !bytes.windows(2).any(|w| w == command),
                "{command:02x?} in {bytes:02x?}"
            );
        }
        let back = decode_raster(&bytes).expect("still an image");
        let changed: Vec<usize> = (0..width).filter(|&i| back.dark[i] != dark[i]).collect();
        assert_eq!(
            changed,
            vec![3, 27],
            "only the two DLE bytes' dot is left white"
        );
    }

    #[test]
    fn rows_of_any_width_pack_dot_by_dot() {
        // Widths with and without a short last byte; every byte value occurs.
        for width in [8, 13, 576] {
            let height = 70;
            let dark: Vec<bool> = (0..width * height)
                .map(|i| ((i * 2_654_435_761usize) >> 7).is_multiple_of(3))
                .collect();
            let bitmap = Bitmap {
                width,
                height,
                dark,
            };
            let bytes = encode(&bitmap);
            let header = 2 + 8;
            let bytes_per_row = width.div_ceil(8);
            for y in 0..height {
                let row = &bitmap.dark[y * width..(y + 1) * width];
                for (i, dots) in row.chunks(8).enumerate() {
                    let byte = bytes[header + y * bytes_per_row + i];
                    let expected = pack_dots(dots);
                    // The DLE rule may whiten bit 3 of a 0x10 before EOT, ENQ or DC4.
                    assert!(
                        byte == expected || (expected == 0x10 && byte == 0x00),
                        "row {y} byte {i}: {byte:#04x} for {dots:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn garbage_is_not_an_image() {
        assert_eq!(decode_raster(b"hello printer"), None);
    }
}
