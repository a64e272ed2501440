//! Instance hardware (vCPU, memory) per family, from `pricing/instances.toml`. Region-agnostic:
//! it decides whether a class name exists (typo vs missing price) and feeds RDS Proxy (vCPU)
//! and capacity (memory).

use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::error::Result;
use crate::num::Positive;
use crate::source::{Document, FileKind, KeyPath};
use crate::suggest;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceSpec {
    pub vcpu: u32,
    pub memory_gib: Decimal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    vcpu: u32,
    memory_gib: Positive,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    sources: IndexMap<String, crate::pricing::Source>,
    ec2: IndexMap<String, RawSpec>,
    rds: IndexMap<String, RawSpec>,
    elasticache: IndexMap<String, RawSpec>,
}

#[derive(Debug, Clone)]
pub struct Catalog {
    pub ec2: IndexMap<String, InstanceSpec>,
    pub rds: IndexMap<String, InstanceSpec>,
    pub elasticache: IndexMap<String, InstanceSpec>,
}

fn specs(raw: IndexMap<String, RawSpec>) -> IndexMap<String, InstanceSpec> {
    raw.into_iter()
        .map(|(k, v)| {
            (
                k,
                InstanceSpec {
                    vcpu: v.vcpu,
                    memory_gib: v.memory_gib.0,
                },
            )
        })
        .collect()
}

/// Which family table to look a class up in.
#[derive(Debug, Clone, Copy)]
pub enum Family {
    Ec2,
    Rds,
    ElastiCache,
}

impl Catalog {
    pub fn parse(file: &str, text: &str) -> Result<Catalog> {
        let doc = Document::parse_as(file.to_string(), text.to_string(), FileKind::Catalog)?;
        let raw: RawCatalog = doc.deserialize(doc.value.clone(), &KeyPath::root())?;
        let _ = raw.sources;
        Ok(Catalog {
            ec2: specs(raw.ec2),
            rds: specs(raw.rds),
            elasticache: specs(raw.elasticache),
        })
    }

    pub fn table(&self, family: Family) -> &IndexMap<String, InstanceSpec> {
        match family {
            Family::Ec2 => &self.ec2,
            Family::Rds => &self.rds,
            Family::ElastiCache => &self.elasticache,
        }
    }

    /// The spec of `class`, or "unknown instance class X — did you mean Y?".
    pub fn lookup(
        &self,
        family: Family,
        class: &str,
    ) -> Result<InstanceSpec, (String, Option<String>)> {
        let t = self.table(family);
        t.get(class).copied().ok_or_else(|| {
            let what = match family {
                Family::Ec2 => "instance type",
                Family::Rds => "instance class",
                Family::ElastiCache => "node type",
            };
            (
                format!("unknown {what} {class}"),
                suggest::did_you_mean(class, t.keys().map(String::as_str)),
            )
        })
    }
}
