//! The verdict in plain words, one screen: the three totals, who wins and by how much, and
//! each reason with its dollar amount and what it means.

use core::fmt;

use super::{signed, Cause, Verdict};

/// `$12.34` or `-$12.34`, cents rounded half away from zero.
pub struct Dollars(pub i64);

impl fmt::Display for Dollars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cents = (self.0.unsigned_abs() + 5_000) / 10_000;
        let sign = if self.0 < 0 && cents > 0 { "-" } else { "" };
        // `pad`, so that a width in the format string lines the amounts up.
        f.pad(&alloc::format!("{sign}${}.{:02}", cents / 100, cents % 100))
    }
}

fn money(m: u64) -> Dollars {
    Dollars(signed(m))
}

impl Cause {
    pub fn title(self) -> &'static str {
        match self {
            Cause::ManagementFee => "Management fee",
            Cause::FargateRounding => "Fargate size rounding",
            Cause::EniDensity => "ENI density",
            Cause::ScaleInDelay => "Idle capacity during scale-in delay",
            Cause::DeploymentSurge => "Surge capacity during deployments",
            Cause::PriceAndPacking => "EC2 prices and packing",
        }
    }
}

impl Verdict {
    /// `terminal`: wrapped and indented for 100 columns under the reason's title; otherwise
    /// plain sentences, with one line per rounded service.
    fn explain(&self, cause: Cause, terminal: bool, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (wrap, item) = if terminal {
            ("\n      ", "\n        ")
        } else {
            (" ", "\n")
        };
        match cause {
            Cause::ManagementFee => write!(
                f,
                "Managed Instances charges a fee on every instance-hour, on top of EC2."
            ),
            Cause::FargateRounding if self.rounded.is_empty() => {
                write!(f, "Every task is already a Fargate size; nothing is rounded.")
            }
            Cause::FargateRounding => {
                write!(f, "Fargate bills fixed sizes (CPU units/MiB):")?;
                for (name, from, to) in self.rounded.iter().take(3) {
                    write!(
                        f,
                        "{item}{name}: {}/{} → {}/{}",
                        from.cpu, from.memory, to.cpu, to.memory
                    )?;
                }
                if self.rounded.len() > 3 {
                    write!(f, "{item}and {} more", self.rounded.len() - 3)?;
                }
                Ok(())
            }
            Cause::EniDensity if !self.awsvpc_tasks => {
                write!(f, "No awsvpc task, so no task needs an ENI.")
            }
            Cause::EniDensity => write!(
                f,
                "Each awsvpc task takes an ENI and instances hold few; measured against no ENI limit."
            ),
            Cause::ScaleInDelay => match self.scale_in_after_seconds {
                Some(0) => write!(f, "scaleInAfter is 0: empty instances stop at once."),
                Some(s) => write!(
                    f,
                    "Empty instances wait scaleInAfter ({s} s) before they stop; measured against stopping at once."
                ),
                None => write!(
                    f,
                    "scaleInAfter is -1: empty instances never stop; measured against stopping at once."
                ),
            },
            Cause::DeploymentSurge if self.deployments == 0 => {
                write!(f, "No deployment in these days.")
            }
            Cause::DeploymentSurge => write!(
                f,
                "{} deployments (assumed: each service deployed {} a week) start new tasks before old{wrap}ones stop, and can leave tasks spread over more instances afterwards; measured{wrap}against no deployments. Fargate pays for surge tasks too; this is the extra.",
                self.deployments,
                match self.deploys_per_week {
                    1 => alloc::string::String::from("once"),
                    2 => alloc::string::String::from("twice"),
                    n => alloc::format!("{n} times"),
                }
            ),
            Cause::PriceAndPacking => write!(
                f,
                "The rest: EC2's price per vCPU and GiB against Fargate's, and room left unused on instances."
            ),
        }
    }
}

