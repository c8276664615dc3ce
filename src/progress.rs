//! What a build is doing, for the person waiting on it: past a second on a
//! terminal, a bar on stderr names the stage and counts its items (pages
//! rendered of all, files written of all), and `--timings` prints each
//! stage's wall and CPU time. Stages announce themselves into one
//! process-wide meter ([`stage`], [`step`]) instead of through every
//! pipeline signature, and data flows one way: the pipeline writes a few
//! atomics, the bar's thread only reads them. A page costs one relaxed add;
//! drawing happens on a timer, never per page. [`StageClock`] is the one
//! clock: the meter laps it at each stage, and `RAPPORT_TIMINGS` prints
//! its finer laps for profiling.

use crate::diagnostic::Verbosity;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a build runs before the bar appears: a quick build stays one line.
const DELAY: Duration = Duration::from_secs(1);
/// How often the bar reads the counts and redraws.
const REFRESH: Duration = Duration::from_millis(100);

static WATCHING: AtomicBool = AtomicBool::new(false);
static DONE: AtomicUsize = AtomicUsize::new(0);
static TOTAL: AtomicUsize = AtomicUsize::new(0);
static METER: Mutex<Option<Meter>> = Mutex::new(None);

/// The stage a watched build is in, and the stages it has finished.
struct Meter {
    clock: StageClock,
    stage: &'static str,
    laps: Vec<Lap>,
}

fn meter() -> MutexGuard<'static, Option<Meter>> {
    METER.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Enters stage `name` of the watched build (ending the one before), with
/// `total` items to count, 0 when not counted. Nothing when no build is watched.
pub fn stage(name: &'static str, total: usize) {
    if !WATCHING.load(Relaxed) {
        return;
    }
    if let Some(m) = meter().as_mut() {
        m.laps.extend(m.clock.lap(m.stage));
        m.stage = name;
        DONE.store(0, Relaxed);
        TOTAL.store(total, Relaxed);
    }
}

/// Sets how many items the current stage counts, once it knows.
pub fn set_total(total: usize) {
    if WATCHING.load(Relaxed) {
        TOTAL.store(total, Relaxed);
    }
}

/// One item of the current stage done (called from many threads).
pub fn step() {
    if WATCHING.load(Relaxed) {
        DONE.fetch_add(1, Relaxed);
    }
}

/// Whether a watched build may draw the bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bar {
    /// When stderr is a terminal.
    OnTerminal,
    Never,
}

impl Bar {
    /// `--quiet` silences the bar too.
    pub fn unless_quiet(v: Verbosity) -> Bar {
        if v == Verbosity::Quiet {
            Bar::Never
        } else {
            Bar::OnTerminal
        }
    }
}

/// One build watched, from its start (stage `load`) to [`Watch::finish`];
/// dropping it also ends it, so the bar is gone before any error is printed.
pub struct Watch {
    stop: Option<mpsc::Sender<()>>,
    drawer: Option<JoinHandle<()>>,
}

impl Watch {
    pub fn start(bar: Bar) -> Watch {
        *meter() = Some(Meter { clock: StageClock::measuring(), stage: "load", laps: Vec::new() });
        DONE.store(0, Relaxed);
        TOTAL.store(0, Relaxed);
        WATCHING.store(true, Relaxed);
        let (stop, stopped) = mpsc::channel();
        let started = Instant::now();
        let drawer = (bar == Bar::OnTerminal && std::io::stderr().is_terminal())
            .then(|| std::thread::spawn(move || draw(&stopped, started)));
        Watch { stop: Some(stop), drawer }
    }

    /// Ends the last stage, clears the bar, and returns every stage's time.
    pub fn finish(mut self) -> Vec<Lap> {
        self.end()
    }

    fn end(&mut self) -> Vec<Lap> {
        drop(self.stop.take());
        if let Some(drawer) = self.drawer.take() {
            let _ = drawer.join();
        }
        WATCHING.store(false, Relaxed);
        let Some(mut m) = meter().take() else { return Vec::new() };
        m.laps.extend(m.clock.lap(m.stage));
        m.laps
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.end();
    }
}

