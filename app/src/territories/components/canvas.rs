//! The map itself, drawn as SVG from our own data: an optional tile layer, territory outlines,
//! clustered contacts and listings, and the outline being drawn or edited. Drag to pan, the
//! wheel or the buttons to zoom, arrow keys and +/− from the keyboard.
//!
//! Layers are drawn relative to a fixed origin at the current scale, inside one group whose
//! translation follows a pan: panning moves one attribute; only a zoom redraws the shapes.

use super::page::MapState;
use crate::i18n::*;
use crate::territories::map::{clusters, path, rings, View};
use crate::territories::{MapPoint, Territory};
use leptos::prelude::*;

/// Points closer than this many pixels are drawn as one cluster.
const CLUSTER_CELL: f64 = 28.0;
/// Pixels the arrow keys move the map by.
const KEY_STEP: f64 = 80.0;

#[derive(Debug, Clone, Copy)]
enum Drag {
    /// Panning: the pointer's last position and how far it has travelled.
    Pan { last: (f64, f64), travelled: f64 },
    /// Moving a corner of the outline being edited.
    Corner { ring: usize, index: usize },
}

#[component]
pub(super) fn MapCanvas(state: MapState) -> impl IntoView {
    let i18n = use_i18n();
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let drag = StoredValue::new(None::<Drag>);
    // A pan ends with a click event; that click must not place a corner or select a territory.
    let after_pan = StoredValue::new(false);

    let measure = move || {
        if let Some((width, height)) = size(svg_ref) {
            state.view.update(|v| {
                v.width = width;
                v.height = height;
            });
        }
    };
    Effect::new(move || {
        if svg_ref.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    let zoom_at = move |factor: f64, at: Option<(f64, f64)>| {
        state.view.update(|v| {
            let (x, y) = at.unwrap_or((v.width / 2.0, v.height / 2.0));
            *v = v.zoomed(factor, x, y);
        });
        state.view_moved();
    };

    let on_pointer_down = move |ev: leptos::ev::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let Some(p) = local(svg_ref, &ev) else { return };
        after_pan.set_value(false);
        if matches!(drag.get_value(), Some(Drag::Corner { .. })) {
            capture(svg_ref, ev.pointer_id());
        } else {
            drag.set_value(Some(Drag::Pan { last: p, travelled: 0.0 }));
        }
    };
    let on_pointer_move = move |ev: leptos::ev::PointerEvent| {
        let Some(p) = local(svg_ref, &ev) else { return };
        match drag.get_value() {
            Some(Drag::Pan { last, travelled }) => {
                let (dx, dy) = (p.0 - last.0, p.1 - last.1);
                let now = travelled + dx.abs() + dy.abs();
                // Only a real drag holds the pointer: a capture would take clicks from the marks.
                if travelled <= 4.0 && now > 4.0 {
                    capture(svg_ref, ev.pointer_id());
                }
                drag.set_value(Some(Drag::Pan { last: p, travelled: now }));
                state.view.update(|v| *v = v.panned(dx, dy));
            }
            Some(Drag::Corner { ring, index }) => {
                let at = state.view.get_untracked().unproject(p.0, p.1);
                state.editing.update(|rings| {
                    if let Some(corner) = rings.as_mut().and_then(|r| r.get_mut(ring)).and_then(|r| r.get_mut(index)) {
                        *corner = at;
                    }
                });
            }
            None => {}
        }
    };
    let on_pointer_up = move |_: leptos::ev::PointerEvent| {
        if let Some(Drag::Pan { travelled, .. }) = drag.get_value() {
            after_pan.set_value(travelled > 4.0);
            if travelled > 4.0 {
                state.view_moved();
            }
        }
        drag.set_value(None);
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if after_pan.get_value() {
            after_pan.set_value(false);
            return;
        }
        let Some(p) = local(svg_ref, &ev) else { return };
        if state.drawing.get_untracked().is_some() {
            let corner = state.view.get_untracked().unproject(p.0, p.1);
            state.drawing.update(|d| d.get_or_insert_with(Vec::new).push(corner));
        }
    };
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        ev.prevent_default();
        let factor = if ev.delta_y() < 0.0 { 1.25 } else { 0.8 };
        zoom_at(factor, local(svg_ref, &ev));
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let step = match ev.key().as_str() {
            "ArrowLeft" => Some((KEY_STEP, 0.0)),
            "ArrowRight" => Some((-KEY_STEP, 0.0)),
            "ArrowUp" => Some((0.0, KEY_STEP)),
            "ArrowDown" => Some((0.0, -KEY_STEP)),
            "+" | "=" => {
                zoom_at(1.5, None);
                None
            }
            "-" => {
                zoom_at(1.0 / 1.5, None);
                None
            }
            "Escape" => {
                state.drawing.set(None);
                state.editing.set(None);
                None
            }
            _ => return,
        };
        ev.prevent_default();
        if let Some((dx, dy)) = step {
            state.view.update(|v| *v = v.panned(dx, dy));
            state.view_moved();
        }
    };

    let layer = Memo::new(move |_| state.view.with(|v| v.layer(state.layer_origin())));
    let outlines = shapes(state, layer);
    let transform = move || {
        let (x, y) = state.view.with(|v| v.offset(state.layer_origin()));
        format!("translate({x:.1},{y:.1})")
    };
    let class = move || {
        let mut c = String::from("territory-map");
        if state.drawing.get().is_some() {
            c.push_str(" is-drawing");
        }
        c
    };

    view! {
        <div class="map-frame">
            <svg node_ref=svg_ref class=class tabindex="0" role="application"
                aria-label=move || t_string!(i18n, territories.map_label)
                aria-describedby="map-help"
                viewBox=move || state.view.with(|v| format!("0 0 {:.0} {:.0}", v.width, v.height))
                on:pointerdown=on_pointer_down on:pointermove=on_pointer_move on:pointerup=on_pointer_up
                on:pointercancel=move |_| drag.set_value(None)
                on:click=on_click on:wheel=on_wheel on:keydown=on_key>
                <rect class="map-background" x="0" y="0" width="100%" height="100%"/>
                <g transform=transform>
                    <Tiles state/>
                    <Outlines state shapes=outlines after_pan/>
                    <Points state layer/>
                    <Labels shapes=outlines/>
                    <Sketch state layer drag/>
                </g>
            </svg>
            <div class="map-controls">
                <button class="map-button" type="button" aria-label=move || t_string!(i18n, territories.zoom_in) on:click=move |_| zoom_at(1.5, None)>"+"</button>
                <button class="map-button" type="button" aria-label=move || t_string!(i18n, territories.zoom_out) on:click=move |_| zoom_at(1.0 / 1.5, None)>"−"</button>
                <button class="map-button" type="button" aria-label=move || t_string!(i18n, territories.fit) on:click=move |_| state.fit(None)>"⤢"</button>
            </div>
            <Legend state/>
            <p id="map-help" class="visually-hidden">{t!(i18n, territories.map_help)}</p>
        </div>
    }
}

