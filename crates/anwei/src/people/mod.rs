//! People, positions and who holds them. Duties attach to positions, so they survive a
//! change of the person holding one.

pub mod model;
pub mod pages;
pub mod service;
pub mod store;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/people", get(pages::index))
        .route("/people/persons", post(pages::create_person))
        .route("/orgs/{code}/positions", post(pages::create_position))
        .route("/positions/{id}", get(pages::position))
        .route("/positions/{id}/assign", post(pages::assign))
        .route("/positions/{id}/vacate", post(pages::vacate))
        .route(
            "/api/v1/orgs/{code}/positions",
            get(pages::api_positions).post(pages::api_create_position),
        )
        .route(
            "/api/v1/persons",
            get(pages::api_persons).post(pages::api_create_person),
        )
        .route("/api/v1/positions/{id}", get(pages::api_position))
        .route("/api/v1/positions/{id}/holder", post(pages::api_assign))
        .route("/api/v1/positions/{id}/vacate", post(pages::api_vacate))
}
