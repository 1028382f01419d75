//! Component tests in headless Chromium (wasm-bindgen-test): the real `App`
//! mounted into the page, driven through its DOM as a user would.
#![cfg(target_arch = "wasm32")]

use churnlab::ui::browser::storage;
use churnlab::ui::App;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Clears saved data and mounts a fresh app in its own container.
async fn mount() -> HtmlElement {
    storage::clear_base().await.unwrap();
    storage::save_index(Vec::new()).await.unwrap();
    storage::save_active_ref(&churnlab::ui::state::ActiveRef::Base)
        .await
        .unwrap();
    storage::clear_sql().await.unwrap();
    storage::save_dashboards(Vec::new()).await.unwrap();
    // Every test starts on the data page, whatever the last one visited.
    web_sys::window()
        .unwrap()
        .location()
        .set_hash("#/data")
        .unwrap();
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    std::mem::forget(leptos::mount::mount_to(container.clone(), App));
    wait_for(&container, |c| {
        text(c, "dataset-name").is_some() && text(c, "load-progress").is_none()
    })
    .await;
    container
}

fn all(root: &Element, testid: &str) -> Vec<Element> {
    let list = root
        .query_selector_all(&format!("[data-testid=\"{testid}\"]"))
        .unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into().ok())
        .collect()
}

fn text(root: &Element, testid: &str) -> Option<String> {
    all(root, testid).first().and_then(|e| e.text_content())
}

async fn wait_for(root: &Element, cond: impl Fn(&Element) -> bool) {
    for _ in 0..400 {
        if cond(root) {
            return;
        }
        TimeoutFuture::new(25).await;
    }
    panic!(
        "timed out; page text: {}",
        root.text_content().unwrap_or_default()
    );
}

