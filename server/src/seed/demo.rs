//! The demo agency: a real-estate and field-sales agency in Dhaka, so every role's first screen
//! shows real work. Deterministic (fixed random seed) apart from "today", which is the day the
//! server starts: `ensure` gives the reps fresh appointments each day the demo is run.

use super::names::{
    mobile_number, pick, Area, AREAS, BENGALI_NAMES, COMPANIES, ENGLISH_NAMES, FIRST_NAMES, LAST_NAMES, TAGS,
};
use crate::auth::password;
use crate::db::{now_ms, Db, WriteTx};
use anyhow::Context;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use fieldwork_app::common::{AppointmentId, ContactId, DealId, ListingId, TerritoryId, UserId};
use fieldwork_app::users::Language;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub const PASSWORD: &str = "fieldwork-demo";
const DOMAIN: &str = "fieldwork.demo";

/// Printed by `serve --demo` and in the README.
pub const LOGINS: &str = "\
Demo logins (password for all: fieldwork-demo)
  admin     admin@fieldwork.demo
  manager   manager@fieldwork.demo
  office    office@fieldwork.demo
  rep       rep1@fieldwork.demo, rep2@fieldwork.demo, rep3@fieldwork.demo";

struct DemoUser {
    key: &'static str,
    name: &'static str,
    role: &'static str,
    language: Language,
}

const USERS: &[DemoUser] = &[
    DemoUser { key: "admin", name: "Farhana Rahman", role: "admin", language: Language::En },
    DemoUser { key: "manager", name: "Tanvir Ahmed", role: "manager", language: Language::En },
    DemoUser { key: "office", name: "Nusrat Jahan", role: "office", language: Language::Bn },
    DemoUser { key: "rep1", name: "Rafiq Islam", role: "rep", language: Language::En },
    DemoUser { key: "rep2", name: "Sadia Akter", role: "rep", language: Language::Bn },
    DemoUser { key: "rep3", name: "Arif Hossain", role: "rep", language: Language::En },
];

/// Each rep covers two neighbourhoods (indexes into [`AREAS`]).
const REP_AREAS: [(usize, [usize; 2]); 3] = [(3, [0, 1]), (4, [2, 3]), (5, [4, 5])];

pub async fn is_present(db: &Db) -> anyhow::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = $1")
        .bind(format!("admin@{DOMAIN}"))
        .fetch_one(db.pool())
        .await?;
    Ok(n > 0)
}

/// Seeds an empty database; on a demo database, gives the reps appointments for today if they
/// have none. Returns what it did, or an empty string.
pub async fn ensure(db: &Db) -> anyhow::Result<String> {
    if crate::users::store::count(db).await? == 0 {
        return seed(db).await;
    }
    if !is_present(db).await? {
        return Ok(String::new());
    }
    let (today, from, to) = crate::appointments::local_day(Utc::now(), chrono_tz::Asia::Dhaka);
    let (from, to) = (from.timestamp_millis(), to.timestamp_millis());
    let existing: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM appointments WHERE starts_at >= $1 AND starts_at < $2")
            .bind(from)
            .bind(to)
            .fetch_one(db.pool())
            .await?;
    if existing > 0 {
        return Ok(String::new());
    }
    let reps = rep_ids(db).await?;
    let mut rng = StdRng::seed_from_u64(today.to_string().len() as u64 + from.unsigned_abs());
    let mut tx = db.begin_write().await?;
    let n = appointments(&mut tx, &mut rng, &reps, today).await?;
    tx.commit().await?;
    Ok(format!("demo: added {n} appointments for {today}"))
}

