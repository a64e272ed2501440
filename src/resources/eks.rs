//! Amazon EKS: cluster hours, plus the extended-support charge per cluster-hour for a
//! Kubernetes version past its standard support, and pods on Fargate.
//!
//! A Fargate pod is billed for the Fargate configuration it is rounded up to, not for its
//! request: AWS adds 256 MB to the pod's memory request for the Kubernetes components
//! (kubelet, kube-proxy, containerd), then rounds vCPU and memory up to the closest
//! configuration in the table below; a pod that requests nothing gets the smallest, 0.25 vCPU /
//! 0.5 GB. (Amazon EKS User Guide, "Understand Fargate Pod configuration details",
//! https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html: its example,
//! 1 vCPU and 8 GB requested, is billed as 2 vCPU and 9 GB.) The configuration's vCPU-hours and
//! GB-hours are priced at the Fargate rates (x86_64: EKS Fargate runs no Arm pods).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::{Ctx, FieldError, Resource};
use crate::money::fmt_number;
use crate::num::{mul, Count, NonNeg};
use crate::pricing::{Catalog, PriceError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Support {
    #[default]
    Standard,
    /// A Kubernetes version past its standard support: an extra charge per cluster-hour.
    Extended,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Eks {
    /// Clusters (control planes), each billed every hour of the month.
    #[serde(default)]
    pub clusters: Option<Count>,
    #[serde(default)]
    pub support: Support,
    /// Fargate pods running all month (average).
    #[serde(default)]
    pub fargate_pods: Option<NonNeg>,
    /// vCPU one pod requests (the larger of its init containers' and the sum of its
    /// long-running containers' requests).
    #[serde(default)]
    pub pod_vcpu: Option<NonNeg>,
    /// Memory one pod requests, GB (same rule).
    #[serde(default)]
    pub pod_memory_gb: Option<NonNeg>,
}

/// Memory AWS adds to each pod for the Kubernetes components: 256 MB.
const K8S_OVERHEAD_GB: Decimal = Decimal::from_parts(25, 0, 0, false, 2);

/// Fargate configurations for EKS pods: vCPU, then the memory range (GB) and its step.
const CONFIGS: &[(&str, &[&str])] = &[
    ("0.25", &["0.5", "1", "2"]),
    ("0.5", &["1", "2", "3", "4"]),
    ("1", &["2", "3", "4", "5", "6", "7", "8"]),
];
/// Larger configurations: (vCPU, min GB, max GB, step GB).
const RANGES: &[(u32, u32, u32, u32)] = &[
    (2, 4, 16, 1),
    (4, 8, 30, 1),
    (8, 16, 60, 4),
    (16, 32, 120, 8),
];

/// The Fargate configuration (vCPU, GB) a pod requesting `vcpu` and `memory_gb` is billed as,
/// the 256 MB already added; `None` when no configuration is large enough.
pub fn pod_size(vcpu: Decimal, memory_gb: Decimal) -> Option<(Decimal, Decimal)> {
    let need = memory_gb + K8S_OVERHEAD_GB;
    let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
    let small = CONFIGS
        .iter()
        .flat_map(|(c, mems)| mems.iter().map(move |m| (d(c), d(m))));
    let large = RANGES.iter().flat_map(|&(c, lo, hi, step)| {
        (lo..=hi)
            .step_by(step as usize)
            .map(move |m| (Decimal::from(c), Decimal::from(m)))
    });
    // Listed smallest vCPU first, then smallest memory: the first that fits is the closest.
    small.chain(large).find(|&(c, m)| c >= vcpu && m >= need)
}

impl Resource for Eks {
    fn validate(&self, _: &Catalog) -> Result<(), FieldError> {
        let sized = self.pod_vcpu.is_some() || self.pod_memory_gb.is_some();
        if sized && self.fargate_pods.is_none() {
            let field = if self.pod_vcpu.is_some() {
                "pod_vcpu"
            } else {
                "pod_memory_gb"
            };
            return Err(FieldError::new(
                field,
                format!("`{field}` sizes Fargate pods, but `fargate_pods` is not set"),
            )
            .help(Some("fargate_pods = 2".to_string())));
        }
        let (v, m) = (self.vcpu(), self.memory());
        if pod_size(v, m).is_none() {
            let field = if v > Decimal::from(16) {
                "pod_vcpu"
            } else {
                "pod_memory_gb"
            };
            return Err(FieldError::new(
                field,
                format!(
                    "no Fargate configuration holds a pod of {} vCPU and {} GB (+0.25 GB for Kubernetes); the largest is 16 vCPU / 120 GB",
                    fmt_number(v),
                    fmt_number(m)
                ),
            ));
        }
        Ok(())
    }

    fn price(&self, ctx: &mut Ctx) -> Result<(), PriceError> {
        let clusters = self.clusters.map_or(Decimal::ONE, |c| c.dec());
        let hours = ctx.hours_per_month;
        let cluster_hours = mul(clusters, hours)?;
        ctx.baseline("Cluster hours", "eks.cluster", cluster_hours)?;
        // AWS bills extended support as its own usage type on top of the cluster hour.
        if self.support == Support::Extended {
            ctx.baseline(
                "Extended support hours",
                "eks.cluster.extended_support",
                cluster_hours,
            )?;
        }
        let Some(pods) = self.fargate_pods else {
            return Ok(());
        };
        let (vcpu, gb) = pod_size(self.vcpu(), self.memory()).unwrap_or_default();
        let pod_hours = mul(pods.0, hours)?;
        let why = format!(
            "pod requests {} vCPU / {} GB; billed as {} vCPU / {} GB (+0.25 GB for Kubernetes, rounded up to a Fargate configuration)",
            fmt_number(self.vcpu()),
            fmt_number(self.memory()),
            fmt_number(vcpu),
            fmt_number(gb)
        );
        ctx.baseline(
            "Fargate pod vCPU",
            "fargate.vcpu.x86_64",
            mul(pod_hours, vcpu)?,
        )?
        .note(why);
        ctx.baseline(
            "Fargate pod memory",
            "fargate.memory.x86_64",
            mul(pod_hours, gb)?,
        )?;
        Ok(())
    }
}

impl Eks {
    fn vcpu(&self) -> Decimal {
        self.pod_vcpu.map_or(Decimal::ZERO, |v| v.0)
    }
    fn memory(&self) -> Decimal {
        self.pod_memory_gb.map_or(Decimal::ZERO, |v| v.0)
    }
}

impl super::Kind for Eks {}

#[cfg(test)]
mod tests {
    //! Hand-checked figures; unit prices from the books' `eks.*` and `fargate.*` entries
    //! (us-east-1: cluster $0.10/h, extended support $0.50/h more; Fargate $0.04048 per vCPU-hour,
    //! $0.004445 per GB-hour. Tokyo: cluster $0.10/h; Fargate $0.05056 and $0.00553).

    use super::pod_size;
    use crate::testkit::{cost, dec, err, has_line, has_note, line, scenario, tokyo, total, us};

    #[test]
    fn pod_sizes_round_up_as_the_eks_guide_says() {
        // The guide's example: 1 vCPU / 8 GB + 0.25 GB -> no 1 vCPU / 9 GB -> 2 vCPU / 9 GB.
        assert_eq!(pod_size(dec("1"), dec("8")), Some((dec("2"), dec("9"))));
        // Nothing requested: the smallest, 0.25 vCPU / 0.5 GB.
        assert_eq!(
            pod_size(dec("0"), dec("0")),
            Some((dec("0.25"), dec("0.5")))
        );
        // 0.5 vCPU / 1 GB + 0.25 = 1.25 GB -> 0.5 vCPU / 2 GB.
        assert_eq!(pod_size(dec("0.5"), dec("1")), Some((dec("0.5"), dec("2"))));
        // 0.3 vCPU -> 0.5 vCPU; 0.5 GB + 0.25 -> 1 GB.
        assert_eq!(
            pod_size(dec("0.3"), dec("0.5")),
            Some((dec("0.5"), dec("1")))
        );
        // 8 vCPU / 17 GB + 0.25 -> 8 vCPU steps of 4 GB: 20 GB.
        assert_eq!(pod_size(dec("8"), dec("17")), Some((dec("8"), dec("20"))));
        // 16 vCPU / 120 GB + 0.25 GB fits nothing.
        assert_eq!(pod_size(dec("16"), dec("120")), None);
    }

    #[test]
    fn cluster_and_pods_us_east_1() {
        let e = us("kind = \"eks\"\nfargate_pods = 2\npod_vcpu = 1\npod_memory_gb = 8");
        // Cluster: 730 h x $0.10 = $73
        assert_eq!(cost(&e, "Cluster hours"), dec("73"));
        assert!(!has_line(&e, "Extended support hours"));
        // Pods billed as 2 vCPU / 9 GB: 2 pods x 730 h = 1,460 pod-hours;
        // vCPU 1,460 x 2 = 2,920 vCPU-h x $0.04048 = $118.2016;
        // memory 1,460 x 9 = 13,140 GB-h x $0.004445 = $58.4073.
        let l = line(&e, "Fargate pod vCPU");
        assert_eq!(l.quantity, dec("2920"));
        assert_eq!(l.monthly_cost, dec("118.2016"));
        assert!(has_note(l, "billed as 2 vCPU / 9 GB"), "{:?}", l.notes);
        assert_eq!(cost(&e, "Fargate pod memory"), dec("58.4073"));
        // 73 + 118.2016 + 58.4073 = 249.6089
        assert_eq!(total(&e), dec("249.6089"));
    }

    #[test]
    fn extended_support_and_tokyo() {
        let e = us("kind = \"eks\"\nclusters = 3\nsupport = \"extended\"");
        // 3 x 730 h = 2,190 h x $0.10 = $219, plus 2,190 h x $0.50 = $1,095 of extended
        // support: $1,314, the blog's "total of $0.60 per cluster per hour".
        assert_eq!(cost(&e, "Cluster hours"), dec("219"));
        assert_eq!(cost(&e, "Extended support hours"), dec("1095"));
        assert_eq!(total(&e), dec("1314"));
        assert!(!has_line(&e, "Fargate pod vCPU"));
        let e = tokyo("kind = \"eks\"\nfargate_pods = 1\npod_vcpu = 0.25\npod_memory_gb = 0.5");
        // 730 h x $0.10 = $73; pod 0.25 vCPU / (0.5 + 0.25 -> 1 GB):
        // 730 x 0.25 = 182.5 vCPU-h x $0.05056 = $9.2272; 730 GB-h x $0.00553 = $4.0369
        assert_eq!(cost(&e, "Fargate pod vCPU"), dec("9.2272"));
        assert_eq!(cost(&e, "Fargate pod memory"), dec("4.0369"));
        assert_eq!(total(&e), dec("86.2641"));
        // Tokyo extended support: 730 h x $0.10 = $73 plus 730 h x $0.50
        // (eks.cluster.extended_support, Tokyo) = $365; $438 = 730 x $0.60.
        let e = tokyo("kind = \"eks\"\nsupport = \"extended\"");
        assert_eq!(cost(&e, "Cluster hours"), dec("73"));
        assert_eq!(cost(&e, "Extended support hours"), dec("365"));
        assert_eq!(total(&e), dec("438"));
    }

    #[test]
    fn pods_too_large_or_unsized_are_refused() {
        let e = err(&scenario(
            "us-east-1",
            "",
            "kind = \"eks\"\nfargate_pods = 1\npod_vcpu = 16\npod_memory_gb = 120",
        ));
        assert!(e.contains("no Fargate configuration"), "{e}");
        let e = err(&scenario("us-east-1", "", "kind = \"eks\"\npod_vcpu = 1"));
        assert!(e.contains("`fargate_pods` is not set"), "{e}");
    }
}
