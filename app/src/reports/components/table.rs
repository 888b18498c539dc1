//! A report table as on screen: the same text as the CSV, numbers right-aligned, a totals row,
//! and the export buttons.

use crate::i18n::*;
use crate::reports::{Cell, ReportName, ReportQuery, Table};
use crate::ui::Icon;
use leptos::prelude::*;

#[component]
pub fn ReportTable(table: Table, #[prop(into)] query: Signal<ReportQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let name = ReportName::parse(&table.name);
    let cell = |c: &Cell| {
        let class = if c.is_numeric() { "num" } else { "" };
        view! { <td class=class>{c.text()}</td> }
    };
    let head = table
        .columns
        .iter()
        .zip(
            table
                .rows
                .first()
                .map(|r| r.cells.clone())
                .unwrap_or_default()
                .into_iter()
                .map(Some)
                .chain(std::iter::repeat(None)),
        )
        .map(|(c, first)| {
            let class = if first.is_some_and(|f| f.is_numeric()) { "num" } else { "" };
            view! { <th scope="col" class=class>{c.label.clone()}</th> }
        })
        .collect_view();
    let rows = table.rows.iter().map(|r| view! { <tr>{r.cells.iter().map(cell).collect_view()}</tr> }).collect_view();
    let width = table.columns.len().to_string();
    let empty = table.rows.is_empty().then(|| {
        view! {
            <tr class="empty-row"><td colspan=width>
                {t!(i18n, reports.empty)}
                {match name {
                    Some(ReportName::VisitAnswers) => Some(view! { " "{t!(i18n, reports.empty_answers)} }.into_any()),
                    Some(ReportName::ByField) => Some(view! { " "{t!(i18n, reports.empty_by_field)} }.into_any()),
                    _ => None,
                }}
            </td></tr>
        }
    });
    let total =
        table.total.as_ref().map(|r| view! { <tfoot><tr>{r.cells.iter().map(cell).collect_view()}</tr></tfoot> });
    let slug = table.name.clone();
    let title = table.title.clone();
    let csv_label = {
        let title = title.clone();
        move || format!("{} — {title}", t_string!(i18n, reports.export_csv))
    };
    view! {
        <section class="card report-card" data-report=slug.clone()>
            <div class="report-head">
                <h2 id=format!("report-{slug}")>{title}</h2>
                {name.map(|name| view! {
                    <div class="row-actions no-print">
                        <a class="button small" download="" href=move || crate::reports::api::export_url(name, &query.get(), "csv")
                            aria-label=csv_label.clone()>
                            <Icon name="list" size=16/><span>{t!(i18n, reports.export_csv)}</span>
                        </a>
                        <a class="button small" download="" href=move || crate::reports::api::export_url(name, &query.get(), "xlsx")>
                            <Icon name="list" size=16/><span>{t!(i18n, reports.export_xlsx)}</span>
                        </a>
                    </div>
                })}
            </div>
            <div class="table-wrap">
                <table class="data-table report-table" aria-labelledby=format!("report-{slug}")>
                    <thead><tr>{head}</tr></thead>
                    <tbody>{rows}{empty}</tbody>
                    {total}
                </table>
            </div>
        </section>
    }
}
