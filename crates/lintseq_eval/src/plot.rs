//! An SVG plot of pass@k against k: how coverage grows with sampling.

use std::fmt::Write;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 400.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 56.0;

/// Renders the curve (k, pass@k) as a standalone SVG document. The k axis is
/// logarithmic when it spans more than a decade.
pub fn svg(curve: &[(u64, f64)], title: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"##
    );
    out.push_str(r##"<rect width="100%" height="100%" fill="white"/>"##);
    let _ = write!(
        out,
        r##"<text x="{}" y="22" text-anchor="middle" font-size="15">{}</text>"##,
        WIDTH / 2.0,
        escape(title)
    );
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let max_k = curve.last().map_or(1, |&(k, _)| k).max(1);
    let log = max_k > 10;
    let x_of = |k: u64| -> f64 {
        if max_k == 1 {
            return LEFT + plot_w / 2.0;
        }
        let t = if log {
            (k as f64).ln() / (max_k as f64).ln()
        } else {
            (k - 1) as f64 / (max_k - 1) as f64
        };
        LEFT + t * plot_w
    };
    let y_of = |p: f64| TOP + (1.0 - p.clamp(0.0, 1.0)) * plot_h;

    // Grid and axes.
    for tick in 0..=5 {
        let p = f64::from(tick) / 5.0;
        let y = y_of(p);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{:.0}%</text>"##,
            LEFT + plot_w,
            LEFT - 6.0,
            y + 4.0,
            p * 100.0
        );
    }
    for k in x_ticks(max_k, log) {
        let x = x_of(k);
        let _ = write!(
            out,
            r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{:.1}" stroke="#eee"/><text x="{x:.1}" y="{:.1}" text-anchor="middle">{k}</text>"##,
            TOP + plot_h,
            TOP + plot_h + 16.0
        );
    }
    let _ = write!(
        out,
        r##"<rect x="{LEFT}" y="{TOP}" width="{plot_w:.1}" height="{plot_h:.1}" fill="none" stroke="#444"/>"##
    );
    let _ = write!(
        out,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle">k (samples per task{})</text>"##,
        LEFT + plot_w / 2.0,
        HEIGHT - 14.0,
        if log { ", log scale" } else { "" }
    );
    let _ = write!(
        out,
        r##"<text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle">pass@k</text>"##,
        TOP + plot_h / 2.0
    );
    // The curve.
    if !curve.is_empty() {
        let points: Vec<String> = curve
            .iter()
            .map(|&(k, p)| format!("{:.1},{:.1}", x_of(k), y_of(p)))
            .collect();
        let _ = write!(
            out,
            r##"<polyline points="{}" fill="none" stroke="#1f77b4" stroke-width="2"/>"##,
            points.join(" ")
        );
        for &(k, p) in curve {
            let _ = write!(
                out,
                r##"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="#1f77b4"><title>pass@{k} = {:.2}%</title></circle>"##,
                x_of(k),
                y_of(p),
                p * 100.0
            );
        }
    } else {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle">no task has a sample</text>"##,
            LEFT + plot_w / 2.0,
            TOP + plot_h / 2.0
        );
    }
    out.push_str("</svg>\n");
    out
}

fn x_ticks(max_k: u64, log: bool) -> Vec<u64> {
    if !log {
        let step = (max_k / 10).max(1);
        return (1..=max_k)
            .step_by(step as usize)
            .chain([max_k])
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
    }
    let mut ticks = vec![1];
    let mut t = 1u64;
    while t * 10 <= max_k {
        t *= 10;
        ticks.push(t);
    }
    if *ticks.last().unwrap() != max_k {
        ticks.push(max_k);
    }
    ticks
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_well_formed_document() {
        let curve: Vec<(u64, f64)> = (1..=100)
            .map(|k| (k, 1.0 - 0.9f64.powi(k as i32)))
            .collect();
        let doc = svg(&curve, "pass@k <test>");
        assert!(doc.starts_with("<svg"));
        assert!(doc.trim_end().ends_with("</svg>"));
        assert!(doc.contains("pass@k &lt;test&gt;"));
        assert_eq!(doc.matches("<circle").count(), 100);
        assert!(doc.contains("log scale"));
        assert!(svg(&[], "empty").contains("no task"));
        assert!(svg(&[(1, 0.5)], "one").contains("<polyline"));
    }
}
