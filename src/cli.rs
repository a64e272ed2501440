//! Command-line interface (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "costplan",
    version,
    about = "Offline cost estimator and capacity planner for AWS architectures"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Price every phase of a scenario and print the breakdowns and a summary.
    #[command(after_help = "Examples:
  costplan run scenarios/prod.toml
  costplan run scenarios/lambda-rds.toml --phase phase3 --fail-on-trigger
  costplan run scenarios/prod.toml --currency JPY --rate 150 --rate-date 2026-12-01
  costplan run scenarios/prod.toml --out report/      (Markdown, CSV, JSON and charts)
  costplan run scenarios/prod.toml --format json --budget 2000")]
    Run(RunArgs),
    /// Phases of one or more scenarios side by side: monthly cost per service, totals and
    /// differences against the first column.
    #[command(after_help = "Examples:
  costplan compare scenarios/prod.toml scenarios/prod-reserved.toml
  costplan compare scenarios/compute-choice.toml --format markdown")]
    Compare(CompareArgs),
    /// What changed between two scenarios, phase by phase and line by line.
    #[command(after_help = "Examples:
  costplan diff scenarios/prod.toml scenarios/prod-reserved.toml
  costplan diff old.toml new.toml --phase prod --format csv")]
    Diff(DiffArgs),
    /// Cost and headroom of every phase across a range of traffic (--rps) or data volume
    /// (--gb), and the break-even points where one phase becomes cheaper than another.
    #[command(after_help = "Examples:
  costplan sweep scenarios/compute-choice.toml --rps 1..2000 --steps 41 --log
  costplan sweep scenarios/nat-choice.toml --gb 0..5000 --out sweep/")]
    Sweep(SweepArgs),
    /// Write a commented starter scenario to FILE (never over an existing file).
    #[command(after_help = "Examples:
  costplan init                              (serverless template, to scenario.toml)
  costplan init --template containers my-service.toml
  costplan init --template ec2 app.toml && costplan run app.toml")]
    Init(InitArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) on stdout.
    #[command(after_help = "Examples:
  costplan completions bash > ~/.local/share/bash-completion/completions/costplan
  costplan completions zsh > \"${fpath[1]}/_costplan\"
  costplan completions fish > ~/.config/fish/completions/costplan.fish")]
    Completions { shell: clap_complete::Shell },
    /// Print the JSON Schema of the scenario format on stdout, for editors with a TOML
    /// language server (taplo, Even Better TOML): save it beside the scenario and name it on the
    /// scenario's first line, `#:schema ./costplan.schema.json` (`costplan init` does both).
    #[command(after_help = "Examples:
  costplan schema > costplan.schema.json     (then `#:schema ./costplan.schema.json` on line 1)")]
    Schema,
    /// Print the costplan(1) man page (roff) on stdout.
    #[command(after_help = "Examples:
  costplan man > costplan.1 && man ./costplan.1
  costplan man | gzip > /usr/local/share/man/man1/costplan.1.gz")]
    Man,
    /// Month by month from the scenario's `[growth]`: the traffic, the phase of the growth
    /// sequence it needs, the monthly cost and the cumulative spend.
    Forecast(ForecastArgs),
    /// Inspect price books.
    #[command(after_help = "Examples:
  costplan pricing show us-east-1 lambda
  costplan pricing coverage
  costplan pricing diff old.toml pricing/us-east-1.toml")]
    Pricing {
        #[command(subcommand)]
        command: PricingCommand,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// What the starter scenario runs on.
    #[arg(long, value_enum, default_value = "serverless")]
    pub template: Template,
    /// Where to write it; an existing file is never overwritten (exit 3).
    #[arg(default_value = "scenario.toml")]
    pub file: PathBuf,
}

