//! The four-colour risk map (四色图): for a territory, per child territory, how many
//! enterprises hold each grade and the territory's colour — its worst grade. Rendered as our
//! own SVG (tiles with their counts as text, so colour is never the only carrier).

use anwei_rules::risk::RiskLevel;
use serde::{Deserialize, Serialize};

use crate::act::{Act, Target};
use crate::auth::model::{Actor, Perm};
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Msg, t};
use crate::state::AppState;
use crate::web::extract::some_text;

/// `GET /api/v1/risk/map` and the page: the territory (GB/T 2260 code); blank: the actor's own.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MapQuery {
    pub region: Option<String>,
}

/// One territory's enterprises by grade.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct MapRow {
    pub code: String,
    pub name: String,
    pub red: i64,
    pub orange: i64,
    pub yellow: i64,
    pub blue: i64,
    /// Enterprises with no active risk point.
    pub none: i64,
    pub total: i64,
    /// The worst grade's colour (`red`, `orange`, `yellow`, `blue`), `none` when no
    /// enterprise is graded.
    pub colour: String,
    /// True for the territory itself (enterprises registered at its level, not in a child).
    pub own_level: bool,
}

impl MapRow {
    fn add(&mut self, level: Option<RiskLevel>, n: i64) {
        match level {
            Some(RiskLevel::Major) => self.red += n,
            Some(RiskLevel::High) => self.orange += n,
            Some(RiskLevel::General) => self.yellow += n,
            Some(RiskLevel::Low) => self.blue += n,
            None => self.none += n,
        }
        self.total += n;
    }

    fn paint(&mut self) {
        self.colour = [
            (self.red, "red"),
            (self.orange, "orange"),
            (self.yellow, "yellow"),
            (self.blue, "blue"),
        ]
        .iter()
        .find(|(n, _)| *n > 0)
        .map_or("none", |(_, c)| c)
        .to_string();
    }
}

/// The map of one territory.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RiskMap {
    pub region_code: String,
    pub region_name: String,
    pub territories: Vec<MapRow>,
    pub totals: MapRow,
}

/// The map of the territory asked for (blank: the actor's own), counting the enterprises in
/// the actor's scope only: a county looking at the city's map sees its own enterprises there,
/// and a region outside its scope counts nothing.
pub async fn map(state: &AppState, actor: &Actor, q: &MapQuery) -> AppResult<RiskMap> {
    let mut act = Act::read(state, actor).await?;
    let t = Target {
        kind: "risk_map",
        id: "",
    };
    act.require(Perm::HazardRead, "risk.map", t).await?;
    let regions = crate::orgs::service::all_regions(&mut act).await?;
    let region = match some_text(&q.region) {
        Some(code) => regions.iter().find(|r| r.code == code),
        None => regions.iter().find(|r| r.path == actor.region_path),
    }
    .ok_or_else(|| AppError::field("region", Msg::new("org.region_unknown")))?;
    // A territory holding the actor's whole scope counts that scope; one inside it narrows it;
    // any other counts nothing.
    let narrow = (!actor.region_path.starts_with(&region.path)).then_some(region.code.as_str());
    let tally = crate::enterprises::service::risk_tally(&mut act, narrow).await?;
    let mut rows: Vec<MapRow> = regions
        .iter()
        .filter(|r| r.parent_id == Some(region.id))
        .map(|r| MapRow {
            code: r.code.clone(),
            name: r.name.clone(),
            ..MapRow::default()
        })
        .collect();
    let paths: Vec<&str> = regions
        .iter()
        .filter(|r| r.parent_id == Some(region.id))
        .map(|r| r.path.as_str())
        .collect();
    let mut own = MapRow {
        code: region.code.clone(),
        name: region.name.clone(),
        own_level: true,
        ..MapRow::default()
    };
    let mut totals = MapRow {
        code: region.code.clone(),
        name: region.name.clone(),
        ..MapRow::default()
    };
    for (path, level, n) in &tally {
        let level = RiskLevel::parse(level);
        totals.add(level, *n);
        match paths.iter().position(|p| path.starts_with(p)) {
            Some(i) => rows[i].add(level, *n),
            None => own.add(level, *n),
        }
    }
    if own.total > 0 || rows.is_empty() {
        rows.insert(0, own);
    }
    rows.iter_mut().for_each(MapRow::paint);
    totals.paint();
    Ok(RiskMap {
        region_code: region.code.clone(),
        region_name: region.name.clone(),
        territories: rows,
        totals,
    })
}

/// The fill of a colour code, and the text colour that reads on it.
fn fill(colour: &str) -> (&'static str, &'static str) {
    match colour {
        "red" => ("#c62828", "#fff"),
        "orange" => ("#ef6c00", "#fff"),
        "yellow" => ("#fdd835", "#000"),
        "blue" => ("#1565c0", "#fff"),
        _ => ("#e0e0e0", "#000"),
    }
}

