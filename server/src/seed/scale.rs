//! `fieldwork seed --scale N`: a coherent field-sales company of N contacts with the
//! proportions of a real one, deterministic from a seed (for a given day), on either engine.
//!
//! Per 5,000 contacts there is one rep; a manager leads 20 reps; one office user per 50 reps.
//! Territories tile the Dhaka area in a grid, two reps each, and a contact belongs to the
//! territory its position falls in and is owned by one of that territory's reps. Over the last
//! two years: 3–7 logged activities per contact, a meeting per third contact (a visit when it
//! was done, a survey answer per seventh visit), a deal per tenth with its way through the
//! stages, a follow-up per twentieth, a listing per fiftieth.
//!
//! Rows are written in multi-row statements with the big tables' secondary indexes dropped
//! during the load and rebuilt after it (see [`super::rows`]).

use super::names::{email_address, mobile_number, person_name, pick, tags, FIRST_NAMES, LAST_NAMES};
use super::rows::{create_indexes, drop_indexes, row, Rows};
use crate::auth::password;
use crate::contacts::write::search_key;
use crate::db::{now_ms, Db};
use anyhow::Context;
use fieldwork_app::common::ContactId;
use fieldwork_app::contacts::search::{head, SearchFields};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeSet;
use std::time::Instant;

/// Every generated user's password.
pub const PASSWORD: &str = "fieldwork-demo";
/// Generated users are `admin@…`, `office1@…`, `manager1@…`, `rep1@…` at this domain.
pub const DOMAIN: &str = "scale.fieldwork.demo";

const DAY: i64 = 86_400_000;
const HISTORY: i64 = 730 * DAY;
/// The area the territories tile: south, north, west, east.
const AREA: (f64, f64, f64, f64) = (23.70, 23.90, 90.33, 90.50);
/// The tables the load fills with many rows: their secondary indexes are rebuilt after it.
const BIG_TABLES: [&str; 10] = [
    "contacts",
    "activities",
    "appointments",
    "visits",
    "feedback",
    "deals",
    "deal_stage_history",
    "tasks",
    "listings",
    "listing_status_history",
];
const STAGES: [&str; 4] = ["inquiry", "proposal", "negotiation", "won"];
const OUTCOMES: [&str; 5] = ["Interested", "Order taken", "Not interested", "Not at home", "Call back later"];

/// How big each part of the company is for a number of contacts.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub contacts: usize,
    pub reps: usize,
    pub managers: usize,
    pub office: usize,
    pub territories: usize,
    pub seed: u64,
}

impl Plan {
    pub fn new(contacts: usize, seed: u64) -> Plan {
        Plan::with_reps(contacts, (contacts / 5_000).max(3), seed)
    }

    /// `contacts` shared by exactly `reps` reps (the other roles in the usual proportions).
    pub fn with_reps(contacts: usize, reps: usize, seed: u64) -> Plan {
        let reps = reps.max(1);
        Plan {
            contacts,
            reps,
            managers: reps.div_ceil(20),
            office: reps.div_ceil(50),
            territories: reps.div_ceil(2),
            seed,
        }
    }

    /// The territory grid: rows × columns = territories, as square as the number allows.
    fn grid(&self) -> (usize, usize) {
        let t = self.territories;
        let rows = (1..=t).filter(|r| t.is_multiple_of(*r) && r * r <= t).max().unwrap_or(1);
        (rows, t / rows)
    }

    /// The territory a position falls in.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // a fraction of the grid, 0 to 1
    fn territory_at(&self, lat: f64, lon: f64) -> usize {
        let (rows, cols) = self.grid();
        let r = (((lat - AREA.0) / (AREA.1 - AREA.0)) * rows as f64) as usize;
        let c = (((lon - AREA.2) / (AREA.3 - AREA.2)) * cols as f64) as usize;
        r.min(rows - 1) * cols + c.min(cols - 1)
    }

    /// The reps working territory `t` (rep `r` works territory `r mod territories`).
    fn reps_of(&self, t: usize) -> impl Iterator<Item = usize> + '_ {
        (t..self.reps).step_by(self.territories)
    }
}

