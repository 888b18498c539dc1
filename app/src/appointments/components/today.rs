//! Today, the rep's home screen: the day's appointments and due follow-ups in driving order
//! from where the rep is, with check-in and check-out one tap away. Managers and office staff
//! also see their team's appointments.

use super::agenda_card::{kind_label, AgendaCard, MapsButton};
use crate::appointments::today::{
    directions_url, format_distance, plan_day, with_local_visits, DayPlan, PlannedStop, Task,
};
use crate::appointments::Today;
use crate::common::{ApiError, GeoPoint, UserId, VisitId};
use crate::contacts::components::{NewLeadButton, NewLeadPanel};
use crate::i18n::*;
use crate::locale::{format_count, format_instant, Style};
use crate::ui::{error_text, mounted, EmptyState, ErrorState, Icon, Loading};
use crate::users::Role;
use crate::visits::components::CheckOutForm;
use crate::visits::geolocation::{self, Fix, Permission};
use crate::visits::{Visit, VisitForCheckIn};
use leptos::prelude::*;

#[component]
pub fn TodayPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = crate::session::current_user().get_untracked();
    // Drawn on the server (the first screen needs no wasm to show the day); in the browser,
    // fetched through the offline store. Only the first load goes through the resource: later
    // versions of the day (this device's changes laid over it, the day after a check-in) go to
    // `newer`, and the page draws them in place. Drawing the whole day anew would replace every
    // button under the rep's finger, and a tap pressed on one and released on its successor is
    // no tap at all.
    let today = Resource::new(|| (), |()| load());
    let newer = RwSignal::new(None::<Loaded>);
    // The server's day lacks this device's unsynced changes and is not yet kept for offline use.
    #[cfg(feature = "hydrate")]
    Effect::new(move || {
        let Some(drawn) = today.with(|t| match t {
            Some(Ok(loaded)) if loaded.from_server => Some(loaded.clone()),
            _ => None,
        }) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let day = crate::appointments::api::keep_today(drawn.day.clone()).await;
            // Usually nothing is waiting to sync, and the page stays as drawn.
            if day != drawn.day && newer.with_untracked(Option::is_none) {
                newer.set(Some(Loaded {
                    day,
                    now: chrono::Utc::now(),
                    from_server: false,
                    permission: drawn.permission,
                }));
            }
        });
    });
    let is_rep = user.role == Role::Rep;
    // The server draws the page as this browser's last answer on geolocation says (a cookie),
    // and the browser starts from the same: once it knows better, only what changed is redrawn.
    // (Text that appears seconds after the server's page would be its largest paint.)
    let whereabouts =
        RwSignal::new(if is_rep { Whereabouts::assumed(geolocation::remembered()) } else { Whereabouts::Unknown });
    if is_rep {
        Effect::new(move || {
            leptos::task::spawn_local(async move {
                let permission = geolocation::permission().await;
                geolocation::remember(permission);
                set_if_changed(whereabouts, Whereabouts::assumed(permission));
                if permission == Permission::Granted {
                    locate(whereabouts);
                }
            });
        });
    }
    let tz = StoredValue::new(user.time_zone.as_str().to_string());
    let first_name = user.name.split_whitespace().next().unwrap_or_default().to_string();
    // The server writes the date with its own patterns; once started, the browser's `Intl`
    // writes it in the user's language (the first run only takes over the server's text).
    let started = mounted();
    let date = {
        let tz = tz.get_value();
        move || {
            started.track();
            format_instant(chrono::Utc::now(), &tz, i18n.get_locale(), Style::LongDate)
        }
    };
    let me = user.id;
    // A check-in or check-out changed the day: fetch it again, and draw what changed.
    let reload = Callback::new(move |()| {
        leptos::task::spawn_local(async move {
            if let Ok(day) = crate::appointments::api::today().await {
                let permission = geolocation::remembered();
                newer.set(Some(Loaded { day, now: chrono::Utc::now(), from_server: false, permission }));
            }
        });
    });
    // Lives here, not in the day's view: the message must outlast what it reports on.
    let status = RwSignal::new(None::<String>);
    let new_lead = RwSignal::new(false);
    view! {
        <section class="page today">
            <header class="page-header">
                <div>
                    <p class="eyebrow">{date}</p>
                    <h1>{t!(i18n, today.greeting, name = first_name.clone())}</h1>
                </div>
                <div class="header-actions"><NewLeadButton open=new_lead/></div>
            </header>
            <NewLeadPanel open=new_lead/>
            <Transition fallback=Loading>
                {move || today.get().map(|result| match result {
                    Ok(first) => {
                        let drawn = if is_rep { Whereabouts::assumed(first.permission) } else { Whereabouts::Unknown };
                        view! { <Day first newer me drawn whereabouts time_zone=tz.get_value() show_team=!is_rep status reload/> }.into_any()
                    }
                    Err(error) => view! { <ErrorState error on_retry=move |()| today.refetch()/> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// The day, the instant it is planned for, and where the rep was taken to be. Drawn by the
/// server, these are the server's "now" and what the request's cookie said of geolocation, so
/// that the browser's first render (hydration) plans the same day the same way whatever its own
/// clock says, and whatever the cookie says by the time the app starts.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Loaded {
    day: Today,
    now: chrono::DateTime<chrono::Utc>,
    /// Drawn by the server: the browser still keeps it and lays its own changes over it.
    from_server: bool,
    /// What the browser had said of geolocation, as far as the drawing side knew.
    permission: Permission,
}

fn load() -> impl std::future::Future<Output = Result<Loaded, ApiError>> + Send + 'static {
    #[cfg(feature = "ssr")]
    {
        let lookup = use_context::<crate::appointments::TodayLookupContext>();
        let headers = use_context::<http::request::Parts>().map(|p| p.headers);
        let permission = geolocation::remembered();
        async move {
            let (Some(lookup), Some(headers)) = (lookup, headers) else {
                return Err(ApiError::new(crate::common::ErrorCode::Unavailable, "no data on this server"));
            };
            let day = lookup.0.today(headers).await?;
            Ok(Loaded { day, now: chrono::Utc::now(), from_server: true, permission })
        }
    }
    #[cfg(feature = "hydrate")]
    {
        // The browser is single-threaded; the resource API asks for Send futures.
        let permission = geolocation::remembered();
        send_wrapper::SendWrapper::new(async move {
            let day = crate::appointments::api::today().await?;
            Ok(Loaded { day, now: chrono::Utc::now(), from_server: false, permission })
        })
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        async { Err(ApiError::new(crate::common::ErrorCode::Unavailable, "no server")) }
    }
}

/// Sets the signal only to a new value: what the server drew stays as it is when it was right.
fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.with_untracked(|v| *v != value) {
        signal.set(value);
    }
}

/// What the route knows of where the rep is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Whereabouts {
    /// Looking for the position: the browser allows it, or the rep just said to.
    Locating,
    Found(Fix),
    /// The browser would ask the rep first. The page does not ask on load: the rep does, with a
    /// button that says why (the route from where they are).
    NotShared,
    /// Refused, not found, or not a rep's day: the route starts at its first stop.
    Unknown,
}

impl Whereabouts {
    /// Where to start from what the browser says of its permission, before looking.
    fn assumed(permission: Permission) -> Whereabouts {
        match permission {
            Permission::Granted => Whereabouts::Locating,
            Permission::Prompt => Whereabouts::NotShared,
            Permission::Denied => Whereabouts::Unknown,
        }
    }

    fn position(self) -> Option<GeoPoint> {
        match self {
            Whereabouts::Found(fix) => Some(fix.position),
            Whereabouts::Locating | Whereabouts::NotShared | Whereabouts::Unknown => None,
        }
    }
}

/// Finds the rep for the route: a fix up to a minute old will do (the check-in takes a fresh one).
fn locate(whereabouts: RwSignal<Whereabouts>) {
    leptos::task::spawn_local(async move {
        let found = geolocation::current(60_000).await;
        whereabouts.set(found.map_or(Whereabouts::Unknown, Whereabouts::Found));
    });
}

#[component]
fn Day(
    first: Loaded,
    newer: RwSignal<Option<Loaded>>,
    me: UserId,
    /// Where the rep was taken to be when `first` was drawn.
    drawn: Whereabouts,
    whereabouts: RwSignal<Whereabouts>,
    time_zone: String,
    show_team: bool,
    status: RwSignal<Option<String>>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let as_drawn = first.clone();
    let live = Memo::new(move |_| newer.get().unwrap_or_else(|| first.clone()));
    // A press on the day (a finger or a mouse button down) holds what the day shows: a position
    // or a newer copy of the day that lands meanwhile is drawn once the press is over, so what
    // was pressed is still under the finger when it lifts, and the tap lands. (A stop that moves
    // up the route, or a line added above it, between the press and the release takes the tap
    // somewhere else, or nowhere.)
    //
    // Until the browser has taken over the page, it draws what the server drew: the day as the
    // server had it, from where the server took the rep to be (the request's cookie, which the
    // page before may have changed since). Hydrating anything else ties the server's elements to
    // other parts of the view: the route kept the server's order for good, with its "share your
    // position" button, and a stop's Check in button checked in at its neighbour.
    let hydrated = mounted();
    let pressed = RwSignal::new(false);
    let shown = Memo::new(move |held: Option<&(Loaded, Whereabouts)>| {
        let latest = if hydrated.get() { (live.get(), whereabouts.get()) } else { (as_drawn.clone(), drawn) };
        let pressing = pressed.get();
        match held {
            Some(held) if pressing => held.clone(),
            _ => latest,
        }
    });
    let loaded = Memo::new(move |_| shown.with(|(l, _)| l.clone()));
    let place = Memo::new(move |_| shown.with(|(_, w)| *w));
    let plan = Memo::new(move |_| {
        let from = place.get().position();
        loaded.with(|l| plan_day(&l.day, me, from, l.now))
    });
    let now = Signal::derive(move || loaded.with(|l| l.now));
    let release = move || set_timeout(move || pressed.set(false), RELEASE_AFTER);
    let up = window_event_listener(leptos::ev::pointerup, move |_| release());
    let cancel = window_event_listener(leptos::ev::pointercancel, move |_| release());
    on_cleanup(move || {
        up.remove();
        cancel.remove();
    });
    let tz = StoredValue::new(time_zone);
    let reminders = Memo::new(move |_| {
        loaded.with(|l| {
            l.day.items.iter().filter(|a| a.assignee_id == me && a.reminder_due(l.now)).cloned().collect::<Vec<_>>()
        })
    });
    let team = Memo::new(move |_| {
        loaded.with(|l| l.day.items.iter().filter(|a| a.assignee_id != me).cloned().collect::<Vec<_>>())
    });
    let earlier = Memo::new(move |_| plan.with(|p| p.earlier.clone()));
    let nothing = move || {
        plan.with(|p| p.route.is_empty() && p.elsewhere.is_empty() && p.open_visit.is_none() && p.done.is_empty())
    };
    let on_saved = Callback::new(move |message: String| {
        status.set(Some(message));
        reload.run(());
    });
    // A check-in shows at once from what the device recorded; the day is then fetched again.
    let on_checked_in = Callback::new(move |visit: Visit| {
        let day = live.with_untracked(|l| Loaded { day: with_local_visits(l.day.clone(), &[visit]), ..l.clone() });
        newer.set(Some(day));
        reload.run(());
    });
    // The open visit is drawn once per visit: a newer copy of it (the server's distance) only
    // changes its text, and its Check out button stays the element the rep is tapping.
    let open_visit = Memo::new(move |_| plan.with(|p| p.open_visit.as_ref().map(|v| v.id)));
    view! {
        <div class="day" on:pointerdown=move |_| pressed.set(true)>
        {move || reminders.get().into_iter().map(|a| {
            let time = format_instant(a.starts_at, &tz.get_value(), i18n.get_locale(), Style::Time);
            view! {
                <p class="banner reminder" role="status"><Icon name="clock" size=18/>
                    {t_string!(i18n, today.reminder, title = a.title.clone(), time = time.clone())}
                </p>
            }
        }).collect_view()}
        <p class="saved" role="status">{move || status.get()}</p>
        {move || open_visit.get().map(|id| view! { <OpenVisit id plan time_zone=tz.get_value() on_saved/> })}
        <Show when=move || !nothing() fallback=move || view! {
            <EmptyState icon="today" title=move || t!(i18n, today.empty) hint=move || t!(i18n, today.empty_hint)/>
        }>
            <RouteView plan now place whereabouts time_zone=tz.get_value() on_checked_in/>
        </Show>
        {move || {
            let earlier = earlier.get();
            let tz = tz.get_value();
            (!earlier.is_empty()).then(|| view! {
                <h2 class="section-title">{t!(i18n, today.earlier)}</h2>
                <ol class="agenda earlier">
                    {earlier.into_iter().map(|item| view! { <AgendaCard item time_zone=tz.clone() show_assignee=false/> }).collect_view()}
                </ol>
            })
        }}
        {move || {
            let team = team.get();
            let tz = tz.get_value();
            (show_team && !team.is_empty()).then(|| view! {
                <h2 class="section-title">{t!(i18n, today.team_title)}</h2>
                <ol class="agenda">
                    {team.into_iter().map(|item| view! { <AgendaCard item time_zone=tz.clone() show_assignee=true/> }).collect_view()}
                </ol>
            })
        }}
        </div>
    }
}

/// How long after a press ends the day it held is drawn: a tap's click comes after the finger
/// lifts (on a phone, after the touch has ended).
const RELEASE_AFTER: std::time::Duration = std::time::Duration::from_millis(150);

/// Where a check-in stands, for the stop it was tapped on.
#[derive(Debug, Clone, PartialEq)]
enum CheckingIn {
    /// Waiting for a fresh position (at most [`geolocation::CHECK_IN_WAIT_MS`]).
    Locating(String),
    /// Recording it (on the device, and on the server when it answers in time).
    Saving(String),
}

impl CheckingIn {
    fn key(&self) -> &str {
        match self {
            CheckingIn::Locating(key) | CheckingIn::Saving(key) => key,
        }
    }
}

#[component]
fn RouteView(
    plan: Memo<DayPlan>,
    now: Signal<chrono::DateTime<chrono::Utc>>,
    /// Where the rep is, as the day shows it.
    place: Memo<Whereabouts>,
    /// Where the rep is, to look again.
    whereabouts: RwSignal<Whereabouts>,
    time_zone: String,
    on_checked_in: Callback<Visit>,
) -> impl IntoView {
    let i18n = use_i18n();
    let tz = StoredValue::new(time_zone);
    let error = RwSignal::new(None::<String>);
    let checking = RwSignal::new(None::<CheckingIn>);
    let check_in = crate::ui::browser_action(move |task: &Task| {
        let task = task.clone();
        async move {
            let key = task.key();
            checking.set(Some(CheckingIn::Locating(key.clone())));
            let fix = geolocation::for_check_in().await;
            checking.set(Some(CheckingIn::Saving(key)));
            let mut body = VisitForCheckIn {
                position: fix.map(|f| f.position),
                accuracy_m: fix.map(|f| f.accuracy_m),
                ..Default::default()
            };
            match &task {
                Task::Appointment(a) => body.appointment_id = Some(a.id),
                Task::FollowUp(f) => body.contact_id = f.contact_id,
            }
            crate::visits::api::check_in(body).await
        }
    });
    Effect::new(move || match check_in.value().get() {
        Some(Ok(visit)) => {
            checking.set(None);
            on_checked_in.run(visit);
        }
        Some(Err(e)) => {
            checking.set(None);
            error.set(Some(error_text(i18n, &e)));
        }
        None => {}
    });
    // One visit at a time: while one is open (or being checked in), the other stops' buttons
    // are disabled, and the page says why.
    let open = Memo::new(move |_| plan.with(|p| p.open_visit.is_some()));
    let stops =
        Stops { plan, now, place, tz, checking, busy: Signal::derive(move || open.get() || check_in.pending().get()) };
    let tap = Callback::new(move |task: Task| {
        error.set(None);
        check_in.dispatch(task);
    });
    let route = Memo::new(move |_| plan.with(|p| p.route.iter().map(|s| s.task.key()).collect::<Vec<_>>()));
    let elsewhere = Memo::new(move |_| plan.with(|p| p.elsewhere.iter().map(Task::key).collect::<Vec<_>>()));
    view! {
        <p class="form-error" role="alert">{move || error.get()}</p>
        <Show when=move || plan.with(|p| !p.route.is_empty())>
            <RouteSummary plan place whereabouts/>
        </Show>
        <p class="muted check-in-blocked" id="check-in-blocked" hidden=move || !open.get()>{t!(i18n, today.check_out_first)}</p>
        <ol class="route" aria-label=move || t_string!(i18n, today.route_title)>
            <For each=move || route.get() key=String::clone let:key>
                <StopCard key stops tap/>
            </For>
        </ol>
        <Show when=move || elsewhere.with(|e| !e.is_empty())>
            <h2 class="section-title">{t!(i18n, today.elsewhere)}</h2>
            <ol class="route elsewhere">
                <For each=move || elsewhere.get() key=String::clone let:key>
                    <StopCard key stops tap/>
                </For>
            </ol>
        </Show>
        {move || {
            let done = plan.with(|p| p.done.clone());
            (!done.is_empty()).then(|| view! {
                <h2 class="section-title">{t!(i18n, today.done_title)}</h2>
                <ul class="done-visits">
                    {done.into_iter().map(|v| {
                        let time = v.check_out_at.map(|t| format_instant(t, &tz.get_value(), i18n.get_locale(), Style::Time)).unwrap_or_default();
                        let outcome = v.outcome.clone().unwrap_or_default();
                        view! { <li><Icon name="check" size=16/>{t_string!(i18n, visits.done_line, outcome = outcome.clone(), time = time.clone())}</li> }
                    }).collect_view()}
                </ul>
            })
        }}
    }
}

/// What every stop on the page reads.
#[derive(Clone, Copy)]
struct Stops {
    plan: Memo<DayPlan>,
    now: Signal<chrono::DateTime<chrono::Utc>>,
    place: Memo<Whereabouts>,
    tz: StoredValue<String>,
    checking: RwSignal<Option<CheckingIn>>,
    /// A visit is open or being checked in.
    busy: Signal<bool>,
}

impl Stops {
    /// The stop `key` as the plan now has it, with its number on the route (None: not on it).
    fn find(self, key: &str) -> Option<(Option<usize>, PlannedStop)> {
        self.plan.with(|p| {
            p.route.iter().enumerate().find(|(_, s)| s.task.key() == key).map(|(i, s)| (Some(i), s.clone())).or_else(
                || {
                    p.elsewhere
                        .iter()
                        .find(|t| t.key() == key)
                        .map(|t| (None, PlannedStop { task: t.clone(), leg_m: 0.0 }))
                },
            )
        })
    }
}

/// One stop, drawn once for its key: a new plan (the position found, the day fetched again)
/// changes its text, never its elements, so a tap that is under way lands where it began.
#[component]
fn StopCard(key: String, stops: Stops, tap: Callback<Task>) -> impl IntoView {
    let i18n = use_i18n();
    let Some(initial) = stops.find(&key) else { return ().into_any() };
    let stop = {
        let key = key.clone();
        Memo::new(move |_| stops.find(&key).unwrap_or_else(|| initial.clone()))
    };
    let task = move || stop.with(|(_, s)| s.task.clone());
    let index = move || stop.with(|(i, _)| *i);
    let when = move || {
        let now = stops.now.get();
        stop.with(|(_, s)| match &s.task {
            Task::Appointment(a) => (
                format_instant(a.starts_at, &stops.tz.get_value(), i18n.get_locale(), Style::Time),
                kind_label(i18n, a.kind).to_string(),
                format!("badge kind-{}", a.kind.as_str()),
            ),
            Task::FollowUp(f) => {
                let time = if f.due_at < now - chrono::Duration::hours(12) {
                    t_string!(i18n, today.overdue)
                } else {
                    t_string!(i18n, today.flexible)
                };
                (time.to_string(), t_string!(i18n, today.follow_up).to_string(), "badge kind-follow-up".to_string())
            }
        })
    };
    // With no position the route starts at its first stop: no leg "from you" to tell.
    let leg = move || {
        let located = stops.place.with(|w| w.position().is_some());
        stop.with(|(index, s)| {
            let distance = format_distance(s.leg_m);
            match *index {
                Some(0) => located.then(|| t_string!(i18n, today.leg_first, distance = distance).to_string()),
                Some(_) => Some(t_string!(i18n, today.leg, distance = distance).to_string()),
                None => None,
            }
        })
    };
    let maps = move || {
        let from = stops.place.get().position();
        stop.with(|(_, s)| s.task.location()).map(|to| directions_url(from, to))
    };
    let can_visit = move || stop.with(|(_, s)| s.task.contact_id().is_some() || matches!(s.task, Task::Appointment(_)));
    let title = move || stop.with(|(_, s)| s.task.title().to_string());
    let with = move || {
        stop.with(|(_, s)| s.task.contact_name().map(|n| t_string!(i18n, today.with, name = n.to_string()).to_string()))
    };
    let address = move || stop.with(|(_, s)| s.task.address().map(String::from));
    let mine = {
        let key = key.clone();
        Memo::new(move |_| stops.checking.with(|c| c.as_ref().filter(|c| c.key() == key).cloned()))
    };
    let label = move || match mine.get() {
        Some(CheckingIn::Locating(_)) => t_string!(i18n, visits.finding_position),
        Some(CheckingIn::Saving(_)) => t_string!(i18n, visits.checking_in),
        None => t_string!(i18n, visits.check_in),
    };
    let blocked = move || stops.plan.with(|p| p.open_visit.is_some());
    view! {
        <li class="stop" data-key=key>
            {move || index().map(|i| view! { <span class="stop-number" aria-hidden="true">{i + 1}</span> })}
            <div class="stop-body">
                <p class="stop-when">
                    {move || { let (time, badge, class) = when(); view! { <span class=class>{badge}</span><span>{time}</span> } }}
                </p>
                <strong class="stop-title">{title}</strong>
                {move || with().map(|w| view! { <p class="muted">{w}</p> })}
                {move || address().map(|a| view! { <p class="address"><Icon name="pin" size=16/>{a}</p> })}
                // A stop on the route keeps its leg's line, empty until the distance is known: a
                // line that appears later would push the button down.
                {move || index().is_some().then(|| view! { <p class="leg muted">{move || leg().unwrap_or_else(|| "\u{a0}".to_string())}</p> })}
            </div>
            <div class="stop-actions">
                <Show when=can_visit>
                    <button class="button primary check-in"
                        aria-label=move || format!("{} — {}", t_string!(i18n, visits.check_in), title())
                        aria-describedby=move || blocked().then_some("check-in-blocked")
                        aria-busy=move || mine.with(Option::is_some).to_string()
                        disabled=move || stops.busy.get()
                        on:click=move |_| tap.run(task())>
                        {label}
                    </button>
                </Show>
                {move || maps().map(|href| view! { <MapsButton href/> })}
            </div>
        </li>
    }
    .into_any()
}

/// The route's length, where it starts, and directions to its first stop. Its elements stay as
/// the server drew them while the position is looked for and found; only their text changes.
/// (A message drawn as a new element after the app started would be the page's largest paint,
/// seconds after the server's.)
#[component]
fn RouteSummary(plan: Memo<DayPlan>, place: Memo<Whereabouts>, whereabouts: RwSignal<Whereabouts>) -> impl IntoView {
    let i18n = use_i18n();
    let summary = move || {
        plan.with(|p| {
            let distance = format_distance(p.total_m);
            if p.route.len() == 1 {
                t_string!(i18n, today.route_summary_single, distance = distance).to_string()
            } else {
                let count = format_count(p.route.len() as i64, i18n.get_locale());
                t_string!(i18n, today.route_summary, count = count, distance = distance).to_string()
            }
        })
    };
    let many = move || plan.with(|p| p.route.len() > 1);
    let asking = move || place.get() == Whereabouts::NotShared && many();
    let locating = move || match place.get() {
        Whereabouts::Locating => Some(t_string!(i18n, today.locating)),
        Whereabouts::NotShared if many() => Some(t_string!(i18n, today.position_not_shared)),
        Whereabouts::Unknown if many() => Some(t_string!(i18n, today.no_position)),
        Whereabouts::Found(_) => Some(t_string!(i18n, today.from_here)),
        Whereabouts::NotShared | Whereabouts::Unknown => None,
    };
    let next = move || {
        plan.with(|p| p.route.first().and_then(|s| s.task.location()))
            .map(|to| directions_url(place.get().position(), to))
    };
    view! {
        <div class="route-summary card">
            <div>
                <h2>{t!(i18n, today.route_title)}</h2>
                <p class="summary">{summary}</p>
                <p class="muted" hidden=move || locating().is_none()>{move || locating().unwrap_or_default()}</p>
                <Show when=asking>
                    <button type="button" class="button secondary" on:click=move |_| {
                        whereabouts.set(Whereabouts::Locating);
                        locate(whereabouts);
                    }>
                        <Icon name="pin" size=20/><span>{t!(i18n, today.use_position)}</span>
                    </button>
                </Show>
                <Show when=move || plan.with(|p| p.late > 0)>
                    <p class="warning">{t!(i18n, today.late)}</p>
                </Show>
            </div>
            <Show when=move || next().is_some()>
                <a class="button secondary" href=move || next().unwrap_or_default() target="_blank" rel="noopener">
                    <Icon name="pin" size=20/><span>{t!(i18n, today.open_in_maps)}</span>
                </a>
            </Show>
        </div>
    }
}

/// The visit the rep is checked in at: where, since when, how far from the address, and the
/// check-out form. Drawn once per visit; a newer copy of it (the server's distance) changes
/// only its text.
#[component]
fn OpenVisit(id: VisitId, plan: Memo<DayPlan>, time_zone: String, on_saved: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let found = move || {
        plan.with(|p| {
            let visit = p.open_visit.clone().filter(|v| v.id == id)?;
            let task = p.route.iter().map(|s| &s.task).chain(p.elsewhere.iter()).find(|t| match t {
                Task::Appointment(a) => Some(a.id) == visit.appointment_id,
                Task::FollowUp(f) => f.contact_id.is_some() && f.contact_id == visit.contact_id,
            });
            Some((visit, task.cloned()))
        })
    };
    let Some((visit, task)) = found() else { return ().into_any() };
    let visit = Memo::new(move |_| found().map_or_else(|| visit.clone(), |(v, _)| v));
    let name = task.as_ref().and_then(|t| t.contact_name().map(String::from)).unwrap_or_default();
    let title = task.as_ref().map_or_else(|| name.clone(), |t| t.title().to_string());
    let showing = matches!(&task, Some(Task::Appointment(a)) if a.kind == crate::appointments::AppointmentKind::Showing)
        || visit.with_untracked(|v| v.listing_id.is_some());
    let since = move || visit.with(|v| format_instant(v.check_in_at, &time_zone, i18n.get_locale(), Style::Time));
    let distance = move || {
        visit.with(|v| match v.distance_m.map(format_distance) {
            Some(d) => t_string!(i18n, visits.distance, distance = d).to_string(),
            None => t_string!(i18n, visits.no_fix).to_string(),
        })
    };
    let far = move || visit.with(|v| v.far);
    let open = RwSignal::new(false);
    view! {
        <div class="card open-visit" class:far=far>
            <p class="eyebrow">{move || t_string!(i18n, visits.since, time = since()).to_string()}</p>
            <h2>{t_string!(i18n, visits.checked_in_at, title = title.clone())}</h2>
            <p class="visit-distance">
                {distance}
                <Show when=far><span class="badge warning">{t!(i18n, visits.far)}</span></Show>
            </p>
            <Show when=move || !open.get()>
                <button class="button primary" on:click=move |_| open.set(true)>{t!(i18n, visits.check_out)}</button>
            </Show>
            <Show when=move || open.get()>
                <CheckOutForm id name=name.clone() showing on_done=on_saved on_cancel=move |()| open.set(false)/>
            </Show>
        </div>
    }
    .into_any()
}
