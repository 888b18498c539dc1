//! Names, streets and neighbourhoods for realistic demo data in Dhaka.

pub const FIRST_NAMES: &[&str] = &[
    "Rahim", "Karim", "Fatema", "Ayesha", "Tanvir", "Nusrat", "Sadia", "Arif", "Mahmud", "Shirin", "Rafiq", "Farzana",
    "Imran", "Sabina", "Kamal", "Nasrin", "Habib", "Rumana", "Jahid", "Tahmina", "Shakil", "Lubna", "Mizanur",
    "Sharmin", "Anwar", "Roksana", "Faisal", "Moushumi", "Zahid", "Tasnim",
];
pub const LAST_NAMES: &[&str] = &[
    "Rahman",
    "Hossain",
    "Islam",
    "Ahmed",
    "Akter",
    "Chowdhury",
    "Khan",
    "Uddin",
    "Begum",
    "Sarkar",
    "Talukder",
    "Siddiqui",
    "Haque",
    "Mia",
    "Bhuiyan",
    "Majumder",
    "Das",
    "Saha",
    "Kabir",
    "Alam",
];
/// Names written in Bengali script, as many customers enter them.
pub const BENGALI_NAMES: &[&str] = &[
    "রহিম উদ্দিন",
    "ফাতেমা বেগম",
    "তানভীর আহমেদ",
    "নুসরাত জাহান",
    "আরিফ হোসেন",
    "সাবিনা ইয়াসমিন",
    "কামাল চৌধুরী",
    "শিরিন আক্তার",
    "মাহমুদুল হাসান",
    "রুমানা ইসলাম",
    "জাহিদ হাসান",
    "তাহমিনা খাতুন",
    "শাকিল খান",
    "লুবনা রহমান",
    "আনোয়ার হোসেন",
    "রোকসানা পারভীন",
];
/// Expatriate and diaspora buyers.
pub const ENGLISH_NAMES: &[&str] = &[
    "Sarah Mitchell",
    "James O'Connor",
    "Emily Clarke",
    "David Thompson",
    "Priya Nair",
    "Michael Chen",
    "Olivia Bennett",
    "Daniel Novak",
];
pub const COMPANIES: &[&str] = &[
    "Shanta Holdings Ltd",
    "Meghna Traders",
    "Padma Textiles",
    "Bengal Build Co.",
    "Jamuna Agro Ltd",
    "Karnaphuli Logistics",
    "Sundarban Foods",
    "Rupali Ceramics",
    "Teesta Pharma",
    "Dhaka Steel Works",
];
pub const TAGS: &[&str] = &["buyer", "seller", "investor", "tenant", "landlord", "vip", "referral", "corporate"];

/// A neighbourhood: name, map colour, centre (lat, lon), and half-size in degrees (lat, lon).
pub struct Area {
    pub name: &'static str,
    pub colour: &'static str,
    pub centre: (f64, f64),
    pub half: (f64, f64),
    pub streets: &'static [&'static str],
}

pub const AREAS: &[Area] = &[
    Area {
        name: "Gulshan",
        colour: "#0f766e",
        centre: (23.7925, 90.4150),
        half: (0.0120, 0.0090),
        streets: &["Gulshan Avenue", "Road 11, Gulshan 2", "Road 35, Gulshan 2", "Road 103, Gulshan 2"],
    },
    Area {
        name: "Banani",
        colour: "#7c3aed",
        centre: (23.7937, 90.4005),
        half: (0.0090, 0.0055),
        streets: &["Road 11, Banani", "Kemal Ataturk Avenue", "Road 27, Banani", "Road 4, Block C"],
    },
    Area {
        name: "Dhanmondi",
        colour: "#c2410c",
        centre: (23.7465, 90.3760),
        half: (0.0110, 0.0090),
        streets: &["Satmasjid Road", "Road 27, Dhanmondi", "Road 8A", "Mirpur Road"],
    },
    Area {
        name: "Mirpur",
        colour: "#2563eb",
        centre: (23.8120, 90.3600),
        half: (0.0150, 0.0120),
        streets: &["Section 10, Mirpur", "Section 2, Mirpur", "Begum Rokeya Sarani", "Pallabi"],
    },
    Area {
        name: "Uttara",
        colour: "#be123c",
        centre: (23.8725, 90.3925),
        half: (0.0160, 0.0150),
        streets: &["Sector 7, Uttara", "Sector 4, Uttara", "Sector 13, Uttara", "Jasimuddin Avenue"],
    },
    Area {
        name: "Bashundhara",
        colour: "#a16207",
        centre: (23.8175, 90.4350),
        half: (0.0120, 0.0140),
        streets: &["Block D, Bashundhara R/A", "Block F, Bashundhara R/A", "Road 8, Block C", "Madani Avenue"],
    },
];

impl Area {
    /// An irregular octagon around the centre, as a closed `GeoJSON` ring (lon, lat).
    pub fn ring(&self) -> Vec<[f64; 2]> {
        const WOBBLE: [f64; 8] = [1.0, 0.86, 1.0, 0.9, 0.97, 0.84, 1.0, 0.92];
        let mut ring: Vec<[f64; 2]> = (0..8u8)
            .map(|i| {
                let angle = std::f64::consts::PI / 4.0 * f64::from(i) + std::f64::consts::PI / 8.0;
                let w = WOBBLE[usize::from(i)];
                [self.centre.1 + self.half.1 * w * angle.cos(), self.centre.0 + self.half.0 * w * angle.sin()]
            })
            .collect();
        ring.push(ring[0]);
        ring
    }
}

/// One of `items`, at random.
pub fn pick<R: rand::Rng, T: Copy>(rng: &mut R, items: &[T]) -> T {
    items[rng.gen_range(0..items.len())]
}

/// A generated person's first and last name, and the full name: with a middle name
/// `middle_share` (0–1) of the time.
pub fn person_name<R: rand::Rng>(rng: &mut R, middle_share: f64) -> (&'static str, &'static str, String) {
    let first = FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())];
    let last = LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())];
    let name = if rng.gen_bool(middle_share) {
        let middle = FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())];
        format!("{first} {middle} {last}")
    } else {
        format!("{first} {last}")
    };
    (first, last, name)
}

/// A Bangladeshi mobile number: +880, an operator's prefix and eight digits.
pub fn mobile_number<R: rand::Rng>(rng: &mut R) -> String {
    let operator = ["13", "14", "15", "16", "17", "18", "19"][rng.gen_range(0..7)];
    format!("+880{operator}{:08}", rng.gen_range(0..100_000_000u32))
}

/// The address of generated person number `i` (unique by `i`).
pub fn email_address(first: &str, last: &str, i: usize) -> String {
    format!("{}.{}{i}@example.com", first.to_lowercase(), last.to_lowercase())
}

/// A generated contact's tags: one of [`TAGS`], and a tenth of the time a company's first word.
pub fn tags<R: rand::Rng>(rng: &mut R) -> Vec<String> {
    let mut tags = vec![TAGS[rng.gen_range(0..TAGS.len())].to_string()];
    if rng.gen_bool(0.1) {
        let company = COMPANIES[rng.gen_range(0..COMPANIES.len())];
        tags.push(company.split_whitespace().next().unwrap_or(company).to_lowercase());
    }
    tags
}