/// The map as SVG: a tile per territory in its colour, with its name and its counts by grade
/// as text; each tile links to that territory's own map. Every text is escaped.
pub fn svg(m: &RiskMap, lang: Lang) -> String {
    use crate::web::svg::{escape, fit};
    let (cols, tile_w, tile_h, gap, head_h) = (4usize, 200.0, 100.0, 8.0, 30.0);
    let n = m.territories.len().max(1);
    let rows = n.div_ceil(cols);
    let width = cols as f64 * (tile_w + gap) + gap;
    let legend_y = head_h + rows as f64 * (tile_h + gap) + 6.0;
    let height = legend_y + 30.0;
    let title = format!("{} {}", m.region_name, t(lang, "risk.map_title"));
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"riskmap\" role=\"img\" aria-labelledby=\"rm-title rm-desc\" \
         width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-size=\"13\">\
         <title id=\"rm-title\">{}</title><desc id=\"rm-desc\">{}</desc>\
         <text x=\"{gap}\" y=\"20\" font-weight=\"bold\">{}</text>",
        escape(&title),
        escape(&t(lang, "risk.map_desc")),
        escape(&title),
    );
    let names = ["red", "orange", "yellow", "blue", "none"];
    let labels = names.map(|c| t(lang, &format!("risk.colour.{c}")));
    let short = names.map(|c| t(lang, &format!("risk.short.{c}")));
    for (i, r) in m.territories.iter().enumerate() {
        let x = gap + (i % cols) as f64 * (tile_w + gap);
        let y = head_h + (i / cols) as f64 * (tile_h + gap);
        let (bg, fg) = fill(&r.colour);
        let counts = [r.red, r.orange, r.yellow, r.blue, r.none];
        let tx = x + 10.0;
        let lines = [
            format!("{} {} · {} {}", short[0], counts[0], short[1], counts[1]),
            format!("{} {} · {} {}", short[2], counts[2], short[3], counts[3]),
            format!("{} {}", short[4], counts[4]),
        ];
        let all = format!("{} · {} · {}", lines[0], lines[1], lines[2]);
        s.push_str(&format!(
            "<a href=\"/risk/map?region={}\"><rect class=\"tile {}\" data-region=\"{}\" x=\"{x}\" y=\"{y}\" width=\"{tile_w}\" \
             height=\"{tile_h}\" rx=\"6\" fill=\"{bg}\" stroke=\"#555\"><title>{}: {}</title></rect>\
             <text x=\"{}\" y=\"{}\" fill=\"{fg}\" font-weight=\"bold\">{}</text>\
             <text x=\"{tx}\" y=\"{}\" fill=\"{fg}\">{}</text><text x=\"{tx}\" y=\"{}\" fill=\"{fg}\">{}</text>\
             <text x=\"{tx}\" y=\"{}\" fill=\"{fg}\">{}</text></a>",
            crate::web::middleware::urlencode(&r.code),
            escape(&r.colour),
            escape(&r.code),
            escape(&r.name),
            escape(&all),
            tx,
            y + 24.0,
            escape(&fit(&r.name, tile_w - 20.0, 14.0)),
            y + 48.0,
            escape(&fit(&lines[0], tile_w - 20.0, 13.0)),
            y + 68.0,
            escape(&fit(&lines[1], tile_w - 20.0, 13.0)),
            y + 88.0,
            escape(&fit(&lines[2], tile_w - 20.0, 13.0)),
        ));
    }
    for (i, c) in names.iter().enumerate() {
        let x = gap + i as f64 * 120.0;
        let (bg, _) = fill(c);
        s.push_str(&format!(
            "<rect x=\"{x}\" y=\"{legend_y}\" width=\"16\" height=\"16\" fill=\"{bg}\" stroke=\"#555\"/>\
             <text x=\"{}\" y=\"{}\">{}</text>",
            x + 22.0,
            legend_y + 13.0,
            escape(&labels[i]),
        ));
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_territory_takes_its_worst_colour_and_the_svg_escapes_names() {
        let mut r = MapRow {
            name: "<script>".into(),
            code: "220502".into(),
            ..MapRow::default()
        };
        r.add(Some(RiskLevel::Low), 2);
        r.add(None, 1);
        r.paint();
        assert_eq!(r.colour, "blue");
        r.add(Some(RiskLevel::High), 1);
        r.paint();
        assert_eq!((r.colour.as_str(), r.total), ("orange", 4));
        let m = RiskMap {
            region_code: "220500".into(),
            region_name: "通化市".into(),
            territories: vec![r],
            totals: MapRow::default(),
        };
        let s = svg(&m, Lang::Zh);
        assert!(s.contains("&lt;script&gt;") && !s.contains("<script>"));
        assert!(s.contains("class=\"tile orange\""));
    }
}
