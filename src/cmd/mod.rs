//! Subcommands: glue between the arguments and the library. Each returns an [`Outcome`];
//! `main` prints it and maps it to an exit code.

pub mod compare;
pub mod diff;
pub mod forecast;
pub mod pricing;
pub mod run;
pub mod schema;
pub mod start;
pub mod sweep;

use crate::cli::BookArgs;
use crate::error::Result;
use crate::pricing::{dir_source, BookSource};

/// What a command produced: stdout text, notes for stderr, and a failed check (exit 1) if any.
#[derive(Debug, Default)]
pub struct Outcome {
    pub stdout: String,
    pub notes: Vec<String>,
    pub failed: Option<crate::Error>,
}

impl Outcome {
    pub fn text(stdout: String) -> Outcome {
        Outcome {
            stdout,
            ..Default::default()
        }
    }
}

/// Run one parsed command line.
pub fn dispatch(command: &crate::cli::Command) -> Result<Outcome> {
    use crate::cli::Command;
    match command {
        Command::Run(args) => run::run(args),
        Command::Compare(args) => compare::compare(args),
        Command::Diff(args) => diff::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Init(args) => start::init(args),
        Command::Completions { shell } => Ok(start::completions(*shell)),
        Command::Man => start::man(),
        Command::Schema => Ok(schema::run()),
        Command::Forecast(args) => forecast::run(args),
        Command::Pricing { command } => pricing::run(command),
    }
}

/// Table width when neither --columns nor $COLUMNS says and stdout is not a terminal.
pub const DEFAULT_COLUMNS: u16 = 100;

/// The width terminal tables fit: `--columns` (0 = no limit), else `$COLUMNS`, else the
/// terminal's width when stdout is one, else [`DEFAULT_COLUMNS`]; never below
/// [`crate::report::view::MIN_WIDTH`] (an explicit `--columns` below it is refused).
pub(crate) fn width(args: &crate::cli::WidthArgs) -> Result<Option<u16>> {
    use crate::report::view::MIN_WIDTH;
    match args.columns {
        Some(0) => return Ok(None),
        Some(n) if n < MIN_WIDTH => {
            return Err(crate::InputError::new(format!(
                "--columns {n} is too narrow: tables need at least {MIN_WIDTH} columns"
            ))
            .with_help(Some("use --columns 0 for no limit".into()))
            .into())
        }
        Some(n) => return Ok(Some(n)),
        None => {}
    }
    // An unreadable $COLUMNS is ignored like an unset one: it is the shell's, not an input.
    let env = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|c| *c > 0);
    let detected = env.or_else(|| {
        use std::io::IsTerminal;
        if std::io::stdout().is_terminal() {
            comfy_table::Table::new().width()
        } else {
            None
        }
    });
    Ok(Some(detected.unwrap_or(DEFAULT_COLUMNS).max(MIN_WIDTH)))
}

/// The view of a command's output: the width, and the display currency from the command line
/// or the scenarios' `[display]` (all of which must agree: two different answers to "which
/// currency" are an error, not a precedence rule).
pub(crate) fn view(
    args: &crate::cli::ViewArgs,
    scenarios: &[&crate::scenario::Scenario],
) -> Result<crate::report::View> {
    use crate::currency::DisplayCurrency;
    let cli = match &args.currency {
        Some(code) => Some(
            DisplayCurrency::new(code, args.rate, args.rate_date.as_deref())
                .map_err(crate::InputError::new)?,
        ),
        None => None,
    };
    let mut chosen: Option<(DisplayCurrency, String)> = cli.map(|c| {
        let from = format!(
            "--currency {}{}{}",
            c.code,
            args.rate.map_or(String::new(), |r| format!(" --rate {r}")),
            args.rate_date
                .as_ref()
                .map_or(String::new(), |d| format!(" --rate-date {d}"))
        );
        (c, from)
    });
    for s in scenarios {
        let Some(d) = &s.display else { continue };
        match &chosen {
            None => chosen = Some((d.clone(), format!("[display] of {}", s.doc.name))),
            Some((c, from)) if c != d => {
                let at = crate::source::KeyPath::root().key("display");
                return Err(s
                    .doc
                    .error_at(
                        &at,
                        format!(
                            "[display] ({} at {}{}) disagrees with {from} ({} at {}{})",
                            d.code,
                            d.rate,
                            d.rate_date
                                .as_ref()
                                .map_or(String::new(), |x| format!(", {x}")),
                            c.code,
                            c.rate,
                            c.rate_date
                                .as_ref()
                                .map_or(String::new(), |x| format!(", {x}")),
                        ),
                    )
                    .with_help(Some(
                        "give the display currency once: remove the option or the                          [display] table, or make them the same"
                            .into(),
                    ))
                    .into());
            }
            Some(_) => {}
        }
    }
    Ok(crate::report::View {
        currency: chosen.map_or_else(DisplayCurrency::usd, |(c, _)| c),
        width: width(&args.width)?,
        no_notes: args.width.no_notes,
    })
}

pub(crate) fn book_source(args: &BookArgs) -> Result<BookSource> {
    match &args.pricing_dir {
        Some(dir) => dir_source(dir),
        None => Ok(BookSource::Embedded),
    }
}