/// Raster tiles under everything, when the server has a tile URL configured.
#[component]
fn Tiles(state: MapState) -> impl IntoView {
    let template = move || state.settings.get().and_then(Result::ok).and_then(|s| s.tile_url);
    let tiles = move || {
        let Some(template) = template() else { return Vec::new() };
        let origin = state.layer_origin();
        let v = state.view.get();
        let (ox, oy) = v.offset(origin);
        v.tiles().into_iter().map(|t| (t.url(&template), t.left - ox, t.top - oy, t.size)).collect::<Vec<_>>()
    };
    view! {
        <g class="map-tiles">
            <For each=tiles key=|(url, x, y, _)| format!("{url}@{x:.0},{y:.0}") let:tile>
                <image href=tile.0 x=tile.1 y=tile.2 width=tile.3 height=tile.3 preserveAspectRatio="none"/>
            </For>
        </g>
    }
}

/// A territory as drawn: its path data, and where its name goes with the room there is.
type Shape = (Territory, String, Option<(f64, f64, f64)>);

/// The territories' outlines at the layer's scale (redrawn when the zoom or the list changes).
fn shapes(state: MapState, layer: Memo<View>) -> Memo<Vec<Shape>> {
    Memo::new(move |_| {
        let v = layer.get();
        state
            .territory_list()
            .into_iter()
            .map(|t| {
                let rs = rings(&t.geometry);
                let d = path(&v, &rs);
                let label = crate::territories::map::Bounds::around(rs.iter().flatten().copied()).map(|b| {
                    let (x0, y0) = v.project(b.west, b.north);
                    let (x1, _) = v.project(b.east, b.south);
                    (f64::midpoint(x0, x1), y0 - 6.0, x1 - x0)
                });
                (t, d, label)
            })
            .collect()
    })
}