/// The starter scenarios of `costplan init` (files under templates/).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Template {
    /// API Gateway + Lambda, then + RDS PostgreSQL.
    Serverless,
    /// ALB + ECS Fargate + Aurora PostgreSQL, dev and autoscaling prod.
    Containers,
    /// EC2 + RDS MySQL on the free tier, then ALB + Auto Scaling.
    Ec2,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Only this phase or environment.
    #[arg(long)]
    pub phase: Option<String>,
    /// Output formats, comma-separated (table, json, csv, markdown). Default: table on stdout;
    /// with --out, json, csv and markdown files.
    #[arg(long, value_delimiter = ',', value_parser = format_parser())]
    pub format: Vec<Format>,
    /// Write the chosen formats to files in this directory (atomically).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed of the traffic simulation (default: the scenario's `[simulation] seed`, else fixed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Exit with status 1 when a trigger or capacity limit fires at the expected traffic.
    #[arg(long)]
    pub fail_on_trigger: bool,
    /// Exit with status 1 when a phase's monthly total exceeds this many USD (default: the
    /// scenario's `budget`).
    #[arg(long, value_parser = positive_usd, allow_negative_numbers = true)]
    pub budget: Option<rust_decimal::Decimal>,
    /// Also check the simulator: each phase's Lambda statistics (minute peaks, mean, throttled
    /// share, cold starts) against an exact event-by-event simulation of the same month; exit
    /// 1 when one is outside its tolerance. Slow: every request is simulated.
    #[arg(long)]
    pub exact: bool,
    #[command(flatten)]
    pub view: ViewArgs,
    #[command(flatten)]
    pub books: BookArgs,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario files (TOML); every phase of each becomes a column.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Only this phase or environment of each scenario.
    #[arg(long)]
    pub phase: Option<String>,
    /// Output formats, comma-separated (table, json, csv, markdown). Default: table.
    #[arg(long, value_delimiter = ',', value_parser = format_parser())]
    pub format: Vec<Format>,
    /// Exit with status 1 when a column's monthly total exceeds this many USD (default: each
    /// scenario's `budget`).
    #[arg(long, value_parser = positive_usd, allow_negative_numbers = true)]
    pub budget: Option<rust_decimal::Decimal>,
    #[command(flatten)]
    pub view: ViewArgs,
    #[command(flatten)]
    pub books: BookArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old scenario file (TOML).
    pub old: PathBuf,
    /// The new scenario file (TOML).
    pub new: PathBuf,
    /// Only this phase or environment.
    #[arg(long)]
    pub phase: Option<String>,
    /// Output formats, comma-separated (table, json, csv, markdown). Default: table.
    #[arg(long, value_delimiter = ',', value_parser = format_parser())]
    pub format: Vec<Format>,
    #[command(flatten)]
    pub view: ViewArgs,
    #[command(flatten)]
    pub books: BookArgs,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Sweep the average traffic each phase serves, FROM..TO req/s (needs `[traffic]`).
    #[arg(
        long,
        value_name = "FROM..TO",
        conflicts_with = "gb",
        required_unless_present = "gb"
    )]
    pub rps: Option<crate::sweep::Span>,
    /// Sweep the GB/month through NAT Gateways, NAT instances and VPC endpoints, FROM..TO.
    #[arg(long, value_name = "FROM..TO")]
    pub gb: Option<crate::sweep::Span>,
    /// Number of grid points, both ends included.
    #[arg(long, default_value_t = 21)]
    pub steps: usize,
    /// Space the points geometrically (FROM must be > 0) instead of evenly.
    #[arg(long)]
    pub log: bool,
    /// Draw the --out cost chart with a logarithmic cost axis (linear if a cost is zero).
    #[arg(long)]
    pub log_y: bool,
    /// Only this phase or environment (default: every phase, no environments).
    #[arg(long)]
    pub phase: Option<String>,
    /// Output formats, comma-separated (table, json, csv, markdown). Default: table on stdout;
    /// with --out, json, csv and markdown files plus the cost chart (PNG and SVG).
    #[arg(long, value_delimiter = ',', value_parser = format_parser())]
    pub format: Vec<Format>,
    /// Write the chosen formats and charts to files in this directory (atomically).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed of the traffic simulation (default: the scenario's `[simulation] seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    #[command(flatten)]
    pub view: ViewArgs,
    #[command(flatten)]
    pub books: BookArgs,
}

/// How money and tables are shown (every format; CSV and JSON keep USD and add the converted
/// figures).
#[derive(Debug, Args, Default)]
pub struct ViewArgs {
    /// Show money in this currency (ISO code: JPY, EUR, ...), converted from USD at --rate.
    /// The same as the scenario's `[display]`; both given and different is an error.
    #[arg(long, value_name = "CODE", help_heading = "Display")]
    pub currency: Option<String>,
    /// Units of --currency per USD (150 = 150 yen to the dollar). Required with --currency:
    /// there are no built-in rates.
    #[arg(
        long,
        value_name = "UNITS_PER_USD",
        requires = "currency",
        help_heading = "Display"
    )]
    pub rate: Option<rust_decimal::Decimal>,
    /// The date of --rate (YYYY-MM-DD), printed with every converted figure.
    #[arg(
        long,
        value_name = "YYYY-MM-DD",
        requires = "currency",
        help_heading = "Display"
    )]
    pub rate_date: Option<String>,
    #[command(flatten)]
    pub width: WidthArgs,
}

