//! Bar, line and funnel charts as SVG. Each is a `<figure>` whose picture has a text
//! alternative and whose numbers are in a table beneath it (open the details), so a screen
//! reader and a printout get the same figures.

use crate::i18n::*;
use crate::reports::chart::{funnel, horizontal_bars, line_path, Axis};
use leptos::prelude::*;

const WIDTH: f64 = 640.0;
const LABELS: f64 = 150.0;
const ROW: f64 = 34.0;

fn number(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") })
}

/// The numbers behind a chart, as a small table inside a disclosure.
#[component]
fn Numbers(headings: Vec<String>, rows: Vec<(String, Vec<Option<f64>>)>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details class="chart-numbers">
            <summary>{t!(i18n, reports.show_numbers)}</summary>
            <table class="data-table compact">
                <thead><tr>{headings.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {rows.into_iter().map(|(label, values)| view! {
                        <tr><th scope="row">{label}</th>{values.into_iter().map(|v| view! { <td class="num">{number(v)}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}

/// A chart's title and the legend of its series' colours.
#[component]
fn Caption(title: String, series: Vec<String>) -> impl IntoView {
    view! {
        <figcaption>
            <strong>{title}</strong>
            <span class="chart-legend">
                {series.into_iter().enumerate().map(|(i, s)| view! {
                    <span class="legend-item"><span class=format!("legend-swatch series-{i}")></span>{s}</span>
                }).collect_view()}
            </span>
        </figcaption>
    }
}

/// Horizontal bars, a row per label and a bar per series (e.g. visits planned and done per rep).
#[component]
pub fn BarChart(
    title: String,
    /// The series' names, for the legend.
    series: Vec<String>,
    rows: Vec<(String, Vec<Option<f64>>)>,
) -> impl IntoView {
    let axis = Axis::from_zero(rows.iter().flat_map(|(_, v)| v.iter().flatten().copied()));
    let values: Vec<Vec<f64>> = rows.iter().map(|(_, v)| v.iter().map(|x| x.unwrap_or(0.0)).collect()).collect();
    let length = WIDTH - LABELS - 40.0;
    let bars = horizontal_bars(&values, &axis, LABELS, length, ROW);
    let height = rows.len() as f64 * ROW + 24.0;
    let summary = rows
        .iter()
        .map(|(label, v)| {
            let parts: Vec<String> = series.iter().zip(v).map(|(s, x)| format!("{s} {}", number(*x))).collect();
            format!("{label}: {}", parts.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut headings = vec![String::new()];
    headings.extend(series.iter().cloned());
    view! {
        <figure class="chart card">
            <Caption title=title.clone() series/>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=format!("{title}. {summary}") class="chart-svg">
                {axis.ticks.iter().map(|t| {
                    let x = LABELS + axis.at(*t, length);
                    view! {
                        <line class="grid" x1=px(x) x2=px(x) y1="0" y2=px(height - 20.0)/>
                        <text class="tick" x=px(x) y=px(height - 6.0) text-anchor="middle">{number(Some(*t))}</text>
                    }
                }).collect_view()}
                {rows.iter().zip(bars).enumerate().map(|(i, ((label, v), rects))| view! {
                    <text class="bar-label" x=px(LABELS - 8.0) y=px(i as f64 * ROW + ROW / 2.0 + 4.0) text-anchor="end">{truncate(label, 20)}</text>
                    {rects.into_iter().zip(v.clone()).enumerate().map(|(j, (r, value))| view! {
                        <rect class=format!("bar series-{j}") x=px(r.x) y=px(r.y) width=px(r.width.max(1.0)) height=px(r.height) rx="2">
                            <title>{format!("{label}: {}", number(value))}</title>
                        </rect>
                    }).collect_view()}
                }).collect_view()}
            </svg>
            <Numbers headings rows/>
        </figure>
    }
}

/// A trend: one line per series over evenly spaced buckets, on a fixed axis.
#[component]
pub fn LineChart(
    title: String,
    series: Vec<String>,
    /// Bucket labels along the bottom.
    labels: Vec<String>,
    /// One list of values per series, a value per bucket.
    values: Vec<Vec<Option<f64>>>,
    min: f64,
    max: f64,
) -> impl IntoView {
    let axis = Axis::fixed(min, max);
    let (left, height, plot_w) = (44.0, 180.0, WIDTH - 60.0);
    let first = labels.first().cloned().unwrap_or_default();
    let last = labels.last().cloned().unwrap_or_default();
    let rows: Vec<(String, Vec<Option<f64>>)> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.clone(), values.iter().map(|s| s.get(i).copied().flatten()).collect()))
        .collect();
    let described: Vec<String> = series
        .iter()
        .zip(&values)
        .map(|(s, v)| format!("{s}: {}", v.iter().map(|x| number(*x)).collect::<Vec<_>>().join(", ")))
        .collect();
    let mut headings = vec![String::new()];
    headings.extend(series.iter().cloned());
    view! {
        <figure class="chart card">
            <Caption title=title.clone() series/>
            <svg viewBox=format!("0 0 {WIDTH} {}", height + 30.0) role="img" aria-label=format!("{title}. {}", described.join("; ")) class="chart-svg">
                {axis.ticks.iter().map(|t| {
                    let y = height - axis.at(*t, height);
                    view! {
                        <line class="grid" x1=px(left) x2=px(left + plot_w) y1=px(y) y2=px(y)/>
                        <text class="tick" x=px(left - 6.0) y=px(y + 4.0) text-anchor="end">{number(Some(*t))}</text>
                    }
                }).collect_view()}
                <g transform=format!("translate({left} 0)")>
                    {values.iter().enumerate().map(|(i, v)| view! {
                        <path class=format!("line series-{i}") d=line_path(v, &axis, plot_w, height) fill="none"/>
                    }).collect_view()}
                </g>
                <text class="tick" x=px(left) y=px(height + 22.0)>{first}</text>
                <text class="tick" x=px(left + plot_w) y=px(height + 22.0) text-anchor="end">{last}</text>
            </svg>
            <Numbers headings rows/>
        </figure>
    }
}

/// The pipeline as a funnel: how many deals entered each stage.
#[component]
pub fn FunnelChart(title: String, stages: Vec<(String, f64)>, #[prop(into)] heading: String) -> impl IntoView {
    let step = 40.0;
    let shapes = funnel(&stages.iter().map(|(_, v)| *v).collect::<Vec<_>>(), WIDTH - LABELS * 2.0, step);
    let height = stages.len() as f64 * step;
    let summary = stages.iter().map(|(l, v)| format!("{l} {}", number(Some(*v)))).collect::<Vec<_>>().join(", ");
    let rows = stages.iter().map(|(l, v)| (l.clone(), vec![Some(*v)])).collect();
    view! {
        <figure class="chart card">
            <figcaption><strong>{title.clone()}</strong></figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=format!("{title}. {summary}") class="chart-svg">
                <g transform=format!("translate({LABELS} 0)")>
                    {shapes.into_iter().map(|points| view! { <polygon class="funnel-step" points=points/> }).collect_view()}
                </g>
                {stages.iter().enumerate().map(|(i, (label, v))| view! {
                    <text class="bar-label" x=px(LABELS - 8.0) y=px(i as f64 * step + step / 2.0 + 3.0) text-anchor="end">{label.clone()}</text>
                    <text class="funnel-value" x=px(WIDTH - LABELS + 8.0) y=px(i as f64 * step + step / 2.0 + 3.0)>{number(Some(*v))}</text>
                }).collect_view()}
            </svg>
            <Numbers headings=vec![String::new(), heading] rows/>
        </figure>
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}

/// An SVG length with one decimal.
fn px(v: f64) -> String {
    format!("{v:.1}")
}
