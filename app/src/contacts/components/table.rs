//! The contact list on a desk: a table whose columns (built-in and the business's own fields)
//! each user chooses, orders, sorts by and resizes; the layout is remembered for them. A phone
//! keeps the cards of [`super::list`].

use super::bulk::BulkBar;
use super::list::lifecycle_label;
use crate::common::{ApiError, ContactId, ErrorCode, Page};
use crate::contacts::bulk::{BulkJob, Selection};
use crate::contacts::{ContactQuery, ContactSummary};
use crate::fields::FieldDef;
use crate::i18n::*;
use crate::locale::{format_count, format_instant, Style};
use crate::views::{ListName, ListView, ViewColumn, CUSTOM_PREFIX, WIDTHS};
use leptos::prelude::*;
use leptos_router::components::A;
use std::collections::HashSet;

/// Where the desk's table takes over from the phone's cards.
pub const WIDE: &str = "(min-width: 1024px)";

/// A column's width before the user drags it.
fn default_width(key: &str) -> u16 {
    match key {
        "name" => 240,
        "email" | "address" | "company" => 200,
        "phone" => 170,
        "tags" => 180,
        _ => 150,
    }
}

/// How far a key press moves a column's edge.
const KEY_STEP: u16 = 16;

/// The words over a built-in column.
pub fn column_label(i18n: leptos_i18n::I18nContext<Locale>, key: &str) -> String {
    match key {
        "name" => t_string!(i18n, contacts.columns.name),
        "lifecycle" => t_string!(i18n, contacts.columns.lifecycle),
        "phone" => t_string!(i18n, contacts.columns.phone),
        "email" => t_string!(i18n, contacts.columns.email),
        "company" => t_string!(i18n, contacts.columns.company),
        "address" => t_string!(i18n, contacts.columns.address),
        "owner" => t_string!(i18n, contacts.columns.owner),
        "territory" => t_string!(i18n, contacts.columns.territory),
        "tags" => t_string!(i18n, contacts.columns.tags),
        "last_activity" => t_string!(i18n, contacts.columns.last_activity),
        "updated" => t_string!(i18n, contacts.columns.updated),
        "created" => t_string!(i18n, contacts.columns.created),
        other => return other.to_string(),
    }
    .to_string()
}

/// A column the table can show: its key, its words, and the custom field behind it.
#[derive(Clone, PartialEq)]
struct Offered {
    key: String,
    label: String,
    def: Option<FieldDef>,
    sort: Option<&'static str>,
}

/// Every column the list offers: the built-in ones, then each custom field.
fn offered(i18n: leptos_i18n::I18nContext<Locale>, defs: &[FieldDef]) -> Vec<Offered> {
    let lang = crate::fields::components::language(i18n);
    let built_in = ListName::Contacts.columns().iter().map(|b| Offered {
        key: b.key.to_string(),
        label: column_label(i18n, b.key),
        def: None,
        sort: b.sort,
    });
    let custom = defs.iter().map(|d| Offered {
        key: format!("{CUSTOM_PREFIX}{}", d.key),
        label: d.label.in_language(lang).to_string(),
        def: Some(d.clone()),
        sort: None,
    });
    built_in.chain(custom).collect()
}

/// Saves the layout; offline it stays on this browser until the next save that reaches the
/// server.
fn save(layout: ListView, error: RwSignal<Option<ApiError>>) {
    leptos::task::spawn_local(async move {
        match crate::views::api::save(ListName::Contacts, layout).await {
            Err(e) if e.code != ErrorCode::Network => error.set(Some(e)),
            _ => error.set(None),
        }
    });
}

/// The width of the column of checkboxes that select rows.
const SELECT_WIDTH: u32 = 44;

