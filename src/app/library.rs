//! The user's own models: bundles imported from files, or recalibrated in the page, kept next
//! to the built-in ones. Plain logic (no leptos), tested natively; the browser glue that keeps
//! them across reloads is `app::storage` (IndexedDB), the panel is
//! `components::model_library`.
//!
//! A model file is checked before it joins: size, text, then [`ModelBundle::from_json`]
//! (format and version, schema, feature counts, numbers, tree node indices, calibrator,
//! threshold and risk bands), each failure one message naming the file. A model's key is the
//! first 16 hex digits of the SHA-256 of its JSON as this software writes it
//! ([`ModelBundle::to_json`]), so importing the same model twice keeps one entry, and the
//! downloaded file is byte for byte what `sepsis-risk` writes for it.
//!
//! Models are parsed once and kept for the rest of the session (the pages hold `&'static`
//! references to bundles); removing a model takes it out of the picker and out of the
//! browser's storage, and its memory is returned at the next reload.

use serde::{Deserialize, Serialize};

use crate::core::bundle::ModelBundle;
use crate::core::format;
use crate::core::train::sha256_hex;

/// Largest model file accepted (the shipped ICU model is about 1 MB).
pub const MAX_MODEL_BYTES: usize = 64 * 1024 * 1024;

/// How a model came into the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Imported from a file.
    Imported,
    /// Recalibrated in the page on local labelled data.
    Recalibrated,
    /// Trained in the page on local labelled data.
    Trained,
}

impl Origin {
    /// Display text.
    pub fn label(self) -> &'static str {
        match self {
            Origin::Imported => "imported",
            Origin::Recalibrated => "recalibrated here",
            Origin::Trained => "trained here",
        }
    }
}

/// A model of the library.
#[derive(Debug, Clone)]
pub struct LocalModel {
    /// First 16 hex digits of the SHA-256 of the bundle's JSON.
    pub key: String,
    /// How it came here.
    pub origin: Origin,
    /// The file it was imported from, or the data it was recalibrated on.
    pub source: String,
    /// When it was added (milliseconds since 1970, the browser's clock).
    pub added_ms: f64,
    /// The bundle (kept for the session).
    pub bundle: &'static ModelBundle,
}

impl LocalModel {
    /// A model of the library for `bundle`.
    pub fn new(bundle: ModelBundle, origin: Origin, source: &str, added_ms: f64) -> Self {
        LocalModel {
            key: model_key(&bundle),
            origin,
            source: source.to_string(),
            added_ms,
            bundle: Box::leak(Box::new(bundle)),
        }
    }

    /// The picker's text: the model card's title and where the model comes from.
    pub fn title(&self) -> String {
        format!(
            "{} ({}: {})",
            self.bundle.model_card.title,
            self.origin.label(),
            format::clip(&self.source)
        )
    }

    /// The name of the downloaded file: `sepsis-risk-<schema>-<key>.json`.
    pub fn file_name(&self) -> String {
        download_name(self.bundle)
    }

    /// What the browser keeps of the model.
    pub fn stored(&self) -> Result<StoredModel, String> {
        Ok(StoredModel {
            key: self.key.clone(),
            origin: self.origin,
            source: self.source.clone(),
            added_ms: self.added_ms,
            bundle: self.bundle.to_json().map_err(|e| e.to_string())?,
        })
    }
}

/// A library model as the browser keeps it (one IndexedDB record, JSON text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredModel {
    /// [`LocalModel::key`].
    pub key: String,
    /// [`LocalModel::origin`].
    pub origin: Origin,
    /// [`LocalModel::source`].
    pub source: String,
    /// [`LocalModel::added_ms`].
    pub added_ms: f64,
    /// The bundle's JSON.
    pub bundle: String,
}

impl StoredModel {
    /// The record as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A kept record read back: the model, or why it cannot be used any more (for example a
    /// model file format this version no longer reads), with the record's key so that it can
    /// be removed.
    pub fn restore(json: &str) -> Result<LocalModel, (Option<String>, String)> {
        let stored: StoredModel = serde_json::from_str(json).map_err(|e| {
            (
                None,
                format!("A model kept in this browser is unreadable ({e})."),
            )
        })?;
        let bundle = ModelBundle::from_json(&stored.bundle).map_err(|e| {
            (
                Some(stored.key.clone()),
                format!(
                    "The model kept in this browser from {} can no longer be used: {e}",
                    format::clip(&stored.source)
                ),
            )
        })?;
        let mut m = LocalModel::new(bundle, stored.origin, &stored.source, stored.added_ms);
        // The key it is kept under, even if this version writes the bundle differently.
        m.key = stored.key;
        Ok(m)
    }
}