/// The bar's thread: waits out [`DELAY`], then shows the meter until stopped.
fn draw(stopped: &mpsc::Receiver<()>, started: Instant) {
    if stopped.recv_timeout(DELAY) != Err(RecvTimeoutError::Timeout) {
        return;
    }
    // Hidden until it holds the meter, so the first frame is not a default bar.
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()).with_elapsed(started.elapsed());
    let mut counted = None;
    show(&bar, &mut counted);
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar.enable_steady_tick(REFRESH);
    loop {
        if stopped.recv_timeout(REFRESH) != Err(RecvTimeoutError::Timeout) {
            break;
        }
        show(&bar, &mut counted);
    }
    bar.finish_and_clear();
}

/// Copies the meter into the bar; `counted` is whether its style has counts.
fn show(bar: &ProgressBar, counted: &mut Option<bool>) {
    let stage = meter().as_ref().map_or("", |m| m.stage);
    let (done, total) = (DONE.load(Relaxed), TOTAL.load(Relaxed));
    // Counts first: a style or prefix change may draw at once.
    bar.update(|state| {
        state.set_len(total as u64);
        state.set_pos(done.min(total) as u64);
    });
    if *counted != Some(total > 0) {
        *counted = Some(total > 0);
        bar.set_style(style(total > 0));
    }
    bar.set_prefix(stage);
}

fn style(counted: bool) -> ProgressStyle {
    let template = if counted {
        "{spinner} {prefix:>9} [{bar:30}] {pos}/{len}  {elapsed}"
    } else {
        "{spinner} {prefix:>9}  {elapsed}"
    };
    ProgressStyle::with_template(template).expect("a valid template").progress_chars("=> ")
}

/// How long one stage took: wall time, and the CPU time of the whole
/// process (every thread) meanwhile. CPU over wall near the core count
/// means every core was busy.
#[derive(Debug, Clone)]
pub struct Lap {
    pub stage: String,
    pub wall: Duration,
    pub cpu: Duration,
}

/// `--timings`: one row per stage and a total, for stderr.
pub fn table(laps: &[Lap]) -> String {
    let total =
        Lap { stage: "total".into(), wall: laps.iter().map(|l| l.wall).sum(), cpu: laps.iter().map(|l| l.cpu).sum() };
    let mut out = format!("{:<10} {:>10} {:>10} {:>8}\n", "stage", "wall ms", "cpu ms", "cpu/wall");
    for lap in laps.iter().chain([&total]) {
        let (wall, cpu) = (lap.wall.as_secs_f64() * 1000.0, lap.cpu.as_secs_f64() * 1000.0);
        let ratio = if wall > 0.0 { format!("{:.2}", cpu / wall) } else { "-".into() };
        out.push_str(&format!("{:<10} {wall:>10.1} {cpu:>10.1} {ratio:>8}\n", lap.stage));
    }
    out
}

/// A moment, on the wall clock and in the process's CPU time.
#[derive(Clone, Copy)]
struct Mark {
    wall: Instant,
    cpu: Duration,
}

impl Mark {
    fn now() -> Mark {
        Mark { wall: Instant::now(), cpu: process_cpu() }
    }
}

/// User and system time of every thread of the process so far.
fn process_cpu() -> Duration {
    #[cfg(unix)]
    if let Some(usage) = rusage() {
        let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
        return time(usage.ru_utime) + time(usage.ru_stime);
    }
    Duration::ZERO
}

/// What the system counts of this process's use so far.
#[cfg(unix)]
fn rusage() -> Option<libc::rusage> {
    // SAFETY: rusage is plain integers (all zero is valid); getrusage only writes it.
    let (ok, usage) = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        (libc::getrusage(libc::RUSAGE_SELF, &mut usage) == 0, usage)
    };
    ok.then_some(usage)
}