/// Seeds the demo agency into an empty database, in one transaction.
pub async fn seed(db: &Db) -> anyhow::Result<String> {
    if crate::users::store::count(db).await? > 0 {
        // Never add the published demo logins to a database that holds real users.
        anyhow::bail!("the database already has users; the demo is seeded only into an empty database");
    }
    let mut rng = StdRng::seed_from_u64(2026);
    let mut tx = db.begin_write().await?;
    let now = now_ms();

    // The demo agency works in Dhaka, whatever the server's own setting.
    let dhaka = fieldwork_app::common::TimeZone::parse("Asia/Dhaka").map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut user_ids = Vec::new();
    for u in USERS {
        let manager = (u.role == "rep").then(|| user_ids.get(1).copied()).flatten();
        let new = fieldwork_app::users::UserForCreate {
            email: format!("{}@{DOMAIN}", u.key),
            name: u.name.into(),
            role: u.role.into(),
            manager_id: manager,
            language: Some(u.language),
            time_zone: None,
            password: PASSWORD.into(),
        }
        .validate()
        .map_err(|e| anyhow::anyhow!("demo user {}: {e:?}", u.key))?;
        let hash = password::hash(PASSWORD.into()).await?;
        let user = crate::users::actions::add(&mut tx, &new, &dhaka, &hash, "demo").await.context("demo users")?;
        user_ids.push(user.id);
    }

    // Territories, each assigned to one rep from the start of the year.
    let mut territory_ids = Vec::new();
    for area in AREAS {
        let id = TerritoryId::new();
        let geometry = serde_json::json!({"type": "Polygon", "coordinates": [area.ring()]});
        let version = tx.next_version().await?;
        sqlx::query(
            "INSERT INTO territories (id, name, colour, parent_id, geometry, created_at, updated_at, version, deleted) \
             VALUES ($1, $2, $3, NULL, $4, $5, $5, $6, 0)",
        )
        .bind(id.to_string())
        .bind(area.name)
        .bind(area.colour)
        .bind(geometry.to_string())
        .bind(now)
        .bind(version)
        .execute(tx.conn())
        .await
        .context("demo territories")?;
        territory_ids.push(id);
    }
    let mut owner_of_area = vec![user_ids[3]; AREAS.len()];
    for (rep_index, areas) in REP_AREAS {
        for area in areas {
            owner_of_area[area] = user_ids[rep_index];
            let version = tx.next_version().await?;
            sqlx::query(
                "INSERT INTO territory_assignments (id, territory_id, user_id, starts_on, ends_on, created_at, updated_at, version, deleted) \
                 VALUES ($1, $2, $3, '2026-01-01', NULL, $4, $4, $5, 0)",
            )
            .bind(UserId::new().to_string())
            .bind(territory_ids[area].to_string())
            .bind(user_ids[rep_index].to_string())
            .bind(now)
            .bind(version)
            .execute(tx.conn())
            .await
            .context("demo assignments")?;
        }
    }

    let contacts = contacts(&mut tx, &mut rng, &territory_ids, &owner_of_area, now).await?;
    let listings = listings(&mut tx, &mut rng, &territory_ids, &owner_of_area, &contacts, now).await?;
    let deals = deals(&mut tx, &mut rng, &contacts, &listings, now).await?;
    super::history::deal_stages(&mut tx, &mut rng).await?;
    buyers(&mut tx, &mut rng, &contacts).await?;
    engagement(&mut tx, user_ids[2], user_ids[3], user_ids[0]).await?;
    let reps: Vec<UserId> = REP_AREAS.iter().map(|(i, _)| user_ids[*i]).collect();
    let (today, _, _) = crate::appointments::local_day(Utc::now(), chrono_tz::Asia::Dhaka);
    let mut appointment_count = 0;
    for day in 0..3 {
        appointment_count += appointments(&mut tx, &mut rng, &reps, today + Duration::days(day)).await?;
    }
    appointment_count += weekly_visits(&mut tx, &reps, today).await?;
    let past_visits = super::history::field_work(&mut tx, &mut rng, &reps, today).await?;
    crate::audit::record(&mut tx, None, "demo", "seed", "create", serde_json::json!({"contacts": contacts.len()}))
        .await?;
    tx.commit().await?;
    crate::contacts::write::backfill_search(db).await.context("indexing the demo contacts for search")?;
    Ok(format!(
        "demo: seeded {} users, {} territories, {} contacts, {} listings, {deals} deals, {appointment_count} appointments, \
         {past_visits} past visits",
        USERS.len(),
        AREAS.len(),
        contacts.len(),
        listings.len()
    ))
}

