//! Each report's table from the counts of `store/`: one function per report, the only place
//! where a figure is computed, shared by the dashboard, the report page and every export.

use super::frame::Frame;
use super::ranged;
use super::store::{self, money};
use crate::db::{Db, StoreResult};
use fieldwork_app::common::{Money, UserId};
use fieldwork_app::deals::DealStage;
use fieldwork_app::fields::{FieldDef, FieldKind, RecordType};
use fieldwork_app::listings::ListingStatus;
use fieldwork_app::reports::metrics::{mean, percent, retention, Metric, Scores};
use fieldwork_app::reports::table::NO_DATA;
use fieldwork_app::reports::{labels, Cell, ColumnKey, Figure, ReportName, Row, Table};
use fieldwork_app::users::Language;
use std::collections::HashMap;

const DAY_MS: f64 = 86_400_000.0;

fn table(name: ReportName, keys: &[ColumnKey], rows: Vec<Row>, total: Option<Row>, language: Language) -> Table {
    Table {
        name: name.as_str().into(),
        title: name.title(language).into(),
        columns: keys.iter().map(|k| labels::column(*k, language)).collect(),
        rows,
        total,
    }
}

pub async fn build(db: &Db, f: &Frame, name: ReportName) -> StoreResult<Table> {
    match name {
        ReportName::Reps => reps(db, f).await,
        ReportName::Territories => territories(db, f).await,
        ReportName::Pipeline => pipeline(db, f).await,
        ReportName::Listings => listings(db, f).await,
        ReportName::Feedback => feedback(db, f).await,
        ReportName::Customers => customers(db, f).await,
        ReportName::VisitAnswers => visit_answers(db, f).await,
        ReportName::ByField => by_field(db, f).await,
    }
}

/// Field work per rep over the period, with a totals row.
async fn reps(db: &Db, f: &Frame) -> StoreResult<Table> {
    let ids: Vec<UserId> = f.reps.iter().map(|(id, _)| *id).collect();
    let done = ranged::visits_done(db, f, &ids).await?;
    let planned = ranged::visits_planned(db, f, &ids).await?;
    let calls = ranged::calls(db, f, &ids).await?;
    let leads = ranged::new_contacts(db, f, &ids).await?;
    let closed = ranged::closed_deals(db, f, Some(&ids)).await?;
    let scores = ranged::scores_by_rep(db, f, &ids).await?;
    let count = |m: &HashMap<String, i64>, id: &str| m.get(id).copied().unwrap_or(0);
    let mut sums = [0i64; 6];
    let mut all_scores = Scores::default();
    let mut rows = Vec::new();
    for (id, name) in &f.reps {
        let key = id.to_string();
        let (visits, far) = done.get(&key).copied().unwrap_or((0, 0));
        let mine = || closed.iter().filter(|r| r.0.as_deref() == Some(key.as_str()));
        let won: i64 = mine().filter(|r| r.1 == "won").map(|r| r.3).sum();
        let lost: i64 = mine().filter(|r| r.1 == "lost").map(|r| r.3).sum();
        let value = money(mine().filter(|r| r.1 == "won").map(|r| (r.2.clone(), r.4)));
        let s = scores.get(&key).copied().unwrap_or_default();
        let figures = [count(&planned, &key), visits, far, count(&calls, &key), count(&leads, &key), won];
        for (sum, v) in sums.iter_mut().zip(figures) {
            *sum += v;
        }
        all_scores = all_scores.plus(s);
        rows.push(rep_row(Some(key.clone()), Cell::Text(name.clone()), figures, lost, value, s));
    }
    let lost_all: i64 = closed.iter().filter(|r| r.1 == "lost").map(|r| r.3).sum();
    let value_all = money(closed.iter().filter(|r| r.1 == "won").map(|r| (r.2.clone(), r.4)));
    let total = rep_row(None, Cell::Text(labels::total(f.language)), sums, lost_all, value_all, all_scores);
    let keys = [
        ColumnKey::Rep,
        ColumnKey::VisitsPlanned,
        ColumnKey::VisitsDone,
        ColumnKey::VisitsFar,
        ColumnKey::Calls,
        ColumnKey::NewLeads,
        ColumnKey::DealsWon,
        ColumnKey::WonValue,
        ColumnKey::WinRate,
        ColumnKey::FeedbackAnswers,
        ColumnKey::Csat,
        ColumnKey::Nps,
    ];
    Ok(table(ReportName::Reps, &keys, rows, Some(total), f.language))
}