/// Picks `content` as a file named `name` in the file input `testid`, the
/// way the file dialog does.
fn pick_file(root: &Element, testid: &str, name: &str, content: &str) {
    let parts = js_sys::Array::of1(&content.into());
    let file = web_sys::File::new_with_str_sequence(&parts, name).unwrap();
    let transfer = web_sys::DataTransfer::new().unwrap();
    transfer.items().add_with_file(&file).unwrap();
    let input: HtmlInputElement = all(root, testid)[0].clone().unchecked_into();
    input.set_files(Some(&transfer.files().unwrap()));
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn opens_on_the_default_dataset() {
    let app = mount().await;
    assert_eq!(text(&app, "dataset-name").unwrap(), "telco-synthetic");
    assert_eq!(text(&app, "row-count").unwrap(), "7,043");
    assert_eq!(text(&app, "column-count").unwrap(), "21");
    // The summaries and the grid are built just after the first paint.
    wait_for(&app, |a| !all(a, "grid-row").is_empty()).await;
    assert_eq!(all(&app, "column-summary").len(), 21);
    assert!(all(&app, "synthetic-notice").len() == 1);
    let rows = all(&app, "grid-row");
    assert!(
        !rows.is_empty() && rows.len() < 100,
        "virtualised: {} rows",
        rows.len()
    );
    assert_eq!(all(&rows[0], "grid-cell").len(), 21);
    assert_eq!(all(&app, "nav-data").len(), 1);
    app.remove();
}

#[wasm_bindgen_test]
async fn picking_a_file_replaces_the_dataset() {
    let app = mount().await;
    pick_file(
        &app,
        "file-input",
        "plans.csv",
        "plan,price,active\nBasic,10,true\nPro,25.5,false\nBasic,,true\n",
    );
    wait_for(&app, |a| {
        text(a, "dataset-name").as_deref() == Some("plans")
    })
    .await;
    assert_eq!(text(&app, "row-count").unwrap(), "3");
    let price = app
        .query_selector("[data-column=\"price\"]")
        .unwrap()
        .unwrap();
    assert_eq!(text(&price, "column-type").unwrap(), "float");
    assert_eq!(text(&price, "null-count").unwrap(), "1");
    let active = app
        .query_selector("[data-column=\"active\"]")
        .unwrap()
        .unwrap();
    assert_eq!(text(&active, "column-type").unwrap(), "boolean");
    assert!(all(&app, "synthetic-notice").is_empty());
    app.remove();
}

#[wasm_bindgen_test]
async fn a_bad_file_shows_where_and_keeps_the_data() {
    let app = mount().await;
    pick_file(
        &app,
        "file-input",
        "bad.csv",
        "a,b\n1,\"never closed\n2,3\n",
    );
    wait_for(&app, |a| text(a, "load-error").is_some()).await;
    let error = text(&app, "load-error").unwrap();
    assert!(
        error.contains("line 2") && error.contains("never closed"),
        "{error}"
    );
    assert_eq!(text(&app, "dataset-name").unwrap(), "telco-synthetic");
    let dismiss: HtmlElement = all(&app, "notice-dismiss")[0].clone().unchecked_into();
    dismiss.click();
    wait_for(&app, |a| text(a, "load-error").is_none()).await;
    app.remove();
}

#[wasm_bindgen_test]
async fn retyping_a_column_reports_failed_conversions() {
    let app = mount().await;
    // The summaries are built once the page is idle after its first paint.
    let gender = "[data-column=\"gender\"]";
    wait_for(&app, |a| a.query_selector(gender).ok().flatten().is_some()).await;
    let card = app.query_selector(gender).unwrap().unwrap();
    let select: HtmlSelectElement = all(&card, "column-type-select")[0].clone().unchecked_into();
    select.set_value("integer");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    wait_for(&app, |a| text(a, "load-warning").is_some()).await;
    assert!(text(&app, "load-warning")
        .unwrap()
        .contains("7,043 values could not be converted"));
    let card = app.query_selector(gender).unwrap().unwrap();
    assert_eq!(text(&card, "column-type").unwrap(), "integer");
    app.remove();
}

#[wasm_bindgen_test]
async fn reset_returns_to_the_default_data() {
    let app = mount().await;
    pick_file(&app, "file-input", "tiny.csv", "x\n1\n2\n");
    wait_for(&app, |a| text(a, "dataset-name").as_deref() == Some("tiny")).await;
    let reset: HtmlElement = all(&app, "reset-default")[0].clone().unchecked_into();
    reset.click();
    wait_for(&app, |a| {
        text(a, "dataset-name").as_deref() == Some("telco-synthetic")
    })
    .await;
    app.remove();
}

#[wasm_bindgen_test]
fn the_panic_message_shows_text_not_html() {
    churnlab::ui::browser::panic::show("<img src=x onerror=alert(1)> broke");
    let panel = document()
        .query_selector("[data-testid=\"panic-message\"]")
        .unwrap()
        .unwrap();
    assert!(panel
        .text_content()
        .unwrap()
        .contains("<img src=x onerror=alert(1)> broke"));
    assert!(panel.query_selector("img").unwrap().is_none());
    panel.remove();
}

fn set_value(el: &Element, value: &str, event: &str) {
    if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(value);
    } else if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
        select.set_value(value);
    }
    el.dispatch_event(&web_sys::Event::new(event).unwrap())
        .unwrap();
}

fn click(el: &Element) {
    el.clone().unchecked_into::<HtmlElement>().click();
}

#[wasm_bindgen_test]
async fn the_sql_page_runs_a_query_and_shows_errors() {
    let app = mount().await;
    click(&all(&app, "nav-sql")[0]);
    wait_for(&app, |a| !all(a, "sql-editor").is_empty()).await;
    let editor = all(&app, "sql-editor")[0].clone();
    set_value(
        &editor,
        "SELECT Contract, COUNT(*) AS n FROM churn GROUP BY Contract ORDER BY n DESC",
        "input",
    );
    click(&all(&app, "sql-run")[0]);
    wait_for(&app, |a| text(a, "result-count").as_deref() == Some("3")).await;
    let first = all(&app, "result-row")[0].clone();
    let cells = all(&first, "result-cell");
    assert_eq!(
        cells[0].get_attribute("data-value").as_deref(),
        Some("Month-to-month")
    );
    set_value(&editor, "SELECT Contrakt FROM churn", "input");
    click(&all(&app, "sql-run")[0]);
    wait_for(&app, |a| text(a, "sql-error").is_some()).await;
    assert_eq!(
        text(&app, "sql-error").unwrap(),
        "Line 1, column 8: unknown column \"Contrakt\". Did you mean \"Contract\"?"
    );
    assert_eq!(
        text(&app, "result-count").as_deref(),
        Some("3"),
        "the last result stays"
    );
    app.remove();
}

