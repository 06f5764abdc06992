//! Rivers, lakes and forests and their chiefs (河湖长制 / 林长制, Art. 5) in the API: waters with
//! their segments and the chiefs of each today, forest areas, chief posts with who holds them
//! and their responsibility list, a chief's month (patrol table, his sections' monthly classes
//! against their target class, the open problems his patrols raised), patrols (list, record,
//! one), a region's patrol frequencies, and the chiefs behind.
//!
//! Everything is seen within the caller's region. Saving waters, forest areas and chief posts,
//! setting frequencies and recording anyone's patrol needs [`Permission::ManageWaters`]; a
//! chief records his own patrols without it — the account whose username is the person key of
//! whoever held the chief post on the patrol's day ([`is_chief_user`]). Patrol photos must be
//! evidence files the caller may cite (a digest alone grants nothing).

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate, Utc};
use ecoduty_domain::access::{is_chief_user, Permission};
use ecoduty_domain::responsibility::DutyEntry;
use ecoduty_domain::waters::frequency::Frequency;
use ecoduty_domain::waters::{ChiefKind, ChiefLevel, ChiefSpec, ForestSpec, WaterSpec};
use ecoduty_domain::Region;
use ecoduty_store::duties::ListFor;
use ecoduty_store::quality::water::SectionMonths;
use ecoduty_store::supervision::findings::Finding;
use ecoduty_store::waters::chiefs::{Chief, ChiefFilter, ChiefHolding};
use ecoduty_store::waters::patrols::{
    Behind, NewPatrol, Patrol, PatrolFilter, PatrolRecorded, PatrolTable,
};
use ecoduty_store::waters::{Forest, Segment, WaterDetail, WaterSave};
use ecoduty_store::Store;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::common::{list_scope, today, Allowed, Needs};
use crate::api::extract::{Json, Query};
use crate::auth::{ApiScoped, ApiViewer, Viewer};
use crate::error::{ApiResult, AppError};
use crate::state::AppState;

/// Save waters, forest areas and chief posts; set frequencies; record any chief's patrols.
pub struct ManageWaters;
impl Needs for ManageWaters {
    const PERMISSION: Permission = Permission::ManageWaters;
}

/// A segment with the chief posts answering for it and who holds them today.
#[derive(Serialize, ToSchema)]
pub struct SegmentChiefs {
    pub segment: Segment,
    pub chiefs: Vec<ChiefHolding>,
}

/// A water with its segments in the caller's region, source to mouth, each with its chiefs.
#[derive(Serialize, ToSchema)]
pub struct WaterView {
    pub water: ecoduty_store::waters::Water,
    pub segments: Vec<SegmentChiefs>,
}

