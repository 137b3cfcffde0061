//! The embedded seed model bundle, parsed once on first use.
//!
//! The bundle's JSON is compiled into the binary (`include_str!`), so after the first page load
//! the app needs no request at all. A bundle that fails to parse is an error message for the
//! page's error banner, never a panic.

use std::sync::LazyLock;

use crate::core::bundle::ModelBundle;

/// The shipped seed bundle's JSON text (`assets/models/seed.json`, compact JSON).
pub const SEED_BUNDLE_JSON: &str = include_str!("../../assets/models/seed.json");

static SEED: LazyLock<Result<ModelBundle, String>> = LazyLock::new(|| {
    ModelBundle::from_json(SEED_BUNDLE_JSON)
        .map_err(|e| format!("The embedded model could not be loaded: {e}"))
});

/// The embedded seed bundle, or why it could not be loaded.
pub fn seed_bundle() -> Result<&'static ModelBundle, &'static str> {
    SEED.as_ref().map_err(String::as_str)
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
}
