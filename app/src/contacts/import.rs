//! CSV import, the pure part: which contact field each column of a file holds (guessed from the
//! headers of common CRM exports and the business's own fields, then confirmed by the user),
//! and turning one row into a [`ContactForCreate`] with the same validation as the form and the
//! API.

use super::{ContactForCreate, LatLon};
use crate::fields::FieldDef;
use serde::{Deserialize, Serialize};

/// What a column of the file goes to: a built-in field, or one of the business's own contact
/// fields by key. On the wire (`mapping`, the preview) it is the field's name or `custom.<key>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Column {
    Field(ImportField),
    Custom(String),
}

impl Column {
    pub fn as_param(&self) -> String {
        match self {
            Column::Field(f) => f.as_str().to_string(),
            Column::Custom(key) => format!("custom.{key}"),
        }
    }

    pub fn parse(raw: &str) -> Option<Column> {
        let raw = raw.trim();
        match raw.strip_prefix("custom.") {
            Some(key) if !key.is_empty() => Some(Column::Custom(key.to_string())),
            Some(_) => None,
            None => ImportField::parse(raw).map(Column::Field),
        }
    }
}

impl From<Column> for String {
    fn from(c: Column) -> String {
        c.as_param()
    }
}

impl TryFrom<String> for Column {
    type Error = String;
    fn try_from(raw: String) -> Result<Column, String> {
        Column::parse(&raw).ok_or_else(|| format!("{raw:?} is not a field"))
    }
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ImportField {
    Name,
    FirstName,
    LastName,
    Company,
    Email,
    Phone,
    Address,
    City,
    Postcode,
    Country,
    Tags,
    Lat,
    Lon,
    Lifecycle,
    Source,
    Notes,
    /// Left out of the import.
    Ignore,
}

/// Header spellings of `HubSpot`, Salesforce, Zoho, Pipedrive, Google and Outlook exports,
/// compared after lower-casing and dropping everything but letters and digits.
const ALIASES: &[(ImportField, &[&str])] = &[
    (ImportField::Name, &["name", "fullname", "contactname", "displayname", "contact", "person"]),
    (ImportField::FirstName, &["firstname", "givenname", "first", "forename"]),
    (ImportField::LastName, &["lastname", "familyname", "surname", "last"]),
    (
        ImportField::Company,
        &[
            "company",
            "companyname",
            "accountname",
            "organization",
            "organisation",
            "organizationname",
            "account",
            "employer",
        ],
    ),
    (
        ImportField::Email,
        &[
            "email",
            "emailaddress",
            "email1value",
            "email1",
            "primaryemail",
            "workemail",
            "email2",
            "emailaddress2",
            "email2value",
            "secondaryemail",
        ],
    ),
    (
        ImportField::Phone,
        &[
            "phone",
            "phonenumber",
            "mobile",
            "mobilephone",
            "mobilenumber",
            "cell",
            "cellphone",
            "phone1value",
            "phone2value",
            "workphone",
            "homephone",
            "businessphone",
            "telephone",
            "tel",
        ],
    ),
    (
        ImportField::Address,
        &[
            "address",
            "street",
            "streetaddress",
            "mailingstreet",
            "address1",
            "addressline1",
            "businessstreet",
            "homestreet",
            "address1street",
        ],
    ),
    (ImportField::City, &["city", "town", "mailingcity", "businesscity", "address1city"]),
    (
        ImportField::Postcode,
        &[
            "postcode",
            "postalcode",
            "zip",
            "zipcode",
            "mailingzip",
            "mailingpostalcode",
            "businesspostalcode",
            "address1postalcode",
        ],
    ),
    (ImportField::Country, &["country", "countryregion", "mailingcountry", "businesscountryregion", "address1country"]),
    (ImportField::Tags, &["tags", "tag", "labels", "label", "segment", "segments", "groupmembership", "categories"]),
    (ImportField::Lat, &["lat", "latitude"]),
    (ImportField::Lon, &["lon", "lng", "long", "longitude"]),
    (ImportField::Lifecycle, &["lifecycle", "lifecyclestage", "stage", "leadstatus", "status"]),
    (ImportField::Source, &["source", "leadsource", "originalsource"]),
    (ImportField::Notes, &["notes", "note", "description", "comments", "comment"]),
];

fn squash(header: &str) -> String {
    header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The field a header most likely names; [`ImportField::Ignore`] when unknown.
pub fn suggest(header: &str) -> ImportField {
    let h = squash(header);
    ALIASES.iter().find(|(_, names)| names.contains(&h.as_str())).map_or(ImportField::Ignore, |(f, _)| *f)
}

/// The suggested mapping of a header row. A field that allows one value (all but email,
/// phone and tags) is suggested for its first column only; a header no built-in field knows
/// goes to the business's own field of that label or key (as an export names it).
pub fn suggest_all(headers: &[String], custom: &[FieldDef]) -> Vec<Column> {
    let mut taken = Vec::new();
    headers
        .iter()
        .map(|h| {
            let f = suggest(h);
            if f == ImportField::Ignore {
                let own = custom.iter().find(|d| {
                    let h = squash(h);
                    [Some(d.label.en.as_str()), d.label.bn.as_deref(), Some(d.key.as_str())]
                        .into_iter()
                        .flatten()
                        .any(|name| squash(name) == h)
                });
                if let Some(d) = own.filter(|d| !taken.contains(&Column::Custom(d.key.clone()))) {
                    taken.push(Column::Custom(d.key.clone()));
                    return Column::Custom(d.key.clone());
                }
            }
            let many = matches!(f, ImportField::Email | ImportField::Phone | ImportField::Tags | ImportField::Ignore);
            if !many && taken.contains(&Column::Field(f)) {
                return Column::Field(ImportField::Ignore);
            }
            taken.push(Column::Field(f));
            Column::Field(f)
        })
        .collect()
}

/// One row of the file: the contact to create, and the company it belongs to (by name).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub contact: ContactForCreate,
    /// The company column of a person's row; the importer links (or creates) the company.
    /// A row with a company and no person's name is the company itself.
    pub company: Option<String>,
}

/// One row of the file, by the confirmed `mapping` (one field per column; extra cells are
/// ignored, missing ones are blank). A custom column's cell is read as an export writes it
/// ([`crate::fields::values::import_value`]); its check against the definition comes later,
/// with the contact's.
pub fn row_to_contact(mapping: &[Column], row: &[&str], custom: &[FieldDef]) -> ImportRow {
    let cell = |field: ImportField| -> Vec<&str> {
        mapping
            .iter()
            .zip(row.iter().chain(std::iter::repeat(&"")))
            .filter(|(f, v)| **f == Column::Field(field) && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
            .collect()
    };
    let own: serde_json::Map<String, serde_json::Value> = mapping
        .iter()
        .zip(row.iter().chain(std::iter::repeat(&"")))
        .filter(|(_, v)| !v.trim().is_empty())
        .filter_map(|(c, v)| match c {
            Column::Custom(key) => {
                let value = match custom.iter().find(|d| d.key == *key) {
                    Some(def) => crate::fields::values::import_value(def, v),
                    None => serde_json::Value::String(v.trim().to_string()),
                };
                Some((key.clone(), value))
            }
            Column::Field(_) => None,
        })
        .collect();
    let one = |field| cell(field).first().map(|v| (*v).to_string());
    let name = one(ImportField::Name).unwrap_or_else(|| {
        [one(ImportField::FirstName), one(ImportField::LastName)].into_iter().flatten().collect::<Vec<_>>().join(" ")
    });
    let address_parts: Vec<String> =
        [ImportField::Address, ImportField::City, ImportField::Postcode, ImportField::Country]
            .into_iter()
            .filter_map(one)
            .collect();
    let split = |values: Vec<&str>| -> Vec<String> {
        values
            .iter()
            .flat_map(|v| v.split([';', ',', '|']))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let location =
        match (one(ImportField::Lat).map(|v| v.parse::<f64>()), one(ImportField::Lon).map(|v| v.parse::<f64>())) {
            (Some(Ok(lat)), Some(Ok(lon))) => Some(LatLon { lat, lon }),
            // One coordinate without the other, or text: sent as out of range so the row is
            // rejected with a location error rather than silently imported without a position.
            (None, None) => None,
            _ => Some(LatLon { lat: f64::NAN, lon: f64::NAN }),
        };
    let mut company = one(ImportField::Company);
    let mut contact = ContactForCreate {
        kind: None,
        name,
        lifecycle: one(ImportField::Lifecycle).map(|l| l.to_lowercase()),
        source: one(ImportField::Source).or_else(|| Some("import".into())),
        tags: split(cell(ImportField::Tags)),
        phones: split(cell(ImportField::Phone)),
        emails: split(cell(ImportField::Email)),
        address: (!address_parts.is_empty()).then(|| address_parts.join(", ")),
        location,
        notes: one(ImportField::Notes),
        custom: own,
        ..Default::default()
    };
    if contact.name.trim().is_empty() {
        if let Some(company) = company.take() {
            contact.name = company;
            contact.kind = Some("company".into());
        }
    }
    ImportRow { contact, company }
}

#[cfg(test)]
mod tests {
    use super::ImportField::*;
    use super::*;

    /// The suggestion for `headers` with no fields of the business's own, as built-in fields.
    fn suggested(headers: &[&str]) -> Vec<ImportField> {
        let headers: Vec<String> = headers.iter().map(|h| (*h).to_string()).collect();
        suggest_all(&headers, &[])
            .into_iter()
            .map(|c| match c {
                Column::Field(f) => f,
                Column::Custom(key) => panic!("custom {key}"),
            })
            .collect()
    }

    fn columns(fields: &[ImportField]) -> Vec<Column> {
        fields.iter().map(|f| Column::Field(*f)).collect()
    }

    #[test]
    fn headers_of_common_crm_exports_map_automatically() {
        let hubspot = [
            "First Name",
            "Last Name",
            "Email",
            "Phone Number",
            "Company Name",
            "Street Address",
            "City",
            "Postal Code",
            "Country/Region",
            "Lifecycle Stage",
        ];
        assert_eq!(
            suggested(&hubspot),
            [FirstName, LastName, Email, Phone, Company, Address, City, Postcode, Country, Lifecycle]
        );
        let salesforce = [
            "FirstName",
            "LastName",
            "Email",
            "MobilePhone",
            "Phone",
            "Account Name",
            "MailingStreet",
            "MailingCity",
            "Latitude",
            "Longitude",
            "Lead Source",
        ];
        assert_eq!(
            suggested(&salesforce),
            [FirstName, LastName, Email, Phone, Phone, Company, Address, City, Lat, Lon, Source]
        );
        let google = [
            "Given Name",
            "Family Name",
            "E-mail 1 - Value",
            "Phone 1 - Value",
            "Group Membership",
            "Favourite colour",
        ];
        assert_eq!(suggested(&google), [FirstName, LastName, Email, Phone, Tags, Ignore]);
        assert_eq!(suggested(&["City", "Town"]), [City, Ignore], "one column per single field");
    }

    #[test]
    fn a_row_becomes_a_contact_that_validates_like_the_form() {
        let mapping = [FirstName, LastName, Email, Phone, Phone, Company, City, Tags, Lat, Lon];
        let row = [
            "Rahim",
            "Uddin",
            "Rahim@Example.com",
            "01711-234567",
            "",
            "Padma Ltd",
            "Dhaka",
            "vip; buyer",
            "23.78",
            "90.41",
        ];
        let imported = row_to_contact(&columns(&mapping), &row, &[]);
        assert_eq!(imported.company.as_deref(), Some("Padma Ltd"));
        let c = imported.contact.validate().unwrap();
        assert_eq!(c.name, "Rahim Uddin");
        assert_eq!(c.emails[0].as_str(), "rahim@example.com");
        assert_eq!(c.phones.len(), 1);
        assert_eq!(c.tags, ["vip", "buyer"]);
        assert_eq!(c.address.as_deref(), Some("Dhaka"));
        assert_eq!(c.kind, crate::contacts::ContactKind::Person);
        assert!(c.location.is_some());
    }

    #[test]
    fn a_row_with_only_a_company_is_the_company() {
        let row = row_to_contact(&columns(&[Name, Company, Phone]), &["", "Padma Ltd", "01711-234567"], &[]);
        assert_eq!(row.company, None);
        assert_eq!(row.contact.name, "Padma Ltd");
        assert_eq!(row.contact.kind.as_deref(), Some("company"));
    }

    #[test]
    fn a_bad_row_names_its_fields() {
        let mapping = [Name, Email, Lat];
        let e = row_to_contact(&columns(&mapping), &["", "not-an-email", "23.7"], &[]).contact.validate().unwrap_err();
        assert_eq!(e.0.keys().map(String::as_str).collect::<Vec<_>>(), ["emails.0", "location", "name"]);
    }
}

/// What an import does with a row that matches an existing contact or an earlier row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum DuplicatePolicy {
    /// Leave it out (it is listed in the report of rows left out).
    #[default]
    Skip,
    /// Fold it into the existing contact: new phones, emails and tags are added and empty
    /// fields filled; nothing is overwritten. (A repeat within the file is left out.)
    Merge,
    /// Import it as a new contact anyway (the duplicates view finds it later).
    Create,
}

impl DuplicatePolicy {
    pub const ALL: [DuplicatePolicy; 3] = [DuplicatePolicy::Skip, DuplicatePolicy::Merge, DuplicatePolicy::Create];

    pub fn as_str(self) -> &'static str {
        match self {
            DuplicatePolicy::Skip => "skip",
            DuplicatePolicy::Merge => "merge",
            DuplicatePolicy::Create => "create",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == raw)
    }
}

/// `POST /api/v1/contacts/import/preview`: what the start of a file holds and how its columns
/// would map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportPreview {
    pub headers: Vec<String>,
    /// Per column: a field's name (`email`), `custom.<key>`, or `ignore`.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>))]
    pub mapping: Vec<Column>,
    /// The first rows, as text.
    pub rows: Vec<Vec<String>>,
}