/// Two email templates (written by the office) and the website's lead form (leads go to the
/// first rep), so the pages that use them are not empty on a first look.
async fn engagement(tx: &mut WriteTx, office: UserId, rep: UserId, admin: UserId) -> anyhow::Result<()> {
    use fieldwork_app::templates::TemplateInput;
    for (name, subject, body) in [
        (
            "Thank you for your time",
            "Thank you, {{contact.first_name}}",
            "Dear {{contact.first_name}},\n\nthank you for your time today. Call me with any question.\n\n{{sender.name}}\n{{sender.email}}",
        ),
        (
            "New listing for you",
            "{{listing.title}} — {{listing.price}}",
            "Dear {{contact.first_name}},\n\na new listing may suit you: {{listing.title}} ({{listing.reference}}), {{listing.address}}, {{listing.price}}.\n{{listing.url}}\n\n{{sender.name}}",
        ),
    ] {
        let input = TemplateInput { name: name.into(), subject: subject.into(), body: body.into() };
        let checked = crate::templates::check(&input, &[]).map_err(|e| anyhow::anyhow!("demo template {name}: {e:?}"))?;
        crate::templates::actions::add(tx, &checked, office, "demo").await.context("demo templates")?;
    }
    let form = fieldwork_app::forms::LeadFormInput {
        name: "Website enquiry".into(),
        fields: Some(vec!["name".into(), "email".into(), "phone".into(), "message".into()]),
        required: Some(vec!["name".into(), "phone".into()]),
        owner_id: Some(rep),
        ..Default::default()
    }
    .validate()
    .map_err(|e| anyhow::anyhow!("demo form: {e:?}"))?;
    crate::forms::actions::add(tx, &form, admin, "demo").await.context("demo lead form")?;
    Ok(())
}

/// A demo contact: id, area index, owner.
struct Seeded {
    id: ContactId,
    area: usize,
    owner: UserId,
}

fn point_in(area: &Area, rng: &mut StdRng) -> (f64, f64) {
    // Within half the octagon's size, so always inside it.
    let lat = area.centre.0 + area.half.0 * rng.gen_range(-0.5..0.5);
    let lon = area.centre.1 + area.half.1 * rng.gen_range(-0.5..0.5);
    ((lat * 1e6).round() / 1e6, (lon * 1e6).round() / 1e6)
}

