mod agenda_card;
mod calendar;
mod today;

pub use calendar::CalendarPage;
pub use today::TodayPage;
