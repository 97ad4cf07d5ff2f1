//! The policy page: measures, articles, the 66 key tasks, a task and its source article.

use anwei::auth::model::Role;

use super::Browser;
use crate::helpers::spawn_app;

#[tokio::test]
async fn the_policy_page_shows_measures_articles_and_the_66_tasks() {
    let app = spawn_app().await;
    app.create_user("li", Role::Office, "220500-AWB").await;
    let b = Browser::start().await;
    b.login(&app, "li").await;

    b.goto(&app, "/policy").await;
    b.find("#task-66").await;
    let tasks = b.find_all(r#"a[id^="task-"]"#).await;
    assert_eq!(tasks.len(), 66, "one link per key task");
    for n in [1, 28, 66] {
        b.find(&format!(
            "a#task-{n}[href=\"/policy/tasks/{n}?policy=tonghua-2022-10\"]"
        ))
        .await;
    }
    let measures = b.find_all("section.measure").await;
    assert_eq!(measures.len(), 15, "the fifteen measures");
    let first_heading = b.text("#measure-1 h2").await;
    assert!(!first_heading.trim().is_empty(), "measure 1 has a heading");

    // The article lists are folded; opening one shows its links.
    let article_link = "#measure-1 details.articles a[href^=\"/policy/articles/\"]";
    let link = b.find(article_link).await;
    assert!(
        !link.is_displayed().await.expect("displayed?"),
        "folded at first"
    );
    b.click("#measure-1 details.articles summary").await;
    assert!(
        link.is_displayed().await.expect("displayed?"),
        "shown when opened"
    );
    let articles = b
        .find_all("details.articles a[href^=\"/policy/articles/\"]")
        .await;
    assert_eq!(articles.len(), 43, "the 43 articles of the document");
    b.screenshot("policy").await;

    // Task 28 has a time window.
    b.click("#task-28").await;
    b.wait_path("/policy/tasks/28").await;
    let facts = b.text("dl.facts").await;
    assert!(
        facts.contains("2022年4月1日 – 2022年10月22日"),
        "task 28 shows its window; the facts say {facts:?}"
    );
    assert!(!b.text("#task-content").await.trim().is_empty());
    b.screenshot("policy-task-28").await;

    // From the task to its source article, which shows the full text.
    let source = b.find("article.article-text h3 a").await;
    let href = source.attr("href").await.expect("href").expect("a link");
    let text_on_task_page = b.text("article.article-text p").await;
    source.click().await.expect("open the article");
    b.wait_path(&href).await;
    let full_text = b.text("article.article-text p").await;
    assert!(
        full_text.chars().count() > 40,
        "the article's full text is shown: {full_text:?}"
    );
    assert_eq!(full_text, text_on_task_page, "same text on both pages");
    let h1 = b.text("main h1").await;
    assert!(
        h1.starts_with('（'),
        "the article heading carries its number: {h1:?}"
    );
    let back_to_task = b.find("a[href=\"/policy/tasks/28\"]").await;
    assert!(back_to_task.is_displayed().await.expect("displayed?"));
    b.screenshot("policy-article").await;

    b.finish().await;
}
