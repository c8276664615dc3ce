//! The saved form of each document's analysis ([`super::index::Analyses`]):
//! packed by hand into byte runs, a batch of documents at a time in
//! parallel, so the warm state of a large site is written and read in big
//! runs of bytes rather than one varint call per count (the state is saved
//! on every build, so this is on the path of every warm edit).
//!
//! A document is its print (8 bytes), its length and its number of forms
//! (varints), the id of each form (varints), its number of impacts (a
//! varint), then per impact the id of a form of its stem (a varint) and the
//! impact (a byte).

use super::encoding::put_varint as varint;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::de::{Error as _, SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserializer, Serializer};

/// Documents packed into one run of bytes.
const RUN: usize = 256;
/// Runs packed at once: bounds the bytes held before they are written.
const BATCH: usize = 16;

/// One document's analysis: its form ids, (form id, impact) for each of its
/// stems, and its length in words.
pub(super) type Doc = (Vec<u32>, Vec<(u32, u8)>, u32);

pub(super) fn serialize<S: Serializer>(docs: &FxHashMap<u64, Doc>, s: S) -> Result<S::Ok, S::Error> {
    let docs: Vec<(&u64, &Doc)> = docs.iter().collect();
    let runs: Vec<&[(&u64, &Doc)]> = docs.chunks(RUN).collect();
    let mut seq = s.serialize_seq(Some(runs.len()))?;
    for batch in runs.chunks(BATCH) {
        let packed: Vec<Vec<u8>> = batch.par_iter().map(|run| pack(run)).collect();
        for bytes in &packed {
            seq.serialize_element(serde_bytes::Bytes::new(bytes))?;
        }
    }
    seq.end()
}

pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<FxHashMap<u64, Doc>, D::Error> {
    d.deserialize_seq(Runs)
}

struct Runs;

impl<'de> Visitor<'de> for Runs {
    type Value = FxHashMap<u64, Doc>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("runs of packed analyses")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut docs = FxHashMap::default();
        while let Some(run) = seq.next_element::<serde_bytes::ByteBuf>()? {
            unpack(&run, &mut docs).ok_or_else(|| A::Error::custom("a packed analysis is cut short"))?;
        }
        Ok(docs)
    }
}

fn pack(run: &[(&u64, &Doc)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(run.len() * 256);
    for (print, (forms, impacts, len)) in run {
        out.extend_from_slice(&print.to_le_bytes());
        varint(&mut out, u64::from(*len));
        varint(&mut out, forms.len() as u64);
        forms.iter().for_each(|&id| varint(&mut out, u64::from(id)));
        varint(&mut out, impacts.len() as u64);
        for &(id, impact) in impacts {
            varint(&mut out, u64::from(id));
            out.push(impact);
        }
    }
    out
}

/// The documents of one run into `docs`; `None` when the bytes end early
/// or hold a number too large for its place.
fn unpack(mut bytes: &[u8], docs: &mut FxHashMap<u64, Doc>) -> Option<()> {
    while !bytes.is_empty() {
        let (print, rest) = bytes.split_first_chunk::<8>()?;
        bytes = rest;
        let len = u32::try_from(read_varint(&mut bytes)?).ok()?;
        let count = usize::try_from(read_varint(&mut bytes)?).ok()?;
        let mut forms = Vec::with_capacity(count.min(bytes.len()));
        for _ in 0..count {
            forms.push(read_id(&mut bytes)?);
        }
        let count = usize::try_from(read_varint(&mut bytes)?).ok()?;
        let mut impacts = Vec::with_capacity(count.min(bytes.len()));
        for _ in 0..count {
            let id = read_id(&mut bytes)?;
            let (&impact, rest) = bytes.split_first()?;
            bytes = rest;
            impacts.push((id, impact));
        }
        docs.insert(u64::from_le_bytes(*print), (forms, impacts, len));
    }
    Some(())
}

/// A form id: a varint that fits a `u32`.
fn read_id(bytes: &mut &[u8]) -> Option<u32> {
    u32::try_from(read_varint(bytes)?).ok()
}

/// Reads what [`varint`] wrote.
fn read_varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        n |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use bincode::Options;

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Held(#[serde(with = "super")] FxHashMap<u64, Doc>);

    fn docs(n: u64) -> FxHashMap<u64, Doc> {
        let forms = |d: u64| (0..d % 7).map(|i| i as u32 * 300 + d as u32).collect();
        let impacts = |d: u64| (0..d % 5).map(|i| (u32::MAX - i as u32, (d * 37 + i) as u8)).collect();
        (0..n).map(|d| (d.wrapping_mul(0x9e37_79b9_7f4a_7c15), (forms(d), impacts(d), d as u32 * 1_000))).collect()
    }

    #[test]
    fn analyses_read_back_as_written_across_many_runs() {
        let held = Held(docs(RUN as u64 * BATCH as u64 * 2 + 5));
        let bytes = bincode::DefaultOptions::new().with_varint_encoding().serialize(&held).unwrap();
        let back: Held = bincode::DefaultOptions::new().with_varint_encoding().deserialize(&bytes).unwrap();
        assert_eq!(back, held);
    }

    #[test]
    fn a_run_cut_short_is_an_error_not_a_shorter_map() {
        let docs = docs(40);
        let entries: Vec<(&u64, &Doc)> = docs.iter().collect();
        let bytes = pack(&entries);
        let mut whole = FxHashMap::default();
        assert_eq!(unpack(&bytes, &mut whole), Some(()));
        assert_eq!(whole, docs);
        for cut in [1, 9, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(unpack(&bytes[..cut], &mut FxHashMap::default()), None, "cut at {cut}");
        }
    }
}
