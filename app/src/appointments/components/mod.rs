mod agenda_card;
mod calendar;
mod schedule;
mod today;

pub use agenda_card::{kind_label, status_label};
pub use calendar::CalendarPage;
pub use schedule::{ScheduleActions, Scheduling, StartAndLength};
pub use today::TodayPage;
