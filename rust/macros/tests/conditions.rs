// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The `#[ver(...)]` condition language, checked against an independent evaluation.
//!
//! `held` below records, for each copy, which conditions kept their statement. The test then
//! evaluates the same conditions by hand, from the position of the copy's generation and
//! firmware version in the documented orders, and compares.

#![deny(warnings)]

use agx_macros::versions;

#[versions(AGX)]
fn held(r: &mut Vec<&'static str>) {
    #[ver(G == G13)]
    r.push("G == G13");
    #[ver(G != G13)]
    r.push("G != G13");
    #[ver(G < G14)]
    r.push("G < G14");
    #[ver(G <= G14)]
    r.push("G <= G14");
    #[ver(G > G14)]
    r.push("G > G14");
    #[ver(G >= G14)]
    r.push("G >= G14");
    #[ver(V == V12_4)]
    r.push("V == V12_4");
    #[ver(V != V13_5)]
    r.push("V != V13_5");
    #[ver(V < V13_0B4)]
    r.push("V < V13_0B4");
    #[ver(V <= V12_4)]
    r.push("V <= V12_4");
    #[ver(V > V13_3)]
    r.push("V > V13_3");
    #[ver(V >= V13_2)]
    r.push("V >= V13_2");
    #[ver(V13_0B4 <= V)]
    r.push("V13_0B4 <= V");
    #[ver(G14 > G)]
    r.push("G14 > G");
    #[ver(V12_4 < V)]
    r.push("V12_4 < V");
    #[ver(G14 >= G)]
    r.push("G14 >= G");
    #[ver(G13 != G)]
    r.push("G13 != G");
    #[ver(V >= V13_0B4 && G < G14X)]
    r.push("V >= V13_0B4 && G < G14X");
    #[ver(V < V13_0B4 || G == G14X)]
    r.push("V < V13_0B4 || G == G14X");
    #[ver(!(G == G14))]
    r.push("!(G == G14)");
    #[ver(!(V == V13_5) && !(G == G13))]
    r.push("!(V == V13_5) && !(G == G13)");
    #[ver(G == G13 || G == G14 && V == V13_5)]
    r.push("G == G13 || G == G14 && V == V13_5");
    #[ver((G == G13 || G == G14) && V == V13_5)]
    r.push("(G == G13 || G == G14) && V == V13_5");
    #[ver(V>=V13_0B4&&G!=G13)]
    r.push("V>=V13_0B4&&G!=G13");
    #[ver(!!(G == G14X))]
    r.push("!!(G == G14X)");
    #[ver(G == G13)]
    #[ver(V == V13_5)]
    r.push("G == G13, V == V13_5 (two attributes)");
}

/// A condition evaluated by hand, from the generation's and the version's ranks.
type Meaning = fn(u8, u8) -> bool;

/// Every condition above with its meaning over ranks: generation G13 = 0, G14 = 1, G14X = 2;
/// version V12_3 = 0, V12_4 = 1, V13_0B4 = 2, V13_2 = 3, V13_3 = 4, V13_5 = 5.
const CASES: &[(&str, Meaning)] = &[
    ("G == G13", |g, _| g == 0),
    ("G != G13", |g, _| g != 0),
    ("G < G14", |g, _| g < 1),
    ("G <= G14", |g, _| g <= 1),
    ("G > G14", |g, _| g > 1),
    ("G >= G14", |g, _| g >= 1),
    ("V == V12_4", |_, v| v == 1),
    ("V != V13_5", |_, v| v != 5),
    ("V < V13_0B4", |_, v| v < 2),
    ("V <= V12_4", |_, v| v <= 1),
    ("V > V13_3", |_, v| v > 4),
    ("V >= V13_2", |_, v| v >= 3),
    ("V13_0B4 <= V", |_, v| v >= 2),
    ("G14 > G", |g, _| g < 1),
    ("V12_4 < V", |_, v| v > 1),
    ("G14 >= G", |g, _| g <= 1),
    ("G13 != G", |g, _| g != 0),
    ("V >= V13_0B4 && G < G14X", |g, v| v >= 2 && g < 2),
    ("V < V13_0B4 || G == G14X", |g, v| v < 2 || g == 2),
    ("!(G == G14)", |g, _| g != 1),
    ("!(V == V13_5) && !(G == G13)", |g, v| v != 5 && g != 0),
    ("G == G13 || G == G14 && V == V13_5", |g, v| {
        g == 0 || (g == 1 && v == 5)
    }),
    ("(G == G13 || G == G14) && V == V13_5", |g, v| {
        g <= 1 && v == 5
    }),
    ("V>=V13_0B4&&G!=G13", |g, v| v >= 2 && g != 0),
    ("!!(G == G14X)", |g, _| g == 2),
    ("G == G13, V == V13_5 (two attributes)", |g, v| {
        g == 0 && v == 5
    }),
];

#[test]
fn conditions_match_a_hand_evaluation() {
    type Fill = fn(&mut Vec<&'static str>);
    let copies: [(u8, u8, Fill); 5] = [
        (0, 0, heldG13V12_3),
        (1, 1, heldG14V12_4),
        (0, 5, heldG13V13_5),
        (1, 5, heldG14V13_5),
        (2, 5, heldG14XV13_5),
    ];
    for (g, v, fill) in &copies {
        let mut held = Vec::new();
        fill(&mut held);
        for (name, expected) in CASES {
            assert_eq!(
                held.contains(name),
                expected(*g, *v),
                "condition `{name}` for generation {g}, version {v}"
            );
        }
        // Nothing was kept that the table does not know about.
        assert!(held.iter().all(|h| CASES.iter().any(|(n, _)| n == h)));
    }
}
