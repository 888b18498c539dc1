//! Import contacts from a CSV file: choose the file, check the column mapping against a
//! preview of its first rows, choose what to do with duplicates, then watch the progress and
//! download the report of rows that were left out.

use crate::contacts::import::{Column, DuplicatePolicy, ImportField, ImportPreview, ImportState, ImportStatus};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;

fn field_label(i18n: leptos_i18n::I18nContext<Locale>, f: ImportField) -> &'static str {
    match f {
        ImportField::Name => t_string!(i18n, import.f_name),
        ImportField::FirstName => t_string!(i18n, import.f_first_name),
        ImportField::LastName => t_string!(i18n, import.f_last_name),
        ImportField::Company => t_string!(i18n, import.f_company),
        ImportField::Email => t_string!(i18n, import.f_email),
        ImportField::Phone => t_string!(i18n, import.f_phone),
        ImportField::Address => t_string!(i18n, import.f_address),
        ImportField::City => t_string!(i18n, import.f_city),
        ImportField::Postcode => t_string!(i18n, import.f_postcode),
        ImportField::Country => t_string!(i18n, import.f_country),
        ImportField::Tags => t_string!(i18n, import.f_tags),
        ImportField::Lat => t_string!(i18n, import.f_lat),
        ImportField::Lon => t_string!(i18n, import.f_lon),
        ImportField::Lifecycle => t_string!(i18n, import.f_lifecycle),
        ImportField::Source => t_string!(i18n, import.f_source),
        ImportField::Notes => t_string!(i18n, import.f_notes),
        ImportField::Ignore => t_string!(i18n, import.f_ignore),
    }
}

fn policy_label(i18n: leptos_i18n::I18nContext<Locale>, p: DuplicatePolicy) -> &'static str {
    match p {
        DuplicatePolicy::Skip => t_string!(i18n, import.skip_duplicates),
        DuplicatePolicy::Merge => t_string!(i18n, import.merge_duplicates),
        DuplicatePolicy::Create => t_string!(i18n, import.create_duplicates),
    }
}

