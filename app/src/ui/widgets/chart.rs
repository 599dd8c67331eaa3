//! Charts drawn as SVG by the app itself (a chart library costs 20–140 KB of WASM; this
//! is a few): a curve, bars, stacked bars, a line over periods and the matrix scatter.
//! Each has a title, `role="img"` with a label, and the same numbers as a table one tap
//! away ([`ChartFrame`]).

use leptos::prelude::*;

use crate::i18n::Key;
use crate::ui::{tr, use_lang, word};

/// Drawing area of every chart, in SVG units.
const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 200.0;
/// Room for the axis labels (and, at the top, for the highest tick's text).
const LEFT: f64 = 36.0;
const BOTTOM: f64 = 22.0;
const TOP: f64 = 8.0;
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

/// The SVG y of value `y` on an axis from 0 to `top`.
fn y_of(y: f64, top: f64) -> f64 {
    TOP + (HEIGHT - BOTTOM - TOP) * (1.0 - y.clamp(0.0, top) / top.max(f64::EPSILON))
}

/// The SVG x of value `x` on an axis from 0 to `right`.
fn x_of(x: f64, right: f64) -> f64 {
    LEFT + (WIDTH - LEFT) * x.clamp(0.0, right) / right.max(f64::EPSILON)
}

/// The SVG `points` of a curve with x in 0–100 and y in 0–`top`.
pub fn polyline(points: &[(f64, f64)], top: f64) -> String {
    sample(points)
        .iter()
        .map(|(x, y)| {
            let px = x_of(*x, 100.0);
            let py = y_of(*y, top);
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

/// What every chart shares: the figure with its caption, the SVG with `role="img"`, a
/// label and a title, and the same numbers as a table one tap away (`{id}-table`).
#[component]
fn ChartFrame(
    id: &'static str,
    title: Signal<String>,
    x_label: Signal<String>,
    y_label: Signal<String>,
    /// The table's column headers.
    columns: Signal<Vec<String>>,
    /// The table's rows (the first cell a label, the others numbers).
    rows: Signal<Vec<Vec<String>>>,
    /// The SVG's content.
    children: Children,
) -> impl IntoView {
    view! {
        <figure class="chart" id=id>
            <figcaption>{move || title.get()}</figcaption>
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=move || format!("{} — {} / {}", title.get(), y_label.get(), x_label.get())
            >
                <title>{move || title.get()}</title>
                {children()}
            </svg>
            <details class="chart-table">
                <summary>{tr(Key::UiChartAsTable)}</summary>
                <table class="lines" id=format!("{id}-table")>
                    <thead>
                        <tr>
                            {move || {
                                columns
                                    .get()
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, name)| view! { <th scope="col" class:num={i > 0}>{name}</th> })
                                    .collect_view()
                            }}
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            rows.get()
                                .into_iter()
                                .map(|cells| view! {
                                    <tr>
                                        {cells
                                            .into_iter()
                                            .enumerate()
                                            .map(|(i, cell)| view! { <td class:num={i > 0}>{cell}</td> })
                                            .collect_view()}
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
                let y = y_of(value, top);
                view! {
                    <line class="grid" x1=LEFT y1=y x2=WIDTH y2=y />
                    <text class="tick" x=LEFT - 4.0 y=y + 4.0 text-anchor="end">{format!("{value:.0}")}</text>
                }
            })
            .collect_view()
    };
    let columns = Signal::derive(move || vec![x_label.get(), y_label.get()]);
    let rows = Signal::derive(move || {
        points
            .with(|p| deciles(p))
            .into_iter()
            .map(|(x, y)| vec![format!("{x:.0}"), format!("{y:.1}")])
            .collect()
    });
    view! {
        <ChartFrame id title x_label y_label columns rows>
            {grid}
            <line class="axis" x1=LEFT y1=HEIGHT - BOTTOM x2=WIDTH y2=HEIGHT - BOTTOM />
            <text class="tick" x=LEFT y=HEIGHT - 6.0>"0"</text>
            <text class="tick" x=WIDTH y=HEIGHT - 6.0 text-anchor="end">"100"</text>
            <polyline class="curve" points=move || points.with(|p| polyline(p, top.get())) />
        </ChartFrame>
    }
}

/// Points drawn at most in a scatter (every n-th account beyond it).
const MAX_DOTS: usize = 600;

/// A dot of a [`MatrixChart`]: x and y in 0–100, and whether it is highlighted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dot {
    pub x: f64,
    pub y: f64,
    pub marked: bool,
}