/// The key of a bundle: first 16 hex digits of the SHA-256 of its JSON.
pub fn model_key(bundle: &ModelBundle) -> String {
    let json = bundle.to_json().unwrap_or_default();
    sha256_hex(json.as_bytes())[..16].to_string()
}

/// The name a downloaded bundle gets: `sepsis-risk-<schema>-<key>.json`.
pub fn download_name(bundle: &ModelBundle) -> String {
    let schema: String = bundle
        .schema
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(40)
        .collect();
    format!("sepsis-risk-{schema}-{}.json", model_key(bundle))
}

/// Reads a model file: the bundle, or one message naming the file and what is wrong.
pub fn read_model_file(file_name: &str, bytes: &[u8]) -> Result<ModelBundle, String> {
    let name = crate::core::dataset::base_name(file_name);
    if bytes.is_empty() {
        return Err(format!("{name}: the file is empty, not a model file."));
    }
    if bytes.len() > MAX_MODEL_BYTES {
        return Err(format!(
            "{name}: {:.0} MB is larger than any model file (at most {} MB).",
            bytes.len() as f64 / (1024.0 * 1024.0),
            MAX_MODEL_BYTES / (1024 * 1024)
        ));
    }
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| format!("{name}: not a model file (the file is not UTF-8 text)."))?;
    ModelBundle::from_json(text).map_err(|e| format!("{name}: {e}"))
}

/// The user's models, in the order they were added, and those removed this session (no
/// longer offered, but still resolvable: data already scored with one keeps its model).
#[derive(Debug, Clone, Default)]
pub struct Library {
    models: Vec<LocalModel>,
    removed: Vec<LocalModel>,
}

/// What [`Library::add`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// The model is new.
    New,
    /// The same model (same key) was already there; it is kept as it was.
    Existing,
}

impl Library {
    /// Every model, in the order added.
    pub fn models(&self) -> &[LocalModel] {
        &self.models
    }

    /// The model with `key`.
    pub fn get(&self, key: &str) -> Option<&LocalModel> {
        self.models.iter().find(|m| m.key == key)
    }

    /// The model with `key`, also if it was removed this session (for data scored with it).
    pub fn resolve(&self, key: &str) -> Option<&LocalModel> {
        self.get(key)
            .or_else(|| self.removed.iter().find(|m| m.key == key))
    }

    /// Adds `model` unless a model with its key is there.
    pub fn add(&mut self, model: LocalModel) -> Added {
        if self.get(&model.key).is_some() {
            return Added::Existing;
        }
        self.removed.retain(|m| m.key != model.key);
        self.models.push(model);
        Added::New
    }

    /// Removes the model with `key` from the list, returning it (it stays resolvable).
    pub fn remove(&mut self, key: &str) -> Option<LocalModel> {
        let i = self.models.iter().position(|m| m.key == key)?;
        let m = self.models.remove(i);
        self.removed.push(m.clone());
        Some(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::model::SEED_BUNDLE_JSON;

    /// `text` with the value after the first `key` (up to the next `,` or `]`) replaced.
    fn replace_value(text: &str, key: &str, new: &str) -> String {
        let start = text.find(key).unwrap() + key.len();
        let end = start + text[start..].find([',', ']', '}']).unwrap();
        format!("{}{new}{}", &text[..start], &text[end..])
    }

    #[test]
    fn the_shipped_model_reads_and_keeps_its_bytes() {
        let b = read_model_file("seed.json", SEED_BUNDLE_JSON.as_bytes()).unwrap();
        assert_eq!(b.to_json().unwrap(), SEED_BUNDLE_JSON);
        let key = model_key(&b);
        assert_eq!(key.len(), 16);
        assert_eq!(key, sha256_hex(SEED_BUNDLE_JSON.as_bytes())[..16]);
        assert_eq!(download_name(&b), format!("sepsis-risk-seed-{key}.json"));
        // A byte-order mark is allowed.
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), SEED_BUNDLE_JSON.as_bytes()].concat();
        assert!(read_model_file("seed.json", &with_bom).is_ok());
    }

