//! The `rapport` command line: parse arguments, run one command, print the
//! errors once, pick the exit code (0 ok, 1 site errors, 2 usage errors).

use clap::{Parser, Subcommand};
use rapport::build::{self, BuildOptions};
use rapport::check;
use rapport::diagnostic::{format_capped, terminal_path, terminal_safe};
use rapport::error::Error;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "rapport", version = env!("RAPPORT_VERSION"), about = "Markdown knowledge base → fast, searchable static site")]
struct Cli {
    /// Site root (the folder holding site.toml).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// Output folder (default: output_dir from site.toml, else public/).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Include pages marked draft.
        #[arg(long)]
        drafts: bool,
        /// Override base_url from site.toml.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Report every problem in the site without writing anything.
    Check {
        #[arg(long, value_enum, default_value = "text")]
        format: check::Format,
        #[arg(long)]
        drafts: bool,
        /// Also request every external link (8 at a time, 10 s timeout each).
        #[arg(long)]
        external: bool,
    },
    /// Build in memory, serve with live reload, rebuild on change.
    Serve {
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        #[arg(long)]
        drafts: bool,
        /// Poll for changes every 300 ms instead of using native file events
        /// (for network drives and container mounts).
        #[arg(long)]
        poll: bool,
    },
    /// Create a starter site in DIR.
    Init { dir: PathBuf },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // Panics are caught per page and reported as errors; keep the default hook quiet.
    std::panic::set_hook(Box::new(|_| {}));
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            report(&e);
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Build { output, drafts, base_url } => {
            let summary = build::build(&cli.root, &BuildOptions { output, drafts, base_url })?;
            if !summary.report.items.is_empty() {
                eprintln!("{}", format_capped(&summary.report.items));
            }
            let s = &summary.stats;
            eprintln!(
                "built {} pages and {} sections in {} ms: {} written, {} unchanged, {} removed → {}",
                summary.pages,
                summary.sections,
                summary.millis,
                s.written,
                s.unchanged,
                s.removed,
                terminal_path(&summary.output_dir)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { format, drafts, external } => {
            let findings = check::run(&cli.root, drafts, external)?;
            check::print(&findings, format);
            let failed = findings.iter().any(|d| d.is_error());
            Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Serve { bind, port, open, drafts, poll } => {
            rapport::serve::serve(&cli.root, &rapport::serve::ServeOptions { bind, port, open, drafts, poll })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            for kept in rapport::init::init(&dir)? {
                let hint = kept.hint.map(|h| format!("; {h}")).unwrap_or_default();
                eprintln!("kept the existing {} (init never overwrites a file){hint}", terminal_path(&kept.path));
            }
            let dir = terminal_path(&dir);
            eprintln!("created a site in {dir}; run `rapport --root {dir} serve`");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn report(e: &Error) {
    match e {
        Error::Site(items) => {
            eprintln!("{}", format_capped(items));
            eprintln!("build failed: {e}; nothing was written");
        }
        other => eprintln!("error: {}", terminal_safe(&other.to_string())),
    }
}
