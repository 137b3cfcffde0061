//! The Train page's options (families, search, folds, seed, balancing, calibration, target
//! sensitivity, held-out share, selection, threshold rule): the fields of a
//! [`TrainForm`], with labels, defaults as `sepsis-risk train`'s.

use leptos::prelude::*;

use crate::app::jobs;
use crate::app::training::TrainForm;
use crate::app::web;
use crate::core::models::Family;

/// The form's fields as signals.
#[derive(Debug, Clone, Copy)]
pub struct TrainFields {
    families: RwSignal<Vec<String>>,
    search: RwSignal<String>,
    draws: RwSignal<String>,
    folds: RwSignal<String>,
    seed: RwSignal<String>,
    balance: RwSignal<String>,
    calibration: RwSignal<String>,
    target: RwSignal<String>,
    test_fraction: RwSignal<String>,
    selection: RwSignal<String>,
    rule: RwSignal<String>,
    /// Workers searching families at once (not a training option: the bundle is the same).
    workers: RwSignal<String>,
}

impl TrainFields {
    /// The defaults.
    pub fn new() -> Self {
        let d = TrainForm::default();
        TrainFields {
            families: RwSignal::new(d.families),
            search: RwSignal::new(d.search),
            draws: RwSignal::new(d.draws),
            folds: RwSignal::new(d.folds),
            seed: RwSignal::new(d.seed),
            balance: RwSignal::new(d.balance),
            calibration: RwSignal::new(d.calibration),
            target: RwSignal::new(d.target),
            test_fraction: RwSignal::new(d.test_fraction),
            selection: RwSignal::new(d.selection),
            rule: RwSignal::new(d.rule),
            workers: RwSignal::new(jobs::search_workers(web::cores()).to_string()),
        }
    }

    /// Workers to search with: the field's number, at least 1 (untracked).
    pub fn workers(&self) -> usize {
        self.workers
            .get_untracked()
            .trim()
            .parse::<usize>()
            .map_or(1, |n| n.clamp(1, 16))
    }

    /// The form as typed (untracked).
    pub fn form(&self) -> TrainForm {
        TrainForm {
            families: self.families.get_untracked(),
            search: self.search.get_untracked(),
            draws: self.draws.get_untracked(),
            folds: self.folds.get_untracked(),
            seed: self.seed.get_untracked(),
            balance: self.balance.get_untracked(),
            calibration: self.calibration.get_untracked(),
            target: self.target.get_untracked(),
            test_fraction: self.test_fraction.get_untracked(),
            selection: self.selection.get_untracked(),
            rule: self.rule.get_untracked(),
        }
    }
}

impl Default for TrainFields {
    fn default() -> Self {
        Self::new()
    }
}

/// A labelled text field bound to `value` (`data-testid` = `id`).
fn text_field(id: &'static str, label: &'static str, value: RwSignal<String>) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <input id=id data-testid=id prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))/>
    }
}

/// A labelled list bound to `value`, with `(value, text)` options.
fn select_field(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    options: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <select id=id data-testid=id on:change=move |ev| value.set(event_target_value(&ev))>
            {options.into_iter().map(|(v, text)| view! {
                <option value=v selected=move || value.get() == v>{text}</option>
            }).collect_view()}
        </select>
    }
}

/// The fields.
#[component]
pub fn TrainOptions(fields: TrainFields) -> impl IntoView {
    let families = fields.families;
    let rules = vec![
        (
            "auto",
            "Automatic: best utility for hourly data, else target sensitivity",
        ),
        ("sensitivity", "Target sensitivity"),
        ("utility", "Best utility (PhysioNet 2019; hourly data only)"),
    ];
    view! {
        <fieldset class="families">
            <legend>"Model families to try"</legend>
            {Family::ALL.into_iter().zip(Family::NAMES).map(|(f, &name)| {
                let id = format!("train-family-{name}");
                let (for_id, testid) = (id.clone(), id.clone());
                view! {
                    <label for=for_id>
                        <input type="checkbox" id=id data-testid=testid
                            prop:checked=move || families.with(|v| v.iter().any(|x| x == name))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                families.update(|v| {
                                    v.retain(|x| x != name);
                                    if on {
                                        // Keep the families in their usual order.
                                        v.push(name.to_string());
                                        v.sort_by_key(|x| Family::NAMES.iter().position(|n| n == x));
                                    }
                                });
                            }/>
                        {f.title()}
                    </label>
                }
            }).collect_view()}
        </fieldset>
        <div class="form-grid">
            {select_field("train-search", "Hyper-parameter search", fields.search, vec![
                ("grid", "Grid: every candidate"), ("random", "Random draws")])}
            {text_field("train-draws", "Draws per family (random search)", fields.draws)}
            {text_field("train-folds", "Cross-validation folds (2 to 50)", fields.folds)}
            {text_field("train-seed", "Seed of every random step", fields.seed)}
            {text_field("train-balance", "Class balancing (auto, none, over, under, under:R, smote, smote:K)", fields.balance)}
            {select_field("train-calibration", "Calibration", fields.calibration, vec![
                ("platt", "Platt scaling (logistic)"), ("isotonic", "Isotonic regression"), ("none", "None")])}
            {text_field("train-target", "Target sensitivity of the alert threshold", fields.target)}
            {text_field("train-test", "Held-out share for the final test (0 to 0.5)", fields.test_fraction)}
            {select_field("train-selection", "Family shipped", fields.selection, vec![
                ("best", "Best cross-validated AUROC"), ("one-se", "Simplest within one standard error")])}
            {select_field("train-rule", "Threshold rule", fields.rule, rules)}
            {text_field("train-workers", "Parallel workers (each searches a share of the candidates, at most 4; the model is the same)", fields.workers)}
        </div>
    }
}
