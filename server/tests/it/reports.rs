//! Dashboards and reports against a small hand-checked company: every figure below was worked
//! out by hand from the rows inserted here (the comments show the sums), on both engines.
//! The manager's zone is Asia/Dhaka (UTC+6): a visit at 23:30 local time on 30 November is
//! 17:30 UTC that day and counts; one at 00:30 on 1 December is 18:30 UTC on 30 November and
//! does not.

use crate::common::{spawn_app, TestApp};
use chrono::TimeZone;
use fieldwork_app::reports::ColumnKey;
use fieldwork_app::users::User;
use serde_json::Value;

/// Milliseconds of a Dhaka local time.
fn dhaka(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
    chrono_tz::Asia::Dhaka.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap().timestamp_millis()
}

struct Company {
    manager: reqwest::Client,
    office: reqwest::Client,
    rep_a: User,
    rep_c: User,
    rep_a_client: reqwest::Client,
}

struct Rows<'a> {
    app: &'a TestApp,
    version: i64,
}

impl Rows<'_> {
    async fn exec(&mut self, sql: &str, binds: Vec<Value>) {
        self.version += 1;
        let mut q = sqlx::query(sql);
        for b in binds {
            q = match b {
                Value::String(s) => q.bind(s),
                Value::Number(n) if n.is_i64() => q.bind(n.as_i64().unwrap()),
                Value::Number(n) => q.bind(n.as_f64().unwrap()),
                Value::Null => q.bind(None::<String>),
                other => panic!("cannot bind {other}"),
            };
        }
        q.execute(self.app.db.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// A contact with its `(source, tags, lifecycle)`.
    async fn contact(
        &mut self,
        id: &str,
        owner: &User,
        territory: &str,
        created: i64,
        (source, tags, lifecycle): (&str, &str, &str),
    ) {
        let v = self.version;
        self.exec(
            "INSERT INTO contacts (id, kind, name, lifecycle, source, tags, territory_id, owner_id, created_at, updated_at, version) \
             VALUES ($1, 'person', $1, $2, $3, $4, $5, $6, $7, $7, $8)",
            vec![id.into(), lifecycle.into(), source.into(), tags.into(), territory.into(), owner.id.to_string().into(), created.into(), v.into()],
        )
        .await;
    }

    async fn visit(&mut self, id: &str, rep: &User, contact: &str, at: i64, far: i64) {
        let v = self.version;
        self.exec(
            "INSERT INTO visits (id, rep_id, contact_id, check_in_at, far, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $4, $4, $6)",
            vec![id.into(), rep.id.to_string().into(), contact.into(), at.into(), far.into(), v.into()],
        )
        .await;
    }

    async fn appointment(&mut self, rep: &User, kind: &str, status: &str, at: i64, recurrence: Option<&str>) {
        let v = self.version;
        let id = uuid::Uuid::now_v7().to_string();
        self.exec(
            "INSERT INTO appointments (id, kind, title, starts_at, ends_at, time_zone, assignee_id, status, recurrence, created_at, updated_at, version) \
             VALUES ($1, $2, 'x', $3, $4, 'Asia/Dhaka', $5, $6, $7, $3, $3, $8)",
            vec![id.into(), kind.into(), at.into(), (at + 1_800_000).into(), rep.id.to_string().into(), status.into(),
                 recurrence.map_or(Value::Null, Into::into), v.into()],
        )
        .await;
    }

    async fn activity(&mut self, author: &User, contact: &str, kind: &str, at: i64) {
        let v = self.version;
        let id = uuid::Uuid::now_v7().to_string();
        self.exec(
            "INSERT INTO activities (id, contact_id, author_id, kind, occurred_at, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $5, $5, $6)",
            vec![id.into(), contact.into(), author.id.to_string().into(), kind.into(), at.into(), v.into()],
        )
        .await;
    }

    async fn deal(&mut self, id: &str, owner: &User, contact: &str, stage: &str, value: i64, path: &[(&str, i64)]) {
        let v = self.version;
        let changed = path.last().unwrap().1;
        self.exec(
            "INSERT INTO deals (id, contact_id, title, stage, value_amount, value_currency, owner_id, stage_changed_at, created_at, updated_at, version) \
             VALUES ($1, $2, 'deal', $3, $4, 'BDT', $5, $6, $7, $6, $8)",
            vec![id.into(), contact.into(), stage.into(), value.into(), owner.id.to_string().into(), changed.into(), path[0].1.into(), v.into()],
        )
        .await;
        let mut from: Option<(&str, i64)> = None;
        for (step, at) in path {
            let id_ = uuid::Uuid::now_v7().to_string();
            match from {
                None => {
                    self.exec(
                        "INSERT INTO deal_stage_history (id, deal_id, to_stage, at) VALUES ($1, $2, $3, $4)",
                        vec![id_.into(), id.into(), (*step).into(), (*at).into()],
                    )
                    .await;
                }
                Some((previous, entered)) => {
                    self.exec(
                        "INSERT INTO deal_stage_history (id, deal_id, from_stage, to_stage, at, from_entered_at) VALUES ($1, $2, $3, $4, $5, $6)",
                        vec![id_.into(), id.into(), previous.into(), (*step).into(), (*at).into(), entered.into()],
                    )
                    .await;
                }
            }
            from = Some((step, *at));
        }
    }

    async fn feedback(&mut self, visit: &str, contact: &str, csat: i64, nps: i64, answered: i64) {
        let v = self.version;
        self.exec(
            "INSERT INTO feedback (id, contact_id, visit_id, csat, nps, answered_at, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $6, $6, $7)",
            vec![uuid::Uuid::now_v7().to_string().into(), contact.into(), visit.into(), csat.into(), nps.into(), answered.into(), v.into()],
        )
        .await;
    }
}

async fn signed_in_as(app: &TestApp, user: &User) -> reqwest::Client {
    let client = app.browser();
    let r = client
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"email": user.email, "password": crate::common::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    client
}

/// Manager M with reps Anika (territory T1) and Bashir (T2); rep Chayan of another team (T3).
async fn company(app: &TestApp) -> Company {
    let (manager, m) = app.signed_in("manager").await;
    let (office, _) = app.signed_in("office").await;
    let mut a = app.user("rep").await;
    let mut b = app.user("rep").await;
    let mut c = app.user("rep").await;
    let mut rows = Rows { app, version: 1000 };
    for (user, name, boss) in
        [(&mut a, "Anika Rep", Some(m.id)), (&mut b, "Bashir Rep", Some(m.id)), (&mut c, "Chayan Rep", None)]
    {
        rows.exec(
            "UPDATE users SET name = $2, manager_id = $3 WHERE id = $1",
            vec![user.id.to_string().into(), name.into(), boss.map_or(Value::Null, |b| b.to_string().into())],
        )
        .await;
        user.name = name.into();
    }
    for (t, rep) in [(T1, &a), (T2, &b), (T3, &c)] {
        let v = rows.version;
        rows.exec("INSERT INTO territories (id, name, colour, geometry, created_at, updated_at, version) VALUES ($1, $2, '#0f766e', '{}', 0, 0, $3)",
            vec![t.into(), format!("Territory T{}", &t[t.len() - 1..]).into(), v.into()]).await;
        let v = rows.version;
        rows.exec("INSERT INTO territory_assignments (id, territory_id, user_id, starts_on, created_at, updated_at, version) VALUES ($1, $2, $3, '2026-01-01', 0, 0, $4)",
            vec![format!("as-{t}").into(), t.into(), rep.id.to_string().into(), v.into()]).await;
    }
    // Contacts: c1, c2 new in November (c2 at 23:30 on the 30th), c3 at 00:30 on 1 December,
    // c4 an older customer of Bashir's, c5 another team's.
    rows.contact("c1", &a, T1, dhaka(2026, 11, 5, 10, 0), ("referral", r#"["vip"]"#, "customer")).await;
    rows.contact("c2", &a, T1, dhaka(2026, 11, 30, 23, 30), ("website", "[]", "lead")).await;
    rows.contact("c3", &a, T1, dhaka(2026, 12, 1, 0, 30), ("website", "[]", "lead")).await;
    rows.contact("c4", &b, T2, dhaka(2026, 10, 20, 10, 0), ("walk-in", "[]", "customer")).await;
    rows.contact("c5", &c, T3, dhaka(2026, 11, 15, 10, 0), ("referral", "[]", "lead")).await;
    rows.visit("v1", &a, "c1", dhaka(2026, 11, 10, 11, 0), 0).await;
    rows.visit("v2", &a, "c2", dhaka(2026, 11, 30, 23, 30), 1).await;
    rows.visit("v3", &a, "c1", dhaka(2026, 12, 1, 0, 30), 0).await;
    rows.visit("v4", &b, "c4", dhaka(2026, 11, 15, 10, 0), 0).await;
    rows.visit("v5", &c, "c5", dhaka(2026, 11, 15, 10, 0), 0).await;
    // Planned: Anika a meeting and a showing (a cancelled meeting and a call do not count);
    // Bashir a meeting and a weekly series from 2 November (2, 9, 16, 23, 30 November).
    rows.appointment(&a, "meeting", "done", dhaka(2026, 11, 10, 11, 0), None).await;
    rows.appointment(&a, "showing", "scheduled", dhaka(2026, 11, 20, 15, 0), None).await;
    rows.appointment(&a, "meeting", "cancelled", dhaka(2026, 11, 21, 15, 0), None).await;
    rows.appointment(&a, "call", "scheduled", dhaka(2026, 11, 22, 15, 0), None).await;
    rows.appointment(&b, "meeting", "done", dhaka(2026, 11, 15, 10, 0), None).await;
    rows.appointment(
        &b,
        "meeting",
        "scheduled",
        dhaka(2026, 11, 2, 10, 0),
        Some(r#"{"frequency":"weekly","interval":1}"#),
    )
    .await;
    rows.appointment(&c, "meeting", "scheduled", dhaka(2026, 11, 3, 10, 0), None).await;
    // Calls: Anika 3 in November (one at 23:30 on the 30th) and one on 1 December; a note;
    // Bashir 1; Chayan 2.
    for at in
        [dhaka(2026, 11, 3, 9, 0), dhaka(2026, 11, 18, 9, 0), dhaka(2026, 11, 30, 23, 30), dhaka(2026, 12, 1, 0, 30)]
    {
        rows.activity(&a, "c1", "call", at).await;
    }
    rows.activity(&a, "c1", "note", dhaka(2026, 11, 4, 9, 0)).await;
    rows.activity(&b, "c4", "call", dhaka(2026, 11, 4, 9, 0)).await;
    rows.activity(&c, "c5", "call", dhaka(2026, 11, 4, 9, 0)).await;
    rows.activity(&c, "c5", "call", dhaka(2026, 11, 5, 9, 0)).await;
    // Deals: d1 won in November through proposal (3 days in inquiry, 7 in proposal); d2 lost
    // after 5 days in inquiry; d3 won in October; d4 in negotiation since 3 November after 33
    // days in inquiry; d5 another team's.
    let noon = |m, d| dhaka(2026, m, d, 12, 0);
    rows.deal(
        "d1",
        &a,
        "c1",
        "won",
        100_000,
        &[("inquiry", noon(11, 2)), ("proposal", noon(11, 5)), ("won", noon(11, 12))],
    )
    .await;
    rows.deal("d2", &a, "c2", "lost", 70_000, &[("inquiry", noon(11, 20)), ("lost", noon(11, 25))]).await;
    rows.deal("d3", &b, "c4", "won", 500_000, &[("inquiry", noon(9, 1)), ("won", noon(10, 10))]).await;
    rows.deal("d4", &b, "c4", "negotiation", 300_000, &[("inquiry", noon(10, 1)), ("negotiation", noon(11, 3))]).await;
    rows.deal("d5", &c, "c5", "won", 900_000, &[("inquiry", noon(11, 1)), ("won", noon(11, 20))]).await;
    // Feedback: CSAT 5, 3 (at 23:45 on the 30th), 4 in November, 1 on 1 December; NPS 10, 6, 9, 0.
    rows.feedback("v1", "c1", 5, 10, dhaka(2026, 11, 10, 15, 0)).await;
    rows.feedback("v2", "c2", 3, 6, dhaka(2026, 11, 30, 23, 45)).await;
    rows.feedback("v4", "c4", 4, 9, dhaka(2026, 11, 16, 10, 0)).await;
    rows.feedback("v3", "c1", 1, 0, dhaka(2026, 12, 1, 1, 0)).await;
    rows.feedback("v5", "c5", 1, 0, dhaka(2026, 11, 16, 10, 0)).await;
    // Listings: L1 available since 10 November (21 days to the period's end), L2 sold after 31 days.
    for (id, territory, agent, status, created) in
        [("L1", T2, &b, "available", noon(11, 9)), ("L2", T1, &a, "sold", noon(9, 30))]
    {
        let v = rows.version;
        rows.exec("INSERT INTO listings (id, reference, title, kind, transaction_type, status, price_amount, price_currency, territory_id, agent_id, created_at, updated_at, version) \
                   VALUES ($1, $1, $1, 'apartment', 'sale', $2, 1, 'BDT', $3, $4, $5, $5, $6)",
            vec![id.into(), status.into(), territory.into(), agent.id.to_string().into(), created.into(), v.into()]).await;
    }
    for (listing, to, at) in [
        ("L1", "available", dhaka(2026, 11, 10, 0, 0)),
        ("L2", "available", dhaka(2026, 10, 1, 0, 0)),
        ("L2", "sold", dhaka(2026, 11, 1, 0, 0)),
    ] {
        rows.exec(
            "INSERT INTO listing_status_history (id, listing_id, to_status, at) VALUES ($1, $2, $3, $4)",
            vec![uuid::Uuid::now_v7().to_string().into(), listing.into(), to.into(), at.into()],
        )
        .await;
    }
    let rep_a_client = signed_in_as(app, &a).await;
    Company { manager, office, rep_a: a, rep_c: c, rep_a_client }
}

/// The three territories' ids.
const T1: &str = "01900000-0000-7000-8000-000000000001";
const T2: &str = "01900000-0000-7000-8000-000000000002";
const T3: &str = "01900000-0000-7000-8000-000000000003";

const NOVEMBER: &str = "from=2026-11-01&to=2026-11-30";

async fn report(app: &TestApp, client: &reqwest::Client, name: &str, query: &str) -> (u16, Value) {
    let r = client.get(app.url(&format!("/api/v1/reports/{name}?{query}"))).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The table as text lines: header (the columns' keys, each one a [`ColumnKey`]), rows, total.
fn lines(table: &Value) -> Vec<Vec<String>> {
    let text = |cell: &Value| -> String {
        let v = &cell["value"];
        match cell["type"].as_str().unwrap() {
            "text" => v.as_str().unwrap().into(),
            "count" => v.as_i64().unwrap().to_string(),
            "percent" => v.as_f64().map_or("—".into(), |p| format!("{p:.1}%")),
            "score" => v.as_f64().map_or("—".into(), |p| format!("{p:+.0}")),
            "days" => v.as_f64().map_or("—".into(), |p| format!("{p:.1}")),
            "money" => v
                .as_array()
                .unwrap()
                .iter()
                .map(|m| format!("{} {}", m["amount"].as_i64().unwrap() / 100, m["currency"].as_str().unwrap()))
                .collect::<Vec<_>>()
                .join(" + "),
            other => panic!("cell type {other}"),
        }
    };
    // A key on the wire is a known column's, as `ColumnKey` reads it.
    let key = |c: &Value| -> String {
        serde_json::from_value::<ColumnKey>(c["key"].clone()).unwrap_or_else(|e| panic!("{c}: {e}"));
        c["key"].as_str().unwrap().to_string()
    };
    let mut out = vec![table["columns"].as_array().unwrap().iter().map(key).collect()];
    for row in table["rows"].as_array().unwrap().iter().chain(table["total"].as_object().map(|_| &table["total"])) {
        out.push(row["cells"].as_array().unwrap().iter().map(text).collect());
    }
    out
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(std::string::ToString::to_string).collect()
}

/// A header line of [`lines`].
fn keys(v: &[ColumnKey]) -> Vec<String> {
    v.iter().map(|k| k.as_str().to_string()).collect()
}

#[tokio::test]
async fn a_managers_reps_report_counts_each_reps_work_in_the_local_period() {
    let app = spawn_app().await;
    let co = company(&app).await;
    let (status, table) = report(&app, &co.manager, "reps", NOVEMBER).await;
    assert_eq!(status, 200, "{table}");
    assert_eq!(
        lines(&table),
        vec![
            keys(&[
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
            ]),
            // Anika: 2 planned; v1, v2 done (v2 far, v3 on 1 December); 3 calls; c1, c2 new;
            // d1 won, d2 lost; answers 5/10 and 3/6 → CSAT 1 of 2, NPS (1 − 1) / 2.
            s(&["Anika Rep", "2", "2", "1", "3", "2", "1", "1000 BDT", "50.0%", "2", "50.0%", "+0"]),
            // Bashir: 1 + 5 weekly occurrences; v4; 1 call; d3 was won in October; 4/9.
            s(&["Bashir Rep", "6", "1", "0", "1", "0", "0", "", "—", "1", "100.0%", "+100"]),
            s(&["Total", "8", "3", "1", "4", "2", "1", "1000 BDT", "50.0%", "3", "66.7%", "+33"]),
        ]
    );
}

#[tokio::test]
async fn the_pipeline_report_gives_conversion_and_days_in_each_stage() {
    let app = spawn_app().await;
    let co = company(&app).await;
    let (status, table) = report(&app, &co.manager, "pipeline", NOVEMBER).await;
    assert_eq!(status, 200, "{table}");
    assert_eq!(
        lines(&table),
        vec![
            keys(&[
                ColumnKey::Stage,
                ColumnKey::Deals,
                ColumnKey::Value,
                ColumnKey::Entered,
                ColumnKey::Conversion,
                ColumnKey::DaysInStage,
            ]),
            // Entered inquiry: d1 (moved on), d2 (lost) → 50 %; left it: 3, 5 and 33 days.
            s(&["Inquiry", "0", "", "2", "50.0%", "13.7"]),
            s(&["Proposal", "0", "", "1", "100.0%", "7.0"]),
            s(&["Negotiation", "1", "3000 BDT", "1", "0.0%", "—"]),
            s(&["Won", "1", "1000 BDT", "1", "—", "—"]),
            s(&["Lost", "1", "700 BDT", "1", "—", "—"]),
        ]
    );
}

#[tokio::test]
async fn territory_listing_feedback_and_customer_reports_match_the_hand_counts() {
    let app = spawn_app().await;
    let co = company(&app).await;
    let (_, territories) = report(&app, &co.manager, "territories", NOVEMBER).await;
    assert_eq!(
        lines(&territories)[1..],
        vec![
            // T1: c1, c2, c3; c1 and c2 visited in the 30 days; v1, v2; c1, c2 new; L2 is sold.
            s(&["Territory T1", "3", "2", "66.7%", "2", "2", "0"]),
            s(&["Territory T2", "1", "1", "100.0%", "1", "0", "1"]),
            s(&["Total", "4", "3", "75.0%", "3", "2", "1"]),
        ]
    );
    let (_, listings) = report(&app, &co.manager, "listings", NOVEMBER).await;
    let l = lines(&listings);
    assert_eq!(l[2], s(&["Available", "1", "21.0"]));
    assert_eq!(l[4], s(&["Sold", "1", "31.0"]));
    assert_eq!(l[1], s(&["Draft", "0", "—"]));
    assert_eq!(l.last().unwrap(), &s(&["Total", "2", "26.0"]));

    let (_, feedback) = report(&app, &co.manager, "feedback", NOVEMBER).await;
    let f = lines(&feedback);
    assert_eq!(f.len(), 1 + 30 + 1, "a row per day and the total");
    assert_eq!(f[10], s(&["2026-11-10", "1", "100.0%", "+100"]));
    assert_eq!(f[30], s(&["2026-11-30", "1", "0.0%", "-100"]), "answered at 23:45 local time on the 30th");
    assert_eq!(f[1], s(&["2026-11-01", "0", "—", "—"]), "an empty day is no data, not zero");
    assert_eq!(f[31], s(&["Total", "3", "66.7%", "+33"]));

    let (_, customers) = report(&app, &co.manager, "customers", NOVEMBER).await;
    let values: Vec<(String, String)> = lines(&customers)[1..].iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    assert_eq!(
        values,
        vec![
            // c4 a customer before; c1 won in November: (2 − 1) / 1.
            ("Retention rate".into(), "100.0%".into()),
            // (1000 + 5000) BDT from 2 customers.
            ("Customer lifetime value".into(), "3000 BDT".into()),
            // c1 of c1, c2 came by referral (c5 is another team's).
            ("Referral rate".into(), "50.0%".into()),
            ("NPS".into(), "+33".into()),
            ("CSAT".into(), "66.7%".into()),
            ("Win rate".into(), "50.0%".into()),
        ]
    );
    assert!(lines(&customers)[1][2].contains("customers at the start"), "each metric carries its definition");
}

#[tokio::test]
async fn filters_narrow_every_report_and_an_empty_period_divides_by_nothing() {
    let app = spawn_app().await;
    let co = company(&app).await;
    let (status, t) = report(&app, &co.manager, "reps", &format!("{NOVEMBER}&territory={T1}&tag=vip")).await;
    assert_eq!(status, 200, "{t}");
    // Only c1 (T1, tagged vip): v1, the three calls on c1 in November, c1 new, d1, its answer.
    // Her appointments name no contact, so none lies in a territory.
    assert_eq!(
        lines(&t)[1],
        s(&["Anika Rep", "0", "1", "0", "3", "1", "1", "1000 BDT", "100.0%", "1", "100.0%", "+100"])
    );
    let (status, t) = report(&app, &co.manager, "reps", &format!("{NOVEMBER}&rep={}", co.rep_a.id)).await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(lines(&t).len(), 3, "one rep and the total");

    let (status, t) = report(&app, &co.manager, "customers", "from=2025-01-01&to=2025-01-31").await;
    assert_eq!(status, 200, "{t}");
    let values: Vec<String> = lines(&t)[1..].iter().map(|r| r[1].clone()).collect();
    assert_eq!(values, s(&["—", "—", "—", "—", "—", "—"]));
    let (status, t) = report(&app, &co.manager, "reps", "from=2025-01-01&to=2025-01-31").await;
    assert_eq!(status, 200);
    assert_eq!(lines(&t)[3], s(&["Total", "0", "0", "0", "0", "0", "0", "", "—", "0", "—", "—"]));
}

#[tokio::test]
async fn reports_are_scoped_refuse_reps_and_bad_filters_and_name_the_field() {
    let app = spawn_app().await;
    let co = company(&app).await;
    // Office staff see every rep, the other team's Chayan too.
    let (_, t) = report(&app, &co.office, "reps", NOVEMBER).await;
    let names: Vec<String> = lines(&t)[1..].iter().map(|r| r[0].clone()).collect();
    assert!(names.contains(&"Chayan Rep".to_string()), "{names:?}");
    // A manager may not ask for another team's rep; a rep may not read reports at all.
    let (status, body) = report(&app, &co.manager, "reps", &format!("{NOVEMBER}&rep={}", co.rep_c.id)).await;
    assert_eq!((status, crate::common::error_fields(&body)), (400, vec!["rep".to_string()]));
    let (status, _) = report(&app, &co.rep_a_client, "reps", NOVEMBER).await;
    assert_eq!(status, 403);
    let r = co.rep_a_client.get(app.url("/api/v1/dashboard/manager")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = app.browser().get(app.url("/api/v1/reports/reps")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let (status, body) =
        report(&app, &co.manager, "reps", "from=2026-12-01&to=2026-11-01&coverage_days=0&format=pdf").await;
    assert_eq!(status, 400);
    assert_eq!(crate::common::error_fields(&body), vec!["format".to_string()]);
    let (status, body) = report(&app, &co.manager, "reps", "from=2026-12-01&to=2026-11-01&coverage_days=0").await;
    assert_eq!(
        (status, crate::common::error_fields(&body)),
        (400, vec!["coverage_days".to_string(), "to".to_string()])
    );
    let (status, _) = report(&app, &co.manager, "secrets", NOVEMBER).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_csv_export_holds_the_tables_text_and_is_audited() {
    let app = spawn_app().await;
    let co = company(&app).await;
    let (_, table) = report(&app, &co.manager, "reps", NOVEMBER).await;
    let r = co.manager.get(app.url(&format!("/api/v1/reports/reps?{NOVEMBER}&format=csv"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains("reps-2026-11-01-2026-11-30.csv"));
    let csv = r.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[0], "Rep");
    assert_eq!(header.len(), table["columns"].as_array().unwrap().len());
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    assert_eq!(rows[0], s(&["Anika Rep", "2", "2", "1", "3", "2", "1", "1,000 BDT", "50.0%", "2", "50.0%", "+0"]));
    assert_eq!(rows.len(), 3);
    let r = co.manager.get(app.url(&format!("/api/v1/reports/pipeline?{NOVEMBER}&format=xlsx"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");
    let exports: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'report' AND action = 'export'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(exports, 2);
}

#[tokio::test]
async fn the_manager_dashboard_answers_every_report_and_the_headline_figures_at_once() {
    let app = spawn_app().await;
    let co = company(&app).await;
    let r = co.manager.get(app.url(&format!("/api/v1/dashboard/manager?{NOVEMBER}"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let d: Value = r.json().await.unwrap();
    let names: Vec<&str> = d["tables"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["reps", "territories", "pipeline", "listings", "feedback", "customers"]);
    let (_, reps) = report(&app, &co.manager, "reps", NOVEMBER).await;
    assert_eq!(d["tables"][0], reps, "the dashboard and the report are the same table");
    let win = d["figures"].as_array().unwrap().iter().find(|f| f["key"] == "win_rate").unwrap();
    assert_eq!(win["value"], "50.0%");
}

#[tokio::test]
async fn a_reps_own_dashboard_counts_today_in_the_reps_zone() {
    let app = spawn_app().await;
    let rep = app.user("rep").await;
    // A zone where it is late morning now, so "later today" exists whatever the UTC hour.
    let hour = chrono::Utc::now().format("%H").to_string().parse::<i64>().unwrap();
    let offset = (11 - hour + 36) % 24 - 12;
    let zone = if offset >= 0 { format!("Etc/GMT-{offset}") } else { format!("Etc/GMT+{}", -offset) };
    let mut rows = Rows { app: &app, version: 5000 };
    rows.exec("UPDATE users SET time_zone = $2 WHERE id = $1", vec![rep.id.to_string().into(), zone.clone().into()])
        .await;
    let now = chrono::Utc::now().timestamp_millis();
    let hour_ms = 3_600_000;
    let t = rows.version;
    rows.exec("INSERT INTO territories (id, name, colour, geometry, created_at, updated_at, version) VALUES ('T', 'T', '#000000', '{}', 0, 0, $1)", vec![t.into()]).await;
    rows.contact("mine", &rep, "T", now - hour_ms, ("referral", "[]", "lead")).await;
    rows.contact("old", &rep, "T", now - 20 * 24 * hour_ms, ("referral", "[]", "customer")).await;
    rows.visit("today", &rep, "mine", now - hour_ms, 0).await;
    rows.visit("yesterday", &rep, "mine", now - 30 * hour_ms, 0).await;
    rows.appointment(&rep, "meeting", "done", now - hour_ms, None).await;
    rows.appointment(&rep, "showing", "scheduled", now + hour_ms / 2, None).await;
    for (due, done) in [(now + hour_ms / 2, 0), (now - 2 * hour_ms, 0), (now - 3 * hour_ms, 1)] {
        let v = rows.version;
        rows.exec("INSERT INTO tasks (id, title, assignee_id, due_at, done, created_at, updated_at, version) VALUES ($1, 't', $2, $3, $4, 0, 0, $5)",
            vec![uuid::Uuid::now_v7().to_string().into(), rep.id.to_string().into(), due.into(), done.into(), v.into()]).await;
    }
    rows.deal("open", &rep, "old", "proposal", 250_000, &[("proposal", now - hour_ms)]).await;
    rows.deal("closed", &rep, "old", "won", 990_000, &[("won", now - hour_ms)]).await;
    rows.feedback("today", "mine", 4, 10, now - hour_ms / 2).await;
    let client = signed_in_as(&app, &rep).await;
    let d: Value = client.get(app.url("/api/v1/dashboard/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!((d["visits_done"].as_i64(), d["visits_planned"].as_i64()), (Some(1), Some(2)), "{d} in {zone}");
    assert_eq!((d["follow_ups_due"].as_i64(), d["follow_ups_overdue"].as_i64()), (Some(1), Some(1)));
    assert_eq!(d["open_deals"].as_i64(), Some(1));
    assert_eq!(d["open_value"][0]["amount"].as_i64(), Some(250_000));
    assert_eq!((d["csat"].as_f64(), d["nps"].as_f64()), (Some(100.0), Some(100.0)));
    assert!(d["new_leads_week"].as_i64().unwrap() >= 1);
}
