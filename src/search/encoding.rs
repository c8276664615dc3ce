//! How the index's files are encoded: little-endian base-128 varints for
//! the binary files, and deterministic gzip for all but the manifest (the
//! client inflates them with `DecompressionStream`).

use std::io::Write;

/// Appends `v` as a little-endian base-128 varint.
pub(super) fn put_varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

/// Deterministic gzip (no name, no timestamp). The fastest level: fragments
/// are most of the index, and level 6 saves only 8% of their bytes for
/// about twice the time.
pub(super) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3 + 32), flate2::Compression::new(2));
    enc.write_all(bytes).expect("writing to memory");
    let mut gz = enc.finish().expect("writing to memory");
    // Held until the end of a build, thousands of them: no spare room.
    gz.shrink_to_fit();
    gz
}