/// What was written, for the command line.
pub struct Report {
    pub counts: Vec<(&'static str, usize)>,
    pub seconds: f64,
    pub plan: Plan,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "seeded in {:.0} s:", self.seconds)?;
        for (table, n) in &self.counts {
            writeln!(f, "  {table:<24} {n:>10}")?;
        }
        let some = |role: &str, n: usize| match n {
            1 => format!("{role}1@{DOMAIN}"),
            n => format!("{role}1…{n}@{DOMAIN}"),
        };
        write!(
            f,
            "sign in as admin@{DOMAIN}, {}, {} or {} with password {PASSWORD}",
            some("office", self.plan.office),
            some("manager", self.plan.managers),
            some("rep", self.plan.reps)
        )
    }
}

/// One generated contact, as far as the rows that refer to it need it.
struct Person {
    id: String,
    owner: usize,
    created: i64,
    position: Option<(f64, f64)>,
}

/// A time-ordered id: UUID v7 with its instant `ms` and random bits from `rng`, so each
/// table's primary key grows at its end as it is written.
fn ordered_id(ms: i64, rng: &mut StdRng) -> String {
    let bytes: [u8; 10] = rng.gen();
    uuid::Builder::from_unix_timestamp_millis(ms.max(0).cast_unsigned(), &bytes).into_uuid().to_string()
}

/// The instants of contact `i`'s logged activities (sorted), the same every time they are
/// asked for: its `last_activity_at` is written with the contact, the rows later.
fn activity_times(plan: &Plan, i: usize, created: i64, now: i64) -> Vec<i64> {
    let mut rng = StdRng::seed_from_u64(plan.seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut times: Vec<i64> = (0..rng.gen_range(3..=7)).map(|_| rng.gen_range(created..now.max(created + 1))).collect();
    times.sort_unstable();
    times
}

/// Seeds `plan` into `db`, which must hold no contacts yet.
pub async fn seed(db: &Db, plan: Plan) -> anyhow::Result<Report> {
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts").fetch_one(db.pool()).await?;
    anyhow::ensure!(have == 0, "seed --scale fills an empty database; this one has {have} contacts");
    let started = Instant::now();
    let indexes = drop_indexes(db, &BIG_TABLES).await.context("dropping indexes for the load")?;
    // Rows go in without their report triggers; the rollups are counted once at the end.
    crate::reports::rollup::pause(db).await.context("pausing the report rollups")?;
    let loaded = load(db, plan).await;
    // The indexes and rollups come back even when the load failed half-way.
    create_indexes(db, &indexes).await.context("rebuilding indexes")?;
    let rolled = Instant::now();
    crate::reports::rollup::rebuild(db).await.context("counting the report rollups")?;
    println!("  {:<24} {:>10}  in {:>5.0} s", "report rollups", "", rolled.elapsed().as_secs_f64());
    let counts = loaded?;
    Ok(Report { counts, seconds: started.elapsed().as_secs_f64(), plan })
}

/// What every step of a load shares: the database, the plan, the load's clock (`now`, on a
/// whole minute, and `start`, two years before it), the version its rows carry, and when it
/// started (for the progress lines).
#[derive(Clone, Copy)]
struct Load<'a> {
    db: &'a Db,
    plan: Plan,
    now: i64,
    start: i64,
    version: i64,
    started: Instant,
}

impl Load<'_> {
    /// A progress line: what was written, how many, and when since the load started.
    fn progress(&self, what: &str, n: usize) {
        println!("  {what:<24} {n:>10}  at {:>5.0} s", self.started.elapsed().as_secs_f64());
    }
}