/// A 0–100 × 0–100 scatter cut in four by two threshold lines (the satisfaction–loyalty
/// matrix): each dot an account, the cells labelled with their counts.
#[component]
pub fn MatrixChart(
    id: &'static str,
    title: Signal<String>,
    x_label: Signal<String>,
    y_label: Signal<String>,
    /// The threshold on x (a vertical line).
    x_cut: Signal<i64>,
    /// The threshold on y (a horizontal line).
    y_cut: Signal<i64>,
    /// Names and counts of the cells: bottom-left, bottom-right, top-left, top-right.
    cells: Signal<[(String, usize); 4]>,
    /// The table's first column header (what a cell is, e.g. "group").
    cell_label: Signal<String>,
    /// The table's count column header.
    count_label: Signal<String>,
    dots: Signal<Vec<Dot>>,
) -> impl IntoView {
    let dots_view = move || {
        dots.with(|d| {
            let step = d.len().div_ceil(MAX_DOTS).max(1);
            d.iter()
                .step_by(step)
                .map(|dot| {
                    view! {
                        <circle
                            class:dot=true
                            class:marked=dot.marked
                            cx=format!("{:.1}", x_of(dot.x, 100.0))
                            cy=format!("{:.1}", y_of(dot.y, 100.0))
                            r="3"
                        />
                    }
                })
                .collect_view()
        })
    };
    let cell_labels = move || {
        let [bl, br, tl, tr_] = cells.get().map(|(name, count)| format!("{name} · {count}"));
        let (xc, yc) = (x_cut.get() as f64, y_cut.get() as f64);
        let left = (LEFT + x_of(xc, 100.0)) / 2.0;
        let right = (x_of(xc, 100.0) + WIDTH) / 2.0;
        let top = (TOP + y_of(yc, 100.0)) / 2.0;
        let bottom = (y_of(yc, 100.0) + HEIGHT - BOTTOM) / 2.0;
        [(left, bottom, bl), (right, bottom, br), (left, top, tl), (right, top, tr_)]
            .into_iter()
            .map(|(x, y, text)| {
                view! { <text class="cell-label" x=format!("{x:.1}") y=format!("{y:.1}") text-anchor="middle">{text}</text> }
            })
            .collect_view()
    };
    let columns = Signal::derive(move || vec![cell_label.get(), count_label.get()]);
    // The table lists the cells from the best (top right) to the worst.
    let rows = Signal::derive(move || {
        let [bl, br, tl, tr_] = cells.get();
        [tr_, tl, br, bl]
            .into_iter()
            .map(|(name, count)| vec![name, count.to_string()])
            .collect()
    });
    view! {
        <ChartFrame id title x_label y_label columns rows>
            <line class="axis" x1=LEFT y1=HEIGHT - BOTTOM x2=WIDTH y2=HEIGHT - BOTTOM />
            <line class="axis" x1=LEFT y1=TOP x2=LEFT y2=HEIGHT - BOTTOM />
            <text class="tick" x=LEFT - 4.0 y=TOP + 4.0 text-anchor="end">"100"</text>
            <text class="tick" x=LEFT - 4.0 y=HEIGHT - BOTTOM text-anchor="end">"0"</text>
            <text class="tick" x=WIDTH y=HEIGHT - 6.0 text-anchor="end">"100"</text>
            <text class="tick axis-name" x=(LEFT + WIDTH) / 2.0 y=HEIGHT - 6.0 text-anchor="middle">{move || x_label.get()}</text>
            <line
                class="threshold"
                x1=move || x_of(x_cut.get() as f64, 100.0)
                y1=TOP
                x2=move || x_of(x_cut.get() as f64, 100.0)
                y2=HEIGHT - BOTTOM
            />
            <line
                class="threshold"
                x1=LEFT
                y1=move || y_of(y_cut.get() as f64, 100.0)
                x2=WIDTH
                y2=move || y_of(y_cut.get() as f64, 100.0)
            />
            {cell_labels}
            {dots_view}
        </ChartFrame>
    }
}

/// A bar per period (e.g. a month), the last `forecast` bars drawn as a forecast, with
/// the numbers as a table one tap away.
#[component]
pub fn BarChart(
    id: &'static str,
    title: Signal<String>,
    x_label: Signal<String>,
    y_label: Signal<String>,
    /// (label, value, is a forecast).
    bars: Signal<Vec<(String, f64, bool)>>,
) -> impl IntoView {
    let top = Memo::new(move |_| {
        bars.with(|b| {
            let max = b.iter().map(|x| x.1).fold(0.0, f64::max);
            nice_top(max)
        })
    });
    let drawn = move || {
        let top = top.get();
        bars.with(|b| {
            let n = b.len().max(1) as f64;
            let slot = (WIDTH - LEFT) / n;
            b.iter()
                .enumerate()
                .map(|(i, (label, value, forecast))| {
                    let class = if *forecast { "bar forecast" } else { "bar" };
                    let (y_high, y_low) = (y_of(*value, top), HEIGHT - BOTTOM);
                    bar(
                        class.to_owned(),
                        i,
                        slot,
                        y_high,
                        y_low,
                        format!("{label}: {value:.1}"),
                    )
                })
                .collect_view()
        })
    };
    let ends = move || bars.with(|b| period_ends(b.first().map(|x| &x.0), b.last().map(|x| &x.0)));
    let lang = use_lang();
    let columns = Signal::derive(move || vec![x_label.get(), y_label.get()]);
    let rows = Signal::derive(move || {
        bars.with(|b| {
            b.iter()
                .map(|(label, value, forecast)| {
                    let label = if *forecast {
                        format!("{label} ({})", word(lang.get(), Key::UiDemandForecast))
                    } else {
                        label.clone()
                    };
                    vec![label, format!("{value:.1}")]
                })
                .collect()
        })
    });
    view! {
        <ChartFrame id title x_label y_label columns rows>
            <ValueAxis top />
            {drawn}
            {ends}
        </ChartFrame>
    }
}