/// Each territory's outline in its colour; a click selects it.
#[component]
fn Outlines(state: MapState, shapes: Memo<Vec<Shape>>, after_pan: StoredValue<bool>) -> impl IntoView {
    view! {
        <g class="map-territories">
            {move || {
                let selected = state.selected.get();
                let editing = state.editing.with(Option::is_some);
                shapes.get().into_iter().filter(|(t, _, _)| !(editing && selected == Some(t.id))).map(|(t, d, _)| {
                    let id = t.id;
                    let is_selected = selected == Some(id);
                    let select = move |_| {
                        if !after_pan.get_value() && state.drawing.get_untracked().is_none() {
                            state.selected.set(Some(id));
                        }
                    };
                    view! {
                        <path class="territory" class:selected=is_selected d=d fill=t.colour.clone() aria-label=t.name.clone()
                            stroke=t.colour.clone() fill-rule="evenodd" data-territory=id.to_string() on:click=select>
                        </path>
                    }
                }).collect_view()
            }}
        </g>
    }
}

/// The territories' names above their outlines, over everything, where there is room.
#[component]
fn Labels(shapes: Memo<Vec<Shape>>) -> impl IntoView {
    view! {
        <g class="map-labels">
            {move || shapes.get().into_iter().filter_map(|(t, _, label)| {
                label.filter(|(_, _, width)| *width > 40.0).map(|(x, y, _)| view! {
                    <text class="territory-label" x=format!("{x:.1}") y=format!("{y:.1}") text-anchor="middle">{t.name}</text>
                })
            }).collect_view()}
        </g>
    }
}

/// Contacts (round) and listings (square), clustered where dense; a cluster zooms in when
/// clicked, a single contact opens.
#[component]
fn Points(state: MapState, layer: Memo<View>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = leptos_router::hooks::use_navigate();
    let groups = Memo::new(move |_| {
        let v = layer.get();
        let points = state.points.get().and_then(Result::ok).unwrap_or_default();
        let place = |list: &[MapPoint]| -> Vec<(f64, f64)> { list.iter().map(|p| v.project(p.lon, p.lat)).collect() };
        let contacts = clusters(&place(&points.contacts), CLUSTER_CELL)
            .into_iter()
            .map(|c| (c.x, c.y, c.members.iter().map(|i| points.contacts[*i].clone()).collect::<Vec<_>>()))
            .collect::<Vec<_>>();
        let listings = clusters(&place(&points.listings), CLUSTER_CELL)
            .into_iter()
            .map(|c| (c.x, c.y, c.members.iter().map(|i| points.listings[*i].clone()).collect::<Vec<_>>()))
            .collect::<Vec<_>>();
        (contacts, listings)
    });
    let zoom_into = move |x: f64, y: f64| {
        let (ox, oy) = state.view.with_untracked(|v| v.offset(state.layer_origin()));
        state.view.update(|v| *v = v.zoomed(2.0, x + ox, y + oy));
        state.view_moved();
    };
    view! {
        <g class="map-points">
            {move || {
                let (contacts, listings) = groups.get();
                let contact_marks = contacts.into_iter().map(|(x, y, members)| {
                    let count = members.len();
                    if count == 1 {
                        let p = &members[0];
                        let href = format!("/contacts/{}", p.id);
                        let navigate = navigate.clone();
                        let open = move |_| {
                            if state.drawing.get_untracked().is_none() && state.editing.get_untracked().is_none() {
                                navigate(&href, Default::default());
                            }
                        };
                        view! {
                            <g class="map-point contact" role="link" aria-label=p.name.clone() data-contact=p.id.clone() on:click=open>
                                <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="6"/>
                            </g>
                        }.into_any()
                    } else {
                        let r = 11.0 + (count as f64).log10() * 5.0;
                        let label = t_string!(i18n, territories.cluster_contacts, count = count);
                        view! {
                            <g class="map-cluster contact" role="button" aria-label=label.clone()
                                data-contacts={members.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(" ")}
                                on:click=move |ev: leptos::ev::MouseEvent| {
                                    if state.drawing.get_untracked().is_none() {
                                        ev.stop_propagation();
                                        zoom_into(x, y);
                                    }
                                }>
                                <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r=format!("{r:.1}")/>
                                <text x=format!("{x:.1}") y=format!("{:.1}", y + 4.0) text-anchor="middle">{count}</text>
                            </g>
                        }.into_any()
                    }
                }).collect_view();
                let listing_marks = listings.into_iter().map(|(x, y, members)| {
                    let count = members.len();
                    let title = if count == 1 { members[0].name.clone() } else { t_string!(i18n, territories.cluster_listings, count = count) };
                    let side = if count == 1 { 11.0 } else { 16.0 + (count as f64).log10() * 6.0 };
                    // A listing cluster sits beside the contact cluster it usually shares a place with,
                    // so both counts stay readable.
                    let (x, y) = if count > 1 { (x + 22.0, y + 12.0) } else { (x, y) };
                    view! {
                        <g class="map-point listing" aria-label=title
                            on:click=move |ev: leptos::ev::MouseEvent| {
                                if count > 1 && state.drawing.get_untracked().is_none() {
                                    ev.stop_propagation();
                                    zoom_into(x, y);
                                }
                            }>
                            <rect x=format!("{:.1}", x - side / 2.0) y=format!("{:.1}", y - side / 2.0) width=format!("{side:.1}") height=format!("{side:.1}") rx="2"/>
                            {(count > 1).then(|| view! { <text x=format!("{x:.1}") y=format!("{:.1}", y + 4.0) text-anchor="middle">{count}</text> })}
                        </g>
                    }
                }).collect_view();
                view! { {contact_marks}{listing_marks} }
            }}
        </g>
    }
}

