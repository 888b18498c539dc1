//! Today, the rep's home screen: the day's appointments and due follow-ups in driving order
//! from where the rep is, with check-in and check-out one tap away. Managers and office staff
//! also see their team's appointments.

use super::agenda_card::{kind_label, AgendaCard, MapsButton};
use crate::appointments::today::{directions_url, format_distance, plan_day, DayPlan, PlannedStop, Task};
use crate::appointments::Today;
use crate::common::{ApiError, GeoPoint, UserId};
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
    // fetched through the offline store.
    let today = Resource::new(|| (), |()| load());
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
            // Usually nothing is waiting to sync: the page stays as drawn rather than being
            // drawn a second time while the phone is still busy starting the app.
            if day != drawn.day {
                today.set(Some(Ok(Loaded { day, now: chrono::Utc::now(), from_server: false })));
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
    let reload = Callback::new(move |()| today.refetch());
    // Lives here, not in the day's view: a reload draws the day anew and the message must stay.
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
                    Ok(Loaded { day, now, .. }) => view! { <Day day now me whereabouts time_zone=tz.get_value() show_team=!is_rep status reload/> }.into_any(),
                    Err(error) => view! { <ErrorState error on_retry=move |()| today.refetch()/> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// The day, and the instant it is planned for. Drawn by the server, that is the server's "now",
/// so that the browser's first render (hydration) plans the same day the same way whatever its
/// own clock says.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Loaded {
    day: Today,
    now: chrono::DateTime<chrono::Utc>,
    /// Drawn by the server: the browser still keeps it and lays its own changes over it.
    from_server: bool,
}

fn load() -> impl std::future::Future<Output = Result<Loaded, ApiError>> + Send + 'static {
    #[cfg(feature = "ssr")]
    {
        let lookup = use_context::<crate::appointments::TodayLookupContext>();
        let headers = use_context::<http::request::Parts>().map(|p| p.headers);
        async move {
            let (Some(lookup), Some(headers)) = (lookup, headers) else {
                return Err(ApiError::new(crate::common::ErrorCode::Unavailable, "no data on this server"));
            };
            let day = lookup.0.today(headers).await?;
            Ok(Loaded { day, now: chrono::Utc::now(), from_server: true })
        }
    }
    #[cfg(feature = "hydrate")]
    {
        // The browser is single-threaded; the resource API asks for Send futures.
        send_wrapper::SendWrapper::new(async {
            let day = crate::appointments::api::today().await?;
            Ok(Loaded { day, now: chrono::Utc::now(), from_server: false })
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
    day: Today,
    now: chrono::DateTime<chrono::Utc>,
    me: UserId,
    whereabouts: RwSignal<Whereabouts>,
    time_zone: String,
    show_team: bool,
    status: RwSignal<Option<String>>,
    reload: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let day = StoredValue::new(day);
    let plan = Memo::new(move |_| {
        let from = whereabouts.get().position();
        day.with_value(|d| plan_day(d, me, from, now))
    });
    let tz = StoredValue::new(time_zone);
    let reminders: Vec<_> =
        day.with_value(|d| d.items.iter().filter(|a| a.assignee_id == me && a.reminder_due(now)).cloned().collect());
    let team: Vec<_> = day.with_value(|d| d.items.iter().filter(|a| a.assignee_id != me).cloned().collect());
    let nothing = move || {
        plan.with(|p| p.route.is_empty() && p.elsewhere.is_empty() && p.open_visit.is_none() && p.done.is_empty())
    };
    let on_saved = Callback::new(move |message: String| {
        status.set(Some(message));
        reload.run(());
    });
    view! {
        {reminders.into_iter().map(|a| {
            let time = format_instant(a.starts_at, &tz.get_value(), i18n.get_locale(), Style::Time);
            view! {
                <p class="banner reminder" role="status"><Icon name="clock" size=18/>
                    {t_string!(i18n, today.reminder, title = a.title.clone(), time = time.clone())}
                </p>
            }
        }).collect_view()}
        <p class="saved" role="status">{move || status.get()}</p>
        {move || plan.with(|p| p.open_visit.clone()).map(|visit| {
            let tasks = plan.with(|p| p.route.iter().map(|s| s.task.clone()).chain(p.elsewhere.iter().cloned()).collect::<Vec<_>>());
            view! { <OpenVisit visit tasks time_zone=tz.get_value() on_saved/> }
        })}
        <Show when=move || !nothing() fallback=move || view! {
            <EmptyState icon="today" title=move || t!(i18n, today.empty) hint=move || t!(i18n, today.empty_hint)/>
        }>
            <RouteView plan now whereabouts time_zone=tz.get_value() on_checked_in=reload/>
        </Show>
        {move || {
            let earlier = plan.with(|p| p.earlier.clone());
            let tz = tz.get_value();
            (!earlier.is_empty()).then(|| view! {
                <h2 class="section-title">{t!(i18n, today.earlier)}</h2>
                <ol class="agenda earlier">
                    {earlier.into_iter().map(|item| view! { <AgendaCard item time_zone=tz.clone() show_assignee=false/> }).collect_view()}
                </ol>
            })
        }}
        {(show_team && !team.is_empty()).then(|| {
            let tz = tz.get_value();
            view! {
                <h2 class="section-title">{t!(i18n, today.team_title)}</h2>
                <ol class="agenda">
                    {team.into_iter().map(|item| view! { <AgendaCard item time_zone=tz.clone() show_assignee=true/> }).collect_view()}
                </ol>
            }
        })}
    }
}

#[component]
fn RouteView(
    plan: Memo<DayPlan>,
    now: chrono::DateTime<chrono::Utc>,
    whereabouts: RwSignal<Whereabouts>,
    time_zone: String,
    on_checked_in: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let tz = StoredValue::new(time_zone);
    let error = RwSignal::new(None::<String>);
    let checking = RwSignal::new(None::<String>);
    let check_in = Action::new_local(move |task: &Task| {
        let task = task.clone();
        async move {
            let fix = geolocation::current(0).await;
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
        Some(Ok(_)) => {
            checking.set(None);
            on_checked_in.run(());
        }
        Some(Err(e)) => {
            checking.set(None);
            error.set(Some(error_text(i18n, &e)));
        }
        None => {}
    });
    let busy = move || plan.with(|p| p.open_visit.is_some()) || check_in.pending().get();
    let stop_view = move |index: Option<usize>, stop: PlannedStop| {
        let task = stop.task.clone();
        let key = task.key();
        let (time, badge) = match &task {
            Task::Appointment(a) => (
                format_instant(a.starts_at, &tz.get_value(), i18n.get_locale(), Style::Time),
                kind_label(i18n, a.kind).to_string(),
            ),
            Task::FollowUp(f) if f.due_at < now - chrono::Duration::hours(12) => {
                (t_string!(i18n, today.overdue).to_string(), t_string!(i18n, today.follow_up).to_string())
            }
            Task::FollowUp(_) => {
                (t_string!(i18n, today.flexible).to_string(), t_string!(i18n, today.follow_up).to_string())
            }
        };
        let kind_class = match &task {
            Task::Appointment(a) => format!("badge kind-{}", a.kind.as_str()),
            Task::FollowUp(_) => "badge kind-follow-up".to_string(),
        };
        // With no position the route starts at its first stop: no leg "from you" to tell.
        let located = whereabouts.get_untracked().position().is_some();
        let leg = index.and_then(|i| {
            let distance = format_distance(stop.leg_m);
            if i == 0 {
                located.then(|| t_string!(i18n, today.leg_first, distance = distance).to_string())
            } else {
                Some(t_string!(i18n, today.leg, distance = distance).to_string())
            }
        });
        let maps = task.location().map(|to| directions_url(whereabouts.get_untracked().position(), to));
        let can_visit = task.contact_id().is_some() || matches!(task, Task::Appointment(_));
        let with = task.contact_name().map(|n| t_string!(i18n, today.with, name = n.to_string()).to_string());
        let title = task.title().to_string();
        let address = task.address().map(String::from);
        let label = title.clone();
        let task_for_click = task.clone();
        let key_for_click = key.clone();
        view! {
            <li class="stop" data-key=key.clone()>
                {index.map(|i| view! { <span class="stop-number" aria-hidden="true">{i + 1}</span> })}
                <div class="stop-body">
                    <p class="stop-when"><span class=kind_class>{badge}</span><span>{time}</span></p>
                    <strong class="stop-title">{title}</strong>
                    {with.map(|w| view! { <p class="muted">{w}</p> })}
                    {address.map(|a| view! { <p class="address"><Icon name="pin" size=16/>{a}</p> })}
                    {leg.map(|l| view! { <p class="leg muted">{l}</p> })}
                </div>
                <div class="stop-actions">
                    {can_visit.then(|| view! {
                        <button class="button primary check-in" aria-label=move || format!("{} — {}", t_string!(i18n, visits.check_in), label)
                            disabled=busy
                            on:click=move |_| {
                                error.set(None);
                                checking.set(Some(key_for_click.clone()));
                                check_in.dispatch(task_for_click.clone());
                            }>
                            {let key = key.clone(); move || if checking.get().as_deref() == Some(key.as_str()) {
                                t_string!(i18n, visits.checking_in)
                            } else {
                                t_string!(i18n, visits.check_in)
                            }}
                        </button>
                    })}
                    {maps.map(|href| view! { <MapsButton href/> })}
                </div>
            </li>
        }
    };
    view! {
        <p class="form-error" role="alert">{move || error.get()}</p>
        <Show when=move || plan.with(|p| !p.route.is_empty())>
            <RouteSummary plan whereabouts/>
        </Show>
        <ol class="route" aria-label=move || t_string!(i18n, today.route_title)>
            {move || plan.with(|p| p.route.clone()).into_iter().enumerate().map(|(i, s)| stop_view(Some(i), s)).collect_view()}
        </ol>
        {move || {
            let elsewhere = plan.with(|p| p.elsewhere.clone());
            (!elsewhere.is_empty()).then(|| view! {
                <h2 class="section-title">{t!(i18n, today.elsewhere)}</h2>
                <ol class="route elsewhere">
                    {elsewhere.into_iter().map(|task| stop_view(None, PlannedStop { task, leg_m: 0.0 })).collect_view()}
                </ol>
            })
        }}
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

/// The route's length, where it starts, and directions to its first stop. Its elements stay as
/// the server drew them while the position is looked for and found; only their text changes.
/// (A message drawn as a new element after the app started would be the page's largest paint,
/// seconds after the server's.)
#[component]
fn RouteSummary(plan: Memo<DayPlan>, whereabouts: RwSignal<Whereabouts>) -> impl IntoView {
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
    let asking = move || whereabouts.get() == Whereabouts::NotShared && many();
    let locating = move || match whereabouts.get() {
        Whereabouts::Locating => Some(t_string!(i18n, today.locating)),
        Whereabouts::NotShared if many() => Some(t_string!(i18n, today.position_not_shared)),
        Whereabouts::Unknown if many() => Some(t_string!(i18n, today.no_position)),
        Whereabouts::Found(_) | Whereabouts::NotShared | Whereabouts::Unknown => None,
    };
    let next = move || {
        plan.with(|p| p.route.first().and_then(|s| s.task.location()))
            .map(|to| directions_url(whereabouts.get().position(), to))
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
/// check-out form.
#[component]
fn OpenVisit(visit: Visit, tasks: Vec<Task>, time_zone: String, on_saved: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let task = tasks.into_iter().find(|t| match t {
        Task::Appointment(a) => Some(a.id) == visit.appointment_id,
        Task::FollowUp(f) => f.contact_id.is_some() && f.contact_id == visit.contact_id,
    });
    let name = task.as_ref().and_then(|t| t.contact_name().map(String::from)).unwrap_or_default();
    let title = task.as_ref().map_or_else(|| name.clone(), |t| t.title().to_string());
    let showing = matches!(&task, Some(Task::Appointment(a)) if a.kind == crate::appointments::AppointmentKind::Showing)
        || visit.listing_id.is_some();
    let since = format_instant(visit.check_in_at, &time_zone, i18n.get_locale(), Style::Time);
    let distance = visit.distance_m.map(format_distance);
    let far = visit.far;
    let open = RwSignal::new(false);
    let id = visit.id;
    view! {
        <div class="card open-visit" class:far=far>
            <p class="eyebrow">{t!(i18n, visits.since, time = since.clone())}</p>
            <h2>{t_string!(i18n, visits.checked_in_at, title = title.clone())}</h2>
            <p class="visit-distance">
                {match distance {
                    Some(d) => t_string!(i18n, visits.distance, distance = d).to_string(),
                    None => t_string!(i18n, visits.no_fix).to_string(),
                }}
                {far.then(|| view! { <span class="badge warning">{t!(i18n, visits.far)}</span> })}
            </p>
            <Show when=move || !open.get()>
                <button class="button primary" on:click=move |_| open.set(true)>{t!(i18n, visits.check_out)}</button>
            </Show>
            <Show when=move || open.get()>
                <CheckOutForm id name=name.clone() showing on_done=on_saved on_cancel=move |()| open.set(false)/>
            </Show>
        </div>
    }
}