async fn contacts(
    tx: &mut WriteTx,
    rng: &mut StdRng,
    territories: &[TerritoryId],
    owner_of_area: &[UserId],
    now: i64,
) -> anyhow::Result<Vec<Seeded>> {
    let mut out = Vec::new();
    for i in 0..320 {
        let area_index = rng.gen_range(0..AREAS.len());
        let area = &AREAS[area_index];
        let roll = rng.gen_range(0..100);
        let (kind, name) = match roll {
            0..=7 => ("company", pick(rng, COMPANIES).to_string()),
            8..=25 => ("person", pick(rng, BENGALI_NAMES).to_string()),
            26..=31 => ("person", pick(rng, ENGLISH_NAMES).to_string()),
            _ => ("person", format!("{} {}", pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES))),
        };
        let lifecycle = match rng.gen_range(0..10) {
            0..=3 => "lead",
            4..=6 => "prospect",
            7..=8 => "customer",
            _ => "inactive",
        };
        let phone = mobile_number(rng);
        let ascii: String = name.to_lowercase().chars().filter(|c| c.is_ascii_alphanumeric() || *c == ' ').collect();
        let emails = if ascii.trim().is_empty() || rng.gen_bool(0.35) {
            vec![]
        } else {
            vec![format!(
                "{}{}@{}",
                ascii.trim().replace(' ', "."),
                i,
                pick(rng, &["gmail.com", "yahoo.com", "outlook.com"])
            )]
        };
        let tags: Vec<&str> = (0..rng.gen_range(0..3))
            .map(|_| pick(rng, TAGS))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let (lat, lon) = point_in(area, rng);
        let address = format!("House {}, {}, Dhaka", rng.gen_range(1..120), pick(rng, area.streets));
        let id = ContactId::new();
        let version = tx.next_version().await?;
        sqlx::query(
            "INSERT INTO contacts (id, kind, name, lifecycle, source, tags, phones, emails, address, lat, lon, territory_id, owner_id, \
             preferred_channel, language, time_zone, consent_email, consent_sms, created_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'Asia/Dhaka', $16, $17, $18, $18, $19)",
        )
        .bind(id.to_string())
        .bind(kind)
        .bind(&name)
        .bind(lifecycle)
        .bind(pick(rng, &["referral", "website", "walk_in", "facebook", "cold_call", "property_fair"]))
        .bind(serde_json::to_string(&tags)?)
        .bind(serde_json::to_string(&[phone])?)
        .bind(serde_json::to_string(&emails)?)
        .bind(address)
        .bind(lat)
        .bind(lon)
        .bind(territories[area_index].to_string())
        .bind(owner_of_area[area_index].to_string())
        .bind(pick(rng, &["phone", "whatsapp", "email", "sms"]))
        .bind(if name.is_ascii() { Language::En } else { Language::Bn }.as_str())
        .bind(i64::from(!emails.is_empty()))
        .bind(i64::from(rng.gen_bool(0.7)))
        .bind(now - rng.gen_range(0..200) * 86_400_000)
        .bind(version)
        .execute(tx.conn())
        .await
        .context("demo contacts")?;
        out.push(Seeded { id, area: area_index, owner: owner_of_area[area_index] });
    }
    Ok(out)
}

async fn listings(
    tx: &mut WriteTx,
    rng: &mut StdRng,
    territories: &[TerritoryId],
    owner_of_area: &[UserId],
    contacts: &[Seeded],
    now: i64,
) -> anyhow::Result<Vec<(ListingId, usize)>> {
    let mut out = Vec::new();
    for i in 1..=48 {
        let area_index = rng.gen_range(0..AREAS.len());
        let area = &AREAS[area_index];
        let kind = pick(rng, &["apartment", "apartment", "apartment", "house", "land", "commercial", "office"]);
        let transaction = if rng.gen_bool(0.65) { "sale" } else { "rent" };
        let status = pick(rng, &["available", "available", "available", "under_offer", "draft", "sold"]);
        let status = if status == "sold" && transaction == "rent" { "rented" } else { status };
        let bedrooms = matches!(kind, "apartment" | "house").then(|| rng.gen_range(2..=5_i64));
        let area_m2 = f64::from(rng.gen_range(70..400));
        let price = match (transaction, kind) {
            ("sale", "land") => rng.gen_range(300..2_000) * 100_000,
            ("sale", _) => rng.gen_range(80..600) * 100_000,
            (_, "commercial" | "office") => rng.gen_range(80..500) * 1_000,
            _ => rng.gen_range(25..250) * 1_000,
        };
        let title = match (kind, bedrooms) {
            (_, Some(b)) => format!("{b}-bed {kind} in {}", area.name),
            ("land", _) => format!("{} katha plot in {}", rng.gen_range(3..10), area.name),
            _ => format!("{} space in {}", if kind == "office" { "Office" } else { "Commercial" }, area.name),
        };
        let owner = contacts.iter().find(|c| c.area == area_index).map(|c| c.id);
        let (lat, lon) = point_in(area, rng);
        let id = ListingId::new();
        let version = tx.next_version().await?;
        sqlx::query(
            "INSERT INTO listings (id, reference, title, kind, transaction_type, status, price_amount, price_currency, rent_period, \
             area_m2, bedrooms, bathrooms, floor, features, description, address, lat, lon, territory_id, owner_contact_id, agent_id, \
             created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, 'BDT', $8, $9, $10, $11, $12, $13, $14, $15, $16, \
             $17, $18, $19, $20, $21, $21, $22)",
        )
        .bind(id.to_string())
        .bind(format!("DHK-{i:04}"))
        .bind(&title)
        .bind(kind)
        .bind(transaction)
        .bind(status)
        .bind(i64::from(price) * 100)
        .bind((transaction == "rent").then_some("month"))
        .bind(area_m2)
        .bind(bedrooms)
        .bind(bedrooms.map(|b| (b - 1).max(1)))
        .bind(rng.gen_range(1..14_i64))
        .bind(serde_json::to_string(&["parking", "lift", "generator", "security"][..rng.gen_range(1..4)])?)
        .bind(format!("{title}. Close to schools and shops, 24-hour security."))
        .bind(format!("{}, Dhaka", pick(rng, area.streets)))
        .bind(lat)
        .bind(lon)
        .bind(territories[area_index].to_string())
        .bind(owner.map(|o| o.to_string()))
        .bind(owner_of_area[area_index].to_string())
        .bind(now - rng.gen_range(0..90) * 86_400_000)
        .bind(version)
        .execute(tx.conn())
        .await
        .context("demo listings")?;
        sqlx::query("INSERT INTO listing_status_history (id, listing_id, from_status, to_status, at, by_user_id) VALUES ($1, $2, NULL, $3, $4, $5)")
            .bind(UserId::new().to_string())
            .bind(id.to_string())
            .bind(status)
            .bind(now)
            .bind(owner_of_area[area_index].to_string())
            .execute(tx.conn())
            .await?;
        out.push((id, area_index));
    }
    Ok(out)
}