fn policy_hint(i18n: leptos_i18n::I18nContext<Locale>, p: DuplicatePolicy) -> &'static str {
    match p {
        DuplicatePolicy::Skip => t_string!(i18n, import.skip_hint),
        DuplicatePolicy::Merge => t_string!(i18n, import.merge_hint),
        DuplicatePolicy::Create => t_string!(i18n, import.create_hint),
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let preview = RwSignal::new(None::<ImportPreview>);
    let mapping = RwSignal::new(Vec::<Column>::new());
    // The business's own contact fields, offered after the built-in ones.
    let own = LocalResource::new(|| crate::fields::api::list(crate::fields::RecordType::Contact));
    let lang = crate::fields::components::language(i18n);
    let policy = RwSignal::new(DuplicatePolicy::Skip);
    let status = RwSignal::new(None::<ImportStatus>);
    let error = RwSignal::new(None::<String>);
    #[cfg(feature = "hydrate")]
    let file = StoredValue::new_local(None::<web_sys::File>);

    // The file input is drawn by the server: a file chosen before the app has started sends its
    // `change` to no one, so the app also reads the input once it has taken over the page.
    let input = NodeRef::<leptos::html::Input>::new();
    let read_choice = move || {
        error.set(None);
        status.set(None);
        #[cfg(feature = "hydrate")]
        {
            let chosen = input.get_untracked().and_then(|input| input.files()).and_then(|files| files.get(0));
            file.set_value(chosen.clone());
            if let Some(chosen) = chosen {
                leptos::task::spawn_local(async move {
                    match crate::contacts::api::import_preview(&chosen).await {
                        Ok(p) => {
                            mapping.set(p.mapping.clone());
                            preview.set(Some(p));
                        }
                        Err(e) => error.set(Some(e.message)),
                    }
                });
            }
        }
    };
    #[cfg(feature = "hydrate")]
    Effect::new(move || {
        let chosen_early = input.get().and_then(|el| el.files()).is_some_and(|files| files.length() > 0);
        if chosen_early {
            read_choice();
        }
    });

    let start = move |_| {
        error.set(None);
        #[cfg(feature = "hydrate")]
        if let Some(chosen) = file.get_value() {
            let fields = mapping.get_untracked();
            let chosen_policy = policy.get_untracked();
            leptos::task::spawn_local(async move {
                match crate::contacts::api::import_start(&chosen, &fields, chosen_policy).await {
                    Ok(s) => {
                        let id = s.id.clone();
                        status.set(Some(s));
                        poll(id, status, error).await;
                    }
                    Err(e) => error.set(Some(e.message)),
                }
            });
        }
    };

    view! {
        <section class="page">
            <header class="page-header">
                <p class="eyebrow"><A href="/contacts">{t!(i18n, contacts.title)}</A></p>
                <h1>{t!(i18n, import.title)}</h1>
                <p class="summary">{t!(i18n, import.intro)}</p>
            </header>
            <div class="card">
                <label class="field"><span>{t!(i18n, import.choose_file)}</span>
                    <input type="file" name="file" accept=".csv,text/csv" node_ref=input on:change=move |_| read_choice()/>
                </label>
            </div>
            <p class="form-error" role="alert">{move || error.get()}</p>
            {move || preview.get().map(|p| view! {
                <div class="card">
                    <h2>{t!(i18n, import.mapping)}</h2>
                    <p class="muted small">{t!(i18n, import.mapping_hint)}</p>
                    <div class="table-wrap">
                        <table class="data-table import-preview">
                            <thead>
                                <tr>{p.headers.iter().enumerate().map(|(i, h)| view! {
                                    <th>
                                        <label class="field">
                                            <span>{h.clone()}</span>
                                            <select aria-label=h.clone() on:change=move |ev| {
                                                if let Some(c) = Column::parse(&event_target_value(&ev)) {
                                                    mapping.update(|m| if let Some(slot) = m.get_mut(i) { *slot = c; });
                                                }
                                            }>
                                                {ImportField::ALL.into_iter().map(|f| view! {
                                                    <option value=f.as_str() selected=move || mapping.with(|m| m.get(i) == Some(&Column::Field(f)))>
                                                        {move || field_label(i18n, f)}
                                                    </option>
                                                }).collect_view()}
                                                {move || own.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|d| {
                                                    let column = Column::Custom(d.key.clone());
                                                    let param = column.as_param();
                                                    view! {
                                                        <option value=param selected=move || mapping.with(|m| m.get(i) == Some(&column))>
                                                            {d.label.in_language(lang).to_string()}
                                                        </option>
                                                    }
                                                }).collect_view()}
                                            </select>
                                        </label>
                                    </th>
                                }).collect_view()}</tr>
                            </thead>
                            <tbody>
                                {p.rows.iter().map(|row| view! {
                                    <tr>{row.iter().map(|cell| view! { <td>{cell.clone()}</td> }).collect_view()}</tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <fieldset class="field">
                        <legend>{t!(i18n, import.duplicates)}</legend>
                        <div class="choices">
                            {DuplicatePolicy::ALL.into_iter().map(|p| view! {
                                <label class="choice">
                                    <input type="radio" name="duplicates" value=p.as_str() checked=move || policy.get() == p on:change=move |_| policy.set(p)/>
                                    <span>
                                        <strong>{move || policy_label(i18n, p)}</strong>
                                        <span class="muted small">{move || policy_hint(i18n, p)}</span>
                                    </span>
                                </label>
                            }).collect_view()}
                        </div>
                    </fieldset>
                    <div class="form-actions">
                        <button class="button primary" on:click=start
                            disabled=move || status.with(|s| s.as_ref().is_some_and(|s| s.state == ImportState::Running))>
                            {t!(i18n, import.start)}
                        </button>
                    </div>
                </div>
            })}
            {move || status.get().map(|s| view! { <Progress status=s/> })}
        </section>
    }
}

/// Asks for the status twice a second until the import ends.
#[cfg(feature = "hydrate")]
async fn poll(id: String, status: RwSignal<Option<ImportStatus>>, error: RwSignal<Option<String>>) {
    loop {
        gloo_timers_sleep(500).await;
        match crate::contacts::api::import_status(&id).await {
            Ok(s) => {
                let running = s.state == ImportState::Running;
                status.set(Some(s));
                if !running {
                    return;
                }
            }
            Err(e) => {
                error.set(Some(e.message));
                return;
            }
        }
    }
}

#[cfg(feature = "hydrate")]
async fn gloo_timers_sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[component]
fn Progress(status: ImportStatus) -> impl IntoView {
    let i18n = use_i18n();
    let percent = (status.bytes_done * 100).checked_div(status.bytes_total).unwrap_or(100);
    let report = crate::contacts::api::rejected_rows_url(&status.id);
    let left_out = status.rejected + status.duplicates;
    view! {
        <div class="card import-status" role="status" aria-live="polite">
            {match status.state {
                ImportState::Running => view! {
                    <h2>{t!(i18n, import.running)}</h2>
                    <progress max="100" value=percent.to_string()>{format!("{percent}%")}</progress>
                    <p>{t!(i18n, import.rows_so_far, rows = status.rows)}</p>
                }.into_any(),
                ImportState::Done => view! {
                    <h2>{t!(i18n, import.done)}</h2>
                    <ul class="facts import-counts">
                        <li><strong>{status.imported}</strong>" "{t!(i18n, import.imported)}</li>
                        <li><strong>{status.duplicates}</strong>" "{t!(i18n, import.duplicates_found)}</li>
                        {(status.merged > 0).then(|| view! {
                            <li><strong>{status.merged}</strong>" "{t!(i18n, import.merged)}</li>
                        })}
                        <li><strong>{status.rejected}</strong>" "{t!(i18n, import.rejected)}</li>
                    </ul>
                    {(left_out > 0).then(|| view! {
                        <a class="button secondary" href=report.clone() download="">{t!(i18n, import.download_report)}</a>
                    })}
                    <A href="/contacts" attr:class="button primary">{t!(i18n, import.see_contacts)}</A>
                }.into_any(),
                ImportState::Failed => view! {
                    <h2>{t!(i18n, import.failed)}</h2>
                    <p>{status.error.clone()}</p>
                }.into_any(),
            }}
        </div>
    }
}
