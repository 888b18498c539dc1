//! Typed calls for dashboards and reports.

use super::{ManagerDashboard, RepDashboard, ReportName, ReportQuery};
use crate::client;
use crate::common::ApiError;

pub async fn mine() -> Result<RepDashboard, ApiError> {
    client::get("/dashboard/me").await
}

pub async fn manager(query: ReportQuery) -> Result<ManagerDashboard, ApiError> {
    client::get(&format!("/dashboard/manager{}", query.to_query_string())).await
}

/// The address that downloads a report as `csv` or `xlsx` (a plain link: the browser keeps the
/// session cookie and saves the file).
pub fn export_url(name: ReportName, query: &ReportQuery, format: &str) -> String {
    let q = query.to_query_string();
    let sep = if q.is_empty() { '?' } else { '&' };
    format!("/api/v1/reports/{}{q}{sep}format={format}", name.as_str())
}

pub async fn report(name: ReportName, query: ReportQuery) -> Result<super::Table, ApiError> {
    client::get(&format!("/reports/{}{}", name.as_str(), query.to_query_string())).await
}
