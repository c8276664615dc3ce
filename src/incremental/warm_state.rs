//! The state a build leaves for the next, warm one ([`Warm`]): the records
//! of what each output read, the copied files, what each search file was
//! made from and the saved markdown renderings, and how it is written and
//! read back. The warm build itself is [`super::warm`].

use super::records::{Records, Saved};
use super::saved_markdown;
use crate::model::Site;
use crate::output::Output;
use crate::pipeline::Memo;
use crate::render::Made;
use crate::search::reuse::Sources;
use bincode::Options as _;
use std::path::PathBuf;

/// The state's layout; a state of another layout is not used.
const FORMAT: u32 = 5;

/// What a build leaves for the next, warm one.
pub struct Warm {
    pub(super) records: Records,
    /// The copied files (static files and assets): an output rendered at
    /// one of their paths is hidden, so its target renders again whenever
    /// the copied files may have changed.
    pub(super) copied: Vec<PathBuf>,
    /// What each search index file was made from.
    pub(super) search: Sources,
    /// This build's markdown renderings, to save ([`Warm::settle`]).
    pub(super) memo: Memo,
    /// The last build's saved renderings' index.
    pub(super) markdown: saved_markdown::Index,
    /// The renderings saved and the state encoded up to the search sources,
    /// once done ([`Warm::settle`]; a warm build does it while the search
    /// index is made).
    pub(super) head: Option<Head>,
}

/// The state's bytes up to the search sources (the layout, the saved
/// renderings' index, records and copied files), with the error that kept
/// the renderings from being saved, if one did.
pub(super) struct Head {
    bytes: Vec<u8>,
    unsaved: Option<std::io::Error>,
}

impl Head {
    /// Saves `memo`'s renderings into `dir` (keeping the buckets of `last`
    /// that still hold), then encodes the state's head naming them; when
    /// they could not be saved, it names none and the next build renders
    /// all markdown.
    pub(super) fn of(
        (memo, last): (&Memo, &saved_markdown::Index),
        records: &Records,
        copied: &[PathBuf],
        dir: std::io::Result<PathBuf>,
    ) -> Head {
        let (markdown, unsaved) = match dir.and_then(|dir| saved_markdown::save(&dir, memo, last)) {
            Ok(index) => (index, None),
            Err(e) => (saved_markdown::Index::default(), Some(e)),
        };
        let bytes = encoding().serialize(&(FORMAT, &markdown, records.save(), copied)).expect("encodes into memory");
        Head { bytes, unsaved }
    }
}

/// A state ready to write: its head and the search sources that end it.
pub struct Settled<'a> {
    head: &'a [u8],
    search: &'a Sources,
}

impl Settled<'_> {
    /// Writes the state for the next build (read back by [`Warm::from_bytes`]).
    pub fn write_to(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        w.write_all(self.head)?;
        encoding().serialize_into(w, self.search).map_err(std::io::Error::other)
    }
}

/// The state as saved: its layout, the saved renderings' index (first, so
/// it can be read before the rest), records, copied files and search sources.
type OnDisk = (u32, saved_markdown::Index, Saved, Vec<PathBuf>, Sources);

impl Warm {
    /// What a full build's outputs read (its search index comes next:
    /// [`Warm::with_search`]).
    pub fn of(site: &Site, made: &[Made], copied: &[Output], memo: Memo) -> Warm {
        let mut records = Records::unindexed();
        records.record(site, made);
        let copied = copied.iter().map(|o| o.path.clone()).collect();
        Warm::new(records, copied, Sources::default(), (memo, saved_markdown::Index::default()), None)
    }

    /// With what the search index's files were made from.
    pub fn with_search(self, search: Sources) -> Warm {
        Warm::new(self.records, self.copied, search, (self.memo, self.markdown), self.head)
    }

    /// The state of a build whose copied files are `copied`: a search file
    /// a copied one replaced is not the index's to keep.
    pub(super) fn new(
        records: Records,
        copied: Vec<PathBuf>,
        mut search: Sources,
        (memo, markdown): (Memo, saved_markdown::Index),
        head: Option<Head>,
    ) -> Warm {
        copied.iter().for_each(|p| search.forget(p));
        Warm { records, copied, search, memo, markdown, head }
    }

    /// Saves this build's renderings into `dir` and encodes the state that
    /// names them, unless that was done while the build ran; the state to
    /// write, and the error that kept the renderings from being saved.
    pub fn settle(&mut self, dir: impl FnOnce() -> std::io::Result<PathBuf>) -> (Settled<'_>, Option<std::io::Error>) {
        let Warm { records, copied, search, memo, markdown, head } = self;
        let head = head.get_or_insert_with(|| Head::of((memo, markdown), records, copied, dir()));
        (Settled { head: &head.bytes, search }, head.unsaved.take())
    }

    /// The state in `bytes`; `None` when it is of another layout.
    pub fn from_bytes(bytes: &[u8]) -> Option<Warm> {
        let (format, markdown, records, copied, search): OnDisk = encoding().deserialize(bytes).ok()?;
        let records = Records::from_saved(records);
        (format == FORMAT).then(|| Warm { records, copied, search, memo: Memo::default(), markdown, head: None })
    }

    /// Only the saved renderings' index, read from the start of the state;
    /// `None` when it is of another layout.
    pub(super) fn markdown_index(bytes: &[u8]) -> Option<saved_markdown::Index> {
        let (format, index): (u32, saved_markdown::Index) =
            encoding().allow_trailing_bytes().deserialize(bytes).ok()?;
        (format == FORMAT).then_some(index)
    }

    /// A state that knows no target: a build from it renders everything.
    pub(super) fn empty() -> Warm {
        let (records, search) = (Records::unindexed(), Sources::default());
        Warm { records, copied: Vec::new(), search, memo: Memo::default(), markdown: Default::default(), head: None }
    }
}

/// Variable-length integers: most counts and ids are small, and the state
/// is read and written on every build.
fn encoding() -> impl bincode::Options {
    use bincode::Options;
    bincode::DefaultOptions::new().with_varint_encoding()
}
