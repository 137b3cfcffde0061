//! The landing page: load a CSV file (or the demo data) and see what was read.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::app::components::drop_zone::DropZone;
use crate::app::components::error_banner::ErrorBanner;
use crate::app::components::issues_table::IssuesTable;
use crate::app::components::privacy_note::PrivacyNote;
use crate::app::context::AppState;
use crate::app::format::delimiter_name;
use crate::app::model::{self, ModelId, ModelKind};
use crate::app::state::{self, LoadError, Loaded, StageTimes, UploadStage};
use crate::app::web;
use crate::core::demo;
use crate::core::format::count;
use crate::core::schema::{self, Schema};

/// Rows of demo data and its seed.
const DEMO_ROWS: usize = 300;
const DEMO_SEED: u64 = 7;
/// ICU demo patients (one `.psv` file each).
const DEMO_PATIENTS: usize = 40;

/// Reads `files` with the core (after letting the page show "Reading…"): detects the schema
/// (preferring the selected model's), keeps the selected model if it reads that schema or
/// selects the built-in model for it (fetching the ICU bundle when needed), then stores the
/// result or the error in the shared state.
/// `files` are `(name, bytes, file)`: the file is kept for worker jobs ([`AppState::sources`]).
/// `times` has the reading of the files (none for generated data); each stage is recorded
/// as a User Timing measure once the page has rendered the result.
fn process(
    state: AppState,
    busy: RwSignal<bool>,
    mut files: Vec<(String, Vec<u8>, web_sys::Blob)>,
    times: StageTimes,
) {
    spawn_local(async move {
        state.upload_times.set(String::new());
        web::next_frame().await;
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut sources = Vec::with_capacity(files.len());
        let files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|(name, bytes, blob)| {
                sources.push((name.clone(), blob));
                (name, bytes)
            })
            .collect();
        let selected = state.model.get_untracked();
        let selected_bundle = untrack(|| state.bundle_for(&selected));
        let preferred = selected_bundle.or(model::seed_bundle().ok());
        let schema = match state::detect_schema(&files, preferred) {
            Ok(s) => s,
            Err(e) => {
                state.load_error.set(Some(e));
                busy.set(false);
                return;
            }
        };
        let id = match selected_bundle {
            Some(b) if b.schema.name == schema.name => selected,
            _ => ModelId::from(ModelKind::for_schema(&schema.name)),
        };
        state.select_model(id.clone());
        let bundle = state.bundle_of(&id).await;
        web::next_frame().await;
        let start = web::now_ms();
        let result = state::load_files(&files, &schema, bundle, times);
        state.load_ms.set(web::now_ms() - start);
        let mut times = match result {
            Ok(mut l) => {
                l.model = id;
                let times = l.times.clone();
                state.load_error.set(None);
                state.sources.set_value(sources);
                state.data.set(Some(Arc::new(l)));
                Some(times)
            }
            Err(e) => {
                state.load_error.set(Some(e));
                None
            }
        };
        busy.set(false);
        if let Some(t) = times.as_mut() {
            t.start(UploadStage::Render);
            web::next_frame().await;
            t.end(UploadStage::Render);
            for (stage, span) in t.spans() {
                web::measure(&stage.measure_name(), span.start, span.end, span.busy_ms);
            }
            state.upload_times.set(t.describe());
        }
    });
}

/// Demo data for a model reading schema `schema`: seed-format CSV rows, or invented ICU
/// stays as one `.psv` file per patient (None for other formats).
fn demo_files(schema: &Schema) -> Option<Vec<(String, Vec<u8>)>> {
    if schema.temporal.is_some() {
        let patients = demo::demo_icu_patients(schema, DEMO_PATIENTS, DEMO_SEED)?;
        Some(
            patients
                .into_iter()
                .map(|p| {
                    (
                        crate::core::dataset::patient_file_name(&p.id),
                        p.psv.into_bytes(),
                    )
                })
                .collect(),
        )
    } else {
        let text = demo::demo_csv(schema, DEMO_ROWS, DEMO_SEED)?;
        Some(vec![("demo.csv".into(), text.into_bytes())])
    }
}