async fn deals(
    tx: &mut WriteTx,
    rng: &mut StdRng,
    contacts: &[Seeded],
    listings: &[(ListingId, usize)],
    now: i64,
) -> anyhow::Result<usize> {
    let mut n = 0;
    for contact in contacts.iter().step_by(7) {
        let listing = listings.iter().find(|(_, a)| *a == contact.area).map(|(id, _)| *id);
        let stage = pick(rng, &["inquiry", "inquiry", "proposal", "negotiation", "won", "lost"]);
        let version = tx.next_version().await?;
        sqlx::query(
            "INSERT INTO deals (id, contact_id, listing_id, title, stage, lost_reason, value_amount, value_currency, owner_id, \
             stage_changed_at, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, 'BDT', $8, $9, $9, $9, $10)",
        )
        .bind(DealId::new().to_string())
        .bind(contact.id.to_string())
        .bind(listing.map(|l| l.to_string()))
        .bind(if listing.is_some() { "Apartment purchase" } else { "Service contract" })
        .bind(stage)
        .bind((stage == "lost").then_some("Chose another property"))
        .bind(i64::from(rng.gen_range(50..900)) * 10_000_000)
        .bind(contact.owner.to_string())
        .bind(now - rng.gen_range(0..60) * 86_400_000)
        .bind(version)
        .execute(tx.conn())
        .await
        .context("demo deals")?;
        n += 1;
    }
    Ok(n)
}

