//! ESC/POS bytes for a raster ticket: initialise, the image as `GS v 0` bands, feed, cut.
//! Understood by the common 80 mm and 58 mm thermal printers (Epson TM series and clones).

use crate::ticket::raster::Bitmap;

/// Rows per `GS v 0` command: small bands keep cheap printers' buffers happy.
const BAND_ROWS: usize = 128;

/// The whole print job for one ticket.
pub fn encode(bitmap: &Bitmap) -> Vec<u8> {
    let bytes_per_row = bitmap.width.div_ceil(8);
    let mut out = vec![0x1B, 0x40]; // ESC @: initialise
    for band_top in (0..bitmap.height).step_by(BAND_ROWS) {
        let rows = BAND_ROWS.min(bitmap.height - band_top);
        // GS v 0 m xL xH yL yH: m = 0 (normal size), x in bytes, y in dots.
        out.extend([0x1D, 0x76, 0x30, 0x00]);
        out.extend((bytes_per_row as u16).to_le_bytes());
        out.extend((rows as u16).to_le_bytes());
        for y in band_top..band_top + rows {
            let row = &bitmap.dark[y * bitmap.width..(y + 1) * bitmap.width];
            for chunk in row.chunks(8) {
                let byte = chunk.iter().enumerate().fold(0u8, |acc, (bit, &dark)| {
                    if dark {
                        acc | (0x80 >> bit)
                    } else {
                        acc
                    }
                });
                out.push(byte);
            }
        }
    }
    out.extend([0x1B, 0x64, 0x04]); // ESC d 4: feed four lines past the cutter
    out.extend([0x1D, 0x56, 0x42, 0x00]); // GS V 66 0: feed and partial cut
    out
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
    fn garbage_is_not_an_image() {
        assert_eq!(decode_raster(b"hello printer"), None);
    }
}
