//! Photos: the gallery (a large photo and a strip of thumbnails; on a phone the large photos
//! swipe) and the manager (add several at once, pick the cover, move, delete).

use crate::common::{ListingId, PhotoId};
use crate::i18n::*;
use crate::listings::Photo;
use crate::ui::{confirm, error_text, Icon};
use leptos::prelude::*;

/// The photos, cover first. `url(photo, size)` says where each loads from (signed-in or shared).
#[component]
pub fn Gallery(
    photos: Vec<Photo>,
    url: impl Fn(PhotoId, &str) -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(0usize);
    let count = photos.len();
    if photos.is_empty() {
        return view! {
            <div class="gallery empty"><Icon name="camera" size=40/><p class="muted">{t!(i18n, listing_page.no_photos)}</p></div>
        }
        .into_any();
    }
    let ids: Vec<PhotoId> = photos.iter().map(|p| p.id).collect();
    let strip = ids.clone();
    let step = move |by: isize| {
        shown.update(|i| *i = (i.cast_signed() + by).rem_euclid(count.cast_signed()).cast_unsigned());
    };
    view! {
        <div class="gallery" role="region" aria-roledescription="carousel" aria-label=move || t_string!(i18n, listing_page.photos)
            tabindex="0" on:keydown=move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
                "ArrowLeft" => step(-1),
                "ArrowRight" => step(1),
                _ => {}
            }>
            <div class="gallery-stage">
                {move || {
                    let i = shown.get().min(count - 1);
                    let id = ids[i];
                    view! {
                        <img src=url(id, "large") alt=move || t_string!(i18n, listing_page.photo_n, n = i + 1, count = count)/>
                    }
                }}
                {(count > 1).then(|| view! {
                    <button type="button" class="gallery-nav prev no-print" aria-label=move || t_string!(i18n, listing_page.previous) on:click=move |_| step(-1)>
                        <Icon name="left" size=28/></button>
                    <button type="button" class="gallery-nav next no-print" aria-label=move || t_string!(i18n, listing_page.next) on:click=move |_| step(1)>
                        <Icon name="right" size=28/></button>
                    <span class="gallery-count">{move || format!("{} / {count}", shown.get() + 1)}</span>
                })}
            </div>
            {(count > 1).then(|| view! {
                <ol class="gallery-strip no-print">
                    {strip.into_iter().enumerate().map(|(i, id)| view! {
                        <li><button type="button" aria-current=move || (shown.get() == i).to_string() on:click=move |_| shown.set(i)
                            aria-label=move || t_string!(i18n, listing_page.photo_n, n = i + 1, count = count)>
                            <img src=url(id, "thumb") alt="" loading="lazy"/>
                        </button></li>
                    }).collect_view()}
                </ol>
            })}
        </div>
    }
    .into_any()
}

/// Adding and arranging photos (for those who may change the listing).
#[component]
pub fn PhotoManager(
    id: ListingId,
    photos: Vec<Photo>,
    changed: Callback<()>,
    /// What went wrong, kept by the page (the manager is rebuilt when the listing reloads).
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let order = RwSignal::new(photos.iter().map(|p| p.id).collect::<Vec<_>>());
    let progress = RwSignal::new(None::<(usize, usize)>);
    let rearrange =
        crate::ui::browser_action(move |ids: &Vec<PhotoId>| crate::listings::api::reorder_photos(id, ids.clone()));
    let cover = crate::ui::browser_action(move |photo: &PhotoId| crate::listings::api::set_cover(id, *photo));
    let remove = crate::ui::browser_action(move |photo: &PhotoId| crate::listings::api::delete_photo(id, *photo));
    Effect::new(move || {
        let results = [
            rearrange.value().get().map(|r| r.map(|_| ())),
            cover.value().get().map(|r| r.map(|_| ())),
            remove.value().get(),
        ];
        for result in results.into_iter().flatten() {
            match result {
                Ok(()) => changed.run(()),
                Err(e) => error.set(Some(error_text(i18n, &e))),
            }
        }
    });
    let upload = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
            let Some(list) = input.files() else { return };
            let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
            input.set_value("");
            let total = files.len();
            error.set(None);
            leptos::task::spawn_local(async move {
                let mut failed = Vec::new();
                for (i, file) in files.into_iter().enumerate() {
                    progress.set(Some((i + 1, total)));
                    let name = file.name();
                    if let Err(e) = crate::listings::api::upload_photo(id, file).await {
                        failed.push(format!("{name}: {}", e.fields.get("photo").cloned().unwrap_or(e.message)));
                    }
                }
                progress.set(None);
                if !failed.is_empty() {
                    error.set(Some(failed.join("\n")));
                }
                changed.run(());
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let shift = move |i: usize, by: isize| {
        let mut ids = order.get();
        let j = i.cast_signed() + by;
        if j < 0 || j >= ids.len().cast_signed() {
            return;
        }
        ids.swap(i, j.cast_unsigned());
        order.set(ids.clone());
        rearrange.dispatch(ids);
    };
    let photos = StoredValue::new(photos);
    view! {
        <section class="card photo-manager no-print">
            <h2>{t!(i18n, listing_page.photos)}</h2>
            <label class="button secondary upload">
                <Icon name="camera" size=20/><span>{t!(i18n, listing_page.add_photos)}</span>
                <input type="file" name="photos" accept="image/jpeg,image/png,image/webp" multiple on:change=upload class="visually-hidden"/>
            </label>
            <p class="muted small">{t!(i18n, listing_page.photo_rules)}</p>
            <p role="status" class="small">{move || progress.get().map(|(n, total)| t_string!(i18n, listing_page.uploading, n = n, count = total).to_string())}</p>
            <p class="form-error pre" role="alert">{move || error.get()}</p>
            <ol class="photo-list">
                {move || order.get().into_iter().enumerate().map(|(i, pid)| {
                    let is_cover = photos.with_value(|ps| ps.iter().any(|p| p.id == pid && p.is_cover));
                    let last = order.with(Vec::len) - 1;
                    view! {
                        <li class="photo-item">
                            <img src=crate::listings::api::photo_url(id, pid, "thumb") alt=move || t_string!(i18n, listing_page.photo_n, n = i + 1, count = last + 1)/>
                            <div class="photo-tools">
                                {if is_cover {
                                    view! { <span class="badge cover"><Icon name="star" size=14/>{t!(i18n, listing_page.cover)}</span> }.into_any()
                                } else {
                                    view! { <button type="button" class="text-link" on:click=move |_| { cover.dispatch(pid); }>{t!(i18n, listing_page.make_cover)}</button> }.into_any()
                                }}
                                <button type="button" class="icon-button" disabled=i == 0 on:click=move |_| shift(i, -1)
                                    aria-label=move || t_string!(i18n, listing_page.move_earlier)><Icon name="left" size=18/></button>
                                <button type="button" class="icon-button" disabled=i == last on:click=move |_| shift(i, 1)
                                    aria-label=move || t_string!(i18n, listing_page.move_later)><Icon name="right" size=18/></button>
                                <button type="button" class="icon-button danger" aria-label=move || t_string!(i18n, listing_page.delete_photo)
                                    on:click=move |_| if confirm(t_string!(i18n, listing_page.delete_photo_confirm)) { remove.dispatch(pid); }>
                                    <Icon name="trash" size=18/></button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