    #[test]
    fn every_kind_of_bad_model_file_gets_a_message_naming_the_file() {
        let seed = SEED_BUNDLE_JSON;
        let insurance = {
            let a = seed.find(",{\"name\":\"Insurance\"").unwrap();
            let b =
                a + seed[a..].find("\"required\":false}").unwrap() + "\"required\":false}".len();
            format!("{}{}", &seed[..a], &seed[b..])
        };
        let cases: Vec<(&str, String, &str)> = vec![
            (
                "format version",
                replace_value(seed, "\"format_version\":", "99"),
                "format version 99 is not supported",
            ),
            (
                "format",
                seed.replacen("sepsis-risk-model", "something-else", 1),
                "format is \"something-else\"",
            ),
            (
                "schema",
                seed.replacen("{\"name\":\"PL\",", "{\"name\":\"PRG\",", 1),
                "PRG",
            ),
            ("feature count", insurance, "the pipeline expects 9 inputs"),
            (
                "threshold",
                replace_value(seed, "\"threshold\":", "1.5"),
                "threshold 1.5 is outside [0, 1]",
            ),
            (
                "missing field",
                seed.replacen("\"calibrator\":", "\"calibrators\":", 1),
                "calibrator",
            ),
            (
                "truncated",
                seed[..seed.len() / 2].to_string(),
                "not valid JSON",
            ),
        ];
        for (what, text, expected) in cases {
            let err = read_model_file("models/mine.json", text.as_bytes()).expect_err(what);
            assert!(err.starts_with("mine.json: "), "{what}: {err}");
            assert!(err.contains(expected), "{what}: {err}");
        }
    }

    #[test]
    fn numbers_and_tree_nodes_are_checked() {
        // A number that is not finite cannot be written in JSON; one too large is refused.
        let text = replace_value(SEED_BUNDLE_JSON, "\"threshold\":", "1e999");
        let err = read_model_file("big.json", text.as_bytes()).unwrap_err();
        assert!(err.starts_with("big.json: "), "{err}");
        assert!(err.contains("out of range"), "{err}");
        // A tree child index out of range (the ICU model's trees, stored column-wise).
        let icu = include_str!("../../assets/models/icu.json");
        assert!(icu.contains("\"left\":["));
        let bad = replace_value(icu, "\"left\":[", "999999");
        let err = read_model_file("tree.json", bad.as_bytes()).unwrap_err();
        assert!(err.starts_with("tree.json: "), "{err}");
        assert!(err.contains("node 0 has invalid children"), "{err}");
    }

    #[test]
    fn empty_huge_and_binary_files_are_refused() {
        assert_eq!(
            read_model_file("a/empty.json", b"").unwrap_err(),
            "empty.json: the file is empty, not a model file."
        );
        assert!(
            read_model_file("x.json", &[0xff, 0xfe, 0x00])
                .unwrap_err()
                .contains("not UTF-8")
        );
        let huge = vec![b' '; MAX_MODEL_BYTES + 1];
        assert!(
            read_model_file("huge.json", &huge)
                .unwrap_err()
                .contains("larger than any model file")
        );
        assert!(
            read_model_file("data.csv", b"a,b\n1,2\n")
                .unwrap_err()
                .starts_with("data.csv: ")
        );
    }

    #[test]
    fn the_library_keeps_one_entry_per_model_and_restores_what_it_stored() {
        let b = ModelBundle::from_json(SEED_BUNDLE_JSON).unwrap();
        let mut lib = Library::default();
        let m = LocalModel::new(b.clone(), Origin::Imported, "mine.json", 1.0);
        let key = m.key.clone();
        assert!(m.title().contains("imported: mine.json"), "{}", m.title());
        assert_eq!(lib.add(m.clone()), Added::New);
        assert_eq!(
            lib.add(LocalModel::new(b, Origin::Imported, "again.json", 2.0)),
            Added::Existing
        );
        assert_eq!(lib.models().len(), 1);
        assert_eq!(lib.get(&key).unwrap().source, "mine.json");

        let stored = m.stored().unwrap();
        let back = StoredModel::restore(&stored.to_json()).unwrap();
        assert_eq!(back.key, key);
        assert_eq!(back.origin, Origin::Imported);
        assert_eq!(back.bundle, m.bundle);
        assert_eq!(back.added_ms, 1.0);

        // A kept model this version cannot read: the message names its source, and the key
        // is given so that the record can be removed.
        let mut old = stored.clone();
        old.bundle = replace_value(&old.bundle, "\"format_version\":", "7");
        let (k, why) = StoredModel::restore(&old.to_json()).unwrap_err();
        assert_eq!(k.as_deref(), Some(key.as_str()));
        assert!(
            why.contains("from mine.json can no longer be used"),
            "{why}"
        );
        let (k, _) = StoredModel::restore("not json").unwrap_err();
        assert_eq!(k, None);

        assert_eq!(lib.remove(&key).map(|m| m.source), Some("mine.json".into()));
        assert!(lib.remove(&key).is_none());
        assert!(lib.models().is_empty());
        assert!(lib.get(&key).is_none());
        // Data scored with it still finds it; added again, it is listed once more.
        assert_eq!(
            lib.resolve(&key).map(|m| m.source.as_str()),
            Some("mine.json")
        );
        assert_eq!(lib.add(back), Added::New);
        assert_eq!(lib.models().len(), 1);
        lib.remove(&key);
        assert_eq!(lib.resolve(&key).map(|m| m.added_ms), Some(1.0));
    }
}