#[component]
pub fn ContactTable(
    page: Page<ContactSummary>,
    query: ContactQuery,
    layout: RwSignal<ListView>,
    defs: Vec<FieldDef>,
    sort: RwSignal<Option<String>>,
    /// The bulk run the page shows (started from the bar over the selection).
    run: RwSignal<Option<BulkJob>>,
    run_error: RwSignal<Option<ApiError>>,
    /// A run has finished: the page reads the list again.
    finished: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let total = page.total;
    let items = RwSignal::new(page.items);
    let cursor = RwSignal::new(page.next_cursor);
    let more = {
        let query = query.clone();
        crate::ui::browser_action(move |c: &String| {
            crate::contacts::api::list(ContactQuery { cursor: Some(c.clone()), total: None, ..query.clone() })
        })
    };
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move || match more.value().get() {
        Some(Ok(page)) => {
            items.update(|list| list.extend(page.items));
            cursor.set(page.next_cursor);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let offered = StoredValue::new(offered(i18n, &defs));
    // The layout's columns the list still offers (a deleted field's column drops out); their
    // widths apart, so dragging an edge redraws widths only.
    let columns = Memo::new(move |_| {
        let offered = offered.get_value();
        layout.with(|l| {
            l.columns.iter().filter_map(|c| offered.iter().find(|o| o.key == c.key).cloned()).collect::<Vec<_>>()
        })
    });
    let widths = Memo::new(move |_| {
        columns.with(|cols| cols.iter().map(|o| width_of(&layout.read(), &o.key)).collect::<Vec<u16>>())
    });
    let width = move || SELECT_WIDTH + widths.with(|w| w.iter().map(|w| u32::from(*w)).sum::<u32>());
    // The selection: rows by id, or every contact the filter matches.
    let selected = RwSignal::new(HashSet::<ContactId>::new());
    let everything = RwSignal::new(false);
    let all_shown = move || items.with(|l| !l.is_empty() && selected.with(|s| l.iter().all(|c| s.contains(&c.id))));
    let matching = move || ContactQuery { cursor: None, total: None, limit: None, ..query.clone() };
    let selection = Signal::derive(move || {
        if everything.get() {
            Some(Selection::Matching(Box::new(matching())))
        } else {
            let ids: Vec<ContactId> =
                selected.with(|s| items.with(|l| l.iter().map(|c| c.id).filter(|id| s.contains(id)).collect()));
            (!ids.is_empty()).then_some(Selection::Ids(ids))
        }
    });
    let count =
        Signal::derive(
            move || if everything.get() { total.unwrap_or_default() } else { selected.with(|s| s.len() as i64) },
        );
    let clear = Callback::new(move |()| {
        everything.set(false);
        selected.set(HashSet::new());
    });
    let toggle_all = move |ev: leptos::ev::Event| {
        everything.set(false);
        if event_target_checked(&ev) {
            selected.set(items.with_untracked(|l| l.iter().map(|c| c.id).collect()));
        } else {
            selected.set(HashSet::new());
        }
    };
    let pick = Picker { items, selected, everything, anchor: StoredValue::new(None) };
    let locale = move || i18n.get_locale();
    let shown_count = move || {
        let shown = items.with(Vec::len) as i64;
        match total {
            Some(total) => t_string!(
                i18n,
                contacts.table_count,
                shown = format_count(shown, locale()),
                total = format_count(total, locale())
            )
            .to_string(),
            None => t_string!(i18n, contacts.table_shown, shown = format_count(shown, locale())).to_string(),
        }
    };
    view! {
        <div class="table-toolbar">
            <p class="muted" aria-live="polite" data-testid="table-count">{shown_count}</p>
            <ColumnChooser layout offered=offered.get_value() error/>
        </div>
        <BulkBar selection count run error=run_error finished clear/>
        {move || (all_shown() || everything.get()).then(|| {
            let n = move |v: i64| format_count(v, locale());
            match (everything.get(), total) {
                (true, Some(total)) => view! {
                    <p class="selection-note" role="status">
                        {t_string!(i18n, contacts.bulk.all_matching_selected, total = n(total)).to_string()}" "
                        <button type="button" class="link-button" on:click=move |_| clear.run(())>{t!(i18n, contacts.bulk.clear)}</button>
                    </p>
                }.into_any(),
                (false, Some(total)) if total > items.with(Vec::len) as i64 => view! {
                    <p class="selection-note" role="status">
                        {t_string!(i18n, contacts.bulk.all_shown_selected, shown = n(items.with(Vec::len) as i64)).to_string()}" "
                        <button type="button" class="link-button" on:click=move |_| everything.set(true)>
                            {t_string!(i18n, contacts.bulk.select_all_matching, total = n(total)).to_string()}
                        </button>
                    </p>
                }.into_any(),
                _ => ().into_any(),
            }
        })}
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })}
        <div class="table-scroll">
            <table class="desk-table" style:width=move || format!("{}px", width())>
                <colgroup>
                    <col style:width=format!("{SELECT_WIDTH}px")/>
                    {move || widths.get().into_iter().map(|w| view! { <col style:width=format!("{w}px")/> }).collect_view()}
                </colgroup>
                <thead>
                    <tr>
                        <th scope="col" class="select-cell">
                            <input type="checkbox" aria-label=move || t_string!(i18n, contacts.bulk.select_shown)
                                prop:checked=move || all_shown() || everything.get() on:change=toggle_all/>
                        </th>
                        <For each=move || columns.get() key=|o| o.key.clone() let:column>
                            <HeaderCell column layout sort error/>
                        </For>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || items.get() key=|c| (c.id, c.version) let:contact>
                        <TableRow contact columns pick/>
                    </For>
                </tbody>
            </table>
        </div>
        {move || cursor.get().map(|c| view! {
            <button class="button block" disabled=move || more.pending().get() on:click=move |_| { more.dispatch(c.clone()); }>
                {t!(i18n, common.load_more)}
            </button>
        })}
    }
}

