//! Random helpers: per-record generators, weighted and uniform picks, portable draws, name keys.

use fastrand::Rng;

/// The streams records are drawn from (each record has its own generator).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Stream {
    Person = 1,
    Document = 2,
    Event = 3,
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of record `index` of a stream (and a retry `attempt`).
pub(crate) fn record_rng(seed: u64, stream: Stream, index: u64, attempt: u64) -> Rng {
    let a = splitmix(seed ^ splitmix(stream as u64));
    let b = splitmix(a ^ index);
    Rng::with_seed(splitmix(b ^ attempt.wrapping_mul(0xA24B_AED4_963E_E407)))
}

/// Whether an event with probability `percent` happens.
pub(crate) fn chance(rng: &mut Rng, percent: u32) -> bool {
    rng.u32(0..100) < percent
}

/// One of the items, by weight.
pub(crate) fn weighted<T: Copy>(rng: &mut Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut at = rng.u32(0..total.max(1));
    for (item, weight) in items {
        if at < *weight {
            return *item;
        }
        at -= weight;
    }
    items[items.len() - 1].0
}

pub(crate) fn pick_str(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    items[rng.usize(0..items.len())]
}

pub(crate) fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(0..items.len())]
}

// Random draws use only IEEE-754 operations that round the same on every
// platform (+, −, ×, ÷, sqrt), never the math library's ln, exp, cos or powf,
// so that a seed gives the same corpus everywhere.

/// A nearly standard normal deviate: the sum of twelve uniforms, less six (Irwin–Hall).
pub(crate) fn normal(rng: &mut Rng) -> f64 {
    (0..12).map(|_| rng.f64()).sum::<f64>() - 6.0
}

/// e^x for |x| < 700, from +, −, × and ÷ only: x = k·ln 2 + r, e^r by its series.
pub(crate) fn exp(x: f64) -> f64 {
    let k = (x / std::f64::consts::LN_2).round();
    let r = x - k * std::f64::consts::LN_2;
    let (mut term, mut sum) = (1.0, 1.0);
    for n in 1..=20 {
        term = term * r / f64::from(n);
        sum += term;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// `plain/variant` pairs separated by `|` (a plain entry is its own variant).
pub(crate) fn pairs(list: &'static str) -> Vec<(&'static str, &'static str)> {
    list.split('|')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| e.split_once('/').unwrap_or((e, e)))
        .collect()
}

pub(crate) fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The key names are compared by: letters and digits only, lowercase.
pub(crate) fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

pub(crate) fn initial(name: &str) -> String {
    name.chars()
        .next()
        .map(|c| format!("{c}."))
        .unwrap_or_default()
}
