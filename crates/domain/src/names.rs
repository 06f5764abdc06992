//! Fictitious personal names for demo and benchmark data.
//!
//! Names are built from common surnames and a list of given-name characters, deterministically
//! from a seed. Real officials named in the source newspaper pages are excluded outright, and
//! no name is reused within one generator, so that demo data never points at a real person.

use std::collections::HashSet;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
];

const GIVEN: &[&str] = &[
    "晨", "远", "澜", "舟", "岚", "溪", "霁", "川", "禾", "棠", "砚", "汀", "屿", "桐", "朗", "蔚",
    "青", "衡", "谦", "岩", "湘", "苇", "渝", "曦", "珂", "昀", "杉", "漪", "沐", "峻", "黎", "芸",
];

/// Names that appear in the seed newspaper pages: real people, never generated.
const EXCLUDED: &[&str] = &[
    "李亦博",
    "刘冰",
    "李民生",
    "宫松奇",
    "吴军",
    "黄晓平",
    "杨玉琛",
    "姚嘉",
    "陈学森",
    "李洪明",
    "许连华",
    "顾绍辰",
];

/// A deterministic source of fictitious names.
pub struct NameGenerator {
    state: u64,
    used: HashSet<String>,
}

impl NameGenerator {
    pub fn new(seed: u64) -> Self {
        NameGenerator {
            state: seed ^ 0x9E37_79B9_7F4A_7C15,
            used: EXCLUDED.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// xorshift64*: small, fast and good enough to pick characters.
    fn next(&mut self) -> u64 {
        let mut x = self.state.max(1);
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[(self.next() % list.len() as u64) as usize]
    }

    /// A fresh name, never returned before by this generator. Two-character given names give
    /// 48 × 32 × 32 ≈ 49,000 names; past that, a numeral suffix keeps names unique.
    pub fn name(&mut self) -> String {
        for _ in 0..64 {
            let name = format!(
                "{}{}{}",
                self.pick(SURNAMES),
                self.pick(GIVEN),
                self.pick(GIVEN)
            );
            if self.used.insert(name.clone()) {
                return name;
            }
        }
        loop {
            let name = format!(
                "{}{}{}{}",
                self.pick(SURNAMES),
                self.pick(GIVEN),
                self.pick(GIVEN),
                self.next() % 10_000
            );
            if self.used.insert(name.clone()) {
                return name;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_deterministic_and_never_real_officials() {
        let mut a = NameGenerator::new(7);
        let mut b = NameGenerator::new(7);
        let names: Vec<String> = (0..5000).map(|_| a.name()).collect();
        let again: Vec<String> = (0..5000).map(|_| b.name()).collect();
        assert_eq!(names, again);
        let set: HashSet<&String> = names.iter().collect();
        assert_eq!(set.len(), names.len());
        for real in EXCLUDED {
            assert!(!set.contains(&real.to_string()));
        }
    }
}
