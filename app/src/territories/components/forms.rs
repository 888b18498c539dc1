//! The forms beside the map: drawing a new territory, reshaping one, importing `GeoJSON`.
//! Geometry is checked by the server; a refusal says where the outline goes wrong.

use super::page::MapState;
use crate::common::{ApiError, ErrorCode, TerritoryId};
use crate::i18n::*;
use crate::territories::map::{polygon, with_rings};
use crate::territories::{TerritoryForCreate, TerritoryForUpdate, TerritoryImport, TerritoryImportResult};
use leptos::prelude::*;

/// A refusal as one line: the field errors (the outline's says where it goes wrong), else the message.
fn refusal(i18n: leptos_i18n::I18nContext<Locale>, e: &ApiError) -> String {
    if e.code == ErrorCode::Network {
        return t_string!(i18n, common.network).to_string();
    }
    if e.fields.is_empty() {
        return e.message.clone();
    }
    e.fields
        .iter()
        .map(|(field, error)| {
            let label = match field.as_str() {
                "name" => t_string!(i18n, common.name),
                "geometry" => t_string!(i18n, territories.outline),
                other => other,
            };
            format!("{label}: {error}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
pub(super) fn DrawForm(state: MapState) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let corners = move || state.drawing.with(|d| d.as_ref().map_or(0, Vec::len));
    let save =
        crate::ui::browser_action(move |body: &TerritoryForCreate| crate::territories::api::create(body.clone()));
    Effect::new(move || match save.value().get() {
        Some(Ok(created)) => {
            state.drawing.set(None);
            state.selected.set(Some(created.id));
            state.reload();
        }
        Some(Err(e)) => error.set(Some(refusal(i18n, &e))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        if name.with_untracked(|n| n.trim().is_empty()) {
            error.set(Some(format!("{}: {}", t_string!(i18n, common.name), t_string!(i18n, field_errors.required))));
            return;
        }
        let Some(vertices) = state.drawing.get_untracked().filter(|v| v.len() >= 3) else {
            error.set(Some(t_string!(i18n, territories.need_corners).to_string()));
            return;
        };
        save.dispatch(TerritoryForCreate {
            name: name.get_untracked(),
            geometry: polygon(&vertices),
            ..Default::default()
        });
    };
    view! {
        <form class="map-form" on:submit=submit>
            <h2>{t!(i18n, territories.draw_title)}</h2>
            <p class="small">{t!(i18n, territories.draw_help)}</p>
            <p class="small muted" role="status">{move || t_string!(i18n, territories.corners, count = corners())}</p>
            <label class="field">
                <span>{t!(i18n, common.name)}</span>
                <input type="text" name="name" required maxlength="100" autocomplete="off"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            </label>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <div class="panel-actions">
                <button class="button primary" type="submit" disabled=move || corners() < 3 || save.pending().get()>
                    {t!(i18n, territories.save_territory)}
                </button>
                <button class="button secondary" type="button" disabled=move || corners() == 0
                    on:click=move |_| state.drawing.update(|d| { if let Some(d) = d { d.pop(); } })>
                    {t!(i18n, territories.undo_corner)}
                </button>
                <button class="button link" type="button" on:click=move |_| state.drawing.set(None)>{t!(i18n, common.cancel)}</button>
            </div>
        </form>
    }
}

#[component]
pub(super) fn OutlineEditor(state: MapState, id: TerritoryId) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<String>);
    let save =
        crate::ui::browser_action(move |body: &TerritoryForUpdate| crate::territories::api::update(id, body.clone()));
    Effect::new(move || match save.value().get() {
        Some(Ok(_)) => {
            state.editing.set(None);
            state.reload();
        }
        Some(Err(e)) => error.set(Some(refusal(i18n, &e))),
        None => {}
    });
    let submit = move |_| {
        error.set(None);
        let (Some(territory), Some(rings)) = (state.territory(id), state.editing.get_untracked()) else { return };
        save.dispatch(TerritoryForUpdate {
            geometry: Some(with_rings(&territory.geometry, &rings)),
            base_version: Some(territory.version),
            ..Default::default()
        });
    };
    view! {
        <div class="map-form">
            <p class="small">{t!(i18n, territories.edit_help)}</p>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <div class="panel-actions">
                <button class="button primary" disabled=move || save.pending().get() on:click=submit>{t!(i18n, territories.save_outline)}</button>
                <button class="button link" on:click=move |_| state.editing.set(None)>{t!(i18n, common.cancel)}</button>
            </div>
        </div>
    }
}

#[component]
pub(super) fn ImportForm(state: MapState) -> impl IntoView {
    let i18n = use_i18n();
    let name_property = RwSignal::new(String::from("name"));
    let collection = RwSignal::new(None::<serde_json::Value>);
    let error = RwSignal::new(None::<String>);
    let result = RwSignal::new(None::<TerritoryImportResult>);
    let on_file = move |ev: leptos::ev::Event| {
        error.set(None);
        result.set(None);
        collection.set(None);
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let file = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                leptos::task::spawn_local(async move {
                    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string());
                    match text.and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok()) {
                        Some(value) if value["type"] == "FeatureCollection" => collection.set(Some(value)),
                        _ => error.set(Some(t_string!(i18n, territories.not_geojson).to_string())),
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let run = crate::ui::browser_action(move |body: &TerritoryImport| crate::territories::api::import(body.clone()));
    Effect::new(move || match run.value().get() {
        Some(Ok(r)) => {
            result.set(Some(r));
            state.reload();
        }
        Some(Err(e)) => error.set(Some(refusal(i18n, &e))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let Some(collection) = collection.get_untracked() else {
            error.set(Some(t_string!(i18n, territories.choose_file).to_string()));
            return;
        };
        run.dispatch(TerritoryImport { name_property: name_property.get_untracked(), collection, parent_id: None });
    };
    let features =
        move || collection.with(|c| c.as_ref().and_then(|c| c["features"].as_array().map(Vec::len)).unwrap_or(0));
    view! {
        <form class="map-form" on:submit=submit>
            <h2>{t!(i18n, territories.import_title)}</h2>
            <p class="small">{t!(i18n, territories.import_help)}</p>
            <label class="field">
                <span>{t!(i18n, territories.geojson_file)}</span>
                <input type="file" accept=".geojson,.json,application/geo+json,application/json" on:change=on_file/>
            </label>
            {move || (features() > 0).then(|| view! { <p class="small muted">{t_string!(i18n, territories.features, count = features())}</p> })}
            <label class="field">
                <span>{t!(i18n, territories.name_property)}</span>
                <input type="text" prop:value=move || name_property.get() on:input=move |ev| name_property.set(event_target_value(&ev))/>
            </label>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <div class="panel-actions">
                <button class="button primary" type="submit" disabled=move || run.pending().get()>
                    {move || if run.pending().get() { t_string!(i18n, territories.importing) } else { t_string!(i18n, territories.import) }}
                </button>
                <button class="button link" type="button" on:click=move |_| state.importing.set(false)>{t!(i18n, common.close)}</button>
            </div>
            {move || result.get().map(|r| view! {
                <div class="import-result" role="status">
                    <p><strong>{t_string!(i18n, territories.import_done, created = r.created.len(), rejected = r.rejected.len())}</strong></p>
                    <ul class="small">
                        {r.rejected.into_iter().map(|f| view! {
                            <li>{format!("#{} {}: {}", f.index + 1, f.name.unwrap_or_default(), f.reason)}</li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
        </form>
    }
}
