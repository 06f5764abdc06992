//! Property: a Chinese numeral written for n in 1..=999 reads back as n.

use ecoduty_regulation::numerals::{marker, parse_chinese, to_chinese, MarkerKind};
use proptest::prelude::*;

/// An independent writer for the test, built from the spoken form rather than place values.
fn spoken(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (h, t, o) = (n / 100, (n / 10) % 10, n % 10);
    let mut s = String::new();
    if h > 0 {
        s += D[h as usize];
        s += "百";
    }
    match (h > 0, t, o) {
        (_, 0, 0) => {}
        (true, 0, o) => {
            s += "零";
            s += D[o as usize];
        }
        (false, 1, o) => {
            s += "十";
            if o > 0 {
                s += D[o as usize];
            }
        }
        (_, t, o) => {
            if t > 0 {
                s += D[t as usize];
                s += "十";
            }
            if o > 0 {
                s += D[o as usize];
            }
        }
    }
    s
}

#[test]
fn the_spoken_writer_agrees_with_known_forms() {
    assert_eq!(spoken(1), "一");
    assert_eq!(spoken(10), "十");
    assert_eq!(spoken(11), "十一");
    assert_eq!(spoken(20), "二十");
    assert_eq!(spoken(103), "一百零三");
    assert_eq!(spoken(110), "一百一十");
    assert_eq!(spoken(999), "九百九十九");
}

proptest! {
    #[test]
    fn a_written_numeral_reads_back(n in 1u32..=999) {
        prop_assert_eq!(parse_chinese(&spoken(n)), Some(n));
        prop_assert_eq!(to_chinese(n), spoken(n));
    }

    #[test]
    fn article_markers_read_back(n in 1u32..=999) {
        let heading = format!("第{}条 内容。", spoken(n));
        let m = marker(&heading).unwrap();
        prop_assert_eq!(m.kind, MarkerKind::Article);
        prop_assert_eq!(m.number, n);
        prop_assert_eq!(m.rest, "内容。");
    }

    #[test]
    fn library_writer_round_trips_to_9999(n in 0u32..=9999) {
        prop_assert_eq!(parse_chinese(&to_chinese(n)), if n == 0 { None } else { Some(n) });
    }
}
