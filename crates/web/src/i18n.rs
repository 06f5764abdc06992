//! The interface in Chinese (the default) and English. Every user-facing string is looked up
//! here by key, so a page never mixes languages by accident; the regulation's own text and
//! names stay as they are.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

/// The cookie that remembers the language.
pub const COOKIE: &str = "ecoduty_lang";

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The value of the `lang` attribute of a page.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// Picks the Chinese or English form.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// A message by key.
    pub fn t(self, key: &str) -> &'static str {
        let (zh, en) = message(key);
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// How a refusal is worded: on a page in the page's language; in the API in both, the Chinese
/// first and the English in parentheses (the API's `detail` has always led with Chinese).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wording {
    Page(Lang),
    Api,
}

impl Wording {
    pub fn say(self, zh: &str, en: &str) -> String {
        match self {
            Wording::Page(lang) => lang.pick(zh, en).to_string(),
            Wording::Api => format!("{zh} ({en})"),
        }
    }
}

/// The language of a request: the cookie if set, Chinese otherwise.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        Ok(jar
            .get(COOKIE)
            .and_then(|c| Lang::parse(c.value()))
            .unwrap_or(Lang::Zh))
    }
}

/// Every message, Chinese first. An unknown key shows itself, which a test catches.
fn message(key: &str) -> (&'static str, &'static str) {
    match key {
        "app.name" => ("生态环境保护责任制", "Eco-environmental responsibility system"),
        "app.tagline" => ("地方党政领导干部生态环境保护责任制规定(试行)", "Provisions on the eco-environmental responsibility of local Party and government leaders (trial)"),
        "nav.skip" => ("跳到正文", "Skip to content"),
        "nav.dashboard" => ("工作台", "Dashboard"),
        "nav.regulation" => ("规定原文", "Regulation"),
        "nav.people" => ("人员", "People"),
        "nav.roster" => ("名册导入导出", "Roster"),
        "nav.users" => ("用户与角色", "Users"),
        "nav.ledger" => ("变更台账", "Change ledger"),
        "nav.account" => ("我的账户", "My account"),
        "nav.signout" => ("退出", "Sign out"),
        "nav.lang" => ("English", "中文"),
        "signin.title" => ("登录", "Sign in"),
        "signin.username" => ("用户名", "Username"),
        "signin.password" => ("密码", "Password"),
        "signin.submit" => ("登录", "Sign in"),
        "signin.failed" => ("用户名或密码错误。", "Wrong username or password."),
        "signin.locked" => ("登录失败次数过多,请稍后再试。", "Too many failed sign-ins; try again later."),
        "signin.one_time_used" => ("此一次性密码已用过,请联系管理员重设密码。", "This one-time password has been used; ask an administrator to reset your password."),
        "signin.expired" => ("表单已过期,请重试。", "The form expired; please try again."),
        "signin.public" => ("公开的责任清单", "Published responsibility lists"),
        "dashboard.title" => ("工作台", "Dashboard"),
        "dashboard.scope" => ("您的管辖范围", "Your region"),
        "dashboard.tree" => ("行政区划", "Regions"),
        "dashboard.first" => ("第一责任人", "First responsible persons"),
        "ind.title" => ("约束性指标", "Binding indicators"),
        "ind.year" => ("指标年度", "Indicator year"),
        "ind.closed" => ("年度已结束，显示全年值。", "The year is over: annual values."),
        "ind.nomonths" => ("本年度尚无完整月份的数据。", "No whole month of this year yet."),
        "ind.asof" => ("年内累计值截至", "Year to date through"),
        "ind.none" => ("本年度未设定指标目标。", "No indicator targets set for this year."),
        "ind.indicator" => ("指标", "Indicator"),
        "ind.target" => ("目标", "Target"),
        "ind.ytd" => ("年内累计值", "Year to date"),
        "ind.expected" => ("路径值", "Expected on the path"),
        "ind.projected" => ("全年预计", "Projected for the year"),
        "ind.status" => ("状态", "Status"),
        "ind.at" => ("截至", "as of"),
        "warn.title" => ("预警", "Early warnings"),
        "warn.none" => ("没有预警。", "No early warnings."),
        "warn.posts" => ("责任岗位及在任者", "Answering posts and their holders"),
        "warn.nopost" => ("本区域没有登记此岗位", "No such post on record"),
        "warn.since" => ("任职自", "since"),
        "warn.acting" => ("代理", "acting"),
        "warn.more" => ("另有预警：", "More warnings not shown:"),
        "region.children" => ("下级区划", "Regions under it"),
        "region.organisations" => ("机构与职务", "Organisations and posts"),
        "region.at" => ("查询日期", "Date"),
        "region.show" => ("查看", "Show"),
        "region.timeline" => ("任职时间线", "Tenure timeline"),
        "region.none" => ("暂无机构记录。", "No organisations recorded."),
        "region.zone" => ("开发区", "development zone"),
        "region.public" => ("公开页面", "Public page"),
        "post.holder" => ("任职人", "Holder"),
        "post.vacant" => ("空缺", "vacant"),
        "post.acting" => ("代理", "acting"),
        "post.history" => ("任职记录", "Holders"),
        "post.duties" => ("责任清单", "Responsibility list"),
        "post.role" => ("职务类型", "Post type"),
        "post.portfolio" => ("分管部门", "Oversees"),
        "post.local" => ("本地增补", "Local"),
        "post.basis" => ("依据", "Basis"),
        "post.noregulation" => ("该日期尚无施行中的规定版本。", "No version of the regulation was in force on that date."),
        "col.organisation" => ("机构", "Organisation"),
        "col.post" => ("职务", "Post"),
        "col.role" => ("类型", "Type"),
        "col.holder" => ("任职人", "Holder"),
        "col.since" => ("任职时间", "Tenure"),
        "col.region" => ("地区", "Region"),
        "col.code" => ("代码", "Code"),
        "col.name" => ("名称", "Name"),
        "col.line" => ("行", "Line"),
        "col.field" => ("字段", "Field"),
        "col.problem" => ("问题", "Problem"),
        "col.time" => ("时间", "Time"),
        "col.actor" => ("操作人", "Actor"),
        "col.action" => ("动作", "Action"),
        "col.record" => ("记录", "Record"),
        "col.reason" => ("事由", "Reason"),
        "col.changes" => ("变更内容", "Changes"),
        "col.username" => ("用户名", "Username"),
        "col.display" => ("姓名", "Name"),
        "col.userrole" => ("角色", "Role"),
        "col.active" => ("状态", "Status"),
        "regulation.title" => ("规定原文", "The regulation"),
        "regulation.versions" => ("版本", "Versions"),
        "regulation.inforce" => ("现行", "in force"),
        "regulation.effective" => ("施行日期", "Effective"),
        "regulation.compare" => ("比较版本", "Compare versions"),
        "regulation.warnings" => ("文本提示", "Text warnings"),
        "regulation.same" => ("两个版本相同。", "The versions are the same."),
        "people.title" => ("人员", "People"),
        "people.search" => ("按姓名查找", "Find by name"),
        "people.none" => ("没有找到。", "Nobody found."),
        "people.tenures" => ("任职经历", "Tenures"),
        "roster.title" => ("名册导入导出", "Roster import and export"),
        "roster.file" => ("名册文件(CSV 或 XLSX)", "Roster file (CSV or XLSX)"),
        "roster.reason" => ("事由", "Reason"),
        "roster.import" => ("导入", "Import"),
        "roster.export" => ("导出", "Export"),
        "roster.failed" => ("导入失败,未做任何更改。以下各行有问题:", "Import refused; nothing was changed. These rows have problems:"),
        "roster.done" => ("导入完成。", "Import done."),
        "roster.influence_warnings" => ("已导入,但以下任职在影响期内提拔(警告,未拒绝导入):", "Imported, but these appointments promote someone inside an influence period (a warning, not a refusal):"),
        "roster.nothing" => ("名册与现有记录一致,无需更改。", "The roster matches what is recorded; nothing changed."),
        "roster.columns" => ("列:区划代码,机构,机构类型,职务,角色,姓名,任职开始,任职结束,代理(可选:人员编号,分管部门)。整个文件全部导入或全部不导入。", "Columns: region_code, organisation, organisation_kind, post, role, person, start_date, end_date, acting (optional: person_key, portfolio). A file is imported whole or not at all."),
        "users.title" => ("用户与角色", "Users and roles"),
        "users.create" => ("新建用户", "New user"),
        "users.created" => ("用户已建立。", "User created."),
        "users.updated" => ("用户已更新。", "User updated."),
        "users.save" => ("保存", "Save"),
        "users.active" => ("启用", "active"),
        "users.inactive" => ("停用", "inactive"),
        "users.region" => ("管辖区划代码", "Region code"),
        "users.password" => ("初始密码", "Initial password"),
        "users.reset" => ("重设密码", "Reset password"),
        "account.title" => ("我的账户", "My account"),
        "account.password" => ("修改密码", "Change password"),
        "account.current" => ("当前密码", "Current password"),
        "account.new" => ("新密码", "New password"),
        "account.changed" => ("密码已修改,请重新登录。", "Password changed; please sign in again."),
        "tokens.title" => ("API 令牌", "API tokens"),
        "tokens.name" => ("令牌名称", "Token name"),
        "tokens.create" => ("创建令牌", "Create token"),
        "tokens.once" => ("请立即复制此令牌,它只显示这一次:", "Copy this token now; it is shown only once:"),
        "tokens.revoke" => ("撤销", "Revoke"),
        "tokens.revoked" => ("已撤销", "revoked"),
        "ledger.title" => ("变更台账", "Change ledger"),
        "ledger.filter" => ("筛选", "Filter"),
        "ledger.entity" => ("记录类型", "Record type"),
        "ledger.from" => ("起", "From"),
        "ledger.to" => ("止", "To"),
        "ledger.verify" => ("校验哈希链", "Verify the hash chain"),
        "ledger.intact" => ("台账完整:哈希链与全部记录一致。", "The ledger is intact: the chain and every stored record agree."),
        "ledger.broken" => ("台账校验失败:", "The ledger does not verify:"),
        "ledger.older" => ("更早", "Older"),
        "public.title" => ("生态环境保护责任清单", "Eco-environmental responsibility lists"),
        "public.note" => ("依据《地方党政领导干部生态环境保护责任制规定(试行)》公开。", "Published under the Provisions on the eco-environmental responsibility of local Party and government leaders (trial)."),
        "error.notfound" => ("页面不存在,或不在您的管辖范围内。", "This page does not exist, or lies outside your region."),
        "error.forbidden" => ("您的角色不能进行此操作。", "Your role does not allow this."),
        "error.invalid" => ("输入有误", "Invalid input"),
        "error.internal" => ("服务器出错,请稍后再试。", "Something went wrong on the server; please try again later."),
        "error.back" => ("返回工作台", "Back to the dashboard"),
        "common.submit" => ("提交", "Submit"),
        "common.reason" => ("事由", "Reason"),
        "common.today" => ("今天", "today"),
        "common.open" => ("至今", "present"),
        "common.none" => ("无", "none"),
        "nav.public" => ("公开清单", "Published lists"),
        "nav.signin" => ("登录", "Sign in"),
        "ok.organisation_added" => ("机构已添加。", "Organisation added."),
        "ok.post_added" => ("职务已添加。", "Post added."),
        "ok.tenure_added" => ("任职已记录。", "Tenure recorded."),
        "ok.tenure_ended" => ("任职已结束。", "Tenure ended."),
        "ok.tenure_corrected" => ("任职已更正。", "Tenure corrected."),
        "ok.tenure_retracted" => ("任职已撤回(记录仍保留)。", "Tenure retracted (it stays in the record)."),
        "ok.regulation_imported" => ("新版本已导入。", "New version imported."),
        "ok.user_created" => ("用户已建立。", "User created."),
        "ok.user_updated" => ("用户已更新。", "User updated."),
        "ok.user_deactivated" => ("用户已停用,其登录已全部退出。", "User deactivated; their sessions have ended."),
        "ok.user_reactivated" => ("用户已重新启用。", "User reactivated."),
        "ok.password_reset" => ("密码已重设,该用户需重新登录。", "Password reset; the user must sign in again."),
        "ok.password_changed" => ("密码已修改,请用新密码登录。", "Password changed; sign in with the new one."),
        "ok.token_revoked" => ("令牌已撤销。", "Token revoked."),
        "ok.scheme_imported" => ("考核细则已导入。", "Scheme imported."),
        "ok.assessment_scored" => ("已按当前数据计分。", "Scored from the records as they stand."),
        "ok.assessment_reviewed" => ("考核结果已复核。", "Results reviewed."),
        "ok.assessment_published" => ("考核结果已公布,申诉期自今日起算。", "Results published; the objection window starts today."),
        "ok.emergency_reported" => ("事件已登记,通知链已发出。", "Event registered; its chain has been told."),
        "ok.emergency_updated" => ("进展已添加。", "Update added."),
        "ok.notice_acknowledged" => ("已记录确认。", "Acknowledgement recorded."),
        "ok.risk_sources_imported" => ("风险源名录已导入。", "Risk sources imported."),
        "ok.case_opened" => ("问题线索已登记,系统已按行为日期提出责任人员。", "Case opened; the persons have been proposed from the holders on the dates."),
        "ok.case_updated" => ("已记录。", "Recorded."),
        "ok.risk_reported" => ("风险报告已登记并通知有关负责人。", "Risk report registered and routed."),
        "ok.audit_opened" => ("审计已立项,审计资料已汇集。", "Audit opened; the dossier is gathered."),
        "ok.audit_finding_recorded" => ("审计发现已记录,并作为问题交办整改。", "Finding recorded and assigned for rectification."),
        "ok.audit_reported" => ("审计报告已出具。", "Report issued."),
        "ok.assets_imported" => ("自然资源资产账户已导入。", "Asset accounts imported."),
        "ok.zoning_imported" => ("管控单元与准入清单已导入。", "Control units and admission lists imported."),
        "ok.patrol_recorded" => ("巡查已记录。", "Patrol recorded."),
        "ok.chiefs_imported" => ("河长名录已导入。", "Chief roster imported."),
        "ok.entry_saved" => ("评分已录入,重新计分后生效。", "Entry saved; it counts from the next scoring."),
        "ok.objection_lodged" => ("申诉已提出。", "Objection lodged."),
        "ok.objection_answered" => ("申诉已答复。", "Objection answered."),
        "ok.deadlines_extended" => ("所选问题的整改时限已延期,每个问题均已记录延期理由。", "The deadlines of the selected findings were extended, each with the reason on record."),
        "edit.title" => ("编辑记录", "Edit records"),
        "edit.actions" => ("操作", "Actions"),
        "edit.add_org" => ("添加机构", "Add an organisation"),
        "edit.org_name" => ("机构名称", "Organisation name"),
        "edit.org_kind" => ("机构类型", "Kind"),
        "edit.eco_department" => ("本级生态环境部门(第十一条)", "The region's eco-environment department (Art. 11)"),
        "edit.eco_duties" => ("承担重要生态环境保护职责的部门(第十二条)", "Carries important eco-environmental duties (Art. 12)"),
        "edit.add_post" => ("添加职务", "Add a post"),
        "edit.post_title" => ("职务名称", "Post title"),
        "edit.portfolio" => ("分管部门(可多选)", "Oversees (choose any)"),
        "edit.portfolio_hint" => ("按住 Ctrl 或 ⌘ 可多选;用于分管副职。", "Hold Ctrl or ⌘ to choose several; for deputies."),
        "edit.add_holder" => ("记录任职", "Record a holder"),
        "edit.who" => ("任职人", "Who"),
        "edit.existing_person" => ("已有人员(编号或人员编号)", "Existing person (id or key)"),
        "edit.existing_hint" => ("或在下方填写新人员的姓名。", "Or give a new person's name below."),
        "edit.new_person" => ("新人员姓名", "New person's name"),
        "edit.person_key" => ("新人员编号(可选)", "New person's key (optional)"),
        "edit.start" => ("任职开始", "Start"),
        "edit.end_optional" => ("任职结束(可空)", "End (optional)"),
        "edit.end_date" => ("离任日期", "Left on"),
        "edit.change" => ("更改", "Change"),
        "edit.end" => ("结束任职", "End the tenure"),
        "edit.correct" => ("更正任职", "Correct the tenure"),
        "edit.retract" => ("撤回任职", "Retract the tenure"),
        "edit.retract_hint" => ("撤回误录的任职:记录仍保留,但不再计入。", "Retract a tenure entered in error: it stays in the record but no longer counts."),
        "edit.retract_confirm" => ("确定撤回此任职:", "Retract this tenure:"),
        "people.find" => ("查找", "Find"),
        "people.key" => ("人员编号", "Key"),
        "people.latest" => ("最近任职", "Latest post"),
        "people.more" => ("结果较多,只显示前 50 人;请细化查询。", "More people match; only the first 50 are shown. Narrow the search."),
        "people.scoped" => ("只显示您管辖范围内的任职。", "Only tenures within your region are shown."),
        "regulation.version" => ("版本", "Version"),
        "regulation.issued" => ("发布日期", "Issued"),
        "regulation.contents" => ("目录", "Contents"),
        "regulation.articles" => ("条文", "Articles"),
        "regulation.articles_n" => ("条", "articles"),
        "regulation.warnings_note" => ("导入时发现的文本问题;原文未被自动修改。", "Problems found in the text when it was read; nothing was corrected silently."),
        "regulation.source" => ("来源", "Source"),
        "regulation.recorded" => ("录入", "Recorded"),
        "regulation.builtin" => ("内置", "built in"),
        "regulation.incomplete" => ("不完整", "incomplete"),
        "regulation.complete" => ("文本完整", "Complete"),
        "regulation.a" => ("版本 A", "Version A"),
        "regulation.b" => ("版本 B", "Version B"),
        "regulation.deleted" => ("删去的文字", "deleted text"),
        "regulation.inserted" => ("增加的文字", "inserted text"),
        "regulation.title_changed" => ("标题", "Title"),
        "regulation.only_a" => ("只在 A 中的条文", "Articles only in A"),
        "regulation.only_b" => ("只在 B 中的条文", "Articles only in B"),
        "regulation.truncated_here" => ("文本在此截断", "the text is cut off here"),
        "regulation.unchanged" => ("相同的条文", "Articles that are the same"),
        "regulation.import" => ("导入新版本", "Import a new version"),
        "regulation.import_help" => ("粘贴规定全文或上传文本文件(UTF-8)。系统会找出规定的起止,读取章、条、款、项,并列出可疑之处;不完整的文本不能导入。", "Paste the regulation's text or upload a text file (UTF-8). Its start and end are found, chapters, articles, paragraphs and items read, and anything suspect listed; an incomplete text cannot be imported."),
        "regulation.text" => ("规定文本", "Text"),
        "regulation.file" => ("或上传文本文件", "Or upload a text file"),
        "regulation.effective_from" => ("施行日期", "Effective from"),
        "regulation.effective_hint" => ("留空则取发布日期。", "Empty: the date of issue."),
        "regulation.label" => ("版本名称(可选)", "Version label (optional)"),
        "regulation.accept" => ("我已核对文本提示,仍然导入", "I have checked the text warnings; import anyway"),
        "regulation.has_warnings" => ("文本有可疑之处,请核对下列提示;确认无误后勾选“仍然导入”再提交。", "The text has warnings: check them below, then tick \"import anyway\" and send it again."),
        "regulation.refused" => ("未导入:", "Not imported:"),
        "regulation.preview" => ("读取结果", "What was read"),
        "regulation.pasted" => ("粘贴的文本", "pasted text"),
        "regulation.empty" => ("没有文本。", "there is no text."),
        "roster.unreadable" => ("无法读取文件,未做任何更改:", "The file cannot be read; nothing was changed:"),
        "roster.bad_rows" => ("有问题的行", "Rows with problems"),
        "roster.summary" => ("导入结果", "What the import did"),
        "roster.rows" => ("行数", "Rows"),
        "roster.orgs_created" => ("新增机构", "Organisations added"),
        "roster.posts_created" => ("新增职务", "Posts added"),
        "roster.posts_updated" => ("更新职务", "Posts changed"),
        "roster.people_created" => ("新增人员", "People added"),
        "roster.tenures_created" => ("新增任职", "Tenures added"),
        "roster.tenures_updated" => ("更新任职", "Tenures changed"),
        "roster.tenures_unchanged" => ("未变任职", "Tenures unchanged"),
        "roster.ledger_entry" => ("台账记录", "Ledger entry"),
        "roster.scope" => ("可导入的区划", "Rows may name"),
        "roster.nationwide" => ("全国", "anywhere"),
        "roster.limit" => ("文件上限", "largest file"),
        "roster.reason_hint" => ("记入变更台账;留空则为“名册导入 + 文件名”。", "Goes into the change ledger; empty: \"roster import\" and the file name."),
        "roster.export_help" => ("导出您管辖范围内的全部有效任职,可修改后再导入。", "Every counting tenure within your region, in the import format."),
        "roster.no_file" => ("请选择一个文件。", "Choose a file."),
        "roster.too_large" => ("文件太大,上限为", "The file is too large; the limit is"),
        "users.search" => ("按用户名或姓名查找", "Find by username or name"),
        "users.nationwide" => ("全国", "nationwide"),
        "users.username_hint" => ("3–64 个字母、数字、点、横线或下划线。", "3–64 letters, digits, dots, dashes or underscores."),
        "users.region_hint" => ("如 410800;只有系统管理员可留空(全国)。", "Such as 410800; only system administrators may leave it empty (nationwide)."),
        "users.password_hint" => ("至少 12 个字符,含两类以上(小写、大写、数字、其他),不含用户名。", "At least 12 characters of two or more kinds (lower, upper, digits, other), without the username."),
        "users.edit" => ("姓名、角色与区划", "Name, role and region"),
        "users.status" => ("账户状态", "Account status"),
        "users.deactivate" => ("停用", "Deactivate"),
        "users.reactivate" => ("重新启用", "Reactivate"),
        "users.deactivate_confirm" => ("停用此用户?其登录将全部退出。", "Deactivate this user? Their sessions will end."),
        "users.history" => ("账户变更记录", "Changes to the account"),
        "account.confirm" => ("再次输入新密码", "New password again"),
        "account.wrong_current" => ("当前密码不正确。", "the current password is wrong"),
        "account.same" => ("新密码不能与当前密码相同。", "the new password must differ from the current one"),
        "account.must_change" => ("您使用一次性密码登录:请先设置自己的密码。此前其他页面不可用;一次性密码不能再次登录。", "You signed in with a one-time password: set your own password first. Until then no other page opens, and the one-time password cannot sign in again."),
        "users.one_time_hint" => ("一次性密码:用户首次登录后必须改为自己的密码,且不能再次用它登录。", "A one-time password: at first sign-in the user must replace it with their own, and it cannot sign in again."),
        "account.mismatch" => ("两次输入的新密码不一致。", "the two new passwords differ"),
        "tokens.help" => ("API 令牌以您的角色和管辖范围调用 /api/v1;请求头 Authorization: Bearer 令牌。", "An API token calls /api/v1 with your role and region: send Authorization: Bearer TOKEN."),
        "tokens.prefix" => ("开头", "Starts with"),
        "tokens.created" => ("创建于", "Created"),
        "tokens.copy" => ("复制", "Copy"),
        "tokens.copied" => ("已复制", "Copied"),
        "ledger.scoped" => ("只显示该区划及其下级的记录:", "Only records within your region:"),
        "ledger.all" => ("全部", "all"),
        "ledger.clear" => ("清除筛选", "Clear"),
        "ledger.none" => ("没有符合条件的记录。", "No entries match."),
        "ledger.paging" => ("翻页", "Pages"),
        "ledger.newest" => ("最新", "Newest"),
        "ledger.first_bad" => ("第一条不一致的记录:", "the first entry that does not match is"),
        "ledger.show_entry" => ("查看记录", "Show entry"),
        "ledger.algorithm" => ("哈希算法", "Hash"),
        "ledger.entries" => ("台账条数", "Entries"),
        "ledger.records" => ("核对的记录版本", "Record versions checked"),
        "ledger.derived" => ("核对的派生表行", "Derived table rows checked"),
        "ledger.tip" => ("当前链头", "Current tip"),
        "ledger.tip_note" => ("可抄录此序号与哈希,日后核对台账未被改写。", "Note this number and hash to check later that the ledger was not rewritten."),
        "ledger.whole_chain" => ("校验覆盖整条哈希链,不限于您的管辖范围。", "Verification covers the whole chain, not only your region."),
        "public.search" => ("按名称或代码查找地区", "Find a region by name or code"),
        "public.found" => ("查找结果", "Regions found"),
        "public.nothing" => ("没有找到。", "None found."),
        "public.published" => ("已公开责任清单的地区", "Regions with published lists"),
        "public.lists" => ("生态环境保护责任清单", "responsibility lists"),
        "public.as_of" => ("截至", "As of"),
        "public.none" => ("该地区尚无公开的责任清单。", "This region has no published lists."),
        "public.posts" => ("职务", "Posts"),
        "common.yes" => ("是", "yes"),
        "common.no" => ("否", "no"),
        _ => ("??", "??"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_visible() {
        assert_eq!(Lang::Zh.t("no.such.key"), "??");
        assert_eq!(Lang::En.t("nav.ledger"), "Change ledger");
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::Zh.other(), Lang::En);
    }

    /// Every `t("key")` of the pages names a message that exists in both languages.
    #[test]
    fn every_key_the_pages_use_exists() {
        let sources = [
            include_str!("ui/account.rs"),
            include_str!("ui/layout.rs"),
            include_str!("ui/ledger.rs"),
            include_str!("ui/people.rs"),
            include_str!("ui/public.rs"),
            include_str!("ui/records.rs"),
            include_str!("ui/regions.rs"),
            include_str!("ui/regulation.rs"),
            include_str!("ui/roster.rs"),
            include_str!("ui/signin.rs"),
            include_str!("ui/users.rs"),
        ];
        let mut checked = 0;
        for src in sources {
            for (i, _) in src.match_indices("t(\"") {
                let rest = &src[i + 3..];
                let key = &rest[..rest.find('"').unwrap()];
                if key.is_empty() || !key.contains('.') || key.contains(' ') {
                    continue;
                }
                assert_ne!(Lang::Zh.t(key), "??", "no message {key}");
                assert_ne!(Lang::En.t(key), "??", "no message {key}");
                checked += 1;
            }
        }
        assert!(checked > 200, "only {checked} keys found");
        // The success messages forms redirect with.
        for ok in [
            "organisation_added",
            "post_added",
            "tenure_added",
            "tenure_ended",
            "tenure_corrected",
            "tenure_retracted",
            "regulation_imported",
            "user_created",
            "user_updated",
            "user_deactivated",
            "user_reactivated",
            "password_reset",
            "password_changed",
            "token_revoked",
            "deadlines_extended",
            "scheme_imported",
            "assessment_scored",
            "assessment_reviewed",
            "assessment_published",
            "entry_saved",
            "objection_lodged",
            "objection_answered",
        ] {
            assert_ne!(Lang::En.t(&format!("ok.{ok}")), "??", "no message ok.{ok}");
        }
    }
}