#[wasm_bindgen_test]
async fn the_filter_builder_and_the_where_clause_follow_each_other() {
    let app = mount().await;
    click(&all(&app, "nav-sql")[0]);
    wait_for(&app, |a| !all(a, "sql-editor").is_empty()).await;
    let editor = all(&app, "sql-editor")[0].clone();
    set_value(
        &editor,
        "SELECT * FROM churn WHERE tenure > 70 OR Contract = 'Two year'",
        "input",
    );
    wait_for(&app, |a| all(a, "filter-condition").len() == 2).await;
    let join: HtmlSelectElement = all(&app, "filter-join")[0].clone().unchecked_into();
    assert_eq!(join.value(), "or");
    set_value(&join, "and", "change");
    let area: web_sys::HtmlTextAreaElement = editor.unchecked_into();
    wait_for(&app, |_| area.value().contains(" AND ")).await;
    assert_eq!(
        area.value(),
        "SELECT * FROM churn WHERE tenure > 70 AND Contract = 'Two year'"
    );
    assert!(text(&app, "filter-count").unwrap().starts_with("Keeps "));
    app.remove();
}

/// Drops `field` on a shelf the way a drag from the field list does.
fn drop_on(shelf: &Element, field: &str) {
    let transfer = web_sys::DataTransfer::new().unwrap();
    transfer.set_data("text/plain", field).unwrap();
    let init = web_sys::DragEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_data_transfer(Some(&transfer));
    for kind in ["dragover", "drop"] {
        let event = web_sys::DragEvent::new_with_event_init_dict(kind, &init).unwrap();
        shelf.dispatch_event(&event).unwrap();
    }
}

