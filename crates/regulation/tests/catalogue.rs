//! The duty catalogue over the built-in regulation.

mod common;

use ecoduty_regulation::{builtin, duties, duties_for, Role};

fn keys(role: Role) -> Vec<String> {
    duties_for(builtin(), role)
        .into_iter()
        .map(|d| d.key)
        .collect()
}

#[test]
fn each_role_gets_its_articles() {
    let seven: Vec<String> = (1..=6).map(|i| format!("7.1.{i}")).collect();
    let mut expected = vec!["5.2".to_string()];
    expected.extend(seven);
    expected.push("10.1".into());
    assert_eq!(keys(Role::GovernmentHead), expected);
    assert_eq!(keys(Role::GovernmentHead).len(), 6 + 1 + 1);

    assert_eq!(keys(Role::PartySecretary).len(), 4 + 1 + 1);
    assert_eq!(keys(Role::DeputyEco).len(), 6 + 1 + 1);
    assert_eq!(keys(Role::DeputySector), vec!["5.2", "9.1", "10.1"]);
    assert_eq!(keys(Role::LeadershipMember), vec!["5.2", "10.1"]);
    assert_eq!(keys(Role::EcoDepartmentHead), vec!["5.3", "11.1"]);
    assert_eq!(keys(Role::SectorDepartmentHead), vec!["5.3", "12.1"]);
}

#[test]
fn the_catalogue_holds_every_duty_once() {
    let all = duties(builtin());
    // 5¶2, 5¶3, 4 + 6 + 6 items, 9, 10, 11, 12.
    assert_eq!(all.len(), 2 + 4 + 6 + 6 + 4);
    let mut keys: Vec<&str> = all.iter().map(|d| d.key.as_str()).collect();
    keys.dedup();
    assert_eq!(keys.len(), all.len());
}

#[test]
fn citations_follow_chinese_legal_usage() {
    let all = duties(builtin());
    let cite = |key: &str| all.iter().find(|d| d.key == key).unwrap().citation.clone();
    assert_eq!(cite("7.1.4"), "第七条第四项");
    assert_eq!(cite("6.1.1"), "第六条第一项");
    assert_eq!(cite("9.1"), "第九条");
    assert_eq!(cite("5.2"), "第五条第二款");
    assert_eq!(cite("5.3"), "第五条第三款");
    assert_eq!(cite("12.1"), "第十二条");

    let d = all.iter().find(|d| d.key == "7.1.4").unwrap();
    assert_eq!((d.article, d.paragraph, d.item), (7, 1, Some(4)));
    assert!(d.text.starts_with("组织推动生态环境保护督察整改,开展"));
    assert_eq!(d.roles, vec![Role::GovernmentHead]);

    let d = all.iter().find(|d| d.key == "10.1").unwrap();
    assert_eq!(d.roles, Role::LEADERSHIP.to_vec());
    let d = all.iter().find(|d| d.key == "5.3").unwrap();
    assert_eq!(
        d.roles,
        vec![Role::EcoDepartmentHead, Role::SectorDepartmentHead]
    );
    assert!(d.text.starts_with("市级以上地方生态环境部门"));
}

#[test]
fn a_truncated_text_yields_only_the_duties_it_holds() {
    let reg = common::seed_000();
    let keys: Vec<String> = duties(&reg).into_iter().map(|d| d.key).collect();
    assert_eq!(keys, vec!["5.2", "5.3"]);
    assert!(duties_for(&reg, Role::PartySecretary)
        .iter()
        .all(|d| d.article == 5));
}
