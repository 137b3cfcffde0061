//! Component tests of the browser app, in headless Chromium:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test components`.
//!
//! Each test mounts a page (with fresh shared state, inside a router) into its own container,
//! types or clicks through real DOM events, waits for Leptos to update, and asserts on the DOM.
#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::components::Router;
use sepsis_risk::app::context::{AppState, provide_app_state};
use sepsis_risk::app::pages::{bedside::BedsidePage, predict::PredictPage, upload::UploadPage};
use sepsis_risk::app::{bedside, model::seed_bundle, state, web};
use sepsis_risk::core::{demo, predict};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// The app's stylesheet, once per test page (long tables scroll inside their region).
fn add_app_style() {
    if document().get_element_by_id("app-style").is_none() {
        let style = document().create_element("style").unwrap();
        style.set_id("app-style");
        style.set_text_content(Some(include_str!("../assets/style.css")));
        document().head().unwrap().append_child(&style).unwrap();
    }
}

/// Mounts `page` (made inside the mount's owner, after `setup`) into a new container.
fn mount(page: fn() -> AnyView, setup: impl FnOnce(AppState) + 'static) -> HtmlElement {
    add_app_style();
    let c: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&c).unwrap();
    let handle = leptos::mount::mount_to(c.clone(), move || {
        let st = provide_app_state();
        setup(st);
        view! { <Router>{page()}</Router> }
    });
    // Keep the view alive for the rest of the test run.
    std::mem::forget(handle);
    c
}

fn find(c: &HtmlElement, selector: &str) -> Option<Element> {
    c.query_selector(selector).unwrap()
}

fn get(c: &HtmlElement, selector: &str) -> Element {
    find(c, selector).unwrap_or_else(|| panic!("no element {selector}"))
}

fn text(c: &HtmlElement, selector: &str) -> String {
    get(c, selector).text_content().unwrap_or_default()
}

fn fire(target: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&ev).unwrap();
}

async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
    }
}

async fn type_into(c: &HtmlElement, selector: &str, value: &str) {
    let input: HtmlInputElement = get(c, selector).unchecked_into();
    input.set_value(value);
    fire(&input, "input");
    settle().await;
}

/// Waits (up to ~5 s) until `selector` exists.
async fn wait_for(c: &HtmlElement, selector: &str) -> Element {
    for _ in 0..100 {
        if let Some(e) = find(c, selector) {
            return e;
        }
        web::next_frame().await;
        settle().await;
    }
    panic!("{selector} never appeared");
}

fn demo_loaded() -> Arc<state::Loaded> {
    let b = seed_bundle().unwrap();
    let text = demo::demo_csv(&b.schema, 300, 7).unwrap();
    Arc::new(state::load("demo.csv", text.as_bytes(), Some(b)).unwrap())
}

#[wasm_bindgen_test]
async fn bedside_risk_follows_typing_and_equals_the_core() {
    let c = mount(|| view! { <BedsidePage/> }.into_any(), |_| {});
    settle().await;
    assert!(find(&c, "[data-testid=bedside-form]").is_some());
    let b = seed_bundle().unwrap();
    for col in &b.schema.features {
        assert!(
            find(&c, &format!("[data-testid=field-{}]", col.name)).is_some(),
            "field for {}",
            col.name
        );
    }
    // No risk without evidence: an empty form shows what is needed, not a number.
    assert_eq!(
        get(&c, "[data-testid=risk-probability]").get_attribute("data-probability"),
        None
    );
    let need = text(&c, "[data-testid=no-evidence]");
    assert!(need.contains("at least one clinical value"), "{need}");
    type_into(&c, "[data-testid=field-Age]", "52").await;
    assert!(
        find(&c, "[data-testid=no-evidence]").is_some(),
        "age alone is not evidence"
    );
    type_into(&c, "[data-testid=field-PL]", "120").await;
    let before = get(&c, "[data-testid=risk-probability]")
        .get_attribute("data-probability")
        .expect("one clinical value gives a risk");

    type_into(&c, "[data-testid=field-PL]", "185").await;
    type_into(&c, "[data-testid=field-M11]", "41.5").await;
    type_into(&c, "[data-testid=field-Age]", "52").await;

    let p = get(&c, "[data-testid=risk-probability]");
    let shown = p.get_attribute("data-probability").unwrap();
    assert_ne!(shown, before, "the risk changes as the user types");
    let mut raw = vec![String::new(); b.schema.features.len()];
    for (name, v) in [("PL", "185"), ("M11", "41.5"), ("Age", "52")] {
        raw[b.schema.feature_index(name).unwrap()] = v.to_string();
    }
    let values = bedside::check_form(&b.schema, &raw).values().unwrap();
    let expected = b.predict_values(&values).unwrap().probability;
    assert_eq!(shown.parse::<f64>().unwrap(), expected);
    assert_eq!(shown, expected.to_string());
    assert!(p.text_content().unwrap().ends_with(" %"));
    let band = text(&c, "[data-testid=risk-band]");
    assert_eq!(band, b.band_name(b.predict_values(&values).unwrap().band));
    assert!(text(&c, "[data-testid=risk-threshold]").contains("threshold"));
    assert!(find(&c, "[data-chart=contributions] canvas").is_some());
}

