//! Editing the records of a region, for users who may edit records: adding an organisation or
//! a post on the region's page, and on a post's page adding a holder (an existing person or a
//! new one) and ending, correcting or retracting a tenure. Every change carries a reason into
//! the ledger. A refused change (an overlapping tenure, a duplicate name) shows the page again
//! with the message and the form as it was sent; nothing is written.

use axum::extract::State;
use axum::Form;
use chrono::Datelike;
use ecoduty_domain::access::Permission;
use ecoduty_domain::post::PostSpec;
use ecoduty_domain::{OrganisationKind, OrganisationSpec, Region, Role};
use ecoduty_store::organisations::Organisation;
use ecoduty_store::page_queries::NewHolder;
use ecoduty_store::people::Person;
use ecoduty_store::posts::Post;
use ecoduty_store::tenures::{NewTenure, Tenure, TenurePatch};
use maud::{html, Markup};

use crate::auth::{Scoped, Viewer};
use crate::error::{AppError, PageResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::ui::layout::{
    checkbox, csrf_field, done, field, form_error, opt_date, reason_field, refused, req_date,
    req_reason, Fields, Sent,
};
use crate::ui::regions::{render_post, render_region, role_name, today};

/// An organisation kind in the interface language.
pub fn kind_name(lang: Lang, kind: OrganisationKind) -> &'static str {
    match kind {
        OrganisationKind::PartyCommittee => lang.pick("党委", "Party committee"),
        OrganisationKind::Government => lang.pick("政府", "Government"),
        OrganisationKind::Department => lang.pick("部门", "Department"),
    }
}

/// The forms of a region's page: add an organisation, add a post.
pub fn region_forms(
    lang: Lang,
    viewer: &Viewer,
    region: &Region,
    organisations: &[Organisation],
    refill: &Option<Sent<'_>>,
) -> Markup {
    let t = |k| lang.t(k);
    let v = |form: &str, name: &str| Sent::value(refill, form, name, "").to_string();
    let departments: Vec<&Organisation> = organisations
        .iter()
        .filter(|o| o.kind == OrganisationKind::Department)
        .collect();
    let chosen_portfolio: Vec<String> = match refill {
        Some(s) if s.form == "post" => s
            .fields
            .all("portfolio")
            .iter()
            .map(|x| x.to_string())
            .collect(),
        _ => Vec::new(),
    };
    html! {
        section aria-labelledby="edit-h" class="edit" {
            h2 id="edit-h" { (t("edit.title")) }
            details id="add-organisation" open[Sent::is(refill, "org")] {
                summary { (t("edit.add_org")) }
                form method="post" action=(format!("/regions/{}/organisations", region.code)) class="card" {
                    (csrf_field(viewer))
                    (field("org-name", t("edit.org_name"), html! {
                        input id="org-name" name="name" type="text" required maxlength="200" value=(v("org", "name"));
                    }))
                    (field("org-kind", t("edit.org_kind"), html! {
                        select id="org-kind" name="kind" {
                            @for k in OrganisationKind::ALL {
                                option value=(k.key()) selected[v("org", "kind") == k.key()] { (kind_name(lang, k)) }
                            }
                        }
                    }))
                    (checkbox("org-eco-dept", "eco_department", t("edit.eco_department"), Sent::is(refill, "org") && v("org", "eco_department") == "on"))
                    (checkbox("org-eco-duties", "eco_duties", t("edit.eco_duties"), Sent::is(refill, "org") && v("org", "eco_duties") == "on"))
                    (reason_field(lang, "org-reason", &v("org", "reason")))
                    button type="submit" class="primary" { (t("edit.add_org")) }
                }
            }
            @if !organisations.is_empty() {
                details id="add-post" open[Sent::is(refill, "post")] {
                    summary { (t("edit.add_post")) }
                    form method="post" action=(format!("/regions/{}/posts", region.code)) class="card" {
                        (csrf_field(viewer))
                        (field("post-org", t("col.organisation"), html! {
                            select id="post-org" name="organisation" {
                                @for o in organisations {
                                    option value=(o.id) selected[v("post", "organisation") == o.id.to_string()] { (o.name) }
                                }
                            }
                        }))
                        (field("post-title", t("edit.post_title"), html! {
                            input id="post-title" name="title" type="text" required maxlength="200" value=(v("post", "title"));
                        }))
                        (field("post-role", t("post.role"), html! {
                            select id="post-role" name="role" {
                                @for r in Role::ALL {
                                    option value=(r.key()) selected[v("post", "role") == r.key()] { (role_name(lang, r)) }
                                }
                            }
                        }))
                        @if !departments.is_empty() {
                            (field("post-portfolio", t("edit.portfolio"), html! {
                                select id="post-portfolio" name="portfolio" multiple size="4" aria-describedby="post-portfolio-hint" {
                                    @for d in &departments {
                                        option value=(d.id) selected[chosen_portfolio.contains(&d.id.to_string())] { (d.name) }
                                    }
                                }
                                small id="post-portfolio-hint" class="muted" { (t("edit.portfolio_hint")) }
                            }))
                        }
                        (reason_field(lang, "post-reason", &v("post", "reason")))
                        button type="submit" class="primary" { (t("edit.add_post")) }
                    }
                }
            }
        }
    }
}