/// Terminal table width.
#[derive(Debug, Args, Default, Clone, Copy)]
pub struct WidthArgs {
    /// Fit tables into N columns (0: no limit, notes inline; otherwise at least 40). Default:
    /// $COLUMNS, else the terminal's width, else 100.
    #[arg(long, value_name = "N", help_heading = "Display")]
    pub columns: Option<u16>,
    /// Leave the notes out of terminal tables (Markdown, CSV and JSON keep them).
    #[arg(long, help_heading = "Display")]
    pub no_notes: bool,
}

#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// Scenario file (TOML) with `[traffic]` and `[growth]`.
    pub scenario: PathBuf,
    /// Number of months.
    #[arg(long)]
    pub months: u32,
    /// First month, YYYY-MM (default: months are numbered M1, M2, ...).
    #[arg(long, value_name = "YYYY-MM")]
    pub start: Option<String>,
    /// Output formats, comma-separated (table, json, csv, markdown). Default: table on stdout;
    /// with --out, json, csv and markdown files plus the chart (PNG and SVG).
    #[arg(long, value_delimiter = ',', value_parser = format_parser())]
    pub format: Vec<Format>,
    /// Write the chosen formats and the chart to files in this directory (atomically).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed of the traffic simulation (default: the scenario's `[simulation] seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    #[command(flatten)]
    pub view: ViewArgs,
    #[command(flatten)]
    pub books: BookArgs,
}

#[derive(Debug, Args)]
pub struct BookArgs {
    /// Read price books from this directory instead of the copies built into the binary.
    #[arg(long, global = true)]
    pub pricing_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum PricingCommand {
    /// List the prices a region's book holds, with sources and dates.
    Show {
        region: String,
        /// Only keys of this service (first key segment, e.g. `lambda`).
        service: Option<String>,
        #[command(flatten)]
        width: WidthArgs,
        #[command(flatten)]
        books: BookArgs,
    },
    /// Read AWS Price List bulk offer files (CSV or JSON) and write a price book of the keys the
    /// mapping prices, each with its offer, version, SKU, usage type and rate code.
    Import {
        /// Region whose on-demand prices to take (records of other regions are skipped).
        #[arg(long)]
        region: String,
        /// Offer files (`index.csv` or `index.json` of one offer and region).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Write the book here (atomically); default: stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Mapping of book keys to records (default: the built-in pricing/mapping.toml).
        #[arg(long)]
        mapping: Option<PathBuf>,
    },
    /// Download the region's current offer files for the mapped services from the AWS Price
    /// List (public, no credentials; resumable, sizes checked), then import them.
    Fetch {
        #[arg(long)]
        region: String,
        /// Offer code (`AmazonRDS`) or book service (`rds`); repeat for several. Default: all mapped.
        #[arg(long = "service")]
        services: Vec<String>,
        /// Download cache (default: $XDG_CACHE_HOME/costplan/price-list or ~/.cache/...).
        #[arg(long)]
        cache: Option<PathBuf>,
        /// The offer index (a mirror works).
        #[arg(long, default_value = crate::pricing::import::fetch::DEFAULT_INDEX_URL)]
        index_url: String,
        /// Offer file format to download: csv (streamed, flat memory) or json.
        #[arg(long, default_value = "csv")]
        format: String,
        /// Write the book here (atomically); default: stdout.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        mapping: Option<PathBuf>,
    },
    /// Per service, keys present / missing / low trust in each region's book, and which library
    /// scenarios price in which region without a missing price.
    Coverage {
        /// Regions (default: every region with a book).
        regions: Vec<String>,
        /// Directory of scenarios to check.
        #[arg(long, default_value = "scenarios")]
        scenarios: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: TableOrJson,
        #[command(flatten)]
        books: BookArgs,
    },
    /// Every price changed, added or removed between two book files, with the change in percent.
    Diff {
        old: PathBuf,
        new: PathBuf,
        #[arg(long, value_enum, default_value = "table")]
        format: TableOrJson,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TableOrJson {
    Table,
    Json,
}

/// `--format` values: the report formats by name (clap lists them in `--help`).
fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Format::ALL.map(Format::name)).map(|name| {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .unwrap_or(Format::Table)
    })
}

/// `--budget`: a positive amount of USD (a budget of 0 or less is a typo, not a check).
fn positive_usd(s: &str) -> Result<rust_decimal::Decimal, String> {
    let v: rust_decimal::Decimal = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not an amount of USD (e.g. 1500 or 1500.50)"))?;
    if v <= rust_decimal::Decimal::ZERO {
        return Err(format!("a budget must be above 0 USD, got {v}"));
    }
    Ok(v)
}
