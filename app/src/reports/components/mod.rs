//! The dashboard (a rep's own numbers, or the manager's team view) and the report page.

mod charts;
mod filters;
mod manager;
mod rep;
mod table;

pub use charts::{BarChart, FunnelChart, LineChart};
pub use manager::{DashboardPage, ReportsPage};
pub use table::ReportTable;
