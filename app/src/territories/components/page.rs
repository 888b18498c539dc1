//! The territory map page: the map on the left (or on top, on a phone), and beside it the
//! territories with their workload, the selected territory, the drawing and the import forms.

use super::canvas::MapCanvas;
use super::panel::Panel;
use crate::common::{ApiError, TerritoryId};
use crate::i18n::*;
use crate::territories::map::{to_world, Bounds, View};
use crate::territories::{MapPoints, MapSettings, Territory, Workload};
use crate::ui::{ClientOnly, Loading};
use leptos::prelude::*;

/// Dhaka, where the demo agency works: shown when there is nothing to fit the map to.
const HOME: Bounds = Bounds { west: 90.33, south: 23.7, east: 90.5, north: 23.88 };

/// Corners as (lon, lat).
pub(super) type Ring = Vec<(f64, f64)>;

/// Everything the map and its panel share.
#[derive(Clone, Copy)]
pub(super) struct MapState {
    pub territories: LocalResource<Result<Vec<Territory>, ApiError>>,
    pub points: LocalResource<Result<MapPoints, ApiError>>,
    /// The box the points were asked for (none: everything in scope, up to the cap).
    pub points_box: RwSignal<Option<Bounds>>,
    pub settings: LocalResource<Result<MapSettings, ApiError>>,
    /// Managers, office staff and admins: they see workloads and change territories.
    pub can_manage: bool,
    pub workload: LocalResource<Result<Workload, ApiError>>,
    pub region: RwSignal<Option<TerritoryId>>,
    pub view: RwSignal<View>,
    /// Where the map's layers are drawn from (world coordinates), set when the map is fitted.
    pub origin: RwSignal<Option<(f64, f64)>>,
    pub selected: RwSignal<Option<TerritoryId>>,
    /// The corners placed so far while drawing a new territory (lon, lat).
    pub drawing: RwSignal<Option<Ring>>,
    /// The rings of the selected territory while its outline is edited (open: no closing vertex).
    pub editing: RwSignal<Option<Vec<Ring>>>,
    pub importing: RwSignal<bool>,
}

impl MapState {
    pub fn territory_list(&self) -> Vec<Territory> {
        self.territories.get().and_then(Result::ok).unwrap_or_default()
    }

    pub fn territory(&self, id: TerritoryId) -> Option<Territory> {
        self.territories
            .with(|t| t.as_ref().and_then(|r| r.as_ref().ok()).and_then(|l| l.iter().find(|t| t.id == id).cloned()))
    }

    /// Territories, workloads and points again, after a change.
    pub fn reload(&self) {
        self.territories.refetch();
        self.points.refetch();
        if self.can_manage {
            self.workload.refetch();
        }
    }

    /// After a pan or zoom: when the last answer left points out, ask for those on screen.
    pub fn view_moved(&self) {
        let truncated =
            self.points.with_untracked(|p| p.as_ref().and_then(|r| r.as_ref().ok()).is_some_and(|p| p.truncated));
        if truncated {
            self.points_box.set(Some(self.view.get_untracked().bounds()));
        }
    }

    /// Fits the map to `bounds` (or to everything there is).
    pub fn fit(&self, bounds: Option<Bounds>) {
        let bounds = bounds.or_else(|| self.data_bounds()).unwrap_or(HOME);
        let current = self.view.get_untracked();
        let view = View::fit(bounds, current.width, current.height, 32.0);
        self.origin.set(Some((view.cx, view.cy)));
        self.view.set(view);
        self.view_moved();
    }

    /// Selects a territory and brings it into view.
    pub fn focus(&self, id: TerritoryId) {
        self.selected.set(Some(id));
        let outline = self.territory(id).map(|t| crate::territories::map::rings(&t.geometry));
        if let Some(bounds) = outline.and_then(|rs| Bounds::around(rs.into_iter().flatten())) {
            self.fit(Some(bounds));
        }
    }

    /// What the map opens on: everything for those who manage territories; for a rep, their
    /// own contacts and listings with the territories they lie in.
    fn data_bounds(&self) -> Option<Bounds> {
        let points = self.points.get_untracked().and_then(Result::ok).unwrap_or_default();
        let all: Vec<&crate::territories::MapPoint> = points.contacts.iter().chain(&points.listings).collect();
        let shown =
            |t: &Territory| self.can_manage || all.is_empty() || all.iter().any(|p| p.territory_id == Some(t.id));
        let outlines: Vec<(f64, f64)> = self
            .territory_list()
            .iter()
            .filter(|t| shown(t))
            .flat_map(|t| crate::territories::map::rings(&t.geometry).into_iter().flatten())
            .collect();
        Bounds::around(outlines.into_iter().chain(all.iter().map(|p| (p.lon, p.lat))))
    }

    /// The origin layers are drawn from: the fitted centre (or the view's own, before).
    pub fn layer_origin(&self) -> (f64, f64) {
        self.origin.get().unwrap_or_else(|| {
            let (x, y) = to_world(f64::midpoint(HOME.west, HOME.east), f64::midpoint(HOME.south, HOME.north));
            (x, y)
        })
    }
}

#[component]
pub fn TerritoriesPage() -> impl IntoView {
    let i18n = use_i18n();
    let can_manage = crate::session::current_user().with_untracked(|u| u.role != crate::users::Role::Rep);
    let points_box = RwSignal::new(None::<Bounds>);
    let region = RwSignal::new(None::<TerritoryId>);
    let state = MapState {
        territories: LocalResource::new(crate::territories::api::list),
        points: LocalResource::new(move || crate::territories::api::points(points_box.get())),
        points_box,
        settings: LocalResource::new(crate::territories::api::settings),
        can_manage,
        workload: LocalResource::new(move || {
            let region = region.get();
            async move {
                if can_manage {
                    crate::territories::api::workload(region).await
                } else {
                    Ok(Workload {
                        region: None,
                        mean_contacts_per_rep: 0.0,
                        mean_visits_per_rep: 0.0,
                        territories: vec![],
                    })
                }
            }
        }),
        region,
        view: RwSignal::new(View { cx: 0.5, cy: 0.5, scale: 256.0, width: 1000.0, height: 640.0 }),
        origin: RwSignal::new(None),
        selected: RwSignal::new(None),
        drawing: RwSignal::new(None),
        editing: RwSignal::new(None),
        importing: RwSignal::new(false),
    };
    // The first time territories and points are both in, fit the map to them.
    Effect::new(move || {
        let loaded = state.territories.get().is_some() && state.points.get().is_some();
        if loaded && state.origin.get_untracked().is_none() {
            state.fit(None);
        }
    });
    view! {
        <section class="page wide territories-page">
            <header class="page-header">
                <h1>{t!(i18n, territories.title)}</h1>
            </header>
            <ClientOnly>
                <div class="map-layout">
                    <MapCanvas state/>
                    <aside class="card map-panel" aria-label=move || t_string!(i18n, territories.panel)>
                        <Transition fallback=Loading>
                            <Panel state/>
                        </Transition>
                    </aside>
                </div>
            </ClientOnly>
        </section>
    }
}