/// Every fourth person in an area with listings on the market is looking for something like one
/// of them (a little dearer, a bedroom fewer, or just as it is), so listings and contacts show
/// matching buyers from the start.
async fn buyers(tx: &mut WriteTx, rng: &mut StdRng, contacts: &[Seeded]) -> anyhow::Result<()> {
    use fieldwork_app::common::Money;
    use fieldwork_app::listings::{ListingKind, Requirement, Transaction};
    let market: Vec<(String, String, i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT transaction_type, kind, price_amount, bedrooms, territory_id FROM listings \
         WHERE status IN ('available', 'under_offer') AND territory_id IS NOT NULL ORDER BY id",
    )
    .fetch_all(tx.conn())
    .await?;
    let territories: Vec<(String, usize)> = {
        let mut seen = Vec::new();
        for c in contacts {
            let t: Option<String> = sqlx::query_scalar("SELECT territory_id FROM contacts WHERE id = $1")
                .bind(c.id.to_string())
                .fetch_one(tx.conn())
                .await?;
            if let Some(t) = t {
                seen.push((t, c.area));
            }
        }
        seen
    };
    for (i, contact) in contacts.iter().enumerate().filter(|(i, _)| i % 4 == 1) {
        let Some((territory, _)) = territories.iter().find(|(_, area)| *area == contact.area) else { continue };
        let here: Vec<&(String, String, i64, Option<i64>, String)> =
            market.iter().filter(|l| &l.4 == territory && l.1 != "land").collect();
        if here.is_empty() {
            continue;
        }
        let (transaction, kind, price, bedrooms, _) = here[i % here.len()];
        let top = price + price * rng.gen_range(0..20) / 100;
        let requirement = Requirement {
            transaction: Transaction::parse(transaction).unwrap_or(Transaction::Sale),
            kinds: ListingKind::parse(kind).into_iter().collect(),
            price_min: Money::new(top / 2, "BDT").ok(),
            price_max: Money::new(top, "BDT").ok(),
            min_bedrooms: bedrooms.and_then(|b| i32::try_from(b).ok()),
            min_area_m2: None,
            wanted_territories: vec![territory.parse()?],
            features: if rng.gen_bool(0.3) { vec!["parking".into()] } else { vec![] },
        };
        crate::listings::matches::put(tx, contact.id, &requirement).await?;
    }
    Ok(())
}

/// Five to six appointments for each rep on `day` (Dhaka time), at their own contacts and listings.
async fn appointments(tx: &mut WriteTx, rng: &mut StdRng, reps: &[UserId], day: NaiveDate) -> anyhow::Result<usize> {
    const SLOTS: [(u32, u32); 6] = [(10, 0), (11, 30), (13, 0), (14, 30), (16, 0), (17, 30)];
    let mut n = 0;
    for rep in reps {
        let contacts: Vec<(String, String)> =
            sqlx::query_as("SELECT id, name FROM contacts WHERE owner_id = $1 ORDER BY id LIMIT 40")
                .bind(rep.to_string())
                .fetch_all(tx.conn())
                .await?;
        let listings: Vec<(String, String)> =
            sqlx::query_as("SELECT id, title FROM listings WHERE agent_id = $1 ORDER BY id LIMIT 20")
                .bind(rep.to_string())
                .fetch_all(tx.conn())
                .await?;
        if contacts.is_empty() {
            continue;
        }
        let count = rng.gen_range(5..=6);
        for (hour, minute) in SLOTS.iter().take(count) {
            let (contact_id, _) = &contacts[rng.gen_range(0..contacts.len())];
            let showing = !listings.is_empty() && rng.gen_bool(0.4);
            let listing = showing.then(|| &listings[rng.gen_range(0..listings.len())]);
            let kind = if showing { "showing" } else { pick(rng, &["meeting", "meeting", "call"]) };
            let title = match (kind, listing) {
                ("showing", Some((_, t))) => format!("Show {t}"),
                ("call", _) => {
                    pick(rng, &["Follow-up call", "Confirm site visit", "Price discussion", "Loan pre-approval check"])
                        .to_string()
                }
                _ => pick(
                    rng,
                    &[
                        "Discuss payment plan",
                        "Contract signing",
                        "First meeting",
                        "Collect documents",
                        "Valuation visit",
                    ],
                )
                .to_string(),
            };
            let start = chrono_tz::Asia::Dhaka
                .from_local_datetime(&day.and_hms_opt(*hour, *minute, 0).unwrap_or_default())
                .single()
                .map(|t| t.with_timezone(&Utc).timestamp_millis())
                .unwrap_or_default();
            let minutes = if kind == "call" { 15 } else { 45 };
            let version = tx.next_version().await?;
            sqlx::query(
                "INSERT INTO appointments (id, kind, title, starts_at, ends_at, time_zone, assignee_id, contact_id, listing_id, \
                 status, reminder_minutes, created_at, updated_at, version) \
                 VALUES ($1, $2, $3, $4, $5, 'Asia/Dhaka', $6, $7, $8, 'scheduled', 15, $9, $9, $10)",
            )
            .bind(AppointmentId::new().to_string())
            .bind(kind)
            .bind(title)
            .bind(start)
            .bind(start + minutes * 60_000)
            .bind(rep.to_string())
            .bind(contact_id)
            .bind(listing.map(|(id, _)| id.clone()))
            .bind(now_ms())
            .bind(version)
            .execute(tx.conn())
            .await
            .context("demo appointments")?;
            n += 1;
        }
        // Two follow-ups due that day at the rep's contacts: flexible stops on Today's route.
        for (hour, title) in [(12, "Drop off the brochure"), (16, "Collect the signed form")] {
            let (contact_id, _) = &contacts[rng.gen_range(0..contacts.len())];
            let due = chrono_tz::Asia::Dhaka
                .from_local_datetime(&day.and_hms_opt(hour, 45, 0).unwrap_or_default())
                .single()
                .map(|t| t.with_timezone(&Utc).timestamp_millis())
                .unwrap_or_default();
            let version = tx.next_version().await?;
            sqlx::query(
                "INSERT INTO tasks (id, title, contact_id, assignee_id, due_at, done, created_at, updated_at, version, deleted) \
                 VALUES ($1, $2, $3, $4, $5, 0, $6, $6, $7, 0)",
            )
            .bind(fieldwork_app::common::TaskId::new().to_string())
            .bind(title)
            .bind(contact_id)
            .bind(rep.to_string())
            .bind(due)
            .bind(now_ms())
            .bind(version)
            .execute(tx.conn())
            .await
            .context("demo follow-ups")?;
        }
    }
    Ok(n)
}