fn rep_row(
    id: Option<String>,
    first: Cell,
    [planned, done, far, calls, leads, won]: [i64; 6],
    lost: i64,
    value: Vec<fieldwork_app::common::Money>,
    s: Scores,
) -> Row {
    Row {
        id,
        cells: vec![
            first,
            Cell::Count(planned),
            Cell::Count(done),
            Cell::Count(far),
            Cell::Count(calls),
            Cell::Count(leads),
            Cell::Count(won),
            Cell::Money(value),
            Cell::Percent(percent(won, won + lost)),
            Cell::Count(s.csat_answers.max(s.nps_answers)),
            Cell::Percent(s.csat()),
            Cell::Score(s.nps()),
        ],
    }
}

/// Per territory: contacts, coverage, visits, new contacts and listings, with a totals row.
async fn territories(db: &Db, f: &Frame) -> StoreResult<Table> {
    let list = store::territories(db, f).await?;
    let ids: Vec<String> = list.iter().map(|(id, _)| id.clone()).collect();
    let mut counts: HashMap<String, store::TerritoryCounts> = HashMap::new();
    for (id, n) in ranged::territory_visited(db, f, &ids).await? {
        counts.entry(id).or_default().visited = n;
    }
    for (id, n) in store::territory_listings(db, f, &ids).await? {
        counts.entry(id).or_default().listings = n;
    }
    for (id, n) in ranged::territory_contacts(db, f, &ids).await? {
        counts.entry(id).or_default().contacts = n;
    }
    for (id, (visits, new_contacts)) in ranged::territory_period(db, f, &ids).await? {
        let c = counts.entry(id).or_default();
        (c.visits, c.new_contacts) = (visits, new_contacts);
    }
    let mut total = store::TerritoryCounts::default();
    let row = |id: Option<String>, first: Cell, c: store::TerritoryCounts| Row {
        id,
        cells: vec![
            first,
            Cell::Count(c.contacts),
            Cell::Count(c.visited),
            Cell::Percent(percent(c.visited, c.contacts)),
            Cell::Count(c.visits),
            Cell::Count(c.new_contacts),
            Cell::Count(c.listings),
        ],
    };
    let mut rows = Vec::new();
    for (id, name) in list {
        let c = counts.get(&id).copied().unwrap_or_default();
        total.contacts += c.contacts;
        total.visited += c.visited;
        total.visits += c.visits;
        total.new_contacts += c.new_contacts;
        total.listings += c.listings;
        rows.push(row(Some(id), Cell::Text(name), c));
    }
    let total = row(None, Cell::Text(labels::total(f.language)), total);
    let keys = [
        ColumnKey::Territory,
        ColumnKey::Contacts,
        ColumnKey::VisitedRecently,
        ColumnKey::Coverage,
        ColumnKey::Visits,
        ColumnKey::NewLeads,
        ColumnKey::ListingsActive,
    ];
    Ok(table(ReportName::Territories, &keys, rows, Some(total), f.language))
}

/// Per stage: deals and value now, deals that entered it, conversion to a later stage, days in
/// stage.
async fn pipeline(db: &Db, f: &Frame) -> StoreResult<Table> {
    let now = ranged::deals_now(db, f).await?;
    let flow = store::stage_flow(db, f).await?;
    let rows = DealStage::ALL
        .into_iter()
        .map(|stage| {
            let here = || now.iter().filter(|r| r.0 == stage.as_str());
            let (entered, moved, ms, left) = flow.get(stage.as_str()).copied().unwrap_or_default();
            let open = !matches!(stage, DealStage::Won | DealStage::Lost);
            Row {
                id: Some(stage.as_str().into()),
                cells: vec![
                    Cell::Text(labels::stage(stage, f.language).into()),
                    Cell::Count(here().map(|r| r.2).sum()),
                    Cell::Money(money(here().map(|r| (r.1.clone(), r.3)))),
                    Cell::Count(entered),
                    Cell::Percent(if open { percent(moved, entered) } else { None }),
                    Cell::Days(if open { mean(ms as f64 / DAY_MS, left) } else { None }),
                ],
            }
        })
        .collect();
    let keys = [
        ColumnKey::Stage,
        ColumnKey::Deals,
        ColumnKey::Value,
        ColumnKey::Entered,
        ColumnKey::Conversion,
        ColumnKey::DaysInStage,
    ];
    Ok(table(ReportName::Pipeline, &keys, rows, None, f.language))
}

