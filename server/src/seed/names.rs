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
    /// An irregular octagon around the centre, as a closed GeoJSON ring (lon, lat).
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