fn datum_values(root: &Element) -> Vec<(String, String)> {
    all(root, "chart-datum")
        .iter()
        .map(|d| {
            (
                d.get_attribute("data-label").unwrap_or_default(),
                d.get_attribute("data-value").unwrap_or_default(),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn the_chart_builder_takes_dropped_fields_and_draws_them() {
    let app = mount().await;
    web_sys::window()
        .unwrap()
        .location()
        .set_hash("#/visuals")
        .unwrap();
    wait_for(&app, |a| !all(a, "new-dashboard").is_empty()).await;
    click(&all(&app, "new-dashboard")[0]);
    wait_for(&app, |a| !all(a, "add-visual").is_empty()).await;
    click(&all(&app, "add-visual")[0]);
    wait_for(&app, |a| !all(a, "chart-builder").is_empty()).await;
    let builder = all(&app, "chart-builder")[0].clone();
    let pills: Vec<String> = all(&builder, "field-pill")
        .iter()
        .filter_map(|p| p.get_attribute("data-field"))
        .collect();
    assert!(pills.contains(&"Record Count".to_owned()) && pills.contains(&"Contract".to_owned()));
    assert_eq!(
        all(&builder, "field-pill")[0]
            .get_attribute("draggable")
            .as_deref(),
        Some("true")
    );
    drop_on(&all(&builder, "shelf-dimensions")[0], "Contract");
    drop_on(&all(&builder, "shelf-measures")[0], "Record Count");
    wait_for(&builder, |b| all(b, "chart-datum").len() == 3).await;
    let values = datum_values(&builder);
    let total: i64 = values.iter().map(|(_, v)| v.parse::<i64>().unwrap()).sum();
    assert_eq!(total, 7043);
    // Bars are suggested; the picker offers only what fits.
    let kinds: Vec<String> = all(&builder, "visual-type")
        .iter()
        .filter_map(|k| k.get_attribute("data-type"))
        .collect();
    assert_eq!(kinds, ["table", "bar", "hbar", "line", "area", "pie"]);
    let pressed: Vec<String> = all(&builder, "visual-type")
        .iter()
        .filter(|k| k.get_attribute("aria-pressed").as_deref() == Some("true"))
        .filter_map(|k| k.get_attribute("data-type"))
        .collect();
    assert_eq!(pressed, ["bar"]);
    // The canvas is sized in device pixels and has ink on it.
    let canvas: web_sys::HtmlCanvasElement =
        all(&builder, "chart-canvas")[0].clone().unchecked_into();
    let ratio = web_sys::window().unwrap().device_pixel_ratio();
    assert_eq!(
        canvas.width(),
        (canvas.client_width() as f64 * ratio) as u32
    );
    let ctx: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    let pixels = ctx
        .get_image_data(0.0, 0.0, canvas.width() as f64, canvas.height() as f64)
        .unwrap()
        .data();
    let inked = pixels
        .chunks(4)
        .filter(|p| p[3] > 0 && (p[0] < 200 || p[2] < 200))
        .count();
    assert!(inked > 1000, "{inked} inked pixels");
    // A dropped dimension can go again from its pill.
    click(&all(&builder, "pill-remove")[0]);
    wait_for(&builder, |b| all(b, "chart-datum").len() == 1).await;
    assert_eq!(datum_values(&builder)[0].1, "7043");
    app.remove();
}

#[wasm_bindgen_test]
async fn the_training_form_starts_on_the_workshop_defaults_and_checks_its_input() {
    let app = mount().await;
    web_sys::window()
        .unwrap()
        .location()
        .set_hash("#/train")
        .unwrap();
    wait_for(&app, |a| !all(a, "train-start").is_empty()).await;
    let target: HtmlSelectElement = all(&app, "train-target")[0].clone().unchecked_into();
    assert_eq!(target.value(), "Churn");
    let checked = all(&app, "train-feature")
        .iter()
        .filter(|f| f.unchecked_ref::<HtmlInputElement>().checked())
        .count();
    assert_eq!(checked, 19);
    let id = all(&app, "train-feature")
        .into_iter()
        .find(|f| f.get_attribute("data-column").as_deref() == Some("customerID"))
        .unwrap();
    assert_eq!(
        id.get_attribute("data-excluded-reason").as_deref(),
        Some("an identifier (7,043 distinct of 7,043)")
    );
    let kinds: Vec<String> = all(&app, "data-check-item")
        .iter()
        .filter_map(|i| i.get_attribute("data-kind"))
        .collect();
    assert_eq!(
        kinds,
        ["identifier", "missing", "balance"],
        "the default data: its ID, rows with empty cells, the class balance"
    );
    set_value(&all(&app, "train-mode")[0], "plain", "change");
    wait_for(&app, |a| !all(a, "train-c").is_empty()).await;
    set_value(&all(&app, "train-c")[0], "-2", "change");
    // The field says what is wrong, and Train is off until it is mended.
    wait_for(&app, |a| text(a, "train-blocked").is_some()).await;
    assert_eq!(
        text(&app, "train-c-error").unwrap(),
        "-2 is out of range. C takes a number above 0."
    );
    assert!(all(&app, "train-start")[0].has_attribute("disabled"));
    assert_eq!(
        text(&app, "train-blocked").unwrap(),
        "Train is off until this is mended: -2 is out of range. C takes a number above 0."
    );
    set_value(&all(&app, "train-c")[0], "0.5", "change");
    wait_for(&app, |a| text(a, "train-blocked").is_none()).await;
    assert!(!all(&app, "train-start")[0].has_attribute("disabled"));
    // Picking SeniorCitizen as the target offers its two values.
    set_value(&all(&app, "train-target")[0], "SeniorCitizen", "change");
    wait_for(&app, |a| {
        all(a, "train-positive")
            .first()
            .map(|p| p.unchecked_ref::<HtmlSelectElement>().value())
            == Some("1".into())
    })
    .await;
    app.remove();
}

#[wasm_bindgen_test]
async fn the_operations_page_waits_for_a_deployed_model_and_follows_the_scenario() {
    let app = mount().await;
    web_sys::window()
        .unwrap()
        .location()
        .set_hash("#/operations")
        .unwrap();
    wait_for(&app, |a| !all(a, "sim-start").is_empty()).await;
    // Nothing is deployed in a fresh profile: the page says what to do.
    assert!(text(&app, "ops-not-ready")
        .unwrap()
        .contains("No model is deployed"));
    assert!(all(&app, "sim-start")[0].has_attribute("disabled"));
    // The lab's defaults, and the scenario's own settings shown only when they apply.
    assert_eq!(
        all(&app, "sim-calls")[0]
            .unchecked_ref::<HtmlInputElement>()
            .value(),
        "1000"
    );
    assert_eq!(
        all(&app, "sim-scenario")[0]
            .unchecked_ref::<HtmlSelectElement>()
            .value(),
        "label-corruption"
    );
    assert_eq!(all(&app, "sim-scenario-start").len(), 1);
    set_value(&all(&app, "sim-scenario")[0], "none", "change");
    wait_for(&app, |a| all(a, "sim-scenario-start").is_empty()).await;
    set_value(&all(&app, "sim-scenario")[0], "feature-drift", "change");
    wait_for(&app, |a| {
        all(a, "sim-drift-feature").len() == 1 && all(a, "sim-scenario-start").len() == 1
    })
    .await;
    app.remove();
}

#[wasm_bindgen_test]
async fn the_share_page_makes_a_link_that_reads_back_and_refuses_a_damaged_project() {
    let app = mount().await;
    web_sys::window()
        .unwrap()
        .location()
        .set_hash("#/share")
        .unwrap();
    wait_for(&app, |a| !all(a, "make-share-link").is_empty()).await;
    click(&all(&app, "make-share-link")[0]);
    wait_for(&app, |a| !all(a, "share-link").is_empty()).await;
    let link = all(&app, "share-link")[0]
        .unchecked_ref::<HtmlInputElement>()
        .value();
    let length: usize = all(&app, "share-length")[0]
        .get_attribute("data-value")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(length, link.chars().count());
    let recipe = churnlab::core::share::recipe::Recipe::from_fragment(&link).unwrap();
    assert_eq!(
        recipe.data,
        churnlab::core::share::recipe::DataSource::Default
    );
    assert!(
        recipe.train.is_none(),
        "nothing is trained in a fresh profile"
    );

    // A damaged project file is named and the data stays.
    let rows = text(&app, "row-count");
    pick_file(
        &app,
        "import-project",
        "broken.json",
        "{\"format\": \"churnlab-project\", \"version\": 1}",
    );
    wait_for(&app, |a| !all(a, "project-error").is_empty()).await;
    let error = text(&app, "project-error").unwrap();
    assert!(
        error.starts_with("broken.json: This project file cannot be imported"),
        "{error}"
    );
    assert!(error.ends_with("Nothing was changed."), "{error}");
    assert_eq!(text(&app, "row-count"), rows);
    app.remove();
}

#[wasm_bindgen_test]
async fn the_lab_panel_opens_a_teachers_lab_as_text_and_refuses_a_bad_one() {
    let app = mount().await;
    click(&all(&app, "lab-open")[0]);
    wait_for(&app, |a| all(a, "lab-step").len() == 11).await;
    assert_eq!(
        all(&app, "lab-do-it").len(),
        1,
        "the step shown can be done for the learner"
    );
    let workshop = text(&app, "lab-title").unwrap();

    // Markup in a lab's text is shown as the text it is.
    let lab = "---\nid: xss\ntitle: <b>Title</b>\nversion: 1\n---\n# Lab <i>1</i>\n## Step <img src=x onerror=alert(1)> {#one}\ncheck: dataset.rows >= 1\n\nText <script>alert(2)</script> and **bold**.\n";
    pick_file(&app, "lab-load", "xss.md", lab);
    wait_for(&app, |a| {
        text(a, "lab-title").as_deref() == Some("<b>Title</b>")
    })
    .await;
    let panel = &all(&app, "lab-panel")[0];
    assert!(
        panel.query_selector("img, script, b, i").unwrap().is_none(),
        "no element came from the lab's text"
    );
    assert!(panel
        .text_content()
        .unwrap()
        .contains("Text <script>alert(2)</script> and bold."));
    assert_eq!(
        all(&app, "lab-step")[0]
            .get_attribute("data-state")
            .as_deref(),
        Some("done")
    );
    assert!(
        all(&app, "lab-do-it").is_empty(),
        "a step with no do: lines has no Do it for me"
    );

    // A bad lab is refused with its line; the lab open stays.
    pick_file(
        &app,
        "lab-load",
        "bad.md",
        "---\nid: bad\ntitle: Bad\nversion: 1\n---\n# Lab\n## One {#one}\ndo: format disk\n",
    );
    wait_for(&app, |a| !all(a, "lab-error").is_empty()).await;
    assert_eq!(text(&app, "lab-error").unwrap(), "bad.md was not opened: line 8: do: there is no action \"format\" (actions: open-data, sql, save-dataset, edit-field, dashboard, train, deploy, call-example, simulate, rerun-dataset, score, export-production, save-job, run-job).");
    assert_eq!(text(&app, "lab-title").as_deref(), Some("<b>Title</b>"));
    click(&all(&app, "lab-workshop")[0]);
    wait_for(&app, |a| {
        text(a, "lab-title").as_deref() == Some(workshop.as_str())
    })
    .await;
    app.remove();
}
