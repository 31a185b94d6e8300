//! Shared helpers for fleetsim's cross-crate tests and benches (in `tests/` and `benches/`).