/// The form that adds a holder to a post.
pub fn holder_form(lang: Lang, viewer: &Viewer, post: &Post, refill: &Option<Sent<'_>>) -> Markup {
    let t = |k| lang.t(k);
    let v = |name: &str| Sent::value(refill, "holder", name, "").to_string();
    html! {
        details id="add-holder" open[Sent::is(refill, "holder")] {
            summary { (t("edit.add_holder")) }
            form method="post" action=(format!("/posts/{}/tenures", post.id)) class="card" {
                (csrf_field(viewer))
                fieldset {
                    legend { (t("edit.who")) }
                    (field("holder-person", t("edit.existing_person"), html! {
                        input id="holder-person" name="person" type="text" maxlength="100" value=(v("person")) aria-describedby="holder-person-hint";
                        small id="holder-person-hint" class="muted" { (t("edit.existing_hint")) }
                    }))
                    (field("holder-name", t("edit.new_person"), html! {
                        input id="holder-name" name="name" type="text" maxlength="100" value=(v("name"));
                    }))
                    (field("holder-key", t("edit.person_key"), html! {
                        input id="holder-key" name="key" type="text" maxlength="100" value=(v("key"));
                    }))
                }
                div class="row" {
                    (field("holder-start", t("edit.start"), html! {
                        input id="holder-start" name="start_date" type="date" required value=(v("start_date"));
                    }))
                    (field("holder-end", t("edit.end_optional"), html! {
                        input id="holder-end" name="end_date" type="date" value=(v("end_date"));
                    }))
                }
                (checkbox("holder-acting", "acting", t("post.acting"), v("acting") == "on"))
                (reason_field(lang, "holder-reason", &v("reason")))
                button type="submit" class="primary" { (t("edit.add_holder")) }
            }
        }
    }
}

/// The forms that end, correct or retract one tenure.
pub fn tenure_forms(
    lang: Lang,
    viewer: &Viewer,
    tenure: &Tenure,
    person: &Person,
    refill: &Option<Sent<'_>>,
) -> Markup {
    let t = |k| lang.t(k);
    let id = tenure.id;
    let (end_f, correct_f, retract_f) = (
        format!("end-{id}"),
        format!("correct-{id}"),
        format!("retract-{id}"),
    );
    let open =
        Sent::is(refill, &end_f) || Sent::is(refill, &correct_f) || Sent::is(refill, &retract_f);
    let start = tenure.start_date.to_string();
    let end = tenure.end_date.map(|d| d.to_string()).unwrap_or_default();
    let acting = Sent::value(
        refill,
        &correct_f,
        "acting",
        if tenure.acting { "on" } else { "" },
    ) == "on";
    let confirm = format!(
        "{} {} ({})?",
        t("edit.retract_confirm"),
        person.name,
        tenure.start_date
    );
    html! {
        details class="tenure-edit" open[open] {
            summary { (t("edit.change")) span class="visually-hidden" { " " (person.name) " " (tenure.start_date) } }
            @if tenure.end_date.is_none() {
                form method="post" action=(format!("/tenures/{id}/end")) class="card" {
                    h3 { (t("edit.end")) }
                    (csrf_field(viewer))
                    (field(&format!("{end_f}-date"), t("edit.end_date"), html! {
                        input id=(format!("{end_f}-date")) name="end_date" type="date" required value=(Sent::value(refill, &end_f, "end_date", ""));
                    }))
                    (reason_field(lang, &format!("{end_f}-reason"), Sent::value(refill, &end_f, "reason", "")))
                    button type="submit" { (t("edit.end")) }
                }
            }
            form method="post" action=(format!("/tenures/{id}/correct")) class="card" {
                h3 { (t("edit.correct")) }
                (csrf_field(viewer))
                div class="row" {
                    (field(&format!("{correct_f}-start"), t("edit.start"), html! {
                        input id=(format!("{correct_f}-start")) name="start_date" type="date" required value=(Sent::value(refill, &correct_f, "start_date", &start));
                    }))
                    (field(&format!("{correct_f}-end"), t("edit.end_optional"), html! {
                        input id=(format!("{correct_f}-end")) name="end_date" type="date" value=(Sent::value(refill, &correct_f, "end_date", &end));
                    }))
                }
                (checkbox(&format!("{correct_f}-acting"), "acting", t("post.acting"), acting))
                (reason_field(lang, &format!("{correct_f}-reason"), Sent::value(refill, &correct_f, "reason", "")))
                button type="submit" { (t("edit.correct")) }
            }
            form method="post" action=(format!("/tenures/{id}/retract")) class="card" data-confirm=(confirm) {
                h3 { (t("edit.retract")) }
                p class="muted" { (t("edit.retract_hint")) }
                (csrf_field(viewer))
                (reason_field(lang, &format!("{retract_f}-reason"), Sent::value(refill, &retract_f, "reason", "")))
                button type="submit" class="danger" { (t("edit.retract")) }
            }
        }
    }
}

