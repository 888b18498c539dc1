mod admin;
mod book;
mod login;
mod more;

pub use admin::UsersPage;
pub use book::RepBooks;
pub use login::LoginPage;
pub use more::MorePage;

/// Ends the session on the server, then reloads at the sign-in page so no state of the
/// previous user survives in memory.
pub async fn sign_out() {
    let _ = crate::users::api::logout().await;
    crate::session::forget();
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href("/login");
    }
}