/// Listings per status with their average days on market.
async fn listings(db: &Db, f: &Frame) -> StoreResult<Table> {
    let counts = store::listings_by_status(db, f).await?;
    let mut total = (0, 0, 0);
    let rows = ListingStatus::ALL
        .into_iter()
        .map(|status| {
            let (n, ms, k) = counts.iter().find(|r| r.0 == status.as_str()).map_or((0, 0, 0), |r| (r.1, r.2, r.3));
            total = (total.0 + n, total.1 + ms, total.2 + k);
            Row {
                id: Some(status.as_str().into()),
                cells: vec![
                    Cell::Text(labels::listing_status(status, f.language).into()),
                    Cell::Count(n),
                    Cell::Days(mean(ms as f64 / DAY_MS, k)),
                ],
            }
        })
        .collect();
    let total = Row {
        id: None,
        cells: vec![
            Cell::Text(labels::total(f.language)),
            Cell::Count(total.0),
            Cell::Days(mean(total.1 as f64 / DAY_MS, total.2)),
        ],
    };
    let keys = [ColumnKey::Status, ColumnKey::Listings, ColumnKey::DaysOnMarket];
    Ok(table(ReportName::Listings, &keys, rows, Some(total), f.language))
}

/// CSAT and NPS per day (or week) of the period, with the period's totals.
async fn feedback(db: &Db, f: &Frame) -> StoreResult<Table> {
    let by_bucket = ranged::scores_by_bucket(db, f).await?;
    let row = |id: Option<String>, first: Cell, s: Scores| Row {
        id,
        cells: vec![
            first,
            Cell::Count(s.csat_answers.max(s.nps_answers)),
            Cell::Percent(s.csat()),
            Cell::Score(s.nps()),
        ],
    };
    let mut total = Scores::default();
    let mut rows = Vec::new();
    for (i, (period, _, _)) in f.buckets.iter().enumerate() {
        let s = by_bucket.get(&i).copied().unwrap_or_default();
        total = total.plus(s);
        let label = if period.from == period.to {
            period.from.to_string()
        } else {
            format!("{} – {}", period.from, period.to)
        };
        rows.push(row(Some(period.from.to_string()), Cell::Text(label), s));
    }
    let total = row(None, Cell::Text(labels::total(f.language)), total);
    let keys = [ColumnKey::Bucket, ColumnKey::Answers, ColumnKey::Csat, ColumnKey::Nps];
    Ok(table(ReportName::Feedback, &keys, rows, Some(total), f.language))
}

/// The customer metrics, each with its definition.
async fn customers(db: &Db, f: &Frame) -> StoreResult<Table> {
    let (at_start, at_end, new) = ranged::customers(db, f).await?;
    let ltv = store::lifetime_value(db, f).await?;
    let (created, referred) = ranged::referrals(db, f).await?;
    let closed = ranged::closed_deals(db, f, None).await?;
    let scores = ranged::scores_by_bucket(db, f).await?.into_values().fold(Scores::default(), Scores::plus);
    let won: i64 = closed.iter().filter(|r| r.1 == "won").map(|r| r.3).sum();
    let lost: i64 = closed.iter().filter(|r| r.1 == "lost").map(|r| r.3).sum();
    let per_customer = ltv
        .iter()
        .filter(|(_, _, customers)| *customers > 0)
        .filter_map(|(currency, revenue, customers)| {
            fieldwork_app::common::Money::new(revenue / customers, currency).ok()
        })
        .collect::<Vec<_>>();
    // No customer yet is no data, not a value of nothing.
    let lifetime = if per_customer.is_empty() { Cell::Text(NO_DATA.into()) } else { Cell::Money(per_customer) };
    let figures = [
        (Metric::Retention, Cell::Percent(retention(at_start, at_end, new))),
        (Metric::LifetimeValue, lifetime),
        (Metric::Referral, Cell::Percent(percent(referred, created))),
        (Metric::Nps, Cell::Score(scores.nps())),
        (Metric::Csat, Cell::Percent(scores.csat())),
        (Metric::WinRate, Cell::Percent(percent(won, won + lost))),
    ];
    let rows = figures
        .into_iter()
        .map(|(metric, value)| Row {
            id: Some(metric.key().into()),
            cells: vec![
                Cell::Text(metric.label(f.language).into()),
                value,
                Cell::Text(metric.definition(f.language).into()),
            ],
        })
        .collect();
    let keys = [ColumnKey::Metric, ColumnKey::Figure, ColumnKey::Definition];
    Ok(table(ReportName::Customers, &keys, rows, None, f.language))
}