/// The process's resident memory now and at its peak so far, in MB (zero
/// where the system does not say), so a profile shows which stage grows
/// it: the peak is what `/usr/bin/time` reports for the whole run.
fn resident_mb() -> (f64, f64) {
    let now = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|statm| statm.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |pages| pages * page_bytes() / 1e6);
    #[cfg(unix)]
    if let Some(usage) = rusage() {
        // The kernel updates its high-water mark lazily, so it can trail
        // the resident count just read: the peak is at least that.
        // Kilobytes, except on macOS, which counts bytes.
        let unit = if cfg!(target_os = "macos") { 1.0 } else { 1024.0 };
        return (now, (usage.ru_maxrss as f64 * unit / 1e6).max(now));
    }
    (now, 0.0)
}

fn page_bytes() -> f64 {
    #[cfg(unix)]
    // SAFETY: sysconf only reads a setting.
    let bytes = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    #[cfg(not(unix))]
    let bytes = 4096;
    bytes as f64
}

/// Times consecutive stages. [`StageClock::new`] measures only when
/// `RAPPORT_TIMINGS` is set and then prints each lap (for profiling); the
/// meter's clock always measures and prints nothing.
pub struct StageClock {
    last: Option<Mark>,
    print: bool,
}

impl StageClock {
    pub fn new() -> Self {
        StageClock { last: std::env::var_os("RAPPORT_TIMINGS").map(|_| Mark::now()), print: true }
    }

    fn measuring() -> Self {
        StageClock { last: Some(Mark::now()), print: false }
    }

    /// [`StageClock::lap`] with a name built only when timings are shown.
    pub fn lap_with(&mut self, stage: impl FnOnce() -> String) {
        if self.last.is_some() {
            self.lap(&stage());
        }
    }

    /// Ends the stage named `stage` and starts the next: its time, when measuring.
    pub fn lap(&mut self, stage: &str) -> Option<Lap> {
        let last = self.last?;
        let now = Mark::now();
        let lap = Lap { stage: stage.to_string(), wall: now.wall - last.wall, cpu: now.cpu.saturating_sub(last.cpu) };
        if self.print {
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            let (rss, peak) = resident_mb();
            eprintln!(
                "timing: {stage:<10} {:>9.2} ms  cpu {:>8.2} ms  rss {rss:>6.1} MB  peak {peak:>6.1} MB",
                ms(lap.wall),
                ms(lap.cpu)
            );
        }
        // Printing is not the next stage's time.
        self.last = Some(if self.print { Mark::now() } else { now });
        Some(lap)
    }
}

impl Default for StageClock {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn resident_memory_counts_what_was_touched_and_the_peak_is_never_below_it() {
        // Filled, so every page is touched (a zeroed vec may not be).
        let touched = vec![1u8; 64 << 20];
        let (now, peak) = resident_mb();
        assert!((67.0..24_000.0).contains(&now), "{now} MB resident with 64 MiB (67.1 MB) touched");
        assert!(peak >= now, "peak {peak} MB below the {now} MB resident now");
        drop(touched);
    }

    #[test]
    fn the_table_has_a_row_per_stage_and_a_total() {
        let lap = |stage: &str, wall, cpu| Lap {
            stage: stage.into(),
            wall: Duration::from_millis(wall),
            cpu: Duration::from_millis(cpu),
        };
        let table = table(&[lap("parse", 100, 200), lap("write", 50, 0)]);
        let rows: Vec<Vec<&str>> = table.lines().map(|l| l.split_whitespace().collect()).collect();
        assert_eq!(rows[1], ["parse", "100.0", "200.0", "2.00"]);
        assert_eq!(rows[2], ["write", "50.0", "0.0", "0.00"]);
        assert_eq!(rows[3], ["total", "150.0", "200.0", "1.33"]);
    }

    /// Work shows as CPU time (whatever else the machine runs, so the spin
    /// is measured in CPU time, not wall time).
    #[test]
    #[cfg(unix)]
    fn a_busy_thread_shows_as_cpu_time() {
        let mut clock = StageClock::measuring();
        let start = process_cpu();
        let mut x = 0u64;
        while process_cpu() - start < Duration::from_millis(20) {
            x = std::hint::black_box(x.wrapping_add(1));
        }
        let lap = clock.lap("spin").expect("the meter's clock measures");
        assert!(lap.cpu >= Duration::from_millis(20) && lap.wall > Duration::ZERO, "{lap:?}");
    }
}
