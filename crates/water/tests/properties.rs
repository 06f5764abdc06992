//! Properties of the single-factor method that must hold for any values, not only the table's
//! edges: a sample is never better than any of its parameters, and more pollution (or less
//! dissolved oxygen) never makes the class better.

use ecoduty_water::{
    assess_sample, assess_section_year, class_of_value, Class, Measurement, Parameter, Quantity,
    Reading, Section, WaterBodyKind,
};
use proptest::prelude::*;

/// Values from 0 to 100 in steps of 10⁻⁵, plus a share of values near the class limits, where
/// the interesting changes happen.
fn quantity() -> impl Strategy<Value = Quantity> {
    prop_oneof![
        (0u64..=10_000_000).prop_map(|n| format!("{}e-5", n).parse().unwrap()),
        (0u64..=60_000).prop_map(|n| format!("{}e-3", n).parse().unwrap()),
        (0u64..=100_000).prop_map(|n| format!("{}e-6", n).parse().unwrap()),
    ]
}

fn ph() -> impl Strategy<Value = Quantity> {
    (0u64..=1400).prop_map(|n| format!("{}e-2", n).parse().unwrap())
}

fn kind() -> impl Strategy<Value = WaterBodyKind> {
    prop_oneof![Just(WaterBodyKind::River), Just(WaterBodyKind::Lake)]
}

fn parameter() -> impl Strategy<Value = Parameter> {
    (0..Parameter::ALL.len()).prop_map(|i| Parameter::ALL[i])
}

/// A sample: a few distinct parameters, each with a plausible value (pH within 0–14).
fn sample() -> impl Strategy<Value = Vec<(Parameter, Quantity)>> {
    proptest::collection::btree_map(parameter(), (quantity(), ph()), 1..12).prop_map(|m| {
        m.into_iter()
            .map(|(p, (v, ph))| (p, if p == Parameter::Ph { ph } else { v }))
            .collect()
    })
}

fn add(a: Quantity, b: Quantity) -> Quantity {
    a.checked_add(b).expect("test values stay far below 10^12")
}

proptest! {
    #[test]
    fn a_sample_is_never_better_than_any_counted_parameter(kind in kind(), values in sample()) {
        let a = assess_sample(kind, &values);
        for (p, v) in &values {
            if p.counts_in_class() {
                let own = class_of_value(*p, kind, *v);
                prop_assert!(a.class.unwrap() >= own, "{p}={v}: sample {:?} better than {own:?}", a.class);
                prop_assert_eq!(a.exceeding.contains(p), own > Class::III);
            }
        }
        // And it is exactly the worst of them: the single-factor method.
        let worst = values
            .iter()
            .filter(|(p, _)| p.counts_in_class())
            .map(|(p, v)| class_of_value(*p, kind, *v))
            .max();
        prop_assert_eq!(a.class, worst);
    }

    #[test]
    fn more_pollution_never_improves_a_parameter(kind in kind(), p in parameter(), v in quantity(), d in quantity()) {
        prop_assume!(p != Parameter::Ph);
        let higher = add(v, d);
        let before = class_of_value(p, kind, v);
        let after = class_of_value(p, kind, higher);
        if p == Parameter::DissolvedOxygen {
            // Lowering DO from `higher` to `v` never improves the class.
            prop_assert!(before >= after, "DO {higher} → {v}: {after:?} → {before:?}");
        } else {
            prop_assert!(after >= before, "{p} {v} → {higher}: {before:?} → {after:?}");
        }
    }

    #[test]
    fn more_pollution_never_improves_a_sample(kind in kind(), values in sample(), i in any::<prop::sample::Index>(), d in quantity()) {
        let k = i.index(values.len());
        let (p, v) = values[k];
        prop_assume!(p != Parameter::Ph);
        let mut worse = values.clone();
        if p == Parameter::DissolvedOxygen {
            worse[k].1 = v.saturating_sub(d);
        } else {
            worse[k].1 = add(v, d);
        }
        let before = assess_sample(kind, &values).class;
        let after = assess_sample(kind, &worse).class;
        prop_assert!(after >= before, "{p}: {v} → {}: {before:?} → {after:?}", worse[k].1);
    }

    #[test]
    fn more_pollution_in_one_month_never_improves_the_year(
        kind in kind(),
        months in proptest::collection::vec(quantity(), 9..=12),
        p in parameter(),
        m in 0usize..12,
        d in quantity(),
    ) {
        prop_assume!(p.counts_in_class() && p != Parameter::Ph);
        let section = Section { name: "S".into(), river_or_lake: "R".into(), kind, region_code: "410800".parse().unwrap() };
        let build = |values: &[Quantity]| -> Vec<Measurement> {
            values.iter().enumerate().map(|(i, v)| Measurement {
                section: "S".into(),
                taken_at: chrono::NaiveDate::from_ymd_opt(2025, i as u32 + 1, 15).unwrap().and_hms_opt(0, 0, 0).unwrap(),
                parameter: p,
                reading: Reading::Value(*v),
            }).collect()
        };
        let m = m % months.len();
        let mut changed = months.clone();
        if p == Parameter::DissolvedOxygen {
            changed[m] = changed[m].saturating_sub(d);
        } else {
            changed[m] = add(changed[m], d);
        }
        let before = assess_section_year(&section, &build(&months), 2025).class();
        let after = assess_section_year(&section, &build(&changed), 2025).class();
        prop_assert!(before.is_some() && after >= before, "{p}: {before:?} → {after:?}");
    }
}
