//! Workshop presets: ready-made lessons, each a scenario with a title, a two-sentence lesson,
//! suggested steps (with a "predict what happens next" prompt for presenter mode), a command
//! script, and a link to the concept in the AWS documentation.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::command::{Command, Timed};
use crate::scenario::*;
use crate::share::{encode, Shared};
use crate::time::SimTime;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// What to do or watch.
    pub text: String,
    /// Presenter mode asks the room this before revealing the step.
    pub predict: String,
    /// Where the timeline should be when the step is shown.
    pub at: SimTime,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preset {
    /// Stable id used in URLs (`#p=<id>`).
    pub id: &'static str,
    pub title: &'static str,
    pub lesson: &'static str,
    pub reference: &'static str,
    pub steps: Vec<Step>,
    pub scenario: Scenario,
    pub script: Vec<Timed>,
    /// How far the lesson runs.
    pub until: SimTime,
}

impl Preset {
    /// The share string that opens this preset at the start.
    pub fn share(&self) -> String {
        encode(&Shared {
            scenario: self.scenario.clone(),
            script: self.script.clone(),
            at: SimTime::ZERO,
            panel: None,
        })
    }
}

fn step(text: &str, predict: &str, mins: u64) -> Step {
    Step {
        text: String::from(text),
        predict: String::from(predict),
        at: SimTime::from_mins(mins),
    }
}

fn at(mins: u64, command: Command) -> Timed {
    Timed {
        at: SimTime::from_mins(mins),
        command,
    }
}

fn base(name: &str, description: &str) -> Scenario {
    Scenario {
        name: String::from(name),
        description: String::from(description),
        ..Scenario::default()
    }
}

fn with_revision(mut s: ServiceSpec, error_rate_bp: u32, p99: u32) -> ServiceSpec {
    s.revisions.push(RevisionSpec {
        name: String::from("v2"),
        error_rate_bp,
        p99_latency_ms: p99,
        fails_to_start: false,
        unhealthy_after_seconds: None,
    });
    s.load = Some(LoadCurve::default());
    s
}

fn deploy(service: &str) -> Command {
    Command::StartDeployment {
        service: String::from(service),
        revision: String::from("v2"),
        configuration: None,
    }
}

