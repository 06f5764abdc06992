//! The pages. One module per family; each page handler renders through [`layout::Shell`].
//!
//! - [`signin`]: signing in and out, the language switch.
//! - [`regions`]: the dashboard, a region's page, a post's page; [`records`]: their forms.
//! - [`regulation`]: the regulation reader, version differences, importing a version.
//! - [`people`]: finding people, a person's tenures.
//! - [`roster`]: roster import and export ([`upload`] reads the files).
//! - [`users`]: accounts and roles; [`account`]: one's own password and API tokens.
//! - [`ledger`]: the change ledger and its verification.
//! - [`public`]: the responsibility lists anyone may read.

pub mod account;
pub mod assets;
pub mod indicators;
pub mod layout;
pub mod ledger;
pub mod people;
pub mod public;
pub mod records;
pub mod regions;
pub mod regulation;
pub mod roster;
pub mod signin;
pub mod upload;
pub mod users;

use crate::routes::{page, Access, Names, Route};
use axum::routing::{get, post};
use ecoduty_domain::access::Permission;

pub fn routes() -> Vec<Route> {
    vec![
        page(
            "GET",
            "/assets/app.css",
            Access::Public,
            Names::Nothing,
            get(assets::css),
        ),
        page(
            "GET",
            "/assets/app.js",
            Access::Public,
            Names::Nothing,
            get(assets::js),
        ),
        page(
            "GET",
            "/signin",
            Access::Public,
            Names::Nothing,
            get(signin::show),
        ),
        page(
            "POST",
            "/signin",
            Access::Public,
            Names::Nothing,
            post(signin::submit),
        ),
        page(
            "POST",
            "/signout",
            Access::SignedIn,
            Names::Nothing,
            post(signin::sign_out),
        ),
        page(
            "GET",
            "/lang/{code}",
            Access::Public,
            Names::Nothing,
            get(signin::switch_language),
        ),
        page(
            "GET",
            "/",
            Access::SignedIn,
            Names::Nothing,
            get(regions::dashboard),
        ),
        page(
            "GET",
            "/regions/{code}",
            Access::SignedIn,
            Names::Region,
            get(regions::region_page),
        ),
        page(
            "GET",
            "/posts/{id}",
            Access::SignedIn,
            Names::Post,
            get(regions::post_page),
        ),
        // Editing records.
        page(
            "POST",
            "/regions/{code}/organisations",
            Access::Needs(Permission::EditRecords),
            Names::Region,
            post(records::add_organisation),
        ),
        page(
            "POST",
            "/regions/{code}/posts",
            Access::Needs(Permission::EditRecords),
            Names::Region,
            post(records::add_post),
        ),
        page(
            "POST",
            "/posts/{id}/tenures",
            Access::Needs(Permission::EditRecords),
            Names::Post,
            post(records::add_tenure),
        ),
        page(
            "POST",
            "/tenures/{id}/end",
            Access::Needs(Permission::EditRecords),
            Names::Tenure,
            post(records::end_tenure),
        ),
        page(
            "POST",
            "/tenures/{id}/correct",
            Access::Needs(Permission::EditRecords),
            Names::Tenure,
            post(records::correct_tenure),
        ),
        page(
            "POST",
            "/tenures/{id}/retract",
            Access::Needs(Permission::EditRecords),
            Names::Tenure,
            post(records::retract_tenure),
        ),
        // The regulation (public law: reading needs no sign-in).
        page(
            "GET",
            "/regulation",
            Access::Public,
            Names::Nothing,
            get(regulation::in_force),
        ),
        page(
            "GET",
            "/regulation/diff",
            Access::Public,
            Names::Nothing,
            get(regulation::diff),
        ),
        page(
            "GET",
            "/regulation/import",
            Access::Needs(Permission::ImportRegulation),
            Names::Nothing,
            get(regulation::import_form),
        ),
        page(
            "POST",
            "/regulation/import",
            Access::Needs(Permission::ImportRegulation),
            Names::Nothing,
            post(regulation::import),
        ),
        page(
            "GET",
            "/regulation/{id}",
            Access::Public,
            Names::Unscoped,
            get(regulation::version),
        ),
        // People.
        page(
            "GET",
            "/people",
            Access::SignedIn,
            Names::Nothing,
            get(people::search),
        ),
        page(
            "GET",
            "/people/{id}",
            Access::SignedIn,
            Names::Person,
            get(people::person_page),
        ),
        // Rosters.
        page(
            "GET",
            "/roster",
            Access::Needs(Permission::EditRecords),
            Names::Nothing,
            get(roster::show),
        ),
        page(
            "POST",
            "/roster",
            Access::Needs(Permission::EditRecords),
            Names::Nothing,
            post(roster::import),
        ),
        page(
            "GET",
            "/roster/export.csv",
            Access::Needs(Permission::EditRecords),
            Names::Nothing,
            get(roster::export_csv),
        ),
        page(
            "GET",
            "/roster/export.xlsx",
            Access::Needs(Permission::EditRecords),
            Names::Nothing,
            get(roster::export_xlsx),
        ),
        // Users and the user's own account.
        page(
            "GET",
            "/users",
            Access::Needs(Permission::ManageUsers),
            Names::Nothing,
            get(users::list),
        ),
        page(
            "POST",
            "/users",
            Access::Needs(Permission::ManageUsers),
            Names::Nothing,
            post(users::create),
        ),
        page(
            "GET",
            "/users/{id}",
            Access::Needs(Permission::ManageUsers),
            Names::User,
            get(users::show),
        ),
        page(
            "POST",
            "/users/{id}",
            Access::Needs(Permission::ManageUsers),
            Names::User,
            post(users::update),
        ),
        page(
            "POST",
            "/users/{id}/active",
            Access::Needs(Permission::ManageUsers),
            Names::User,
            post(users::set_active),
        ),
        page(
            "POST",
            "/users/{id}/password",
            Access::Needs(Permission::ManageUsers),
            Names::User,
            post(users::reset_password),
        ),
        page(
            "GET",
            "/account",
            Access::SignedIn,
            Names::Nothing,
            get(account::show),
        ),
        page(
            "POST",
            "/account/password",
            Access::SignedIn,
            Names::Nothing,
            post(account::change_password),
        ),
        page(
            "POST",
            "/account/tokens",
            Access::SignedIn,
            Names::Nothing,
            post(account::create_token),
        ),
        page(
            "POST",
            "/account/tokens/{id}/revoke",
            Access::SignedIn,
            Names::Token,
            post(account::revoke_token),
        ),
        // The change ledger.
        page(
            "GET",
            "/ledger",
            Access::Needs(Permission::ReadLedger),
            Names::Nothing,
            get(ledger::browse),
        ),
        page(
            "POST",
            "/ledger/verify",
            Access::Needs(Permission::ReadLedger),
            Names::Nothing,
            post(ledger::verify),
        ),
        // Published responsibility lists.
        page(
            "GET",
            "/public",
            Access::Public,
            Names::Nothing,
            get(public::pick),
        ),
        page(
            "GET",
            "/public/{code}",
            Access::Public,
            Names::Unscoped,
            get(public::region),
        ),
    ]
}
