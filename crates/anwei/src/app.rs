//! Assembles the router from the capabilities' routes and the middleware, and runs the server
//! and the job worker. The state every handler receives is built in `crate::state`.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use tokio::net::TcpListener;
use tower_http::timeout::TimeoutLayer;

use crate::state::AppState;
use crate::web::middleware as mw;

pub fn router(state: AppState) -> Router {
    let app = Router::new()
        .merge(crate::auth::routes())
        .merge(crate::home::routes())
        .merge(crate::orgs::routes())
        .merge(crate::people::routes())
        .merge(crate::policy::routes(&state.cfg.uploads))
        .merge(crate::accounts::routes())
        .merge(crate::audit::routes())
        .merge(crate::notify::routes())
        .merge(crate::deliverables::routes(&state.cfg.uploads))
        .merge(crate::enterprises::routes())
        .merge(crate::hazards::routes(&state.cfg.uploads))
        .merge(crate::listings::routes(&state.cfg.uploads))
        .merge(crate::reports::routes(&state.cfg.uploads))
        .merge(crate::accidents::routes())
        .merge(crate::duties::routes(&state.cfg.uploads))
        .merge(crate::supervision::routes(&state.cfg.uploads))
        .merge(crate::risks::routes())
        .merge(crate::inspections::routes(&state.cfg.uploads))
        .merge(crate::campaigns::routes())
        .merge(crate::bans::routes())
        .merge(crate::api_docs::routes())
        .route("/healthz", get(health))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .route("/assets/{*path}", get(crate::web::assets::serve));
    let timeout = Duration::from_secs(state.cfg.request_timeout_seconds);
    // A panic in a handler becomes a 500 that the error middleware renders and logs under
    // the request id; the outer layer catches what panics in the middleware itself.
    app.layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            mw::csrf,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            mw::authenticate,
        ))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(DefaultBodyLimit::max(state.cfg.body_limit_bytes))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            mw::body_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            mw::render_errors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            mw::security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            mw::context,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .route_layer(axum::middleware::from_fn(mw::metrics))
        .with_state(state)
}

async fn health() -> &'static str {
    "ok"
}

async fn ready(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if state.db.ping().await {
        "ready".into_response()
    } else {
        (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            [(axum::http::header::RETRY_AFTER, "5")],
            "database unreachable",
        )
            .into_response()
    }
}

async fn metrics(axum::extract::State(state): axum::extract::State<AppState>) -> String {
    let (size, idle) = state.db.pool_stats();
    metrics::gauge!("anwei_db_pool_connections").set(size as f64);
    metrics::gauge!("anwei_db_pool_idle").set(idle as f64);
    if let Ok(depth) = crate::jobs::queue_depth(&state).await {
        metrics::gauge!("anwei_job_queue_depth").set(depth as f64);
    }
    state.metrics.render()
}

/// Serves until the shutdown future resolves; the job worker runs alongside.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = state
        .cfg
        .run_jobs
        .then(|| tokio::spawn(crate::jobs::run_worker(state.clone(), stop_rx)));
    let app = router(state.clone());
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    })
    .await?;
    if let Some(w) = worker {
        let _ = w.await;
    }
    state.db.close().await;
    Ok(())
}
