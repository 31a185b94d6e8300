//! Where a setting's number or rule comes from, when it is not simply the AWS documentation:
//! the re:Invent talk's claim where the docs say otherwise or nothing, or our estimate where
//! AWS publishes no number. The editor and the page show a small label from this one table.

/// Whose word a setting is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The talk's claim (CNS416), where the documentation differs or is silent.
    Talk,
    /// Our illustrative number; AWS publishes none.
    Estimate,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Source::Talk => "talk",
            Source::Estimate => "estimate",
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Provenance {
    pub source: Source,
    /// One line: what the talk or our estimate says, and what the docs say.
    pub why: &'static str,
    /// The AWS page to read.
    pub link: &'static str,
}

const PATCHING: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instances-patching.html";
const INSTANCE_TYPES: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instances-instance-types.html";
const OPTIMIZATION: &str = "https://docs.amazonaws.cn/en_us/AmazonECS/latest/developerguide/managed-instances-infrastructure-optimization.html";
const ENI: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-eni.html";
const PRICING: &str = "https://aws.amazon.com/ecs/pricing/";
const OVERVIEW: &str =
    "https://docs.amazonaws.cn/AmazonECS/latest/developerguide/ManagedInstances.html";

/// Keyed by the scenario's JSON path; `fee` and `spotPrice` are the page's cost figures, which
/// no scenario field holds.
const TABLE: [(&str, Source, &str, &str); 10] = [
    (
        "patching.mode",
        Source::Talk,
        "The talk: hosts are replaced within 30 days, in at least two windows a week. The docs: drain from day 14, deregistered at day 21.",
        PATCHING,
    ),
    (
        "capacityProvider.selection",
        Source::Talk,
        "\"Largest instance at best price\" is the talk's rule; the docs only say Managed Instances picks the most cost-optimized types.",
        INSTANCE_TYPES,
    ),
    (
        "capacityProvider.awsvpcTrunking",
        Source::Estimate,
        "On by default, with trunk ENI limits per type that are our estimate; AWS lists them only for some types.",
        ENI,
    ),
    (
        "capacityProvider.scaleInAfter",
        Source::Estimate,
        "AWS does not publish the delay before an idle host is removed; ours is illustrative.",
        OPTIMIZATION,
    ),
    (
        "capacityProvider.underutilizedBelowPercent",
        Source::Estimate,
        "AWS does not publish when a host counts as underutilized; the threshold is ours.",
        OPTIMIZATION,
    ),
    (
        "timing.instanceLaunchSeconds",
        Source::Estimate,
        "AWS publishes no launch time for a Managed Instances host; ours is illustrative.",
        OVERVIEW,
    ),
    (
        "timing.imagePullSeconds",
        Source::Estimate,
        "Image pull time depends on the image and the network; ours is illustrative.",
        OVERVIEW,
    ),
    (
        "timing.cachedStartSeconds",
        Source::Estimate,
        "A start with the image already on the host (the talk's point for large hosts); the time is ours.",
        OVERVIEW,
    ),
    (
        "fee",
        Source::Estimate,
        "The management fee is 12 % of the type's On-Demand price, from the one example AWS's pricing page gives.",
        PRICING,
    ),
    (
        "spotPrice",
        Source::Estimate,
        "Spot prices move; we charge 35 % of On-Demand.",
        PRICING,
    ),
];

/// Where the setting at `path` comes from, if not simply the documentation.
pub fn provenance(path: &str) -> Option<Provenance> {
    TABLE
        .iter()
        .find(|(p, ..)| *p == path)
        .map(|&(_, source, why, link)| Provenance { source, why, link })
}

/// Every labelled path, for the README and the tests.
pub fn labelled() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|(p, ..)| *p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::MI_FEE_PERCENT;
    use crate::hosts::SPOT_PRICE_PERCENT;
    use crate::scenario::Scenario;
    use alloc::format;

    /// A label on a path the scenario does not have would never be shown.
    #[test]
    fn every_labelled_setting_is_a_field_of_the_scenario() {
        let mut s = Scenario::default();
        // Written only when set.
        s.capacity_provider.scale_in_after = Some(300);
        let json = serde_json::to_value(s).expect("serializes");
        for path in labelled().filter(|p| !matches!(*p, "fee" | "spotPrice")) {
            let (section, field) = path.split_once('.').expect("section.field");
            assert!(
                json[section].get(field).is_some(),
                "{path} is not in the scenario's JSON"
            );
        }
    }

    /// The cost labels quote the numbers the simulation charges.
    #[test]
    fn cost_labels_quote_the_numbers_charged() {
        let fee = provenance("fee").expect("labelled");
        assert!(
            fee.why.contains(&format!("{MI_FEE_PERCENT} %")),
            "{}",
            fee.why
        );
        let spot = provenance("spotPrice").expect("labelled");
        assert!(
            spot.why.contains(&format!("{SPOT_PRICE_PERCENT} %")),
            "{}",
            spot.why
        );
        assert_eq!(provenance("desiredCount"), None);
    }
}