#[wasm_bindgen_test]
async fn bedside_empty_fields_are_imputed_and_text_is_an_error() {
    let c = mount(|| view! { <BedsidePage/> }.into_any(), |_| {});
    settle().await;
    // One clinical value (BMI) meets the minimum evidence; the rest is imputed.
    type_into(&c, "[data-testid=field-M11]", "31").await;
    let imputed = text(&c, "[data-testid=imputed]");
    assert!(imputed.contains("imputed as"), "{imputed}");
    assert!(imputed.contains("mg/dL"), "units are given: {imputed}");
    assert!(text(&c, "[data-testid=msg-PL]").contains("imputed"));

    type_into(&c, "[data-testid=field-PL]", "abc").await;
    let msg = text(&c, "[data-testid=msg-PL]");
    assert!(
        msg.contains("Error") && msg.contains("not a number"),
        "{msg}"
    );
    assert_eq!(
        get(&c, "[data-testid=field-PL]")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    let p = get(&c, "[data-testid=risk-probability]");
    assert_eq!(p.get_attribute("data-probability"), None);
    assert_eq!(p.text_content().unwrap(), "–");

    type_into(&c, "[data-testid=field-PL]", "900").await;
    let msg = text(&c, "[data-testid=msg-PL]");
    assert!(
        msg.contains("Warning") && msg.contains("plausible range"),
        "{msg}"
    );
    assert!(
        get(&c, "[data-testid=risk-probability]")
            .get_attribute("data-probability")
            .is_some(),
        "a warning does not block the prediction"
    );
}

#[wasm_bindgen_test]
async fn demo_button_loads_the_demo_data() {
    let c = mount(|| view! { <UploadPage/> }.into_any(), |_| {});
    settle().await;
    assert!(find(&c, "[data-testid=row-count]").is_none());
    assert!(find(&c, "label[for=csv-input]").is_some());
    let button: HtmlElement = get(&c, "[data-testid=load-demo]").unchecked_into();
    button.click();
    let count = wait_for(&c, "[data-testid=row-count]").await;
    assert_eq!(count.text_content().unwrap(), "300");
    assert_eq!(text(&c, "[data-testid=schema-name]"), "seed");
    assert_eq!(text(&c, "[data-testid=file-name]"), "demo.csv");
    assert!(text(&c, "[data-testid=delimiter]").contains("comma"));
    assert!(find(&c, "[data-testid=issues-table]").is_some());
}

#[wasm_bindgen_test]
async fn a_file_with_missing_columns_names_them() {
    let c = mount(|| view! { <UploadPage/> }.into_any(), |_| {});
    settle().await;
    let parts = js_sys::Array::of1(&"PRG,PL,Age\n1,120,33\n".into());
    let file = web_sys::File::new_with_str_sequence(&parts, "few.csv").unwrap();
    let dt = web_sys::DataTransfer::new().unwrap();
    dt.items().add_with_file(&file).unwrap();
    let input: HtmlInputElement = get(&c, "[data-testid=csv-input]").unchecked_into();
    input.set_files(dt.files().as_ref());
    fire(&input, "change");
    let missing = wait_for(&c, "[data-testid=missing-columns]").await;
    let t = missing.text_content().unwrap();
    assert!(
        t.contains("PR") && t.contains("SK") && !t.contains("PL,"),
        "{t}"
    );
    assert!(find(&c, "[data-testid=row-count]").is_none());
}

/// The results table's drawn rows (not its spacers: only the rows in view are drawn).
fn body_rows(c: &HtmlElement) -> Vec<Element> {
    let list = c
        .query_selector_all("[data-testid=results-table] tbody tr:not(.spacer)")
        .unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn row_probability(row: &Element) -> Option<f64> {
    row.query_selector("[data-probability]")
        .unwrap()
        .and_then(|e| e.get_attribute("data-probability"))
        .map(|s| s.parse().unwrap())
}

#[wasm_bindgen_test]
async fn results_table_sorts_and_filters() {
    let data = demo_loaded();
    let d = data.clone();
    let c = mount(
        || view! { <PredictPage/> }.into_any(),
        move |st| st.data.set(Some(d)),
    );
    settle().await;
    let table = get(&c, "[data-testid=results-table]");
    let row_count = || table.get_attribute("aria-rowcount");
    // 300 rows and the header; only those in view (and a margin) are drawn.
    assert_eq!(row_count().as_deref(), Some("301"));
    let rows = body_rows(&c);
    assert!(rows.len() < 100, "{} rows drawn", rows.len());
    assert_eq!(rows[0].get_attribute("data-line").as_deref(), Some("2"));
    assert_eq!(rows[0].get_attribute("aria-rowindex").as_deref(), Some("2"));
    assert!(find(&c, "[data-testid=download-results]").is_some());
    // Scrolled to the end, the region draws the last rows.
    let region: HtmlElement = get(&c, ".table-scroll.windowed").unchecked_into();
    region.set_scroll_top(region.scroll_height());
    fire(&region, "scroll");
    settle().await;
    let rows = body_rows(&c);
    let last = rows.last().unwrap();
    assert_eq!(last.get_attribute("aria-rowindex").as_deref(), Some("301"));
    assert_eq!(last.get_attribute("data-line").as_deref(), Some("301"));
    assert!(rows.len() < 100, "{} rows drawn at the end", rows.len());
    region.set_scroll_top(0);
    fire(&region, "scroll");
    settle().await;

    // Sort by probability: highest first, then reversed.
    let sort: HtmlElement = get(&c, "button[data-sort=probability]").unchecked_into();
    sort.click();
    settle().await;
    let probs: Vec<f64> = body_rows(&c).iter().filter_map(row_probability).collect();
    assert!(probs.windows(2).all(|w| w[0] >= w[1]), "descending");
    let th = sort.parent_element().unwrap();
    assert_eq!(th.get_attribute("aria-sort").as_deref(), Some("descending"));
    sort.click();
    settle().await;
    let probs: Vec<f64> = body_rows(&c).iter().filter_map(row_probability).collect();
    assert!(probs.windows(2).all(|w| w[0] <= w[1]), "ascending");

    // Filter: only rows at or above the threshold.
    let scored = data.scoring.as_ref().unwrap();
    let alerts = scored
        .predictions
        .iter()
        .flatten()
        .filter(|p| p.predicted)
        .count();
    let select: HtmlSelectElement = get(&c, "[data-testid=results-filter]").unchecked_into();
    select.set_value("high");
    fire(&select, "change");
    settle().await;
    let rows = body_rows(&c);
    assert_eq!(row_count(), Some((alerts + 1).to_string()));
    assert!(!rows.is_empty() && rows.len() <= alerts);
    let threshold = seed_bundle().unwrap().threshold;
    assert!(
        rows.iter()
            .all(|r| row_probability(r).unwrap() >= threshold)
    );
    select.set_value("all");
    fire(&select, "change");
    settle().await;
    assert_eq!(row_count().as_deref(), Some("301"));

    // The download is exactly the core's results CSV.
    let preds = predict::predict_dataset(seed_bundle().unwrap(), &data.dataset).unwrap();
    assert_eq!(
        data.results_csv(seed_bundle().unwrap()).unwrap(),
        predict::results_csv(seed_bundle().unwrap(), &data.dataset, &preds)
    );
    // With labels, the validation panel is shown.
    assert!(find(&c, "[data-testid=validation-panel]").is_some());
    assert!(find(&c, "[data-testid=confusion-matrix]").is_some());
}

/// The SVG download goes through the app's one backend type (`ChartBackend`); it must write
/// exactly what plotters' SVG backend writes directly (`ChartSpec::svg`).
#[wasm_bindgen_test]
fn chart_backend_svg_equals_direct_svg() {
    use sepsis_risk::app::chart_spec::{ChartSpec, cal_points};
    use sepsis_risk::app::components::backend;
    let b = seed_bundle().unwrap();
    let specs = [
        ChartSpec::Roc {
            points: Arc::new(b.curves.roc.iter().map(|p| (p.fpr, p.tpr)).collect()),
            auc: Some(b.oof_metrics.roc_auc),
            operating_point: Some((0.2, 0.8)),
        },
        ChartSpec::Calibration {
            after: Arc::new(cal_points(&b.curves.calibration)),
            before: Some(Arc::new(cal_points(&b.curves.calibration_uncalibrated))),
        },
        ChartSpec::Importance {
            items: Arc::new(vec![("Glucose".into(), 0.4), ("BMI".into(), 0.2)]),
            x_label: "share".into(),
        },
    ];
    for spec in specs {
        for width in [320, 800] {
            let size = spec.size_for(width);
            let direct = spec.svg(size).unwrap();
            assert!(direct.contains("<svg"));
            assert_eq!(backend::svg(&spec, size).unwrap(), direct);
        }
    }
}

/// The ICU bundle, parsed as the app parses it once fetched; the tests hand it to the shared
/// state ([`AppState::set_icu_bundle`]) because the test server does not serve it.
fn icu_bundle() -> &'static sepsis_risk::core::bundle::ModelBundle {
    use sepsis_risk::app::model;
    static ICU: std::sync::OnceLock<sepsis_risk::core::bundle::ModelBundle> =
        std::sync::OnceLock::new();
    ICU.get_or_init(|| {
        model::parse_icu(include_str!("../assets/models/icu.json")).expect("ICU bundle")
    })
}

#[wasm_bindgen_test]
async fn psv_files_select_the_icu_model() {
    let icu = icu_bundle();
    let c = mount(
        || view! { <UploadPage/> }.into_any(),
        move |st| st.set_icu_bundle(icu),
    );
    settle().await;
    let patients = demo::demo_icu_patients(&icu.schema, 3, 9).unwrap();
    let dt = web_sys::DataTransfer::new().unwrap();
    let mut rows = 0;
    for p in &patients {
        rows += p.psv.lines().count() - 1;
        let parts = js_sys::Array::of1(&p.psv.as_str().into());
        let file = web_sys::File::new_with_str_sequence(&parts, &format!("{}.psv", p.id)).unwrap();
        dt.items().add_with_file(&file).unwrap();
    }
    let input: HtmlInputElement = get(&c, "[data-testid=csv-input]").unchecked_into();
    assert!(input.multiple());
    input.set_files(dt.files().as_ref());
    fire(&input, "change");
    let count = wait_for(&c, "[data-testid=row-count]").await;
    assert_eq!(count.text_content().unwrap(), rows.to_string());
    assert_eq!(text(&c, "[data-testid=schema-name]"), "icu");
    assert_eq!(text(&c, "[data-testid=patient-count]"), "3");
}

#[wasm_bindgen_test]
async fn icu_bedside_scores_the_series() {
    use sepsis_risk::app::model::ModelKind;
    let icu = icu_bundle();
    let c = mount(
        || view! { <BedsidePage/> }.into_any(),
        move |st| {
            st.set_icu_bundle(icu);
            st.model.set(ModelKind::Icu.into());
        },
    );
    settle().await;
    let _ = wait_for(&c, "[data-testid=field-ICULOS]").await;
    for col in &icu.schema.features {
        assert!(
            find(&c, &format!("[data-testid=field-{}]", col.name)).is_some(),
            "{}",
            col.name
        );
    }
    assert!(find(&c, "[data-testid=field-HR-h1]").is_some());
    assert!(find(&c, "[data-testid=field-HR-h6]").is_some());
    type_into(&c, "[data-testid=field-ICULOS]", "12").await;
    type_into(&c, "[data-testid=field-HR]", "118").await;
    type_into(&c, "[data-testid=field-HR-h2]", "95").await;
    let s = &icu.schema;
    let (t, hr) = (
        s.feature_index("ICULOS").unwrap(),
        s.feature_index("HR").unwrap(),
    );
    let mut earlier = vec![f64::NAN; s.features.len()];
    earlier[t] = 10.0;
    earlier[hr] = 95.0;
    let mut gap = vec![f64::NAN; s.features.len()];
    gap[t] = 11.0;
    let mut now = vec![f64::NAN; s.features.len()];
    now[t] = 12.0;
    now[hr] = 118.0;
    let e = icu.explain_series(&[&earlier, &gap, &now]).unwrap();
    let shown = wait_for(&c, "[data-testid=risk-probability][data-probability]").await;
    let p: f64 = shown
        .get_attribute("data-probability")
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (p - e.prediction.probability).abs() <= 1e-12,
        "{p} vs {}",
        e.prediction.probability
    );
}