/// The schema the selected model reads: its bundle's, or the built-in schema of a built-in
/// model whose bundle is not loaded yet.
fn selected_schema(state: AppState) -> Option<Schema> {
    let id = state.model.get();
    match state.bundle_for(&id) {
        Some(b) => Some(b.schema.clone()),
        None => id.builtin().and_then(|k| schema::builtin(k.schema_name())),
    }
}

/// The upload page: drop zone and file picker, "Load demo data", the file's summary (name,
/// delimiter, row count, schema or missing columns) and every row-level problem.
#[component]
pub fn UploadPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let busy = RwSignal::new(false);

    let on_files = Callback::new(move |list: Vec<web_sys::File>| {
        busy.set(true);
        spawn_local(async move {
            let mut times = StageTimes::new(web::now_ms);
            times.start(UploadStage::Read);
            let mut files = Vec::with_capacity(list.len());
            for file in list {
                let blob = web_sys::Blob::from(file.clone());
                match web::read_file(file).await {
                    Ok((name, bytes)) => files.push((name, bytes, blob)),
                    Err(e) => {
                        state.load_error.set(Some(LoadError::Csv(e)));
                        busy.set(false);
                        return;
                    }
                }
            }
            times.end(UploadStage::Read);
            process(state, busy, files, times);
        });
    });
    let load_demo = move |_| match untrack(|| selected_schema(state))
        .as_ref()
        .and_then(demo_files)
    {
        Some(files) => match files
            .into_iter()
            .map(|(name, bytes)| web::blob_of(&bytes).map(|blob| (name, bytes, blob)))
            .collect::<Result<Vec<_>, String>>()
        {
            Ok(files) => {
                busy.set(true);
                process(state, busy, files, StageTimes::new(web::now_ms));
            }
            Err(e) => state.load_error.set(Some(LoadError::Csv(e))),
        },
        None => state.load_error.set(Some(LoadError::Csv(
            "No demo data is available for this model.".into(),
        ))),
    };
    let demo_text = move || match selected_schema(state) {
        Some(s) if s.temporal.is_some() => format!(
            " {DEMO_PATIENTS} invented ICU stays generated by this app, one .psv file each (not real patients)."
        ),
        Some(s) => format!(
            " {DEMO_ROWS} synthetic rows generated by this app in the format \"{}\" (invented values, not real patients).",
            s.title
        ),
        None => String::new(),
    };

    view! {
        <h1>"Load data"</h1>
        <p class="lead">
            "Load a CSV file of patients, or one .psv file per ICU stay, to explore it, score
            every row with the matching model, and check the model on your own labelled data."
        </p>
        <PrivacyNote/>
        <section aria-labelledby="load-h" class="card">
            <h2 id="load-h">"Choose files"</h2>
            <DropZone on_files/>
            <p class="demo-row">
                <button type="button" data-testid="load-demo" on:click=load_demo>"Load demo data"</button>
                {demo_text}
            </p>
            <p class="status" aria-live="polite">
                {move || busy.get().then_some("Reading and checking the data…")}
            </p>
        </section>
        {move || state.load_error.get().map(|e| view! { <LoadErrorView error=e/> })}
        {move || state.data.get().map(|d| view! { <LoadedSummary data=d elapsed=state.load_ms.get_untracked()/> })}
    }
}

