//! The two migration folders must produce the same schema.

use anwei::db::Db;

use crate::helpers::*;

#[tokio::test]
async fn both_backends_migrate_to_the_same_tables_columns_indexes_and_constraint_names() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Db::connect(
        &format!("sqlite://{}", dir.path().join("s.db").display()),
        2,
    )
    .await
    .unwrap();
    sqlite.migrate().await.unwrap();
    let pg = Db::connect(&fresh_pg_database(&pg_server_url()).await, 2)
        .await
        .unwrap();
    pg.migrate().await.unwrap();
    let a = sqlite.schema_outline().await.unwrap();
    let b = pg.schema_outline().await.unwrap();
    assert!(a.len() > 100, "outline is substantial: {}", a.len());
    assert!(
        a.iter()
            .any(|l| l == "constraint account.account_username_uq"),
        "named constraints are listed"
    );
    let only_sqlite: Vec<_> = a.iter().filter(|x| !b.contains(x)).collect();
    let only_pg: Vec<_> = b.iter().filter(|x| !a.contains(x)).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "only in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_pg:#?}"
    );
}

#[test]
fn migration_folders_hold_the_same_file_names() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let names = |d: &str| {
        let mut v: Vec<String> = std::fs::read_dir(root.join(d))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("sqlite"), names("postgres"));
}
