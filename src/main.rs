//! The `rapport` command line: parse arguments, run one command, print the
//! errors once, pick the exit code (0 ok, 1 site errors, 2 usage errors).

use clap::{Args, CommandFactory, Parser, Subcommand};
use rapport::build::{self, BuildOptions};
use rapport::check;
use rapport::diagnostic::{count, paint, terminal_path, terminal_safe, Verbosity};
use rapport::error::Error;
use rapport::init::Template;
use rapport::progress::{self, Bar, Watch};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Rendering allocates many small strings and maps (template contexts);
/// mimalloc serves those markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns transparent huge pages off for this process. Left to itself,
/// mimalloc asks for them (`madvise`), and the kernel then zeroes 2 MiB at
/// each first touch: a 10,000-page build spent about a sixth of its CPU
/// samples in the kernel's `clear_page` (perf) and peaked about 200 MiB
/// higher (`/usr/bin/time`). mimalloc itself is built with its `no_thp`
/// feature (Cargo.toml), so it never asks, not even for the pages it takes
/// before `main` runs (about 2 MB of a 1,000-page build's peak); this covers
/// systems whose kernel gives huge pages unasked (`transparent_hugepage=always`).
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// mimalloc's option numbering (`mi_option_e` in its v3 `mimalloc.h`):
/// the delay before freed memory is returned to the system.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Returns freed memory to the system 25 ms after it is freed, not mimalloc's
/// default second: a build's stages each free what the next does not reuse
/// (parsing's and rendering's scratch maps), and a build of 1,000 pages is
/// over before a second has passed, so nothing was ever returned. Peak
/// memory at 1,000 pages drops from about 103 to 97 MB (`/usr/bin/time`),
/// for time within this machine's noise; a delay of 0 drops it a little more
/// but makes a `madvise` call per freed page and cost a 10,000-page build
/// 1.5 to 1.8 s.
/// `MIMALLOC_PURGE_DELAY`, when set, still decides.
fn prompt_purge() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: called on the main thread before any other thread runs, as
        // mimalloc asks of `mi_option_set`, which touches no memory of ours.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 25) }
    }
}

#[derive(Parser)]
#[command(
    name = "rapport",
    version = env!("RAPPORT_VERSION"),
    about = "Markdown knowledge base → fast, searchable static site"
)]
struct Cli {
    #[command(flatten)]
    site: SiteArg,
    /// Print nothing on success; errors only.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print every finding (no cap per file).
    #[arg(long, short, global = true)]
    verbose: bool,
    /// Colour errors and warnings: auto means on a terminal, unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    color: Colour,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Colour {
    Auto,
    Always,
    Never,
}