/// The error of a failed load, naming exactly which required columns are missing.
#[component]
fn LoadErrorView(error: LoadError) -> impl IntoView {
    match error {
        LoadError::Columns { file, header, missing } => view! {
            <ErrorBanner title=format!("The columns of {file} match no known format")>
                <ul data-testid="missing-columns">
                    {missing
                        .into_iter()
                        .map(|(title, cols)| view! {
                            <li>{format!("{title}: missing required column{} ", if cols.len() == 1 { "" } else { "s" })}
                                <strong>{cols.join(", ")}</strong></li>
                        })
                        .collect_view()}
                </ul>
                <p>{format!("Columns found: {}", header.join(", "))}</p>
            </ErrorBanner>
        }
        .into_any(),
        other => view! {
            <ErrorBanner title="The file could not be read">
                <p>{other.to_string()}</p>
            </ErrorBanner>
        }
        .into_any(),
    }
}

/// What was read: file name, delimiter, row count, matched schema, problems, next steps.
#[component]
fn LoadedSummary(data: Arc<Loaded>, elapsed: f64) -> impl IntoView {
    let ds = &data.dataset;
    let scorable = ds.scorable_rows();
    let no_evidence = ds.rows_without_evidence();
    let warnings = ds.warnings.clone();
    let scoring_note = match &data.scoring {
        Ok(_) => None,
        Err(e) => Some(e.clone()),
    };
    view! {
        <section aria-labelledby="loaded-h" class="card" data-testid="loaded-summary">
            <h2 id="loaded-h">"Loaded data"</h2>
            <dl class="facts">
                <dt>{if data.files == 1 { "File" } else { "Files" }}</dt><dd data-testid="file-name">{data.file_name.clone()}</dd>
                <dt>"Delimiter"</dt><dd data-testid="delimiter">{delimiter_name(data.delimiter)}</dd>
                <dt>"Rows"</dt><dd data-testid="row-count">{count(ds.rows.len())}</dd>
                {data.patients.as_ref().map(|p| view! {
                    <dt>"Patients"</dt>
                    <dd data-testid="patient-count">{count(p.patients)}</dd>
                })}
                <dt>"Rows that can be scored"</dt><dd data-testid="scorable-count">{count(scorable)}</dd>
                {ds.schema.evidence.as_ref().map(|rule| view! {
                    <dt>"Rows without the minimum evidence (no risk given)"</dt>
                    <dd data-testid="no-evidence-count" title=format!("A prediction needs {}.", rule.description)>
                        {count(no_evidence)}
                    </dd>
                })}
                <dt>"Format (schema)"</dt>
                <dd><span data-testid="schema-name">{ds.schema.name.clone()}</span> " — " {ds.schema.title.clone()}</dd>
                <dt>"Label column"</dt>
                <dd>{if ds.has_label_column { format!("{} (present)", ds.schema.label.name) } else { "absent: no validation".to_string() }}</dd>
                <dt>"Model"</dt><dd data-testid="data-model">{expect_context::<AppState>().model_title(&data.model)}</dd>
                <dt>"Processing time"</dt><dd data-testid="process-ms">{format!("{elapsed:.0} ms")}</dd>
                <dt>"Time by stage"</dt>
                <dd data-testid="upload-times"
                    title="Also in the browser's performance panel, as the measures sepsis-risk:upload-read, -parse, -validate, -eda, -score, -results and -render.">
                    {move || expect_context::<AppState>().upload_times.get()}
                </dd>
                <dt>"Scoring time"</dt>
                <dd data-testid="score-ms" data-ms=data.score_ms.to_string()
                    data-ms-per-row=(data.score_ms / ds.rows.len().max(1) as f64).to_string()>
                    {format!("{:.0} ms ({:.3} ms per row)", data.score_ms, data.score_ms / ds.rows.len().max(1) as f64)}
                </dd>
            </dl>
            {(!warnings.is_empty()).then(|| view! {
                <ul class="msg-warning input-warnings" data-testid="input-warnings" role="status">
                    {warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
                </ul>
            })}
            {scoring_note.map(|e| view! { <ErrorBanner title="No predictions">{e}</ErrorBanner> })}
            <p class="next">
                <A href="/explore">"Explore the data"</A>
                " · "
                <A href="/predict">"See the predictions"</A>
            </p>
        </section>
        <IssuesTable data=data.clone()/>
    }
}
