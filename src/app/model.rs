//! The app's two models: the embedded seed bundle, parsed once on first use, and the ICU
//! bundle's location and checks.
//!
//! The seed bundle's JSON is compiled into the binary (`include_str!`), so the app needs no
//! request for it. The ICU bundle (about 1 MB) is not: the app fetches `/models/icu.json` the
//! first time the ICU model is needed (picked, or ICU data uploaded), parses it with
//! [`parse_icu`] and keeps it in the shared state (`app::context`, its one loading path);
//! after that it works offline like the seed model. A bundle that fails to load is an error
//! message for the page, never a panic.

use std::sync::LazyLock;

use crate::core::bundle::ModelBundle;

/// The shipped seed bundle's JSON text (`assets/models/seed.json`, compact JSON).
pub const SEED_BUNDLE_JSON: &str = include_str!("../../assets/models/seed.json");

/// Where the ICU bundle is served (Trunk copies `assets/models/icu.json` into `dist/models/`).
pub const ICU_BUNDLE_PATH: &str = "/models/icu.json";

static SEED: LazyLock<Result<ModelBundle, String>> = LazyLock::new(|| {
    ModelBundle::from_json(SEED_BUNDLE_JSON)
        .map_err(|e| format!("The embedded model could not be loaded: {e}"))
});

/// The embedded seed bundle, or why it could not be loaded.
pub fn seed_bundle() -> Result<&'static ModelBundle, &'static str> {
    SEED.as_ref().map_err(String::as_str)
}

/// Which model the app uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModelKind {
    /// The seed data model (embedded).
    Seed,
    /// The ICU time-series model (PhysioNet/CinC 2019; fetched on demand).
    Icu,
}

impl ModelKind {
    /// Every model, in menu order.
    pub const ALL: [ModelKind; 2] = [ModelKind::Seed, ModelKind::Icu];

    /// Stable key for `<option value>`.
    pub fn key(self) -> &'static str {
        match self {
            ModelKind::Seed => "seed",
            ModelKind::Icu => "icu",
        }
    }

    /// The model with `key`, if any.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.key() == key)
    }

    /// Menu text.
    pub fn title(self) -> &'static str {
        match self {
            ModelKind::Seed => "Seed data model (demo, not sepsis)",
            ModelKind::Icu => "ICU sepsis model (PhysioNet 2019)",
        }
    }

    /// The built-in schema the model reads.
    pub fn schema_name(self) -> &'static str {
        self.key()
    }

    /// The model for data of schema `name` (the seed model for any other schema).
    pub fn for_schema(name: &str) -> Self {
        if name == ModelKind::Icu.schema_name() {
            ModelKind::Icu
        } else {
            ModelKind::Seed
        }
    }
}

/// A model the app can use: a built-in one, or one of the user's own (imported, recalibrated
/// or trained in the page; [`crate::app::library`]) by its key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ModelId {
    /// The embedded seed model or the ICU model.
    Builtin(ModelKind),
    /// A model of the user's library, by [`crate::app::library::LocalModel::key`].
    Local(String),
}

impl ModelId {
    /// Stable key for `<option value>`: `seed`, `icu` or `local:<key>`.
    pub fn key(&self) -> String {
        match self {
            ModelId::Builtin(k) => k.key().to_string(),
            ModelId::Local(k) => format!("local:{k}"),
        }
    }

    /// The model with `key`, if the key is well formed (a local model may still be absent).
    pub fn from_key(key: &str) -> Option<Self> {
        match key.strip_prefix("local:") {
            Some(k) if !k.is_empty() => Some(ModelId::Local(k.to_string())),
            Some(_) => None,
            None => ModelKind::from_key(key).map(ModelId::Builtin),
        }
    }

    /// The built-in model, if this is one.
    pub fn builtin(&self) -> Option<ModelKind> {
        match self {
            ModelId::Builtin(k) => Some(*k),
            ModelId::Local(_) => None,
        }
    }
}

impl From<ModelKind> for ModelId {
    fn from(k: ModelKind) -> Self {
        ModelId::Builtin(k)
    }
}

/// Parses and checks the ICU bundle's JSON: a valid bundle of a time-series model.
pub fn parse_icu(json: &str) -> Result<ModelBundle, String> {
    let b = ModelBundle::from_json(json)
        .map_err(|e| format!("The ICU model ({ICU_BUNDLE_PATH}) could not be loaded: {e}"))?;
    if !b.is_time_series() {
        return Err(format!(
            "The ICU model file ({ICU_BUNDLE_PATH}) is not a time-series model."
        ));
    }
    Ok(b)
}

/// Test helper: the ICU bundle from `assets/models/icu.json`, parsed as the app parses it
/// (once per test run).
#[cfg(test)]
pub fn test_icu_bundle() -> &'static ModelBundle {
    static ICU: LazyLock<ModelBundle> = LazyLock::new(|| {
        parse_icu(include_str!("../../assets/models/icu.json")).expect("assets/models/icu.json")
    });
    &ICU
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_bundle_loads() {
        let b = seed_bundle().expect("seed bundle");
        assert_eq!(b.schema.name, "seed");
        assert!(!b.curves.thresholds.is_empty());
    }

    #[test]
    fn kinds_and_the_icu_bundle() {
        for k in ModelKind::ALL {
            assert_eq!(ModelKind::from_key(k.key()), Some(k));
            assert_eq!(ModelKind::for_schema(k.schema_name()), k);
        }
        assert_eq!(ModelKind::for_schema("other"), ModelKind::Seed);
        let icu = test_icu_bundle();
        assert_eq!(icu.schema.name, "icu");
        assert!(std::ptr::eq(test_icu_bundle(), icu));
        assert!(parse_icu(SEED_BUNDLE_JSON).is_err());
        assert!(parse_icu("{}").unwrap_err().contains("ICU model"));
    }

    #[test]
    fn model_ids_round_trip_through_their_keys() {
        for id in [
            ModelId::from(ModelKind::Seed),
            ModelId::from(ModelKind::Icu),
            ModelId::Local("0123abcd".into()),
        ] {
            assert_eq!(ModelId::from_key(&id.key()), Some(id.clone()));
        }
        assert_eq!(ModelId::Local("ab".into()).key(), "local:ab");
        assert_eq!(ModelId::from_key("local:"), None);
        assert_eq!(ModelId::from_key("other"), None);
        assert_eq!(ModelId::Local("x".into()).builtin(), None);
        assert_eq!(
            ModelId::from(ModelKind::Icu).builtin(),
            Some(ModelKind::Icu)
        );
    }
}
