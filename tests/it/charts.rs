//! Chart rendering: both formats, sizes, determinism, text content, empty and malformed input.

use costplan::chart::{
    BarSeries, ChartError, ChartFiles, ChartSize, LineChart, LineSeries, Marker, Panel, PanelChart,
    ReferenceLine, StackedBarChart,
};

fn s(v: &str) -> String {
    v.to_string()
}

fn cost_by_phase() -> StackedBarChart {
    let services = [
        ("Lambda", [12.0, 85.5, 410.0, 1320.0]),
        ("API Gateway", [3.5, 35.0, 175.0, 700.0]),
        ("RDS PostgreSQL", [15.33, 15.33, 61.32, 245.28]),
        ("RDS Proxy", [0.0, 21.9, 21.9, 87.6]),
        ("S3", [0.23, 2.3, 11.5, 46.0]),
        ("CloudWatch Logs", [1.0, 10.0, 50.0, 200.0]),
        ("NAT Gateway", [32.85, 32.85, 65.7, 131.4]),
    ];
    StackedBarChart {
        title: s("Monthly cost per phase, by service"),
        x_title: s("Phase"),
        y_title: s("Monthly cost (USD)"),
        categories: vec![
            s("Pilot"),
            s("Launch"),
            s("Growth"),
            s("Scale-out (multi-AZ)"),
        ],
        series: services
            .iter()
            .map(|(name, v)| BarSeries {
                name: s(name),
                values: v.to_vec(),
            })
            .collect(),
        total_labels: Vec::new(),
        size: ChartSize::default(),
    }
}

fn connections_vs_traffic() -> LineChart {
    let phase = |name: &str, per_rps: f64, base: f64| LineSeries {
        name: s(name),
        points: (0..=20)
            .map(|i| {
                let rps = i as f64 * 10.0;
                (rps, base + per_rps * rps)
            })
            .collect(),
    };
    LineChart {
        title: s("DB connection demand vs traffic"),
        x_title: s("Traffic (req/s)"),
        y_title: s("DB connections"),
        series: vec![
            phase("Pilot (Lambda, no proxy)", 0.6, 2.0),
            phase("Launch (Lambda + RDS Proxy)", 0.15, 5.0),
            phase("Growth (Fargate pool 10/task)", 0.3, 20.0),
        ],
        reference_lines: vec![ReferenceLine {
            label: s("usable max_connections = 80"),
            y: 80.0,
        }],
        markers: vec![
            Marker {
                label: s("Pilot hits limit at 130 req/s"),
                x: 130.0,
                y: 80.0,
            },
            Marker {
                label: s("Growth hits limit at 200 req/s"),
                x: 200.0,
                y: 80.0,
            },
        ],
        log_x: false,
        size: ChartSize::default(),
        ..LineChart::default()
    }
}

fn cost_vs_rps() -> LineChart {
    let rps: Vec<f64> = (0..=18).map(|i| 10f64.powf(i as f64 / 6.0 - 1.0)).collect();
    let line = |name: &str, f: &dyn Fn(f64) -> f64| LineSeries {
        name: s(name),
        points: rps.iter().map(|r| (*r, f(*r))).collect(),
    };
    LineChart {
        title: s("Monthly cost vs sustained traffic per compute option"),
        x_title: s("Sustained traffic (req/s, log scale)"),
        y_title: s("Monthly cost (USD)"),
        series: vec![
            line("Lambda 512 MB", &|r| 11.0 * r),
            line("Fargate 0.5 vCPU", &|r| 36.0 * (r / 40.0).ceil().max(1.0)),
            line("EC2 t4g.medium", &|r| 49.0 * (r / 120.0).ceil().max(1.0)),
        ],
        reference_lines: vec![],
        markers: vec![
            Marker {
                label: s("Lambda = Fargate at 3.3 req/s"),
                x: 3.27,
                y: 36.0,
            },
            Marker {
                label: s("Fargate = EC2 at 40 req/s"),
                x: 40.0,
                y: 49.0,
            },
        ],
        log_x: true,
        size: ChartSize::default(),
        ..LineChart::default()
    }
}

