//! Embeds of files that are not notes (`![[talk.pdf]]`, `![[interview.mp3]]`):
//! each becomes the element a browser shows it with, chosen by extension as
//! Obsidian does; formats rapport cannot show (Bases, Canvas) become a short
//! note saying so.
//!
//! The elements are put in after the page is sanitised, behind markers:
//! the sanitiser rightly refuses `<object>` from raw HTML, but these are
//! rapport's own, with a URL it resolved itself.

use super::escape_attr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Image,
    Pdf,
    Audio,
    Video,
    /// A format Obsidian shows and rapport cannot: its name, for messages.
    Unsupported(&'static str),
    /// No extension, or one Obsidian does not embed (a note name, `data.csv`).
    Other,
}

const IMAGE: &[&str] = &["avif", "bmp", "gif", "jpeg", "jpg", "png", "svg", "webp"];
const AUDIO: &[&str] = &["mp3", "wav", "m4a", "3gp", "flac", "ogg", "oga", "opus"];
// Obsidian lists webm as audio too but plays it in a video element, which
// also plays an audio-only file.
const VIDEO: &[&str] = &["mp4", "webm", "ogv", "mov", "mkv"];
const UNSUPPORTED: &[(&str, &str)] = &[("base", "Obsidian Base"), ("canvas", "Obsidian Canvas")];

/// What a file name is, by its extension (case aside).
pub fn kind_of(name: &str) -> FileKind {
    let file = name.rsplit('/').next().unwrap_or(name);
    let Some((_, ext)) = file.rsplit_once('.') else { return FileKind::Other };
    let ext = ext.to_ascii_lowercase();
    let is = |list: &[&str]| list.contains(&ext.as_str());
    if is(IMAGE) {
        FileKind::Image
    } else if ext == "pdf" {
        FileKind::Pdf
    } else if is(AUDIO) {
        FileKind::Audio
    } else if is(VIDEO) {
        FileKind::Video
    } else {
        UNSUPPORTED.iter().find(|(e, _)| *e == ext).map_or(FileKind::Other, |(_, what)| FileKind::Unsupported(what))
    }
}

/// True when a wikilink names a file rather than a note (`[[talk.pdf]]`), so
/// a missing one is a missing file, not a missing `talk.pdf.md`.
pub fn is_file_name(name: &str) -> bool {
    kind_of(name) != FileKind::Other
}

/// The element for an embedded file at `url`; `name` is the file's name as
/// written, the fallback link's text. `size` is `|W` or `|WxH`.
pub fn element(kind: FileKind, url: &str, name: &str, size: Option<(u32, Option<u32>)>) -> String {
    let (url, name) = (escape_attr(url), escape_attr(name));
    let fallback = format!("<a href=\"{url}\">{name}</a>");
    let size = size.map_or(String::new(), |(w, h)| match h {
        Some(h) => format!(" width=\"{w}\" height=\"{h}\""),
        None => format!(" width=\"{w}\""),
    });
    match kind {
        FileKind::Pdf => {
            format!("<object class=\"embed-pdf\" data=\"{url}\" type=\"application/pdf\"{size}>{fallback}</object>")
        }
        FileKind::Audio => {
            format!("<audio class=\"embed-audio\" controls preload=\"metadata\" src=\"{url}\">{fallback}</audio>")
        }
        FileKind::Video => {
            format!("<video class=\"embed-video\" controls preload=\"metadata\" src=\"{url}\"{size}>{fallback}</video>")
        }
        FileKind::Unsupported(what) => {
            format!("<span class=\"embed-unsupported\">{name}: an {what}, which this site cannot show</span>")
        }
        FileKind::Image | FileKind::Other => format!("<a class=\"embed-file\" href=\"{url}\">{name}</a>"),
    }
}

/// Stands for the `index`th file element until the page is sanitised.
pub fn marker(index: usize) -> String {
    format!("\u{FFFC}rapport-file-{index}\u{FFFC}")
}

/// Puts the elements in place of their markers.
pub fn fill(html: &str, elements: &[String]) -> String {
    let mut out = html.to_string();
    for (i, element) in elements.iter().enumerate() {
        out = out.replacen(&marker(i), element, 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_extension_ignoring_case() {
        assert_eq!(kind_of("a/Talk.PDF"), FileKind::Pdf);
        assert_eq!(kind_of("song.Mp3"), FileKind::Audio);
        assert_eq!(kind_of("clip.webm"), FileKind::Video);
        assert_eq!(kind_of("Albums.base"), FileKind::Unsupported("Obsidian Base"));
        assert_eq!(kind_of("v1.2 notes"), FileKind::Other);
        assert_eq!(kind_of("folder.v2/Note"), FileKind::Other);
        assert!(is_file_name("pic.PNG") && !is_file_name("Note"));
    }
}