/// The rows written per table, in the order they were written.
type Counts = Vec<(&'static str, usize)>;

/// Writes the company one family of tables after another. Every step draws from the one
/// generator seeded by the plan, in this order: the same seed gives the same rows.
async fn load(db: &Db, plan: Plan) -> anyhow::Result<Counts> {
    let now = now_ms() / 60_000 * 60_000;
    let start = now - HISTORY;
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let version = {
        let mut tx = db.begin_write().await?;
        let v = tx.next_version().await?;
        tx.commit().await?;
        v
    };
    let cx = Load { db, plan, now, start, version, started: Instant::now() };
    let rng = &mut rng;
    let mut counts = Vec::new();
    let reps = users(&cx, rng, &mut counts).await?;
    let territories = territories(&cx, rng, &mut counts).await?;
    territory_assignments(&cx, rng, &reps, &territories, &mut counts).await?;
    let people = contacts(&cx, rng, &reps, &territories, &mut counts).await?;
    let listing_ids = listings(&cx, rng, &reps, &territories, &people, &mut counts).await?;
    deals(&cx, rng, &reps, &people, &listing_ids, &mut counts).await?;
    meetings(&cx, rng, &reps, &people, &mut counts).await?;
    tasks(&cx, rng, &reps, &people, &mut counts).await?;
    activities(&cx, rng, &reps, &people, &mut counts).await?;
    Ok(counts)
}

/// People: admin, office, managers, reps (each rep under a manager). Returns the reps' ids.
async fn users(cx: &Load<'_>, rng: &mut StdRng, counts: &mut Counts) -> anyhow::Result<Vec<String>> {
    let Load { db, plan, start, version, .. } = *cx;
    let hash = password::hash(PASSWORD.to_string()).await?;
    let mut users = Rows::new(
        db,
        "users",
        &[
            "id",
            "email",
            "name",
            "role",
            "manager_id",
            "language",
            "password_hash",
            "created_at",
            "updated_at",
            "version",
        ],
    );
    let user_id = |rng: &mut StdRng| ordered_id(start, rng);
    let user = |id: &str,
                email: String,
                name: String,
                role: &'static str,
                manager: Option<&String>,
                language: &'static str| {
        row![id.to_string(), email, name, role, manager.cloned(), language, hash.clone(), start, start, version]
    };
    users.push(user(&user_id(rng), format!("admin@{DOMAIN}"), "Admin".into(), "admin", None, "en")).await?;
    for o in 1..=plan.office {
        users
            .push(user(&user_id(rng), format!("office{o}@{DOMAIN}"), format!("Office {o}"), "office", None, "en"))
            .await?;
    }
    let managers: Vec<String> = (0..plan.managers).map(|_| user_id(rng)).collect();
    for (m, id) in managers.iter().enumerate() {
        let (email, name) = (format!("manager{}@{DOMAIN}", m + 1), format!("Manager {}", m + 1));
        users.push(user(id, email, name, "manager", None, "en")).await?;
    }
    let reps: Vec<String> = (0..plan.reps).map(|_| user_id(rng)).collect();
    for (r, id) in reps.iter().enumerate() {
        let name = format!("{} {}", pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES));
        let language = if r % 10 == 9 { "bn" } else { "en" };
        let manager = Some(&managers[r % plan.managers]);
        users.push(user(id, format!("rep{}@{DOMAIN}", r + 1), name, "rep", manager, language)).await?;
    }
    counts.push(("users", users.finish().await?));
    Ok(reps)
}

/// Territories tile the area in a grid. Returns their ids.
async fn territories(cx: &Load<'_>, rng: &mut StdRng, counts: &mut Counts) -> anyhow::Result<Vec<String>> {
    let Load { db, plan, start, version, .. } = *cx;
    let (grid_rows, grid_cols) = plan.grid();
    let (dlat, dlon) = ((AREA.1 - AREA.0) / grid_rows as f64, (AREA.3 - AREA.2) / grid_cols as f64);
    let territories: Vec<String> = (0..plan.territories).map(|_| ordered_id(start, rng)).collect();
    let mut rows =
        Rows::new(db, "territories", &["id", "name", "colour", "geometry", "created_at", "updated_at", "version"]);
    for (t, id) in territories.iter().enumerate() {
        let (south, west) = (AREA.0 + (t / grid_cols) as f64 * dlat, AREA.2 + (t % grid_cols) as f64 * dlon);
        let (north, east) = (south + dlat, west + dlon);
        let geometry = format!(
            r#"{{"type":"Polygon","coordinates":[[[{west},{south}],[{east},{south}],[{east},{north}],[{west},{north}],[{west},{south}]]]}}"#
        );
        let colour = ["#0f766e", "#1d4ed8", "#b45309", "#7c3aed", "#be123c", "#15803d"][t % 6];
        rows.push(row![
            id.clone(),
            format!("Zone {:02}-{:02}", t / grid_cols + 1, t % grid_cols + 1),
            colour,
            geometry,
            start,
            start,
            version
        ])
        .await?;
    }
    counts.push(("territories", rows.finish().await?));
    Ok(territories)
}

