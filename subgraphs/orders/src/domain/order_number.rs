//! Human-readable order numbers such as `SG20261126-7K3QX9TA`: the date the
//! order was placed and eight random characters from an alphabet without
//! look-alikes (no 0/O, 1/I/L), read out over the phone without confusion.
//! Uniqueness is enforced by the `customer_order_number_key` constraint.

use rand::Rng;

const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A new order number for an order placed at `millis` since the epoch.
pub fn new_order_number(millis: i64) -> String {
    let days = millis.div_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    let mut rng = rand::thread_rng();
    let suffix: String = (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("SG{year:04}{month:02}{day:02}-{suffix}")
}

/// Days since 1970-01-01 to a (year, month, day) civil date (H. Hinnant's
/// algorithm), to avoid a date crate for one format.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_numbers_carry_the_date_and_a_random_suffix() {
        // 2026-11-26T01:00:00Z
        let number = new_order_number(1_795_654_800_000);
        assert!(number.starts_with("SG20261126-"), "{number}");
        assert_eq!(number.len(), "SG20261126-".len() + 8);
        assert_ne!(number, new_order_number(1_795_654_800_000));
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(11_017), (2000, 3, 1));
    }
}
