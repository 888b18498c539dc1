//! The dashboard page (a rep's own numbers, or the team view for managers, office staff and
//! admins) and the report page (one report at a time, filtered, exported or printed).

use super::charts::{BarChart, FunnelChart, LineChart};
use super::filters::{initial, Filters};
use super::rep::RepNumbers;
use super::table::ReportTable;
use crate::i18n::*;
use crate::reports::{ColumnKey, ManagerDashboard, ReportName, ReportQuery, Table};
use crate::ui::{ClientOnly, ErrorState, Icon, Loading};
use crate::users::Role;
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let role = crate::session::current_user().get_untracked().role;
    view! {
        <section class="page wide dashboard">
            <header class="page-header">
                <h1>{t!(i18n, reports.dashboard)}</h1>
                <p class="summary">{move || if role == Role::Rep { t_string!(i18n, reports.rep_intro) } else { t_string!(i18n, reports.manager_intro) }}</p>
            </header>
            <ClientOnly>
                {if role == Role::Rep {
                    view! { <RepNumbers/> }.into_any()
                } else {
                    view! { <TeamDashboard/> }.into_any()
                }}
            </ClientOnly>
        </section>
    }
}

#[component]
fn TeamDashboard() -> impl IntoView {
    let query = RwSignal::new(initial());
    let data = LocalResource::new(move || crate::reports::api::manager(query.get()));
    view! {
        <Filters query/>
        <Transition fallback=Loading>
            {move || data.get().map(|result| match result {
                Ok(d) => view! { <Team d query/> }.into_any(),
                Err(error) => view! { <ErrorState error on_retry=move |()| data.refetch()/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Team(d: ManagerDashboard, query: RwSignal<ReportQuery>) -> impl IntoView {
    let figures = d.figures.clone();
    let table = |name: ReportName| d.table(name).cloned();
    let tables: Vec<Table> = ReportName::ON_DASHBOARD.into_iter().filter_map(table).collect();
    view! {
        <div class="team" data-query=d.query.to_query_string()>
        <div class="figure-cards">
            {figures.into_iter().map(|f| view! {
                <div class="figure-card" data-metric=f.key.clone()>
                    <span class="figure-label">{f.label}</span>
                    <strong class="figure-value">{f.value}</strong>
                    <small class="figure-definition">{f.definition}</small>
                </div>
            }).collect_view()}
        </div>
        <div class="chart-grid">
            {table(ReportName::Reps).map(|t| visits_chart(&t))}
            {table(ReportName::Pipeline).map(|t| funnel_chart(&t))}
            {table(ReportName::Feedback).map(|t| trend_chart(&t))}
        </div>
        {tables.into_iter().map(|t| view! { <ReportTable table=t query=Signal::from(query)/> }).collect_view()}
        </div>
    }
}

fn label(t: &Table, key: ColumnKey) -> String {
    t.column(key).and_then(|i| t.columns.get(i)).map(|c| c.label.clone()).unwrap_or_default()
}

/// Visits planned against done, per rep.
fn visits_chart(t: &Table) -> impl IntoView {
    let planned = t.series(ColumnKey::VisitsPlanned);
    let done = t.series(ColumnKey::VisitsDone);
    let rows = planned.into_iter().zip(done).map(|((name, p), (_, d))| (name, vec![p, d])).collect();
    let title = format!("{} · {}", label(t, ColumnKey::VisitsPlanned), label(t, ColumnKey::VisitsDone));
    view! { <BarChart title series=vec![label(t, ColumnKey::VisitsPlanned), label(t, ColumnKey::VisitsDone)] rows/> }
}

/// Deals that entered each open stage (and won) in the period.
fn funnel_chart(t: &Table) -> impl IntoView {
    let stages: Vec<(String, f64)> = t
        .series(ColumnKey::Entered)
        .into_iter()
        .zip(&t.rows)
        .filter(|(_, r)| r.id.as_deref() != Some("lost"))
        .map(|((name, v), _)| (name, v.unwrap_or(0.0)))
        .collect();
    view! { <FunnelChart title=t.title.clone() stages heading=label(t, ColumnKey::Entered)/> }
}

/// CSAT (0–100 %) and NPS (−100…+100) over the period's days or weeks.
fn trend_chart(t: &Table) -> impl IntoView {
    let csat = t.series(ColumnKey::Csat);
    let nps = t.series(ColumnKey::Nps);
    let labels = csat.iter().map(|(l, _)| l.clone()).collect();
    let values = vec![csat.into_iter().map(|(_, v)| v).collect(), nps.into_iter().map(|(_, v)| v).collect()];
    view! {
        <LineChart title=t.title.clone() series=vec![label(t, ColumnKey::Csat), label(t, ColumnKey::Nps)] labels values min=-100.0 max=100.0/>
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(initial());
    let report = RwSignal::new(ReportName::Reps);
    let data = LocalResource::new(move || crate::reports::api::report(report.get(), query.get()));
    let language = move || crate::locale::to_language(i18n.get_locale());
    view! {
        <section class="page wide reports">
            <header class="page-header with-action">
                <div>
                    <h1>{t!(i18n, reports.title)}</h1>
                    <p class="summary">{t!(i18n, reports.intro)}</p>
                </div>
                <button class="button no-print" on:click=move |_| print()>
                    <Icon name="print" size=18/><span>{t!(i18n, reports.print)}</span>
                </button>
            </header>
            <ClientOnly>
                <div class="segmented report-picker no-print" role="tablist" aria-label=move || t_string!(i18n, reports.choose)>
                    {ReportName::ALL.into_iter().map(|name| view! {
                        <button type="button" role="tab" aria-selected=move || (report.get() == name).to_string()
                            class=move || if report.get() == name { "active" } else { "" }
                            on:click=move |_| report.set(name)>{move || name.title(language())}</button>
                    }).collect_view()}
                </div>
                <Filters query extended=true/>
                <Transition fallback=Loading>
                    {move || data.get().map(|result| match result {
                        Ok(t) => {
                            let chart = match ReportName::parse(&t.name) {
                                Some(ReportName::Reps) => visits_chart(&t).into_any(),
                                Some(ReportName::Pipeline) => funnel_chart(&t).into_any(),
                                Some(ReportName::Feedback) => trend_chart(&t).into_any(),
                                _ => ().into_any(),
                            };
                            view! { {chart} <ReportTable table=t query=Signal::from(query)/> }.into_any()
                        }
                        Err(error) => view! { <ErrorState error on_retry=move |()| data.refetch()/> }.into_any(),
                    })}
                </Transition>
            </ClientOnly>
        </section>
    }
}

fn print() {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}