/// Each rep works one territory (rep `r` the territory `r mod territories`) from the start.
async fn territory_assignments(
    cx: &Load<'_>,
    rng: &mut StdRng,
    reps: &[String],
    territories: &[String],
    counts: &mut Counts,
) -> anyhow::Result<()> {
    let Load { db, plan, start, version, .. } = *cx;
    let mut rows = Rows::new(
        db,
        "territory_assignments",
        &["id", "territory_id", "user_id", "starts_on", "created_at", "updated_at", "version"],
    );
    let starts_on =
        chrono::DateTime::from_timestamp_millis(start).map(|d| d.date_naive().to_string()).unwrap_or_default();
    for (r, rep) in reps.iter().enumerate() {
        rows.push(row![
            ordered_id(start, rng),
            territories[r % plan.territories].clone(),
            rep.clone(),
            starts_on.clone(),
            start,
            start,
            version
        ])
        .await?;
    }
    counts.push(("territory_assignments", rows.finish().await?));
    Ok(())
}

/// Contacts, made over the two years in order, with their search documents and terms. Returns
/// them as far as the later rows need them.
async fn contacts(
    cx: &Load<'_>,
    rng: &mut StdRng,
    reps: &[String],
    territories: &[String],
    counts: &mut Counts,
) -> anyhow::Result<Vec<Person>> {
    let Load { db, plan, now, start, version, .. } = *cx;
    let mut people: Vec<Person> = Vec::with_capacity(plan.contacts);
    let mut contacts = Rows::new(
        db,
        "contacts",
        &[
            "id",
            "kind",
            "name",
            "lifecycle",
            "source",
            "tags",
            "phones",
            "emails",
            "address",
            "lat",
            "lon",
            "territory_id",
            "owner_id",
            "language",
            "consent_email",
            "consent_sms",
            "search_doc",
            "primary_phone",
            "primary_email",
            "last_activity_at",
            "created_at",
            "updated_at",
            "version",
        ],
    );
    let mut fts = Rows::new(db, "contacts_fts", &["rowid", "contact_id", "doc"]);
    let write_fts = db.dialect().search_write.is_some();
    let mut vocabulary: BTreeSet<String> = BTreeSet::new();
    for i in 0..plan.contacts {
        let created = start + (i as i64) * (HISTORY - DAY) / plan.contacts.max(1) as i64 + rng.gen_range(0..60_000);
        let id = ordered_id(created, rng);
        let (first, last, name) = person_name(rng, 0.35);
        let phone = mobile_number(rng);
        let email = rng.gen_bool(0.7).then(|| email_address(first, last, i));
        let tags = tags(rng);
        let position = rng.gen_bool(0.95).then(|| (rng.gen_range(AREA.0..AREA.1), rng.gen_range(AREA.2..AREA.3)));
        let territory = position.map(|(lat, lon)| plan.territory_at(lat, lon));
        let owner = match territory {
            Some(t) => {
                let theirs: Vec<usize> = plan.reps_of(t).collect();
                theirs[rng.gen_range(0..theirs.len())]
            }
            None => rng.gen_range(0..plan.reps),
        };
        let lifecycle = match rng.gen_range(0..100) {
            0..45 => "lead",
            45..70 => "prospect",
            70..95 => "customer",
            _ => "inactive",
        };
        let source = pick(
            rng,
            &["referral", "website", "website", "walk_in", "facebook", "facebook", "cold_call", "property_fair"],
        );
        let emails: Vec<String> = email.iter().cloned().collect();
        let phones =
            [fieldwork_app::common::Phone::parse(&phone).map_err(|_| anyhow::anyhow!("generated phone {phone}"))?];
        let fields =
            SearchFields { name: &name, company: None, emails: &emails, phones: &phones, tags: &tags, custom: &[] };
        let doc = fields.document();
        vocabulary.extend(fields.vocabulary());
        let last_activity = activity_times(&plan, i, created, now).last().copied();
        let street = pick(
            rng,
            &["Road 11", "Road 27", "Lake Drive", "Kemal Ataturk Avenue", "Satmasjid Road", "Shyamoli Ring Road"],
        );
        contacts
            .push(row![
                id.clone(),
                "person",
                name,
                lifecycle,
                source,
                serde_json::to_string(&tags)?,
                serde_json::to_string(&[&phone])?,
                serde_json::to_string(&emails)?,
                format!("House {}, {street}, Dhaka", rng.gen_range(1..120)),
                position.map(|p| p.0),
                position.map(|p| p.1),
                territory.map(|t| territories[t].clone()),
                reps[owner].clone(),
                if rng.gen_bool(0.3) { "bn" } else { "en" },
                i64::from(rng.gen_bool(0.6)),
                i64::from(rng.gen_bool(0.4)),
                doc.clone(),
                phone,
                email,
                last_activity,
                created,
                last_activity.unwrap_or(created),
                version,
            ])
            .await?;
        if write_fts {
            let key = search_key(ContactId::parse(&id).context("generated id")?);
            fts.push(row![key, id.clone(), doc]).await?;
        }
        people.push(Person { id, owner, created, position });
    }
    counts.push(("contacts", contacts.finish().await?));
    if write_fts {
        fts.finish().await?;
    }
    let mut terms = Rows::new(db, "search_terms", &["term", "head"]);
    for word in vocabulary {
        let h = head(&word);
        terms.push(row![word, h]).await?;
    }
    terms.finish().await?;
    cx.progress("contacts", plan.contacts);
    Ok(people)
}