impl Verdict {
    /// Who wins and by how much, in one sentence.
    pub fn headline(&self) -> alloc::string::String {
        let (b, d) = (&self.base, self.difference());
        let mi = b.managed();
        let pct = |x: i64, of: u64| {
            if of == 0 {
                0
            } else {
                (i128::from(x.unsigned_abs()) * 100 / i128::from(of)) as u64
            }
        };
        if d > 0 {
            alloc::format!(
                "Fargate wins: it would cost {} less ({} % less than Managed Instances).",
                Dollars(d),
                pct(d, mi)
            )
        } else if d < 0 {
            alloc::format!(
                "Managed Instances wins: it costs {} less than Fargate ({} % less).",
                Dollars(-d),
                pct(d, b.fargate)
            )
        } else {
            alloc::string::String::from("Managed Instances and Fargate cost the same.")
        }
    }

    /// What a reason means, in plain sentences (a line per rounded service).
    pub fn explanation(&self, cause: Cause) -> alloc::string::String {
        struct Text<'a>(&'a Verdict, Cause);
        impl fmt::Display for Text<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.explain(self.1, false, f)
            }
        }
        alloc::format!("{}", Text(self, cause))
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = &self.base;
        let mi = b.managed();
        writeln!(f, "Cost verdict for {} simulated days", self.days)?;
        writeln!(f)?;
        writeln!(
            f,
            "  Managed Instances  {:>12}  (EC2 {} + management fee {}, as packed)",
            money(mi),
            money(b.ec2),
            money(b.fee)
        )?;
        writeln!(
            f,
            "  Fargate            {:>12}  (each task rounded up to a Fargate size)",
            money(b.fargate)
        )?;
        writeln!(
            f,
            "  Lower bound        {:>12}  (cheapest instances that could hold the tasks, fee included)",
            money(b.lower_bound)
        )?;
        writeln!(f)?;
        let d = self.difference();
        writeln!(f, "{}", self.headline())?;
        writeln!(f)?;
        writeln!(
            f,
            "Why they differ (+ makes Managed Instances dearer, - makes Fargate dearer):"
        )?;
        for r in &self.reasons {
            let sign = if r.micros > 0 { "+" } else { "" };
            // Amount beside the title, the explanation below: fits 100 columns.
            write!(
                f,
                "  {:<36} {:>12}\n      ",
                r.cause.title(),
                alloc::format!("{sign}{}", Dollars(r.micros))
            )?;
            self.explain(r.cause, true, f)?;
            writeln!(f)?;
        }
        writeln!(
            f,
            "  {:<36} {:>12}\n      Managed Instances minus Fargate.",
            "Total",
            alloc::format!("{}{}", if d > 0 { "+" } else { "" }, Dollars(d))
        )?;
        if self.spot {
            writeln!(
                f,
                "\nThe instances are Spot; Fargate is priced On-Demand (Fargate Spot is not compared)."
            )?;
        }
        let waste = signed(mi) - signed(b.lower_bound);
        writeln!(f)?;
        write!(
            f,
            "Managed Instances ran {} above the lower bound.\nPrices: On-Demand Linux x86 list prices from fleetsim's catalog; the fee and the\nnumbers AWS does not publish are illustrative defaults.",
            Dollars(waste)
        )?;
        writeln!(f)
    }
}

#[cfg(test)]
mod tests {
    use super::Dollars;
    use alloc::format;

    #[test]
    fn dollars_round_to_cents_and_never_print_minus_zero() {
        assert_eq!(format!("{}", Dollars(1_234_567)), "$1.23");
        assert_eq!(format!("{}", Dollars(1_235_000)), "$1.24");
        assert_eq!(format!("{}", Dollars(-5_000)), "-$0.01");
        assert_eq!(format!("{}", Dollars(-4_999)), "$0.00");
        assert_eq!(format!("{:>8}", Dollars(-250_000_000)), "-$250.00");
        assert_eq!(format!("{:>9}", Dollars(0)), "    $0.00");
    }
}