fn simulated_day() -> PanelChart {
    let minutes: Vec<f64> = (0..288).map(|i| i as f64 * 5.0 / 60.0).collect();
    let rps: Vec<f64> = minutes
        .iter()
        .map(|h| 40.0 + 35.0 * (std::f64::consts::PI * (h - 6.0) / 12.0).sin().max(-0.8))
        .collect();
    let series = |name: &str, f: &dyn Fn(f64) -> f64| LineSeries {
        name: s(name),
        points: minutes.iter().zip(&rps).map(|(h, r)| (*h, f(*r))).collect(),
    };
    PanelChart {
        title: s("Simulated day, Growth phase"),
        x_title: s("Time of day (hours)"),
        panels: vec![
            Panel {
                y_title: s("Requests (req/s)"),
                series: vec![series("API requests", &|r| r)],
                ..Panel::default()
            },
            Panel {
                y_title: s("Concurrency"),
                series: vec![series("Lambda concurrent executions", &|r| r * 0.25)],
                ..Panel::default()
            },
            Panel {
                y_title: s("DB connections"),
                series: vec![series("Open connections", &|r| 10.0 + r * 0.9)],
                reference_lines: vec![ReferenceLine {
                    label: s("usable max_connections = 80"),
                    y: 80.0,
                }],
                markers: vec![Marker {
                    label: s("limit reached 14:05"),
                    x: 14.0 + 5.0 / 60.0,
                    y: 80.0,
                }],
            },
        ],
        log_x: false,
        size: ChartSize::default(),
    }
}

/// Width and height from the IHDR chunk, after checking the PNG signature.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.len() > 33, "PNG too short: {} bytes", png.len());
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&png[12..16], b"IHDR");
    let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
    (w, h)
}