/// Listings: a fiftieth as many as contacts, in the territories, with their status history.
/// Returns their ids.
async fn listings(
    cx: &Load<'_>,
    rng: &mut StdRng,
    reps: &[String],
    territories: &[String],
    people: &[Person],
    counts: &mut Counts,
) -> anyhow::Result<Vec<String>> {
    let Load { db, plan, now, start, version, .. } = *cx;
    let mut listings = Rows::new(
        db,
        "listings",
        &[
            "id",
            "reference",
            "title",
            "kind",
            "transaction_type",
            "status",
            "price_amount",
            "price_currency",
            "rent_period",
            "area_m2",
            "bedrooms",
            "bathrooms",
            "features",
            "address",
            "lat",
            "lon",
            "territory_id",
            "owner_contact_id",
            "agent_id",
            "created_at",
            "updated_at",
            "version",
        ],
    );
    let mut history =
        Rows::new(db, "listing_status_history", &["id", "listing_id", "from_status", "to_status", "at", "by_user_id"]);
    let mut listing_ids: Vec<String> = Vec::new();
    let n_listings = plan.contacts / 50;
    for l in 0..n_listings {
        let created = start + (l as i64) * (HISTORY - DAY) / n_listings.max(1) as i64;
        let id = ordered_id(created, rng);
        let (lat, lon) = (rng.gen_range(AREA.0..AREA.1), rng.gen_range(AREA.2..AREA.3));
        let t = plan.territory_at(lat, lon);
        let agent = plan.reps_of(t).next().unwrap_or(0);
        let kind = pick(rng, &["apartment", "apartment", "apartment", "house", "land", "commercial", "office"]);
        let transaction = if rng.gen_bool(0.35) { "rent" } else { "sale" };
        let bedrooms = matches!(kind, "apartment" | "house").then(|| rng.gen_range(1..6_i64));
        let price =
            if transaction == "rent" { rng.gen_range(25..250) * 1_000 } else { rng.gen_range(80..900) * 100_000 };
        let closed = if transaction == "rent" { "rented" } else { "sold" };
        let status =
            pick(rng, &["available", "available", "available", "under_offer", closed, closed, "withdrawn", "draft"]);
        let owner = &people[rng.gen_range(0..people.len())];
        let title = match bedrooms {
            Some(b) => format!("{b}-bed {kind} for {transaction}"),
            None => format!("{kind} for {transaction}"),
        };
        listings
            .push(row![
                id.clone(),
                format!("SC-{:06}", l + 1),
                title,
                kind,
                transaction,
                status,
                price * 100,
                "BDT",
                (transaction == "rent").then_some("month"),
                f64::from(rng.gen_range(50..400)),
                bedrooms,
                bedrooms.map(|b| (b - 1).max(1)),
                serde_json::to_string(&["parking", "lift", "generator", "security"][..rng.gen_range(1..4)])?,
                format!("Plot {}, Dhaka", rng.gen_range(1..300)),
                lat,
                lon,
                territories[t].clone(),
                owner.id.clone(),
                reps[agent].clone(),
                created,
                created,
                version,
            ])
            .await?;
        if status != "draft" {
            let listed = created + rng.gen_range(0..7) * DAY;
            let row = row![ordered_id(listed, rng), id.clone(), "draft", "available", listed, reps[agent].clone()];
            history.push_after(row, &mut [&mut listings]).await?;
            if status != "available" {
                let at = (listed + rng.gen_range(5..120) * DAY).min(now);
                let row = row![ordered_id(at, rng), id.clone(), "available", status, at, reps[agent].clone()];
                history.push_after(row, &mut [&mut listings]).await?;
            }
        }
        listing_ids.push(id);
    }
    counts.push(("listings", listings.finish().await?));
    counts.push(("listing_status_history", history.finish().await?));
    cx.progress("listings", n_listings);
    Ok(listing_ids)
}

