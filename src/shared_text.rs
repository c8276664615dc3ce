//! Text that can share the buffer it was decoded from. A warm build reads
//! about 180 MB of saved renderings at 10,000 pages; copying each page's
//! HTML and section text out of them allocated as much again and cost more
//! than the read itself. A [`SharedText`] field marked
//! `#[serde(deserialize_with = "crate::shared_text::deserialize")]` points
//! into the buffer when it is decoded inside [`decode_from`], and holds a
//! copy otherwise (any other decoder, or bytes from elsewhere).

use bytes::Bytes;
pub use bytestring::ByteString as SharedText;
use serde::de::{self, Deserializer, Unexpected};
use std::cell::RefCell;
use std::fmt;

thread_local! {
    /// The buffer this thread is decoding, inside [`decode_from`].
    static SOURCE: RefCell<Option<Bytes>> = const { RefCell::new(None) };
}

/// Runs `decode` on the bytes of `source`, with the shared-text fields it
/// decodes pointing into `source` (which they then keep alive).
pub fn decode_from<T>(source: &Bytes, decode: impl FnOnce(&[u8]) -> T) -> T {
    /// Puts back the buffer an enclosing call was decoding, even on a panic.
    struct Restore(Option<Bytes>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            SOURCE.with(|s| *s.borrow_mut() = previous);
        }
    }
    let _restore = Restore(SOURCE.with(|s| s.replace(Some(source.clone()))));
    decode(source)
}

/// Decodes a [`SharedText`], sharing the buffer [`decode_from`] is decoding
/// when the text lies in it.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SharedText, D::Error> {
    d.deserialize_bytes(TextVisitor)
}

/// `bytes` as part of `source`, when they lie in it.
fn within(source: &Bytes, bytes: &[u8]) -> Option<Bytes> {
    let start = source.as_ptr() as usize;
    let at = bytes.as_ptr() as usize;
    (at >= start && at + bytes.len() <= start + source.len()).then(|| source.slice_ref(bytes))
}

struct TextVisitor;

impl<'de> de::Visitor<'de> for TextVisitor {
    type Value = SharedText;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("UTF-8 text")
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<SharedText, E> {
        let shared = SOURCE.with(|s| s.borrow().as_ref().and_then(|source| within(source, v)));
        let bytes = shared.unwrap_or_else(|| Bytes::copy_from_slice(v));
        SharedText::try_from(bytes).map_err(|_| E::invalid_value(Unexpected::Bytes(v), &self))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<SharedText, E> {
        std::str::from_utf8(v).map(SharedText::from).map_err(|_| E::invalid_value(Unexpected::Bytes(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<SharedText, E> {
        Ok(SharedText::from(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<SharedText, E> {
        Ok(SharedText::from(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bincode::Options as _;
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Doc {
        #[serde(deserialize_with = "deserialize")]
        html: SharedText,
        title: String,
    }

    fn encoded(docs: &[Doc]) -> Bytes {
        Bytes::from(bincode::DefaultOptions::new().with_varint_encoding().serialize(docs).expect("encodes"))
    }

    fn decoded(bytes: &[u8]) -> Vec<Doc> {
        bincode::DefaultOptions::new().with_varint_encoding().deserialize(bytes).expect("decodes")
    }

    fn lies_in(text: &SharedText, source: &Bytes) -> bool {
        let (start, at) = (source.as_ptr() as usize, text.as_ptr() as usize);
        at >= start && at + text.len() <= start + source.len()
    }

    #[test]
    fn text_decoded_from_a_source_points_into_it_and_reads_the_same() {
        let docs = vec![
            Doc { html: "<p>Rupture and repair</p>".into(), title: "One".into() },
            Doc { html: "<p>Ça va — naïve</p>".into(), title: "Two".into() },
        ];
        let source = encoded(&docs);
        let back = decode_from(&source, decoded);
        assert_eq!(back, docs);
        assert!(back.iter().all(|d| lies_in(&d.html, &source)), "the HTML was copied out of the buffer");
    }

    #[test]
    fn text_decoded_elsewhere_is_a_copy() {
        let docs = vec![Doc { html: "<p>Alliance</p>".into(), title: "One".into() }];
        let source = encoded(&docs);
        let back = decoded(&source);
        assert_eq!(back, docs);
        assert!(!lies_in(&back[0].html, &source), "outside decode_from no buffer is shared");
        let json: Doc = serde_json::from_str(r#"{"html":"<p>a \"b\"</p>","title":"T"}"#).expect("decodes from JSON");
        assert_eq!(&*json.html, "<p>a \"b\"</p>");
    }

    #[test]
    fn bytes_that_are_not_utf8_are_an_error_not_text() {
        let mut source = encoded(&[Doc { html: "<p>ab</p>".into(), title: "T".into() }]).to_vec();
        let at = source.iter().position(|&b| b == b'a').expect("the text is in the buffer");
        source[at] = 0xff;
        let source = Bytes::from(source);
        let back: Result<Vec<Doc>, _> =
            decode_from(&source, |b| bincode::DefaultOptions::new().with_varint_encoding().deserialize(b));
        assert!(back.is_err(), "invalid UTF-8 was taken as text: {back:?}");
    }
}