/// A weekly 09:00 check-in at one key account per rep, from `day` on with no end.
async fn weekly_visits(tx: &mut WriteTx, reps: &[UserId], day: NaiveDate) -> anyhow::Result<usize> {
    let mut n = 0;
    for rep in reps {
        let contact: Option<(String, String)> = sqlx::query_as(
            "SELECT id, name FROM contacts WHERE owner_id = $1 AND kind = 'company' ORDER BY id LIMIT 1",
        )
        .bind(rep.to_string())
        .fetch_optional(tx.conn())
        .await?;
        let Some((contact_id, name)) = contact else { continue };
        let start = chrono_tz::Asia::Dhaka
            .from_local_datetime(&day.and_hms_opt(9, 0, 0).unwrap_or_default())
            .single()
            .map(|t| t.with_timezone(&Utc).timestamp_millis())
            .unwrap_or_default();
        let version = tx.next_version().await?;
        sqlx::query(
            "INSERT INTO appointments (id, kind, title, starts_at, ends_at, time_zone, assignee_id, contact_id, status, \
             reminder_minutes, recurrence, created_at, updated_at, version) \
             VALUES ($1, 'meeting', $2, $3, $4, 'Asia/Dhaka', $5, $6, 'scheduled', 30, $7, $8, $8, $9)",
        )
        .bind(AppointmentId::new().to_string())
        .bind(format!("Weekly check-in at {name}"))
        .bind(start)
        .bind(start + 30 * 60_000)
        .bind(rep.to_string())
        .bind(contact_id)
        .bind(r#"{"frequency":"weekly","interval":1}"#)
        .bind(now_ms())
        .bind(version)
        .execute(tx.conn())
        .await
        .context("demo weekly visits")?;
        n += 1;
    }
    Ok(n)
}

async fn rep_ids(db: &Db) -> anyhow::Result<Vec<UserId>> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM users WHERE role = 'rep' AND email LIKE $1 ORDER BY email")
            .bind(format!("%@{DOMAIN}"))
            .fetch_all(db.pool())
            .await?;
    Ok(ids.iter().filter_map(|i| UserId::parse(i)).collect())
}