/// The cards above the manager's tables: the customer metrics with their definitions.
pub fn figures(customers: &Table) -> Vec<Figure> {
    customers
        .rows
        .iter()
        .filter_map(|r| match (r.id.as_ref(), r.cells.as_slice()) {
            (Some(key), [Cell::Text(label), value, Cell::Text(definition)]) => Some(Figure {
                key: key.clone(),
                label: label.clone(),
                value: value.text(),
                definition: definition.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// The check-out form's answers over the period, per question in the form's order. A question
/// of choices (or yes/no) has a row per answer for all reps, then one per rep who gave it: how
/// many visits gave it and their share of the visits that answered. A number or money question
/// has a row for all reps, then one per rep: how many answered and the average. Other kinds
/// (text, dates…) are read on each visit, not summed.
async fn visit_answers(db: &Db, f: &Frame) -> StoreResult<Table> {
    let defs: Vec<FieldDef> = {
        let mut conn = db.pool().acquire().await?;
        crate::fields::store::list(&mut conn, Some(RecordType::Visit)).await?
    };
    let defs: Vec<FieldDef> = defs.into_iter().filter(|d| Answer::summed(d.kind)).collect();
    let ids: Vec<UserId> = f.reps.iter().map(|(id, _)| *id).collect();
    let fields: Vec<String> = defs.iter().map(|d| d.id.to_string()).collect();
    let answered = store::visit_answers(db, f, &ids, &fields).await?;
    let answering = store::visits_answering(db, f, &ids, &fields).await?;
    let lang = match f.language {
        Language::En => "en",
        Language::Bn => "bn",
    };
    let mut rows = Vec::new();
    for def in &defs {
        let field = def.id.to_string();
        let question = def.label.in_language(lang).to_string();
        let mine = || answered.iter().filter(|a| a.field == field);
        let visits = |rep: Option<&str>| -> i64 {
            answering.iter().filter(|(r, fid, _)| *fid == field && rep.is_none_or(|x| x == r)).map(|(_, _, n)| n).sum()
        };
        let row = |answer: String, who: String, id: Option<String>, n: i64, share: Option<f64>, average: Cell| Row {
            id,
            cells: vec![
                Cell::Text(question.clone()),
                Cell::Text(answer),
                Cell::Text(who),
                Cell::Count(n),
                Cell::Percent(share),
                average,
            ],
        };
        for (key, answer) in Answer::of(def, f.language) {
            let given = |rep: Option<&str>| -> i64 {
                mine().filter(|a| a.answer == key && rep.is_none_or(|r| r == a.rep)).map(|a| a.count).sum()
            };
            let (n, sums) =
                (given(None), mine().filter(|a| a.answer == key).map(|a| a.sum.unwrap_or(0.0)).sum::<f64>());
            let average = |n: i64, sum: f64| Answer::average(def, mean(sum, n));
            let share = |n: i64, rep: Option<&str>| key.is_some().then(|| percent(n, visits(rep))).flatten();
            rows.push(row(answer.clone(), labels::all_reps(f.language), None, n, share(n, None), average(n, sums)));
            for (id, name) in &f.reps {
                let rep = id.to_string();
                let n = given(Some(&rep));
                if n > 0 {
                    let sum: f64 =
                        mine().filter(|a| a.answer == key && a.rep == rep).map(|a| a.sum.unwrap_or(0.0)).sum();
                    let cells =
                        row(answer.clone(), name.clone(), Some(rep.clone()), n, share(n, Some(&rep)), average(n, sum));
                    rows.push(cells);
                }
            }
        }
    }
    let keys = [
        ColumnKey::Question,
        ColumnKey::Answer,
        ColumnKey::Rep,
        ColumnKey::Answers,
        ColumnKey::Share,
        ColumnKey::Average,
    ];
    Ok(table(ReportName::VisitAnswers, &keys, rows, None, f.language))
}

/// Contacts, then deals, by the answers of their own choice and yes/no fields, in each type's
/// field order: per answer, how many were made in the period with it and their share of those
/// that answered the field, and the deals won in the period from them (for a contact field,
/// the deals of the contacts with that answer).
async fn by_field(db: &Db, f: &Frame) -> StoreResult<Table> {
    let mut rows = Vec::new();
    for record in [RecordType::Contact, RecordType::Deal] {
        let defs: Vec<FieldDef> = {
            let mut conn = db.pool().acquire().await?;
            crate::fields::store::list(&mut conn, Some(record)).await?
        };
        let defs: Vec<FieldDef> =
            defs.into_iter().filter(|d| d.kind.has_choices() || d.kind == FieldKind::YesNo).collect();
        if defs.is_empty() {
            continue;
        }
        let fields: Vec<String> = defs.iter().map(|d| d.id.to_string()).collect();
        let (per_answer, per_field) = store::opened(db, f, record, &fields).await?;
        let won = store::won(db, f, record, &fields).await?;
        let lang = if f.language == Language::Bn { "bn" } else { "en" };
        let kind = labels::record(record, f.language);
        for def in &defs {
            let field = def.id.to_string();
            let answering: i64 = per_field.iter().filter(|(id, _, _)| *id == field).map(|(_, _, n)| n).sum();
            for (key, answer) in Answer::of(def, f.language) {
                let is = |id: &String, a: &Option<String>| *id == field && *a == key;
                let n: i64 = per_answer.iter().filter(|(id, a, _)| is(id, a)).map(|(_, _, n)| n).sum();
                let mine = || won.iter().filter(|(id, a, ..)| is(id, a));
                rows.push(Row {
                    id: None,
                    cells: vec![
                        Cell::Text(format!("{kind} · {}", def.label.in_language(lang))),
                        Cell::Text(answer),
                        Cell::Count(n),
                        Cell::Percent(percent(n, answering)),
                        Cell::Count(mine().map(|r| r.3).sum()),
                        Cell::Money(money(mine().map(|r| (r.2.clone(), r.4)))),
                    ],
                });
            }
        }
    }
    let keys = [
        ColumnKey::Field,
        ColumnKey::Answer,
        ColumnKey::NewInPeriod,
        ColumnKey::Share,
        ColumnKey::DealsWon,
        ColumnKey::WonValue,
    ];
    Ok(table(ReportName::ByField, &keys, rows, None, f.language))
}

/// How a visit question's answers are summed.
struct Answer;

impl Answer {
    /// Whether a question of `kind` is counted (choices, yes/no) or averaged (numbers, money).
    fn summed(kind: FieldKind) -> bool {
        kind.has_choices() || matches!(kind, FieldKind::YesNo | FieldKind::Number | FieldKind::Money)
    }

    /// The answers a question's rows are about: `(indexed text, as read)`; one `(None, —)` for
    /// a number, whose rows carry the average instead.
    fn of(def: &FieldDef, language: Language) -> Vec<(Option<String>, String)> {
        let lang = if language == Language::Bn { "bn" } else { "en" };
        match def.kind {
            FieldKind::YesNo => {
                let (yes, no) = if language == Language::Bn { ("হ্যাঁ", "না") } else { ("Yes", "No") };
                vec![(Some("true".into()), yes.into()), (Some("false".into()), no.into())]
            }
            k if k.has_choices() => {
                def.choices.iter().map(|c| (Some(c.key.clone()), c.label.in_language(lang).to_string())).collect()
            }
            _ => vec![(None, NO_DATA.into())],
        }
    }

    /// The average cell of a row: money in the field's currency, a number as it is, none for
    /// a row of choices.
    fn average(def: &FieldDef, mean: Option<f64>) -> Cell {
        match def.kind {
            #[allow(clippy::cast_possible_truncation)] // an average of minor units under 1e15
            FieldKind::Money => mean
                .and_then(|m| Money::new(m.round() as i64, def.unit.as_deref().unwrap_or("BDT")).ok())
                .map_or(Cell::Number(None), |m| Cell::Money(vec![m])),
            FieldKind::Number => Cell::Number(mean),
            _ => Cell::Number(None),
        }
    }
}
