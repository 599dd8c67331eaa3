//! Charts drawn as SVG by the app itself (a chart library costs 20–140 KB of WASM; this
//! is a few): each has a title, `role="img"` with a label, and the same numbers as a
//! table one tap away.

use leptos::prelude::*;

use crate::i18n::Key;
use crate::ui::tr;

/// Drawing area of every chart, in SVG units.
const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 200.0;
/// Room for the axis labels.
const LEFT: f64 = 36.0;
const BOTTOM: f64 = 22.0;
/// Points drawn at most (a curve of 10,000 customers is drawn from a sample).
const MAX_POINTS: usize = 200;

/// The upper end of the y axis: 100, or the largest value rounded up to 20.
fn y_top(points: &[(f64, f64)]) -> f64 {
    let max = points.iter().map(|p| p.1).fold(100.0, f64::max);
    (max / 20.0).ceil() * 20.0
}

/// Every `n`-th point, so at most [`MAX_POINTS`] are drawn, the last one always kept.
fn sample(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let step = points.len().div_ceil(MAX_POINTS).max(1);
    let mut out: Vec<(f64, f64)> = points.iter().step_by(step).copied().collect();
    if let Some(last) = points.last()
        && out.last() != Some(last)
    {
        out.push(*last);
    }
    out
}

/// The SVG `points` of a curve with x in 0–100 and y in 0–`top`.
pub fn polyline(points: &[(f64, f64)], top: f64) -> String {
    sample(points)
        .iter()
        .map(|(x, y)| {
            let px = LEFT + x / 100.0 * (WIDTH - LEFT);
            let py = (HEIGHT - BOTTOM) * (1.0 - y.clamp(0.0, top) / top);
            format!("{px:.1},{py:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The points nearest to each tenth of the x axis, for the table beside a curve.
pub fn deciles(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    (1..=10)
        .filter_map(|i| {
            let x = f64::from(i) * 10.0;
            points.iter().rfind(|p| p.0 <= x + 1e-9).copied()
        })
        .collect()
}

/// A curve over x = 0–100 % (e.g. the share of customers), y in percent.
#[component]
pub fn CurveChart(
    /// The chart's ID (its table's is `{id}-table`).
    id: &'static str,
    title: Signal<String>,
    x_label: Signal<String>,
    y_label: Signal<String>,
    points: Signal<Vec<(f64, f64)>>,
) -> impl IntoView {
    let top = Memo::new(move |_| points.with(|p| y_top(p)));
    let grid = move || {
        let top = top.get();
        [0.0, top / 2.0, top]
            .into_iter()
            .map(|value| {
                let y = (HEIGHT - BOTTOM) * (1.0 - value / top);
                view! {
                    <line class="grid" x1=LEFT y1=y x2=WIDTH y2=y />
                    <text class="tick" x=LEFT - 4.0 y=y + 4.0 text-anchor="end">{format!("{value:.0}")}</text>
                }
            })
            .collect_view()
    };
    view! {
        <figure class="chart" id=id>
            <figcaption>{move || title.get()}</figcaption>
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=move || format!("{} — {} / {}", title.get(), y_label.get(), x_label.get())
            >
                <title>{move || title.get()}</title>
                {grid}
                <line class="axis" x1=LEFT y1=HEIGHT - BOTTOM x2=WIDTH y2=HEIGHT - BOTTOM />
                <text class="tick" x=LEFT y=HEIGHT - 6.0>"0"</text>
                <text class="tick" x=WIDTH y=HEIGHT - 6.0 text-anchor="end">"100"</text>
                <polyline class="curve" points=move || points.with(|p| polyline(p, top.get())) />
            </svg>
            <details class="chart-table">
                <summary>{tr(Key::UiChartAsTable)}</summary>
                <table class="lines" id=format!("{id}-table")>
                    <thead>
                        <tr>
                            <th scope="col" class="num">{move || x_label.get()}</th>
                            <th scope="col" class="num">{move || y_label.get()}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            points
                                .with(|p| deciles(p))
                                .into_iter()
                                .map(|(x, y)| view! {
                                    <tr>
                                        <td class="num">{format!("{x:.0}")}</td>
                                        <td class="num">{format!("{y:.1}")}</td>
                                    </tr>
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_curve_is_drawn_in_the_chart_area_from_a_sample() {
        let points: Vec<(f64, f64)> = (0..=1000).map(|i| (i as f64 / 10.0, 50.0)).collect();
        let line = polyline(&points, 100.0);
        assert!(line.split(' ').count() <= MAX_POINTS + 1);
        assert!(line.starts_with("36.0,89.0"));
        assert!(line.ends_with("320.0,89.0"));
        assert_eq!(y_top(&[(0.0, 0.0), (50.0, 131.0)]), 140.0);
        let tenths = deciles(&points);
        assert_eq!(tenths.len(), 10);
        assert_eq!(tenths[9], (100.0, 50.0));
    }
}
