//! The migrations are embedded by `sqlx::migrate!`; without this, adding one would not rebuild
//! the server and a stale binary would run without it.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
