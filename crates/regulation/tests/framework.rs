//! A second framework read from its text: a document without chapters (19 articles), its
//! situations per kind of leader and its forms of accountability. The text is a test text
//! written for these tests (`fixtures/framework_test_text.txt`), not the 办法's published text.

use ecoduty_regulation::framework::{cite_item, forms, short_name, situations};
use ecoduty_regulation::{builtin, parse};

const TEXT: &str = include_str!("fixtures/framework_test_text.txt");

#[test]
fn a_text_without_chapters_parses_cleanly() {
    let reg = parse(TEXT).expect("parses");
    assert_eq!(reg.title, "测试用生态环境损害责任追究办法(试行)");
    assert_eq!(
        reg.issued.map(|d| d.to_string()).as_deref(),
        Some("2015-08-09")
    );
    assert!(reg.complete, "{:?}", reg.warnings);
    assert!(reg.warnings.is_empty(), "{:?}", reg.warnings);
    assert_eq!(reg.chapters.len(), 1);
    assert_eq!(reg.chapters[0].number, 0);
    assert_eq!(reg.articles().count(), 19);
    assert_eq!(short_name(&reg.title), "办法");
}

#[test]
fn situations_are_read_per_kind_of_leader() {
    let reg = parse(TEXT).unwrap();
    let s = situations(&reg);
    let per = |a: u32| s.iter().filter(|x| x.article == a).count();
    assert_eq!((per(5), per(6), per(7), per(8)), (8, 5, 7, 5));
    assert_eq!(s.len(), 25);
    let seventh = s.iter().find(|x| x.article == 5 && x.item == 7).unwrap();
    assert_eq!(seventh.subject, "相关地方党委和政府主要领导成员");
    assert_eq!(seventh.text, "测试情形庚:督察整改要求执行不力的;");
    assert_eq!(seventh.paragraph, 1);
    assert_eq!(
        cite_item(
            "办法",
            seventh.article,
            seventh.paragraph,
            Some(seventh.item)
        ),
        "《办法》第五条第(七)项"
    );
    let dept = s.iter().find(|x| x.article == 7).unwrap();
    assert_eq!(dept.subject, "政府有关工作部门领导成员");
    let abuse = s.iter().find(|x| x.article == 8).unwrap();
    assert_eq!(abuse.subject, "党政领导干部利用职务影响");
}

#[test]
fn forms_are_read_with_their_groups() {
    let reg = parse(TEXT).unwrap();
    let f = forms(&reg);
    let names: Vec<&str> = f.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "诫勉",
            "责令公开道歉",
            "组织处理",
            "调离岗位",
            "引咎辞职",
            "责令辞职",
            "免职",
            "降职",
            "党纪政纪处分"
        ]
    );
    assert!(f.iter().all(|x| x.article == 10 && x.paragraph == 1));
    assert_eq!(f[4].group.as_deref(), Some("组织处理"));
    assert_eq!(f[0].group, None);
    assert_eq!(f[8].position, 9);
}

#[test]
fn the_builtin_regulation_has_article_seventeen_as_its_situations() {
    let s = situations(builtin());
    assert!(!s.is_empty());
    assert!(s.iter().all(|x| x.article == 17), "{s:?}");
    assert_eq!(s.len(), 5);
    assert!(forms(builtin()).is_empty());
}