/// A line over periods (e.g. NPS per month) on a fixed axis from `low` to `high`; a
/// period without a value breaks the line and shows "—" in the table.
#[component]
pub fn LineChart(
    id: &'static str,
    title: Signal<String>,
    x_label: Signal<String>,
    y_label: Signal<String>,
    /// The axis' ends (e.g. −100 and 100 for NPS).
    low: f64,
    high: f64,
    /// (period, value).
    points: Signal<Vec<(String, Option<f64>)>>,
) -> impl IntoView {
    let y = move |value: f64| {
        let span = (high - low).max(f64::EPSILON);
        TOP + (HEIGHT - BOTTOM - TOP) * (1.0 - ((value.clamp(low, high) - low) / span))
    };
    let drawn = move || {
        points.with(|p| {
            let slot = (WIDTH - LEFT) / p.len().max(1) as f64;
            let x = move |i: usize| LEFT + slot * (i as f64 + 0.5);
            // Runs of consecutive values, each drawn as one polyline.
            let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
            let mut current: Vec<(f64, f64)> = Vec::new();
            for (i, (_, value)) in p.iter().enumerate() {
                match value {
                    Some(v) => current.push((x(i), y(*v))),
                    None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
                    None => {}
                }
            }
            if !current.is_empty() {
                runs.push(current);
            }
            let lines = runs
                .iter()
                .map(|run| {
                    let text = run
                        .iter()
                        .map(|(px, py)| format!("{px:.1},{py:.1}"))
                        .collect::<Vec<_>>()
                        .join(" ");
                    view! { <polyline class="curve" points=text /> }
                })
                .collect_view();
            let dots = runs
                .into_iter()
                .flatten()
                .map(|(px, py)| view! { <circle class="dot" cx=format!("{px:.1}") cy=format!("{py:.1}") r="3" /> })
                .collect_view();
            let ends = period_ends(p.first().map(|x| &x.0), p.last().map(|x| &x.0));
            view! {
                {lines}
                {dots}
                {ends}
            }
        })
    };
    let columns = Signal::derive(move || vec![x_label.get(), y_label.get()]);
    let rows = Signal::derive(move || {
        points.with(|p| {
            p.iter()
                .map(|(label, value)| {
                    let value = value.map_or_else(|| "—".to_owned(), |v| format!("{v:.0}"));
                    vec![label.clone(), value]
                })
                .collect()
        })
    });
    let zero = (low < 0.0 && high > 0.0).then(|| {
        let y0 = y(0.0);
        view! { <line class="axis" x1=LEFT y1=y0 x2=WIDTH y2=y0 /> }
    });
    view! {
        <ChartFrame id title x_label y_label columns rows>
            <line class="grid" x1=LEFT y1=TOP x2=WIDTH y2=TOP />
            <line class="grid" x1=LEFT y1=HEIGHT - BOTTOM x2=WIDTH y2=HEIGHT - BOTTOM />
            <text class="tick" x=LEFT - 4.0 y=TOP + 4.0 text-anchor="end">{format!("{high:.0}")}</text>
            <text class="tick" x=LEFT - 4.0 y=HEIGHT - BOTTOM text-anchor="end">{format!("{low:.0}")}</text>
            {zero}
            {drawn}
        </ChartFrame>
    }
}