/// A column's header: its words (a button that sorts, where the list can sort by it) and an
/// edge to drag, or move with the arrow keys, to make the column wider or narrower.
/// A column's width in `layout`: the user's, or the table's own.
fn width_of(layout: &ListView, key: &str) -> u16 {
    layout.columns.iter().find(|c| c.key == key).and_then(|c| c.width).unwrap_or_else(|| default_width(key))
}

#[component]
fn HeaderCell(
    column: Offered,
    layout: RwSignal<ListView>,
    sort: RwSignal<Option<String>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = column.key.clone();
    let label = column.label.clone();
    let direction = move || {
        let by = column.sort?;
        let current = sort.get().unwrap_or_else(|| "name".into());
        if current == by {
            Some("ascending")
        } else if current.strip_prefix('-') == Some(by) {
            Some("descending")
        } else {
            None
        }
    };
    let flip = move |_| {
        let Some(by) = column.sort else { return };
        // Names read A to Z first; dates newest first.
        let next = match direction() {
            Some("ascending") => format!("-{by}"),
            Some(_) => by.to_string(),
            None if by == "name" => by.to_string(),
            None => format!("-{by}"),
        };
        sort.set(Some(next.clone()));
        let mut saved = layout.get_untracked();
        saved.sort = Some(next);
        layout.set(saved.clone());
        save(saved, error);
    };
    let set_width = {
        let key = key.clone();
        move |w: u16, keep: bool| {
            let w = w.clamp(*WIDTHS.start(), *WIDTHS.end());
            layout.update(|l| {
                if let Some(c) = l.columns.iter_mut().find(|c| c.key == key) {
                    c.width = Some(w);
                }
            });
            if keep {
                save(layout.get_untracked(), error);
            }
        }
    };
    let width = {
        let key = key.clone();
        Memo::new(move |_| width_of(&layout.read(), &key))
    };
    let drag = StoredValue::new(None::<(i32, u16)>);
    let (set_move, set_up, set_key) = (set_width.clone(), set_width.clone(), set_width);
    let resize_label = {
        let label = label.clone();
        move || t_string!(i18n, contacts.resize_column, column = label.clone()).to_string()
    };
    view! {
        <th scope="col" aria-sort=move || direction().unwrap_or("none") data-column=key.clone()>
            {match column.sort {
                Some(_) => view! {
                    <button type="button" class="th-sort" on:click=flip>
                        {label.clone()}
                        <span class="sort-mark" aria-hidden="true">{move || match direction() {
                            Some("ascending") => "▲",
                            Some(_) => "▼",
                            None => "",
                        }}</span>
                    </button>
                }.into_any(),
                None => view! { <span class="th-label">{label.clone()}</span> }.into_any(),
            }}
            <span class="col-resize" role="separator" aria-orientation="vertical" tabindex="0"
                aria-label=resize_label aria-valuenow=width aria-valuemin=*WIDTHS.start() aria-valuemax=*WIDTHS.end()
                on:pointerdown=move |ev| {
                    ev.prevent_default();
                    capture(&ev);
                    drag.set_value(Some((ev.client_x(), width.get_untracked())));
                }
                on:pointermove=move |ev| {
                    if let Some((x, start)) = drag.get_value() {
                        let moved = i32::from(start) + ev.client_x() - x;
                        set_move(u16::try_from(moved.max(0)).unwrap_or(u16::MAX), false);
                    }
                }
                on:pointerup=move |_| {
                    if drag.get_value().is_some() {
                        drag.set_value(None);
                        set_up(width.get_untracked(), true);
                    }
                }
                on:keydown=move |ev| {
                    let step = match ev.key().as_str() {
                        "ArrowLeft" => -i32::from(KEY_STEP),
                        "ArrowRight" => i32::from(KEY_STEP),
                        _ => return,
                    };
                    ev.prevent_default();
                    set_key(u16::try_from((i32::from(width.get_untracked()) + step).max(0)).unwrap_or(u16::MAX), true);
                }
            ></span>
        </th>
    }
}