/// The chiefs of each segment, with their holders on `day`.
pub async fn segment_chiefs(
    store: &Store,
    detail: WaterDetail,
    day: NaiveDate,
) -> Result<WaterView, AppError> {
    let mut segments = Vec::new();
    for s in detail.segments {
        let mut chiefs = Vec::new();
        for c in store.chiefs_of_segment(&s).await? {
            chiefs.push(store.chief_holding(c, day).await?);
        }
        segments.push(SegmentChiefs { segment: s, chiefs });
    }
    Ok(WaterView {
        water: detail.water,
        segments,
    })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegionQuery {
    /// Within this region (the caller's own by default).
    pub region: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/waters", operation_id = "waters_list", tag = "waters",
    params(RegionQuery),
    responses(
        (status = 200, description = "Waters with a segment in force within the region, by code, each with those segments source to mouth", body = Vec<WaterDetail>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<RegionQuery>,
) -> ApiResult<Json<Vec<WaterDetail>>> {
    let within = list_scope(&state, &v, q.region.as_deref()).await?;
    Ok(Json(state.store.waters(within.as_ref()).await?))
}

#[utoipa::path(
    post, path = "/api/v1/waters", operation_id = "waters_save", tag = "waters",
    request_body = WaterSpec,
    responses(
        (status = 200, description = "The water saved whole: versions written (of the water and its segments), unchanged, withdrawn (stored segments the body leaves out)", body = WaterSave),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn save(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<ManageWaters>,
    Json(spec): Json<WaterSpec>,
) -> ApiResult<Json<WaterSave>> {
    let reason = format!("保存河湖 {} {}", spec.code, spec.name);
    Ok(Json(
        state
            .store
            .save_water(&v.change(reason), v.root(), spec)
            .await?,
    ))
}

#[utoipa::path(
    get, path = "/api/v1/waters/{water}", operation_id = "waters_get", tag = "waters",
    params(("water" = String, Path, description = "Water code", example = "QINHE")),
    responses(
        (status = 200, description = "The water with its segments in the caller's region, source to mouth, each with the chiefs answering for it (those naming it, and the general river chiefs of its region and above) and who holds them today", body = WaterView),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiScoped(w, _): ApiScoped<WaterDetail>,
) -> ApiResult<Json<WaterView>> {
    Ok(Json(segment_chiefs(&state.store, w, today()).await?))
}

#[utoipa::path(
    get, path = "/api/v1/forests", operation_id = "forests_list", tag = "waters",
    params(RegionQuery),
    responses(
        (status = 200, description = "Forest areas in force within the region, by code", body = Vec<Forest>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn forests(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<RegionQuery>,
) -> ApiResult<Json<Vec<Forest>>> {
    let within = list_scope(&state, &v, q.region.as_deref()).await?;
    Ok(Json(state.store.forests(within.as_ref()).await?))
}

/// A forest area saved, and whether a version was written.
#[derive(Serialize, ToSchema)]
pub struct ForestSaved {
    pub forest: Forest,
    pub written: bool,
}

#[utoipa::path(
    post, path = "/api/v1/forests", operation_id = "forests_save", tag = "waters",
    request_body = ForestSpec,
    responses(
        (status = 200, description = "The forest area as stored (a new version only if it changed)", body = ForestSaved),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn save_forest(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<ManageWaters>,
    Json(spec): Json<ForestSpec>,
) -> ApiResult<Json<ForestSaved>> {
    let reason = format!("保存林区 {} {}", spec.code, spec.name);
    let (forest, written) = state
        .store
        .save_forest(&v.change(reason), v.root(), spec)
        .await?;
    Ok(Json(ForestSaved { forest, written }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChiefQuery {
    /// Within this region (the caller's own by default).
    pub region: Option<String>,
    pub kind: Option<ChiefKind>,
    pub level: Option<ChiefLevel>,
    /// Who held the posts on this day (today by default).
    pub on: Option<NaiveDate>,
}

#[utoipa::path(
    get, path = "/api/v1/chiefs", operation_id = "chiefs_list", tag = "waters",
    params(ChiefQuery),
    responses(
        (status = 200, description = "Chief posts in force within the region, level order, each with its post, organisation and holder on the day", body = Vec<ChiefHolding>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn chiefs(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<ChiefQuery>,
) -> ApiResult<Json<Vec<ChiefHolding>>> {
    let within = list_scope(&state, &v, q.region.as_deref()).await?;
    let day = q.on.unwrap_or_else(today);
    let mut out = Vec::new();
    for c in state
        .store
        .chiefs(&ChiefFilter {
            within,
            kind: q.kind,
            level: q.level,
            retired: false,
        })
        .await?
    {
        out.push(state.store.chief_holding(c, day).await?);
    }
    Ok(Json(out))
}

#[utoipa::path(
    post, path = "/api/v1/chiefs", operation_id = "chiefs_add", tag = "waters",
    request_body = ChiefSpec,
    responses(
        (status = 201, description = "The post made a chief post (checked: the post sits in the chief's region, the level fits, every segment or forest area lies within it, a post is one chief post at most)", body = Chief),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn add_chief(
    State(state): State<AppState>,
    Allowed(v, _): Allowed<ManageWaters>,
    Json(spec): Json<ChiefSpec>,
) -> ApiResult<(StatusCode, Json<Chief>)> {
    if !v.reaches(&spec.region_code) {
        return Err(AppError::invalid(
            "region_code",
            format!("{} is outside your region", spec.region_code),
        )
        .into());
    }
    let reason = format!(
        "设立{}{}(职务 #{})",
        spec.level.name_zh(),
        spec.kind.name_zh(),
        spec.post_id
    );
    let chief = state.store.add_chief(&v.change(reason), spec).await?;
    Ok((StatusCode::CREATED, Json(chief)))
}

/// A chief post with its holder today and its responsibility list (the regulation's duties of
/// the post's role and the chief's local duties, each citing its source).
#[derive(Serialize, ToSchema)]
pub struct ChiefView {
    pub holding: ChiefHolding,
    pub duties: Vec<DutyEntry>,
}

/// A chief post's holding and responsibility list on a day.
pub async fn chief_view(
    store: &Store,
    chief: Chief,
    day: NaiveDate,
) -> Result<ChiefView, AppError> {
    let region = chief.spec.region_code.clone();
    let holding = store.chief_holding(chief, day).await?;
    let duties = store
        .responsibility_list(&region, ListFor::Post(holding.post.id), day)
        .await?
        .duties;
    Ok(ChiefView { holding, duties })
}

#[utoipa::path(
    get, path = "/api/v1/chiefs/{id}", operation_id = "chiefs_get", tag = "waters",
    params(("id" = i64, Path, description = "Chief post id", example = 1)),
    responses(
        (status = 200, description = "The chief post, who holds it today, its responsibility list", body = ChiefView),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn chief(
    State(state): State<AppState>,
    ApiScoped(c, _): ApiScoped<Chief>,
) -> ApiResult<Json<ChiefView>> {
    Ok(Json(chief_view(&state.store, c, today()).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// The month, `YYYY-MM` (this month by default).
    #[param(example = "2026-11")]
    pub month: Option<String>,
}

/// Reads `YYYY-MM` (the current month when absent).
pub fn month_param(text: Option<&str>) -> Result<(i32, u32), AppError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => {
            let t = today();
            Ok((t.year(), t.month()))
        }
        Some(t) => {
            let bad = || AppError::invalid("month", format!("{t:?}: expected YYYY-MM"));
            let (y, m) = t.split_once('-').ok_or_else(bad)?;
            let y: i32 = y.parse().map_err(|_| bad())?;
            let m: u32 = m.parse().map_err(|_| bad())?;
            if !(1900..=2200).contains(&y) || !(1..=12).contains(&m) {
                return Err(bad());
            }
            Ok((y, m))
        }
    }
}

/// A segment a chief answers for, with its sections' classes month by month this year.
#[derive(Serialize, ToSchema)]
pub struct SegmentMonths {
    pub segment: Segment,
    pub sections: Vec<SectionMonths>,
}

/// A chief's month: the patrol table, his segments' sections by month against their target
/// class, and the open problems his patrols raised.
#[derive(Serialize, ToSchema)]
pub struct ChiefMonth {
    pub table: PatrolTable,
    pub segments: Vec<SegmentMonths>,
    pub open_problems: Vec<Finding>,
}

/// The segments a chief answers for: those he names, or every one of his region for a
/// general river chief; none for a forest chief.
pub async fn chief_segments(store: &Store, chief: &Chief) -> Result<Vec<Segment>, AppError> {
    if chief.spec.kind.is_forest() {
        return Ok(vec![]);
    }
    let all = store.segments(Some(&chief.spec.region_code)).await?;
    Ok(if chief.spec.kind.is_general() {
        all
    } else {
        all.into_iter()
            .filter(|s| chief.spec.segments.contains(&s.spec.code))
            .collect()
    })
}

/// Everything a chief's monthly page shows, in the queries the page makes.
pub async fn chief_month(
    store: &Store,
    chief: &Chief,
    year: i32,
    month: u32,
) -> Result<ChiefMonth, AppError> {
    let table = store.patrol_table(chief.id, year, month).await?;
    let mut segments = Vec::new();
    for s in chief_segments(store, chief).await? {
        let sections = store.section_months(&s.spec.sections, year).await?;
        segments.push(SegmentMonths {
            segment: s,
            sections,
        });
    }
    let open_problems = store.chief_open_problems(chief.id).await?;
    Ok(ChiefMonth {
        table,
        segments,
        open_problems,
    })
}

#[utoipa::path(
    get, path = "/api/v1/chiefs/{id}/month", operation_id = "chiefs_month", tag = "waters",
    params(("id" = i64, Path, description = "Chief post id", example = 1), MonthQuery),
    responses(
        (status = 200, description = "The chief's month: patrols against the frequency that applies, period by period; his segments' sections with their classes month by month of the year (1–5 for Ⅰ–Ⅴ, 6 for 劣Ⅴ) against the segment's target class; the findings his patrols raised that are still open", body = ChiefMonth),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn month(
    State(state): State<AppState>,
    ApiScoped(c, _): ApiScoped<Chief>,
    Query(q): Query<MonthQuery>,
) -> ApiResult<Json<ChiefMonth>> {
    let (y, m) = month_param(q.month.as_deref())?;
    Ok(Json(chief_month(&state.store, &c, y, m).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PatrolQuery {
    /// Within this region (the caller's own by default).
    pub region: Option<String>,
    pub chief: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[utoipa::path(
    get, path = "/api/v1/patrols", operation_id = "patrols_list", tag = "waters",
    params(PatrolQuery),
    responses(
        (status = 200, description = "Patrols within the region, newest first", body = Vec<Patrol>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn patrols(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<PatrolQuery>,
) -> ApiResult<Json<Vec<Patrol>>> {
    let within = list_scope(&state, &v, q.region.as_deref()).await?;
    Ok(Json(
        state
            .store
            .patrols(&PatrolFilter {
                within,
                chief_id: q.chief,
                from: q.from,
                to: q.to,
            })
            .await?,
    ))
}

/// Checks that the viewer may record this patrol: the chief post is in his region (else it is
/// "no chief post"), he may manage waters or is the chief that day, and he may cite every
/// photo. Returns the chief post.
pub async fn may_record(state: &AppState, v: &Viewer, new: &NewPatrol) -> Result<Chief, AppError> {
    let chief = state
        .store
        .chief(new.chief_id)
        .await?
        .filter(|c| v.reaches(&c.spec.region_code))
        .ok_or_else(|| AppError::invalid("chief_id", format!("no chief post {}", new.chief_id)))?;
    if !v.can(Permission::ManageWaters) {
        let holding = state.store.chief_holding(chief.clone(), new.on).await?;
        let own = holding
            .holder
            .as_ref()
            .is_some_and(|p| is_chief_user(&v.user.username, &p.key));
        if !own {
            return Err(AppError::Forbidden);
        }
    }
    for (i, p) in new.problems.iter().enumerate() {
        crate::api::evidence::require_citable(state, v, &p.photos)
            .await
            .map_err(|e| match e {
                AppError::Invalid { message, .. } => {
                    AppError::invalid(format!("problems[{i}].photos"), message)
                }
                e => e,
            })?;
    }
    Ok(chief)
}

#[utoipa::path(
    post, path = "/api/v1/patrols", operation_id = "patrols_record", tag = "waters",
    request_body = NewPatrol,
    responses(
        (status = 201, description = "The patrol recorded against whoever held the chief post that day, with the findings (source: patrol) its unsolved problems became, in the same write. Needs ManageWaters, or being that chief (the account whose username is the holder's person key)", body = PatrolRecorded),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn record(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Json(new): Json<NewPatrol>,
) -> ApiResult<(StatusCode, Json<PatrolRecorded>)> {
    let chief = may_record(&state, &v, &new).await?;
    let reason = format!(
        "记录巡查:{}#{} {} {}",
        chief.spec.kind.name_zh(),
        chief.id,
        new.target.code(),
        new.on
    );
    let recorded = state
        .store
        .record_patrol(&v.change(reason), new, Utc::now())
        .await?;
    Ok((StatusCode::CREATED, Json(recorded)))
}

#[utoipa::path(
    get, path = "/api/v1/patrols/{id}", operation_id = "patrols_get", tag = "waters",
    params(("id" = i64, Path, description = "Patrol id", example = 1)),
    responses(
        (status = 200, description = "One patrol with its problems (each with its photos and the finding it became)", body = Patrol),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn patrol(ApiScoped(p, _): ApiScoped<Patrol>) -> ApiResult<Json<Patrol>> {
    Ok(Json(p))
}

/// The frequency that applies to a level in a region, and where it is set.
#[derive(Serialize, ToSchema)]
pub struct FrequencyInForce {
    pub frequency: Frequency,
    /// The region whose own setting applies; `None`: the default table.
    pub set_by: Option<String>,
}

#[utoipa::path(
    get, path = "/api/v1/regions/{code}/patrol-frequency", operation_id = "patrol_frequency_get", tag = "waters",
    params(("code" = String, Path, description = "Region code", example = "410883")),
    responses(
        (status = 200, description = "The required patrol frequency of each chief level in the region: the nearest region's own setting up the tree, else the default", body = Vec<FrequencyInForce>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound)
    )
)]
pub async fn frequency(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
) -> ApiResult<Json<Vec<FrequencyInForce>>> {
    let mut out = Vec::new();
    for level in ChiefLevel::ALL {
        let (frequency, set_by) = state.store.patrol_frequency(&region.code, *level).await?;
        out.push(FrequencyInForce {
            frequency,
            set_by: set_by.map(|r| r.to_string()),
        });
    }
    Ok(Json(out))
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/patrol-frequency", operation_id = "patrol_frequency_set", tag = "waters",
    params(("code" = String, Path, description = "Region code", example = "410883")),
    request_body = Frequency,
    responses(
        (status = 200, description = "The region's own frequency for the level, as stored (a new version if it changed)", body = FrequencyInForce),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn set_frequency(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
    Allowed(v, _): Allowed<ManageWaters>,
    Json(f): Json<Frequency>,
) -> ApiResult<Json<FrequencyInForce>> {
    if f.times == 0 {
        return Err(AppError::invalid("times", "at least one patrol per period").into());
    }
    let reason = format!(
        "设定 {} {}巡查频次:每{} {} 次",
        region.name,
        f.level.name_zh(),
        f.per.name_zh(),
        f.times
    );
    let s = state
        .store
        .set_patrol_frequency(&v.change(reason), &region.code, f)
        .await?;
    Ok(Json(FrequencyInForce {
        frequency: s.frequency,
        set_by: Some(s.region_code.to_string()),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BehindQuery {
    /// Within this region (the caller's own by default).
    pub region: Option<String>,
    /// The day asked about (today by default): each chief's last period ended before it.
    pub on: Option<NaiveDate>,
}

#[utoipa::path(
    get, path = "/api/v1/chiefs-behind", operation_id = "chiefs_behind", tag = "waters",
    params(BehindQuery),
    responses(
        (status = 200, description = "Chiefs within the region behind their required frequency in the last period that ended before the day, with who held the post on its last day", body = Vec<Behind>),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn behind(
    State(state): State<AppState>,
    ApiViewer(v): ApiViewer,
    Query(q): Query<BehindQuery>,
) -> ApiResult<Json<Vec<Behind>>> {
    let within = list_scope(&state, &v, q.region.as_deref()).await?;
    Ok(Json(
        state
            .store
            .chiefs_behind(within.as_ref(), q.on.unwrap_or_else(today))
            .await?,
    ))
}

/// The 河长名录 to import, as CSV text.
#[derive(Deserialize, ToSchema)]
pub struct ChiefSheetBody {
    /// Columns 层级, 行政区划代码, 河湖, 河段编码, 职务, 姓名, 人员编码, 任职起始, 任职终止.
    #[schema(
        example = "层级,行政区划代码,河湖,河段编码,职务,姓名,人员编码,任职起始,任职终止\n县级,410882,沁河,QINHE-410882,市长,张三,DEMO-0001,2024-01-01,"
    )]
    pub sheet: String,
}

/// Reads a 河长名录 table, every problem named with its file, line and column.
pub fn read_chief_sheet(
    file: &str,
    table: &ecoduty_tabular::Table,
) -> Result<Vec<ecoduty_domain::waters::sheet::ChiefRow>, AppError> {
    ecoduty_domain::waters::sheet::parse(file, &table.header, &table.rows)
        .map_err(|errors| AppError::Rows(errors.into_iter().map(|e| e.into_row()).collect()))
}

#[utoipa::path(
    post, path = "/api/v1/regions/{code}/chief-sheet", operation_id = "chief_sheet_import", tag = "waters",
    params(("code" = String, Path, description = "The region importing (every row within it)", example = "410800")),
    request_body = ChiefSheetBody,
    responses(
        (status = 200, description = "What the import did: rows read, chief posts created, revised (a new version), unchanged. All or nothing: a bad row refuses the sheet with every problem listed by line and column", body = ecoduty_store::waters::chiefs::ChiefSheetImport),
        (status = 401, response = crate::api::common::Unauthorized),
        (status = 403, response = crate::api::common::Forbidden),
        (status = 404, response = crate::api::common::NotFound),
        (status = 422, response = crate::api::common::Invalid)
    )
)]
pub async fn import_sheet(
    State(state): State<AppState>,
    ApiScoped(region, _): ApiScoped<Region>,
    Allowed(v, _): Allowed<ManageWaters>,
    Json(body): Json<ChiefSheetBody>,
) -> ApiResult<Json<ecoduty_store::waters::chiefs::ChiefSheetImport>> {
    let table = ecoduty_tabular::read(body.sheet.as_bytes(), ecoduty_tabular::Format::Csv, "sheet")
        .map_err(|e| AppError::invalid("sheet", e.to_string()))?;
    let rows = read_chief_sheet("sheet", &table)?;
    let reason = format!("导入 {} 河长名录({} 行)", region.name, rows.len());
    Ok(Json(
        state
            .store
            .import_chief_sheet(&v.change(reason), Some(&region.code), &rows)
            .await?,
    ))
}
