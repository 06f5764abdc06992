//! Public complaints (信访/举报): the problems people report (Art. 4(4): 群众反映强烈的突出
//! 生态环境问题). A complaint is received, assigned to the responsible unit, answered by a
//! deadline, and may be promoted to a finding. The complainant follows it with a tracking code
//! that is random and cannot be guessed; only its digest is stored.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::keyed_enum;

keyed_enum! {
    /// Where a complaint stands.
    ComplaintStatus {
        Received => "received", "已受理",
        Assigned => "assigned", "已转办",
        Answered => "answered", "已答复",
    }
}

keyed_enum! {
    /// How the complaint came in.
    Channel {
        Web => "web", "网上",
        Phone => "phone", "电话",
        Letter => "letter", "来信",
        Visit => "visit", "来访",
    }
}

/// Days to answer when the assigning unit sets no date: complaints are to be concluded
/// within 60 days (信访工作条例).
pub const DEFAULT_ANSWER_DAYS: u32 = 60;

/// The answer deadline of a complaint received on `received`.
pub fn answer_due(received: NaiveDate, days: u32) -> NaiveDate {
    received + Duration::days(i64::from(days))
}

/// Whether the complaint is still unanswered after its deadline.
pub fn is_overdue(status: ComplaintStatus, due: Option<NaiveDate>, today: NaiveDate) -> bool {
    status != ComplaintStatus::Answered && due.is_some_and(|d| d < today)
}

/// Files a complainant may attach to one complaint (each within the evidence upload limit and
/// of an accepted kind, see [`super::evidence::check`]).
pub const MAX_ATTACHMENTS: usize = 3;

/// What a complainant submits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplaintForm {
    pub text: String,
    pub address: String,
    pub contact: Option<String>,
}

/// Checks a submitted form: the problem described, lengths bounded (a public form must not
/// store whatever it is sent).
pub fn check_form(form: &ComplaintForm) -> Result<(), String> {
    let n = form.text.trim().chars().count();
    if n < 5 {
        return Err("请描述反映的问题(至少5个字)".into());
    }
    if n > 5000 {
        return Err("问题描述不超过5000字".into());
    }
    if form.address.trim().chars().count() > 200 {
        return Err("地址不超过200字".into());
    }
    if form
        .contact
        .as_deref()
        .is_some_and(|c| c.trim().chars().count() > 100)
    {
        return Err("联系方式不超过100字".into());
    }
    Ok(())
}

/// Crockford's base-32 alphabet: no I, L, O or U, so a code read aloud or copied by hand
/// survives.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters in a tracking code (100 bits).
pub const CODE_CHARS: usize = 20;

/// Random bytes a tracking code is made from.
pub const CODE_BYTES: usize = 13;

/// A tracking code from random bytes: 20 characters in groups of four, XXXX-XXXX-….
pub fn tracking_code(random: &[u8; CODE_BYTES]) -> String {
    let mut bits: u128 = 0;
    for b in random {
        bits = (bits << 8) | u128::from(*b);
    }
    let mut chars = Vec::with_capacity(CODE_CHARS);
    for i in 0..CODE_CHARS {
        let shift = 5 * (CODE_CHARS - 1 - i);
        chars.push(ALPHABET[((bits >> shift) & 31) as usize] as char);
    }
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A tracking code as typed back: any case, with or without dashes and spaces, O for 0 and
/// I or L for 1. Returns the canonical 20 characters (without dashes), or why it is no code.
pub fn normalise_tracking_code(input: &str) -> Result<String, String> {
    let mut out = String::with_capacity(CODE_CHARS);
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
            return Err("查询码有误:应为20位字母数字".into());
        }
        out.push(c);
    }
    if out.len() != CODE_CHARS {
        return Err("查询码有误:应为20位字母数字".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn deadlines() {
        assert_eq!(
            answer_due(d("2026-03-01"), DEFAULT_ANSWER_DAYS),
            d("2026-04-30")
        );
        assert!(is_overdue(
            ComplaintStatus::Assigned,
            Some(d("2026-04-30")),
            d("2026-05-01")
        ));
        assert!(!is_overdue(
            ComplaintStatus::Assigned,
            Some(d("2026-04-30")),
            d("2026-04-30")
        ));
        assert!(!is_overdue(
            ComplaintStatus::Answered,
            Some(d("2026-04-30")),
            d("2026-05-01")
        ));
        assert!(!is_overdue(
            ComplaintStatus::Received,
            None,
            d("2026-05-01")
        ));
    }

    #[test]
    fn forms() {
        let form = |text: &str, contact: Option<&str>| ComplaintForm {
            text: text.into(),
            address: "焦作市解放区某路".into(),
            contact: contact.map(str::to_string),
        };
        assert!(check_form(&form("河边夜间偷排污水,气味刺鼻", None)).is_ok());
        assert!(check_form(&form("臭", None)).is_err());
        assert!(check_form(&form(&"很".repeat(5001), None)).is_err());
        assert!(check_form(&form("河边夜间偷排污水", Some(&"1".repeat(101)))).is_err());
    }

    #[test]
    fn tracking_codes_round_trip_and_forgive_typing() {
        let code = tracking_code(&[0xA5; CODE_BYTES]);
        assert_eq!(code.len(), CODE_CHARS + 4);
        assert_eq!(code.matches('-').count(), 4);
        let canonical = normalise_tracking_code(&code).unwrap();
        assert_eq!(canonical, code.replace('-', ""));
        assert_eq!(
            normalise_tracking_code(&code.to_lowercase()).unwrap(),
            canonical
        );
        assert_eq!(
            normalise_tracking_code("oooo iiii llll 0000 1111").unwrap(),
            "00001111111100001111"
        );
        assert!(normalise_tracking_code("ABCD").is_err());
        assert!(normalise_tracking_code("UUUU-UUUU-UUUU-UUUU-UUUU").is_err());
        assert!(normalise_tracking_code("举报举报举报举报举报举报举报举报举报举报").is_err());
        // Different bytes, different codes: every one of the 100 bits shows.
        let zero = tracking_code(&[0; CODE_BYTES]);
        assert_eq!(zero, "0000-0000-0000-0000-0000");
        let mut one = [0u8; CODE_BYTES];
        one[CODE_BYTES - 1] = 1;
        assert_eq!(tracking_code(&one), "0000-0000-0000-0000-0001");
    }
}