/// Sends a refused form back to its page, or passes on an error that is not the form's fault.
async fn region_refused(
    state: &AppState,
    viewer: &Viewer,
    region: &Region,
    form: &str,
    fields: &Fields,
    e: AppError,
) -> PageResult {
    let Some(message) = form_error(viewer.lang, &e) else {
        return Err(e);
    };
    let page = render_region(
        state,
        viewer,
        region,
        (today(), today().year()),
        format!("/regions/{}", region.code),
        message,
        Some(Sent {
            form: form.to_string(),
            fields,
        }),
    )
    .await?;
    Ok(refused(page))
}

async fn post_refused(
    state: &AppState,
    viewer: &Viewer,
    post: &Post,
    org: &Organisation,
    form: &str,
    fields: &Fields,
    e: AppError,
) -> PageResult {
    let Some(message) = form_error(viewer.lang, &e) else {
        return Err(e);
    };
    let page = render_post(
        state,
        viewer,
        post,
        org,
        today(),
        format!("/posts/{}", post.id),
        message,
        Some(Sent {
            form: form.to_string(),
            fields,
        }),
    )
    .await?;
    Ok(refused(page))
}

/// POST /regions/{code}/organisations
pub async fn add_organisation(
    State(state): State<AppState>,
    Scoped(region, viewer): Scoped<Region>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::EditRecords)?;
    let result = async {
        let reason = req_reason(f.get("reason"))?;
        let kind: OrganisationKind = f.get("kind").parse().map_err(
            |e: ecoduty_domain::organisation::UnknownOrganisationKind| {
                AppError::invalid("kind", e.to_string())
            },
        )?;
        state
            .store
            .add_organisation(
                &viewer.change(reason),
                OrganisationSpec {
                    region_code: region.code.clone(),
                    name: f.get("name").trim().to_string(),
                    kind,
                    eco_department: f.ticked("eco_department"),
                    eco_duties: f.ticked("eco_duties"),
                },
            )
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(done(
            &format!("/regions/{}", region.code),
            "organisation_added",
        )),
        Err(e) => region_refused(&state, &viewer, &region, "org", &f, e).await,
    }
}