/// The outline being drawn (corners so far) or edited (draggable corners).
#[component]
fn Sketch(state: MapState, layer: Memo<View>, drag: StoredValue<Option<Drag>>) -> impl IntoView {
    let drawn = move || {
        let v = layer.get();
        state.drawing.get().map(|corners| {
            let screen: Vec<(f64, f64)> = corners.iter().map(|(lon, lat)| v.project(*lon, *lat)).collect();
            let points = screen.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
            view! {
                <g class="map-sketch">
                    <polygon points=points.clone() class="sketch-area"/>
                    <polyline points=points class="sketch-line"/>
                    {screen.into_iter().map(|(x, y)| view! { <circle class="sketch-corner" cx=format!("{x:.1}") cy=format!("{y:.1}") r="5"/> }).collect_view()}
                </g>
            }
        })
    };
    let edited = move || {
        let v = layer.get();
        state.editing.get().map(|rs| {
            let d = path(&v, &rs);
            let handles = rs
                .iter()
                .enumerate()
                .flat_map(|(ring, corners)| corners.iter().enumerate().map(move |(index, c)| (ring, index, *c)))
                .map(|(ring, index, (lon, lat))| {
                    let (x, y) = v.project(lon, lat);
                    view! {
                        <circle class="edit-corner" cx=format!("{x:.1}") cy=format!("{y:.1}") r="8"
                            data-ring=ring.to_string() data-corner=index.to_string()
                            on:pointerdown=move |_| drag.set_value(Some(Drag::Corner { ring, index }))/>
                    }
                })
                .collect_view();
            view! {
                <g class="map-sketch">
                    <path class="sketch-area" d=d.clone() fill-rule="evenodd"/>
                    <path class="sketch-line" d=d/>
                    {handles}
                </g>
            }
        })
    };
    view! { {drawn}{edited} }
}

/// What the marks mean, and a note when the map shows only some of the points.
#[component]
fn Legend(state: MapState) -> impl IntoView {
    let i18n = use_i18n();
    let truncated = move || state.points.get().and_then(Result::ok).is_some_and(|p| p.truncated);
    let attribution = move || state.settings.get().and_then(Result::ok).and_then(|s| s.tile_attribution);
    view! {
        <div class="map-legend small">
            <span><span class="legend-mark contact"></span>{t!(i18n, territories.legend_contact)}</span>
            <span><span class="legend-mark listing"></span>{t!(i18n, territories.legend_listing)}</span>
            {move || truncated().then(|| view! { <span class="muted">{t!(i18n, territories.truncated)}</span> })}
            {move || attribution().map(|a| view! { <span class="muted">{a}</span> })}
        </div>
    }
}

/// The pointer's position in the map's own pixels.
fn local(svg: NodeRef<leptos::svg::Svg>, ev: &leptos::ev::MouseEvent) -> Option<(f64, f64)> {
    #[cfg(feature = "hydrate")]
    {
        let element = svg.get_untracked()?;
        let rect = element.get_bounding_client_rect();
        Some((f64::from(ev.client_x()) - rect.left(), f64::from(ev.client_y()) - rect.top()))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (svg, ev);
        None
    }
}

/// The map's size on screen, in CSS pixels.
fn size(svg: NodeRef<leptos::svg::Svg>) -> Option<(f64, f64)> {
    #[cfg(feature = "hydrate")]
    {
        let rect = svg.get_untracked()?.get_bounding_client_rect();
        (rect.width() > 0.0 && rect.height() > 0.0).then(|| (rect.width(), rect.height()))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = svg;
        None
    }
}

/// Keeps a drag going when the pointer leaves the map.
fn capture(svg: NodeRef<leptos::svg::Svg>, pointer: i32) {
    #[cfg(feature = "hydrate")]
    if let Some(element) = svg.get_untracked() {
        let _ = element.set_pointer_capture(pointer);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (svg, pointer);
}
