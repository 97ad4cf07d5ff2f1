//! Our own small SVG charts, rendered on the server as inline markup: no script, no CDN,
//! readable without colour (every segment carries its count as text, and the legend names each
//! colour) and with a text alternative (`<title>` and `<desc>`, referenced by `aria-labelledby`).
//!
//! Every text and attribute value that reaches the markup goes through [`escape`], so a caller
//! may insert the returned string into a template unescaped (`|safe`).
//!
//! Text widths are estimated from character counts: an East Asian wide or full-width character
//! (汉字, full-width punctuation) takes one em, anything else about 0.6 em. Browsers and fonts vary
//! a little; the estimate only has to keep labels from running into the bars.

use std::fmt::Write as _;

/// Escapes text for use both as element content and inside a double- or single-quoted
/// attribute value.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0 text; drop them.
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// True for characters a CJK font draws one em wide (East Asian Wide and Fullwidth ranges).
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F          // Hangul Jamo
        | 0x2E80..=0x303E        // CJK radicals, punctuation 、。「」
        | 0x3041..=0x33FF        // kana, CJK symbols
        | 0x3400..=0x4DBF        // CJK extension A
        | 0x4E00..=0x9FFF        // CJK unified ideographs
        | 0xA000..=0xA4CF        // Yi
        | 0xAC00..=0xD7A3        // Hangul syllables
        | 0xF900..=0xFAFF        // CJK compatibility ideographs
        | 0xFE30..=0xFE4F        // CJK compatibility forms
        | 0xFF00..=0xFF60        // full-width forms （），：
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x20000..=0x3FFFD)
}

/// The width of one character in ems.
pub fn char_em(c: char) -> f64 {
    if is_wide(c) { 1.0 } else { 0.6 }
}

/// Estimated width of `s` in pixels at `font_px`.
pub fn text_width(s: &str, font_px: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * font_px
}