/// Deals: one per tenth contact, each with its way through the stages.
async fn deals(
    cx: &Load<'_>,
    rng: &mut StdRng,
    reps: &[String],
    people: &[Person],
    listing_ids: &[String],
    counts: &mut Counts,
) -> anyhow::Result<()> {
    let Load { db, plan, now, version, .. } = *cx;
    let mut deals = Rows::new(
        db,
        "deals",
        &[
            "id",
            "contact_id",
            "listing_id",
            "title",
            "stage",
            "lost_reason",
            "value_amount",
            "value_currency",
            "owner_id",
            "stage_changed_at",
            "created_at",
            "updated_at",
            "version",
        ],
    );
    let mut stages = Rows::new(
        db,
        "deal_stage_history",
        &["id", "deal_id", "from_stage", "to_stage", "at", "from_entered_at", "by_user_id"],
    );
    for person in people.iter().step_by(10) {
        let mut path: Vec<&'static str> = STAGES[..rng.gen_range(1..=4)].to_vec();
        if path.last() != Some(&"won") && rng.gen_bool(0.4) {
            path.push("lost");
        }
        let opened = rng.gen_range(person.created..(person.created + 60 * DAY).min(now).max(person.created + 1));
        let id = ordered_id(opened, rng);
        let owner = reps[person.owner].clone();
        // When the deal entered each stage of its path.
        let mut steps: Vec<(&'static str, i64)> = Vec::with_capacity(path.len());
        for stage in &path {
            let at = steps
                .last()
                .map_or(opened, |(_, at)| (at + rng.gen_range(2..20) * DAY + rng.gen_range(0..DAY)).min(now));
            steps.push((stage, at));
        }
        let (stage, entered) = steps.last().copied().unwrap_or(("inquiry", opened));
        let listing = (!listing_ids.is_empty() && rng.gen_bool(0.5))
            .then(|| listing_ids[rng.gen_range(0..listing_ids.len())].clone());
        deals
            .push(row![
                id.clone(),
                person.id.clone(),
                listing.clone(),
                if listing.is_some() { "Property purchase" } else { "Service contract" },
                stage,
                (stage == "lost").then_some("Chose another property"),
                rng.gen_range(50..900_i64) * 10_000_000,
                "BDT",
                owner.clone(),
                entered,
                opened,
                entered,
                version,
            ])
            .await?;
        let mut from: Option<(&str, i64)> = None;
        for (stage, at) in steps {
            let row =
                row![ordered_id(at, rng), id.clone(), from.map(|f| f.0), stage, at, from.map(|f| f.1), owner.clone()];
            stages.push_after(row, &mut [&mut deals]).await?;
            from = Some((stage, at));
        }
    }
    counts.push(("deals", deals.finish().await?));
    counts.push(("deal_stage_history", stages.finish().await?));
    cx.progress("deals", plan.contacts / 10);
    Ok(())
}

/// Meetings with a third of the contacts; the visit when it was done, a survey per seventh.
async fn meetings(
    cx: &Load<'_>,
    rng: &mut StdRng,
    reps: &[String],
    people: &[Person],
    counts: &mut Counts,
) -> anyhow::Result<()> {
    let Load { db, plan, now, version, .. } = *cx;
    let mut appointments = Rows::new(
        db,
        "appointments",
        &[
            "id",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "time_zone",
            "assignee_id",
            "contact_id",
            "address",
            "lat",
            "lon",
            "status",
            "reminder_minutes",
            "created_at",
            "updated_at",
            "version",
        ],
    );
    let mut visits = Rows::new(
        db,
        "visits",
        &[
            "id",
            "rep_id",
            "contact_id",
            "appointment_id",
            "check_in_at",
            "check_in_lat",
            "check_in_lon",
            "check_in_accuracy_m",
            "distance_m",
            "far",
            "check_out_at",
            "outcome",
            "created_at",
            "updated_at",
            "version",
        ],
    );
    let mut feedback = Rows::new(
        db,
        "feedback",
        &[
            "id",
            "contact_id",
            "visit_id",
            "csat",
            "nps",
            "sent_at",
            "expires_at",
            "answered_at",
            "created_at",
            "updated_at",
            "version",
        ],
    );
    let mut done = 0;
    for person in people.iter().step_by(3) {
        // Working hours in Dhaka (UTC+6): 09:00–18:00 local is 03:00–12:00 UTC.
        let day = rng.gen_range(person.created / DAY..=(now + 14 * DAY) / DAY);
        let starts = day * DAY + 3 * 3_600_000 + rng.gen_range(0..18) * 1_800_000;
        let id = ordered_id(starts, rng);
        let status = if starts > now {
            "scheduled"
        } else {
            pick(rng, &["done", "done", "done", "done", "done", "done", "done", "done", "no_show", "cancelled"])
        };
        let (lat, lon) = person.position.unzip();
        let rep = reps[person.owner].clone();
        appointments
            .push(row![
                id.clone(),
                if rng.gen_bool(0.2) { "showing" } else { "meeting" },
                "Visit",
                starts,
                starts + 1_800_000,
                "Asia/Dhaka",
                rep.clone(),
                person.id.clone(),
                None::<String>,
                lat,
                lon,
                status,
                15_i64,
                starts - 3 * DAY,
                starts.min(now),
                version,
            ])
            .await?;
        if status != "done" {
            continue;
        }
        done += 1;
        let far = rng.gen_bool(0.05);
        let distance = if far { rng.gen_range(300.0..3_000.0) } else { rng.gen_range(2.0..120.0) };
        let check_in = starts + rng.gen_range(-600_000..900_000);
        let check_out = check_in + rng.gen_range(15..70) * 60_000;
        let visit = ordered_id(check_in, rng);
        let row = row![
            visit.clone(),
            rep,
            person.id.clone(),
            id,
            check_in,
            lat,
            lon,
            lat.map(|_| rng.gen_range(5.0..40.0)),
            lat.map(|_| distance),
            i64::from(far),
            check_out,
            pick(rng, &OUTCOMES),
            check_in,
            check_out,
            version,
        ];
        visits.push_after(row, &mut [&mut appointments]).await?;
        if done % 7 == 0 {
            let answered = check_out + rng.gen_range(1..48) * 3_600_000;
            let csat = pick(rng, &[2_i64, 3, 4, 4, 5, 5, 5]);
            let nps = pick(rng, &[3_i64, 6, 7, 8, 9, 9, 10, 10]);
            let row = row![
                ordered_id(check_out, rng),
                person.id.clone(),
                visit,
                csat,
                nps,
                check_out,
                check_out + 14 * DAY,
                (answered <= now).then_some(answered),
                check_out,
                answered.min(now),
                version,
            ];
            feedback.push_after(row, &mut [&mut appointments, &mut visits]).await?;
        }
    }
    counts.push(("appointments", appointments.finish().await?));
    counts.push(("visits", visits.finish().await?));
    counts.push(("feedback", feedback.finish().await?));
    cx.progress("appointments and visits", plan.contacts / 3);
    Ok(())
}

/// Follow-ups for a twentieth: most past ones done.
async fn tasks(
    cx: &Load<'_>,
    rng: &mut StdRng,
    reps: &[String],
    people: &[Person],
    counts: &mut Counts,
) -> anyhow::Result<()> {
    let Load { db, now, version, .. } = *cx;
    let mut tasks = Rows::new(
        db,
        "tasks",
        &[
            "id",
            "title",
            "contact_id",
            "assignee_id",
            "due_at",
            "done",
            "done_at",
            "created_at",
            "updated_at",
            "version",
        ],
    );
    for person in people.iter().step_by(20) {
        let due = rng.gen_range(person.created..now + 14 * DAY);
        let finished = due < now && rng.gen_bool(0.8);
        let title = pick(
            rng,
            &["Call back about the offer", "Send the brochure", "Confirm the viewing", "Follow up on the quote"],
        );
        tasks
            .push(row![
                ordered_id(due, rng),
                title,
                person.id.clone(),
                reps[person.owner].clone(),
                due,
                i64::from(finished),
                finished.then_some(due),
                (due - 3 * DAY).max(person.created),
                due.min(now),
                version,
            ])
            .await?;
    }
    counts.push(("tasks", tasks.finish().await?));
    Ok(())
}

/// The communication log: 3–7 entries per contact by its owner.
async fn activities(
    cx: &Load<'_>,
    rng: &mut StdRng,
    reps: &[String],
    people: &[Person],
    counts: &mut Counts,
) -> anyhow::Result<()> {
    let Load { db, plan, now, start, version, .. } = *cx;
    let mut activities = Rows::new(
        db,
        "activities",
        &[
            "id",
            "contact_id",
            "author_id",
            "kind",
            "occurred_at",
            "direction",
            "duration_s",
            "result",
            "subject",
            "body",
            "created_at",
            "updated_at",
            "version",
        ],
    );
    let mut id_clock = start;
    for (i, person) in people.iter().enumerate() {
        for at in activity_times(&plan, i, person.created, now) {
            let kind = pick(rng, &["call", "call", "call", "call", "note", "email", "email", "sms", "sms", "chat"]);
            let call = kind == "call";
            let (direction, duration, result) = if call {
                let result = pick(rng, &["connected", "connected", "connected", "no_answer", "busy", "voicemail"]);
                let duration = (result == "connected").then(|| rng.gen_range(30..900_i64));
                (Some(if rng.gen_bool(0.7) { "outbound" } else { "inbound" }), duration, Some(result))
            } else {
                (matches!(kind, "email" | "sms" | "chat").then_some("outbound"), None, None)
            };
            let body = pick(
                rng,
                &[
                    "Discussed the budget and preferred areas.",
                    "Asked for photos of the flat.",
                    "Wants to visit on the weekend.",
                    "Shared the price list.",
                    "",
                ],
            );
            id_clock += 1;
            activities
                .push(row![
                    ordered_id(id_clock, rng),
                    person.id.clone(),
                    reps[person.owner].clone(),
                    kind,
                    at,
                    direction,
                    duration,
                    result,
                    (kind == "email").then_some("Your property search"),
                    body,
                    at,
                    at,
                    version,
                ])
                .await?;
        }
    }
    counts.push(("activities", activities.finish().await?));
    cx.progress("activities", counts.last().map_or(0, |c| c.1));
    Ok(())
}
