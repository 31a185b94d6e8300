//! The small "talk" / "estimate" label on a setting or figure whose number or rule is not
//! simply the AWS documentation's (the table is the core's `scenario::provenance`).

use fleetsim_core::scenario::provenance::provenance;
use yew::prelude::*;

/// The label for `key` (a scenario JSON path, or `fee` / `spotPrice`), linking to the AWS page
/// to read, with its one-line explanation; nothing when the docs are the source.
pub fn badge(key: &str) -> Html {
    let Some(p) = provenance(key) else {
        return Html::default();
    };
    let label = p.source.label();
    html! {
        <a class={classes!("prov", format!("prov-{label}"))} href={p.link} target="_blank"
           rel="noopener noreferrer" title={p.why} aria-label={format!("{label}: {}", p.why)}
           data-provenance={key.to_string()}>{ label }</a>
    }
}
