use crate::i18n::*;
use crate::users::Role;

/// The translated name of a role.
pub fn role_label(i18n: leptos_i18n::I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Admin => t_string!(i18n, roles.admin),
        Role::Manager => t_string!(i18n, roles.manager),
        Role::Office => t_string!(i18n, roles.office),
        Role::Rep => t_string!(i18n, roles.rep),
    }
}
