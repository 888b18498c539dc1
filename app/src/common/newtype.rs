//! The serde and text glue shared by string newtypes that are built only by their `parse`.

/// For `struct $name(String)` with `fn parse(&str) -> Result<Self, FieldError>`: JSON goes through
/// `parse` (so an invalid value cannot be deserialized), and the text is readable as `&str`.
macro_rules! string_newtype {
    ($name:ident) => {
        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                Self::parse(&s).map_err(|e| e.message())
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

pub(crate) use string_newtype;
