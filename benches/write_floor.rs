//! The file-system floor of a cold build: writes a copy of an existing
//! output folder (every file's bytes read into memory first) into a new
//! folder, in parallel the way rapport's stage does (`create_dir_all` once
//! per folder, `fs::write` per file, on rayon's threads), and does nothing
//! else. Timed next to Hugo by benches/floor.sh, it shows what creating a
//! build's files costs on this machine before any page is rendered.
//! Usage: cargo bench --bench write_floor -- SOURCE_FOLDER NEW_FOLDER

use rayon::prelude::*;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let [source, target] = &args[..] else {
        eprintln!("usage: write_floor SOURCE_FOLDER NEW_FOLDER");
        std::process::exit(2);
    };
    let (source, target) = (PathBuf::from(source), PathBuf::from(target));
    assert!(!target.exists(), "{} exists: the floor is measured into a new folder", target.display());
    let files = read_tree(&source);
    let start = Instant::now();
    let made = Mutex::new(HashSet::new());
    files.par_iter().for_each(|(rel, bytes)| {
        let path = target.join(rel);
        let dir = path.parent().expect("a file lives in a folder").to_path_buf();
        if !made.lock().expect("not poisoned").contains(&dir) {
            std::fs::create_dir_all(&dir).expect("folder made");
            made.lock().expect("not poisoned").insert(dir);
        }
        std::fs::write(&path, bytes).expect("file written");
    });
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    eprintln!("wrote {} files ({} bytes) in {:.0} ms", files.len(), bytes, start.elapsed().as_secs_f64() * 1000.0);
}

/// Every file under `root`, by path relative to it, with its bytes.
fn read_tree(root: &PathBuf) -> Vec<(PathBuf, Vec<u8>)> {
    let files = walkdir::WalkDir::new(root).into_iter().map(|e| e.expect("source readable"));
    let files: Vec<PathBuf> = files.filter(|e| e.file_type().is_file()).map(|e| e.into_path()).collect();
    let read = |p: &PathBuf| (p.strip_prefix(root).expect("under root").to_path_buf(), std::fs::read(p).expect("read"));
    files.par_iter().map(read).collect()
}