/// Keeps a column's drag going when the pointer leaves its edge.
fn capture(ev: &leptos::ev::PointerEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(element) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = element.set_pointer_capture(ev.pointer_id());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

/// What a row's checkbox works with: the rows shown, the selection, and the row a Shift-click
/// selects from.
#[derive(Clone, Copy)]
struct Picker {
    items: RwSignal<Vec<ContactSummary>>,
    selected: RwSignal<HashSet<ContactId>>,
    everything: RwSignal<bool>,
    anchor: StoredValue<Option<usize>>,
}

impl Picker {
    /// A row's box was clicked: it (or, with Shift, every row from the last one clicked) is
    /// selected or not as the box now says.
    fn click(self, id: ContactId, on: bool, shift: bool) {
        let here = self.items.with_untracked(|l| l.iter().position(|c| c.id == id));
        if self.everything.get_untracked() {
            // Leaving "all matching" for the rows shown, less this one.
            self.everything.set(false);
            self.selected.set(self.items.with_untracked(|l| l.iter().map(|c| c.id).filter(|x| *x != id).collect()));
            self.anchor.set_value(here);
            return;
        }
        let ids: Vec<ContactId> = match (shift, self.anchor.get_value(), here) {
            (true, Some(from), Some(to)) => self
                .items
                .with_untracked(|l| l[from.min(to)..=from.max(to).min(l.len() - 1)].iter().map(|c| c.id).collect()),
            _ => vec![id],
        };
        self.selected.update(|s| {
            for id in ids {
                if on {
                    s.insert(id);
                } else {
                    s.remove(&id);
                }
            }
        });
        self.anchor.set_value(here);
    }
}

#[component]
fn TableRow(contact: ContactSummary, columns: Memo<Vec<Offered>>, pick: Picker) -> impl IntoView {
    let i18n = use_i18n();
    let zone = crate::session::current_user().get_untracked().time_zone.as_str().to_string();
    let id = contact.id;
    let name = contact.name.clone();
    let checked = move || pick.everything.get() || pick.selected.with(|s| s.contains(&id));
    view! {
        <tr class:selected=checked>
            <td class="select-cell">
                <input type="checkbox" prop:checked=checked
                    aria-label=move || t_string!(i18n, contacts.bulk.select_one, name = name.clone()).to_string()
                    on:click=move |ev| pick.click(id, event_target_checked(&ev), ev.shift_key())/>
            </td>
            {move || columns.get().into_iter().map(|o| {
                let cell = cell(i18n, &contact, &o, &zone);
                view! { <td data-column=o.key.clone()>{cell}</td> }
            }).collect_view()}
        </tr>
    }
}

/// What a contact shows in one column.
fn cell(i18n: leptos_i18n::I18nContext<Locale>, c: &ContactSummary, column: &Offered, zone: &str) -> AnyView {
    let date = |at: Option<chrono::DateTime<chrono::Utc>>| match at {
        Some(at) => {
            let zone = zone.to_string();
            view! { <time datetime=at.to_rfc3339()>{move || format_instant(at, &zone, i18n.get_locale(), Style::Date)}</time> }
                .into_any()
        }
        None => view! { <span class="muted">"—"</span> }.into_any(),
    };
    let text = |v: Option<String>| v.unwrap_or_default().into_any();
    if let Some(def) = &column.def {
        let lang = crate::fields::components::language(i18n);
        return text(c.custom.get(&def.key).map(|v| crate::fields::display(def, v, lang)));
    }
    match column.key.as_str() {
        "name" => {
            let name = c.name.clone();
            let lang = if name.is_ascii() { "en" } else { "bn" };
            view! {
                <A href=format!("/contacts/{}", c.id) attr:class="cell-link" attr:lang=lang>{name}</A>
            }
            .into_any()
        }
        "lifecycle" => {
            let l = c.lifecycle;
            view! { <span class=format!("badge lifecycle-{}", l.as_str())>{move || lifecycle_label(i18n, l)}</span> }
                .into_any()
        }
        "phone" => match c.phone.clone() {
            Some(p) => view! { <a href=format!("tel:{p}")>{p.clone()}</a> }.into_any(),
            None => ().into_any(),
        },
        "email" => match c.email.clone() {
            Some(e) => view! { <a href=format!("mailto:{e}")>{e.clone()}</a> }.into_any(),
            None => ().into_any(),
        },
        "company" => text(c.company_name.clone()),
        "address" => text(c.address.clone()),
        "owner" => text(c.owner_name.clone()),
        "territory" => text(c.territory_name.clone()),
        "tags" => c.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view().into_any(),
        "last_activity" => date(c.last_activity_at),
        "updated" => date(Some(c.updated_at)),
        "created" => date(Some(c.created_at)),
        _ => ().into_any(),
    }
}

/// *Columns*: which columns show and in what order (the name always shows, first by default),
/// and a way back to the list's own layout. Rows are keyed by column, so a row that moves
/// (ticked, or sent up or down) stays the same element.
#[component]
fn ColumnChooser(
    layout: RwSignal<ListView>,
    offered: Vec<Offered>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let offered = StoredValue::new(offered);
    let change = move |f: &dyn Fn(&mut Vec<ViewColumn>)| {
        let mut next = layout.get_untracked();
        f(&mut next.columns);
        layout.set(next.clone());
        save(next, error);
    };
    // The shown columns' keys, in order.
    let shown = Memo::new(move |_| {
        let offered = offered.get_value();
        layout.with(|l| {
            l.columns
                .iter()
                .filter(|c| offered.iter().any(|o| o.key == c.key))
                .map(|c| c.key.clone())
                .collect::<Vec<_>>()
        })
    });
    // Shown columns in their order, then the others in the list's order.
    let rows = move || {
        let offered = offered.get_value();
        shown.with(|keys| {
            let mut rows: Vec<Offered> =
                keys.iter().filter_map(|k| offered.iter().find(|o| &o.key == k).cloned()).collect();
            rows.extend(offered.iter().filter(|o| !keys.contains(&o.key)).cloned());
            rows
        })
    };
    // Escape closes it wherever the focus is (a row that moved may have taken the focus along).
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
        }
    });
    on_cleanup(move || escape.remove());
    view! {
        <div class="column-chooser">
            <button type="button" class="button secondary" aria-expanded=move || open.get().to_string()
                aria-controls="column-chooser-panel" on:click=move |_| open.update(|o| *o = !*o)>
                {t!(i18n, contacts.columns_button)}
            </button>
            <Show when=move || open.get()>
                <div class="column-panel" id="column-chooser-panel" role="group" aria-label=move || t_string!(i18n, contacts.columns_button)>
                    <ul>
                        <For each=rows key=|o| o.key.clone() let:o>
                            {
                                let key = o.key.clone();
                                let place = {
                                    let key = key.clone();
                                    Memo::new(move |_| shown.with(|k| k.iter().position(|x| *x == key).map(|i| (i, k.len()))))
                                };
                                let (k1, k2, k3) = (key.clone(), key.clone(), key.clone());
                                let is_name = key == "name";
                                let (up_label, down_label) = (o.label.clone(), o.label.clone());
                                view! {
                                    <li data-column=key.clone()>
                                        <label class="checkbox">
                                            <input type="checkbox" prop:checked=move || place.get().is_some() disabled=is_name
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    let key = k1.clone();
                                                    change(&move |cols| {
                                                        cols.retain(|c| c.key != key);
                                                        if on {
                                                            cols.push(ViewColumn { key: key.clone(), width: None });
                                                        }
                                                    });
                                                }/>
                                            {o.label.clone()}
                                        </label>
                                        <span class="column-move" class:hidden=move || place.get().is_none()>
                                            <button type="button" class="icon-button small"
                                                disabled=move || place.get().is_none_or(|(i, _)| i == 0)
                                                aria-label=move || t_string!(i18n, contacts.column_left, column = up_label.clone()).to_string()
                                                data-move="up"
                                                on:click=move |_| { let key = k2.clone(); change(&move |cols| shift(cols, &key, -1)); refocus(&k2, "up"); }>"↑"</button>
                                            <button type="button" class="icon-button small"
                                                disabled=move || place.get().is_none_or(|(i, n)| i + 1 == n)
                                                aria-label=move || t_string!(i18n, contacts.column_right, column = down_label.clone()).to_string()
                                                data-move="down"
                                                on:click=move |_| { let key = k3.clone(); change(&move |cols| shift(cols, &key, 1)); refocus(&k3, "down"); }>"↓"</button>
                                        </span>
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                    <button type="button" class="button secondary" on:click=move |_| {
                        let default = ListName::Contacts.default_view();
                        change(&move |cols| cols.clone_from(&default.columns));
                    }>{t!(i18n, contacts.columns_reset)}</button>
                </div>
            </Show>
        </div>
    }
}

/// Gives the focus back to a row's move button once the row has moved (moving an element
/// takes the focus off it), so the keyboard keeps its place.
fn refocus(key: &str, which: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let selector = format!("#column-chooser-panel li[data-column=\"{key}\"] button[data-move=\"{which}\"]");
        request_animation_frame(move || {
            let found = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector(&selector).ok().flatten())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(button) = found {
                let _ = button.focus();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (key, which);
}

/// Moves the column `key` one place left (`-1`) or right (`1`).
fn shift(columns: &mut [ViewColumn], key: &str, by: isize) {
    let Some(at) = columns.iter().position(|c| c.key == key) else { return };
    let to = at.saturating_add_signed(by);
    if to < columns.len() {
        columns.swap(at, to);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_moves_one_place_and_stops_at_the_ends() {
        let mut cols: Vec<ViewColumn> =
            ["name", "phone", "owner"].iter().map(|k| ViewColumn { key: (*k).into(), width: None }).collect();
        shift(&mut cols, "owner", -1);
        shift(&mut cols, "name", -1);
        shift(&mut cols, "name", 1);
        let keys: Vec<&str> = cols.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["owner", "name", "phone"]);
    }
}