/// POST /regions/{code}/posts: a post in one of the region's organisations.
pub async fn add_post(
    State(state): State<AppState>,
    Scoped(region, viewer): Scoped<Region>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::EditRecords)?;
    let result = async {
        let reason = req_reason(f.get("reason"))?;
        let org_id: i64 = f
            .get("organisation")
            .parse()
            .map_err(|_| AppError::invalid("organisation", "choose an organisation"))?;
        let org = state
            .store
            .organisation(org_id)
            .await?
            .filter(|o| o.region_code == region.code)
            .ok_or_else(|| {
                AppError::invalid("organisation", "choose an organisation of this region")
            })?;
        let role: Role =
            f.get("role")
                .parse()
                .map_err(|e: ecoduty_regulation::roles::UnknownRole| {
                    AppError::invalid("role", e.to_string())
                })?;
        let portfolio = f
            .all("portfolio")
            .iter()
            .map(|p| {
                p.parse::<i64>().map_err(|_| {
                    AppError::invalid("portfolio", format!("{p:?} is not a department"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let post = state
            .store
            .add_post(
                &viewer.change(reason),
                PostSpec {
                    organisation_id: org.id,
                    title: f.get("title").trim().to_string(),
                    role,
                    portfolio,
                },
            )
            .await?;
        Ok::<_, AppError>(post)
    }
    .await;
    match result {
        Ok(post) => Ok(done(&format!("/posts/{}", post.id), "post_added")),
        Err(e) => region_refused(&state, &viewer, &region, "post", &f, e).await,
    }
}

/// Finds an existing person by id or key, among those the viewer may see.
async fn person_in_scope(
    state: &AppState,
    viewer: &Viewer,
    reference: &str,
) -> Result<Person, AppError> {
    let not_found = || {
        AppError::invalid(
            "person",
            format!("no person {reference:?} (by id or key) in your region"),
        )
    };
    let id = match reference.parse::<i64>() {
        Ok(id) => id,
        Err(_) => {
            state
                .store
                .person_by_key(reference)
                .await?
                .ok_or_else(not_found)?
                .id
        }
    };
    viewer.person(&state.store, id).await.map_err(|e| match e {
        AppError::NotFound => not_found(),
        other => other,
    })
}

/// POST /posts/{id}/tenures: an existing person or a new one takes the post.
pub async fn add_tenure(
    State(state): State<AppState>,
    Scoped((post, org), viewer): Scoped<(Post, Organisation)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::EditRecords)?;
    let result = async {
        let reason = req_reason(f.get("reason"))?;
        let start = req_date("start_date", f.get("start_date"))?;
        let end = opt_date("end_date", f.get("end_date"))?;
        let acting = f.ticked("acting");
        let existing = f.get("person").trim();
        let name = f.get("name").trim();
        let change = viewer.change(reason);
        match (existing.is_empty(), name.is_empty()) {
            (false, true) => {
                let person = person_in_scope(&state, &viewer, existing).await?;
                state
                    .store
                    .add_tenure(
                        &change,
                        NewTenure {
                            post_id: post.id,
                            person_id: person.id,
                            start_date: start,
                            end_date: end,
                            acting,
                        },
                    )
                    .await?;
            }
            (true, false) => {
                let key = f.get("key").trim();
                state
                    .store
                    .add_person_with_tenure(
                        &change,
                        NewHolder {
                            name: name.to_string(),
                            key: (!key.is_empty()).then(|| key.to_string()),
                            post_id: post.id,
                            start_date: start,
                            end_date: end,
                            acting,
                        },
                    )
                    .await?;
            }
            _ => return Err(AppError::invalid(
                "person",
                "name an existing person (id or key) or give a new person's name — one of the two",
            )),
        }
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(done(&format!("/posts/{}", post.id), "tenure_added")),
        Err(e) => post_refused(&state, &viewer, &post, &org, "holder", &f, e).await,
    }
}

/// POST /tenures/{id}/end
pub async fn end_tenure(
    State(state): State<AppState>,
    Scoped((tenure, post, org), viewer): Scoped<(Tenure, Post, Organisation)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::EditRecords)?;
    let result = async {
        let reason = req_reason(f.get("reason"))?;
        let end = req_date("end_date", f.get("end_date"))?;
        state
            .store
            .end_tenure(&viewer.change(reason), tenure.id, end)
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(done(&format!("/posts/{}", post.id), "tenure_ended")),
        Err(e) => {
            post_refused(
                &state,
                &viewer,
                &post,
                &org,
                &format!("end-{}", tenure.id),
                &f,
                e,
            )
            .await
        }
    }
}

/// POST /tenures/{id}/correct: the tenure's dates and acting flag as they should have been.
pub async fn correct_tenure(
    State(state): State<AppState>,
    Scoped((tenure, post, org), viewer): Scoped<(Tenure, Post, Organisation)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::EditRecords)?;
    let result = async {
        let reason = req_reason(f.get("reason"))?;
        let start = req_date("start_date", f.get("start_date"))?;
        let end = opt_date("end_date", f.get("end_date"))?;
        state
            .store
            .correct_tenure(
                &viewer.change(reason),
                tenure.id,
                TenurePatch {
                    start_date: Some(start),
                    end_date: Some(end),
                    acting: Some(f.ticked("acting")),
                },
                "correct",
            )
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(done(&format!("/posts/{}", post.id), "tenure_corrected")),
        Err(e) => {
            post_refused(
                &state,
                &viewer,
                &post,
                &org,
                &format!("correct-{}", tenure.id),
                &f,
                e,
            )
            .await
        }
    }
}

/// POST /tenures/{id}/retract: the tenure was entered in error (it stays in the record).
pub async fn retract_tenure(
    State(state): State<AppState>,
    Scoped((tenure, post, org), viewer): Scoped<(Tenure, Post, Organisation)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = Fields(fields);
    viewer.check_csrf(f.get("csrf"))?;
    viewer.require(Permission::EditRecords)?;
    let result = async {
        let reason = req_reason(f.get("reason"))?;
        state
            .store
            .retract_tenure(&viewer.change(reason), tenure.id)
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(done(&format!("/posts/{}", post.id), "tenure_retracted")),
        Err(e) => {
            post_refused(
                &state,
                &viewer,
                &post,
                &org,
                &format!("retract-{}", tenure.id),
                &f,
                e,
            )
            .await
        }
    }
}