/// Where an import stands (`GET /api/v1/contacts/import/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportStatus {
    pub id: String,
    pub state: ImportState,
    /// Bytes of the file read so far, and its size: the progress bar.
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// Data rows read so far.
    pub rows: u64,
    pub imported: u64,
    /// Rows matching an existing contact (same email or phone, or a very similar name at the
    /// same company) or an earlier row of the file, left out.
    pub duplicates: u64,
    /// Rows folded into the existing contact they match ([`DuplicatePolicy::Merge`]).
    #[serde(default)]
    pub merged: u64,
    /// Rows that did not validate (listed, with the reason, in the rejected-rows report).
    pub rejected: u64,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ImportState {
    Running,
    /// Committed: every valid row is in.
    Done,
    /// Rolled back: nothing of the file is in.
    Failed,
}

impl ImportField {
    pub const ALL: [ImportField; 17] = [
        Self::Name,
        Self::FirstName,
        Self::LastName,
        Self::Company,
        Self::Email,
        Self::Phone,
        Self::Address,
        Self::City,
        Self::Postcode,
        Self::Country,
        Self::Tags,
        Self::Lat,
        Self::Lon,
        Self::Lifecycle,
        Self::Source,
        Self::Notes,
        Self::Ignore,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::FirstName => "first_name",
            Self::LastName => "last_name",
            Self::Company => "company",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Address => "address",
            Self::City => "city",
            Self::Postcode => "postcode",
            Self::Country => "country",
            Self::Tags => "tags",
            Self::Lat => "lat",
            Self::Lon => "lon",
            Self::Lifecycle => "lifecycle",
            Self::Source => "source",
            Self::Notes => "notes",
            Self::Ignore => "ignore",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw.trim())
    }
}

/// The `mapping` query parameter: field names (or `custom.<key>`) in column order,
/// comma-separated.
pub fn mapping_param(mapping: &[Column]) -> String {
    mapping.iter().map(Column::as_param).collect::<Vec<_>>().join(",")
}

pub fn parse_mapping_param(raw: &str) -> Option<Vec<Column>> {
    raw.split(',').map(Column::parse).collect()
}