pub fn presets() -> Vec<Preset> {
    let mut out = Vec::new();

    let mut s = base(
        "Spread first, then pack",
        "Two services on an empty Managed Instances cluster.",
    );
    s.services = alloc::vec![
        ServiceSpec::sized("web", 9, 1024, 2048),
        ServiceSpec::sized("api", 4, 2048, 4096)
    ];
    out.push(Preset {
        id: "spread-then-pack",
        title: "1 · Spread first, then pack",
        lesson: "Managed Instances spreads each service across Availability Zones before it packs tasks densely. Only then does it pick the cheapest instance type per needed vCPU and GiB for what is left.",
        reference: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement.html",
        steps: alloc::vec![
            step("Press play and watch where the nine web tasks land.", "How many web tasks end up in each AZ?", 0),
            step("Scale web to 12 (already scripted at 20 min).", "Will new hosts launch, or do the tasks fit on existing capacity?", 20),
        ],
        scenario: s,
        script: alloc::vec![at(20, Command::SetDesiredCount { service: "web".into(), count: 12 })],
        until: SimTime::from_hours(1),
    });

    let mut s = base(
        "Large instances and the image cache",
        "A service that scales out onto hosts that already have its image.",
    );
    s.timing.image_pull_seconds = 90;
    s.timing.cached_start_seconds = 2;
    s.capacity_provider
        .instance_requirements
        .allowed_instance_types = alloc::vec![String::from("m6i.8xlarge")];
    s.services = alloc::vec![ServiceSpec::sized("web", 6, 512, 1024)];
    out.push(Preset {
        id: "image-cache",
        title: "2 · Large instances and the image cache",
        lesson: "On a large host, the next task of a service usually finds its image already pulled and starts in seconds. Many small hosts pay the image pull again and again.",
        reference: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instance-auto-scaling.html",
        steps: alloc::vec![
            step("Press play: the first tasks pull the image (90 s).", "How long will the first tasks take to start?", 0),
            step("At 15 min web scales to 30.", "Will the new tasks start faster than the first ones? Why?", 15),
        ],
        scenario: s,
        script: alloc::vec![at(15, Command::SetDesiredCount { service: "web".into(), count: 30 })],
        until: SimTime::from_hours(1),
    });

    let mut s = base(
        "Host replacement: start before stop",
        "A host is drained while its service keeps serving.",
    );
    s.services = alloc::vec![
        ServiceSpec::sized("web", 6, 1024, 2048),
        ServiceSpec::sized("api", 3, 2048, 4096)
    ];
    out.push(Preset {
        id: "start-before-stop",
        title: "3 · Host replacement, start before stop",
        lesson: "When a host drains, each service task on it is first replaced elsewhere and stopped only once the replacement is healthy. The service never drops below its minimum healthy percent.",
        reference: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html",
        steps: alloc::vec![
            step("At 20 min host i-001 is drained.", "Which happens first: the old tasks stop, or new ones start?", 20),
            step("Watch the running count of web and api.", "Does the healthy count ever dip below desired?", 22),
        ],
        scenario: s,
        script: alloc::vec![at(20, Command::DrainHost { host: 1 })],
        until: SimTime::from_hours(1),
    });

    let mut s = base(
        "Diurnal load and idle-host consolidation",
        "Target tracking follows a daily load curve; idle hosts go away.",
    );
    let mut web = ServiceSpec::sized("web", 6, 1024, 2048);
    web.load = Some(LoadCurve {
        peak_rps: 3000,
        trough_rps: 300,
        ..LoadCurve::default()
    });
    web.auto_scaling = Some(AutoScaling {
        min_tasks: 3,
        max_tasks: 40,
        ..AutoScaling::default()
    });
    s.services = alloc::vec![web];
    out.push(Preset {
        id: "diurnal-consolidation",
        title: "4 · Diurnal scale-in and idle-host consolidation",
        lesson: "At night auto scaling removes tasks, hosts go idle and Managed Instances deregisters them after scaleInAfter. The $/h line follows the load curve down and up again.",
        reference: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instances-infrastructure-optimization.html",
        steps: alloc::vec![
            step("Play at high speed through the first day.", "When will the fleet be smallest?", 0),
            step("Look at the cost chart overnight.", "How much of the daytime $/h is left at 04:00?", 24 * 60),
        ],
        scenario: s,
        script: Vec::new(),
        until: SimTime::from_days(2),
    });

    let mut s = base(
        "The patch cycle",
        "Hosts are replaced between day 14 and day 21, inside maintenance windows.",
    );
    s.services = alloc::vec![ServiceSpec::sized("web", 6, 1024, 2048)];
    s.patching.maintenance_windows = alloc::vec![
        MaintenanceWindow {
            start_day: Weekday::Sat,
            start_hour: 2,
            duration_hours: 4
        },
        MaintenanceWindow {
            start_day: Weekday::Wed,
            start_hour: 2,
            duration_hours: 2
        },
    ];
    out.push(Preset {
        id: "patch-cycle",
        title: "5 · The 14/21-day patch cycle",
        lesson: "Every host is drained from day 14, earlier if that lands it inside a maintenance window, and forcibly replaced at day 21. Hosts are never patched in place: a new host takes over.",
        reference: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instances-patching.html",
        steps: alloc::vec![
            step("Play to day 13.", "Which day will the first host start draining?", 0),
            step("Watch day 13 to 15.", "Does draining wait for the weekend window or start at day 14?", 13 * 24 * 60),
            step("Remove the windows in the editor and replay.", "What changes when no window fits before day 21?", 15 * 24 * 60),
        ],
        scenario: s,
        script: Vec::new(),
        until: SimTime::from_days(30),
    });

    for (id, title, strategy, lesson, reference) in [
        (
            "blue-green",
            "6 · Blue/green deployment",
            Strategy::BlueGreen,
            "Green scales to 100 % of desired before any traffic moves, so for a while the fleet doubles. Production traffic then moves all at once, and blue stays until the bake time ends.",
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html",
        ),
        (
            "linear",
            "7 · Linear deployment",
            Strategy::Linear,
            "Production traffic moves in equal steps of stepPercent with a bake between steps. A problem shows up while most users are still on blue.",
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-linear.html",
        ),
    ] {
        let mut s = base(title.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '·'), "A service deployed to a new revision.");
        let mut web = with_revision(ServiceSpec::sized("web", 6, 1024, 2048), 10, 120);
        web.deployment_configuration.strategy = strategy;
        s.services = alloc::vec![web];
        out.push(Preset {
            id,
            title,
            lesson,
            reference,
            steps: alloc::vec![
                step("At 10 min a deployment to web:v2 starts.", "How many hosts will the cluster need during the deployment?", 10),
                step("Follow the stages in the deployment view.", "When does the first user request reach green?", 12),
            ],
            scenario: s,
            script: alloc::vec![at(10, deploy("web"))],
            until: SimTime::from_hours(3),
        });
    }

    let mut s = base(
        "Canary catches a faulty revision",
        "v2 fails 15 % of requests; an alarm watches green.",
    );
    let mut web = with_revision(ServiceSpec::sized("web", 6, 1024, 2048), 1500, 400);
    web.deployment_configuration.strategy = Strategy::Canary;
    web.deployment_configuration.alarms = Alarms {
        enable: true,
        rollback: true,
        alarms: alloc::vec![AlarmSpec::default()],
    };
    s.services = alloc::vec![web];
    out.push(Preset {
        id: "canary-rollback",
        title: "8 · Canary catches a faulty revision",
        lesson: "A canary sends only canaryPercent of production traffic to the new revision, so a bad release hurts few users. The alarm trips during the canary bake and traffic returns to blue at once.",
        reference: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/canary-deployment.html",
        steps: alloc::vec![
            step("At 10 min a canary deployment of v2 starts.", "What share of requests will see v2's errors?", 10),
            step("Watch the alarm and the rollback.", "After rollback, does blue need new tasks?", 20),
        ],
        scenario: s,
        script: alloc::vec![at(10, deploy("web"))],
        until: SimTime::from_hours(2),
    });

    let mut s = base(
        "Fargate vs Managed Instances",
        "The same tasks priced on Fargate and on Managed Instances.",
    );
    s.services = alloc::vec![
        ServiceSpec::sized("web", 12, 512, 1024),
        ServiceSpec::sized("api", 8, 2048, 8192),
        ServiceSpec::sized("batch", 4, 4096, 30720),
    ];
    out.push(Preset {
        id: "fargate-vs-mi",
        title: "9 · Fargate vs Managed Instances cost",
        lesson: "Managed Instances pays for whole hosts plus a management fee, Fargate for each task's rounded-up size. Dense packing makes Managed Instances cheaper; half-empty hosts make it dearer.",
        reference: "https://aws.amazon.com/ecs/pricing/",
        steps: alloc::vec![
            step("Play for an hour and open the cost chart.", "Which line is lower: Fargate or the fleet?", 0),
            step("Compare both with the lower bound.", "How close to the lower bound can placement get?", 60),
        ],
        scenario: s,
        script: Vec::new(),
        until: SimTime::from_hours(6),
    });

    let mut s = base(
        "AZ impairment and rebalancing",
        "One AZ fails and recovers.",
    );
    s.services = alloc::vec![
        ServiceSpec::sized("web", 9, 1024, 2048),
        ServiceSpec::sized("api", 6, 1024, 2048)
    ];
    out.push(Preset {
        id: "az-impairment",
        title: "10 · An AZ impairment and rebalancing afterwards",
        lesson: "When an Availability Zone fails its tasks are replaced in the other zones. After it recovers, AZ rebalancing moves tasks back, starting new ones before stopping old ones.",
        reference: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html",
        steps: alloc::vec![
            step("At 20 min use1-az2 is impaired.", "Where do web's three tasks in that AZ go?", 20),
            step("At 60 min the AZ recovers.", "Will tasks move back on their own?", 60),
        ],
        scenario: s,
        script: alloc::vec![
            at(20, Command::ImpairAz { az: "use1-az2".into() }),
            at(60, Command::RecoverAz { az: "use1-az2".into() }),
        ],
        until: SimTime::from_hours(3),
    });

    out
}

pub fn preset(id: &str) -> Option<Preset> {
    presets().into_iter().find(|p| p.id == id)
}
