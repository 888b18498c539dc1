//! `fieldwork`: the server binary. Parses the command line and calls the library.

use anyhow::Context;
use clap::{Parser, Subcommand};
use fieldwork_server::config::Settings;
use fieldwork_server::db::Db;
use fieldwork_server::{seed, AppState};
use secrecy::ExposeSecret;
use std::io::Read;

#[derive(Parser)]
#[command(name = "fieldwork", version, about = "Fieldwork field-sales CRM server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the app (the default).
    Serve {
        /// Seed demo data into an empty database, and give the demo reps appointments today.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Seed data into the database.
    #[command(group(clap::ArgGroup::new("what").required(true).args(["demo", "scale"])))]
    Seed {
        /// The demo agency in Dhaka (users, territories, contacts, listings, today's appointments).
        #[arg(long)]
        demo: bool,
        /// A whole company of this many contacts, with reps, territories, listings, deals,
        /// appointments, visits, activities and feedback in real proportions (empty database only).
        #[arg(long, value_name = "CONTACTS")]
        scale: Option<usize>,
        /// The random seed of `--scale`: the same seed gives the same company.
        #[arg(long, default_value_t = 1, requires = "scale")]
        seed: u64,
    },
    /// Write a consistent backup of the live database to a new file (`SQLite`: `VACUUM INTO`;
    /// `PostgreSQL`: `pg_dump --format=custom`, from the `PostgreSQL` client tools).
    Backup {
        /// The file to write; it must not exist.
        file: std::path::PathBuf,
    },
    /// Replace all data with a backup made by `fieldwork backup`. The server may keep running:
    /// the data changes in one transaction, and devices start over from the restored data.
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API keys.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Create an API key for an admin and print its secret (shown only this once).
    Add {
        /// The admin the key acts as.
        #[arg(long)]
        email: String,
        /// What the key is for (an integration's name).
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, manager, office or rep.
        #[arg(long)]
        role: String,
    },
}

fn main() -> std::process::ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: starting the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One readable line (with its causes), never a backtrace: this is for people.
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FIELDWORK_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    let settings = Settings::from_env().map_err(anyhow::Error::msg)?;
    let database_url = settings.database_url.expose_secret();
    let db =
        Db::connect(database_url).await.with_context(|| format!("opening the database at {}", redact(database_url)))?;
    let prepared = fieldwork_server::startup::prepare(&db).await?;
    if prepared.indexed > 0 {
        println!("indexed {} contacts for search", prepared.indexed);
    }

    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => serve(db, settings, demo).await,
        Command::Migrate => {
            println!("database is up to date");
            Ok(())
        }
        Command::Seed { scale: Some(contacts), seed: random, .. } => {
            println!("seeding a company of {contacts} contacts (seed {random})");
            let report = seed::scale::seed(&db, seed::scale::Plan::new(contacts, random)).await?;
            println!("{report}");
            Ok(())
        }
        Command::Seed { .. } => {
            let report = seed::demo::seed(&db).await?;
            println!("{report}");
            Ok(())
        }
        Command::Backup { file } => {
            let started = std::time::Instant::now();
            let bytes = fieldwork_server::db::backup::backup(&db, database_url, &file).await?;
            println!(
                "backed up to {} ({:.1} MB in {:.1} s)",
                file.display(),
                bytes as f64 / 1e6,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Restore { file, yes } => {
            if !yes
                && !confirm(&format!(
                    "Replace ALL data in {} with {}? Type \"restore\" to go on: ",
                    redact(database_url),
                    file.display()
                ))?
            {
                anyhow::bail!("nothing restored");
            }
            let epoch = fieldwork_server::startup::restore(&db, database_url, &file).await?;
            println!("restored {}; devices will start over from it (server epoch {epoch})", file.display());
            Ok(())
        }
        Command::Key { command: KeyCommand::Add { email, name } } => {
            let user = fieldwork_server::users::store::by_email_with_hash(&db, &email.trim().to_lowercase())
                .await?
                .map(|(user, _)| user)
                .filter(|user| user.active && user.role.can_administer())
                .with_context(|| format!("{email} is not an active admin"))?;
            let name = fieldwork_app::api_keys::ApiKeyForCreate { name }
                .validate()
                .map_err(|_| anyhow::anyhow!("--name must be 1 to 80 characters"))?;
            let created = fieldwork_server::api_keys::actions::create(&db, user.id, &name).await?;
            println!("{}", created.secret);
            Ok(())
        }
        Command::User { command: UserCommand::Add { email, name, role } } => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password).context("reading the password from stdin")?;
            let user =
                seed::add_user(&db, &settings.time_zone, &email, &name, &role, password.trim_end_matches(['\r', '\n']))
                    .await?;
            println!("added {} ({}) with id {}", user.email, user.role.as_str(), user.id);
            Ok(())
        }
    }
}

async fn serve(db: Db, settings: Settings, demo: bool) -> anyhow::Result<()> {
    if demo {
        let report = seed::demo::ensure(&db).await?;
        if !report.is_empty() {
            println!("{report}");
        }
    }
    let listener = tokio::net::TcpListener::bind(settings.addr)
        .await
        .with_context(|| format!("listening on {}", settings.addr))?;
    let addr = listener.local_addr()?;
    println!("\nFieldwork is running at http://{addr}  (database: {})", redact(settings.database_url.expose_secret()));
    if seed::demo::is_present(&db).await? {
        println!("{}", seed::demo::LOGINS);
    }
    println!("Press Ctrl-C to stop.\n");
    let state = AppState::new(db.clone(), settings);
    fieldwork_server::serve(state, listener).await?;
    db.close().await;
    Ok(())
}

/// Asks `question` on the terminal; true when the answer is `restore`.
fn confirm(question: &str) -> anyhow::Result<bool> {
    use std::io::Write;
    print!("{question}");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(answer.trim() == "restore")
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme && url[scheme + 3..at].contains(':') => {
            let user = url[scheme + 3..at].split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_in_database_urls_are_never_printed() {
        assert_eq!(redact("postgres://app:s3cret@db:5432/fw"), "postgres://app:***@db:5432/fw");
        assert_eq!(redact("postgres://postgres@127.0.0.1/fw"), "postgres://postgres@127.0.0.1/fw");
        assert_eq!(redact("sqlite://data/fieldwork.db"), "sqlite://data/fieldwork.db");
    }
}