impl Colour {
    fn enabled(self) -> bool {
        use std::io::IsTerminal;
        match self {
            Colour::Always => true,
            Colour::Never => false,
            // https://no-color.org: set and not empty turns colour off.
            Colour::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// `--root`, accepted before or after the command; not on commands it means nothing to.
#[derive(Args)]
struct SiteArg {
    /// Site root, the folder holding site.toml [default: .]
    #[arg(long, short)]
    root: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        #[command(flatten)]
        site: SiteArg,
        /// Output folder, relative to the site root like output_dir [default: output_dir from site.toml, else public]
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Include pages marked draft.
        #[arg(long)]
        drafts: bool,
        /// Override base_url from site.toml.
        #[arg(long, short = 'u')]
        base_url: Option<String>,
        /// Print each stage's wall and CPU time (ms) before the summary.
        #[arg(long)]
        timings: bool,
        /// Render everything, even when the build cache says nothing changed.
        #[arg(long)]
        no_cache: bool,
    },
    /// Report every problem in the site without writing anything.
    Check {
        #[command(flatten)]
        site: SiteArg,
        /// How to print the findings: text on stderr, or a JSON array on stdout.
        #[arg(long, short, value_enum, default_value = "text")]
        format: check::Format,
        /// Also check pages marked draft.
        #[arg(long)]
        drafts: bool,
        /// Also request every external link (8 at a time, 10 s timeout each).
        #[arg(long)]
        external: bool,
        /// An overdue review is an error, not a warning (for CI).
        #[arg(long)]
        strict_reviews: bool,
        /// Print the review queue (pages by review due date, most overdue first) instead of findings.
        #[arg(long)]
        reviews: bool,
        /// Print each stage's wall and CPU time (ms) before the summary.
        #[arg(long)]
        timings: bool,
    },
    /// Build in memory, serve with live reload, rebuild on change.
    Serve {
        #[command(flatten)]
        site: SiteArg,
        /// Address to listen on; 0.0.0.0 lets other devices on the network open the site.
        #[arg(long, short, default_value = "127.0.0.1")]
        bind: String,
        /// Port to listen on (0 picks a free one).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long, short = 'O')]
        open: bool,
        /// Include pages marked draft.
        #[arg(long)]
        drafts: bool,
        /// Poll for changes every 300 ms instead of using native file events
        /// (for network drives and container mounts).
        #[arg(long)]
        poll: bool,
    },
    /// Create a starter site in DIR.
    Init {
        /// Folder to create the site in (may exist if it holds no site).
        dir: PathBuf,
        /// Starter to create.
        #[arg(long, short, value_enum, default_value = "default")]
        template: Template,
    },
    /// Create a page from archetypes/default.md (else a built-in one); never overwrites.
    New {
        #[command(flatten)]
        site: SiteArg,
        /// Page to create, relative to content/ (.md is added when there is no extension).
        path: PathBuf,
    },
    /// Print a shell completion script to stdout.
    Completions {
        /// Shell to complete for.
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    no_huge_pages();
    prompt_purge();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    rapport::diagnostic::set_colour(cli.color.enabled());
    // Panics are caught per page and reported as errors; keep the default hook quiet.
    std::panic::set_hook(Box::new(|_| {}));
    match run(cli, verbosity) {
        Ok(code) => code,
        Err(e) => {
            report(&e, verbosity);
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn run(cli: Cli, v: Verbosity) -> Result<ExitCode, Error> {
    let top = cli.site.root;
    let root = |site: SiteArg| site.root.or(top.clone()).unwrap_or_else(|| PathBuf::from("."));
    match cli.command {
        Command::Build { site, output, drafts, base_url, timings, no_cache } => {
            build(&root(site), &BuildOptions { output, drafts, base_url, no_cache }, timings, v)
        }
        Command::Check { site, reviews: true, drafts, .. } => {
            print!("{}", check::review_queue(&root(site), drafts)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { site, format, drafts, external, strict_reviews, timings, .. } => {
            let reviews = if strict_reviews { check::Reviews::Refuse } else { check::Reviews::Warn };
            let opts = CheckOptions { format, drafts, external, reviews, timings };
            check(&root(site), &opts, v)
        }
        Command::Serve { site, bind, port, open, drafts, poll } => {
            let opts = rapport::serve::ServeOptions { bind, port, open, drafts, poll, verbosity: v };
            rapport::serve::serve(&root(site), &opts)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir, template } => match top {
            Some(_) => Err(Error::Usage("init takes the folder to create as DIR; --root does not apply".into())),
            None => init(&dir, template, v),
        },
        Command::New { site, path } => new(&root(site), &path, v),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "rapport", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn build(root: &Path, opts: &BuildOptions, timings: bool, v: Verbosity) -> Result<ExitCode, Error> {
    let watch = Watch::start(Bar::unless_quiet(v));
    let summary = build::build(root, opts);
    let laps = watch.finish();
    let summary = summary?;
    if let Some(text) = v.format(&summary.report.items) {
        eprintln!("{text}");
    }
    if timings {
        eprint!("{}", progress::table(&laps));
    }
    let s = &summary.stats;
    if v != Verbosity::Quiet {
        let how = match summary.rendered_again {
            _ if summary.cached => " (nothing changed since the last build)".to_string(),
            Some((again, all)) => format!(" (rendered again: {again} of {all} pages and listings)"),
            None => String::new(),
        };
        eprintln!(
            "built {} and {} in {} ms{how}: {} written, {} unchanged, {} removed → {}",
            count(summary.pages, "page"),
            count(summary.sections, "section"),
            summary.millis,
            s.written,
            s.unchanged,
            s.removed,
            terminal_path(&summary.output_dir)
        );
    }
    summary.held.leave();
    end_now()
}

/// Ends a successful build's process at once, skipping the exit handlers:
/// the allocator's would hand its freed memory back to the system page by
/// page, which the end of the process does anyway (~30 ms after a warm
/// 10,000-page build).
fn end_now() -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: `_exit` ends the process; nothing runs after it.
    unsafe { libc::_exit(0) }
}

/// `check`'s flags but `--reviews`.
struct CheckOptions {
    format: check::Format,
    drafts: bool,
    external: bool,
    reviews: check::Reviews,
    timings: bool,
}

fn check(root: &Path, opts: &CheckOptions, v: Verbosity) -> Result<ExitCode, Error> {
    let watch = Watch::start(Bar::unless_quiet(v));
    let findings = check::run(root, opts.drafts, opts.external, opts.reviews);
    let laps = watch.finish();
    let findings = findings?;
    if opts.timings {
        eprint!("{}", progress::table(&laps));
    }
    check::print(&findings, opts.format, v);
    let failed = findings.iter().any(|d| d.is_error());
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn init(dir: &Path, template: Template, v: Verbosity) -> Result<ExitCode, Error> {
    let kept = rapport::init::init(dir, template)?;
    if v != Verbosity::Quiet {
        for kept in kept {
            let hint = kept.hint.map(|h| format!("; {h}")).unwrap_or_default();
            eprintln!("kept the existing {} (init never overwrites a file){hint}", terminal_path(&kept.path));
        }
        let dir = terminal_path(dir);
        eprintln!("created a site in {dir}; run `rapport --root {dir} serve`");
    }
    Ok(ExitCode::SUCCESS)
}

fn new(root: &Path, path: &Path, v: Verbosity) -> Result<ExitCode, Error> {
    let file = rapport::new::new_page(root, path)?;
    if v != Verbosity::Quiet {
        eprintln!("created {}", terminal_path(&file));
    }
    Ok(ExitCode::SUCCESS)
}

fn report(e: &Error, v: Verbosity) {
    match e {
        Error::Site(items) => {
            if let Some(text) = v.format(items) {
                eprintln!("{text}");
            }
            eprintln!("build failed: {e}; nothing was written");
        }
        other => eprintln!("{}", paint(&format!("error: {}", terminal_safe(&other.to_string())))),
    }
}

#[cfg(test)]
mod tests {
    use super::PURGE_DELAY;

    #[test]
    fn the_option_set_is_mimallocs_purge_delay() {
        // Its default (1,000 ms) is no other option's: a renumbered enum shows here.
        let expected = std::env::var("MIMALLOC_PURGE_DELAY").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
        // SAFETY: reading an option touches no memory of ours.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, expected);
    }
}