/// `s` cut to fit `max_px` at `font_px`, ending in "…" when cut.
pub fn fit(s: &str, max_px: f64, font_px: f64) -> String {
    if text_width(s, font_px) <= max_px {
        return s.to_string();
    }
    let ellipsis = char_em('…') * font_px;
    let mut out = String::new();
    let mut w = 0.0;
    for c in s.chars() {
        let cw = char_em(c) * font_px;
        if w + cw + ellipsis > max_px {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// One part of a bar: a category (e.g. a light) with its count.
#[derive(Debug, Clone)]
pub struct Segment {
    /// The category's name, shown in the legend and the hover title.
    pub label: String,
    pub value: i64,
    /// CSS class (the stylesheet colours it), e.g. `seg-red`.
    pub class: String,
    /// Fill colour used when the SVG is seen without the stylesheet.
    pub fill: String,
    /// Where the segment leads (the rows behind the number), if anywhere.
    pub href: Option<String>,
}

/// One horizontal bar.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub href: Option<String>,
    pub segments: Vec<Segment>,
}

impl Bar {
    pub fn total(&self) -> i64 {
        self.segments.iter().map(|s| s.value.max(0)).sum()
    }
}

/// A stacked horizontal bar chart.
#[derive(Debug, Clone)]
pub struct StackedBars {
    /// Element id prefix (for `aria-labelledby`); escaped like any text.
    pub id: String,
    /// Short text alternative (`<title>`).
    pub title: String,
    /// Long text alternative (`<desc>`): should state every number the chart shows.
    pub desc: String,
    pub bars: Vec<Bar>,
    /// Legend entries: (label, class, fill).
    pub legend: Vec<(String, String, String)>,
}

const FONT: f64 = 13.0;
const ROW: f64 = 26.0;
const BAR_H: f64 = 18.0;
const BAR_W: f64 = 480.0;
const MAX_LABEL: f64 = 260.0;
const PAD: f64 = 8.0;

fn num(v: f64) -> String {
    // One decimal is plenty for pixels and keeps the markup short and stable in tests.
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn open_link(out: &mut String, href: &Option<String>) {
    if let Some(h) = href {
        let _ = write!(out, "<a href=\"{}\">", escape(h));
    }
}

fn close_link(out: &mut String, href: &Option<String>) {
    if href.is_some() {
        out.push_str("</a>");
    }
}

/// Renders the chart as an `<svg>` element whose every text is escaped.
pub fn stacked_bars(c: &StackedBars) -> String {
    let label_w = c
        .bars
        .iter()
        .map(|b| text_width(&b.label, FONT))
        .fold(0.0, f64::max)
        .min(MAX_LABEL);
    let max_total = c.bars.iter().map(Bar::total).max().unwrap_or(0).max(1) as f64;
    let total_w = text_width(&max_total.to_string(), FONT) + PAD * 2.0;
    let x0 = PAD + label_w + PAD;
    let width = x0 + BAR_W + total_w;
    let legend_y = PAD + ROW * c.bars.len() as f64 + PAD;
    let height = legend_y + ROW;
    let id = escape(&c.id);
    let mut out = String::with_capacity(512 + c.bars.len() * 600);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart stacked-bars\" id=\"{id}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
         font-size=\"{FONT}\"><title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{desc}</desc>",
        w = num(width),
        h = num(height),
        title = escape(&c.title),
        desc = escape(&c.desc),
    );
    for (i, b) in c.bars.iter().enumerate() {
        let y = PAD + ROW * i as f64;
        let text_y = y + BAR_H / 2.0 + FONT * 0.35;
        let shown = fit(&b.label, MAX_LABEL, FONT);
        out.push_str("<g class=\"bar\">");
        open_link(&mut out, &b.href);
        let _ = write!(
            out,
            "<text class=\"bar-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\"><title>{}</title>{}</text>",
            num(x0 - PAD),
            num(text_y),
            escape(&b.label),
            escape(&shown),
        );
        close_link(&mut out, &b.href);
        let mut x = x0;
        for s in b.segments.iter().filter(|s| s.value > 0) {
            let w = s.value as f64 / max_total * BAR_W;
            open_link(&mut out, &s.href);
            let _ = write!(
                out,
                "<rect class=\"seg {cls}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{BAR_H}\" fill=\"{fill}\"><title>{tip}</title></rect>",
                cls = escape(&s.class),
                x = num(x),
                y = num(y),
                w = num(w),
                fill = escape(&s.fill),
                tip = escape(&format!(
                    "{}{}{}",
                    s.label,
                    if s.label.chars().any(is_wide) {
                        "："
                    } else {
                        ": "
                    },
                    s.value
                )),
            );
            let v = s.value.to_string();
            if text_width(&v, FONT) + 4.0 <= w {
                let _ = write!(
                    out,
                    "<text class=\"seg-value\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#fff\">{}</text>",
                    num(x + w / 2.0),
                    num(text_y),
                    v
                );
            }
            close_link(&mut out, &s.href);
            x += w;
        }
        let _ = write!(
            out,
            "<text class=\"bar-total\" x=\"{}\" y=\"{}\">{}</text></g>",
            num(x + PAD / 2.0),
            num(text_y),
            b.total()
        );
    }
    let mut lx = PAD;
    out.push_str("<g class=\"legend\">");
    for (label, class, fill) in &c.legend {
        let _ = write!(
            out,
            "<rect class=\"seg {}\" x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            escape(class),
            num(lx),
            num(legend_y + 2.0),
            escape(fill),
            num(lx + 16.0),
            num(legend_y + 12.0),
            escape(label),
        );
        lx += 16.0 + text_width(label, FONT) + 2.0 * PAD;
    }
    out.push_str("</g></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(label: &str, value: i64) -> Segment {
        Segment {
            label: label.into(),
            value,
            class: "seg-red".into(),
            fill: "#b3261e".into(),
            href: None,
        }
    }

    #[test]
    fn escaping_covers_markup_and_both_quotes() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("红灯\u{0}"), "红灯");
    }

    #[test]
    fn chinese_characters_are_twice_as_wide_as_latin_ones() {
        assert_eq!(text_width("安全", 10.0), 20.0);
        assert_eq!(text_width("ab", 10.0), 12.0);
        assert_eq!(text_width("（1）", 10.0), 26.0);
        assert!(is_wide('，') && is_wide('、') && !is_wide('a') && !is_wide('1'));
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis_within_the_width() {
        let s = "严格落实党委安全生产责任严格落实政府安全生产责任";
        let f = fit(s, 100.0, 10.0);
        assert!(f.ends_with('…'));
        assert!(text_width(&f, 10.0) <= 100.0);
        assert_eq!(fit("短", 100.0, 10.0), "短");
    }

    #[test]
    fn every_text_of_the_chart_is_escaped() {
        let c = StackedBars {
            id: "c\"1".into(),
            title: "<script>alert(1)</script>".into(),
            desc: "a & b".into(),
            bars: vec![Bar {
                label: "<b>措施</b>".into(),
                href: Some("/x?a=1&b=\"2\"".into()),
                segments: vec![seg("红<灯>", 3), seg("x", 0)],
            }],
            legend: vec![("<i>".into(), "seg-red".into(), "#b3261e".into())],
        };
        let svg = stacked_bars(&c);
        assert!(!svg.contains("<script>") && !svg.contains("<b>") && !svg.contains("<i>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("a &amp; b"));
        assert!(svg.contains("href=\"/x?a=1&amp;b=&quot;2&quot;\""));
        assert!(svg.contains("id=\"c&quot;1-title\""));
        assert!(svg.contains("红&lt;灯&gt;：3"));
    }

    #[test]
    fn the_chart_has_a_text_alternative_and_shows_counts_as_text() {
        let c = StackedBars {
            id: "c".into(),
            title: "各措施灯色".into(),
            desc: "措施1：红灯3".into(),
            bars: vec![
                Bar {
                    label: "1. 党委责任".into(),
                    href: None,
                    segments: vec![seg("红灯", 3), seg("绿灯", 5)],
                },
                Bar {
                    label: "2".into(),
                    href: None,
                    segments: vec![],
                },
            ],
            legend: vec![],
        };
        let svg = stacked_bars(&c);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"c-title c-desc\""));
        assert!(svg.contains("<title id=\"c-title\">各措施灯色</title>"));
        assert!(svg.contains("<desc id=\"c-desc\">措施1：红灯3</desc>"));
        assert!(
            svg.contains(">3</text>") && svg.contains(">5</text>") && svg.contains(">8</text>")
        );
        // An empty bar draws no segment but still states its total.
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains(">0</text></g>"));
    }

    #[test]
    fn bar_lengths_are_proportional_to_the_largest_total() {
        let c = StackedBars {
            id: "c".into(),
            title: String::new(),
            desc: String::new(),
            bars: vec![
                Bar {
                    label: "a".into(),
                    href: None,
                    segments: vec![seg("r", 4)],
                },
                Bar {
                    label: "b".into(),
                    href: None,
                    segments: vec![seg("r", 2)],
                },
            ],
            legend: vec![],
        };
        let svg = stacked_bars(&c);
        assert!(svg.contains(&format!("width=\"{}\"", num(BAR_W))));
        assert!(svg.contains(&format!("width=\"{}\"", num(BAR_W / 2.0))));
    }
}