fn assert_default_size(files: &ChartFiles) {
    assert_eq!(png_size(&files.png), (1200, 800));
    assert!(
        files.svg.contains(r#"width="1200" height="800""#),
        "SVG size missing: {}",
        &files.svg[..files.svg.len().min(200)]
    );
}

fn assert_contains(svg: &str, texts: &[&str]) {
    for t in texts {
        assert!(svg.contains(t), "SVG should contain {t:?}");
    }
}

#[test]
fn stacked_bars_render() {
    let chart = cost_by_phase();
    let files = chart.render().unwrap();
    assert_default_size(&files);
    assert_contains(
        &files.svg,
        &[&chart.title, &chart.y_title, "Phase", "Pilot", "RDS Proxy"],
    );
    assert_eq!(files, chart.render().unwrap(), "same input, same bytes");
}

#[test]
fn line_chart_renders() {
    let chart = connections_vs_traffic();
    let files = chart.render().unwrap();
    assert_default_size(&files);
    assert_contains(
        &files.svg,
        &[
            &chart.title,
            &chart.x_title,
            &chart.y_title,
            "usable max_connections = 80",
            "Pilot hits limit at 130 req/s",
        ],
    );
    assert_eq!(files, chart.render().unwrap(), "same input, same bytes");
}

#[test]
fn log_line_chart_renders() {
    let chart = cost_vs_rps();
    let files = chart.render().unwrap();
    assert_default_size(&files);
    assert_contains(&files.svg, &[&chart.title, &chart.x_title, &chart.y_title]);
    assert_eq!(files, chart.render().unwrap(), "same input, same bytes");
}

#[test]
fn panels_render() {
    let chart = simulated_day();
    let files = chart.render().unwrap();
    assert_default_size(&files);
    assert_contains(
        &files.svg,
        &[
            &chart.title,
            &chart.x_title,
            "Requests (req/s)",
            "Concurrency",
            "DB connections",
        ],
    );
    assert_eq!(files, chart.render().unwrap(), "same input, same bytes");
}

#[test]
fn other_sizes_are_honoured() {
    let mut chart = connections_vs_traffic();
    chart.size = ChartSize {
        width: 800,
        height: 500,
    };
    let files = chart.render().unwrap();
    assert_eq!(png_size(&files.png), (800, 500));
    assert!(files.svg.contains(r#"width="800" height="500""#));
}

#[test]
fn empty_and_degenerate_input_draws_a_note() {
    let bars = [
        StackedBarChart::default(),
        StackedBarChart {
            categories: vec![s("Pilot")],
            ..StackedBarChart::default()
        },
        StackedBarChart {
            categories: vec![s("Pilot"), s("Launch")],
            series: vec![BarSeries {
                name: s("Lambda"),
                values: vec![0.0, 0.0],
            }],
            ..StackedBarChart::default()
        },
    ];
    let notes = [
        "No data to chart",
        "No data to chart",
        "All values are zero",
    ];
    for (chart, note) in bars.iter().zip(notes) {
        let files = chart.render().unwrap();
        assert_default_size(&files);
        assert_contains(&files.svg, &[note]);
    }

    let single = StackedBarChart {
        categories: vec![s("Only phase")],
        series: vec![BarSeries {
            name: s("Lambda"),
            values: vec![5.0],
        }],
        ..StackedBarChart::default()
    };
    assert_default_size(&single.render().unwrap());

    let lines = [
        LineChart::default(),
        LineChart {
            series: vec![LineSeries::default()],
            reference_lines: vec![ReferenceLine {
                label: s("limit"),
                y: 0.0,
            }],
            log_x: true,
            ..LineChart::default()
        },
        LineChart {
            series: vec![LineSeries {
                name: s("one point"),
                points: vec![(3.0, 0.0)],
            }],
            ..LineChart::default()
        },
    ];
    for chart in &lines {
        assert_default_size(&chart.render().unwrap());
    }
    assert_contains(&lines[0].render().unwrap().svg, &["No data to chart"]);

    let panels = [
        PanelChart::default(),
        PanelChart {
            panels: vec![Panel::default(), Panel::default()],
            ..PanelChart::default()
        },
    ];
    for chart in &panels {
        assert_default_size(&chart.render().unwrap());
    }
}

#[test]
fn malformed_input_is_an_error() {
    let mut bars = cost_by_phase();
    bars.series[0].values.pop();
    assert!(matches!(
        bars.render(),
        Err(ChartError::SeriesLength {
            got: 3,
            expected: 4,
            ..
        })
    ));

    let mut bars = cost_by_phase();
    bars.series[1].values[2] = -1.0;
    assert!(matches!(bars.render(), Err(ChartError::NegativeBar { .. })));

    let mut line = connections_vs_traffic();
    line.series[0].points[3].1 = f64::NAN;
    assert!(matches!(line.render(), Err(ChartError::NonFinite { .. })));

    let mut line = connections_vs_traffic();
    line.log_x = true; // the series start at x = 0
    assert!(matches!(
        line.render(),
        Err(ChartError::NonPositiveLogX { .. })
    ));

    let mut line = connections_vs_traffic();
    line.size = ChartSize {
        width: 0,
        height: 800,
    };
    assert!(matches!(line.render(), Err(ChartError::InvalidSize { .. })));
}

/// Writes every sample chart to `$CHART_SAMPLES_DIR` (default: the temp dir's `charts/`) for a
/// human to look at: `cargo test --test charts -- --ignored`.
#[test]
#[ignore = "writes sample images for visual review"]
fn write_samples_for_review() {
    let dir = std::env::var_os("CHART_SAMPLES_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("charts"));
    std::fs::create_dir_all(&dir).unwrap();
    let charts = [
        ("stacked_bars", cost_by_phase().render().unwrap()),
        ("line", connections_vs_traffic().render().unwrap()),
        ("line_log", cost_vs_rps().render().unwrap()),
        ("panels", simulated_day().render().unwrap()),
        ("empty_bars", StackedBarChart::default().render().unwrap()),
        ("empty_panels", PanelChart::default().render().unwrap()),
        ("japanese_bars", japanese_bars().render().unwrap()),
        ("japanese_line", japanese_line().render().unwrap()),
    ];
    for (name, files) in charts {
        std::fs::write(dir.join(format!("{name}.png")), &files.png).unwrap();
        std::fs::write(dir.join(format!("{name}.svg")), &files.svg).unwrap();
    }
}

/// The stacked bars with every text in Japanese (mixed with Latin, as design documents write).
fn japanese_bars() -> StackedBarChart {
    let mut c = cost_by_phase();
    c.title = s("フェーズ別の月額費用（サービス別）");
    c.y_title = s("月額費用（USD）");
    c.x_title = s("フェーズ");
    c.categories = vec![
        s("検証"),
        s("本番リリース"),
        s("成長期"),
        s("拡張期（マルチAZ）"),
    ];
    let names = [
        "Lambda 関数",
        "API Gateway",
        "RDS データベース",
        "RDS Proxy 接続管理",
    ];
    for (series, name) in c.series.iter_mut().zip(names) {
        series.name = s(name);
    }
    c
}

/// The connections chart with Japanese title, legend, reference line and marker labels.
fn japanese_line() -> LineChart {
    let mut c = connections_vs_traffic();
    c.title = s("トラフィックに対するDB接続数");
    c.x_title = s("トラフィック（リクエスト/秒）");
    c.y_title = s("DB 接続数");
    c.series[0].name = s("検証（Lambda、プロキシなし）");
    c.reference_lines[0].label = s("使用可能な max_connections = 80");
    c.markers[0].label = s("検証フェーズは 130 req/s で上限に到達");
    c
}

/// The PNG decoded to 8-bit RGB: (width, height, pixels row by row).
fn decode_rgb(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(png_bytes);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// The pixels of rows `rows` and columns `cols` (RGB triples).
fn region(
    png_bytes: &[u8],
    cols: std::ops::Range<u32>,
    rows: std::ops::Range<u32>,
) -> Vec<[u8; 3]> {
    let (w, _, px) = decode_rgb(png_bytes);
    let mut out = Vec::new();
    for y in rows {
        for x in cols.clone() {
            let i = ((y * w + x) * 3) as usize;
            out.push([px[i], px[i + 1], px[i + 2]]);
        }
    }
    out
}

/// Pixels that are not the white background.
fn ink(pixels: &[[u8; 3]]) -> usize {
    pixels.iter().filter(|p| **p != [255, 255, 255]).count()
}

#[test]
fn japanese_text_renders_glyphs_not_boxes() {
    // Two titles, legends and axis titles of the same length in different Japanese characters.
    // A face without these glyphs draws the same "missing glyph" box for every character, so
    // the two images would be identical in the title and legend areas; real glyphs differ.
    let chart = |title: &str, y_title: &str, first_service: &str| {
        let mut c = cost_by_phase();
        c.title = s(title);
        c.y_title = s(y_title);
        c.series[0].name = s(first_service);
        c.render().unwrap()
    };
    let a = chart("フェーズ別の月額費用", "月額費用（米ドル）", "関数実行");
    let b = chart("サービス別の月間料金", "毎月の料金（円換算）", "接続管理");
    let title = |f: &ChartFiles| region(&f.png, 0..1200, 0..56);
    assert!(
        ink(&title(&a)) > 1000,
        "title drawn: {} pixels",
        ink(&title(&a))
    );
    assert!(
        title(&a) != title(&b),
        "Japanese titles drew identical boxes"
    );
    // The legend column (the first series is listed last, at the bottom of the list).
    let legend = |f: &ChartFiles| region(&f.png, 1000..1200, 56..800);
    assert!(
        legend(&a) != legend(&b),
        "Japanese legend labels drew identical boxes"
    );
    // The rotated y-axis title, left of the tick labels.
    let y_axis = |f: &ChartFiles| region(&f.png, 0..40, 56..760);
    assert!(
        y_axis(&a) != y_axis(&b),
        "Japanese axis titles drew identical boxes"
    );
    // The SVG keeps the text itself and names the Japanese face for the viewer.
    assert_contains(
        &a.svg,
        &["フェーズ別の月額費用", "月額費用（米ドル）", "関数実行"],
    );
    assert!(
        a.svg.contains("Noto Sans CJK JP"),
        "SVG names the Japanese face"
    );
}

/// CIE L*a*b* of an sRGB colour (D65), for perceptual colour distances (CIE76 delta E).
fn lab(rgb: [u8; 3]) -> [f64; 3] {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let (r, g, b) = (lin(rgb[0]), lin(rgb[1]), lin(rgb[2]));
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| {
        if t > 0.008856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    [
        116.0 * f(y) - 16.0,
        500.0 * (f(x) - f(y)),
        200.0 * (f(y) - f(z)),
    ]
}

fn delta_e(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (a, b) = (lab(a), lab(b));
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// Fill colours of the SVG's rectangles, in order of first appearance, background and the text
/// and axis colour (tick marks) left out.
fn rect_fills(svg: &str) -> Vec<[u8; 3]> {
    let mut out: Vec<[u8; 3]> = Vec::new();
    for rect in svg.split("<rect").skip(1) {
        let Some(at) = rect.find("fill=\"#") else {
            continue;
        };
        let hex = &rect[at + 7..at + 13];
        let c = [0, 2, 4].map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap());
        if c != [255, 255, 255] && c != [0x22, 0x22, 0x22] && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

#[test]
fn twenty_services_get_twenty_distinct_colours() {
    // The committed prod report has 14 services; plans grow past that. Every pair of the first
    // 20 series colours must stay as far apart as the closest pair of the classic 10 (Tableau
    // 10's closest pair is 25.9 delta E apart; 20 is "clearly different" side by side).
    let chart = StackedBarChart {
        title: s("Twenty services"),
        categories: vec![s("prod")],
        series: (0..20)
            .map(|i| BarSeries {
                name: format!("service {i}"),
                values: vec![1.0 + i as f64],
            })
            .collect(),
        ..StackedBarChart::default()
    };
    let fills = rect_fills(&chart.render().unwrap().svg);
    assert_eq!(fills.len(), 20, "distinct series colours: {fills:?}");
    for (i, a) in fills.iter().enumerate() {
        for b in &fills[i + 1..] {
            let d = delta_e(*a, *b);
            assert!(d >= 20.0, "{a:?} and {b:?} are only {d:.1} delta E apart");
        }
    }
}

/// Pixels of the given colours more than `margin` rows below the x axis of a one-plot chart
/// whose y axis starts at 0. The axis row is where the vertical grid lines end (the lowest end
/// of a vertical run of grid colour 10 px or longer); the axes themselves may be hidden under
/// lines drawn along them.
fn series_pixels_below_axis(png_bytes: &[u8], colours: &[[u8; 3]], margin: u32) -> usize {
    let (w, h, px) = decode_rgb(png_bytes);
    let at = |x: u32, y: u32| {
        let i = ((y * w + x) * 3) as usize;
        [px[i], px[i + 1], px[i + 2]]
    };
    let grid = [0xD4, 0xD4, 0xD4];
    let mut axis_row = 0;
    for x in 0..w {
        let mut len = 0;
        for y in 0..h {
            len = if at(x, y) == grid { len + 1 } else { 0 };
            if len >= 10 {
                axis_row = axis_row.max(y);
            }
        }
    }
    assert!(axis_row > h / 2, "x axis found at row {axis_row}");
    let found: Vec<(u32, u32)> = (axis_row + margin + 1..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .filter(|(x, y)| colours.contains(&at(*x, *y)))
        .collect();
    found.len()
}

#[test]
fn simulated_week_has_no_strokes_below_zero() {
    // The committed prod report's simulated week drew strokes far below 0 req/s where the
    // 10-minute means turn sharply (thick-line joins extended past the data).
    let text = std::fs::read_to_string("scenarios/prod.toml").unwrap();
    let est = costplan::plan_toml("prod.toml", &text, None).unwrap();
    let week = costplan::report::charts::simulated_week(
        est.capacity.as_ref().unwrap(),
        ChartSize::default(),
    );
    // The requests/s panel alone, at full height.
    let chart = PanelChart {
        panels: week.panels[..1].to_vec(),
        ..week
    };
    let values = chart.panels[0].series.iter().flat_map(|s| &s.points);
    assert!(
        values.clone().all(|p| p.1 >= 0.0),
        "the data is never negative"
    );
    let colours = [[0x4E, 0x79, 0xA7], [0xF2, 0x8E, 0x2B], [0xE1, 0x57, 0x59]];
    // A line at 0 is 3 px wide and hides the grid's last rows: 5 rows of margin. The strokes
    // this catches reached tens of pixels below the axis.
    let png = chart.render().unwrap().png;
    let below = series_pixels_below_axis(&png, &colours, 5);
    assert_eq!(below, 0, "series pixels below the zero line");
}

#[test]
fn coinciding_lines_stay_distinguishable() {
    // Staging and dev often cost or use exactly the same (one task, one small database): their
    // lines lie on each other. Each phase's colour must still show along the shared line.
    let same: Vec<(f64, f64)> = (0..100)
        .map(|i| (f64::from(i), 10.0 + f64::from(i % 7)))
        .collect();
    let chart = LineChart {
        title: s("Four phases on one line"),
        series: ["prod", "staging", "dev", "test"]
            .iter()
            .map(|n| LineSeries {
                name: s(n),
                points: same.clone(),
            })
            .collect(),
        ..LineChart::default()
    };
    let files = chart.render().unwrap();
    // The plot only (the legend column starts right of x = 900).
    let plot = region(&files.png, 0..900, 56..800);
    let colours = [
        [0x4E, 0x79, 0xA7],
        [0xF2, 0x8E, 0x2B],
        [0xE1, 0x57, 0x59],
        [0x76, 0xB7, 0xB2],
    ];
    for c in colours {
        let n = plot.iter().filter(|p| **p == c).count();
        assert!(
            n > 300,
            "colour {c:?} shows in {n} pixels of the shared line"
        );
    }
}

/// The prod scenario's report sweep (0.1x to 10x its 100 req/s, 13 log steps) and plan.
fn prod_sweep() -> (costplan::plan::Plan, costplan::sweep::Sweep) {
    let text = std::fs::read_to_string("scenarios/prod.toml").unwrap();
    let est = costplan::plan_toml("prod.toml", &text, None).unwrap();
    let books = costplan::pricing::BookSource::Embedded;
    let catalog = books.catalog().unwrap();
    let doc = costplan::source::Document::parse("prod.toml".into(), text).unwrap();
    let scenario = costplan::scenario::Scenario::from_document(doc, "prod.toml", &catalog).unwrap();
    let book = books.load(&scenario.region).unwrap();
    let spec = costplan::sweep::SweepSpec {
        axis: costplan::sweep::Axis::Rps,
        span: costplan::sweep::Span {
            from: 10.0,
            to: 1000.0,
        },
        steps: 13,
        log: true,
    };
    let sweep = costplan::sweep::sweep(&scenario, &book, &spec, None, None, None).unwrap();
    (est, sweep)
}

#[test]
fn cost_vs_traffic_marks_expected_traffic_and_triggers() {
    use costplan::report::charts::{cost_vs_x, CostMarks};
    let (est, sweep) = prod_sweep();
    let cap = est.capacity.as_ref().unwrap();
    let marks = CostMarks {
        expected: Some(100.0),
        capacity: Some(cap),
        log_y: false,
        currency: None,
    };
    let chart = cost_vs_x(&sweep, &marks, ChartSize::default());
    assert_eq!(chart.vertical_lines.len(), 1);
    assert_eq!(chart.vertical_lines[0].x, 100.0);
    // prod's AC-PERF-2 scale-out rule fires from about 49 req/s (prod-capacity.csv): its busiest
    // hour is 2x the month's average (peak_multiplier = 2), so the rule's 98 req/s busy-hour
    // threshold is reached at 49 req/s average;
    // the marker sits on prod's cost line there.
    let fires = cap
        .phase("prod")
        .unwrap()
        .triggers
        .iter()
        .find(|t| t.rule.contains("AC-PERF-2"));
    let x = fires.unwrap().first_fires_at_rps.unwrap();
    assert!((48.0..50.0).contains(&x), "AC-PERF-2 from {x} req/s");
    let m = chart
        .markers
        .iter()
        .find(|m| {
            m.label
                .starts_with("prod: ECS scale-out (AC-PERF-2) from 49.1 req/s")
        })
        .unwrap_or_else(|| panic!("trigger marker: {:?}", chart.markers));
    assert_eq!(m.x, x);
    let files = chart.render().unwrap();
    assert_contains(&files.svg, &["expected 100 req/s", &m.label]);

    // Without a capacity report (`costplan sweep`), the first sweep point where the rule fires.
    let marks = CostMarks {
        capacity: None,
        ..marks
    };
    let chart = cost_vs_x(&sweep, &marks, ChartSize::default());
    let first = sweep
        .rows
        .iter()
        .find(|r| r.phases[0].fires.is_some())
        .unwrap();
    assert!(chart.markers.iter().any(|m| m.x == first.x
        && m.label
            .starts_with("prod: ECS scale-out (AC-PERF-2) fires at")));
}

#[test]
fn cost_vs_traffic_offers_a_log_cost_axis() {
    use costplan::report::charts::{cost_vs_x, CostMarks};
    let (_, sweep) = prod_sweep();
    let linear = cost_vs_x(&sweep, &CostMarks::default(), ChartSize::default());
    let log = cost_vs_x(
        &sweep,
        &CostMarks {
            log_y: true,
            ..CostMarks::default()
        },
        ChartSize::default(),
    );
    assert!(!linear.log_y && log.log_y);
    let svg = log.render().unwrap().svg;
    assert_contains(&svg, &["Monthly cost (USD, log scale)"]);
    // prod's costs run from about 1,500 to 4,700 USD: a log axis labels 1,000 (a decade).
    assert!(svg.contains("\n1,000\n"), "decade tick");
    // A zero cost cannot sit on a log axis: the library refuses, the report falls back.
    let mut zero = log.clone();
    zero.series[0].points[0].1 = 0.0;
    assert!(matches!(
        zero.render(),
        Err(ChartError::NonPositiveLogY { .. })
    ));
}