/// Bars cut into parts (e.g. of the deals that entered a stage, those that moved on and
/// those that did not), one colour per series (`part-0`, `part-1`, …).
#[component]
pub fn StackedBarChart(
    id: &'static str,
    title: Signal<String>,
    x_label: Signal<String>,
    y_label: Signal<String>,
    /// The series' names, in the order of each bar's parts (bottom first).
    series: Signal<Vec<String>>,
    /// (label, the parts' values).
    bars: Signal<Vec<(String, Vec<f64>)>>,
) -> impl IntoView {
    let top = Memo::new(move |_| {
        bars.with(|b| {
            nice_top(
                b.iter()
                    .map(|(_, parts)| parts.iter().sum::<f64>())
                    .fold(0.0, f64::max),
            )
        })
    });
    let drawn = move || {
        let top = top.get();
        bars.with(|b| {
            let slot = (WIDTH - LEFT) / b.len().max(1) as f64;
            b.iter()
                .enumerate()
                .flat_map(|(i, (label, parts))| {
                    let mut below = 0.0;
                    parts
                        .iter()
                        .enumerate()
                        .map(|(k, value)| {
                            let (y_high, y_low) = (y_of(below + value, top), y_of(below, top));
                            below += value;
                            let tip = format!("{label}: {value:.0}");
                            bar(format!("bar part-{k}"), i, slot, y_high, y_low, tip)
                        })
                        .collect::<Vec<_>>()
                })
                .collect_view()
        })
    };
    let columns = Signal::derive(move || {
        let mut names = vec![x_label.get()];
        names.extend(series.get());
        names
    });
    let rows = Signal::derive(move || {
        bars.with(|b| {
            b.iter()
                .map(|(label, parts)| {
                    let mut row = vec![label.clone()];
                    row.extend(parts.iter().map(|v| format!("{v:.0}")));
                    row
                })
                .collect()
        })
    });
    view! {
        <ChartFrame id title x_label y_label columns rows>
            <ValueAxis top />
            {drawn}
        </ChartFrame>
    }
}

/// A bar chart's value axis: the top line and its value, 0 and the base line.
#[component]
fn ValueAxis(top: Memo<f64>) -> impl IntoView {
    view! {
        <line class="grid" x1=LEFT y1=TOP x2=WIDTH y2=TOP />
        <text class="tick" x=LEFT - 4.0 y=TOP + 4.0 text-anchor="end">{move || format!("{:.0}", top.get())}</text>
        <text class="tick" x=LEFT - 4.0 y=HEIGHT - BOTTOM text-anchor="end">"0"</text>
        <line class="axis" x1=LEFT y1=HEIGHT - BOTTOM x2=WIDTH y2=HEIGHT - BOTTOM />
    }
}

/// The first and last period's labels under a chart's ends.
fn period_ends(first: Option<&String>, last: Option<&String>) -> impl IntoView + use<> {
    let (first, last) = (
        first.cloned().unwrap_or_default(),
        last.cloned().unwrap_or_default(),
    );
    view! {
        <text class="tick" x=LEFT y=HEIGHT - 6.0>{first}</text>
        <text class="tick" x=WIDTH y=HEIGHT - 6.0 text-anchor="end">{last}</text>
    }
}

/// One bar (or one part of a stacked bar) in slot `i` of `slot` width, from `y_low` up
/// to `y_high`, with `tip` as its tooltip.
fn bar(class: String, i: usize, slot: f64, y_high: f64, y_low: f64, tip: String) -> impl IntoView {
    view! {
        <rect
            class=class
            x=format!("{:.1}", LEFT + slot * i as f64 + slot * 0.15)
            y=format!("{y_high:.1}")
            width=format!("{:.1}", slot * 0.7)
            height=format!("{:.1}", (y_low - y_high).max(0.0))
        >
            <title>{tip}</title>
        </rect>
    }
}

/// The upper end of a bar chart's axis: 1, 2 or 5 × a power of ten, at least `max`.
fn nice_top(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|t| *t >= max)
        .unwrap_or(10.0 * power)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_curve_is_drawn_in_the_chart_area_from_a_sample() {
        let points: Vec<(f64, f64)> = (0..=1000).map(|i| (i as f64 / 10.0, 50.0)).collect();
        let line = polyline(&points, 100.0);
        assert!(line.split(' ').count() <= MAX_POINTS + 1);
        assert!(line.starts_with("36.0,93.0"));
        assert!(line.ends_with("320.0,93.0"));
        assert_eq!(y_top(&[(0.0, 0.0), (50.0, 131.0)]), 140.0);
        let tenths = deciles(&points);
        assert_eq!(tenths.len(), 10);
        assert_eq!(tenths[9], (100.0, 50.0));
    }

    #[test]
    fn axes_end_at_round_numbers_and_values_stay_in_the_plot() {
        assert_eq!(nice_top(0.0), 1.0);
        assert_eq!(nice_top(7.0), 10.0);
        assert_eq!(nice_top(130.0), 200.0);
        assert_eq!(nice_top(4_800.0), 5_000.0);
        assert_eq!(y_of(100.0, 100.0), TOP);
        assert_eq!(y_of(-5.0, 100.0), HEIGHT - BOTTOM);
        assert_eq!(x_of(0.0, 100.0), LEFT);
        assert_eq!(x_of(250.0, 100.0), WIDTH);
    }
}
