//! The navigation entries, and which roles see them.

use crate::users::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Today,
    Contacts,
    Listings,
    Calendar,
    Pipeline,
    Tasks,
    Territories,
    More,
    Users,
    ApiKeys,
    Forms,
    Fields,
    Templates,
    Campaigns,
    Dashboard,
    Reports,
}

impl Entry {
    pub fn href(self) -> &'static str {
        match self {
            Entry::Today => "/",
            Entry::Contacts => "/contacts",
            Entry::Listings => "/listings",
            Entry::Calendar => "/calendar",
            Entry::Pipeline => "/pipeline",
            Entry::Tasks => "/tasks",
            Entry::Territories => "/territories",
            Entry::More => "/more",
            Entry::Users => "/admin/users",
            Entry::ApiKeys => "/admin/api-keys",
            Entry::Forms => "/admin/forms",
            Entry::Fields => "/admin/fields",
            Entry::Templates => "/templates",
            Entry::Campaigns => "/campaigns",
            Entry::Dashboard => "/dashboard",
            Entry::Reports => "/reports",
        }
    }

    pub fn icon(self) -> &'static str {
        match self {
            Entry::Today => "today",
            Entry::Contacts => "contacts",
            Entry::Listings => "listings",
            Entry::Calendar => "calendar",
            Entry::Pipeline => "pipeline",
            Entry::Tasks => "tasks",
            Entry::Territories => "map",
            Entry::More => "more",
            Entry::Users => "users",
            Entry::ApiKeys => "key",
            Entry::Forms => "form",
            Entry::Fields => "list",
            Entry::Templates => "mail",
            Entry::Campaigns => "share",
            Entry::Dashboard => "chart",
            Entry::Reports => "list",
        }
    }
}

/// The phone's bottom tab bar: the same five for everyone.
pub const TABS: [Entry; 5] = [Entry::Today, Entry::Contacts, Entry::Listings, Entry::Calendar, Entry::More];

/// Reached from "More" on a phone; in the sidebar on desktop.
pub const SECONDARY: [Entry; 4] = [Entry::Dashboard, Entry::Pipeline, Entry::Tasks, Entry::Territories];

/// The desktop sidebar: the tabs, the pipeline and follow-ups, and what the role administers.
pub fn sidebar(role: Role) -> Vec<Entry> {
    let mut entries = TABS.to_vec();
    entries.splice(4..4, SECONDARY);
    if role != Role::Rep {
        entries.extend([Entry::Reports, Entry::Templates, Entry::Campaigns]);
    }
    if role.can_administer() {
        entries.extend([Entry::Users, Entry::ApiKeys, Entry::Forms, Entry::Fields]);
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_see_administration_in_the_sidebar() {
        for role in Role::ALL {
            assert_eq!(sidebar(role).contains(&Entry::Users), role == Role::Admin, "{role:?}");
        }
    }
}
